/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The all-orders check: one implementation's own per-entry rehash
 * (struct hpt_impl.rehash_entry) of each entry of a small VA scenario,
 * old and new tables of any orders 18..46 mapped lazily, judged
 * against the oracle: return code per entry, the entry's words at the
 * index its VA hashes to (oracle/place.c), nothing else in its group or
 * in the groups a single wrong hash bit would pick, the old entry and
 * the rmap words as the oracle predicts them.  Shared by the all_orders
 * fuzz target and the directed tests of tests/scenario/test_all_orders.c.
 */
#ifndef HPT_ALL_ORDERS_CHECK_H
#define HPT_ALL_ORDERS_CHECK_H

#include "hpt/harness.h"

/*
 * The largest order both tables reach: all of PAPR's range.  Above
 * order 44 the four regions share one reservation (all_orders_map.h).
 */
#define AO_MAX_ORDER	46

/* The largest order <= max whose tables map here (0: none) */
u32 ao_max_mappable(u32 max);

enum ao_verdict {
	AO_AGREE,
	AO_DIVERGE,	/* the implementation differs from the oracle */
	AO_ERROR,	/* could not run, or the oracle differs from itself */
};

/*
 * Rehash s's old table entry by entry, in index order, with impl into
 * a new table, as a resize would; s holds VA entries and memslots only.
 * The message (always set but for AO_AGREE) names the implementation,
 * the orders, the VA and the indices.
 */
enum ao_verdict ao_check(const struct hpt_impl *impl,
			 const struct hpt_scenario *s, char *msg, size_t len);

/*
 * What the last ao_check() did: entries rehashed, placed in the new
 * table; and where it diverged: what differed ("rc", "crash", "hang",
 * "new", "old", "rmap", "platform"), the record and the old, expected
 * and actual index, each HPT_ORACLE_NO_RECORD / NO_INDEX where none.
 */
struct ao_stats {
	u32 rehashed, moved;
	const char *what;
	u32 rec;
	u64 old_idx, exp_idx, act_idx;
};

extern struct ao_stats ao_last;

#endif /* HPT_ALL_ORDERS_CHECK_H */
