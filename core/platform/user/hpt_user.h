/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host platform's view for tests and fuzzers: every hook call the core
 * makes is recorded here, misuse is counted as a violation, and prepare
 * work runs only when the caller steps the scheduler.
 */
#ifndef HPT_USER_H
#define HPT_USER_H

#include "hpt/platform.h"

enum hpt_user_event {
	HPT_EV_ALLOC_TABLE,
	HPT_EV_FREE_TABLE,
	HPT_EV_LOCK_HPTE,
	HPT_EV_UNLOCK_HPTE,
	HPT_EV_UNMAP,
	HPT_EV_PTESYNC,
	HPT_EV_ACTIVATE,
	HPT_EV_PARTITION_TABLE,
	HPT_EV_SYNC_READERS,
	HPT_EV_STOP_GUEST,
	HPT_EV_RESUME_GUEST,
	HPT_EV_SCHEDULE_WORK,
};

struct hpt_user_record {
	enum hpt_user_event event;
	const void *table;	/* table virt the event concerns, if any */
	u64 arg;		/* index, order, ... */
	u64 arg2;		/* gfn for unmap */
};

struct hpt_user_config {
	bool isa300;
	u32 order;		/* of the initial table */
	u32 max_table_order;	/* larger allocations fail: -ENOMEM */
	bool snapshot_freed;	/* keep a copy of the last freed table */
	/*
	 * Keep the last freed table and revmap themselves instead of copies:
	 * nothing is copied, and the blocks are not reused while kept.  They
	 * stay poisoned under ASan, so the code under test still cannot touch
	 * them, until hpt_user_freed_open() lets the caller read them.
	 */
	bool keep_freed;
	bool no_log;		/* count and check, but keep no event log */
	/*
	 * For bench_rehash only, with no_log: skip the counting and checks
	 * of the per-entry hooks (HPTE and rmap locks, unmap), so a benchmark
	 * times the work the kernel does and not the platform's bookkeeping.
	 * Nothing that judges a run may set it.
	 */
	bool bench;
	/*
	 * For tests of the core's distrust of its hooks only: the unmap
	 * leaves the entry as no unmap may, as a host whose unmap failed
	 * would (the kernel's resize BUGs there).  Nothing fuzzed sets it.
	 */
	enum hpt_user_unmap_fault {
		HPT_UNMAP_DONE,		/* VALID cleared, ABSENT set */
		HPT_UNMAP_KEEPS_VALID,	/* ABSENT set, VALID kept */
		HPT_UNMAP_NOT_ABSENT,	/* VALID cleared, ABSENT not set */
	} unmap_fault;
	/*
	 * Surround each table with inaccessible memory of its own size, so
	 * an index computed wrongly faults instead of corrupting the heap.
	 */
	bool guard_tables;
	/*
	 * The initial table is the caller's, of any order and mapped as the
	 * caller likes (lazily, for orders no heap holds): the guest starts
	 * on it, and it is never freed here.  NULL: allocate cfg->order.
	 */
	const struct hpt_info *table;
};

struct hpt_user {
	struct hpt_user_config cfg;	/* cfg.table: NULL once read */
	const void *caller_table;	/* cfg->table's, never freed here */

	struct hpt_user_record *log;
	size_t log_len, log_cap;
	bool log_overflow;

	/* Live allocations, to find leaks and double frees */
	long live_tables, live_revs, live_resizes;
	/* Remaining allocations before one fails, -1: never */
	long table_allocs_before_failure;

	int hpte_locks_held;
	int rmap_locks_held;
	int setup_lock_held;
	int mmu_lock_held;
	bool guest_stopped;

	const void *active_table;	/* what SDR1 points at */
	const void *partition_table;	/* what the partition table names */

	unsigned long violations;
	char first_violation[160];

	/* FIFO of queued prepare works */
	struct hpt_resize *work_head;

	/*
	 * The last table freed (words and guest R) if requested: copies
	 * (snapshot_freed), or the blocks themselves (keep_freed, freed_kept)
	 */
	void *freed_virt;
	struct hpt_rev *freed_rev;
	size_t freed_virt_size, freed_rev_size;	/* bytes of the two */
	const void *freed_from;
	u32 freed_order;
	bool freed_kept;
};

/* Set up a guest with an empty table of cfg->order; 0 or -errno */
int hpt_user_vm_init(struct hpt_vm *vm, const struct hpt_user_config *cfg);
/* Cancel, run queued work to its end, free everything left */
void hpt_user_vm_destroy(struct hpt_vm *vm);
/*
 * keep_freed: make the kept table and revmap readable (under ASan), then
 * give them back to the caches, where they are poisoned again
 */
void hpt_user_freed_open(struct hpt_vm *vm);
void hpt_user_freed_release(struct hpt_vm *vm);

/*
 * known_zero.c: the caller has read [p, p + len) and found it zero; when
 * the block starting at p is next freed, the caches keep it so and do not
 * clear it again.  _forget() drops what was declared but not freed.
 */
void hpt_user_known_zero(const void *p, size_t len);
void hpt_user_known_zero_forget(void);

static inline struct hpt_user *hpt_user(const struct hpt_vm *vm)
{
	return vm->plat.user;
}

void hpt_user_violation(struct hpt_vm *vm, const char *what);

/*
 * Whether addr lies in the guard of a table in use (cfg.guard_tables),
 * and where: the table and the byte offset from its start, negative
 * below it.  Safe to call from a SIGSEGV handler.
 */
struct hpt_user_guard_hit {
	const void *table;
	u32 order;
	long long offset;
};

bool hpt_user_guard_hit(const void *addr, struct hpt_user_guard_hit *hit);
void hpt_user_clear_log(struct hpt_vm *vm);
/* Record an event a caller outside the hooks saw (the kernel shim's) */
void hpt_user_note(struct hpt_vm *vm, enum hpt_user_event event, u64 arg);
size_t hpt_user_count(const struct hpt_vm *vm, enum hpt_user_event event);

/* Scheduler: number of queued works, run one half of the n-th, run all */
size_t hpt_user_sched_pending(const struct hpt_vm *vm);
bool hpt_user_sched_step(struct hpt_vm *vm, size_t n);
void hpt_user_sched_run_all(struct hpt_vm *vm);

#endif /* HPT_USER_H */
