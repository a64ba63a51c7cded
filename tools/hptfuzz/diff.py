# SPDX-License-Identifier: GPL-2.0-only
"""The groups around a divergence, two tables side by side.

Both sides come from the replay driver's JSON: the oracle's table where
the harness compares against one (old-entry, new-entry), else the table
before the resize beside the one the implementation left (crash, hang,
invariant, ...: what the harness saw, with no expectation claimed).
Field names of differing bits are the harness's own (words.c).
"""
from __future__ import annotations

from .replay import Entry, Facts, table

SLOTS = 8
RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"


def _hex(value: int) -> str:
    return f"0x{value:016x}"


def _paint(text: str, other: str, colour: str) -> str:
    return "".join(f"{BOLD}{colour}{a}{RESET}" if a != b else a
                   for a, b in zip(text, other))


def _marks(a: str, b: str) -> str:
    return "".join("^" if x != y else " " for x, y in zip(a, b))


def sides(facts: Facts, impl: Facts, div: Facts
          ) -> tuple[str, str, str, dict[int, Entry] | None, dict[int, Entry] | None]:
    """(table, left label, right label, left, right) for a divergence."""
    oracle = facts.get("oracle") or {}
    tables = impl.get("tables") or {}
    # With entries judged by rules, the expectation given where this run
    # stopped (the harness's, per implementation)
    oracle = dict(oracle, **(impl.get("expected") or {}))
    if div["kind"] == "new-entry":
        return ("new", "expected", "actual", table(oracle.get("new")),
                table(tables.get("new")))
    if div["kind"] == "old-entry":
        return ("old", "expected", "actual", table(oracle.get("old")),
                table(tables.get("old")))
    return ("old", "before", "after", table(oracle.get("before")),
            table(tables.get("old")))


def group_rows(group: int, left: dict[int, Entry] | None,
               right: dict[int, Entry] | None, labels: tuple[str, str],
               notes: dict[int, str], colour: bool) -> list[str]:
    width = 18
    a, b = labels
    lines = [f"  {'index':<10} {'slot':<4} {a + ' V':<{width}}  {a + ' R':<{width}}  "
             f"{b + ' V':<{width}}  {b + ' R'}"]
    empty: list[int] = []
    for slot in range(SLOTS):
        index = group * SLOTS + slot
        lv = left.get(index, (0, 0, 0)) if left is not None else None
        rv = right.get(index, (0, 0, 0)) if right is not None else None
        cells = ["?", "?", "?", "?"]
        if lv is not None:
            cells[0:2] = [_hex(lv[0]), _hex(lv[1])]
        if rv is not None:
            cells[2:4] = [_hex(rv[0]), _hex(rv[1])]
        blank = ((lv is None or not any(lv)) and (rv is None or not any(rv)))
        if blank and index not in notes:
            empty.append(slot)
            continue
        differs = lv is not None and rv is not None and lv != rv
        shown = list(cells)
        if differs and colour:
            shown = [_paint(cells[0], cells[2], GREEN), _paint(cells[1], cells[3], GREEN),
                     _paint(cells[2], cells[0], RED), _paint(cells[3], cells[1], RED)]
        pad = [s + " " * (width - len(c)) for s, c in zip(shown, cells)]
        note = notes.get(index, "") or ("differs" if differs else "")
        lines.append((f"  {index:#010x} {slot:<4} {pad[0]}  {pad[1]}  {pad[2]}  "
                      f"{pad[3]}" + (f"  <- {note}" if note else "")).rstrip())
        if differs and not colour:
            m_v, m_r = _marks(cells[0], cells[2]), _marks(cells[1], cells[3])
            lines.append((" " * 18 + f"{m_v:<{width}}  {m_r:<{width}}  "
                          f"{m_v:<{width}}  {m_r:<{width}}").rstrip())
        if differs and lv is not None and rv is not None and lv[2] != rv[2]:
            lines.append(f"{'':18}guest R {_hex(lv[2])} {a}, {_hex(rv[2])} {b}")
    if empty:
        lines.append(f"  (slot{'s' if len(empty) > 1 else ''} "
                     f"{', '.join(map(str, empty))}: empty on both sides)")
    return lines


def word_lines(div: Facts) -> list[str]:
    """The words the harness compared, with the fields it names."""
    words = div.get("words")
    if not words:
        return []
    where = (f"memslot {div.get('memslot')} gfn {words['index']:#x}"
             if words["table"] == "rmap" else f"{words['table']}[{words['index']:#x}]")
    lines = [f"words compared at {where}:"]
    for name in ("v", "r", "guest_r", "rmap"):
        w = words.get(name)
        if w is None:
            continue
        xor = int(w["xor"], 16)
        what = ("same" if not xor else
                f"differs in {' '.join(w['fields']) or '?'} (xor {xor:#x})")
        lines.append(f"  {name:<8} expected {w['expected']}  actual {w['actual']}  {what}")
    return lines


def render(facts: Facts, impl: Facts, div: Facts, colour: bool) -> list[str]:
    """Lines showing the group(s) a divergence names, both sides."""
    name, a, b, left, right = sides(facts, impl, div)
    lines = word_lines(div)
    notes: dict[int, str] = {}

    def note(index: int | None, text: str) -> None:
        if index is not None:
            notes[index] = notes[index] + " and " + text if index in notes else text

    if name == "new":
        note(div.get("expected_index"), "expected here")
        note(div.get("actual_index"), "actual here")
    else:
        note(div.get("old_index"), "this entry")
    words = div.get("words")
    if words and words["table"] == name and words["index"] not in notes:
        note(words["index"], "compared")
    if div["kind"] == "unmap":
        return lines
    groups = sorted({i // SLOTS for i in notes})
    if not groups:
        return lines + ["(the divergence names no table entry)"]
    if left is None and right is None:
        return lines + [f"(the driver gives neither {a} nor {b} {name} table)"]
    for group in groups:
        lines.append(f"{name} table, group {group:#x} ({a} | {b}):")
        lines.extend(group_rows(group, left, right, (a, b), notes, colour))
    if left is None:
        lines.append(f"({a}: none: the harness asserts no {name} table here)")
    if right is None:
        lines.append(f"({b}: the implementation's {name} table was not seen)")
    return lines
