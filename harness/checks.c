// SPDX-License-Identifier: GPL-2.0-only
/*
 * What must hold after any resize, predictable or not: the host did not
 * die, the platform saw no misuse, no lock is held, nothing leaked, the
 * hardware uses the table the result says; and where a bolted entry no
 * VA explains leaves the architecture undecided, the rules: the return
 * codes allowed where the run stopped, then every entry compared as the
 * oracle predicts it given that stop (compare.c), the new table free to
 * hold the unexplained entries only, each at its own slot number.
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
		f = hctx_add_finding_once(c, F_WARN);
		snprintf(f->msg, sizeof(f->msg), "host logs %s",
			 c->out.warning);
	}
	if (c->out.fate == HPT_IMPL_RETURNED)
		return;
	f = hctx_add_finding_once(c, c->out.fate == HPT_IMPL_CRASHED ? F_CRASH : F_HANG);
	f->old_idx = c->out.idx;
	if (f->old_idx < npte)
		f->rec = hpt_oracle_rec_at(&c->o, f->old_idx);
	snprintf(f->msg, sizeof(f->msg), "%s", c->out.what);
}

static __printf(2, 3)
void violation(struct hctx *c, const char *fmt, ...)
{
	struct finding *f = hctx_add_finding_once(c, F_VIOLATION);
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
	struct finding *f = hctx_add_finding_once(c, F_INVARIANT);
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

/* Invariants alone, where the run's stop cannot be told */
static void invariants_only(struct hctx *c)
{
	u8 *unmapped;

	unmapped = calloc(hpt_order_npte(c->o.old_order), 1);
	if (!unmapped) {
		invariant(c, NO_IDX, "out of memory checking invariants");
		return;
	}
	if (check_unmaps(c, unmapped) && check_old(c, unmapped))
		check_new(c);
	free(unmapped);
}

/* The used entry at idx of the table before the resize, or NULL */
static const struct hpt_oracle_hpte *used_at(const struct hctx *c, u64 idx)
{
	const struct hpt_oracle_hpte *e = hpt_oracle_at(&c->o.before, idx);

	return e && (e->v & (HPT_V_VALID | HPT_V_ABSENT)) ? e : NULL;
}

/*
 * Whether a bolted entry before idx in scan order shares its slot number
 * and may be in the new table: the only way a slot of that number is
 * taken when the entry at idx gets there.  rules_only: only entries
 * judged by rules, which may be anywhere.
 */
static bool slot_holder_before(const struct hctx *c, u64 idx,
			       bool rules_only)
{
	const struct hpt_oracle *o = &c->o;
	const struct hpt_oracle_hpte *e;
	u32 i;

	for (i = 0; i < o->before.n && o->before.e[i].idx < idx; i++) {
		e = &o->before.e[i];
		if (!(e->v & (HPT_V_VALID | HPT_V_ABSENT)) ||
		    !(e->v & HPT_V_BOLTED) ||
		    e->idx % HPT_HPTES_PER_GROUP != idx % HPT_HPTES_PER_GROUP)
			continue;
		if (o->rec[e->rec].fate == HPT_FATE_RULES ||
		    (!rules_only && o->rec[e->rec].fate == HPT_FATE_MOVED))
			return true;
	}
	return false;
}

/*
 * The return codes allowed where the run stopped, given the prediction
 * that assumes no entry judged by rules stops it or takes a slot:
 *  - 0: only if that prediction succeeds (an unexplained entry can add
 *    a failure, never remove one);
 *  - the predicted rc at the predicted stop;
 *  - -EIO at a bolted entry no VA explains (group, segment size, page
 *    size encoding, page larger than its segment, candidates disagreeing:
 *    no new place exists for it);
 *  - -ENOSPC at such an entry if an earlier bolted entry has its slot
 *    number, or at a bolted explained entry if an earlier unexplained
 *    one has (it may have taken the slot).
 * Anything else, or a stop past the predicted one, is a finding.
 */
static const char *stop_allowed(const struct hctx *c, u64 stop)
{
	const struct hpt_oracle *o = &c->o;
	const struct hpt_oracle_hpte *e = used_at(c, stop);
	u8 fate;

	if (!e)
		return "no entry there";
	if (o->rc && stop > o->fail_idx)
		return "past where the resize must fail";
	fate = o->rec[e->rec].fate;
	if (fate == HPT_FATE_RULES) {
		if (c->rc == -EIO)
			return NULL;
		if (c->rc == -ENOSPC && slot_holder_before(c, stop, false))
			return NULL;
		return "an unexplained bolted entry allows -EIO, or -ENOSPC if an earlier bolted entry has its slot number";
	}
	if (fate == HPT_FATE_MOVED && c->rc == -ENOSPC &&
	    slot_holder_before(c, stop, true))
		return NULL;
	return "an explained entry stops the resize only as predicted, or with -ENOSPC where an earlier unexplained bolted entry may hold its slot";
}

static void rc_finding(struct hctx *c, u64 stop, const char *why)
{
	const struct hpt_oracle *o = &c->o;
	struct finding *f = hctx_add_finding_once(c, F_RC);

	if (!f)
		return;
	f->old_idx = stop;
	if (stop != NO_IDX)
		f->rec = hpt_oracle_rec_at(o, stop);
	snprintf(f->msg, sizeof(f->msg),
		 "expected %s (%d) unless an unexplained entry stops it, actual %s (%ld)%s%s",
		 hpt_oracle_rc_name(o->rc), o->rc, hpt_oracle_rc_name(c->rc),
		 c->rc, why ? ": " : "", why ? why : "");
}

/*
 * Not every entry judged exactly: entries judged by rules exist (the
 * oracle's nr_rules).  The run's stop is where the implementation last
 * took an entry's lock; an observed run does not say, and is judged
 * exactly only if it stopped as predicted, else by invariants alone.
 */
void check_invariants(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;
	u64 stop = c->rc ? c->last_locked : NO_IDX;
	const char *why;

	if (c->out.fate != HPT_IMPL_RETURNED)
		return;
	if (!c->rc && o->rc) {
		rc_finding(c, NO_IDX, "an unexplained entry cannot make a failing resize succeed");
		return;
	}
	/* A lock already held is never taken: stopped there, if at all */
	if (c->rc && c->rc == o->rc &&
	    (o->rc == -ENOMEM || o->rc == -EDEADLK || stop == o->fail_idx ||
	     stop == NO_IDX)) {
		compare_tables(c);	/* stopped as predicted */
		return;
	}
	if (c->rc && stop == NO_IDX) {
		invariants_only(c);
		return;
	}
	if (c->rc) {
		why = stop_allowed(c, stop);
		if (why) {
			rc_finding(c, stop, why);
			return;
		}
		if (hpt_oracle_stop_at(&c->o, c->s, stop, c->rc)) {
			invariant(c, NO_IDX, "out of memory predicting the stop");
			return;
		}
	}
	compare_tables(c);
}
