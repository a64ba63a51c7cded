/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A faithful port of the rehash, pivot and release of the original KVM-HV
 * HPT resizing patch, run on the same platform layer as the core so the
 * harness can show where the two differ.  Nothing in it is fixed: the
 * arithmetic, the order of checks, the treatment of the lock bit and the
 * pre-ISA-3.0 view of every table are the patch's own.
 */
#ifndef HPT_PATCH_2016_PORT_H
#define HPT_PATCH_2016_PORT_H

#include "hpt/vm.h"

/* What the host would have done where the port stopped */
struct port_outcome {
	/* The BUG_ON that fired, or the undefined operation, else NULL */
	const char *crash;
	/* Spins forever on an HVLOCK, else NULL */
	const char *hang;
	u64 idx;		/* old index being rehashed when it stopped */
};

/*
 * Allocate a table of new_order, rehash, pivot on success, release: the
 * steps the patch adds, driven as a commit drives them.  Returns 0 or
 * -errno; when outcome->crash or ->hang is set the return value and the
 * tables are what was left when the host would have stopped.
 */
int port_resize(struct hpt_vm *vm, u32 new_order, struct port_outcome *out);

/* The rehash of one old entry, and of the whole table, into new */
int port_rehash_entry(struct hpt_vm *vm, struct hpt_info *new, u64 idx,
		      struct port_outcome *out);
int port_rehash_table(struct hpt_vm *vm, struct hpt_info *new,
		      struct port_outcome *out);

#endif /* HPT_PATCH_2016_PORT_H */
