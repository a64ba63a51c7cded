/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differential harness: implementations of the HPT resize share one
 * interface, each runs on a guest generated from a scenario, and
 * everything it leaves behind is compared with the oracle's prediction.
 * A divergence comes back as one readable report naming the first
 * difference, in the terms a KVM developer reads (entry, VA, group/slot,
 * words with the differing bits marked).
 */
#ifndef HPT_HARNESS_H
#define HPT_HARNESS_H

#include <stdio.h>

#include "hpt/oracle.h"
#include "hpt/scenario.h"
#include "hpt_user.h"

/* ---- implementations under test ---- */

enum hpt_impl_fate {
	HPT_IMPL_RETURNED,	/* it returned; its result is meaningful */
	HPT_IMPL_CRASHED,	/* the host would have died (BUG_ON, ...) */
	HPT_IMPL_HUNG,		/* the host would have spun forever */
};

struct hpt_impl_outcome {
	enum hpt_impl_fate fate;
	char what[160];		/* which BUG_ON, or where it spins */
	u64 idx;		/* old index it was at, or HPT_ORACLE_NO_INDEX */
	/* The first WARN_ON that fired ("" if none): logged, not fatal */
	char warning[160];
};

/*
 * The PAPR protocol of an implementation, for the protocol fuzz target:
 * hcall return codes (H_*), its queue of prepare works, stepped one part
 * at a time, and the requests it holds.  attach() readies a guest fresh
 * from hpt_user_vm_init(); detach() frees what the implementation holds
 * before the guest is freed.
 */
struct hpt_impl_protocol {
	int (*attach)(struct hpt_vm *vm, struct hpt_impl_outcome *out);
	long (*prepare)(struct hpt_vm *vm, u64 flags, u64 shift);
	long (*commit)(struct hpt_vm *vm, u64 flags, u64 shift);
	/* The guest goes away with whatever is pending */
	void (*cancel)(struct hpt_vm *vm);
	size_t (*pending)(const struct hpt_vm *vm);
	/*
	 * Run the n-th queued work until it waits (0) or to its end (1);
	 * -1 if there is none.  A work may end in one step where another
	 * implementation takes two.
	 */
	int (*step)(struct hpt_vm *vm, size_t n);
	long (*live_requests)(const struct hpt_vm *vm);
	void (*detach)(struct hpt_vm *vm);
};

/*
 * resize: take the guest from its current table to one of new_order,
 * as a prepare and commit would, on the host platform (core/platform/
 * user), returning 0 or -errno.  The harness sets *out to "returned"
 * before the call; an implementation that models a host crash or hang
 * says so there.
 */
struct hpt_impl {
	const char *name;
	const char *description;
	int (*resize)(struct hpt_vm *vm, u32 new_order,
		      struct hpt_impl_outcome *out);
	/*
	 * Optional: free what resize() left outside vm (a request it holds,
	 * after a crash say) once the harness has judged, before the guest
	 * is freed.
	 */
	void (*cleanup)(struct hpt_vm *vm);
	/* Optional: the protocol, for the protocol target */
	const struct hpt_impl_protocol *protocol;
	/*
	 * Optional, for the benchmark and for targets that rehash at any
	 * order: the implementation's own rehash of the old entry idx
	 * (rehash_entry) or of the whole table (rehash_table) of the guest
	 * into new, a zeroed table of any order with its revmap, on a guest
	 * the caller has stopped.  Nothing is pivoted, freed or left
	 * allocated.  0 or -errno; out says if the host would have stopped.
	 */
	int (*rehash_entry)(struct hpt_vm *vm, struct hpt_info *new, u64 idx,
			    struct hpt_impl_outcome *out);
	int (*rehash_table)(struct hpt_vm *vm, struct hpt_info *new,
			    struct hpt_impl_outcome *out);
};

/* The registry, NULL-terminated: harness/impls.c */
extern const struct hpt_impl *const hpt_impls[];
const struct hpt_impl *hpt_impl_find(const char *name);

/* The project's core through its PAPR protocol */
extern const struct hpt_impl hpt_impl_core;

/* ---- one differential run ---- */

/*
 * The order cap of the fuzz targets and of hptfuzz-replay, unless
 * HPTFUZZ_MAX_ORDER says otherwise: tables of 512 KB keep a run fast.
 * The one definition: scripts/fuzz.sh and tools/ ask hptfuzz-replay
 * (--print-default-max-order).
 */
#define HPT_HARNESS_DEFAULT_MAX_ORDER	19

struct hpt_json;

struct hpt_harness_options {
	/* Fold orders above this as the fuzz targets do (0: keep them) */
	u32 max_order;
	/* Table allocations above this order fail (0: none do) */
	u32 alloc_order;
	/* Plain heap tables instead of tables between guard pages */
	bool unguarded;
	/*
	 * Also write the run as one JSON object (docs/json.md, "impls"),
	 * as an element of the array open there; NULL: no JSON
	 */
	struct hpt_json *json;
};

enum hpt_verdict {
	HPT_AGREE,		/* everything observable matched */
	HPT_DIVERGE,		/* the report says where */
	HPT_ERROR,		/* could not run (summary says why) */
};

#define HPT_REPORT_MAX_DIVERGENCES	11	/* one of each kind */

/* One word of an entry (or an rmap word), as expected and as found */
struct hpt_word_diff {
	const char *name;	/* "v", "r", "guest_r" or "rmap" */
	u64 expected, actual;
};

/*
 * One divergence, as the human report and the JSON both say it.  Indices
 * are HPT_ORACLE_NO_INDEX where they do not apply, rec is
 * HPT_ORACLE_NO_RECORD when no record is concerned.
 */
struct hpt_divergence {
	/*
	 * Kind: rc, unmap, old-entry, new-entry, rmap, violation,
	 * invariant, crash, hang, warning
	 */
	char kind[16];
	u32 rec;
	u64 old_idx;
	/* New table indices (old table indices for an unmap) */
	u64 exp_idx, act_idx;
	/* unmap: position in the list of unmaps; rmap: the gfn */
	u64 pos;
	u32 memslot;		/* rmap: the memslot number */
	char msg[200];
	/*
	 * The words compared: table "old" or "new" at index word_idx, or
	 * "rmap" (word_idx the gfn); nr_words 0 when the kind has none
	 */
	char table[8];
	u64 word_idx;
	u32 nr_words;
	struct hpt_word_diff words[3];
};

/*
 * Where the report text goes: to file if set, and into buf (cap bytes,
 * always NUL-terminated, truncated if need be) if set.  len counts the
 * whole text, written or not.  Text is written only for a divergence or
 * an error; the other fields are set by every run.
 */
struct hpt_report {
	FILE *file;
	char *buf;
	size_t cap;
	size_t len;

	enum hpt_verdict verdict;
	/* Every entry judged exactly; else nr_rules by rules (hpt/oracle.h) */
	bool predictable;
	u32 nr_exact, nr_rules;		/* entries, once the oracle ran */
	long expected_rc, actual_rc;
	u32 old_order, new_order;	/* as run, after folding */
	u32 nr_placed, nr_not_placed;
	/*
	 * Kind of the first divergence: rc, unmap, old-entry, new-entry,
	 * rmap, violation, invariant, crash, hang, warning; "" when none
	 */
	char what[16];
	char summary[256];		/* one line */

	/* What the implementation did (fate RETURNED for an observation) */
	struct hpt_impl_outcome outcome;
	u32 nr_unmaps;
	/* Every divergence found, the first (the one described) first */
	u32 nr_divergences;
	struct hpt_divergence div[HPT_REPORT_MAX_DIVERGENCES];
};

/*
 * The report's DIVERGENCE line, without the newline, from div[0]:
 * "DIVERGENCE impl=NAME what=KIND record=N|- old_index=0xX|-
 * expected_index=0xX|- actual_index=0xX|-".  As snprintf.
 */
int hpt_report_divergence_line(const struct hpt_report *rep,
			       const char *impl, char *buf, size_t len);

enum hpt_verdict hpt_harness_run(const struct hpt_impl *impl,
				 const struct hpt_scenario *s,
				 const struct hpt_harness_options *opt,
				 struct hpt_report *rep);

/*
 * The facts every implementation is judged against, with no
 * implementation run: s as decoded ("scenario", with the stored and the
 * folded orders), where generation placed each record ("placement") and
 * the oracle's prediction ("oracle"), written as members of the JSON
 * object open at opt->json.  HPT_AGREE, or HPT_ERROR with rep->summary
 * saying why (the members written so far stay, "oracle" is then null).
 */
enum hpt_verdict hpt_harness_describe(const struct hpt_scenario *s,
				      const struct hpt_harness_options *opt,
				      struct hpt_report *rep);

/* ---- scenario files (harness/inputs.c) ---- */

/* A whole file, malloc'ed; NULL with errno set */
u8 *hpt_read_file(const char *path, size_t *size);
/*
 * A scenario file: text if it starts like text or is named *.hpt (where
 * a missing first line is an error, not fuzzer bytes), else binary (with
 * raw_words, the raw_table fuzz target's form).  NULL on success, else
 * err holding what is wrong (the caller names the file).
 */
const char *hpt_load_scenario(const char *path, bool raw_words,
			      struct hpt_scenario *s, char *err,
			      size_t errlen);
/*
 * The regular files of a directory as "dir/name", sorted by name, names
 * starting with '.' skipped, not recursive: a NULL-terminated array,
 * *n entries; NULL with errno set.  Free with hpt_free_list().
 */
char **hpt_list_dir(const char *dir, size_t *n);
void hpt_free_list(char **names);

/* ---- a resize that ran elsewhere ---- */

/* A table entry as observed: words as stored (table layout), revmap */
struct hpt_observed_hpte {
	u64 idx;
	u64 v, r, guest_r;
	u32 forw, back;
};

struct hpt_observed_unmap {
	u64 idx, gfn;
	bool old_table;		/* made on the old table, not another */
};

struct hpt_observed_rmap {
	u32 slot;		/* memslot number */
	u64 gfn, word;
};

/*
 * What a run outside this process (the core in the test module, say)
 * left behind: what hpt_harness_run() collects from the host platform.
 * Tables list their nonzero entries; rmap words not listed are zero.
 */
struct hpt_observed {
	long rc;
	bool switched;		/* the guest uses a new table */
	u32 new_order;		/* its order */
	bool old_missing;	/* the old table was freed unseen */
	const struct hpt_observed_hpte *old, *new;
	u32 nr_old, nr_new;
	const struct hpt_observed_unmap *unmaps;
	u32 nr_unmaps;
	const struct hpt_observed_rmap *rmaps;
	u32 nr_rmaps;
	/* First misuse the platform saw, "" if none */
	char violation[160];
};

/*
 * Judge an observed resize of s as hpt_harness_run() judges an
 * implementation: same generation, oracle, comparisons and report, with
 * name standing for the implementation.
 */
enum hpt_verdict hpt_harness_judge(const char *name,
				   const struct hpt_scenario *s,
				   const struct hpt_observed *obs,
				   const struct hpt_harness_options *opt,
				   struct hpt_report *rep);

#endif /* HPT_HARNESS_H */
