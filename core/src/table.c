// SPDX-License-Identifier: GPL-2.0-only
/*
 * Table allocation, layout conversion at the edge, memslot lookup.
 */
#include "hpt/env.h"
#include "hpt/platform.h"

int hpt_table_alloc(struct hpt_vm *vm, struct hpt_info *hpt, u32 order)
{
	if (!hpt_order_valid(order))
		return -EINVAL;

	hpt->order = order;
	hpt->virt = hpt_plat_alloc_table(vm, order);
	if (!hpt->virt)
		goto fail;
	hpt->rev = hpt_plat_alloc_rev(vm, hpt_order_npte(order));
	if (!hpt->rev) {
		hpt_plat_free_table(vm, hpt->virt, order);
		goto fail;
	}
	return 0;

fail:
	hpt->virt = NULL;
	hpt->rev = NULL;
	return -ENOMEM;
}

void hpt_table_free(struct hpt_vm *vm, struct hpt_info *hpt)
{
	if (hpt->rev)
		hpt_plat_free_rev(vm, hpt->rev, hpt_npte(hpt));
	if (hpt->virt)
		hpt_plat_free_table(vm, hpt->virt, hpt->order);
	hpt->virt = NULL;
	hpt->rev = NULL;
}

void hpt_read_hpte(const struct hpt_vm *vm, const __be64 *hptep,
		   u64 *v, u64 *r)
{
	u64 rv = hpt_load_be64(&hptep[0]);
	u64 rr = hpt_load_be64(&hptep[1]);

	if (vm->isa300) {
		*v = hpt_hpte_new_to_old_v(rv, rr);
		*r = hpt_hpte_new_to_old_r(rr);
	} else {
		*v = rv;
		*r = rr;
	}
}

void hpt_write_hpte(const struct hpt_vm *vm, __be64 *hptep, u64 v, u64 r)
{
	if (vm->isa300) {
		r = hpt_hpte_old_to_new_r(v, r);
		v = hpt_hpte_old_to_new_v(v);
	}
	/* R first: V is what makes the entry exist */
	hpt_store_be64(&hptep[1], r);
	hpt_store_be64(&hptep[0], v);
}

/*
 * A fuzz target learns nothing from a loop that passes over empty slots,
 * yet sanitizer coverage's callbacks on each slot cost more than the rest
 * of an execution: this loop goes without.  Nor does ASan check its
 * loads, a sixth of an execution under ASan: they stay inside the table,
 * and a wrong bound runs into the guard pages the host platform puts
 * around every table it hands out, which fault.  A function built so
 * inlines no helper built otherwise, so the loop reads the byte of V that
 * holds VALID and ABSENT (0x01 and 0x20) itself: the last, V being
 * big-endian.  It sits in its own unit so that it is not inlined into an
 * instrumented caller.
 */
#if defined(__has_feature)
#if __has_feature(coverage_sanitizer) && __has_feature(address_sanitizer)
#define hpt_scan_attr __attribute__((no_sanitize("coverage", "address")))
#elif __has_feature(coverage_sanitizer)
#define hpt_scan_attr __attribute__((no_sanitize("coverage")))
#elif __has_feature(address_sanitizer)
#define hpt_scan_attr __attribute__((no_sanitize("address")))
#endif
#endif
#ifndef hpt_scan_attr
#define hpt_scan_attr
#endif

hpt_scan_attr u64 hpt_next_used(const struct hpt_info *hpt, u64 idx)
{
	const u8 *v_low = (const u8 *)hpt->virt + 7;
	u64 npte = hpt_npte(hpt);	/* a call, but once */

	for (; idx < npte; idx++)
		if (v_low[idx * HPT_HPTE_BYTES] & (HPT_V_VALID | HPT_V_ABSENT))
			break;
	return idx;
}

struct hpt_memslot *hpt_gfn_to_memslot(struct hpt_vm *vm, u64 gfn)
{
	u32 i;

	for (i = 0; i < vm->nr_memslots; i++) {
		struct hpt_memslot *slot = &vm->memslots[i];

		if (gfn >= slot->base_gfn && gfn - slot->base_gfn < slot->npages)
			return slot;
	}
	return NULL;
}
