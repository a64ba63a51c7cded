// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host implementation of the platform hooks.  Single-threaded: locks are
 * checked rather than waited for, and a lock found held is a deadlock;
 * the caches of freed blocks below are process-wide and unlocked.
 */
/* MAP_ANONYMOUS is not POSIX */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define KEPT_POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define KEPT_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define KEPT_POISON(p, n)	((void)(p), (void)(n))
#define KEPT_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#include "hpt/model.h"
#include "hpt/protocol.h"
#include "hpt_user.h"

#define HPT_USER_LOG_MAX	(1u << 22)

static void record(struct hpt_vm *vm, enum hpt_user_event event,
		   const void *table, u64 arg, u64 arg2)
{
	struct hpt_user *u = hpt_user(vm);

	if (u->cfg.no_log)
		return;
	if (u->log_len == u->log_cap) {
		size_t cap = u->log_cap ? 2 * u->log_cap : 256;
		struct hpt_user_record *log;

		if (cap > HPT_USER_LOG_MAX) {
			u->log_overflow = true;
			return;
		}
		log = realloc(u->log, cap * sizeof(*log));
		if (!log) {
			u->log_overflow = true;
			return;
		}
		u->log = log;
		u->log_cap = cap;
	}
	u->log[u->log_len++] = (struct hpt_user_record){ event, table, arg,
							 arg2 };
}

void hpt_user_violation(struct hpt_vm *vm, const char *what)
{
	struct hpt_user *u = hpt_user(vm);

	if (!u->violations++)
		snprintf(u->first_violation, sizeof(u->first_violation), "%s",
			 what);
}

void hpt_user_note(struct hpt_vm *vm, enum hpt_user_event event, u64 arg)
{
	record(vm, event, NULL, arg, 0);
}

void hpt_user_clear_log(struct hpt_vm *vm)
{
	hpt_user(vm)->log_len = 0;
	hpt_user(vm)->log_overflow = false;
}

size_t hpt_user_count(const struct hpt_vm *vm, enum hpt_user_event event)
{
	const struct hpt_user *u = hpt_user(vm);
	size_t i, n = 0;

	for (i = 0; i < u->log_len; i++)
		n += u->log[i].event == event;
	return n;
}

/*
 * Fuzzers allocate and free revmaps, tables and copies of freed tables of
 * the same few sizes thousands of times a second, and fresh memory costs
 * a page fault per page (under ASan a map and an unmap too).  Keep some
 * freed blocks of those sizes and clear them for reuse.  A kept block is
 * poisoned under ASan, so an access to it still reports a use after free.
 */
#define KEPT_MIN		((size_t)64 << 10)
#define KEPT_MAX		((size_t)64 << 20)
#define KEPT_SLOTS		16

static struct {
	void *p;
	size_t size;
} kept[KEPT_SLOTS];

static void *block_alloc(size_t size, bool zero)
{
	void *p;
	int i;

	if (size >= KEPT_MIN && size <= KEPT_MAX) {
		for (i = 0; i < KEPT_SLOTS; i++) {
			if (!kept[i].p || kept[i].size != size)
				continue;
			p = kept[i].p;
			kept[i].p = NULL;
			KEPT_UNPOISON(p, size);
			if (zero)
				memset(p, 0, size);
			return p;
		}
	}
	return zero ? calloc(1, size) : malloc(size);
}

static void block_free(void *p, size_t size)
{
	static int victim;
	int i;

	if (!p)
		return;
	if (size < KEPT_MIN || size > KEPT_MAX) {
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
	}
	kept[i].p = p;
	kept[i].size = size;
	KEPT_POISON(p, size);
}

/*
 * hpt_plat_kfree() is told no size, so the large blocks hpt_plat_zalloc()
 * hands out (memslot rmaps of up to 64K pages) are remembered here, with
 * the size of the block that holds each.
 */
#define SIZED_MAX		64

static struct {
	void *p;
	size_t size;
} sized[SIZED_MAX];

void *hpt_plat_zalloc(size_t size)
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
	p = block_alloc(block, true);
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
			block_free(p, sized[i].size);
			return;
		}
	}
	free(p);
}

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

static void *guard_cache[GUARD_CACHE_ORDERS][GUARD_CACHE_DEPTH];

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

static void *guarded_alloc(u32 order)
{
	u32 slot = order - HPT_MIN_ORDER;
	void *virt = NULL;
	int i;

	if (slot < GUARD_CACHE_ORDERS) {
		for (i = 0; i < GUARD_CACHE_DEPTH && !virt; i++) {
			virt = guard_cache[slot][i];
			if (virt) {
				guard_cache[slot][i] = NULL;
				KEPT_UNPOISON(virt, (size_t)1 << order);
				memset(virt, 0, (size_t)1 << order);
			}
		}
	}
	if (!virt)
		virt = guarded_map(order);
	if (virt)
		guard_live_set(NULL, virt, order);
	return virt;
}

static void guarded_free(void *virt, u32 order)
{
	size_t len = (size_t)1 << order;
	u32 slot = order - HPT_MIN_ORDER;
	int i;

	guard_live_set(virt, NULL, 0);
	if (slot < GUARD_CACHE_ORDERS) {
		for (i = 0; i < GUARD_CACHE_DEPTH; i++) {
			if (!guard_cache[slot][i]) {
				guard_cache[slot][i] = virt;
				KEPT_POISON(virt, len);
				return;
			}
		}
	}
	munmap((u8 *)virt - len, 3 * len);
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
		virt = guarded_alloc(order);
	else
		virt = block_alloc((size_t)1 << order, true);
	if (virt) {
		u->live_tables++;
		record(vm, HPT_EV_ALLOC_TABLE, virt, order, 0);
	}
	return virt;
}

static void snapshot(void **dst, size_t *dst_size, const void *src,
		     size_t len)
{
	block_free(*dst, *dst_size);
	*dst = block_alloc(len, false);
	*dst_size = *dst ? len : 0;
	if (*dst)
		memcpy(*dst, src, len);
}

void hpt_plat_free_table(struct hpt_vm *vm, void *virt, u32 order)
{
	struct hpt_user *u = hpt_user(vm);

	if (virt == u->active_table)
		hpt_user_violation(vm, "freed the table SDR1 points at");
	if (u->cfg.isa300 && virt == u->partition_table)
		hpt_user_violation(vm,
				   "freed the table the partition table names");
	if (u->cfg.snapshot_freed) {
		snapshot(&u->freed_virt, &u->freed_virt_size, virt,
			 (size_t)1 << order);
		u->freed_from = virt;
		u->freed_order = order;
	}
	record(vm, HPT_EV_FREE_TABLE, virt, order, 0);
	u->live_tables--;
	if (u->cfg.guard_tables)
		guarded_free(virt, order);
	else
		block_free(virt, (size_t)1 << order);
}

struct hpt_rev *hpt_plat_alloc_rev(struct hpt_vm *vm, u64 npte)
{
	struct hpt_rev *rev = block_alloc(npte * sizeof(*rev), true);

	if (rev)
		hpt_user(vm)->live_revs++;
	return rev;
}

void hpt_plat_free_rev(struct hpt_vm *vm, struct hpt_rev *rev, u64 npte)
{
	struct hpt_user *u = hpt_user(vm);

	if (u->cfg.snapshot_freed)
		snapshot((void **)&u->freed_rev, &u->freed_rev_size, rev,
			 npte * sizeof(*rev));
	u->live_revs--;
	block_free(rev, npte * sizeof(*rev));
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

int hpt_plat_lock_hpte(struct hpt_vm *vm, __be64 *hptep)
{
	_Atomic u64 *word = (_Atomic u64 *)hptep;
	u64 lock = hpt_be64_swap(HPT_V_HVLOCK);
	u64 old = atomic_fetch_or_explicit(word, lock, memory_order_acquire);

	if (old & lock) {
		/* Nobody else runs here: this lock would never be dropped */
		return -EDEADLK;
	}
	if (hpt_user(vm)->cfg.bench)
		return 0;
	hpt_user(vm)->hpte_locks_held++;
	record(vm, HPT_EV_LOCK_HPTE, NULL,
	       (u64)(hptep - (__be64 *)vm->hpt.virt) / 2, 0);
	return 0;
}

void hpt_plat_unlock_hpte(struct hpt_vm *vm, __be64 *hptep, u64 v_raw)
{
	struct hpt_user *u = hpt_user(vm);

	if (u->cfg.bench)
		goto unlock;
	if (!(hpt_load_be64(hptep) & HPT_V_HVLOCK))
		hpt_user_violation(vm, "unlocked an HPTE that was not locked");
	else
		u->hpte_locks_held--;
	record(vm, HPT_EV_UNLOCK_HPTE, NULL, 0, 0);
unlock:
	atomic_store_explicit((_Atomic u64 *)hptep,
			      hpt_be64_swap(v_raw & ~HPT_V_HVLOCK),
			      memory_order_release);
}

void hpt_plat_lock_rmap(struct hpt_vm *vm, u64 *rmapp)
{
	if (hpt_user(vm)->cfg.bench) {
		*rmapp |= HPT_RMAP_LOCK;
		return;
	}
	if (*rmapp & HPT_RMAP_LOCK)
		hpt_user_violation(vm, "rmap lock already held");
	*rmapp |= HPT_RMAP_LOCK;
	hpt_user(vm)->rmap_locks_held++;
}

void hpt_plat_unlock_rmap(struct hpt_vm *vm, u64 *rmapp)
{
	if (hpt_user(vm)->cfg.bench) {
		*rmapp &= ~HPT_RMAP_LOCK;
		return;
	}
	if (!(*rmapp & HPT_RMAP_LOCK))
		hpt_user_violation(vm, "unlocked an rmap that was not locked");
	*rmapp &= ~HPT_RMAP_LOCK;
	hpt_user(vm)->rmap_locks_held--;
}

void hpt_plat_unmap_hpte(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			 u64 gfn)
{
	if (hpt_user(vm)->cfg.bench)
		goto unmap;
	if (!hpt_user(vm)->guest_stopped)
		hpt_user_violation(vm, "unmap while the guest runs");
	if (!(hpt_load_be64(hpt_hptep(hpt, idx)) & HPT_V_HVLOCK))
		hpt_user_violation(vm, "unmap of an HPTE not locked");
	record(vm, HPT_EV_UNMAP, hpt->virt, idx, gfn);
unmap:
	hpt_model_unmap_hpte(vm, hpt, idx, gfn);
}

void hpt_plat_ptesync(struct hpt_vm *vm)
{
	atomic_thread_fence(memory_order_seq_cst);
	record(vm, HPT_EV_PTESYNC, NULL, 0, 0);
}

void hpt_plat_setup_lock(struct hpt_vm *vm)
{
	if (hpt_user(vm)->setup_lock_held++)
		hpt_user_violation(vm, "setup lock taken twice");
}

void hpt_plat_setup_unlock(struct hpt_vm *vm)
{
	if (hpt_user(vm)->setup_lock_held-- != 1)
		hpt_user_violation(vm, "setup lock released while not held");
}

void hpt_plat_mmu_lock(struct hpt_vm *vm)
{
	if (hpt_user(vm)->mmu_lock_held++)
		hpt_user_violation(vm, "mmu lock taken twice");
}

void hpt_plat_mmu_unlock(struct hpt_vm *vm)
{
	if (hpt_user(vm)->mmu_lock_held-- != 1)
		hpt_user_violation(vm, "mmu lock released while not held");
}

void hpt_plat_stop_guest(struct hpt_vm *vm)
{
	hpt_user(vm)->guest_stopped = true;
	record(vm, HPT_EV_STOP_GUEST, NULL, 0, 0);
}

void hpt_plat_resume_guest(struct hpt_vm *vm)
{
	hpt_user(vm)->guest_stopped = false;
	record(vm, HPT_EV_RESUME_GUEST, NULL, 0, 0);
}

void hpt_plat_activate_hpt(struct hpt_vm *vm)
{
	if (!hpt_user(vm)->mmu_lock_held)
		hpt_user_violation(vm, "table switched without the mmu lock");
	hpt_user(vm)->active_table = vm->hpt.virt;
	record(vm, HPT_EV_ACTIVATE, vm->hpt.virt, vm->hpt.order, 0);
}

void hpt_plat_update_partition_table(struct hpt_vm *vm)
{
	hpt_user(vm)->partition_table = vm->hpt.virt;
	record(vm, HPT_EV_PARTITION_TABLE, vm->hpt.virt, vm->hpt.order, 0);
}

void hpt_plat_sync_readers(struct hpt_vm *vm)
{
	record(vm, HPT_EV_SYNC_READERS, NULL, 0, 0);
}

void hpt_plat_schedule_work(struct hpt_vm *vm, struct hpt_resize *resize)
{
	struct hpt_user *u = hpt_user(vm);
	struct hpt_resize **tail = &u->work_head;

	while (*tail)
		tail = &(*tail)->work.next;
	resize->work.next = NULL;
	resize->work.phase = 0;
	*tail = resize;
	record(vm, HPT_EV_SCHEDULE_WORK, NULL, resize->order, 0);
}

size_t hpt_user_sched_pending(const struct hpt_vm *vm)
{
	const struct hpt_resize *w;
	size_t n = 0;

	for (w = hpt_user(vm)->work_head; w; w = w->work.next)
		n++;
	return n;
}

bool hpt_user_sched_step(struct hpt_vm *vm, size_t n)
{
	struct hpt_resize **link = &hpt_user(vm)->work_head;
	struct hpt_resize *resize;

	while (*link && n--)
		link = &(*link)->work.next;
	resize = *link;
	if (!resize)
		return false;

	if (resize->work.phase == 0) {
		resize->work.err = hpt_resize_work_allocate(resize);
		resize->work.phase = 1;
	} else {
		/* Dequeue first: finishing may free the request */
		*link = resize->work.next;
		hpt_resize_work_finish(resize, resize->work.err);
	}
	return true;
}

void hpt_user_sched_run_all(struct hpt_vm *vm)
{
	while (hpt_user_sched_step(vm, 0))
		;
}

int hpt_user_vm_init(struct hpt_vm *vm, const struct hpt_user_config *cfg)
{
	struct hpt_user *u = calloc(1, sizeof(*u));
	int ret;

	memset(vm, 0, sizeof(*vm));
	if (!u)
		return -ENOMEM;
	u->cfg = *cfg;
	u->cfg.table = NULL;	/* the caller's copy may not outlive this */
	if (!u->cfg.max_table_order)
		u->cfg.max_table_order = HPT_MAX_ORDER;
	u->table_allocs_before_failure = -1;
	vm->plat.user = u;
	vm->isa300 = cfg->isa300;
	vm->resize_enabled = true;
	vm->mmu_ready = true;

	if (cfg->table) {
		ret = 0;
		if (!cfg->table->virt || !cfg->table->rev ||
		    !hpt_order_valid(cfg->table->order))
			ret = -EINVAL;
		else
			vm->hpt = *cfg->table;
		u->caller_table = cfg->table->virt;
	} else {
		ret = hpt_table_alloc(vm, &vm->hpt, cfg->order);
	}
	if (ret) {
		free(u);
		vm->plat.user = NULL;
		return ret;
	}
	u->active_table = vm->hpt.virt;
	if (cfg->isa300)
		u->partition_table = vm->hpt.virt;
	hpt_user_clear_log(vm);
	return 0;
}

void hpt_user_vm_destroy(struct hpt_vm *vm)
{
	struct hpt_user *u = hpt_user(vm);

	if (!u)
		return;
	hpt_resize_cancel(vm);
	hpt_user_sched_run_all(vm);
	/* Tearing the guest down: the active table may go now */
	u->active_table = NULL;
	u->partition_table = NULL;
	if (vm->hpt.virt != u->caller_table)
		hpt_table_free(vm, &vm->hpt);
	free(u->log);
	block_free(u->freed_virt, u->freed_virt_size);
	block_free(u->freed_rev, u->freed_rev_size);
	free(u);
	vm->plat.user = NULL;
}
