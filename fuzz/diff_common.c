// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
#include "fuzz_common.h"

static const char *findings;
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

static u64 fnv1a(u64 h, u8 c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

/* Past a number: 0x and hex digits, or decimal digits */
static const char *skip_number(const char *p)
{
	if (p[0] == '0' && p[1] == 'x') {
		for (p += 2; isxdigit((unsigned char)*p); p++)
			;
		return p;
	}
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/*
 * What makes two divergences the same finding: the implementation, the
 * kind, the one-line summary with its numbers taken out, and the context.
 */
static u64 signature(const char *impl, const struct hpt_report *rep,
		     const struct hpt_scenario *s)
{
	const char *parts[] = { impl, rep->what, rep->summary };
	u64 h = 0xcbf29ce484222325ULL;
	size_t i;
	const char *p;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		for (p = parts[i]; *p;) {
			if (isdigit((unsigned char)*p) && (p == parts[i] ||
			    !isalnum((unsigned char)p[-1]))) {
				p = skip_number(p);	/* numbers vary */
				continue;
			}
			h = fnv1a(h, *p++);
		}
		h = fnv1a(h, 0xff);
	}
	for (p = context(s, rep); *p; p++)
		h = fnv1a(h, *p);
	return h;
}

static void write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return;		/* already recorded, by us or another worker */
	if (write(fd, data, size) != (ssize_t)size)
		fprintf(stderr, "%s: short write\n", path);
	close(fd);
}

static void record(const struct hpt_impl *impl, const struct hpt_report *rep,
		   const struct hpt_scenario *s, const u8 *data, size_t size)
{
	char path[4096], tmp[4096 + 16], cap[16];
	int n;
	u64 sig = signature(impl->name, rep, s);

	snprintf(path, sizeof(path), "%s/%s-%s-%016llx", findings, impl->name,
		 rep->what, (unsigned long long)sig);
	if (!access(path, F_OK))
		return;
	/* The report first, then the input: a listed input has its report */
	snprintf(tmp, sizeof(tmp), "%s.txt", path);
	write_file(tmp, report_buf, rep->len);
	/* The cap it was found with: hptfuzz-replay folds orders the same */
	snprintf(tmp, sizeof(tmp), "%s.max-order", path);
	n = snprintf(cap, sizeof(cap), "%u\n", fuzz_max_order());
	write_file(tmp, cap, n);
	write_file(path, data, size);
	fprintf(stderr, "hptfuzz: new divergence of %s recorded: %s\n  %s\n",
		impl->name, path, rep->summary);
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

	if (!selected) {
		selected = fuzz_impls(NULL, "");
		findings = getenv("HPTFUZZ_FINDINGS");
	}

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
			if (findings) {
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
