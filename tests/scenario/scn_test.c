// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "scn_test.h"

struct hpt_scenario *scn_new(bool isa300, u32 old_order, u32 new_order)
{
	struct hpt_scenario *s = malloc(sizeof(*s));

	if (!s)
		abort();
	hpt_scn_init(s);
	s->isa300 = isa300;
	s->old_order = old_order;
	s->new_order = new_order;
	return s;
}

static u32 add(struct hpt_scenario *s, const struct hpt_scn_record *rec)
{
	if (!hpt_scn_add(s, rec))
		abort();
	return s->nr_records - 1;
}

u32 scn_add_va(struct hpt_scenario *s, const struct scn_va_args *a)
{
	struct hpt_scn_record rec = { .kind = HPT_SCN_VA };

	rec.va.seg = a->seg;
	rec.va.page = a->page;
	rec.va.slot = a->slot;
	rec.va.vsid = a->vsid;
	rec.va.ea = a->ea;
	rec.va.rpn = a->rpn;
	rec.va.valid = a->valid;
	rec.va.bolted = a->bolted;
	rec.va.secondary = a->secondary;
	rec.va.rbits = a->rbits;
	rec.va.host = a->host;
	hpt_scn_va_canonicalise(&rec.va, s->isa300);
	return add(s, &rec);
}

u32 scn_add_raw(struct hpt_scenario *s, u64 index, u64 v, u64 r, u64 gr)
{
	struct hpt_scn_record rec = { .kind = HPT_SCN_RAW };

	rec.raw.index = index;
	rec.raw.v = v;
	rec.raw.r = r;
	rec.raw.guest_r = gr;
	return add(s, &rec);
}

u32 scn_add_memslot(struct hpt_scenario *s, u64 base_gfn, u32 npages)
{
	struct hpt_scn_record rec = { .kind = HPT_SCN_MEMSLOT };

	rec.slot.base_gfn = base_gfn;
	rec.slot.npages = npages;
	return add(s, &rec);
}

#define POOL	6

static void random_va(struct hpt_scenario *s, struct rng *r,
		      const struct scn_random_cfg *cfg, const u64 *vsids,
		      const u64 *eas)
{
	struct scn_va_args a;
	u64 x;

	a.seg = cfg->seg >= 0 ? (u32)cfg->seg : rng_below(r, 2);
	a.page = rng_below(r, HPT_SCN_NR_PAGES);
	/* Pools make VAs repeat and groups fill; the rest spreads out */
	if (rng_chance(r, 60)) {
		a.vsid = vsids[rng_below(r, POOL)];
		a.ea = eas[rng_below(r, POOL)];
	} else {
		a.vsid = rng_next(r);
		a.ea = rng_next(r);
	}
	a.slot = rng_chance(r, 50) ? (u32)HPT_SCN_SLOT_FIRST : rng_below(r, 8);
	/* Frames 0..8191 (some shared); a few beyond every memslot */
	a.rpn = rng_chance(r, 90) ? rng_below(r, 8192) : rng_next(r);
	a.valid = rng_chance(r, 70);
	a.bolted = rng_chance(r, 70);
	a.secondary = rng_chance(r, 50);
	/*
	 * A quarter of the entries carry host states, HVLOCK (which stops
	 * the resize early) one in 4096; drawn from the bits rbits leaves
	 * unused, so the random sequence is the one it always was
	 */
	x = rng_next(r);
	a.rbits = x;
	a.host = ((x >> 32) & 0xff) < 64 ? (x >> 16) & 0x17f : 0;
	if (!((x >> 40) & 0xfff))
		a.host |= HPT_SCN_HOST_HVLOCK;
	scn_add_va(s, &a);
}

void scn_random(struct hpt_scenario *s, struct rng *r,
		const struct scn_random_cfg *cfg)
{
	u64 vsids[POOL], eas[POOL];
	u32 i, n = cfg->entries + cfg->raws;
	u64 npte = hpt_order_npte(cfg->old_order);

	hpt_scn_init(s);
	s->isa300 = cfg->isa300;
	s->old_order = cfg->old_order;
	s->new_order = cfg->new_order;
	for (i = 0; i < POOL; i++) {
		vsids[i] = rng_next(r);
		eas[i] = rng_next(r);
	}
	scn_add_memslot(s, 0, 4096);
	if (rng_chance(r, 50))
		scn_add_memslot(s, 2048 + rng_below(r, 4096), 2048);
	if (rng_chance(r, 30))
		scn_add_memslot(s, rng_below(r, 8192), rng_below(r, 64));

	for (i = 0; i < n; i++) {
		if (rng_below(r, n) < cfg->raws)
			scn_add_raw(s, rng_next(r) & (npte - 1), rng_next(r),
				    rng_next(r), rng_next(r));
		else
			random_va(s, r, cfg, vsids, eas);
	}
}

int scn_guest(struct hpt_vm *vm, const struct hpt_scenario *s,
	      struct hpt_scn_placement *pl)
{
	struct hpt_user_config cfg = {
		.isa300 = s->isa300,
		.order = s->old_order,
		.max_table_order = 26,
		.snapshot_freed = true,
	};
	int ret = hpt_user_vm_init(vm, &cfg);

	if (ret)
		return ret;
	return hpt_scn_generate(s, vm, pl);
}

void scn_guest_free(struct hpt_vm *vm)
{
	hpt_user_vm_destroy(vm);
	hpt_scn_free_memslots(vm);
}
