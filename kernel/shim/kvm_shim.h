/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userland versions of every kernel type and API the resize code of
 * arch/powerpc/kvm/book3s_64_mmu_hv.c touches, so that its text compiles
 * unchanged in a host program (as tools/testing/vma compiles mm/vma.c).
 *
 * Everything here maps onto the host platform (core/platform/user) of the
 * guest the harness built: tables and revmaps come from its allocator
 * (between guard pages), the locks are its locks, the guest's memslots
 * and rmaps are its memslots, unmaps go through its recording model of
 * KVM's unmap.  What a host would not survive unwinds to the adapter
 * (kernel/impl.c) as a crash or hang; WARN_ON is recorded and execution
 * goes on, as in the kernel.
 *
 * The shim models a host built with 4 KB pages (CONFIG_PPC_4K_PAGES):
 * guest frame numbers are 4 KB frames, as the harness counts them.
 * Debian's kernels use 64 KB pages; the emulated POWER9 run covers that.
 *
 * Order of inclusion (kernel/impl.c): this file, the kernel headers'
 * extracted definitions, after_headers.h, the extracted resize code.
 */
#ifndef HPT_KVM_SHIM_H
#define HPT_KVM_SHIM_H

#include <errno.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "hpt/harness.h"

/* ---- basic types, byte order, compiler ---- */

typedef u64 gfn_t;
typedef unsigned int gfp_t;
typedef struct { long counter; } atomic64_t;

#define ASM_CONST(x)		x##UL
#define PAGE_SHIFT		12

#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline u64 be64_to_cpu(__be64 x)
{
	return hpt_be64_swap(x);
}

static inline __be64 cpu_to_be64(u64 x)
{
	return hpt_be64_swap(x);
}

/* A release barrier is a compiler barrier on a host that does not reorder */
#define PPC_RELEASE_BARRIER
#define smp_mb()	atomic_thread_fence(memory_order_seq_cst)

static inline void atomic64_set(atomic64_t *v, long i)
{
	v->counter = i;
}

/* ---- CPU features: ISA 3.0 is the guest's layout ---- */

#define CPU_FTR_ARCH_300	1
bool kshim_cpu_has_feature(int feature);
#define cpu_has_feature(f)	kshim_cpu_has_feature(f)

/* ---- fatal and non-fatal reports ---- */

_Noreturn void kshim_bug(const char *cond, const char *func);
_Noreturn void kshim_hang(const char *func, const char *what);
void kshim_warn(const char *cond, const char *func);

#define BUG_ON(cond)							\
	do {								\
		if (cond)						\
			kshim_bug(#cond, __func__);			\
	} while (0)
#define WARN_ON(cond)							\
	({								\
		int __warned = !!(cond);				\
		if (__warned)						\
			kshim_warn(#cond, __func__);			\
		__warned;						\
	})

/* Nobody else runs: a spin that did not end at once never will */
void kshim_cpu_relax(const char *func);
#define cpu_relax()	kshim_cpu_relax(__func__)

#define pr_debug(...)	do { } while (0)
#define resize_hpt_debug(resize, ...)	do { } while (0)

/* ---- memory ---- */

#define GFP_KERNEL		0x1u
#define __GFP_ZERO		0x2u
#define __GFP_RETRY_MAYFAIL	0x4u
#define __GFP_NOWARN		0x8u

struct page;

/* No CMA area: tables come from the page allocator, i.e. the platform */
static inline struct page *kvm_alloc_hpt_cma(unsigned long nr_pages)
{
	(void)nr_pages;
	return NULL;
}

void kvm_free_hpt_cma(struct page *page, unsigned long nr_pages);
unsigned long page_to_pfn(struct page *page);
void *pfn_to_kaddr(unsigned long pfn);
/* A macro in the kernel: 6.1 passes an unsigned long, 6.12 a pointer */
struct page *kshim_virt_to_page(unsigned long addr);
#define virt_to_page(kaddr)	kshim_virt_to_page((unsigned long)(kaddr))

unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
void *vmalloc(unsigned long size);
void vfree(const void *addr);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);

static inline size_t array_size(size_t a, size_t b)
{
	size_t bytes;

	return __builtin_mul_overflow(a, b, &bytes) ? SIZE_MAX : bytes;
}

#define __pa(x)		((unsigned long)(x))

/* ---- locks and SRCU, on the platform's locks ---- */

struct mutex {
	struct hpt_vm *vm;	/* the setup lock of this guest */
};

struct kshim_spinlock {
	struct hpt_vm *vm;	/* the mmu lock of this guest */
};
typedef struct kshim_spinlock spinlock_t;

struct srcu_struct {
	int readers;
};

void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
int srcu_read_lock(struct srcu_struct *ssp);
void srcu_read_unlock(struct srcu_struct *ssp, int idx);
void synchronize_srcu_expedited(struct srcu_struct *ssp);

/* ---- work items, run by the harness's deterministic queue ---- */

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

#define INIT_WORK(w, f)	((w)->func = (f))

bool schedule_work(struct work_struct *work);

/*
 * The queue of scheduled works.  A work runs either at once to its end
 * (kshim_run_work(), as the resize path wants it) or on a thread of its
 * own in steps (kshim_step(), for the protocol target): a step runs it
 * until it waits for the setup lock a second time (after its allocation,
 * the window in which other requests come in) or ends.  One side runs at
 * a time, so the run stays deterministic.
 */
struct kshim_task;
int kshim_run_work(void);
size_t kshim_pending(void);
/* 0 it waits, 1 it ended, -1 no n-th work */
int kshim_step(size_t n);
/* Every work to its end, then the threads are gone */
void kshim_finish_work(void);
/* The oldest queued work, taken off the queue unrun (NULL: none) */
struct work_struct *kshim_unqueue(void);

typedef void (*smp_call_func_t)(void *info);
void on_each_cpu(smp_call_func_t func, void *info, int wait);

/* ---- KVM ---- */

struct revmap_entry {
	unsigned long guest_rpte;
	unsigned int forw, back;
};

struct kvm_hpt_info {
	/* Host virtual (linear) address of the HPT */
	unsigned long virt;
	/* Array of reverse mapping entries for each guest HPTE */
	struct revmap_entry *rev;
	/* Guaranteed to be a power of two (and therefore also aligned) */
	u32 order;
	/* Allocated by CMA? */
	int cma;
};

struct kvm_arch_memory_slot {
	unsigned long *rmap;
};

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long *dirty_bitmap;
	struct kvm_arch_memory_slot arch;
};

struct kvm_memslots {
	struct kvm_memory_slot *slots;
	u32 nr;
};

struct kvm_resize_hpt;

struct kvm_arch {
	unsigned int lpid;
	unsigned long sdr1;
	struct kvm_hpt_info hpt;
	atomic64_t mmio_update;
	int mmu_ready;
	bool radix;
	struct mutex mmu_setup_lock;
	struct kvm_resize_hpt *resize_hpt;
};

struct kvm {
	spinlock_t mmu_lock;
	struct srcu_struct srcu;
	struct kvm_memslots memslots;
	struct kvm_arch arch;
};

/* include/uapi/linux/kvm.h */
struct kvm_ppc_resize_hpt {
	u64 flags;
	u32 shift;
	u32 pad;
};

static inline struct kvm_memslots *kvm_memslots(struct kvm *kvm)
{
	return &kvm->memslots;
}

struct kvm_memory_slot *__gfn_to_memslot(struct kvm_memslots *slots,
					 gfn_t gfn);

/* The partition table entry for this guest names its current HPT */
void kvmppc_setup_partition_table(struct kvm *kvm);

/*
 * What an implementation's run is: the guest in both shapes, where its
 * host would have stopped, and the queue of works.  One at a time.
 */
struct kshim_run {
	struct kvm *kvm;
	struct hpt_vm *vm;
	struct hpt_impl_outcome *out;
	sigjmp_buf *unwind;		/* where a crash or hang goes */
	unsigned long locked_idx;	/* last old entry try_lock_hpte took */
	unsigned long lock_failed_idx;	/* ... or found locked */
	unsigned long spins;
	int rmap_locks;
	long live_blocks;		/* kzalloc'ed, not yet kfree'd */
	struct kshim_task *work_head;	/* the queue */
	struct kshim_task *task;	/* the work running on its thread */
	struct {
		const void *p;
		u64 npte;
	} revs[8];			/* revmaps live, for vfree's size */
};

extern struct kshim_run kshim;

#endif /* HPT_KVM_SHIM_H */
