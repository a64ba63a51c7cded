/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the oracle's files: the layout of table words, written out
 * here from the spec rather than taken from the core's conversions.
 */
#ifndef HPT_ORACLE_INTERNAL_H
#define HPT_ORACLE_INTERNAL_H

#include "hpt/oracle.h"

#define ORACLE_USED	(HPT_V_VALID | HPT_V_ABSENT)

/* Pre-3.0 words as an ISA 3.0 table stores them: B moves to R 58..59 */
static inline void oracle_to_table(bool isa300, u64 v, u64 r, u64 *tv,
				   u64 *tr)
{
	if (!isa300) {
		*tv = v;
		*tr = r;
		return;
	}
	*tv = v & 0x000fffffffffffffULL;
	*tr = (r & ~(3ULL << 58)) | ((v >> 62) << 58);
}

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

int oracle_build_before(struct hpt_oracle *o, const struct hpt_scenario *s,
			const struct hpt_scn_placement *pl);
int oracle_predict_resize(struct hpt_oracle *o, const struct hpt_scenario *s,
			  u32 alloc_order);

#endif /* HPT_ORACLE_INTERNAL_H */
