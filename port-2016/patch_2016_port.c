// SPDX-License-Identifier: GPL-2.0-only
/*
 * The original patch's resize_hpt_rehash_hpte(), resize_hpt_rehash(),
 * resize_hpt_pivot() and resize_hpt_release(), ported line by line.
 *
 * The only departures are mechanical: kernel calls become platform hooks,
 * each BUG_ON records which one fired and stops the port (the host would
 * be dead), an HVLOCK nobody can drop is reported instead of spun on
 * forever, and the division by a zero page size (undefined behaviour; on
 * POWER a garbage quotient) is recorded before it happens.  Out-of-bounds
 * table accesses are left to happen: the harness allocates guarded tables
 * so they fault instead of corrupting memory, and reports the fault as a
 * crash (harness/guard_fault.c).
 */
#include "hpt/platform.h"
#include "patch_2016_port.h"

/* The patch's own text of the condition, for the report */
#define PORT_BUG_ON(cond, text, out, where)				\
	do {								\
		if (cond) {						\
			(out)->crash = "BUG_ON(" text ") in " where;	\
			return -EFAULT;					\
		}							\
	} while (0)

/* hpte_page_size() and hpte_base_page_size(): bytes, 0 if invalid */
static unsigned long port_page_size(u64 v, u64 r, bool base)
{
	struct hpt_psize ps = hpt_hpte_decode_psize(v, r);
	unsigned int shift = base ? ps.base_shift : ps.actual_shift;

	return shift ? 1UL << shift : 0;
}

static unsigned long port_hpte_rpn(u64 ptel, unsigned long psize)
{
	return ((ptel & HPT_R_RPN) & ~(psize - 1)) >> HPT_R_RPN_SHIFT;
}

static int port_rehash_hpte(struct hpt_vm *vm, struct hpt_info *new,
			    unsigned long idx, struct port_outcome *out)
{
	struct hpt_info *old = &vm->hpt;
	unsigned long old_hash_mask = (1ULL << (old->order - 7)) - 1;
	unsigned long new_hash_mask = (1ULL << (new->order - 7)) - 1;
	__be64 *hptep, *new_hptep;
	unsigned long vpte, rpte, guest_rpte;
	int ret;
	struct hpt_rev *rev;
	unsigned long apsize, psize, avpn, pteg, hash;
	unsigned long new_idx, new_pteg, replace_vpte;

	out->idx = idx;
	/*
	 * The patch's kvm_hpt_info.virt is an unsigned long: table addresses
	 * are integer sums there, which wrap instead of being undefined.
	 */
	hptep = (__be64 *)((unsigned long)old->virt + (idx << 4));

	vpte = hpt_load_be64(&hptep[0]);
	if (!(vpte & HPT_V_VALID) && !(vpte & HPT_V_ABSENT))
		return 0; /* nothing to do */

	/* while (!try_lock_hpte(hptep, HPT_V_HVLOCK)) cpu_relax(); */
	if (hpt_plat_lock_hpte(vm, hptep)) {
		out->hang = "spins forever in try_lock_hpte() on an HVLOCK already set";
		return -EDEADLK;
	}

	vpte = hpt_load_be64(&hptep[0]);

	ret = 0;
	if (!(vpte & HPT_V_VALID) && !(vpte & HPT_V_ABSENT))
		/* Nothing to do */
		goto out;

	/* Unmap */
	rev = &old->rev[idx];
	guest_rpte = rev->guest_rpte;

	ret = -EIO;
	apsize = port_page_size(vpte, guest_rpte, false);
	if (!apsize)
		goto out;

	if (vpte & HPT_V_VALID) {
		unsigned long gfn = port_hpte_rpn(guest_rpte, apsize);

		/* __gfn_to_memslot(); kvmppc_unmap_hpte() under lock_rmap() */
		if (hpt_gfn_to_memslot(vm, gfn))
			hpt_plat_unmap_hpte(vm, old, idx, gfn);
	}

	/* Reload PTE after unmap */
	vpte = hpt_load_be64(&hptep[0]);

	PORT_BUG_ON(vpte & HPT_V_VALID, "vpte & HPTE_V_VALID", out,
		    "resize_hpt_rehash_hpte()");
	PORT_BUG_ON(!(vpte & HPT_V_ABSENT), "!(vpte & HPTE_V_ABSENT)", out,
		    "resize_hpt_rehash_hpte()");

	ret = 0;
	if (!(vpte & HPT_V_BOLTED))
		goto out;

	rpte = hpt_load_be64(&hptep[1]);
	psize = port_page_size(vpte, rpte, true);
	avpn = ((vpte & HPT_V_AVPN) >> HPT_V_AVPN_SHIFT) & ~((psize - 1) >> 23);
	pteg = idx / HPT_HPTES_PER_GROUP;
	if (vpte & HPT_V_SECONDARY)
		pteg = ~pteg;

	if (!psize) {
		out->crash = "division by zero (offset / psize, psize 0) in resize_hpt_rehash_hpte()";
		return -EFAULT;
	}

	if (!(vpte & HPT_V_1TB_SEG)) {
		unsigned long offset, vsid;

		/* We only have 28 - 23 bits of offset in avpn */
		offset = (avpn & 0x1f) << 23;
		vsid = avpn >> 5;
		/* We can find more bits from the pteg value */
		if (psize < (1ULL << 23))
			offset |= ((vsid ^ pteg) & old_hash_mask) * psize;

		hash = vsid ^ (offset / psize);
	} else {
		unsigned long offset, vsid;

		/* We only have 40 - 23 bits of seg_off in avpn */
		offset = (avpn & 0x1ffff) << 23;
		vsid = avpn >> 17;
		if (psize < (1ULL << 23))
			offset |= ((vsid ^ (vsid << 25) ^ pteg) & old_hash_mask) * psize;

		hash = vsid ^ (vsid << 25) ^ (offset / psize);
	}

	new_pteg = hash & new_hash_mask;
	if (vpte & HPT_V_SECONDARY) {
		PORT_BUG_ON(~pteg != (hash & old_hash_mask),
			    "~pteg != (hash & old_hash_mask)", out,
			    "resize_hpt_rehash_hpte()");
		new_pteg = ~new_pteg;
	} else {
		PORT_BUG_ON(pteg != (hash & old_hash_mask),
			    "pteg != (hash & old_hash_mask)", out,
			    "resize_hpt_rehash_hpte()");
	}

	new_idx = new_pteg * HPT_HPTES_PER_GROUP + (idx % HPT_HPTES_PER_GROUP);
	new_hptep = (__be64 *)((unsigned long)new->virt + (new_idx << 4));

	replace_vpte = hpt_load_be64(&new_hptep[0]);

	if (replace_vpte & (HPT_V_VALID | HPT_V_ABSENT)) {
		PORT_BUG_ON(new->order >= old->order,
			    "new->order >= old->order", out,
			    "resize_hpt_rehash_hpte()");

		if (replace_vpte & HPT_V_BOLTED) {
			if (vpte & HPT_V_BOLTED)
				/* Bolted collision, nothing we can do */
				ret = -ENOSPC;
			/* Discard the new HPTE */
			goto out;
		}

		/* Discard the previous HPTE */
	}

	hpt_store_be64(&new_hptep[1], rpte);
	new->rev[new_idx].guest_rpte = guest_rpte;
	/* No need for a barrier, since new HPT isn't active */
	hpt_store_be64(&new_hptep[0], vpte);
	/* unlock_hpte(new_hptep, vpte): a release store without HVLOCK */
	hpt_store_be64(&new_hptep[0], vpte & ~HPT_V_HVLOCK);

out:
	hpt_plat_unlock_hpte(vm, hptep, vpte);
	return ret;
}

static int port_rehash(struct hpt_vm *vm, struct hpt_info *new,
		       struct port_outcome *out)
{
	unsigned long i;
	int rc;

	for (i = 0; i < hpt_npte(&vm->hpt); i++) {
		rc = port_rehash_hpte(vm, new, i, out);
		if (rc != 0)
			return rc;
	}

	return 0;
}

static void port_pivot(struct hpt_vm *vm, struct hpt_resize *resize)
{
	struct hpt_info hpt_tmp;

	/* Exchange the pending tables in the resize structure with the
	 * active tables
	 */
	hpt_plat_mmu_lock(vm);
	hpt_plat_ptesync(vm);

	hpt_tmp = vm->hpt;
	/* kvmppc_set_hpt(): SDR1 only, the partition table is not touched */
	vm->hpt = resize->hpt;
	hpt_plat_activate_hpt(vm);
	resize->hpt = hpt_tmp;

	hpt_plat_mmu_unlock(vm);

	hpt_plat_sync_readers(vm);
}

static int port_release(struct hpt_vm *vm, struct hpt_resize *resize,
			struct port_outcome *out)
{
	PORT_BUG_ON(vm->resize != resize, "kvm->arch.resize_hpt != resize",
		    out, "resize_hpt_release()");

	if (resize->hpt.virt) {
		/* kvmppc_free_hpt() */
		hpt_plat_free_rev(vm, resize->hpt.rev, hpt_npte(&resize->hpt));
		hpt_plat_free_table(vm, resize->hpt.virt, resize->hpt.order);
	}

	vm->resize = NULL;
	hpt_plat_free_resize(vm, resize);
	return 0;
}

/* resize_hpt_allocate(): kvmppc_allocate_hpt(&resize->hpt, order) */
static int port_allocate(struct hpt_vm *vm, struct hpt_resize *resize)
{
	resize->hpt.order = resize->order;
	resize->hpt.virt = hpt_plat_alloc_table(vm, resize->order);
	if (!resize->hpt.virt)
		return -ENOMEM;
	resize->hpt.rev = hpt_plat_alloc_rev(vm, hpt_order_npte(resize->order));
	if (!resize->hpt.rev) {
		hpt_plat_free_table(vm, resize->hpt.virt, resize->order);
		resize->hpt.virt = NULL;
		return -ENOMEM;
	}
	return 0;
}

int port_resize(struct hpt_vm *vm, u32 new_order, struct port_outcome *out)
{
	struct hpt_resize *resize;
	int ret, rel;

	out->crash = NULL;
	out->hang = NULL;
	resize = hpt_plat_alloc_resize(vm);
	if (!resize)
		return -ENOMEM;
	resize->vm = vm;
	resize->order = new_order;
	vm->resize = resize;

	hpt_plat_setup_lock(vm);
	ret = port_allocate(vm, resize);
	if (!ret) {
		vm->mmu_ready = false;
		hpt_plat_stop_guest(vm);
		ret = port_rehash(vm, &resize->hpt, out);
		if (out->crash || out->hang) {
			/* The host stopped here: leave everything as it is */
			hpt_plat_setup_unlock(vm);
			return ret;
		}
		if (!ret)
			port_pivot(vm, resize);
		vm->mmu_ready = true;
		hpt_plat_resume_guest(vm);
	}
	rel = port_release(vm, resize, out);
	hpt_plat_setup_unlock(vm);
	return rel ? rel : ret;
}

int port_rehash_entry(struct hpt_vm *vm, struct hpt_info *new, u64 idx,
		      struct port_outcome *out)
{
	out->crash = NULL;
	out->hang = NULL;
	return port_rehash_hpte(vm, new, idx, out);
}

int port_rehash_table(struct hpt_vm *vm, struct hpt_info *new,
		      struct port_outcome *out)
{
	out->crash = NULL;
	out->hang = NULL;
	return port_rehash(vm, new, out);
}
