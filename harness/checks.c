// SPDX-License-Identifier: GPL-2.0-only
/*
 * What must hold after any resize, predictable or not: the host did not
 * die, the platform saw no misuse, no lock is held, nothing leaked, the
 * hardware uses the table the result says; and for tables the oracle
 * cannot predict, the invariants a correct resize keeps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness_internal.h"

void check_outcome(struct hctx *c)
{
	struct finding *f;
	u64 npte = hpt_order_npte(c->o.old_order);

	if (c->out.warning[0]) {
		f = hctx_find(c, F_WARN);
		snprintf(f->msg, sizeof(f->msg), "host logs %s",
			 c->out.warning);
	}
	if (c->out.fate == HPT_IMPL_RETURNED)
		return;
	f = hctx_find(c, c->out.fate == HPT_IMPL_CRASHED ? F_CRASH : F_HANG);
	f->old_idx = c->out.idx;
	if (f->old_idx < npte)
		f->rec = hpt_oracle_rec_at(&c->o, f->old_idx);
	snprintf(f->msg, sizeof(f->msg), "%s", c->out.what);
}

static __printf(2, 3)
void violation(struct hctx *c, const char *fmt, ...)
{
	struct finding *f = hctx_find(c, F_VIOLATION);
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

void check_platform(struct hctx *c)
{
	const struct hpt_user *u = hpt_user(&c->vm);
	bool switched = c->vm.hpt.virt != c->old_virt;

	/* A dead host's state is whatever it was when it stopped */
	if (c->out.fate != HPT_IMPL_RETURNED)
		return;
	if (u->violations)
		violation(c, "platform: %s (%lu violations)",
			  u->first_violation, u->violations);
	else if (u->hpte_locks_held || u->rmap_locks_held)
		violation(c, "locks still held: %d HPTE, %d rmap",
			  u->hpte_locks_held, u->rmap_locks_held);
	else if (u->setup_lock_held || u->mmu_lock_held)
		violation(c, "locks still held: setup %d, mmu %d",
			  u->setup_lock_held, u->mmu_lock_held);
	else if (u->guest_stopped || !c->vm.mmu_ready)
		violation(c, "the guest was left stopped");
	else if (u->live_tables != 1 || u->live_revs != 1)
		violation(c, "%ld tables and %ld revmaps live, expected 1 each",
			  u->live_tables, u->live_revs);
	else if (u->live_resizes || c->vm.resize)
		violation(c, "a resize request is left allocated (%ld)",
			  u->live_resizes);
	else if (u->log_overflow)
		violation(c, "the event log overflowed");
	else if (!c->rc && !switched)
		violation(c, "returned 0 but the guest still has the old table");
	else if (c->rc && switched)
		violation(c, "returned %ld but the guest has a new table",
			  c->rc);
	else if (u->active_table != c->vm.hpt.virt)
		violation(c, "SDR1 names %s table", u->active_table ==
			  c->old_virt ? "the old" : "another");
	else if (c->vm.isa300 && u->partition_table != c->vm.hpt.virt)
		violation(c, "the partition table names %s table",
			  u->partition_table == c->old_virt ? "the old" :
			  "another");
}

/* The same, for an observed run: its platform reported its own misuse */
void check_observed_platform(struct hctx *c)
{
	const struct hpt_observed *obs = c->obs;

	if (obs->violation[0])
		violation(c, "platform: %s", obs->violation);
	else if (!c->rc && !obs->switched)
		violation(c, "returned 0 but the guest still has the old table");
	else if (c->rc && obs->switched)
		violation(c, "returned %ld but the guest has a new table",
			  c->rc);
	else if (obs->old_missing)
		violation(c, "the old table was freed before it could be read");
}

static __printf(3, 4)
void invariant(struct hctx *c, u64 idx, const char *fmt, ...)
{
	struct finding *f = hctx_find(c, F_INVARIANT);
	va_list ap;

	if (!f)
		return;
	f->old_idx = idx;
	if (idx < hpt_order_npte(c->o.old_order))
		f->rec = hpt_oracle_rec_at(&c->o, idx);
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

/* Each unmap names a once VALID entry of the old table, once */
static bool check_unmaps(struct hctx *c, u8 *unmapped)
{
	u64 npte = hpt_order_npte(c->o.old_order);
	const struct unmap_event *a;
	size_t i;

	for (i = 0; i < c->nr_unmaps; i++) {
		a = &c->unmaps[i];
		if (a->table != c->old_virt || a->idx >= npte) {
			invariant(c, NO_IDX, "unmap #%zu (index 0x%llx) is not in the old table", i,
				  (unsigned long long)a->idx);
			return false;
		}
		if (!(hctx_entry(&c->o.before, a->idx).v & HPT_V_VALID)) {
			invariant(c, a->idx, "unmap #%zu names entry 0x%llx, which was not VALID", i,
				  (unsigned long long)a->idx);
			return false;
		}
		if (unmapped[a->idx]++) {
			invariant(c, a->idx, "entry 0x%llx unmapped twice",
				  (unsigned long long)a->idx);
			return false;
		}
	}
	return true;
}

static bool check_old(struct hctx *c, const u8 *unmapped)
{
	const struct hpt_oracle_hpte *e;
	u64 v;
	u32 i;

	if (!c->old_words)
		return true;	/* reported as a leak */
	for (i = 0; i < c->o.before.n; i++) {
		e = &c->o.before.e[i];
		if (!(e->v & HPT_V_VALID))
			continue;
		v = hctx_word(c->old_words, e->idx, 0);
		if (!unmapped[e->idx] && c->rc == 0) {
			invariant(c, e->idx, "VALID entry 0x%llx was never unmapped", (unsigned long long)e->idx);
			return false;
		}
		if (unmapped[e->idx] &&
		    (v & (HPT_V_VALID | HPT_V_ABSENT)) != HPT_V_ABSENT) {
			invariant(c, e->idx, "unmapped entry 0x%llx is not ABSENT (V 0x%016llx)",
				  (unsigned long long)e->idx,
				  (unsigned long long)v);
			return false;
		}
	}
	return true;
}

static void check_new(struct hctx *c)
{
	u64 idx, v, npte;

	if (!c->new_words)
		return;
	npte = hpt_order_npte(c->new_order);
	for (idx = 0; idx < npte; idx++) {
		v = hctx_word(c->new_words, idx, 0);
		if (!(v & (HPT_V_VALID | HPT_V_ABSENT)))
			continue;
		if ((v & (HPT_V_VALID | HPT_V_ABSENT | HPT_V_HVLOCK)) !=
		    HPT_V_ABSENT) {
			invariant(c, NO_IDX, "new entry 0x%llx is not plain ABSENT (V 0x%016llx)",
				  (unsigned long long)idx,
				  (unsigned long long)v);
			return;
		}
	}
}

void check_invariants(struct hctx *c)
{
	u8 *unmapped;

	if (c->out.fate != HPT_IMPL_RETURNED)
		return;
	unmapped = calloc(hpt_order_npte(c->o.old_order), 1);
	if (!unmapped) {
		invariant(c, NO_IDX, "out of memory checking invariants");
		return;
	}
	if (check_unmaps(c, unmapped) && check_old(c, unmapped))
		check_new(c);
	free(unmapped);
}
