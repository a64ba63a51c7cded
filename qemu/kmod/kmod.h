/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hptfuzz test module: each command takes the scenario the host
 * wrote (binary encoding) and leaves a text report, one "HPTK " line per
 * fact, for the host to judge against its oracle (docs/qemu.md gives
 * the format).
 *
 *   core:     the core resizes a private table built from the scenario
 *   hv-enter: the scenario's VA entries go into the hypervisor's HPT
 *   hv-check: after the guest kernel's resize, where they are; removed
 *   hv-prepare: the hypervisor prepares the guest kernel's next resize
 */
#ifndef HPTFUZZ_KMOD_H
#define HPTFUZZ_KMOD_H

#include <linux/types.h>

#include "hpt/hpte.h"
#include "hpt/table.h"
#include "hpt/vm.h"
#include "hpt/scenario.h"

struct hk_report {
	char *buf;
	size_t len, cap;
	bool overflow;		/* lines were lost: the host says so */
};

__printf(2, 3) void hk_printf(struct hk_report *rep, const char *fmt, ...);
void hk_report_reset(struct hk_report *rep);
void hk_report_free(struct hk_report *rep);

/* A private guest with an empty table; NULL: -ENOMEM */
struct hpt_vm *hk_vm_alloc(bool isa300, u32 order);
void hk_vm_free(struct hpt_vm *vm);
/* Prepare, wait for the work, commit: as harness/impl_core.c drives it */
long hk_resize(struct hpt_vm *vm, u32 order);

/* The core on a private table (run_core.c) */
void hk_run_core(const struct hpt_scenario *s, u32 index,
		 struct hk_report *rep);

/* The hypervisor's table (run_hv.c); state kept between the two */
void hk_hv_enter(const struct hpt_scenario *s, u32 index,
		 struct hk_report *rep);
void hk_hv_check(u32 index, struct hk_report *rep);
/* H_RESIZE_HPT_PREPARE to @shift, polled until it is ready */
void hk_hv_pre_resize(u32 index, u32 shift, struct hk_report *rep);
/* The guest kernel's HPT order */
u32 hk_guest_order(void);
/* Remove whatever hv-enter left; at unload, free the rest too */
void hk_hv_release(void);
void hk_hv_exit(void);

/*
 * kmod_main.c, called with its lock held: a file's contents become the
 * input (its length, or -errno); a command runs on it, its report goes to
 * the console; one line goes to the console
 */
int hk_load(const char *path);
void hk_do(const char *cmd, u32 index, int nargs, u32 arg);
__printf(1, 2) void hk_say(const char *fmt, ...);

/* Every scenario of DIR/index from @first on (run_batch.c) */
int hk_run_batch(u32 first, const char *dir);

#endif /* HPTFUZZ_KMOD_H */
