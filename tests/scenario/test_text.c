// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .hpt text form: canonical printing round-trips through the strict
 * parser, and every rejected input names its line and field.
 */
#include <stdlib.h>

#include "check.h"
#include "hpt/scenario_text.h"
#include "scn_test.h"

#define TEXT_BYTES	(1u << 20)

static char text[TEXT_BYTES], text2[TEXT_BYTES], err[256];

static const char doc_example[] =
	"hptfuzz-scenario 1\n"
	"layout pre-3.0\n"
	"old-order 18\n"
	"new-order 19\n"
	"memslot base=0x0 npages=4096\n"
	"va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
	"bolted=1 group=primary slot=first rpn=0x100 rbits=0x192\n"
	"raw index=0x10 v=0x1 r=0x0 guest-r=0x0\n";

static int parse(struct hpt_scenario *s, const char *t)
{
	const char *e = hpt_scn_parse_text(s, t, strlen(t), err, sizeof(err));

	if (e)
		fprintf(stderr, "parse error: %s\n", e);
	return e != NULL;
}

static int doc_example_round_trips(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);

	CHECK(!parse(s, doc_example));
	CHECK_EQ(s->nr_records, 3);
	CHECK_EQ(s->rec[1].va.vsid, 0x123456);
	CHECK_EQ(s->rec[1].va.slot, HPT_SCN_SLOT_FIRST);
	CHECK_EQ(s->rec[2].raw.index, 0x10);
	CHECK_EQ(hpt_scn_print_text(s, text, sizeof(text)),
		 strlen(doc_example));
	CHECK(!strcmp(text, doc_example));
	CHECK(hpt_scn_is_text(doc_example, strlen(doc_example)));
	CHECK(!hpt_scn_is_text("hptfuzz", 7));
	free(s);
	return 0;
}

static int check_round_trip(struct hpt_scenario *s, struct hpt_scenario *t)
{
	size_t n = hpt_scn_print_text(s, text, sizeof(text));

	CHECK(n < sizeof(text));
	CHECK(!parse(t, text));
	CHECK(hpt_scn_equal(s, t));
	CHECK_EQ(hpt_scn_print_text(t, text2, sizeof(text2)), n);
	CHECK(!strcmp(text, text2));
	return 0;
}

static int round_trip_random(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_scenario *t = scn_new(false, 18, 18);
	struct rng r = { 3 };
	u8 bytes[800];
	int i, j, n;

	for (i = 0; i < 2000; i++) {
		n = rng_below(&r, sizeof(bytes));
		for (j = 0; j < n; j++)
			bytes[j] = rng_next(&r);
		hpt_scn_decode(s, bytes, n);
		CHECK(!check_round_trip(s, t));
	}
	for (i = 0; i < 50; i++) {
		struct scn_random_cfg cfg = {
			.isa300 = i & 1, .seg = -1, .old_order = 18 + i % 4,
			.new_order = 21 - i % 4, .entries = 200, .raws = 20,
		};

		scn_random(s, &r, &cfg);
		CHECK(!check_round_trip(s, t));
	}
	free(s);
	free(t);
	return 0;
}

/* Comments, blank lines, tabs, CRLF, decimal or hex of any case */
static int accepts_free_formatting(void)
{
	static const char loose[] =
		"hptfuzz-scenario 1   # version\r\n"
		"layout\t3.0\n"
		"\n"
		"# orders\n"
		"old-order 0x12\n"
		"new-order 20\n"
		"  memslot base=4096 npages=0x10\n"
		"va seg=1T vsid=0xABC ea=0 page=16G/16G state=absent "
		"bolted=0 group=secondary slot=0x7 rpn=0 rbits=0 # end\n"
		"raw index=15 v=0xFFFFFFFFFFFFFFFF r=0 guest-r=18446744073709551615";
	static const char canonical[] =
		"hptfuzz-scenario 1\n"
		"layout 3.0\n"
		"old-order 18\n"
		"new-order 20\n"
		"memslot base=0x1000 npages=16\n"
		"va seg=1T vsid=0xabc ea=0x0 page=16G/16G state=absent "
		"bolted=0 group=secondary slot=7 rpn=0x0 rbits=0x0\n"
		"raw index=0xf v=0xffffffffffffffff r=0x0 "
		"guest-r=0xffffffffffffffff\n";
	struct hpt_scenario *s = scn_new(false, 18, 18);

	CHECK(!parse(s, loose));
	hpt_scn_print_text(s, text, sizeof(text));
	CHECK(!strcmp(text, canonical));
	free(s);
	return 0;
}

struct bad_case {
	const char *body;	/* after the header, or the whole text */
	bool whole;
	const char *want;	/* expected start of the error */
};

#define VA_OK "va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K " \
	      "state=valid bolted=1 group=primary slot=first rpn=0x100 " \
	      "rbits=0x192\n"
#define HEADER "hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\n" \
	       "new-order 19\n"

static const struct bad_case bad_cases[] = {
	{ "", true, "line 1, field 'version': missing header" },
	{ "# comment first\n" HEADER, true, "line 1, field 'version'" },
	{ "hptfuzz-scenario 2\n", true,
	  "line 1, field 'version': unsupported version 2" },
	{ "hptfuzz-scenario one\n", true, "line 1, field 'version'" },
	{ "hptfuzz-scenario 1\nold-order 18\n", true,
	  "line 2, field 'layout': missing" },
	{ "hptfuzz-scenario 1\nlayout pre-3.0\n", true,
	  "line 3, field 'old-order': missing header line" },
	{ "hptfuzz-scenario 1\nlayout 2.0\n", true,
	  "line 2, field 'layout'" },
	{ "hptfuzz-scenario 1\nlayout pre-3.0\nold-order 17\n", true,
	  "line 3, field 'old-order': 17 is outside 18..46" },
	{ "hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\nnew-order 47\n",
	  true, "line 4, field 'new-order': 47 is outside 18..46" },
	{ "hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\nnew-order x\n",
	  true, "line 4, field 'new-order': bad number 'x'" },
	{ "vaa seg=256M\n", false,
	  "line 5, field 'keyword': unknown keyword 'vaa'" },
	{ "layout 3.0\n", false,
	  "line 5, field 'keyword': unknown keyword 'layout'" },
	{ VA_OK "va seg=256M vsid=0x12g ea=0 page=4K/4K state=valid "
	  "bolted=1 group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 6, field 'vsid': bad number '0x12g'" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0x10000000000000000 rbits=0\n", false,
	  "line 5, field 'rpn': bad number" },
	{ "va seg=256M ea=0 vsid=0x1 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'vsid': expected vsid=... here, found 'ea=0'" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0\n", false,
	  "line 5, field 'rbits': missing" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0 extra=1\n", false,
	  "line 5, field 'extra': unexpected extra field" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0 host=0x200\n", false,
	  "line 5, field 'host': 0x200 is not canonical: only bits 0..8 exist" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0 host=0x5\n", false,
	  "line 5, field 'host': 0x5 is not canonical: a bit both set and cleared (use 0x1)" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=absent bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0 host=0x100\n", false,
	  "line 5, field 'state': host bit 0x100 (VALID and ABSENT) needs state=valid" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0 host=0x1 extra=1\n", false,
	  "line 5, field 'extra': unexpected extra field" },
	{ "va seg=512M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'seg': unknown value '512M'" },
	{ "va seg=256M vsid=0x1 ea=0 page=16G/16G state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'seg': a 16G/16G page needs seg=1T" },
	{ "va seg=256M vsid=0x4000000000000 ea=0 page=4K/4K state=valid "
	  "bolted=1 group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'vsid': 0x4000000000000 is not canonical" },
	{ "va seg=256M vsid=0x1 ea=0x1800 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'ea': 0x1800 is not canonical" },
	{ "va seg=256M vsid=0x1 ea=0x10000000 page=4K/4K state=valid "
	  "bolted=1 group=primary slot=first rpn=0 rbits=0\n", false,
	  "line 5, field 'ea'" },
	{ "va seg=256M vsid=0x1 ea=0 page=64K/64K state=valid bolted=1 "
	  "group=primary slot=first rpn=0x101 rbits=0\n", false,
	  "line 5, field 'rpn': 0x101 is not canonical" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=first rpn=0 rbits=0x4000\n", false,
	  "line 5, field 'rbits'" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=valid bolted=1 "
	  "group=primary slot=8 rpn=0 rbits=0\n", false,
	  "line 5, field 'slot': 8 is outside 0..7" },
	{ "va seg=256M vsid=0x1 ea=0 page=4K/4K state=gone bolted=1 "
	  "group=primary slot=0 rpn=0 rbits=0\n", false,
	  "line 5, field 'state'" },
	{ "raw index=0x4000 v=0 r=0 guest-r=0\n", false,
	  "line 5, field 'index': 0x4000 is beyond" },
	{ "memslot base=0x10000000000 npages=1\n", false,
	  "line 5, field 'base'" },
	{ "memslot base=0 npages=65536\n", false,
	  "line 5, field 'npages': 65536 is above 65535" },
	{ "memslot base=0 npages=-1\n", false,
	  "line 5, field 'npages': bad number '-1'" },
	{ "\n\nraw index=0 v=0 r=0 guest-r=0 # caf\xc3\xa9\n", false,
	  "line 7, field 'text': not ASCII" },
};

static int errors_name_line_and_field(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	const struct bad_case *c;
	const char *e;
	size_t i;

	for (i = 0; i < TEST_COUNT(bad_cases); i++) {
		c = &bad_cases[i];
		snprintf(text, sizeof(text), "%s%s", c->whole ? "" : HEADER,
			 c->body);
		e = hpt_scn_parse_text(s, text, strlen(text), err, sizeof(err));
		if (!e || strncmp(e, c->want, strlen(c->want))) {
			fprintf(stderr, "case %zu: got \"%s\", want \"%s...\"\n",
				i, e ? e : "(accepted)", c->want);
			return 1;
		}
		CHECK(e == err);
	}
	free(s);
	return 0;
}

static int too_many_records(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t n = 0;
	int i;

	n += snprintf(text + n, sizeof(text) - n, HEADER);
	for (i = 0; i < 17; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "memslot base=0x0 npages=1\n");
	CHECK(hpt_scn_parse_text(s, text, n, err, sizeof(err)));
	CHECK(!strncmp(err, "line 21, field 'keyword': more than 16 memslots",
		       40));

	n = snprintf(text, sizeof(text), HEADER);
	for (i = 0; i < 4097; i++)
		n += snprintf(text + n, sizeof(text) - n, VA_OK);
	CHECK(hpt_scn_parse_text(s, text, n, err, sizeof(err)));
	CHECK(!strncmp(err, "line 4101, field 'keyword': more than 4096", 40));
	/* 4096 is fine */
	CHECK(!hpt_scn_parse_text(s, text, n - strlen(VA_OK), err,
				  sizeof(err)));
	CHECK_EQ(s->nr_entries, 4096);
	free(s);
	return 0;
}

/* snprintf semantics; a zero-size error buffer still reports failure */
static int print_truncates(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	char small[40];
	size_t n;

	CHECK(!parse(s, doc_example));
	memset(small, 'x', sizeof(small));
	n = hpt_scn_print_text(s, small, sizeof(small));
	CHECK_EQ(n, strlen(doc_example));
	CHECK_EQ(small[sizeof(small) - 1], '\0');
	CHECK(!strncmp(small, doc_example, sizeof(small) - 1));
	CHECK_EQ(hpt_scn_print_record(s, 0, NULL, 0),
		 strlen("memslot base=0x0 npages=4096"));
	CHECK(hpt_scn_parse_text(s, "x", 1, NULL, 0) != NULL);
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(doc_example_round_trips),
	TEST_CASE(round_trip_random),
	TEST_CASE(accepts_free_formatting),
	TEST_CASE(errors_name_line_and_field),
	TEST_CASE(too_many_records),
	TEST_CASE(print_truncates),
};

TEST_MAIN(cases)
