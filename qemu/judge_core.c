// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core in the guest kernel, judged by the harness: the module's
 * report becomes an observation, and the kernel platform's bookkeeping
 * the misuse the host platform would have flagged.
 */
#include <stdio.h>
#include <string.h>

#include "hq.h"

static void platform(const struct hq_core *c, bool isa300, char *out,
		     size_t cap)
{
	out[0] = '\0';
	if (c->violations)
		snprintf(out, cap, "the module's platform counted %ld violations (a table freed while SDR1 or the partition table named it)",
			 c->violations);
	else if (c->hpte_locks)
		snprintf(out, cap, "HPTE locks still held: %ld",
			 c->hpte_locks);
	else if (c->live_tables != 1 || c->live_revs != 1)
		snprintf(out, cap, "%ld tables and %ld revmaps live, expected 1 each",
			 c->live_tables, c->live_revs);
	else if (c->live_resizes || c->pending)
		snprintf(out, cap, "a resize request is left allocated (%ld)",
			 c->live_resizes);
	else if (strcmp(c->active, "current"))
		snprintf(out, cap, "SDR1 names %s table", c->active);
	else if (isa300 && strcmp(c->partition, "current"))
		snprintf(out, cap, "the partition table names %s table",
			 c->partition);
	else if ((u32)c->unmaps != c->nr_unmap)
		snprintf(out, cap, "%ld unmaps made, %u logged: the log overflowed",
			 c->unmaps, c->nr_unmap);
}

enum hpt_verdict hq_judge_core(const struct hpt_scenario *s,
			       const struct hq_core *c, struct hpt_report *rep)
{
	struct hpt_harness_options opt = { 0 };
	struct hpt_observed obs = {
		.rc = c->rc,
		.switched = c->switched,
		.new_order = c->order,
		.old_missing = c->old_missing,
		.old = c->old,
		.nr_old = c->nr_old,
		.new = c->new,
		.nr_new = c->nr_new,
		.unmaps = c->unmap,
		.nr_unmaps = c->nr_unmap,
		.rmaps = c->rmap,
		.nr_rmaps = c->nr_rmap,
	};
	u64 npte_old = hpt_order_npte(s->old_order);
	u32 i;

	/* Indices from the module that the tables cannot hold */
	for (i = 0; i < c->nr_old; i++)
		if (c->old[i].idx >= npte_old)
			break;
	if (i < c->nr_old || (c->switched && !hpt_order_valid(c->order))) {
		snprintf(rep->summary, sizeof(rep->summary),
			 "the module reported an index or order outside the tables");
		rep->verdict = HPT_ERROR;
		return HPT_ERROR;
	}
	for (i = 0; i < c->nr_new; i++)
		if (c->new[i].idx >= hpt_order_npte(c->order))
			break;
	if (i < c->nr_new) {
		snprintf(rep->summary, sizeof(rep->summary),
			 "the module reported new index 0x%llx outside order %u",
			 (unsigned long long)c->new[i].idx, c->order);
		rep->verdict = HPT_ERROR;
		return HPT_ERROR;
	}
	platform(c, s->isa300, obs.violation, sizeof(obs.violation));
	return hpt_harness_judge("kmod", s, &obs, &opt, rep);
}
