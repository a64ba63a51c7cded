// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz test module: the core running in the kernel on private tables.
 * On load it checks that a resize through the whole protocol (prepare,
 * background work on the system workqueue, commit) moves a bolted entry
 * where the hash says, and prints one line for the host to read.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hpt/protocol.h"
#include "hpt/resize.h"

/* 0x123456 ^ 0xabcd = 0x129f9b: group 0x79b at order 18, 0xf9b at 19 */
#define SELFTEST_V	((((0x123456ULL << 28 | 0x0abcd000ULL) >> 23) << 7) | \
			 HPT_V_BOLTED | HPT_V_ABSENT)
#define SELFTEST_R	0x100192ULL

static long hptfuzz_resize(struct hpt_vm *vm, u32 order)
{
	long ret;
	int tries;

	ret = hpt_resize_prepare(vm, 0, order);
	for (tries = 0; ret == HPT_PREPARE_WAIT_MS && tries < 1000; tries++) {
		usleep_range(1000, 2000);
		ret = hpt_resize_prepare(vm, 0, order);
	}
	if (ret)
		return ret;
	return hpt_resize_commit(vm, 0, order);
}

static int hptfuzz_selftest(void)
{
	struct hpt_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	u64 v, r, old_idx = 0x79b * 8 + 3, new_idx = 0xf9b * 8 + 3;
	long ret;

	if (!vm)
		return -ENOMEM;
	mutex_init(&vm->plat.setup_lock);
	spin_lock_init(&vm->plat.mmu_lock);
	vm->resize_enabled = true;
	vm->mmu_ready = true;
	ret = hpt_table_alloc(vm, &vm->hpt, 18);
	if (ret)
		goto out;
	vm->plat.active_table = vm->hpt.virt;
	hpt_write_hpte(vm, hpt_hptep(&vm->hpt, old_idx), SELFTEST_V,
		       SELFTEST_R);
	vm->hpt.rev[old_idx].guest_rpte = SELFTEST_R;

	ret = hptfuzz_resize(vm, 19);
	if (!ret) {
		hpt_read_hpte(vm, hpt_hptep(&vm->hpt, new_idx), &v, &r);
		if (vm->hpt.order != 19 || v != SELFTEST_V || r != SELFTEST_R ||
		    vm->plat.violations)
			ret = -EINVAL;
	}
	pr_info("hptfuzz: selftest %s (%ld)\n", ret ? "FAILED" : "passed",
		ret);
	hpt_resize_cancel(vm);
	hpt_table_free(vm, &vm->hpt);
out:
	kfree(vm);
	return ret ? -EINVAL : 0;
}

static int __init hptfuzz_init(void)
{
	return hptfuzz_selftest();
}

static void __exit hptfuzz_exit(void)
{
}

module_init(hptfuzz_init);
module_exit(hptfuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hptfuzz: the HPT resize core in the kernel");
