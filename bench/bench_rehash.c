// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rehash speed: tables of order 20, 24 and 28 filled to 0, 10 and 50 %
 * with bolted VALID 4K entries, grown by one order.  Prints ns per entry
 * scanned and per entry moved, and how the rehash compares with a memcpy
 * of the same table.  Prints figures only; asserts nothing.
 *
 * usage: bench_rehash [max_order]   (default 28)
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

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

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

static int run(u32 order, unsigned int percent)
{
	/* Measure the core, not the recorder's event log */
	struct hpt_user_config cfg = { .order = order, .no_log = true };
	struct hpt_vm vm;
	u64 npte, moved;
	double t0, rehash_ns, copy_ns;
	void *copy;
	long ret;

	if (hpt_user_vm_init(&vm, &cfg)) {
		fprintf(stderr, "cannot allocate an order %u table\n", order);
		return 1;
	}
	fill(&vm, percent);
	npte = hpt_npte(&vm.hpt);

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
	copy_ns = now_ns() - t0;
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
	rehash_ns = now_ns() - t0;
	moved = count_used(&vm.resize->hpt);

	printf("order %2u  fill %2u%%  entries %10llu  moved %10llu  "
	       "%6.2f ns/scanned  %7.2f ns/moved  memcpy %8.2f ms  "
	       "rehash %8.2f ms  ratio %6.1fx%s\n",
	       order, percent, (unsigned long long)npte,
	       (unsigned long long)moved, rehash_ns / npte,
	       moved ? rehash_ns / moved : 0.0, copy_ns / 1e6,
	       rehash_ns / 1e6, rehash_ns / copy_ns,
	       ret ? "  (rehash failed)" : "");
	hpt_user_vm_destroy(&vm);
	return ret != 0;
}

int main(int argc, char **argv)
{
	static const u32 orders[] = { 20, 24, 28 };
	static const unsigned int fills[] = { 0, 10, 50 };
	u32 max_order = argc > 1 ? (u32)strtoul(argv[1], NULL, 0) : 28;
	int failed = 0;
	size_t i, j;

	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		if (orders[i] > max_order)
			break;
		for (j = 0; j < sizeof(fills) / sizeof(fills[0]); j++)
			failed |= run(orders[i], fills[j]);
	}
	return failed;
}
