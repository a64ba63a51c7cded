// SPDX-License-Identifier: GPL-2.0-only
/*
 * The truth about a VA-described entry: page sizes, the widths its fields
 * are masked to, its hash and the words H_ENTER would store.  Everything
 * here is computed from the VA and the page pair, never read back from a
 * V word, so it can judge code that recovers the hash from one.
 */
#include "hpt/env.h"
#include "hpt/scenario.h"
#include "scn_spec.h"

#define HASH_MASK	((1ULL << SCN_HASH_BITS) - 1)
#define AVPN_VA_SHIFT	23			/* AVPN = VA >> 23 */
#define AVPN_BITS_PRE300	55
#define AVPN_BITS_ISA300	45
/* Hardware R differs from guest R here, so a copy of the wrong one shows */
#define HW_R_FLIP	(1ULL << (SCN_R_RPN_SHIFT + HPT_SCN_RPN_BITS))

struct page_pair {
	u8 base, actual;	/* shifts */
	u64 lp;			/* R bits 12..19 */
};

static const struct page_pair pairs[HPT_SCN_NR_PAGES] = {
	[HPT_PAGE_4K]		= { 12, 12, 0 },
	[HPT_PAGE_64K]		= { 16, 16, 0x1000 },
	[HPT_PAGE_16M]		= { 24, 24, 0 },
	[HPT_PAGE_16G]		= { 34, 34, 0x3000 },
	[HPT_PAGE_4K_64K]	= { 12, 16, 0x7000 },
	[HPT_PAGE_64K_16M]	= { 16, 24, 0x8000 },
	[HPT_PAGE_4K_16M]	= { 12, 24, 0x38000 },
};

/* Out-of-range pages read as 4K/4K: callers keep them in range */
static const struct page_pair *pair(u8 page)
{
	return &pairs[page < HPT_SCN_NR_PAGES ? page : HPT_PAGE_4K];
}

unsigned int hpt_scn_base_shift(u8 page)
{
	return pair(page)->base;
}

unsigned int hpt_scn_actual_shift(u8 page)
{
	return pair(page)->actual;
}

unsigned int hpt_scn_seg_shift(u8 seg)
{
	return seg == HPT_SCN_SEG_1T ? 40 : 28;
}

/* The VSID fills the AVPN above the segment offset's bits 23 and up */
unsigned int hpt_scn_vsid_bits(bool isa300, u8 seg)
{
	unsigned int avpn = isa300 ? AVPN_BITS_ISA300 : AVPN_BITS_PRE300;

	return avpn + AVPN_VA_SHIFT - hpt_scn_seg_shift(seg);
}

u64 hpt_scn_ea_mask(u8 seg, u8 page)
{
	return ((1ULL << hpt_scn_seg_shift(seg)) - 1) &
	       ~((1ULL << hpt_scn_actual_shift(page)) - 1);
}

u64 hpt_scn_rpn_mask(u8 page)
{
	unsigned int align = hpt_scn_actual_shift(page) - 12;

	return ((1ULL << HPT_SCN_RPN_BITS) - 1) & ~((1ULL << align) - 1);
}

void hpt_scn_va_canonicalise(struct hpt_scn_va *va, bool isa300)
{
	va->page %= HPT_SCN_NR_PAGES;
	if (va->slot > HPT_SCN_SLOT_FIRST)
		va->slot = HPT_SCN_SLOT_FIRST;
	/* A 16G page needs a 1T segment; the VSID width follows the segment */
	if (va->page == HPT_PAGE_16G)
		va->seg = HPT_SCN_SEG_1T;
	va->seg = va->seg ? HPT_SCN_SEG_1T : HPT_SCN_SEG_256M;
	va->vsid &= (1ULL << hpt_scn_vsid_bits(isa300, va->seg)) - 1;
	va->ea &= hpt_scn_ea_mask(va->seg, va->page);
	va->rpn &= hpt_scn_rpn_mask(va->page);
	va->rbits &= HPT_SCN_RBITS_MASK;
	va->host &= HPT_SCN_HOST_MASK;
	/* Hardware setting a bit wins over a host path clearing it */
	if (va->host & HPT_SCN_HOST_SET_R)
		va->host &= ~HPT_SCN_HOST_CLEAR_R;
	if (va->host & HPT_SCN_HOST_SET_C)
		va->host &= ~HPT_SCN_HOST_CLEAR_C;
	/* VALID and ABSENT both: the entry is VALID with ABSENT added */
	if (va->host & HPT_SCN_HOST_BOTH)
		va->valid = true;
}

u64 hpt_scn_va_hash(const struct hpt_scn_va *va)
{
	u64 page = va->ea >> hpt_scn_base_shift(va->page);
	u64 seg_hash = va->vsid;

	if (va->seg == HPT_SCN_SEG_1T)
		seg_hash ^= va->vsid << 25;
	return (seg_hash ^ page) & HASH_MASK;
}

u64 hpt_scn_va_group(const struct hpt_scn_va *va, u32 order)
{
	u64 hash = hpt_scn_va_hash(va);

	return (va->secondary ? ~hash : hash) & scn_order_hash_mask(order);
}

/* VA >> 23 without forming the VA, which can be wider than 64 bits */
u64 hpt_scn_va_avpn(const struct hpt_scn_va *va)
{
	unsigned int seg_shift = hpt_scn_seg_shift(va->seg);
	u64 avpn = (va->vsid << (seg_shift - AVPN_VA_SHIFT)) |
		   (va->ea >> AVPN_VA_SHIFT);

	return avpn & ~(((1ULL << hpt_scn_base_shift(va->page)) - 1) >>
			AVPN_VA_SHIFT);
}

u64 hpt_scn_va_v(const struct hpt_scn_va *va)
{
	u64 v = ((u64)va->seg << SCN_V_B_SHIFT) |
		(hpt_scn_va_avpn(va) << SCN_V_AVPN_SHIFT);

	if (va->page != HPT_PAGE_4K)
		v |= SCN_V_LARGE;
	if (va->secondary)
		v |= SCN_V_SECONDARY;
	if (va->bolted)
		v |= SCN_V_BOLTED;
	v |= va->valid ? SCN_V_VALID : SCN_V_ABSENT;
	if (va->host & HPT_SCN_HOST_BOTH)
		v |= SCN_V_VALID | SCN_V_ABSENT;
	if (va->host & HPT_SCN_HOST_HVLOCK)
		v |= SCN_V_HVLOCK;
	return v;
}

u64 hpt_scn_va_guest_r(const struct hpt_scn_va *va)
{
	u64 rbits = va->rbits;
	u64 r = (va->rpn << SCN_R_RPN_SHIFT) | pair(va->page)->lp;

	r |= rbits & HPT_SCN_RBITS_LOW;
	r |= (rbits & HPT_SCN_RBITS_KEY_HI) << (60 - 12);
	if (rbits & HPT_SCN_RBITS_PP0)
		r |= SCN_R_PP0;
	return r;
}

/* As hpte_make_readonly(): PP0 or RW-for-supervisor-only becomes RXXX */
static u64 make_readonly(u64 r)
{
	if ((r & SCN_R_PP0) || (r & SCN_R_PP) == SCN_PP_RWXX)
		return (r & ~SCN_R_PP) | SCN_PP_RXXX;
	return r | SCN_PP_RXRX;
}

/*
 * What kvmppc_do_h_enter() and the host's later paths store: the host's
 * frame in place of the guest's (HW_R_FLIP), LP kept, then the host
 * field's changes.  KVM never changes LP, N or the guest's RPN width.
 */
u64 hpt_scn_va_hw_r(const struct hpt_scn_va *va)
{
	u64 r = hpt_scn_va_guest_r(va) ^ HW_R_FLIP;
	u16 host = va->host;

	if (host & HPT_SCN_HOST_CLEAR_R)
		r &= ~SCN_R_R;
	if (host & HPT_SCN_HOST_CLEAR_C)
		r &= ~SCN_R_C;
	if (host & HPT_SCN_HOST_SET_R)
		r |= SCN_R_R;
	if (host & HPT_SCN_HOST_SET_C)
		r |= SCN_R_C;
	if (host & HPT_SCN_HOST_READONLY)
		r = make_readonly(r);
	if (host & HPT_SCN_HOST_CACHE_M)
		r = (r & ~(SCN_R_W | SCN_R_I | SCN_R_G)) | SCN_R_M;
	if (host & HPT_SCN_HOST_KEY_CLEAR)
		r &= ~(SCN_R_KEY_HI | SCN_R_KEY_LO);
	return r;
}
