// SPDX-License-Identifier: GPL-2.0-only
/*
 * protocol: sequences of prepare, commit, cancel and scheduler steps
 * against each implementation with a protocol (HPTFUZZ_IMPLS, default the
 * core; the kernels run their real ioctl handlers and prepare work), each
 * return code checked against a small model of the PAPR state machine
 * kept here, independently of them.  After every operation the platform
 * must show no violation, no held lock, and exactly the allocations the
 * model says are alive; ASan/LSan catch the rest.
 *
 * Input: a byte per operation, with operands from the following bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "hpt/harness.h"
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
	if (i < 0 || i >= m->nr)
		return;
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

static void check(const struct hpt_impl *impl, struct hpt_vm *vm,
		  const struct model *m, const struct hpt_impl_outcome *out,
		  const char *op, long got, long want)
{
	struct hpt_user *u = hpt_user(vm);
	const char *name = impl->name;
	long live = impl->protocol->live_requests(vm);
	static int trace = -1;

	/* HPTFUZZ_TRACE=1: every operation and what came of it, on stderr */
	if (trace < 0)
		trace = getenv("HPTFUZZ_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "%s: %s -> %ld (PAPR %ld); %ld requests, %ld tables, order %u\n",
			name, op, got, want, live, u->live_tables,
			vm->hpt.order);

	if (out->fate != HPT_IMPL_RETURNED)
		fuzz_fail("protocol: %s: %s: the host would have %s: %s", name,
			  op, out->fate == HPT_IMPL_CRASHED ? "crashed" : "hung",
			  out->what);
	if (out->warning[0])
		fuzz_fail("protocol: %s: %s: the host logs %s", name, op,
			  out->warning);
	if (got != want)
		fuzz_fail("protocol: %s: %s returned %ld, PAPR says %ld", name,
			  op, got, want);
	if (u->violations)
		fuzz_fail("protocol: %s: after %s: %s", name, op,
			  u->first_violation);
	if (u->hpte_locks_held || u->setup_lock_held || u->mmu_lock_held)
		fuzz_fail("protocol: %s: after %s: a lock is still held", name,
			  op);
	if (live != m->nr)
		fuzz_fail("protocol: %s: after %s: %ld requests alive, expected %d",
			  name, op, live, m->nr);
	if (u->live_tables != live_tables(m))
		fuzz_fail("protocol: %s: after %s: %ld tables alive, expected %ld",
			  name, op, u->live_tables, live_tables(m));
	if (vm->hpt.order != m->active_order || u->active_table != vm->hpt.virt)
		fuzz_fail("protocol: %s: after %s: active table of order %u, expected %u",
			  name, op, vm->hpt.order, m->active_order);
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

/* One implementation through the whole input */
static void run(const struct hpt_impl *impl, const u8 *data, size_t size)
{
	const struct hpt_impl_protocol *p = impl->protocol;
	struct fuzz_input in = { data, size };
	struct hpt_user_config cfg = { .order = 18, .max_table_order = 20 };
	struct model m = { .current = -1, .active_order = 18,
			   .max_order = 20 };
	struct hpt_impl_outcome out = { .fate = HPT_IMPL_RETURNED };
	struct hpt_vm vm;
	char op[64];
	int ops = 0;

	cfg.isa300 = fuzz_byte(&in) & 1;
	if (hpt_user_vm_init(&vm, &cfg))
		return;
	if (p->attach(&vm, &out)) {
		hpt_user_vm_destroy(&vm);
		return;
	}

	while (in.size && ops++ < 256) {
		u8 code = fuzz_byte(&in);
		u64 shift, flags = 0;
		long got, want;
		size_t n;
		int i, ended;
		bool first;

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
				got = p->prepare(&vm, flags, shift);
			} else {
				want = model_commit(&m, flags, shift);
				got = p->commit(&vm, flags, shift);
			}
			check(impl, &vm, &m, &out, op, got, want);
			break;
		case 2:
		case 3:
			n = p->pending(&vm);
			if (!n)
				break;
			n = fuzz_byte(&in) % n;
			i = model_work_index(&m, n);
			if (i < 0)
				fuzz_fail("protocol: %s: %zu works queued, model has fewer",
					  impl->name, p->pending(&vm));
			first = m.reqs[i].phase == 0;
			ended = p->step(&vm, n);
			model_step(&m, i);
			/* A work that ended in one step did both halves */
			if (ended == 1 && first)
				model_step(&m, i);
			snprintf(op, sizeof(op), "work %zu step", n);
			check(impl, &vm, &m, &out, op, 0, 0);
			break;
		case 4:
			m.fail_allocs = !m.fail_allocs;
			hpt_user(&vm)->table_allocs_before_failure =
				m.fail_allocs ? 0 : -1;
			break;
		default:
			p->cancel(&vm);
			model_release(&m, m.current);
			check(impl, &vm, &m, &out, "cancel", 0, 0);
			break;
		}
	}
out:
	p->detach(&vm);
	hpt_user_vm_destroy(&vm);
}

/* The implementations the protocol target can run: those with one */
static bool has_protocol(const struct hpt_impl *impl)
{
	return impl->protocol != NULL;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct hpt_impl *const *impl;

	for (impl = fuzz_impls(has_protocol, "protocol"); *impl; impl++)
		run(*impl, data, size);
	return 0;
}
