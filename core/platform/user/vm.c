// SPDX-License-Identifier: GPL-2.0-only
/*
 * A host guest: the platform's per-guest state, the initial table (its
 * own or the caller's) and its teardown.
 */
#include <stdlib.h>

#include "hpt/protocol.h"
#include "hpt_user_internal.h"

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
	hpt_user_freed_release(vm);
	free(u);
	vm->plat.user = NULL;
}
