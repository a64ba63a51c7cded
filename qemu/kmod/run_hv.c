// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's resize: the scenario's VA entries go into this guest's
 * own HPT with H_ENTER, the guest kernel resizes it (between hv-enter and
 * hv-check: run_batch.c, or a write to powerpc/hpt_order), and a scan of
 * the whole table with H_READ says where each one ended up.
 *
 * The table is shared with the guest kernel's own entries, so:
 * - the scenario's VSIDs must be ones the guest does not use (the host
 *   chooses them); an entry with one of them found before anything is
 *   entered is reported as stale and nothing is entered;
 * - a slot the guest already holds is skipped and reported;
 * - a bolted entry whose slot in the new table a bolted guest entry will
 *   take is skipped and reported, since that collision (and its -ENOSPC)
 *   is the guest's doing, not the scenario's; collisions among the
 *   guest's own bolted entries are counted for the same reason.
 * The entries are never used for translation: their RPN is a block this
 * module owns (4K and 64K pages) or 16M-aligned RAM, with WIMG = M as the
 * hypervisor wants for RAM.
 */
#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <asm/book3s/64/mmu-hash.h>
#include <asm/hvcall.h>
#include <asm/io.h>

#include "hpt/resize.h"
#include "kmod.h"

#define HK_R_M		0x10ULL		/* WIMG = M: coherent RAM */
#define HK_V_FLAGS	0x7fULL		/* below the AVPN */
#define HK_FOUND_MAX	(2 * HPT_SCN_MAX_ENTRIES)
#define HK_PREPARE_NS	(10 * NSEC_PER_SEC)	/* the kernel waits 10 s too */

struct hk_hv_entry {
	u32 rec;
	u64 idx;		/* where it went in */
	u64 v, r;		/* as entered */
};

static struct {
	bool active;
	u32 index, old_order, new_order;
	u32 nr;
	struct hk_hv_entry *e;
	u64 *keys;		/* sorted segment size and VSID of each entry */
	u32 nr_keys;
	struct page *block;	/* what 4K and 64K entries point at */
} hv;

/* Segment size and VSID of an entry: what tells ours from the guest's */
static u64 hk_key(u64 v)
{
	u64 b = v >> HPT_V_SSIZE_SHIFT;
	u64 avpn = (v & HPT_V_AVPN) >> HPT_V_AVPN_SHIFT;

	return (b << HPT_V_SSIZE_SHIFT) |
	       (b == HPT_SEG_1T ? avpn >> 17 : avpn >> 5);
}

static int hk_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool hk_ours(u64 v)
{
	u64 key = hk_key(v);

	return bsearch(&key, hv.keys, hv.nr_keys, sizeof(key), hk_cmp_u64);
}

u32 hk_guest_order(void)
{
	return ilog2(htab_hash_mask + 1) + 7;
}

/* Every VALID entry of the guest's table, through H_READ_4 */
typedef void (*hk_visit_fn)(void *ctx, u64 idx, u64 v, u64 r);

static long hk_scan(hk_visit_fn visit, void *ctx, u64 *bad_idx)
{
	unsigned long rb[PLPAR_HCALL9_BUFSIZE];
	u64 idx, npte = (htab_hash_mask + 1) * HPT_HPTES_PER_GROUP;
	long rc;
	int k;

	for (idx = 0; idx < npte; idx += 4) {
		rc = plpar_hcall9(H_READ, rb, H_READ_4, idx);
		if (rc != H_SUCCESS) {
			*bad_idx = idx;
			return rc;
		}
		for (k = 0; k < 4; k++)
			if (rb[2 * k] & HPT_V_VALID)
				visit(ctx, idx + k, rb[2 * k], rb[2 * k + 1]);
		if (!(idx & 0xffff))
			cond_resched();
	}
	return H_SUCCESS;
}

struct hk_prescan {
	struct hk_report *rep;
	unsigned long *held;		/* old table slots the guest holds */
	unsigned long *target;		/* new slots its bolted entries take */
	u32 stale, bolted, collisions, unmovable;
};

static void hk_prescan_visit(void *ctx, u64 idx, u64 v, u64 r)
{
	struct hk_prescan *p = ctx;
	u64 to;

	if (hk_ours(v)) {
		hk_printf(p->rep, "HPTK hv-stale idx=0x%llx v=0x%llx r=0x%llx\n",
			  idx, v, r);
		p->stale++;
		return;
	}
	set_bit(idx, p->held);
	if (!(v & HPT_V_BOLTED))
		return;
	p->bolted++;
	if (hpt_rehash_target(hv.old_order, hv.new_order, idx, v, r, &to))
		p->unmovable++;
	else if (test_and_set_bit(to, p->target))
		p->collisions++;
}

/* R as entered: the scenario's bits, our RPN, WIMG = M */
static u64 hk_hv_r(const struct hpt_scn_va *va)
{
	unsigned int shift = hpt_scn_actual_shift(va->page);
	u64 rpn = HPT_R_RPN & ~((1ULL << shift) - 1);
	u64 pa = 0;

	if (shift <= 16)
		pa = page_to_phys(hv.block);
	else if (shift == 24)
		pa = SZ_16M;
	return (hpt_scn_va_guest_r(va) & ~rpn & ~HPT_R_WIMG) | (pa & rpn) |
	       HK_R_M;
}

static void hk_hv_free(void)
{
	kvfree(hv.e);
	kvfree(hv.keys);
	hv.e = NULL;
	hv.keys = NULL;
	hv.nr = 0;
	hv.nr_keys = 0;
	hv.active = false;
}

/* Placement as H_ENTER would make it in an empty table: generation's */
static struct hpt_scn_placement *hk_place(const struct hpt_scenario *s)
{
	struct hpt_scn_placement *pl = kvzalloc(sizeof(*pl), GFP_KERNEL);
	struct hpt_vm *vm = hk_vm_alloc(s->isa300, s->old_order);

	if (!pl || !vm || hpt_scn_generate(s, vm, pl)) {
		kvfree(pl);
		pl = NULL;
	}
	hk_vm_free(vm);
	return pl;
}

static int hk_hv_prepare(const struct hpt_scenario *s)
{
	u32 k;

	hv.e = kvcalloc(s->nr_entries, sizeof(*hv.e), GFP_KERNEL);
	hv.keys = kvcalloc(s->nr_entries, sizeof(*hv.keys), GFP_KERNEL);
	if (!hv.e || !hv.keys)
		return -ENOMEM;
	if (!hv.block)
		hv.block = alloc_pages(GFP_KERNEL | __GFP_ZERO,
				       get_order(SZ_64K));
	if (!hv.block)
		return -ENOMEM;
	for (k = 0; k < s->nr_records; k++)
		if (s->rec[k].kind == HPT_SCN_VA)
			hv.keys[hv.nr_keys++] =
				hk_key(hpt_scn_va_v(&s->rec[k].va));
	sort(hv.keys, hv.nr_keys, sizeof(*hv.keys), hk_cmp_u64, NULL);
	hv.old_order = s->old_order;
	hv.new_order = s->new_order;
	return 0;
}

static void hk_hv_enter_one(const struct hpt_scenario *s, u32 k, u64 where,
			    struct hk_prescan *p, struct hk_report *rep,
			    u32 *counts)
{
	const struct hpt_scn_va *va = &s->rec[k].va;
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	u64 v, r, to;
	long rc;

	if (where == HPT_SCN_NOT_PLACED) {
		hk_printf(rep, "HPTK hv-enter rec=%u skip=not-placed\n", k);
		counts[0]++;
		return;
	}
	if (test_bit(where, p->held)) {
		hk_printf(rep, "HPTK hv-enter rec=%u skip=held idx=0x%llx\n",
			  k, where);
		counts[1]++;
		return;
	}
	to = hpt_scn_va_group(va, s->new_order) * HPT_HPTES_PER_GROUP +
	     where % HPT_HPTES_PER_GROUP;
	if (va->bolted && test_bit(to, p->target)) {
		hk_printf(rep, "HPTK hv-enter rec=%u skip=foreign-target idx=0x%llx target=0x%llx\n",
			  k, where, to);
		counts[2]++;
		return;
	}
	v = (hpt_scn_va_v(va) & ~HPT_V_ABSENT) | HPT_V_VALID;
	r = hk_hv_r(va);
	rc = plpar_hcall(H_ENTER, rb, H_EXACT, where, v, r);
	if (rc != H_SUCCESS || rb[0] != where) {
		hk_printf(rep, "HPTK hv-enter rec=%u skip=refused idx=0x%llx rc=%ld at=0x%lx v=0x%llx r=0x%llx\n",
			  k, where, rc, rc == H_SUCCESS ? rb[0] : 0UL, v, r);
		counts[3]++;
		return;
	}
	hk_printf(rep, "HPTK hv-enter rec=%u idx=0x%llx v=0x%llx r=0x%llx\n",
		  k, where, v, r);
	hv.e[hv.nr++] = (struct hk_hv_entry){ k, where, v, r };
}

void hk_hv_enter(const struct hpt_scenario *s, u32 index,
		 struct hk_report *rep)
{
	struct hpt_scn_placement *pl = NULL;
	struct hk_prescan p = { .rep = rep };
	u32 k, counts[4] = { 0 }, order = hk_guest_order();
	u64 t0 = ktime_get_ns(), bad = 0;
	long rc;

	hk_hv_release();
	hv.index = index;
	if (order != s->old_order) {
		hk_printf(rep, "HPTK hv index=%u error=order have=%u want=%u\n",
			  index, order, s->old_order);
		return;
	}
	pl = hk_place(s);
	p.held = bitmap_zalloc(hpt_order_npte(s->old_order), GFP_KERNEL);
	p.target = bitmap_zalloc(hpt_order_npte(s->new_order), GFP_KERNEL);
	if (!pl || !p.held || !p.target || hk_hv_prepare(s)) {
		hk_printf(rep, "HPTK hv index=%u error=no-memory\n", index);
		goto out;
	}

	rc = hk_scan(hk_prescan_visit, &p, &bad);
	if (rc != H_SUCCESS) {
		hk_printf(rep, "HPTK hv index=%u error=read rc=%ld idx=0x%llx\n",
			  index, rc, bad);
		goto out;
	}
	hv.active = true;
	for (k = 0; k < s->nr_records && !p.stale; k++)
		if (s->rec[k].kind == HPT_SCN_VA)
			hk_hv_enter_one(s, k, pl->where[k], &p, rep, counts);
	hk_printf(rep, "HPTK hv index=%u order=%u new_order=%u entered=%u not_placed=%u held=%u foreign_target=%u refused=%u stale=%u guest_bolted=%u guest_collisions=%u guest_unmovable=%u us=%llu\n",
		  index, order, s->new_order, hv.nr, counts[0], counts[1],
		  counts[2], counts[3], p.stale, p.bolted, p.collisions,
		  p.unmovable, div_u64(ktime_get_ns() - t0, 1000));
out:
	bitmap_free(p.held);
	bitmap_free(p.target);
	kvfree(pl);
}

struct hk_found {
	struct hk_report *rep;
	u64 *idx, *v;
	u32 n;
};

static void hk_found_visit(void *ctx, u64 idx, u64 v, u64 r)
{
	struct hk_found *f = ctx;

	if (!hk_ours(v))
		return;
	hk_printf(f->rep, "HPTK hv-found idx=0x%llx v=0x%llx r=0x%llx\n",
		  idx, v, r);
	if (f->n < HK_FOUND_MAX) {
		f->idx[f->n] = idx;
		f->v[f->n] = v;
	}
	f->n++;
}

/* H_REMOVE every entry found (checking its AVPN); returns failures */
static u32 hk_remove(const struct hk_found *f, struct hk_report *rep)
{
	unsigned long rb[PLPAR_HCALL_BUFSIZE];
	u32 i, failed = 0;
	long rc;

	for (i = 0; i < f->n && i < HK_FOUND_MAX; i++) {
		rc = plpar_hcall(H_REMOVE, rb, H_AVPN, f->idx[i],
				 f->v[i] & ~HK_V_FLAGS);
		if (rc == H_SUCCESS)
			continue;
		hk_printf(rep, "HPTK hv-remove-failed idx=0x%llx rc=%ld\n",
			  f->idx[i], rc);
		failed++;
	}
	return failed;
}

void hk_hv_check(u32 index, struct hk_report *rep)
{
	struct hk_found f = { .rep = rep };
	u64 t0 = ktime_get_ns(), scan_ns, bad = 0;
	u32 failed;
	long rc;

	if (!hv.active || hv.index != index) {
		hk_printf(rep, "HPTK hv-check index=%u error=not-entered\n",
			  index);
		return;
	}
	f.idx = kvcalloc(HK_FOUND_MAX, sizeof(*f.idx), GFP_KERNEL);
	f.v = kvcalloc(HK_FOUND_MAX, sizeof(*f.v), GFP_KERNEL);
	if (!f.idx || !f.v) {
		hk_printf(rep, "HPTK hv-check index=%u error=no-memory\n",
			  index);
		goto out;
	}
	rc = hk_scan(hk_found_visit, &f, &bad);
	scan_ns = ktime_get_ns() - t0;
	if (rc != H_SUCCESS)
		hk_printf(rep, "HPTK hv-check index=%u error=read rc=%ld idx=0x%llx\n",
			  index, rc, bad);
	failed = hk_remove(&f, rep);
	hk_printf(rep, "HPTK hv-check index=%u order=%u found=%u remove_failed=%u scan_us=%llu us=%llu\n",
		  index, hk_guest_order(), f.n, failed,
		  div_u64(scan_ns, 1000),
		  div_u64(ktime_get_ns() - t0, 1000));
out:
	kvfree(f.idx);
	kvfree(f.v);
	hk_hv_free();
}

/*
 * The guest kernel's resize (powerpc/hpt_order) calls H_RESIZE_HPT_PREPARE
 * and, while the hypervisor answers H_LONG_BUSY_ORDER_100_MSEC as it does
 * for any new request, sleeps 100 ms before asking again; then it commits.
 * Asking first here, and polling every few hundred microseconds, lets
 * that first call find the prepared table (a prepare to the same order
 * returns the pending one's result, in QEMU and in KVM alike) and go
 * straight to the commit.  The prepare only allocates the new table: the
 * guest kernel's calls, and what the commit does, are as before.
 */
void hk_hv_pre_resize(u32 index, u32 shift, struct hk_report *rep)
{
	u64 t0 = ktime_get_ns();
	u32 polls = 0;
	long rc;

	for (;;) {
		rc = plpar_hcall_norets(H_RESIZE_HPT_PREPARE, 0UL,
					(unsigned long)shift);
		if (!H_IS_LONG_BUSY(rc) || ktime_get_ns() - t0 > HK_PREPARE_NS)
			break;
		polls++;
		usleep_range(200, 400);
	}
	hk_printf(rep, "HPTK hv-prepare index=%u shift=%u rc=%ld polls=%u us=%llu\n",
		  index, shift, rc, polls, div_u64(ktime_get_ns() - t0, 1000));
}

/* Anything hv-enter left in the table goes, as found by its VSID */
void hk_hv_release(void)
{
	struct hk_report scratch = { 0 };

	if (hv.active)
		hk_hv_check(hv.index, &scratch);
	hk_report_free(&scratch);
	hk_hv_free();
}

void hk_hv_exit(void)
{
	hk_hv_release();
	if (hv.block)
		__free_pages(hv.block, get_order(SZ_64K));
	hv.block = NULL;
}
