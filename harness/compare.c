// SPDX-License-Identifier: GPL-2.0-only
/*
 * Everything observable against the oracle's prediction: return code,
 * unmap calls in order, the old table and revmap afterwards, the new
 * table and revmap on success, and the rmap words.  Each check stops at
 * its first difference, in index order, so reports are deterministic.
 * Entries judged by rules (checks.c) are the new table's only freedom.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_internal.h"

/* What identifies an entry whatever its state and lock */
#define ID_MASK		(~(HPT_V_VALID | HPT_V_ABSENT | HPT_V_HVLOCK))

static void compare_rc(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;
	struct finding *f;

	if (c->rc == o->rc || c->out.fate != HPT_IMPL_RETURNED)
		return;
	f = hctx_add_finding_once(c, F_RC);
	if (o->rc == -ENOSPC) {
		f->old_idx = o->fail_idx;
		f->exp_idx = o->fail_new_idx;
	} else if (c->rc && c->last_locked != NO_IDX) {
		/* Where the implementation gave up */
		f->old_idx = c->last_locked;
	}
	f->rec = hpt_oracle_rec_at(o, f->old_idx);
	snprintf(f->msg, sizeof(f->msg), "expected %s (%d), actual %s (%ld)",
		 hpt_oracle_rc_name(o->rc), o->rc, hpt_oracle_rc_name(c->rc),
		 c->rc);
}

static void compare_unmaps(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;
	const struct hpt_oracle_unmap *e;
	const struct unmap_event *a;
	size_t i, n = o->nr_unmaps;
	struct finding *f;

	if (c->nr_unmaps > n)
		n = c->nr_unmaps;
	for (i = 0; i < n; i++) {
		e = i < o->nr_unmaps ? &o->unmaps[i] : NULL;
		a = i < c->nr_unmaps ? &c->unmaps[i] : NULL;
		if (e && a && e->idx == a->idx && e->gfn == a->gfn &&
		    a->table == c->old_virt)
			continue;
		f = hctx_add_finding_once(c, F_UNMAP);
		f->pos = i;
		f->exp_idx = e ? e->idx : NO_IDX;
		f->act_idx = a ? a->idx : NO_IDX;
		f->old_idx = e ? e->idx : a->idx;
		f->rec = hpt_oracle_rec_at(o, f->old_idx);
		if (e && a && e->idx == a->idx && e->gfn == a->gfn)
			snprintf(f->msg, sizeof(f->msg),
				 "unmap #%zu names a table other than the old one", i);
		else
			snprintf(f->msg, sizeof(f->msg),
				 "unmap #%zu differs (%u expected, %zu made)",
				 i, o->nr_unmaps, c->nr_unmaps);
		return;
	}
}

/*
 * Whether n words are all zero.  Most of what a run compares is such
 * stretches.  Without a sanitizer libc's memcmp against a page of zeros
 * is the fastest pass there is.  Under ASan or MSan every memcmp checks
 * the shadow of both buffers first (a third of an execution): the
 * harness reads only blocks it holds, so there it is a loop of plain
 * loads, without their checks, UBSan's on each word, or coverage
 * callbacks the fuzzer learns nothing from.  Revmap entries are read as
 * words too, hence may_alias.
 */
typedef u64 __attribute__((__may_alias__)) any_word;

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer) || \
	__has_feature(memory_sanitizer)
#if defined(__clang__)
__attribute__((no_sanitize("address", "memory", "undefined", "coverage")))
#else
__attribute__((no_sanitize("address", "undefined")))
#endif
static bool all_zero(const any_word *w, size_t n)
{
	size_t i, j;
	u64 acc;

	for (i = 0; i + 32 <= n; i += 32) {
		acc = 0;
		for (j = 0; j < 32; j++)
			acc |= w[i + j];
		if (acc)
			return false;
	}
	for (acc = 0; i < n; i++)
		acc |= w[i];
	return !acc;
}
#else
static bool all_zero(const any_word *w, size_t n)
{
	static const u64 zero[512];
	size_t len;

	for (; n; n -= len, w += len) {
		len = n < 512 ? n : 512;
		if (memcmp(w, zero, len * sizeof(*w)))
			return false;
	}
	return true;
}
#endif

/*
 * Entries the oracle lists are compared one by one; the stretches
 * between them must be zero, which a bulk check settles unless it finds
 * something (revmap links, say), when the stretch is gone through too.
 * From index from on.
 */
static u64 next_difference(const struct hpt_oracle_table *t,
			   const __be64 *words, const struct hpt_rev *rev,
			   u64 from, struct hpt_oracle_hpte *want)
{
	u64 idx = from, end, npte = hpt_order_npte(t->order);
	u32 lo = 0, hi = t->n, j;

	/* The first listed entry at or after from */
	while (lo < hi) {
		j = lo + (hi - lo) / 2;
		if (t->e[j].idx < from)
			lo = j + 1;
		else
			hi = j;
	}
	for (j = lo; j <= t->n; j++) {
		end = j < t->n ? t->e[j].idx : npte;
		if (!all_zero(&words[2 * idx], 2 * (end - idx)) ||
		    !all_zero((const any_word *)&rev[idx],
			      (end - idx) * sizeof(*rev) / sizeof(any_word))) {
			for (; idx < end; idx++)
				if (hctx_entry_differs(NULL, words, rev, idx))
					goto differs;
		}
		idx = end;
		if (j < t->n && hctx_entry_differs(&t->e[j], words, rev, idx))
			goto differs;
		idx++;
	}
	return NO_IDX;

differs:
	*want = hctx_entry(t, idx);
	return idx;
}

static void compare_old(struct hctx *c)
{
	struct hpt_oracle_hpte want;
	struct finding *f;
	u64 idx;

	if (!c->old_words) {
		f = hctx_add_finding_once(c, F_OLD);
		snprintf(f->msg, sizeof(f->msg), "the old table cannot be inspected: the guest left it but it was not freed");
		return;
	}
	idx = next_difference(&c->o.old, c->old_words, c->old_rev, 0, &want);
	if (idx == NO_IDX)
		return;
	f = hctx_add_finding_once(c, F_OLD);
	f->old_idx = idx;
	f->rec = hpt_oracle_rec_at(&c->o, idx);
	snprintf(f->msg, sizeof(f->msg), "old entry 0x%llx differs",
		 (unsigned long long)idx);
}

/* Where the actual new table holds an entry like this, preferring a slot */
static u64 find_actual(const struct hctx *c, u64 v, unsigned int slot)
{
	u64 idx, found = NO_IDX, npte = hpt_order_npte(c->new_order);

	for (idx = 0; idx < npte; idx++) {
		if ((hctx_word(c->new_words, idx, 0) & ID_MASK) != (v & ID_MASK))
			continue;
		if (idx % HPT_HPTES_PER_GROUP == slot)
			return idx;
		if (found == NO_IDX)
			found = idx;
	}
	return found;
}

/* Which record an unexpected entry came from, by its V word */
static u32 identify(const struct hctx *c, u64 v)
{
	const struct hpt_oracle_table *t = &c->o.before;
	u32 i;

	for (i = 0; i < t->n; i++)
		if ((t->e[i].v & ID_MASK) == (v & ID_MASK))
			return t->e[i].rec;
	return NO_REC;
}

/*
 * An entry the oracle does not list, in a run with entries judged by
 * rules: allowed if it is one of those (bolted, no VA explains it), at
 * its slot number, with the words the resize left it in the old table
 * (HVLOCK clear), guest R included, and there only once.
 */
static bool rules_entry_here(const struct hctx *c, u64 idx, u8 *placed)
{
	const struct hpt_oracle *o = &c->o;
	const struct hpt_oracle_hpte *e;
	struct hpt_oracle_hpte w;
	u32 i;

	for (i = 0; i < o->before.n; i++) {
		e = &o->before.e[i];
		if (e->rec == NO_REC || o->rec[e->rec].fate != HPT_FATE_RULES ||
		    placed[i] || e->idx % HPT_HPTES_PER_GROUP !=
		    idx % HPT_HPTES_PER_GROUP ||
		    !hpt_oracle_moved_words(o, e->idx, &w) ||
		    hctx_entry_differs(&w, c->new_words, c->new_rev, idx))
			continue;
		placed[i] = 1;
		return true;
	}
	return false;
}

static void compare_new(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;
	struct hpt_oracle_hpte want;
	struct finding *f;
	u8 *placed = NULL;
	u64 idx;

	if (!o->new.e || !c->new_words)
		return;		/* a differing rc says it already */
	if (c->new_order != o->new_order) {
		f = hctx_add_finding_once(c, F_NEW);
		f->pos = NO_IDX;
		snprintf(f->msg, sizeof(f->msg), "the new table has order %u, expected %u", c->new_order, o->new_order);
		return;
	}
	if (o->nr_rules)
		placed = calloc(o->before.n + 1, 1);
	idx = next_difference(&o->new, c->new_words, c->new_rev, 0, &want);
	while (idx != NO_IDX && want.rec == NO_REC && placed &&
	       rules_entry_here(c, idx, placed))
		idx = next_difference(&o->new, c->new_words, c->new_rev,
				      idx + 1, &want);
	free(placed);
	if (idx == NO_IDX)
		return;
	f = hctx_add_finding_once(c, F_NEW);
	f->pos = idx;
	if (want.rec != NO_REC) {
		f->rec = want.rec;
		f->exp_idx = idx;
		f->act_idx = find_actual(c, want.v, idx % HPT_HPTES_PER_GROUP);
	} else {
		f->act_idx = idx;
		f->rec = identify(c, hctx_word(c->new_words, idx, 0));
		if (f->rec != NO_REC && o->rec[f->rec].fate == HPT_FATE_MOVED)
			f->exp_idx = o->rec[f->rec].new_idx;
	}
	if (f->rec != NO_REC)
		f->old_idx = o->rec[f->rec].old_idx;
	snprintf(f->msg, sizeof(f->msg), "new entry 0x%llx differs",
		 (unsigned long long)idx);
}

/*
 * As for tables: the words the oracle lists (sorted by memslot and gfn)
 * one by one, the stretches between them, which must be zero, in bulk.
 * A memslot may span 65535 pages and a scenario have 16 of them.
 */
struct rmap_diff {
	u32 slot;
	u64 gfn;
	u64 want;
};

/* The first rmap word unlike the oracle's after the resize */
static bool first_rmap_difference(const struct hctx *c, struct rmap_diff *d)
{
	const struct hpt_oracle *o = &c->o;
	const struct hpt_oracle_rmap *next = o->rmaps;
	const struct hpt_oracle_rmap *end = o->rmaps + o->nr_rmaps;
	const struct hpt_oracle_memslot *slot;
	const u64 *rmap;
	u64 n, stop;
	u32 m;

	for (m = 0; m < o->nr_memslots; m++) {
		slot = &o->slot[m];
		rmap = c->vm.memslots[m].rmap;
		n = 0;
		for (;;) {
			/* A word listed for no page of this memslot has no place */
			while (next < end &&
			       (next->slot < m ||
				(next->slot == m &&
				 (next->gfn < slot->base_gfn + n ||
				  next->gfn - slot->base_gfn >= slot->npages))))
				next++;
			stop = next < end && next->slot == m ?
			       next->gfn - slot->base_gfn : slot->npages;
			if (!all_zero(&rmap[n], stop - n)) {
				for (d->want = 0; !rmap[n]; n++)
					;
				goto differs;
			}
			n = stop;
			if (n == slot->npages)
				break;
			d->want = next->after;
			next++;
			if (rmap[n] != d->want)
				goto differs;
			n++;
		}
	}
	return false;

differs:
	d->slot = m;
	d->gfn = slot->base_gfn + n;
	return true;
}

static void compare_rmaps(struct hctx *c)
{
	struct rmap_diff d;
	struct finding *f;

	if (!first_rmap_difference(c, &d))
		return;
	f = hctx_add_finding_once(c, F_RMAP);
	f->slot = d.slot;
	f->pos = d.gfn;
	if (d.want & HPT_RMAP_PRESENT) {
		f->old_idx = d.want & HPT_RMAP_INDEX;
		f->rec = hpt_oracle_rec_at(&c->o, f->old_idx);
	}
	snprintf(f->msg, sizeof(f->msg), "rmap of gfn 0x%llx (memslot %u) differs",
		 (unsigned long long)d.gfn, d.slot);
}

void compare_tables(struct hctx *c)
{
	c->compared = true;	/* the JSON says what this run was held to */
	compare_unmaps(c);
	compare_old(c);
	compare_new(c);
	compare_rmaps(c);
}

void compare_with_oracle(struct hctx *c)
{
	/* A host that died has no result to compare, only the crash */
	if (c->out.fate != HPT_IMPL_RETURNED)
		return;
	compare_rc(c);
	compare_tables(c);
	check_links(c);
}
