# SPDX-License-Identifier: GPL-2.0-only
"""The expected outcome of a resize, computed in Python.

VA entries go where their VA's hash says; raw entries where their words
say (hash recovered from AVPN and group, as the facts describe).  Entries
are visited in old-index order and the first error ends the resize, as
the commit does.  The C oracle is the authority; this view is for people.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import hpte
from .model import Scenario
from .table import Entry, OldTable, build


@dataclass
class NewEntry:
    index: int
    v: int          # stored words in the table's layout
    r: int
    guest_r: int
    old_index: int
    record: int


@dataclass
class Collision:
    old_index: int      # the entry that found its slot taken
    new_index: int
    winner: int         # old index of the entry already there


@dataclass
class Outcome:
    old: OldTable                       # the table before the resize
    new_order: int
    rc: int = 0
    why: str = ""
    failed_at: int | None = None        # old index that ended the resize
    new: dict[int, NewEntry] = field(default_factory=dict)
    old_after: dict[int, Entry] = field(default_factory=dict)
    unmaps: list[tuple[int, int]] = field(default_factory=list)  # (idx, gfn)
    targets: dict[int, int] = field(default_factory=dict)  # old -> new index
    dropped: list[int] = field(default_factory=list)       # non-bolted
    collision: Collision | None = None


def recover_target(layout: int, old_order: int, new_order: int, index: int,
                   v: int, r: int) -> tuple[int | None, str]:
    """New index of a bolted entry from its pre-3.0 words (raw entries)."""
    base_shift, _ = hpte.decode_psize(v, r)
    if not base_shift:
        return None, "invalid page size encoding in V/R"
    seg = v >> hpte.V_SSIZE_SHIFT
    if seg > hpte.SEG_1T:
        return None, f"reserved segment size B={seg}"
    seg_shift = hpte.SEG_SHIFT[seg]
    if base_shift > seg_shift:
        return None, "base page larger than its segment"
    avpn = (v & hpte.V_AVPN) >> 7
    avpn &= ~(((1 << base_shift) - 1) >> 23)
    vsid = avpn >> (seg_shift - 23)
    seg_hash = vsid if seg == hpte.SEG_256M else vsid ^ (vsid << 25)
    offset_hi = (avpn & ((1 << (seg_shift - 23)) - 1)) << 23
    page = offset_hi >> base_shift
    secondary = bool(v & hpte.V_SECONDARY)
    group = index // hpte.SLOTS
    hashed_group = ~group if secondary else group
    if base_shift < 23:
        page |= (seg_hash ^ hashed_group) & ((1 << (23 - base_shift)) - 1)
    h = (seg_hash ^ page) & hpte.HASH_MASK
    if hpte.group_of(h, secondary, old_order) != group:
        return None, "entry is not in the group its AVPN hashes to"
    return hpte.group_of(h, secondary, new_order) * hpte.SLOTS + index % hpte.SLOTS, ""


def predict(scen: Scenario, old_order: int | None = None,
            new_order: int | None = None) -> Outcome:
    old = build(scen, old_order)
    order_new = scen.new_order if new_order is None else new_order
    out = Outcome(old=old, new_order=order_new)
    layout = scen.layout
    for index in sorted(old.entries):
        e = old.entries[index]
        if not hpte.is_used(e.v):
            continue

        def fail(rc: int, why: str) -> None:
            out.rc, out.why, out.failed_at = rc, why, index

        if e.v & hpte.V_HVLOCK:
            fail(hpte.EDEADLK, "HVLOCK already held")
            break
        v, r = hpte.from_layout(layout, e.v, e.r)
        guest_r = e.guest_r
        _, actual_shift = hpte.decode_psize(v, guest_r)
        if not actual_shift:
            fail(hpte.EIO, "invalid page size encoding in V/guest R")
            break
        mem_v, mem_r = e.v, e.r
        if v & hpte.V_VALID:
            gfn = hpte.gfn_of(guest_r, actual_shift)
            out.unmaps.append((index, gfn))
            mem_v = (mem_v | hpte.V_ABSENT) & ~hpte.V_VALID
            mem_r &= ~hpte.R_KEY & hpte.U64
            guest_r |= mem_r & (hpte.R_R | hpte.R_C)
            v, r = hpte.from_layout(layout, mem_v, mem_r)
        out.old_after[index] = Entry(index, mem_v, mem_r, guest_r, e.record,
                                     e.va_hash)
        if not v & hpte.V_BOLTED:
            out.dropped.append(index)
            continue
        if e.va_hash is not None:
            target = (hpte.group_of(e.va_hash, bool(v & hpte.V_SECONDARY),
                                    order_new) * hpte.SLOTS + index % hpte.SLOTS)
        else:
            t, why = recover_target(layout, old.order, order_new, index, v, r)
            if t is None:
                fail(hpte.EIO, why)
                break
            target = t
        out.targets[index] = target
        if target in out.new:
            out.collision = Collision(index, target, out.new[target].old_index)
            fail(hpte.ENOSPC, f"bolted collision at new index {target:#x} "
                 f"with old index {out.new[target].old_index:#x}")
            break
        nv, nr = hpte.to_layout(layout, v & ~hpte.V_HVLOCK, r)
        out.new[target] = NewEntry(target, nv, nr, guest_r, index, e.record)
    # entries after a failure keep their old words
    for index, e in old.entries.items():
        out.old_after.setdefault(index, e)
    return out
