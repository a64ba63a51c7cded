// SPDX-License-Identifier: GPL-2.0-only
/*
 * The old table as generation must have built it: raw words, then VA
 * entries placed by H_ENTER's rules (checked against the placement the
 * generator reported), and the rmap rings of VALID entries.
 */
#include <stdio.h>
#include <stdlib.h>

#include "oracle_internal.h"

static int placement_error(struct hpt_oracle *o, u32 k, u64 got, u64 want)
{
	snprintf(o->error, sizeof(o->error),
		 "record %u: generation placed it at 0x%llx, H_ENTER's rules "
		 "give 0x%llx", k, (unsigned long long)got,
		 (unsigned long long)want);
	return -EINVAL;
}

static int add_memslots(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl)
{
	struct hpt_oracle_memslot *slot;
	size_t words;
	u32 k;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_MEMSLOT)
			continue;
		if (pl->where[k] != o->nr_memslots)
			return placement_error(o, k, pl->where[k],
					       o->nr_memslots);
		slot = &o->slot[o->nr_memslots++];
		slot->base_gfn = s->rec[k].slot.base_gfn;
		slot->npages = s->rec[k].slot.npages;
		slot->rec = k;
		words = slot->npages ? slot->npages : 1;
		slot->before = calloc(words, sizeof(u64));
		slot->after = calloc(words, sizeof(u64));
		if (!slot->before || !slot->after)
			return -ENOMEM;
	}
	return 0;
}

/* H_ENTER: the exact slot if unused, else the lowest unused one */
static u64 h_enter(const struct hpt_oracle *o, const struct hpt_scn_va *va,
		   u64 hash)
{
	u64 mask = hpt_order_hash_mask(o->old_order);
	u64 group = (va->secondary ? ~hash : hash) & mask;
	u64 idx = group * HPT_HPTES_PER_GROUP;
	unsigned int slot;

	if (va->slot < HPT_HPTES_PER_GROUP)
		return (o->before[idx + va->slot].v & ORACLE_USED) ?
		       HPT_ORACLE_NO_INDEX : idx + va->slot;
	for (slot = 0; slot < HPT_HPTES_PER_GROUP; slot++)
		if (!(o->before[idx + slot].v & ORACLE_USED))
			return idx + slot;
	return HPT_ORACLE_NO_INDEX;
}

static int add_va(struct hpt_oracle *o, const struct hpt_scn_va *va, u32 k,
		  u64 where)
{
	struct hpt_oracle_record *rec = &o->rec[k];
	struct hpt_oracle_hpte *e;
	u64 idx, placed;

	rec->hash = hpt_scn_va_hash(va);
	idx = h_enter(o, va, rec->hash);
	if (where != idx)
		return placement_error(o, k, where, idx);
	rec->old_idx = idx;
	if (idx == HPT_ORACLE_NO_INDEX) {
		rec->fate = HPT_FATE_NOT_PLACED;
		return 0;
	}
	placed = va->secondary ? ~rec->hash : rec->hash;
	rec->new_idx = (placed & hpt_order_hash_mask(o->new_order)) *
		       HPT_HPTES_PER_GROUP + idx % HPT_HPTES_PER_GROUP;

	e = &o->before[idx];
	oracle_to_table(o->isa300, hpt_scn_va_v(va), hpt_scn_va_hw_r(va),
			&e->v, &e->r);
	e->guest_r = hpt_scn_va_guest_r(va);
	e->rec = k;
	return 0;
}

/* First memslot holding the frame, as the memslot lookup does */
static struct hpt_oracle_memslot *find_slot(struct hpt_oracle *o, u64 gfn,
					    u64 **before, u64 **after)
{
	u32 m;

	for (m = 0; m < o->nr_memslots; m++) {
		struct hpt_oracle_memslot *slot = &o->slot[m];

		if (gfn >= slot->base_gfn && gfn - slot->base_gfn < slot->npages) {
			*before = &slot->before[gfn - slot->base_gfn];
			*after = &slot->after[gfn - slot->base_gfn];
			return slot;
		}
	}
	return NULL;
}

/*
 * VALID entries join their frame's ring in record order, at the tail, so
 * the rmap word names the first of them.
 */
static void link_rings(struct hpt_oracle *o, const struct hpt_scenario *s)
{
	const struct hpt_scn_va *va;
	u64 *before, *after;
	u32 k;

	for (k = 0; k < s->nr_records; k++) {
		va = &s->rec[k].va;
		if (s->rec[k].kind != HPT_SCN_VA || !va->valid ||
		    o->rec[k].old_idx == HPT_ORACLE_NO_INDEX)
			continue;
		if (!find_slot(o, va->rpn, &before, &after))
			continue;
		if (!(*before & HPT_RMAP_PRESENT))
			*before = HPT_RMAP_PRESENT | o->rec[k].old_idx;
	}
}

static void check_predictable(struct hpt_oracle *o,
			      const struct hpt_scenario *s)
{
	u64 idx, npte = hpt_order_npte(o->old_order);
	u32 k;

	o->predictable = true;
	o->raw_rec = HPT_ORACLE_NO_RECORD;
	for (idx = 0; idx < npte; idx++) {
		k = o->before[idx].rec;
		if (k == HPT_ORACLE_NO_RECORD ||
		    s->rec[k].kind != HPT_SCN_RAW ||
		    !(o->before[idx].v & ORACLE_USED))
			continue;
		o->predictable = false;
		if (k < o->raw_rec)
			o->raw_rec = k;
	}
}

int oracle_build_before(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl)
{
	u64 idx, npte = hpt_order_npte(o->old_order);
	const struct hpt_scn_record *rec;
	int ret;
	u32 k;

	o->before = malloc(npte * sizeof(*o->before));
	if (!o->before)
		return -ENOMEM;
	for (idx = 0; idx < npte; idx++)
		o->before[idx] = (struct hpt_oracle_hpte){
			0, 0, 0, HPT_ORACLE_NO_RECORD };

	ret = add_memslots(o, s, pl);
	if (ret)
		return ret;

	/* Raw words first, each over the previous one at its index */
	for (k = 0; k < s->nr_records; k++) {
		rec = &s->rec[k];
		if (rec->kind != HPT_SCN_RAW)
			continue;
		idx = rec->raw.index & (npte - 1);
		if (pl->where[k] != idx)
			return placement_error(o, k, pl->where[k], idx);
		o->rec[k].old_idx = idx;
		o->before[idx] = (struct hpt_oracle_hpte){
			rec->raw.v, rec->raw.r, rec->raw.guest_r, k };
	}
	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA)
			continue;
		ret = add_va(o, &s->rec[k].va, k, pl->where[k]);
		if (ret)
			return ret;
	}
	link_rings(o, s);
	check_predictable(o, s);
	return 0;
}
