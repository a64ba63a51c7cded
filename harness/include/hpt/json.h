/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON writer for hptfuzz-replay --json (docs/json.md): values go
 * straight to a FILE, commas and nesting are tracked here, strings are
 * escaped as RFC 8259 asks (quote, backslash, control characters) and
 * bytes that are not UTF-8 become U+FFFD, so any file name can be said.
 *
 * Every call takes the member's key; pass NULL for an array element or
 * the top-level value.  64-bit words are written as "0x%016llx" strings
 * (a JSON number is a double to most readers); indices and counts, all
 * below 2^53, as numbers.
 */
#ifndef HPT_JSON_H
#define HPT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "hpt/env.h"

#define HPT_JSON_MAX_DEPTH	16

struct hpt_json {
	FILE *f;
	unsigned int depth;
	/* Per open object or array: its closing character, and whether it
	 * has a member yet (the next one needs a comma) */
	char close[HPT_JSON_MAX_DEPTH];
	bool used[HPT_JSON_MAX_DEPTH];
};

void hpt_json_init(struct hpt_json *j, FILE *f);
void hpt_json_object(struct hpt_json *j, const char *key);
void hpt_json_array(struct hpt_json *j, const char *key);
/* Close the innermost object or array */
void hpt_json_end(struct hpt_json *j);

void hpt_json_string(struct hpt_json *j, const char *key, const char *s);
void hpt_json_uint(struct hpt_json *j, const char *key, u64 x);
void hpt_json_int(struct hpt_json *j, const char *key, long long x);
void hpt_json_bool(struct hpt_json *j, const char *key, bool x);
void hpt_json_null(struct hpt_json *j, const char *key);
/* A 64-bit word: "0x" and 16 hex digits */
void hpt_json_word(struct hpt_json *j, const char *key, u64 x);

#endif /* HPT_JSON_H */
