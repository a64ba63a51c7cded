// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "broken_impls.h"

static u64 first_used(const struct hpt_info *hpt, u64 from)
{
	u64 idx;

	for (idx = from; idx < hpt_npte(hpt); idx++)
		if (hpt_hpte_is_used(hpt_load_be64(hpt_hptep(hpt, idx))))
			return idx;
	return HPT_SCN_NOT_PLACED;
}

static int swap_resize(struct hpt_vm *vm, u32 new_order,
		       struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	__be64 *a, *b, t[2];
	struct hpt_rev rev;
	u64 i, j;

	if (ret)
		return ret;
	i = first_used(&vm->hpt, 0);
	if (i == HPT_SCN_NOT_PLACED)
		return 0;
	j = first_used(&vm->hpt, i + 1);
	if (j == HPT_SCN_NOT_PLACED)
		return 0;
	a = hpt_hptep(&vm->hpt, i);
	b = hpt_hptep(&vm->hpt, j);
	memcpy(t, a, sizeof(t));
	memcpy(a, b, sizeof(t));
	memcpy(b, t, sizeof(t));
	rev = vm->hpt.rev[i];
	vm->hpt.rev[i] = vm->hpt.rev[j];
	vm->hpt.rev[j] = rev;
	return 0;
}

const struct hpt_impl test_impl_swap = {
	.name = "swap",
	.description = "core, then two new entries swapped",
	.resize = swap_resize,
};

/*
 * Where the core stops with -EIO (an entry no VA explains), says
 * -ENOSPC: a code the rules allow there only when an earlier bolted
 * entry holds the slot number
 */
static int wrong_rc_resize(struct hpt_vm *vm, u32 new_order,
			   struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);

	return ret == -EIO ? -ENOSPC : ret;
}

const struct hpt_impl test_impl_wrong_rc = {
	.name = "wrong-rc",
	.description = "core, -ENOSPC where it returns -EIO",
	.resize = wrong_rc_resize,
};

static int skip_unmap_resize(struct hpt_vm *vm, u32 new_order,
			     struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	struct hpt_user *u = hpt_user(vm);
	size_t i;

	for (i = 0; i < u->log_len; i++) {
		if (u->log[i].event != HPT_EV_UNMAP)
			continue;
		memmove(&u->log[i], &u->log[i + 1],
			(u->log_len - i - 1) * sizeof(u->log[0]));
		u->log_len--;
		break;
	}
	return ret;
}

const struct hpt_impl test_impl_skip_unmap = {
	.name = "skip-unmap",
	.description = "core, first unmap call missing",
	.resize = skip_unmap_resize,
};

static int valid_resize(struct hpt_vm *vm, u32 new_order,
			struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	__be64 *p;
	u64 i;

	if (ret)
		return ret;
	i = first_used(&vm->hpt, 0);
	if (i == HPT_SCN_NOT_PLACED)
		return 0;
	p = hpt_hptep(&vm->hpt, i);
	hpt_store_be64(p, hpt_load_be64(p) | HPT_V_VALID);
	return 0;
}

const struct hpt_impl test_impl_valid = {
	.name = "valid",
	.description = "core, then a new entry made VALID",
	.resize = valid_resize,
};

static int leave_lock_resize(struct hpt_vm *vm, u32 new_order,
			     struct hpt_impl_outcome *out)
{
	u64 i = first_used(&vm->hpt, 0);

	if (i != HPT_SCN_NOT_PLACED)
		hpt_plat_lock_hpte(vm, hpt_hptep(&vm->hpt, i));
	/* The core meets the lock bit and gives up with -EDEADLK */
	return hpt_impl_core.resize(vm, new_order, out);
}

const struct hpt_impl test_impl_leave_lock = {
	.name = "leave-lock",
	.description = "core, with an HVLOCK taken and never dropped",
	.resize = leave_lock_resize,
};

static int stray_rmap_resize(struct hpt_vm *vm, u32 new_order,
			     struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	struct hpt_memslot *slot = &vm->memslots[0];

	/* Far from any page the scenario maps: only a full scan sees it */
	if (vm->nr_memslots && slot->npages)
		slot->rmap[slot->npages - 1] = HPT_RMAP_PRESENT | 0x1234;
	return ret;
}

const struct hpt_impl test_impl_stray_rmap = {
	.name = "stray-rmap",
	.description = "core, then a stray word in an rmap no entry maps",
	.resize = stray_rmap_resize,
};

/*
 * A failed resize keeps the old table and its rings: point the back link
 * of the second member of the first ring of two or more at itself, as an
 * unlink that forgot one direction would
 */
/* The second member of the first kept ring of two or more, or ~0 */
static u64 second_member(struct hpt_vm *vm)
{
	struct hpt_memslot *slot;
	u64 head, next, n;
	u32 m;

	for (m = 0; m < vm->nr_memslots; m++) {
		slot = &vm->memslots[m];
		for (n = 0; n < slot->npages; n++) {
			if (!(slot->rmap[n] & HPT_RMAP_PRESENT))
				continue;
			head = slot->rmap[n] & HPT_RMAP_INDEX;
			next = vm->hpt.rev[head].forw;
			if (next != head)
				return next;
		}
	}
	return ~0ULL;
}

static int break_link_resize(struct hpt_vm *vm, u32 new_order,
			     struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	u64 i = ret ? second_member(vm) : ~0ULL;

	if (i != ~0ULL)
		vm->hpt.rev[i].back = i;
	return ret;
}

const struct hpt_impl test_impl_break_link = {
	.name = "break-link",
	.description = "core, then a back link of a kept ring broken",
	.resize = break_link_resize,
};

/* Both neighbours bridged, as an unlink would, but VALID kept */
static int drop_member_resize(struct hpt_vm *vm, u32 new_order,
			      struct hpt_impl_outcome *out)
{
	int ret = hpt_impl_core.resize(vm, new_order, out);
	u64 i = ret ? second_member(vm) : ~0ULL;
	struct hpt_rev *rev = vm->hpt.rev;

	if (i == ~0ULL)
		return ret;
	rev[rev[i].back].forw = rev[i].forw;
	rev[rev[i].forw].back = rev[i].back;
	rev[i].forw = i;
	rev[i].back = i;
	return ret;
}

const struct hpt_impl test_impl_drop_member = {
	.name = "drop-member",
	.description = "core, then a VALID entry of a kept ring unlinked",
	.resize = drop_member_resize,
};

static int below_table_resize(struct hpt_vm *vm, u32 new_order,
			      struct hpt_impl_outcome *out)
{
	/* As an index computed as ~0 would: one entry before the table */
	const volatile __be64 *p = (const __be64 *)vm->hpt.virt - 2;

	if (*p)
		return -EIO;
	return hpt_impl_core.resize(vm, new_order, out);
}

const struct hpt_impl test_impl_below_table = {
	.name = "below-table",
	.description = "reads the entry before the old table",
	.resize = below_table_resize,
};

static int null_read_resize(struct hpt_vm *vm, u32 new_order,
			    struct hpt_impl_outcome *out)
{
	const volatile __be64 *p = NULL;

	(void)vm;
	(void)new_order;
	(void)out;
	return *p ? -EIO : 0;
}

const struct hpt_impl test_impl_null_read = {
	.name = "null-read",
	.description = "reads through a null pointer",
	.resize = null_read_resize,
};
