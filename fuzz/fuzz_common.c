// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "hpt/harness.h"

#define MAX_SELECTED	16

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "\n==== hptfuzz divergence ====\n");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

u32 fuzz_max_order(void)
{
	static u32 cap;

	if (!cap) {
		const char *env = getenv("HPTFUZZ_MAX_ORDER");
		char *end = NULL;
		unsigned long v = env && *env ? strtoul(env, &end, 0) :
				  HPT_HARNESS_DEFAULT_MAX_ORDER;

		if ((end && *end) || v < 18 || v > 46) {
			fprintf(stderr, "HPTFUZZ_MAX_ORDER=%s: not an order in 18..46\n",
				env);
			exit(2);
		}
		cap = v;
	}
	return cap;
}

const struct hpt_impl *const *fuzz_impls(bool (*needs)(const struct hpt_impl *),
					 const char *what)
{
	static const struct hpt_impl *list[MAX_SELECTED + 1];
	static bool made;
	const char *env = getenv("HPTFUZZ_IMPLS");
	char names[256], *name, *save;
	int n = 0, i;

	if (made)
		return list;
	made = true;
	if (env && !strcmp(env, "all")) {
		for (i = 0; hpt_impls[i] && n < MAX_SELECTED; i++)
			if (!needs || needs(hpt_impls[i]))
				list[n++] = hpt_impls[i];
	} else {
		snprintf(names, sizeof(names), "%s", env && *env ? env : "core");
		for (name = strtok_r(names, ",", &save);
		     name && n < MAX_SELECTED;
		     name = strtok_r(NULL, ",", &save)) {
			const struct hpt_impl *impl = hpt_impl_find(name);

			if (!impl) {
				fprintf(stderr, "HPTFUZZ_IMPLS: no implementation '%s'\n",
					name);
				exit(2);
			}
			if (needs && !needs(impl)) {
				fprintf(stderr, "HPTFUZZ_IMPLS: %s has no %s: skipped\n",
					name, what);
				continue;
			}
			list[n++] = impl;
		}
	}
	if (!n) {
		fprintf(stderr, "HPTFUZZ_IMPLS=%s: no implementation with %s\n",
			env ? env : "", what);
		exit(2);
	}
	return list;
}
