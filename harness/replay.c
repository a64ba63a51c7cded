// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-replay: run scenario files through the implementations and
 * report where any diverges from the oracle.
 *
 *   hptfuzz-replay [--impl NAME|all] [--max-order N] [--alloc-order N]
 *                  [--raw-words] [--quiet | --json | --print-text]
 *                  FILE|DIR...
 *   hptfuzz-replay --print-default-max-order
 *
 * A file holds binary scenario bytes (or, with --raw-words, the raw_table
 * fuzz target's input), or text if it starts with "hptfuzz-scenario";
 * options and files may come in any order; a directory stands for the
 * files in it (sorted by name, not recursive, names starting with '.'
 * skipped, and a finding's NAME.txt and NAME.max-order beside NAME too).  Exit status: 0 when every run agrees, 1 on any divergence, 2
 * on a usage or file error (which takes precedence; the message names the
 * file).
 *
 * --json prints one JSON object per file, one per line (docs/json.md):
 * what the tools/ front end and any other program read, instead of the
 * human report.  With it, --impl none runs no implementation: the
 * scenario, placement and oracle alone.
 *
 * The order cap of a file: --max-order, else the one its finding was
 * found with (FILE.max-order, written beside each finding the fuzz
 * targets record), else $HPTFUZZ_MAX_ORDER, else the targets' default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hpt/harness.h"
#include "hpt/json.h"
#include "hpt/scenario_text.h"

#define REPORT_BYTES		(256 * 1024)
#define CAP_SUFFIX		".max-order"

struct replay {
	const struct hpt_impl *only;	/* NULL: all of them */
	bool none;		/* --impl none: the facts alone, with --json */
	struct hpt_harness_options opt;
	bool quiet, json;
	bool text;		/* print each file's canonical text, run nothing */
	bool raw_words;		/* binary files are raw_table inputs */
	bool diverged, failed;
	/* Where the cap came from when no file says otherwise */
	bool cap_given;		/* --max-order */
	u32 max_order;
	const char *cap_from;	/* "option", "environment" or "default" */
	struct hpt_scenario *s;
	char *report;
};

static void print_usage(FILE *f)
{
	const struct hpt_impl *const *impl;

	fprintf(f, "usage: hptfuzz-replay [--impl NAME|all] [--max-order N] [--alloc-order N] [--raw-words] [--quiet | --json | --print-text] FILE|DIR...\n"
		"       hptfuzz-replay --print-default-max-order\n"
		"  --impl NAME     run one implementation (default: all):");
	for (impl = hpt_impls; *impl; impl++)
		fprintf(f, " %s", (*impl)->name);
	fprintf(f, "\n"
		"                  none, with --json: the facts alone\n"
		"  --max-order N   fold orders above N as the fuzz targets do\n"
		"                  (default: FILE" CAP_SUFFIX ", the cap a finding\n"
		"                  was found with, else $HPTFUZZ_MAX_ORDER, else %d)\n"
		"  --alloc-order N table allocations above order N fail\n"
		"  --raw-words     binary files are raw_table fuzz inputs\n"
		"  --quiet         print only divergences, one line each plus\n"
		"                  the DIVERGENCE line\n"
		"  --json          one JSON object per file, one per line\n"
		"                  (docs/json.md)\n"
		"  --print-text    print each file's canonical text, as the C\n"
		"                  codec decodes it, and run nothing\n"
		"  --print-default-max-order\n"
		"                  print the fuzz targets' default order cap\n"
		"exit: 0 all agree, 1 a divergence, 2 usage or file error\n",
		HPT_HARNESS_DEFAULT_MAX_ORDER);
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
	char line[320];

	/* Into a buffer, so the verdict line can come first */
	rep.buf = rp->report;
	rep.cap = REPORT_BYTES;
	switch (hpt_harness_run(impl, rp->s, &rp->opt, &rep)) {
	case HPT_AGREE:
		if (!rp->quiet && !rp->json)
			printf("%s: %s: agree (rc %s), entries judged exactly: %u of %u\n",
			       path, impl->name,
			       hpt_oracle_rc_name(rep.actual_rc), rep.nr_exact,
			       rep.nr_exact + rep.nr_rules);
		break;
	case HPT_DIVERGE:
		rp->diverged = true;
		if (rp->json)
			break;
		printf("%s: %s (entries judged exactly: %u of %u)\n", path,
		       rep.summary, rep.nr_exact, rep.nr_exact + rep.nr_rules);
		if (!rp->quiet) {
			fputs(rep.buf, stdout);
			if (rep.len >= rep.cap)
				printf("(report truncated)\n");
			printf("\n");
			break;
		}
		hpt_report_divergence_line(&rep, impl->name, line, sizeof(line));
		printf("%s\n", line);
		break;
	default:
		rp->failed = true;
		fprintf(stderr, "hptfuzz-replay: %s: %s: %s\n", path,
			impl->name, rep.summary);
		break;
	}
	fflush(stdout);
}

/*
 * The cap a finding was found with, from FILE.max-order: 0 if there is
 * none, -1 (said on stderr) if it holds no order
 */
static int sidecar_cap(const char *path, u32 *order)
{
	char name[4096 + sizeof(CAP_SUFFIX)], text[32] = "";
	FILE *f;
	size_t n;

	snprintf(name, sizeof(name), "%s%s", path, CAP_SUFFIX);
	f = fopen(name, "r");
	if (!f)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	if (!parse_order(text, order)) {
		fprintf(stderr, "hptfuzz-replay: %s: not an order in 18..46: '%s'\n",
			name, text);
		return -1;
	}
	return 1;
}

static void json_file_head(struct replay *rp, struct hpt_json *j,
			   const char *path, const char *cap_from)
{
	hpt_json_object(j, NULL);
	hpt_json_string(j, "file", path);
	hpt_json_uint(j, "max_order", rp->opt.max_order);
	hpt_json_string(j, "max_order_from", cap_from);
	if (rp->opt.alloc_order)
		hpt_json_uint(j, "alloc_order", rp->opt.alloc_order);
	else
		hpt_json_null(j, "alloc_order");
	hpt_json_bool(j, "raw_words", rp->raw_words);
}

static void replay_file(struct replay *rp, const char *path)
{
	const struct hpt_impl *const *impl;
	const char *cap_from = rp->cap_from;
	struct hpt_report rep = { 0 };
	struct hpt_json j;
	char err[256];
	int found = 0;

	rp->opt.max_order = rp->max_order;
	if (!rp->cap_given)
		found = sidecar_cap(path, &rp->opt.max_order);
	if (found > 0)
		cap_from = "sidecar";
	hpt_json_init(&j, stdout);
	if (found < 0) {
		rp->failed = true;
		return;
	}
	if (hpt_load_scenario(path, rp->raw_words, rp->s, err, sizeof(err))) {
		fprintf(stderr, "hptfuzz-replay: %s: %s\n", path, err);
		rp->failed = true;
		if (rp->json) {
			json_file_head(rp, &j, path, cap_from);
			hpt_json_string(&j, "error", err);
			hpt_json_end(&j);
		}
		return;
	}
	if (rp->text) {
		/* The C codec's reading, for comparison with other codecs */
		hpt_scn_fprint_text(rp->s, stdout);
		return;
	}
	if (rp->json) {
		json_file_head(rp, &j, path, cap_from);
		hpt_json_null(&j, "error");
		rp->opt.json = &j;
		if (hpt_harness_describe(rp->s, &rp->opt, &rep) != HPT_AGREE) {
			/* Each implementation's run says it again */
			fprintf(stderr, "hptfuzz-replay: %s: %s\n", path,
				rep.summary);
		}
		hpt_json_array(&j, "impls");
	}
	if (rp->none) {
		/* Scenario, placement and oracle only: no implementation */
	} else if (rp->only) {
		run_impl(rp, path, rp->only);
	} else {
		for (impl = hpt_impls; *impl; impl++)
			run_impl(rp, path, *impl);
	}
	if (rp->json) {
		hpt_json_end(&j);
		hpt_json_end(&j);
		rp->opt.json = NULL;
		fflush(stdout);
	}
}

/*
 * A finding's report and cap beside it (NAME.txt, NAME.max-order, as the
 * fuzz targets record them) describe NAME; they are not inputs
 */
static bool is_sidecar(char **names, size_t n, const char *name)
{
	static const char *const suffixes[] = { ".txt", CAP_SUFFIX };
	size_t len = strlen(name), i, k, base;

	for (k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
		size_t sl = strlen(suffixes[k]);

		if (len <= sl || strcmp(name + len - sl, suffixes[k]))
			continue;
		base = len - sl;
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == base &&
			    !strncmp(names[i], name, base))
				return true;
	}
	return false;
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
		if (!is_sidecar(names, n, names[i]))
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
	if (!strcmp(arg, "--json")) {
		rp->json = true;
		return true;
	}
	if (!strcmp(arg, "--print-text")) {
		rp->text = true;
		return true;
	}
	if (!val) {
		fprintf(stderr, "hptfuzz-replay: unknown or incomplete option '%s'\n",
			arg);
		return false;
	}
	++*i;
	if (!strcmp(arg, "--impl")) {
		rp->none = !strcmp(val, "none");
		rp->only = strcmp(val, "all") ? hpt_impl_find(val) : NULL;
		if (strcmp(val, "all") && !rp->only && !rp->none) {
			fprintf(stderr, "hptfuzz-replay: no implementation '%s'\n",
				val);
			return false;
		}
		return true;
	}
	if (!strcmp(arg, "--max-order") || !strcmp(arg, "--alloc-order")) {
		if (!strcmp(arg, "--max-order")) {
			rp->cap_given = true;
			rp->cap_from = "option";
		}
		if (!parse_order(val, !strcmp(arg, "--max-order") ?
				 &rp->max_order : &rp->opt.alloc_order)) {
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

	rp.max_order = HPT_HARNESS_DEFAULT_MAX_ORDER;
	rp.cap_from = "default";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--print-default-max-order")) {
			printf("%d\n", HPT_HARNESS_DEFAULT_MAX_ORDER);
			return 0;
		}
	}
	if (env && *env) {
		if (!parse_order(env, &rp.max_order)) {
			fprintf(stderr, "hptfuzz-replay: HPTFUZZ_MAX_ORDER=%s is not an order in 18..46\n",
				env);
			return 2;
		}
		rp.cap_from = "environment";
	}
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			/* Files come after the options; keep their order */
			argv[++nfiles] = argv[i];
			continue;
		}
		if (!parse_option(&rp, argc, argv, &i) ||
		    (rp.quiet && rp.json) || (rp.none && !rp.json)) {
			if (rp.quiet && rp.json)
				fprintf(stderr, "hptfuzz-replay: --quiet and --json do not go together\n");
			if (rp.none && !rp.json)
				fprintf(stderr, "hptfuzz-replay: --impl none needs --json\n");
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
