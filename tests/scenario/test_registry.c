// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of the test build of hptfuzz-replay: the core and the
 * broken implementations, which the real registry never lists.
 */
#include "broken_impls.h"

const struct hpt_impl *const hpt_impls[] = {
	&hpt_impl_core,
	&test_impl_swap,
	&test_impl_skip_unmap,
	&test_impl_valid,
	&test_impl_leave_lock,
	NULL
};
