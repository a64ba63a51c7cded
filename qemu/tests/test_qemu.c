// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-qemu without QEMU: the hypervisor's scenarios keep every
 * entry's group while moving VSIDs clear of the guest's; observations
 * of the core and of the hypervisor that match the VA truth agree, and
 * each kind of wrong one is named; the results file reads back as
 * written, and its errors name the line.
 */
#include <stdlib.h>

#include "check.h"
#include "hq.h"
#include "scn_test.h"

#define REPORT_BYTES	(64 * 1024)
#define LINUX_256M	((1ULL << 40) - 1)
#define LINUX_1T	((1ULL << 28) - 1)

static char text[REPORT_BYTES];
static u32 map[HPT_SCN_MAX_RECORDS];

static const struct hq_adapt tag18 = {
	.vsid = HQ_VSID_TAG, .base_order = 18, .max_order = 24,
};

static void random_scenario(struct hpt_scenario *s, struct rng *r, u32 old,
			    u32 new)
{
	struct scn_random_cfg cfg = {
		.isa300 = rng_chance(r, 50),
		.seg = -1,
		.old_order = old,
		.new_order = new,
		.entries = 1 + rng_below(r, 40),
	};

	scn_random(s, r, &cfg);
}

static int check_adapted(const struct hpt_scenario *s,
			 const struct hpt_scenario *hv, bool fold)
{
	const struct hpt_scn_va *a, *b;
	u32 j, k, order, nva = 0;

	for (k = 0; k < s->nr_records; k++)
		nva += s->rec[k].kind == HPT_SCN_VA;
	CHECK_EQ(hv->nr_records, nva);
	CHECK(!hv->isa300);
	for (j = 0; j < hv->nr_records; j++) {
		CHECK_EQ(hv->rec[j].kind, HPT_SCN_VA);
		a = &s->rec[map[j]].va;
		b = &hv->rec[j].va;
		CHECK(b->valid);
		CHECK_EQ(b->host, 0);	/* H_ENTER cannot make host states */
		CHECK(a->seg == b->seg && a->page == b->page &&
		      a->slot == b->slot && a->bolted == b->bolted &&
		      a->secondary == b->secondary && a->ea == b->ea);
		for (order = 18; order <= 24; order++)
			CHECK_EQ(hpt_scn_va_group(b, order),
				 hpt_scn_va_group(a, order));
		if (fold)
			CHECK(b->vsid < (b->seg == HPT_SEG_1T ? 1ULL << 28 :
					 1ULL << 40));
		else
			CHECK(b->vsid >= (b->seg == HPT_SEG_1T ? LINUX_1T :
					  LINUX_256M));
	}
	return 0;
}

static int adapt_tag_keeps_every_group(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19), *hv = scn_new(0, 18, 18);
	struct rng r = { 1 };
	const char *why;
	u32 i, left_out;

	for (i = 0; i < 300; i++) {
		random_scenario(s, &r, 18, 19);
		CHECK(hq_adapt(s, &tag18, hv, map, &left_out, &why));
		CHECK_EQ(left_out, 0);
		CHECK_EQ(hv->old_order, 18);
		CHECK_EQ(hv->new_order, 19);
		if (check_adapted(s, hv, false))
			return 1;
	}
	free(s);
	free(hv);
	return 0;
}

static int adapt_fold_keeps_every_group(void)
{
	struct hq_adapt fold = tag18;
	struct hpt_scenario *s = scn_new(false, 18, 19), *hv = scn_new(0, 18, 18);
	struct rng r = { 2 };
	const char *why;
	u32 i, left_out;

	fold.vsid = HQ_VSID_FOLD;
	for (i = 0; i < 300; i++) {
		random_scenario(s, &r, 19, 18);
		CHECK(hq_adapt(s, &fold, hv, map, &left_out, &why));
		if (check_adapted(s, hv, true))
			return 1;
	}
	free(s);
	free(hv);
	return 0;
}

static int adapt_orders_avoidance_and_limits(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19), *hv = scn_new(0, 18, 18);
	struct scn_va_args va = { .vsid = 0x1234, .ea = 0x5000, .valid = true,
				  .slot = HPT_SCN_SLOT_FIRST };
	struct hq_adapt a = tag18;
	const char *why = NULL;
	u32 left_out;

	scn_add_memslot(s, 0, 16);
	scn_add_raw(s, 3, 1, 0, 0);
	CHECK(!hq_adapt(s, &a, hv, map, &left_out, &why));
	CHECK(!strcmp(why, "no VA entries"));

	va.bolted = true;
	va.secondary = true;
	scn_add_va(s, &va);			/* avoided: bolted secondary */
	va.secondary = false;
	va.page = HPT_PAGE_64K_16M;
	scn_add_va(s, &va);			/* avoided: bolted MPSS */
	va.bolted = false;
	scn_add_va(s, &va);			/* kept: not bolted */
	a.avoid = HQ_AVOID_ALL;
	a.base_order = 22;
	CHECK(hq_adapt(s, &a, hv, map, &left_out, &why));
	CHECK_EQ(left_out, 2);
	CHECK_EQ(hv->nr_records, 1);
	CHECK_EQ(map[0], 4);
	CHECK_EQ(hv->old_order, 22);
	CHECK_EQ(hv->new_order, 23);

	a.max_order = 22;
	CHECK(!hq_adapt(s, &a, hv, map, &left_out, &why));
	CHECK(strstr(why, "largest"));
	free(s);
	free(hv);
	return 0;
}

/* ---- the core: observations made from the oracle's prediction ---- */

static int predict(const struct hpt_scenario *s, struct hpt_oracle *o)
{
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct hpt_vm vm = { 0 };
	int ret;

	CHECK(pl);
	ret = scn_guest(&vm, s, pl);
	if (!ret)
		ret = hpt_oracle_predict(o, s, pl, 0);
	scn_guest_free(&vm);
	free(pl);
	return ret;
}

static void list(const struct hpt_oracle_table *t,
		 struct hpt_observed_hpte **e, u32 *n)
{
	u32 i;

	*e = calloc(t->n + 1, sizeof(**e));
	for (i = 0; i < t->n; i++)
		(*e)[i] = (struct hpt_observed_hpte){ .idx = t->e[i].idx,
			.v = t->e[i].v, .r = t->e[i].r,
			.guest_r = t->e[i].guest_r };
	*n = t->n;
}

/* What a faithful module would report: the oracle's own outcome */
static void observe(const struct hpt_oracle *o, struct hq_core *c)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	c->seen = c->ended = true;
	c->rc = o->rc;
	c->switched = !o->rc;
	c->order = o->rc ? o->old_order : o->new_order;
	c->live_tables = c->live_revs = 1;
	strcpy(c->active, "current");
	strcpy(c->partition, "current");
	list(&o->old, &c->old, &c->nr_old);
	if (!o->rc)
		list(&o->new, &c->new, &c->nr_new);
	c->unmap = calloc(o->nr_unmaps + 1, sizeof(*c->unmap));
	for (i = 0; i < o->nr_unmaps; i++)
		c->unmap[i] = (struct hpt_observed_unmap){ o->unmaps[i].idx,
			o->unmaps[i].gfn, true };
	c->nr_unmap = c->unmaps = o->nr_unmaps;
	c->rmap = calloc(o->nr_rmaps + 1, sizeof(*c->rmap));
	for (i = 0; i < o->nr_rmaps; i++)
		if (o->rmaps[i].after)
			c->rmap[c->nr_rmap++] = (struct hpt_observed_rmap){
				o->rmaps[i].slot, o->rmaps[i].gfn,
				o->rmaps[i].after };
}

static void unobserve(struct hq_core *c)
{
	free(c->old);
	free(c->new);
	free(c->unmap);
	free(c->rmap);
}

static enum hpt_verdict judge_core(const struct hpt_scenario *s,
				   const struct hq_core *c,
				   struct hpt_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->buf = text;
	rep->cap = sizeof(text);
	return hq_judge_core(s, c, rep);
}

static int core_faithful_observations_agree(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19);
	struct hpt_report rep;
	struct hpt_oracle o;
	struct hq_core c;
	struct rng r = { 3 };
	u32 i, enospc = 0;

	for (i = 0; i < 200; i++) {
		random_scenario(s, &r, 18 + rng_below(&r, 2),
				18 + rng_below(&r, 2));
		memset(&o, 0, sizeof(o));
		CHECK_EQ(predict(s, &o), 0);
		observe(&o, &c);
		enospc += o.rc == -ENOSPC;
		if (judge_core(s, &c, &rep) != HPT_AGREE) {
			fprintf(stderr, "%s\n", text);
			return 1;
		}
		unobserve(&c);
		hpt_oracle_free(&o);
	}
	CHECK(enospc > 0);	/* both outcomes covered */
	free(s);
	return 0;
}

/* A grow with bolted entries: something moves, so something can be wrong */
static struct hpt_scenario *bolted_grow(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19);
	struct scn_va_args va = { .vsid = 0x4321, .valid = true,
				  .bolted = true, .slot = HPT_SCN_SLOT_FIRST,
				  .rpn = 0x10 };

	scn_add_memslot(s, 0, 64);
	va.ea = 0x3000;
	scn_add_va(s, &va);
	va.ea = 0x801000;
	scn_add_va(s, &va);
	va.bolted = false;
	va.ea = 0x2000;
	scn_add_va(s, &va);
	return s;
}

static int core_wrong_observations_are_named(void)
{
	struct hpt_scenario *s = bolted_grow();
	struct hpt_report rep;
	struct hpt_oracle o = { 0 };
	struct hq_core c;

	CHECK_EQ(predict(s, &o), 0);
	CHECK_EQ(o.rc, 0);

	/* A moved entry one slot over */
	observe(&o, &c);
	CHECK(c.nr_new >= 1);
	c.new[0].idx ^= 1;
	CHECK_EQ(judge_core(s, &c, &rep), HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "new-entry"));
	CHECK(strstr(text, "DIVERGENCE impl=kmod what=new-entry record=") ||
	      (fprintf(stderr, "%s\n", text), 0));
	unobserve(&c);

	/* An unmap missing */
	observe(&o, &c);
	CHECK(c.nr_unmap >= 1);
	c.nr_unmap--;
	c.unmaps--;
	CHECK_EQ(judge_core(s, &c, &rep), HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "unmap"));
	unobserve(&c);

	/* The kernel platform saw an HPTE lock left held */
	observe(&o, &c);
	c.hpte_locks = 1;
	CHECK_EQ(judge_core(s, &c, &rep), HPT_DIVERGE);
	CHECK(!strcmp(rep.what, "violation"));
	CHECK(strstr(rep.summary, "HPTE locks still held"));
	unobserve(&c);

	/* Success claimed, but the old table is still the guest's */
	observe(&o, &c);
	c.switched = false;
	CHECK_EQ(judge_core(s, &c, &rep), HPT_DIVERGE);
	unobserve(&c);

	hpt_oracle_free(&o);
	free(s);
	return 0;
}

/* ---- the hypervisor: its reports made from the VA truth ---- */

/*
 * A module report for hv: every placed entry entered where generation
 * put it, the resize as given, and the found entries where the VA says
 * a bolted entry goes (grow) or where it was (failed resize).
 */
static void hv_report(const struct hpt_scenario *hv, struct hq_hv *h,
		      bool resize_ok)
{
	struct hpt_scn_placement *pl = malloc(sizeof(*pl));
	struct hpt_vm vm = { 0 };
	const struct hpt_scn_va *va;
	struct hq_enter *e;
	struct hq_entry *f;
	u32 k;

	memset(h, 0, sizeof(*h));
	scn_guest(&vm, hv, pl);
	scn_guest_free(&vm);
	h->seen = h->checked = true;
	h->resize = (struct hq_resize){ .seen = true, .ok = resize_ok,
		.from = hv->old_order, .to = hv->new_order,
		.now = resize_ok ? hv->new_order : hv->old_order };
	if (!resize_ok)
		strcpy(h->resize.err, "sh: write error: No space left on device");
	h->check_order = h->resize.now;
	for (k = 0; k < hv->nr_records; k++) {
		va = &hv->rec[k].va;
		e = HQ_PUSH(h->e, h->nr_e, h->cap_e);
		*e = (struct hq_enter){ .rec = k, .idx = pl->where[k],
			.v = hpt_scn_va_v(va),
			.r = hpt_scn_va_guest_r(va) | 0x10 };
		if (e->idx == HPT_SCN_NOT_PLACED) {
			strcpy(e->skip, "not-placed");
			continue;
		}
		h->entered++;
		if (resize_ok && !va->bolted)
			continue;
		f = HQ_PUSH(h->f, h->nr_f, h->cap_f);
		f->idx = resize_ok ? hpt_scn_va_group(va, hv->new_order) * 8 +
				     pl->where[k] % 8 : pl->where[k];
		f->v = e->v | HPT_V_HVLOCK;	/* QEMU's dirty marker */
		f->r = e->r | HPT_R_R;
	}
	h->found = h->nr_f;
	free(pl);
}

static void hv_free(struct hq_hv *h)
{
	free(h->e);
	free(h->f);
}

static int hv_faithful_reports_agree(void)
{
	struct hpt_scenario *s = scn_new(false, 18, 19), *hv = scn_new(0, 18, 18);
	struct hq_hv_verdict out;
	struct rng r = { 4 };
	struct hq_hv h;
	const char *why;
	u32 i, left_out;

	for (i = 0; i < 200; i++) {
		random_scenario(s, &r, 18, 19 + rng_below(&r, 2));
		if (!hq_adapt(s, &tag18, hv, map, &left_out, &why))
			continue;
		hv_report(hv, &h, true);
		hq_judge_hv(hv, map, &h, &out);
		if (out.outcome != HQ_HV_AGREE) {
			fprintf(stderr, "%s\n%s\n", out.summary,
				out.report ? out.report : "");
			return 1;
		}
		free(out.report);
		hv_free(&h);
	}
	free(s);
	free(hv);
	return 0;
}

static int hv_wrong_reports_are_named(void)
{
	struct hpt_scenario *s = bolted_grow(), *hv = scn_new(0, 18, 18);
	struct hq_hv_verdict out;
	struct hq_hv h;
	const char *why;
	char want[64];
	u32 left_out;

	CHECK(hq_adapt(s, &tag18, hv, map, &left_out, &why));

	/* A moved entry in the wrong group */
	hv_report(hv, &h, true);
	CHECK_EQ(h.nr_f, 2);
	h.f[1].idx += 8;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_DIVERGE);
	snprintf(want, sizeof(want), "what=position record=%u", map[1]);
	CHECK(strstr(out.report, want) ||
	      (fprintf(stderr, "%s\n", out.report), 0));
	free(out.report);
	hv_free(&h);

	/* A dropped entry still there */
	hv_report(hv, &h, true);
	*HQ_PUSH(h.f, h.nr_f, h.cap_f) = (struct hq_entry){ h.e[2].idx,
		h.e[2].v, h.e[2].r };
	h.found++;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_DIVERGE);
	CHECK(strstr(out.summary, "extra"));
	free(out.report);
	hv_free(&h);

	/* R changed by the move */
	hv_report(hv, &h, true);
	h.f[0].r ^= 1ULL << 20;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_DIVERGE);
	free(out.report);
	hv_free(&h);

	/* A grow that failed */
	hv_report(hv, &h, false);
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_DIVERGE);
	CHECK(strstr(out.summary, "rc"));
	free(out.report);
	hv_free(&h);
	free(s);
	free(hv);
	return 0;
}

static int hv_collision_fails_in_place(void)
{
	struct hpt_scenario *s = scn_new(false, 19, 18), *hv = scn_new(0, 18, 18);
	struct scn_va_args va = { .vsid = 0x100000, .valid = true,
				  .bolted = true, .slot = 0 };
	struct hq_hv_verdict out;
	struct hq_hv h;
	const char *why;
	u32 left_out;

	va.ea = 0x1000;
	scn_add_va(s, &va);
	va.ea = 0x801000;			/* same slot of group 1 at 18 */
	scn_add_va(s, &va);
	CHECK(hq_adapt(s, &tag18, hv, map, &left_out, &why));

	hv_report(hv, &h, false);
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_AGREE);
	CHECK(strstr(out.summary, "ENOSPC"));
	free(out.report);
	hv_free(&h);

	hv_report(hv, &h, true);
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_DIVERGE);
	free(out.report);
	hv_free(&h);
	free(s);
	free(hv);
	return 0;
}

static int hv_guest_interference_is_not_compared(void)
{
	struct hpt_scenario *s = bolted_grow(), *hv = scn_new(0, 18, 18);
	struct hq_hv_verdict out;
	struct hq_hv h;
	const char *why;
	u32 left_out;

	CHECK(hq_adapt(s, &tag18, hv, map, &left_out, &why));
	hv_report(hv, &h, true);
	h.stale = 1;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_SKIPPED);
	h.stale = 0;
	h.guest_collisions = 2;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_SKIPPED);
	h.guest_collisions = 0;

	/* A slot the guest held: that entry is simply not there */
	strcpy(h.e[0].skip, "held");
	memmove(&h.f[0], &h.f[1], sizeof(h.f[0]));
	h.nr_f--;
	h.found--;
	hq_judge_hv(hv, map, &h, &out);
	CHECK_EQ(out.outcome, HQ_HV_AGREE);
	hv_free(&h);
	free(s);
	free(hv);
	return 0;
}

/* ---- the results file ---- */

static const char results_text[] =
	"@1000 HPTFUZZ-RUNNER boot n=0 first=0\n"
	"@9000 [    3.1] hptfuzz: selftest passed (0)\n"
	"@9500 HPTK guest ready first=0 order=23\n"
	"@9600 HPTK begin index=0\n"
	"@9610 HPTK core index=0 rc=-28 switched=0 order=19 placed=2 not_placed=0 unmaps=1 violations=0 hpte_locks=0 live_tables=1 live_revs=1 live_resizes=0 pending=0 active=current partition=none us=812\n"
	"@9611 HPTK core-old idx=0x801 v=0x4021 r=0x10000000010193 gr=0x10193 f=0x801 b=0x801\n"
	"@9612 HPTK core-unmap n=0 idx=0x801 gfn=0x10 table=old\n"
	"@9613 HPTK core-rmap slot=0 gfn=0x10 word=0x10000000\n"
	"@9614 HPTK core-end index=0\n"
	"@9700 HPTK hv-prep index=0 from=23 to=19 result=ok now=19 cs=14 err=\n"
	"@9710 HPTK hv-enter rec=0 idx=0x801 v=0x2000000000004011 r=0x22b0193\n"
	"@9711 HPTK hv-enter rec=1 skip=held idx=0x9\n"
	"@9712 HPTK hv index=0 order=19 new_order=18 entered=1 not_placed=0 held=1 foreign_target=0 refused=0 stale=0 guest_bolted=65 guest_collisions=0 guest_unmovable=0 us=4000\n"
	"@9900 HPTK hv-resize index=0 from=19 to=18 result=fail now=19 cs=12 err=sh: write error: No space left on device\n"
	"@9950 HPTK hv-found idx=0x801 v=0x2000000000004051 r=0x22b0193\n"
	"@9951 HPTK hv-check index=0 order=19 found=1 remove_failed=0 scan_us=900 us=1000\n"
	"@9952 HPTK end index=0\n"
	"@9960 HPTK begin index=1\n"
	"@9970 qemu-system-ppc64: rehash_hpte: Assertion failed.\n"
	"@9990 HPTFUZZ-RUNNER boot-end n=0 qemu_rc=134 timeout=0\n"
	"@9991 HPTFUZZ-RUNNER lost index=1 qemu_rc=134 timeout=0\n"
	"@9992 HPTFUZZ-RUNNER tail index=1 | qemu-system-ppc64: rehash_hpte: Assertion failed.\n";

static int results_read_back(void)
{
	FILE *f = fmemopen((void *)results_text, strlen(results_text), "r");
	struct hq_results res;
	const struct hq_result *r0, *r1;
	char err[128];

	CHECK(f);
	CHECK(!hq_read_results(f, 2, &res, err, sizeof(err)) ||
	      (fprintf(stderr, "%s\n", err), 0));
	fclose(f);
	CHECK_EQ(res.nr_boot, 1);
	CHECK(res.boot[0].ready);
	CHECK_EQ(res.boot[0].t_ready - res.boot[0].t_start, 8500);
	CHECK_EQ(res.boot[0].start_order, 23);
	r0 = &res.r[0];
	CHECK(r0->begun && r0->ended && !r0->lost);
	CHECK_EQ(r0->t_end - r0->t_begin, 352);
	CHECK(r0->core.ended);
	CHECK_EQ(r0->core.rc, -28);
	CHECK_EQ(r0->core.nr_old, 1);
	CHECK_EQ(r0->core.old[0].guest_r, 0x10193);
	CHECK_EQ(r0->core.old[0].forw, 0x801);
	CHECK(r0->core.unmap[0].old_table);
	CHECK_EQ(r0->core.rmap[0].word, 0x10000000);
	CHECK(!strcmp(r0->core.partition, "none"));
	CHECK_EQ(r0->hv.nr_e, 2);
	CHECK(!strcmp(r0->hv.e[1].skip, "held"));
	CHECK_EQ(r0->hv.guest_bolted, 65);
	CHECK(r0->hv.prep.ok && !r0->hv.resize.ok);
	CHECK_EQ(r0->hv.resize.us, 120000);
	CHECK(!strcmp(r0->hv.resize.err,
		      "sh: write error: No space left on device"));
	CHECK_EQ(r0->hv.nr_f, 1);
	CHECK_EQ(r0->hv.f[0].v, 0x2000000000004051ULL);
	CHECK(r0->hv.checked);
	r1 = &res.r[1];
	CHECK(r1->begun && !r1->ended && r1->lost);
	CHECK_EQ(r1->qemu_rc, 134);
	CHECK_EQ(r1->nr_tail, 1);
	CHECK(strstr(r1->tail[0], "Assertion"));
	hq_free_results(&res);
	return 0;
}

/* A run from the saved guest: booted and saved, then restored after a loss */
static const char saved_text[] =
	"@1000 HPTFUZZ-RUNNER boot n=0 first=0 start=save\n"
	"@3500 HPTK guest waiting\n"
	"@3700 HPTK guest ready first=0 order=23\n"
	"@3800 HPTK begin index=0\n"
	"@3900 qemu-system-ppc64: rehash_hpte: Assertion failed.\n"
	"@3950 HPTFUZZ-RUNNER boot-end n=0 qemu_rc=134 timeout=0\n"
	"@3951 HPTFUZZ-RUNNER lost index=0 qemu_rc=134 timeout=0\n"
	"@3960 HPTFUZZ-RUNNER boot n=1 first=1 start=restore\n"
	"@4360 HPTK guest ready first=1 order=23\n"
	"@4400 HPTK begin index=1\n"
	"@4420 HPTK hv-resize index=1 from=18 to=19 result=ok now=19 cs=1 us=12345 err=\n"
	"@4450 HPTK end index=1\n";

static int results_saved_guest(void)
{
	FILE *f = fmemopen((void *)saved_text, strlen(saved_text), "r");
	struct hq_results res;
	char err[128];

	CHECK(f);
	CHECK(!hq_read_results(f, 2, &res, err, sizeof(err)) ||
	      (fprintf(stderr, "%s\n", err), 0));
	fclose(f);
	CHECK_EQ(res.nr_boot, 2);
	CHECK(!res.boot[0].restored && res.boot[0].ready);
	CHECK_EQ(res.boot[0].t_waiting - res.boot[0].t_start, 2500);
	CHECK_EQ(res.boot[0].t_ready - res.boot[0].t_waiting, 200);
	CHECK(res.boot[1].restored && res.boot[1].ready);
	CHECK_EQ(res.boot[1].t_waiting, 0);
	CHECK_EQ(res.boot[1].t_ready - res.boot[1].t_start, 400);
	CHECK(res.r[0].lost && res.r[1].ended);
	/* the module's resize in us; a script's only in centiseconds */
	CHECK_EQ(res.r[1].hv.resize.us, 12345);
	hq_free_results(&res);
	return 0;
}

static int read_bad(const char *text, u32 n, const char *want)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct hq_results res;
	char err[160];
	const char *bad;

	CHECK(f);
	bad = hq_read_results(f, n, &res, err, sizeof(err));
	fclose(f);
	hq_free_results(&res);
	CHECK(bad);
	CHECK(strstr(err, want) || (fprintf(stderr, "%s\n", err), 0));
	return 0;
}

static int results_errors_name_the_line(void)
{
	return read_bad("@1 HPTK begin index=0\n@2 HPTK core index=0 rc=zz\n",
			1, "line 2: field 'rc': 'zz' is not a number") ||
	       read_bad("@1 HPTK begin index=0\n@2 HPTK core-old idx=0x1\n",
			1, "line 2: field 'v' missing") ||
	       read_bad("HPTK begin index=0\n", 1, "line 1: no time stamp") ||
	       read_bad("@1 HPTK begin index=5\n", 2,
			"line 1: scenario 5: the manifest has 2") ||
	       read_bad("@1 HPTK core-end index=0\n", 1,
			"line 1: outside any scenario") ||
	       read_bad("@1 HPTK begin index=0\n@2 HPTK hv-bogus x=1\n", 1,
			"line 2: unknown line kind 'hv-bogus'");
}

static const struct test_case cases[] = {
	TEST_CASE(adapt_tag_keeps_every_group),
	TEST_CASE(adapt_fold_keeps_every_group),
	TEST_CASE(adapt_orders_avoidance_and_limits),
	TEST_CASE(core_faithful_observations_agree),
	TEST_CASE(core_wrong_observations_are_named),
	TEST_CASE(hv_faithful_reports_agree),
	TEST_CASE(hv_wrong_reports_are_named),
	TEST_CASE(hv_collision_fails_in_place),
	TEST_CASE(hv_guest_interference_is_not_compared),
	TEST_CASE(results_read_back),
	TEST_CASE(results_saved_guest),
	TEST_CASE(results_errors_name_the_line),
};

TEST_MAIN(cases)
