// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host platform's hooks that check how the core uses locks, the guest
 * and the active table, and the log every hook call is recorded in.
 * Single-threaded: locks are checked rather than waited for, and a lock
 * found held is a deadlock.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hpt/model.h"
#include "hpt_user_internal.h"

#define HPT_USER_LOG_MAX	(1u << 22)

void hpt_user_record(struct hpt_vm *vm, enum hpt_user_event event,
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
	hpt_user_record(vm, event, NULL, arg, 0);
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
	hpt_user_record(vm, HPT_EV_LOCK_HPTE, NULL,
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
	hpt_user_record(vm, HPT_EV_UNLOCK_HPTE, NULL, 0, 0);
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
	hpt_user_record(vm, HPT_EV_UNMAP, hpt->virt, idx, gfn);
unmap:
	hpt_model_unmap_hpte(vm, hpt, idx, gfn);
	switch (hpt_user(vm)->cfg.unmap_fault) {
	case HPT_UNMAP_DONE:
		break;
	case HPT_UNMAP_KEEPS_VALID:
		hpt_store_be64(hpt_hptep(hpt, idx),
			       hpt_load_be64(hpt_hptep(hpt, idx)) | HPT_V_VALID);
		break;
	case HPT_UNMAP_NOT_ABSENT:
		hpt_store_be64(hpt_hptep(hpt, idx),
			       hpt_load_be64(hpt_hptep(hpt, idx)) & ~HPT_V_ABSENT);
		break;
	}
}

void hpt_plat_ptesync(struct hpt_vm *vm)
{
	atomic_thread_fence(memory_order_seq_cst);
	hpt_user_record(vm, HPT_EV_PTESYNC, NULL, 0, 0);
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
	hpt_user_record(vm, HPT_EV_STOP_GUEST, NULL, 0, 0);
}

void hpt_plat_resume_guest(struct hpt_vm *vm)
{
	hpt_user(vm)->guest_stopped = false;
	hpt_user_record(vm, HPT_EV_RESUME_GUEST, NULL, 0, 0);
}

void hpt_plat_activate_hpt(struct hpt_vm *vm)
{
	if (!hpt_user(vm)->mmu_lock_held)
		hpt_user_violation(vm, "table switched without the mmu lock");
	hpt_user(vm)->active_table = vm->hpt.virt;
	hpt_user_record(vm, HPT_EV_ACTIVATE, vm->hpt.virt, vm->hpt.order, 0);
}

void hpt_plat_update_partition_table(struct hpt_vm *vm)
{
	hpt_user(vm)->partition_table = vm->hpt.virt;
	hpt_user_record(vm, HPT_EV_PARTITION_TABLE, vm->hpt.virt,
			vm->hpt.order, 0);
}

void hpt_plat_sync_readers(struct hpt_vm *vm)
{
	hpt_user_record(vm, HPT_EV_SYNC_READERS, NULL, 0, 0);
}
