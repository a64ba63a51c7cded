/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The oracle: what a correct resize of a scenario's old table does,
 * predicted from the scenario and the placement alone.  Each entry's new
 * place comes from the hash of its VA, never from its V word, so the
 * oracle shares nothing with the hash recovery it judges.
 *
 * Raw entries carry no VA, but where the architecture decides one is
 * found for them: hashing forward from the VAs their AVPN leaves open
 * (oracle/explain.c), the oracle predicts them like VA entries.  Only
 * entries no VA explains are judged by rules (harness/checks.c), each on
 * its own: the rest stay exact (see judged below).
 */
#ifndef HPT_ORACLE_H
#define HPT_ORACLE_H

#include "hpt/scenario.h"

#define HPT_ORACLE_NO_RECORD	0xffffffffu
#define HPT_ORACLE_NO_INDEX	HPT_SCN_NOT_PLACED

/*
 * Tables are sparse: the entries listed, sorted by index; every index not
 * listed holds zero words and a zero guest R.  That keeps a prediction
 * proportional to the scenario, not to the table.
 */
struct hpt_oracle_hpte {
	u64 idx;
	u64 v, r;		/* words as stored, in the table's layout */
	u64 guest_r;		/* revmap */
	u32 rec;		/* scenario record, or HPT_ORACLE_NO_RECORD */
};

struct hpt_oracle_table {
	u32 order;
	u32 n;
	struct hpt_oracle_hpte *e;
};

struct hpt_oracle_unmap {
	u64 idx, gfn;
	u32 rec;
};

struct hpt_oracle_memslot {
	u64 base_gfn;
	u64 npages;
	u32 rec;
};

/* An rmap word a ring touches; words not listed are 0 before and after */
struct hpt_oracle_rmap {
	u32 slot;		/* memslot number */
	u64 gfn;
	u64 before;		/* after generation */
	u64 after;		/* after the resize */
	u32 head_before;	/* record heading the ring, or NO_RECORD */
};

/* What happens to each record */
enum hpt_oracle_fate {
	HPT_FATE_NONE,		/* memslots, raw entries */
	HPT_FATE_NOT_PLACED,	/* VA entry H_ENTER found no slot for */
	HPT_FATE_DROPPED,	/* not bolted: the guest refaults it */
	HPT_FATE_MOVED,		/* bolted: in the new table at new_idx */
	HPT_FATE_COLLIDED,	/* bolted, its new slot taken: -ENOSPC */
	HPT_FATE_UNTOUCHED,	/* the resize ended before reaching it */
	HPT_FATE_RULES,		/* bolted, no VA explains it: judged by rules */
	HPT_FATE_FAILED,	/* the resize fails here (lock held, no size) */
};

/* How the oracle judges a record */
enum hpt_oracle_judged {
	HPT_JUDGED_NOT_ENTRY,	/* memslot, unplaced VA, raw words no slot uses */
	HPT_JUDGED_EXACT,	/* its words, place, fate, unmap and rmap */
	HPT_JUDGED_RULES,	/* no VA explains it: rules only */
};

/* Why no VA explains a raw entry (HPT_JUDGED_RULES) */
enum hpt_oracle_unexplained {
	HPT_UNEXPL_NONE,
	HPT_UNEXPL_SEGMENT,	/* B is 2 or 3, reserved */
	HPT_UNEXPL_ENCODING,	/* L set and R's LP field names no size */
	HPT_UNEXPL_ACTUAL,	/* the guest R's LP field names no size */
	HPT_UNEXPL_PAGE_SEG,	/* base page larger than its segment */
	HPT_UNEXPL_HVLOCK,	/* the host's lock bit is set */
	HPT_UNEXPL_GROUP,	/* no VA the AVPN allows hashes to its group */
	HPT_UNEXPL_AMBIGUOUS,	/* VAs that hash there disagree on the rehash */
	HPT_UNEXPL_NR
};

struct hpt_oracle_record {
	u8 fate;
	u8 judged;		/* enum hpt_oracle_judged */
	u8 unexplained;		/* enum hpt_oracle_unexplained */
	u64 old_idx;		/* where generation put it */
	u64 hash;		/* VA entries */
	/* Where a bolted entry belongs, even if the resize fails first */
	u64 new_idx;
};

struct hpt_oracle {
	bool isa300;
	u32 old_order, new_order;
	u32 nr_records;

	/*
	 * Every entry judged exactly (nr_rules == 0): rc and every table
	 * word are predicted.  Else raw_rec is the first record judged by
	 * rules in scan (index) order, rules_idx its index: entries before
	 * it are exact whatever happens; those after are exact given where
	 * the run stopped (harness/checks.c).
	 */
	bool predictable;
	u32 raw_rec;
	u64 rules_idx;
	/* Entries (records occupying a used slot) judged each way */
	u32 nr_exact, nr_rules;

	int rc;			/* 0, -ENOSPC, -ENOMEM, -EIO or -EDEADLK */
	/*
	 * The entry the resize fails at (not for -ENOMEM); for -ENOSPC its
	 * new index and the old index of the entry holding that slot
	 */
	u64 fail_idx, fail_new_idx, fail_holder_idx;

	struct hpt_oracle_table before;	/* old table after generation */
	struct hpt_oracle_table old;	/* old table after the resize */
	struct hpt_oracle_table new;	/* new table, on success only */

	struct hpt_oracle_unmap *unmaps;
	u32 nr_unmaps;

	u32 nr_memslots;
	struct hpt_oracle_memslot slot[HPT_SCN_MAX_MEMSLOTS];
	/* Sorted by memslot, then gfn */
	struct hpt_oracle_rmap *rmaps;
	u32 nr_rmaps;

	struct hpt_oracle_record *rec;	/* one per scenario record */

	char error[160];	/* why hpt_oracle_predict() failed */
};

/*
 * Predict the resize of s from the placement generation reported.
 * alloc_order: table allocations above this order fail (0: none do).
 * Returns 0, -ENOMEM when the oracle itself runs out of memory, or
 * -EINVAL when the placement breaks H_ENTER's rules (o->error says how).
 * Free with hpt_oracle_free() whatever it returned.
 */
int hpt_oracle_predict(struct hpt_oracle *o, const struct hpt_scenario *s,
		       const struct hpt_scn_placement *pl, u32 alloc_order);
void hpt_oracle_free(struct hpt_oracle *o);

/*
 * For a scenario not predictable: predict again, given that the resize
 * stopped with rc at old index idx (after unmapping the entry there).
 * The harness calls it once it has checked, by rules, that stopping there
 * is allowed; the counts and judged fields stay those of the first
 * prediction.  0 or -ENOMEM.
 */
int hpt_oracle_stop_at(struct hpt_oracle *o, const struct hpt_scenario *s,
		       u64 idx, int rc);

/* The entry at idx, or NULL where the table holds zeros */
const struct hpt_oracle_hpte *hpt_oracle_at(const struct hpt_oracle_table *t,
					    u64 idx);
/* Record at an old index, or HPT_ORACLE_NO_RECORD */
u32 hpt_oracle_rec_at(const struct hpt_oracle *o, u64 idx);
/* An rmap word as the oracle expects it, before or after the resize */
u64 hpt_oracle_rmap_word(const struct hpt_oracle *o, u32 slot, u64 gfn,
			 bool after);

/*
 * One VA entry on its own, hashed as the spec says with the oracle's own
 * constants (oracle/place.c): its hash, the index H_ENTER gives it in a
 * table of old_order (group, then slot 0..7) and the index a bolted
 * entry must have after a rehash into new_order (same slot).  seg is B
 * (0 256 MB, 1 1 TB), page an enum hpt_scn_page, ea any offset (taken
 * modulo the segment).  0; -EIO where no hash exists (reserved segment
 * size, base page larger than its segment); -EINVAL for arguments out
 * of range (page, slot, orders outside 18..46).
 */
struct hpt_oracle_place {
	u64 hash;
	u64 old_idx, new_idx;
};

int hpt_oracle_va_place(u8 seg, u8 page, u64 vsid, u64 ea, bool secondary,
			u32 slot, u32 old_order, u32 new_order,
			struct hpt_oracle_place *p);

/*
 * The words the entry at old index idx has in the new table if the
 * resize moves it there: as the resize left it in the old table, HVLOCK
 * clear, read in the guest layout and written back.  false if the old
 * table holds no used entry at idx.
 */
bool hpt_oracle_moved_words(const struct hpt_oracle *o, u64 idx,
			    struct hpt_oracle_hpte *w);

/* Names for reports: "0", "-ENOSPC", ...; fates */
const char *hpt_oracle_rc_name(long rc);
const char *hpt_oracle_fate_name(u8 fate);
const char *hpt_oracle_unexplained_name(u8 why);

#endif /* HPT_ORACLE_H */
