/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel environment of the core: kernel types and byte order, a work
 * item per prepare, and the locks KVM would hold.
 */
#ifndef HPT_PLAT_H
#define HPT_PLAT_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <asm/byteorder.h>

static inline u64 hpt_load_be64(const __be64 *p)
{
	return be64_to_cpu(READ_ONCE(*p));
}

static inline void hpt_store_be64(__be64 *p, u64 v)
{
	WRITE_ONCE(*p, cpu_to_be64(v));
}

struct hpt_plat_work {
	struct work_struct work;
};

/* One unmap call, for the test module's log */
struct hpt_plat_unmap {
	u64 idx, gfn;
	const void *table;
};

/*
 * What the test module reports of the hook calls, as the host platform
 * records them: the unmaps in order, live allocations, misuse.  With
 * keep_freed, the first table and revmap the core frees are kept (and
 * counted as freed) so the old table can be read after a resize; the
 * module frees them.
 */
struct hpt_plat_vm {
	struct mutex setup_lock;
	spinlock_t mmu_lock;
	const void *active_table;
	const void *partition_table;
	unsigned long unmaps;
	unsigned long violations;
	int hpte_locks_held;

	struct hpt_plat_unmap *unmap_log;	/* NULL: count only */
	unsigned long unmap_log_cap;
	long live_tables, live_revs, live_resizes;

	bool keep_freed;
	void *freed_table;
	u32 freed_order;
	struct hpt_rev *freed_rev;
};

#endif /* HPT_PLAT_H */
