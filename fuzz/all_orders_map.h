/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tables of any order 18..46 for the all-orders check, mapped lazily
 * (anonymous MAP_NORESERVE memory: a table costs the pages touched).
 *
 * A table and its revmap of order N take 2^N bytes each, so a pair of
 * tables takes 2^(N+2); x86-64 gives user space 2^47 bytes.  Up to order
 * 44 the four regions are mapped apart.  Above, they cannot be: the four
 * share one reservation of the largest order, each at its own page
 * offset, chosen so that the pages the check touches in one never are
 * pages it touches in another.  The caller names those pages by the
 * HPTE indices it will touch (old entries, new groups).
 */
#ifndef HPT_ALL_ORDERS_MAP_H
#define HPT_ALL_ORDERS_MAP_H

#include "hpt/harness.h"

/* Apart at orders up to this; above, sharing one reservation */
#define AO_APART_MAX_ORDER	44

/* HPTE indices the check touches, as 128-byte groups */
#define AO_MAX_GROUPS		512

struct ao_touch {
	u64 old_group[AO_MAX_GROUPS], new_group[AO_MAX_GROUPS];
	u32 nr_old, nr_new;
};

struct ao_tables {
	void *old_virt, *new_virt;
	struct hpt_rev *old_rev, *new_rev;
	u32 old_order, new_order;
	/* The reservation the four share, or NULL where each has its own */
	void *shared;
	size_t shared_len;
};

/* Note a group of either table; -E2BIG past AO_MAX_GROUPS */
int ao_touch_old(struct ao_touch *w, u64 group);
int ao_touch_new(struct ao_touch *w, u64 group);

/* Map tables for the orders given; 0 or -ENOMEM (nothing left mapped) */
int ao_map(struct ao_tables *t, u32 old_order, u32 new_order,
	   const struct ao_touch *w);
void ao_unmap(struct ao_tables *t);

#endif /* HPT_ALL_ORDERS_MAP_H */
