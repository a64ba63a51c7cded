// SPDX-License-Identifier: GPL-2.0-only
/*
 * HPTE formats, page size decoding and table geometry.
 */
#include "check.h"
#include "hpt/table.h"
#include "spec.h"

static const u64 sample_v[] = {
	0x0000000000000000ULL, T_V_VALID | T_V_BOLTED,
	T_V_1TB_SEG | 0x0123456789abcd80ULL | T_V_LARGE | T_V_VALID,
	0x000fffffffffff80ULL | T_V_SECONDARY | T_V_ABSENT,
	T_V_1TB_SEG | 0x000abcdef0123400ULL | T_V_HVLOCK,
};

static const u64 sample_r[] = {
	0, 0x0000000123456192ULL, 0x8000000000001003ULL,
	0x3000000fedcba0e7ULL, 0x03fffffffffffffeULL,
};

/* Old -> new -> old keeps every entry whose V fits the new layout */
static int layout_round_trip(void)
{
	size_t i, j;

	for (i = 0; i < TEST_COUNT(sample_v); i++) {
		for (j = 0; j < TEST_COUNT(sample_r); j++) {
			u64 v = sample_v[i], r = sample_r[j];
			u64 nv = hpt_hpte_old_to_new_v(v);
			u64 nr = hpt_hpte_old_to_new_r(v, r);

			if ((v & ~(3ULL << 62)) & ~T_V3_COMMON)
				continue;	/* AVPN too wide for 3.0 */
			CHECK_EQ(hpt_hpte_new_to_old_v(nv, nr), v);
			CHECK_EQ(hpt_hpte_new_to_old_r(nr), r);
		}
	}
	return 0;
}

static int layout_new_bits(void)
{
	u64 v = T_V_1TB_SEG | 0x00000abcdef00080ULL | T_V_VALID;
	u64 r = 0x0000000000123192ULL;

	CHECK_EQ(hpt_hpte_old_to_new_v(v), 0x00000abcdef00081ULL);
	CHECK_EQ(hpt_hpte_old_to_new_r(v, r), r | (1ULL << 58));
	CHECK_EQ(hpt_hpte_new_to_old_v(0x81, 3ULL << 58), (3ULL << 62) | 0x81);
	CHECK_EQ(hpt_hpte_new_to_old_r(r | (3ULL << 58)), r);
	return 0;
}

struct psize_case {
	u64 v, r;
	unsigned int base, actual;
};

static int page_size_table(void)
{
	static const struct psize_case cases[] = {
		{ 0, 0xfffff000, 12, 12 },	/* not large: LP ignored */
		{ T_V_LARGE, 0x00000, 24, 24 },
		{ T_V_LARGE, 0x01000, 16, 16 },
		{ T_V_LARGE, 0xf1000, 16, 16 },	/* lphi: any */
		{ T_V_LARGE, 0x03000, 34, 34 },
		{ T_V_LARGE, 0x07000, 12, 16 },
		{ T_V_LARGE, 0x57000, 12, 16 },
		{ T_V_LARGE, 0x08000, 16, 24 },
		{ T_V_LARGE, 0x38000, 12, 24 },
		/* invalid: unlisted lp, or a listed lp with a wrong lphi */
		{ T_V_LARGE, 0x02000, 0, 0 },
		{ T_V_LARGE, 0x04000, 0, 0 },
		{ T_V_LARGE, 0x0f000, 0, 0 },
		{ T_V_LARGE, 0x10000, 0, 0 },
		{ T_V_LARGE, 0x13000, 0, 0 },
		{ T_V_LARGE, 0x18000, 0, 0 },
		{ T_V_LARGE, 0xf8000, 0, 0 },
	};
	size_t i;

	for (i = 0; i < TEST_COUNT(cases); i++) {
		struct hpt_psize ps = hpt_hpte_decode_psize(cases[i].v, cases[i].r);

		CHECK_EQ(ps.base_shift, cases[i].base);
		CHECK_EQ(ps.actual_shift, cases[i].actual);
	}
	return 0;
}

static int guest_frame_number(void)
{
	CHECK_EQ(hpt_hpte_gfn(0x123456192ULL, 12), 0x123456);
	CHECK_EQ(hpt_hpte_gfn(0x123457192ULL, 16), 0x123450);
	CHECK_EQ(hpt_hpte_gfn(0x123458000ULL, 24), 0x123000);
	CHECK_EQ(hpt_hpte_gfn(0xf000000123458000ULL, 24), 0x123000);
	return 0;
}

static int geometry_of_every_order(void)
{
	u32 order;

	CHECK(!hpt_order_valid(0));
	CHECK(!hpt_order_valid(17));
	CHECK(!hpt_order_valid(47));
	CHECK(!hpt_order_valid(1ULL << 32 | 18));
	for (order = T_MIN_ORDER; order <= T_MAX_ORDER; order++) {
		CHECK(hpt_order_valid(order));
		CHECK_EQ(hpt_order_npte(order) * T_HPTE_BYTES, 1ULL << order);
		CHECK_EQ(hpt_order_nptegs(order) * T_GROUP_HPTES,
			 hpt_order_npte(order));
		CHECK_EQ(hpt_order_hash_mask(order) + 1,
			 hpt_order_nptegs(order));
	}
	CHECK_EQ(hpt_order_hash_mask(18), 0x7ff);
	CHECK_EQ(hpt_order_hash_mask(46), 0x7fffffffffULL);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(layout_round_trip),
	TEST_CASE(layout_new_bits),
	TEST_CASE(page_size_table),
	TEST_CASE(guest_frame_number),
	TEST_CASE(geometry_of_every_order),
};

TEST_MAIN(cases)
