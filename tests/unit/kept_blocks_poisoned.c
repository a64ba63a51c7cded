// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host platform keeps freed blocks for reuse (alloc.c); under
 * AddressSanitizer a kept block must still be off limits, or sanitizer
 * builds would stop seeing an implementation that uses a table, revmap
 * or rmap after freeing it, or runs past the end of an rmap.  Each case
 * makes one such access, which ASan must report (the ctest looks for the
 * report); the same access just before the free is fine.
 *
 * With keep_freed the freed table and revmap are kept themselves, not
 * copied: they too must be off limits until hpt_user_freed_open(), and
 * again once released.
 *
 *   kept_blocks_poisoned freed_table|freed_guarded_table|freed_rev|rmap_tail
 *                        kept_table|kept_rev|kept_released
 */
#include <stdio.h>
#include <string.h>

#include "hpt/platform.h"
#include "hpt_user.h"

#define ORDER	18

static volatile u64 sink;

static void touch(const void *p)
{
	sink = *(const volatile u64 *)p;
}

static int freed_table(bool guarded)
{
	struct hpt_user_config cfg = { .order = ORDER, .guard_tables = guarded };
	struct hpt_vm vm;
	void *t;

	if (hpt_user_vm_init(&vm, &cfg))
		return 2;
	t = hpt_plat_alloc_table(&vm, ORDER);
	if (!t)
		return 2;
	touch((u8 *)t + 4096);
	hpt_plat_free_table(&vm, t, ORDER);
	touch((u8 *)t + 4096);
	hpt_user_vm_destroy(&vm);
	return 1;
}

static int freed_rev(void)
{
	struct hpt_user_config cfg = { .order = ORDER };
	u64 npte = hpt_order_npte(ORDER);
	struct hpt_rev *rev;
	struct hpt_vm vm;

	if (hpt_user_vm_init(&vm, &cfg))
		return 2;
	rev = hpt_plat_alloc_rev(&vm, npte);
	if (!rev)
		return 2;
	touch(&rev[npte / 2]);
	hpt_plat_free_rev(&vm, rev, npte);
	touch(&rev[npte / 2]);
	hpt_user_vm_destroy(&vm);
	return 1;
}

/* keep_freed: the freed table or revmap itself is kept, poisoned */
static int kept(bool table)
{
	struct hpt_user_config cfg = { .order = ORDER, .guard_tables = true,
				       .keep_freed = true };
	struct hpt_vm vm;
	struct hpt_info t;
	struct hpt_rev *rev;
	u8 *virt;

	if (hpt_user_vm_init(&vm, &cfg) || hpt_table_alloc(&vm, &t, ORDER))
		return 2;
	virt = t.virt;
	rev = t.rev;
	touch(virt + 4096);
	touch(&rev[100]);
	hpt_table_free(&vm, &t);
	if (hpt_user(&vm)->freed_virt != virt ||
	    hpt_user(&vm)->freed_rev != rev)
		return 3;	/* not kept: the access below proves nothing */
	touch(table ? virt + 4096 : (u8 *)&rev[100]);
	hpt_user_vm_destroy(&vm);
	return 1;
}

/* Readable once opened, off limits again once released */
static int kept_released(void)
{
	struct hpt_user_config cfg = { .order = ORDER, .guard_tables = true,
				       .keep_freed = true };
	struct hpt_vm vm;
	struct hpt_info t;
	const u8 *virt;

	if (hpt_user_vm_init(&vm, &cfg) || hpt_table_alloc(&vm, &t, ORDER))
		return 2;
	hpt_table_free(&vm, &t);
	hpt_user_freed_open(&vm);
	virt = hpt_user(&vm)->freed_virt;
	touch(virt + 4096);
	touch(&hpt_user(&vm)->freed_rev[100]);
	fprintf(stderr, "kept table read after open\n");
	hpt_user_freed_release(&vm);
	touch(virt + 4096);
	hpt_user_vm_destroy(&vm);
	return 1;
}

/* An rmap of 40000 pages sits in a 512 KB block: the rest is not its */
static int rmap_tail(void)
{
	u64 *rmap = hpt_plat_kzalloc(40000 * sizeof(*rmap));

	if (!rmap)
		return 2;
	touch(&rmap[39999]);
	touch(&rmap[40000]);
	hpt_plat_kfree(rmap);
	return 1;
}

int main(int argc, char **argv)
{
	const char *c = argc == 2 ? argv[1] : "";

	if (!strcmp(c, "freed_table"))
		return freed_table(false);
	if (!strcmp(c, "freed_guarded_table"))
		return freed_table(true);
	if (!strcmp(c, "freed_rev"))
		return freed_rev();
	if (!strcmp(c, "rmap_tail"))
		return rmap_tail();
	if (!strcmp(c, "kept_table"))
		return kept(true);
	if (!strcmp(c, "kept_rev"))
		return kept(false);
	if (!strcmp(c, "kept_released"))
		return kept_released();
	fprintf(stderr, "usage: kept_blocks_poisoned freed_table|freed_guarded_table|freed_rev|rmap_tail|kept_table|kept_rev|kept_released\n");
	return 2;
}
