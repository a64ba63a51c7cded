// SPDX-License-Identifier: GPL-2.0-only
/*
 * scenario_decode: the binary and the text scenario decoders on arbitrary
 * bytes.  Neither may crash; binary decoding is total and must round-trip
 * through the encoder; the canonical text of any scenario must parse back
 * to it; and whatever text the parser accepts must print and re-parse to
 * the same scenario.
 */
#include "fuzz_common.h"
#include "hpt/scenario.h"
#include "hpt/scenario_text.h"

#define MAX_BINARY (HPT_SCN_HEADER_BYTES + \
		    HPT_SCN_MAX_ENTRIES * (1 + HPT_SCN_RAW_BYTES) + \
		    HPT_SCN_MAX_MEMSLOTS * (1 + HPT_SCN_MEMSLOT_BYTES))
#define MAX_TEXT (1u << 21)

/* Large and reused: no allocation per input */
static struct hpt_scenario s, again;
static u8 bin[MAX_BINARY], bin2[MAX_BINARY];
static char text[MAX_TEXT];
static char err[256];

static void check_text_round_trip(const struct hpt_scenario *sc,
				  const char *what)
{
	size_t len = hpt_scn_print_text(sc, text, sizeof(text));

	if (len >= sizeof(text))
		fuzz_fail("scenario_decode: text of %s does not fit %zu bytes",
			  what, sizeof(text));
	if (hpt_scn_parse_text(&again, text, len, err, sizeof(err)))
		fuzz_fail("scenario_decode: canonical text of %s rejected: %s\n%s",
			  what, err, text);
	if (!hpt_scn_equal(sc, &again))
		fuzz_fail("scenario_decode: text of %s parses to another scenario\n%s",
			  what, text);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t n, n2;

	/* Binary: total, and stable through encode/decode */
	hpt_scn_decode(&s, data, size);
	n = hpt_scn_encode(&s, bin, sizeof(bin));
	if (n > sizeof(bin))
		fuzz_fail("scenario_decode: encoding needs %zu bytes", n);
	hpt_scn_decode(&again, bin, n);
	if (!hpt_scn_equal(&s, &again))
		fuzz_fail("scenario_decode: decode(encode(s)) != s (%zu bytes)",
			  n);
	n2 = hpt_scn_encode(&again, bin2, sizeof(bin2));
	if (n2 != n || memcmp(bin, bin2, n))
		fuzz_fail("scenario_decode: canonical bytes are not stable");
	check_text_round_trip(&s, "a decoded input");

	/* Text: the same bytes as a .hpt file */
	if (!hpt_scn_parse_text(&s, (const char *)data, size, err, sizeof(err)))
		check_text_round_trip(&s, "an accepted text");
	return 0;
}
