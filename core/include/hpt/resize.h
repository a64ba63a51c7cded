/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rehash, pivot and release: the body of an HPT resize commit.
 *
 * Where the original KVM-HV code stopped the host with BUG_ON, these
 * return errors instead, because every one of those conditions can be
 * reached from table contents a guest controls:
 *
 *   BUG_ON(vpte & HPT_V_VALID) after unmap       -> -EIO
 *   BUG_ON(!(vpte & HPT_V_ABSENT)) after unmap   -> -EIO
 *   BUG_ON(pteg != (hash & old_hash_mask))        -> -EIO (entry is not
 *     where the hardware would look for it; the port's secondary-group
 *     form of this check was wrong and fired for every secondary entry)
 *   BUG_ON(new->order >= old->order) on collision -> -ENOSPC (only a
 *     table holding unreachable entries can collide when growing)
 *   BUG_ON(kvm->arch.resize_hpt != resize) in release -> release only
 *     detaches a request that is no longer current
 *
 * Further errors: -EIO for an invalid page size encoding in V/R or V/guest
 * R, a reserved segment size (B = 2, 3) or a base page larger than its
 * segment; -EDEADLK where the platform reports an HVLOCK nobody can drop.
 */
#ifndef HPT_RESIZE_H
#define HPT_RESIZE_H

#include "vm.h"

int hpt_rehash_hpte(struct hpt_vm *vm, struct hpt_info *new, u64 idx);
int hpt_rehash(struct hpt_vm *vm, struct hpt_info *new);
void hpt_pivot(struct hpt_vm *vm, struct hpt_resize *resize);
void hpt_resize_release(struct hpt_vm *vm, struct hpt_resize *resize);

/*
 * Where a bolted entry (pre-3.0 layout) at old index idx goes in a table
 * of new_order: its recovered hash, masked, in the same slot.  Returns 0
 * with *new_idx set, or -EIO.
 */
int hpt_rehash_target(u32 old_order, u32 new_order, u64 idx, u64 v, u64 r,
		      u64 *new_idx);

#endif /* HPT_RESIZE_H */
