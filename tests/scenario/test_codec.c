// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binary encoding: every byte string decodes, the decoded scenario
 * encodes to canonical bytes that decode back to it, and the field rules
 * of docs/scenario-format.md hold byte by byte.
 */
#include <stdlib.h>

#include "check.h"
#include "scn_test.h"

#define MAX_BYTES (HPT_SCN_HEADER_BYTES + \
		   HPT_SCN_MAX_RECORDS * (1 + HPT_SCN_RAW_BYTES))

static u8 in[MAX_BYTES], out[MAX_BYTES], out2[MAX_BYTES];

/* Random bytes, with kind bytes biased so every record kind shows up */
static size_t random_input(struct rng *r, size_t max)
{
	size_t n = rng_below(r, max + 1), i;

	for (i = 0; i < n; i++)
		in[i] = rng_next(r);
	return n;
}

static size_t record_bytes(const struct hpt_scenario *s)
{
	size_t n = HPT_SCN_HEADER_BYTES, va = HPT_SCN_VA_BYTES;
	u32 k;

	/* One entry with a host field gives every VA record one */
	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_VA && s->rec[k].va.host)
			va = HPT_SCN_VA_BYTES + HPT_SCN_VA_HOST_BYTES;
	for (k = 0; k < s->nr_records; k++)
		n += 1 + (s->rec[k].kind == HPT_SCN_VA ? va :
			  s->rec[k].kind == HPT_SCN_RAW ? HPT_SCN_RAW_BYTES :
			  HPT_SCN_MEMSLOT_BYTES);
	return n;
}

static int check_round_trip(struct hpt_scenario *a, struct hpt_scenario *b,
			    size_t size)
{
	size_t n, n2;

	hpt_scn_decode(a, in, size);
	n = hpt_scn_encode(a, out, sizeof(out));
	CHECK_EQ(n, record_bytes(a));
	CHECK_EQ(hpt_scn_encode(a, NULL, 0), n);
	hpt_scn_decode(b, out, n);
	CHECK(hpt_scn_equal(a, b));
	n2 = hpt_scn_encode(b, out2, sizeof(out2));
	CHECK_EQ(n2, n);
	CHECK(!memcmp(out, out2, n));
	return 0;
}

static int round_trip_random(void)
{
	struct hpt_scenario *a = scn_new(false, 18, 18);
	struct hpt_scenario *b = scn_new(false, 18, 18);
	struct rng r = { 1 };
	int i;

	for (i = 0; i < 6000; i++)
		CHECK(!check_round_trip(a, b, random_input(&r, 700)));
	/* A few long ones, past the record limits */
	for (i = 0; i < 6; i++)
		CHECK(!check_round_trip(a, b, random_input(&r, MAX_BYTES)));
	free(a);
	free(b);
	return 0;
}

static int encode_respects_cap(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct rng r = { 2 };
	size_t n, cap, size;
	u8 buf[400];

	size = random_input(&r, 300);
	hpt_scn_decode(s, in, size);
	n = hpt_scn_encode(s, out, sizeof(out));
	CHECK(n + 16 < sizeof(buf));
	for (cap = 0; cap <= n + 8; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		CHECK_EQ(hpt_scn_encode(s, buf, cap), n);
		CHECK(!memcmp(buf, out, cap < n ? cap : n));
		CHECK_EQ(buf[cap < n ? cap : n], 0xa5);
	}
	free(s);
	return 0;
}

static int header_rules(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	static const u8 h1[] = { 1, 30, 47 }, h2[] = { 0xfe, 17, 200 };
	static const u8 h3[] = { 0xff, 46, 18 };

	hpt_scn_decode(s, NULL, 0);
	CHECK(!s->isa300);
	CHECK_EQ(s->old_order, 18);
	CHECK_EQ(s->new_order, 18);
	CHECK_EQ(s->nr_records, 0);

	hpt_scn_decode(s, h1, sizeof(h1));
	CHECK(s->isa300);
	CHECK_EQ(s->old_order, 30);
	CHECK_EQ(s->new_order, 18 + 47 % 4);

	/* Bits 1..7 of byte 0 are ignored; bad orders fold into 18..21 */
	hpt_scn_decode(s, h2, sizeof(h2));
	CHECK(!s->isa300);
	CHECK_EQ(s->old_order, 18 + 17 % 4);
	CHECK_EQ(s->new_order, 18 + 200 % 4);

	hpt_scn_decode(s, h3, sizeof(h3));
	CHECK(s->isa300);
	CHECK_EQ(s->old_order, 46);
	CHECK_EQ(s->new_order, 18);
	CHECK_EQ(hpt_scn_encode(s, out, sizeof(out)), 3);
	CHECK_EQ(out[0], 1);
	free(s);
	return 0;
}

/* A record cut short keeps its kind; its missing bytes read as zero */
static int short_records_read_zeros(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	static const u8 va[] = { 0, 18, 19, 3 };
	static const u8 raw[] = { 0, 18, 19, 4, 0x05, 0x01 };
	static const u8 slot[] = { 0, 18, 18, 5, 0x10 };
	const struct hpt_scn_va *v = &s->rec[0].va;

	hpt_scn_decode(s, va, sizeof(va));
	CHECK_EQ(s->nr_records, 1);
	CHECK_EQ(s->rec[0].kind, HPT_SCN_VA);
	CHECK(v->seg == HPT_SEG_256M && v->page == HPT_PAGE_4K &&
	      v->slot == 0 && !v->valid && !v->bolted && !v->secondary);
	CHECK(!v->vsid && !v->ea && !v->rpn && !v->rbits);
	CHECK_EQ(hpt_scn_encode(s, out, sizeof(out)), 3 + 1 + 29);

	hpt_scn_decode(s, raw, sizeof(raw));
	CHECK_EQ(s->rec[0].kind, HPT_SCN_RAW);
	CHECK_EQ(s->rec[0].raw.index, 0x105);
	CHECK(!s->rec[0].raw.v && !s->rec[0].raw.r && !s->rec[0].raw.guest_r);

	hpt_scn_decode(s, slot, sizeof(slot));
	CHECK_EQ(s->rec[0].kind, HPT_SCN_MEMSLOT);
	CHECK_EQ(s->rec[0].slot.base_gfn, 0x10);
	CHECK_EQ(s->rec[0].slot.npages, 0);
	free(s);
	return 0;
}

static void put64(u8 *p, u64 x)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = x >> (8 * i);
}

static int va_field_masks(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	const struct hpt_scn_va *v = &s->rec[0].va;
	u8 b[3 + 30] = { 0, 18, 18, 0 };
	int layout;

	for (layout = 0; layout < 2; layout++) {
		/* 16G with the 256M flag: becomes 1T, VSID 38/28 bits */
		b[0] = layout;
		b[4] = 0x0e;			/* bolted, valid, secondary */
		b[5] = 3 + 7;			/* 16G/16G */
		b[6] = 17;			/* 17 % 9 = first */
		put64(b + 7, ~0ULL);
		put64(b + 15, ~0ULL);
		put64(b + 23, ~0ULL);
		b[31] = 0xff;
		b[32] = 0xff;
		hpt_scn_decode(s, b, sizeof(b));
		CHECK_EQ(v->seg, HPT_SEG_1T);
		CHECK_EQ(v->page, HPT_PAGE_16G);
		CHECK_EQ(v->slot, HPT_SCN_SLOT_FIRST);
		CHECK(v->bolted && v->valid && v->secondary);
		CHECK_EQ(v->vsid, layout ? 0xfffffffULL : 0x3fffffffffULL);
		CHECK_EQ(v->ea, 0xfc00000000ULL);
		CHECK_EQ(v->rpn, 0xffffc00000ULL);
		CHECK_EQ(v->rbits, 0xbfff);

		/* 4K/64K in 256M: VSID 50/40 bits, EA and RPN 64K-aligned */
		b[4] = 0x00;
		b[5] = 4;
		b[6] = 5;
		hpt_scn_decode(s, b, sizeof(b));
		CHECK_EQ(v->seg, HPT_SEG_256M);
		CHECK_EQ(v->slot, 5);
		CHECK(!v->bolted && !v->valid && !v->secondary);
		CHECK_EQ(v->vsid, layout ? 0xffffffffffULL :
			 0x3ffffffffffffULL);
		CHECK_EQ(v->ea, 0xfff0000ULL);
		CHECK_EQ(v->rpn, 0xfffffffff0ULL);
	}
	free(s);
	return 0;
}

static int record_limits(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t n = 3, i;

	memset(in, 0, sizeof(in));
	in[1] = in[2] = 18;
	/* 4100 raw entries, then 20 memslots */
	for (i = 0; i < 4100; i++, n += 1 + HPT_SCN_RAW_BYTES)
		in[n] = 1 + 3 * (i % 80);	/* any byte = 1 mod 3 */
	for (i = 0; i < 20; i++, n += 1 + HPT_SCN_MEMSLOT_BYTES) {
		in[n] = 2;
		in[n + 9] = i;			/* npages low byte */
	}
	hpt_scn_decode(s, in, n);
	CHECK_EQ(s->nr_entries, 4096);
	CHECK_EQ(s->nr_memslots, 16);
	CHECK_EQ(s->nr_records, 4096 + 16);
	CHECK_EQ(s->rec[4096].kind, HPT_SCN_MEMSLOT);
	CHECK_EQ(s->rec[4096 + 15].slot.npages, 15);
	CHECK(!hpt_scn_add(s, &s->rec[0]));
	free(s);
	return 0;
}

/* Canonical bytes of a known scenario, as the doc lays them out */
static int known_bytes(void)
{
	static const u8 want[] = {
		1, 18, 19,
		0, 0x07, 1, 8,				/* 1T bolted valid */
		0x56, 0x34, 0x12, 0, 0, 0, 0, 0,	/* VSID */
		0x00, 0x00, 0xbc, 0x0a, 0, 0, 0, 0,	/* EA */
		0x00, 0x01, 0, 0, 0, 0, 0, 0,		/* RPN */
		0x92, 0x01,				/* rbits */
		1, 0x10, 0, 0, 0, 0, 0, 0, 0,		/* raw index */
		0x01, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0x10, 0, 0, 0, 0, 0, 0, 0x00, 0x10,
	};
	struct hpt_scenario *s = scn_new(true, 18, 19);
	struct hpt_scenario *d = scn_new(false, 18, 18);
	struct scn_va_args a = {
		.seg = HPT_SEG_1T, .page = HPT_PAGE_64K,
		.slot = HPT_SCN_SLOT_FIRST, .vsid = 0x123456, .ea = 0xabcd000,
		.rpn = 0x10f, .valid = true, .bolted = true, .rbits = 0x4192,
	};

	scn_add_va(s, &a);
	/* Canonicalised: 64K-aligned EA and RPN, bit 14 of rbits gone */
	CHECK_EQ(s->rec[0].va.ea, 0xabc0000);
	CHECK_EQ(s->rec[0].va.rpn, 0x100);
	CHECK_EQ(s->rec[0].va.rbits, 0x192);
	scn_add_raw(s, 0x10, 1, 0xff, 2);
	scn_add_memslot(s, 0x1000, 0x1000);
	CHECK_EQ(hpt_scn_encode(s, out, sizeof(out)), sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
	hpt_scn_decode(d, want, sizeof(want));
	CHECK(hpt_scn_equal(s, d));
	free(s);
	free(d);
	return 0;
}

/*
 * Header bit 1: every VA record carries 2 host bytes after rbits.  Without
 * it the same bytes decode as before (host 0), so older inputs keep their
 * meaning; the canonical encoding sets the bit only when a host field is
 * nonzero.
 */
static int host_field_bytes(void)
{
	u8 want[3 + 1 + HPT_SCN_VA_BYTES + HPT_SCN_VA_HOST_BYTES] = {
		0x03, 18, 18, 0, 0x04, 0, 8,
	};
	struct hpt_scenario *s = scn_new(true, 18, 18);
	struct hpt_scenario *d = scn_new(false, 18, 18);
	struct scn_va_args a = {
		.seg = HPT_SEG_256M, .page = HPT_PAGE_4K,
		.slot = HPT_SCN_SLOT_FIRST, .valid = true,
	};

	want[sizeof(want) - 2] = 0x81;		/* HVLOCK | SET_R */
	want[sizeof(want) - 1] = 0x01;		/* BOTH */
	scn_add_va(s, &a);
	s->rec[0].va.host = 0x181;
	CHECK_EQ(hpt_scn_encode(s, out, sizeof(out)), sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
	hpt_scn_decode(d, want, sizeof(want));
	CHECK(hpt_scn_equal(s, d));
	/* Without bit 1 the host bytes are the next record (a VA, kind 0x81
	 * % 3 = 0) and the entry has no host field */
	want[0] = 0x01;
	hpt_scn_decode(d, want, sizeof(want));
	CHECK_EQ(d->nr_records, 2);
	CHECK_EQ(d->rec[0].va.host, 0);
	/* Host 0 everywhere: the bit and the bytes are not written */
	s->rec[0].va.host = 0;
	CHECK_EQ(hpt_scn_encode(s, out, sizeof(out)), 3 + 1 + HPT_SCN_VA_BYTES);
	CHECK_EQ(out[0], 0x01);
	/* Canonical: a bit set wins over the same bit cleared, bits above 8
	 * go, and VALID and ABSENT both make the entry VALID */
	want[0] = 0x03;
	want[4] = 0;				/* ABSENT */
	want[sizeof(want) - 2] = 0x0f;
	want[sizeof(want) - 1] = 0xfe;
	hpt_scn_decode(d, want, sizeof(want));
	CHECK_EQ(d->rec[0].va.host, 0x3);
	CHECK(!d->rec[0].va.valid);
	want[sizeof(want) - 1] = 0xff;
	hpt_scn_decode(d, want, sizeof(want));
	CHECK_EQ(d->rec[0].va.host, 0x103);
	CHECK(d->rec[0].va.valid);
	free(s);
	free(d);
	return 0;
}

static int fold_orders(void)
{
	struct hpt_scenario *s = scn_new(false, 30, 25);

	CHECK_EQ(hpt_scn_fold_order(21, 21), 21);
	CHECK_EQ(hpt_scn_fold_order(22, 21), 18);
	CHECK_EQ(hpt_scn_fold_order(25, 21), 21);
	CHECK_EQ(hpt_scn_fold_order(46, 18), 18);
	CHECK_EQ(hpt_scn_fold_order(46, 46), 46);
	scn_add_raw(s, hpt_order_npte(30) - 1, 0, 0, 0);
	hpt_scn_cap_orders(s, 21);
	CHECK_EQ(s->old_order, 18 + 12 % 4);
	CHECK_EQ(s->new_order, 18 + 7 % 4);
	CHECK_EQ(s->rec[0].raw.index, hpt_order_npte(18) - 1);
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(round_trip_random),
	TEST_CASE(encode_respects_cap),
	TEST_CASE(header_rules),
	TEST_CASE(short_records_read_zeros),
	TEST_CASE(va_field_masks),
	TEST_CASE(record_limits),
	TEST_CASE(known_bytes),
	TEST_CASE(host_field_bytes),
	TEST_CASE(fold_orders),
};

TEST_MAIN(cases)
