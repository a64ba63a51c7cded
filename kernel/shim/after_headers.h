/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel helpers the resize code calls whose text cannot run in a host
 * program, written against the HPTE bits the extracted headers define.
 * Included after those headers and before the resize code.
 */
#ifndef HPT_KSHIM_AFTER_HEADERS_H
#define HPT_KSHIM_AFTER_HEADERS_H

#include "kvm_shim.h"

/*
 * try_lock_hpte() is ldarx/and./stdcx. assembly: here the same test and
 * set as one atomic operation.  A lock already held is never dropped in
 * a host program (nobody else runs), which cpu_relax() then reports.
 */
static inline long try_lock_hpte(__be64 *hpte, unsigned long bits)
{
	_Atomic u64 *word = (_Atomic u64 *)hpte;
	u64 be_lockbit = cpu_to_be64(HPTE_V_HVLOCK);
	u64 be_bits = cpu_to_be64(bits);
	u64 old = atomic_load_explicit(word, memory_order_relaxed);
	unsigned long idx = (unsigned long)((const char *)hpte -
			    (const char *)kshim.kvm->arch.hpt.virt) >> 4;

	do {
		if (old & be_bits) {
			kshim.lock_failed_idx = idx;
			return 0;
		}
	} while (!atomic_compare_exchange_weak_explicit(word, &old,
							old | be_lockbit,
							memory_order_acquire,
							memory_order_relaxed));
	kshim.locked_idx = idx;
	kshim.lock_failed_idx = HPT_ORACLE_NO_INDEX;
	/* Logged, so a fault that ends the run names the entry it was at */
	hpt_user_note(kshim.vm, HPT_EV_LOCK_HPTE, idx);
	return 1;
}

/*
 * The rmap lock (bit KVMPPC_RMAP_LOCK_BIT of the word) is taken by the
 * platform's model of the unmap itself; here only the pairing is
 * counted, so a lock left held is still reported.
 */
static inline void lock_rmap(unsigned long *rmap)
{
	(void)rmap;
	kshim.rmap_locks++;
}

static inline void unlock_rmap(unsigned long *rmap)
{
	(void)rmap;
	kshim.rmap_locks--;
}

/* One unmap of the current table's entry i, recorded and modelled */
void kshim_unmap_hpte(struct kvm *kvm, unsigned long i, unsigned long gfn);

/*
 * The resize code's "ptesync" (asm volatile in resize_hpt_pivot()) is an
 * assembler macro on hosts that lack the instruction: it counts.
 */
#if defined(__x86_64__)
__asm__(".macro ptesync\n\tlock incq kshim_ptesyncs(%rip)\n.endm\n");
#elif !defined(__powerpc64__)
#error "kernel/shim: no ptesync for this host architecture"
#endif
extern unsigned long kshim_ptesyncs;

#include "versions.h"

#endif /* HPT_KSHIM_AFTER_HEADERS_H */
