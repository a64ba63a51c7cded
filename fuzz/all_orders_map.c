// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lazily mapped tables for the all-orders check (all_orders_map.h).
 * They are mapped and unmapped around every check so that the page
 * tables of scattered indices do not pile up over a fuzzing run.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "all_orders_map.h"

#define PAGE_SHIFT	12
/* HPTE groups of 128 bytes per 4K page */
#define GROUPS_PER_PAGE_SHIFT	(PAGE_SHIFT - 7)
/* Offsets past this many pages are not tried: the sets are tiny */
#define MAX_OFFSET	(1u << 16)

/* A revmap entry per 16-byte HPTE: 2^order bytes too */
_Static_assert(sizeof(struct hpt_rev) == 16, "revmap entry is 16 bytes");

static int touch(u64 *groups, u32 *n, u64 group)
{
	if (*n == AO_MAX_GROUPS)
		return -E2BIG;
	groups[(*n)++] = group;
	return 0;
}

int ao_touch_old(struct ao_touch *w, u64 group)
{
	return touch(w->old_group, &w->nr_old, group);
}

int ao_touch_new(struct ao_touch *w, u64 group)
{
	return touch(w->new_group, &w->nr_new, group);
}

static void *map_lazy(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap_lazy(void *p, u32 order)
{
	if (p)
		munmap(p, (size_t)1 << order);
}

void ao_unmap(struct ao_tables *t)
{
	if (t->shared) {
		munmap(t->shared, t->shared_len);
	} else {
		unmap_lazy(t->old_virt, t->old_order);
		unmap_lazy(t->old_rev, t->old_order);
		unmap_lazy(t->new_virt, t->new_order);
		unmap_lazy(t->new_rev, t->new_order);
	}
	memset(t, 0, sizeof(*t));
}

static int map_apart(struct ao_tables *t)
{
	t->old_virt = map_lazy((size_t)1 << t->old_order);
	t->old_rev = map_lazy((size_t)1 << t->old_order);
	t->new_virt = map_lazy((size_t)1 << t->new_order);
	t->new_rev = map_lazy((size_t)1 << t->new_order);
	if (!t->old_virt || !t->old_rev || !t->new_virt || !t->new_rev) {
		ao_unmap(t);
		return -ENOMEM;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The distinct pages a list of groups falls in, sorted */
static u32 pages_of(const u64 *groups, u32 n, u64 *pages)
{
	u32 i, m = 0;

	for (i = 0; i < n; i++)
		pages[i] = groups[i] >> GROUPS_PER_PAGE_SHIFT;
	qsort(pages, n, sizeof(*pages), cmp_u64);
	for (i = 0; i < n; i++)
		if (!m || pages[m - 1] != pages[i])
			pages[m++] = pages[i];
	return m;
}

/* The pages already taken: each region's pages at its offset */
struct taken {
	const u64 *pages[4];
	u32 n[4];
	u64 off[4];
	u32 nr;
};

static bool is_taken(const struct taken *tk, u64 page)
{
	u32 r;

	for (r = 0; r < tk->nr; r++) {
		u64 want = page - tk->off[r];

		if (page >= tk->off[r] &&
		    bsearch(&want, tk->pages[r], tk->n[r], sizeof(u64),
			    cmp_u64))
			return true;
	}
	return false;
}

/* The lowest page offset at which pages clash with nothing taken */
static int place(struct taken *tk, const u64 *pages, u32 n)
{
	u64 off;
	u32 i;

	for (off = 0; off < MAX_OFFSET; off++) {
		for (i = 0; i < n && !is_taken(tk, pages[i] + off); i++)
			;
		if (i == n) {
			tk->pages[tk->nr] = pages;
			tk->n[tk->nr] = n;
			tk->off[tk->nr++] = off;
			return 0;
		}
	}
	return -ENOMEM;
}

static int map_shared(struct ao_tables *t, const struct ao_touch *w)
{
	static u64 old_pages[AO_MAX_GROUPS], new_pages[AO_MAX_GROUPS];
	u32 n_old = pages_of(w->old_group, w->nr_old, old_pages);
	u32 n_new = pages_of(w->new_group, w->nr_new, new_pages);
	struct taken tk = { .nr = 0 };
	u8 *base;
	size_t len = 0, end;
	u32 r;

	/* old table, old revmap, new table, new revmap, in that order */
	if (place(&tk, old_pages, n_old) || place(&tk, old_pages, n_old) ||
	    place(&tk, new_pages, n_new) || place(&tk, new_pages, n_new))
		return -ENOMEM;
	for (r = 0; r < 4; r++) {
		end = ((size_t)tk.off[r] << PAGE_SHIFT) +
		      ((size_t)1 << (r < 2 ? t->old_order : t->new_order));
		if (end > len)
			len = end;
	}
	base = map_lazy(len);
	if (!base)
		return -ENOMEM;
	t->shared = base;
	t->shared_len = len;
	t->old_virt = base + ((size_t)tk.off[0] << PAGE_SHIFT);
	t->old_rev = (void *)(base + ((size_t)tk.off[1] << PAGE_SHIFT));
	t->new_virt = base + ((size_t)tk.off[2] << PAGE_SHIFT);
	t->new_rev = (void *)(base + ((size_t)tk.off[3] << PAGE_SHIFT));
	return 0;
}

int ao_map(struct ao_tables *t, u32 old_order, u32 new_order,
	   const struct ao_touch *w)
{
	memset(t, 0, sizeof(*t));
	t->old_order = old_order;
	t->new_order = new_order;
	if (old_order <= AO_APART_MAX_ORDER && new_order <= AO_APART_MAX_ORDER)
		return map_apart(t);
	return w ? map_shared(t, w) : -ENOMEM;
}
