// SPDX-License-Identifier: GPL-2.0-only
/*
 * rehash_diff: any bytes are a scenario (docs/scenario-format.md); every
 * selected implementation resizes it and must match the oracle in every
 * observable: return code, unmaps, old and new tables, rmap words, hook
 * calls.  Both ISA layouts come from the header byte.
 */
#include "diff_common.h"
#include "fuzz_common.h"

static struct hpt_scenario s;

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	hpt_scn_decode(&s, data, size);
	fuzz_diff(&s, data, size);
	return 0;
}
