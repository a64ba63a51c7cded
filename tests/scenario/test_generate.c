// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generation: entries placed as H_ENTER places them, words in the table's
 * layout, raw words stored as given, rmap rings of VALID entries.
 */
#include <stdlib.h>

#include "check.h"
#include "scn_test.h"

/* VSID 0x123456 EA 0xabcd000 4K 256M: hash 0x129f9b, group 0x79b at 18 */
static const struct scn_va_args base_va = {
	.seg = HPT_SEG_256M, .page = HPT_PAGE_4K, .slot = HPT_SCN_SLOT_FIRST,
	.vsid = 0x123456, .ea = 0xabcd000, .rpn = 0x100, .valid = true,
	.bolted = true, .rbits = 0x192,
};

#define GROUP	0x79bULL

static int first_free_and_exact_slots(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct scn_va_args a = base_va;
	struct hpt_vm vm;
	u32 k;

	for (k = 0; k < 9; k++)
		scn_add_va(s, &a);
	a.slot = 3;
	scn_add_va(s, &a);		/* 3 is taken: not placed */
	a.secondary = true;
	scn_add_va(s, &a);		/* group ~0x129f9b & mask = 0x064 */
	CHECK_EQ(scn_guest(&vm, s, pl), 0);
	for (k = 0; k < 8; k++)
		CHECK_EQ(pl->where[k], GROUP * 8 + k);
	CHECK_EQ(pl->where[8], HPT_SCN_NOT_PLACED);
	CHECK_EQ(pl->where[9], HPT_SCN_NOT_PLACED);
	CHECK_EQ(pl->where[10], 0x064 * 8 + 3);
	CHECK_EQ(pl->nr_placed, 9);
	CHECK_EQ(pl->nr_not_placed, 2);
	CHECK_EQ(scn_table_word(&vm, 0x064 * 8 + 3, 0), 0x123456a91ULL | HPT_V_SECONDARY);
	scn_guest_free(&vm);
	free(pl);
	free(s);
	return 0;
}

static int words_in_each_layout(void)
{
	struct hpt_scenario *s;
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct scn_va_args a = base_va;
	u64 idx = 0x397 * 8 + 1;
	struct hpt_vm vm;
	int isa300;

	/* 1T VSID 0x2345678 EA 0xabcdef000: hash 0x2cf29f9b97 */
	a.seg = HPT_SEG_1T;
	a.vsid = 0x2345678;
	a.ea = 0xabcdef000;
	a.slot = 1;
	a.rpn = 0x200;
	a.rbits = 0x3192;		/* key high bits too */
	for (isa300 = 0; isa300 < 2; isa300++) {
		u64 v = (1ULL << 62) | (((0x2345678ULL << 17) | 0x1579) << 7) |
			HPT_V_BOLTED | HPT_V_VALID;
		u64 gr = 0x200192ULL | (3ULL << 60);
		u64 hw = gr | (1ULL << 52);

		s = scn_new(isa300, 18, 19);
		scn_add_va(s, &a);
		CHECK_EQ(hpt_scn_va_hash(&s->rec[0].va), 0x2cf29f9b97ULL);
		CHECK_EQ(hpt_scn_va_v(&s->rec[0].va), v);
		CHECK_EQ(hpt_scn_va_guest_r(&s->rec[0].va), gr);
		CHECK_EQ(hpt_scn_va_hw_r(&s->rec[0].va), hw);
		CHECK_EQ(scn_guest(&vm, s, pl), 0);
		CHECK_EQ(pl->where[0], idx);
		if (isa300) {
			CHECK_EQ(scn_table_word(&vm, idx, 0), v & HPT_V_COMMON_BITS);
			CHECK_EQ(scn_table_word(&vm, idx, 1), hw | (1ULL << 58));
		} else {
			CHECK_EQ(scn_table_word(&vm, idx, 0), v);
			CHECK_EQ(scn_table_word(&vm, idx, 1), hw);
		}
		CHECK_EQ(vm.hpt.rev[idx].guest_rpte, gr);
		scn_guest_free(&vm);
		free(s);
	}
	free(pl);
	return 0;
}

/* Raw words go in first, as they are; used ones block H_ENTER */
static int raw_words_stored_as_given(void)
{
	struct hpt_scenario *s = scn_new(true, 18, 18);
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct scn_va_args a = base_va;
	struct hpt_vm vm;

	a.slot = 0;
	scn_add_va(s, &a);			/* slot 0: taken by raw */
	a.slot = 1;
	scn_add_va(s, &a);			/* slot 1: raw is unused */
	scn_add_raw(s, GROUP * 8, 0xfff0000000000021ULL, 0x5, 0x6);
	scn_add_raw(s, GROUP * 8 + 1, 0x40, 0xdead, 0xbeef);
	scn_add_raw(s, 7, 0x1, 0x2, 0x3);
	scn_add_raw(s, 7, 0x4, 0x5, 0x6);	/* the later one wins */
	CHECK_EQ(scn_guest(&vm, s, pl), 0);
	CHECK_EQ(pl->where[0], HPT_SCN_NOT_PLACED);
	CHECK_EQ(pl->where[1], GROUP * 8 + 1);
	CHECK_EQ(pl->where[2], GROUP * 8);
	CHECK_EQ(pl->where[5], 7);
	/* No layout conversion for raw words, even on 3.0 */
	CHECK_EQ(scn_table_word(&vm, GROUP * 8, 0), 0xfff0000000000021ULL);
	CHECK_EQ(scn_table_word(&vm, 7, 0), 0x4);
	CHECK_EQ(scn_table_word(&vm, 7, 1), 0x5);
	CHECK_EQ(vm.hpt.rev[7].guest_rpte, 0x6);
	CHECK_EQ(vm.hpt.rev[7].forw, 7);
	/* The VA entry replaced the unused raw words */
	CHECK_EQ(scn_table_word(&vm, GROUP * 8 + 1, 0), 0x123456a91ULL);
	CHECK_EQ(vm.hpt.rev[GROUP * 8 + 1].guest_rpte, 0x100192);
	scn_guest_free(&vm);
	free(pl);
	free(s);
	return 0;
}

/* VALID entries join their frame's ring at the tail, in record order */
static int rmap_rings(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct scn_va_args a = base_va;
	u64 i0 = GROUP * 8, i1 = GROUP * 8 + 1, i2 = GROUP * 8 + 2;
	struct hpt_vm vm;

	scn_add_memslot(s, 0x80, 0x100);	/* first holder of 0x100 */
	scn_add_memslot(s, 0x0, 0x1000);
	scn_add_va(s, &a);
	scn_add_va(s, &a);
	a.valid = false;
	scn_add_va(s, &a);			/* ABSENT: no ring */
	a.valid = true;
	scn_add_va(s, &a);
	a.rpn = 0x5000;				/* no memslot */
	scn_add_va(s, &a);
	CHECK_EQ(scn_guest(&vm, s, pl), 0);
	CHECK_EQ(vm.nr_memslots, 2);
	CHECK_EQ(pl->where[0], 0);
	CHECK_EQ(pl->where[1], 1);
	CHECK_EQ(vm.memslots[0].rmap[0x80], HPT_RMAP_PRESENT | i0);
	CHECK_EQ(vm.memslots[1].rmap[0x100], 0);
	/* Ring i0 -> i1 -> GROUP*8+3 -> i0 */
	CHECK_EQ(vm.hpt.rev[i0].forw, i1);
	CHECK_EQ(vm.hpt.rev[i1].forw, i2 + 1);
	CHECK_EQ(vm.hpt.rev[i2 + 1].forw, i0);
	CHECK_EQ(vm.hpt.rev[i0].back, i2 + 1);
	CHECK_EQ(vm.hpt.rev[i2].forw, i2);
	CHECK_EQ(vm.hpt.rev[i2 + 2].forw, i2 + 2);
	scn_guest_free(&vm);
	free(pl);
	free(s);
	return 0;
}

/*
 * The host field: hardware R as KVM's host paths leave it, V with HVLOCK
 * or VALID and ABSENT both.  Expected words worked out by hand from the
 * spec: guest R 0x100000 | rbits, the host frame at bit 52.
 */
static int host_field_words(void)
{
	static const struct {
		u16 rbits, host;
		u64 v_extra, hw;	/* V bits beyond VALID; hardware R */
	} c[] = {
		/* R and C set behind a guest view without them */
		{ 0x02a, HPT_SCN_HOST_SET_R | HPT_SCN_HOST_SET_C, 0,
		  0x1001aaULL },
		/* cleared by aging and dirty logging behind a view with them */
		{ 0x1aa, HPT_SCN_HOST_CLEAR_R | HPT_SCN_HOST_CLEAR_C, 0,
		  0x10002aULL },
		/* read-only: PP 2 gains RXRX, PP 0 becomes RXXX (PP0 | 2) */
		{ 0x02a, HPT_SCN_HOST_READONLY, 0, 0x10002bULL },
		{ 0x028, HPT_SCN_HOST_READONLY, 0, 0x800000000010002aULL },
		/* I and G dropped for M */
		{ 0x02a, HPT_SCN_HOST_CACHE_M, 0, 0x100012ULL },
		/* both key fields cleared */
		{ 0x3e2a, HPT_SCN_HOST_KEY_CLEAR, 0, 0x10002aULL },
		{ 0x02a, HPT_SCN_HOST_HVLOCK, 0x40, 0x10002aULL },
		{ 0x02a, HPT_SCN_HOST_BOTH, 0x20, 0x10002aULL },
	};
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct scn_va_args a = base_va;
	struct hpt_scenario *s;
	struct hpt_vm vm;
	u64 idx = GROUP * 8, hw;
	unsigned int i;
	int isa300;

	for (isa300 = 0; isa300 < 2; isa300++) {
		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			s = scn_new(isa300, 18, 18);
			scn_add_memslot(s, 0, 0x1000);
			a.rbits = c[i].rbits;
			scn_add_va(s, &a);
			s->rec[1].va.host = c[i].host;
			hw = c[i].hw | (1ULL << 52);
			CHECK_EQ(hpt_scn_va_hw_r(&s->rec[1].va), hw);
			CHECK_EQ(hpt_scn_va_v(&s->rec[1].va),
				 0x123456a91ULL | c[i].v_extra);
			CHECK_EQ(scn_guest(&vm, s, pl), 0);
			CHECK_EQ(pl->where[1], idx);
			/* 256M: B is 0 in either layout */
			CHECK_EQ(scn_table_word(&vm, idx, 0), 0x123456a91ULL | c[i].v_extra);
			CHECK_EQ(scn_table_word(&vm, idx, 1), hw);
			CHECK_EQ(vm.hpt.rev[idx].guest_rpte,
				 0x100000ULL | (c[i].rbits & 0xfff) |
				 (u64)(c[i].rbits >> 12) << 60);
			/* VALID, with or without ABSENT: in its frame's ring */
			CHECK_EQ(vm.memslots[0].rmap[0x100], (1ULL << 32) | idx);
			scn_guest_free(&vm);
			free(s);
		}
	}
	free(pl);
	return 0;
}

static int rejects_mismatched_guest(void)
{
	struct hpt_scenario *s = scn_new(false, 19, 18);
	struct hpt_user_config cfg = { .order = 18 };
	struct hpt_vm vm;

	CHECK_EQ(hpt_user_vm_init(&vm, &cfg), 0);
	CHECK_EQ(hpt_scn_generate(s, &vm, NULL), -EINVAL);
	s->old_order = 18;
	s->isa300 = true;
	CHECK_EQ(hpt_scn_generate(s, &vm, NULL), -EINVAL);
	s->isa300 = false;
	scn_add_memslot(s, 0, 0);		/* empty memslots are fine */
	CHECK_EQ(hpt_scn_generate(s, &vm, NULL), 0);
	CHECK_EQ(vm.nr_memslots, 1);
	/* Generated once: a second run would mix two scenarios */
	CHECK_EQ(hpt_scn_generate(s, &vm, NULL), -EINVAL);
	scn_guest_free(&vm);
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(first_free_and_exact_slots),
	TEST_CASE(words_in_each_layout),
	TEST_CASE(raw_words_stored_as_given),
	TEST_CASE(rmap_rings),
	TEST_CASE(host_field_words),
	TEST_CASE(rejects_mismatched_guest),
};

TEST_MAIN(cases)
