// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a scenario to the old table a guest would have built: memslots and
 * their rmap arrays, raw words, then VA entries placed as H_ENTER places
 * them, with VALID ones linked into the rmap ring of their frame.
 */
#include "hpt/env.h"
#include "hpt/model.h"
#include "hpt/platform.h"
#include "hpt/scenario.h"

static void note(struct hpt_scn_placement *pl, u32 k, u64 where)
{
	if (pl)
		pl->where[k] = where;
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

static int add_memslots(const struct hpt_scenario *s, struct hpt_vm *vm,
			struct hpt_scn_placement *pl)
{
	struct hpt_memslot *slot;
	u32 k;

	if (!s->nr_memslots)
		return 0;
	vm->memslots = hpt_plat_zalloc(s->nr_memslots * sizeof(*vm->memslots));
	if (!vm->memslots)
		return -ENOMEM;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_MEMSLOT)
			continue;
		slot = &vm->memslots[vm->nr_memslots];
		slot->base_gfn = s->rec[k].slot.base_gfn;
		slot->npages = s->rec[k].slot.npages;
		/* An empty slot still gets a word: NULL means "failed" here */
		slot->rmap = hpt_plat_zalloc((slot->npages ? slot->npages : 1) *
					     sizeof(u64));
		if (!slot->rmap) {
			hpt_scn_free_memslots(vm);
			return -ENOMEM;
		}
		note(pl, k, vm->nr_memslots++);
	}
	return 0;
}

/* Stored as they are: raw words model tables no H_ENTER would build */
static void add_raw(struct hpt_vm *vm, const struct hpt_scn_raw *raw,
		    u64 *where)
{
	u64 idx = raw->index & (hpt_npte(&vm->hpt) - 1);
	__be64 *hptep = hpt_hptep(&vm->hpt, idx);

	hpt_store_be64(&hptep[1], raw->r);
	hpt_store_be64(&hptep[0], raw->v);
	vm->hpt.rev[idx].guest_rpte = raw->guest_r;
	vm->hpt.rev[idx].forw = idx;
	vm->hpt.rev[idx].back = idx;
	*where = idx;
}

static u64 find_slot(struct hpt_vm *vm, const struct hpt_scn_va *va)
{
	u64 base = hpt_scn_va_group(va, vm->hpt.order) * HPT_HPTES_PER_GROUP;
	u64 idx;

	if (va->slot != HPT_SCN_SLOT_FIRST) {
		idx = base + va->slot;
		if (hpt_hpte_is_used(hpt_load_be64(hpt_hptep(&vm->hpt, idx))))
			return HPT_SCN_NOT_PLACED;
		return idx;
	}
	for (idx = base; idx < base + HPT_HPTES_PER_GROUP; idx++)
		if (!hpt_hpte_is_used(hpt_load_be64(hpt_hptep(&vm->hpt, idx))))
			return idx;
	return HPT_SCN_NOT_PLACED;
}

static void add_va(struct hpt_vm *vm, const struct hpt_scn_va *va, u64 *where)
{
	u64 idx = find_slot(vm, va);
	struct hpt_rev *rev;

	*where = idx;
	if (idx == HPT_SCN_NOT_PLACED)
		return;		/* H_PTEG_FULL */

	hpt_write_hpte(vm, hpt_hptep(&vm->hpt, idx), hpt_scn_va_v(va),
		       hpt_scn_va_hw_r(va));
	rev = &vm->hpt.rev[idx];
	rev->guest_rpte = hpt_scn_va_guest_r(va);
	rev->forw = idx;
	rev->back = idx;
	/* As kvmppc_add_revmap_chain; frames no memslot backs get no ring */
	if (va->valid)
		hpt_model_link_rmap(vm, &vm->hpt, idx, va->rpn);
}

int hpt_scn_generate(const struct hpt_scenario *s, struct hpt_vm *vm,
		     struct hpt_scn_placement *pl)
{
	u64 where;
	u32 k;
	int ret;

	if (!vm->hpt.virt || !vm->hpt.rev || vm->hpt.order != s->old_order ||
	    vm->isa300 != s->isa300 || vm->memslots)
		return -EINVAL;

	if (pl) {
		pl->nr_placed = 0;
		pl->nr_not_placed = 0;
	}
	ret = add_memslots(s, vm, pl);
	if (ret)
		return ret;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_RAW)
			continue;
		add_raw(vm, &s->rec[k].raw, &where);
		note(pl, k, where);
	}
	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA)
			continue;
		add_va(vm, &s->rec[k].va, &where);
		note(pl, k, where);
		if (!pl)
			continue;
		if (where == HPT_SCN_NOT_PLACED)
			pl->nr_not_placed++;
		else
			pl->nr_placed++;
	}
	return 0;
}
