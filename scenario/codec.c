// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binary scenario encoding, version 1 (docs/scenario-format.md).
 * Header bit 1 adds a host field to every VA record; without it a VA
 * record is what it always was, so older inputs decode as they did.
 *
 * Decoding is total: every byte string is a scenario, and bytes missing at
 * the end read as zero.  Encoding writes the canonical bytes, which decode
 * back to the same scenario.
 */
#include "hpt/env.h"
#include "hpt/scenario.h"
#include "scn_spec.h"

#define VA_FLAG_1T		0x01
#define VA_FLAG_BOLTED		0x02
#define VA_FLAG_VALID		0x04
#define VA_FLAG_SECONDARY	0x08

#define HEADER_ISA300		0x01
#define HEADER_VA_HOST		0x02	/* VA records carry 2 host bytes */

/* A cursor over the input that reads zeros past its end */
struct reader {
	const u8 *data;
	size_t size, pos;
};

static u8 get_u8(struct reader *rd)
{
	u8 b = rd->pos < rd->size ? rd->data[rd->pos] : 0;

	rd->pos++;
	return b;
}

static u64 get_le(struct reader *rd, unsigned int bytes)
{
	u64 x = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		x |= (u64)get_u8(rd) << (8 * i);
	return x;
}

static u32 decode_order(u8 b)
{
	if (scn_order_valid(b))
		return b;
	return SCN_MIN_ORDER + b % 4;
}

static void decode_va(struct reader *rd, bool isa300, bool host,
		      struct hpt_scn_va *va)
{
	u8 flags = get_u8(rd);

	va->seg = (flags & VA_FLAG_1T) ? HPT_SCN_SEG_1T : HPT_SCN_SEG_256M;
	va->bolted = flags & VA_FLAG_BOLTED;
	va->valid = flags & VA_FLAG_VALID;
	va->secondary = flags & VA_FLAG_SECONDARY;
	va->page = get_u8(rd) % HPT_SCN_NR_PAGES;
	va->slot = get_u8(rd) % (HPT_SCN_SLOT_FIRST + 1);
	va->vsid = get_le(rd, 8);
	va->ea = get_le(rd, 8);
	va->rpn = get_le(rd, 8);
	va->rbits = get_le(rd, 2);
	va->host = host ? get_le(rd, 2) : 0;
	hpt_scn_va_canonicalise(va, isa300);
}

static void decode_raw(struct reader *rd, u32 old_order,
		       struct hpt_scn_raw *raw)
{
	raw->index = get_le(rd, 8) & (scn_order_npte(old_order) - 1);
	raw->v = get_le(rd, 8);
	raw->r = get_le(rd, 8);
	raw->guest_r = get_le(rd, 8);
}

static void decode_memslot(struct reader *rd, struct hpt_scn_memslot *slot)
{
	slot->base_gfn = get_le(rd, 8) & ((1ULL << HPT_SCN_RPN_BITS) - 1);
	slot->npages = get_le(rd, 2);
}

void hpt_scn_decode(struct hpt_scenario *s, const u8 *data, size_t size)
{
	struct reader rd = { data, size, 0 };
	struct hpt_scn_record rec;
	u8 header;

	hpt_scn_init(s);
	header = get_u8(&rd);
	s->isa300 = header & HEADER_ISA300;
	s->old_order = decode_order(get_u8(&rd));
	s->new_order = decode_order(get_u8(&rd));

	while (rd.pos < rd.size) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = get_u8(&rd) % 3;
		switch (rec.kind) {
		case HPT_SCN_VA:
			decode_va(&rd, s->isa300, header & HEADER_VA_HOST,
				  &rec.va);
			break;
		case HPT_SCN_RAW:
			decode_raw(&rd, s->old_order, &rec.raw);
			break;
		default:
			decode_memslot(&rd, &rec.slot);
			break;
		}
		/* Past the limits a record is consumed and dropped */
		hpt_scn_add(s, &rec);
	}
}

/* A cursor over the output that counts what it cannot store */
struct writer {
	u8 *buf;
	size_t cap, pos;
};

static void put_le(struct writer *wr, u64 x, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++, wr->pos++)
		if (wr->pos < wr->cap)
			wr->buf[wr->pos] = x >> (8 * i);
}

static void encode_va(struct writer *wr, const struct hpt_scn_va *va,
		      bool host)
{
	u8 flags = 0;

	if (va->seg == HPT_SCN_SEG_1T)
		flags |= VA_FLAG_1T;
	if (va->bolted)
		flags |= VA_FLAG_BOLTED;
	if (va->valid)
		flags |= VA_FLAG_VALID;
	if (va->secondary)
		flags |= VA_FLAG_SECONDARY;
	put_le(wr, flags, 1);
	put_le(wr, va->page, 1);
	put_le(wr, va->slot, 1);
	put_le(wr, va->vsid, 8);
	put_le(wr, va->ea, 8);
	put_le(wr, va->rpn, 8);
	put_le(wr, va->rbits, 2);
	if (host)
		put_le(wr, va->host, 2);
}

/* Canonical bytes carry host fields only when some entry has one */
static bool any_host(const struct hpt_scenario *s)
{
	u32 i;

	for (i = 0; i < s->nr_records; i++)
		if (s->rec[i].kind == HPT_SCN_VA && s->rec[i].va.host)
			return true;
	return false;
}

size_t hpt_scn_encode(const struct hpt_scenario *s, u8 *buf, size_t cap)
{
	struct writer wr = { buf, cap, 0 };
	const struct hpt_scn_record *rec;
	bool host = any_host(s);
	u32 i;

	put_le(&wr, (s->isa300 ? HEADER_ISA300 : 0) |
		    (host ? HEADER_VA_HOST : 0), 1);
	put_le(&wr, s->old_order, 1);
	put_le(&wr, s->new_order, 1);

	for (i = 0; i < s->nr_records; i++) {
		rec = &s->rec[i];
		put_le(&wr, rec->kind, 1);
		switch (rec->kind) {
		case HPT_SCN_VA:
			encode_va(&wr, &rec->va, host);
			break;
		case HPT_SCN_RAW:
			put_le(&wr, rec->raw.index, 8);
			put_le(&wr, rec->raw.v, 8);
			put_le(&wr, rec->raw.r, 8);
			put_le(&wr, rec->raw.guest_r, 8);
			break;
		default:
			put_le(&wr, rec->slot.base_gfn, 8);
			put_le(&wr, rec->slot.npages, 2);
			break;
		}
	}
	return wr.pos;
}
