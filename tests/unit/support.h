/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building small guests for unit tests: an HPT holding hand-written
 * entries, one memslot backing the frames they name, and a resize run
 * through the whole prepare/commit protocol.
 */
#ifndef HPT_TEST_SUPPORT_H
#define HPT_TEST_SUPPORT_H

#include "hpt/protocol.h"
#include "hpt/resize.h"
#include "hpt_user.h"
#include "spec.h"

/* Page size pairs of docs/hpt.md's table, by (base, actual) shift */
struct test_page {
	unsigned int base_shift, actual_shift;
};

struct test_entry {
	int seg;		/* T_SEG_256M or T_SEG_1T */
	u64 vsid;
	u64 ea;			/* offset within the segment */
	struct test_page page;
	bool secondary, bolted, valid;
	u64 rpn;		/* 4K frame number, aligned to the page */
	u64 rbits;		/* PP, WIMG, N, R, C, key bits */
};

struct test_vm {
	struct hpt_vm vm;
	struct hpt_memslot slot;
};

/* Guest with an empty table of order, and a memslot of frames 0..4095 */
int test_vm_init(struct test_vm *t, u32 order, bool isa300);
void test_vm_destroy(struct test_vm *t);

/* V and R (pre-3.0 layout) of an entry; LP encodes the page sizes */
u64 test_entry_v(const struct test_entry *e);
u64 test_entry_r(const struct test_entry *e);

/*
 * Put an entry at an index as H_ENTER would (rmap ring for VALID ones),
 * and read entries back: big-endian memory converted with spec.h, never
 * the core's accessors.  Words are in the guest's (pre-3.0) layout.
 */
void test_place(struct test_vm *t, u64 idx, u64 v, u64 r);
void test_place_entry(struct test_vm *t, u64 idx, const struct test_entry *e);

/* prepare, run the work, commit: the commit's result */
long test_resize(struct test_vm *t, u32 order);

void test_read(const struct test_vm *t, u64 idx, u64 *v, u64 *r);
/* Entries of the last freed table (the old one after a success) */
void test_read_freed(const struct test_vm *t, u64 idx, u64 *v, u64 *r);
u64 test_count_used(const struct test_vm *t);
/* No violation, no lock held, nothing leaked but one table */
int test_platform_clean(const struct test_vm *t);

#endif /* HPT_TEST_SUPPORT_H */
