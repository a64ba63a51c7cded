/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the host platform's own files share and nobody else needs: the
 * event recorder, the caches of freed blocks and the guarded tables.
 */
#ifndef HPT_USER_INTERNAL_H
#define HPT_USER_INTERNAL_H

#include "hpt_user.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define KEPT_POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define KEPT_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define KEPT_POISON(p, n)	((void)(p), (void)(n))
#define KEPT_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

/* hooks.c: append an event to the guest's log unless cfg.no_log */
void hpt_user_record(struct hpt_vm *vm, enum hpt_user_event event,
		     const void *table, u64 arg, u64 arg2);

/* alloc.c: heap blocks, freed ones of common sizes kept for reuse */
void *hpt_user_block_alloc(size_t size, bool zero);
void hpt_user_block_free(void *p, size_t size);

/*
 * known_zero.c: how many leading bytes of the block at p (of size bytes)
 * were declared zero, forgetting the declaration; and, in builds with
 * assertions, that they are
 */
size_t hpt_user_known_zero_take(const void *p, size_t size);
void hpt_user_known_zero_check(const void *p, size_t len);

/* guard.c: a zeroed table of 2^order bytes between inaccessible guards */
void *hpt_user_guarded_alloc(u32 order);
void hpt_user_guarded_free(void *virt, u32 order);

#endif /* HPT_USER_INTERNAL_H */
