// SPDX-License-Identifier: GPL-2.0-only
/*
 * The all-orders check (all_orders_check.h), on tables mapped lazily
 * (all_orders_map.h).
 */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "all_orders_check.h"
#include "all_orders_map.h"

struct ao_stats ao_last;

#define NO_IDX	HPT_ORACLE_NO_INDEX

u32 ao_max_mappable(u32 max)
{
	struct ao_touch w = { .nr_old = 1, .nr_new = 1 };
	struct ao_tables t;

	for (; max >= HPT_MIN_ORDER; max--) {
		if (!ao_map(&t, max, max, &w)) {
			ao_unmap(&t);
			return max;
		}
	}
	return 0;
}

/* Table words as memory holds them: big-endian, read byte by byte */
static u64 be64_at(const void *p)
{
	const u8 *b = p;
	u64 x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | b[i];
	return x;
}

static u64 word(const void *virt, u64 idx, int w)
{
	return be64_at((const u8 *)virt + 16 * idx + 8 * w);
}

struct ctx {
	const struct hpt_impl *impl;
	const struct hpt_scenario *s;
	char *msg;
	size_t len;
};

__attribute__((format(printf, 3, 4)))
static enum ao_verdict say(struct ctx *c, enum ao_verdict v,
			   const char *fmt, ...)
{
	int n;
	va_list ap;

	n = snprintf(c->msg, c->len, "all_orders: %s, %s, order %u -> %u: ",
		     v == AO_DIVERGE ? c->impl->name : "oracle",
		     c->s->isa300 ? "ISA 3.0" : "pre-3.0", c->s->old_order,
		     c->s->new_order);
	if (n < 0 || (size_t)n >= c->len)
		return v;
	va_start(ap, fmt);
	vsnprintf(c->msg + n, c->len - n, fmt, ap);
	va_end(ap);
	return v;
}

/* Where a divergence is, for record mode's report (ao_last) */
static void at(const char *what, u32 rec, u64 old_idx, u64 exp_idx,
	       u64 act_idx)
{
	ao_last.what = what;
	ao_last.rec = rec;
	ao_last.old_idx = old_idx;
	ao_last.exp_idx = exp_idx;
	ao_last.act_idx = act_idx;
}

static const char *const page_names[HPT_SCN_NR_PAGES] = {
	"4K/4K", "64K/64K", "16M/16M", "16G/16G", "4K/64K", "64K/16M",
	"4K/16M",
};

/* The record as the text form writes it, for messages */
static const char *va_text(const struct hpt_scn_va *va, char *buf,
			   size_t len)
{
	snprintf(buf, len,
		 "va seg=%s vsid=%#llx ea=%#llx page=%s %s bolted=%d %s",
		 va->seg ? "1T" : "256M", (unsigned long long)va->vsid,
		 (unsigned long long)va->ea, page_names[va->page],
		 va->valid ? "valid" : "absent", va->bolted,
		 va->secondary ? "secondary" : "primary");
	return buf;
}

/* What the new table must hold: entry words the oracle gives */
struct want {
	u64 idx, v, r, guest_r;
	u32 rec;
};

#define AO_MAX_WANT	64

/*
 * An entry's words in the new table do not depend on the others, so the
 * oracle predicts it alone (in the same slot, with the memslots): that
 * holds even where the whole resize fails, when the oracle gives no new
 * table, yet the entries before the failing one were placed.
 */
static int predict_alone(const struct hpt_scenario *s, u32 k, u64 old_idx,
			 const struct hpt_scn_placement *pl, struct want *w)
{
	static struct hpt_scenario one;
	static struct hpt_scn_placement pl1;
	struct hpt_scn_record rec = s->rec[k];
	struct hpt_oracle o;
	const struct hpt_oracle_hpte *e;
	u32 i;
	int ret;

	hpt_scn_init(&one);
	one.isa300 = s->isa300;
	one.old_order = s->old_order;
	one.new_order = s->new_order;
	for (i = 0; i < s->nr_records; i++) {
		if (s->rec[i].kind != HPT_SCN_MEMSLOT)
			continue;
		pl1.where[one.nr_records] = pl->where[i];
		hpt_scn_add(&one, &s->rec[i]);
	}
	rec.va.slot = old_idx % HPT_HPTES_PER_GROUP;
	pl1.where[one.nr_records] = old_idx;
	hpt_scn_add(&one, &rec);
	pl1.nr_placed = 1;
	pl1.nr_not_placed = 0;

	ret = hpt_oracle_predict(&o, &one, &pl1, 0);
	if (!ret && (o.rc || !o.predictable || o.new.n != 1))
		ret = -EINVAL;
	if (!ret) {
		e = &o.new.e[0];
		w->v = e->v;
		w->r = e->r;
		w->guest_r = e->guest_r;
		w->idx = e->idx;
	}
	hpt_oracle_free(&o);
	return ret;
}

static const struct want *wanted(const struct want *w, u32 n, u64 idx)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (w[i].idx == idx)
			return &w[i];
	return NULL;
}

/*
 * Every slot of group g of the new table: the wanted entry or zeros.
 * near names the record whose neighbourhood this is.
 */
static enum ao_verdict check_group(struct ctx *c, const struct ao_tables *t,
				   u64 g, const struct want *w, u32 nw,
				   u32 near)
{
	char text[256];
	u64 idx, v, r, gr;
	const struct want *x;

	for (idx = g * HPT_HPTES_PER_GROUP;
	     idx < (g + 1) * HPT_HPTES_PER_GROUP; idx++) {
		x = wanted(w, nw, idx);
		v = word(t->new_virt, idx, 0);
		r = word(t->new_virt, idx, 1);
		gr = t->new_rev[idx].guest_rpte;
		if (x && v == x->v && r == x->r && gr == x->guest_r)
			continue;
		if (!x && !v && !r && !gr)
			continue;
		if (x)
			at("new", x->rec, HPT_ORACLE_NO_INDEX, idx, NO_IDX);
		else
			at("new", near, HPT_ORACLE_NO_INDEX, NO_IDX, idx);
		if (x)
			return say(c, AO_DIVERGE,
				   "record %u: %s: new index %#llx holds v=%#018llx r=%#018llx guest_r=%#018llx, expected v=%#018llx r=%#018llx guest_r=%#018llx",
				   x->rec, va_text(&c->s->rec[x->rec].va, text,
						   sizeof(text)),
				   (unsigned long long)idx,
				   (unsigned long long)v,
				   (unsigned long long)r,
				   (unsigned long long)gr,
				   (unsigned long long)x->v,
				   (unsigned long long)x->r,
				   (unsigned long long)x->guest_r);
		return say(c, AO_DIVERGE,
			   "new index %#llx, near record %u (%s), holds v=%#018llx r=%#018llx guest_r=%#018llx where nothing belongs",
			   (unsigned long long)idx, near,
			   va_text(&c->s->rec[near].va, text, sizeof(text)),
			   (unsigned long long)v, (unsigned long long)r,
			   (unsigned long long)gr);
	}
	return AO_AGREE;
}

/*
 * A resize reaches empty slots too: the first empty one of the first
 * entry's group is rehashed before the entries, as a scan would, and
 * must return 0 and stay empty (the groups it could write to are
 * checked with the entries').
 */
static enum ao_verdict empty_slot_untouched(struct ctx *c,
					    const struct ao_tables *t,
					    struct hpt_vm *vm,
					    struct hpt_info *new, u64 near)
{
	struct hpt_impl_outcome out = { .fate = HPT_IMPL_RETURNED,
					.idx = HPT_ORACLE_NO_INDEX };
	u64 idx = near - near % HPT_HPTES_PER_GROUP;
	u64 end = idx + HPT_HPTES_PER_GROUP;
	int ret;

	while (idx < end && (word(t->old_virt, idx, 0) ||
			     word(t->old_virt, idx, 1)))
		idx++;
	if (idx == end)
		return AO_AGREE;	/* a full group: no empty slot here */
	ret = c->impl->rehash_entry(vm, new, idx, &out);
	if (out.fate == HPT_IMPL_RETURNED && !ret &&
	    !word(t->old_virt, idx, 0) && !word(t->old_virt, idx, 1))
		return AO_AGREE;
	at(out.fate == HPT_IMPL_RETURNED ? "rc" : out.fate == HPT_IMPL_HUNG ?
	   "hang" : "crash", HPT_ORACLE_NO_RECORD, idx, NO_IDX, NO_IDX);
	return say(c, AO_DIVERGE,
		   "empty old index %#llx: rc %s, the host %s%s, old words v=%#018llx r=%#018llx (expected 0, nothing done)",
		   (unsigned long long)idx, hpt_oracle_rc_name(ret),
		   out.fate == HPT_IMPL_RETURNED ? "returns" :
		   out.fate == HPT_IMPL_HUNG ? "hangs: " : "crashes: ",
		   out.fate == HPT_IMPL_RETURNED ? "" : out.what,
		   (unsigned long long)word(t->old_virt, idx, 0),
		   (unsigned long long)word(t->old_virt, idx, 1));
}

/* Placed VA records by old index: the order a resize rehashes them in */
static u32 sorted_entries(const struct hpt_scenario *s,
			  const struct hpt_scn_placement *pl, u32 *order)
{
	u32 k, i, n = 0;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA ||
		    pl->where[k] == HPT_SCN_NOT_PLACED)
			continue;
		for (i = n; i && pl->where[order[i - 1]] > pl->where[k]; i--)
			order[i] = order[i - 1];
		order[i] = k;
		n++;
	}
	return n;
}

static enum ao_verdict run(struct ctx *c, struct ao_tables *t,
			   struct hpt_vm *vm, struct hpt_oracle *o,
			   struct hpt_scn_placement *pl)
{
	const struct hpt_scenario *s = c->s;
	struct hpt_info new = { t->new_virt, t->new_rev, s->new_order };
	struct hpt_oracle_place place[AO_MAX_WANT];
	struct want w[AO_MAX_WANT];
	u32 order[AO_MAX_WANT];
	struct hpt_user *u = hpt_user(vm);
	char text[256];
	u32 n, nw = 0, i, k, b;
	enum ao_verdict v;
	int ret, want_rc;

	n = sorted_entries(s, pl, order);
	if (n > AO_MAX_WANT)
		return say(c, AO_ERROR, "%u entries, at most %u", n,
			   AO_MAX_WANT);

	/* The oracle's prediction against its own from the VA alone */
	for (i = 0; i < n; i++) {
		const struct hpt_scn_va *va = &s->rec[order[i]].va;
		u64 at = pl->where[order[i]];

		k = order[i];
		ret = hpt_oracle_va_place(va->seg, va->page, va->vsid, va->ea,
					  va->secondary,
					  at % HPT_HPTES_PER_GROUP,
					  s->old_order, s->new_order,
					  &place[i]);
		if (ret || place[i].old_idx != at ||
		    (va->slot < HPT_SCN_SLOT_FIRST &&
		     at % HPT_HPTES_PER_GROUP != va->slot) ||
		    place[i].new_idx != o->rec[k].new_idx)
			return say(c, AO_ERROR,
				   "record %u: %s: VA places it at %#llx -> %#llx (rc %d), generated at %#llx, predicted -> %#llx",
				   k, va_text(va, text, sizeof(text)),
				   (unsigned long long)place[i].old_idx,
				   (unsigned long long)place[i].new_idx, ret,
				   (unsigned long long)at,
				   (unsigned long long)o->rec[k].new_idx);
	}

	hpt_plat_stop_guest(vm);
	v = empty_slot_untouched(c, t, vm, &new, n ? pl->where[order[0]] : 0);
	if (v != AO_AGREE) {
		hpt_plat_resume_guest(vm);
		return v;
	}
	for (i = 0; i < n; i++) {
		struct hpt_impl_outcome out = { .fate = HPT_IMPL_RETURNED,
						.idx = HPT_ORACLE_NO_INDEX };
		u8 fate;

		k = order[i];
		fate = o->rec[k].fate;
		if (fate == HPT_FATE_UNTOUCHED)
			break;
		want_rc = fate == HPT_FATE_COLLIDED ? -ENOSPC : 0;
		ret = c->impl->rehash_entry(vm, &new, pl->where[k], &out);
		ao_last.rehashed++;
		if (out.fate != HPT_IMPL_RETURNED) {
			hpt_plat_resume_guest(vm);
			at(out.fate == HPT_IMPL_HUNG ? "hang" : "crash", k,
			   pl->where[k], place[i].new_idx, NO_IDX);
			return say(c, AO_DIVERGE,
				   "record %u: %s: old index %#llx: the host %s: %s",
				   k, va_text(&s->rec[k].va, text, sizeof(text)),
				   (unsigned long long)pl->where[k],
				   out.fate == HPT_IMPL_HUNG ? "hangs" :
				   "crashes", out.what);
		}
		if (ret != want_rc) {
			hpt_plat_resume_guest(vm);
			at("rc", k, pl->where[k], place[i].new_idx, NO_IDX);
			return say(c, AO_DIVERGE,
				   "record %u: %s: old index %#llx -> new index %#llx: rc %s, expected %s",
				   k, va_text(&s->rec[k].va, text, sizeof(text)),
				   (unsigned long long)pl->where[k],
				   (unsigned long long)place[i].new_idx,
				   hpt_oracle_rc_name(ret),
				   hpt_oracle_rc_name(want_rc));
		}
		if (fate != HPT_FATE_MOVED)
			continue;
		if (predict_alone(s, k, pl->where[k], pl, &w[nw]) ||
		    w[nw].idx != place[i].new_idx) {
			hpt_plat_resume_guest(vm);
			return say(c, AO_ERROR,
				   "record %u: %s: alone the oracle puts it at %#llx, not %#llx",
				   k, va_text(&s->rec[k].va, text, sizeof(text)),
				   (unsigned long long)w[nw].idx,
				   (unsigned long long)place[i].new_idx);
		}
		w[nw++].rec = k;
		ao_last.moved++;
	}
	hpt_plat_resume_guest(vm);

	if (u->violations || u->hpte_locks_held || u->rmap_locks_held) {
		at("platform", HPT_ORACLE_NO_RECORD, NO_IDX, NO_IDX, NO_IDX);
		return say(c, AO_DIVERGE,
			   "platform: %lu violations (first: %s), %d HPTE and %d rmap locks held",
			   u->violations, u->first_violation,
			   u->hpte_locks_held, u->rmap_locks_held);
	}

	/*
	 * The new table around each entry: its own group, and every group
	 * one flipped hash bit away (a hash term lost or misplaced lands
	 * there), each holding what the oracle says and nothing else.
	 */
	for (i = 0; i < n; i++) {
		u64 g = place[i].new_idx / HPT_HPTES_PER_GROUP;

		v = check_group(c, t, g, w, nw, order[i]);
		for (b = 0; v == AO_AGREE && b + 7 < s->new_order; b++)
			v = check_group(c, t, g ^ (1ULL << b), w, nw,
					order[i]);
		if (v != AO_AGREE)
			return v;
	}

	/* The old entries, unmapped or untouched, and their revmap */
	for (i = 0; i < o->old.n; i++) {
		const struct hpt_oracle_hpte *e = &o->old.e[i];
		u64 ov = word(t->old_virt, e->idx, 0);
		u64 orr = word(t->old_virt, e->idx, 1);
		u64 ogr = t->old_rev[e->idx].guest_rpte;

		if (ov == e->v && orr == e->r && ogr == e->guest_r)
			continue;
		at("old", e->rec, e->idx, e->idx, e->idx);
		return say(c, AO_DIVERGE,
			   "record %u: %s: old index %#llx holds v=%#018llx r=%#018llx guest_r=%#018llx, expected v=%#018llx r=%#018llx guest_r=%#018llx",
			   e->rec, e->rec < s->nr_records ?
			   va_text(&s->rec[e->rec].va, text, sizeof(text)) :
			   "raw", (unsigned long long)e->idx,
			   (unsigned long long)ov, (unsigned long long)orr,
			   (unsigned long long)ogr, (unsigned long long)e->v,
			   (unsigned long long)e->r,
			   (unsigned long long)e->guest_r);
	}

	/* The rings the unmaps took entries out of */
	for (i = 0; i < o->nr_rmaps; i++) {
		const struct hpt_oracle_rmap *m = &o->rmaps[i];
		const struct hpt_memslot *ms = &vm->memslots[m->slot];
		u64 got = ms->rmap[m->gfn - ms->base_gfn];

		if (got != m->after) {
			at("rmap", m->head_before, NO_IDX, NO_IDX, NO_IDX);
			return say(c, AO_DIVERGE,
				   "rmap word of memslot %u gfn %#llx is %#llx, expected %#llx",
				   m->slot, (unsigned long long)m->gfn,
				   (unsigned long long)got,
				   (unsigned long long)m->after);
		}
	}
	return AO_AGREE;
}

/*
 * The groups the check touches: each entry's old group, its new group
 * and every group one flipped hash bit away (run() reads them all).  An
 * entry with no hash touches nothing; the check reports it.
 */
static int touched(const struct hpt_scenario *s, struct ao_touch *w)
{
	struct hpt_oracle_place p;
	u32 k, b;
	u64 g;
	int ret = 0;

	memset(w, 0, sizeof(*w));
	for (k = 0; k < s->nr_records && !ret; k++) {
		const struct hpt_scn_va *va = &s->rec[k].va;

		if (s->rec[k].kind != HPT_SCN_VA ||
		    hpt_oracle_va_place(va->seg, va->page, va->vsid, va->ea,
					va->secondary, 0, s->old_order,
					s->new_order, &p))
			continue;
		g = p.new_idx / HPT_HPTES_PER_GROUP;
		ret = ao_touch_old(w, p.old_idx / HPT_HPTES_PER_GROUP);
		if (!ret)
			ret = ao_touch_new(w, g);
		for (b = 0; !ret && b + 7 < s->new_order; b++)
			ret = ao_touch_new(w, g ^ (1ULL << b));
	}
	/* With no entry, the empty slot rehashed is in old group 0 */
	if (!ret && !w->nr_old)
		ret = ao_touch_old(w, 0);
	return ret;
}

enum ao_verdict ao_check(const struct hpt_impl *impl,
			 const struct hpt_scenario *s, char *msg, size_t len)
{
	static struct hpt_scn_placement pl;
	static struct ao_touch w;
	struct ctx c = { impl, s, msg, len };
	struct ao_tables t;
	struct hpt_info old;
	struct hpt_user_config cfg = { .isa300 = s->isa300, .no_log = true,
				       .table = &old };
	struct hpt_oracle o;
	struct hpt_vm vm;
	enum ao_verdict v;
	u32 k;
	int ret;

	memset(&ao_last, 0, sizeof(ao_last));
	at("-", HPT_ORACLE_NO_RECORD, NO_IDX, NO_IDX, NO_IDX);
	if (msg && len)
		msg[0] = 0;
	if (!impl->rehash_entry)
		return say(&c, AO_ERROR, "%s has no rehash_entry", impl->name);
	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_RAW)
			return say(&c, AO_ERROR, "raw entries have no VA");
	if (touched(s, &w))
		return say(&c, AO_ERROR, "more than %u groups to check",
			   AO_MAX_GROUPS);
	if (ao_map(&t, s->old_order, s->new_order, &w))
		return say(&c, AO_ERROR,
			   "cannot map tables of orders %u and %u here",
			   s->old_order, s->new_order);
	old = (struct hpt_info){ t.old_virt, t.old_rev, s->old_order };

	ret = hpt_user_vm_init(&vm, &cfg);
	if (!ret)
		ret = hpt_scn_generate(s, &vm, &pl);
	if (ret) {
		v = say(&c, AO_ERROR, "guest: %s", hpt_oracle_rc_name(ret));
		goto out_vm;
	}
	ret = hpt_oracle_predict(&o, s, &pl, 0);
	if (ret || !o.predictable)
		v = say(&c, AO_ERROR, "no prediction: %s",
			ret ? o.error : "unpredictable");
	else
		v = run(&c, &t, &vm, &o, &pl);
	hpt_oracle_free(&o);
out_vm:
	if (vm.plat.user)
		hpt_user_vm_destroy(&vm);
	hpt_scn_free_memslots(&vm);
	ao_unmap(&t);
	return v;
}
