// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shim's kernel functions, on the host platform of the guest being
 * resized (kshim.vm).  Each says which platform hook stands for it; the
 * platform records and checks every one, as it does for the core.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#include "kvm_shim.h"
#include "hpt_user.h"

struct kshim_run kshim;
unsigned long kshim_ptesyncs;

#define KSHIM_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* How many times a spin may find nothing changed before it is a hang */
#define KSHIM_SPIN_LIMIT	64

bool kshim_cpu_has_feature(int feature)
{
	return feature == CPU_FTR_ARCH_300 && kshim.vm->isa300;
}

/*
 * A function's name as the kernel knows it: versions.h renames the ones
 * with external linkage <impl id>_kvm..., which __func__ then says.
 */
static const char *kernel_name(const char *func)
{
	const char *p = strstr(func, "_kvm");

	return p && strncmp(func, "kvm", 3) ? p + 1 : func;
}

static _Noreturn void unwind(enum hpt_impl_fate fate)
{
	kshim.out->fate = fate;
	kshim.out->idx = kshim.locked_idx;
	siglongjmp(*kshim.unwind, 1);
}

void kshim_bug(const char *cond, const char *func)
{
	snprintf(kshim.out->what, sizeof(kshim.out->what),
		 "BUG_ON(%s) in %s()", cond, kernel_name(func));
	unwind(HPT_IMPL_CRASHED);
}

void kshim_hang(const char *func, const char *what)
{
	snprintf(kshim.out->what, sizeof(kshim.out->what),
		 "hangs in %s(): %s", kernel_name(func), what);
	unwind(HPT_IMPL_HUNG);
}

/* The first warning is kept; the host logs it and goes on */
void kshim_warn(const char *cond, const char *func)
{
	if (kshim.out->warning[0])
		return;
	snprintf(kshim.out->warning, sizeof(kshim.out->warning),
		 "WARN_ON(%s) in %s()", cond, kernel_name(func));
}

void kshim_cpu_relax(const char *func)
{
	if (++kshim.spins <= KSHIM_SPIN_LIMIT)
		return;
	if (kshim.lock_failed_idx == HPT_ORACLE_NO_INDEX)
		kshim_hang(func, "it spins on what nothing else can change");
	snprintf(kshim.out->what, sizeof(kshim.out->what),
		 "spins forever in try_lock_hpte() on an HVLOCK already set, in %s()",
		 kernel_name(func));
	kshim.locked_idx = kshim.lock_failed_idx;
	unwind(HPT_IMPL_HUNG);
}

/* ---- memory: tables and revmaps through the platform ---- */

void kvm_free_hpt_cma(struct page *page, unsigned long nr_pages)
{
	(void)page;
	(void)nr_pages;
	kshim_bug("no CMA area, yet a CMA table is freed", __func__);
}

unsigned long page_to_pfn(struct page *page)
{
	return (unsigned long)page >> PAGE_SHIFT;
}

void *pfn_to_kaddr(unsigned long pfn)
{
	return (void *)(pfn << PAGE_SHIFT);
}

struct page *kshim_virt_to_page(unsigned long addr)
{
	return (struct page *)addr;
}

/* Only HPTs are allocated this way by the code under test */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	return (unsigned long)hpt_plat_alloc_table(kshim.vm,
						   order + PAGE_SHIFT);
}

/*
 * The guest's table is the kernel's own field here (kvmppc_set_hpt() sets
 * it with SDR1): the platform is told which it is before it checks a
 * free against it.
 */
static void sync_active(void)
{
	hpt_user(kshim.vm)->active_table = (const void *)kshim.kvm->arch.hpt.virt;
}

void free_pages(unsigned long addr, unsigned int order)
{
	sync_active();
	hpt_plat_free_table(kshim.vm, (void *)addr, order + PAGE_SHIFT);
}

/* Only revmaps are allocated with vmalloc by the code under test */
void *vmalloc(unsigned long size)
{
	u64 npte = size / sizeof(struct revmap_entry);
	size_t i;
	void *p;

	for (i = 0; i < KSHIM_LEN(kshim.revs) && kshim.revs[i].p; i++)
		;
	if (i == KSHIM_LEN(kshim.revs) || size % sizeof(struct revmap_entry))
		kshim_bug("vmalloc of something not a revmap", __func__);
	p = hpt_plat_alloc_rev(kshim.vm, npte);
	if (p) {
		kshim.revs[i].p = p;
		kshim.revs[i].npte = npte;
	}
	return p;
}

void vfree(const void *addr)
{
	size_t i;

	if (!addr)
		return;
	for (i = 0; i < KSHIM_LEN(kshim.revs); i++) {
		if (kshim.revs[i].p == addr) {
			hpt_plat_free_rev(kshim.vm, (struct hpt_rev *)addr,
					  kshim.revs[i].npte);
			kshim.revs[i].p = NULL;
			return;
		}
	}
	kshim_bug("vfree of a block vmalloc did not give", __func__);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = hpt_plat_kzalloc(size);

	(void)gfp;
	if (p)
		kshim.live_blocks++;
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	kshim.live_blocks--;
	hpt_plat_kfree((void *)p);
}

/* ---- work items ---- */

struct kshim_task {
	struct work_struct *work;	/* may be freed by the work itself */
	struct kshim_task *next;
	pthread_t thread;
	sem_t go, back;			/* whose turn it is */
	bool started, ended;
	int locks;			/* setup locks the work has asked for */
	sigjmp_buf unwind;		/* a crash in the work ends it here */
};

bool schedule_work(struct work_struct *work)
{
	struct kshim_task **tail = &kshim.work_head;
	struct kshim_task *t = calloc(1, sizeof(*t));

	if (!t)
		kshim_bug("out of memory for a work", __func__);
	t->work = work;
	while (*tail)
		tail = &(*tail)->next;
	*tail = t;
	hpt_user_note(kshim.vm, HPT_EV_SCHEDULE_WORK, 0);
	return true;
}

size_t kshim_pending(void)
{
	const struct kshim_task *t;
	size_t n = 0;

	for (t = kshim.work_head; t; t = t->next)
		n++;
	return n;
}

static struct kshim_task *dequeue(size_t n)
{
	struct kshim_task **link = &kshim.work_head, *t;

	while (*link && n--)
		link = &(*link)->next;
	t = *link;
	if (t)
		*link = t->next;
	return t;
}

static void task_free(struct kshim_task *t)
{
	if (t->started) {
		/* Left waiting when the run ended elsewhere: it never resumes */
		if (!t->ended)
			pthread_cancel(t->thread);
		pthread_join(t->thread, NULL);
		sem_destroy(&t->go);
		sem_destroy(&t->back);
	}
	free(t);
}

/* Not started on a thread: the work runs here, to its end */
int kshim_run_work(void)
{
	struct kshim_task *t;
	int n = 0;

	while (kshim.work_head && !kshim.work_head->started) {
		t = dequeue(0);
		t->work->func(t->work);
		task_free(t);
		n++;
	}
	return n;
}

static void *task_main(void *arg)
{
	struct kshim_task *t = arg;

	sem_wait(&t->go);
	kshim.unwind = &t->unwind;
	if (!sigsetjmp(t->unwind, 1))
		t->work->func(t->work);
	t->ended = true;
	sem_post(&t->back);
	return NULL;
}

/* In the work's thread: let the other side run until it is our turn */
static void task_wait(struct kshim_task *t)
{
	sem_post(&t->back);
	sem_wait(&t->go);
	kshim.unwind = &t->unwind;
}

static int task_resume(struct kshim_task *t)
{
	sigjmp_buf *unwind = kshim.unwind;

	if (!t->started) {
		t->started = true;
		if (sem_init(&t->go, 0, 0) || sem_init(&t->back, 0, 0) ||
		    pthread_create(&t->thread, NULL, task_main, t))
			kshim_bug("cannot start a work's thread", __func__);
	}
	kshim.task = t;
	sem_post(&t->go);
	sem_wait(&t->back);
	kshim.task = NULL;
	kshim.unwind = unwind;
	return t->ended;
}

int kshim_step(size_t n)
{
	struct kshim_task *t = kshim.work_head;
	size_t i;

	for (i = 0; t && i < n; i++)
		t = t->next;
	if (!t)
		return -1;
	if (!task_resume(t))
		return 0;
	task_free(dequeue(i));
	return 1;
}

struct work_struct *kshim_unqueue(void)
{
	struct kshim_task *t = dequeue(0);
	struct work_struct *work;

	if (!t)
		return NULL;
	work = t->work;
	task_free(t);
	return work;
}

void kshim_finish_work(void)
{
	while (kshim.work_head) {
		if (kshim_step(0) < 0)
			break;
		while (kshim.work_head && kshim.work_head->started &&
		       kshim_step(0) == 0)
			;
	}
}

/* ---- locks ---- */

void mutex_lock(struct mutex *lock)
{
	struct kshim_task *t = kshim.task;

	/* A work stepped on its thread waits before its second lock */
	if (t && t->locks++)
		task_wait(t);
	if (hpt_user(lock->vm)->setup_lock_held)
		kshim_hang(__func__, "mmu_setup_lock taken by its holder");
	hpt_plat_setup_lock(lock->vm);
}

void mutex_unlock(struct mutex *lock)
{
	hpt_plat_setup_unlock(lock->vm);
}

bool mutex_is_locked(struct mutex *lock)
{
	return hpt_user(lock->vm)->setup_lock_held;
}

void spin_lock(spinlock_t *lock)
{
	if (hpt_user(lock->vm)->mmu_lock_held)
		kshim_hang(__func__, "mmu_lock taken by its holder");
	hpt_plat_mmu_lock(lock->vm);
}

/*
 * What kvm->arch.hpt names becomes the guest's table under the mmu lock,
 * as the pivot's kvmppc_set_hpt() makes it: the platform activates it
 * there.
 */
void spin_unlock(spinlock_t *lock)
{
	struct hpt_vm *vm = lock->vm;
	struct kvm_hpt_info *hpt = &kshim.kvm->arch.hpt;

	if ((void *)hpt->virt != vm->hpt.virt) {
		vm->hpt.virt = (void *)hpt->virt;
		vm->hpt.rev = (struct hpt_rev *)hpt->rev;
		vm->hpt.order = hpt->order;
		if (kshim.kvm->arch.sdr1 != (hpt->virt | (hpt->order - 18)))
			hpt_user_violation(vm, "SDR1 does not name the new table");
		hpt_plat_activate_hpt(vm);
	}
	hpt_plat_mmu_unlock(vm);
}

int srcu_read_lock(struct srcu_struct *ssp)
{
	return ssp->readers++;
}

void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	if (--ssp->readers != idx)
		hpt_user_violation(kshim.vm, "SRCU read sections not nested");
}

void synchronize_srcu_expedited(struct srcu_struct *ssp)
{
	if (ssp->readers)
		kshim_hang(__func__, "waits for its own SRCU read section");
	hpt_plat_sync_readers(kshim.vm);
}

/* Every vCPU leaves the guest and sees mmu_ready clear: it is stopped */
void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	(void)wait;
	func(info);
	if (!kshim.kvm->arch.mmu_ready &&
	    !hpt_user(kshim.vm)->guest_stopped)
		hpt_plat_stop_guest(kshim.vm);
}

/* ---- KVM ---- */

struct kvm_memory_slot *__gfn_to_memslot(struct kvm_memslots *slots,
					 gfn_t gfn)
{
	u32 i;

	for (i = 0; i < slots->nr; i++) {
		struct kvm_memory_slot *s = &slots->slots[i];

		if (gfn >= s->base_gfn && gfn - s->base_gfn < s->npages)
			return s;
	}
	return NULL;
}

void kvmppc_setup_partition_table(struct kvm *kvm)
{
	(void)kvm;
	hpt_plat_update_partition_table(kshim.vm);
}

void kshim_unmap_hpte(struct kvm *kvm, unsigned long i, unsigned long gfn)
{
	struct hpt_info hpt = {
		.virt = (void *)kvm->arch.hpt.virt,
		.rev = (struct hpt_rev *)kvm->arch.hpt.rev,
		.order = kvm->arch.hpt.order,
	};

	if (!kshim.rmap_locks)
		hpt_user_violation(kshim.vm, "unmap without the rmap lock");
	hpt_plat_unmap_hpte(kshim.vm, &hpt, i, gfn);
}
