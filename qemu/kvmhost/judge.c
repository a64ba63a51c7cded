// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-kvm judge: one verdict per scenario from the console of the
 * emulated host, then a summary with counts and wall times.
 *
 *   PASS        the real module agrees with the oracle on all it shows
 *   DIVERGE     it differs; the harness's report names the first
 *               difference, with the implementation named as given
 *   HOST-CRASH  the console showed an oops, a kernel BUG, a WARNING, a
 *               soft lockup or a panic during the scenario: its first
 *               line, the NIP and the call trace are quoted
 *   HOST-HANG   the scenario went past its time bound, nothing said why
 *   ERROR       the VMM could not set the scenario up, or its report
 *               makes no sense
 *   NOT-RUN     the runner gave up before the scenario
 *
 * What a VMM cannot see is taken from the oracle's prediction (so it is
 * not compared): the hardware R word (a host real address), VALID versus
 * ABSENT (the HTAB fd shows both as VALID), the revmap links, the unmaps,
 * the rmap words, the old table once freed, and on a POWER9 host the old
 * V bits 52..61, which its ISA 3.0 table does not hold.  Everything else,
 * the return code, the table the guest has and every entry's place, V
 * and guest R in it, goes through hpt_harness_judge() like every other
 * implementation's.  Entries the kernel refused are left out of the
 * scenario judged (every other VA entry then at its exact slot).
 *
 * Expectations: lines NAME VERDICT [IMPL]; exit 0 when every verdict is
 * the expected one (PASS unless listed), 1 otherwise, 2 for bad inputs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvmhost.h"

#define LINE_BYTES	4096
#define REPORT_BYTES	(256 * 1024)
#define TRACE_LINES	16
#define MAX_READ	(1u << 16)

enum verdict { V_PASS, V_DIVERGE, V_CRASH, V_HANG, V_ERROR, V_NOT_RUN,
	       V_NR };

static const char *const verdict_names[V_NR] = {
	"PASS", "DIVERGE", "HOST-CRASH", "HOST-HANG", "ERROR", "NOT-RUN",
};

struct read_entry {
	u64 idx, v, r;
};

/* An entry as stored, from debugfs: V (HVLOCK stripped), hardware R, guest R */
struct raw_entry {
	u64 idx, v, hr, gr;
};

struct raw_table {
	bool seen;		/* its end line came */
	struct raw_entry *e;
	u32 n, cap;
};

/* What the console said about one scenario */
struct result {
	bool begun, exited, lost, timeout, done;
	int exit_rc;
	long long t_begin, t_end;
	char error[128];
	long refused, entered;
	u64 refused_idx[64];
	long refused_rc[64];
	u32 nr_refused_idx;
	bool prepared, committed, resized, read_seen;
	long prepare_rc, commit_rc, rc;
	u64 npte;
	struct read_entry *e;
	u32 nr_e, cap_e;
	/* The table as stored before the resize and after it */
	struct raw_table pre, raw;
	long prepare_us, commit_us;
	/* the first crash line, its NIP and call trace */
	char *crash[TRACE_LINES + 2];
	u32 nr_crash;
	bool in_trace;
};

struct boot {
	long long t_start, t_ready;
	bool ready;
};

struct judge {
	const char *dir, *impl;
	bool quiet;
	u32 n;
	char **path;
	enum verdict *expect;
	struct result *r;
	struct boot boot[256];
	u32 nr_boot;
	bool stopped;
	char stop_reason[160];
	long long t_first, t_last;
	u32 count[V_NR], unexpected;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* " key=" value as a number (C syntax); false if missing */
static bool num(const char *line, const char *key, long long *x)
{
	char pat[32];
	const char *s;
	char *end;

	snprintf(pat, sizeof(pat), " %s=", key);
	s = strstr(line, pat);
	if (!s)
		return false;
	s += strlen(pat);
	errno = 0;
	if (*s == '-')
		*x = strtoll(s, &end, 0);
	else
		*x = (long long)strtoull(s, &end, 0);
	return !errno && end != s && (*end == ' ' || *end == '\0');
}

static const char *const crash_marks[] = {
	"Oops", "kernel BUG", "WARNING:", "soft lockup", "BUG: ",
	"Unable to handle kernel", "Kernel panic", "self-detected stall",
	"hard LOCKUP",
};

static bool is_crash_line(const char *l)
{
	u32 i;

	for (i = 0; i < sizeof(crash_marks) / sizeof(crash_marks[0]); i++)
		if (strstr(l, crash_marks[i]))
			return true;
	return false;
}

static void note_crash(struct result *r, const char *l)
{
	if (r->nr_crash == 0) {
		if (!is_crash_line(l))
			return;
		r->crash[r->nr_crash++] = strdup(l);
		return;
	}
	if (r->nr_crash >= TRACE_LINES + 2)
		return;
	/* The NIP line, then the call trace up to its end */
	if (strstr(l, "NIP [") || strstr(l, "NIP:  ") ||
	    strstr(l, "Call Trace:")) {
		r->crash[r->nr_crash++] = strdup(l);
		r->in_trace = strstr(l, "Call Trace:") != NULL;
	} else if (r->in_trace) {
		if (strstr(l, "] [") || strstr(l, "--- interrupt"))
			r->crash[r->nr_crash++] = strdup(l);
		else
			r->in_trace = false;
	}
}

/* "pre idx=.. v=.. hr=.. gr=..", then "pre-end" (the same for "raw") */
static void raw_line(struct raw_table *t, const char *l)
{
	long long idx, v, hr, gr;

	if (!strcmp(l, "-end")) {
		t->seen = true;
		return;
	}
	if (l[0] != ' ' || !num(l, "idx", &idx) || !num(l, "v", &v) ||
	    !num(l, "hr", &hr) || !num(l, "gr", &gr) || t->n >= MAX_READ)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->e = realloc(t->e, t->cap * sizeof(*t->e));
		if (!t->e)
			exit(2);
	}
	t->e[t->n++] = (struct raw_entry){ idx, v, hr, gr };
}

static const struct raw_entry *raw_at(const struct raw_table *t, u64 idx)
{
	u32 i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].idx == idx)
			return &t->e[i];
	return NULL;
}

static void kvmh_line(struct judge *j, struct result **cur, const char *l,
		      long long ms)
{
	struct result *r = *cur;
	long long x, y, z;

	if (strncmp(l, "ready", 5) == 0) {
		if (j->nr_boot) {
			j->boot[j->nr_boot - 1].t_ready = ms;
			j->boot[j->nr_boot - 1].ready = true;
		}
		return;
	}
	if (strncmp(l, "begin ", 6) == 0 && num(l - 1, "index", &x)) {
		if (x < 0 || x >= j->n)
			return;
		*cur = r = &j->r[x];
		r->begun = true;
		r->t_begin = ms;
		return;
	}
	if (!r)
		return;
	if (strncmp(l, "exit ", 5) == 0 && num(l - 1, "rc", &x)) {
		r->exited = true;
		r->exit_rc = x;
		r->t_end = ms;
		return;
	}
	if (strncmp(l, "error ", 6) == 0 && !r->error[0]) {
		snprintf(r->error, sizeof(r->error), "%s", l + 6);
	} else if (strncmp(l, "refused ", 8) == 0 && num(l - 1, "idx", &x) &&
		   num(l - 1, "rc", &y)) {
		if (r->nr_refused_idx < 64) {
			r->refused_idx[r->nr_refused_idx] = x;
			r->refused_rc[r->nr_refused_idx++] = y;
		}
	} else if (strncmp(l, "entered ", 8) == 0 && num(l - 1, "n", &x) &&
		   num(l - 1, "refused", &y)) {
		r->entered = x;
		r->refused = y;
	} else if (strncmp(l, "prepare ", 8) == 0 && num(l - 1, "rc", &x) &&
		   num(l - 1, "us", &y)) {
		r->prepared = true;
		r->prepare_rc = x;
		r->prepare_us = y;
	} else if (strncmp(l, "commit ", 7) == 0 && num(l - 1, "rc", &x) &&
		   num(l - 1, "us", &y)) {
		r->committed = true;
		r->commit_rc = x;
		r->commit_us = y;
	} else if (strncmp(l, "resize ", 7) == 0 && num(l - 1, "rc", &x)) {
		r->resized = true;
		r->rc = x;
	} else if (strncmp(l, "e ", 2) == 0 && num(l - 1, "idx", &x) &&
		   num(l - 1, "v", &y) && num(l - 1, "r", &z)) {
		if (r->nr_e >= MAX_READ)
			return;
		if (r->nr_e == r->cap_e) {
			r->cap_e = r->cap_e ? 2 * r->cap_e : 64;
			r->e = realloc(r->e, r->cap_e * sizeof(*r->e));
			if (!r->e)
				exit(2);
		}
		r->e[r->nr_e++] = (struct read_entry){ x, y, z };
	} else if (strncmp(l, "pre", 3) == 0 || strncmp(l, "raw", 3) == 0) {
		raw_line(l[0] == 'p' ? &r->pre : &r->raw, l + 3);
	} else if (strncmp(l, "table ", 6) == 0 && num(l - 1, "npte", &x)) {
		r->read_seen = true;
		r->npte = x;
	} else if (strncmp(l, "done ", 5) == 0) {
		r->done = true;
	}
}

static void runner_line(struct judge *j, struct result **cur, const char *l,
			long long ms)
{
	long long x, t;

	if (strncmp(l, "boot ", 5) == 0 && j->nr_boot < 256) {
		j->boot[j->nr_boot].t_start = ms;
		j->boot[j->nr_boot++].ready = false;
		*cur = NULL;
	} else if (strncmp(l, "lost ", 5) == 0 && num(l - 1, "index", &x) &&
		   x >= 0 && x < j->n) {
		j->r[x].lost = true;
		j->r[x].timeout = num(l - 1, "timeout", &t) && t;
		if (!j->r[x].t_end)
			j->r[x].t_end = ms;
	} else if (strncmp(l, "stop ", 5) == 0) {
		j->stopped = true;
		snprintf(j->stop_reason, sizeof(j->stop_reason), "%s", l + 5);
	}
}

static int read_results(struct judge *j, const char *path)
{
	char *line = malloc(LINE_BYTES), *l, *end;
	struct result *cur = NULL;
	FILE *f = fopen(path, "r");
	long long ms;

	if (!f || !line) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", path, strerror(errno));
		free(line);
		return -1;
	}
	while (fgets(line, LINE_BYTES, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '@')
			continue;
		ms = strtoll(line + 1, &end, 10);
		if (*end != ' ')
			continue;
		l = end + 1;
		if (!j->t_first)
			j->t_first = ms;
		j->t_last = ms;
		/* The console may put a kernel message before ours */
		end = strstr(l, "KVMH ");
		if (strncmp(l, "KVMH-RUNNER ", 12) == 0) {
			runner_line(j, &cur, l + 12, ms);
		} else if (end && (end == l || end[-1] == ' ')) {
			kvmh_line(j, &cur, end + 5, ms);
		} else if (cur) {
			note_crash(cur, l);
		}
	}
	fclose(f);
	free(line);
	return 0;
}

/*
 * The scenario the module ran: what went in, each VA entry at the exact
 * slot generation gave it.  With the table as stored before the resize,
 * an entry not in it was refused, and each one's VALID or ABSENT is the
 * kernel's (it makes an entry ABSENT where no faulted-in page backs it,
 * VALID where one does); else the refused ones are those the VMM named.
 * Returns how many entries went in otherwise than the scenario says.
 */
static u32 as_entered(const struct hpt_scenario *s, const struct kh_model *m,
		      const struct result *r, struct hpt_scenario *out)
{
	const u64 state = HPT_V_VALID | HPT_V_ABSENT;
	const struct raw_entry *pre;
	u32 k, i, changed = 0;
	u64 where;
	bool gone, valid;

	*out = *s;
	out->nr_records = 0;
	out->nr_entries = 0;
	out->nr_memslots = 0;
	for (k = 0; k < s->nr_records; k++) {
		struct hpt_scn_record rec = s->rec[k];

		where = m->pl.where[k];
		pre = NULL;
		gone = false;
		if (rec.kind != HPT_SCN_MEMSLOT) {
			gone = where == HPT_SCN_NOT_PLACED;
			if (!gone && r->pre.seen) {
				pre = raw_at(&r->pre, where);
				gone = !pre;
			}
			for (i = 0; i < r->nr_refused_idx && !gone; i++)
				gone = r->refused_idx[i] == where;
		}
		if (gone) {
			changed += where != HPT_SCN_NOT_PLACED;
			continue;
		}
		valid = pre && (pre->v & HPT_V_VALID);
		if (rec.kind == HPT_SCN_VA) {
			rec.va.slot = where % HPT_HPTES_PER_GROUP;
			if (pre && rec.va.valid != valid) {
				rec.va.valid = valid;
				changed++;
			}
		} else if (rec.kind == HPT_SCN_RAW && pre &&
			   (rec.raw.v & state) != (pre->v & state)) {
			rec.raw.v = (rec.raw.v & ~state) | (pre->v & state);
			changed++;
		}
		hpt_scn_add(out, &rec);
	}
	return changed;
}

struct obs_mem {
	struct hpt_observed_hpte *old, *new;
	struct hpt_observed_unmap *unmaps;
	struct hpt_observed_rmap *rmaps;
};

static void obs_free(struct obs_mem *om)
{
	free(om->old);
	free(om->new);
	free(om->unmaps);
	free(om->rmaps);
	memset(om, 0, sizeof(*om));
}

static int by_idx(const void *a, const void *b)
{
	const struct hpt_observed_hpte *x = a, *y = b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The table the guest has as stored (debugfs): V exactly, VALID apart
 * from ABSENT, the guest R; the hardware R (a host address) is the
 * oracle's wherever the rest agrees.  A V word with bits above the 52 of
 * the ISA 3.0 layout, which a POWER9 table holds, is named in *bad.
 */
static u32 observe_raw(const struct hpt_scenario *s, const struct raw_table *rt,
		       const struct hpt_oracle_table *t, bool switched,
		       struct hpt_observed_hpte *out, char *bad, size_t badlen)
{
	const u64 state = HPT_V_VALID | HPT_V_ABSENT;
	u64 seen = ~HPT_V_HVLOCK;
	const struct hpt_oracle_hpte *e;
	const struct raw_entry *w;
	u32 i, n = 0, k;
	u64 lv;

	if (!s->isa300)
		seen &= ~(0x3ffULL << 52);	/* not in a 3.0 table */
	for (i = 0; i < rt->n; i++) {
		w = &rt->e[i];
		if ((w->v & ~HPT_V_COMMON_BITS) && !bad[0])
			snprintf(bad, badlen, "%s entry 0x%llx holds V 0x%016llx, with bits above the ISA 3.0 layout's 52 (R 0x%016llx)",
				 switched ? "new" : "old",
				 (unsigned long long)w->idx,
				 (unsigned long long)w->v,
				 (unsigned long long)w->hr);
		lv = s->isa300 ? w->v : hpt_hpte_new_to_old_v(w->v, w->hr);
		e = t ? hpt_oracle_at(t, w->idx) : NULL;
		out[n] = (struct hpt_observed_hpte){ .idx = w->idx, .v = lv,
						     .guest_r = w->gr };
		if (e && (e->v & seen) == (lv & seen) && e->guest_r == w->gr)
			out[n].v = e->v;
		out[n].r = e ? e->r : s->isa300 ? w->hr :
			   hpt_hpte_new_to_old_r(w->hr);
		n++;
	}
	for (k = 0; t && k < t->n; k++) {
		if ((t->e[k].v & state) || raw_at(rt, t->e[k].idx))
			continue;
		out[n++] = (struct hpt_observed_hpte){
			t->e[k].idx, t->e[k].v, t->e[k].r, t->e[k].guest_r,
			0, 0 };
	}
	qsort(out, n, sizeof(*out), by_idx);
	return n;
}

/* The table the guest has, as read, with the unseen taken from t */
static u32 observe_table(const struct hpt_scenario *s, const struct result *r,
			 const struct hpt_oracle_table *t, bool switched,
			 struct hpt_observed_hpte *out)
{
	/* V bits the read shows, in the scenario's layout */
	u64 seen = ~(HPT_V_VALID | HPT_V_ABSENT | HPT_V_HVLOCK);
	const u64 state = HPT_V_VALID | HPT_V_ABSENT;
	const struct hpt_oracle_hpte *e;
	u32 i, n = 0, k;
	u64 v, lv, gr;

	if (!s->isa300)
		seen &= ~(0x3ffULL << 52);
	for (i = 0; i < r->nr_e; i++) {
		v = r->e[i].v & ~HPT_V_HVLOCK;
		gr = r->e[i].r;
		lv = s->isa300 ? hpt_hpte_old_to_new_v(v) : v;
		e = t ? hpt_oracle_at(t, r->e[i].idx) : NULL;
		out[n].idx = r->e[i].idx;
		out[n].forw = 0;
		out[n].back = 0;
		if (e && (e->v & seen) == (lv & seen) && e->guest_r == gr) {
			out[n].v = e->v;
			out[n].r = e->r;
			out[n].guest_r = e->guest_r;
		} else if (e) {
			out[n].v = (lv & ~state) | (e->v & state);
			out[n].r = e->r;
			out[n].guest_r = gr;
		} else {
			/* A rehashed entry is ABSENT until the guest refaults */
			out[n].v = (lv & ~state) |
				   (switched ? HPT_V_ABSENT : HPT_V_VALID);
			out[n].r = s->isa300 ? hpt_hpte_old_to_new_r(v, gr) :
				   gr;
			out[n].guest_r = gr;
		}
		n++;
	}
	/* Words of unused entries: the HTAB fd does not show them */
	for (k = 0; t && k < t->n; k++) {
		if (t->e[k].v & state)
			continue;
		for (i = 0; i < r->nr_e && r->e[i].idx != t->e[k].idx; i++)
			;
		if (i < r->nr_e)
			continue;
		out[n++] = (struct hpt_observed_hpte){
			t->e[k].idx, t->e[k].v, t->e[k].r, t->e[k].guest_r,
			0, 0 };
	}
	qsort(out, n, sizeof(*out), by_idx);
	return n;
}

static u32 copy_table(const struct hpt_oracle_table *t, bool unmap_valid,
		      struct hpt_observed_hpte *out)
{
	u32 i;
	u64 v;

	for (i = 0; i < t->n; i++) {
		v = t->e[i].v;
		if (unmap_valid && (v & HPT_V_VALID))
			v = (v & ~HPT_V_VALID) | HPT_V_ABSENT;
		out[i] = (struct hpt_observed_hpte){
			t->e[i].idx, v, t->e[i].r, t->e[i].guest_r, 0, 0 };
	}
	return i;
}

/* Builds the observation; NULL, or why it cannot be built */
static const char *observe(const struct hpt_scenario *s,
			   const struct kh_model *m, const struct result *r,
			   struct hpt_observed *obs, struct obs_mem *om)
{
	const struct hpt_oracle *o = &m->o;
	u64 npte_old = hpt_order_npte(s->old_order);
	u64 npte_new = hpt_order_npte(s->new_order);
	const struct hpt_oracle_table *cur;
	u32 i, n, cap;
	bool switched;

	memset(obs, 0, sizeof(*obs));
	obs->rc = r->rc;
	if (s->old_order == s->new_order)
		switched = r->rc == 0;
	else
		switched = r->npte == npte_new;
	if (r->npte != (switched ? npte_new : npte_old))
		return "the table read back has a size of neither order";
	for (i = 0; i < r->nr_e; i++)
		if (r->e[i].idx >= r->npte)
			return "an entry read back lies outside the table";
	cur = !o->predictable ? NULL : switched ? &o->new : &o->old;
	cap = r->nr_e + r->raw.n + (cur ? cur->n : 0) + 1;
	if (switched) {
		om->new = calloc(cap, sizeof(*om->new));
		om->old = calloc(o->before.n + o->old.n + 1, sizeof(*om->old));
		if (!om->new || !om->old)
			return "out of memory";
		obs->switched = true;
		obs->new_order = s->new_order;
		obs->nr_new = r->raw.seen ?
			observe_raw(s, &r->raw, cur, true, om->new,
				    obs->violation, sizeof(obs->violation)) :
			observe_table(s, r, cur, true, om->new);
		/* The old table is gone: as predicted, or as invariants ask */
		obs->nr_old = o->predictable ? copy_table(&o->old, false, om->old) :
			      copy_table(&o->before, true, om->old);
	} else {
		om->old = calloc(cap, sizeof(*om->old));
		if (!om->old)
			return "out of memory";
		obs->nr_old = r->raw.seen ?
			observe_raw(s, &r->raw, cur, false, om->old,
				    obs->violation, sizeof(obs->violation)) :
			observe_table(s, r, cur, false, om->old);
	}
	obs->old = om->old;
	obs->new = om->new;

	/* Unmaps and rmap words: inside the kernel, unseen */
	n = o->predictable ? o->nr_unmaps : o->before.n;
	om->unmaps = calloc(n + 1, sizeof(*om->unmaps));
	om->rmaps = calloc(o->nr_rmaps + 1, sizeof(*om->rmaps));
	if (!om->unmaps || !om->rmaps)
		return "out of memory";
	if (o->predictable) {
		for (i = 0; i < o->nr_unmaps; i++)
			om->unmaps[i] = (struct hpt_observed_unmap){
				o->unmaps[i].idx, o->unmaps[i].gfn, true };
		obs->nr_unmaps = o->nr_unmaps;
		for (i = 0; i < o->nr_rmaps; i++)
			om->rmaps[i] = (struct hpt_observed_rmap){
				o->rmaps[i].slot, o->rmaps[i].gfn,
				o->rmaps[i].after };
		obs->nr_rmaps = o->nr_rmaps;
	} else if (r->rc == 0) {
		for (i = 0; i < o->before.n; i++)
			if (o->before.e[i].v & HPT_V_VALID)
				om->unmaps[obs->nr_unmaps++] =
					(struct hpt_observed_unmap){
					o->before.e[i].idx, 0, true };
	}
	obs->unmaps = om->unmaps;
	obs->rmaps = om->rmaps;
	return NULL;
}

static void print_indented(const char *text)
{
	const char *p = text, *eol;

	while (p && *p) {
		eol = strchr(p, '\n');
		printf("       %.*s\n", eol ? (int)(eol - p) : (int)strlen(p),
		       p);
		p = eol ? eol + 1 : NULL;
	}
}

static enum verdict judge_one(struct judge *j, u32 k, char *line, size_t len,
			      char *report, struct hpt_scenario *s,
			      struct hpt_scenario *entered)
{
	struct hpt_report rep = { .buf = report, .cap = REPORT_BYTES };
	struct hpt_harness_options opt = { 0 };
	struct result *r = &j->r[k];
	struct kh_model *m;
	struct hpt_observed obs;
	struct obs_mem om = { 0 };
	const struct hpt_scenario *judged = s;
	enum hpt_verdict hv;
	const char *why = "";
	char path[4096], err[256];
	enum verdict v = V_ERROR;
	u32 changed = 0;
	size_t n = 0;

	report[0] = '\0';
	if (r->nr_crash) {
		const char *nip = NULL;
		u32 i;

		/* The function the first NIP names, as "NIP [addr] func" */
		for (i = 1; i < r->nr_crash && !nip; i++) {
			nip = strstr(r->crash[i], "NIP [");
			if (nip)
				nip = strstr(nip, "] ");
		}
		snprintf(line, len, "NIP %s; the host's console: %s",
			 nip ? nip + 2 : "not shown", r->crash[0]);
		return V_CRASH;
	}
	if (r->lost) {
		snprintf(line, len, r->timeout ? "past the time bound, the console silent on why" :
			 "QEMU ended during the scenario");
		return r->timeout ? V_HANG : V_ERROR;
	}
	if (!r->begun) {
		snprintf(line, len, "%s", j->stopped ? j->stop_reason :
			 "the host never reached it");
		return V_NOT_RUN;
	}
	if (r->error[0] || !r->resized || !r->read_seen) {
		snprintf(line, len, "the VMM: %s", r->error[0] ? r->error :
			 "no complete report");
		return V_ERROR;
	}
	snprintf(path, sizeof(path), "%s/scenarios/%u.core", j->dir, k);
	if (hpt_load_scenario(path, false, s, err, sizeof(err))) {
		/* A one-line verdict: long paths and messages are cut */
		snprintf(line, len, "%.400s: %.500s", path, err);
		return V_ERROR;
	}
	m = malloc(sizeof(*m));
	if (!m || kh_model_build(m, s, &why)) {
		snprintf(line, len, "model: %s", m ? why : "out of memory");
		goto out;
	}
	if (r->refused || r->pre.seen)
		changed = as_entered(s, m, r, entered);
	if (changed) {
		judged = entered;
		kh_model_free(m);
		if (kh_model_build(m, judged, &why)) {
			snprintf(line, len, "model of what went in: %s", why);
			goto out;
		}
	}
	why = observe(judged, m, r, &obs, &om);
	if (why) {
		snprintf(line, len, "%s", why);
		goto out;
	}
	hv = hpt_harness_judge(j->impl, judged, &obs, &opt, &rep);
	n = snprintf(line, len, "%s", rep.summary);
	if (r->refused && n < len)
		n += snprintf(line + n, len - n, "; %ld entries refused (first at 0x%llx, rc %ld)",
			      r->refused,
			      (unsigned long long)r->refused_idx[0],
			      r->refused_rc[0]);
	if (changed && n < len)
		n += snprintf(line + n, len - n, "; judged as entered (%u entries %s)",
			      changed, r->pre.seen ?
			      "refused or VALID/ABSENT as the kernel made them" :
			      "refused");
	v = hv == HPT_AGREE ? V_PASS : hv == HPT_DIVERGE ? V_DIVERGE : V_ERROR;
out:
	obs_free(&om);
	if (m)
		kh_model_free(m);
	free(m);
	return v;
}

static bool read_manifest(struct judge *j)
{
	char path[4096], line[4352], val[4096];
	u32 k, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest", j->dir);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    strncmp(line, KH_MANIFEST_MAGIC, strlen(KH_MANIFEST_MAGIC))) {
		fprintf(stderr, "hptfuzz-kvm: %s: not a manifest\n", path);
		if (f)
			fclose(f);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "scenario %u %4095[^\n]", &k, val) != 2 ||
		    k != j->n)
			continue;
		if (j->n == cap) {
			cap = cap ? 2 * cap : 64;
			j->path = realloc(j->path, cap * sizeof(*j->path));
			if (!j->path)
				exit(2);
		}
		j->path[j->n++] = strdup(val);
	}
	fclose(f);
	return true;
}

static bool read_expect(struct judge *j, const char *path)
{
	char line[4352], name[4096], verdict[32], impl[64];
	FILE *f = fopen(path, "r");
	int got, v;
	u32 k;

	if (!f) {
		fprintf(stderr, "hptfuzz-kvm: %s: %s\n", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "#\n")] = '\0';
		got = sscanf(line, "%4095s %31s %63s", name, verdict, impl);
		if (got <= 0)
			continue;
		for (v = 0; v < V_NR && strcmp(verdict, verdict_names[v]); v++)
			;
		if (got < 2 || v == V_NR) {
			fprintf(stderr, "hptfuzz-kvm: %s: want NAME VERDICT [IMPL]: %s\n",
				path, line);
			fclose(f);
			return false;
		}
		if (got == 3 && strcmp(impl, j->impl))
			continue;
		for (k = 0; k < j->n; k++)
			if (!strcmp(base_name(j->path[k]), name))
				j->expect[k] = v;
	}
	fclose(f);
	return true;
}

static void summary(struct judge *j)
{
	long long boot_sum = 0, boot_max = 0, t, scn_sum = 0, scn_max = 0;
	long long span = 0, last;
	u32 i, b, ready = 0, timed = 0;

	printf("summary (%s): %u scenarios:", j->impl, j->n);
	for (i = 0; i < V_NR; i++)
		if (j->count[i])
			printf(" %u %s", j->count[i], verdict_names[i]);
	printf("; %u unexpected\n", j->unexpected);
	for (i = 0; i < j->nr_boot; i++) {
		if (!j->boot[i].ready)
			continue;
		t = j->boot[i].t_ready - j->boot[i].t_start;
		boot_sum += t;
		boot_max = t > boot_max ? t : boot_max;
		ready++;
	}
	for (i = 0; i < j->n; i++) {
		const struct result *r = &j->r[i];

		if (!r->begun || !r->t_end)
			continue;
		t = r->t_end - r->t_begin;
		scn_sum += t;
		scn_max = t > scn_max ? t : scn_max;
		timed++;
	}
	/* Throughput: from each boot's kvm-hv loaded to its last scenario */
	for (b = 0; b < j->nr_boot; b++) {
		long long from = j->boot[b].t_ready;
		long long to = b + 1 < j->nr_boot ? j->boot[b + 1].t_start :
			       j->t_last + 1;

		if (!j->boot[b].ready)
			continue;
		for (last = from, i = 0; i < j->n; i++)
			if (j->r[i].begun && j->r[i].t_begin >= from &&
			    j->r[i].t_begin < to && j->r[i].t_end > last)
				last = j->r[i].t_end;
		span += last - from;
	}
	printf("  boots: %u (QEMU start to kvm-hv loaded: mean %.1f s, max %.1f s)\n",
	       j->nr_boot, ready ? boot_sum / 1000.0 / ready : 0.0,
	       boot_max / 1000.0);
	printf("  scenario wall time: mean %.3f s, max %.3f s over %u; %.1f scenarios/s after boot\n",
	       timed ? scn_sum / 1000.0 / timed : 0.0, scn_max / 1000.0, timed,
	       span > 0 ? timed * 1000.0 / span : 0.0);
	printf("  whole run %.1f s\n", (j->t_last - j->t_first) / 1000.0);
	if (j->stopped)
		printf("  the runner stopped early: %s\n", j->stop_reason);
	printf("verdict: %s\n", j->unexpected ? "UNEXPECTED RESULTS" :
	       "all as expected");
}

int kh_judge(const char *dir, const char *results, const char *impl,
	     const char *expect, bool quiet)
{
	struct judge j = { .dir = dir, .impl = impl, .quiet = quiet };
	struct hpt_scenario *s = malloc(sizeof(*s));
	struct hpt_scenario *entered = malloc(sizeof(*entered));
	char *report = malloc(REPORT_BYTES), line[1024];
	enum verdict v;
	bool as_expected;
	u32 k, i;
	int ret = 2;

	if (!s || !entered || !report || !read_manifest(&j))
		goto out;
	j.expect = calloc(j.n + 1, sizeof(*j.expect));
	j.r = calloc(j.n + 1, sizeof(*j.r));
	if (!j.expect || !j.r || (expect && !read_expect(&j, expect)) ||
	    read_results(&j, results))
		goto out;
	for (k = 0; k < j.n; k++) {
		struct result *r = &j.r[k];

		v = judge_one(&j, k, line, sizeof(line), report, s, entered);
		as_expected = v == j.expect[k];
		j.count[v]++;
		j.unexpected += !as_expected;
		printf("[%4u] %-10s %s  %s  (%.3f s)%s\n", k, verdict_names[v],
		       j.path[k], line,
		       r->t_end > r->t_begin ? (r->t_end - r->t_begin) / 1000.0 : 0.0,
		       as_expected ? (v == V_PASS ? "" : " (expected)") :
		       " UNEXPECTED");
		if (quiet && as_expected)
			continue;
		if (v == V_DIVERGE)
			print_indented(report);
		for (i = 0; v == V_CRASH && i < r->nr_crash; i++)
			printf("       | %s\n", r->crash[i]);
	}
	summary(&j);
	ret = j.unexpected ? 1 : 0;
out:
	for (k = 0; j.r && k < j.n; k++) {
		free(j.r[k].e);
		free(j.r[k].pre.e);
		free(j.r[k].raw.e);
		for (i = 0; i < j.r[k].nr_crash; i++)
			free(j.r[k].crash[i]);
	}
	for (k = 0; k < j.n; k++)
		free(j.path[k]);
	free(j.path);
	free(j.expect);
	free(j.r);
	free(s);
	free(entered);
	free(report);
	return ret;
}
