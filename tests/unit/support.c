// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>

#include "hpt/model.h"
#include "support.h"

#define TEST_SLOT_PAGES 4096

int test_vm_init(struct test_vm *t, u32 order, bool isa300)
{
	struct hpt_user_config cfg = {
		.isa300 = isa300,
		.order = order,
		.max_table_order = 26,
		.snapshot_freed = true,
	};
	int ret = hpt_user_vm_init(&t->vm, &cfg);

	if (ret)
		return ret;
	t->slot.base_gfn = 0;
	t->slot.npages = TEST_SLOT_PAGES;
	t->slot.rmap = calloc(TEST_SLOT_PAGES, sizeof(u64));
	if (!t->slot.rmap)
		return -ENOMEM;
	t->vm.memslots = &t->slot;
	t->vm.nr_memslots = 1;
	return 0;
}

void test_vm_destroy(struct test_vm *t)
{
	hpt_user_vm_destroy(&t->vm);
	free(t->slot.rmap);
}

static u64 lp_bits(struct test_page p)
{
	if (p.base_shift == 12 && p.actual_shift == 12)
		return 0;
	if (p.base_shift == 16 && p.actual_shift == 16)
		return 0x1000;
	if (p.base_shift == 24)
		return 0;
	if (p.base_shift == 34)
		return 0x3000;
	if (p.base_shift == 12 && p.actual_shift == 16)
		return 0x7000;
	if (p.base_shift == 16 && p.actual_shift == 24)
		return 0x8000;
	return 0x38000;	/* 4K base, 16M actual */
}

u64 test_entry_v(const struct test_entry *e)
{
	unsigned int seg_shift = e->seg == HPT_SEG_1T ? 40 : 28;
	/* VA >> 23 without building the VA, which may exceed 64 bits */
	u64 avpn = (e->vsid << (seg_shift - 23)) | (e->ea >> 23);
	u64 v;

	avpn &= ~(((1ULL << e->page.base_shift) - 1) >> 23);
	v = ((u64)e->seg << HPT_V_SSIZE_SHIFT) | (avpn << HPT_V_AVPN_SHIFT);
	if (e->page.actual_shift > 12)
		v |= HPT_V_LARGE;
	if (e->secondary)
		v |= HPT_V_SECONDARY;
	if (e->bolted)
		v |= HPT_V_BOLTED;
	v |= e->valid ? HPT_V_VALID : HPT_V_ABSENT;
	return v;
}

u64 test_entry_r(const struct test_entry *e)
{
	return (e->rpn << HPT_R_RPN_SHIFT) | lp_bits(e->page) | e->rbits;
}

void test_place(struct test_vm *t, u64 idx, u64 v, u64 r)
{
	struct hpt_psize ps = hpt_hpte_decode_psize(v, r);

	hpt_write_hpte(&t->vm, hpt_hptep(&t->vm.hpt, idx), v, r);
	t->vm.hpt.rev[idx].guest_rpte = r;
	if ((v & HPT_V_VALID) && ps.actual_shift)
		hpt_model_link_rmap(&t->vm, &t->vm.hpt, idx,
				    hpt_hpte_gfn(r, ps.actual_shift));
}

void test_place_entry(struct test_vm *t, u64 idx, const struct test_entry *e)
{
	test_place(t, idx, test_entry_v(e), test_entry_r(e));
}

long test_resize(struct test_vm *t, u32 order)
{
	long ret = hpt_resize_prepare(&t->vm, 0, order);

	if (ret != HPT_PREPARE_WAIT_MS)
		return ret;
	hpt_user_sched_run_all(&t->vm);
	ret = hpt_resize_prepare(&t->vm, 0, order);
	if (ret)
		return ret;
	return hpt_resize_commit(&t->vm, 0, order);
}

void test_read(const struct test_vm *t, u64 idx, u64 *v, u64 *r)
{
	hpt_read_hpte(&t->vm, hpt_hptep(&t->vm.hpt, idx), v, r);
}

void test_read_freed(const struct test_vm *t, u64 idx, u64 *v, u64 *r)
{
	const struct hpt_user *u = hpt_user(&t->vm);

	hpt_read_hpte(&t->vm, (const __be64 *)u->freed_virt + 2 * idx, v, r);
}

u64 test_count_used(const struct test_vm *t)
{
	u64 idx, n = 0, v, r;

	for (idx = 0; idx < hpt_npte(&t->vm.hpt); idx++) {
		test_read(t, idx, &v, &r);
		n += hpt_hpte_is_used(v);
	}
	return n;
}

int test_platform_clean(const struct test_vm *t)
{
	const struct hpt_user *u = hpt_user(&t->vm);

	if (u->violations) {
		fprintf(stderr, "platform violation: %s\n", u->first_violation);
		return 0;
	}
	if (u->hpte_locks_held || u->rmap_locks_held || u->setup_lock_held ||
	    u->mmu_lock_held) {
		fprintf(stderr, "a lock is still held\n");
		return 0;
	}
	if (u->live_tables != 1 || u->live_revs != 1) {
		fprintf(stderr, "%ld tables live, expected 1\n",
			u->live_tables);
		return 0;
	}
	if (u->active_table != t->vm.hpt.virt) {
		fprintf(stderr, "SDR1 does not name the guest's table\n");
		return 0;
	}
	if (t->vm.isa300 && u->partition_table != t->vm.hpt.virt) {
		fprintf(stderr, "partition table does not name the table\n");
		return 0;
	}
	return 1;
}
