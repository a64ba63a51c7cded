// SPDX-License-Identifier: GPL-2.0-only
/*
 * The implementations every differential run compares with the oracle.
 * Adding one: write it in harness/impl_<name>.c (built automatically) and
 * list it here; nothing else changes.  The kernel's own code, one
 * implementation per source built, comes from kernel/ (kernel_impls.h is
 * generated there).
 */
#include "hpt/harness.h"
#include "kernel_impls.h"

extern const struct hpt_impl hpt_impl_patch_2016_port;

const struct hpt_impl *const hpt_impls[] = {
	&hpt_impl_core,
	&hpt_impl_patch_2016_port,
	HPT_KERNEL_IMPLS
	NULL
};
