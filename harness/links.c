// SPDX-License-Identifier: GPL-2.0-only
/*
 * Revmap links and rmap rings after a run, success or failure.
 *
 * What the scenario implies, as KVM-HV keeps them: every VA entry that is
 * still VALID in the table the guest kept sits exactly once in the ring
 * of its frame (the first memslot holding its RPN), the rmap word of that
 * frame is PRESENT and names a member, each member's forward link is
 * matched by its successor's back link, and the ring closes after exactly
 * its members: no ABSENT, unmapped or foreign entry is reachable from it.
 * Once a resize succeeded it has unmapped every entry, so no rmap word
 * of the scenario's frames may still be PRESENT.  (The links an entry
 * keeps once out of every ring are not judged: KVM's unmap points them
 * at the entry itself, the core's model leaves them, and nothing reads
 * them before the entry is linked again.)
 *
 * The oracle judges the rmap words; this judges the links they lead to,
 * which no other check reads.  Not checked: scenarios with used raw
 * entries (a VALID raw entry is in no ring, and unmapping it empties its
 * frame's ring as KVM's own code would), recorded runs (their links are
 * those of another host's table), and the new table's links (KVM leaves
 * them unset: its new entries are ABSENT and in no ring).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness_internal.h"

/* From the spec, not the core's headers */
#define LINK_V_VALID		0x1ULL
#define LINK_V_ABSENT		0x20ULL
#define LINK_RMAP_PRESENT	(1ULL << 32)
#define LINK_RMAP_INDEX		0xffffffffULL

struct link_entry {
	u32 slot;		/* memslot, or NO_SLOT when none backs the frame */
	u64 gfn;
	u64 idx;
	u32 rec;
	bool member;		/* expected in the frame's ring */
	bool seen;
};

static u64 be64_at(const __be64 *words, u64 idx, unsigned int half)
{
	const u8 *p = (const u8 *)words + idx * 16 + half * 8;
	u64 x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

static int by_frame(const void *a, const void *b)
{
	const struct link_entry *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	if (x->gfn != y->gfn)
		return x->gfn < y->gfn ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

__printf(5, 6)
static void links_finding(struct hctx *c, const struct link_entry *e,
			  u64 idx, u32 rec, const char *fmt, ...)
{
	struct finding *f = hctx_add_finding_once(c, F_LINKS);
	va_list ap;

	if (!f)
		return;
	f->rec = rec;
	f->old_idx = idx;
	f->slot = e ? e->slot : 0;
	f->pos = e ? e->gfn : 0;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

static bool used_raw(const struct hctx *c)
{
	const struct hpt_scenario *s = c->s;
	u32 k;

	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_RAW &&
		    (s->rec[k].raw.v & (LINK_V_VALID | LINK_V_ABSENT)))
			return true;
	return false;
}

/* The entries of one frame, e[0..n): walk the ring its rmap word heads */
static void check_ring(struct hctx *c, struct link_entry *e, size_t n,
		       u64 npte)
{
	const struct hpt_rev *rev = c->old_rev;
	const u64 *rmap = &c->vm.memslots[e->slot].rmap[e->gfn -
					c->vm.memslots[e->slot].base_gfn];
	size_t members = 0, steps, j;
	u64 head, i, next;

	for (j = 0; j < n; j++)
		members += e[j].member;
	if (!members) {
		if (*rmap & LINK_RMAP_PRESENT)
			links_finding(c, e, *rmap & LINK_RMAP_INDEX, NO_REC,
				      "rmap of gfn 0x%llx heads a ring at 0x%llx with no VALID entry of its frame",
				      (unsigned long long)e->gfn,
				      (unsigned long long)(*rmap & LINK_RMAP_INDEX));
		return;
	}
	if (!(*rmap & LINK_RMAP_PRESENT)) {
		for (j = 0; !e[j].member; j++)
			;
		links_finding(c, &e[j], e[j].idx, e[j].rec,
			      "ring of gfn 0x%llx lost: %zu VALID entries, rmap word not present",
			      (unsigned long long)e->gfn, members);
		return;
	}

	head = *rmap & LINK_RMAP_INDEX;
	i = head;
	for (steps = 0; steps < members; steps++) {
		if (steps && i == head)
			break;		/* closed early: a member is missing */
		for (j = 0; j < n && !(e[j].idx == i && e[j].member); j++)
			;
		if (j == n || e[j].seen) {
			links_finding(c, e, i, hpt_oracle_rec_at(&c->o, i),
				      "ring of gfn 0x%llx: entry 0x%llx %s",
				      (unsigned long long)e->gfn,
				      (unsigned long long)i,
				      j == n ? "is no VALID entry of this frame" :
				      "comes round twice");
			return;
		}
		e[j].seen = true;
		next = rev[i].forw;
		if (next >= npte || rev[next].back != i) {
			links_finding(c, &e[j], i, e[j].rec,
				      "ring of gfn 0x%llx: entry 0x%llx links forward to 0x%llx, whose back link is %s",
				      (unsigned long long)e->gfn,
				      (unsigned long long)i,
				      (unsigned long long)next,
				      next >= npte ? "outside the table" :
				      "another entry");
			return;
		}
		i = next;
	}
	if (i != head) {
		links_finding(c, e, i, hpt_oracle_rec_at(&c->o, i),
			      "ring of gfn 0x%llx does not close after its %zu VALID entries",
			      (unsigned long long)e->gfn, members);
		return;
	}
	for (j = 0; j < n; j++)
		if (e[j].member && !e[j].seen)
			break;
	if (j < n)
		links_finding(c, &e[j], e[j].idx, e[j].rec,
			      "ring of gfn 0x%llx misses VALID entry 0x%llx",
			      (unsigned long long)e->gfn,
			      (unsigned long long)e[j].idx);
}

void check_links(struct hctx *c)
{
	const struct hpt_scenario *s = c->s;
	bool kept = c->vm.hpt.virt == c->old_virt;
	u64 npte = 1ULL << (s->old_order - 4);
	struct link_entry *e;
	size_t n = 0, i, j;
	u32 k;

	if (c->obs || !c->old_words || !c->old_rev || used_raw(c))
		return;
	e = calloc(s->nr_entries + 1, sizeof(*e));
	if (!e)
		return;
	for (k = 0; k < s->nr_records; k++) {
		if (s->rec[k].kind != HPT_SCN_VA ||
		    c->pl->where[k] == HPT_SCN_NOT_PLACED)
			continue;
		e[n].idx = c->pl->where[k];
		e[n].rec = k;
		e[n].gfn = s->rec[k].va.rpn;
		e[n].slot = hctx_memslot_of(&c->vm, e[n].gfn);
		/* After a success every entry was unmapped: no ring is left */
		e[n].member = kept && e[n].slot != NO_SLOT &&
			      (be64_at(c->old_words, e[n].idx, 0) & LINK_V_VALID);
		n++;
	}

	qsort(e, n, sizeof(*e), by_frame);
	for (i = 0; i < n && e[i].slot != NO_SLOT; i = j) {
		for (j = i; j < n && e[j].slot == e[i].slot &&
		     e[j].gfn == e[i].gfn; j++)
			;
		check_ring(c, &e[i], j - i, npte);
		if (c->found[F_LINKS])
			break;
	}
	free(e);
}
