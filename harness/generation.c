// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generation and the oracle must agree on the guest before the run: an
 * internal check, not a verdict on an implementation.
 *
 * Only what the generator wrote is compared.  It writes into tables and
 * rmap arrays the platform has just cleared, and only at the places its
 * placement names (scenario/generate.c): the index each raw or VA record
 * went to, and the rmap word of the frame a placed VA entry names.  So
 * every entry the generator or the oracle puts anywhere is compared, and
 * everything else is zero without being read: a second pass over whole
 * tables and rmap arrays per execution would cost as much as the run.
 */
#include <stdio.h>

#include "harness_internal.h"

/* Whether the placement put one of its records at idx */
static bool written(const struct hctx *c, u64 idx)
{
	u32 k;

	for (k = 0; k < c->s->nr_records; k++)
		if (c->s->rec[k].kind != HPT_SCN_MEMSLOT &&
		    c->pl->where[k] == idx)
			return true;
	return false;
}

static const char *entries_differ(const struct hctx *c, char *why, size_t len)
{
	const struct hpt_oracle_table *t = &c->o.before;
	struct hpt_oracle_hpte want;
	u64 idx;
	u32 k;

	for (k = 0; k < c->s->nr_records; k++) {
		idx = c->pl->where[k];
		if (c->s->rec[k].kind == HPT_SCN_MEMSLOT ||
		    idx == HPT_SCN_NOT_PLACED)
			continue;
		want = hctx_entry(t, idx);
		if (hctx_entry_differs(&want, c->vm.hpt.virt, c->vm.hpt.rev,
				       idx))
			goto differs;
	}
	/* What the oracle lists where nothing was written is not there */
	for (k = 0; k < t->n; k++) {
		idx = t->e[k].idx;
		if (t->e[k].rec < c->s->nr_records &&
		    c->pl->where[t->e[k].rec] == idx)
			continue;	/* the record it came from went there */
		if (!written(c, idx))
			goto differs;
	}
	return NULL;

differs:
	snprintf(why, len, "generated entry 0x%llx differs from the oracle's",
		 (unsigned long long)idx);
	return why;
}

static const char *rmap_differs(const struct hctx *c, u32 slot, u64 gfn,
				char *why, size_t len)
{
	snprintf(why, len, "generated rmap word %llu of memslot %u differs from the oracle's",
		 (unsigned long long)(gfn - c->o.slot[slot].base_gfn), slot);
	return why;
}

static const char *rmaps_differ(const struct hctx *c, char *why, size_t len)
{
	const struct hpt_oracle_rmap *m;
	const struct hpt_scn_record *r;
	const struct hpt_memslot *ms;
	const u64 *word;
	u32 k, slot;

	/* Every word the generator may have linked an entry into */
	for (k = 0; k < c->s->nr_records; k++) {
		r = &c->s->rec[k];
		if (r->kind != HPT_SCN_VA || c->pl->where[k] == HPT_SCN_NOT_PLACED)
			continue;
		slot = hctx_memslot_of(&c->vm, r->va.rpn);
		if (slot == NO_SLOT)
			continue;	/* no memslot, no ring */
		ms = &c->vm.memslots[slot];
		if (ms->rmap[r->va.rpn - ms->base_gfn] !=
		    hpt_oracle_rmap_word(&c->o, slot, r->va.rpn, false))
			return rmap_differs(c, slot, r->va.rpn, why, len);
	}
	/* Every word the oracle lists, in the memslot it names */
	for (k = 0; k < c->o.nr_rmaps; k++) {
		m = &c->o.rmaps[k];
		word = hctx_rmap_word(&c->vm, m);
		if (!word || *word != m->before)
			return rmap_differs(c, m->slot, m->gfn, why, len);
	}
	return NULL;
}

const char *hctx_check_generation(const struct hctx *c, char *why, size_t len)
{
	const char *differs = entries_differ(c, why, len);

	return differs ? differs : rmaps_differ(c, why, len);
}
