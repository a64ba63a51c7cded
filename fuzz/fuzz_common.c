// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

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
		unsigned long v = env && *env ? strtoul(env, &end, 0) : 19;

		if ((end && *end) || v < 18 || v > 46) {
			fprintf(stderr, "HPTFUZZ_MAX_ORDER=%s: not an order in 18..46\n",
				env);
			exit(2);
		}
		cap = v;
	}
	return cap;
}

u32 fuzz_cap_order(u32 order)
{
	u32 cap = fuzz_max_order();

	if (order <= cap)
		return order;
	return 18 + (order - 18) % (cap - 17);
}
