// SPDX-License-Identifier: GPL-2.0-only
/*
 * Blocks declared zero (core/platform/user/known_zero.c) come back from
 * the host platform's caches without being cleared; every other freed
 * block is cleared when reused.  Each case prints "ok" when what it
 * allocates back is zero; wrong_declaration declares a block zero that
 * is not, which builds with assertions must stop.
 *
 *   known_zero undeclared|undeclared_guarded|declared|forgotten|rmap|
 *              wrong_declaration
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hpt/platform.h"
#include "hpt_user.h"

#define ORDER	18
#define LEN	((size_t)1 << ORDER)
/* Rmap arrays of a 128 KB block; only the first RMAP_SMALL bytes declared */
#define RMAP_SMALL	((size_t)70000)
#define RMAP		((size_t)120000)

static bool zero(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * A table with its last byte written, freed (the byte cleared first if
 * clear, the table declared zero if declare, the declaration forgotten if
 * forget), then allocated again: whether it came back zero
 */
static int table_case(bool guarded, bool declare, bool clear, bool forget)
{
	struct hpt_user_config cfg = { .order = ORDER, .guard_tables = guarded };
	struct hpt_vm vm;
	u8 *t, *again;
	int ret;

	if (hpt_user_vm_init(&vm, &cfg))
		return 2;
	t = hpt_plat_alloc_table(&vm, ORDER);
	if (!t)
		return 2;
	t[LEN - 1] = 0x5a;
	if (clear)
		t[LEN - 1] = 0;
	if (declare)
		hpt_user_known_zero(t, LEN);
	if (forget)
		hpt_user_known_zero_forget();
	hpt_plat_free_table(&vm, t, ORDER);
	again = hpt_plat_alloc_table(&vm, ORDER);
	if (again != t) {
		printf("not the same block: nothing shown\n");
		return 2;
	}
	ret = zero(again, LEN) ? 0 : 1;
	printf("%s\n", ret ? "not zero" : "ok");
	hpt_plat_free_table(&vm, again, ORDER);
	hpt_user_vm_destroy(&vm);
	return ret;
}

/*
 * An rmap array whose first part is declared zero and the rest is not:
 * the same block comes back with the rest cleared
 */
static int rmap_case(void)
{
	u8 *p = hpt_plat_kzalloc(RMAP), *again;
	int ret;

	if (!p)
		return 2;
	memset(p, 0x5a, RMAP);
	memset(p, 0, RMAP_SMALL);
	hpt_user_known_zero(p, RMAP_SMALL);
	hpt_plat_kfree(p);
	again = hpt_plat_kzalloc(RMAP);
	if (again != p) {
		printf("not the same block: nothing shown\n");
		return 2;
	}
	ret = zero(again, RMAP) ? 0 : 1;
	printf("%s\n", ret ? "not zero" : "ok");
	hpt_plat_kfree(again);
	return ret;
}

/* A child makes the wrong declaration: it must die of the check's abort */
static int wrong_declaration(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 2;
	if (!pid)
		_exit(table_case(true, true, false, false) == 1 ? 1 : 2);
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) {
		printf("stopped\n");
		return 0;
	}
	printf("not stopped (status 0x%x)\n", status);
	return 1;
}

int main(int argc, char **argv)
{
	const char *c = argc == 2 ? argv[1] : "";

	if (!strcmp(c, "undeclared"))
		return table_case(false, false, false, false);
	if (!strcmp(c, "undeclared_guarded"))
		return table_case(true, false, false, false);
	if (!strcmp(c, "declared"))
		return table_case(true, true, true, false);
	if (!strcmp(c, "forgotten"))
		return table_case(true, true, false, true);
	if (!strcmp(c, "rmap"))
		return rmap_case();
	if (!strcmp(c, "wrong_declaration"))
		return wrong_declaration();
	fprintf(stderr, "usage: known_zero undeclared|undeclared_guarded|declared|forgotten|rmap|wrong_declaration\n");
	return 2;
}
