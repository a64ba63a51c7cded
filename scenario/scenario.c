// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenario model: records in order, the doc's limits, equality and
 * the order cap the fuzz targets apply.
 */
#include "hpt/env.h"
#include "hpt/scenario.h"
#include "scn_spec.h"

void hpt_scn_init(struct hpt_scenario *s)
{
	/* Only the header and counts: the record array is used up to n */
	s->isa300 = false;
	s->old_order = SCN_MIN_ORDER;
	s->new_order = SCN_MIN_ORDER;
	s->nr_records = 0;
	s->nr_entries = 0;
	s->nr_memslots = 0;
}

bool hpt_scn_add(struct hpt_scenario *s, const struct hpt_scn_record *rec)
{
	if (rec->kind == HPT_SCN_MEMSLOT) {
		if (s->nr_memslots >= HPT_SCN_MAX_MEMSLOTS)
			return false;
		s->nr_memslots++;
	} else {
		if (s->nr_entries >= HPT_SCN_MAX_ENTRIES)
			return false;
		s->nr_entries++;
	}
	s->rec[s->nr_records++] = *rec;
	return true;
}

static bool va_equal(const struct hpt_scn_va *a, const struct hpt_scn_va *b)
{
	return a->seg == b->seg && a->page == b->page && a->slot == b->slot &&
	       a->bolted == b->bolted && a->valid == b->valid &&
	       a->secondary == b->secondary && a->rbits == b->rbits &&
	       a->host == b->host &&
	       a->vsid == b->vsid && a->ea == b->ea && a->rpn == b->rpn;
}

static bool record_equal(const struct hpt_scn_record *a,
			 const struct hpt_scn_record *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case HPT_SCN_VA:
		return va_equal(&a->va, &b->va);
	case HPT_SCN_RAW:
		return a->raw.index == b->raw.index && a->raw.v == b->raw.v &&
		       a->raw.r == b->raw.r &&
		       a->raw.guest_r == b->raw.guest_r;
	case HPT_SCN_MEMSLOT:
		return a->slot.base_gfn == b->slot.base_gfn &&
		       a->slot.npages == b->slot.npages;
	default:
		return false;
	}
}

/* Field by field: padding and unused union bytes are not part of it */
bool hpt_scn_equal(const struct hpt_scenario *a, const struct hpt_scenario *b)
{
	u32 i;

	if (a->isa300 != b->isa300 || a->old_order != b->old_order ||
	    a->new_order != b->new_order || a->nr_records != b->nr_records ||
	    a->nr_entries != b->nr_entries ||
	    a->nr_memslots != b->nr_memslots)
		return false;
	for (i = 0; i < a->nr_records; i++)
		if (!record_equal(&a->rec[i], &b->rec[i]))
			return false;
	return true;
}

u32 hpt_scn_fold_order(u32 order, u32 cap)
{
	if (cap < SCN_MIN_ORDER || order <= cap)
		return order;
	return SCN_MIN_ORDER +
	       (order - SCN_MIN_ORDER) % (cap - SCN_MIN_ORDER + 1);
}

/*
 * Raw indices were reduced modulo the old table's entry count when
 * decoded; a smaller old table reduces them again so they stay in it.
 */
void hpt_scn_cap_orders(struct hpt_scenario *s, u32 cap)
{
	u32 i;

	s->old_order = hpt_scn_fold_order(s->old_order, cap);
	s->new_order = hpt_scn_fold_order(s->new_order, cap);
	for (i = 0; i < s->nr_records; i++)
		if (s->rec[i].kind == HPT_SCN_RAW)
			s->rec[i].raw.index &= scn_order_npte(s->old_order) - 1;
}
