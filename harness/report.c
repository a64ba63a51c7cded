// SPDX-License-Identifier: GPL-2.0-only
/*
 * The divergence report: what was run, what the oracle expected, what the
 * implementation did, one machine-readable DIVERGENCE line, and the first
 * difference described in full: the entry, its VA, the expected and
 * actual group/slot, the words with the differing bits marked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness_internal.h"
#include "hpt/scenario_text.h"

static const char *const what_names[F_NR_KINDS] = {
	[F_CRASH] = "crash",
	[F_HANG] = "hang",
	[F_RC] = "rc",
	[F_UNMAP] = "unmap",
	[F_OLD] = "old-entry",
	[F_NEW] = "new-entry",
	[F_RMAP] = "rmap",
	[F_LINKS] = "links",
	[F_VIOLATION] = "violation",
	[F_INVARIANT] = "invariant",
	[F_WARN] = "warning",
};

const char *finding_what(enum finding_kind kind)
{
	return what_names[kind];
}

void report_printf(struct hpt_report *rep, const char *fmt, ...)
{
	size_t room = rep->buf && rep->len < rep->cap ? rep->cap - rep->len : 0;
	va_list ap;
	int n;

	if (rep->file) {
		va_start(ap, fmt);
		vfprintf(rep->file, fmt, ap);
		va_end(ap);
	}
	va_start(ap, fmt);
	n = vsnprintf(room ? rep->buf + rep->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		rep->len += n;
}

/* "0x3cdb (group 0x79b slot 3)": at most 53 bytes with 64-bit numbers */
#define WHERE_LEN	64

static const char *where(char *buf, size_t len, u64 idx)
{
	if (idx == NO_IDX)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "0x%llx (group 0x%llx slot %u)",
			 (unsigned long long)idx,
			 (unsigned long long)(idx / HPT_HPTES_PER_GROUP),
			 (unsigned int)(idx % HPT_HPTES_PER_GROUP));
	return buf;
}

static const char *hex_or_dash(char *buf, size_t len, u64 x)
{
	if (x == NO_IDX)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)x);
	return buf;
}

static void describe_record(struct hctx *c, u32 k)
{
	const struct hpt_oracle_record *r;
	char line[256], a[WHERE_LEN], b[WHERE_LEN];

	if (k == NO_REC || k >= c->s->nr_records)
		return;
	r = &c->o.rec[k];
	hpt_scn_print_record(c->s, k, line, sizeof(line));
	report_printf(c->rep, "  record %u: %s\n", k, line);
	switch (c->s->rec[k].kind) {
	case HPT_SCN_VA:
		report_printf(c->rep, "    VA hash 0x%llx; old index %s\n",
			      (unsigned long long)r->hash,
			      where(a, sizeof(a), r->old_idx));
		if (r->old_idx != NO_IDX)
			report_printf(c->rep, "    belongs at new index %s; %s\n", where(b, sizeof(b), r->new_idx),
				      hpt_oracle_fate_name(r->fate));
		break;
	case HPT_SCN_RAW:
		report_printf(c->rep, "    raw words at old index %s: %s\n",
			      where(a, sizeof(a), r->old_idx),
			      hpt_oracle_unexplained_name(r->unexplained));
		if (r->judged == HPT_JUDGED_EXACT && !r->unexplained)
			report_printf(c->rep, "    VA hash 0x%llx; belongs at new index %s; %s\n",
				      (unsigned long long)r->hash,
				      where(b, sizeof(b), r->new_idx),
				      hpt_oracle_fate_name(r->fate));
		else
			report_printf(c->rep, "    %s\n", hpt_oracle_fate_name(r->fate));
		break;
	default:
		break;
	}
}

static void entry_line(struct hctx *c, const char *side, const char *table,
		       u64 idx, u64 v, u64 r, u64 gr)
{
	report_printf(c->rep, "  %-8s %s[0x%llx] v=0x%016llx r=0x%016llx guest-r=0x%016llx\n", side, table,
		      (unsigned long long)idx, (unsigned long long)v,
		      (unsigned long long)r, (unsigned long long)gr);
}

/* Expected and actual words of one entry, then each word's difference */
static void compare_words(struct hctx *c, const char *table, u64 idx,
			  const struct hpt_oracle_hpte *e,
			  const __be64 *words, const struct hpt_rev *rev)
{
	u64 v = hctx_word(words, idx, 0), r = hctx_word(words, idx, 1);
	u64 gr = rev[idx].guest_rpte;
	bool isa300 = c->o.isa300;

	entry_line(c, "expected", table, idx, e->v, e->r, e->guest_r);
	entry_line(c, "actual", table, idx, v, r, gr);
	report_word(c->rep, "V", WORD_V, isa300, e->v, v);
	report_word(c->rep, "R", WORD_R, isa300, e->r, r);
	report_word(c->rep, "guest R", WORD_GUEST_R, isa300, e->guest_r, gr);
}

static void detail_rc(struct hctx *c, const struct finding *f)
{
	char a[WHERE_LEN];

	if (c->o.rc == -ENOSPC) {
		report_printf(c->rep, "  the oracle fails at old index %s, whose new slot old index 0x%llx took first\n",
			      where(a, sizeof(a), c->o.fail_idx),
			      (unsigned long long)c->o.fail_holder_idx);
	} else if (c->rc && f->old_idx != NO_IDX) {
		report_printf(c->rep, "  the implementation stopped at old index %s (the last entry it locked)\n",
			      where(a, sizeof(a), f->old_idx));
	}
	describe_record(c, f->rec);
}

static void unmap_line(struct hctx *c, const char *side, size_t n, u64 idx,
		       u64 gfn, const char *note)
{
	u32 rec = hpt_oracle_rec_at(&c->o, idx);
	char a[WHERE_LEN];

	if (idx == NO_IDX) {
		report_printf(c->rep, "  %-8s unmap #%zu: none\n", side, n);
		return;
	}
	report_printf(c->rep, "  %-8s unmap #%zu: old index %s gfn 0x%llx",
		      side, n, where(a, sizeof(a), idx),
		      (unsigned long long)gfn);
	if (rec != NO_REC)
		report_printf(c->rep, " (record %u)", rec);
	report_printf(c->rep, "%s\n", note);
}

static void detail_unmap(struct hctx *c, const struct finding *f)
{
	const struct unmap_event *a = NULL;
	const struct hpt_oracle_unmap *e = NULL;

	if (f->pos < c->o.nr_unmaps)
		e = &c->o.unmaps[f->pos];
	if (f->pos < c->nr_unmaps)
		a = &c->unmaps[f->pos];
	unmap_line(c, "expected", f->pos, e ? e->idx : NO_IDX,
		   e ? e->gfn : 0, "");
	unmap_line(c, "actual", f->pos, a ? a->idx : NO_IDX, a ? a->gfn : 0,
		   a && a->table != c->old_virt ? " in another table" : "");
	describe_record(c, f->rec);
	if (a && a->idx != f->old_idx)
		describe_record(c, hpt_oracle_rec_at(&c->o, a->idx));
}

static void detail_old(struct hctx *c, const struct finding *f)
{
	struct hpt_oracle_hpte e;

	describe_record(c, f->rec);
	if (f->old_idx == NO_IDX)
		return;
	e = hctx_entry(&c->o.before, f->old_idx);
	entry_line(c, "before", "old", f->old_idx, e.v, e.r, e.guest_r);
	e = hctx_entry(&c->o.old, f->old_idx);
	compare_words(c, "old", f->old_idx, &e, c->old_words, c->old_rev);
}

/*
 * What the new table should hold at index at: the oracle's entry, or
 * where it lists none and the entry there is one judged by rules (listed
 * nowhere in the new table, so an empty slot is no measure of it), the
 * words the rules allow it, with its record
 */
static struct hpt_oracle_hpte expected_new(const struct hctx *c,
					   const struct finding *f, u64 at)
{
	struct hpt_oracle_hpte e = hctx_entry(&c->o.new, at), w;

	if (e.rec == NO_REC && f->rec != NO_REC && f->act_idx == at &&
	    c->o.rec[f->rec].fate == HPT_FATE_RULES &&
	    hpt_oracle_moved_words(&c->o, c->o.rec[f->rec].old_idx, &w)) {
		w.idx = at;
		w.rec = f->rec;
		return w;
	}
	return e;
}

static void detail_new(struct hctx *c, const struct finding *f)
{
	struct hpt_oracle_hpte e;
	u64 at = f->pos;	/* where the tables first differ */
	char a[WHERE_LEN], b[WHERE_LEN];

	describe_record(c, f->rec);
	report_printf(c->rep, "  expected at new index %s\n",
		      where(a, sizeof(a), f->exp_idx));
	report_printf(c->rep, "  actual   at new index %s\n",
		      where(b, sizeof(b), f->act_idx));
	if (at == NO_IDX)
		return;
	e = expected_new(c, f, at);
	if (e.rec != NO_REC && !hpt_oracle_at(&c->o.new, at))
		report_printf(c->rep, "  by rules: allowed at slot %llu of a group, with the words the resize left it in the old table\n",
			      (unsigned long long)(c->o.rec[e.rec].old_idx %
						   HPT_HPTES_PER_GROUP));
	compare_words(c, "new", at, &e, c->new_words, c->new_rev);
	if (f->exp_idx != NO_IDX && f->exp_idx != at) {
		e = hctx_entry(&c->o.new, f->exp_idx);
		entry_line(c, "expected", "new", f->exp_idx, e.v, e.r,
			   e.guest_r);
	}
	if (f->act_idx != NO_IDX && f->act_idx != at)
		entry_line(c, "actual", "new", f->act_idx,
			   hctx_word(c->new_words, f->act_idx, 0),
			   hctx_word(c->new_words, f->act_idx, 1),
			   c->new_rev[f->act_idx].guest_rpte);
}

static void detail_rmap(struct hctx *c, const struct finding *f)
{
	const struct hpt_oracle_memslot *slot = &c->o.slot[f->slot];
	u64 n = f->pos - slot->base_gfn;

	report_printf(c->rep, "  memslot %u (record %u: base 0x%llx, %llu pages), gfn 0x%llx\n", f->slot, slot->rec,
		      (unsigned long long)slot->base_gfn,
		      (unsigned long long)slot->npages,
		      (unsigned long long)f->pos);
	report_printf(c->rep, "  before   rmap 0x%016llx\n",
		      (unsigned long long)hpt_oracle_rmap_word(&c->o, f->slot,
							       f->pos, false));
	report_word(c->rep, "rmap", WORD_RMAP, c->o.isa300,
		    hpt_oracle_rmap_word(&c->o, f->slot, f->pos, true),
		    c->vm.memslots[f->slot].rmap[n]);
	if (f->rec != NO_REC) {
		report_printf(c->rep, "  the ring should be headed by:\n");
		describe_record(c, f->rec);
	}
}

/* The entry a crash, hang or invariant names, as it was and is */
static void detail_entry(struct hctx *c, const struct finding *f)
{
	const __be64 *w = c->vm.hpt.virt;
	struct hpt_oracle_hpte e;

	if (f->old_idx == NO_IDX ||
	    f->old_idx >= hpt_order_npte(c->o.old_order))
		return;
	describe_record(c, f->rec);
	e = hctx_entry(&c->o.before, f->old_idx);
	entry_line(c, "before", "old", f->old_idx, e.v, e.r, e.guest_r);
	if (w == c->old_virt)
		entry_line(c, "now", "old", f->old_idx,
			   hctx_word(w, f->old_idx, 0),
			   hctx_word(w, f->old_idx, 1),
			   c->vm.hpt.rev[f->old_idx].guest_rpte);
}

static void header(struct hctx *c)
{
	const struct hpt_scenario *s = c->s;
	u32 k, nva = 0, nraw = 0, nslot = 0;

	for (k = 0; k < s->nr_records; k++) {
		nva += s->rec[k].kind == HPT_SCN_VA;
		nraw += s->rec[k].kind == HPT_SCN_RAW;
		nslot += s->rec[k].kind == HPT_SCN_MEMSLOT;
	}
	report_printf(c->rep, "hptfuzz: implementation \"%s\" diverges\n",
		      c->impl->name);
	report_printf(c->rep, "scenario: layout %s, order %u -> %u (%s); VA entries: %u (%u placed, %u not placed), raw entries: %u, memslots: %u\n", s->isa300 ? "3.0" : "pre-3.0",
		      s->old_order, s->new_order,
		      s->new_order > s->old_order ? "grow" :
		      s->new_order < s->old_order ? "shrink" : "same size",
		      nva, c->pl->nr_placed, c->pl->nr_not_placed, nraw,
		      nslot);
	if (c->stored_old_order != s->old_order ||
	    c->stored_new_order != s->new_order)
		report_printf(c->rep, "          (stored orders %u -> %u, folded by the order cap)\n",
			      c->stored_old_order, c->stored_new_order);
}

static void expectation(struct hctx *c)
{
	const struct hpt_oracle *o = &c->o;
	u32 k, moved = 0, dropped = 0;

	if (!o->predictable)
		report_printf(c->rep, "judged: %u entries exactly, %u by rules (first: raw record %u at old 0x%llx, bolted, no VA explains it: %s)\n",
			      o->nr_exact, o->nr_rules, o->raw_rec,
			      (unsigned long long)o->rules_idx,
			      hpt_oracle_unexplained_name(o->rec[o->raw_rec].unexplained));
	for (k = 0; k < o->nr_records; k++) {
		moved += o->rec[k].fate == HPT_FATE_MOVED;
		dropped += o->rec[k].fate == HPT_FATE_DROPPED;
	}
	report_printf(c->rep, "expected: rc %s", hpt_oracle_rc_name(o->rc));
	if (o->rc == -ENOSPC)
		report_printf(c->rep, ": old 0x%llx (record %u) belongs at new 0x%llx, taken by old 0x%llx (record %u)",
			      (unsigned long long)o->fail_idx,
			      hpt_oracle_rec_at(o, o->fail_idx),
			      (unsigned long long)o->fail_new_idx,
			      (unsigned long long)o->fail_holder_idx,
			      hpt_oracle_rec_at(o, o->fail_holder_idx));
	else if (o->rc == -ENOMEM)
		report_printf(c->rep, ": order %u is above the allocation cap", o->new_order);
	report_printf(c->rep, "; %u moved, %u dropped, %u unmapped\n", moved,
		      dropped, o->nr_unmaps);
}

static void outcome(struct hctx *c)
{
	char a[WHERE_LEN];

	switch (c->out.fate) {
	case HPT_IMPL_CRASHED:
		report_printf(c->rep, "actual:   host would have crashed: %s (old index %s)\n", c->out.what,
			      where(a, sizeof(a), c->out.idx));
		break;
	case HPT_IMPL_HUNG:
		report_printf(c->rep, "actual:   host would hang: %s (old index %s)\n", c->out.what,
			      where(a, sizeof(a), c->out.idx));
		break;
	default:
		report_printf(c->rep, "actual:   rc %s (%ld), %zu unmapped\n",
			      hpt_oracle_rc_name(c->rc), c->rc, c->nr_unmaps);
		break;
	}
}

/* The words a divergence of this kind compares, from the same sources
 * its detail below prints */
static void collect_words(struct hctx *c, const struct finding *f,
			  struct hpt_divergence *d)
{
	const __be64 *words = NULL;
	const struct hpt_rev *rev = NULL;
	const struct hpt_oracle_table *t = NULL;
	struct hpt_oracle_hpte e;
	u64 idx = NO_IDX;

	if (f->kind == F_OLD) {
		t = &c->o.old;
		idx = f->old_idx;
		words = c->old_words;
		rev = c->old_rev;
	} else if (f->kind == F_NEW) {
		t = &c->o.new;
		idx = f->pos;
		words = c->new_words;
		rev = c->new_rev;
	} else if (f->kind == F_RMAP) {
		snprintf(d->table, sizeof(d->table), "rmap");
		d->word_idx = f->pos;
		d->nr_words = 1;
		d->words[0] = (struct hpt_word_diff){ "rmap",
			hpt_oracle_rmap_word(&c->o, f->slot, f->pos, true),
			c->vm.memslots[f->slot].rmap[f->pos -
						     c->o.slot[f->slot].base_gfn] };
		return;
	}
	if (!t || idx == NO_IDX || !words || !rev)
		return;
	e = f->kind == F_NEW ? expected_new(c, f, idx) : hctx_entry(t, idx);
	snprintf(d->table, sizeof(d->table), "%s", f->kind == F_OLD ? "old" : "new");
	d->word_idx = idx;
	d->nr_words = 3;
	d->words[0] = (struct hpt_word_diff){ "v", e.v, hctx_word(words, idx, 0) };
	d->words[1] = (struct hpt_word_diff){ "r", e.r, hctx_word(words, idx, 1) };
	d->words[2] = (struct hpt_word_diff){ "guest_r", e.guest_r,
					      rev[idx].guest_rpte };
}

void report_collect(struct hctx *c)
{
	struct hpt_report *rep = c->rep;
	int kind;

	rep->outcome = c->out;
	rep->nr_unmaps = c->nr_unmaps;
	rep->nr_divergences = 0;
	for (kind = 0; kind < F_NR_KINDS; kind++) {
		const struct finding *f = &c->f[kind];
		struct hpt_divergence *d = &rep->div[rep->nr_divergences];

		if (!c->found[kind])
			continue;
		rep->nr_divergences++;
		memset(d, 0, sizeof(*d));
		snprintf(d->kind, sizeof(d->kind), "%s", what_names[kind]);
		d->rec = f->rec;
		d->old_idx = f->old_idx;
		d->exp_idx = f->exp_idx;
		d->act_idx = f->act_idx;
		d->pos = f->pos;
		d->memslot = f->slot;
		d->word_idx = NO_IDX;
		snprintf(d->msg, sizeof(d->msg), "%s", f->msg);
		collect_words(c, f, d);
	}
}

int hpt_report_divergence_line(const struct hpt_report *rep,
			       const char *impl, char *buf, size_t len)
{
	const struct hpt_divergence *d = &rep->div[0];
	char rec[16], a[24], b[24], e[24];

	if (!rep->nr_divergences)
		return snprintf(buf, len, "DIVERGENCE impl=%s what=- record=- old_index=- expected_index=- actual_index=-", impl);
	if (d->rec == NO_REC)
		snprintf(rec, sizeof(rec), "-");
	else
		snprintf(rec, sizeof(rec), "%u", d->rec);
	return snprintf(buf, len, "DIVERGENCE impl=%s what=%s record=%s old_index=%s expected_index=%s actual_index=%s", impl,
			d->kind, rec, hex_or_dash(a, sizeof(a), d->old_idx),
			hex_or_dash(b, sizeof(b), d->exp_idx),
			hex_or_dash(e, sizeof(e), d->act_idx));
}

void report_divergence(struct hctx *c)
{
	struct hpt_report *rep = c->rep;
	const struct hpt_divergence *d = &rep->div[0];
	const struct finding *f = NULL;
	char line[320];
	u32 k;
	int kind;

	for (kind = 0; kind < F_NR_KINDS && !f; kind++)
		if (c->found[kind])
			f = &c->f[kind];
	snprintf(rep->what, sizeof(rep->what), "%s", d->kind);
	snprintf(rep->summary, sizeof(rep->summary), "%s diverges: %s: %s",
		 c->impl->name, rep->what, d->msg);

	header(c);
	expectation(c);
	outcome(c);
	hpt_report_divergence_line(rep, c->impl->name, line, sizeof(line));
	report_printf(rep, "%s\n", line);
	report_printf(rep, "first divergence (%s): %s\n", rep->what, d->msg);

	switch (f->kind) {
	case F_RC:
		detail_rc(c, f);
		break;
	case F_UNMAP:
		detail_unmap(c, f);
		break;
	case F_OLD:
		detail_old(c, f);
		break;
	case F_NEW:
		detail_new(c, f);
		break;
	case F_RMAP:
		detail_rmap(c, f);
		break;
	default:
		detail_entry(c, f);
		break;
	}

	report_printf(rep, "also differs:");
	for (k = 1; k < rep->nr_divergences; k++)
		report_printf(rep, " %s", rep->div[k].kind);
	report_printf(rep, "%s\n", rep->nr_divergences > 1 ? "" : " nothing else");
}
