/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the kernel texts differ, in one place.
 *
 * KSHIM_PATCH_2016 (set for patch-2016): the 2016 patch holds the rehash,
 * pivot, release and allocation of the resize, not the structure they work
 * on, the prepare and commit handlers, or the helpers it calls.  Those
 * come from here (the structure, as the patch's context and its series
 * show it; the helpers' 2016 names) and from the 6.1 tree (the headers'
 * helpers, kvmppc_allocate_hpt(), kvmppc_set_hpt(), kvmppc_free_hpt(),
 * which the series introduced in the form 6.1 still has).  Its own tree,
 * v4.10, is not packaged.
 *
 * Otherwise (a kernel tree, 6.1 or later): everything the resize code
 * calls that is not here or in kvm_shim.h is extracted from the tree.
 * 6.12 returns int from the two ioctl handlers where 6.1 returns long;
 * the adapter takes either.
 */
#ifndef HPT_KSHIM_VERSIONS_H
#define HPT_KSHIM_VERSIONS_H

#define KSHIM_CAT_(a, b)	a##b
#define KSHIM_CAT(a, b)		KSHIM_CAT_(a, b)

/*
 * The functions the texts define with external linkage get a name of
 * their implementation's, so several kernels link into one program.
 */
#define kvmppc_allocate_hpt	KSHIM_CAT(KSHIM_IMPL_ID, _kvmppc_allocate_hpt)
#define kvmppc_set_hpt		KSHIM_CAT(KSHIM_IMPL_ID, _kvmppc_set_hpt)
#define kvmppc_free_hpt		KSHIM_CAT(KSHIM_IMPL_ID, _kvmppc_free_hpt)
#define kvm_vm_ioctl_resize_hpt_prepare					\
	KSHIM_CAT(KSHIM_IMPL_ID, _kvm_vm_ioctl_resize_hpt_prepare)
#define kvm_vm_ioctl_resize_hpt_commit					\
	KSHIM_CAT(KSHIM_IMPL_ID, _kvm_vm_ioctl_resize_hpt_commit)

#if KSHIM_PATCH_2016

/* As the patch's first hunk and the series' outline patch declare it */
struct kvm_resize_hpt {
	/* These fields read-only after init */
	struct kvm *kvm;
	struct work_struct work;
	u32 order;

	/* These fields protected by kvm->lock */
	int error;
	bool prepare_done;

	/* Private to the work thread, until prepare_done is true,
	 * then protected by kvm->resize_hpt_sem
	 */
	struct kvm_hpt_info hpt;
};

/* The 2016 names of the page size helpers: bytes, 0 if not decodable */
static inline unsigned long hpte_page_size(unsigned long h, unsigned long l)
{
	return kvmppc_actual_pgsz(h, l);
}

static inline unsigned long hpte_base_page_size(unsigned long h,
						unsigned long l)
{
	int shift = kvmppc_hpte_base_page_shift(h, l);

	return shift ? 1UL << shift : 0;
}

/* 2016: kvmppc_unmap_hpte(kvm, i, rmapp, gfn) */
static inline void kvmppc_unmap_hpte(struct kvm *kvm, unsigned long i,
				     unsigned long *rmapp, unsigned long gfn)
{
	(void)rmapp;
	kshim_unmap_hpte(kvm, i, gfn);
}

#else

/* Since 2017: kvmppc_unmap_hpte(kvm, i, memslot, rmapp, gfn) */
static inline void kvmppc_unmap_hpte(struct kvm *kvm, unsigned long i,
				     struct kvm_memory_slot *memslot,
				     unsigned long *rmapp, unsigned long gfn)
{
	(void)memslot;
	(void)rmapp;
	kshim_unmap_hpte(kvm, i, gfn);
}

#endif

#endif /* HPT_KSHIM_VERSIONS_H */
