// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-kvm: the host side of scripts/qemu/kvm-host.sh.
 *
 *   hptfuzz-kvm prep --out DIR [--max-order N] [--raw-words] FILE|DIR...
 *   hptfuzz-kvm judge --dir DIR --results FILE [--impl NAME]
 *                     [--expect FILE] [--quiet]
 *
 * Exit status: prep 0, or 2 on a usage or file error; judge 0 when every
 * verdict is the expected one, 1 otherwise, 2 for unreadable inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmhost.h"

#define DEFAULT_MAX_ORDER	HPT_HARNESS_DEFAULT_MAX_ORDER	/* the fuzz targets' cap */

static void usage(FILE *f)
{
	fprintf(f, "usage: hptfuzz-kvm prep --out DIR [--max-order N] [--raw-words] FILE|DIR...\n"
		"       hptfuzz-kvm judge --dir DIR --results FILE [--impl NAME]\n"
		"                         [--expect FILE] [--quiet]\n"
		"prep:  --max-order N   fold orders above N as the fuzz targets do (default %d)\n"
		"       --raw-words     binary files are raw_table inputs (raw words)\n"
		"judge: --impl NAME     the implementation's name in reports (default kvm-hv)\n"
		"       --expect FILE   verdicts known not to be PASS: NAME VERDICT [IMPL]\n"
		"       --quiet         details only for unexpected verdicts\n",
		DEFAULT_MAX_ORDER);
}

static int prep_main(int argc, char **argv)
{
	u32 max_order = DEFAULT_MAX_ORDER;
	const char *out = NULL;
	bool raw_words = false;
	unsigned long x;
	int i, nfiles = 0;
	char *end;

	for (i = 0; i < argc; i++) {
		if (argv[i][0] != '-') {
			argv[nfiles++] = argv[i];
		} else if (!strcmp(argv[i], "--raw-words")) {
			raw_words = true;
		} else if (i + 1 < argc && !strcmp(argv[i], "--out")) {
			out = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--max-order")) {
			errno = 0;
			x = strtoul(argv[++i], &end, 10);
			if (errno || *end || !hpt_order_valid(x)) {
				fprintf(stderr, "hptfuzz-kvm: --max-order %s: not an order in 18..46\n",
					argv[i]);
				return 2;
			}
			max_order = x;
		} else {
			fprintf(stderr, "hptfuzz-kvm: prep: bad or incomplete option '%s'\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!out || !nfiles) {
		usage(stderr);
		return 2;
	}
	return kh_prep(out, max_order, raw_words, argv, nfiles);
}

static int judge_main(int argc, char **argv)
{
	const char *dir = NULL, *results = NULL, *expect = NULL;
	const char *impl = "kvm-hv";
	bool quiet = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (i + 1 >= argc)
			break;
		else if (!strcmp(argv[i], "--dir"))
			dir = argv[++i];
		else if (!strcmp(argv[i], "--results"))
			results = argv[++i];
		else if (!strcmp(argv[i], "--impl"))
			impl = argv[++i];
		else if (!strcmp(argv[i], "--expect"))
			expect = argv[++i];
		else
			break;
	}
	if (i < argc || !dir || !results) {
		if (i < argc)
			fprintf(stderr, "hptfuzz-kvm: judge: bad or incomplete option '%s'\n",
				argv[i]);
		usage(stderr);
		return 2;
	}
	return kh_judge(dir, results, impl, expect, quiet);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "prep"))
		return prep_main(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "judge"))
		return judge_main(argc - 2, argv + 2);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
