// SPDX-License-Identifier: GPL-2.0-only
/*
 * A run as JSON (docs/json.md): the scenario as decoded, where each
 * record went, the oracle's prediction, and for each implementation what
 * it returned and left behind and every divergence, with the words
 * compared.  The same fields the human report is printed from; nothing
 * here decides anything.
 */
#include <string.h>

#include "harness_internal.h"
#include "hpt/json.h"
#include "hpt/scenario_text.h"

/* Above this order an implementation's table is not listed entry by
 * entry: a walk of 2^27 entries would cost more than the run */
#define LIST_MAX_ORDER	30

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[] = {
	[HPT_SCN_VA] = "va",
	[HPT_SCN_RAW] = "raw",
	[HPT_SCN_MEMSLOT] = "memslot",
};

static const char *const fate_names[] = {
	[HPT_FATE_NONE] = "none",
	[HPT_FATE_NOT_PLACED] = "not-placed",
	[HPT_FATE_DROPPED] = "dropped",
	[HPT_FATE_MOVED] = "moved",
	[HPT_FATE_COLLIDED] = "collided",
	[HPT_FATE_UNTOUCHED] = "untouched",
	[HPT_FATE_RULES] = "rules",
	[HPT_FATE_FAILED] = "failed",
};

static const char *const judged_names[] = {
	[HPT_JUDGED_NOT_ENTRY] = "not-entry",
	[HPT_JUDGED_EXACT] = "exact",
	[HPT_JUDGED_RULES] = "rules",
};

/* Why no VA explains a raw entry, for programs: docs/json.md */
static const char *const unexplained_names[] = {
	[HPT_UNEXPL_NONE] = "none",
	[HPT_UNEXPL_SEGMENT] = "segment",
	[HPT_UNEXPL_ENCODING] = "encoding",
	[HPT_UNEXPL_ACTUAL] = "actual",
	[HPT_UNEXPL_PAGE_SEG] = "page-segment",
	[HPT_UNEXPL_HVLOCK] = "hvlock",
	[HPT_UNEXPL_GROUP] = "group",
	[HPT_UNEXPL_AMBIGUOUS] = "ambiguous",
};

static const char *kind_name(u8 kind)
{
	return kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?";
}

static void index_or_null(struct hpt_json *j, const char *key, u64 idx)
{
	if (idx == NO_IDX)
		hpt_json_null(j, key);
	else
		hpt_json_uint(j, key, idx);
}

static void record_or_null(struct hpt_json *j, const char *key, u32 rec)
{
	if (rec == NO_REC)
		hpt_json_null(j, key);
	else
		hpt_json_uint(j, key, rec);
}

static void rc(struct hpt_json *j, long x)
{
	hpt_json_int(j, "rc", x);
	hpt_json_string(j, "rc_name", hpt_oracle_rc_name(x));
}

static void record_fields(struct hpt_json *j, const struct hpt_scn_record *r)
{
	switch (r->kind) {
	case HPT_SCN_VA:
		hpt_json_string(j, "seg", hpt_scn_seg_name(r->va.seg));
		hpt_json_string(j, "page", hpt_scn_page_name(r->va.page));
		hpt_json_uint(j, "vsid", r->va.vsid);
		hpt_json_uint(j, "ea", r->va.ea);
		if (r->va.slot == HPT_SCN_SLOT_FIRST)
			hpt_json_null(j, "slot");
		else
			hpt_json_uint(j, "slot", r->va.slot);
		hpt_json_bool(j, "bolted", r->va.bolted);
		hpt_json_bool(j, "valid", r->va.valid);
		hpt_json_bool(j, "secondary", r->va.secondary);
		hpt_json_uint(j, "rbits", r->va.rbits);
		hpt_json_uint(j, "rpn", r->va.rpn);
		break;
	case HPT_SCN_RAW:
		hpt_json_uint(j, "index", r->raw.index);
		hpt_json_word(j, "v", r->raw.v);
		hpt_json_word(j, "r", r->raw.r);
		hpt_json_word(j, "guest_r", r->raw.guest_r);
		break;
	case HPT_SCN_MEMSLOT:
		hpt_json_uint(j, "base_gfn", r->slot.base_gfn);
		hpt_json_uint(j, "npages", r->slot.npages);
		break;
	default:
		break;
	}
}

static void scenario(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_scenario *s = c->s;
	char line[256];
	u32 k;

	hpt_json_object(j, "scenario");
	hpt_json_string(j, "layout", s->isa300 ? "3.0" : "pre-3.0");
	hpt_json_uint(j, "stored_old_order", c->stored_old_order);
	hpt_json_uint(j, "stored_new_order", c->stored_new_order);
	hpt_json_uint(j, "old_order", s->old_order);
	hpt_json_uint(j, "new_order", s->new_order);
	hpt_json_array(j, "records");
	for (k = 0; k < s->nr_records; k++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "record", k);
		hpt_json_string(j, "kind", kind_name(s->rec[k].kind));
		hpt_scn_print_record(s, k, line, sizeof(line));
		hpt_json_string(j, "text", line);
		record_fields(j, &s->rec[k]);
		hpt_json_end(j);
	}
	hpt_json_end(j);
	hpt_json_end(j);
}

static void placement(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_scenario *s = c->s;
	u32 k;

	if (!c->generated) {
		hpt_json_null(j, "placement");
		return;
	}
	hpt_json_object(j, "placement");
	hpt_json_uint(j, "nr_placed", c->pl->nr_placed);
	hpt_json_uint(j, "nr_not_placed", c->pl->nr_not_placed);
	hpt_json_array(j, "records");
	for (k = 0; k < s->nr_records; k++) {
		u64 where = c->pl->where[k];

		hpt_json_object(j, NULL);
		hpt_json_uint(j, "record", k);
		hpt_json_string(j, "kind", kind_name(s->rec[k].kind));
		if (s->rec[k].kind == HPT_SCN_MEMSLOT) {
			index_or_null(j, "memslot", where);
		} else {
			index_or_null(j, "old_index", where);
			if (where != NO_IDX) {
				hpt_json_uint(j, "group", where / HPT_HPTES_PER_GROUP);
				hpt_json_uint(j, "slot", where % HPT_HPTES_PER_GROUP);
			}
		}
		hpt_json_end(j);
	}
	hpt_json_end(j);
	hpt_json_end(j);
}

/* The unmaps the oracle expects, in order */
static void oracle_unmaps(struct hpt_json *j, const struct hpt_oracle *o)
{
	u32 i;

	hpt_json_array(j, "unmaps");
	for (i = 0; i < o->nr_unmaps; i++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "index", o->unmaps[i].idx);
		hpt_json_uint(j, "gfn", o->unmaps[i].gfn);
		record_or_null(j, "record", o->unmaps[i].rec);
		hpt_json_end(j);
	}
	hpt_json_end(j);
}

static void oracle_table(struct hpt_json *j, const char *key,
			 const struct hpt_oracle_table *t)
{
	u32 i;

	hpt_json_object(j, key);
	hpt_json_uint(j, "order", t->order);
	hpt_json_array(j, "entries");
	for (i = 0; i < t->n; i++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "index", t->e[i].idx);
		hpt_json_word(j, "v", t->e[i].v);
		hpt_json_word(j, "r", t->e[i].r);
		hpt_json_word(j, "guest_r", t->e[i].guest_r);
		record_or_null(j, "record", t->e[i].rec);
		hpt_json_end(j);
	}
	hpt_json_end(j);
	hpt_json_end(j);
}

static void oracle_records(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_oracle *o = &c->o;
	u32 k;

	hpt_json_array(j, "records");
	for (k = 0; k < o->nr_records; k++) {
		const struct hpt_oracle_record *r = &o->rec[k];

		hpt_json_object(j, NULL);
		hpt_json_uint(j, "record", k);
		hpt_json_string(j, "judged", r->judged < ARRAY_SIZE(judged_names) ?
				judged_names[r->judged] : "?");
		if (r->judged == HPT_JUDGED_RULES)
			hpt_json_string(j, "unexplained",
					r->unexplained < ARRAY_SIZE(unexplained_names) ?
					unexplained_names[r->unexplained] : "?");
		else
			hpt_json_null(j, "unexplained");
		if (!o->predictable)
			hpt_json_null(j, "fate");
		else
			hpt_json_string(j, "fate", r->fate < ARRAY_SIZE(fate_names) ?
					fate_names[r->fate] : "?");
		index_or_null(j, "old_index", r->old_idx);
		if (c->s->rec[k].kind == HPT_SCN_VA)
			hpt_json_uint(j, "hash", r->hash);
		if (c->s->rec[k].kind != HPT_SCN_MEMSLOT)
			index_or_null(j, "new_index", r->new_idx);
		hpt_json_end(j);
	}
	hpt_json_end(j);
}

static void oracle(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_oracle *o = &c->o;
	u32 i;

	if (!c->predicted) {
		hpt_json_null(j, "oracle");
		return;
	}
	hpt_json_object(j, "oracle");
	hpt_json_bool(j, "predictable", o->predictable);
	record_or_null(j, "raw_record", o->predictable ? NO_REC : o->raw_rec);
	index_or_null(j, "rules_index", o->predictable ? NO_IDX : o->rules_idx);
	hpt_json_uint(j, "nr_exact", o->nr_exact);
	hpt_json_uint(j, "nr_rules", o->nr_rules);
	if (o->predictable) {
		rc(j, o->rc);
	} else {
		hpt_json_null(j, "rc");
		hpt_json_null(j, "rc_name");
	}
	if (o->predictable && o->rc == -ENOSPC) {
		hpt_json_object(j, "collision");
		hpt_json_uint(j, "old_index", o->fail_idx);
		record_or_null(j, "record", hpt_oracle_rec_at(o, o->fail_idx));
		hpt_json_uint(j, "new_index", o->fail_new_idx);
		hpt_json_uint(j, "holder_index", o->fail_holder_idx);
		record_or_null(j, "holder_record",
			       hpt_oracle_rec_at(o, o->fail_holder_idx));
		hpt_json_end(j);
	} else {
		hpt_json_null(j, "collision");
	}
	oracle_table(j, "before", &o->before);
	/* Unpredictable: only the table before is known */
	if (o->predictable)
		oracle_table(j, "old", &o->old);
	else
		hpt_json_null(j, "old");
	if (o->predictable && !o->rc)
		oracle_table(j, "new", &o->new);
	else
		hpt_json_null(j, "new");
	if (!o->predictable) {
		/* Nothing after the resize is predicted */
		hpt_json_null(j, "unmaps");
		hpt_json_null(j, "rmaps");
		goto memslots;
	}
	oracle_unmaps(j, o);
	hpt_json_array(j, "rmaps");
	for (i = 0; i < o->nr_rmaps; i++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "memslot", o->rmaps[i].slot);
		hpt_json_uint(j, "gfn", o->rmaps[i].gfn);
		hpt_json_word(j, "before", o->rmaps[i].before);
		hpt_json_word(j, "after", o->rmaps[i].after);
		record_or_null(j, "head_record", o->rmaps[i].head_before);
		hpt_json_end(j);
	}
	hpt_json_end(j);
memslots:
	hpt_json_array(j, "memslots");
	for (i = 0; i < o->nr_memslots; i++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "memslot", i);
		hpt_json_uint(j, "base_gfn", o->slot[i].base_gfn);
		hpt_json_uint(j, "npages", o->slot[i].npages);
		record_or_null(j, "record", o->slot[i].rec);
		hpt_json_end(j);
	}
	hpt_json_end(j);
	oracle_records(c, j);
	hpt_json_end(j);
}

void json_facts(struct hctx *c, struct hpt_json *j)
{
	if (!c->s) {
		hpt_json_null(j, "scenario");
		hpt_json_null(j, "placement");
		hpt_json_null(j, "oracle");
		return;
	}
	scenario(c, j);
	placement(c, j);
	oracle(c, j);
}

/* A table after the run: its nonzero entries, or null if unseen */
static void impl_table(struct hpt_json *j, const char *key, u32 order,
		       const __be64 *words, const struct hpt_rev *rev)
{
	u64 i, n;

	if (!words || !rev) {
		hpt_json_null(j, key);
		return;
	}
	hpt_json_object(j, key);
	hpt_json_uint(j, "order", order);
	if (order > LIST_MAX_ORDER) {
		hpt_json_null(j, "entries");
		hpt_json_end(j);
		return;
	}
	hpt_json_array(j, "entries");
	n = hpt_order_npte(order);
	for (i = 0; i < n; i++) {
		u64 v = hctx_word(words, i, 0), r = hctx_word(words, i, 1);

		if (!v && !r && !rev[i].guest_rpte)
			continue;
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "index", i);
		hpt_json_word(j, "v", v);
		hpt_json_word(j, "r", r);
		hpt_json_word(j, "guest_r", rev[i].guest_rpte);
		hpt_json_end(j);
	}
	hpt_json_end(j);
	hpt_json_end(j);
}

static const char *fate_of(enum hpt_impl_fate fate)
{
	switch (fate) {
	case HPT_IMPL_CRASHED:
		return "crash";
	case HPT_IMPL_HUNG:
		return "hang";
	default:
		return "returned";
	}
}

static void outcome(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_report *rep = c->rep;
	size_t i;

	rc(j, c->rc);
	hpt_json_object(j, "outcome");
	hpt_json_string(j, "fate", fate_of(rep->outcome.fate));
	if (rep->outcome.fate == HPT_IMPL_RETURNED)
		hpt_json_null(j, "what");
	else
		hpt_json_string(j, "what", rep->outcome.what);
	index_or_null(j, "index", rep->outcome.idx);
	if (rep->outcome.warning[0])
		hpt_json_string(j, "warning", rep->outcome.warning);
	else
		hpt_json_null(j, "warning");
	hpt_json_end(j);

	hpt_json_array(j, "unmaps");
	for (i = 0; i < c->nr_unmaps; i++) {
		hpt_json_object(j, NULL);
		hpt_json_uint(j, "index", c->unmaps[i].idx);
		hpt_json_uint(j, "gfn", c->unmaps[i].gfn);
		record_or_null(j, "record",
			       hpt_oracle_rec_at(&c->o, c->unmaps[i].idx));
		hpt_json_bool(j, "old_table",
			      c->unmaps[i].table == c->old_virt);
		hpt_json_end(j);
	}
	hpt_json_end(j);
}

static void impl_rmaps(struct hctx *c, struct hpt_json *j)
{
	u32 i;
	u64 n;

	hpt_json_array(j, "rmaps");
	for (i = 0; i < c->vm.nr_memslots; i++) {
		const struct hpt_memslot *m = &c->vm.memslots[i];

		for (n = 0; m->rmap && n < m->npages; n++) {
			if (!m->rmap[n])
				continue;
			hpt_json_object(j, NULL);
			hpt_json_uint(j, "memslot", i);
			hpt_json_uint(j, "gfn", m->base_gfn + n);
			hpt_json_word(j, "word", m->rmap[n]);
			hpt_json_end(j);
		}
	}
	hpt_json_end(j);
}

static enum word_kind word_kind(const char *name)
{
	if (!strcmp(name, "v"))
		return WORD_V;
	if (!strcmp(name, "r"))
		return WORD_R;
	if (!strcmp(name, "guest_r"))
		return WORD_GUEST_R;
	return WORD_RMAP;
}

static void word(struct hctx *c, struct hpt_json *j,
		 const struct hpt_word_diff *x)
{
	const char *names[WORD_MAX_FIELDS];
	size_t i, n;

	hpt_json_object(j, x->name);
	hpt_json_word(j, "expected", x->expected);
	hpt_json_word(j, "actual", x->actual);
	hpt_json_word(j, "xor", x->expected ^ x->actual);
	n = word_field_names(word_kind(x->name), c->s->isa300,
			     x->expected ^ x->actual, names, WORD_MAX_FIELDS);
	hpt_json_array(j, "fields");
	for (i = 0; i < n; i++)
		hpt_json_string(j, NULL, names[i]);
	hpt_json_end(j);
	hpt_json_end(j);
}

static void divergences(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_report *rep = c->rep;
	u32 i, w;

	hpt_json_array(j, "divergences");
	for (i = 0; i < rep->nr_divergences; i++) {
		const struct hpt_divergence *d = &rep->div[i];

		hpt_json_object(j, NULL);
		hpt_json_string(j, "kind", d->kind);
		record_or_null(j, "record", d->rec);
		index_or_null(j, "old_index", d->old_idx);
		index_or_null(j, "expected_index", d->exp_idx);
		index_or_null(j, "actual_index", d->act_idx);
		if (!strcmp(d->kind, "unmap"))
			hpt_json_uint(j, "unmap", d->pos);
		if (!strcmp(d->kind, "rmap")) {
			hpt_json_uint(j, "memslot", d->memslot);
			hpt_json_uint(j, "gfn", d->pos);
		}
		hpt_json_string(j, "message", d->msg);
		if (d->nr_words) {
			hpt_json_object(j, "words");
			hpt_json_string(j, "table", d->table);
			hpt_json_uint(j, "index", d->word_idx);
			for (w = 0; w < d->nr_words; w++)
				word(c, j, &d->words[w]);
			hpt_json_end(j);
		} else {
			hpt_json_null(j, "words");
		}
		hpt_json_end(j);
	}
	hpt_json_end(j);
}

/*
 * What this run's tables were compared with, where that is not the
 * top-level oracle: with entries judged by rules, the oracle predicts
 * again from where the run stopped (hpt_oracle_stop_at())
 */
static void expected(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_oracle *o = &c->o;

	hpt_json_bool(j, "compared", c->compared);
	if (!c->compared || o->predictable) {
		hpt_json_null(j, "expected");
		return;
	}
	hpt_json_object(j, "expected");
	rc(j, o->rc);
	oracle_table(j, "old", &o->old);
	if (!o->rc)
		oracle_table(j, "new", &o->new);
	else
		hpt_json_null(j, "new");
	oracle_unmaps(j, o);
	hpt_json_end(j);
}

void json_run(struct hctx *c, struct hpt_json *j)
{
	const struct hpt_report *rep = c->rep;
	static const char *const verdicts[] = {
		[HPT_AGREE] = "agree",
		[HPT_DIVERGE] = "diverge",
		[HPT_ERROR] = "error",
	};
	bool ran = rep->verdict != HPT_ERROR;

	hpt_json_object(j, NULL);
	hpt_json_string(j, "impl", c->impl->name);
	hpt_json_string(j, "verdict", verdicts[rep->verdict]);
	hpt_json_string(j, "summary", rep->summary);
	hpt_json_uint(j, "old_order", rep->old_order);
	hpt_json_uint(j, "new_order", rep->new_order);
	if (ran) {
		outcome(c, j);
		hpt_json_object(j, "tables");
		impl_table(j, "old", c->s->old_order, c->old_words, c->old_rev);
		impl_table(j, "new", c->new_order, c->new_words, c->new_rev);
		hpt_json_end(j);
		impl_rmaps(c, j);
		expected(c, j);
	}
	divergences(c, j);
	hpt_json_end(j);
}
