// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's resize against the oracle.  What went into the table
 * is a scenario of its own: the entries H_ENTER took, each in the slot it
 * took.  The oracle predicts that scenario's resize; the guest's full
 * table scan says where entries with the scenario's VSIDs are.  Compared:
 * the outcome (the guest kernel's resize succeeding or failing with
 * ENOSPC), the place of every entry (moved, dropped, or where it was when
 * the resize failed), their V and R words as H_READ shows them (without
 * the software bits HVLOCK/ABSENT, VALID, and the R/C bits hardware may
 * set), and that nothing else with those VSIDs turned up.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hq.h"
#include "hpt/scenario_text.h"

#define V_IGNORED	(HPT_V_HVLOCK | HPT_V_ABSENT | HPT_V_VALID)
#define R_IGNORED	(HPT_R_R | HPT_R_C)

struct hvj {
	const struct hpt_scenario *hv;
	const u32 *map;
	const struct hq_hv *res;
	struct hq_hv_verdict *out;
	struct hpt_scenario *entered;	/* what H_ENTER took */
	u32 *from;			/* its record j: hv's record */
	struct hpt_scn_placement *pl;
	struct hpt_oracle o;
	char *buf;
	size_t len, cap;
};

static __attribute__((format(printf, 2, 3)))
void say(struct hvj *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (j->len + n + 1 > j->cap) {
		j->cap = 2 * (j->len + n + 1);
		j->buf = realloc(j->buf, j->cap);
		if (!j->buf) {
			fprintf(stderr, "hptfuzz-qemu: out of memory\n");
			exit(2);
		}
	}
	va_start(ap, fmt);
	j->len += vsnprintf(j->buf + j->len, j->cap - j->len, fmt, ap);
	va_end(ap);
}

static __attribute__((format(printf, 3, 4)))
void outcome(struct hvj *j, enum hq_hv_outcome o, const char *fmt, ...)
{
	va_list ap;

	j->out->outcome = o;
	va_start(ap, fmt);
	vsnprintf(j->out->summary, sizeof(j->out->summary), fmt, ap);
	va_end(ap);
}

/* "record 3 (va seg=... as the hypervisor took it)" */
static void describe(struct hvj *j, u32 hv_rec)
{
	char line[512];

	hpt_scn_print_record(j->hv, hv_rec, line, sizeof(line));
	say(j, "  record %u of the scenario: %s\n", j->map[hv_rec], line);
}

static const char *hex(char *buf, size_t len, u64 idx)
{
	if (idx == HPT_ORACLE_NO_INDEX)
		return "-";
	snprintf(buf, len, "0x%llx", (unsigned long long)idx);
	return buf;
}

static const struct hq_enter *entered(const struct hvj *j, u32 rec)
{
	u32 i, n = 0;

	for (i = 0; i < j->res->nr_e; i++)
		if (!j->res->e[i].skip[0] && n++ == rec)
			return &j->res->e[i];
	return NULL;
}

static void divergence(struct hvj *j, const char *what, u32 entered_rec,
		       u64 exp_idx, u64 act_idx, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void divergence(struct hvj *j, const char *what, u32 entered_rec,
		       u64 exp_idx, u64 act_idx, const char *fmt, ...)
{
	const struct hq_enter *e = NULL;
	char msg[200], rec[16], a[24], b[24], c[24];
	u32 hv_rec = HPT_ORACLE_NO_RECORD;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (entered_rec != HPT_ORACLE_NO_RECORD) {
		hv_rec = j->from[entered_rec];
		e = entered(j, entered_rec);
	}
	outcome(j, HQ_HV_DIVERGE, "hypervisor diverges: %s: %s", what, msg);
	say(j, "hypervisor: %s\n", msg);
	if (hv_rec != HPT_ORACLE_NO_RECORD)
		snprintf(rec, sizeof(rec), "%u", j->map[hv_rec]);
	else
		snprintf(rec, sizeof(rec), "-");
	say(j, "DIVERGENCE impl=hypervisor what=%s record=%s old_index=%s expected_index=%s actual_index=%s\n",
	    what, rec, hex(a, sizeof(a), e ? e->idx : HPT_ORACLE_NO_INDEX),
	    hex(b, sizeof(b), exp_idx), hex(c, sizeof(c), act_idx));
	if (hv_rec != HPT_ORACLE_NO_RECORD) {
		describe(j, hv_rec);
		say(j, "  entered at 0x%llx (order %u): v 0x%016llx r 0x%016llx\n",
		    (unsigned long long)e->idx, j->hv->old_order,
		    (unsigned long long)e->v, (unsigned long long)e->r);
	}
}

/* The scenario of what H_ENTER took, each entry in its slot */
static int build_entered(struct hvj *j)
{
	struct hpt_scn_record rec;
	u32 i;

	hpt_scn_init(j->entered);
	j->entered->old_order = j->hv->old_order;
	j->entered->new_order = j->hv->new_order;
	for (i = 0; i < j->res->nr_e; i++) {
		const struct hq_enter *e = &j->res->e[i];

		if (e->skip[0])
			continue;
		if (e->rec >= j->hv->nr_records)
			return -EINVAL;
		rec = j->hv->rec[e->rec];
		rec.va.slot = e->idx % HPT_HPTES_PER_GROUP;
		j->from[j->entered->nr_records] = e->rec;
		j->pl->where[j->entered->nr_records] = e->idx;
		hpt_scn_add(j->entered, &rec);
	}
	j->pl->nr_placed = j->entered->nr_records;
	j->pl->nr_not_placed = 0;
	return 0;
}

/* Index of the found entry like e (V and R up to ignored bits), or -1 */
static long find(const struct hq_hv *res, const bool *used, u64 idx,
		 const struct hq_enter *e, bool any_idx)
{
	u32 i;

	for (i = 0; i < res->nr_f; i++) {
		if (used[i] || (!any_idx && res->f[i].idx != idx))
			continue;
		if (((res->f[i].v ^ e->v) & ~V_IGNORED) == 0 &&
		    ((res->f[i].r ^ e->r) & ~R_IGNORED) == 0)
			return i;
	}
	return -1;
}

static void compare(struct hvj *j)
{
	const struct hpt_oracle *o = &j->o;
	const struct hq_hv *res = j->res;
	const struct hq_resize *z = &res->resize;
	bool *used = calloc(res->nr_f + 1, sizeof(*used));
	u32 k, moved = 0, dropped = 0;
	bool ok = z->ok && z->now == j->hv->new_order;
	char a[24];
	long i;

	if (!used) {
		fprintf(stderr, "hptfuzz-qemu: out of memory\n");
		exit(2);
	}
	if (o->rc == 0 && !ok) {
		divergence(j, "rc", HPT_ORACLE_NO_RECORD, HPT_ORACLE_NO_INDEX,
			   HPT_ORACLE_NO_INDEX,
			   "expected the resize %u -> %u to succeed; the guest kernel's resize %s (%s), order now %u",
			   z->from, z->to, z->ok ? "succeeded" : "failed",
			   z->err[0] ? z->err : "no message", z->now);
		goto out;
	}
	if (o->rc != 0 && (ok || !strstr(z->err, "No space left"))) {
		divergence(j, "rc", HPT_ORACLE_NO_RECORD, HPT_ORACLE_NO_INDEX,
			   HPT_ORACLE_NO_INDEX,
			   "expected the resize %u -> %u to fail with %s (entries at old 0x%llx and 0x%llx collide); the guest kernel's resize %s (%s), order now %u",
			   z->from, z->to, hpt_oracle_rc_name(o->rc),
			   (unsigned long long)o->fail_idx,
			   (unsigned long long)o->fail_holder_idx,
			   z->ok ? "succeeded" : "failed",
			   z->err[0] ? z->err : "no message", z->now);
		goto out;
	}
	if (res->check_order != (o->rc ? j->hv->old_order : j->hv->new_order)) {
		divergence(j, "order", HPT_ORACLE_NO_RECORD,
			   HPT_ORACLE_NO_INDEX, HPT_ORACLE_NO_INDEX,
			   "the module sees order %u after the resize, the resize's line said %u",
			   res->check_order, z->now);
		goto out;
	}

	for (k = 0; k < o->nr_records; k++) {
		const struct hq_enter *e = entered(j, k);
		u64 want = HPT_ORACLE_NO_INDEX;

		if (o->rc)
			want = e->idx;	/* the table is as it was */
		else if (o->rec[k].fate == HPT_FATE_MOVED)
			want = o->rec[k].new_idx;
		moved += !o->rc && o->rec[k].fate == HPT_FATE_MOVED;
		dropped += !o->rc && o->rec[k].fate == HPT_FATE_DROPPED;
		if (want == HPT_ORACLE_NO_INDEX)
			continue;
		i = find(res, used, want, e, false);
		if (i >= 0) {
			used[i] = true;
			continue;
		}
		i = find(res, used, 0, e, true);
		divergence(j, "position", k, want,
			   i >= 0 ? res->f[i].idx : HPT_ORACLE_NO_INDEX,
			   "%s entry expected at 0x%llx in order %u, found %s%s",
			   o->rc ? "unmoved" : "moved",
			   (unsigned long long)want,
			   o->rc ? j->hv->old_order : j->hv->new_order,
			   i >= 0 ? "at " : "nowhere",
			   i >= 0 ? hex(a, sizeof(a), res->f[i].idx) : "");
		for (i = 0; i < res->nr_f; i++)
			if (res->f[i].idx == want)
				say(j, "  0x%llx holds instead: v 0x%016llx r 0x%016llx\n",
				    (unsigned long long)want,
				    (unsigned long long)res->f[i].v,
				    (unsigned long long)res->f[i].r);
		goto out;
	}
	for (i = 0; i < res->nr_f; i++) {
		if (used[i])
			continue;
		divergence(j, "extra", HPT_ORACLE_NO_RECORD,
			   HPT_ORACLE_NO_INDEX, res->f[i].idx,
			   "an entry with the scenario's VSIDs that should not be there: 0x%llx v 0x%016llx r 0x%016llx",
			   (unsigned long long)res->f[i].idx,
			   (unsigned long long)res->f[i].v,
			   (unsigned long long)res->f[i].r);
		goto out;
	}
	if (o->rc)
		outcome(j, HQ_HV_AGREE,
			"hypervisor agrees: order %u -> %u fails with ENOSPC, %u entries stay",
			j->hv->old_order, j->hv->new_order, o->nr_records);
	else
		outcome(j, HQ_HV_AGREE,
			"hypervisor agrees: order %u -> %u, %u entered: %u moved, %u dropped",
			j->hv->old_order, j->hv->new_order, o->nr_records,
			moved, dropped);
out:
	free(used);
}

/* Why the hypervisor's part cannot be compared, or NULL */
static const char *not_comparable(const struct hq_hv *res, char *buf,
				  size_t len)
{
	if (!res->seen)
		return "the module did not run it";
	if (res->error[0] && !strcmp(res->error, "order")) {
		snprintf(buf, len, "the table could not be brought to its old order (%s)",
			 res->prep.err[0] ? res->prep.err : "no message");
		return buf;
	}
	if (res->error[0]) {
		snprintf(buf, len, "the module reported error=%s", res->error);
		return buf;
	}
	if (res->stale) {
		snprintf(buf, len, "%ld entries with the scenario's VSIDs were there before",
			 res->stale);
		return buf;
	}
	if (res->guest_collisions || res->guest_unmovable) {
		snprintf(buf, len, "the guest's own bolted entries collide (%ld) or cannot move (%ld)",
			 res->guest_collisions, res->guest_unmovable);
		return buf;
	}
	if (!res->resize.seen)
		return "the guest did not resize";
	if (!res->checked || res->check_error[0]) {
		snprintf(buf, len, "the module's check failed (%s)",
			 res->check_error[0] ? res->check_error : "missing");
		return buf;
	}
	if (res->found > res->nr_f)
		return "more entries found than reported";
	return NULL;
}

void hq_judge_hv(const struct hpt_scenario *hv, const u32 *map,
		 const struct hq_hv *res, struct hq_hv_verdict *out)
{
	struct hvj j = { .hv = hv, .map = map, .res = res, .out = out };
	const char *why;
	char buf[160];
	int ret;

	memset(out, 0, sizeof(*out));
	why = not_comparable(res, buf, sizeof(buf));
	if (why) {
		outcome(&j, HQ_HV_SKIPPED, "hypervisor not compared: %s", why);
		return;
	}
	j.entered = malloc(sizeof(*j.entered));
	j.from = calloc(HPT_SCN_MAX_RECORDS, sizeof(*j.from));
	j.pl = malloc(sizeof(*j.pl));
	if (!j.entered || !j.from || !j.pl) {
		fprintf(stderr, "hptfuzz-qemu: out of memory\n");
		exit(2);
	}
	if (build_entered(&j)) {
		outcome(&j, HQ_HV_ERROR, "the module names a record the scenario lacks");
		goto out;
	}
	/* The oracle checks the placement too: the module's must be H_ENTER's */
	ret = hpt_oracle_predict(&j.o, j.entered, j.pl, 0);
	if (ret)
		outcome(&j, HQ_HV_ERROR, "oracle: %s", j.o.error);
	else
		compare(&j);
	hpt_oracle_free(&j.o);
out:
	out->report = j.buf;
	free(j.entered);
	free(j.from);
	free(j.pl);
}
