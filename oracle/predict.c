// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resize itself, as it must go: old entries in index order; one whose
 * lock is held stops it (-EDEADLK), one whose guest R names no page size
 * fails it (-EIO); a VALID one is unmapped (ABSENT, key cleared, R/C
 * harvested, out of its ring), a non-bolted one dropped, a bolted one
 * written ABSENT to the same slot of the group its VA hashes to in the
 * new table.  A bolted entry finding that slot taken ends the resize
 * with -ENOSPC.  A bolted entry no VA explains is where the architecture
 * stops deciding: the run is predicted as if it neither stopped there
 * nor took a slot, and the harness judges the rest given what it did.
 */
#include <stdlib.h>
#include <string.h>

#include "oracle_internal.h"

#define RC_BITS	(OS_R_R | OS_R_C)
#define NO_REC	HPT_ORACLE_NO_RECORD

struct run {
	struct hpt_oracle *o;
	const struct hpt_scenario *s;
	struct table_builder new;
	u64 *harvest;		/* per record: R/C bits its unmap harvested */
	bool *unmapped;		/* per record */
	/* Rings of VA records, as the revmap links them: record numbers */
	u32 *forw, *back;
	u32 *ring;		/* per record: its rmap record, or NO_REC */
};

/* Link VALID VA entries into their frame's ring in record order */
static void link(struct run *run)
{
	struct hpt_oracle *o = run->o;
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle_rmap *m;
	u32 i, k, head, tail;
	u64 gfn;

	for (k = 0; k <= run->s->nr_records; k++)
		run->ring[k] = NO_REC;
	for (k = 0; k < run->s->nr_records; k++) {
		if (run->s->rec[k].kind != HPT_SCN_VA ||
		    o->rec[k].old_idx == HPT_ORACLE_NO_INDEX)
			continue;
		e = hpt_oracle_at(&o->before, o->rec[k].old_idx);
		if (!e || !(e->v & OS_V_VALID))
			continue;
		gfn = oracle_entry_gfn(o, e);
		m = oracle_find_rmap(o, oracle_find_slot(o, gfn), gfn);
		if (!m)
			continue;
		i = m - o->rmaps;
		run->ring[k] = i;
		head = m->head_before;
		if (head == k) {
			run->forw[k] = run->back[k] = k;
			continue;
		}
		tail = run->back[head];
		run->forw[k] = head;
		run->back[k] = tail;
		run->forw[tail] = k;
		run->back[head] = k;
	}
}

/* kvmppc_unmap_hpte, on the words as the table stores them */
static void unmap(struct run *run, struct hpt_oracle_hpte *e)
{
	struct hpt_oracle *o = run->o;
	struct hpt_oracle_unmap *u = &o->unmaps[o->nr_unmaps++];
	struct hpt_oracle_rmap *m;
	u32 k = e->rec, f, b;
	u64 *w = NULL;

	u->idx = e->idx;
	u->gfn = oracle_entry_gfn(o, e);
	u->rec = k;
	m = oracle_find_rmap(o, oracle_find_slot(o, u->gfn), u->gfn);
	if (m)
		w = &m->after;
	/* Out of the ring: an entry alone in it (raw ones are) empties it */
	if (w && (run->ring[k] == NO_REC || run->forw[k] == k)) {
		*w &= ~(OS_RMAP_PRESENT | OS_RMAP_INDEX);
	} else if (w) {
		f = run->forw[k];
		b = run->back[k];
		run->forw[b] = f;
		run->back[f] = b;
		if ((*w & OS_RMAP_INDEX) == e->idx)
			*w = (*w & ~OS_RMAP_INDEX) | o->rec[f].old_idx;
	}
	/* VALID, ABSENT, R, C and the key sit alike in both layouts */
	e->v = (e->v | OS_V_ABSENT) & ~OS_V_VALID;
	e->r &= ~OS_R_KEY;
	e->guest_r |= e->r & RC_BITS;
	run->harvest[k] = e->r & RC_BITS;
	run->unmapped[k] = true;
	if (w)
		*w |= run->harvest[k] << OS_RMAP_RC_SHIFT;
}

static void fail(struct hpt_oracle *o, u32 k, u64 idx, int rc, u8 fate)
{
	o->rc = rc;
	o->rec[k].fate = fate;
	o->fail_idx = idx;
}

static void rehash(struct run *run, u64 stop_at, int stop_rc)
{
	struct hpt_oracle *o = run->o;
	struct hpt_oracle_hpte *e, *held, *n;
	u32 i, k;
	u8 why;
	u64 t, v, r;

	/* The old table's entries, in index order */
	for (i = 0; i < o->old.n; i++) {
		e = &o->old.e[i];
		if (!(e->v & OS_V_USED))
			continue;
		if (e->idx > stop_at)
			return;
		k = e->rec;
		why = o->rec[k].unexplained;
		/* A lock a host path holds (raw or VA entry) is never taken */
		if (e->v & OS_V_HVLOCK)
			return fail(o, k, e->idx, -EDEADLK, HPT_FATE_FAILED);
		if (why == HPT_UNEXPL_ACTUAL)
			return fail(o, k, e->idx, -EIO, HPT_FATE_FAILED);
		if (e->v & OS_V_VALID)
			unmap(run, e);
		if (e->idx == stop_at)
			return fail(o, k, e->idx, stop_rc, HPT_FATE_FAILED);
		if (!(e->v & OS_V_BOLTED)) {
			o->rec[k].fate = HPT_FATE_DROPPED;
			continue;
		}
		if (why != HPT_UNEXPL_NONE) {
			o->rec[k].fate = HPT_FATE_RULES;
			continue;
		}
		t = o->rec[k].new_idx;
		held = table_find(&run->new, t);
		if (held) {
			fail(o, k, e->idx, -ENOSPC, HPT_FATE_COLLIDED);
			o->fail_new_idx = t;
			o->fail_holder_idx = o->rec[held->rec].old_idx;
			return;
		}
		/*
		 * The words after the unmap, read as the guest layout and
		 * written back: an ISA 3.0 V loses the bits above its 52
		 * (raw words may set them)
		 */
		n = table_get(&run->new, t);
		n->v = e->v & ~OS_V_HVLOCK;
		os_from_table(o->isa300, n->v, e->r, &v, &r);
		os_to_table(o->isa300, v, r, &n->v, &n->r);
		n->guest_r = e->guest_r;
		n->rec = k;
		o->rec[k].fate = HPT_FATE_MOVED;
	}
}

struct hpt_oracle_rmap *oracle_find_rmap(struct hpt_oracle *o, u32 slot,
					 u64 gfn)
{
	u32 lo = 0, hi = o->nr_rmaps, mid;
	struct hpt_oracle_rmap *m;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = &o->rmaps[mid];
		if (m->slot == slot && m->gfn == gfn)
			return m;
		if (m->slot < slot || (m->slot == slot && m->gfn < gfn))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Which entries are judged how, once, from the resize as predicted */
static void count(struct hpt_oracle *o)
{
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle_record *rec;
	u32 i;

	o->raw_rec = NO_REC;
	o->rules_idx = HPT_ORACLE_NO_INDEX;
	o->nr_exact = o->nr_rules = 0;
	for (i = 0; i < o->before.n; i++) {
		e = &o->before.e[i];
		if (!(e->v & OS_V_USED))
			continue;
		rec = &o->rec[e->rec];
		if (rec->fate != HPT_FATE_RULES) {
			rec->judged = HPT_JUDGED_EXACT;
			o->nr_exact++;
			continue;
		}
		rec->judged = HPT_JUDGED_RULES;
		if (!o->nr_rules++) {
			o->raw_rec = e->rec;
			o->rules_idx = e->idx;
		}
	}
	o->predictable = !o->nr_rules;
}

int oracle_predict_resize(struct hpt_oracle *o, const struct hpt_scenario *s,
			  u32 alloc_order, u64 stop_at, int stop_rc)
{
	u32 n = s->nr_records + 1;
	struct run run = { o, s, { 0 }, NULL, NULL, NULL, NULL, NULL };
	int ret = -ENOMEM;
	u32 i, k;

	o->old.order = o->before.order;
	o->old.n = o->before.n;
	o->old.e = malloc((o->before.n + 1) * sizeof(*o->old.e));
	o->unmaps = calloc(o->before.n + 1, sizeof(*o->unmaps));
	run.harvest = calloc(n, sizeof(*run.harvest));
	run.unmapped = calloc(n, sizeof(*run.unmapped));
	run.forw = calloc(n, sizeof(*run.forw));
	run.back = calloc(n, sizeof(*run.back));
	run.ring = calloc(n, sizeof(*run.ring));
	if (!o->old.e || !o->unmaps || !run.harvest || !run.unmapped ||
	    !run.forw || !run.back || !run.ring)
		goto out;
	memcpy(o->old.e, o->before.e, o->before.n * sizeof(*o->old.e));
	for (i = 0; i < o->nr_rmaps; i++)
		o->rmaps[i].after = o->rmaps[i].before;
	link(&run);

	o->new.order = o->new_order;
	if (alloc_order && o->new_order > alloc_order) {
		/* The prepare fails; the commit never runs */
		o->rc = -ENOMEM;
	} else {
		if (table_builder_init(&run.new, &o->new, o->new_order,
				       o->before.n))
			goto out;
		rehash(&run, stop_at, stop_rc);
		table_builder_finish(&run.new);
	}
	if (o->rc) {
		free(o->new.e);
		o->new.e = NULL;
		o->new.n = 0;
	}

	for (i = 0; i < o->before.n; i++) {
		k = o->before.e[i].rec;
		if ((o->before.e[i].v & OS_V_USED) && !o->rec[k].fate)
			o->rec[k].fate = HPT_FATE_UNTOUCHED;
	}
	if (stop_at == HPT_ORACLE_NO_INDEX)
		count(o);
	ret = 0;
out:
	free(run.new.slots);
	free(run.harvest);
	free(run.unmapped);
	free(run.forw);
	free(run.back);
	free(run.ring);
	return ret;
}
