// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-qemu judge: one verdict per scenario from the results file,
 * then a summary with counts and wall times.
 *
 *   PASS        the core in the guest kernel agrees with the oracle, and
 *               so does the hypervisor (or its part was not comparable:
 *               the line says why)
 *   DIVERGE     either differs; the report names the first difference
 *   HV-CRASH    QEMU died during the scenario (an assertion, say)
 *   HV-HANG     nothing came for the scenario's time bound: QEMU killed
 *   GUEST-FAIL  the guest kernel or its script died during the scenario
 *   ERROR       the report makes no sense (a harness problem)
 *   NOT-RUN     the runner gave up before the scenario
 *
 * An expectations file lists scenarios (by file name) whose hypervisor is
 * known to fail, optionally for one accelerator only:
 *   NAME VERDICT [tcg|kvm]
 * An expectation excuses the hypervisor and nothing else, so its verdict
 * names it: HV-CRASH, HV-HANG, or HV-DIVERGE (the scenario's verdict is
 * DIVERGE through the hypervisor's part alone).  The core's part is
 * judged in every scenario: where an expectation holds, the core must
 * still have reported and agreed, or the verdict is unexpected.
 * The exit status is 0 when every verdict is the expected one (PASS
 * unless listed), 1 otherwise, 2 when the inputs cannot be read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hq.h"

#define REPORT_BYTES	(256 * 1024)

static const char *const verdict_names[HQ_NR_VERDICTS] = {
	[HQ_PASS] = "PASS",
	[HQ_DIVERGE] = "DIVERGE",
	[HQ_HV_CRASH] = "HV-CRASH",
	[HQ_HV_HANG] = "HV-HANG",
	[HQ_GUEST_FAIL] = "GUEST-FAIL",
	[HQ_ERROR] = "ERROR",
	[HQ_NOT_RUN] = "NOT-RUN",
};

const char *hq_verdict_name(enum hq_verdict v)
{
	return v < HQ_NR_VERDICTS ? verdict_names[v] : "?";
}

bool hq_verdict_parse(const char *name, enum hq_verdict *v)
{
	int i;

	for (i = 0; i < HQ_NR_VERDICTS; i++)
		if (!strcmp(name, verdict_names[i])) {
			*v = i;
			return true;
		}
	return false;
}

struct judge {
	const char *dir;
	const char *accel;
	bool quiet;
	struct hq_adapt adapt;
	u32 max_order;
	u32 n;
	char **path;
	enum hq_verdict *expect;
	struct hq_results res;
	struct hpt_scenario *s, *hv;
	u32 *map;
	char *report;
	u32 count[HQ_NR_VERDICTS], unexpected;
	u32 core_agree, hv_agree, hv_skipped, hv_none, hv_left_out;
	u32 fork_crashes;
	long long scn_ms_sum, scn_ms_max;
	u32 scn_timed;
	/* Guest clocks: the core's resize (us), the hypervisor's (cs) */
	long long core_us_sum, hv_us_sum;
	/* Guest time of the resizes and the scan, in ended scenarios */
	long long own_us_sum;
	/* Lost scenarios with another after them: each needs a new start */
	u32 restarts_needed;
	u32 core_timed, hv_timed;
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A message that does not fit is cut: it names the file first */
static void __attribute__((__format__(__printf__, 3, 4)))
say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static bool read_manifest(struct judge *j, char *err, size_t errlen)
{
	char path[4096], line[4352], key[32], val[4096];
	unsigned long lineno = 0;
	u32 k, cap = 0, x;
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest", j->dir);
	f = fopen(path, "r");
	if (!f) {
		say(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1 && strcmp(line, HQ_MANIFEST_MAGIC))
			goto bad;
		if (lineno == 1 || line[0] == '#')
			continue;
		if (sscanf(line, "option %31s %4095s", key, val) == 2) {
			x = strtoul(val, NULL, 10);
			if (!strcmp(key, "max-order"))
				j->max_order = x;
			else if (!strcmp(key, "base-order"))
				j->adapt.base_order = x;
			else if (!strcmp(key, "hv-max-order"))
				j->adapt.max_order = x;
			else if (!strcmp(key, "vsid") &&
				 hq_vsid_policy_parse(val, &j->adapt.vsid))
				;
			else if (!strcmp(key, "avoid") &&
				 hq_avoid_parse(val, &j->adapt.avoid))
				;
			else
				goto bad;
		} else if (sscanf(line, "scenario %u %4095[^\n]", &k, val) == 2 &&
			   k == j->n) {
			*HQ_PUSH(j->path, j->n, cap) = strdup(val);
		} else {
			goto bad;
		}
	}
	fclose(f);
	return true;
bad:
	say(err, errlen, "%s: line %lu is not what the manifest holds: %s",
	    path, lineno, line);
	fclose(f);
	return false;
}

/* The verdicts an expectation may name: each names the hypervisor */
static bool hv_expectation_parse(const char *name, enum hq_verdict *v)
{
	if (!strcmp(name, "HV-DIVERGE")) {
		*v = HQ_DIVERGE;
		return true;
	}
	return hq_verdict_parse(name, v) &&
	       (*v == HQ_HV_CRASH || *v == HQ_HV_HANG);
}

static bool read_expectations(struct judge *j, const char *path, char *err,
			      size_t errlen)
{
	char line[4352], name[4096], verdict[32], accel[16];
	unsigned long lineno = 0;
	enum hq_verdict v;
	FILE *f = fopen(path, "r");
	int got;
	u32 k;

	if (!f) {
		say(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		got = sscanf(line, "%4095s %31s %15s", name, verdict, accel);
		if (got <= 0)
			continue;
		if (got < 2 || !hv_expectation_parse(verdict, &v)) {
			snprintf(err, errlen, "%s: line %lu: want NAME VERDICT [ACCEL] with a verdict naming the hypervisor (HV-CRASH, HV-HANG, HV-DIVERGE): an expectation never excuses the core",
				 path, lineno);
			fclose(f);
			return false;
		}
		if (got == 3 && strcmp(accel, j->accel))
			continue;
		for (k = 0; k < j->n; k++)
			if (!strcmp(base_name(j->path[k]), name))
				j->expect[k] = v;
	}
	fclose(f);
	return true;
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

/* Why the guest was lost, from the runner's facts and the console tail */
static enum hq_verdict lost_verdict(const struct hq_result *r)
{
	static const char *const guest_died[] = {
		"Kernel panic", "Oops", "BUG: ", "segfault", "Unable to handle",
		"HPTFUZZ-GUEST-END",
	};
	u32 i, k;

	if (r->timeout)
		return HQ_HV_HANG;
	for (i = 0; i < r->nr_tail; i++)
		for (k = 0; k < sizeof(guest_died) / sizeof(guest_died[0]); k++)
			if (strstr(r->tail[i], guest_died[k]))
				return HQ_GUEST_FAIL;
	return r->qemu_rc ? HQ_HV_CRASH : HQ_GUEST_FAIL;
}

/* *core_ok: the core's part reported and agrees with the oracle */
static enum hq_verdict judge_one(struct judge *j, u32 k, char *line,
				 size_t len, char **details, bool *core_ok)
{
	struct hq_result *r = &j->res.r[k];
	struct hpt_report rep = { .buf = j->report, .cap = REPORT_BYTES };
	struct hq_hv_verdict hv = { .outcome = HQ_HV_NONE };
	enum hpt_verdict core = HPT_ERROR;
	enum hq_verdict v;
	char path[4096], err[256];
	const char *why = NULL;
	u32 left_out;
	bool has_hv;
	size_t n;

	*details = NULL;
	*core_ok = false;
	snprintf(path, sizeof(path), "%s/scenarios/%u.core", j->dir, k);
	if (hpt_load_scenario(path, false, j->s, err, sizeof(err))) {
		say(line, len, "%s: %s", path, err);
		return HQ_ERROR;
	}
	has_hv = hq_adapt(j->s, &j->adapt, j->hv, j->map, &left_out, &why);

	if (!r->begun && !r->lost) {
		snprintf(line, len, "%s", j->res.stopped ? j->res.stop_reason :
			 "the guest never reached it");
		return HQ_NOT_RUN;
	}
	if (r->core.ended)
		core = hq_judge_core(j->s, &r->core, &rep);
	*core_ok = r->core.ended && core == HPT_AGREE;
	if (has_hv && r->hv.seen && (!r->lost || r->hv.checked))
		hq_judge_hv(j->hv, j->map, &r->hv, &hv);

	n = 0;
	if (r->core.ended && core == HPT_AGREE) {
		j->core_agree++;
		n += snprintf(line + n, len - n, "core agrees (rc %s)",
			      hpt_oracle_rc_name(rep.actual_rc));
	} else if (r->core.ended) {
		n += snprintf(line + n, len - n, "%s", rep.summary);
	} else {
		n += snprintf(line + n, len - n, "core: %s",
			      r->core.error[0] ? r->core.error : "no report");
	}
	if (!has_hv) {
		j->hv_none++;
		snprintf(line + n, len - n, "; hypervisor: not run (%s)", why);
	} else if (hv.outcome != HQ_HV_NONE) {
		n += snprintf(line + n, len - n, "; %s", hv.summary);
	}
	if (left_out) {
		j->hv_left_out++;
		snprintf(line + n, len - n, " (%u entries avoided: %s)",
			 left_out, hq_avoid_name(j->adapt.avoid));
	}
	j->hv_agree += hv.outcome == HQ_HV_AGREE;
	j->hv_skipped += hv.outcome == HQ_HV_SKIPPED;

	if (r->lost) {
		v = lost_verdict(r);
	} else if (!r->ended || !r->core.ended || core == HPT_ERROR ||
		   hv.outcome == HQ_HV_ERROR ||
		   (has_hv && hv.outcome == HQ_HV_NONE)) {
		v = HQ_ERROR;
	} else if (core == HPT_DIVERGE || hv.outcome == HQ_HV_DIVERGE) {
		v = HQ_DIVERGE;
	} else {
		v = HQ_PASS;
	}
	if (core == HPT_DIVERGE && rep.len)
		*details = strdup(rep.buf);
	if (hv.report) {
		if (*details) {
			*details = realloc(*details, strlen(*details) +
					   strlen(hv.report) + 1);
			if (*details)
				strcat(*details, hv.report);
			free(hv.report);
		} else {
			*details = hv.report;
		}
	}
	return v;
}

static void print_lost(const struct hq_result *r)
{
	u32 i;

	printf("       QEMU %s (exit status %d); the console's last lines:\n",
	       r->timeout ? "killed after the time bound" : "ended",
	       r->qemu_rc);
	for (i = 0; i < r->nr_tail; i++)
		printf("       | %s\n", r->tail[i]);
}

/*
 * What a scenario cannot do without, on the guest's clock: the core's
 * resize, the hypervisor's resizes (centiseconds, as the guest times
 * them) and the scan for the entries after.  Its wall time above this is
 * the harness: loading, commands, the console, the shell.
 */
static long long scenario_own_us(const struct hq_result *r)
{
	long long us = 0;

	if (r->core.ended)
		us += r->core.us;
	if (r->hv.prep.seen)
		us += r->hv.prep.us;
	if (r->hv.resize.seen)
		us += r->hv.resize.us;
	if (r->hv.checked)
		us += r->hv.scan_us;
	return us;
}

static void judge_all(struct judge *j)
{
	char line[1024], *details;
	struct hq_result *r;
	enum hq_verdict v;
	long long ms;
	bool as_expected, core_ok, excused_core;
	u32 k;

	for (k = 0; k < j->n; k++) {
		r = &j->res.r[k];
		v = judge_one(j, k, line, sizeof(line), &details, &core_ok);
		/* An expectation is the hypervisor's: never the core's part */
		excused_core = v == j->expect[k] && v != HQ_PASS && !core_ok;
		as_expected = v == j->expect[k] && !excused_core;
		j->count[v]++;
		j->unexpected += !as_expected;
		ms = r->t_end > r->t_begin ? r->t_end - r->t_begin : 0;
		if (r->ended) {
			j->scn_ms_sum += ms;
			j->scn_timed++;
			if (ms > j->scn_ms_max)
				j->scn_ms_max = ms;
			j->own_us_sum += scenario_own_us(r);
		}
		if (r->lost && k + 1 < j->n)
			j->restarts_needed++;
		j->fork_crashes += r->hv.fork_crashed;
		if (r->core.ended) {
			j->core_us_sum += r->core.us;
			j->core_timed++;
		}
		if (r->hv.resize.seen) {
			j->hv_us_sum += r->hv.resize.us;
			j->hv_timed++;
		}
		printf("[%4u] %-10s %s  %s  (%.2f s)%s%s\n", k,
		       hq_verdict_name(v), j->path[k], line, ms / 1000.0,
		       as_expected ? (v == HQ_PASS ? "" : " (expected)") :
		       " UNEXPECTED",
		       excused_core ? ": the expectation excuses the hypervisor only, and the core's part does not agree" :
		       "");
		if (r->hv.fork_crashed)
			printf("       note: the guest's first fork after the resize crashed\n");
		if (details && (!j->quiet || !as_expected))
			print_indented(details);
		if (r->lost && (!j->quiet || !as_expected))
			print_lost(r);
		free(details);
	}
}

struct start_times {
	u32 n;
	long long sum, max;
};

static void start_add(struct start_times *t, long long ms)
{
	t->n++;
	t->sum += ms;
	if (ms > t->max)
		t->max = ms;
}

static double start_mean(const struct start_times *t)
{
	return t->n ? t->sum / 1000.0 / t->n : 0.0;
}

/*
 * The run's figures beside their floors and goals (docs/qemu.md, Speed):
 * a boot about 2 s, a restart no more than one per scenario that ended
 * QEMU, >= 10 scenarios a second, each close to its own guest time.
 */
static void summary_speed(const struct judge *j)
{
	const struct hq_results *res = &j->res;
	struct start_times booted = { 0 }, restored = { 0 }, saved = { 0 };
	const struct hq_boot *b;
	long long whole = res->t_last - res->t_first, rest;
	double scn = j->scn_timed ? j->scn_ms_sum / 1000.0 / j->scn_timed : 0;
	double own = j->scn_timed ? j->own_us_sum / 1e6 / j->scn_timed : 0;
	u32 i;

	for (i = 0; i < res->nr_boot; i++) {
		b = &res->boot[i];
		if (!b->ready)
			continue;
		if (b->restored) {
			start_add(&restored, b->t_ready - b->t_start);
		} else if (b->t_waiting) {
			/* booted, then saved and told where to start */
			start_add(&booted, b->t_waiting - b->t_start);
			start_add(&saved, b->t_ready - b->t_waiting);
		} else {
			start_add(&booted, b->t_ready - b->t_start);
		}
	}
	printf("  QEMU starts: %u, floor %u (one, and one after each scenario that ended QEMU with another to run)\n",
	       res->nr_boot, 1 + j->restarts_needed);
	printf("  boot (QEMU start to the guest ready): %u, mean %.2f s, max %.2f s; goal about 2 s\n",
	       booted.n, start_mean(&booted), booted.max / 1000.0);
	if (saved.n)
		printf("  saving the booted guest and starting it: %.2f s\n",
		       saved.sum / 1000.0);
	if (restored.n)
		printf("  restore of the booted guest: %u, mean %.2f s, max %.2f s; a boot's %.2f s\n",
		       restored.n, start_mean(&restored),
		       restored.max / 1000.0, start_mean(&booted));
	printf("  guest clock: the core's resize %.1f ms, the guest kernel's through the hypervisor %.1f ms, on average\n",
	       j->core_timed ? j->core_us_sum / 1000.0 / j->core_timed : 0.0,
	       j->hv_timed ? j->hv_us_sum / 1000.0 / j->hv_timed : 0.0);
	printf("  scenario wall time: mean %.3f s, %.1f per second (goal >= 10), max %.2f s over %u; floor %.3f s, the resizes and the scan on the guest's clock\n",
	       scn, scn > 0 ? 1 / scn : 0.0, j->scn_ms_max / 1000.0,
	       j->scn_timed, own);
	rest = whole - booted.sum - saved.sum - restored.sum - j->scn_ms_sum;
	printf("  QEMU part: %.1f s = boots %.1f + saving %.1f + restores %.1f + scenarios %.1f + the rest %.1f (lost scenarios, QEMU's ends, the guest's last lines)\n",
	       whole / 1000.0, booted.sum / 1000.0, saved.sum / 1000.0,
	       restored.sum / 1000.0, j->scn_ms_sum / 1000.0, rest / 1000.0);
}

static void summary(struct judge *j)
{
	const struct hq_results *res = &j->res;
	u32 i;

	printf("summary: %u scenarios:", j->n);
	for (i = 0; i < HQ_NR_VERDICTS; i++)
		if (j->count[i])
			printf(" %u %s", j->count[i], hq_verdict_name(i));
	printf("; %u unexpected\n", j->unexpected);
	printf("  core in the guest kernel: %u of %u agree with the oracle\n",
	       j->core_agree, j->n);
	printf("  hypervisor: %u agree, %u not comparable, %u without a part (no VA entries or orders too large)\n",
	       j->hv_agree, j->hv_skipped, j->hv_none);
	if (j->adapt.avoid)
		printf("  hypervisor: entries avoided (%s) in %u scenarios\n",
		       hq_avoid_name(j->adapt.avoid), j->hv_left_out);
	if (j->fork_crashes)
		printf("  guest: the first fork after a resize crashed %u times\n",
		       j->fork_crashes);
	summary_speed(j);
	if (res->stopped)
		printf("  the runner stopped early: %s\n", res->stop_reason);
	printf("verdict: %s\n", j->unexpected ? "UNEXPECTED RESULTS" :
	       "all as expected");
}

int hq_judge(const char *dir, const char *results, const char *expect,
	     const char *accel, bool quiet)
{
	struct judge j = { .dir = dir, .accel = accel, .quiet = quiet };
	char err[512];
	FILE *f;
	u32 k;
	int ret = 2;

	j.adapt.base_order = HPT_MIN_ORDER;
	j.adapt.max_order = HPT_MAX_ORDER;
	if (!read_manifest(&j, err, sizeof(err)))
		goto fail;
	j.expect = calloc(j.n + 1, sizeof(*j.expect));
	j.s = malloc(sizeof(*j.s));
	j.hv = malloc(sizeof(*j.hv));
	j.map = calloc(HPT_SCN_MAX_RECORDS, sizeof(*j.map));
	j.report = malloc(REPORT_BYTES);
	if (!j.expect || !j.s || !j.hv || !j.map || !j.report) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (expect && !read_expectations(&j, expect, err, sizeof(err)))
		goto fail;
	f = fopen(results, "r");
	if (!f) {
		snprintf(err, sizeof(err), "%s: %s", results, strerror(errno));
		goto fail;
	}
	if (hq_read_results(f, j.n, &j.res, err, sizeof(err))) {
		fclose(f);
		fprintf(stderr, "hptfuzz-qemu: %s: %s\n", results, err);
		goto out;
	}
	fclose(f);
	judge_all(&j);
	summary(&j);
	ret = j.unexpected ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "hptfuzz-qemu: %s\n", err);
out:
	hq_free_results(&j.res);
	for (k = 0; k < j.n; k++)
		free(j.path[k]);
	free(j.path);
	free(j.expect);
	free(j.s);
	free(j.hv);
	free(j.map);
	free(j.report);
	return ret;
}
