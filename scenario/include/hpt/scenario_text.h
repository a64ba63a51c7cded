/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The line-oriented text form of a scenario (.hpt files), host only.
 * Parsing is strict and never exits: an error comes back as a message
 * naming the line and the field.  Printing is canonical, so print(parse(t))
 * is t for canonical text and print is a function of the scenario alone.
 */
#ifndef HPT_SCENARIO_TEXT_H
#define HPT_SCENARIO_TEXT_H

#include <stdio.h>

#include "hpt/scenario.h"

#define HPT_SCN_TEXT_MAGIC	"hptfuzz-scenario"
#define HPT_SCN_TEXT_SUFFIX	".hpt"	/* what people name text scenarios */
#define HPT_SCN_TEXT_VERSION	1

/* Does this input start like a text scenario? */
bool hpt_scn_is_text(const void *data, size_t size);

/*
 * Parse len bytes of text into s.  Returns NULL on success, else err,
 * holding "line N, field 'F': what is wrong" (truncated to errlen).
 */
const char *hpt_scn_parse_text(struct hpt_scenario *s, const char *text,
			       size_t len, char *err, size_t errlen);

/*
 * Canonical text, as snprintf: returns the length needed (without the
 * NUL), writes at most cap bytes, NUL-terminated when cap > 0.
 */
size_t hpt_scn_print_text(const struct hpt_scenario *s, char *buf,
			  size_t cap);
int hpt_scn_fprint_text(const struct hpt_scenario *s, FILE *f);

/* One record's line, without the newline; same return as above */
size_t hpt_scn_print_record(const struct hpt_scenario *s, u32 k, char *buf,
			    size_t cap);

/* Names as the text form spells them */
const char *hpt_scn_page_name(u8 page);
const char *hpt_scn_seg_name(u8 seg);

#endif /* HPT_SCENARIO_TEXT_H */
