// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of hpt/json.h.  Output is one line per top-level value
 * (no newlines inside), which is what JSON Lines readers split on.
 */
#include <string.h>

#include "hpt/json.h"

void hpt_json_init(struct hpt_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}


/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void quoted(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*s < 0x20) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);	/* not UTF-8 */
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* The comma and key before a value (nesting past the limit is refused) */
static void member(struct hpt_json *j, const char *key)
{
	unsigned int d = j->depth;

	if (d && d <= HPT_JSON_MAX_DEPTH) {
		if (j->used[d - 1])
			fputc(',', j->f);
		j->used[d - 1] = true;
	}
	if (key) {
		quoted(j->f, key);
		fputc(':', j->f);
	}
}

static void open(struct hpt_json *j, const char *key, char op, char cl)
{
	member(j, key);
	fputc(op, j->f);
	if (j->depth < HPT_JSON_MAX_DEPTH) {
		j->close[j->depth] = cl;
		j->used[j->depth] = false;
	}
	j->depth++;
}

void hpt_json_object(struct hpt_json *j, const char *key)
{
	open(j, key, '{', '}');
}

void hpt_json_array(struct hpt_json *j, const char *key)
{
	open(j, key, '[', ']');
}

void hpt_json_end(struct hpt_json *j)
{
	if (!j->depth)
		return;
	j->depth--;
	fputc(j->depth < HPT_JSON_MAX_DEPTH ? j->close[j->depth] : '}', j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void hpt_json_string(struct hpt_json *j, const char *key, const char *s)
{
	member(j, key);
	quoted(j->f, s);
}

void hpt_json_uint(struct hpt_json *j, const char *key, u64 x)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)x);
}

void hpt_json_int(struct hpt_json *j, const char *key, long long x)
{
	member(j, key);
	fprintf(j->f, "%lld", x);
}

void hpt_json_bool(struct hpt_json *j, const char *key, bool x)
{
	member(j, key);
	fputs(x ? "true" : "false", j->f);
}

void hpt_json_null(struct hpt_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void hpt_json_word(struct hpt_json *j, const char *key, u64 x)
{
	member(j, key);
	fprintf(j->f, "\"0x%016llx\"", (unsigned long long)x);
}
