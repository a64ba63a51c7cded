// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>

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
	unsigned int seg_shift = e->seg == T_SEG_1T ? 40 : 28;
	/* VA >> 23 without building the VA, which may exceed 64 bits */
	u64 avpn = (e->vsid << (seg_shift - 23)) | (e->ea >> 23);
	u64 v;

	avpn &= ~(((1ULL << e->page.base_shift) - 1) >> 23);
	v = ((u64)e->seg << T_V_B_SHIFT) | (avpn << T_V_AVPN_SHIFT);
	if (e->page.actual_shift > 12)
		v |= T_V_LARGE;
	if (e->secondary)
		v |= T_V_SECONDARY;
	if (e->bolted)
		v |= T_V_BOLTED;
	v |= e->valid ? T_V_VALID : T_V_ABSENT;
	return v;
}

u64 test_entry_r(const struct test_entry *e)
{
	return (e->rpn << T_R_RPN_SHIFT) | lp_bits(e->page) | e->rbits;
}

/* The spec's LP table: the actual page shift, 0 for no valid encoding */
static unsigned int actual_shift(u64 v, u64 r)
{
	unsigned int lp = (r >> 12) & 0xf, lphi = (r >> 16) & 0xf;

	if (!(v & T_V_LARGE))
		return 12;
	if ((lp == 0 && lphi == 0) || (lp == 8 && (lphi == 0 || lphi == 3)))
		return 24;
	if (lp == 1 || lp == 7)
		return 16;
	if (lp == 3 && lphi == 0)
		return 34;
	return 0;
}

static u8 *entry_mem(void *table, u64 idx)
{
	return (u8 *)table + idx * T_HPTE_BYTES;
}

/* As kvmppc_add_revmap_chain: at the tail, the rmap word names the head */
static void link_rmap(struct test_vm *t, u64 idx, u64 gfn)
{
	struct hpt_rev *rev = t->vm.hpt.rev;
	u64 *rmap, head;

	if (gfn < t->slot.base_gfn || gfn - t->slot.base_gfn >= t->slot.npages)
		return;
	rmap = &t->slot.rmap[gfn - t->slot.base_gfn];
	if (!(*rmap & T_RMAP_PRESENT)) {
		rev[idx].forw = idx;
		rev[idx].back = idx;
		*rmap = (*rmap & ~T_RMAP_INDEX) | idx | T_RMAP_PRESENT;
		return;
	}
	head = *rmap & T_RMAP_INDEX;
	rev[idx].forw = head;
	rev[idx].back = rev[head].back;
	rev[rev[head].back].forw = idx;
	rev[head].back = idx;
}

/* Written as big-endian memory in the table's layout, R before V */
void test_place(struct test_vm *t, u64 idx, u64 v, u64 r)
{
	u8 *p = entry_mem(t->vm.hpt.virt, idx);
	unsigned int shift = actual_shift(v, r);
	u64 tv, tr;

	t_to_table(t->vm.isa300, v, r, &tv, &tr);
	t_put_be64(p + 8, tr);
	t_put_be64(p, tv);
	t->vm.hpt.rev[idx].guest_rpte = r;
	t->vm.hpt.rev[idx].forw = idx;
	t->vm.hpt.rev[idx].back = idx;
	if ((v & T_V_VALID) && shift)
		link_rmap(t, idx, (r & 0x0ffffffffffff000ULL &
				   ~((1ULL << shift) - 1)) >> 12);
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

static void read_at(const struct test_vm *t, const void *table, u64 idx,
		    u64 *v, u64 *r)
{
	const u8 *p = (const u8 *)table + idx * T_HPTE_BYTES;

	t_from_table(t->vm.isa300, t_get_be64(p), t_get_be64(p + 8), v, r);
}

void test_read(const struct test_vm *t, u64 idx, u64 *v, u64 *r)
{
	read_at(t, t->vm.hpt.virt, idx, v, r);
}

void test_read_freed(const struct test_vm *t, u64 idx, u64 *v, u64 *r)
{
	read_at(t, hpt_user(&t->vm)->freed_virt, idx, v, r);
}

u64 test_count_used(const struct test_vm *t)
{
	u64 idx, n = 0, v, r;

	for (idx = 0; idx < t_npte(t->vm.hpt.order); idx++) {
		test_read(t, idx, &v, &r);
		n += !!(v & (T_V_VALID | T_V_ABSENT));
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
