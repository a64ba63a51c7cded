/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An HPT and its reverse map, and the geometry derived from its order.
 */
#ifndef HPT_TABLE_H
#define HPT_TABLE_H

#include "hpte.h"

/* KVM-HV's per-HPTE bookkeeping: the guest's R and the rmap ring links */
struct hpt_rev {
	u64 guest_rpte;
	u32 forw;
	u32 back;
};

struct hpt_info {
	void *virt;		/* 2^order bytes of big-endian HPTEs */
	struct hpt_rev *rev;	/* one per HPTE */
	u32 order;
};

struct hpt_vm;

static inline bool hpt_order_valid(u64 order)
{
	return order >= HPT_MIN_ORDER && order <= HPT_MAX_ORDER;
}

static inline u64 hpt_order_npte(u32 order)
{
	return 1ULL << (order - 4);
}

static inline u64 hpt_order_nptegs(u32 order)
{
	return 1ULL << (order - 7);
}

static inline u64 hpt_order_hash_mask(u32 order)
{
	return hpt_order_nptegs(order) - 1;
}

static inline u64 hpt_npte(const struct hpt_info *hpt)
{
	return hpt_order_npte(hpt->order);
}

static inline u64 hpt_hash_mask(const struct hpt_info *hpt)
{
	return hpt_order_hash_mask(hpt->order);
}

static inline __be64 *hpt_hptep(const struct hpt_info *hpt, u64 idx)
{
	return (__be64 *)hpt->virt + 2 * idx;
}

/*
 * Allocate a zeroed table of the given order with its reverse map,
 * through the platform.  Returns 0, -EINVAL for an order outside
 * 18..46, or -ENOMEM.
 */
int hpt_table_alloc(struct hpt_vm *vm, struct hpt_info *hpt, u32 order);
void hpt_table_free(struct hpt_vm *vm, struct hpt_info *hpt);

/*
 * Read and write an entry in the pre-ISA-3.0 layout whatever layout the
 * table holds: ISA 3.0 tables are converted at this edge, as KVM does.
 */
void hpt_read_hpte(const struct hpt_vm *vm, const __be64 *hptep,
		   u64 *v, u64 *r);
void hpt_write_hpte(const struct hpt_vm *vm, __be64 *hptep, u64 v, u64 r);

/*
 * The first slot at or after idx whose entry is VALID or ABSENT, by an
 * unlocked read of its V word (either layout keeps those bits there), or
 * the number of slots.
 */
u64 hpt_next_used(const struct hpt_info *hpt, u64 idx);

#endif /* HPT_TABLE_H */
