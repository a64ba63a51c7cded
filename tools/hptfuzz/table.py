# SPDX-License-Identifier: GPL-2.0-only
"""Generation: the old table a scenario describes, placed as H_ENTER would.

Tables are sparse (index -> entry), so any order up to 46 is cheap.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import hpte
from .model import Memslot, RawEntry, Scenario, VaEntry


@dataclass
class Entry:
    """One used index of a table, words as stored in the table's layout."""
    index: int
    v: int
    r: int
    guest_r: int
    record: int                 # record number in the scenario
    va_hash: int | None = None  # the truth, for VA entries


@dataclass
class Placement:
    """Where a VA record went (or why it did not)."""
    record: int
    hash: int
    group: int
    index: int | None           # None: not placed (H_PTEG_FULL)
    why: str = ""
    memslot: int | None = None  # memslot number whose rmap ring holds it
    gfn: int = 0


@dataclass
class OldTable:
    layout: int
    order: int
    entries: dict[int, Entry]
    placements: dict[int, Placement]
    raw_records: dict[int, int]  # raw record number -> index


def va_words(e: VaEntry) -> tuple[int, int, int]:
    """(V, hardware R, guest R) of a VA entry in the pre-3.0 layout."""
    pair = e.pair
    avpn = hpte.avpn_of(e.seg, e.vsid, e.ea, pair.base_shift)
    v = (e.seg << hpte.V_SSIZE_SHIFT) | (avpn << 7)
    if pair.large:
        v |= hpte.V_LARGE
    if e.secondary:
        v |= hpte.V_SECONDARY
    if e.bolted:
        v |= hpte.V_BOLTED
    v |= hpte.V_VALID if e.valid else hpte.V_ABSENT
    rb = e.rbits
    rbits = (rb & 0xFFF) | ((rb >> 12) & 3) << 60 | ((rb >> 15) & 1) << 63
    guest_r = (e.rpn << 12) | pair.lp_bits | rbits
    return v, guest_r ^ hpte.R_HW_RPN_FLIP, guest_r


def entry_hash(e: VaEntry) -> int:
    return hpte.va_hash(e.seg, e.vsid, e.ea, e.pair.base_shift)


def find_memslot(memslots: list[Memslot], gfn: int) -> int | None:
    for i, slot in enumerate(memslots):
        if slot.holds(gfn):
            return i
    return None


def build(scen: Scenario, old_order: int | None = None) -> OldTable:
    """The old table of a scenario (at old_order if a cap changed it)."""
    order = scen.old_order if old_order is None else old_order
    entries: dict[int, Entry] = {}
    raw_records: dict[int, int] = {}
    n = hpte.npte(order)
    for number, rec in enumerate(scen.records):
        if isinstance(rec, RawEntry):
            index = rec.index % n
            entries[index] = Entry(index, rec.v, rec.r, rec.guest_r, number)
            raw_records[number] = index
    placements: dict[int, Placement] = {}
    memslots = scen.memslots
    for number, rec in enumerate(scen.records):
        if not isinstance(rec, VaEntry):
            continue
        h = entry_hash(rec)
        group = hpte.group_of(h, rec.secondary, order)
        base = group * hpte.SLOTS
        place = Placement(number, h, group, None)
        placements[number] = place
        slots = range(8) if rec.slot is None else (rec.slot,)
        free = [s for s in slots
                if base + s not in entries or not hpte.is_used(entries[base + s].v)]
        if not free:
            place.why = ("group full (H_PTEG_FULL)" if rec.slot is None
                         else f"slot {rec.slot} in use (H_PTEG_FULL)")
            continue
        place.index = base + free[0]
        v, r, guest_r = va_words(rec)
        v, r = hpte.to_layout(scen.layout, v, r)
        entries[place.index] = Entry(place.index, v, r, guest_r, number, h)
        if rec.valid:
            place.gfn = hpte.gfn_of(guest_r, rec.pair.actual_shift)
            place.memslot = find_memslot(memslots, place.gfn)
    return OldTable(scen.layout, order, entries, placements, raw_records)
