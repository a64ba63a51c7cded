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
	u64 *harvest;		/* per record: R/C bits its unmap harvested */
	bool *unmapped;		/* per record */
};

/* kvmppc_unmap_hpte, on the words as the table stores them */
static void unmap(struct run *run, u64 idx)
{
	struct hpt_oracle *o = run->o;
	struct hpt_oracle_hpte *e = &o->old[idx];
	const struct hpt_scn_va *va = &run->s->rec[e->rec].va;
	struct hpt_oracle_unmap *u = &o->unmaps[o->nr_unmaps++];

	u->idx = idx;
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
static void place_new(struct run *run, u32 k, u64 new_idx)
{
	struct hpt_oracle *o = run->o;
	const struct hpt_scn_va *va = &run->s->rec[k].va;
	struct hpt_oracle_hpte *e = &o->new[new_idx];
	u64 v = (hpt_scn_va_v(va) & ~HPT_V_VALID) | HPT_V_ABSENT;
	u64 r = hpt_scn_va_hw_r(va);

	if (run->unmapped[k])
		r &= ~HPT_R_KEY;
	oracle_to_table(o->isa300, v, r, &e->v, &e->r);
	e->guest_r = hpt_scn_va_guest_r(va) | run->harvest[k];
	e->rec = k;
}

static void fail(struct hpt_oracle *o, u32 k, u64 idx)
{
	u64 t = o->rec[k].new_idx;

	o->rc = -ENOSPC;
	o->rec[k].fate = HPT_FATE_COLLIDED;
	o->fail_idx = idx;
	o->fail_new_idx = t;
	o->fail_holder_idx = o->rec[o->new[t].rec].old_idx;
}

static void rehash(struct run *run)
{
	struct hpt_oracle *o = run->o;
	u64 idx, npte = hpt_order_npte(o->old_order);
	struct hpt_oracle_hpte *e;
	u64 t;
	u32 k;

	for (idx = 0; idx < npte; idx++) {
		e = &o->old[idx];
		if (!(e->v & ORACLE_USED))
			continue;
		/* Predictable: every used entry is a VA entry */
		k = e->rec;
		if (e->v & HPT_V_VALID)
			unmap(run, idx);
		if (!run->s->rec[k].va.bolted) {
			o->rec[k].fate = HPT_FATE_DROPPED;
			continue;
		}
		t = o->rec[k].new_idx;
		if (o->new[t].v & ORACLE_USED) {
			fail(o, k, idx);
			return;
		}
		place_new(run, k, t);
		o->rec[k].fate = HPT_FATE_MOVED;
	}
}

/*
 * The ring keeps link order, and a ring losing its head is headed by the
 * next entry: the rmap word names the first entry not unmapped.
 */
static void rmap_after(struct run *run)
{
	struct hpt_oracle *o = run->o;
	const struct hpt_scn_va *va;
	struct hpt_oracle_memslot *slot;
	u64 *after;
	u32 k, m;

	for (k = 0; k < run->s->nr_records; k++) {
		va = &run->s->rec[k].va;
		if (run->s->rec[k].kind != HPT_SCN_VA || !va->valid ||
		    o->rec[k].old_idx == HPT_ORACLE_NO_INDEX)
			continue;
		for (m = 0; m < o->nr_memslots; m++) {
			slot = &o->slot[m];
			if (va->rpn >= slot->base_gfn &&
			    va->rpn - slot->base_gfn < slot->npages)
				break;
		}
		if (m == o->nr_memslots)
			continue;
		after = &slot->after[va->rpn - slot->base_gfn];
		if (run->unmapped[k])
			*after |= run->harvest[k] << HPT_RMAP_RC_SHIFT;
		else if (!(*after & HPT_RMAP_PRESENT))
			*after |= HPT_RMAP_PRESENT | o->rec[k].old_idx;
	}
}

int oracle_predict_resize(struct hpt_oracle *o, const struct hpt_scenario *s,
			  u32 alloc_order)
{
	u64 npte = hpt_order_npte(o->old_order), idx;
	struct run run = { o, s, NULL, NULL };
	int ret = -ENOMEM;
	u32 k;

	o->old = malloc(npte * sizeof(*o->old));
	o->unmaps = calloc(s->nr_records + 1, sizeof(*o->unmaps));
	run.harvest = calloc(s->nr_records + 1, sizeof(*run.harvest));
	run.unmapped = calloc(s->nr_records + 1, sizeof(*run.unmapped));
	if (!o->old || !o->unmaps || !run.harvest || !run.unmapped)
		goto out;
	memcpy(o->old, o->before, npte * sizeof(*o->old));

	if (alloc_order && o->new_order > alloc_order) {
		/* The prepare fails; the commit never runs */
		o->rc = -ENOMEM;
	} else {
		npte = hpt_order_npte(o->new_order);
		o->new = malloc(npte * sizeof(*o->new));
		if (!o->new)
			goto out;
		for (idx = 0; idx < npte; idx++)
			o->new[idx] = (struct hpt_oracle_hpte){
				0, 0, 0, HPT_ORACLE_NO_RECORD };
		rehash(&run);
	}
	if (o->rc) {
		free(o->new);
		o->new = NULL;
	}

	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_VA && !o->rec[k].fate)
			o->rec[k].fate = HPT_FATE_UNTOUCHED;
	rmap_after(&run);
	ret = 0;
out:
	free(run.harvest);
	free(run.unmapped);
	return ret;
}
