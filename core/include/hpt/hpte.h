/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HPTE format: bit definitions for both ISA layouts, the conversions
 * between them, and page size decoding as KVM-HV does it on POWER7/8/9.
 */
#ifndef HPT_HPTE_H
#define HPT_HPTE_H

#include "env.h"

#define HPT_MIN_ORDER		18
#define HPT_MAX_ORDER		46
#define HPTES_PER_GROUP		8
#define HPTE_BYTES		16

/* V doubleword, pre-ISA-3.0 ("old") layout */
#define HPTE_V_SSIZE_SHIFT	62
#define HPTE_V_1TB_SEG		(1ULL << 62)
#define HPTE_V_AVPN		0x3fffffffffffff80ULL
#define HPTE_V_AVPN_SHIFT	7
#define HPTE_V_HVLOCK		0x40ULL
#define HPTE_V_ABSENT		0x20ULL
#define HPTE_V_BOLTED		0x10ULL
#define HPTE_V_LOCK		0x08ULL
#define HPTE_V_LARGE		0x04ULL
#define HPTE_V_SECONDARY	0x02ULL
#define HPTE_V_VALID		0x01ULL

/* R doubleword */
#define HPTE_R_PP0		0x8000000000000000ULL
#define HPTE_R_KEY_HI		0x3000000000000000ULL
#define HPTE_R_RPN_SHIFT	12
#define HPTE_R_RPN		0x0ffffffffffff000ULL
#define HPTE_R_PP		0x0000000000000003ULL
#define HPTE_R_N		0x0000000000000004ULL
#define HPTE_R_WIMG		0x0000000000000078ULL
#define HPTE_R_C		0x0000000000000080ULL
#define HPTE_R_R		0x0000000000000100ULL
#define HPTE_R_KEY_LO		0x0000000000000e00ULL
#define HPTE_R_KEY		(HPTE_R_KEY_HI | HPTE_R_KEY_LO)

/* ISA 3.0 layout: V keeps its low 52 bits, B moves to R bits 58..59 */
#define HPTE_V_COMMON_BITS	0x000fffffffffffffULL
#define HPTE_V_3_0_AVPN		0x000fffffffffff80ULL
#define HPTE_R_3_0_SSIZE_SHIFT	58
#define HPTE_R_3_0_SSIZE_MASK	(3ULL << HPTE_R_3_0_SSIZE_SHIFT)

/* The guest's view of R kept in the revmap */
#define HPTE_GR_MODIFIED	(1ULL << 62)

/* Segment sizes as held in B */
#define HPT_SEG_256M		0
#define HPT_SEG_1T		1

static inline u64 hpte_old_to_new_v(u64 v)
{
	return v & HPTE_V_COMMON_BITS;
}

static inline u64 hpte_old_to_new_r(u64 v, u64 r)
{
	return (r & ~HPTE_R_3_0_SSIZE_MASK) |
	       ((v >> HPTE_V_SSIZE_SHIFT) << HPTE_R_3_0_SSIZE_SHIFT);
}

static inline u64 hpte_new_to_old_v(u64 v, u64 r)
{
	return (v & HPTE_V_COMMON_BITS) |
	       ((r & HPTE_R_3_0_SSIZE_MASK) <<
		(HPTE_V_SSIZE_SHIFT - HPTE_R_3_0_SSIZE_SHIFT));
}

static inline u64 hpte_new_to_old_r(u64 r)
{
	return r & ~HPTE_R_3_0_SSIZE_MASK;
}

/*
 * Page sizes of an entry as shifts.  An encoding the table in the spec
 * does not list decodes to 0 for both; callers must check for that before
 * using a shift, never divide by or shift with it.
 */
struct hpte_psize {
	unsigned int base_shift;
	unsigned int actual_shift;
};

static inline struct hpte_psize hpte_decode_psize(u64 v, u64 r)
{
	struct hpte_psize ps = { 0, 0 };
	unsigned int lp, lphi;

	if (!(v & HPTE_V_LARGE)) {
		ps.base_shift = 12;
		ps.actual_shift = 12;
		return ps;
	}
	lp = (r >> 12) & 0xf;
	lphi = (r >> 16) & 0xf;
	switch (lp) {
	case 0:
		if (lphi == 0) {
			ps.base_shift = 24;
			ps.actual_shift = 24;
		}
		break;
	case 1:
		ps.base_shift = 16;
		ps.actual_shift = 16;
		break;
	case 3:
		if (lphi == 0) {
			ps.base_shift = 34;
			ps.actual_shift = 34;
		}
		break;
	case 7:
		ps.base_shift = 12;
		ps.actual_shift = 16;
		break;
	case 8:
		if (lphi == 0) {
			ps.base_shift = 16;
			ps.actual_shift = 24;
		} else if (lphi == 3) {
			ps.base_shift = 12;
			ps.actual_shift = 24;
		}
		break;
	default:
		break;
	}
	return ps;
}

/* Guest frame number of an entry's page, given its actual page shift */
static inline u64 hpte_gfn(u64 guest_r, unsigned int actual_shift)
{
	u64 mask = ~((1ULL << actual_shift) - 1);

	return (guest_r & HPTE_R_RPN & mask) >> HPTE_R_RPN_SHIFT;
}

static inline bool hpte_is_used(u64 v)
{
	return (v & (HPTE_V_VALID | HPTE_V_ABSENT)) != 0;
}

#endif /* HPT_HPTE_H */
