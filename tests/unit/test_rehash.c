// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rehash cases worked out by hand from the VA: hash = VSID ^ p for 256 MB
 * segments, VSID ^ VSID<<25 ^ p for 1 TB, p the segment offset over the
 * base page size; primary group hash & mask, secondary ~hash & mask.
 */
#include "check.h"
#include "support.h"

#define PAGE_4K		{ 12, 12 }
#define PAGE_64K	{ 16, 16 }
#define PAGE_16M	{ 24, 24 }
#define PAGE_16G	{ 34, 34 }
#define PAGE_4K_64K	{ 12, 16 }
#define PAGE_64K_16M	{ 16, 24 }
#define PAGE_4K_16M	{ 12, 24 }

struct move_case {
	struct test_entry e;
	u32 old_order, new_order;
	u64 old_group, new_group;
	unsigned int slot;
};

/* Place one entry, resize, and check where and how it arrives */
static int check_move(const struct move_case *c, bool isa300)
{
	struct test_vm t;
	u64 v = test_entry_v(&c->e), r = test_entry_r(&c->e);
	u64 old_idx = c->old_group * 8 + c->slot;
	u64 new_idx = c->new_group * 8 + c->slot;
	u64 nv, nr, ov, orr;

	CHECK_EQ(test_vm_init(&t, c->old_order, isa300), 0);
	test_place(&t, old_idx, v, r);
	CHECK_EQ(test_resize(&t, c->new_order), 0);

	CHECK_EQ(t.vm.hpt.order, c->new_order);
	CHECK_EQ(test_count_used(&t), 1);
	test_read(&t, new_idx, &nv, &nr);
	/* Same entry, now ABSENT: the guest refaults it */
	CHECK_EQ(nv, (v & ~T_V_VALID) | T_V_ABSENT);
	CHECK_EQ(nr, r);
	CHECK_EQ(t.vm.hpt.rev[new_idx].guest_rpte, r);
	CHECK_EQ(hpt_user_count(&t.vm, HPT_EV_UNMAP), c->e.valid ? 1 : 0);
	test_read_freed(&t, old_idx, &ov, &orr);
	CHECK(!(ov & T_V_VALID) && (ov & T_V_ABSENT));
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int check_moves(const struct move_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (check_move(&cases[i], false) || check_move(&cases[i], true)) {
			fprintf(stderr, "move case %zu failed\n", i);
			return 1;
		}
	}
	return 0;
}

#define ENTRY(seg_, vsid_, ea_, page_, sec_, rpn_)                          \
	{ .seg = seg_, .vsid = vsid_, .ea = ea_, .page = page_,             \
	  .secondary = sec_, .bolted = true, .valid = true, .rpn = rpn_,    \
	  .rbits = 0x192 }

static int grow_base_pages(void)
{
	static const struct move_case cases[] = {
		/* 0x123456 ^ 0xabcd = 0x129f9b */
		{ ENTRY(T_SEG_256M, 0x123456, 0x0abcd000, PAGE_4K, false,
			0x100), 18, 20, 0x79b, 0x1f9b, 3 },
		/* 0x3abcde ^ 0xfed = 0x3ab333, secondary: ~ */
		{ ENTRY(T_SEG_256M, 0x3abcde, 0x0fed0000, PAGE_64K, true,
			0x110), 18, 20, 0x4cc, 0xccc, 5 },
		/* 0x77777 ^ 0xb = 0x7777c */
		{ ENTRY(T_SEG_256M, 0x77777, 0x0b000000, PAGE_16M, false,
			0x000), 18, 20, 0x77c, 0x177c, 0 },
		/* 1T: 0x1234567 ^ 0x1234567<<25 ^ 0x3 = 0xacf234564 */
		{ ENTRY(T_SEG_1T, 0x1234567, 0xc00000000, PAGE_16G, true,
			0x000), 18, 20, 0x29b, 0x1a9b, 7 },
		/* 1T: 0x2345678 ^ 0x2345678<<25 ^ 0xabcdef = 0x2cf29f9b97 */
		{ ENTRY(T_SEG_1T, 0x2345678, 0xabcdef000, PAGE_4K, false,
			0x200), 18, 20, 0x397, 0x1b97, 1 },
	};

	return check_moves(cases, TEST_COUNT(cases));
}

static int grow_mixed_pages(void)
{
	static const struct move_case cases[] = {
		/* 4K base in a 64K page: 0x55aa55 ^ 0x1230 = 0x55b865 */
		{ ENTRY(T_SEG_256M, 0x55aa55, 0x01230000, PAGE_4K_64K, false,
			0x130), 18, 20, 0x065, 0x1865, 2 },
		/* 64K base, 16M page, 1T: ... ^ 0x5f00 = 0x5de20bb1f1 */
		{ ENTRY(T_SEG_1T, 0x0beef1, 0x5f000000, PAGE_64K_16M, true,
			0x000), 18, 20, 0x60e, 0xe0e, 4 },
		/* 4K base, 16M page: 0x1f0f0f ^ 0xe000 = 0x1fef0f */
		{ ENTRY(T_SEG_256M, 0x1f0f0f, 0x0e000000, PAGE_4K_16M, false,
			0x000), 18, 20, 0x70f, 0xf0f, 6 },
	};

	return check_moves(cases, TEST_COUNT(cases));
}

static int shrink_primary_and_secondary(void)
{
	static const struct move_case cases[] = {
		{ ENTRY(T_SEG_256M, 0x123456, 0x0abcd000, PAGE_4K, false,
			0x100), 20, 18, 0x1f9b, 0x79b, 3 },
		{ ENTRY(T_SEG_256M, 0x3abcde, 0x0fed0000, PAGE_64K, true,
			0x110), 20, 18, 0xccc, 0x4cc, 5 },
		{ ENTRY(T_SEG_1T, 0x2345678, 0xabcdef000, PAGE_4K, false,
			0x200), 19, 18, 0xb97, 0x397, 1 },
	};

	return check_moves(cases, TEST_COUNT(cases));
}

static int absent_bolted_moves_without_unmap(void)
{
	struct move_case c = {
		ENTRY(T_SEG_256M, 0x123456, 0x0abcd000, PAGE_4K, false, 0x100),
		18, 19, 0x79b, 0xf9b, 0
	};

	c.e.valid = false;
	return check_move(&c, false);
}

/*
 * Shrinking 19 -> 18 folds groups g and g ^ 0x800 together: two bolted
 * entries in the same slot of those groups collide.  p = 0xabcd and
 * p ^ 0x800 = 0xa3cd give hashes 0x129f9b and 0x12979b.
 */
static int bolted_collision_fails_shrink(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	struct test_entry b = ENTRY(T_SEG_256M, 0x123456, 0x0a3cd000,
				    PAGE_4K, false, 0x101);
	struct test_vm t;
	u64 v, r;

	CHECK_EQ(test_vm_init(&t, 19, false), 0);
	test_place_entry(&t, 0xf9b * 8 + 2, &a);
	test_place_entry(&t, 0x79b * 8 + 2, &b);
	CHECK_EQ(test_resize(&t, 18), -ENOSPC);
	/* The guest keeps its old table; both were unmapped on the way */
	CHECK_EQ(t.vm.hpt.order, 19);
	CHECK_EQ(hpt_user_count(&t.vm, HPT_EV_UNMAP), 2);
	test_read(&t, 0xf9b * 8 + 2, &v, &r);
	CHECK_EQ(v, (test_entry_v(&a) & ~T_V_VALID) | T_V_ABSENT);
	CHECK(test_platform_clean(&t));
	CHECK_EQ(hpt_hcall_rc(-ENOSPC), T_H_PTEG_FULL);
	test_vm_destroy(&t);
	return 0;
}

static int non_bolted_entries_dropped(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	struct test_entry b = ENTRY(T_SEG_256M, 0x3abcde, 0x0fed0000,
				    PAGE_64K, true, 0x110);
	struct test_vm t;
	u64 v, r;

	a.bolted = false;
	b.bolted = false;
	b.valid = false;
	CHECK_EQ(test_vm_init(&t, 18, false), 0);
	test_place_entry(&t, 0x79b * 8 + 3, &a);
	test_place_entry(&t, 0x4cc * 8 + 5, &b);
	CHECK_EQ(test_resize(&t, 20), 0);
	CHECK_EQ(test_count_used(&t), 0);
	/* Only the VALID one needed unmapping */
	CHECK_EQ(hpt_user_count(&t.vm, HPT_EV_UNMAP), 1);
	test_read_freed(&t, 0x79b * 8 + 3, &v, &r);
	CHECK_EQ(v, (test_entry_v(&a) & ~T_V_VALID) | T_V_ABSENT);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

/* Unmap: VALID -> ABSENT, key cleared, R/C harvested, ring emptied */
static int valid_becomes_absent(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	struct test_vm t;
	u64 idx = 0x79b * 8 + 3, new_idx = 0x1f9b * 8 + 3, v, r;

	a.rbits = T_R_R | T_R_C | T_R_KEY_LO | 0x2;
	CHECK_EQ(test_vm_init(&t, 18, false), 0);
	test_place_entry(&t, idx, &a);
	t.vm.hpt.rev[idx].guest_rpte &= ~(T_R_R | T_R_C);
	CHECK_EQ(t.slot.rmap[0x100], T_RMAP_PRESENT | idx);
	CHECK_EQ(test_resize(&t, 20), 0);
	CHECK_EQ(t.slot.rmap[0x100], T_RMAP_REFERENCED | T_RMAP_CHANGED);
	test_read(&t, new_idx, &v, &r);
	CHECK_EQ(v & (T_V_VALID | T_V_ABSENT), T_V_ABSENT);
	CHECK_EQ(r, test_entry_r(&a) & ~T_R_KEY);
	CHECK_EQ(t.vm.hpt.rev[new_idx].guest_rpte,
		 test_entry_r(&a));
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

/*
 * The core trusts no hook: an unmap that leaves the entry VALID, or
 * neither VALID nor ABSENT, stops the resize with -EIO, the old table
 * still the guest's, instead of moving an entry the host still maps
 */
static int failed_unmap_is_eio(void)
{
	static const enum hpt_user_unmap_fault faults[] = {
		HPT_UNMAP_KEEPS_VALID, HPT_UNMAP_NOT_ABSENT,
	};
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	u64 idx = 0x79b * 8 + 3;
	struct test_vm t;
	size_t i;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		CHECK_EQ(test_vm_init(&t, 18, false), 0);
		test_place_entry(&t, idx, &a);
		hpt_user(&t.vm)->cfg.unmap_fault = faults[i];
		CHECK_EQ(test_resize(&t, 20), -EIO);
		CHECK_EQ(t.vm.hpt.order, 18);
		CHECK(test_platform_clean(&t));
		test_vm_destroy(&t);
	}
	return 0;
}

static int run_with_entry(u64 v, u64 r, u64 guest_r, long expect)
{
	struct test_vm t;
	u64 idx = 0x79b * 8 + 3, nv, nr;

	CHECK_EQ(test_vm_init(&t, 18, false), 0);
	test_place(&t, idx, v, r);
	t.vm.hpt.rev[idx].guest_rpte = guest_r;
	CHECK_EQ(test_resize(&t, 19), expect);
	if (expect) {
		/* Failure leaves the old table active, locks dropped */
		CHECK_EQ(t.vm.hpt.order, 18);
		test_read(&t, idx, &nv, &nr);
		CHECK_EQ(nv & ~(T_V_VALID | T_V_ABSENT),
			 v & ~(T_V_VALID | T_V_ABSENT));
	}
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int bad_page_size_encoding_is_eio(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_64K, false, 0x100);
	u64 v = test_entry_v(&a);
	u64 bad = (test_entry_r(&a) & ~0xff000ULL) | 0x2000; /* lp = 2 */

	/* Bad in both R and the guest's R, then in only one of them */
	CHECK(!run_with_entry(v, bad, bad, -EIO));
	CHECK(!run_with_entry(v, test_entry_r(&a), bad, -EIO));
	CHECK(!run_with_entry(v, bad, test_entry_r(&a), -EIO));
	return 0;
}

static int reserved_segment_size_is_eio(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	u64 v = test_entry_v(&a) | (2ULL << T_V_B_SHIFT);

	return run_with_entry(v, test_entry_r(&a), test_entry_r(&a), -EIO);
}

/* 16G pages only fit 1T segments */
static int page_larger_than_segment_is_eio(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0, PAGE_16G, false,
				    0);

	return run_with_entry(test_entry_v(&a), test_entry_r(&a),
			      test_entry_r(&a), -EIO);
}

/* AVPN says group 0x79b; put it in 0x79a, where no lookup can find it */
static int entry_in_wrong_group_is_eio(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x77777, 0x0b000000,
				    PAGE_16M, false, 0);
	struct test_vm t;

	CHECK_EQ(test_vm_init(&t, 18, false), 0);
	test_place_entry(&t, 0x77d * 8, &a);
	CHECK_EQ(test_resize(&t, 19), -EIO);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int held_hvlock_is_reported_not_spun_on(void)
{
	struct test_entry a = ENTRY(T_SEG_256M, 0x123456, 0x0abcd000,
				    PAGE_4K, false, 0x100);
	u64 v = test_entry_v(&a) | T_V_HVLOCK;

	return run_with_entry(v, test_entry_r(&a), test_entry_r(&a), -EDEADLK);
}

/* The ISA 3.0 table keeps B in R, and so must the new one */
static int isa300_layout_in_memory(void)
{
	struct test_entry a = ENTRY(T_SEG_1T, 0x2345678, 0xabcdef000,
				    PAGE_4K, false, 0x200);
	struct test_vm t;
	const u8 *p;
	u64 new_idx = 0x1b97 * 8 + 1;

	CHECK_EQ(test_vm_init(&t, 18, true), 0);
	test_place_entry(&t, 0x397 * 8 + 1, &a);
	CHECK_EQ(test_resize(&t, 20), 0);
	/* The words as memory holds them, byte by byte */
	p = (const u8 *)t.vm.hpt.virt + new_idx * T_HPTE_BYTES;
	CHECK_EQ(t_get_be64(p),
		 ((test_entry_v(&a) & ~T_V_VALID) | T_V_ABSENT) &
		 T_V3_COMMON);
	CHECK_EQ(t_get_be64(p + 8),
		 test_entry_r(&a) | (1ULL << T_R3_B_SHIFT));
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

/*
 * The scan the rehash loop skips empty slots with stops at the next slot
 * whose V is VALID or ABSENT, and only there: any other V bit, or words
 * in R alone, leave a slot empty.  (The rehash would come out the same if
 * the scan stopped at every slot, so only this pins it.)
 */
static int next_used_skips_only_empty_slots(void)
{
	struct test_vm t;
	u8 *table;
	u64 npte = t_npte(18);

	CHECK_EQ(test_vm_init(&t, 18, false), 0);
	table = t.vm.hpt.virt;
	t_put_be64(table + 5 * T_HPTE_BYTES, T_V_VALID);
	t_put_be64(table + 9 * T_HPTE_BYTES, T_V_ABSENT | T_V_BOLTED);
	t_put_be64(table + 12 * T_HPTE_BYTES,
		   ~(T_V_VALID | T_V_ABSENT));
	t_put_be64(table + 13 * T_HPTE_BYTES + 8, ~0ULL);
	t_put_be64(table + (npte - 1) * T_HPTE_BYTES, T_V_ABSENT);
	CHECK_EQ(hpt_next_used(&t.vm.hpt, 0), 5);
	CHECK_EQ(hpt_next_used(&t.vm.hpt, 5), 5);
	CHECK_EQ(hpt_next_used(&t.vm.hpt, 6), 9);
	CHECK_EQ(hpt_next_used(&t.vm.hpt, 10), npte - 1);
	CHECK_EQ(hpt_next_used(&t.vm.hpt, npte), npte);
	test_vm_destroy(&t);
	return 0;
}

/* The target computation at every order, without allocating tables */
static int targets_at_every_order(void)
{
	struct test_entry a = ENTRY(T_SEG_1T, 0x2345678, 0xabcdef000,
				    PAGE_4K, false, 0x200);
	u64 hash = 0x2cf29f9b97ULL, v = test_entry_v(&a), r = test_entry_r(&a);
	u32 from, to;
	u64 new_idx;

	for (from = T_MIN_ORDER; from <= T_MAX_ORDER; from++) {
		for (to = T_MIN_ORDER; to <= T_MAX_ORDER; to++) {
			u64 idx = (hash & t_hash_mask(from)) * 8 + 6;

			CHECK_EQ(hpt_rehash_target(from, to, idx, v, r,
						   &new_idx), 0);
			CHECK_EQ(new_idx,
				 (hash & t_hash_mask(to)) * 8 + 6);
			idx = (~hash & t_hash_mask(from)) * 8 + 6;
			CHECK_EQ(hpt_rehash_target(from, to, idx,
						   v | T_V_SECONDARY, r,
						   &new_idx), 0);
			CHECK_EQ(new_idx,
				 (~hash & t_hash_mask(to)) * 8 + 6);
		}
	}
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(grow_base_pages),
	TEST_CASE(grow_mixed_pages),
	TEST_CASE(shrink_primary_and_secondary),
	TEST_CASE(absent_bolted_moves_without_unmap),
	TEST_CASE(bolted_collision_fails_shrink),
	TEST_CASE(non_bolted_entries_dropped),
	TEST_CASE(valid_becomes_absent),
	TEST_CASE(failed_unmap_is_eio),
	TEST_CASE(bad_page_size_encoding_is_eio),
	TEST_CASE(reserved_segment_size_is_eio),
	TEST_CASE(page_larger_than_segment_is_eio),
	TEST_CASE(entry_in_wrong_group_is_eio),
	TEST_CASE(held_hvlock_is_reported_not_spun_on),
	TEST_CASE(isa300_layout_in_memory),
	TEST_CASE(targets_at_every_order),
	TEST_CASE(next_used_skips_only_empty_slots),
};

TEST_MAIN(cases)
