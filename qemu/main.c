// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz-qemu: the host side of scripts/qemu/run.sh.
 *
 *   hptfuzz-qemu prep --out DIR [--max-order N] [--base-order N]
 *                     [--hv-max-order N] [--vsid tag|fold] [--avoid KINDS]
 *                     [--raw-words] FILE|DIR...
 *   hptfuzz-qemu judge --dir DIR --results FILE [--expect FILE]
 *                      [--accel tcg|kvm] [--quiet]
 *
 * Exit status: prep 0, or 2 on a usage or file error; judge as judge.c
 * says (0 all as expected, 1 not, 2 unreadable inputs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq.h"

#define DEFAULT_MAX_ORDER	HPT_HARNESS_DEFAULT_MAX_ORDER	/* the fuzz targets' cap */
#define DEFAULT_HV_MAX_ORDER	24	/* QEMU: RAM's order + 1 for 1 GB */

static void usage(FILE *f)
{
	fprintf(f, "usage: hptfuzz-qemu prep --out DIR [--max-order N] [--base-order N]\n"
		"                         [--hv-max-order N] [--vsid tag|fold] [--avoid KINDS]\n"
		"                         [--raw-words] FILE|DIR...\n"
		"       hptfuzz-qemu judge --dir DIR --results FILE [--expect FILE]\n"
		"                          [--accel tcg|kvm] [--quiet]\n"
		"prep:  --max-order N     fold orders above N as the fuzz targets do (default %d)\n"
		"       --base-order N    the hypervisor's order for scenario order 18 (default 18)\n"
		"       --hv-max-order N  the largest order the hypervisor grants (default %d)\n"
		"       --vsid tag|fold   keep VSIDs clear of the guest's (docs/qemu.md; default tag)\n"
		"       --avoid KINDS     leave out entries QEMU's TCG resize dies on: all, none,\n"
		"                         bolted-secondary, bolted-mpss (default none)\n"
		"judge: --expect FILE     verdicts known not to be PASS: NAME VERDICT [ACCEL]\n"
		"       --quiet           details only for unexpected verdicts\n",
		DEFAULT_MAX_ORDER, DEFAULT_HV_MAX_ORDER);
}

static bool order_arg(const char *opt, const char *val, u32 *order)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(val, &end, 10);
	if (errno || !*val || *end || !hpt_order_valid(x)) {
		fprintf(stderr, "hptfuzz-qemu: %s %s: not an order in 18..46\n",
			opt, val);
		return false;
	}
	*order = x;
	return true;
}

static bool value_arg(const char *opt, const char *val, bool parsed)
{
	if (!parsed)
		fprintf(stderr, "hptfuzz-qemu: %s %s: not a value it takes (--help)\n",
			opt, val);
	return parsed;
}

static int prep_main(int argc, char **argv)
{
	struct hq_adapt adapt = {
		.vsid = HQ_VSID_TAG,
		.base_order = HPT_MIN_ORDER,
		.max_order = DEFAULT_HV_MAX_ORDER,
	};
	u32 max_order = DEFAULT_MAX_ORDER;
	const char *out = NULL, *val;
	bool raw_words = false, ok = true;
	int i, nfiles = 0;

	for (i = 0; i < argc; i++) {
		val = i + 1 < argc ? argv[i + 1] : NULL;
		if (argv[i][0] != '-') {
			argv[nfiles++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--raw-words")) {
			raw_words = true;
			continue;
		}
		if (!val)
			break;
		if (!strcmp(argv[i], "--out"))
			out = val;
		else if (!strcmp(argv[i], "--max-order"))
			ok = order_arg(argv[i], val, &max_order);
		else if (!strcmp(argv[i], "--base-order"))
			ok = order_arg(argv[i], val, &adapt.base_order);
		else if (!strcmp(argv[i], "--hv-max-order"))
			ok = order_arg(argv[i], val, &adapt.max_order);
		else if (!strcmp(argv[i], "--vsid"))
			ok = value_arg(argv[i], val,
				       hq_vsid_policy_parse(val, &adapt.vsid));
		else if (!strcmp(argv[i], "--avoid"))
			ok = value_arg(argv[i], val,
				       hq_avoid_parse(val, &adapt.avoid));
		else
			break;
		if (!ok)
			return 2;
		i++;
	}
	if (i < argc || !out || !nfiles) {
		if (i < argc)
			fprintf(stderr, "hptfuzz-qemu: prep: bad or incomplete option '%s'\n",
				argv[i]);
		usage(stderr);
		return 2;
	}
	return hq_prep(out, &adapt, max_order, raw_words, argv, nfiles);
}

static int judge_main(int argc, char **argv)
{
	const char *dir = NULL, *results = NULL, *expect = NULL;
	const char *accel = "tcg";
	bool quiet = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (i + 1 >= argc) {
			break;
		} else if (!strcmp(argv[i], "--dir")) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--results")) {
			results = argv[++i];
		} else if (!strcmp(argv[i], "--expect")) {
			expect = argv[++i];
		} else if (!strcmp(argv[i], "--accel")) {
			accel = argv[++i];
		} else {
			break;
		}
	}
	if (i < argc || !dir || !results) {
		if (i < argc)
			fprintf(stderr, "hptfuzz-qemu: judge: bad or incomplete option '%s'\n",
				argv[i]);
		usage(stderr);
		return 2;
	}
	return hq_judge(dir, results, expect, accel, quiet);
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
