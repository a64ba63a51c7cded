// SPDX-License-Identifier: GPL-2.0-only
/*
 * The project's core, driven the way a guest drives it: prepare, let the
 * allocation work run, prepare again to collect its result, commit.
 */
#include "hpt/harness.h"
#include "hpt/protocol.h"
#include "hpt/resize.h"
#include "hpt_user.h"

static int core_resize(struct hpt_vm *vm, u32 new_order,
		       struct hpt_impl_outcome *out)
{
	long ret;

	(void)out;	/* the core never stops the host */
	ret = hpt_resize_prepare(vm, 0, new_order);
	if (ret < 0)
		return ret;
	hpt_user_sched_run_all(vm);
	ret = hpt_resize_prepare(vm, 0, new_order);
	if (ret)
		/* A still-running prepare after all work ran is a bug too */
		return ret > 0 ? -EBUSY : ret;
	return hpt_resize_commit(vm, 0, new_order);
}

static int core_rehash_entry(struct hpt_vm *vm, struct hpt_info *new,
			     u64 idx, struct hpt_impl_outcome *out)
{
	(void)out;
	return hpt_rehash_hpte(vm, new, idx);
}

static int core_rehash_table(struct hpt_vm *vm, struct hpt_info *new,
			     struct hpt_impl_outcome *out)
{
	(void)out;
	return hpt_rehash(vm, new);
}

static int core_attach(struct hpt_vm *vm, struct hpt_impl_outcome *out)
{
	(void)vm;
	(void)out;	/* the core never stops the host */
	return 0;
}

static size_t core_pending(const struct hpt_vm *vm)
{
	return hpt_user_sched_pending(vm);
}

/* The platform runs a work in two halves: allocation, then the rest */
static int core_step(struct hpt_vm *vm, size_t n)
{
	struct hpt_resize *resize = hpt_user(vm)->work_head;
	size_t i;
	int finishing;

	for (i = 0; resize && i < n; i++)
		resize = resize->work.next;
	if (!resize)
		return -1;
	finishing = resize->work.phase != 0;
	hpt_user_sched_step(vm, n);
	return finishing;
}

static long core_live_requests(const struct hpt_vm *vm)
{
	return hpt_user(vm)->live_resizes;
}

static void core_detach(struct hpt_vm *vm)
{
	(void)vm;	/* hpt_user_vm_destroy() cancels and runs the rest */
}

static const struct hpt_impl_protocol core_protocol = {
	.attach = core_attach,
	.prepare = hpt_h_resize_hpt_prepare,
	.commit = hpt_h_resize_hpt_commit,
	.cancel = hpt_resize_cancel,
	.pending = core_pending,
	.step = core_step,
	.live_requests = core_live_requests,
	.detach = core_detach,
};

const struct hpt_impl hpt_impl_core = {
	.name = "core",
	.description = "core/src through H_RESIZE_HPT_PREPARE/COMMIT",
	.resize = core_resize,
	.protocol = &core_protocol,
	.rehash_entry = core_rehash_entry,
	.rehash_table = core_rehash_table,
};
