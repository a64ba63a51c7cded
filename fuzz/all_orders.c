// SPDX-License-Identifier: GPL-2.0-only
/*
 * all_orders: every implementation's own per-entry rehash, at every
 * order pair from 18 to 46, grow and shrink, judged
 * against the oracle's placement from the VA (all_orders_check.h).
 *
 * Input: a header of 3 bytes, then up to 4 entries of 23 bytes each
 * (bytes missing read as zeros, an input of fewer than 3 + 23 bytes is
 * one entry of zeros past its end):
 *
 *   0       bit 0: ISA 3.0 layout; bits 1-2: entries - 1
 *   1, 2    old and new order: 18..46 as they are, any other byte
 *           18 + byte % 29; then folded into 18..cap
 *   entry   flags (bit 0 1T, bit 1 not bolted, bit 2 VALID, bit 3
 *           secondary), page pair (enum hpt_scn_page, modulo 7), slot
 *           (0..7, 8 and up: the first free), VSID and EA (8 bytes each,
 *           little-endian, masked as the scenario model masks them), a
 *           16-bit frame number and 16 bits of R (rbits)
 *
 * A VALID entry's frame gets a one-page memslot, so its unmap walks a
 * real rmap ring (below index 2^32 only: see ring_holds()).  HPTFUZZ_IMPLS selects implementations as in the other
 * targets ("all": every one with a rehash_entry); HPTFUZZ_MAX_ORDER
 * lowers the cap, which is 46 (AO_MAX_ORDER) by default, not 19;
 * HPTFUZZ_FINDINGS is record mode (findings.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "all_orders_check.h"
#include "findings.h"
#include "fuzz_common.h"
#include "hpt/scenario_text.h"

#define AO_HEADER	3
#define AO_ENTRY	23
#define AO_ENTRIES	4

static const struct hpt_impl *const *selected;
static u32 cap;
static struct hpt_scenario s;
static char msg[2048];
static char report[1 << 14];

/* The implementations all_orders can run: those with a per-entry rehash */
static bool has_rehash_entry(const struct hpt_impl *impl)
{
	return impl->rehash_entry != NULL;
}

/*
 * The order cap: HPTFUZZ_MAX_ORDER if set (18..46), else AO_MAX_ORDER,
 * lowered to what this process can map (MemorySanitizer's layout leaves
 * no region of 64 TiB), with a note, once.
 */
static u32 order_cap(void)
{
	const char *env = getenv("HPTFUZZ_MAX_ORDER");
	u32 want = AO_MAX_ORDER, got;

	if (env && *env)
		want = fuzz_max_order();	/* exits 2 if not 18..46 */
	got = ao_max_mappable(want);
	if (!got) {
		fprintf(stderr, "all_orders: cannot map even order-18 tables\n");
		exit(2);
	}
	if (got < want)
		fprintf(stderr,
			"all_orders: tables of order %u do not map here; orders fold into 18..%u\n",
			want, got);
	return got;
}

static u64 get_le(struct fuzz_input *in, int n)
{
	u64 x = 0;
	int i;

	for (i = 0; i < n; i++)
		x |= (u64)fuzz_byte(in) << (8 * i);
	return x;
}

static u32 decode_order(u8 b)
{
	u32 order = b >= 18 && b <= 46 ? b : 18 + b % 29;

	return hpt_scn_fold_order(order, cap);
}

static bool covered(u64 gfn)
{
	u32 k;

	for (k = 0; k < s.nr_records; k++)
		if (s.rec[k].kind == HPT_SCN_MEMSLOT &&
		    s.rec[k].slot.base_gfn == gfn)
			return true;
	return false;
}

/*
 * KVM's rmap words and revmap links hold 32-bit HPTE indices, so a VALID
 * entry at index 2^32 or above (tables of order 37 and up) cannot be
 * linked into its frame's ring: such entries are made ABSENT, which
 * rehashes the same way without an unmap.
 */
static bool ring_holds(const struct hpt_scn_va *va)
{
	struct hpt_oracle_place p;

	return !hpt_oracle_va_place(va->seg, va->page, va->vsid, va->ea,
				    va->secondary, HPT_HPTES_PER_GROUP - 1,
				    s.old_order, s.new_order, &p) &&
	       p.old_idx <= HPT_RMAP_INDEX;
}

static void decode(const u8 *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct hpt_scn_record rec, slots[AO_ENTRIES];
	u32 i, n, nslots = 0;
	u8 b;

	hpt_scn_init(&s);
	b = fuzz_byte(&in);
	s.isa300 = b & 1;
	n = ((b >> 1) & 3) + 1;
	s.old_order = decode_order(fuzz_byte(&in));
	s.new_order = decode_order(fuzz_byte(&in));
	for (i = 0; i < n; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = HPT_SCN_VA;
		b = fuzz_byte(&in);
		rec.va.seg = b & 1 ? HPT_SEG_1T : HPT_SEG_256M;
		rec.va.bolted = !(b & 2);
		rec.va.valid = b & 4;
		rec.va.secondary = b & 8;
		rec.va.page = fuzz_byte(&in) % HPT_SCN_NR_PAGES;
		rec.va.slot = fuzz_byte(&in);
		rec.va.vsid = get_le(&in, 8);
		rec.va.ea = get_le(&in, 8);
		/* Frames in 4K units: the page's own alignment comes next */
		rec.va.rpn = get_le(&in, 2) << 22;
		rec.va.rbits = get_le(&in, 2);
		hpt_scn_va_canonicalise(&rec.va, s.isa300);
		if (rec.va.valid && !ring_holds(&rec.va))
			rec.va.valid = false;
		hpt_scn_add(&s, &rec);
		if (rec.va.valid && !covered(rec.va.rpn)) {
			memset(&slots[nslots], 0, sizeof(slots[0]));
			slots[nslots].kind = HPT_SCN_MEMSLOT;
			slots[nslots].slot.base_gfn = rec.va.rpn;
			slots[nslots].slot.npages = 1;
			hpt_scn_add(&s, &slots[nslots++]);
		}
		if (!in.size)
			break;
	}
}

static const char *index_text(u64 idx, char *buf, size_t len)
{
	if (idx == HPT_ORACLE_NO_INDEX)
		return "-";
	snprintf(buf, len, "%#llx", (unsigned long long)idx);
	return buf;
}

/*
 * Record mode: the report names the scenario (as text, which
 * hptfuzz-replay and the Python CLI read) and the divergence, with the
 * machine-readable line of the other targets' reports.
 */
static void record(const struct hpt_impl *impl, const u8 *data, size_t size)
{
	const char *grow = s.new_order > s.old_order ? "grow" : "shrink";
	char rec[16] = "-", old[24], exp[24], act[24];
	const char *tail;
	size_t n;
	u64 sig;

	if (ao_last.rec != HPT_ORACLE_NO_RECORD)
		snprintf(rec, sizeof(rec), "%u", ao_last.rec);
	n = snprintf(report, sizeof(report),
		     "hptfuzz: implementation \"%s\" diverges in its per-entry rehash (all_orders)\nscenario: layout %s, order %u -> %u (%s)\n",
		     impl->name, s.isa300 ? "3.0" : "pre-3.0", s.old_order,
		     s.new_order, grow);
	n += hpt_scn_print_text(&s, report + n, sizeof(report) - n);
	if (n < sizeof(report))
		n += snprintf(report + n, sizeof(report) - n,
			      "first divergence (%s): %s\nDIVERGENCE impl=%s what=%s record=%s old_index=%s expected_index=%s actual_index=%s\n",
			      ao_last.what, msg, impl->name, ao_last.what,
			      rec, index_text(ao_last.old_idx, old, sizeof(old)),
			      index_text(ao_last.exp_idx, exp, sizeof(exp)),
			      index_text(ao_last.act_idx, act, sizeof(act)));
	if (n >= sizeof(report))
		n = sizeof(report) - 1;
	/*
	 * The same fault elsewhere: implementation, what differed, layout,
	 * segment size, direction and the message's last clause (the crash
	 * or return code), numbers left out; not the page size or state, of
	 * which a fault in the hash alone would make dozens of findings.
	 */
	tail = strrchr(msg, ':');
	sig = fuzz_signature_add(FUZZ_SIGNATURE_START, impl->name);
	sig = fuzz_signature_add(sig, ao_last.what);
	sig = fuzz_signature_add(sig, s.isa300 ? "3.0" : "pre-3.0");
	if (ao_last.rec < s.nr_records && s.rec[ao_last.rec].kind == HPT_SCN_VA)
		sig = fuzz_signature_add(sig, s.rec[ao_last.rec].va.seg ?
					 "1T" : "256M");
	sig = fuzz_signature_add(sig, grow);
	sig = fuzz_signature_add(sig, tail ? tail : msg);
	/* Its own cap is an environment setting, not a sidecar */
	fuzz_record(impl->name, ao_last.what, sig, msg, report, n, 0, data,
		    size);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	int i;

	if (!cap)
		cap = order_cap();
	if (!selected)
		selected = fuzz_impls(has_rehash_entry, "per-entry rehash");
	decode(data, size);
	for (i = 0; selected[i]; i++) {
		switch (ao_check(selected[i], &s, msg, sizeof(msg))) {
		case AO_AGREE:
			break;
		case AO_DIVERGE:
			if (fuzz_findings_dir()) {
				record(selected[i], data, size);
				break;
			}
			fuzz_fail("%s", msg);
		case AO_ERROR:
			fuzz_fail("harness error on %s: %s", selected[i]->name,
				  msg);
		}
	}
	return 0;
}
