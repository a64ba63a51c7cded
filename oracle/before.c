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
		 "record %u: generation placed it at 0x%llx, H_ENTER's rules give 0x%llx", k, (unsigned long long)got,
		 (unsigned long long)want);
	return -EINVAL;
}

static int add_memslots(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl)
{
	struct hpt_oracle_memslot *slot;
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
	}
	return 0;
}

static bool used(struct table_builder *b, u64 idx)
{
	const struct hpt_oracle_hpte *e = table_find(b, idx);

	return e && (e->v & ORACLE_USED);
}

/* H_ENTER: the exact slot if unused, else the lowest unused one */
static u64 h_enter(struct table_builder *b, const struct hpt_scn_va *va,
		   u64 hash)
{
	u64 mask = hpt_order_hash_mask(b->t->order);
	u64 idx = ((va->secondary ? ~hash : hash) & mask) *
		  HPT_HPTES_PER_GROUP;
	unsigned int slot;

	if (va->slot < HPT_HPTES_PER_GROUP)
		return used(b, idx + va->slot) ? HPT_ORACLE_NO_INDEX :
		       idx + va->slot;
	for (slot = 0; slot < HPT_HPTES_PER_GROUP; slot++)
		if (!used(b, idx + slot))
			return idx + slot;
	return HPT_ORACLE_NO_INDEX;
}

static int add_va(struct hpt_oracle *o, struct table_builder *b,
		  const struct hpt_scn_va *va, u32 k, u64 where)
{
	struct hpt_oracle_record *rec = &o->rec[k];
	struct hpt_oracle_hpte *e;
	u64 idx, placed;

	rec->hash = hpt_scn_va_hash(va);
	idx = h_enter(b, va, rec->hash);
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

	e = table_get(b, idx);
	oracle_to_table(o->isa300, hpt_scn_va_v(va), hpt_scn_va_hw_r(va),
			&e->v, &e->r);
	e->guest_r = hpt_scn_va_guest_r(va);
	e->rec = k;
	return 0;
}

static int build_table(struct hpt_oracle *o, const struct hpt_scenario *s,
		       const struct hpt_scn_placement *pl)
{
	u64 idx, npte = hpt_order_npte(o->old_order);
	const struct hpt_scn_record *rec;
	struct table_builder b;
	struct hpt_oracle_hpte *e;
	int ret;
	u32 k;

	ret = table_builder_init(&b, &o->before, o->old_order,
				 s->nr_records);
	if (ret)
		return ret;

	/* Raw words first, each over the previous one at its index */
	for (k = 0; k < s->nr_records && !ret; k++) {
		rec = &s->rec[k];
		if (rec->kind != HPT_SCN_RAW)
			continue;
		idx = rec->raw.index & (npte - 1);
		if (pl->where[k] != idx) {
			ret = placement_error(o, k, pl->where[k], idx);
			break;
		}
		o->rec[k].old_idx = idx;
		e = table_get(&b, idx);
		e->v = rec->raw.v;
		e->r = rec->raw.r;
		e->guest_r = rec->raw.guest_r;
		e->rec = k;
	}
	for (k = 0; k < s->nr_records && !ret; k++)
		if (s->rec[k].kind == HPT_SCN_VA)
			ret = add_va(o, &b, &s->rec[k].va, k, pl->where[k]);
	table_builder_finish(&b);
	return ret;
}

/* First memslot holding the frame, as the memslot lookup does */
static u32 find_slot(const struct hpt_oracle *o, u64 gfn)
{
	u32 m;

	for (m = 0; m < o->nr_memslots; m++)
		if (gfn >= o->slot[m].base_gfn &&
		    gfn - o->slot[m].base_gfn < o->slot[m].npages)
			return m;
	return HPT_SCN_MAX_MEMSLOTS;
}

static int by_slot_gfn(const void *a, const void *b)
{
	const struct hpt_oracle_rmap *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->gfn < y->gfn ? -1 : x->gfn > y->gfn;
}

/*
 * VALID entries join their frame's ring in record order, at the tail, so
 * the rmap word names the first of them.  One rmap record per frame.
 */
static int link_rings(struct hpt_oracle *o, const struct hpt_scenario *s)
{
	const struct hpt_scn_va *va;
	struct hpt_oracle_rmap *m;
	u32 k, slot, i, n = 0;

	o->rmaps = calloc(s->nr_records + 1, sizeof(*o->rmaps));
	if (!o->rmaps)
		return -ENOMEM;
	for (k = 0; k < s->nr_records; k++) {
		va = &s->rec[k].va;
		if (s->rec[k].kind != HPT_SCN_VA || !va->valid ||
		    o->rec[k].old_idx == HPT_ORACLE_NO_INDEX)
			continue;
		slot = find_slot(o, va->rpn);
		if (slot == HPT_SCN_MAX_MEMSLOTS)
			continue;
		o->rmaps[n].slot = slot;
		o->rmaps[n].gfn = va->rpn;
		o->rmaps[n].head_before = k;
		n++;
	}
	/* Record order breaks ties: the first linked heads the ring */
	qsort(o->rmaps, n, sizeof(*o->rmaps), by_slot_gfn);
	for (i = 0, o->nr_rmaps = 0; i < n; i++) {
		if (o->nr_rmaps &&
		    !by_slot_gfn(&o->rmaps[o->nr_rmaps - 1], &o->rmaps[i])) {
			m = &o->rmaps[o->nr_rmaps - 1];
			if (o->rmaps[i].head_before < m->head_before)
				m->head_before = o->rmaps[i].head_before;
			continue;
		}
		o->rmaps[o->nr_rmaps++] = o->rmaps[i];
	}
	for (i = 0; i < o->nr_rmaps; i++) {
		m = &o->rmaps[i];
		m->before = HPT_RMAP_PRESENT | o->rec[m->head_before].old_idx;
		m->after = m->before;
	}
	return 0;
}

static void check_predictable(struct hpt_oracle *o,
			      const struct hpt_scenario *s)
{
	const struct hpt_oracle_hpte *e;
	u32 i;

	o->predictable = true;
	o->raw_rec = HPT_ORACLE_NO_RECORD;
	o->rules_idx = HPT_ORACLE_NO_INDEX;
	for (i = 0; i < o->before.n; i++) {
		e = &o->before.e[i];
		if (!(e->v & ORACLE_USED))
			continue;
		if (s->rec[e->rec].kind != HPT_SCN_RAW) {
			o->rec[e->rec].judged = HPT_JUDGED_EXACT;
			o->nr_exact++;
			continue;
		}
		o->rec[e->rec].judged = HPT_JUDGED_RULES;
		o->nr_rules++;
		o->predictable = false;
		if (e->idx < o->rules_idx) {
			o->rules_idx = e->idx;
			o->raw_rec = e->rec;
		}
	}
}

int oracle_build_before(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl)
{
	int ret;

	ret = add_memslots(o, s, pl);
	if (!ret)
		ret = build_table(o, s, pl);
	if (!ret)
		ret = link_rings(o, s);
	if (!ret)
		check_predictable(o, s);
	return ret;
}
