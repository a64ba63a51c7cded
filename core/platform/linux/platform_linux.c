// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel implementation of the platform hooks, for the test module: the
 * core runs on private tables, so unmap uses the rmap model rather than
 * KVM's, and "activating" a table only records it.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "hpt/model.h"
#include "hpt/platform.h"
#include "hpt/protocol.h"

/* A lock bit still held after this many tries means nobody will drop it */
#define HPT_LOCK_SPIN_LIMIT	(1UL << 20)

void *hpt_plat_kzalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void hpt_plat_kfree(void *p)
{
	kvfree(p);
}

void *hpt_plat_alloc_table(struct hpt_vm *vm, u32 order)
{
	void *virt = kvzalloc((size_t)1 << order, GFP_KERNEL | __GFP_NOWARN);

	if (virt)
		vm->plat.live_tables++;
	return virt;
}

void hpt_plat_free_table(struct hpt_vm *vm, void *virt, u32 order)
{
	if (virt == vm->plat.active_table ||
	    (vm->isa300 && virt == vm->plat.partition_table))
		vm->plat.violations++;
	vm->plat.live_tables--;
	if (vm->plat.keep_freed && !vm->plat.freed_table) {
		vm->plat.freed_table = virt;
		vm->plat.freed_order = order;
		return;
	}
	kvfree(virt);
}

struct hpt_rev *hpt_plat_alloc_rev(struct hpt_vm *vm, u64 npte)
{
	struct hpt_rev *rev = kvcalloc(npte, sizeof(*rev), GFP_KERNEL);

	if (rev)
		vm->plat.live_revs++;
	return rev;
}

void hpt_plat_free_rev(struct hpt_vm *vm, struct hpt_rev *rev, u64 npte)
{
	vm->plat.live_revs--;
	if (vm->plat.keep_freed && !vm->plat.freed_rev) {
		vm->plat.freed_rev = rev;
		return;
	}
	kvfree(rev);
}

struct hpt_resize *hpt_plat_alloc_resize(struct hpt_vm *vm)
{
	struct hpt_resize *resize = kzalloc(sizeof(*resize), GFP_KERNEL);

	if (resize)
		vm->plat.live_resizes++;
	return resize;
}

void hpt_plat_free_resize(struct hpt_vm *vm, struct hpt_resize *resize)
{
	vm->plat.live_resizes--;
	kfree(resize);
}

int hpt_plat_lock_hpte(struct hpt_vm *vm, __be64 *hptep)
{
	__be64 lock = cpu_to_be64(HPT_V_HVLOCK);
	unsigned long spins;

	for (spins = 0; spins < HPT_LOCK_SPIN_LIMIT; spins++) {
		__be64 old = READ_ONCE(*hptep);

		/* cmpxchg is a full barrier: acquire semantics included */
		if (!(old & lock) && cmpxchg(hptep, old, old | lock) == old) {
			vm->plat.hpte_locks_held++;
			return 0;
		}
		cpu_relax();
	}
	return -EDEADLK;
}

void hpt_plat_unlock_hpte(struct hpt_vm *vm, __be64 *hptep, u64 v_raw)
{
	vm->plat.hpte_locks_held--;
	/* Release: every update made under the lock is seen before it drops */
	smp_store_release(hptep, cpu_to_be64(v_raw & ~HPT_V_HVLOCK));
}

void hpt_plat_lock_rmap(struct hpt_vm *vm, u64 *rmapp)
{
	while (test_and_set_bit_lock(HPT_RMAP_LOCK_BIT, (unsigned long *)rmapp))
		cpu_relax();
}

void hpt_plat_unlock_rmap(struct hpt_vm *vm, u64 *rmapp)
{
	clear_bit_unlock(HPT_RMAP_LOCK_BIT, (unsigned long *)rmapp);
}

void hpt_plat_unmap_hpte(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			 u64 gfn)
{
	struct hpt_plat_unmap *ev;

	if (vm->plat.unmap_log && vm->plat.unmaps < vm->plat.unmap_log_cap) {
		ev = &vm->plat.unmap_log[vm->plat.unmaps];
		ev->idx = idx;
		ev->gfn = gfn;
		ev->table = hpt->virt;
	}
	vm->plat.unmaps++;
	hpt_model_unmap_hpte(vm, hpt, idx, gfn);
}

void hpt_plat_ptesync(struct hpt_vm *vm)
{
#ifdef CONFIG_PPC64
	asm volatile("ptesync" : : : "memory");
#else
	/* Elsewhere a full barrier orders the table updates before the swap */
	mb();
#endif
}

void hpt_plat_setup_lock(struct hpt_vm *vm)
{
	mutex_lock(&vm->plat.setup_lock);
}

void hpt_plat_setup_unlock(struct hpt_vm *vm)
{
	mutex_unlock(&vm->plat.setup_lock);
}

void hpt_plat_mmu_lock(struct hpt_vm *vm)
{
	spin_lock(&vm->plat.mmu_lock);
}

void hpt_plat_mmu_unlock(struct hpt_vm *vm)
{
	spin_unlock(&vm->plat.mmu_lock);
}

/* The private guest has no vcpus to stop */
void hpt_plat_stop_guest(struct hpt_vm *vm)
{
}

void hpt_plat_resume_guest(struct hpt_vm *vm)
{
}

void hpt_plat_activate_hpt(struct hpt_vm *vm)
{
	vm->plat.active_table = vm->hpt.virt;
}

void hpt_plat_update_partition_table(struct hpt_vm *vm)
{
	vm->plat.partition_table = vm->hpt.virt;
}

void hpt_plat_sync_readers(struct hpt_vm *vm)
{
	synchronize_rcu();
}

static void hpt_plat_work_fn(struct work_struct *work)
{
	struct hpt_resize *resize = container_of(work, struct hpt_resize,
						 work.work);

	hpt_resize_work(resize);
}

void hpt_plat_schedule_work(struct hpt_vm *vm, struct hpt_resize *resize)
{
	INIT_WORK(&resize->work.work, hpt_plat_work_fn);
	schedule_work(&resize->work.work);
}
