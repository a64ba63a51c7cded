// SPDX-License-Identifier: GPL-2.0-only
/*
 * The oracle against cases worked out by hand (the numbers of
 * tests/unit/test_rehash.c): hash = VSID ^ p for 256 MB segments, VSID ^
 * VSID<<25 ^ p for 1 TB, p the segment offset over the base page size;
 * primary group hash & mask, secondary ~hash & mask; entries visited in
 * old index order.
 */
#include <stdlib.h>

#include "check.h"
#include "hpt/oracle.h"
#include "scn_test.h"

/* V bits as the spec lists them, for raw words */
#define T_V_HVLOCK	0x40ULL
#define T_V_ABSENT	0x20ULL
#define T_V_BOLTED	0x10ULL
#define T_V_LARGE	0x04ULL
#define T_V_VALID	0x01ULL

#define VA(seg_, vsid_, ea_, page_, sec_, slot_, rpn_)			\
	{ .seg = seg_, .vsid = vsid_, .ea = ea_, .page = page_,		\
	  .secondary = sec_, .slot = slot_, .rpn = rpn_, .valid = true,	\
	  .bolted = true, .rbits = 0x192 }

struct known {
	struct scn_va_args a;
	u64 hash;
};

static const struct known known[] = {
	{ VA(HPT_SEG_256M, 0x123456, 0x0abcd000, HPT_PAGE_4K, 0, 3, 0x100),
	  0x129f9b },
	{ VA(HPT_SEG_256M, 0x3abcde, 0x0fed0000, HPT_PAGE_64K, 1, 5, 0x110),
	  0x3ab333 },
	{ VA(HPT_SEG_256M, 0x77777, 0x0b000000, HPT_PAGE_16M, 0, 0, 0),
	  0x7777c },
	{ VA(HPT_SEG_1T, 0x1234567, 0xc00000000, HPT_PAGE_16G, 1, 7, 0),
	  0xacf234564ULL },
	{ VA(HPT_SEG_1T, 0x2345678, 0xabcdef000, HPT_PAGE_4K, 0, 1, 0x200),
	  0x2cf29f9b97ULL },
	{ VA(HPT_SEG_256M, 0x55aa55, 0x01230000, HPT_PAGE_4K_64K, 0, 2,
	     0x130), 0x55b865 },
	{ VA(HPT_SEG_1T, 0x0beef1, 0x5f000000, HPT_PAGE_64K_16M, 1, 4, 0),
	  0x5de20bb1f1ULL },
	{ VA(HPT_SEG_256M, 0x1f0f0f, 0x0e000000, HPT_PAGE_4K_16M, 0, 6, 0),
	  0x1fef0f },
};

/* Old and new (order 18 -> 20) index of the first five */
static const u64 grow_old[] = { 0x3cdb, 0x2665, 0x3be0, 0x14df, 0x1cb9 };
static const u64 grow_new[] = { 0x1f9b * 8 + 3, 0xccc * 8 + 5, 0x177c * 8,
				0x1a9b * 8 + 7, 0x1b97 * 8 + 1 };

/* A pre-3.0 guest growing from 18 to 20: one memslot, the first five VAs */
static struct hpt_scenario *grow_of_first_five(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 20);
	u32 k;

	scn_add_memslot(s, 0, 0x1000);
	for (k = 0; k < 5; k++)
		scn_add_va(s, &known[k].a);
	return s;
}

/* An entry of a sparse table, zeros where it lists none */
static const struct hpt_oracle_hpte *at(const struct hpt_oracle_table *t,
					u64 idx)
{
	static const struct hpt_oracle_hpte zero = {
		.rec = HPT_ORACLE_NO_RECORD };
	const struct hpt_oracle_hpte *e = hpt_oracle_at(t, idx);

	return e ? e : &zero;
}

#define AT(t, idx) (*at(&(t), idx))

/* Generate to get the placement, then predict from it alone */
static int predict(struct hpt_oracle *o, const struct hpt_scenario *s,
		   u32 alloc_order)
{
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct hpt_vm vm;
	int ret;

	CHECK_EQ(scn_guest(&vm, s, pl), 0);
	scn_guest_free(&vm);
	ret = hpt_oracle_predict(o, s, pl, alloc_order);
	if (ret)
		fprintf(stderr, "oracle: %s\n", o->error);
	free(pl);
	return ret;
}

static int hashes_of_known_vas(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	size_t i;

	for (i = 0; i < TEST_COUNT(known); i++) {
		scn_add_va(s, &known[i].a);
		CHECK_EQ(hpt_scn_va_hash(&s->rec[i].va), known[i].hash);
	}
	/* V of the first: AVPN 0x123456 << 5 | 0xabcd000 >> 23 */
	CHECK_EQ(hpt_scn_va_avpn(&s->rec[0].va), 0x2468ad5);
	CHECK_EQ(hpt_scn_va_v(&s->rec[0].va), 0x123456a91ULL);
	/* 64K: L, H, and the AVPN's bit below 64K pages... none to clear */
	CHECK_EQ(hpt_scn_va_v(&s->rec[1].va), 0x3abcdef97ULL);
	CHECK_EQ(hpt_scn_va_guest_r(&s->rec[1].va), 0x111192);
	/* 16G: 1T, L, H, ABSENT when not valid; LP 3 in R */
	s->rec[3].va.valid = false;
	CHECK_EQ(hpt_scn_va_v(&s->rec[3].va), 0x40012345670c0036ULL);
	CHECK_EQ(hpt_scn_va_guest_r(&s->rec[3].va), 0x3192);
	CHECK_EQ(hpt_scn_va_hw_r(&s->rec[3].va), 0x10000000003192ULL);
	/* 4K base in 16M: LP 8, LPHI 3 */
	CHECK_EQ(hpt_scn_va_guest_r(&s->rec[7].va), 0x38192);
	CHECK_EQ(hpt_scn_va_group(&s->rec[1].va, 18), 0x4cc);
	free(s);
	return 0;
}

static int grow_moves_by_va_hash(void)
{
	struct hpt_scenario *s = grow_of_first_five();
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle o;
	/* Unmapped in old index order: records 3, 4, 1, 2, 0 */
	static const u32 order[] = { 3, 4, 1, 2, 0 };
	u64 v, r;
	u32 k;

	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK(o.predictable);
	CHECK_EQ(o.rc, 0);
	CHECK_EQ(o.nr_unmaps, 5);
	for (k = 0; k < 5; k++) {
		CHECK_EQ(o.unmaps[k].idx, grow_old[order[k]]);
		CHECK_EQ(o.unmaps[k].rec, order[k] + 1);
		CHECK_EQ(o.unmaps[k].gfn, known[order[k]].a.rpn);
	}
	for (k = 0; k < 5; k++) {
		const struct hpt_scn_va *va = &s->rec[k + 1].va;

		CHECK_EQ(o.rec[k + 1].old_idx, grow_old[k]);
		CHECK_EQ(o.rec[k + 1].new_idx, grow_new[k]);
		CHECK_EQ(o.rec[k + 1].fate, HPT_FATE_MOVED);
		v = (hpt_scn_va_v(va) & ~HPT_V_VALID) | HPT_V_ABSENT;
		r = hpt_scn_va_hw_r(va);
		e = &AT(o.new, grow_new[k]);
		CHECK_EQ(e->rec, k + 1);
		CHECK_EQ(e->v, v);
		CHECK_EQ(e->r, r);
		CHECK_EQ(e->guest_r, hpt_scn_va_guest_r(va));
		e = &AT(o.old, grow_old[k]);
		CHECK_EQ(e->v, v);
		CHECK_EQ(e->r, r);
	}
	/* Every ring emptied, R and C harvested */
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, false), HPT_RMAP_PRESENT | 0x3cdb);
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, true),
		 HPT_RMAP_REFERENCED | HPT_RMAP_CHANGED);
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0, true), HPT_RMAP_REFERENCED | HPT_RMAP_CHANGED);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

/*
 * Shrinking 19 -> 18 folds groups 0xf9b and 0x79b: p = 0xabcd and
 * 0xa3cd give hashes 0x129f9b and 0x12979b.  The one at the lower index
 * (0x3cda) moves first, the other (0x7cda) fails; an entry beyond it
 * (hash 0x123fff, index 0x7ffa) is never reached.
 */
static int shrink_collision_is_enospc(void)
{
	struct hpt_scenario *s = scn_new(false, 19, 18);
	struct scn_va_args a = VA(HPT_SEG_256M, 0x123456, 0x0abcd000,
				  HPT_PAGE_4K, 0, 2, 0x100);
	struct hpt_oracle o;

	scn_add_memslot(s, 0, 0x1000);
	a.rbits = 0xf92;		/* key bits to clear, R and C */
	scn_add_va(s, &a);		/* record 1 at 0x7cda */
	a.ea = 0x0a3cd000;
	a.rbits = 0x012;
	scn_add_va(s, &a);		/* record 2 at 0x3cda */
	a.ea = 0x0ba9000;
	a.bolted = false;
	scn_add_va(s, &a);		/* record 3 at 0x7ffa */
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK_EQ(o.rc, -ENOSPC);
	CHECK_EQ(o.fail_idx, 0x7cda);
	CHECK_EQ(o.fail_new_idx, 0x3cda);
	CHECK_EQ(o.fail_holder_idx, 0x3cda);
	CHECK(!o.new.e);
	CHECK_EQ(o.nr_unmaps, 2);
	CHECK_EQ(o.unmaps[0].idx, 0x3cda);
	CHECK_EQ(o.unmaps[1].idx, 0x7cda);
	CHECK_EQ(o.rec[1].fate, HPT_FATE_COLLIDED);
	CHECK_EQ(o.rec[2].fate, HPT_FATE_MOVED);
	CHECK_EQ(o.rec[3].fate, HPT_FATE_UNTOUCHED);
	/* Unmapped: ABSENT, key cleared; not reached: as it was */
	CHECK_EQ(AT(o.old, 0x7cda).v, 0x123456a91ULL - 1 + HPT_V_ABSENT);
	CHECK_EQ(AT(o.old, 0x7cda).r, 0x10000000100192ULL);
	CHECK_EQ(AT(o.old, 0x7cda).guest_r, 0x100f92);
	CHECK_EQ(AT(o.old, 0x7ffa).v, AT(o.before, 0x7ffa).v);
	CHECK(AT(o.old, 0x7ffa).v & HPT_V_VALID);
	/* The ring of frame 0x100 keeps record 3, with 1's R/C harvested */
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, false), HPT_RMAP_PRESENT | 0x7cda);
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, true), HPT_RMAP_PRESENT | 0x7ffa |
		 HPT_RMAP_REFERENCED | HPT_RMAP_CHANGED);
	hpt_oracle_free(&o);

	/* Growing instead: everything fits */
	s->new_order = 20;
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK_EQ(o.rc, 0);
	CHECK_EQ(o.nr_unmaps, 3);
	CHECK_EQ(o.rec[3].fate, HPT_FATE_DROPPED);
	CHECK_EQ(AT(o.new, 0x1f9b * 8 + 2).rec, 1);
	CHECK_EQ(AT(o.new, 0x179b * 8 + 2).rec, 2);
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, true),
		 HPT_RMAP_REFERENCED | HPT_RMAP_CHANGED);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

static int enomem_above_alloc_cap(void)
{
	struct hpt_scenario *s = grow_of_first_five();
	struct hpt_oracle o;

	CHECK_EQ(predict(&o, s, 19), 0);
	CHECK_EQ(o.rc, -ENOMEM);
	CHECK_EQ(o.nr_unmaps, 0);
	CHECK(!o.new.e);
	CHECK_EQ(o.old.n, o.before.n);
	CHECK(!memcmp(o.old.e, o.before.e, o.old.n * sizeof(*o.old.e)));
	CHECK_EQ(hpt_oracle_rmap_word(&o, 0, 0x100, true), hpt_oracle_rmap_word(&o, 0, 0x100, false));
	CHECK_EQ(o.rec[1].fate, HPT_FATE_UNTOUCHED);
	hpt_oracle_free(&o);
	CHECK_EQ(predict(&o, s, 20), 0);
	CHECK_EQ(o.rc, 0);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

/* ISA 3.0: V keeps its low 52 bits, B moves to R 58..59 */
static int isa300_words(void)
{
	struct hpt_scenario *s = scn_new(true, 18, 20);
	const struct hpt_scn_va *va;
	struct hpt_oracle o;
	u64 v, r;

	scn_add_va(s, &known[4].a);
	va = &s->rec[0].va;
	CHECK_EQ(predict(&o, s, 0), 0);
	v = hpt_scn_va_v(va);
	r = hpt_scn_va_hw_r(va);
	CHECK_EQ(AT(o.before, grow_old[4]).v, v & 0x000fffffffffffffULL);
	CHECK_EQ(AT(o.before, grow_old[4]).r, r | (1ULL << 58));
	v = (v & ~HPT_V_VALID) | HPT_V_ABSENT;
	CHECK_EQ(AT(o.new, grow_new[4]).v, v & 0x000fffffffffffffULL);
	CHECK_EQ(AT(o.new, grow_new[4]).r, r | (1ULL << 58));
	CHECK_EQ(o.unmaps[0].gfn, 0x200);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

static int fates_of_entries(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19);
	struct scn_va_args a = known[0].a;
	struct hpt_oracle o;

	a.slot = 0;
	a.valid = false;
	scn_add_va(s, &a);			/* bolted ABSENT: moves */
	a.slot = 1;
	a.bolted = false;
	scn_add_va(s, &a);			/* dropped, no unmap */
	a.slot = 2;
	a.valid = true;
	scn_add_va(s, &a);			/* dropped after unmap */
	a.slot = 0;
	scn_add_va(s, &a);			/* slot 0 taken */
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK_EQ(o.rc, 0);
	CHECK_EQ(o.rec[0].fate, HPT_FATE_MOVED);
	CHECK_EQ(o.rec[1].fate, HPT_FATE_DROPPED);
	CHECK_EQ(o.rec[2].fate, HPT_FATE_DROPPED);
	CHECK_EQ(o.rec[3].fate, HPT_FATE_NOT_PLACED);
	CHECK_EQ(o.nr_unmaps, 1);
	CHECK_EQ(o.unmaps[0].idx, 0x79b * 8 + 2);
	/* An ABSENT entry keeps its key bits: nothing unmapped it */
	CHECK_EQ(AT(o.new, 0xf9b * 8).r, AT(o.before, 0x79b * 8).r);
	CHECK_EQ(AT(o.new, 0xf9b * 8).v, AT(o.before, 0x79b * 8).v);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

static int raw_entries_and_predictability(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19);
	struct hpt_oracle o;

	scn_add_va(s, &known[0].a);
	scn_add_raw(s, 5, 0x40, 0x1, 0x2);	/* not VALID, not ABSENT */
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK(o.predictable);
	CHECK_EQ(AT(o.old, 5).r, 0x1);		/* kept as it was */
	CHECK_EQ(o.rec[1].judged, HPT_JUDGED_NOT_ENTRY);
	hpt_oracle_free(&o);

	/* AVPN 0, 4K, group 1: the VA with page number 1 explains it */
	scn_add_raw(s, 9, T_V_ABSENT, 0, 0);
	/* Bolted in a reserved segment size: no VA explains it */
	scn_add_raw(s, 0x11, (3ULL << 62) | T_V_BOLTED | T_V_ABSENT, 0, 0);
	scn_add_raw(s, 6, T_V_VALID, 0, 0);
	scn_add_raw(s, 6, 0, 0, 0);		/* overwrites the VALID one */
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK(!o.predictable);
	CHECK_EQ(o.raw_rec, 3);
	CHECK_EQ(o.rules_idx, 0x11);
	CHECK_EQ(o.nr_exact, 2);
	CHECK_EQ(o.nr_rules, 1);
	CHECK_EQ(o.rec[0].judged, HPT_JUDGED_EXACT);
	CHECK_EQ(o.rec[2].judged, HPT_JUDGED_EXACT);
	CHECK_EQ(o.rec[2].unexplained, HPT_UNEXPL_NONE);
	CHECK_EQ(o.rec[2].hash, 1);
	CHECK_EQ(o.rec[2].fate, HPT_FATE_DROPPED);
	CHECK_EQ(o.rec[3].judged, HPT_JUDGED_RULES);
	CHECK_EQ(o.rec[3].unexplained, HPT_UNEXPL_SEGMENT);
	CHECK_EQ(o.rec[3].fate, HPT_FATE_RULES);
	CHECK_EQ(o.rec[4].judged, HPT_JUDGED_NOT_ENTRY);
	/* The others are still predicted: the VA entry moves */
	CHECK_EQ(o.rc, 0);
	CHECK_EQ(o.rec[0].fate, HPT_FATE_MOVED);
	CHECK(o.before.e && o.old.e && o.new.e);
	CHECK_EQ(AT(o.before, 6).v, 0);
	/* Stopped at the unexplained entry instead: nothing moved */
	CHECK_EQ(hpt_oracle_stop_at(&o, s, 0x11, -EIO), 0);
	CHECK_EQ(o.rc, -EIO);
	CHECK(!o.new.e);
	CHECK_EQ(o.rec[0].fate, HPT_FATE_UNTOUCHED);	/* index 0x3cdb */
	CHECK_EQ(o.rec[2].fate, HPT_FATE_DROPPED);
	CHECK_EQ(o.nr_rules, 1);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

/*
 * Every known VA, as a VA record and as the raw words it was stored as,
 * at every layout, grow and shrink: the raw one is predicted alike.
 */
static int raw_copy_predicted_as_va(bool isa300, u32 old_order,
				    u32 new_order, size_t i, bool valid)
{
	struct hpt_scenario *va = scn_new(isa300, old_order, new_order);
	struct hpt_scenario *raw = scn_new(isa300, old_order, new_order);
	struct scn_va_args a = known[i].a;
	struct hpt_oracle ov, orw;
	const struct hpt_oracle_hpte *e;
	u64 idx;
	u32 j;

	a.valid = valid;
	scn_add_memslot(va, 0, 0x1000);
	scn_add_memslot(raw, 0, 0x1000);
	scn_add_va(va, &a);
	CHECK_EQ(predict(&ov, va, 0), 0);
	idx = ov.rec[1].old_idx;
	e = &AT(ov.before, idx);
	scn_add_raw(raw, idx, e->v, e->r, e->guest_r);
	CHECK_EQ(predict(&orw, raw, 0), 0);

	CHECK(orw.predictable);
	CHECK_EQ(orw.rec[1].judged, HPT_JUDGED_EXACT);
	CHECK_EQ(orw.rec[1].unexplained, HPT_UNEXPL_NONE);
	CHECK_EQ(orw.rec[1].hash, known[i].hash);
	CHECK_EQ(orw.rec[1].new_idx, ov.rec[1].new_idx);
	CHECK_EQ(orw.rec[1].fate, ov.rec[1].fate);
	CHECK_EQ(orw.rc, ov.rc);
	CHECK_EQ(orw.new.n, ov.new.n);
	for (j = 0; j < ov.new.n; j++) {
		CHECK_EQ(orw.new.e[j].idx, ov.new.e[j].idx);
		CHECK_EQ(orw.new.e[j].v, ov.new.e[j].v);
		CHECK_EQ(orw.new.e[j].r, ov.new.e[j].r);
		CHECK_EQ(orw.new.e[j].guest_r, ov.new.e[j].guest_r);
	}
	CHECK_EQ(AT(orw.old, idx).v, AT(ov.old, idx).v);
	CHECK_EQ(AT(orw.old, idx).r, AT(ov.old, idx).r);
	CHECK_EQ(AT(orw.old, idx).guest_r, AT(ov.old, idx).guest_r);
	CHECK_EQ(orw.nr_unmaps, ov.nr_unmaps);
	if (ov.nr_unmaps) {
		CHECK_EQ(orw.unmaps[0].idx, ov.unmaps[0].idx);
		CHECK_EQ(orw.unmaps[0].gfn, ov.unmaps[0].gfn);
		/* Alone in its ring or in none: the word empties alike */
		CHECK_EQ(hpt_oracle_rmap_word(&orw, 0, a.rpn, true),
			 hpt_oracle_rmap_word(&ov, 0, a.rpn, true));
	}
	hpt_oracle_free(&ov);
	hpt_oracle_free(&orw);
	free(va);
	free(raw);
	return 0;
}

static int raw_entries_explained_by_their_va(void)
{
	static const u32 orders[][2] = { { 18, 20 }, { 20, 18 }, { 19, 19 },
					 { 22, 18 } };
	size_t i, n;
	int layout;

	for (layout = 0; layout < 2; layout++)
		for (n = 0; n < TEST_COUNT(orders); n++)
			for (i = 0; i < TEST_COUNT(known); i++)
				CHECK(!raw_copy_predicted_as_va(layout,
					orders[n][0], orders[n][1], i,
					(i + n) & 1));
	return 0;
}

/* Words no VA explains, each for its own reason */
static int unexplained_raw_entries(void)
{
	struct hpt_scenario *s = scn_new(false, 19, 20);
	struct hpt_oracle o;
	/* VA entry 0 (4K, 256M, primary): V 0x123456a91, group 0xf9b */
	const u64 v = 0x123456a90ULL | T_V_ABSENT | T_V_BOLTED;
	static const struct {
		u64 idx, v, r, gr;
		u8 why;
	} cases[] = {
		/* At order 19 the AVPN fixes group bit 11: not 0x79b */
		{ 0x79b * 8 + 3, v, 0, 0, HPT_UNEXPL_GROUP },
		{ 0x10, v | T_V_HVLOCK, 0, 0, HPT_UNEXPL_HVLOCK },
		{ 0x18, v | T_V_LARGE, 0x5000, 0x1000, HPT_UNEXPL_ENCODING },
		{ 0x20, v | T_V_LARGE, 0x1000, 0x5000, HPT_UNEXPL_ACTUAL },
		{ 0x28, v | T_V_LARGE, 0x3000, 0x3000, HPT_UNEXPL_PAGE_SEG },
		{ 0x30, v | (2ULL << 62), 0, 0, HPT_UNEXPL_SEGMENT },
	};
	size_t i;

	for (i = 0; i < TEST_COUNT(cases); i++) {
		hpt_scn_init(s);
		s->old_order = 19;
		s->new_order = 20;
		scn_add_va(s, &known[1].a);
		scn_add_raw(s, cases[i].idx, cases[i].v, cases[i].r,
			    cases[i].gr);
		CHECK_EQ(predict(&o, s, 0), 0);
		CHECK_EQ(o.rec[1].unexplained, cases[i].why);
		/* The VA entry (at 0x6665, after them) stays exact */
		CHECK_EQ(o.rec[0].judged, HPT_JUDGED_EXACT);
		if (cases[i].why == HPT_UNEXPL_HVLOCK ||
		    cases[i].why == HPT_UNEXPL_ACTUAL) {
			/* The resize fails there, whatever the implementation */
			CHECK_EQ(o.rc, cases[i].why == HPT_UNEXPL_HVLOCK ?
				 -EDEADLK : -EIO);
			CHECK_EQ(o.fail_idx, cases[i].idx);
			CHECK_EQ(o.rec[0].fate, HPT_FATE_UNTOUCHED);
			CHECK(o.predictable);
		} else {
			CHECK_EQ(o.rec[1].judged, HPT_JUDGED_RULES);
			CHECK_EQ(o.rec[1].fate, HPT_FATE_RULES);
			CHECK_EQ(o.rec[0].fate, HPT_FATE_MOVED);
			CHECK(!o.predictable);
		}
		hpt_oracle_free(&o);
	}
	/* Not bolted: dropped whatever its hash, so judged exactly */
	hpt_scn_init(s);
	s->old_order = 18;
	s->new_order = 19;
	scn_add_raw(s, 0x30, (2ULL << 62) | T_V_VALID, 0, 0);
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK(o.predictable);
	CHECK_EQ(o.rec[0].unexplained, HPT_UNEXPL_SEGMENT);
	CHECK_EQ(o.rec[0].fate, HPT_FATE_DROPPED);
	CHECK_EQ(o.nr_unmaps, 1);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

/*
 * The oracle computes a VA record's words itself (oracle/va_words.c):
 * for every page pair, segment, layout and host field bit, they are the
 * words generation stored
 */
static int va_words_are_the_generated_ones(void)
{
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct rng rng = { 5 };
	struct hpt_oracle o;
	struct hpt_vm vm;
	u32 i, host;
	u64 idx;

	CHECK(pl);
	for (i = 0; i < 2 * 9 * TEST_COUNT(known); i++) {
		struct hpt_scenario *s = scn_new(i & 1, 18, 19);
		struct scn_va_args a = known[(i / 2) % TEST_COUNT(known)].a;

		a.rbits = rng_next(&rng);
		a.valid = rng_chance(&rng, 50);
		scn_add_va(s, &a);
		/* One host bit each, then random sets (the decoders mask) */
		host = i / (2 * TEST_COUNT(known));
		s->rec[0].va.host = host < 9 ? 1u << host :
				    rng_next(&rng) & HPT_SCN_HOST_MASK;
		if (s->rec[0].va.host & HPT_SCN_HOST_BOTH)
			s->rec[0].va.valid = true;
		CHECK_EQ(scn_guest(&vm, s, pl), 0);
		CHECK_EQ(hpt_oracle_predict(&o, s, pl, 0), 0);
		idx = pl->where[0];
		CHECK_EQ(AT(o.before, idx).v, scn_table_word(&vm, idx, 0));
		CHECK_EQ(AT(o.before, idx).r, scn_table_word(&vm, idx, 1));
		CHECK_EQ(AT(o.before, idx).guest_r,
			 vm.hpt.rev[idx].guest_rpte);
		hpt_oracle_free(&o);
		scn_guest_free(&vm);
		free(s);
	}
	free(pl);
	return 0;
}

/* A VA entry whose HVLOCK a host path holds: the resize stops there */
static int held_lock_stops_the_resize(void)
{
	struct hpt_scenario *s = grow_of_first_five();
	struct hpt_oracle o;

	/* Record 2 at 0x2665: records 4 (0x14df) and 5 (0x1cb9) before it */
	s->rec[2].va.host |= HPT_SCN_HOST_HVLOCK;
	CHECK_EQ(predict(&o, s, 0), 0);
	CHECK(o.predictable);
	CHECK_EQ(o.rc, -EDEADLK);
	CHECK_EQ(o.fail_idx, grow_old[1]);
	CHECK_EQ(o.rec[2].fate, HPT_FATE_FAILED);
	CHECK_EQ(o.rec[4].fate, HPT_FATE_MOVED);
	CHECK_EQ(o.rec[5].fate, HPT_FATE_MOVED);
	CHECK_EQ(o.rec[1].fate, HPT_FATE_UNTOUCHED);
	CHECK_EQ(o.nr_unmaps, 2);
	CHECK(!o.new.e);
	hpt_oracle_free(&o);
	free(s);
	return 0;
}

static int placement_is_checked(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19);
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct hpt_oracle o;
	struct hpt_vm vm;

	scn_add_va(s, &known[0].a);
	scn_add_va(s, &known[1].a);
	CHECK_EQ(scn_guest(&vm, s, pl), 0);
	scn_guest_free(&vm);
	pl->where[1]++;
	CHECK_EQ(hpt_oracle_predict(&o, s, pl, 0), -EINVAL);
	CHECK(strstr(o.error, "record 1: generation placed it at 0x2666"));
	hpt_oracle_free(&o);
	pl->where[1] = HPT_SCN_NOT_PLACED;
	CHECK_EQ(hpt_oracle_predict(&o, s, pl, 0), -EINVAL);
	hpt_oracle_free(&o);
	free(pl);
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(hashes_of_known_vas),
	TEST_CASE(grow_moves_by_va_hash),
	TEST_CASE(shrink_collision_is_enospc),
	TEST_CASE(enomem_above_alloc_cap),
	TEST_CASE(isa300_words),
	TEST_CASE(fates_of_entries),
	TEST_CASE(raw_entries_and_predictability),
	TEST_CASE(raw_entries_explained_by_their_va),
	TEST_CASE(unexplained_raw_entries),
	TEST_CASE(held_lock_stops_the_resize),
	TEST_CASE(va_words_are_the_generated_ones),
	TEST_CASE(placement_is_checked),
};

TEST_MAIN(cases)
