// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_floor: the memory floor of a differential fuzz target's
 * execution.  For each input, the bytes an execution cannot avoid
 * touching: the old and new tables and their revmaps and the rmap array
 * of every memslot, each cleared once (the allocation) and read once (the
 * judgement), in buffers mapped once and reused, as the host platform's
 * caches reuse them.  Prints executions per CPU second at that floor;
 * bench/fuzz-speed.sh sets it beside the target's own rate.
 *
 *   bench_floor [--raw-words] [--max-order N] [--seconds S] FILE|DIR...
 *
 * --raw-words reads inputs as raw_table does, else as rehash_diff does.
 * Orders fold under the harness's default cap unless --max-order says
 * otherwise, as the targets do.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hpt/harness.h"
#include "hpt/scenario.h"

#define MAX_INPUTS	4096
#define MAX_INPUT_BYTES	(1u << 20)
/* Old and new table, their revmaps, one rmap array per memslot */
#define MAX_BUFS	(4 + HPT_SCN_MAX_MEMSLOTS)
#define REV_BYTES	16	/* struct hpt_rev: guest R and two ring links */
#define RMAP_BYTES	8	/* one rmap word per page */

struct input {
	size_t bytes[MAX_BUFS];
	int nr;
};

static struct input inputs[MAX_INPUTS];
static int nr_inputs;
static u8 data[MAX_INPUT_BYTES];

static void die(const char *fmt, const char *what)
{
	fprintf(stderr, "bench_floor: ");
	fprintf(stderr, fmt, what, strerror(errno));
	fprintf(stderr, "\n");
	exit(2);
}

static void add_input(const char *path, bool raw_words, u32 cap,
		      struct hpt_scenario *s)
{
	struct input *in;
	size_t size;
	FILE *f;
	u32 i;

	if (nr_inputs == MAX_INPUTS)
		return;
	f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path);
	size = fread(data, 1, sizeof(data), f);
	if (ferror(f))
		die("%s: read error: %s", path);
	fclose(f);

	if (raw_words)
		hpt_scn_from_raw_words(s, data, size);
	else
		hpt_scn_decode(s, data, size);
	hpt_scn_cap_orders(s, cap);

	in = &inputs[nr_inputs++];
	in->bytes[in->nr++] = (size_t)1 << s->old_order;
	in->bytes[in->nr++] = ((size_t)1 << (s->old_order - 4)) * REV_BYTES;
	in->bytes[in->nr++] = (size_t)1 << s->new_order;
	in->bytes[in->nr++] = ((size_t)1 << (s->new_order - 4)) * REV_BYTES;
	for (i = 0; i < s->nr_records; i++)
		if (s->rec[i].kind == HPT_SCN_MEMSLOT && s->rec[i].slot.npages)
			in->bytes[in->nr++] =
				(size_t)s->rec[i].slot.npages * RMAP_BYTES;
}

static void add_path(const char *path, bool raw_words, u32 cap,
		     struct hpt_scenario *s)
{
	char child[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (stat(path, &st))
		die("%s: %s", path);
	if (!S_ISDIR(st.st_mode)) {
		add_input(path, raw_words, cap, s);
		return;
	}
	d = opendir(path);
	if (!d)
		die("%s: %s", path);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (!stat(child, &st) && S_ISREG(st.st_mode))
			add_input(child, raw_words, cap, s);
	}
	closedir(d);
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Clear, then read every word once; the barrier keeps both real */
static u64 touch(u64 *p, size_t bytes)
{
	size_t i, n = bytes / sizeof(*p);
	u64 acc = 0;

	memset(p, 0, bytes);
	__asm__ volatile("" : : "r"(p) : "memory");
	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc;
}

int main(int argc, char **argv)
{
	static u64 *buf[MAX_BUFS];
	static size_t cap_bytes[MAX_BUFS];
	u32 cap = HPT_HARNESS_DEFAULT_MAX_ORDER;
	double seconds = 1.0, t0, t;
	bool raw_words = false;
	struct hpt_scenario *s = malloc(sizeof(*s));
	unsigned long long execs = 0, bytes = 0;
	u64 acc = 0;
	int i, j;
	char *end;

	if (!s)
		return 2;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--raw-words")) {
			raw_words = true;
		} else if (!strcmp(argv[i], "--max-order") && i + 1 < argc) {
			cap = strtoul(argv[++i], &end, 0);
			if (*end || cap < 18 || cap > 46) {
				fprintf(stderr, "bench_floor: --max-order %s: not an order in 18..46\n",
					argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtod(argv[++i], &end);
			if (*end || seconds <= 0) {
				fprintf(stderr, "bench_floor: --seconds %s: not a positive number\n",
					argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: bench_floor [--raw-words] [--max-order N] [--seconds S] FILE|DIR...\n");
			return 2;
		}
	}
	for (; i < argc; i++)
		add_path(argv[i], raw_words, cap, s);
	free(s);
	if (!nr_inputs) {
		fprintf(stderr, "bench_floor: no inputs\n");
		return 2;
	}

	/* Mapped once, faulted in once: the platform's caches reuse theirs */
	for (i = 0; i < nr_inputs; i++) {
		for (j = 0; j < inputs[i].nr; j++) {
			if (inputs[i].bytes[j] <= cap_bytes[j])
				continue;
			free(buf[j]);
			buf[j] = malloc(inputs[i].bytes[j]);
			if (!buf[j])
				die("%s: %s", "out of memory");
			cap_bytes[j] = inputs[i].bytes[j];
			touch(buf[j], cap_bytes[j]);
		}
	}

	t0 = cpu_seconds();
	do {
		for (i = 0; i < nr_inputs; i++, execs++)
			for (j = 0; j < inputs[i].nr; j++) {
				acc |= touch(buf[j], inputs[i].bytes[j]);
				bytes += inputs[i].bytes[j];
			}
		t = cpu_seconds() - t0;
	} while (t < seconds);

	printf("floor: %d inputs, %.0f KB touched per execution, %.0f exec/s (clear and one read, %.1f GB/s)%s\n",
	       nr_inputs, bytes / 1024.0 / execs, execs / t, 2 * bytes / t / 1e9,
	       acc ? " (nonzero read)" : "");
	for (j = 0; j < MAX_BUFS; j++)
		free(buf[j]);
	return 0;
}
