// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rehash speed of every implementation that offers its own rehash of the
 * whole table (rehash_table in hpt_impls[]): the core, the patch-2016 port and,
 * where their sources were at hand, the kernel's own loops compiled
 * verbatim.  Tables of order 20, 24 and 28 filled to 0, 10 and 50 % with
 * bolted VALID 4K entries are rehashed into a table one order larger.
 * Every implementation gets the same table (same random seed), on a
 * stopped guest of the host platform without event log or bookkeeping
 * (cfg.bench), into a new table already faulted in; only the call to
 * rehash_table is timed.  The floor is a memcpy of the old table.
 *
 * Prints, per order and fill, each implementation's time as a ratio to
 * the memcpy, then the times in ms with the core's ns per entry scanned
 * and per entry moved.  Each figure is the median of REPS runs, the
 * implementations taking turns within each run so that noise from other
 * work on the machine falls on all of them alike.  A cell that names a
 * fate (BUG, hang) or an error instead of a figure is what that
 * implementation did on that row.  Prints figures only; asserts nothing.
 *
 * usage: bench_rehash [max_order [reps]]   (default 28 5, reps at most 15)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hpt/harness.h"
#include "hpt/model.h"
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
#define MAX_IMPLS	16
#define CELL		16	/* width of a column: the longest name */

static u64 rng_state;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * One memslot backs every frame the entries name, from gfn 0: the
 * kernel's rehash BUGs on a VALID entry no memslot backs (H_ENTER places
 * none), and with one the unmap does its real work, the rmap ring.
 */
#define GFN_BITS	24

static int add_memslot(struct hpt_vm *vm)
{
	u64 npte = hpt_npte(&vm->hpt);
	u64 npages = npte < (1ULL << GFN_BITS) ? npte : 1ULL << GFN_BITS;

	vm->memslots = calloc(1, sizeof(*vm->memslots));
	if (!vm->memslots)
		return -ENOMEM;
	vm->memslots->npages = npages;
	vm->memslots->rmap = calloc(npages, sizeof(u64));
	if (!vm->memslots->rmap) {
		free(vm->memslots);
		vm->memslots = NULL;
		return -ENOMEM;
	}
	/* Backed now, so the unmaps' first stores are not timed as faults */
	memset(vm->memslots->rmap, 0, npages * sizeof(u64));
	vm->nr_memslots = 1;
	return 0;
}

static void free_memslot(struct hpt_vm *vm)
{
	if (vm->memslots)
		free(vm->memslots->rmap);
	free(vm->memslots);
	vm->memslots = NULL;
	vm->nr_memslots = 0;
}

/*
 * A bolted 4K entry in a 256 MB segment hashing to group g: with page
 * index p, the VSID's low bits are chosen as g ^ p.  Each is linked into
 * the rmap ring of its frame, as H_ENTER does.
 */
static void fill(struct hpt_vm *vm, unsigned int percent)
{
	u64 mask = hpt_hash_mask(&vm->hpt), idx;
	u64 npte = hpt_npte(&vm->hpt);
	u64 gfn_mask = (1ULL << GFN_BITS) - 1;

	for (idx = 0; idx < npte; idx++) {
		u64 g = idx / HPT_HPTES_PER_GROUP, p, vsid, avpn;

		if (rng() % 100 >= percent)
			continue;
		p = rng() & 0xffff;
		vsid = ((g ^ p) & mask) | ((rng() & 0xfffff) << 24);
		avpn = (vsid << 5) | (p >> 11);
		hpt_write_hpte(vm, hpt_hptep(&vm->hpt, idx),
			       (avpn << HPT_V_AVPN_SHIFT) | HPT_V_BOLTED |
			       HPT_V_VALID, (idx & gfn_mask) << 12 | 0x192);
		vm->hpt.rev[idx].guest_rpte = (idx & gfn_mask) << 12 | 0x192;
		hpt_model_link_rmap(vm, &vm->hpt, idx, idx & gfn_mask);
	}
}

static u64 count_used(const struct hpt_info *hpt)
{
	u64 idx, n = 0;

	for (idx = 0; idx < hpt_npte(hpt); idx++)
		n += hpt_hpte_is_used(hpt_load_be64(hpt_hptep(hpt, idx)));
	return n;
}

/* What one implementation did on one row, over the repetitions */
struct cell {
	double ns[MAX_REPS];
	unsigned int runs;
	int ret;			/* first error, 0 if none */
	struct hpt_impl_outcome out;	/* first fate other than RETURNED */
	u64 moved;			/* entries in the new table */
	bool failed;
};

static const struct hpt_impl *impls[MAX_IMPLS];
static unsigned int nr_impls;

/*
 * One rehash of a freshly filled table by impl; with copy_ns, time a
 * memcpy of the filled table as well.  1 if the run could not be set up.
 */
static int measure(const struct hpt_impl *impl, u32 order,
		   unsigned int percent, struct cell *c, double *copy_ns)
{
	/* The rehash alone: no event log, no bookkeeping of hook calls */
	struct hpt_user_config cfg = {
		.order = order, .no_log = true, .bench = true,
	};
	struct hpt_impl_outcome out;
	struct hpt_info new;
	struct hpt_vm vm;
	double t0, t1;
	int ret;

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
	if (add_memslot(&vm)) {
		hpt_user_vm_destroy(&vm);
		return 1;
	}
	rng_state = RNG_SEED;	/* every run fills the same table */
	fill(&vm, percent);

	if (copy_ns) {
		void *copy = malloc((size_t)1 << order);

		if (!copy) {
			free_memslot(&vm);
			hpt_user_vm_destroy(&vm);
			return 1;
		}
		/* Touch both sides first so page faults are not timed */
		memcpy(copy, vm.hpt.virt, (size_t)1 << order);
		t0 = now_ns();
		memcpy(copy, vm.hpt.virt, (size_t)1 << order);
		/* The copy is never read: keep the compiler from dropping it */
		__asm__ volatile("" : : "r"(copy) : "memory");
		*copy_ns = now_ns() - t0;
		free(copy);
	}

	if (hpt_table_alloc(&vm, &new, order + 1)) {
		fprintf(stderr, "cannot allocate an order %u table\n",
			order + 1);
		free_memslot(&vm);
		hpt_user_vm_destroy(&vm);
		return 1;
	}
	/* Fault the new table in: the allocation, not the rehash, pays that */
	memset(new.virt, 0, (size_t)1 << new.order);
	memset(new.rev, 0, hpt_npte(&new) * sizeof(struct hpt_rev));

	memset(&out, 0, sizeof(out));
	out.fate = HPT_IMPL_RETURNED;
	out.idx = HPT_ORACLE_NO_INDEX;
	hpt_plat_stop_guest(&vm);
	t0 = now_ns();
	ret = impl->rehash_table(&vm, &new, &out);
	t1 = now_ns();
	hpt_plat_resume_guest(&vm);

	if (ret || out.fate != HPT_IMPL_RETURNED) {
		c->failed = true;
		c->ret = ret;
		c->out = out;
	} else {
		c->ns[c->runs++] = t1 - t0;
		c->moved = count_used(&new);
	}
	hpt_table_free(&vm, &new);
	if (impl->cleanup)
		impl->cleanup(&vm);
	hpt_user_vm_destroy(&vm);
	free_memslot(&vm);
	return 0;
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

/* The kernel's own loops, as against the core and the patch-2016 port */
static bool is_kernel(const struct hpt_impl *impl)
{
	return !strncmp(impl->name, "linux-", 6) ||
	       !strcmp(impl->name, "patch-2016");
}

/* A failed cell: the fate, else the error */
static const char *fate_text(const struct cell *c, char *buf, size_t len)
{
	if (c->out.fate == HPT_IMPL_CRASHED)
		return strncmp(c->out.what, "BUG", 3) ? "crash" : "BUG";
	if (c->out.fate == HPT_IMPL_HUNG)
		return "hang";
	snprintf(buf, len, "err %d", c->ret);
	return buf;
}

struct row {
	u32 order;
	unsigned int percent;
	u64 npte;
	double copy_ns;
	double ns[MAX_IMPLS];	/* medians */
	struct cell cells[MAX_IMPLS];
};

static void print_header(const char *first)
{
	unsigned int i;

	printf("%-5s %4s %10s  %*s", "order", "fill", "entries", CELL, first);
	for (i = 0; i < nr_impls; i++)
		printf(" %*s", CELL, impls[i]->name);
}

static void print_rows(const struct row *rows, unsigned int nr_rows)
{
	unsigned int r, i;
	char buf[32];
	bool differs = false;

	printf("rehash time / memcpy of the table (median of the runs)\n");
	print_header("memcpy ms");
	printf(" %*s\n", CELL, "core/kernel");
	for (r = 0; r < nr_rows; r++) {
		const struct row *w = &rows[r];
		double best = 0;

		printf("%5u %3u%% %10llu  %*.3f", w->order, w->percent,
		       (unsigned long long)w->npte, CELL, w->copy_ns / 1e6);
		for (i = 0; i < nr_impls; i++) {
			const struct cell *c = &w->cells[i];
			bool odd = !c->failed &&
				   c->moved != w->cells[0].moved;

			if (c->failed) {
				printf(" %*s", CELL, fate_text(c, buf,
							       sizeof(buf)));
				continue;
			}
			snprintf(buf, sizeof(buf), "%.2fx%s",
				 w->ns[i] / w->copy_ns, odd ? "*" : "");
			printf(" %*s", CELL, buf);
			differs |= odd;
			if (is_kernel(impls[i]) && (!best || w->ns[i] < best))
				best = w->ns[i];
		}
		/* The core is impls[0]: hpt_impls[] lists it first */
		if (best && !w->cells[0].failed)
			printf(" %*.2f\n", CELL, w->ns[0] / best);
		else
			printf(" %*s\n", CELL, "-");
	}
	printf("core/kernel: the core's time over the fastest kernel loop's\n");
	if (differs)
		printf("*: moved another number of entries than the core\n");

	printf("\nrehash time in ms; the core per entry scanned and moved\n");
	print_header("moved");
	printf(" %*s %*s\n", CELL, "core ns/scan", CELL, "core ns/move");
	for (r = 0; r < nr_rows; r++) {
		const struct row *w = &rows[r];
		u64 moved = w->cells[0].moved;

		printf("%5u %3u%% %10llu  %*llu", w->order, w->percent,
		       (unsigned long long)w->npte, CELL,
		       (unsigned long long)moved);
		for (i = 0; i < nr_impls; i++) {
			if (w->cells[i].failed)
				printf(" %*s", CELL, fate_text(&w->cells[i], buf,
							       sizeof(buf)));
			else
				printf(" %*.2f", CELL, w->ns[i] / 1e6);
		}
		printf(" %*.2f %*.2f\n", CELL, w->ns[0] / w->npte, CELL,
		       moved ? w->ns[0] / moved : 0.0);
	}
}

static int run(u32 order, unsigned int percent, unsigned int reps,
	       struct row *w)
{
	double copy[MAX_REPS];
	unsigned int r, i;

	memset(w, 0, sizeof(*w));
	w->order = order;
	w->percent = percent;
	w->npte = hpt_order_npte(order);
	for (r = 0; r < reps; r++) {
		for (i = 0; i < nr_impls; i++) {
			/* One failure says it: the rest of the runs would too */
			if (w->cells[i].failed)
				continue;
			if (measure(impls[i], order, percent, &w->cells[i],
				    i == 0 ? &copy[r] : NULL))
				return 1;
		}
	}
	w->copy_ns = median(copy, reps);
	for (i = 0; i < nr_impls; i++) {
		if (!w->cells[i].failed)
			w->ns[i] = median(w->cells[i].ns, w->cells[i].runs);
	}
	fprintf(stderr, "order %u fill %u%% done\n", order, percent);
	return 0;
}

int main(int argc, char **argv)
{
	static const u32 orders[] = { 20, 24, 28 };
	static const unsigned int fills[] = { 0, 10, 50 };
	static struct row rows[9];
	u32 max_order = argc > 1 ? (u32)strtoul(argv[1], NULL, 0) : 28;
	unsigned int reps = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0)
				     : 5;
	unsigned int nr_rows = 0;
	size_t i, j;

	reps = reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps;
	for (i = 0; hpt_impls[i] && nr_impls < MAX_IMPLS; i++) {
		if (hpt_impls[i]->rehash_table)
			impls[nr_impls++] = hpt_impls[i];
	}
	if (!nr_impls || impls[0] != &hpt_impl_core) {
		fprintf(stderr, "the core must come first in hpt_impls[]\n");
		return 1;
	}
	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		if (orders[i] > max_order)
			break;
		for (j = 0; j < sizeof(fills) / sizeof(fills[0]); j++) {
			if (run(orders[i], fills[j], reps, &rows[nr_rows]))
				return 1;
			nr_rows++;
		}
	}
	print_rows(rows, nr_rows);
	return 0;
}
