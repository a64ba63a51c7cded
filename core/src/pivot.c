// SPDX-License-Identifier: GPL-2.0-only
/*
 * Switch the guest to the rehashed table and free whichever table is left
 * over.
 */
#include "hpt/env.h"
#include "hpt/platform.h"
#include "hpt/resize.h"

void hpt_pivot(struct hpt_vm *vm, struct hpt_resize *resize)
{
	struct hpt_info old;

	hpt_plat_mmu_lock(vm);
	/* Every update to the old table is visible before the switch */
	hpt_plat_ptesync(vm);

	old = vm->hpt;
	vm->hpt = resize->hpt;
	resize->hpt = old;
	hpt_plat_activate_hpt(vm);
	/*
	 * On ISA 3.0 the hardware finds the HPT through the partition table,
	 * not SDR1: without this it would keep walking the old table after
	 * release frees it.
	 */
	if (vm->isa300)
		hpt_plat_update_partition_table(vm);

	hpt_plat_mmu_unlock(vm);

	/* Readers that looked up the old table are done before release */
	hpt_plat_sync_readers(vm);
}

/*
 * Called with the setup lock held.  While the allocation work still runs
 * (error == -EBUSY) the request is only detached; the work frees it when
 * it finishes and sees it is no longer current.
 */
void hpt_resize_release(struct hpt_vm *vm, struct hpt_resize *resize)
{
	if (!resize)
		return;

	if (vm->resize == resize)
		vm->resize = NULL;

	if (resize->error == -EBUSY)
		return;

	if (resize->hpt.virt)
		hpt_table_free(vm, &resize->hpt);
	hpt_plat_free_resize(vm, resize);
}
