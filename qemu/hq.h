/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hptfuzz-qemu, the host side of the QEMU differential run
 * (docs/qemu.md): it prepares the scenarios the guest's test module
 * takes, reads back what the module and the guest's console said, and
 * judges both the core in the guest kernel and the hypervisor's own
 * resize against the oracle.
 */
#ifndef HQ_H
#define HQ_H

#include <stdio.h>

#include "hpt/harness.h"

#define HQ_MANIFEST_MAGIC	"hptfuzz-qemu-manifest 1"

/* ---- adapt.c: a scenario as the hypervisor's table can take it ---- */

/*
 * How VSIDs are kept clear of the guest kernel's.  Linux derives its
 * VSIDs modulo 2^40 - 1 (256M segments) and 2^28 - 1 (1T), so:
 *   TAG:  VSIDs below those get a bit set above the hash's reach
 *         (bit 49, bit 37): every hash and so every placement stays as
 *         it was.  Needs the hypervisor to keep all 55 AVPN bits (QEMU).
 *   FOLD: VSIDs are cut to the ISA 3.0 widths (40 and 28 bits), which a
 *         POWER9 host's table keeps; hashes stay as they were, but the
 *         VSIDs may be the guest's: the module checks none is in use.
 */
enum hq_vsid_policy { HQ_VSID_TAG, HQ_VSID_FOLD };

/*
 * Entries a hypervisor is known to die on, left out on request so a
 * corpus run compares the rest (docs/qemu.md, "Known QEMU failures"):
 * QEMU 7.2's TCG resize asserts on a bolted entry in its secondary group,
 * and on a bolted entry whose base and actual page sizes differ (it
 * hashes with the actual size).
 */
#define HQ_AVOID_BOLTED_SECONDARY	0x1
#define HQ_AVOID_BOLTED_MPSS		0x2
#define HQ_AVOID_ALL			0x3

struct hq_adapt {
	enum hq_vsid_policy vsid;
	u32 base_order;		/* where order 18 maps to */
	u32 max_order;		/* the largest the hypervisor grants */
	unsigned int avoid;	/* HQ_AVOID_* */
};

/*
 * The hypervisor's scenario of s: its VA entries, VALID, in the pre-3.0
 * layout, with VSIDs as the policy says and orders moved up by
 * base_order - 18, less those avoided (counted in *left_out); map[j] is
 * the record of s that record j came from.  Returns false, with why set,
 * when there is nothing to run.
 */
bool hq_adapt(const struct hpt_scenario *s, const struct hq_adapt *a,
	      struct hpt_scenario *hv, u32 *map, u32 *left_out,
	      const char **why);
const char *hq_vsid_policy_name(enum hq_vsid_policy p);
bool hq_vsid_policy_parse(const char *name, enum hq_vsid_policy *p);
/* "bolted-secondary,bolted-mpss", "none"; parse takes "all" too */
const char *hq_avoid_name(unsigned int avoid);
bool hq_avoid_parse(const char *name, unsigned int *avoid);

/* ---- results.c: what the guest and the runner reported ---- */

struct hq_entry {
	u64 idx, v, r;
};

struct hq_enter {
	u32 rec;		/* of the hypervisor's scenario */
	u64 idx, v, r;
	char skip[16];		/* "" when entered */
	long rc;		/* H_ENTER's, for "refused" */
};

struct hq_resize {
	bool seen, ok;
	u32 from, to, now;
	long cs;		/* guest clock, centiseconds */
	long us;		/* the same in microseconds, where measured */
	char err[96];
};

struct hq_core {
	bool seen, ended;
	char error[48];
	long rc;
	bool switched, old_missing;
	u32 order, placed, not_placed;
	long unmaps, violations, hpte_locks;
	long live_tables, live_revs, live_resizes, pending;
	char active[16], partition[16];
	long us;
	struct hpt_observed_hpte *old, *new;
	u32 nr_old, nr_new, cap_old, cap_new;
	struct hpt_observed_unmap *unmap;
	u32 nr_unmap, cap_unmap;
	struct hpt_observed_rmap *rmap;
	u32 nr_rmap, cap_rmap;
};

struct hq_hv {
	bool seen;
	char error[48];
	u32 order, new_order;
	long entered, not_placed, held, foreign_target, refused, stale;
	long guest_bolted, guest_collisions, guest_unmovable, us;
	struct hq_enter *e;
	u32 nr_e, cap_e;
	struct hq_resize prep, resize;
	bool checked, fork_crashed;
	char check_error[48];
	u32 check_order;
	long found, remove_failed, scan_us;
	struct hq_entry *f;
	u32 nr_f, cap_f;
};

struct hq_result {
	bool begun, ended;
	long long t_begin, t_end;	/* host ms */
	u32 boot;
	struct hq_core core;
	struct hq_hv hv;
	/* The runner lost the guest during this scenario */
	bool lost, timeout;
	int qemu_rc;
	char **tail;		/* the console's last lines */
	u32 nr_tail, cap_tail;
};

struct hq_boot {
	u32 first;
	long long t_start, t_ready, t_end;
	long long t_waiting;	/* booted, before it was saved; 0: none */
	bool ready;
	bool restored;		/* from the guest saved at the first boot */
	u32 start_order;
};

struct hq_results {
	u32 n;
	struct hq_result *r;
	struct hq_boot *boot;
	u32 nr_boot, cap_boot;
	long long t_first, t_last;
	bool stopped;		/* the runner gave up: later ones not run */
	char stop_reason[128];
};

/* Reads the runner's results file; NULL or what is wrong (line named) */
const char *hq_read_results(FILE *f, u32 n, struct hq_results *res,
			    char *err, size_t errlen);
void hq_free_results(struct hq_results *res);

/* ---- judge.c: verdicts ---- */

enum hq_verdict {
	HQ_PASS,
	HQ_DIVERGE,
	HQ_HV_CRASH,
	HQ_HV_HANG,
	HQ_GUEST_FAIL,
	HQ_ERROR,
	HQ_NOT_RUN,
	HQ_NR_VERDICTS
};

const char *hq_verdict_name(enum hq_verdict v);
bool hq_verdict_parse(const char *name, enum hq_verdict *v);

enum hq_hv_outcome {
	HQ_HV_NONE,		/* no hypervisor part */
	HQ_HV_AGREE,
	HQ_HV_DIVERGE,
	HQ_HV_SKIPPED,		/* not comparable: the summary says why */
	HQ_HV_ERROR,		/* the module's report makes no sense */
};

/* The hypervisor's part of one scenario (judge_hv.c) */
struct hq_hv_verdict {
	enum hq_hv_outcome outcome;
	char summary[256];	/* one line */
	char *report;		/* details of a divergence, malloc'ed */
};

void hq_judge_hv(const struct hpt_scenario *hv, const u32 *map,
		 const struct hq_hv *res, struct hq_hv_verdict *out);

/* The core's part: the harness judges the module's observation */
enum hpt_verdict hq_judge_core(const struct hpt_scenario *s,
			       const struct hq_core *core,
			       struct hpt_report *rep);

/* ---- the two commands (prep.c, judge.c), as main.c documents them ---- */
int hq_prep(const char *dir, const struct hq_adapt *adapt, u32 max_order,
	    bool raw_words, char **inputs, int ninputs);
int hq_judge(const char *dir, const char *results, const char *expect,
	     const char *accel, bool quiet);

/* ---- growing arrays ---- */
void *hq_grow(void *arr, u32 *cap, u32 need, size_t size);
#define HQ_PUSH(arr, n, cap) \
	((arr) = hq_grow((arr), &(cap), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])

#endif /* HQ_H */
