// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guarded tables (cfg.guard_tables): each table sits between two
 * inaccessible mappings of its own size, so an index computed wrongly
 * faults instead of corrupting the heap, and a fault handler can tell
 * which table's guard it hit.
 */
/* MAP_ANONYMOUS is not POSIX */
#define _DEFAULT_SOURCE
#include <sys/mman.h>

#include "hpt_user_internal.h"

/* [guard][table][guard], each 2^order bytes; only the table accessible */
static void *guarded_map(u32 order)
{
	size_t len = (size_t)1 << order;
	u8 *base = mmap(NULL, 3 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);

	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base + len, len, PROT_READ | PROT_WRITE)) {
		munmap(base, 3 * len);
		return NULL;
	}
	return base + len;
}

/*
 * Fuzzers allocate and free tables of the same few orders thousands of
 * times a second: keep some mappings and clear them for reuse, instead of
 * paying a map, an unmap and a page fault per page every time.
 */
#define GUARD_CACHE_ORDERS	8	/* orders 18..25 */
#define GUARD_CACHE_DEPTH	4

static struct {
	void *virt;
	bool zeroed;	/* the whole table is known zero (known_zero.c) */
} guard_cache[GUARD_CACHE_ORDERS][GUARD_CACHE_DEPTH];

/*
 * The guarded tables in use, for hpt_user_guard_hit(): a fault handler
 * reads this, so it is a plain array changed only outside such faults.
 */
#define GUARD_LIVE_MAX		64

static struct {
	const u8 *virt;
	u32 order;
} guard_live[GUARD_LIVE_MAX];

static void guard_live_set(const void *old, const void *virt, u32 order)
{
	int i;

	for (i = 0; i < GUARD_LIVE_MAX; i++) {
		if (guard_live[i].virt == old) {
			guard_live[i].order = order;
			guard_live[i].virt = virt;
			return;
		}
	}
	/* Full: this table's guards still fault, but go unreported */
}

bool hpt_user_guard_hit(const void *addr, struct hpt_user_guard_hit *hit)
{
	const u8 *a = addr;
	size_t len;
	int i;

	for (i = 0; i < GUARD_LIVE_MAX; i++) {
		if (!guard_live[i].virt)
			continue;
		len = (size_t)1 << guard_live[i].order;
		if (a < guard_live[i].virt - len ||
		    a >= guard_live[i].virt + 2 * len ||
		    (a >= guard_live[i].virt && a < guard_live[i].virt + len))
			continue;
		hit->table = guard_live[i].virt;
		hit->order = guard_live[i].order;
		hit->offset = a - guard_live[i].virt;
		return true;
	}
	return false;
}

void *hpt_user_guarded_alloc(u32 order)
{
	u32 slot = order - HPT_MIN_ORDER;
	void *virt = NULL;
	int i;

	if (slot < GUARD_CACHE_ORDERS) {
		for (i = 0; i < GUARD_CACHE_DEPTH && !virt; i++) {
			virt = guard_cache[slot][i].virt;
			if (!virt)
				continue;
			guard_cache[slot][i].virt = NULL;
			KEPT_UNPOISON(virt, (size_t)1 << order);
			if (guard_cache[slot][i].zeroed)
				hpt_user_known_zero_check(virt, (size_t)1 << order);
			else
				memset(virt, 0, (size_t)1 << order);
		}
	}
	if (!virt)
		virt = guarded_map(order);
	if (virt)
		guard_live_set(NULL, virt, order);
	return virt;
}

void hpt_user_guarded_free(void *virt, u32 order)
{
	size_t len = (size_t)1 << order;
	u32 slot = order - HPT_MIN_ORDER;
	size_t zeroed = hpt_user_known_zero_take(virt, len);
	int i;

	guard_live_set(virt, NULL, 0);
	if (slot < GUARD_CACHE_ORDERS) {
		for (i = 0; i < GUARD_CACHE_DEPTH; i++) {
			if (!guard_cache[slot][i].virt) {
				guard_cache[slot][i].virt = virt;
				guard_cache[slot][i].zeroed = zeroed == len;
				KEPT_POISON(virt, len);
				return;
			}
		}
	}
	munmap((u8 *)virt - len, 3 * len);
}
