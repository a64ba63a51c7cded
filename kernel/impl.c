// SPDX-License-Identifier: GPL-2.0-only
/*
 * One kernel implementation under test: the shim, the kernel's own text
 * (generated files, extracted verbatim by kernel/kextract.py) and the
 * adapter that drives it as a guest's H_RESIZE_HPT_PREPARE and
 * H_RESIZE_HPT_COMMIT would, through the ioctl handlers QEMU calls.
 *
 * Built once per implementation (kernel/CMakeLists.txt) with
 *   KSHIM_IMPL_ID      C name (linux_6_1)
 *   KSHIM_IMPL_NAME    name the harness knows it by ("linux-6.1")
 *   KSHIM_SOURCE       where its text came from, for its description
 *   KSHIM_PATCH_2016   1 for the 2016 patch, which has no handlers
 *   KSHIM_HEADERS, KSHIM_ALLOC, KSHIM_RESIZE   the generated texts
 * Like tools/testing/vma's main.c, it includes the kernel's text, so it
 * reaches the static functions.
 */
#include <signal.h>
#include <stdlib.h>

#include "kvm_shim.h"
#include "hpt/protocol.h"
#include KSHIM_HEADERS
#include "after_headers.h"
#include KSHIM_ALLOC
#include KSHIM_RESIZE

/* The guest as the kernel sees it, kept until the harness is done */
static struct kvm kvm;
static sigjmp_buf unwind_to;
static struct sigaction previous_fpe;

/*
 * A division by zero traps on this host; on POWER it yields an undefined
 * quotient and goes on.  Either way the result is not the kernel's to
 * rely on: it ends the run as a crash.
 */
static void on_fpe(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code != FPE_INTDIV) {
		sigaction(SIGFPE, &previous_fpe, NULL);
		return;
	}
	snprintf(kshim.out->what, sizeof(kshim.out->what),
		 "division by zero (a trap here, an undefined quotient on POWER)");
	kshim.out->fate = HPT_IMPL_CRASHED;
	kshim.out->idx = kshim.locked_idx;
	siglongjmp(unwind_to, 1);
}

/* While the kernel's text runs: from sigsetjmp(unwind_to) on */
static void catch_fpe(void)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_fpe;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGFPE, &sa, &previous_fpe);
}

static void release_fpe(void)
{
	sigaction(SIGFPE, &previous_fpe, NULL);
}

static int kvm_from_vm(struct hpt_vm *vm, struct hpt_impl_outcome *out)
{
	struct kvm_memory_slot *slots = NULL;
	u32 i;

	if (vm->nr_memslots) {
		slots = calloc(vm->nr_memslots, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
	}
	for (i = 0; i < vm->nr_memslots; i++) {
		slots[i].base_gfn = vm->memslots[i].base_gfn;
		slots[i].npages = vm->memslots[i].npages;
		slots[i].arch.rmap = (unsigned long *)vm->memslots[i].rmap;
	}
	memset(&kvm, 0, sizeof(kvm));
	kvm.mmu_lock.vm = vm;
	kvm.arch.mmu_setup_lock.vm = vm;
	kvm.memslots.slots = slots;
	kvm.memslots.nr = vm->nr_memslots;
	kvm.arch.lpid = 1;
	kvm.arch.hpt.virt = (unsigned long)vm->hpt.virt;
	kvm.arch.hpt.rev = (struct revmap_entry *)vm->hpt.rev;
	kvm.arch.hpt.order = vm->hpt.order;
	kvm.arch.sdr1 = __pa(kvm.arch.hpt.virt) | (vm->hpt.order - 18);
	kvm.arch.mmu_ready = vm->mmu_ready;

	memset(&kshim, 0, sizeof(kshim));
	kshim.kvm = &kvm;
	kshim.vm = vm;
	kshim.out = out;
	kshim.unwind = &unwind_to;
	kshim.locked_idx = HPT_ORACLE_NO_INDEX;
	kshim.lock_failed_idx = HPT_ORACLE_NO_INDEX;
	/* The guest's revmap, which the kernel will vfree() */
	kshim.revs[0].p = vm->hpt.rev;
	kshim.revs[0].npte = hpt_npte(&vm->hpt);
	return 0;
}

/* What the guest has now, for the harness to judge */
static void vm_from_kvm(struct hpt_vm *vm)
{
	vm->hpt.virt = (void *)kvm.arch.hpt.virt;
	vm->hpt.rev = (struct hpt_rev *)kvm.arch.hpt.rev;
	vm->hpt.order = kvm.arch.hpt.order;
	vm->mmu_ready = kvm.arch.mmu_ready;
	if (vm->mmu_ready && hpt_user(vm)->guest_stopped)
		hpt_plat_resume_guest(vm);
}

#if KSHIM_PATCH_2016
/* The steps the patch adds, driven as the series' commit drives them */
static long drive(u32 new_order)
{
	struct kvm_resize_hpt *resize;
	long ret;

	resize = kzalloc(sizeof(*resize), GFP_KERNEL);
	if (!resize)
		return -ENOMEM;
	resize->kvm = &kvm;
	resize->order = new_order;
	kvm.arch.resize_hpt = resize;

	mutex_lock(&kvm.arch.mmu_setup_lock);
	ret = resize_hpt_allocate(resize);
	if (!ret) {
		kvm.arch.mmu_ready = 0;
		smp_mb();
		hpt_plat_stop_guest(kshim.vm);
		ret = resize_hpt_rehash(resize);
		if (!ret)
			resize_hpt_pivot(resize);
		kvm.arch.mmu_ready = 1;
	}
	resize_hpt_release(&kvm, resize);
	mutex_unlock(&kvm.arch.mmu_setup_lock);
	return ret;
}
#else
/* QEMU's prepare until it is done, then its commit */
static long drive(u32 new_order)
{
	struct kvm_ppc_resize_hpt rhpt = { .flags = 0, .shift = new_order };
	long ret;

	ret = kvm_vm_ioctl_resize_hpt_prepare(&kvm, &rhpt);
	if (ret > 0) {
		kshim_run_work();
		ret = kvm_vm_ioctl_resize_hpt_prepare(&kvm, &rhpt);
	}
	if (ret)
		/* A still-running prepare after all work ran is a bug too */
		return ret > 0 ? -EBUSY : ret;
	return kvm_vm_ioctl_resize_hpt_commit(&kvm, &rhpt);
}
#endif

static int kernel_resize(struct hpt_vm *vm, u32 new_order,
			 struct hpt_impl_outcome *out)
{
	long ret;

	ret = kvm_from_vm(vm, out);
	if (ret)
		return ret;
	catch_fpe();
	if (sigsetjmp(unwind_to, 1))
		ret = -EFAULT;		/* the host stopped here */
	else
		ret = drive(new_order);
	release_fpe();
	vm_from_kvm(vm);
	if (out->fate == HPT_IMPL_RETURNED) {
		if (kshim.rmap_locks)
			hpt_user_violation(vm, "rmap lock left held");
		if (kshim.live_blocks)
			hpt_user_violation(vm, "a resize request is left allocated");
	}
	return (int)ret;
}

/*
 * The kernel's own rehash of one entry or of the whole table into new,
 * through a request that holds new as the prepare work would have left
 * it; nothing else of the resize runs.
 */
static int kernel_rehash(struct hpt_vm *vm, struct hpt_info *new, u64 idx,
			 bool all, struct hpt_impl_outcome *out)
{
	struct kvm_resize_hpt resize;
	long ret;

	ret = kvm_from_vm(vm, out);
	if (ret)
		return ret;
	memset(&resize, 0, sizeof(resize));
	resize.kvm = &kvm;
	resize.order = new->order;
	resize.hpt.virt = (unsigned long)new->virt;
	resize.hpt.rev = (struct revmap_entry *)new->rev;
	resize.hpt.order = new->order;
	catch_fpe();
	if (sigsetjmp(unwind_to, 1))
		ret = -EFAULT;		/* the host stopped here */
	else if (all)
		ret = resize_hpt_rehash(&resize);
	else
		ret = (long)resize_hpt_rehash_hpte(&resize, idx);
	release_fpe();
	free(kvm.memslots.slots);
	kvm.memslots.slots = NULL;
	kshim.vm = NULL;
	return (int)ret;
}

static int kernel_rehash_entry(struct hpt_vm *vm, struct hpt_info *new,
			       u64 idx, struct hpt_impl_outcome *out)
{
	return kernel_rehash(vm, new, idx, false, out);
}

static int kernel_rehash_table(struct hpt_vm *vm, struct hpt_info *new,
			       struct hpt_impl_outcome *out)
{
	return kernel_rehash(vm, new, 0, true, out);
}

/* A request's table and revmap, and the request, behind the kernel's back */
static void free_request(struct hpt_vm *vm, struct kvm_resize_hpt *resize)
{
	size_t i;

	if (resize->hpt.virt && (void *)resize->hpt.virt != vm->hpt.virt) {
		hpt_plat_free_table(vm, (void *)resize->hpt.virt,
				    resize->hpt.order);
		for (i = 0; i < sizeof(kshim.revs) / sizeof(kshim.revs[0]); i++) {
			if (kshim.revs[i].p != resize->hpt.rev)
				continue;
			hpt_plat_free_rev(vm, (struct hpt_rev *)resize->hpt.rev,
					  kshim.revs[i].npte);
			kshim.revs[i].p = NULL;
		}
	}
	hpt_plat_kfree(resize);
}

/*
 * Whatever a run left (after a crash: the request, its table, queued
 * work), freed before the harness frees the guest.  Works that began on
 * a thread are first run to their end.
 */
static void kernel_cleanup(struct hpt_vm *vm)
{
	struct kvm_resize_hpt *resize;
	struct work_struct *work;

	if (kshim.vm != vm)
		return;
	if (!sigsetjmp(unwind_to, 1))
		kshim_finish_work();
	resize = kvm.arch.resize_hpt;
	while ((work = kshim_unqueue())) {
		if (!resize || work != &resize->work)
			free_request(vm, container_of(work,
						      struct kvm_resize_hpt,
						      work));
	}
	if (resize)
		free_request(vm, resize);
	kvm.arch.resize_hpt = NULL;
	free(kvm.memslots.slots);
	kvm.memslots.slots = NULL;
	kshim.vm = NULL;
}

#if !KSHIM_PATCH_2016
/*
 * The protocol target drives the ioctl handlers QEMU calls for the two
 * hcalls, after QEMU's own checks, and converts their results as QEMU
 * does (hpt_hcall_rc() is the project's copy of that conversion).
 */
static int kproto_attach(struct hpt_vm *vm, struct hpt_impl_outcome *out)
{
	return kvm_from_vm(vm, out);
}

static long kproto_ioctl(bool commit, u64 flags, u64 shift)
{
	struct kvm_ppc_resize_hpt rhpt = { .flags = flags, .shift = (u32)shift };
	long ret;

	if (flags || (shift && (shift < 18 || shift > 46)))
		return HPT_H_PARAMETER;
	if (sigsetjmp(unwind_to, 1))
		return HPT_H_HARDWARE;	/* the host stopped: out says why */
	if (commit)
		ret = kvm_vm_ioctl_resize_hpt_commit(&kvm, &rhpt);
	else
		ret = kvm_vm_ioctl_resize_hpt_prepare(&kvm, &rhpt);
	return hpt_hcall_rc(ret);
}

static long kproto_prepare(struct hpt_vm *vm, u64 flags, u64 shift)
{
	(void)vm;
	return kproto_ioctl(false, flags, shift);
}

static long kproto_commit(struct hpt_vm *vm, u64 flags, u64 shift)
{
	long h = kproto_ioctl(true, flags, shift);

	vm_from_kvm(vm);
	return h;
}

/* QEMU cancels a pending resize with a prepare of shift 0 */
static void kproto_cancel(struct hpt_vm *vm)
{
	kproto_prepare(vm, 0, 0);
}

static size_t kproto_pending(const struct hpt_vm *vm)
{
	(void)vm;
	return kshim_pending();
}

static int kproto_step(struct hpt_vm *vm, size_t n)
{
	(void)vm;
	return kshim_step(n);
}

static long kproto_live_requests(const struct hpt_vm *vm)
{
	(void)vm;
	return kshim.live_blocks;
}

static const struct hpt_impl_protocol kernel_protocol = {
	.attach = kproto_attach,
	.prepare = kproto_prepare,
	.commit = kproto_commit,
	.cancel = kproto_cancel,
	.pending = kproto_pending,
	.step = kproto_step,
	.live_requests = kproto_live_requests,
	.detach = kernel_cleanup,
};
#endif

const struct hpt_impl KSHIM_CAT(hpt_impl_, KSHIM_IMPL_ID) = {
	.name = KSHIM_IMPL_NAME,
	.description = "verbatim kernel text from " KSHIM_SOURCE,
	.resize = kernel_resize,
	.cleanup = kernel_cleanup,
	.rehash_entry = kernel_rehash_entry,
	.rehash_table = kernel_rehash_table,
#if !KSHIM_PATCH_2016
	.protocol = &kernel_protocol,
#endif
};
