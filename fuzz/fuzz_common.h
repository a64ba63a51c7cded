/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the fuzz targets: reading operands from the input, and failing
 * with a report (abort, so every engine records the input).
 */
#ifndef HPT_FUZZ_COMMON_H
#define HPT_FUZZ_COMMON_H

#include "hpt/env.h"

struct fuzz_input {
	const u8 *data;
	size_t size;
};

/* Next byte, 0 once the input is used up */
static inline u8 fuzz_byte(struct fuzz_input *in)
{
	u8 b = 0;

	if (in->size) {
		b = *in->data++;
		in->size--;
	}
	return b;
}

/* Print the report line and abort */
__attribute__((noreturn, format(printf, 1, 2)))
void fuzz_fail(const char *fmt, ...);

/*
 * The fuzzers' order cap: HPTFUZZ_MAX_ORDER, default
 * HPT_HARNESS_DEFAULT_MAX_ORDER (hpt/harness.h)
 */
u32 fuzz_max_order(void);

struct hpt_impl;
/*
 * The implementations HPTFUZZ_IMPLS names (default "core"): "all", or a
 * comma-separated list, of which only those that have what the target
 * needs (needs() true; every one if needs is NULL) are taken; a named
 * one that lacks it is skipped with a note saying it lacks `what`.  An
 * unknown name, or nothing left, exits 2.  NULL-terminated, made once.
 */
const struct hpt_impl *const *fuzz_impls(bool (*needs)(const struct hpt_impl *),
					 const char *what);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif /* HPT_FUZZ_COMMON_H */
