// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run an implementation so that an access outside its tables becomes a
 * finding instead of the end of the process.
 *
 * Tables sit between inaccessible guards of their own size (the host
 * platform's guard_tables), so an index computed wrongly faults.  While an
 * implementation runs, a SIGSEGV/SIGBUS handler asks the platform whether
 * the address lies in a guard; if so it jumps back here and the run ends
 * as a crash that names the table and the offset, the harness cleans up as
 * for any host crash, and a fuzzer in record mode goes on.  Any other
 * fault goes to the handler that was there before (the sanitizers', or the
 * default one), by restoring it and letting the access fault again.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

#include "harness_internal.h"

static sigjmp_buf jump;
static volatile sig_atomic_t armed;
static struct hpt_user_guard_hit hit;
static struct sigaction previous_segv, previous_bus;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (armed && hpt_user_guard_hit(si->si_addr, &hit)) {
		armed = 0;
		siglongjmp(jump, 1);
	}
	sigaction(sig, sig == SIGBUS ? &previous_bus : &previous_segv, NULL);
}

static void install(void)
{
	static bool installed;
	struct sigaction sa = { 0 };

	if (installed)
		return;
	installed = true;
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &previous_segv);
	sigaction(SIGBUS, &sa, &previous_bus);
}

static const char *table_name(const struct hctx *c, const void *table)
{
	if (table == c->old_virt)
		return "the old table";
	if (table == c->vm.hpt.virt)
		return "the guest's current table";
	/* Only two tables exist during a resize (the kernel's request is
	 * not in vm->resize, so it is not looked up there) */
	return "the new table";
}

long hctx_call_impl(struct hctx *c)
{
	long long off;
	long rc;

	install();
	if (sigsetjmp(jump, 1)) {
		off = hit.offset;
		c->out.fate = HPT_IMPL_CRASHED;
		snprintf(c->out.what, sizeof(c->out.what),
			 "out-of-bounds access 0x%llx bytes %s %s (order %u)",
			 (unsigned long long)(off < 0 ? -off :
					      off - (1LL << hit.order)),
			 off < 0 ? "below" : "past the end of",
			 table_name(c, hit.table), hit.order);
		return -EFAULT;
	}
	armed = 1;
	rc = c->impl->resize(&c->vm, c->s->new_order, &c->out);
	armed = 0;
	return rc;
}
