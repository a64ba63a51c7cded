/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM-HV's rmap bookkeeping, modelled for the platforms that run the core
 * outside KVM (host programs and the test module): linking an entry into
 * the rmap ring of its guest frame, as H_ENTER does, and unmapping it, as
 * kvmppc_unmap_hpte does.
 */
#ifndef HPT_MODEL_H
#define HPT_MODEL_H

#include "vm.h"

void hpt_model_link_rmap(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			 u64 gfn);
void hpt_model_unmap_hpte(struct hpt_vm *vm, struct hpt_info *hpt, u64 idx,
			  u64 gfn);

#endif /* HPT_MODEL_H */
