/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Record mode, shared by the targets that judge: with HPTFUZZ_FINDINGS
 * naming a directory, each distinct divergence is kept once there, as
 * its input and its report (<impl>-<what>-<signature> and .txt, and the
 * order cap in .max-order where the target folds orders), and fuzzing
 * goes on instead of aborting.
 */
#ifndef HPT_FUZZ_FINDINGS_H
#define HPT_FUZZ_FINDINGS_H

#include <stddef.h>

#include "hpt/env.h"

/* HPTFUZZ_FINDINGS, or NULL where divergences abort */
const char *fuzz_findings_dir(void);

/* The FNV-1a start, and text hashed in with its numbers left out */
#define FUZZ_SIGNATURE_START	0xcbf29ce484222325ULL
u64 fuzz_signature_add(u64 h, const char *text);

/*
 * Keep input and report under the findings directory, once per
 * (impl, what, sig): the report is written first, so a listed input
 * always has its report; then, if max_order is not 0, the order cap the
 * input was found with (NAME.max-order, which hptfuzz-replay reads).
 * Says so on stderr.
 */
void fuzz_record(const char *impl, const char *what, u64 sig,
		 const char *summary, const char *report, size_t len,
		 u32 max_order, const u8 *data, size_t size);

#endif /* HPT_FUZZ_FINDINGS_H */
