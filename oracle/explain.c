// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VA for a raw entry, where the architecture decides one: the AVPN
 * fixes the segment size, the VSID and the page number's bits from VA
 * bit 23 up; the bits under 23 (11 at most, for 4 KB pages) are tried
 * one value after another, each candidate VA hashed forward as the spec
 * hashes it, and kept if it lands in the group the entry sits in.  This
 * never runs a resize's hash recovery backwards: the oracle judges that.
 */
#include "oracle_spec.h"

u8 oracle_explain(const struct hpt_oracle *o, u64 idx, u64 tv, u64 tr,
		  u64 guest_r, u64 *hash, u64 *new_idx)
{
	u32 b, base, actual, seg_shift, k, low;
	u64 v, r, avpn, vsid, page_hi, h, placed, group, cand = 0;
	bool found = false;

	os_from_table(o->isa300, tv, tr, &v, &r);
	/* As a resize meets them: the lock, then the frame's size */
	if (v & OS_V_HVLOCK)
		return HPT_UNEXPL_HVLOCK;
	os_page_shifts(v, guest_r, &base, &actual);
	if (!actual)
		return HPT_UNEXPL_ACTUAL;
	b = v >> OS_V_B_SHIFT;
	if (b > 1)
		return HPT_UNEXPL_SEGMENT;
	os_page_shifts(v, r, &base, &actual);
	if (!base)
		return HPT_UNEXPL_ENCODING;
	seg_shift = b ? OS_SEG_1T_SHIFT : OS_SEG_256M_SHIFT;
	if (base > seg_shift)
		return HPT_UNEXPL_PAGE_SEG;

	avpn = (v & OS_V_AVPN) >> OS_V_AVPN_SHIFT;
	vsid = avpn >> (seg_shift - OS_AVPN_VA_SHIFT);
	page_hi = ((avpn & ((1ULL << (seg_shift - OS_AVPN_VA_SHIFT)) - 1)) <<
		   OS_AVPN_VA_SHIFT) >> base;
	k = base < OS_AVPN_VA_SHIFT ? OS_AVPN_VA_SHIFT - base : 0;
	group = idx / OS_PER_GROUP;
	for (low = 0; low < (1u << k); low++) {
		h = os_hash(b, vsid, page_hi | low);
		placed = (v & OS_V_SECONDARY) ? ~h : h;
		if ((placed & os_group_mask(o->old_order)) != group)
			continue;
		placed = (placed & os_group_mask(o->new_order)) * OS_PER_GROUP +
			 idx % OS_PER_GROUP;
		if (found && placed != cand)
			return HPT_UNEXPL_AMBIGUOUS;
		found = true;
		cand = placed;
		*hash = h;
	}
	if (!found)
		return HPT_UNEXPL_GROUP;
	*new_idx = cand;
	return HPT_UNEXPL_NONE;
}
