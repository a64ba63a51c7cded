/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HPT format as the oracle knows it, written from the spec
 * (docs/hpt.md) and nothing else: a constant wrong in the core must not
 * be wrong here too.  tests/scenario/check_oracle_independent.cmake keeps
 * the core's own names out of the oracle's sources.
 */
#ifndef HPT_ORACLE_SPEC_H
#define HPT_ORACLE_SPEC_H

#include "hpt/oracle.h"

/* Geometry: 16-byte entries, 8 to a 128-byte group, orders 18..46 */
#define OS_ORDER_MIN		18
#define OS_ORDER_MAX		46
#define OS_PER_GROUP		8
#define OS_GROUP_SHIFT		7
#define OS_ENTRY_SHIFT		4

static inline u64 os_npte(u32 order)
{
	return 1ULL << (order - OS_ENTRY_SHIFT);
}

static inline u64 os_group_mask(u32 order)
{
	return (1ULL << (order - OS_GROUP_SHIFT)) - 1;
}

static inline bool os_order_ok(u32 order)
{
	return order >= OS_ORDER_MIN && order <= OS_ORDER_MAX;
}

/* V, pre-ISA-3.0 layout */
#define OS_V_B_SHIFT		62
#define OS_V_AVPN		0x3fffffffffffff80ULL
#define OS_V_AVPN_SHIFT		7
#define OS_V_HVLOCK		0x40ULL
#define OS_V_ABSENT		0x20ULL
#define OS_V_BOLTED		0x10ULL
#define OS_V_LARGE		0x04ULL
#define OS_V_SECONDARY		0x02ULL
#define OS_V_VALID		0x01ULL
#define OS_V_USED		(OS_V_VALID | OS_V_ABSENT)

/* AVPN = VA >> 23 */
#define OS_AVPN_VA_SHIFT	23
#define OS_HASH_BITS		39
#define OS_SEG_256M_SHIFT	28
#define OS_SEG_1T_SHIFT		40

/* R */
#define OS_R_RPN		0x0ffffffffffff000ULL
#define OS_R_RPN_SHIFT		12
#define OS_R_R			0x100ULL
#define OS_R_C			0x080ULL
#define OS_R_KEY		0x3000000000000e00ULL
#define OS_R_KEY_HI		0x3000000000000000ULL
#define OS_R_PP0		0x8000000000000000ULL
#define OS_R_PP_LOW		0x3ULL
#define OS_R_W			0x040ULL
#define OS_R_I			0x020ULL
#define OS_R_M			0x010ULL
#define OS_R_G			0x008ULL

/* ISA 3.0: V keeps its low 52 bits, B moves to R 58..59 */
#define OS_V3_COMMON		0x000fffffffffffffULL
#define OS_R3_B_SHIFT		58
#define OS_R3_B			(3ULL << OS_R3_B_SHIFT)

/* KVM's rmap word: index, present, R/C */
#define OS_RMAP_INDEX		0xffffffffULL
#define OS_RMAP_PRESENT		(1ULL << 32)
#define OS_RMAP_RC_SHIFT	32

/* Words as a table stores them, from the guest (pre-3.0) layout */
static inline void os_to_table(bool isa300, u64 v, u64 r, u64 *tv, u64 *tr)
{
	if (!isa300) {
		*tv = v;
		*tr = r;
		return;
	}
	*tv = v & OS_V3_COMMON;
	*tr = (r & ~OS_R3_B) | ((v >> OS_V_B_SHIFT) << OS_R3_B_SHIFT);
}

/* And back */
static inline void os_from_table(bool isa300, u64 tv, u64 tr, u64 *v, u64 *r)
{
	if (!isa300) {
		*v = tv;
		*r = tr;
		return;
	}
	*v = (tv & OS_V3_COMMON) | ((tr & OS_R3_B) << (OS_V_B_SHIFT - OS_R3_B_SHIFT));
	*r = tr & ~OS_R3_B;
}

/*
 * The spec's LP table: base and actual page shifts of V and an R (the
 * hardware R gives the base size the hash uses, the guest R the actual
 * size that names the frame).  0 where the encoding names no size.
 */
static inline void os_page_shifts(u64 v, u64 r, u32 *base, u32 *actual)
{
	u32 lp = (r >> 12) & 0xf, lphi = (r >> 16) & 0xf;

	*base = 0;
	*actual = 0;
	if (!(v & OS_V_LARGE)) {
		*base = *actual = 12;
		return;
	}
	if (lp == 0 && lphi == 0)
		*base = *actual = 24;
	else if (lp == 1)
		*base = *actual = 16;
	else if (lp == 3 && lphi == 0)
		*base = *actual = 34;
	else if (lp == 7) {
		*base = 12;
		*actual = 16;
	} else if (lp == 8 && lphi == 0) {
		*base = 16;
		*actual = 24;
	} else if (lp == 8 && lphi == 3) {
		*base = 12;
		*actual = 24;
	}
}

/* The frame an entry maps: guest R's RPN at the actual page size */
static inline u64 os_gfn(u64 guest_r, u32 actual)
{
	return (guest_r & OS_R_RPN & ~((1ULL << actual) - 1)) >> OS_R_RPN_SHIFT;
}

/* The hash of a page in a segment (B 0 or 1), from the VA's parts */
static inline u64 os_hash(u32 b, u64 vsid, u64 page)
{
	u64 seg_hash = b ? vsid ^ (vsid << 25) : vsid;

	return (seg_hash ^ page) & ((1ULL << OS_HASH_BITS) - 1);
}

/* Base page shift of each page pair a VA record names (enum hpt_scn_page) */
static inline u32 os_scn_base_shift(u8 page)
{
	static const u8 shift[HPT_SCN_NR_PAGES] = {
		[HPT_PAGE_4K] = 12,
		[HPT_PAGE_64K] = 16,
		[HPT_PAGE_16M] = 24,
		[HPT_PAGE_16G] = 34,
		[HPT_PAGE_4K_64K] = 12,
		[HPT_PAGE_64K_16M] = 16,
		[HPT_PAGE_4K_16M] = 12,
	};

	return page < HPT_SCN_NR_PAGES ? shift[page] : 0;
}

#endif /* HPT_ORACLE_SPEC_H */
