# SPDX-License-Identifier: GPL-2.0-only
"""Canonical text with '#' comments saying where each entry sits."""
from __future__ import annotations

from . import hpte, text
from .model import Memslot, RawEntry, Scenario, VaEntry
from .oracle import Outcome, predict


def _where(index: int) -> str:
    return f"index {index:#x} (group {index // 8:#x} slot {index % 8})"


def _fate(out: Outcome, index: int) -> str:
    """What the resize does with the entry at an old index."""
    if out.failed_at is not None and index > out.failed_at:
        return "not reached (the resize stopped earlier)"
    if out.failed_at == index:
        return f"resize fails here: {hpte.rc_name(out.rc)}, {out.why}"
    if index in out.dropped:
        return "dropped (not bolted)"
    if index in out.targets:
        return f"new {_where(out.targets[index])}"
    return "skipped (not used)"


def _va_comments(rec: VaEntry, number: int, out: Outcome) -> list[str]:
    place = out.old.placements[number]
    group_kind = "secondary" if rec.secondary else "primary"
    lines = [f"#   hash {place.hash:#x}, {group_kind} group {place.group:#x}"
             f" of {hpte.nptegs(out.old.order):#x}"]
    if place.index is None:
        lines.append(f"#   not placed: {place.why}")
        return lines
    ent = out.old.entries[place.index]
    lines.append(f"#   old {_where(place.index)}: v={ent.v:#018x} r={ent.r:#018x}")
    if rec.valid:
        if place.memslot is None:
            lines.append(f"#   gfn {place.gfn:#x}: no memslot, no rmap ring")
        else:
            lines.append(f"#   gfn {place.gfn:#x}: in the rmap ring of "
                         f"memslot {place.memslot}")
    lines.append(f"#   -> {_fate(out, place.index)}")
    return lines


def _raw_comments(number: int, out: Outcome) -> list[str]:
    index = out.old.raw_records[number]
    ent = out.old.entries.get(index)
    if ent is None or ent.record != number:
        return [f"#   old {_where(index)}: overwritten by a later record"]
    v, _ = hpte.from_layout(out.old.layout, ent.v, ent.r)
    flags = " ".join(hpte.v_bit_names(v & 0x7F)) or "no flags"
    return [f"#   old {_where(index)}: {flags}",
            f"#   -> {_fate(out, index)}"]


def annotate(scen: Scenario, old_order: int | None = None,
             new_order: int | None = None) -> str:
    """Canonical text plus placement comments (which parse as nothing)."""
    out = predict(scen, old_order, new_order)
    lines = text.header_lines(scen)
    if (out.old.order, out.new_order) != (scen.old_order, scen.new_order):
        lines.append(f"# with the order cap: old-order {out.old.order} "
                     f"new-order {out.new_order}")
    if out.new_order == out.old.order:
        direction = "same size"
    else:
        direction = "grow" if out.new_order > out.old.order else "shrink"
    lines.append(f"# old table: {hpte.npte(out.old.order):#x} entries, "
                 f"{hpte.nptegs(out.old.order):#x} groups; new table: "
                 f"{hpte.npte(out.new_order):#x} entries, "
                 f"{hpte.nptegs(out.new_order):#x} groups ({direction})")
    memslots = 0
    for number, rec in enumerate(scen.records):
        lines.append(text.format_record(rec))
        if isinstance(rec, VaEntry):
            lines.extend(_va_comments(rec, number, out))
        elif isinstance(rec, RawEntry):
            lines.extend(_raw_comments(number, out))
        elif isinstance(rec, Memslot):
            lines.append(f"#   memslot {memslots}: gfn {rec.base:#x}.."
                         f"{rec.base + rec.npages:#x}")
            memslots += 1
    lines.append(f"# expected (python view): rc {hpte.rc_name(out.rc)}"
                 + (f" ({out.why})" if out.why else "")
                 + f"; {len(out.new)} kept, {len(out.dropped)} dropped, "
                 f"{len(out.unmaps)} unmapped")
    return "\n".join(lines) + "\n"
