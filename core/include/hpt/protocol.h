/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PAPR H_RESIZE_HPT_PREPARE / H_RESIZE_HPT_COMMIT protocol.
 *
 * prepare(shift): 0 cancels any pending request; a shift equal to the
 * pending one reports progress (busy while allocating, else the result,
 * releasing a failed request); any other shift cancels and restarts.  The
 * new table is allocated by background work the platform schedules.
 * commit(shift): stops the guest, rehashes into the prepared table,
 * pivots and releases; the request is released whatever the outcome.
 *
 * The functions return kernel-style results (0, a positive wait time in
 * ms, -errno); hpt_hcall_rc() maps them onto PAPR return codes.
 */
#ifndef HPT_PROTOCOL_H
#define HPT_PROTOCOL_H

#include "vm.h"

#define HPT_H_SUCCESS			0
#define HPT_H_BUSY				1
#define HPT_H_CLOSED			2
#define HPT_H_LONG_BUSY_ORDER_100_MSEC	9902
#define HPT_H_HARDWARE			-1
#define HPT_H_FUNCTION			-2
#define HPT_H_PARAMETER			-4
#define HPT_H_PTEG_FULL			-6
#define HPT_H_NO_MEM			-9

/* Estimated time in ms a prepare still needs, as KVM reports it */
#define HPT_PREPARE_WAIT_MS		100

long hpt_resize_prepare(struct hpt_vm *vm, u64 flags, u64 shift);
long hpt_resize_commit(struct hpt_vm *vm, u64 flags, u64 shift);

/*
 * The background work of a prepare, in two halves so a host scheduler can
 * run other requests between them, as the allocation does not hold the
 * setup lock: hpt_resize_work() is the two in sequence.
 */
int hpt_resize_work_allocate(struct hpt_resize *resize);
void hpt_resize_work_finish(struct hpt_resize *resize, int err);
void hpt_resize_work(struct hpt_resize *resize);

/* Drop any pending request, as when the guest goes away */
void hpt_resize_cancel(struct hpt_vm *vm);

long hpt_hcall_rc(long ret);
long hpt_h_resize_hpt_prepare(struct hpt_vm *vm, u64 flags, u64 shift);
long hpt_h_resize_hpt_commit(struct hpt_vm *vm, u64 flags, u64 shift);

#endif /* HPT_PROTOCOL_H */
