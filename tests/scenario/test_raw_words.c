// SPDX-License-Identifier: GPL-2.0-only
/*
 * The raw_table target's input form (hpt_scn_from_raw_words): the header,
 * then 32 bytes per entry (index, V, R, guest R, little-endian), as
 * tools/hptfuzz/binary.py's raw_words() writes it, behind one memslot.
 */
#include <stdlib.h>

#include "check.h"
#include "scn_test.h"

#define MAX_BYTES (HPT_SCN_HEADER_BYTES + \
		   (HPT_SCN_MAX_ENTRIES + 8) * HPT_SCN_RAW_BYTES)

static u8 in[MAX_BYTES];

static void put_le64(u8 *p, u64 x)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = x >> (8 * i);
}

/* Entry k's four words at their place; returns the size so far */
static size_t put_entry(size_t k, u64 index, u64 v, u64 r, u64 gr)
{
	u8 *p = in + HPT_SCN_HEADER_BYTES + k * HPT_SCN_RAW_BYTES;

	put_le64(p, index);
	put_le64(p + 8, v);
	put_le64(p + 16, r);
	put_le64(p + 24, gr);
	return HPT_SCN_HEADER_BYTES + (k + 1) * HPT_SCN_RAW_BYTES;
}

static void put_header(bool isa300, u8 old_order, u8 new_order)
{
	memset(in, 0, sizeof(in));
	in[0] = isa300;
	in[1] = old_order;
	in[2] = new_order;
}

/* Words unlike each other in every byte, so a misstep shows */
static u64 word(unsigned int k, unsigned int w)
{
	return 0x8877665544332211ULL + 0x0101010101010101ULL * (4 * k + w);
}

static int check_raw(const struct hpt_scn_record *rec, u64 index, u64 v,
		     u64 r, u64 gr)
{
	CHECK_EQ(rec->kind, HPT_SCN_RAW);
	CHECK_EQ(rec->raw.index, index);
	CHECK_EQ(rec->raw.v, v);
	CHECK_EQ(rec->raw.r, r);
	CHECK_EQ(rec->raw.guest_r, gr);
	return 0;
}

/* Every entry decodes as written: 32 bytes each, none between them */
static int entries_are_32_bytes(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	u64 mask = hpt_order_npte(19) - 1;
	size_t n = 0, k;

	put_header(true, 19, 18);
	for (k = 0; k < 5; k++)
		n = put_entry(k, word(k, 0), word(k, 1), word(k, 2),
			      word(k, 3));
	hpt_scn_from_raw_words(s, in, n);
	CHECK(s->isa300);
	CHECK_EQ(s->old_order, 19);
	CHECK_EQ(s->new_order, 18);
	CHECK_EQ(s->nr_memslots, 1);
	CHECK_EQ(s->nr_entries, 5);
	CHECK_EQ(s->nr_records, 6);
	for (k = 0; k < 5; k++)
		if (check_raw(&s->rec[1 + k], word(k, 0) & mask, word(k, 1),
			      word(k, 2), word(k, 3)))
			return 1;
	free(s);
	return 0;
}

/* One whole entry is one record: no partial record after it */
static int one_entry_is_one_record(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t n;

	put_header(false, 18, 20);
	/* guest R's top byte would be a second entry's index at 31 bytes */
	n = put_entry(0, 0x123, 0x4000000012345615ULL, 0x12345000ULL,
		      0x8000000012345192ULL);
	CHECK_EQ(n, 35);
	hpt_scn_from_raw_words(s, in, n);
	CHECK_EQ(s->nr_entries, 1);
	CHECK_EQ(s->nr_records, 2);
	if (check_raw(&s->rec[1], 0x123, 0x4000000012345615ULL,
		      0x12345000ULL, 0x8000000012345192ULL))
		return 1;
	free(s);
	return 0;
}

/* A short last entry reads its missing bytes as zero */
static int short_entry_reads_zeros(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t n;

	put_header(false, 18, 19);
	n = put_entry(0, 1, 2, 3, 4);
	put_entry(1, 0x2a, 0x1122334455667788ULL, 0xffffffffffffffffULL, 9);
	/* the second entry's index, V and two bytes of R */
	hpt_scn_from_raw_words(s, in, n + 18);
	CHECK_EQ(s->nr_entries, 2);
	if (check_raw(&s->rec[1], 1, 2, 3, 4) ||
	    check_raw(&s->rec[2], 0x2a, 0x1122334455667788ULL, 0xffff, 0))
		return 1;
	/* one byte past an entry is one more entry, all but its index zero */
	hpt_scn_from_raw_words(s, in, n + 1);
	CHECK_EQ(s->nr_entries, 2);
	if (check_raw(&s->rec[2], 0x2a, 0, 0, 0))
		return 1;
	free(s);
	return 0;
}

/* The header decodes as in the binary form; the memslot comes first */
static int header_and_memslot(void)
{
	struct hpt_scenario *s = scn_new(true, 30, 30);
	struct hpt_scenario *b = scn_new(false, 18, 18);
	size_t n;

	for (n = 0; n <= HPT_SCN_HEADER_BYTES; n++) {
		put_header(true, 47, 13);	/* orders fold to 18 + b % 4 */
		hpt_scn_from_raw_words(s, in, n);
		hpt_scn_decode(b, in, n);
		CHECK_EQ(s->isa300, b->isa300);
		CHECK_EQ(s->old_order, b->old_order);
		CHECK_EQ(s->new_order, b->new_order);
		CHECK_EQ(s->nr_entries, 0);
		CHECK_EQ(s->nr_records, 1);
		CHECK_EQ(s->rec[0].kind, HPT_SCN_MEMSLOT);
		CHECK_EQ(s->rec[0].slot.base_gfn, 0);
		CHECK_EQ(s->rec[0].slot.npages, HPT_SCN_MAX_NPAGES);
	}
	CHECK_EQ(s->old_order, 18 + 47 % 4);
	CHECK_EQ(s->new_order, 18 + 13 % 4);
	free(b);
	free(s);
	return 0;
}

/* Indexes wrap to the old table; extra entries past the limit drop */
static int index_mask_and_limit(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t n = 0, k;

	put_header(false, 18, 19);
	for (k = 0; k < HPT_SCN_MAX_ENTRIES + 8; k++)
		n = put_entry(k, hpt_order_npte(18) + k, k, ~k, k << 32);
	hpt_scn_from_raw_words(s, in, n);
	CHECK_EQ(s->nr_entries, HPT_SCN_MAX_ENTRIES);
	CHECK_EQ(s->nr_records, HPT_SCN_MAX_ENTRIES + 1);
	for (k = 0; k < HPT_SCN_MAX_ENTRIES; k++)
		if (check_raw(&s->rec[1 + k], k & (hpt_order_npte(18) - 1),
			      k, ~(u64)k, (u64)k << 32))
			return 1;
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(entries_are_32_bytes),
	TEST_CASE(one_entry_is_one_record),
	TEST_CASE(short_entry_reads_zeros),
	TEST_CASE(header_and_memslot),
	TEST_CASE(index_mask_and_limit),
};

TEST_MAIN(cases)
