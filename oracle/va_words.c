// SPDX-License-Identifier: GPL-2.0-only
/*
 * The words H_ENTER and the host's later paths store for a VA record,
 * computed here from the scenario format's description
 * (docs/scenario-format.md) with the oracle's own constants: were the
 * generator to build them wrong, the table it made would differ from the
 * oracle's and the run would stop as an internal error, instead of both
 * agreeing on the same mistake.
 */
#include "oracle_internal.h"

/* RPN bit 40 (R bit 52): the host's frame differs from the guest's */
#define VA_HW_R_FLIP	(1ULL << (OS_R_RPN_SHIFT + 40))

/* R bits 12..19 (LP, LPHI) of each page pair, as the spec's LP table */
static u64 va_lp(u8 page)
{
	switch (page) {
	case HPT_PAGE_64K:
		return 0x1000;		/* lp 1 */
	case HPT_PAGE_16G:
		return 0x3000;		/* lp 3 */
	case HPT_PAGE_4K_64K:
		return 0x7000;		/* lp 7 */
	case HPT_PAGE_64K_16M:
		return 0x8000;		/* lp 8, lphi 0 */
	case HPT_PAGE_4K_16M:
		return 0x38000;		/* lp 8, lphi 3 */
	default:
		return 0;		/* 4K/4K (no L), 16M/16M (lp 0) */
	}
}

void oracle_va_words(const struct hpt_scn_va *va, u64 *v, u64 *guest_r,
		     u64 *hw_r)
{
	u32 seg_shift = va->seg ? OS_SEG_1T_SHIFT : OS_SEG_256M_SHIFT;
	u32 base = os_scn_base_shift(va->page);
	u64 avpn, r;

	/* VA >> 23, the bits below the base page size cleared */
	avpn = (va->vsid << (seg_shift - OS_AVPN_VA_SHIFT)) |
	       (va->ea >> OS_AVPN_VA_SHIFT);
	avpn &= ~(((1ULL << base) - 1) >> OS_AVPN_VA_SHIFT);
	*v = ((u64)va->seg << OS_V_B_SHIFT) | (avpn << OS_V_AVPN_SHIFT);
	if (va->page != HPT_PAGE_4K)
		*v |= OS_V_LARGE;
	if (va->secondary)
		*v |= OS_V_SECONDARY;
	if (va->bolted)
		*v |= OS_V_BOLTED;
	*v |= va->valid ? OS_V_VALID : OS_V_ABSENT;
	if (va->host & HPT_SCN_HOST_BOTH)
		*v |= OS_V_VALID | OS_V_ABSENT;
	if (va->host & HPT_SCN_HOST_HVLOCK)
		*v |= OS_V_HVLOCK;

	/* rbits: R bits 0..11, then the key's high bits, then PP0 */
	r = (va->rpn << OS_R_RPN_SHIFT) | va_lp(va->page);
	r |= va->rbits & 0xfffULL;
	r |= (u64)((va->rbits >> 12) & 3) << 60;
	if (va->rbits & 0x8000)
		r |= OS_R_PP0;
	*guest_r = r;

	/* The host's frame, then the host field in the format's order */
	r ^= VA_HW_R_FLIP;
	if (va->host & HPT_SCN_HOST_CLEAR_R)
		r &= ~OS_R_R;
	if (va->host & HPT_SCN_HOST_CLEAR_C)
		r &= ~OS_R_C;
	if (va->host & HPT_SCN_HOST_SET_R)
		r |= OS_R_R;
	if (va->host & HPT_SCN_HOST_SET_C)
		r |= OS_R_C;
	if (va->host & HPT_SCN_HOST_READONLY) {
		/* PP0, or PP 0 (read/write): read-only for the supervisor */
		if ((r & OS_R_PP0) || !(r & (OS_R_PP0 | OS_R_PP_LOW)))
			r = (r & ~(OS_R_PP0 | OS_R_PP_LOW)) | OS_R_PP0 | 2;
		else
			r |= 3;
	}
	if (va->host & HPT_SCN_HOST_CACHE_M)
		r = (r & ~(OS_R_W | OS_R_I | OS_R_G)) | OS_R_M;
	if (va->host & HPT_SCN_HOST_KEY_CLEAR)
		r &= ~OS_R_KEY;
	*hw_r = r;
}
