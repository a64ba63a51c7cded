// SPDX-License-Identifier: GPL-2.0-only
/*
 * protocol: sequences of prepare, commit, cancel and scheduler steps
 * against the core, each return code checked against a small model of the
 * PAPR state machine kept here, independently of the core.  After every
 * operation the platform must show no violation, no held lock, and exactly
 * the allocations the model says are alive; ASan/LSan catch the rest.
 *
 * Input: a byte per operation, with operands from the following bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "hpt/protocol.h"
#include "hpt_user.h"

#define MAX_REQS 64

/* What the model knows of one request */
struct req {
	u32 order;
	int phase;		/* 0 queued, 1 first half ran, 2 finished */
	bool allocated;		/* holds a table */
	int err;
};

struct model {
	struct req reqs[MAX_REQS];	/* queued or finished, oldest first */
	int nr;
	int current;			/* index into reqs, or -1 */
	u32 active_order;
	bool fail_allocs;
	u32 max_order;
};

static void model_drop(struct model *m, int i)
{
	if (m->current == i)
		m->current = -1;
	else if (m->current > i)
		m->current--;
	memmove(&m->reqs[i], &m->reqs[i + 1],
		(m->nr - i - 1) * sizeof(m->reqs[0]));
	m->nr--;
}

/* release(): detach, and free unless the work still runs */
static void model_release(struct model *m, int i)
{
	if (i < 0)
		return;
	if (m->reqs[i].phase == 2)
		model_drop(m, i);
	else if (m->current == i)
		m->current = -1;
}

static long errno_to_h(int err)
{
	return hpt_hcall_rc(err);
}

static long model_prepare(struct model *m, u64 flags, u64 shift)
{
	struct req *r;

	if (flags || (shift && (shift < 18 || shift > 46)))
		return HPT_H_PARAMETER;
	if (m->current >= 0) {
		r = &m->reqs[m->current];
		if (r->order == shift) {
			if (r->phase != 2)
				return HPT_H_LONG_BUSY_ORDER_100_MSEC;
			if (r->err) {
				long h = errno_to_h(r->err);

				model_release(m, m->current);
				return h;
			}
			return HPT_H_SUCCESS;
		}
		model_release(m, m->current);
	}
	if (!shift)
		return HPT_H_SUCCESS;
	if (m->nr == MAX_REQS)
		return -1000;	/* the model is full: stop this input */
	m->reqs[m->nr] = (struct req){ .order = (u32)shift };
	m->current = m->nr++;
	return HPT_H_LONG_BUSY_ORDER_100_MSEC;
}

static long model_commit(struct model *m, u64 flags, u64 shift)
{
	int cur = m->current;
	long h;

	if (flags || (shift && (shift < 18 || shift > 46)))
		return HPT_H_PARAMETER;
	if (cur < 0 || m->reqs[cur].order != shift)
		h = HPT_H_CLOSED;
	else if (m->reqs[cur].phase != 2)
		h = HPT_H_BUSY;
	else if (m->reqs[cur].err)
		h = errno_to_h(m->reqs[cur].err);
	else {
		/* The table is empty: the rehash cannot fail */
		m->active_order = m->reqs[cur].order;
		h = HPT_H_SUCCESS;
	}
	model_release(m, cur);
	return h;
}

static void model_step(struct model *m, int i)
{
	struct req *r = &m->reqs[i];

	if (r->phase == 0) {
		r->phase = 1;
		r->err = 0;
		if (m->current == i) {
			if (m->fail_allocs || r->order > m->max_order)
				r->err = -ENOMEM;
			else
				r->allocated = true;
		}
		return;
	}
	r->phase = 2;
	if (m->current != i)
		model_drop(m, i);
}

static long live_tables(const struct model *m)
{
	long n = 1;
	int i;

	for (i = 0; i < m->nr; i++)
		n += m->reqs[i].allocated;
	return n;
}

/* Queued works in the platform's order are the unfinished requests */
static int model_work_index(const struct model *m, size_t n)
{
	int i;

	for (i = 0; i < m->nr; i++)
		if (m->reqs[i].phase != 2 && n-- == 0)
			return i;
	return -1;
}

static void check(struct hpt_vm *vm, const struct model *m, const char *op,
		  long got, long want)
{
	struct hpt_user *u = hpt_user(vm);

	if (got != want)
		fuzz_fail("protocol: %s returned %ld, PAPR says %ld", op, got,
			  want);
	if (u->violations)
		fuzz_fail("protocol: after %s: %s", op, u->first_violation);
	if (u->hpte_locks_held || u->setup_lock_held || u->mmu_lock_held)
		fuzz_fail("protocol: after %s: a lock is still held", op);
	if (u->live_resizes != m->nr)
		fuzz_fail("protocol: after %s: %ld requests alive, expected %d",
			  op, u->live_resizes, m->nr);
	if (u->live_tables != live_tables(m))
		fuzz_fail("protocol: after %s: %ld tables alive, expected %ld",
			  op, u->live_tables, live_tables(m));
	if (vm->hpt.order != m->active_order || u->active_table != vm->hpt.virt)
		fuzz_fail("protocol: after %s: active table of order %u, expected %u",
			  op, vm->hpt.order, m->active_order);
}

/* 0, a valid order near the start (to keep tables small), or junk */
static u64 take_shift(struct fuzz_input *in)
{
	u8 b = fuzz_byte(in);

	if (b < 16)
		return 0;
	if (b < 224)
		return 18 + b % 4;
	return b;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct hpt_user_config cfg = { .order = 18, .max_table_order = 20 };
	struct model m = { .current = -1, .active_order = 18,
			   .max_order = 20 };
	struct hpt_vm vm;
	char op[64];
	int ops = 0;

	cfg.isa300 = fuzz_byte(&in) & 1;
	if (hpt_user_vm_init(&vm, &cfg))
		return 0;

	while (in.size && ops++ < 256) {
		u8 code = fuzz_byte(&in);
		u64 shift, flags = 0;
		long got, want;
		size_t n;
		int i;

		switch (code % 6) {
		case 0:
		case 1:
			if (code & 0x80)
				flags = 1;
			shift = take_shift(&in);
			snprintf(op, sizeof(op), "%s(flags=%llu, shift=%llu)",
				 code % 6 ? "commit" : "prepare",
				 (unsigned long long)flags,
				 (unsigned long long)shift);
			if (code % 6 == 0) {
				want = model_prepare(&m, flags, shift);
				if (want == -1000)
					goto out;
				got = hpt_h_resize_hpt_prepare(&vm, flags, shift);
			} else {
				want = model_commit(&m, flags, shift);
				got = hpt_h_resize_hpt_commit(&vm, flags, shift);
			}
			check(&vm, &m, op, got, want);
			break;
		case 2:
		case 3:
			n = hpt_user_sched_pending(&vm);
			if (!n)
				break;
			n = fuzz_byte(&in) % n;
			i = model_work_index(&m, n);
			if (i < 0)
				fuzz_fail("protocol: %zu works queued, model has fewer",
					  hpt_user_sched_pending(&vm));
			model_step(&m, i);
			hpt_user_sched_step(&vm, n);
			snprintf(op, sizeof(op), "work %zu step", n);
			check(&vm, &m, op, 0, 0);
			break;
		case 4:
			m.fail_allocs = !m.fail_allocs;
			hpt_user(&vm)->table_allocs_before_failure =
				m.fail_allocs ? 0 : -1;
			break;
		default:
			/* The guest goes away with whatever is pending */
			hpt_resize_cancel(&vm);
			model_release(&m, m.current);
			check(&vm, &m, "cancel", 0, 0);
			break;
		}
	}
out:
	hpt_user_vm_destroy(&vm);
	return 0;
}
