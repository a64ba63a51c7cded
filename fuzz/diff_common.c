// SPDX-License-Identifier: GPL-2.0-only
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
#include "findings.h"
#include "fuzz_common.h"

static char report_buf[1 << 16];

/*
 * The table layout and the kind of record the first divergence names:
 * the same failure from a well-formed VA entry and from hostile raw
 * words, or in either layout, usually has different causes.
 */
static const char *context(const struct hpt_scenario *s,
			   const struct hpt_report *rep)
{
	static const char *const names[2][3] = {
		{ "pre-3.0 va", "pre-3.0 raw", "pre-3.0 memslot" },
		{ "3.0 va", "3.0 raw", "3.0 memslot" },
	};
	u32 k = rep->nr_divergences ? rep->div[0].rec : HPT_ORACLE_NO_RECORD;

	if (k >= s->nr_records || s->rec[k].kind > HPT_SCN_MEMSLOT)
		return s->isa300 ? "3.0" : "pre-3.0";
	return names[s->isa300][s->rec[k].kind];
}

/*
 * What makes two divergences the same finding: the implementation, the
 * kind, the one-line summary with its numbers taken out, and the context.
 */
static u64 signature(const char *impl, const struct hpt_report *rep,
		     const struct hpt_scenario *s)
{
	u64 h = fuzz_signature_add(FUZZ_SIGNATURE_START, impl);

	h = fuzz_signature_add(h, rep->what);
	h = fuzz_signature_add(h, rep->summary);
	return fuzz_signature_add(h, context(s, rep));
}

static void record(const struct hpt_impl *impl, const struct hpt_report *rep,
		   const struct hpt_scenario *s, const u8 *data, size_t size)
{
	/* With the cap it was found with: hptfuzz-replay folds the same */
	fuzz_record(impl->name, rep->what, signature(impl->name, rep, s),
		    rep->summary, report_buf, rep->len, fuzz_max_order(),
		    data, size);
}

/*
 * How the oracle judged what ran, summed over the process and printed at
 * exit in one line scripts add up: executions with every entry judged
 * exactly, or some by rules only (hpt/oracle.h), and the entries so.
 */
static struct {
	unsigned long long runs, exact, rules, entries_exact, entries_rules;
} judged;

/*
 * Also appended to the file HPTFUZZ_JUDGED names, if any: libFuzzer's
 * fork mode keeps its workers' stderr to itself, and scripts/fuzz.sh
 * sums the lines of every worker.  One short write with O_APPEND, so
 * workers' lines do not interleave.
 */
static void print_judged(void)
{
	const char *path = getenv("HPTFUZZ_JUDGED");
	char line[256];
	int n, fd;

	n = snprintf(line, sizeof(line),
		     "hptfuzz-judged: executions=%llu exact=%llu rules=%llu entries=%llu entries_exact=%llu entries_rules=%llu\n",
		     judged.runs, judged.exact, judged.rules,
		     judged.entries_exact + judged.entries_rules,
		     judged.entries_exact, judged.entries_rules);
	fputs(line, stderr);
	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd < 0 || write(fd, line, n) != n)
		fprintf(stderr, "HPTFUZZ_JUDGED=%s: cannot append\n", path);
	if (fd >= 0)
		close(fd);
}

/* Once per input: the oracle judges it alike for every implementation */
static void count_judged(const struct hpt_report *rep)
{
	if (!judged.runs++)
		atexit(print_judged);
	if (rep->nr_rules)
		judged.rules++;
	else
		judged.exact++;
	judged.entries_exact += rep->nr_exact;
	judged.entries_rules += rep->nr_rules;
}

void fuzz_diff(const struct hpt_scenario *s, const u8 *data, size_t size)
{
	static const struct hpt_impl *const *selected;
	struct hpt_harness_options opt = { .max_order = fuzz_max_order() };
	int i;

	if (!selected)
		selected = fuzz_impls(NULL, "");

	for (i = 0; selected[i]; i++) {
		struct hpt_report rep = { .buf = report_buf,
					  .cap = sizeof(report_buf) };

		enum hpt_verdict verdict = hpt_harness_run(selected[i], s,
							   &opt, &rep);

		if (!i && verdict != HPT_ERROR)
			count_judged(&rep);
		switch (verdict) {
		case HPT_AGREE:
			break;
		case HPT_DIVERGE:
			if (fuzz_findings_dir()) {
				record(selected[i], &rep, s, data, size);
				break;
			}
			fuzz_fail("%.*s", (int)rep.len, report_buf);
		case HPT_ERROR:
			fuzz_fail("harness error on %s: %s", selected[i]->name,
				  rep.summary);
		}
	}
}
