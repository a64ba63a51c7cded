// SPDX-License-Identifier: GPL-2.0-only
/*
 * raw_table: arbitrary table words.  After the 3-byte scenario header,
 * every 32 bytes are one raw entry (index, V, R, guest R, little-endian),
 * stored as they are; one memslot backs frames 0..65535 so VALID words go
 * through the rmap path.  Raw entries have no truth, so the harness checks
 * invariants: no crash, no access outside the tables (they sit between
 * guard pages), no held lock, no platform violation, no leak, and on
 * success every old VALID entry ended ABSENT after exactly one unmap.
 * Errors are fine.
 *
 * hpt_scn_from_raw_words() gives the same scenario to the replay driver
 * (hptfuzz-replay --raw-words) and to the tools.
 */
#include "diff_common.h"
#include "fuzz_common.h"

static struct hpt_scenario s;

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	hpt_scn_from_raw_words(&s, data, size);
	fuzz_diff(&s, data, size);
	return 0;
}
