// SPDX-License-Identifier: GPL-2.0-only
/*
 * The differential harness: the core agrees with the oracle on thousands
 * of deterministic pseudo-random scenarios covering every page pair,
 * segment size, layout, group, grow and shrink at orders 18..21; tables
 * with raw entries keep the invariants; and broken implementations are
 * caught with the entry named.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broken_impls.h"
#include "check.h"
#include "hpt/scenario_text.h"
#include "scn_test.h"

#define REPORT_BYTES	(64 * 1024)

static char text[REPORT_BYTES];

struct coverage {
	u32 pages[HPT_SCN_NR_PAGES];
	u32 segs[2], groups[2], layouts[2];
	u32 grow, shrink, same;
	u32 ok, enospc, enomem, not_placed, unpredictable;
};

static void count(struct coverage *cov, const struct hpt_scenario *s,
		  const struct hpt_report *rep)
{
	u32 k;

	for (k = 0; k < s->nr_records; k++) {
		const struct hpt_scn_va *va = &s->rec[k].va;

		if (s->rec[k].kind != HPT_SCN_VA)
			continue;
		cov->pages[va->page]++;
		cov->segs[va->seg]++;
		cov->groups[va->secondary]++;
	}
	cov->layouts[s->isa300]++;
	cov->grow += s->new_order > s->old_order;
	cov->shrink += s->new_order < s->old_order;
	cov->same += s->new_order == s->old_order;
	cov->ok += rep->actual_rc == 0;
	cov->enospc += rep->actual_rc == -ENOSPC;
	cov->enomem += rep->actual_rc == -ENOMEM;
	cov->not_placed += rep->nr_not_placed > 0;
	cov->unpredictable += !rep->predictable;
}

static int run_one(const struct hpt_impl *impl, const struct hpt_scenario *s,
		   const struct hpt_harness_options *opt,
		   struct hpt_report *rep)
{
	enum hpt_verdict v;

	rep->buf = text;
	rep->cap = sizeof(text);
	v = hpt_harness_run(impl, s, opt, rep);
	if (v != HPT_AGREE) {
		fprintf(stderr, "%s\n", text);
		hpt_scn_fprint_text(s, stderr);
		return 1;
	}
	return 0;
}

/* 18..21, the small ones (fast) more often */
static u32 random_order(struct rng *r)
{
	static const u32 orders[10] = { 18, 18, 18, 18, 19, 19, 19, 20, 20,
					21 };

	return orders[rng_below(r, 10)];
}

/*
 * How many of the random scenarios to run: all of them, or the percentage
 * in HPT_TEST_SCALE, which the sanitizer builds set because each scenario
 * costs them ten to twenty times as much.
 */
static u32 scaled(u32 n)
{
	const char *env = getenv("HPT_TEST_SCALE");
	unsigned long pct = env ? strtoul(env, NULL, 10) : 100;

	if (pct < 1 || pct > 100)
		pct = 100;
	return (u32)(n * pct / 100);
}

/* n scenarios of one layout and segment choice through the core */
static int agree_many(bool isa300, int seg, u32 n, u64 seed,
		      struct coverage *cov)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_harness_options opt = { 0 };
	struct hpt_report rep = { 0 };
	struct rng r = { seed };
	struct scn_random_cfg cfg;
	u32 i;

	for (i = 0; i < n; i++) {
		cfg.isa300 = isa300;
		cfg.seg = seg;
		cfg.old_order = random_order(&r);
		cfg.new_order = random_order(&r);
		/* Mostly small tables of a few entries, some crowded */
		cfg.entries = rng_chance(&r, 70) ? 1 + rng_below(&r, 40) :
			      rng_below(&r, 600);
		cfg.raws = 0;
		scn_random(s, &r, &cfg);
		/* Now and then the new table is just above, or at, the cap */
		opt.alloc_order = 0;
		if (cfg.new_order > cfg.old_order && rng_chance(&r, 20))
			opt.alloc_order = cfg.new_order - rng_below(&r, 2);
		if (run_one(&hpt_impl_core, s, &opt, &rep)) {
			fprintf(stderr, "scenario %u of seed %llu\n", i,
				(unsigned long long)seed);
			return 1;
		}
		CHECK(rep.predictable);
		count(cov, s, &rep);
	}
	free(s);
	return 0;
}

static int check_coverage(const struct coverage *cov, bool both_segs)
{
	int i;

	fprintf(stderr, "pages");
	for (i = 0; i < HPT_SCN_NR_PAGES; i++)
		fprintf(stderr, " %u", cov->pages[i]);
	fprintf(stderr, "; 256M %u 1T %u; primary %u secondary %u; grow %u "
		"shrink %u same %u; rc 0: %u, -ENOSPC: %u, -ENOMEM: %u; "
		"with entries not placed: %u\n", cov->segs[0], cov->segs[1],
		cov->groups[0], cov->groups[1], cov->grow, cov->shrink,
		cov->same, cov->ok, cov->enospc, cov->enomem, cov->not_placed);
	for (i = 0; i < HPT_SCN_NR_PAGES; i++)
		CHECK(cov->pages[i] > 0);
	CHECK(cov->groups[0] && cov->groups[1]);
	CHECK(cov->grow && cov->shrink && cov->same);
	CHECK(cov->ok && cov->enospc && cov->enomem && cov->not_placed);
	if (both_segs)
		CHECK(cov->segs[0] && cov->segs[1]);
	return 0;
}

static int agree_case(bool isa300, int seg, u64 seed)
{
	struct coverage cov = { 0 };

	CHECK(!agree_many(isa300, seg, scaled(700), seed, &cov));
	/* A 16G page forces a 1T segment, so 256M runs see both */
	return check_coverage(&cov, seg != HPT_SEG_1T);
}

static int core_agrees_pre300_256m(void)
{
	return agree_case(false, HPT_SEG_256M, 11);
}

static int core_agrees_pre300_1t(void)
{
	return agree_case(false, HPT_SEG_1T, 12);
}

static int core_agrees_isa300_256m(void)
{
	return agree_case(true, HPT_SEG_256M, 13);
}

static int core_agrees_isa300_1t(void)
{
	return agree_case(true, HPT_SEG_1T, 14);
}

static int core_agrees_mixed_segments(void)
{
	struct coverage cov = { 0 };

	CHECK(!agree_many(false, -1, scaled(350), 15, &cov));
	CHECK(!agree_many(true, -1, scaled(350), 16, &cov));
	CHECK(cov.layouts[0] && cov.layouts[1]);
	return check_coverage(&cov, true);
}

/*
 * Raw words: those a VA explains are judged exactly, the rest by rules;
 * the core agrees either way, failing (-EIO) where no VA explains a
 * bolted one
 */
static int core_keeps_invariants_on_raw_tables(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_harness_options opt = { 0 };
	struct hpt_report rep = { 0 };
	struct rng r = { 21 };
	struct scn_random_cfg cfg;
	u32 i, ok = 0, failed = 0;

	for (i = 0; i < scaled(400); i++) {
		cfg.isa300 = i & 1;
		cfg.seg = -1;
		cfg.old_order = 18 + rng_below(&r, 3);
		cfg.new_order = 18 + rng_below(&r, 3);
		cfg.entries = rng_below(&r, 60);
		cfg.raws = 1 + rng_below(&r, 20);
		scn_random(s, &r, &cfg);
		/* Raw words that look like entries: VALID or ABSENT often */
		CHECK(!run_one(&hpt_impl_core, s, &opt, &rep));
		ok += rep.predictable && rep.nr_exact > cfg.entries;
		failed += !rep.predictable && rep.actual_rc == -EIO;
	}
	CHECK(ok && failed);
	free(s);
	return 0;
}

/* The grow scenario of the oracle tests, as text */
static const char grow_text[] =
	"hptfuzz-scenario 1\n"
	"layout pre-3.0\n"
	"old-order 18\n"
	"new-order 20\n"
	"memslot base=0x0 npages=4096\n"
	"va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
	"bolted=1 group=primary slot=3 rpn=0x100 rbits=0x192\n"
	"va seg=256M vsid=0x3abcde ea=0xfed0000 page=64K/64K state=valid "
	"bolted=1 group=secondary slot=5 rpn=0x110 rbits=0x192\n"
	"va seg=256M vsid=0x77777 ea=0xb000000 page=16M/16M state=valid "
	"bolted=1 group=primary slot=0 rpn=0x0 rbits=0x192\n"
	"va seg=1T vsid=0x1234567 ea=0xc00000000 page=16G/16G state=valid "
	"bolted=1 group=secondary slot=7 rpn=0x0 rbits=0x192\n"
	"va seg=1T vsid=0x2345678 ea=0xabcdef000 page=4K/4K state=valid "
	"bolted=1 group=primary slot=1 rpn=0x200 rbits=0x192\n";

static struct hpt_scenario *grow_scenario(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	char err[200];

	if (hpt_scn_parse_text(s, grow_text, strlen(grow_text), err,
			       sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return s;
}

/* V bits as the spec lists them, for raw words */
#define T_V_ABSENT	0x20ULL
#define T_V_BOLTED	0x10ULL

/*
 * The grow scenario's entries as the raw words generation stored, one
 * raw record each, and (extra_v non-zero) one more raw entry
 */
static struct hpt_scenario *grow_as_raw(u64 extra_idx, u64 extra_v)
{
	struct hpt_scenario *s = grow_scenario(), *raw = scn_new(false, 18, 20);
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle o;
	struct hpt_vm vm;
	u32 i;

	if (!pl || scn_guest(&vm, s, pl))
		abort();
	scn_guest_free(&vm);
	if (hpt_oracle_predict(&o, s, pl, 0))
		abort();
	scn_add_memslot(raw, 0, 4096);
	for (i = 0; i < o.before.n; i++) {
		e = &o.before.e[i];
		scn_add_raw(raw, e->idx, e->v, e->r, e->guest_r);
	}
	if (extra_v)
		scn_add_raw(raw, extra_idx, extra_v, 0, 0);
	hpt_oracle_free(&o);
	free(pl);
	free(s);
	return raw;
}

/*
 * Raw entries a VA explains are judged as VA entries are: two of them
 * swapped in the new table is a divergence (by invariants alone, two
 * ABSENT entries swapped passed).  An unexplained bolted entry after
 * them leaves them exact: a missing unmap before it is still caught.
 */
static int raw_entries_judged_exactly(void)
{
	const u64 unexplained = (3ULL << 62) | T_V_BOLTED | T_V_ABSENT;
	struct hpt_report rep = { .buf = text, .cap = sizeof(text) };
	struct hpt_scenario *s = grow_as_raw(0, 0);

	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	CHECK(rep.predictable);
	CHECK_EQ(rep.nr_exact, 5);
	CHECK_EQ(rep.nr_rules, 0);
	CHECK_EQ(hpt_harness_run(&test_impl_swap, s, NULL, &rep),
		 HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "new-entry"));
	CHECK(strstr(text, "DIVERGENCE impl=swap what=new-entry"));
	free(s);

	/* Last in scan order: the core fails there, after the others */
	s = grow_as_raw(0x3fff, unexplained);
	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	CHECK(!rep.predictable);
	CHECK_EQ(rep.actual_rc, -EIO);
	CHECK_EQ(rep.nr_exact, 5);
	CHECK_EQ(rep.nr_rules, 1);
	CHECK_EQ(hpt_harness_run(&test_impl_skip_unmap, s, NULL, &rep),
		 HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "unmap"));

	/*
	 * Finding 3's entry (16M, bolted, ABSENT, in group 0, where its
	 * AVPN does not hash): Linux 6.1 moves it by the hash it recovers,
	 * which the rules allow, at its slot number with its words; every
	 * other entry is exact around it
	 */
	free(s);
	s = grow_as_raw(0, 0x123456b34ULL);
	s->rec[s->nr_records - 1].raw.r = 0x1000000;
	s->rec[s->nr_records - 1].raw.guest_r = 0x1000000;
	if (hpt_impl_find("linux-6.1")) {
		CHECK_EQ(hpt_harness_run(hpt_impl_find("linux-6.1"), s, NULL,
					 &rep), HPT_AGREE);
		CHECK_EQ(rep.actual_rc, 0);
		CHECK_EQ(rep.nr_rules, 1);
	}
	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	CHECK_EQ(rep.actual_rc, -EIO);
	free(s);

	/* First in scan order: the others are never reached */
	s = grow_as_raw(0x10, unexplained);
	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	CHECK_EQ(rep.actual_rc, -EIO);
	CHECK_EQ(rep.nr_rules, 1);
	/* -ENOSPC there needs an earlier bolted entry with its slot number */
	CHECK_EQ(hpt_harness_run(&test_impl_wrong_rc, s, NULL, &rep),
		 HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "rc"));
	CHECK_EQ(rep.actual_rc, -ENOSPC);
	free(s);
	return 0;
}

static int diverge(const struct hpt_impl *impl, const char *what,
		   const char *const *want)
{
	struct hpt_scenario *s = grow_scenario();
	struct hpt_report rep = { .buf = text, .cap = sizeof(text) };

	CHECK_EQ(hpt_harness_run(impl, s, NULL, &rep), HPT_DIVERGE);
	CHECK(!strcmp(rep.what, what));
	CHECK_EQ(rep.len, strlen(text));
	for (; *want; want++) {
		if (!strstr(text, *want)) {
			fprintf(stderr, "missing \"%s\" in:\n%s", *want, text);
			return 1;
		}
	}
	free(s);
	return 0;
}

static int swapped_entries_are_named(void)
{
	static const char *const want[] = {
		"DIVERGENCE impl=swap what=new-entry record=2 "
		"old_index=0x2665 expected_index=0x6665 actual_index=0xbbe0\n",
		"record 2: va seg=256M vsid=0x3abcde ea=0xfed0000 "
		"page=64K/64K",
		"VA hash 0x3ab333; old index 0x2665 (group 0x4cc slot 5)",
		"expected at new index 0x6665 (group 0xccc slot 5)",
		"actual   at new index 0xbbe0 (group 0x177c slot 0)",
		"expected new[0x6665] v=0x00000003abcdefb6 ",
		"actual   new[0x6665] v=0x0000000077777b34 ",
		"differs: AVPN H",
		"also differs: nothing else",
		NULL
	};

	return diverge(&test_impl_swap, "new-entry", want);
}

static int skipped_unmap_is_named(void)
{
	static const char *const want[] = {
		"DIVERGENCE impl=skip-unmap what=unmap record=4 "
		"old_index=0x14df expected_index=0x14df actual_index=0x1cb9\n",
		"expected unmap #0: old index 0x14df (group 0x29b slot 7) "
		"gfn 0x0 (record 4)",
		"actual   unmap #0: old index 0x1cb9 (group 0x397 slot 1) "
		"gfn 0x200 (record 5)",
		"record 4: va seg=1T vsid=0x1234567 ea=0xc00000000 "
		"page=16G/16G",
		NULL
	};

	return diverge(&test_impl_skip_unmap, "unmap", want);
}

static int valid_bit_is_marked(void)
{
	static const char *const want[] = {
		"what=new-entry record=2 old_index=0x2665 "
		"expected_index=0x6665 actual_index=0x6665",
		"    V        0x00000003abcdefb6 expected\n"
		"             0x00000003abcdefb7 actual\n"
		"                              ^\n"
		"             differs: VALID (xor 0x1)\n",
		"    R        0x0010000000111192 (same)",
		NULL
	};

	return diverge(&test_impl_valid, "new-entry", want);
}

static int held_lock_is_rc_and_violation(void)
{
	static const char *const want[] = {
		"actual:   rc -EDEADLK (-35), 0 unmapped",
		"DIVERGENCE impl=leave-lock what=rc record=4 old_index=0x14df",
		"first divergence (rc): expected 0 (0), actual -EDEADLK (-35)",
		"the implementation stopped at old index 0x14df",
		"also differs: unmap old-entry rmap violation\n",
		NULL
	};

	return diverge(&test_impl_leave_lock, "rc", want);
}

/* A word where the oracle lists none, past every listed one */
static int stray_rmap_word_is_named(void)
{
	static const char *const want[] = {
		"DIVERGENCE impl=stray-rmap what=rmap ",
		"rmap of gfn 0xfff (memslot 0) differs",
		NULL
	};

	return diverge(&test_impl_stray_rmap, "rmap", want);
}

/*
 * Shrinking 19 -> 18, two bolted entries meet in new group 0x100 slot 0
 * (hashes 0x100 and 0x900): -ENOSPC at old index 0x4800, before the two
 * VALID entries of frame 0x300 (group 0xf00, indices 0x7800 and 0x7801)
 * are reached, so their ring stays in the kept table.
 */
static struct hpt_scenario *ring_after_enospc(void)
{
	struct hpt_scenario *s = scn_new(false, 19, 18);
	struct scn_va_args a = {
		.seg = HPT_SEG_256M, .page = HPT_PAGE_4K, .slot = 0,
		.vsid = 0x100, .ea = 0, .rpn = 0x10, .valid = true,
		.bolted = true,
	};

	scn_add_memslot(s, 0, 0x1000);
	scn_add_va(s, &a);
	a.ea = 0x800000;
	a.rpn = 0x20;
	scn_add_va(s, &a);
	a.ea = 0xe00000;
	a.rpn = 0x300;
	a.slot = HPT_SCN_SLOT_FIRST;
	a.bolted = false;
	scn_add_va(s, &a);
	scn_add_va(s, &a);
	return s;
}

static int links_diverge(const struct hpt_impl *impl,
			 const char *const *want)
{
	struct hpt_scenario *s = ring_after_enospc();
	struct hpt_report rep = { .buf = text, .cap = sizeof(text) };
	const char *const *w;

	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	CHECK_EQ(rep.expected_rc, -ENOSPC);
	rep.len = 0;
	CHECK_EQ(hpt_harness_run(impl, s, NULL, &rep), HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "links"));
	for (w = want; *w; w++) {
		if (!strstr(text, *w)) {
			fprintf(stderr, "missing \"%s\" in:\n%s", *w, text);
			return 1;
		}
	}
	free(s);
	return 0;
}

/* The kept ring's links are judged: the core keeps them, a break shows */
static int broken_link_is_named(void)
{
	static const char *const want[] = {
		"DIVERGENCE impl=break-link what=links record=3 "
		"old_index=0x7800 ",
		"ring of gfn 0x300: entry 0x7800 links forward to 0x7801, "
		"whose back link is another entry",
		"record 3: va seg=256M vsid=0x100 ea=0xe00000",
		"also differs: nothing else",
		NULL
	};

	return links_diverge(&test_impl_break_link, want);
}

/* Links consistent both ways, but a VALID entry left out of its ring */
static int dropped_ring_member_is_named(void)
{
	static const char *const want[] = {
		"DIVERGENCE impl=drop-member what=links record=4 "
		"old_index=0x7801 ",
		"ring of gfn 0x300 misses VALID entry 0x7801",
		"also differs: nothing else",
		NULL
	};

	return links_diverge(&test_impl_drop_member, want);
}

/* The patch-2016 port's secondary-group BUG_ON: a crash, with the entry */
static int port_crash_is_reported(void)
{
	extern const struct hpt_impl hpt_impl_patch_2016_port;
	static const char *const want[] = {
		"actual:   host would have crashed: BUG_ON(",
		"DIVERGENCE impl=patch-2016-port what=crash record=4 old_index=0x14df",
		"record 4: va seg=1T vsid=0x1234567",
		NULL
	};

	return diverge(&hpt_impl_patch_2016_port, "crash", want);
}

static int guard_fault_is_a_crash(void)
{
	static const char *const want[] = {
		"actual:   host would have crashed: out-of-bounds access 0x10 "
		"bytes below the old table (order 18)",
		"DIVERGENCE impl=below-table what=crash record=- old_index=- ",
		NULL
	};

	/* And the next run in the same process is unaffected */
	return diverge(&test_impl_below_table, "crash", want) ||
	       diverge(&test_impl_swap, "new-entry", want + 2);
}

/* A fault outside every guard still ends the process */
static int other_fault_is_not_caught(void)
{
	struct hpt_scenario *s = grow_scenario();
	struct hpt_report rep = { 0 };
	int status;
	pid_t pid;

	/* Prime the handler in this process first, as a fuzzer would */
	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, NULL, &rep), HPT_AGREE);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		/* A sanitizer's report of the fault is expected here */
		hpt_harness_run(&test_impl_null_read, s, NULL, &rep);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
	free(s);
	return 0;
}

static int enomem_and_folding(void)
{
	struct hpt_scenario *s = grow_scenario();
	struct hpt_harness_options opt = { .alloc_order = 19 };
	struct hpt_report rep = { 0 };

	CHECK(!run_one(&hpt_impl_core, s, &opt, &rep));
	CHECK_EQ(rep.expected_rc, -ENOMEM);
	CHECK_EQ(rep.actual_rc, -ENOMEM);

	/* Orders above the cap fold as the fuzz targets fold them */
	s->old_order = 30;
	s->new_order = 25;
	opt.alloc_order = 0;
	opt.max_order = 21;
	CHECK(!run_one(&hpt_impl_core, s, &opt, &rep));
	CHECK_EQ(rep.old_order, 18);
	CHECK_EQ(rep.new_order, 21);
	CHECK_EQ(s->old_order, 30);	/* the caller's copy is untouched */

	/* An old table above the allocation cap cannot be set up */
	opt.max_order = 0;
	opt.alloc_order = 20;
	s->old_order = 21;
	rep.buf = text;
	rep.cap = sizeof(text);
	CHECK_EQ(hpt_harness_run(&hpt_impl_core, s, &opt, &rep), HPT_ERROR);
	CHECK(strstr(rep.summary, "old order 21 is above the allocation cap"));
	free(s);
	return 0;
}

/* A report longer than the buffer is cut, terminated and measured */
static int report_buffer_truncates(void)
{
	struct hpt_scenario *s = grow_scenario();
	struct hpt_report rep = { .buf = text, .cap = 100 };
	size_t full;

	memset(text, 'x', sizeof(text));
	CHECK_EQ(hpt_harness_run(&test_impl_swap, s, NULL, &rep),
		 HPT_DIVERGE);
	CHECK(rep.len > 100);
	CHECK_EQ(strlen(text), 99);
	CHECK_EQ(text[100], 'x');
	full = rep.len;
	rep.buf = NULL;
	CHECK_EQ(hpt_harness_run(&test_impl_swap, s, NULL, &rep),
		 HPT_DIVERGE);
	CHECK_EQ(rep.len, full);
	free(s);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(core_agrees_pre300_256m),
	TEST_CASE(core_agrees_pre300_1t),
	TEST_CASE(core_agrees_isa300_256m),
	TEST_CASE(core_agrees_isa300_1t),
	TEST_CASE(core_agrees_mixed_segments),
	TEST_CASE(core_keeps_invariants_on_raw_tables),
	TEST_CASE(raw_entries_judged_exactly),
	TEST_CASE(swapped_entries_are_named),
	TEST_CASE(skipped_unmap_is_named),
	TEST_CASE(valid_bit_is_marked),
	TEST_CASE(held_lock_is_rc_and_violation),
	TEST_CASE(stray_rmap_word_is_named),
	TEST_CASE(broken_link_is_named),
	TEST_CASE(dropped_ring_member_is_named),
	TEST_CASE(port_crash_is_reported),
	TEST_CASE(guard_fault_is_a_crash),
	TEST_CASE(other_fault_is_not_caught),
	TEST_CASE(enomem_and_folding),
	TEST_CASE(report_buffer_truncates),
};

TEST_MAIN(cases)
