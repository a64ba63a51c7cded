// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one scenario file that knows the core's struct hpt_vm: it hands the
 * generator the table's bytes and fills the revmap and memslots the core
 * reads.  It includes the core's header for the structures' layout only;
 * no constant or helper of the core is used here.
 */
#include "hpt/env.h"
#include "hpt/platform.h"
#include "hpt/vm.h"
#include "scn_vm.h"

int scn_vm_check(const struct hpt_vm *vm, const struct hpt_scenario *s)
{
	if (!vm->hpt.virt || !vm->hpt.rev || vm->hpt.order != s->old_order ||
	    vm->isa300 != s->isa300 || vm->memslots)
		return -EINVAL;
	return 0;
}

u8 *scn_vm_table(struct hpt_vm *vm)
{
	return vm->hpt.virt;
}

void hpt_scn_free_memslots(struct hpt_vm *vm)
{
	u32 i;

	if (!vm->memslots)
		return;
	for (i = 0; i < vm->nr_memslots; i++)
		hpt_plat_kfree(vm->memslots[i].rmap);
	hpt_plat_kfree(vm->memslots);
	vm->memslots = NULL;
	vm->nr_memslots = 0;
}

int scn_vm_add_memslots(struct hpt_vm *vm, const struct hpt_scenario *s,
			struct hpt_scn_placement *pl)
{
	struct hpt_memslot *slot;
	u32 k;

	if (!s->nr_memslots)
		return 0;
	vm->memslots = hpt_plat_kzalloc(s->nr_memslots * sizeof(*vm->memslots));
	if (!vm->memslots)
		return -ENOMEM;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_MEMSLOT)
			continue;
		slot = &vm->memslots[vm->nr_memslots];
		slot->base_gfn = s->rec[k].slot.base_gfn;
		slot->npages = s->rec[k].slot.npages;
		/* An empty slot still gets a word: NULL means "failed" here */
		slot->rmap = hpt_plat_kzalloc((slot->npages ? slot->npages : 1) *
					     sizeof(u64));
		if (!slot->rmap) {
			hpt_scn_free_memslots(vm);
			return -ENOMEM;
		}
		if (pl)
			pl->where[k] = vm->nr_memslots;
		vm->nr_memslots++;
	}
	return 0;
}

/* The spec's rule, not the core's lookup: the first slot holding gfn */
u64 *scn_vm_rmap(struct hpt_vm *vm, u64 gfn)
{
	struct hpt_memslot *slot;
	u32 i;

	for (i = 0; i < vm->nr_memslots; i++) {
		slot = &vm->memslots[i];
		if (gfn >= slot->base_gfn && gfn - slot->base_gfn < slot->npages)
			return &slot->rmap[gfn - slot->base_gfn];
	}
	return NULL;
}

void scn_vm_set_rev(struct hpt_vm *vm, u64 idx, u64 guest_r)
{
	vm->hpt.rev[idx].guest_rpte = guest_r;
}

void scn_vm_set_forw(struct hpt_vm *vm, u64 idx, u64 forw)
{
	vm->hpt.rev[idx].forw = forw;
}

void scn_vm_set_back(struct hpt_vm *vm, u64 idx, u64 back)
{
	vm->hpt.rev[idx].back = back;
}

u64 scn_vm_back(const struct hpt_vm *vm, u64 idx)
{
	return vm->hpt.rev[idx].back;
}
