// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host platform's allocation hooks: tables (guarded or from the
 * heap), revmaps, resize requests and the core's zeroed blocks, counted
 * per guest to find leaks and double frees.  The caches of freed blocks
 * are process-wide and unlocked: the host platform is single-threaded.
 */
#include <stdlib.h>

#include "hpt_user_internal.h"

/*
 * Fuzzers allocate and free revmaps, tables and copies of freed tables of
 * the same few sizes thousands of times a second, and fresh memory costs
 * a page fault per page (under ASan a map and an unmap too).  Keep some
 * freed blocks of those sizes and clear them for reuse.  A kept block is
 * poisoned under ASan, so an access to it still reports a use after free.
 */
#define KEPT_MIN		((size_t)64 << 10)
#define KEPT_MAX		((size_t)64 << 20)
/*
 * Enough for a scenario's 16 memslot rmaps, its tables and revmaps, with
 * room to spare: fewer made every execution free and fault some of them
 * in again.  The bytes kept are bounded too, for runs at high orders.
 */
#define KEPT_SLOTS		64
#define KEPT_BUDGET		((size_t)256 << 20)

static struct {
	void *p;
	size_t size;
	size_t zeroed;	/* leading bytes known to be zero (known_zero.c) */
} kept[KEPT_SLOTS];
static size_t kept_bytes;

/* A kept block of size bytes whose first zero bytes are zero, or NULL */
static void *take_kept(size_t size, size_t zero)
{
	void *p;
	int i;

	if (size < KEPT_MIN || size > KEPT_MAX)
		return NULL;
	for (i = 0; i < KEPT_SLOTS; i++) {
		if (!kept[i].p || kept[i].size != size)
			continue;
		p = kept[i].p;
		kept[i].p = NULL;
		kept_bytes -= size;
		KEPT_UNPOISON(p, size);
		if (kept[i].zeroed < zero) {
			hpt_user_known_zero_check(p, kept[i].zeroed);
			memset((u8 *)p + kept[i].zeroed, 0,
			       zero - kept[i].zeroed);
		} else {
			hpt_user_known_zero_check(p, zero);
		}
		return p;
	}
	return NULL;
}

void *hpt_user_block_alloc(size_t size, bool zero)
{
	void *p = take_kept(size, zero ? size : 0);

	if (p)
		return p;
	return zero ? calloc(1, size) : malloc(size);
}

void hpt_user_block_free(void *p, size_t size)
{
	static int victim;
	int i;

	if (!p)
		return;
	if (size < KEPT_MIN || size > KEPT_MAX ||
	    kept_bytes + size > KEPT_BUDGET) {
		hpt_user_known_zero_take(p, size);
		free(p);
		return;
	}
	for (i = 0; i < KEPT_SLOTS && kept[i].p; i++)
		;
	/* All taken: the sizes in use change, so make room in turn */
	if (i == KEPT_SLOTS) {
		i = victim;
		victim = (victim + 1) % KEPT_SLOTS;
		KEPT_UNPOISON(kept[i].p, kept[i].size);
		free(kept[i].p);
		kept_bytes -= kept[i].size;
	}
	kept[i].p = p;
	kept[i].size = size;
	kept[i].zeroed = hpt_user_known_zero_take(p, size);
	kept_bytes += size;
	KEPT_POISON(p, size);
}

/*
 * hpt_plat_kfree() is told no size, so the large blocks hpt_plat_kzalloc()
 * hands out (memslot rmaps of up to 64K pages) are remembered here, with
 * the size of the block that holds each.
 */
#define SIZED_MAX		64

static struct {
	void *p;
	size_t size;
} sized[SIZED_MAX];

void *hpt_plat_kzalloc(size_t size)
{
	size_t block = KEPT_MIN;
	void *p;
	int i;

	if (size < KEPT_MIN || size > KEPT_MAX)
		return calloc(1, size);
	/* Rounded up, so blocks of other sizes serve; the tail stays poisoned */
	while (block < size)
		block *= 2;
	for (i = 0; i < SIZED_MAX && sized[i].p; i++)
		;
	if (i == SIZED_MAX)
		return calloc(1, size);
	/* Only the bytes asked for are cleared: the rest stays poisoned */
	p = take_kept(block, size);
	if (!p)
		p = calloc(1, block);
	if (p) {
		KEPT_POISON((char *)p + size, block - size);
		sized[i].p = p;
		sized[i].size = block;
	}
	return p;
}

void hpt_plat_kfree(void *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < SIZED_MAX; i++) {
		if (sized[i].p == p) {
			sized[i].p = NULL;
			hpt_user_block_free(p, sized[i].size);
			return;
		}
	}
	hpt_user_known_zero_take(p, 0);
	free(p);
}

void *hpt_plat_alloc_table(struct hpt_vm *vm, u32 order)
{
	struct hpt_user *u = hpt_user(vm);
	void *virt;

	if (order > u->cfg.max_table_order)
		return NULL;
	if (u->table_allocs_before_failure == 0)
		return NULL;
	if (u->table_allocs_before_failure > 0)
		u->table_allocs_before_failure--;
	if (u->cfg.guard_tables)
		virt = hpt_user_guarded_alloc(order);
	else
		virt = hpt_user_block_alloc((size_t)1 << order, true);
	if (virt) {
		u->live_tables++;
		hpt_user_record(vm, HPT_EV_ALLOC_TABLE, virt, order, 0);
	}
	return virt;
}

static void snapshot(void **dst, size_t *dst_size, const void *src,
		     size_t len)
{
	hpt_user_block_free(*dst, *dst_size);
	*dst = hpt_user_block_alloc(len, false);
	*dst_size = *dst ? len : 0;
	if (*dst)
		memcpy(*dst, src, len);
}

/* A kept table or revmap, or a copy of one, goes back to the caches */
static void release_table(struct hpt_user *u)
{
	if (!u->freed_virt)
		return;
	if (u->freed_kept && u->cfg.guard_tables)
		hpt_user_guarded_free(u->freed_virt, u->freed_order);
	else
		hpt_user_block_free(u->freed_virt, u->freed_virt_size);
	u->freed_virt = NULL;
	u->freed_virt_size = 0;
}

static void release_rev(struct hpt_user *u)
{
	hpt_user_block_free(u->freed_rev, u->freed_rev_size);
	u->freed_rev = NULL;
	u->freed_rev_size = 0;
}

void hpt_user_freed_open(struct hpt_vm *vm)
{
	struct hpt_user *u = hpt_user(vm);

	if (!u->freed_kept)
		return;
	if (u->freed_virt)
		KEPT_UNPOISON(u->freed_virt, u->freed_virt_size);
	if (u->freed_rev)
		KEPT_UNPOISON(u->freed_rev, u->freed_rev_size);
}

void hpt_user_freed_release(struct hpt_vm *vm)
{
	struct hpt_user *u = hpt_user(vm);

	release_table(u);
	release_rev(u);
	u->freed_kept = false;
}

/* keep_freed: copies made before it was set go first */
static void keep_begin(struct hpt_user *u)
{
	if (u->freed_kept)
		return;
	release_table(u);
	release_rev(u);
	u->freed_kept = true;
}

void hpt_plat_free_table(struct hpt_vm *vm, void *virt, u32 order)
{
	struct hpt_user *u = hpt_user(vm);
	size_t len = (size_t)1 << order;

	if (virt == u->active_table)
		hpt_user_violation(vm, "freed the table SDR1 points at");
	if (u->cfg.isa300 && virt == u->partition_table)
		hpt_user_violation(vm,
				   "freed the table the partition table names");
	hpt_user_record(vm, HPT_EV_FREE_TABLE, virt, order, 0);
	u->live_tables--;
	/*
	 * The kept block is the copy: the code under test freed it, so it
	 * cannot change it any more without a use after free (ASan reports
	 * one; without ASan the judged table shows what was written).
	 */
	if (u->cfg.keep_freed) {
		keep_begin(u);
		if (u->freed_virt != virt)	/* else freed twice */
			release_table(u);
		u->freed_virt = virt;
		u->freed_virt_size = len;
		u->freed_from = virt;
		u->freed_order = order;
		KEPT_POISON(virt, len);
		return;
	}
	if (u->freed_kept)
		hpt_user_freed_release(vm);
	if (u->cfg.snapshot_freed) {
		snapshot(&u->freed_virt, &u->freed_virt_size, virt,
			 (size_t)1 << order);
		u->freed_from = virt;
		u->freed_order = order;
	}
	if (u->cfg.guard_tables)
		hpt_user_guarded_free(virt, order);
	else
		hpt_user_block_free(virt, (size_t)1 << order);
}

struct hpt_rev *hpt_plat_alloc_rev(struct hpt_vm *vm, u64 npte)
{
	struct hpt_rev *rev = hpt_user_block_alloc(npte * sizeof(*rev), true);

	if (rev)
		hpt_user(vm)->live_revs++;
	return rev;
}

void hpt_plat_free_rev(struct hpt_vm *vm, struct hpt_rev *rev, u64 npte)
{
	struct hpt_user *u = hpt_user(vm);
	size_t len = npte * sizeof(*rev);

	u->live_revs--;
	if (u->cfg.keep_freed) {
		keep_begin(u);
		if (u->freed_rev != rev)	/* else freed twice */
			release_rev(u);
		u->freed_rev = rev;
		u->freed_rev_size = len;
		KEPT_POISON(rev, len);
		return;
	}
	if (u->freed_kept)
		hpt_user_freed_release(vm);
	if (u->cfg.snapshot_freed)
		snapshot((void **)&u->freed_rev, &u->freed_rev_size, rev, len);
	hpt_user_block_free(rev, len);
}

struct hpt_resize *hpt_plat_alloc_resize(struct hpt_vm *vm)
{
	struct hpt_resize *resize = calloc(1, sizeof(*resize));

	if (resize)
		hpt_user(vm)->live_resizes++;
	return resize;
}

void hpt_plat_free_resize(struct hpt_vm *vm, struct hpt_resize *resize)
{
	hpt_user(vm)->live_resizes--;
	free(resize);
}
