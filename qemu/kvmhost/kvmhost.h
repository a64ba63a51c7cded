/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hptfuzz-kvm: the host side of scripts/qemu/kvm-host.sh, where the real
 * kvm-hv module of an emulated POWER9 host (QEMU powernv9) resizes each
 * scenario's table, driven by the static VMM in qemu/vmm (docs/qemu.md,
 * "The real kvm-hv on an emulated POWER9 host").  prep writes what the
 * VMM enters; judge reads the console back and judges every scenario
 * with the harness's judge.
 */
#ifndef KVMHOST_H
#define KVMHOST_H

#include "hpt/harness.h"

#define KH_MANIFEST_MAGIC	"hptfuzz-kvm-manifest 1"
#define KH_VMM_MAGIC		"hptfuzz-kvm 1"

/* The scenario as generation builds it, and the oracle's prediction */
struct kh_model {
	struct hpt_vm vm;
	struct hpt_scn_placement pl;
	struct hpt_oracle o;
	bool vm_up;
};

/* 0, or -errno with why set; free with kh_model_free() in any case */
int kh_model_build(struct kh_model *m, const struct hpt_scenario *s,
		   const char **why);
void kh_model_free(struct kh_model *m);

/* An entry of the table as the guest enters it: V and R, pre-3.0 view */
void kh_guest_words(const struct hpt_scenario *s,
		    const struct hpt_oracle_hpte *e, u64 *v, u64 *r);

int kh_prep(const char *dir, u32 max_order, bool raw_words, char **inputs,
	    int ninputs);
int kh_judge(const char *dir, const char *results, const char *impl,
	     const char *expect, bool quiet);

#endif /* KVMHOST_H */
