/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the oracle's files: sparse tables, the steps of a
 * prediction, and the format from oracle_spec.h.
 */
#ifndef HPT_ORACLE_INTERNAL_H
#define HPT_ORACLE_INTERNAL_H

#include "oracle_spec.h"

/* Building a sparse table: entries by index through a hash index */
struct table_builder {
	struct hpt_oracle_table *t;
	u32 *slots;		/* entry number + 1, 0 when empty */
	u32 bits, cap;
};

int table_builder_init(struct table_builder *b, struct hpt_oracle_table *t,
		       u32 order, u32 max_entries);
struct hpt_oracle_hpte *table_find(struct table_builder *b, u64 idx);
/* The entry at idx, added (zero, no record) if the table lacks it */
struct hpt_oracle_hpte *table_get(struct table_builder *b, u64 idx);
/* Sort by index; the builder's index is gone */
void table_builder_finish(struct table_builder *b);

/*
 * explain.c: whether a VA explains the raw words (table layout) at idx
 * of o's old table: HPT_UNEXPL_NONE with its hash and its index after
 * the rehash, or why not (enum hpt_oracle_unexplained)
 */
u8 oracle_explain(const struct hpt_oracle *o, u64 idx, u64 tv, u64 tr,
		  u64 guest_r, u64 *hash, u64 *new_idx);

/*
 * va_words.c: a VA record's V, guest R and hardware R, in the guest
 * (pre-3.0) layout
 */
void oracle_va_words(const struct hpt_scn_va *va, u64 *v, u64 *guest_r,
		     u64 *hw_r);

/* The frame a used entry names, whatever its record: ~0 if none */
u64 oracle_entry_gfn(const struct hpt_oracle *o,
		     const struct hpt_oracle_hpte *e);
/* The memslot holding a frame, HPT_SCN_MAX_MEMSLOTS if none */
u32 oracle_find_slot(const struct hpt_oracle *o, u64 gfn);
struct hpt_oracle_rmap *oracle_find_rmap(struct hpt_oracle *o, u32 slot,
					 u64 gfn);

int oracle_build_before(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl);
/*
 * The resize in scan order.  stop_at: HPT_ORACLE_NO_INDEX to let it run
 * as a correct resize must, assuming an entry judged by rules neither
 * stops it nor takes a slot; else the index it stopped at with stop_rc.
 */
int oracle_predict_resize(struct hpt_oracle *o, const struct hpt_scenario *s,
			  u32 alloc_order, u64 stop_at, int stop_rc);

#endif /* HPT_ORACLE_INTERNAL_H */
