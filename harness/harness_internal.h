/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the harness's files: the state of one differential run and
 * the findings its checks collect.
 */
#ifndef HPT_HARNESS_INTERNAL_H
#define HPT_HARNESS_INTERNAL_H

#include "hpt/harness.h"

#ifndef __printf
#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))
#endif

#define NO_REC		HPT_ORACLE_NO_RECORD
#define NO_IDX		HPT_ORACLE_NO_INDEX
#define NO_SLOT		(~0u)	/* no memslot holds the frame */

/* In the order a report ranks them: the first one found is described */
enum finding_kind {
	F_CRASH,
	F_HANG,
	F_RC,
	F_UNMAP,
	F_OLD,
	F_NEW,
	F_RMAP,
	F_LINKS,	/* revmap links or an rmap ring (links.c) */
	F_VIOLATION,
	F_INVARIANT,
	F_WARN,		/* a WARN_ON fired: the host logs it and goes on */
	F_NR_KINDS
};

struct finding {
	enum finding_kind kind;
	u32 rec;		/* record concerned, or NO_REC */
	u64 old_idx;		/* old table index, or NO_IDX */
	u64 exp_idx, act_idx;	/* new table indices (old for unmaps) */
	u64 pos;		/* unmap list position, or gfn for rmaps */
	u32 slot;		/* memslot number for rmaps */
	char msg[200];
};

struct unmap_event {
	u64 idx, gfn;
	const void *table;
};

struct hctx {
	const struct hpt_impl *impl;
	struct hpt_report *rep;
	struct hpt_scenario *s;
	u32 stored_old_order, stored_new_order;	/* before folding */
	struct hpt_scn_placement *pl;
	struct hpt_oracle o;
	struct hpt_vm vm;

	const void *old_virt;
	long rc;
	struct hpt_impl_outcome out;

	/* The tables after the run, NULL where they cannot be seen */
	const __be64 *old_words;
	const struct hpt_rev *old_rev;
	const __be64 *new_words;
	const struct hpt_rev *new_rev;
	u32 new_order;

	struct unmap_event *unmaps;
	size_t nr_unmaps;
	u64 last_locked;	/* last old index the implementation locked */

	struct finding f[F_NR_KINDS];
	bool found[F_NR_KINDS];

	/* hpt_harness_judge(): the observation and the tables made from it */
	const struct hpt_observed *obs;
	void *obs_mem[4];

	/* hpt_harness_describe(): stop once the oracle has predicted */
	bool describe;
	bool generated, predicted;	/* how far the run got */
	bool compared;		/* its tables were compared with c->o's */
};

static inline u64 hctx_word(const __be64 *words, u64 idx, unsigned int half)
{
	return hpt_load_be64(&words[2 * idx + half]);
}

/* The oracle's entry at idx: zero words and no record if not listed */
static inline struct hpt_oracle_hpte hctx_entry(const struct hpt_oracle_table *t,
						u64 idx)
{
	const struct hpt_oracle_hpte *e = hpt_oracle_at(t, idx);
	struct hpt_oracle_hpte zero = { idx, 0, 0, 0, NO_REC };

	return e ? *e : zero;
}

/* The spec's rule for a frame: the first memslot holding gfn, or NO_SLOT */
static inline u32 hctx_memslot_of(const struct hpt_vm *vm, u64 gfn)
{
	u32 m;

	for (m = 0; m < vm->nr_memslots; m++)
		if (gfn >= vm->memslots[m].base_gfn &&
		    gfn - vm->memslots[m].base_gfn < vm->memslots[m].npages)
			return m;
	return NO_SLOT;
}

/* The guest's rmap word an oracle rmap names, or NULL if it has none */
static inline u64 *hctx_rmap_word(const struct hpt_vm *vm,
				  const struct hpt_oracle_rmap *m)
{
	const struct hpt_memslot *ms;

	if (m->slot >= vm->nr_memslots)
		return NULL;
	ms = &vm->memslots[m->slot];
	if (m->gfn < ms->base_gfn || m->gfn - ms->base_gfn >= ms->npages)
		return NULL;
	return &ms->rmap[m->gfn - ms->base_gfn];
}

/* Whether the entry at idx is not e (not empty, if e is NULL) */
static inline bool hctx_entry_differs(const struct hpt_oracle_hpte *e,
				      const __be64 *words,
				      const struct hpt_rev *rev, u64 idx)
{
	u64 v = hctx_word(words, idx, 0), r = hctx_word(words, idx, 1);
	u64 gr = rev[idx].guest_rpte;

	if (e)
		return v != e->v || r != e->r || gr != e->guest_r;
	return v || r || gr;
}

/*
 * generation.c: NULL if the generated guest is what the oracle started
 * from, else why not (in why)
 */
const char *hctx_check_generation(const struct hctx *c, char *why, size_t len);

/* reuse.c: what the comparison found zero goes back to the caches so */
void hctx_declare_zeroed(struct hctx *c);

/* A new finding of this kind, once: NULL if one was already made */
struct finding *hctx_add_finding_once(struct hctx *c, enum finding_kind kind);

/* compare.c: against the oracle */
void compare_with_oracle(struct hctx *c);
/* All but the return code, which the caller judged */
void compare_tables(struct hctx *c);
/* links.c: revmap links and rmap rings against the scenario */
void check_links(struct hctx *c);
/* checks.c: what must hold whatever the scenario */
void check_outcome(struct hctx *c);
void check_platform(struct hctx *c);
void check_invariants(struct hctx *c);
void check_observed_platform(struct hctx *c);

/* observed.c: an observation in place of an implementation's run */
int hctx_observe(struct hctx *c);

/*
 * guard_fault.c: the implementation's resize; an access in a table's
 * guard ends it as a crash (c->out) with -EFAULT instead of the process
 */
long hctx_call_impl(struct hctx *c);

/* report.c */
__printf(2, 3)
void report_printf(struct hpt_report *rep, const char *fmt, ...);
/* The findings, outcome and unmaps into c->rep's fields */
void report_collect(struct hctx *c);
void report_divergence(struct hctx *c);
const char *finding_what(enum finding_kind kind);

/* report_json.c: the facts (describe) or one run, as JSON */
void json_facts(struct hctx *c, struct hpt_json *j);
void json_run(struct hctx *c, struct hpt_json *j);

/* words.c: words side by side with the differing bits named */
enum word_kind { WORD_V, WORD_R, WORD_GUEST_R, WORD_RMAP };
void report_word(struct hpt_report *rep, const char *label,
		 enum word_kind kind, bool isa300, u64 expected, u64 actual);
/* The names of the fields whose bits differ, at most max of them */
#define WORD_MAX_FIELDS	16
size_t word_field_names(enum word_kind kind, bool isa300, u64 diff,
			const char **names, size_t max);

#endif /* HPT_HARNESS_INTERNAL_H */
