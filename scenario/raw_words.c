// SPDX-License-Identifier: GPL-2.0-only
/*
 * The raw-words input form of the raw_table fuzz target: the binary
 * header, then raw entries only, 32 bytes each (index, V, R, guest R,
 * little-endian), behind one memslot backing frames 0..65534 so that
 * VALID words go through the rmap path.  Total like the binary decoder:
 * missing bytes read as zero, entries past the limit are dropped.
 */
#include "hpt/env.h"
#include "hpt/scenario.h"
#include "scn_spec.h"

static u64 get_le64(const u8 *data, size_t size, size_t pos)
{
	u64 x = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (pos + i < size)
			x |= (u64)data[pos + i] << (8 * i);
	return x;
}

void hpt_scn_from_raw_words(struct hpt_scenario *s, const u8 *data,
			    size_t size)
{
	struct hpt_scn_record rec;
	size_t pos;

	/* The header alone decodes as it does in the binary form */
	hpt_scn_decode(s, data, size < HPT_SCN_HEADER_BYTES ? size :
		       HPT_SCN_HEADER_BYTES);

	memset(&rec, 0, sizeof(rec));
	rec.kind = HPT_SCN_MEMSLOT;
	rec.slot.base_gfn = 0;
	rec.slot.npages = HPT_SCN_MAX_NPAGES;
	hpt_scn_add(s, &rec);

	rec.kind = HPT_SCN_RAW;
	/* No kind byte: each entry is its 32-byte body alone */
	for (pos = HPT_SCN_HEADER_BYTES; pos < size; pos += HPT_SCN_RAW_BYTES) {
		rec.raw.index = get_le64(data, size, pos) &
				(scn_order_npte(s->old_order) - 1);
		rec.raw.v = get_le64(data, size, pos + 8);
		rec.raw.r = get_le64(data, size, pos + 16);
		rec.raw.guest_r = get_le64(data, size, pos + 24);
		if (!hpt_scn_add(s, &rec))
			break;
	}
}
