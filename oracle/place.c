// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where one VA entry sits and where a resize must put it, computed from
 * the VA as the architecture hashes it, with constants of its own: the
 * all-orders check judges every implementation's per-entry rehash, at
 * orders no table of the differential runs reaches, against this alone.
 */
#include "oracle_spec.h"

static u64 place_group_mask(u32 order)
{
	return os_group_mask(order);
}

int hpt_oracle_va_place(u8 seg, u8 page, u64 vsid, u64 ea, bool secondary,
			u32 slot, u32 old_order, u32 new_order,
			struct hpt_oracle_place *p)
{
	unsigned int seg_shift, base;
	u64 hash, placed;

	if (page >= HPT_SCN_NR_PAGES || slot >= OS_PER_GROUP ||
	    !os_order_ok(old_order) || !os_order_ok(new_order))
		return -EINVAL;
	switch (seg) {
	case 0:				/* B = 0: 256 MB */
		seg_shift = OS_SEG_256M_SHIFT;
		break;
	case 1:				/* B = 1: 1 TB */
		seg_shift = OS_SEG_1T_SHIFT;
		break;
	default:
		return -EIO;		/* B = 2, 3 are reserved */
	}
	base = os_scn_base_shift(page);
	/* No hash exists for a page that does not fit its segment */
	if (base > seg_shift)
		return -EIO;

	ea &= (1ULL << seg_shift) - 1;
	hash = os_hash(seg, vsid, ea >> base);
	placed = secondary ? ~hash : hash;
	p->hash = hash;
	p->old_idx = (placed & place_group_mask(old_order)) * OS_PER_GROUP +
		     slot;
	p->new_idx = (placed & place_group_mask(new_order)) * OS_PER_GROUP +
		     slot;
	return 0;
}
