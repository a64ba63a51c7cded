# SPDX-License-Identifier: GPL-2.0-only
"""SVG picture of the old table and the expected new table, from the
replay driver's JSON (no expected table where the harness asserts none).

Rows are groups, columns the 8 slots.  Only occupied and marked groups are
drawn; runs of other groups become one ellipsis row.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from . import hpte
from .replay import Facts, divergence_line

CELL_W, CELL_H = 58, 20
LABEL_W = 84
PANEL_GAP = 48
MARGIN = 16
TOP = 76
MAX_ROWS = 256
SHORT_GAP = 2   # gaps up to this many groups are drawn, not elided

FILL = {
    "empty": "#f7f7f7",
    "valid": "#9bd89b",
    "absent": "#a9cfe8",
    "bolted-valid": "#2e8b57",
    "bolted-absent": "#2f6aa8",
}
LEGEND = (
    ("valid", "valid"), ("absent", "absent"),
    ("bolted-valid", "bolted, valid"), ("bolted-absent", "bolted, absent"),
)


@dataclass
class Cell:
    state: str           # a FILL key
    label: str
    tooltip: str
    marks: list[str]     # CSS classes: diverging, expected, actual, collision, winner


@dataclass
class Panel:
    title: str
    table: str           # "old" or "new"
    ngroups: int
    cells: dict[int, Cell]   # index -> cell


def _state(v: int) -> str:
    if not hpte.is_used(v):
        return "empty"
    kind = "valid" if v & hpte.V_VALID else "absent"
    return f"bolted-{kind}" if v & hpte.V_BOLTED else kind


def _tip(index: int, v: int, r: int, record: int | None, extra: str = "") -> str:
    flags = " ".join(hpte.v_bit_names(v & 0x7F))
    who = f", record {record}" if record is not None else ""
    return (f"index {index:#x} (group {index // 8:#x} slot {index % 8}){who}: "
            f"v={v:#018x} r={r:#018x} {flags}{extra}")


def _cells(entries: list[Facts], kinds: list[str], mark_record: bool) -> dict[int, Cell]:
    cells = {}
    for e in entries:
        v, r = int(e["v"], 16), int(e["r"], 16)
        if not hpte.is_used(v):
            continue
        rec = e.get("record")
        label = "" if rec is None else (
            f"{kinds[rec]} #{rec}" if mark_record else f"#{rec}")
        cells[e["index"]] = Cell(_state(v), label, _tip(e["index"], v, r, rec), [])
    return cells


def _new_panel(facts: Facts, div_impl: Facts | None) -> tuple[Panel, str]:
    """The expected new table when the oracle asserts one, else the table
    the diverging implementation left, said to be only that."""
    oracle = facts.get("oracle") or {}
    order = facts["scenario"]["new_order"]
    kinds = [r["kind"] for r in facts["scenario"]["records"]]
    if oracle.get("new") is not None:
        return (Panel(f"expected new table, order {order}", "new",
                      hpte.nptegs(order), _cells(oracle["new"]["entries"], kinds, False)), "")
    why = ("some entries are judged by rules" if oracle and not oracle.get("predictable")
           else f"the resize is expected to fail (rc {oracle.get('rc_name', '?')})")
    given = ((div_impl or {}).get("expected") or {}).get("new")
    if given is not None:
        return (Panel(f"expected new table, order {order}, given where "
                      f"{div_impl['impl']} stopped", "new", hpte.nptegs(order),
                      _cells(given["entries"], kinds, False)), "")
    seen = ((div_impl or {}).get("tables") or {}).get("new")
    if seen is not None and seen.get("entries") is not None:
        return (Panel(f"new table {div_impl['impl']} left, order {seen['order']}",
                      "new", hpte.nptegs(seen["order"]),
                      _cells(seen["entries"], kinds, False)),
                f"no expected new table: {why}")
    return (Panel(f"no expected new table, order {order}", "new",
                  hpte.nptegs(order), {}), f"no expected new table: {why}")


def _panels(facts: Facts, div: tuple[Facts, Facts] | None) -> tuple[Panel, Panel, str]:
    oracle = facts.get("oracle") or {}
    sc = facts["scenario"]
    kinds = [r["kind"] for r in sc["records"]]
    before = (oracle.get("before") or {}).get("entries") or []
    old = Panel(f"old table, order {sc['old_order']}", "old",
                hpte.nptegs(sc["old_order"]), _cells(before, kinds, True))
    new, why = _new_panel(facts, div[0] if div else None)
    records = {i: e.get("record") for i, e in ((e["index"], e) for e in before)}

    def mark(panel: Panel, index: int | None, what: str, label: str = "") -> None:
        if index is None:
            return
        cell = panel.cells.get(index)
        if cell is None:
            cell = panel.cells[index] = Cell(
                "empty", label, f"index {index:#x} (group {index // 8:#x} "
                f"slot {index % 8}): empty", [])
        cell.marks.append(what)

    c = oracle.get("collision")
    if c is not None:
        mark(new, c["new_index"], "collision")
        if c.get("record") is not None:
            new.cells[c["new_index"]].label += f" \u2190#{c['record']}"
        mark(old, c["old_index"], "collision")
        mark(old, c["holder_index"], "winner")
    if div is not None:
        _, d = div
        mark(old, d.get("old_index"), "diverging")
        target = new if d["kind"] == "new-entry" else old
        mark(target, d.get("expected_index"), "expected", "expected")
        rec = records.get(d.get("old_index"))
        mark(target, d.get("actual_index"), "actual",
             f"actual #{rec}" if rec is not None else "actual")
    return old, new, why


def _rows(panel: Panel) -> list[tuple[str, int, int]]:
    """Rows to draw: ("group", g, g) or ("gap", first, last)."""
    occupied = sorted({i // hpte.SLOTS for i in panel.cells})
    marked = {i // hpte.SLOTS for i, c in panel.cells.items() if c.marks}
    short_gap = SHORT_GAP
    if len(occupied) > MAX_ROWS:
        short_gap = 0
        keep = set(sorted(marked)[:MAX_ROWS])
        for g in occupied:
            if len(keep) >= MAX_ROWS:
                break
            keep.add(g)
        occupied = sorted(keep)
    rows: list[tuple[str, int, int]] = []
    prev = -1
    for g in occupied + [panel.ngroups]:
        gap = g - prev - 1
        if 0 < gap <= short_gap:
            rows.extend(("group", x, x) for x in range(prev + 1, g))
        elif gap > short_gap:
            rows.append(("gap", prev + 1, g - 1))
        if g < panel.ngroups:
            rows.append(("group", g, g))
        prev = g
    return rows


def _gap_text(panel: Panel, first: int, last: int) -> str:
    hidden = sum(1 for i in panel.cells if first <= i // hpte.SLOTS <= last)
    count = last - first + 1
    what = f"{count} groups" if count > 1 else "1 group"
    tail = f", {hidden} entries not drawn" if hidden else " empty"
    return f"\u22ef groups {first:#x}\u2013{last:#x}: {what}{tail} \u22ef"


def _draw_panel(panel: Panel, x0: int, out: list[str]) -> int:
    """Draw a panel at x0; returns its height below TOP."""
    out.append(f'<g class="panel" data-table="{panel.table}">')
    out.append(f'<text x="{x0}" y="{TOP - 30}" class="title">'
               f'{escape(panel.title)}</text>')
    for s in range(hpte.SLOTS):
        out.append(f'<text x="{x0 + LABEL_W + s * CELL_W + CELL_W // 2}" '
                   f'y="{TOP - 8}" class="head">slot {s}</text>')
    y = TOP
    for kind, first, last in _rows(panel):
        if kind == "gap":
            out.append(f'<text x="{x0 + LABEL_W + 4 * CELL_W}" '
                       f'y="{y + CELL_H - 6}" class="gap">'
                       f'{escape(_gap_text(panel, first, last))}</text>')
            y += CELL_H
            continue
        out.append(f'<text x="{x0 + LABEL_W - 6}" y="{y + CELL_H - 6}" '
                   f'class="group">{first:#x}</text>')
        for s in range(hpte.SLOTS):
            index = first * hpte.SLOTS + s
            cell = panel.cells.get(index)
            x = x0 + LABEL_W + s * CELL_W
            classes = ["cell", cell.state if cell else "empty"]
            if cell:
                classes += cell.marks
            attrs = (f'class="{" ".join(classes)}" data-table="{panel.table}" '
                     f'data-index="{index:#x}" x="{x}" y="{y}" '
                     f'width="{CELL_W}" height="{CELL_H}" '
                     f'fill="{FILL[classes[1]]}"')
            tip = cell.tooltip if cell else f"index {index:#x}: empty"
            out.append(f'<rect {attrs}><title>{escape(tip)}</title></rect>')
            if cell and "collision" in cell.marks and panel.table == "new":
                out.append(f'<path class="cross" d="M{x + 3},{y + 3} '
                           f'L{x + CELL_W - 3},{y + CELL_H - 3} M{x + CELL_W - 3},'
                           f'{y + 3} L{x + 3},{y + CELL_H - 3}"/>')
            if cell and cell.label:
                light = classes[1].startswith("bolted")
                out.append(f'<text x="{x + CELL_W // 2}" y="{y + CELL_H - 6}" '
                           f'class="label{" light" if light else ""}">'
                           f'{escape(cell.label)}</text>')
        y += CELL_H
    out.append("</g>")
    return y - TOP


STYLE = """
text { font-family: monospace; font-size: 11px; fill: #222; }
text.title { font-size: 14px; font-weight: bold; }
text.head, text.label { text-anchor: middle; }
text.group { text-anchor: end; }
text.gap { text-anchor: middle; fill: #777; font-style: italic; }
text.light { fill: #fff; }
text.headline { font-size: 15px; font-weight: bold; }
text.fail { fill: #b00; font-weight: bold; }
rect.cell { stroke: #bbb; stroke-width: 1; }
rect.diverging, rect.actual { stroke: #d00; stroke-width: 3; }
rect.expected { stroke: #d00; stroke-width: 3; stroke-dasharray: 5 3; }
rect.collision { stroke: #e67e00; stroke-width: 3; }
rect.winner { stroke: #e67e00; stroke-width: 2; stroke-dasharray: 2 2; }
path.cross { stroke: #e67e00; stroke-width: 1.5; }
"""


def render(facts: Facts, div: tuple[Facts, Facts] | None, name: str,
           note: str = "") -> str:
    """The whole SVG document as a string."""
    old, new, why = _panels(facts, div)
    oracle = facts.get("oracle") or {}
    sc = facts["scenario"]
    body: list[str] = []
    panel_w = LABEL_W + hpte.SLOTS * CELL_W
    h_old = _draw_panel(old, MARGIN, body)
    h_new = _draw_panel(new, MARGIN + panel_w + PANEL_GAP, body)
    width = 2 * MARGIN + 2 * panel_w + PANEL_GAP
    y = TOP + max(h_old, h_new) + 28

    head = [f'<text x="{MARGIN}" y="22" class="headline">'
            f'{escape(name)}: {sc["layout"]} layout, '
            f'order {sc["old_order"]} \u2192 {sc["new_order"]}</text>']
    if not oracle:
        rc_text, rc_class = "no prediction: the driver could not run this scenario", "fail"
    elif not oracle["predictable"]:
        rc_text = (f"entries judged exactly: {oracle['nr_exact']} of "
                   f"{oracle['nr_exact'] + oracle['nr_rules']}: raw record "
                   f"{oracle['raw_record']} and others no VA explains are judged "
                   "by rules, no expected tables")
        rc_class = ""
    else:
        rc_class = "fail" if oracle["rc"] else ""
        rc_text = f"expected rc {oracle['rc_name']}"
        c = oracle.get("collision")
        if c is not None:
            rc_text += (f": bolted collision, old {c['old_index']:#x} finds new "
                        f"{c['new_index']:#x} taken by old {c['holder_index']:#x}; "
                        "the resize fails")
    foot = [f'<text x="{MARGIN}" y="{y}" class="{rc_class}">'
            f'{escape(rc_text)}</text>']
    y += 18
    for text_line, cls in (((divergence_line(*div) if div else ""), "fail"),
                           ((div[1]["message"] if div else ""), ""),
                           (why, ""), (note, "")):
        if text_line:
            foot.append(f'<text x="{MARGIN}" y="{y}" class="{cls}">{escape(text_line)}</text>')
            y += 18
    placement = facts.get("placement") or {"records": []}
    unplaced = [p["record"] for p in placement["records"]
                if p["kind"] == "va" and p.get("old_index") is None]
    if unplaced:
        names = ", ".join(f"#{r}" for r in unplaced[:20])
        more = "" if len(unplaced) <= 20 else f" and {len(unplaced) - 20} more"
        foot.append(f'<text x="{MARGIN}" y="{y}">not placed (H_PTEG_FULL): '
                    f'{escape(names + more)}</text>')
        y += 18
    # legend
    y += 6
    x = MARGIN
    for key, label in LEGEND:
        foot.append(f'<rect class="legend {key}" x="{x}" y="{y}" width="16" '
                    f'height="12" fill="{FILL[key]}" stroke="#888"/>')
        foot.append(f'<text x="{x + 22}" y="{y + 10}">{escape(label)}</text>')
        x += 40 + 8 * len(label)
    y += 20
    x = MARGIN
    for cls, label in (("diverging", "diverging entry / actual place"),
                       ("expected", "expected place"),
                       ("collision", "bolted collision"),
                       ("winner", "entry that keeps the slot")):
        foot.append(f'<rect class="legend cell {cls}" x="{x}" y="{y}" '
                    f'width="16" height="12" fill="#fff"/>')
        foot.append(f'<text x="{x + 22}" y="{y + 10}">{escape(label)}</text>')
        x += 40 + 7 * len(label)
    y += 24
    width = max(width, x + MARGIN)
    return "\n".join(
        ['<?xml version="1.0" encoding="UTF-8"?>',
         f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
         f'height="{y}" viewBox="0 0 {width} {y}">',
         f"<title>{escape(name)}</title>",
         f"<style>{STYLE}</style>",
         f'<rect x="0" y="0" width="{width}" height="{y}" fill="#fff"/>']
        + head + body + foot + ["</svg>", ""])

