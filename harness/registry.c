// SPDX-License-Identifier: GPL-2.0-only
/* Looking an implementation up by name in the registry */
#include <string.h>

#include "hpt/harness.h"

const struct hpt_impl *hpt_impl_find(const char *name)
{
	const struct hpt_impl *const *impl;

	for (impl = hpt_impls; *impl; impl++)
		if (!strcmp((*impl)->name, name))
			return *impl;
	return NULL;
}
