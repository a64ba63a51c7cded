// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM-HV's rmap rings and unmap, for platforms that run the core outside
 * KVM.  A frame's rmap word holds the index of the first entry mapping it;
 * the entries form a ring through their revmap forw/back links.
 */
#include "hpt/env.h"
#include "hpt/model.h"
#include "hpt/platform.h"

/* Insert at the tail of the ring (before its head), as H_ENTER does */
void hpt_model_link_rmap(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			 u64 gfn)
{
	struct hpt_memslot *slot = hpt_gfn_to_memslot(vm, gfn);
	struct hpt_rev *rev = &hpt->rev[idx];
	u64 *rmapp;

	if (!slot)
		return;
	rmapp = &slot->rmap[gfn - slot->base_gfn];

	hpt_plat_lock_rmap(vm, rmapp);
	if (*rmapp & HPT_RMAP_PRESENT) {
		u32 head = *rmapp & HPT_RMAP_INDEX;
		struct hpt_rev *head_rev = &hpt->rev[head];

		rev->forw = head;
		rev->back = head_rev->back;
		hpt->rev[head_rev->back].forw = idx;
		head_rev->back = idx;
	} else {
		rev->forw = idx;
		rev->back = idx;
		*rmapp = (*rmapp & ~HPT_RMAP_INDEX) | idx | HPT_RMAP_PRESENT;
	}
	hpt_plat_unlock_rmap(vm, rmapp);
}

static void hpt_model_unlink_rmap(struct hpt_info *hpt, u64 idx, u64 *rmapp)
{
	u32 forw = hpt->rev[idx].forw;
	u32 back;

	if (forw == idx) {
		/* Last entry of the ring */
		*rmapp &= ~(HPT_RMAP_PRESENT | HPT_RMAP_INDEX);
		return;
	}
	back = hpt->rev[idx].back;
	hpt->rev[back].forw = forw;
	hpt->rev[forw].back = back;
	if ((*rmapp & HPT_RMAP_INDEX) == idx)
		*rmapp = (*rmapp & ~HPT_RMAP_INDEX) | forw;
}

/*
 * As kvmppc_unmap_hpte: leave the ring, invalidate (VALID off, ABSENT on,
 * the HVLOCK the caller holds kept), clear the storage key and harvest R/C
 * into the rmap word and the guest's view of R.  An entry no memslot backs
 * has no ring, but must not stay VALID either.
 */
void hpt_model_unmap_hpte(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			  u64 gfn)
{
	struct hpt_memslot *slot = hpt_gfn_to_memslot(vm, gfn);
	__be64 *hptep = hpt_hptep(hpt, idx);
	struct hpt_rev *rev = &hpt->rev[idx];
	u64 *rmapp = NULL;
	u64 v, r, rcbits;

	if (slot) {
		rmapp = &slot->rmap[gfn - slot->base_gfn];
		hpt_plat_lock_rmap(vm, rmapp);
		hpt_model_unlink_rmap(hpt, idx, rmapp);
	}

	/* VALID, ABSENT and the key bits sit alike in both layouts */
	v = hpt_load_be64(&hptep[0]);
	hpt_store_be64(&hptep[0], (v | HPT_V_ABSENT) & ~HPT_V_VALID);
	r = hpt_load_be64(&hptep[1]) & ~HPT_R_KEY;
	hpt_store_be64(&hptep[1], r);

	rcbits = r & (HPT_R_R | HPT_R_C);
	if (rcbits & ~rev->guest_rpte)
		rev->guest_rpte |= rcbits;

	if (rmapp) {
		*rmapp |= rcbits << HPT_RMAP_RC_SHIFT;
		hpt_plat_unlock_rmap(vm, rmapp);
	}
}
