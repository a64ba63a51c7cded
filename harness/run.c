// SPDX-License-Identifier: GPL-2.0-only
/*
 * One differential run: build the guest a scenario describes, predict,
 * let the implementation resize, collect what it left, compare, report,
 * and free everything.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_internal.h"
#include "hpt/json.h"

_Static_assert(HPT_REPORT_MAX_DIVERGENCES >= F_NR_KINDS,
	       "a report holds one divergence of each kind");

struct finding *hctx_add_finding_once(struct hctx *c, enum finding_kind kind)
{
	struct finding *f = &c->f[kind];

	if (c->found[kind])
		return NULL;
	c->found[kind] = true;
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->rec = NO_REC;
	f->old_idx = NO_IDX;
	f->exp_idx = NO_IDX;
	f->act_idx = NO_IDX;
	return f;
}

static void reset_report(struct hpt_report *rep)
{
	rep->len = 0;
	if (rep->buf && rep->cap)
		rep->buf[0] = '\0';
	rep->verdict = HPT_ERROR;
	rep->predictable = false;
	rep->nr_exact = 0;
	rep->nr_rules = 0;
	rep->expected_rc = 0;
	rep->actual_rc = 0;
	rep->old_order = 0;
	rep->new_order = 0;
	rep->nr_placed = 0;
	rep->nr_not_placed = 0;
	rep->what[0] = '\0';
	rep->summary[0] = '\0';
	memset(&rep->outcome, 0, sizeof(rep->outcome));
	rep->outcome.idx = NO_IDX;
	rep->nr_unmaps = 0;
	rep->nr_divergences = 0;
}

static __printf(2, 3)
enum hpt_verdict error(struct hctx *c, const char *fmt, ...)
{
	struct hpt_report *rep = c->rep;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rep->summary, sizeof(rep->summary), fmt, ap);
	va_end(ap);
	rep->verdict = HPT_ERROR;
	report_printf(rep, "hptfuzz: implementation \"%s\" not run: %s\n",
		      c->impl->name, rep->summary);
	return HPT_ERROR;
}

/*
 * A scenario and its placement have room for every record the format
 * allows (hundreds of KB), of which a run uses a few: one of each is
 * kept from run to run, as fresh blocks that size cost a map, page faults
 * and an unmap each under ASan.  The harness runs one guest at a time.
 */
static struct hpt_scenario *spare_scenario;
static struct hpt_scn_placement *spare_placement;

static struct hpt_scenario *copy_scenario(const struct hpt_scenario *s)
{
	size_t used = offsetof(struct hpt_scenario, rec) +
		      s->nr_records * sizeof(s->rec[0]);
	struct hpt_scenario *copy = spare_scenario;

	spare_scenario = NULL;
	if (!copy)
		copy = malloc(sizeof(*copy));
	if (copy)
		memcpy(copy, s, used);
	return copy;
}

static struct hpt_scn_placement *new_placement(void)
{
	struct hpt_scn_placement *pl = spare_placement;

	spare_placement = NULL;
	return pl ? pl : malloc(sizeof(*pl));
}

static void keep_spares(struct hctx *c)
{
	free(spare_scenario);
	free(spare_placement);
	spare_scenario = c->s;
	spare_placement = c->pl;
}

static void collect_unmaps(struct hctx *c)
{
	const struct hpt_user *u = hpt_user(&c->vm);
	size_t i, n = hpt_user_count(&c->vm, HPT_EV_UNMAP);

	c->last_locked = NO_IDX;
	c->unmaps = calloc(n + 1, sizeof(*c->unmaps));
	for (i = 0; i < u->log_len; i++) {
		const struct hpt_user_record *ev = &u->log[i];

		if (ev->event == HPT_EV_LOCK_HPTE)
			c->last_locked = ev->arg;
		if (ev->event != HPT_EV_UNMAP || !c->unmaps)
			continue;
		c->unmaps[c->nr_unmaps++] = (struct unmap_event){
			ev->arg, ev->arg2, ev->table };
	}
}

/*
 * Old table: live if the guest kept it, else the block it freed, kept by
 * the platform and readable from now on (no copy: cfg.keep_freed)
 */
static void collect_tables(struct hctx *c)
{
	const struct hpt_user *u = hpt_user(&c->vm);

	hpt_user_freed_open(&c->vm);

	if (c->vm.hpt.virt == c->old_virt) {
		c->old_words = c->vm.hpt.virt;
		c->old_rev = c->vm.hpt.rev;
		return;
	}
	c->new_words = c->vm.hpt.virt;
	c->new_rev = c->vm.hpt.rev;
	c->new_order = c->vm.hpt.order;
	if (u->freed_from == c->old_virt && u->freed_virt && u->freed_rev &&
	    u->freed_order == c->s->old_order) {
		c->old_words = u->freed_virt;
		c->old_rev = u->freed_rev;
	}
}

static enum hpt_verdict run(struct hctx *c, const struct hpt_harness_options *opt)
{
	struct hpt_report *rep = c->rep;
	struct hpt_user_config cfg = {
		.isa300 = c->s->isa300,
		.order = c->s->old_order,
		.max_table_order = opt->alloc_order,
		.keep_freed = true,
		.guard_tables = !opt->unguarded,
	};
	char buf[160];
	const char *why;
	int ret;

	if (opt->alloc_order && c->s->old_order > opt->alloc_order)
		return error(c, "old order %u is above the allocation cap %u",
			     c->s->old_order, opt->alloc_order);
	ret = hpt_user_vm_init(&c->vm, &cfg);
	if (ret)
		return error(c, "cannot set up a guest with an order %u table (%d)", c->s->old_order, ret);
	ret = hpt_scn_generate(c->s, &c->vm, c->pl);
	if (ret)
		return error(c, "generation failed (%d)", ret);
	rep->nr_placed = c->pl->nr_placed;
	rep->nr_not_placed = c->pl->nr_not_placed;
	c->generated = true;

	ret = hpt_oracle_predict(&c->o, c->s, c->pl, opt->alloc_order);
	if (ret)
		return error(c, "oracle: %s", c->o.error);
	why = hctx_check_generation(c, buf, sizeof(buf));
	if (why)
		return error(c, "internal: %s", why);
	c->predicted = true;
	rep->predictable = c->o.predictable;
	rep->nr_exact = c->o.nr_exact;
	rep->nr_rules = c->o.nr_rules;
	rep->expected_rc = c->o.rc;
	if (c->describe)
		return HPT_AGREE;

	hpt_user_clear_log(&c->vm);
	c->old_virt = c->vm.hpt.virt;
	c->out.fate = HPT_IMPL_RETURNED;
	c->out.what[0] = '\0';
	c->out.warning[0] = '\0';
	c->out.idx = NO_IDX;
	if (c->obs) {
		if (hctx_observe(c))
			return error(c, "out of memory");
	} else {
		c->rc = hctx_call_impl(c);
		collect_unmaps(c);
		if (c->out.fate != HPT_IMPL_RETURNED && c->out.idx == NO_IDX)
			c->out.idx = c->last_locked;	/* where it stopped */
		collect_tables(c);
	}
	rep->actual_rc = c->rc;

	check_outcome(c);
	if (c->o.predictable)
		compare_with_oracle(c);
	else
		check_invariants(c);
	if (c->obs)
		check_observed_platform(c);
	else
		check_platform(c);

	report_collect(c);
	if (!rep->nr_divergences) {
		rep->verdict = HPT_AGREE;
		snprintf(rep->summary, sizeof(rep->summary),
			 "%s agrees: rc %s%s", c->impl->name,
			 hpt_oracle_rc_name(c->rc),
			 c->o.predictable ? "" : " (some entries by rules)");
		return HPT_AGREE;
	}
	rep->verdict = HPT_DIVERGE;
	report_divergence(c);
	return HPT_DIVERGE;
}

static enum hpt_verdict run_or_judge(const struct hpt_impl *impl,
				     const struct hpt_observed *obs,
				     const struct hpt_scenario *s,
				     const struct hpt_harness_options *opt,
				     struct hpt_report *rep, bool describe)
{
	static const struct hpt_harness_options defaults;
	struct hctx *c = calloc(1, sizeof(*c));
	enum hpt_verdict verdict;
	size_t i;

	reset_report(rep);
	if (!opt)
		opt = &defaults;
	if (!c) {
		snprintf(rep->summary, sizeof(rep->summary), "out of memory");
		return HPT_ERROR;
	}
	c->impl = impl;
	c->obs = obs;
	c->describe = describe;
	c->rep = rep;
	c->s = copy_scenario(s);
	c->pl = new_placement();
	if (!c->s || !c->pl) {
		verdict = error(c, "out of memory");
		goto out;
	}
	c->stored_old_order = s->old_order;
	c->stored_new_order = s->new_order;
	if (opt->max_order)
		hpt_scn_cap_orders(c->s, opt->max_order);
	rep->old_order = c->s->old_order;
	rep->new_order = c->s->new_order;

	verdict = run(c, opt);
out:
	if (opt->json && describe)
		json_facts(c, opt->json);
	else if (opt->json)
		json_run(c, opt->json);
	/*
	 * Nothing more to inspect: keep nothing freed from now on, and what
	 * is kept goes back to the caches, poisoned again for the cleanup
	 */
	if (hpt_user(&c->vm)) {
		hpt_user(&c->vm)->cfg.keep_freed = false;
		hctx_declare_zeroed(c);
		hpt_user_freed_release(&c->vm);
	}
	if (impl->cleanup && hpt_user(&c->vm))
		impl->cleanup(&c->vm);
	hpt_user_vm_destroy(&c->vm);
	hpt_scn_free_memslots(&c->vm);
	hpt_user_known_zero_forget();
	hpt_oracle_free(&c->o);
	free(c->unmaps);
	for (i = 0; i < sizeof(c->obs_mem) / sizeof(c->obs_mem[0]); i++)
		free(c->obs_mem[i]);
	keep_spares(c);
	free(c);
	return verdict;
}

enum hpt_verdict hpt_harness_run(const struct hpt_impl *impl,
				 const struct hpt_scenario *s,
				 const struct hpt_harness_options *opt,
				 struct hpt_report *rep)
{
	return run_or_judge(impl, NULL, s, opt, rep, false);
}

enum hpt_verdict hpt_harness_describe(const struct hpt_scenario *s,
				      const struct hpt_harness_options *opt,
				      struct hpt_report *rep)
{
	static const struct hpt_impl oracle = {
		.name = "oracle",
		.description = "the prediction alone",
	};

	return run_or_judge(&oracle, NULL, s, opt, rep, true);
}

enum hpt_verdict hpt_harness_judge(const char *name,
				   const struct hpt_scenario *s,
				   const struct hpt_observed *obs,
				   const struct hpt_harness_options *opt,
				   struct hpt_report *rep)
{
	const struct hpt_impl observed = {
		.name = name,
		.description = "a resize observed elsewhere",
	};

	return run_or_judge(&observed, obs, s, opt, rep, false);
}
