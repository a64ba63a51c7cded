/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest whose HPT is resized: the parts of KVM's struct kvm the
 * resize code touches, and the pending resize request.
 */
#ifndef HPT_VM_H
#define HPT_VM_H

#include "table.h"

/* rmap word: lock bit, harvested R/C, present bit, ring head index */
#define HPT_RMAP_LOCK_BIT	43
#define HPT_RMAP_LOCK		(1ULL << HPT_RMAP_LOCK_BIT)
#define HPT_RMAP_RC_SHIFT	32
#define HPT_RMAP_REFERENCED	(HPT_R_R << HPT_RMAP_RC_SHIFT)
#define HPT_RMAP_CHANGED	(HPT_R_C << HPT_RMAP_RC_SHIFT)
#define HPT_RMAP_PRESENT	0x100000000ULL
#define HPT_RMAP_INDEX		0xffffffffULL

struct hpt_memslot {
	u64 base_gfn;
	u64 npages;
	u64 *rmap;		/* one word per page */
};

struct hpt_resize {
	struct hpt_vm *vm;
	u32 order;
	/* -EBUSY while the allocation work has not finished */
	int error;
	/* Private to the work until it finishes, then under setup_lock */
	struct hpt_info hpt;
	struct hpt_plat_work work;
};

struct hpt_vm {
	struct hpt_info hpt;		/* the active table */
	struct hpt_resize *resize;	/* pending request, under setup_lock */
	bool isa300;			/* table holds the ISA 3.0 layout */
	bool resize_enabled;		/* guest may use the resize hcalls */
	bool mmu_ready;			/* vcpus may run */
	struct hpt_memslot *memslots;
	u32 nr_memslots;
	struct hpt_plat_vm plat;	/* platform state: locks, recorder */
};

/* Memslot backing a guest frame, or NULL */
struct hpt_memslot *hpt_gfn_to_memslot(struct hpt_vm *vm, u64 gfn);

#endif /* HPT_VM_H */
