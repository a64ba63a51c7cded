// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-replay: run scenario files through the implementations and
 * report where any diverges from the oracle.
 *
 *   hptfuzz-replay [--impl NAME|all] [--max-order N] [--alloc-order N]
 *                  [--raw-words] [--quiet] FILE|DIR...
 *
 * A file holds binary scenario bytes (or, with --raw-words, the raw_table
 * fuzz target's input), or text if it starts with "hptfuzz-scenario";
 * options and files may come in any order; a directory stands for the files in it (sorted by
 * name, not recursive, names starting with '.' skipped).  Exit status: 0
 * when every run agrees, 1 on any divergence, 2 on a usage or file error
 * (which takes precedence; the message names the file).  Other tools rely
 * on this contract and on the DIVERGENCE line of each report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hpt/harness.h"
#include "hpt/scenario_text.h"

#define DEFAULT_MAX_ORDER	21
#define REPORT_BYTES		(256 * 1024)

struct replay {
	const struct hpt_impl *only;	/* NULL: all of them */
	struct hpt_harness_options opt;
	bool quiet;
	bool raw_words;		/* binary files are raw_table inputs */
	bool diverged, failed;
	struct hpt_scenario *s;
	char *report;
};

static void print_usage(FILE *f)
{
	const struct hpt_impl *const *impl;

	fprintf(f, "usage: hptfuzz-replay [--impl NAME|all] [--max-order N] [--alloc-order N] [--raw-words] [--quiet] FILE|DIR...\n"
		"  --impl NAME     run one implementation (default: all):");
	for (impl = hpt_impls; *impl; impl++)
		fprintf(f, " %s", (*impl)->name);
	fprintf(f, "\n"
		"  --max-order N   fold orders above N as the fuzz targets do\n"
		"                  (default: $HPTFUZZ_MAX_ORDER or %d)\n"
		"  --alloc-order N table allocations above order N fail\n"
		"  --raw-words     binary files are raw_table fuzz inputs\n"
		"  --quiet         print only divergences, one line each plus\n"
		"                  the DIVERGENCE line\n"
		"exit: 0 all agree, 1 a divergence, 2 usage or file error\n",
		DEFAULT_MAX_ORDER);
}

static bool parse_order(const char *str, u32 *order)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(str, &end, 10);
	if (errno || !*str || *end || !hpt_order_valid(x))
		return false;
	*order = x;
	return true;
}

static void run_impl(struct replay *rp, const char *path,
		     const struct hpt_impl *impl)
{
	struct hpt_report rep = { 0 };
	const char *line, *eol;

	/* Into a buffer, so the verdict line can come first */
	rep.buf = rp->report;
	rep.cap = REPORT_BYTES;
	switch (hpt_harness_run(impl, rp->s, &rp->opt, &rep)) {
	case HPT_AGREE:
		if (!rp->quiet)
			printf("%s: %s: agree (rc %s%s)\n", path, impl->name,
			       hpt_oracle_rc_name(rep.actual_rc),
			       rep.predictable ? "" : ", invariants only");
		break;
	case HPT_DIVERGE:
		rp->diverged = true;
		printf("%s: %s\n", path, rep.summary);
		if (!rp->quiet) {
			fputs(rep.buf, stdout);
			if (rep.len >= rep.cap)
				printf("(report truncated)\n");
			printf("\n");
			break;
		}
		line = strstr(rep.buf, "DIVERGENCE ");
		if (line) {
			eol = strchr(line, '\n');
			printf("%.*s\n", eol ? (int)(eol - line) :
			       (int)strlen(line), line);
		}
		break;
	default:
		rp->failed = true;
		fprintf(stderr, "hptfuzz-replay: %s: %s: %s\n", path,
			impl->name, rep.summary);
		break;
	}
	fflush(stdout);
}

static void replay_file(struct replay *rp, const char *path)
{
	const struct hpt_impl *const *impl;
	char err[256];

	if (hpt_load_scenario(path, rp->raw_words, rp->s, err, sizeof(err))) {
		fprintf(stderr, "hptfuzz-replay: %s: %s\n", path, err);
		rp->failed = true;
		return;
	}
	if (rp->only) {
		run_impl(rp, path, rp->only);
		return;
	}
	for (impl = hpt_impls; *impl; impl++)
		run_impl(rp, path, *impl);
}

static void replay_dir(struct replay *rp, const char *dir)
{
	size_t n, i;
	char **names = hpt_list_dir(dir, &n);

	if (!names) {
		fprintf(stderr, "hptfuzz-replay: %s: %s\n", dir,
			strerror(errno));
		rp->failed = true;
		return;
	}
	for (i = 0; i < n; i++)
		replay_file(rp, names[i]);
	hpt_free_list(names);
}

/* One option at argv[*i]; false on a usage error */
static bool parse_option(struct replay *rp, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
		rp->quiet = true;
		return true;
	}
	if (!strcmp(arg, "--raw-words")) {
		rp->raw_words = true;
		return true;
	}
	if (!val) {
		fprintf(stderr, "hptfuzz-replay: unknown or incomplete option '%s'\n",
			arg);
		return false;
	}
	++*i;
	if (!strcmp(arg, "--impl")) {
		rp->only = strcmp(val, "all") ? hpt_impl_find(val) : NULL;
		if (strcmp(val, "all") && !rp->only) {
			fprintf(stderr, "hptfuzz-replay: no implementation '%s'\n",
				val);
			return false;
		}
		return true;
	}
	if (!strcmp(arg, "--max-order") || !strcmp(arg, "--alloc-order")) {
		if (!parse_order(val, !strcmp(arg, "--max-order") ?
				 &rp->opt.max_order : &rp->opt.alloc_order)) {
			fprintf(stderr, "hptfuzz-replay: %s %s: not an order in 18..46\n",
				arg, val);
			return false;
		}
		return true;
	}
	fprintf(stderr, "hptfuzz-replay: unknown option '%s'\n", arg);
	return false;
}

int main(int argc, char **argv)
{
	struct replay rp = { 0 };
	const char *env = getenv("HPTFUZZ_MAX_ORDER");
	struct stat st;
	int i, nfiles = 0;

	rp.opt.max_order = DEFAULT_MAX_ORDER;
	if (env && *env && !parse_order(env, &rp.opt.max_order)) {
		fprintf(stderr, "hptfuzz-replay: HPTFUZZ_MAX_ORDER=%s is not an order in 18..46\n",
			env);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			return 0;
		}
		if (argv[i][0] != '-' || !argv[i][1]) {
			/* Files come after the options; keep their order */
			argv[++nfiles] = argv[i];
			continue;
		}
		if (!parse_option(&rp, argc, argv, &i)) {
			print_usage(stderr);
			return 2;
		}
	}
	if (!nfiles) {
		print_usage(stderr);
		return 2;
	}

	rp.s = malloc(sizeof(*rp.s));
	rp.report = malloc(REPORT_BYTES);
	if (!rp.s || !rp.report) {
		fprintf(stderr, "hptfuzz-replay: out of memory\n");
		return 2;
	}
	for (i = 1; i <= nfiles; i++) {
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			replay_dir(&rp, argv[i]);
		else
			replay_file(&rp, argv[i]);
	}
	free(rp.s);
	free(rp.report);
	if (rp.failed)
		return 2;
	return rp.diverged ? 1 : 0;
}
