// SPDX-License-Identifier: GPL-2.0-only
/*
 * The old table as generation must have built it: raw words, then VA
 * entries placed by H_ENTER's rules (checked against the placement the
 * generator reported), the rmap rings of VALID entries, and for each raw
 * entry a slot holds, the VA that explains it (explain.c) or why none.
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

	return e && (e->v & OS_V_USED);
}

/* H_ENTER: the exact slot if unused, else the lowest unused one */
static u64 h_enter(struct table_builder *b, const struct hpt_scn_va *va,
		   u64 hash)
{
	u64 mask = os_group_mask(b->t->order);
	u64 idx = ((va->secondary ? ~hash : hash) & mask) * OS_PER_GROUP;
	unsigned int slot;

	if (va->slot < OS_PER_GROUP)
		return used(b, idx + va->slot) ? HPT_ORACLE_NO_INDEX :
		       idx + va->slot;
	for (slot = 0; slot < OS_PER_GROUP; slot++)
		if (!used(b, idx + slot))
			return idx + slot;
	return HPT_ORACLE_NO_INDEX;
}

static int add_va(struct hpt_oracle *o, struct table_builder *b,
		  const struct hpt_scn_va *va, u32 k, u64 where)
{
	struct hpt_oracle_record *rec = &o->rec[k];
	struct hpt_oracle_hpte *e;
	u64 idx, placed, v, r;

	rec->hash = os_hash(va->seg, va->vsid,
			    va->ea >> os_scn_base_shift(va->page));
	idx = h_enter(b, va, rec->hash);
	if (where != idx)
		return placement_error(o, k, where, idx);
	rec->old_idx = idx;
	if (idx == HPT_ORACLE_NO_INDEX) {
		rec->fate = HPT_FATE_NOT_PLACED;
		return 0;
	}
	placed = va->secondary ? ~rec->hash : rec->hash;
	rec->new_idx = (placed & os_group_mask(o->new_order)) * OS_PER_GROUP +
		       idx % OS_PER_GROUP;

	e = table_get(b, idx);
	oracle_va_words(va, &v, &e->guest_r, &r);
	os_to_table(o->isa300, v, r, &e->v, &e->r);
	e->rec = k;
	return 0;
}

static int build_table(struct hpt_oracle *o, const struct hpt_scenario *s,
		       const struct hpt_scn_placement *pl)
{
	u64 idx, npte = os_npte(o->old_order);
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
u32 oracle_find_slot(const struct hpt_oracle *o, u64 gfn)
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

/* From the words: the guest R at the actual page size */
u64 oracle_entry_gfn(const struct hpt_oracle *o,
		     const struct hpt_oracle_hpte *e)
{
	u32 base, actual;
	u64 v, r;

	os_from_table(o->isa300, e->v, e->r, &v, &r);
	os_page_shifts(v, e->guest_r, &base, &actual);
	return actual ? os_gfn(e->guest_r, actual) : ~0ULL;
}

/*
 * VALID entries join their frame's ring in record order, at the tail, so
 * the rmap word names the first of them.  Raw entries join no ring, but
 * unmapping a VALID one still writes its frame's rmap word: that word is
 * listed too.  One rmap record per frame.
 */
static int link_rings(struct hpt_oracle *o, const struct hpt_scenario *s)
{
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle_rmap *m;
	u32 i, slot, n = 0;
	u64 gfn;

	o->rmaps = calloc(o->before.n + 1, sizeof(*o->rmaps));
	if (!o->rmaps)
		return -ENOMEM;
	for (i = 0; i < o->before.n; i++) {
		e = &o->before.e[i];
		if (!(e->v & OS_V_VALID) || e->rec == HPT_ORACLE_NO_RECORD)
			continue;
		gfn = oracle_entry_gfn(o, e);
		slot = gfn == ~0ULL ? HPT_SCN_MAX_MEMSLOTS :
		       oracle_find_slot(o, gfn);
		if (slot == HPT_SCN_MAX_MEMSLOTS)
			continue;
		o->rmaps[n].slot = slot;
		o->rmaps[n].gfn = gfn;
		o->rmaps[n].head_before = s->rec[e->rec].kind == HPT_SCN_VA ?
					  e->rec : HPT_ORACLE_NO_RECORD;
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
		m->before = m->head_before == HPT_ORACLE_NO_RECORD ? 0 :
			    OS_RMAP_PRESENT | o->rec[m->head_before].old_idx;
		m->after = m->before;
	}
	return 0;
}

/* Each raw entry a slot holds: the VA explaining it, or why none does */
static void explain_raw(struct hpt_oracle *o, const struct hpt_scenario *s)
{
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle_record *rec;
	u32 i;

	for (i = 0; i < o->before.n; i++) {
		e = &o->before.e[i];
		if (!(e->v & OS_V_USED) || s->rec[e->rec].kind != HPT_SCN_RAW)
			continue;
		rec = &o->rec[e->rec];
		rec->unexplained = oracle_explain(o, e->idx, e->v, e->r,
						  e->guest_r, &rec->hash,
						  &rec->new_idx);
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
		explain_raw(o, s);
	if (!ret)
		ret = link_rings(o, s);
	return ret;
}
