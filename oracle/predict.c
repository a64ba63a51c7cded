// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resize itself, as it must go: old entries in index order, a VALID
 * one unmapped (ABSENT, key cleared, R/C harvested, out of its ring), a
 * non-bolted one dropped, a bolted one written ABSENT to the same slot of
 * the group its VA hashes to in the new table.  A bolted entry finding
 * that slot taken ends the resize with -ENOSPC.
 */
#include <stdlib.h>
#include <string.h>

#include "oracle_internal.h"

#define RC_BITS	(HPT_R_R | HPT_R_C)

struct run {
	struct hpt_oracle *o;
	const struct hpt_scenario *s;
	struct table_builder new;
	u64 *harvest;		/* per record: R/C bits its unmap harvested */
	bool *unmapped;		/* per record */
};

/* kvmppc_unmap_hpte, on the words as the table stores them */
static void unmap(struct run *run, struct hpt_oracle_hpte *e)
{
	struct hpt_oracle *o = run->o;
	const struct hpt_scn_va *va = &run->s->rec[e->rec].va;
	struct hpt_oracle_unmap *u = &o->unmaps[o->nr_unmaps++];

	u->idx = e->idx;
	u->gfn = va->rpn;
	u->rec = e->rec;
	/* VALID, ABSENT, R, C and the key sit alike in both layouts */
	e->v = (e->v | HPT_V_ABSENT) & ~HPT_V_VALID;
	e->r &= ~HPT_R_KEY;
	e->guest_r |= e->r & RC_BITS;
	run->harvest[e->rec] = e->r & RC_BITS;
	run->unmapped[e->rec] = true;
}

/* The new entry, from the VA's truth and what the unmap did to it */
static void place_new(struct run *run, u32 k, struct hpt_oracle_hpte *e)
{
	const struct hpt_scn_va *va = &run->s->rec[k].va;
	u64 v = (hpt_scn_va_v(va) & ~HPT_V_VALID) | HPT_V_ABSENT;
	u64 r = hpt_scn_va_hw_r(va);

	if (run->unmapped[k])
		r &= ~HPT_R_KEY;
	oracle_to_table(run->o->isa300, v, r, &e->v, &e->r);
	e->guest_r = hpt_scn_va_guest_r(va) | run->harvest[k];
	e->rec = k;
}

static void rehash(struct run *run)
{
	struct hpt_oracle *o = run->o;
	struct hpt_oracle_hpte *e, *held;
	u32 i, k;
	u64 t;

	/* The old table's entries, in index order */
	for (i = 0; i < o->old.n; i++) {
		e = &o->old.e[i];
		if (!(e->v & ORACLE_USED))
			continue;
		/* Predictable: every used entry is a VA entry */
		k = e->rec;
		if (e->v & HPT_V_VALID)
			unmap(run, e);
		if (!run->s->rec[k].va.bolted) {
			o->rec[k].fate = HPT_FATE_DROPPED;
			continue;
		}
		t = o->rec[k].new_idx;
		held = table_find(&run->new, t);
		if (held) {
			o->rc = -ENOSPC;
			o->rec[k].fate = HPT_FATE_COLLIDED;
			o->fail_idx = e->idx;
			o->fail_new_idx = t;
			o->fail_holder_idx = o->rec[held->rec].old_idx;
			return;
		}
		place_new(run, k, table_get(&run->new, t));
		o->rec[k].fate = HPT_FATE_MOVED;
	}
}

static struct hpt_oracle_rmap *find_rmap(struct hpt_oracle *o, u32 slot,
					 u64 gfn)
{
	u32 lo = 0, hi = o->nr_rmaps, mid;
	struct hpt_oracle_rmap *m;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = &o->rmaps[mid];
		if (m->slot == slot && m->gfn == gfn)
			return m;
		if (m->slot < slot || (m->slot == slot && m->gfn < gfn))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The ring keeps link order, and a ring losing its head is headed by the
 * next entry: the rmap word names the first entry not unmapped, and holds
 * the R/C bits the unmaps harvested.
 */
static void rmap_after(struct run *run)
{
	struct hpt_oracle *o = run->o;
	const struct hpt_scn_va *va;
	struct hpt_oracle_rmap *m;
	u32 i, k, slot;

	for (i = 0; i < o->nr_rmaps; i++)
		o->rmaps[i].after = 0;
	for (k = 0; k < run->s->nr_records; k++) {
		va = &run->s->rec[k].va;
		if (run->s->rec[k].kind != HPT_SCN_VA || !va->valid ||
		    o->rec[k].old_idx == HPT_ORACLE_NO_INDEX)
			continue;
		for (slot = 0; slot < o->nr_memslots; slot++)
			if (va->rpn >= o->slot[slot].base_gfn &&
			    va->rpn - o->slot[slot].base_gfn <
			    o->slot[slot].npages)
				break;
		m = find_rmap(o, slot, va->rpn);
		if (!m)
			continue;
		if (run->unmapped[k])
			m->after |= run->harvest[k] << HPT_RMAP_RC_SHIFT;
		else if (!(m->after & HPT_RMAP_PRESENT))
			m->after |= HPT_RMAP_PRESENT | o->rec[k].old_idx;
	}
}

int oracle_predict_resize(struct hpt_oracle *o, const struct hpt_scenario *s,
			  u32 alloc_order)
{
	struct run run = { o, s, { 0 }, NULL, NULL };
	int ret = -ENOMEM;
	u32 k;

	o->old.order = o->before.order;
	o->old.n = o->before.n;
	o->old.e = malloc((o->before.n + 1) * sizeof(*o->old.e));
	o->unmaps = calloc(s->nr_records + 1, sizeof(*o->unmaps));
	run.harvest = calloc(s->nr_records + 1, sizeof(*run.harvest));
	run.unmapped = calloc(s->nr_records + 1, sizeof(*run.unmapped));
	if (!o->old.e || !o->unmaps || !run.harvest || !run.unmapped)
		goto out;
	memcpy(o->old.e, o->before.e, o->before.n * sizeof(*o->old.e));

	o->new.order = o->new_order;
	if (alloc_order && o->new_order > alloc_order) {
		/* The prepare fails; the commit never runs */
		o->rc = -ENOMEM;
	} else {
		if (table_builder_init(&run.new, &o->new, o->new_order,
				       s->nr_records))
			goto out;
		rehash(&run);
		table_builder_finish(&run.new);
	}
	if (o->rc) {
		free(o->new.e);
		o->new.e = NULL;
		o->new.n = 0;
	}

	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_VA && !o->rec[k].fate)
			o->rec[k].fate = HPT_FATE_UNTOUCHED;
	rmap_after(&run);
	ret = 0;
out:
	free(run.new.slots);
	free(run.harvest);
	free(run.unmapped);
	return ret;
}
