// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the shim promises of the kernel's text, on every kernel built with
 * handlers (linux-*): a WARN_ON is recorded and execution goes on, a
 * prepare work stepped on its thread waits after its allocation and
 * before it takes the setup lock again, and a stale request's work ends in
 * one step, freeing itself, as the kernel's text says it must.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hpt/harness.h"
#include "hpt/protocol.h"
#include "hpt_user.h"
#include "scn_test.h"

struct guest {
	struct hpt_vm vm;
	struct hpt_impl_outcome out;
	const struct hpt_impl_protocol *p;
};

/* A guest of order 18 whose vCPUs ran (mmu_ready) or not yet */
static int attach_ready(struct guest *g, const struct hpt_impl *impl,
			bool mmu_ready)
{
	struct hpt_user_config cfg = { .order = 18, .max_table_order = 20 };

	memset(g, 0, sizeof(*g));
	g->out.fate = HPT_IMPL_RETURNED;
	g->p = impl->protocol;
	CHECK(g->p);
	CHECK(!hpt_user_vm_init(&g->vm, &cfg));
	g->vm.mmu_ready = mmu_ready;
	CHECK(!g->p->attach(&g->vm, &g->out));
	return 0;
}

static int attach(struct guest *g, const struct hpt_impl *impl)
{
	return attach_ready(g, impl, true);
}

static void detach(struct guest *g)
{
	g->p->detach(&g->vm);
	hpt_user_vm_destroy(&g->vm);
}

/* Run fn on every kernel with handlers; at least one must be built */
static int each_kernel(int (*fn)(const struct hpt_impl *impl))
{
	const struct hpt_impl *const *impl;
	int n = 0;

	for (impl = hpt_impls; *impl; impl++) {
		if (strncmp((*impl)->name, "linux-", 6))
			continue;
		if (fn(*impl)) {
			fprintf(stderr, "  on %s\n", (*impl)->name);
			return 1;
		}
		n++;
	}
	CHECK(n > 0);
	return 0;
}

/* Commit with the MMU not ready: the kernel warns, goes on, fails -EIO */
static int warn_is_recorded(const struct hpt_impl *impl)
{
	struct guest g;

	CHECK(!attach_ready(&g, impl, false));
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->step(&g.vm, 0), 0);
	CHECK_EQ(g.p->step(&g.vm, 0), 1);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_SUCCESS);
	CHECK_EQ(g.out.warning[0], '\0');
	CHECK_EQ(g.p->commit(&g.vm, 0, 19), HPT_H_HARDWARE);
	CHECK(strstr(g.out.warning, "WARN_ON(!kvm->arch.mmu_ready) in kvm_vm_ioctl_resize_hpt_commit()"));
	CHECK_EQ(g.out.fate, HPT_IMPL_RETURNED);
	CHECK_EQ(g.vm.hpt.order, 18);
	CHECK_EQ(g.p->live_requests(&g.vm), 0);
	detach(&g);
	return 0;
}

static int warn_on_goes_on(void)
{
	return each_kernel(warn_is_recorded);
}

/* Prepare, the work in two steps around its allocation, commit */
static int stepped(const struct hpt_impl *impl)
{
	struct guest g;
	struct hpt_user *u;

	CHECK(!attach(&g, impl));
	u = hpt_user(&g.vm);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->pending(&g.vm), 1);
	CHECK_EQ(g.p->step(&g.vm, 0), 0);
	/* Allocated, not yet back under the lock: still busy */
	CHECK_EQ(u->live_tables, 2);
	CHECK_EQ(u->setup_lock_held, 0);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->commit(&g.vm, 0, 19), HPT_H_BUSY);
	/* The commit let the request go; the work still holds it */
	CHECK_EQ(g.p->live_requests(&g.vm), 1);
	CHECK_EQ(g.p->step(&g.vm, 0), 1);
	CHECK_EQ(g.p->live_requests(&g.vm), 0);
	CHECK_EQ(u->live_tables, 1);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->step(&g.vm, 0), 0);
	CHECK_EQ(g.p->step(&g.vm, 0), 1);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_SUCCESS);
	CHECK_EQ(g.p->commit(&g.vm, 0, 19), HPT_H_SUCCESS);
	CHECK_EQ(g.vm.hpt.order, 19);
	CHECK_EQ(u->live_tables, 1);
	CHECK_EQ(g.out.fate, HPT_IMPL_RETURNED);
	CHECK_EQ(g.out.warning[0], '\0');
	detach(&g);
	return 0;
}

static int work_waits_after_allocation(void)
{
	return each_kernel(stepped);
}

/* A request replaced before its work ran: the work frees it at once */
static int stale(const struct hpt_impl *impl)
{
	struct guest g;

	CHECK(!attach(&g, impl));
	CHECK_EQ(g.p->prepare(&g.vm, 0, 19), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->prepare(&g.vm, 0, 20), HPT_H_LONG_BUSY_ORDER_100_MSEC);
	CHECK_EQ(g.p->live_requests(&g.vm), 2);
	CHECK_EQ(g.p->pending(&g.vm), 2);
	CHECK_EQ(g.p->step(&g.vm, 0), 1);
	CHECK_EQ(g.p->live_requests(&g.vm), 1);
	CHECK_EQ(hpt_user(&g.vm)->live_tables, 1);
	detach(&g);
	CHECK_EQ(g.out.fate, HPT_IMPL_RETURNED);
	return 0;
}

static int stale_work_ends_in_one_step(void)
{
	return each_kernel(stale);
}

/*
 * The rehash hooks (for the benchmark and targets at any order) place
 * every entry of a random VA scenario as the core does, the whole table
 * at once and entry by entry, on the scenarios where the kernel's resize
 * agrees with the oracle: any difference there is the hook's.
 */
static int rehash_into(const struct hpt_impl *impl,
		       const struct hpt_scenario *s, bool by_entry, void *words)
{
	struct hpt_impl_outcome out = { .fate = HPT_IMPL_RETURNED };
	struct hpt_scn_placement *pl = calloc(1, sizeof(*pl));
	struct hpt_info new;
	struct hpt_vm vm;
	u64 idx;
	int ret = 0;

	CHECK(pl);
	CHECK(!scn_guest(&vm, s, pl));
	CHECK(!hpt_table_alloc(&vm, &new, s->new_order));
	hpt_plat_stop_guest(&vm);
	if (by_entry)
		for (idx = 0; idx < hpt_npte(&vm.hpt) && !ret; idx++)
			ret = impl->rehash_entry(&vm, &new, idx, &out);
	else
		ret = impl->rehash_table(&vm, &new, &out);
	hpt_plat_resume_guest(&vm);
	memcpy(words, new.virt, (size_t)1 << s->new_order);
	hpt_table_free(&vm, &new);
	scn_guest_free(&vm);
	free(pl);
	CHECK_EQ(out.fate, HPT_IMPL_RETURNED);
	return ret;
}

static int hooks(const struct hpt_impl *impl)
{
	struct scn_random_cfg cfg = { .seg = -1, .entries = 6 };
	size_t size = (size_t)1 << 20;
	u8 *want = malloc(size), *got = malloc(size);
	struct hpt_report rep = { 0 };
	struct rng r = { 7 };
	int i, compared = 0;

	CHECK(want && got);
	CHECK(impl->rehash_entry && impl->rehash_table);
	for (i = 0; i < 64; i++) {
		struct hpt_scenario *s;
		int rc;

		cfg.isa300 = i & 1;
		cfg.old_order = 18 + rng_below(&r, 3);
		cfg.new_order = 18 + rng_below(&r, 3);
		s = scn_new(cfg.isa300, cfg.old_order, cfg.new_order);
		CHECK(s);
		scn_random(s, &r, &cfg);
		if (hpt_harness_run(impl, s, NULL, &rep) != HPT_AGREE) {
			free(s);
			continue;
		}
		compared++;
		rc = rehash_into(&hpt_impl_core, s, false, want);
		CHECK_EQ(rehash_into(impl, s, false, got), rc);
		CHECK(!memcmp(want, got, (size_t)1 << s->new_order));
		CHECK_EQ(rehash_into(impl, s, true, got), rc);
		CHECK(!memcmp(want, got, (size_t)1 << s->new_order));
		free(s);
	}
	free(want);
	free(got);
	CHECK(compared >= 8);
	return 0;
}

static int rehash_hooks_place_as_the_core(void)
{
	return each_kernel(hooks);
}

static const struct test_case cases[] = {
	TEST_CASE(warn_on_goes_on),
	TEST_CASE(work_waits_after_allocation),
	TEST_CASE(stale_work_ends_in_one_step),
	TEST_CASE(rehash_hooks_place_as_the_core),
};

TEST_MAIN(cases)
