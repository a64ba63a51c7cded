// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where one VA entry sits and where a resize must put it, computed from
 * the VA as the architecture hashes it, with constants of its own: the
 * all-orders check judges every implementation's per-entry rehash, at
 * orders no table of the differential runs reaches, against this alone.
 */
#include "hpt/oracle.h"

#define PLACE_HASH_BITS		39	/* the hash is 39 bits wide */
#define PLACE_GROUP_SHIFT	7	/* a group is 128 bytes */
#define PLACE_PER_GROUP		8

/* Base page shift of each pair of enum hpt_scn_page, as the spec lists */
static const u8 place_base_shift[HPT_SCN_NR_PAGES] = {
	[HPT_PAGE_4K] = 12,
	[HPT_PAGE_64K] = 16,
	[HPT_PAGE_16M] = 24,
	[HPT_PAGE_16G] = 34,
	[HPT_PAGE_4K_64K] = 12,
	[HPT_PAGE_64K_16M] = 16,
	[HPT_PAGE_4K_16M] = 12,
};

static u64 place_group_mask(u32 order)
{
	return (1ULL << (order - PLACE_GROUP_SHIFT)) - 1;
}

int hpt_oracle_va_place(u8 seg, u8 page, u64 vsid, u64 ea, bool secondary,
			u32 slot, u32 old_order, u32 new_order,
			struct hpt_oracle_place *p)
{
	unsigned int seg_shift, base;
	u64 seg_hash, hash, placed;

	if (page >= HPT_SCN_NR_PAGES || slot >= PLACE_PER_GROUP ||
	    old_order < 18 || old_order > 46 || new_order < 18 ||
	    new_order > 46)
		return -EINVAL;
	switch (seg) {
	case 0:				/* B = 0: 256 MB */
		seg_shift = 28;
		seg_hash = vsid;
		break;
	case 1:				/* B = 1: 1 TB */
		seg_shift = 40;
		seg_hash = vsid ^ (vsid << 25);
		break;
	default:
		return -EIO;		/* B = 2, 3 are reserved */
	}
	base = place_base_shift[page];
	/* No hash exists for a page that does not fit its segment */
	if (base > seg_shift)
		return -EIO;

	ea &= (1ULL << seg_shift) - 1;
	hash = (seg_hash ^ (ea >> base)) & ((1ULL << PLACE_HASH_BITS) - 1);
	placed = secondary ? ~hash : hash;
	p->hash = hash;
	p->old_idx = (placed & place_group_mask(old_order)) * PLACE_PER_GROUP +
		     slot;
	p->new_idx = (placed & place_group_mask(new_order)) * PLACE_PER_GROUP +
		     slot;
	return 0;
}
