// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core in the kernel: build the old table a scenario describes with
 * the scenario code, resize it through the PAPR protocol with the prepare
 * work on the system workqueue, and report everything the host's harness
 * collects from its own platform: return code, both tables, the unmaps
 * in order, the rmap words and the platform's bookkeeping.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hpt/protocol.h"
#include "kmod.h"

/* A prepare still busy after this long is reported, not waited for */
#define HK_PREPARE_TIMEOUT_MS	10000

struct hpt_vm *hk_vm_alloc(bool isa300, u32 order)
{
	struct hpt_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (!vm)
		return NULL;
	mutex_init(&vm->plat.setup_lock);
	spin_lock_init(&vm->plat.mmu_lock);
	vm->isa300 = isa300;
	vm->resize_enabled = true;
	vm->mmu_ready = true;
	if (hpt_table_alloc(vm, &vm->hpt, order)) {
		kfree(vm);
		return NULL;
	}
	vm->plat.active_table = vm->hpt.virt;
	if (vm->isa300)
		vm->plat.partition_table = vm->hpt.virt;
	return vm;
}

void hk_vm_free(struct hpt_vm *vm)
{
	if (!vm)
		return;
	hpt_resize_cancel(vm);
	hpt_table_free(vm, &vm->hpt);
	hpt_scn_free_memslots(vm);
	kvfree(vm->plat.freed_table);
	kvfree(vm->plat.freed_rev);
	kvfree(vm->plat.unmap_log);
	kfree(vm);
}

long hk_resize(struct hpt_vm *vm, u32 order)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(HK_PREPARE_TIMEOUT_MS);
	long ret;

	ret = hpt_resize_prepare(vm, 0, order);
	if (ret < 0)
		return ret;
	do {
		usleep_range(100, 200);
		ret = hpt_resize_prepare(vm, 0, order);
	} while (ret > 0 && time_before(jiffies, deadline));
	if (ret)
		return ret > 0 ? -EBUSY : ret;
	return hpt_resize_commit(vm, 0, order);
}

static const char *hk_which(const struct hpt_vm *vm, const void *table,
			    const void *old)
{
	if (!table)
		return "none";
	if (table == vm->hpt.virt)
		return "current";
	return table == old ? "old" : "other";
}

/* Every entry with a nonzero word or revmap field */
static void hk_dump_table(struct hk_report *rep, const char *tag,
			  const void *virt, const struct hpt_rev *rev,
			  u32 order)
{
	const __be64 *w = virt;
	u64 idx, v, r, npte = hpt_order_npte(order);

	for (idx = 0; idx < npte; idx++) {
		v = hpt_load_be64(&w[2 * idx]);
		r = hpt_load_be64(&w[2 * idx + 1]);
		if (!v && !r && !rev[idx].guest_rpte && !rev[idx].forw &&
		    !rev[idx].back)
			continue;
		hk_printf(rep, "HPTK %s idx=0x%llx v=0x%llx r=0x%llx gr=0x%llx f=0x%x b=0x%x\n",
			  tag, idx, v, r, rev[idx].guest_rpte, rev[idx].forw,
			  rev[idx].back);
		if (!(idx & 0xffff))
			cond_resched();
	}
}

static void hk_dump_rmaps(struct hk_report *rep, const struct hpt_vm *vm)
{
	const struct hpt_memslot *slot;
	u32 m;
	u64 n;

	for (m = 0; m < vm->nr_memslots; m++) {
		slot = &vm->memslots[m];
		for (n = 0; n < slot->npages; n++)
			if (slot->rmap[n])
				hk_printf(rep, "HPTK core-rmap slot=%u gfn=0x%llx word=0x%llx\n",
					  m, slot->base_gfn + n,
					  slot->rmap[n]);
	}
}

void hk_run_core(const struct hpt_scenario *s, u32 index,
		 struct hk_report *rep)
{
	struct hpt_scn_placement *pl = kvzalloc(sizeof(*pl), GFP_KERNEL);
	struct hpt_vm *vm = hk_vm_alloc(s->isa300, s->old_order);
	const void *old_virt;
	const struct hpt_rev *old_rev;
	const struct hpt_plat_unmap *ev;
	unsigned long i;
	bool switched;
	u64 t0, ns;
	long rc;
	int ret;

	if (!pl || !vm) {
		hk_printf(rep, "HPTK core index=%u error=no-memory\n", index);
		goto out;
	}
	vm->plat.unmap_log_cap = HPT_SCN_MAX_ENTRIES;
	vm->plat.unmap_log = kvcalloc(vm->plat.unmap_log_cap,
				      sizeof(*vm->plat.unmap_log), GFP_KERNEL);
	ret = vm->plat.unmap_log ? hpt_scn_generate(s, vm, pl) : -ENOMEM;
	if (ret) {
		hk_printf(rep, "HPTK core index=%u error=generation rc=%d\n",
			  index, ret);
		goto out;
	}

	old_virt = vm->hpt.virt;
	old_rev = vm->hpt.rev;
	vm->plat.keep_freed = true;
	t0 = ktime_get_ns();
	rc = hk_resize(vm, s->new_order);
	ns = ktime_get_ns() - t0;
	switched = vm->hpt.virt != old_virt;

	hk_printf(rep, "HPTK core index=%u rc=%ld switched=%d order=%u placed=%u not_placed=%u unmaps=%lu violations=%lu hpte_locks=%d live_tables=%ld live_revs=%ld live_resizes=%ld pending=%d active=%s partition=%s us=%llu\n",
		  index, rc, switched, vm->hpt.order, pl->nr_placed,
		  pl->nr_not_placed, vm->plat.unmaps, vm->plat.violations,
		  vm->plat.hpte_locks_held, vm->plat.live_tables,
		  vm->plat.live_revs, vm->plat.live_resizes, !!vm->resize,
		  hk_which(vm, vm->plat.active_table, old_virt),
		  vm->isa300 ? hk_which(vm, vm->plat.partition_table, old_virt) :
			       "none",
		  div_u64(ns, 1000));

	/* The old table: still the guest's, or kept when it was freed */
	if (!switched)
		hk_dump_table(rep, "core-old", old_virt, old_rev, s->old_order);
	else if (vm->plat.freed_table == old_virt && vm->plat.freed_rev)
		hk_dump_table(rep, "core-old", vm->plat.freed_table,
			      vm->plat.freed_rev, vm->plat.freed_order);
	else
		hk_printf(rep, "HPTK core-old-missing\n");
	if (switched)
		hk_dump_table(rep, "core-new", vm->hpt.virt, vm->hpt.rev,
			      vm->hpt.order);
	for (i = 0; i < vm->plat.unmaps && i < vm->plat.unmap_log_cap; i++) {
		ev = &vm->plat.unmap_log[i];
		hk_printf(rep, "HPTK core-unmap n=%lu idx=0x%llx gfn=0x%llx table=%s\n",
			  i, ev->idx, ev->gfn, ev->table == old_virt ? "old" :
			  "other");
	}
	hk_dump_rmaps(rep, vm);
	hk_printf(rep, "HPTK core-end index=%u\n", index);
out:
	hk_vm_free(vm);
	kvfree(pl);
}
