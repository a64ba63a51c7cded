// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rehash every entry of the active HPT into a newly allocated one.
 *
 * Derived from the KVM-HV HPT resizing code (book3s_64_mmu_hv.c).  The
 * guest is stopped while this runs, so entries can only be unmapped or
 * altered by the host, never added.
 */
#include "hpt/env.h"
#include "hpt/platform.h"
#include "hpt/resize.h"

#define HPT_HASH_BITS_MASK	0x7fffffffffULL	/* the hash has 39 bits */
#define HPT_AVPN_VA_SHIFT	23		/* AVPN = VA >> 23 */

/*
 * Recover an entry's hash from its AVPN and the group it sits in.
 *
 * The AVPN holds the VSID and the page index bits at and above VA bit 23;
 * for base pages below 8 MB the index bits under bit 23 are not in the
 * entry, but the group index is (hash ^ segment part) in those bits, so
 * they come back from it.  Only the missing bits are taken from the group:
 * the rest must agree with it, which is checked by the caller.
 */
static int hpt_recover_hash(u64 v, u64 r, u64 group, u64 *hash)
{
	struct hpt_psize ps = hpt_hpte_decode_psize(v, r);
	unsigned int shift = ps.base_shift;
	unsigned int seg_shift;
	u64 avpn, vsid, seg_hash, page;

	if (!shift)
		return -EIO;

	switch (v >> HPT_V_SSIZE_SHIFT) {
	case HPT_SEG_256M:
		seg_shift = 28;
		break;
	case HPT_SEG_1T:
		seg_shift = 40;
		break;
	default:
		return -EIO;	/* reserved segment size */
	}
	if (shift > seg_shift)
		return -EIO;	/* a page cannot be larger than its segment */

	avpn = (v & HPT_V_AVPN) >> HPT_V_AVPN_SHIFT;
	/* Bits below the base page size are not part of the page number */
	avpn &= ~(((1ULL << shift) - 1) >> HPT_AVPN_VA_SHIFT);

	vsid = avpn >> (seg_shift - HPT_AVPN_VA_SHIFT);
	if (seg_shift == 28)
		seg_hash = vsid;
	else
		seg_hash = vsid ^ (vsid << 25);

	/* Segment offset bits 23 and up, as a page index */
	page = ((avpn & ((1ULL << (seg_shift - HPT_AVPN_VA_SHIFT)) - 1))
		<< HPT_AVPN_VA_SHIFT) >> shift;
	if (shift < HPT_AVPN_VA_SHIFT)
		page |= (seg_hash ^ group) &
			((1ULL << (HPT_AVPN_VA_SHIFT - shift)) - 1);

	*hash = (seg_hash ^ page) & HPT_HASH_BITS_MASK;
	return 0;
}

int hpt_rehash_target(u32 old_order, u32 new_order, u64 idx, u64 v, u64 r,
		      u64 *new_idx)
{
	u64 group = idx / HPT_HPTES_PER_GROUP;
	u64 hash, placed;
	int ret;

	ret = hpt_recover_hash(v, r, (v & HPT_V_SECONDARY) ? ~group : group,
			       &hash);
	if (ret)
		return ret;

	placed = (v & HPT_V_SECONDARY) ? ~hash : hash;
	/*
	 * An entry whose AVPN disagrees with its group can never be found by
	 * the hardware; refuse to guess where it belongs.
	 */
	if ((placed & hpt_order_hash_mask(old_order)) != group)
		return -EIO;

	*new_idx = (placed & hpt_order_hash_mask(new_order)) * HPT_HPTES_PER_GROUP +
		   idx % HPT_HPTES_PER_GROUP;
	return 0;
}

int hpt_rehash_hpte(struct hpt_vm *vm, struct hpt_info *new, u64 idx)
{
	struct hpt_info *old = &vm->hpt;
	__be64 *hptep = hpt_hptep(old, idx);
	__be64 *new_hptep;
	struct hpt_psize actual;
	u64 v, r, guest_rpte, new_idx, replace_v, replace_r;
	int ret;

	/* Nothing can become used while the guest is stopped */
	if (!hpt_hpte_is_used(hpt_load_be64(&hptep[0])))
		return 0;

	ret = hpt_plat_lock_hpte(vm, hptep);
	if (ret)
		return ret;

	hpt_read_hpte(vm, hptep, &v, &r);
	if (!hpt_hpte_is_used(v))
		goto out;

	/* The frame is named by the guest's R, at the actual page size */
	ret = -EIO;
	guest_rpte = old->rev[idx].guest_rpte;
	actual = hpt_hpte_decode_psize(v, guest_rpte);
	if (!actual.actual_shift)
		goto out;

	if (v & HPT_V_VALID) {
		hpt_plat_unmap_hpte(vm, old, idx,
				    hpt_hpte_gfn(guest_rpte, actual.actual_shift));
		/* Unmap changes V, R and the guest's R (harvested R/C) */
		hpt_read_hpte(vm, hptep, &v, &r);
		guest_rpte = old->rev[idx].guest_rpte;
		if ((v & HPT_V_VALID) || !(v & HPT_V_ABSENT))
			goto out;
	}

	ret = 0;
	if (!(v & HPT_V_BOLTED))
		goto out;	/* the guest refaults non-bolted entries */

	ret = hpt_rehash_target(old->order, new->order, idx, v, r, &new_idx);
	if (ret)
		goto out;

	new_hptep = hpt_hptep(new, new_idx);
	hpt_read_hpte(vm, new_hptep, &replace_v, &replace_r);
	if (hpt_hpte_is_used(replace_v)) {
		/*
		 * Only bolted entries reach the new table, so this is a
		 * bolted collision, possible only when shrinking.
		 */
		ret = -ENOSPC;
		goto out;
	}

	/* The new table is not active yet: no barrier, no lock needed */
	hpt_write_hpte(vm, new_hptep, v & ~HPT_V_HVLOCK, r);
	new->rev[new_idx].guest_rpte = guest_rpte;

out:
	/* Unlock with the word as it is in memory now, in its own layout */
	hpt_plat_unlock_hpte(vm, hptep, hpt_load_be64(&hptep[0]));
	return ret;
}

/*
 * Every slot is looked at, as the kernel's loop does; hpt_rehash_hpte()
 * reads each used entry again under its lock.
 */
int hpt_rehash(struct hpt_vm *vm, struct hpt_info *new)
{
	u64 idx, npte = hpt_npte(&vm->hpt);
	int ret;

	for (idx = hpt_next_used(&vm->hpt, 0); idx < npte;
	     idx = hpt_next_used(&vm->hpt, idx + 1)) {
		ret = hpt_rehash_hpte(vm, new, idx);
		if (ret)
			return ret;
	}
	return 0;
}
