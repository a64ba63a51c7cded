/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario layer's own facts about the HPT, written from the spec
 * (docs/hpt.md) and not taken from the core's headers: a
 * wrong constant in the core must not be wrong in the tables built to
 * judge it.  Private to scenario/; the oracle keeps its own copy for the
 * same reason.  Only scenario/materialize.c sees the core's structures.
 */
#ifndef HPT_SCN_SPEC_H
#define HPT_SCN_SPEC_H

#include "hpt/env.h"

/* Geometry: 16-byte entries of two big-endian words, 8 to a group */
#define SCN_MIN_ORDER		18
#define SCN_MAX_ORDER		46
#define SCN_HPTE_BYTES		16
#define SCN_GROUP_HPTES		8
#define SCN_HASH_BITS		39

/* V, pre-ISA-3.0 (guest) layout */
#define SCN_V_B_SHIFT		62
#define SCN_V_AVPN_SHIFT	7
#define SCN_V_HVLOCK		0x40ULL
#define SCN_V_ABSENT		0x20ULL
#define SCN_V_BOLTED		0x10ULL
#define SCN_V_LARGE		0x04ULL
#define SCN_V_SECONDARY		0x02ULL
#define SCN_V_VALID		0x01ULL

/* R */
#define SCN_R_PP0		0x8000000000000000ULL
#define SCN_R_KEY_HI		0x3000000000000000ULL
#define SCN_R_RPN_SHIFT		12
#define SCN_R_R			0x100ULL
#define SCN_R_C			0x080ULL
#define SCN_R_W			0x040ULL
#define SCN_R_I			0x020ULL
#define SCN_R_M			0x010ULL
#define SCN_R_G			0x008ULL
#define SCN_R_PP_LOW		0x003ULL
#define SCN_R_KEY_LO		0xe00ULL
/* PP with PP0, as the kernel's read-only rewrite tests it */
#define SCN_R_PP		(SCN_R_PP0 | SCN_R_PP_LOW)
#define SCN_PP_RWXX		0ULL
#define SCN_PP_RXRX		3ULL
#define SCN_PP_RXXX		(SCN_R_PP0 | 2ULL)

/* ISA 3.0: V keeps its low 52 bits, B moves to R bits 58..59 */
#define SCN_V3_COMMON		0x000fffffffffffffULL
#define SCN_R3_B_SHIFT		58
#define SCN_R3_B		(3ULL << SCN_R3_B_SHIFT)

/* The rmap word heading a frame's ring */
#define SCN_RMAP_PRESENT	(1ULL << 32)
#define SCN_RMAP_INDEX		0xffffffffULL

static inline u64 scn_order_npte(u32 order)
{
	return 1ULL << (order - 4);
}

static inline u64 scn_order_hash_mask(u32 order)
{
	return (1ULL << (order - 7)) - 1;
}

static inline bool scn_order_valid(u64 order)
{
	return order >= SCN_MIN_ORDER && order <= SCN_MAX_ORDER;
}

/* VALID or ABSENT: the slot holds an entry */
static inline bool scn_v_used(u64 v)
{
	return v & (SCN_V_VALID | SCN_V_ABSENT);
}

/* Guest-layout words as an ISA 3.0 table stores them */
static inline void scn_to_table(bool isa300, u64 v, u64 r, u64 *tv, u64 *tr)
{
	*tv = isa300 ? v & SCN_V3_COMMON : v;
	*tr = isa300 ? (r & ~SCN_R3_B) | ((v >> SCN_V_B_SHIFT) << SCN_R3_B_SHIFT)
		     : r;
}

/* Table memory byte by byte, most significant first */
static inline u64 scn_get_be64(const u8 *p)
{
	u64 x = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		x = (x << 8) | p[i];
	return x;
}

static inline void scn_put_be64(u8 *p, u64 x)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = x >> (56 - 8 * i);
}

#endif /* HPT_SCN_SPEC_H */
