/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario model of docs/scenario-format.md: one HPT resize to try,
 * its binary encoding, the truth about each VA-described entry, and the
 * generation of the old table it describes.
 *
 * Everything declared here builds in the kernel as well as on the host:
 * the sources include only hpt/ headers and allocate through the
 * platform.  The text form is host-only (hpt/scenario_text.h).
 */
#ifndef HPT_SCENARIO_H
#define HPT_SCENARIO_H

#include "hpt/env.h"

/* Filled by hpt_scn_generate(); its layout is the core's (hpt/vm.h) */
struct hpt_vm;

#define HPT_SCN_MAX_ENTRIES	4096	/* VA and raw entries together */
#define HPT_SCN_MAX_MEMSLOTS	16
#define HPT_SCN_MAX_RECORDS	(HPT_SCN_MAX_ENTRIES + HPT_SCN_MAX_MEMSLOTS)

/* Binary sizes: the header, and each record's body after its kind byte */
#define HPT_SCN_HEADER_BYTES	3
#define HPT_SCN_VA_BYTES	29
#define HPT_SCN_VA_HOST_BYTES	2	/* more with header bit 1 */
#define HPT_SCN_RAW_BYTES	32
#define HPT_SCN_MEMSLOT_BYTES	10

#define HPT_SCN_RPN_BITS	40	/* guest frame numbers, 4 KB units */
#define HPT_SCN_MAX_NPAGES	0xffffu

/* Segment sizes, as the V word's B field holds them */
#define HPT_SCN_SEG_256M	0
#define HPT_SCN_SEG_1T		1

enum hpt_scn_kind {
	HPT_SCN_VA = 0,
	HPT_SCN_RAW = 1,
	HPT_SCN_MEMSLOT = 2,
};

/* The seven base/actual page size pairs of docs/hpt.md's table */
enum hpt_scn_page {
	HPT_PAGE_4K,
	HPT_PAGE_64K,
	HPT_PAGE_16M,
	HPT_PAGE_16G,
	HPT_PAGE_4K_64K,
	HPT_PAGE_64K_16M,
	HPT_PAGE_4K_16M,
	HPT_SCN_NR_PAGES
};

/* Slot choice: 0..7 exact, or the first unused one */
#define HPT_SCN_SLOT_FIRST	8

/* rbits: bits 0..11 are R's, 12..13 key high (R 60..61), 15 PP0 */
#define HPT_SCN_RBITS_LOW	0x0fffu
#define HPT_SCN_RBITS_KEY_HI	0x3000u
#define HPT_SCN_RBITS_PP0	0x8000u
#define HPT_SCN_RBITS_MASK	0xbfffu

/*
 * host: what host paths did to an entry after the guest's H_ENTER, as
 * KVM-HV permits (docs/scenario-format.md): the hardware R's R/C bits
 * set or cleared behind the guest's view, PP made read-only, WIMG made
 * cacheable, the storage key cleared (an absent page), the entry's HVLOCK
 * held, and VALID and ABSENT both set (a host path mid-way through
 * making a VALID entry absent).  Zero: hardware R is the guest's R with
 * the host's frame.
 */
#define HPT_SCN_HOST_SET_R	0x001u
#define HPT_SCN_HOST_SET_C	0x002u
#define HPT_SCN_HOST_CLEAR_R	0x004u
#define HPT_SCN_HOST_CLEAR_C	0x008u
#define HPT_SCN_HOST_READONLY	0x010u
#define HPT_SCN_HOST_CACHE_M	0x020u
#define HPT_SCN_HOST_KEY_CLEAR	0x040u
#define HPT_SCN_HOST_HVLOCK	0x080u
#define HPT_SCN_HOST_BOTH	0x100u
#define HPT_SCN_HOST_MASK	0x1ffu

struct hpt_scn_va {
	u8 seg;			/* HPT_SCN_SEG_256M or HPT_SCN_SEG_1T */
	u8 page;		/* enum hpt_scn_page */
	u8 slot;		/* 0..7 or HPT_SCN_SLOT_FIRST */
	bool bolted;
	bool valid;		/* VALID, else ABSENT */
	bool secondary;
	u16 rbits;
	u16 host;		/* HPT_SCN_HOST_*, 0 for an untouched entry */
	u64 vsid;
	u64 ea;			/* offset within the segment */
	u64 rpn;		/* guest frame number, 4 KB units */
};

struct hpt_scn_raw {
	u64 index;
	u64 v, r, guest_r;	/* as stored, in the table's own layout */
};

struct hpt_scn_memslot {
	u64 base_gfn;
	u32 npages;
};

struct hpt_scn_record {
	u8 kind;		/* enum hpt_scn_kind */
	union {
		struct hpt_scn_va va;
		struct hpt_scn_raw raw;
		struct hpt_scn_memslot slot;
	};
};

/* Large (about 160 KB): callers allocate it on the heap */
struct hpt_scenario {
	bool isa300;
	u32 old_order, new_order;
	u32 nr_records;
	u32 nr_entries;		/* VA and raw records */
	u32 nr_memslots;
	struct hpt_scn_record rec[HPT_SCN_MAX_RECORDS];
};

/* Where each record went: table index, memslot number, or not placed */
#define HPT_SCN_NOT_PLACED	(~0ULL)

struct hpt_scn_placement {
	u64 where[HPT_SCN_MAX_RECORDS];
	u32 nr_placed;		/* VA entries written to the table */
	u32 nr_not_placed;	/* VA entries that found no free slot */
};

/* scenario.c: the model itself */
void hpt_scn_init(struct hpt_scenario *s);
bool hpt_scn_equal(const struct hpt_scenario *a, const struct hpt_scenario *b);
/* Append a record; false when the doc's limits are reached */
bool hpt_scn_add(struct hpt_scenario *s, const struct hpt_scn_record *rec);
/* The fuzz targets' order cap: an order above cap folds into 18..cap */
u32 hpt_scn_fold_order(u32 order, u32 cap);
void hpt_scn_cap_orders(struct hpt_scenario *s, u32 cap);

/* codec.c: the binary encoding, version 1 */
void hpt_scn_decode(struct hpt_scenario *s, const u8 *data, size_t size);
size_t hpt_scn_encode(const struct hpt_scenario *s, u8 *buf, size_t cap);

/*
 * raw_words.c: the raw_table fuzz target's input form: the header, then
 * 32 bytes per raw entry (index, V, R, guest R), behind one memslot of
 * frames 0..65534.  Total, like hpt_scn_decode().
 */
void hpt_scn_from_raw_words(struct hpt_scenario *s, const u8 *data,
			    size_t size);

/* va.c: the truth about a VA entry, computed from its VA alone */
unsigned int hpt_scn_base_shift(u8 page);
unsigned int hpt_scn_actual_shift(u8 page);
unsigned int hpt_scn_seg_shift(u8 seg);
/* Widths a decoder masks to, for a layout and segment size */
unsigned int hpt_scn_vsid_bits(bool isa300, u8 seg);
u64 hpt_scn_ea_mask(u8 seg, u8 page);
u64 hpt_scn_rpn_mask(u8 page);
/* Bring a VA entry's fields into their canonical (decoded) form */
void hpt_scn_va_canonicalise(struct hpt_scn_va *va, bool isa300);

u64 hpt_scn_va_hash(const struct hpt_scn_va *va);
/* Group the entry lives in, in a table of the given order */
u64 hpt_scn_va_group(const struct hpt_scn_va *va, u32 order);
u64 hpt_scn_va_avpn(const struct hpt_scn_va *va);
/* V, guest R and hardware R, all in the pre-ISA-3.0 (guest) layout;
 * V and hardware R carry the host field's changes */
u64 hpt_scn_va_v(const struct hpt_scn_va *va);
u64 hpt_scn_va_guest_r(const struct hpt_scn_va *va);
u64 hpt_scn_va_hw_r(const struct hpt_scn_va *va);

/* generate.c: build the old table, revmap and memslots of a scenario */
int hpt_scn_generate(const struct hpt_scenario *s, struct hpt_vm *vm,
		     struct hpt_scn_placement *pl);
void hpt_scn_free_memslots(struct hpt_vm *vm);

#endif /* HPT_SCENARIO_H */
