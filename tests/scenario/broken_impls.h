/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Deliberately broken implementations, for tests only: the harness and
 * the replay driver must catch each and name the entry.
 */
#ifndef HPT_BROKEN_IMPLS_H
#define HPT_BROKEN_IMPLS_H

#include "hpt/harness.h"

/* The core, then the first two entries of the new table swapped */
extern const struct hpt_impl test_impl_swap;
/* The core, saying -ENOSPC where it returns -EIO */
extern const struct hpt_impl test_impl_wrong_rc;
/* The core, with its first unmap call missing from the record */
extern const struct hpt_impl test_impl_skip_unmap;
/* The core, then the first new entry made VALID */
extern const struct hpt_impl test_impl_valid;
/* The core, then HVLOCK left set on the first old entry */
extern const struct hpt_impl test_impl_leave_lock;
/* The core, then a word in the last rmap slot of the first memslot */
extern const struct hpt_impl test_impl_stray_rmap;
/* The core; where it kept the old table, one ring's back link broken */
extern const struct hpt_impl test_impl_break_link;
/* The same, but the second member taken out of its ring and left VALID */
extern const struct hpt_impl test_impl_drop_member;
/* Reads the word 16 bytes below the old table, then runs the core */
extern const struct hpt_impl test_impl_below_table;
/* Reads through a null pointer: a fault in no table's guard */
extern const struct hpt_impl test_impl_null_read;

#endif /* HPT_BROKEN_IMPLS_H */
