// SPDX-License-Identifier: GPL-2.0-only
/*
 * The faithful port of the original patch (port-2016/), known to differ from
 * the core: the harness shows where, including the BUG_ONs that would
 * have stopped the host and the HVLOCK it would spin on.
 */
#include <stdio.h>

#include "hpt/harness.h"
#include "patch_2016_port.h"

/* Where the port stopped, as the harness says it */
static int port_outcome(int ret, const struct port_outcome *so,
			struct hpt_impl_outcome *out)
{
	if (so->crash || so->hang) {
		out->fate = so->crash ? HPT_IMPL_CRASHED : HPT_IMPL_HUNG;
		snprintf(out->what, sizeof(out->what), "%s",
			 so->crash ? so->crash : so->hang);
		out->idx = so->idx;
	}
	return ret;
}

static int port_impl_resize(struct hpt_vm *vm, u32 new_order,
			    struct hpt_impl_outcome *out)
{
	struct port_outcome so = { NULL, NULL, 0 };

	return port_outcome(port_resize(vm, new_order, &so), &so, out);
}

static int port_impl_rehash_entry(struct hpt_vm *vm, struct hpt_info *new,
				  u64 idx, struct hpt_impl_outcome *out)
{
	struct port_outcome so = { NULL, NULL, 0 };

	return port_outcome(port_rehash_entry(vm, new, idx, &so), &so, out);
}

static int port_impl_rehash_table(struct hpt_vm *vm, struct hpt_info *new,
				  struct hpt_impl_outcome *out)
{
	struct port_outcome so = { NULL, NULL, 0 };

	return port_outcome(port_rehash_table(vm, new, &so), &so, out);
}

const struct hpt_impl hpt_impl_patch_2016_port = {
	.name = "patch-2016-port",
	.description = "port of the original KVM-HV resize patch (port-2016/)",
	.resize = port_impl_resize,
	.rehash_entry = port_impl_rehash_entry,
	.rehash_table = port_impl_rehash_table,
};
