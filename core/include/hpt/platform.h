/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hooks every platform implements.  The core calls these for everything
 * that is not pure logic, so a host build can record and check each call
 * (an unmap per VALID entry, every lock released, which table is active)
 * and the kernel build can map them onto KVM's own primitives.
 */
#ifndef HPT_PLATFORM_H
#define HPT_PLATFORM_H

#include "vm.h"

/* Memory: zeroed allocations; NULL on failure */
void *hpt_plat_kzalloc(size_t size);
void hpt_plat_kfree(void *p);
void *hpt_plat_alloc_table(struct hpt_vm *vm, u32 order);
void hpt_plat_free_table(struct hpt_vm *vm, void *virt, u32 order);
struct hpt_rev *hpt_plat_alloc_rev(struct hpt_vm *vm, u64 npte);
void hpt_plat_free_rev(struct hpt_vm *vm, struct hpt_rev *rev, u64 npte);
struct hpt_resize *hpt_plat_alloc_resize(struct hpt_vm *vm);
void hpt_plat_free_resize(struct hpt_vm *vm, struct hpt_resize *resize);

/*
 * HVLOCK: take the entry's lock bit (acquire).  Returns 0, or -EDEADLK
 * where the platform knows nobody can ever release it (a single-threaded
 * host run meeting a lock bit already set in the table).
 */
int hpt_plat_lock_hpte(struct hpt_vm *vm, __be64 *hptep);
/* Store V (pre-3.0 or 3.0 word as held in memory) with HVLOCK clear */
void hpt_plat_unlock_hpte(struct hpt_vm *vm, __be64 *hptep, u64 v_raw);

/*
 * Unmap a VALID entry as kvmppc_unmap_hpte does: take it out of the rmap
 * ring of its frame (if a memslot backs gfn), harvest R/C, invalidate the
 * translation, clear VALID and set ABSENT.
 */
void hpt_plat_unmap_hpte(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			 u64 gfn);

/* The rmap word's lock bit, around changes to a frame's ring */
void hpt_plat_lock_rmap(struct hpt_vm *vm, u64 *rmapp);
void hpt_plat_unlock_rmap(struct hpt_vm *vm, u64 *rmapp);

/* Ordering */
void hpt_plat_ptesync(struct hpt_vm *vm);

/* Locks: the mutex around the protocol, the spinlock around the MMU */
void hpt_plat_setup_lock(struct hpt_vm *vm);
void hpt_plat_setup_unlock(struct hpt_vm *vm);
void hpt_plat_mmu_lock(struct hpt_vm *vm);
void hpt_plat_mmu_unlock(struct hpt_vm *vm);

/* Stop the vcpus (they re-read mmu_ready) and let them run again */
void hpt_plat_stop_guest(struct hpt_vm *vm);
void hpt_plat_resume_guest(struct hpt_vm *vm);

/* Make the hardware use vm->hpt: SDR1, and the partition table on 3.0 */
void hpt_plat_activate_hpt(struct hpt_vm *vm);
void hpt_plat_update_partition_table(struct hpt_vm *vm);
/* Wait until no reader can still see the previous table */
void hpt_plat_sync_readers(struct hpt_vm *vm);

/* Queue the allocation work of a prepare; it ends in hpt_resize_work() */
void hpt_plat_schedule_work(struct hpt_vm *vm, struct hpt_resize *resize);

#endif /* HPT_PLATFORM_H */
