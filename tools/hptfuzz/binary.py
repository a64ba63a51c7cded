# SPDX-License-Identifier: GPL-2.0-only
"""Binary scenario encoding, version 1: total decoding, canonical encoding."""
from __future__ import annotations

import struct

from . import hpte
from .model import (MAX_ENTRIES, MAX_MEMSLOTS, Memslot, RawEntry, Record,
                    Scenario, VaEntry, canonical_host, canonical_va)

HEADER_SIZE = 3
KIND_VA, KIND_RAW, KIND_MEMSLOT = 0, 1, 2
BODY_SIZE = {KIND_VA: 29, KIND_RAW: 32, KIND_MEMSLOT: 10}
HOST_SIZE = 2           # more per VA record with header bit 1
HEADER_VA_HOST = 0x02
SLOT_FIRST = 8


def _order(byte: int) -> int:
    return byte if hpte.order_valid(byte) else hpte.MIN_ORDER + byte % 4


def _va(layout: int, b: bytes, with_host: bool) -> VaEntry:
    flags, page_byte, slot_byte = b[0], b[1], b[2]
    vsid, ea, rpn, rbits = struct.unpack_from("<QQQH", b, 3)
    raw_host = struct.unpack_from("<H", b, 29)[0] if with_host else 0
    page = page_byte % 7
    slot = slot_byte % 9
    seg, vsid, ea, rpn, rbits = canonical_va(layout, flags & 1, page, vsid,
                                             ea, rpn, rbits)
    host, valid = canonical_host(raw_host, bool(flags & 4))
    return VaEntry(seg=seg, vsid=vsid, ea=ea, page=page,
                   valid=valid, bolted=bool(flags & 2),
                   secondary=bool(flags & 8),
                   slot=None if slot == SLOT_FIRST else slot,
                   rpn=rpn, rbits=rbits, host=host)


def decode(data: bytes) -> Scenario:
    """Decode any byte string; missing bytes at the end read as zero."""
    head = data[:HEADER_SIZE].ljust(HEADER_SIZE, b"\0")
    layout = head[0] & 1
    with_host = bool(head[0] & HEADER_VA_HOST)
    old_order, new_order = _order(head[1]), _order(head[2])
    records: list[Record] = []
    entries = memslots = 0
    pos = HEADER_SIZE
    while pos < len(data):
        kind = data[pos] % 3
        size = BODY_SIZE[kind] + (HOST_SIZE if kind == KIND_VA and with_host else 0)
        body = data[pos + 1:pos + 1 + size].ljust(size, b"\0")
        pos += 1 + size
        if kind == KIND_MEMSLOT:
            if memslots >= MAX_MEMSLOTS:
                continue
            memslots += 1
            base, npages = struct.unpack("<QH", body)
            records.append(Memslot(base & ((1 << hpte.RPN_BITS) - 1), npages))
            continue
        if entries >= MAX_ENTRIES:
            continue
        entries += 1
        if kind == KIND_VA:
            records.append(_va(layout, body, with_host))
        else:
            index, v, r, gr = struct.unpack("<QQQQ", body)
            records.append(RawEntry(index % hpte.npte(old_order), v, r, gr))
    return Scenario(layout, old_order, new_order, tuple(records))


RAW_WORDS_MEMSLOT = Memslot(0, 0xFFFF)


def decode_raw_words(data: bytes) -> Scenario:
    """The raw_table target's input form (see raw_words()): the header as
    decode() reads it, one memslot of frames 0..0xfffe, then 32 bytes per
    raw entry, missing bytes read as zero, entries past the limit dropped."""
    head = decode(data[:HEADER_SIZE])
    records: list[Record] = [RAW_WORDS_MEMSLOT]
    npte = hpte.npte(head.old_order)
    for pos in range(HEADER_SIZE, len(data), BODY_SIZE[KIND_RAW]):
        if len(records) > MAX_ENTRIES:
            break
        body = data[pos:pos + BODY_SIZE[KIND_RAW]].ljust(BODY_SIZE[KIND_RAW], b"\0")
        index, v, r, gr = struct.unpack("<QQQQ", body)
        records.append(RawEntry(index & (npte - 1), v, r, gr))
    return Scenario(head.layout, head.old_order, head.new_order, tuple(records))


def _encode_record(rec: Record, with_host: bool) -> bytes:
    if isinstance(rec, VaEntry):
        flags = rec.seg | rec.bolted << 1 | rec.valid << 2 | rec.secondary << 3
        slot = SLOT_FIRST if rec.slot is None else rec.slot
        out = bytes((KIND_VA, flags, rec.page, slot)) + struct.pack(
            "<QQQH", rec.vsid, rec.ea, rec.rpn, rec.rbits)
        return out + (struct.pack("<H", rec.host) if with_host else b"")
    if isinstance(rec, RawEntry):
        return bytes((KIND_RAW,)) + struct.pack("<QQQQ", rec.index, rec.v,
                                                rec.r, rec.guest_r)
    return bytes((KIND_MEMSLOT,)) + struct.pack("<QH", rec.base, rec.npages)


def encode(scen: Scenario) -> bytes:
    """Canonical bytes of a scenario (which decode back to it)."""
    # Host fields only when some entry has one: older inputs stay as they were
    with_host = any(isinstance(r, VaEntry) and r.host for r in scen.records)
    out = bytearray((scen.layout | (HEADER_VA_HOST if with_host else 0),
                     scen.old_order, scen.new_order))
    for rec in scen.records:
        out += _encode_record(rec, with_host)
    return bytes(out)


def raw_words(scen: Scenario, entries: "list[tuple[int, int, int, int]]") -> bytes:
    """The raw_table target's input form: the header, then (index, V, R,
    guest R) as little-endian 64-bit words for each entry, V and R as stored
    in the table's layout."""
    out = bytearray((scen.layout, scen.old_order, scen.new_order))
    for index, v, r, guest_r in entries:
        for word in (index, v, r, guest_r):
            out += word.to_bytes(8, "little")
    return bytes(out)
