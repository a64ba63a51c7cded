// SPDX-License-Identifier: GPL-2.0-only
/*
 * The project's core, driven the way a guest drives it: prepare, let the
 * allocation work run, prepare again to collect its result, commit.
 */
#include "hpt/harness.h"
#include "hpt/protocol.h"

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

const struct hpt_impl hpt_impl_core = {
	.name = "core",
	.description = "core/src through H_RESIZE_HPT_PREPARE/COMMIT",
	.resize = core_resize,
};
