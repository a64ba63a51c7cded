// SPDX-License-Identifier: GPL-2.0-only
/*
 * The oracle's entry point: build the table generation must have made,
 * decide whether it can be predicted, and predict the resize.
 */
#include <stdlib.h>
#include <string.h>

#include "oracle_internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int hpt_oracle_predict(struct hpt_oracle *o, const struct hpt_scenario *s,
		       const struct hpt_scn_placement *pl, u32 alloc_order)
{
	int ret;
	u32 k;

	memset(o, 0, sizeof(*o));
	o->isa300 = s->isa300;
	o->old_order = s->old_order;
	o->new_order = s->new_order;
	o->nr_records = s->nr_records;
	o->fail_idx = HPT_ORACLE_NO_INDEX;
	o->fail_new_idx = HPT_ORACLE_NO_INDEX;
	o->fail_holder_idx = HPT_ORACLE_NO_INDEX;
	if (!os_order_ok(s->old_order) || !os_order_ok(s->new_order)) {
		strcpy(o->error, "orders outside 18..46");
		return -EINVAL;
	}

	o->rec = calloc(s->nr_records + 1, sizeof(*o->rec));
	if (!o->rec)
		goto nomem;
	for (k = 0; k < s->nr_records; k++) {
		o->rec[k].old_idx = HPT_ORACLE_NO_INDEX;
		o->rec[k].new_idx = HPT_ORACLE_NO_INDEX;
	}

	ret = oracle_build_before(o, s, pl);
	if (ret == -ENOMEM)
		goto nomem;
	if (ret)
		return ret;
	ret = oracle_predict_resize(o, s, alloc_order, HPT_ORACLE_NO_INDEX, 0);
	if (ret)
		goto nomem;
	return 0;

nomem:
	strcpy(o->error, "out of memory");
	return -ENOMEM;
}

int hpt_oracle_stop_at(struct hpt_oracle *o, const struct hpt_scenario *s,
		       u64 idx, int rc)
{
	u32 k;

	free(o->old.e);
	free(o->new.e);
	free(o->unmaps);
	o->old.e = o->new.e = NULL;
	o->old.n = o->new.n = 0;
	o->unmaps = NULL;
	o->nr_unmaps = 0;
	o->rc = 0;
	o->fail_idx = o->fail_new_idx = o->fail_holder_idx = HPT_ORACLE_NO_INDEX;
	for (k = 0; k < s->nr_records; k++)
		if (o->rec[k].fate != HPT_FATE_NOT_PLACED)
			o->rec[k].fate = HPT_FATE_NONE;
	if (oracle_predict_resize(o, s, 0, idx, rc)) {
		strcpy(o->error, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void hpt_oracle_free(struct hpt_oracle *o)
{
	free(o->before.e);
	free(o->old.e);
	free(o->new.e);
	free(o->rmaps);
	free(o->unmaps);
	free(o->rec);
	memset(o, 0, sizeof(*o));
}

const char *hpt_oracle_rc_name(long rc)
{
	switch (rc) {
	case 0:
		return "0";
	case -ENOSPC:
		return "-ENOSPC";
	case -ENOMEM:
		return "-ENOMEM";
	case -EIO:
		return "-EIO";
	case -EDEADLK:
		return "-EDEADLK";
	case -EFAULT:
		return "-EFAULT";
	case -ENXIO:
		return "-ENXIO";
	case -EINVAL:
		return "-EINVAL";
	case -EBUSY:
		return "-EBUSY";
	default:
		return "?";
	}
}

const char *hpt_oracle_fate_name(u8 fate)
{
	static const char *const names[] = {
		[HPT_FATE_NONE] = "-",
		[HPT_FATE_NOT_PLACED] = "not placed (H_PTEG_FULL)",
		[HPT_FATE_DROPPED] = "dropped (not bolted)",
		[HPT_FATE_MOVED] = "moved",
		[HPT_FATE_COLLIDED] = "collided (bolted, slot taken)",
		[HPT_FATE_UNTOUCHED] = "not reached",
		[HPT_FATE_RULES] = "bolted, no VA explains it (rules)",
		[HPT_FATE_FAILED] = "the resize fails here",
	};

	return fate < ARRAY_SIZE(names) ? names[fate] : "?";
}

const char *hpt_oracle_unexplained_name(u8 why)
{
	static const char *const names[] = {
		[HPT_UNEXPL_NONE] = "a VA explains it",
		[HPT_UNEXPL_SEGMENT] = "reserved segment size",
		[HPT_UNEXPL_ENCODING] = "R's LP field names no page size",
		[HPT_UNEXPL_ACTUAL] = "guest R's LP field names no page size",
		[HPT_UNEXPL_PAGE_SEG] = "page larger than its segment",
		[HPT_UNEXPL_HVLOCK] = "HVLOCK set",
		[HPT_UNEXPL_GROUP] = "no VA its AVPN allows hashes to its group",
		[HPT_UNEXPL_AMBIGUOUS] = "VAs hashing to its group disagree on its new place",
	};

	return why < ARRAY_SIZE(names) ? names[why] : "?";
}
