# SPDX-License-Identifier: GPL-2.0-only
"""Expected vs actual entries around a divergence, differing bits marked."""
from __future__ import annotations

from . import hpte
from .oracle import Outcome
from .replay import Divergence, ReportedWords

Words = tuple[int, int]
RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"


def _expected_table(out: Outcome, new: bool) -> dict[int, Words]:
    if new:
        return {i: (e.v, e.r) for i, e in out.new.items()}
    return {i: (e.v, e.r) for i, e in out.old_after.items()}


def _moved_words(out: Outcome, div: Divergence,
                 expected: dict[int, Words]) -> Words | None:
    """The words of the entry a new-entry divergence is about."""
    if div.expected_index is not None and div.expected_index in expected:
        return expected[div.expected_index]
    if div.old_index is not None and div.old_index in out.old_after:
        e = out.old_after[div.old_index]
        return e.v & ~hpte.V_HVLOCK, e.r
    return None


def build_tables(out: Outcome, div: Divergence, reported: list[ReportedWords]
                 ) -> tuple[dict[int, Words], dict[int, Words] | None, str]:
    """(expected, actual or None if unknown, where the actual words came
    from) for the table the divergence is in."""
    new = div.in_new_table
    table = "new" if new else "old"
    expected = _expected_table(out, new)
    for w in reported:
        if w.side == "expected" and w.table in (None, table):
            expected[w.index] = (w.v, w.r)
    actual_words = [w for w in reported
                    if w.side == "actual" and w.table in (None, table)]
    if actual_words:
        actual = dict(expected)
        for w in actual_words:
            actual[w.index] = (w.v, w.r)
        return expected, actual, ("words from the driver's report; slots it "
                                  "does not name are shown as expected")
    if not new:
        return expected, None, "the driver's report does not give the words"
    actual = dict(expected)
    moved = _moved_words(out, div, expected)
    if div.expected_index is not None:
        actual.pop(div.expected_index, None)
    if div.actual_index is not None and moved is not None:
        actual[div.actual_index] = moved
    return expected, actual, ("reconstructed from the DIVERGENCE line: the "
                              "expected entry, moved to where the "
                              "implementation put it")


def _hex(value: int) -> str:
    return f"0x{value:016x}"


def _paint(text: str, other: str, colour: str) -> str:
    out = []
    for a, b in zip(text, other):
        out.append(f"{BOLD}{colour}{a}{RESET}" if a != b else a)
    return "".join(out)


def _marks(a: str, b: str) -> str:
    return "".join("^" if x != y else " " for x, y in zip(a, b))


def group_rows(group: int, expected: dict[int, Words],
               actual: dict[int, Words] | None, notes: dict[int, str],
               colour: bool) -> list[str]:
    width = 18
    head = (f"  {'index':<10} {'slot':<4} {'expected V':<{width}}  "
            f"{'expected R':<{width}}  {'actual V':<{width}}  "
            f"{'actual R'}")
    lines = [head]
    explain = []
    empty: list[int] = []
    for slot in range(hpte.SLOTS):
        index = group * hpte.SLOTS + slot
        ev, er = expected.get(index, (0, 0))
        if actual is None:
            av = ar = None
        else:
            av, ar = actual.get(index, (0, 0))
        cells = [_hex(ev), _hex(er),
                 "?" if av is None else _hex(av), "?" if ar is None else _hex(ar)]
        if actual is None and not (ev or er) and index not in notes:
            cells = ["-", "-", "?", "?"]
        elif actual is not None and not (ev or er or av or ar):
            if index not in notes:
                empty.append(slot)
                continue
            cells = ["-", "-", "-", "-"]
        differs = (actual is not None and (ev, er) != (av, ar))
        shown = list(cells)
        if differs and colour:
            shown = [_paint(cells[0], cells[2], GREEN),
                     _paint(cells[1], cells[3], GREEN),
                     _paint(cells[2], cells[0], RED),
                     _paint(cells[3], cells[1], RED)]
        pad = [c + " " * (width - len(p)) for c, p in zip(shown, cells)]
        note = notes.get(index, "")
        if differs and not note:
            note = "differs"
        lines.append((f"  {index:#010x} {slot:<4} {pad[0]}  {pad[1]}  {pad[2]}  "
                      f"{pad[3]}" + (f"  <- {note}" if note else "")).rstrip())
        if differs and not colour:
            m_v, m_r = _marks(cells[0], cells[2]), _marks(cells[1], cells[3])
            lines.append((" " * 18 + f"{m_v:<{width}}  {m_r:<{width}}  "
                          f"{m_v:<{width}}  {m_r:<{width}}").rstrip())
        if differs and not (ev or er):
            explain.append(f"  {index:#x}: expected empty, actual holds an entry")
        elif differs and not (av or ar):
            explain.append(f"  {index:#x}: expected an entry, actual is empty")
        elif differs:
            dv, dr = ev ^ av, er ^ ar  # type: ignore[operator]
            parts = []
            if dv:
                parts.append("V: " + " ".join(hpte.v_bit_names(dv)))
            if dr:
                parts.append("R: " + " ".join(hpte.r_bit_names(dr)))
            explain.append(f"  {index:#x}: bits differ in " + "; ".join(parts)
                           + f" (V xor {dv:#x}, R xor {dr:#x})")
    if empty:
        lines.append(f"  (slot{'s' if len(empty) > 1 else ''} "
                     f"{', '.join(map(str, empty))}: empty on both sides)")
    return lines + explain


def render(out: Outcome, div: Divergence, reported: list[ReportedWords],
           colour: bool) -> list[str]:
    """Lines showing the diverging group(s), expected beside actual."""
    expected, actual, source = build_tables(out, div, reported)
    table = "new" if div.in_new_table else "old"
    lines = []
    if div.old_index is not None:
        e = out.old.entries.get(div.old_index)
        if e is not None:
            lines.append(f"old entry {div.old_index:#x} (group "
                         f"{div.old_index // 8:#x} slot {div.old_index % 8}), "
                         f"record {e.record}: v={_hex(e.v)} r={_hex(e.r)}")
        if e is not None and e.va_hash is not None and div.in_new_table:
            v, _ = hpte.from_layout(out.old.layout, e.v, e.r)
            secondary = bool(v & hpte.V_SECONDARY)
            mask = hpte.hash_mask(out.new_order)
            target = out.targets.get(div.old_index)
            lines.append(f"  its VA hashes to {e.va_hash:#x}; "
                         f"{'secondary group ~hash' if secondary else 'primary group hash'}"
                         f" & {mask:#x} = {hpte.group_of(e.va_hash, secondary, out.new_order):#x}"
                         + (f", same slot: new index {target:#x}" if target is not None
                            else " (not rehashed: the resize stops before it or drops it)"))
    notes: dict[int, str] = {}
    if div.expected_index is not None:
        notes[div.expected_index] = "expected here"
    if div.actual_index is not None:
        notes[div.actual_index] = (notes.get(div.actual_index, "")
                                   + (" and " if div.actual_index in notes else "")
                                   + "actual here")
    if div.old_index is not None and table == "old":
        notes.setdefault(div.old_index, "this entry")
    groups = sorted({i // hpte.SLOTS for i in notes})
    if not groups:
        lines.append("(the DIVERGENCE line names no index; see the report)")
        return lines
    for group in groups:
        lines.append(f"{table} table, group {group:#x}:")
        lines.extend(group_rows(group, expected, actual, notes, colour))
    lines.append(f"(actual: {source})")
    return lines
