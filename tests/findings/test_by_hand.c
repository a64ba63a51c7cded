// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings in the patch-2016 port that no scenario can express, set up by hand
 * (docs/findings.md, "Reached only by hand").
 *
 * Generated entries carry the same R and C bits in the hardware R word
 * and in the guest's view, so an unmap never has anything to harvest.
 * On a real host the hardware sets R and C in the HPTE as the guest
 * touches the page; the unmap in the rehash folds them into the revmap's
 * guest_rpte.  The port copies the guest_rpte it read before the unmap,
 * so the new revmap entry loses them; the core copies the harvested one.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hpt/harness.h"
#include "hpt/scenario_text.h"
#include "scn_test.h"

extern const struct hpt_impl hpt_impl_patch_2016_port;

/* One bolted VALID 4K page, its frame backed, R and C clear */
static const char one_entry[] =
	"hptfuzz-scenario 1\n"
	"layout pre-3.0\n"
	"old-order 18\n"
	"new-order 19\n"
	"memslot base=0x0 npages=4096\n"
	"va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
	"bolted=1 group=primary slot=3 rpn=0x100 rbits=0x2\n";

static u64 first_used(const struct hpt_info *hpt)
{
	u64 idx;

	for (idx = 0; idx < hpt_npte(hpt); idx++)
		if (hpt_hpte_is_used(hpt_load_be64(hpt_hptep(hpt, idx))))
			return idx;
	return HPT_SCN_NOT_PLACED;
}

/*
 * Resize the guest of one_entry with impl after the hardware set R and C
 * in the entry; *hw_r and *guest_r get the moved entry's words.
 */
static int resize_after_access(const struct hpt_impl *impl, u64 *hw_r,
			       u64 *guest_r)
{
	struct hpt_scenario *s = scn_new(false, 18, 18);
	struct hpt_scn_placement *pl = calloc(1, sizeof(*pl));
	struct hpt_impl_outcome out = { .fate = HPT_IMPL_RETURNED };
	struct hpt_vm vm;
	char err[200];
	__be64 *hptep;
	u64 idx;

	CHECK(pl);
	CHECK(!hpt_scn_parse_text(s, one_entry, strlen(one_entry), err,
				  sizeof(err)));
	CHECK(!scn_guest(&vm, s, pl));
	CHECK_EQ(pl->nr_placed, 1);
	idx = pl->where[1];
	CHECK(!(vm.hpt.rev[idx].guest_rpte & (HPT_R_R | HPT_R_C)));

	/* The guest stored to the page: the MMU set R and C */
	hptep = hpt_hptep(&vm.hpt, idx);
	hpt_store_be64(&hptep[1], hpt_load_be64(&hptep[1]) | HPT_R_R |
		       HPT_R_C);

	CHECK_EQ(impl->resize(&vm, 19, &out), 0);
	CHECK_EQ(out.fate, HPT_IMPL_RETURNED);
	CHECK_EQ(vm.hpt.order, 19);
	idx = first_used(&vm.hpt);
	CHECK(idx != HPT_SCN_NOT_PLACED);
	*hw_r = hpt_load_be64(&hpt_hptep(&vm.hpt, idx)[1]);
	*guest_r = vm.hpt.rev[idx].guest_rpte;

	scn_guest_free(&vm);
	free(pl);
	free(s);
	return 0;
}

/* The port's new revmap entry lacks the R and C its unmap harvested */
static int port_loses_harvested_rc(void)
{
	u64 hw_r, guest_r;

	CHECK(!resize_after_access(&hpt_impl_patch_2016_port, &hw_r, &guest_r));
	CHECK_EQ(hw_r & (HPT_R_R | HPT_R_C), HPT_R_R | HPT_R_C);
	CHECK_EQ(guest_r & (HPT_R_R | HPT_R_C), 0);
	return 0;
}

/*
 * The kernels' own text does as the patch-2016 port: the 2016 patch and the
 * resize of 6.1 and 6.12 copy the guest_rpte read before the unmap.
 * Every kernel the build has (HPT_KERNELS_BUILT of them) is checked.
 */
static int kernels_lose_harvested_rc(void)
{
	const struct hpt_impl *const *impl;
	u64 hw_r, guest_r;
	int n = 0;

	for (impl = hpt_impls; *impl; impl++) {
		if (strncmp((*impl)->name, "linux-", 6) &&
		    strcmp((*impl)->name, "patch-2016"))
			continue;
		CHECK(!resize_after_access(*impl, &hw_r, &guest_r));
		CHECK_EQ(hw_r & (HPT_R_R | HPT_R_C), HPT_R_R | HPT_R_C);
		CHECK_EQ(guest_r & (HPT_R_R | HPT_R_C), 0);
		n++;
	}
	CHECK_EQ(n, HPT_KERNELS_BUILT);
	return 0;
}

/* The core copies the guest's view as the unmap left it */
static int core_keeps_harvested_rc(void)
{
	u64 hw_r, guest_r;

	CHECK(!resize_after_access(&hpt_impl_core, &hw_r, &guest_r));
	CHECK_EQ(hw_r & (HPT_R_R | HPT_R_C), HPT_R_R | HPT_R_C);
	CHECK_EQ(guest_r & (HPT_R_R | HPT_R_C), HPT_R_R | HPT_R_C);
	return 0;
}

static const struct test_case cases[] = {
	TEST_CASE(port_loses_harvested_rc),
	TEST_CASE(kernels_lose_harvested_rc),
	TEST_CASE(core_keeps_harvested_rc),
};

TEST_MAIN(cases)
