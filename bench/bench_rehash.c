// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rehash speed: tables of order 20, 24 and 28 filled to 0, 10 and 50 %
 * with bolted VALID 4K entries, grown by one order.  Prints ns per entry
 * scanned and per entry moved, and how the rehash compares with a memcpy
 * of the same table.  Each figure is the median of REPS runs, each on a
 * freshly filled table (a rehash empties the old one).  Prints figures
 * only; asserts nothing.
 *
 * usage: bench_rehash [max_order [reps]]   (default 28 5, reps at most 15)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hpt/protocol.h"
#include "hpt/resize.h"
#include "hpt_user.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define RNG_SEED	0x9e3779b97f4a7c15ULL
#define MAX_REPS	15

static u64 rng_state;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * A bolted 4K entry in a 256 MB segment hashing to group g: with page
 * index p, the VSID's low bits are chosen as g ^ p.
 */
static void fill(struct hpt_vm *vm, unsigned int percent)
{
	u64 mask = hpt_hash_mask(&vm->hpt), idx;
	u64 npte = hpt_npte(&vm->hpt);

	for (idx = 0; idx < npte; idx++) {
		u64 g = idx / HPT_HPTES_PER_GROUP, p, vsid, avpn;

		if (rng() % 100 >= percent)
			continue;
		p = rng() & 0xffff;
		vsid = ((g ^ p) & mask) | ((rng() & 0xfffff) << 24);
		avpn = (vsid << 5) | (p >> 11);
		hpt_write_hpte(vm, hpt_hptep(&vm->hpt, idx),
			       (avpn << HPT_V_AVPN_SHIFT) | HPT_V_BOLTED |
			       HPT_V_VALID, (idx & 0xffffff) << 12 | 0x192);
		vm->hpt.rev[idx].guest_rpte = (idx & 0xffffff) << 12 | 0x192;
	}
}

static u64 count_used(const struct hpt_info *hpt)
{
	u64 idx, n = 0;

	for (idx = 0; idx < hpt_npte(hpt); idx++)
		n += hpt_hpte_is_used(hpt_load_be64(hpt_hptep(hpt, idx)));
	return n;
}

struct sample {
	double rehash_ns, copy_ns;
	u64 npte, moved;
};

static int measure(u32 order, unsigned int percent, struct sample *out)
{
	/* Measure the core, not the recorder's event log */
	struct hpt_user_config cfg = { .order = order, .no_log = true };
	struct hpt_vm vm;
	double t0;
	void *copy;
	long ret;

	if (hpt_user_vm_init(&vm, &cfg)) {
		fprintf(stderr, "cannot allocate an order %u table\n", order);
		return 1;
	}
	/*
	 * Write the empty table and revmap once: read-only, calloc's pages
	 * stay shared zero pages and the rehash's first store to each would
	 * be timed as a fault (a kernel table is backed when allocated).
	 */
	memset(vm.hpt.virt, 0, (size_t)1 << order);
	memset(vm.hpt.rev, 0, hpt_npte(&vm.hpt) * sizeof(struct hpt_rev));
	rng_state = RNG_SEED;	/* every repetition fills the same table */
	fill(&vm, percent);
	out->npte = hpt_npte(&vm.hpt);

	copy = malloc((size_t)1 << order);
	if (!copy) {
		hpt_user_vm_destroy(&vm);
		return 1;
	}
	/* Touch both sides first so page faults are not timed */
	memcpy(copy, vm.hpt.virt, (size_t)1 << order);
	t0 = now_ns();
	memcpy(copy, vm.hpt.virt, (size_t)1 << order);
	/* The copy is never read: keep the compiler from dropping it */
	__asm__ volatile("" : : "r"(copy) : "memory");
	out->copy_ns = now_ns() - t0;
	free(copy);

	ret = hpt_resize_prepare(&vm, 0, order + 1);
	hpt_user_sched_run_all(&vm);
	if (ret != HPT_PREPARE_WAIT_MS || hpt_resize_prepare(&vm, 0, order + 1)) {
		fprintf(stderr, "prepare of order %u failed\n", order + 1);
		hpt_user_vm_destroy(&vm);
		return 1;
	}
	/* Fault the new table in: the allocation, not the rehash, pays that */
	memset(vm.resize->hpt.virt, 0, (size_t)1 << (order + 1));
	memset(vm.resize->hpt.rev, 0, hpt_npte(&vm.resize->hpt) *
	       sizeof(struct hpt_rev));
	t0 = now_ns();
	ret = hpt_rehash(&vm, &vm.resize->hpt);
	out->rehash_ns = now_ns() - t0;
	out->moved = count_used(&vm.resize->hpt);
	hpt_user_vm_destroy(&vm);
	if (ret)
		fprintf(stderr, "order %u fill %u%%: rehash failed (%ld)\n",
			order, percent, ret);
	return ret != 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int run(u32 order, unsigned int percent, unsigned int reps)
{
	double rehash[MAX_REPS], copy[MAX_REPS], rehash_ns, copy_ns;
	struct sample s;
	unsigned int r;

	for (r = 0; r < reps; r++) {
		if (measure(order, percent, &s))
			return 1;
		rehash[r] = s.rehash_ns;
		copy[r] = s.copy_ns;
	}
	rehash_ns = median(rehash, reps);
	copy_ns = median(copy, reps);
	printf("order %2u  fill %2u%%  entries %10llu  moved %10llu  "
	       "%6.2f ns/scanned  %7.2f ns/moved  memcpy %8.2f ms  "
	       "rehash %8.2f ms  ratio %6.1fx\n",
	       order, percent, (unsigned long long)s.npte,
	       (unsigned long long)s.moved, rehash_ns / s.npte,
	       s.moved ? rehash_ns / s.moved : 0.0, copy_ns / 1e6,
	       rehash_ns / 1e6, rehash_ns / copy_ns);
	return 0;
}

int main(int argc, char **argv)
{
	static const u32 orders[] = { 20, 24, 28 };
	static const unsigned int fills[] = { 0, 10, 50 };
	u32 max_order = argc > 1 ? (u32)strtoul(argv[1], NULL, 0) : 28;
	unsigned int reps = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0)
				     : 5;
	int failed = 0;
	size_t i, j;

	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		if (orders[i] > max_order)
			break;
		for (j = 0; j < sizeof(fills) / sizeof(fills[0]); j++)
			failed |= run(orders[i], fills[j],
				      reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps);
	}
	return failed;
}
