// SPDX-License-Identifier: GPL-2.0-only
/*
 * The prepare/commit protocol: every return code and every way a request
 * ends, with the scheduler choosing when the allocation work runs.
 */
#include "check.h"
#include "support.h"

static struct hpt_user *u;

static int setup(struct test_vm *t, u32 order, bool isa300)
{
	CHECK_EQ(test_vm_init(t, order, isa300), 0);
	u = hpt_user(&t->vm);
	return 0;
}

static int prepare_rejects_bad_arguments(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 17), T_H_PARAMETER);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 47), T_H_PARAMETER);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 1, 19), T_H_PARAMETER);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 17), T_H_PARAMETER);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 2, 19), T_H_PARAMETER);
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(hpt_user_sched_pending(&t.vm), 0);
	test_vm_destroy(&t);
	return 0;
}

static int prepare_reports_busy_then_done(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19),
		 T_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19),
		 T_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(hpt_user_sched_pending(&t.vm), 1);
	CHECK(hpt_user_sched_step(&t.vm, 0));	/* allocated */
	CHECK_EQ(u->live_tables, 2);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19),
		 T_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK(hpt_user_sched_step(&t.vm, 0));	/* finished */
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19), T_H_SUCCESS);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19), T_H_SUCCESS);
	CHECK(t.vm.resize != NULL);
	test_vm_destroy(&t);
	return 0;
}

static int prepare_zero_cancels(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(u->live_tables, 2);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 0), T_H_SUCCESS);
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(u->live_tables, 1);
	CHECK_EQ(u->live_resizes, 0);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 20), T_H_CLOSED);
	test_vm_destroy(&t);
	return 0;
}

static int prepare_other_shift_restarts(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	/* The finished order-20 request and its table are gone */
	CHECK_EQ(u->live_tables, 1);
	CHECK_EQ(u->live_resizes, 1);
	CHECK_EQ(t.vm.resize->order, 19);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_resize_commit(&t.vm, 0, 19), 0);
	CHECK_EQ(t.vm.hpt.order, 19);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

/* Cancelled between the allocation and its end: the work frees it */
static int cancel_while_allocating(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	CHECK(hpt_user_sched_step(&t.vm, 0));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 0), 0);
	CHECK_EQ(u->live_resizes, 1);	/* still owned by the work */
	CHECK(hpt_user_sched_step(&t.vm, 0));
	CHECK_EQ(u->live_resizes, 0);
	CHECK_EQ(u->live_tables, 1);
	test_vm_destroy(&t);
	return 0;
}

/* Cancelled before the work ran: it allocates nothing */
static int cancel_before_work_runs(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 21), HPT_PREPARE_WAIT_MS);
	CHECK_EQ(hpt_user_sched_pending(&t.vm), 2);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_user_count(&t.vm, HPT_EV_ALLOC_TABLE), 1);
	CHECK_EQ(u->live_resizes, 1);
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 21), 0);
	test_vm_destroy(&t);
	return 0;
}

static int commit_without_prepare_is_closed(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_CLOSED);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 0), T_H_CLOSED);
	CHECK(t.vm.mmu_ready);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int commit_other_shift_is_closed_and_cancels(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 20), T_H_CLOSED);
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(u->live_tables, 1);
	CHECK_EQ(t.vm.hpt.order, 18);
	test_vm_destroy(&t);
	return 0;
}

static int commit_before_work_done_is_busy(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	CHECK(hpt_user_sched_step(&t.vm, 0));
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_BUSY);
	/* Detached: the work frees it when it ends */
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(u->live_resizes, 1);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(u->live_resizes, 0);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int allocation_failure_is_no_mem(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	u->table_allocs_before_failure = 0;
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 20), T_H_NO_MEM);
	/* A failed request is released once reported */
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(u->live_resizes, 0);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 20), T_H_CLOSED);
	test_vm_destroy(&t);
	return 0;
}

static int commit_of_failed_prepare_reports_it(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	u->table_allocs_before_failure = 0;
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 20), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 20), T_H_NO_MEM);
	CHECK_EQ(u->live_resizes, 0);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static size_t find_event(const struct hpt_user *uu, enum hpt_user_event ev,
			 size_t from)
{
	size_t i;

	for (i = from; i < uu->log_len; i++)
		if (uu->log[i].event == ev)
			return i;
	return (size_t)-1;
}

/* stop, rehash, swap under the mmu lock, readers, free old, resume */
static int commit_success_pivots_then_releases(bool isa300)
{
	struct test_vm t;
	const void *old;
	size_t stop, act, ptbl, sync, fre, resume;

	CHECK(!setup(&t, 18, isa300));
	old = t.vm.hpt.virt;
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	hpt_user_clear_log(&t.vm);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_SUCCESS);
	CHECK(t.vm.hpt.virt != old);
	CHECK_EQ(t.vm.hpt.order, 19);
	stop = find_event(u, HPT_EV_STOP_GUEST, 0);
	act = find_event(u, HPT_EV_ACTIVATE, 0);
	sync = find_event(u, HPT_EV_SYNC_READERS, 0);
	fre = find_event(u, HPT_EV_FREE_TABLE, 0);
	resume = find_event(u, HPT_EV_RESUME_GUEST, 0);
	CHECK(stop < find_event(u, HPT_EV_PTESYNC, 0));
	CHECK(find_event(u, HPT_EV_PTESYNC, 0) < act);
	CHECK(act < sync && sync < resume && resume < fre);
	CHECK(u->log[fre].table == old);
	ptbl = find_event(u, HPT_EV_PARTITION_TABLE, 0);
	if (isa300)
		CHECK(act < ptbl && ptbl < sync);
	else
		CHECK_EQ(ptbl, (size_t)-1);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int commit_success_pre300(void)
{
	return commit_success_pivots_then_releases(false);
}

static int commit_success_isa300(void)
{
	return commit_success_pivots_then_releases(true);
}

static int commit_rehash_error_is_hardware(void)
{
	struct test_vm t;
	u64 idx = 40;

	CHECK(!setup(&t, 18, false));
	/* VALID, large, lp = 2: an encoding no page size has */
	test_place(&t, idx, T_V_VALID | T_V_LARGE | T_V_BOLTED,
		   0x2000);
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_HARDWARE);
	CHECK_EQ(t.vm.hpt.order, 18);
	CHECK(t.vm.mmu_ready);
	CHECK(t.vm.resize == NULL);
	CHECK(test_platform_clean(&t));
	test_vm_destroy(&t);
	return 0;
}

static int commit_when_mmu_not_ready_is_hardware(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	hpt_user_sched_run_all(&t.vm);
	t.vm.mmu_ready = false;
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_HARDWARE);
	CHECK(t.vm.resize == NULL);
	CHECK_EQ(u->live_tables, 1);
	test_vm_destroy(&t);
	return 0;
}

static int disabled_resize_is_function(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	t.vm.resize_enabled = false;
	CHECK_EQ(hpt_h_resize_hpt_prepare(&t.vm, 0, 19), T_H_FUNCTION);
	CHECK_EQ(hpt_h_resize_hpt_commit(&t.vm, 0, 19), T_H_FUNCTION);
	CHECK_EQ(hpt_user_sched_pending(&t.vm), 0);
	test_vm_destroy(&t);
	return 0;
}

static int hcall_codes_of_errors(void)
{
	CHECK_EQ(hpt_hcall_rc(0), T_H_SUCCESS);
	CHECK_EQ(hpt_hcall_rc(HPT_PREPARE_WAIT_MS), T_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(hpt_hcall_rc(-EINVAL), T_H_PARAMETER);
	CHECK_EQ(hpt_hcall_rc(-ENXIO), T_H_CLOSED);
	CHECK_EQ(hpt_hcall_rc(-EBUSY), T_H_BUSY);
	CHECK_EQ(hpt_hcall_rc(-ENOSPC), T_H_PTEG_FULL);
	CHECK_EQ(hpt_hcall_rc(-ENOMEM), T_H_NO_MEM);
	CHECK_EQ(hpt_hcall_rc(-EIO), T_H_HARDWARE);
	CHECK_EQ(hpt_hcall_rc(-EDEADLK), T_H_HARDWARE);
	return 0;
}

static int teardown_with_pending_work_frees_all(void)
{
	struct test_vm t;

	CHECK(!setup(&t, 18, false));
	CHECK_EQ(hpt_resize_prepare(&t.vm, 0, 19), HPT_PREPARE_WAIT_MS);
	CHECK(hpt_user_sched_step(&t.vm, 0));
	hpt_resize_cancel(&t.vm);
	hpt_user_sched_run_all(&t.vm);
	CHECK_EQ(u->live_resizes, 0);
	CHECK_EQ(u->live_tables, 1);
	test_vm_destroy(&t);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(prepare_rejects_bad_arguments),
	TEST_CASE(prepare_reports_busy_then_done),
	TEST_CASE(prepare_zero_cancels),
	TEST_CASE(prepare_other_shift_restarts),
	TEST_CASE(cancel_while_allocating),
	TEST_CASE(cancel_before_work_runs),
	TEST_CASE(commit_without_prepare_is_closed),
	TEST_CASE(commit_other_shift_is_closed_and_cancels),
	TEST_CASE(commit_before_work_done_is_busy),
	TEST_CASE(allocation_failure_is_no_mem),
	TEST_CASE(commit_of_failed_prepare_reports_it),
	TEST_CASE(commit_success_pre300),
	TEST_CASE(commit_success_isa300),
	TEST_CASE(commit_rehash_error_is_hardware),
	TEST_CASE(commit_when_mmu_not_ready_is_hardware),
	TEST_CASE(disabled_resize_is_function),
	TEST_CASE(hcall_codes_of_errors),
	TEST_CASE(teardown_with_pending_work_frees_all),
};

TEST_MAIN(cases)
