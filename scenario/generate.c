// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a scenario to the old table a guest would have built: memslots and
 * their rmap arrays, raw words, then VA entries placed as H_ENTER places
 * them, with VALID ones linked into the rmap ring of their frame.
 *
 * Every word is computed here and stored as big-endian bytes with the
 * scenario's own constants (scn_spec.h); the core's structures are
 * reached only through materialize.c.
 */
#include "hpt/env.h"
#include "hpt/scenario.h"
#include "scn_spec.h"
#include "scn_vm.h"

static void note(struct hpt_scn_placement *pl, u32 k, u64 where)
{
	if (pl)
		pl->where[k] = where;
}

static u8 *entry(u8 *table, u64 idx)
{
	return table + idx * SCN_HPTE_BYTES;
}

/* R first: V is what makes the entry exist */
static void store(u8 *hpte, u64 v, u64 r)
{
	scn_put_be64(hpte + 8, r);
	scn_put_be64(hpte, v);
}

/* Stored as they are: raw words model tables no H_ENTER would build */
static void add_raw(struct hpt_vm *vm, u32 order, const struct hpt_scn_raw *raw,
		    u64 *where)
{
	u64 idx = raw->index & (scn_order_npte(order) - 1);

	store(entry(scn_vm_table(vm), idx), raw->v, raw->r);
	scn_vm_set_rev(vm, idx, raw->guest_r);
	scn_vm_set_forw(vm, idx, idx);
	scn_vm_set_back(vm, idx, idx);
	*where = idx;
}

/* VALID and ABSENT sit in V's least significant byte, its last in memory */
static bool slot_used(u8 *table, u64 idx)
{
	return scn_v_used(entry(table, idx)[7]);
}

static u64 find_slot(u8 *table, u32 order, const struct hpt_scn_va *va)
{
	u64 base = hpt_scn_va_group(va, order) * SCN_GROUP_HPTES;
	u64 idx;

	if (va->slot != HPT_SCN_SLOT_FIRST) {
		idx = base + va->slot;
		return slot_used(table, idx) ? HPT_SCN_NOT_PLACED : idx;
	}
	for (idx = base; idx < base + SCN_GROUP_HPTES; idx++)
		if (!slot_used(table, idx))
			return idx;
	return HPT_SCN_NOT_PLACED;
}

/*
 * As kvmppc_add_revmap_chain with realmode clear: a new entry goes at the
 * tail of its frame's ring and the rmap word keeps pointing at the head.
 * Frames no memslot backs get no ring.
 */
static void link_rmap(struct hpt_vm *vm, u64 idx, u64 gfn)
{
	u64 *rmap = scn_vm_rmap(vm, gfn);
	u64 head, tail;

	if (!rmap)
		return;
	if (!(*rmap & SCN_RMAP_PRESENT)) {
		*rmap = (*rmap & ~SCN_RMAP_INDEX) | idx | SCN_RMAP_PRESENT;
		return;		/* a ring of one: links already point home */
	}
	head = *rmap & SCN_RMAP_INDEX;
	tail = scn_vm_back(vm, head);
	scn_vm_set_forw(vm, idx, head);
	scn_vm_set_back(vm, idx, tail);
	scn_vm_set_forw(vm, tail, idx);
	scn_vm_set_back(vm, head, idx);
}

static void add_va(struct hpt_vm *vm, u32 order, bool isa300,
		   const struct hpt_scn_va *va, u64 *where)
{
	u8 *table = scn_vm_table(vm);
	u64 idx = find_slot(table, order, va);
	u64 v, r;

	*where = idx;
	if (idx == HPT_SCN_NOT_PLACED)
		return;		/* H_PTEG_FULL */

	scn_to_table(isa300, hpt_scn_va_v(va), hpt_scn_va_hw_r(va), &v, &r);
	store(entry(table, idx), v, r);
	scn_vm_set_rev(vm, idx, hpt_scn_va_guest_r(va));
	scn_vm_set_forw(vm, idx, idx);
	scn_vm_set_back(vm, idx, idx);
	if (hpt_scn_va_v(va) & SCN_V_VALID)
		link_rmap(vm, idx, va->rpn);
}

int hpt_scn_generate(const struct hpt_scenario *s, struct hpt_vm *vm,
		     struct hpt_scn_placement *pl)
{
	u64 where;
	u32 k;
	int ret;

	ret = scn_vm_check(vm, s);
	if (ret)
		return ret;

	if (pl) {
		pl->nr_placed = 0;
		pl->nr_not_placed = 0;
	}
	ret = scn_vm_add_memslots(vm, s, pl);
	if (ret)
		return ret;

	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_RAW)
			continue;
		add_raw(vm, s->old_order, &s->rec[k].raw, &where);
		note(pl, k, where);
	}
	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA)
			continue;
		add_va(vm, s->old_order, s->isa300, &s->rec[k].va, &where);
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
