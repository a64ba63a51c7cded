// SPDX-License-Identifier: GPL-2.0-only
/*
 * H_RESIZE_HPT_PREPARE / H_RESIZE_HPT_COMMIT, as KVM-HV implements them
 * for its user space.
 */
#include "hpt/env.h"
#include "hpt/platform.h"
#include "hpt/protocol.h"
#include "hpt/resize.h"

static bool hpt_shift_valid(u64 shift)
{
	return shift == 0 || hpt_order_valid(shift);
}

long hpt_resize_prepare(struct hpt_vm *vm, u64 flags, u64 shift)
{
	struct hpt_resize *resize;
	long ret;

	if (flags != 0 || !hpt_shift_valid(shift))
		return -EINVAL;

	hpt_plat_setup_lock(vm);

	resize = vm->resize;
	if (resize) {
		if (resize->order == shift) {
			/* The same request again: report its progress */
			ret = resize->error;
			if (ret == -EBUSY)
				ret = HPT_PREPARE_WAIT_MS;
			else if (ret)
				hpt_resize_release(vm, resize);
			goto out;
		}
		/* A different request cancels this one */
		hpt_resize_release(vm, resize);
	}

	ret = 0;
	if (!shift)
		goto out;

	resize = hpt_plat_alloc_resize(vm);
	if (!resize) {
		ret = -ENOMEM;
		goto out;
	}
	resize->vm = vm;
	resize->order = shift;
	resize->error = -EBUSY;
	vm->resize = resize;
	hpt_plat_schedule_work(vm, resize);
	ret = HPT_PREPARE_WAIT_MS;

out:
	hpt_plat_setup_unlock(vm);
	return ret;
}

/*
 * First half of the work: allocate the table unless the request was
 * cancelled before the work ran.  The setup lock is not held across the
 * allocation, which may take long for a large table.
 */
int hpt_resize_work_allocate(struct hpt_resize *resize)
{
	struct hpt_vm *vm = resize->vm;
	bool is_current;
	int err;

	hpt_plat_setup_lock(vm);
	is_current = vm->resize == resize;
	hpt_plat_setup_unlock(vm);

	if (!is_current)
		return 0;

	err = hpt_table_alloc(vm, &resize->hpt, resize->order);
	/* -EBUSY means "still running" to everyone else */
	if (err == -EBUSY)
		err = -EINPROGRESS;
	return err;
}

void hpt_resize_work_finish(struct hpt_resize *resize, int err)
{
	struct hpt_vm *vm = resize->vm;

	hpt_plat_setup_lock(vm);
	resize->error = err;
	/* Cancelled while it ran: nobody else will free it */
	if (vm->resize != resize)
		hpt_resize_release(vm, resize);
	hpt_plat_setup_unlock(vm);
}

void hpt_resize_work(struct hpt_resize *resize)
{
	hpt_resize_work_finish(resize, hpt_resize_work_allocate(resize));
}

long hpt_resize_commit(struct hpt_vm *vm, u64 flags, u64 shift)
{
	struct hpt_resize *resize;
	long ret;

	if (flags != 0 || !hpt_shift_valid(shift))
		return -EINVAL;

	hpt_plat_setup_lock(vm);
	resize = vm->resize;

	ret = -EIO;
	if (!vm->mmu_ready)
		goto out_no_hpt;

	vm->mmu_ready = false;
	hpt_plat_stop_guest(vm);

	ret = -ENXIO;
	if (!resize || resize->order != shift)
		goto out;

	ret = resize->error;
	if (ret)
		goto out;

	ret = hpt_rehash(vm, &resize->hpt);
	if (ret)
		goto out;

	hpt_pivot(vm, resize);

out:
	vm->mmu_ready = true;
	hpt_plat_resume_guest(vm);
out_no_hpt:
	/* Success, failure or mismatch: the request is used up */
	hpt_resize_release(vm, resize);
	hpt_plat_setup_unlock(vm);
	return ret;
}

void hpt_resize_cancel(struct hpt_vm *vm)
{
	hpt_plat_setup_lock(vm);
	hpt_resize_release(vm, vm->resize);
	hpt_plat_setup_unlock(vm);
}

long hpt_hcall_rc(long ret)
{
	if (ret > 0)
		return HPT_H_LONG_BUSY_ORDER_100_MSEC;

	switch (ret) {
	case 0:
		return HPT_H_SUCCESS;
	case -EINVAL:
		return HPT_H_PARAMETER;
	case -ENXIO:
		return HPT_H_CLOSED;
	case -ENOSPC:
		return HPT_H_PTEG_FULL;
	case -EBUSY:
		return HPT_H_BUSY;
	case -ENOMEM:
		return HPT_H_NO_MEM;
	default:
		return HPT_H_HARDWARE;
	}
}

long hpt_h_resize_hpt_prepare(struct hpt_vm *vm, u64 flags, u64 shift)
{
	if (!vm->resize_enabled)
		return HPT_H_FUNCTION;
	return hpt_hcall_rc(hpt_resize_prepare(vm, flags, shift));
}

long hpt_h_resize_hpt_commit(struct hpt_vm *vm, u64 flags, u64 shift)
{
	if (!vm->resize_enabled)
		return HPT_H_FUNCTION;
	return hpt_hcall_rc(hpt_resize_commit(vm, flags, shift));
}
