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
#define HPT_HPTES_PER_GROUP		8
#define HPT_HPTE_BYTES		16

/* V doubleword, pre-ISA-3.0 ("old") layout */
#define HPT_V_SSIZE_SHIFT	62
#define HPT_V_1TB_SEG		(1ULL << 62)
#define HPT_V_AVPN		0x3fffffffffffff80ULL
#define HPT_V_AVPN_SHIFT	7
#define HPT_V_HVLOCK		0x40ULL
#define HPT_V_ABSENT		0x20ULL
#define HPT_V_BOLTED		0x10ULL
#define HPT_V_LOCK		0x08ULL
#define HPT_V_LARGE		0x04ULL
#define HPT_V_SECONDARY	0x02ULL
#define HPT_V_VALID		0x01ULL

/* R doubleword */
#define HPT_R_PP0		0x8000000000000000ULL
#define HPT_R_KEY_HI		0x3000000000000000ULL
#define HPT_R_RPN_SHIFT	12
#define HPT_R_RPN		0x0ffffffffffff000ULL
#define HPT_R_PP		0x0000000000000003ULL
#define HPT_R_N		0x0000000000000004ULL
#define HPT_R_WIMG		0x0000000000000078ULL
#define HPT_R_C		0x0000000000000080ULL
#define HPT_R_R		0x0000000000000100ULL
#define HPT_R_KEY_LO		0x0000000000000e00ULL
#define HPT_R_KEY		(HPT_R_KEY_HI | HPT_R_KEY_LO)

/* ISA 3.0 layout: V keeps its low 52 bits, B moves to R bits 58..59 */
#define HPT_V_COMMON_BITS	0x000fffffffffffffULL
#define HPT_V_3_0_AVPN		0x000fffffffffff80ULL
#define HPT_R_3_0_SSIZE_SHIFT	58
#define HPT_R_3_0_SSIZE_MASK	(3ULL << HPT_R_3_0_SSIZE_SHIFT)

/* The guest's view of R kept in the revmap */
#define HPT_GR_MODIFIED	(1ULL << 62)

/* Segment sizes as held in B */
#define HPT_SEG_256M		0
#define HPT_SEG_1T		1

static inline u64 hpt_hpte_old_to_new_v(u64 v)
{
	return v & HPT_V_COMMON_BITS;
}

static inline u64 hpt_hpte_old_to_new_r(u64 v, u64 r)
{
	return (r & ~HPT_R_3_0_SSIZE_MASK) |
	       ((v >> HPT_V_SSIZE_SHIFT) << HPT_R_3_0_SSIZE_SHIFT);
}

static inline u64 hpt_hpte_new_to_old_v(u64 v, u64 r)
{
	return (v & HPT_V_COMMON_BITS) |
	       ((r & HPT_R_3_0_SSIZE_MASK) <<
		(HPT_V_SSIZE_SHIFT - HPT_R_3_0_SSIZE_SHIFT));
}

static inline u64 hpt_hpte_new_to_old_r(u64 r)
{
	return r & ~HPT_R_3_0_SSIZE_MASK;
}

/*
 * Page sizes of an entry as shifts.  An encoding the table in docs/hpt.md
 * does not list decodes to 0 for both; callers must check for that before
 * using a shift, never divide by or shift with it.
 */
struct hpt_psize {
	unsigned int base_shift;
	unsigned int actual_shift;
};

static inline struct hpt_psize hpt_hpte_decode_psize(u64 v, u64 r)
{
	struct hpt_psize ps = { 0, 0 };
	unsigned int lp, lphi;

	if (!(v & HPT_V_LARGE)) {
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
static inline u64 hpt_hpte_gfn(u64 guest_r, unsigned int actual_shift)
{
	u64 mask = ~((1ULL << actual_shift) - 1);

	return (guest_r & HPT_R_RPN & mask) >> HPT_R_RPN_SHIFT;
}

static inline bool hpt_hpte_is_used(u64 v)
{
	return (v & (HPT_V_VALID | HPT_V_ABSENT)) != 0;
}

#endif /* HPT_HPTE_H */
