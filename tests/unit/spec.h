/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The unit tests' own facts about the HPT, written from the spec
 * (docs/hpt.md): the tests build the words they expect and
 * read the tables as big-endian memory with these, never with the core's
 * constants or accessors, so a core that gets a constant or the ISA 3.0
 * conversion wrong both ways cannot agree with itself.
 */
#ifndef HPT_TEST_SPEC_H
#define HPT_TEST_SPEC_H

#include "hpt/env.h"

#define T_MIN_ORDER		18
#define T_MAX_ORDER		46
#define T_HPTE_BYTES		16
#define T_GROUP_HPTES		8

#define T_SEG_256M		0
#define T_SEG_1T		1

/* V, the guest's (pre-3.0) layout */
#define T_V_B_SHIFT		62
#define T_V_1TB_SEG		(1ULL << 62)
#define T_V_AVPN_SHIFT		7
#define T_V_HVLOCK		0x40ULL
#define T_V_ABSENT		0x20ULL
#define T_V_BOLTED		0x10ULL
#define T_V_LARGE		0x04ULL
#define T_V_SECONDARY		0x02ULL
#define T_V_VALID		0x01ULL

/* R */
#define T_R_RPN_SHIFT		12
#define T_R_R			0x100ULL
#define T_R_C			0x080ULL
#define T_R_KEY_LO		0xe00ULL
#define T_R_KEY			(0x3000000000000000ULL | T_R_KEY_LO)

/* ISA 3.0: V keeps bits 0..51, B moves to R bits 58..59 */
#define T_V3_COMMON		0x000fffffffffffffULL
#define T_R3_B_SHIFT		58

/* The rmap word */
#define T_RMAP_RC_SHIFT		32
#define T_RMAP_PRESENT		(1ULL << 32)
#define T_RMAP_INDEX		0xffffffffULL
#define T_RMAP_REFERENCED	(T_R_R << T_RMAP_RC_SHIFT)
#define T_RMAP_CHANGED		(T_R_C << T_RMAP_RC_SHIFT)

/* PAPR hcall return codes */
#define T_H_SUCCESS		0L
#define T_H_BUSY		1L
#define T_H_CLOSED		2L
#define T_H_LONG_BUSY_ORDER_100_MSEC	9902L
#define T_H_HARDWARE		(-1L)
#define T_H_FUNCTION		(-2L)
#define T_H_PARAMETER		(-4L)
#define T_H_PTEG_FULL		(-6L)
#define T_H_NO_MEM		(-9L)

static inline u64 t_hash_mask(u32 order)
{
	return (1ULL << (order - 7)) - 1;
}

static inline u64 t_npte(u32 order)
{
	return 1ULL << (order - 4);
}

/* Guest-layout words as a 3.0 table stores them, and back */
static inline void t_to_table(bool isa300, u64 v, u64 r, u64 *tv, u64 *tr)
{
	*tv = isa300 ? v & T_V3_COMMON : v;
	*tr = isa300 ? (r & ~(3ULL << T_R3_B_SHIFT)) |
		       ((v >> T_V_B_SHIFT) << T_R3_B_SHIFT) : r;
}

static inline void t_from_table(bool isa300, u64 tv, u64 tr, u64 *v, u64 *r)
{
	*v = isa300 ? (tv & T_V3_COMMON) |
		      (((tr >> T_R3_B_SHIFT) & 3) << T_V_B_SHIFT) : tv;
	*r = isa300 ? tr & ~(3ULL << T_R3_B_SHIFT) : tr;
}

/* Memory, most significant byte first */
static inline u64 t_get_be64(const void *mem)
{
	const u8 *p = mem;
	u64 x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

static inline void t_put_be64(void *mem, u64 x)
{
	u8 *p = mem;
	int i;

	for (i = 0; i < 8; i++)
		p[i] = x >> (56 - 8 * i);
}

#endif /* HPT_TEST_SPEC_H */
