/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differential step shared by rehash_diff and raw_table: run a
 * scenario through each selected implementation and the oracle.
 *
 * HPTFUZZ_IMPLS    comma-separated implementation names, or "all"
 *                  (default "core": the patch-2016 port is known to differ)
 * HPTFUZZ_FINDINGS a directory: keep one reproducer (with its report,
 *                  NAME.txt, and the order cap it was found with,
 *                  NAME.max-order, which hptfuzz-replay reads) per
 *                  distinct divergence there and go on fuzzing, instead
 *                  of aborting on the first one.  Distinct: another
 *                  implementation, kind, summary (numbers aside), table
 *                  layout, or kind of record named (VA, raw, memslot).
 */
#ifndef HPT_FUZZ_DIFF_COMMON_H
#define HPT_FUZZ_DIFF_COMMON_H

#include "hpt/harness.h"

void fuzz_diff(const struct hpt_scenario *s, const u8 *data, size_t size);

#endif /* HPT_FUZZ_DIFF_COMMON_H */
