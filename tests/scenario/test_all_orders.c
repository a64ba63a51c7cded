// SPDX-License-Identifier: GPL-2.0-only
/*
 * The high hash bits, pinned: at orders 33..44, where the group index
 * has 26 bits and more, so the 1T segment's vsid << 25 term and the high
 * VSID and EA bits decide where an entry goes, the core's and every
 * kernel's own per-entry rehash (rehash_entry) put bolted entries of
 * both segment sizes and every page size pair exactly where the oracle
 * hashes their VAs to, growing and shrinking, in both layouts, on
 * lazily mapped tables (fuzz/all_orders_check.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "all_orders_check.h"
#include "check.h"
#include "scn_test.h"

#define LOW	33	/* the first order whose group index holds bit 25 */

/* Hand-computed placements, from the spec's formulas */
static int place_by_spec(void)
{
	struct hpt_oracle_place p;

	/* 16M page, 256M segment: hash 0x123456 ^ 0xb, group 0x45d at 18 */
	CHECK(!hpt_oracle_va_place(HPT_SEG_256M, HPT_PAGE_16M, 0x123456,
				   0xb000000, false, 0, 18, 20, &p));
	CHECK_EQ(p.hash, 0x12345d);
	CHECK_EQ(p.old_idx, 0x45d * 8);
	CHECK_EQ(p.new_idx, 0x145d * 8);
	/* The EA counts modulo its segment */
	CHECK(!hpt_oracle_va_place(HPT_SEG_256M, HPT_PAGE_16M, 0x123456,
				   0x70b000000ULL, false, 0, 18, 20, &p));
	CHECK_EQ(p.hash, 0x12345d);

	/* 1T, VSID 1: hash 1 ^ 1 << 25, whose bit 25 order 33 first holds */
	CHECK(!hpt_oracle_va_place(HPT_SEG_1T, HPT_PAGE_4K, 1, 0, false, 3,
				   32, 33, &p));
	CHECK_EQ(p.hash, 0x2000001);
	CHECK_EQ(p.old_idx, 1 * 8 + 3);
	CHECK_EQ(p.new_idx, 0x2000001ULL * 8 + 3);
	/* Secondary: the complement, masked */
	CHECK(!hpt_oracle_va_place(HPT_SEG_1T, HPT_PAGE_4K, 1, 0, true, 7,
				   33, 44, &p));
	CHECK_EQ(p.old_idx, (~0x2000001ULL & 0x3ffffff) * 8 + 7);
	CHECK_EQ(p.new_idx, (~0x2000001ULL & 0x1fffffffff) * 8 + 7);
	/* The hash keeps 39 bits: VSID bits above are lost */
	CHECK(!hpt_oracle_va_place(HPT_SEG_256M, HPT_PAGE_4K, 1ULL << 39, 0,
				   false, 0, 46, 46, &p));
	CHECK_EQ(p.hash, 0);

	/* No hash: a 16G page in a 256M segment, a reserved B */
	CHECK_EQ(hpt_oracle_va_place(HPT_SEG_256M, HPT_PAGE_16G, 1, 0, false,
				     0, 18, 18, &p), -EIO);
	CHECK_EQ(hpt_oracle_va_place(2, HPT_PAGE_4K, 1, 0, false, 0, 18, 18,
				     &p), -EIO);
	CHECK_EQ(hpt_oracle_va_place(HPT_SEG_1T, HPT_PAGE_4K, 1, 0, false, 8,
				     18, 18, &p), -EINVAL);
	CHECK_EQ(hpt_oracle_va_place(HPT_SEG_1T, HPT_PAGE_4K, 1, 0, false, 0,
				     17, 18, &p), -EINVAL);
	return 0;
}

/*
 * Three bolted entries of one segment size and page pair, primary and
 * secondary, with VSID and EA bits set up to the top of their fields;
 * the secondary one VALID where KVM's 32-bit ring indices can hold it;
 * the third with the first one's bits inverted, so that each hash bit
 * is set in one of them.
 */
static struct hpt_scenario *high_bits(bool isa300, u8 seg, u8 page,
				      u32 old_order, u32 new_order)
{
	struct hpt_scenario *s = scn_new(isa300, old_order, new_order);
	struct scn_va_args a = {
		.seg = seg, .page = page, .slot = 2, .bolted = true,
		.vsid = 0xfedcba987654321ULL, .ea = 0xfedcba9876543ULL,
	};

	if (!s)
		return NULL;
	scn_add_va(s, &a);
	a.slot = 5;
	a.secondary = true;
	a.vsid = 0x3a5c3a5c3a5c3a5ULL;
	a.rpn = 0x400000;
	a.rbits = 0x1ff;
	a.valid = old_order <= 36;
	scn_add_va(s, &a);
	if (a.valid)
		scn_add_memslot(s, 0x400000, 1);
	a.slot = 6;
	a.secondary = false;
	a.valid = false;
	a.vsid = ~0xfedcba987654321ULL;
	a.ea = ~0xfedcba9876543ULL;
	scn_add_va(s, &a);
	return s;
}

/*
 * The entry's VSID puts hash bits of 25 and up into the new group index:
 * through vsid << 25 in a 1T segment, directly in a 256M one
 */
static int reaches_high_bits(const struct hpt_scn_va *va, u32 order)
{
	u64 mask = (1ULL << (order - 7)) - 1;
	u64 high = va->seg == HPT_SEG_1T ? va->vsid << 25 : va->vsid;

	return (high & mask) >> 25 != 0;
}

static int impl_places_high_bits(const struct hpt_impl *impl)
{
	static const u8 segs[] = { HPT_SEG_256M, HPT_SEG_1T };
	char msg[2048];
	u32 old_order, new_order, runs = 0, moved = 0;
	/* MemorySanitizer's layout leaves less room: as high as maps here */
	u32 top = ao_max_mappable(AO_MAX_ORDER);
	unsigned int isa300, i;
	u8 page;

	CHECK(impl && impl->rehash_entry);
	CHECK(top > LOW);
	for (isa300 = 0; isa300 < 2; isa300++)
	for (i = 0; i < 2; i++)
	for (page = 0; page < HPT_SCN_NR_PAGES; page++) {
		if (page == HPT_PAGE_16G && segs[i] != HPT_SEG_1T)
			continue;	/* no such entry */
		for (old_order = LOW; old_order <= top; old_order++)
		for (new_order = LOW; new_order <= top; new_order++) {
			struct hpt_scenario *s;
			enum ao_verdict v;

			if (old_order == new_order)
				continue;
			s = high_bits(isa300, segs[i], page, old_order,
				      new_order);
			CHECK(s);
			CHECK(reaches_high_bits(&s->rec[0].va, new_order));
			v = ao_check(impl, s, msg, sizeof(msg));
			free(s);
			if (v != AO_AGREE)
				fprintf(stderr, "%s\n", msg);
			CHECK_EQ(v, AO_AGREE);
			CHECK_EQ(ao_last.rehashed, 3);
			runs++;
			moved += ao_last.moved;
		}
	}
	/* Every entry bolted and placed: every one moved */
	CHECK_EQ(moved, 3 * runs);
	printf("%s: %u order pairs and entry kinds up to order %u, %u entries placed\n",
	       impl->name, runs, top, moved);
	return 0;
}

static int core_places_high_bits(void)
{
	return impl_places_high_bits(hpt_impl_find("core"));
}

/*
 * The kernel's own code: every Linux release built (patch-2016, the
 * original patch, hashes 1T entries of ISA 3.0 tables as 256M and stops
 * the host on secondary entries, docs/findings.md 1 and 5-7).
 */
static int kernels_place_high_bits(void)
{
	int i, n = 0;

	for (i = 0; hpt_impls[i]; i++) {
		if (strncmp(hpt_impls[i]->name, "linux-", 6))
			continue;
		CHECK(!impl_places_high_bits(hpt_impls[i]));
		n++;
	}
	if (!n)
		printf("no kernel implementation built: nothing to check\n");
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(place_by_spec),
	TEST_CASE(core_places_high_bits),
	TEST_CASE(kernels_place_high_bits),
};

TEST_MAIN(cases)
