/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the generator needs from the core's struct hpt_vm, and nothing
 * more: the table's bytes, the revmap entries and the rmap words.  Only
 * materialize.c knows the structure's layout; the generator computes
 * every word it stores itself (scn_spec.h).
 */
#ifndef HPT_SCN_VM_H
#define HPT_SCN_VM_H

#include "hpt/scenario.h"

/* -EINVAL unless vm is an empty table of the scenario's order and layout */
int scn_vm_check(const struct hpt_vm *vm, const struct hpt_scenario *s);
/* The old table's 2^order bytes */
u8 *scn_vm_table(struct hpt_vm *vm);
/* Memslots of the scenario, in record order; -ENOMEM frees them again */
int scn_vm_add_memslots(struct hpt_vm *vm, const struct hpt_scenario *s,
			struct hpt_scn_placement *pl);
/* The rmap word of the first memslot holding gfn, or NULL */
u64 *scn_vm_rmap(struct hpt_vm *vm, u64 gfn);
void scn_vm_set_rev(struct hpt_vm *vm, u64 idx, u64 guest_r);
/* The revmap's ring links, one direction at a time */
void scn_vm_set_forw(struct hpt_vm *vm, u64 idx, u64 forw);
void scn_vm_set_back(struct hpt_vm *vm, u64 idx, u64 back);
u64 scn_vm_back(const struct hpt_vm *vm, u64 idx);

#endif /* HPT_SCN_VM_H */
