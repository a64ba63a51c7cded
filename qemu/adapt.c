// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a scenario to what the hypervisor's table can take: H_ENTER makes
 * VALID entries only, in the guest's (pre-3.0) view, with nothing a host
 * path does to them after (the scenario's host field), and the table is the
 * guest's own, so VSIDs must stay clear of the guest kernel's and orders
 * must be ones the hypervisor grants.  Raw entries and memslots have no
 * meaning there and are left out.
 */
#include <string.h>

#include "hq.h"

#define TAG_256M	(1ULL << 49)	/* above the 39-bit hash */
#define TAG_1T		(1ULL << 37)	/* hash bit 37: orders >= 45 only */
#define LINUX_VSIDS_256M	((1ULL << 40) - 1)	/* 0 .. this - 1 */
#define LINUX_VSIDS_1T		((1ULL << 28) - 1)

const char *hq_vsid_policy_name(enum hq_vsid_policy p)
{
	return p == HQ_VSID_FOLD ? "fold" : "tag";
}

bool hq_vsid_policy_parse(const char *name, enum hq_vsid_policy *p)
{
	if (!strcmp(name, "tag"))
		*p = HQ_VSID_TAG;
	else if (!strcmp(name, "fold"))
		*p = HQ_VSID_FOLD;
	else
		return false;
	return true;
}

const char *hq_avoid_name(unsigned int avoid)
{
	static const char *const names[] = {
		"none", "bolted-secondary", "bolted-mpss",
		"bolted-secondary,bolted-mpss",
	};

	return names[avoid & HQ_AVOID_ALL];
}

bool hq_avoid_parse(const char *name, unsigned int *avoid)
{
	unsigned int a;

	if (!strcmp(name, "all")) {
		*avoid = HQ_AVOID_ALL;
		return true;
	}
	for (a = 0; a <= HQ_AVOID_ALL; a++)
		if (!strcmp(name, hq_avoid_name(a))) {
			*avoid = a;
			return true;
		}
	return false;
}

static bool avoided(const struct hpt_scn_va *va, unsigned int avoid)
{
	if (!va->bolted)
		return false;
	if ((avoid & HQ_AVOID_BOLTED_SECONDARY) && va->secondary)
		return true;
	return (avoid & HQ_AVOID_BOLTED_MPSS) &&
	       hpt_scn_base_shift(va->page) != hpt_scn_actual_shift(va->page);
}

static void adapt_vsid(struct hpt_scn_va *va, enum hq_vsid_policy p)
{
	if (p == HQ_VSID_FOLD) {
		/* The ISA 3.0 widths: the bits cut never reach the hash */
		hpt_scn_va_canonicalise(va, true);
		return;
	}
	if (va->seg == HPT_SEG_1T && va->vsid < LINUX_VSIDS_1T)
		va->vsid |= TAG_1T;
	else if (va->seg == HPT_SEG_256M && va->vsid < LINUX_VSIDS_256M)
		va->vsid |= TAG_256M;
}

bool hq_adapt(const struct hpt_scenario *s, const struct hq_adapt *a,
	      struct hpt_scenario *hv, u32 *map, u32 *left_out,
	      const char **why)
{
	struct hpt_scn_record rec;
	u32 k, shift = a->base_order - HPT_MIN_ORDER;

	*left_out = 0;
	hpt_scn_init(hv);
	hv->old_order = s->old_order + shift;
	hv->new_order = s->new_order + shift;
	if (hv->old_order > a->max_order || hv->new_order > a->max_order) {
		*why = "an order above the hypervisor's largest";
		return false;
	}
	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA)
			continue;
		if (avoided(&s->rec[k].va, a->avoid)) {
			++*left_out;
			continue;
		}
		rec = s->rec[k];
		rec.va.valid = true;
		/* What host paths do to an entry no guest can ask for */
		rec.va.host = 0;
		adapt_vsid(&rec.va, a->vsid);
		hpt_scn_va_canonicalise(&rec.va, false);
		map[hv->nr_records] = k;
		hpt_scn_add(hv, &rec);
	}
	if (!hv->nr_records) {
		*why = *left_out ? "every VA entry avoided" : "no VA entries";
		return false;
	}
	return true;
}
