// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .hpt text form (docs/scenario-format.md), host only: a strict
 * parser that reports the line and field of the first problem, and the
 * canonical printer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hpt/scenario_text.h"
#include "scn_spec.h"

#define MAX_LINE	1024
#define MAX_TOKENS	16

static const char *const page_names[HPT_SCN_NR_PAGES] = {
	[HPT_PAGE_4K]		= "4K/4K",
	[HPT_PAGE_64K]		= "64K/64K",
	[HPT_PAGE_16M]		= "16M/16M",
	[HPT_PAGE_16G]		= "16G/16G",
	[HPT_PAGE_4K_64K]	= "4K/64K",
	[HPT_PAGE_64K_16M]	= "64K/16M",
	[HPT_PAGE_4K_16M]	= "4K/16M",
};

const char *hpt_scn_page_name(u8 page)
{
	return page < HPT_SCN_NR_PAGES ? page_names[page] : "?";
}

const char *hpt_scn_seg_name(u8 seg)
{
	return seg == HPT_SCN_SEG_1T ? "1T" : "256M";
}

bool hpt_scn_is_text(const void *data, size_t size)
{
	size_t n = strlen(HPT_SCN_TEXT_MAGIC);

	return size >= n && !memcmp(data, HPT_SCN_TEXT_MAGIC, n);
}

/* ---- parsing ---- */

enum expect {
	EXPECT_VERSION,
	EXPECT_LAYOUT,
	EXPECT_OLD_ORDER,
	EXPECT_NEW_ORDER,
	EXPECT_RECORDS,
};

struct parser {
	struct hpt_scenario *s;
	unsigned int line;
	enum expect expect;
	char *err;
	size_t errlen;
	/* The current line, split in place */
	char buf[MAX_LINE];
	char *tok[MAX_TOKENS];
	int ntok;
};

static bool fail(struct parser *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return false;
	n = snprintf(p->err, p->errlen, "line %u, field '%s': ", p->line,
		     field);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Decimal, or hex with a 0x prefix; no sign, no overflow */
static bool parse_u64(const char *str, u64 *out)
{
	unsigned int base = 10, d;
	u64 x = 0;

	if (str[0] == '0' && str[1] == 'x') {
		base = 16;
		str += 2;
	}
	if (!*str)
		return false;
	for (; *str; str++) {
		if (*str >= '0' && *str <= '9')
			d = *str - '0';
		else if (base == 16 && *str >= 'a' && *str <= 'f')
			d = *str - 'a' + 10;
		else if (base == 16 && *str >= 'A' && *str <= 'F')
			d = *str - 'A' + 10;
		else
			return false;
		if (x > (UINT64_MAX - d) / base)
			return false;
		x = x * base + d;
	}
	*out = x;
	return true;
}

/* Split a line into tokens after dropping its comment */
static bool tokenize(struct parser *p, const char *line, size_t len)
{
	char *c, *hash;
	size_t i;

	if (len >= MAX_LINE)
		return fail(p, "line", "longer than %d characters", MAX_LINE - 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] >= 0x80 || !line[i])
			return fail(p, "text", "not ASCII text (byte 0x%02x)",
				    (unsigned char)line[i]);
	memcpy(p->buf, line, len);
	p->buf[len] = '\0';
	hash = strchr(p->buf, '#');
	if (hash)
		*hash = '\0';

	p->ntok = 0;
	for (c = p->buf; *c;) {
		if (*c == ' ' || *c == '\t' || *c == '\r') {
			*c++ = '\0';
			continue;
		}
		if (p->ntok == MAX_TOKENS)
			return fail(p, "line", "more than %d fields",
				    MAX_TOKENS - 1);
		p->tok[p->ntok++] = c;
		while (*c && *c != ' ' && *c != '\t' && *c != '\r')
			c++;
	}
	return true;
}

/* The i-th token must be key=value */
static bool get_field(struct parser *p, int i, const char *key,
		      const char **val)
{
	size_t kl = strlen(key);

	if (i >= p->ntok)
		return fail(p, key, "missing (expected %s=...)", key);
	if (strncmp(p->tok[i], key, kl) || p->tok[i][kl] != '=')
		return fail(p, key, "expected %s=... here, found '%s'", key,
			    p->tok[i]);
	*val = p->tok[i] + kl + 1;
	return true;
}

static bool get_num(struct parser *p, int i, const char *key, u64 *out)
{
	const char *val = NULL;

	if (!get_field(p, i, key, &val))
		return false;
	if (!parse_u64(val, out))
		return fail(p, key, "bad number '%s'", val);
	return true;
}

/* A value from a list of names; returns the index or fails */
static bool get_name(struct parser *p, int i, const char *key,
		     const char *const *names, unsigned int n,
		     unsigned int *out)
{
	const char *val = NULL;
	unsigned int j;

	if (!get_field(p, i, key, &val))
		return false;
	for (j = 0; j < n; j++) {
		if (!strcmp(val, names[j])) {
			*out = j;
			return true;
		}
	}
	return fail(p, key, "unknown value '%s'", val);
}

static bool no_more(struct parser *p, int n)
{
	char key[32];
	size_t kl;

	if (p->ntok <= n)
		return true;
	kl = strcspn(p->tok[n], "=");
	if (kl >= sizeof(key))
		kl = sizeof(key) - 1;
	memcpy(key, p->tok[n], kl);
	key[kl] = '\0';
	return fail(p, key, "unexpected extra field '%s'", p->tok[n]);
}

static bool check_masked(struct parser *p, const char *key, u64 x, u64 mask,
			 const char *why)
{
	if (x & ~mask)
		return fail(p, key, "0x%llx is not canonical: %s (bits 0x%llx)",
			    (unsigned long long)x, why,
			    (unsigned long long)(x & ~mask));
	return true;
}

static bool parse_va(struct parser *p, struct hpt_scn_va *va)
{
	static const char *const segs[] = { "256M", "1T" };
	static const char *const states[] = { "absent", "valid" };
	static const char *const bools[] = { "0", "1" };
	static const char *const groups[] = { "primary", "secondary" };
	/* Set before use; initialised for gcc's sake at -O2 */
	unsigned int seg = 0, page = 0, state = 0, bolted = 0, group = 0, vbits;
	const char *slot = NULL;
	u64 rbits, exact, host;
	char why[64];
	struct hpt_scn_va canon;
	bool has_host;

	if (!get_name(p, 1, "seg", segs, 2, &seg) ||
	    !get_num(p, 2, "vsid", &va->vsid) ||
	    !get_num(p, 3, "ea", &va->ea) ||
	    !get_name(p, 4, "page", page_names, HPT_SCN_NR_PAGES, &page) ||
	    !get_name(p, 5, "state", states, 2, &state) ||
	    !get_name(p, 6, "bolted", bools, 2, &bolted) ||
	    !get_name(p, 7, "group", groups, 2, &group) ||
	    !get_field(p, 8, "slot", &slot) ||
	    !get_num(p, 9, "rpn", &va->rpn) ||
	    !get_num(p, 10, "rbits", &rbits))
		return false;
	/* host= is optional and last: older files never have it */
	has_host = p->ntok > 11 && !strncmp(p->tok[11], "host=", 5);
	host = 0;
	if (has_host && !get_num(p, 11, "host", &host))
		return false;
	if (!no_more(p, has_host ? 12 : 11))
		return false;

	va->seg = seg;
	va->page = page;
	va->valid = state;
	va->bolted = bolted;
	va->secondary = group;
	if (!strcmp(slot, "first")) {
		va->slot = HPT_SCN_SLOT_FIRST;
	} else {
		if (!parse_u64(slot, &exact))
			return fail(p, "slot", "bad value '%s' (first or 0..7)",
				    slot);
		if (exact >= SCN_GROUP_HPTES)
			return fail(p, "slot", "%s is outside 0..7", slot);
		va->slot = exact;
	}
	if (page == HPT_PAGE_16G && seg != HPT_SCN_SEG_1T)
		return fail(p, "seg", "a 16G/16G page needs seg=1T");

	vbits = hpt_scn_vsid_bits(p->s->isa300, va->seg);
	snprintf(why, sizeof(why), "wider than %u bits (%s segment, %s)",
		 vbits, hpt_scn_seg_name(va->seg),
		 p->s->isa300 ? "3.0" : "pre-3.0");
	if (!check_masked(p, "vsid", va->vsid, (1ULL << vbits) - 1, why))
		return false;
	if (!check_masked(p, "ea", va->ea, hpt_scn_ea_mask(va->seg, va->page),
			  "outside the segment or not aligned to the page"))
		return false;
	if (!check_masked(p, "rpn", va->rpn, hpt_scn_rpn_mask(va->page),
			  "above 40 bits or not aligned to the page"))
		return false;
	if (!check_masked(p, "rbits", rbits, HPT_SCN_RBITS_MASK,
			  "only bits 0..13 and 15 exist"))
		return false;
	va->rbits = rbits;
	if (!check_masked(p, "host", host, HPT_SCN_HOST_MASK,
			  "only bits 0..8 exist"))
		return false;
	va->host = host;
	canon = *va;
	hpt_scn_va_canonicalise(&canon, p->s->isa300);
	if (canon.host != va->host)
		return fail(p, "host", "0x%llx is not canonical: a bit both set and cleared (use 0x%x)",
			    (unsigned long long)host, canon.host);
	if (canon.valid != va->valid)
		return fail(p, "state", "host bit 0x%x (VALID and ABSENT) needs state=valid",
			    HPT_SCN_HOST_BOTH);
	return true;
}

static bool parse_raw(struct parser *p, struct hpt_scn_raw *raw)
{
	u64 npte = scn_order_npte(p->s->old_order);

	if (!get_num(p, 1, "index", &raw->index) ||
	    !get_num(p, 2, "v", &raw->v) || !get_num(p, 3, "r", &raw->r) ||
	    !get_num(p, 4, "guest-r", &raw->guest_r) || !no_more(p, 5))
		return false;
	if (raw->index >= npte)
		return fail(p, "index", "0x%llx is beyond the old table's 0x%llx entries", (unsigned long long)raw->index,
			    (unsigned long long)npte);
	return true;
}

static bool parse_memslot(struct parser *p, struct hpt_scn_memslot *slot)
{
	u64 npages;

	if (!get_num(p, 1, "base", &slot->base_gfn) ||
	    !get_num(p, 2, "npages", &npages) || !no_more(p, 3))
		return false;
	if (!check_masked(p, "base", slot->base_gfn,
			  (1ULL << HPT_SCN_RPN_BITS) - 1, "above 40 bits"))
		return false;
	if (npages > HPT_SCN_MAX_NPAGES)
		return fail(p, "npages", "%llu is above %u",
			    (unsigned long long)npages, HPT_SCN_MAX_NPAGES);
	slot->npages = npages;
	return true;
}

static bool parse_record(struct parser *p)
{
	struct hpt_scenario *s = p->s;
	struct hpt_scn_record rec;
	bool ok;

	memset(&rec, 0, sizeof(rec));
	if (!strcmp(p->tok[0], "va")) {
		rec.kind = HPT_SCN_VA;
		ok = parse_va(p, &rec.va);
	} else if (!strcmp(p->tok[0], "raw")) {
		rec.kind = HPT_SCN_RAW;
		ok = parse_raw(p, &rec.raw);
	} else if (!strcmp(p->tok[0], "memslot")) {
		rec.kind = HPT_SCN_MEMSLOT;
		ok = parse_memslot(p, &rec.slot);
	} else {
		return fail(p, "keyword", "unknown keyword '%s' (expected va, raw or memslot)", p->tok[0]);
	}
	if (!ok)
		return false;
	if (!hpt_scn_add(s, &rec)) {
		if (rec.kind == HPT_SCN_MEMSLOT)
			return fail(p, "keyword", "more than %d memslots",
				    HPT_SCN_MAX_MEMSLOTS);
		return fail(p, "keyword", "more than %d entries",
			    HPT_SCN_MAX_ENTRIES);
	}
	return true;
}

static bool parse_order(struct parser *p, const char *key, u32 *order)
{
	u64 x;

	if (strcmp(p->tok[0], key))
		return fail(p, key, "missing: expected '%s N' before '%s'",
			    key, p->tok[0]);
	if (p->ntok < 2)
		return fail(p, key, "missing value");
	if (!parse_u64(p->tok[1], &x))
		return fail(p, key, "bad number '%s'", p->tok[1]);
	if (!scn_order_valid(x))
		return fail(p, key, "%s is outside %d..%d", p->tok[1],
			    SCN_MIN_ORDER, SCN_MAX_ORDER);
	if (p->ntok > 2)
		return fail(p, key, "unexpected '%s' after the value",
			    p->tok[2]);
	*order = x;
	return true;
}

static bool parse_header(struct parser *p)
{
	u64 version;

	switch (p->expect) {
	case EXPECT_VERSION:
		if (strcmp(p->tok[0], HPT_SCN_TEXT_MAGIC))
			return fail(p, "version", "missing header: the first line must be '%s %d'", HPT_SCN_TEXT_MAGIC,
				    HPT_SCN_TEXT_VERSION);
		if (p->ntok != 2 || !parse_u64(p->tok[1], &version))
			return fail(p, "version", "expected '%s %d'",
				    HPT_SCN_TEXT_MAGIC, HPT_SCN_TEXT_VERSION);
		if (version != HPT_SCN_TEXT_VERSION)
			return fail(p, "version", "unsupported version %s (this reader knows %d)", p->tok[1],
				    HPT_SCN_TEXT_VERSION);
		break;
	case EXPECT_LAYOUT:
		if (strcmp(p->tok[0], "layout"))
			return fail(p, "layout", "missing: expected 'layout pre-3.0' or 'layout 3.0' before '%s'",
				    p->tok[0]);
		if (p->ntok != 2 || (strcmp(p->tok[1], "pre-3.0") &&
				     strcmp(p->tok[1], "3.0")))
			return fail(p, "layout", "expected 'pre-3.0' or '3.0'");
		p->s->isa300 = !strcmp(p->tok[1], "3.0");
		break;
	case EXPECT_OLD_ORDER:
		if (!parse_order(p, "old-order", &p->s->old_order))
			return false;
		break;
	default:
		if (!parse_order(p, "new-order", &p->s->new_order))
			return false;
		break;
	}
	p->expect++;
	return true;
}

static const char *const missing_field[] = {
	[EXPECT_VERSION] = "version",
	[EXPECT_LAYOUT] = "layout",
	[EXPECT_OLD_ORDER] = "old-order",
	[EXPECT_NEW_ORDER] = "new-order",
};

const char *hpt_scn_parse_text(struct hpt_scenario *s, const char *text,
			       size_t len, char *err, size_t errlen)
{
	struct parser *p;
	struct parser parser;
	const char *line = text, *end = text + len, *nl;
	bool ok = true;

	p = &parser;
	p->s = s;
	p->line = 0;
	p->expect = EXPECT_VERSION;
	p->err = err;
	p->errlen = errlen;
	hpt_scn_init(s);

	while (ok && line < end) {
		nl = memchr(line, '\n', end - line);
		if (!nl)
			nl = end;
		p->line++;
		ok = tokenize(p, line, nl - line);
		line = nl + 1;
		if (!ok || !p->ntok) {
			/* The version must be the very first line */
			if (ok && p->expect == EXPECT_VERSION)
				ok = fail(p, "version", "missing header: the first line must be '%s %d'",
					  HPT_SCN_TEXT_MAGIC,
					  HPT_SCN_TEXT_VERSION);
			continue;
		}
		if (p->expect == EXPECT_RECORDS)
			ok = parse_record(p);
		else
			ok = parse_header(p);
	}
	if (ok && p->expect != EXPECT_RECORDS) {
		p->line++;
		ok = fail(p, missing_field[p->expect],
			  "missing header line '%s'", missing_field[p->expect]);
	}
	if (ok)
		return NULL;
	return errlen ? err : "error";
}

/* ---- printing ---- */

struct sbuf {
	char *buf;
	size_t cap, len;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	size_t room = b->len < b->cap ? b->cap - b->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += n;
}

static void print_record(struct sbuf *b, const struct hpt_scn_record *rec)
{
	const struct hpt_scn_va *va = &rec->va;

	switch (rec->kind) {
	case HPT_SCN_VA:
		sb_printf(b, "va seg=%s vsid=0x%llx ea=0x%llx page=%s state=%s bolted=%d group=%s ",
			  hpt_scn_seg_name(va->seg),
			  (unsigned long long)va->vsid,
			  (unsigned long long)va->ea,
			  hpt_scn_page_name(va->page),
			  va->valid ? "valid" : "absent", va->bolted ? 1 : 0,
			  va->secondary ? "secondary" : "primary");
		if (va->slot == HPT_SCN_SLOT_FIRST)
			sb_printf(b, "slot=first");
		else
			sb_printf(b, "slot=%u", va->slot);
		sb_printf(b, " rpn=0x%llx rbits=0x%x",
			  (unsigned long long)va->rpn, va->rbits);
		if (va->host)
			sb_printf(b, " host=0x%x", va->host);
		break;
	case HPT_SCN_RAW:
		sb_printf(b, "raw index=0x%llx v=0x%llx r=0x%llx guest-r=0x%llx",
			  (unsigned long long)rec->raw.index,
			  (unsigned long long)rec->raw.v,
			  (unsigned long long)rec->raw.r,
			  (unsigned long long)rec->raw.guest_r);
		break;
	default:
		sb_printf(b, "memslot base=0x%llx npages=%u",
			  (unsigned long long)rec->slot.base_gfn,
			  rec->slot.npages);
		break;
	}
}

size_t hpt_scn_print_record(const struct hpt_scenario *s, u32 k, char *buf,
			    size_t cap)
{
	struct sbuf b = { buf, cap, 0 };

	if (cap)
		buf[0] = '\0';
	if (k < s->nr_records)
		print_record(&b, &s->rec[k]);
	return b.len;
}

size_t hpt_scn_print_text(const struct hpt_scenario *s, char *buf,
			  size_t cap)
{
	struct sbuf b = { buf, cap, 0 };
	u32 k;

	if (cap)
		buf[0] = '\0';
	sb_printf(&b, "%s %d\nlayout %s\nold-order %u\nnew-order %u\n",
		  HPT_SCN_TEXT_MAGIC, HPT_SCN_TEXT_VERSION,
		  s->isa300 ? "3.0" : "pre-3.0", s->old_order, s->new_order);
	for (k = 0; k < s->nr_records; k++) {
		print_record(&b, &s->rec[k]);
		sb_printf(&b, "\n");
	}
	return b.len;
}

int hpt_scn_fprint_text(const struct hpt_scenario *s, FILE *f)
{
	char line[256];
	u32 k;

	if (fprintf(f, "%s %d\nlayout %s\nold-order %u\nnew-order %u\n",
		    HPT_SCN_TEXT_MAGIC, HPT_SCN_TEXT_VERSION,
		    s->isa300 ? "3.0" : "pre-3.0", s->old_order,
		    s->new_order) < 0)
		return -1;
	for (k = 0; k < s->nr_records; k++) {
		hpt_scn_print_record(s, k, line, sizeof(line));
		if (fprintf(f, "%s\n", line) < 0)
			return -1;
	}
	return 0;
}
