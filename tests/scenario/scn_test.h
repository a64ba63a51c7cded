/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building scenarios for the tests of scenario/, oracle/ and harness/: a
 * deterministic PRNG, record constructors, random scenarios shaped to
 * collide, and guests generated from a scenario.
 */
#ifndef HPT_SCN_TEST_H
#define HPT_SCN_TEST_H

#include "hpt/scenario.h"
#include "hpt_user.h"

/* splitmix64: the same sequence on every host */
struct rng {
	u64 state;
};

static inline u64 rng_next(struct rng *r)
{
	u64 z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u32 rng_below(struct rng *r, u32 n)
{
	return rng_next(r) % n;
}

static inline bool rng_chance(struct rng *r, u32 percent)
{
	return rng_below(r, 100) < percent;
}

/*
 * A word of a guest's table as big-endian memory, byte by byte: no
 * accessor shared with the code under test
 */
static inline u64 scn_table_word(const struct hpt_vm *vm, u64 idx,
				 unsigned int half)
{
	const u8 *p = (const u8 *)vm->hpt.virt + idx * 16 + half * 8;
	u64 x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

/* An empty scenario on the heap (free() it) */
struct hpt_scenario *scn_new(bool isa300, u32 old_order, u32 new_order);

struct scn_va_args {
	u8 seg, page, slot;
	u64 vsid, ea, rpn;
	bool valid, bolted, secondary;
	u16 rbits;
	u16 host;		/* HPT_SCN_HOST_* */
};

/* Append records; VA fields are canonicalised as the decoder would */
u32 scn_add_va(struct hpt_scenario *s, const struct scn_va_args *a);
u32 scn_add_raw(struct hpt_scenario *s, u64 index, u64 v, u64 r, u64 gr);
u32 scn_add_memslot(struct hpt_scenario *s, u64 base_gfn, u32 npages);

struct scn_random_cfg {
	bool isa300;
	int seg;		/* HPT_SEG_256M, HPT_SEG_1T, or -1 for both */
	u32 old_order, new_order;
	u32 entries;		/* VA entries */
	u32 raws;		/* raw entries (make it unpredictable) */
};

/*
 * A random scenario that exercises the interesting paths: VAs drawn
 * from small pools so groups fill up and shrinking collides, frames
 * shared so rmap rings hold several entries, memslots that overlap.
 */
void scn_random(struct hpt_scenario *s, struct rng *r,
		const struct scn_random_cfg *cfg);

/* A guest holding s's old table (max order 26, freed tables kept) */
int scn_guest(struct hpt_vm *vm, const struct hpt_scenario *s,
	      struct hpt_scn_placement *pl);
void scn_guest_free(struct hpt_vm *vm);

#endif /* HPT_SCN_TEST_H */
