/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host environment of the core: C11 types and atomics, explicit
 * big-endian table words, and the state the host platform keeps per guest
 * (recorder and deterministic scheduler, see hpt_user.h).
 */
#ifndef HPT_PLAT_H
#define HPT_PLAT_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
/* A table word as it sits in memory: big-endian whatever the host is */
typedef uint64_t __be64;

static inline u64 hpt_be64_swap(u64 x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(x);
#else
	return x;
#endif
}

static inline u64 hpt_load_be64(const __be64 *p)
{
	return hpt_be64_swap(atomic_load_explicit((_Atomic u64 *)p,
						  memory_order_relaxed));
}

static inline void hpt_store_be64(__be64 *p, u64 v)
{
	atomic_store_explicit((_Atomic u64 *)p, hpt_be64_swap(v),
			      memory_order_relaxed);
}

struct hpt_resize;
struct hpt_user;

/* A queued prepare work: which half runs next, what the first returned */
struct hpt_plat_work {
	struct hpt_resize *next;
	int phase;
	int err;
};

struct hpt_plat_vm {
	struct hpt_user *user;
};

#endif /* HPT_PLAT_H */
