// SPDX-License-Identifier: GPL-2.0-only
/*
 * The implementations every differential run compares with the oracle.
 * Adding one: write it in harness/impl_<name>.c (built automatically) and
 * list it here; nothing else changes.
 */
#include "hpt/harness.h"

extern const struct hpt_impl hpt_impl_seed;

const struct hpt_impl *const hpt_impls[] = {
	&hpt_impl_core,
	&hpt_impl_seed,
	NULL
};
