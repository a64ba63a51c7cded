// SPDX-License-Identifier: GPL-2.0-only
/*
 * Blocks the caller has read whole and found zero.  The harness reads
 * every table, revmap and rmap array after a run to judge it; where it
 * found only what the oracle listed, it clears those few words and says
 * so here.  The caches then keep the block as zeroed, and the next
 * allocation of it skips clearing what is known to be zero: each byte is
 * cleared and read once per execution, instead of cleared twice.
 *
 * Builds with assertions (dev, asan-ubsan, coverage) check every such
 * block is zero when it is handed out again, so a declaration the
 * harness gets wrong fails the suite instead of a later run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hpt_user_internal.h"

#define DECLARED_MAX	(4 + 2 * 16)	/* tables, revmaps, rmap arrays */

static struct {
	const void *p;
	size_t len;
} declared[DECLARED_MAX];

void hpt_user_known_zero(const void *p, size_t len)
{
	int i;

	if (!p || !len)
		return;
	hpt_user_known_zero_take(p, 0);	/* declared again: this holds */
	for (i = 0; i < DECLARED_MAX; i++) {
		if (!declared[i].p) {
			declared[i].p = p;
			declared[i].len = len;
			return;
		}
	}
	/* Full: the block is cleared when reused, as any other */
}

void hpt_user_known_zero_forget(void)
{
	memset(declared, 0, sizeof(declared));
}

size_t hpt_user_known_zero_take(const void *p, size_t size)
{
	size_t len;
	int i;

	for (i = 0; i < DECLARED_MAX; i++) {
		if (declared[i].p != p)
			continue;
		len = declared[i].len < size ? declared[i].len : size;
		declared[i].p = NULL;
		return len;
	}
	return 0;
}

void hpt_user_known_zero_check(const void *p, size_t len)
{
#ifndef NDEBUG
	const u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		if (b[i]) {
			fprintf(stderr, "hpt_user: byte %zu of a block declared zero is 0x%02x\n",
				i, b[i]);
			abort();
		}
	}
#else
	(void)p;
	(void)len;
#endif
}
