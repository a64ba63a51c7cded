# SPDX-License-Identifier: GPL-2.0-only
"""Canonical text with '#' comments saying where each entry sits.

The text is the standard-library codec's (so `show` works without a
build); every comment about placement and fate is the replay driver's
(`hptfuzz-replay --json`), or absent when there is no driver.
"""
from __future__ import annotations

from . import text
from .model import Scenario
from .replay import Facts

FATES = {
    "moved": "moved to new {where}",
    "dropped": "dropped (not bolted)",
    "collided": "collides (bolted, its new slot {where} is taken): the resize fails",
    "untouched": "not reached (the resize stopped earlier)",
    "not-placed": "not placed (H_PTEG_FULL)",
    "rules": "bolted, no VA explains it: judged by rules",
    "failed": "the resize fails here",
    "none": "",
}


def _where(index: int) -> str:
    return f"index {index:#x} (group {index // 8:#x} slot {index % 8})"


def _comments(number: int, facts: Facts) -> list[str]:
    place = facts["placement"]["records"][number]
    oracle = facts.get("oracle") or {}
    fate = (oracle.get("records") or [{}] * (number + 1))[number]
    kind = place["kind"]
    if kind == "memslot":
        return [f"#   memslot {place['memslot']}"]
    lines = []
    if kind == "va" and fate.get("hash") is not None:
        lines.append(f"#   hash {fate['hash']:#x}")
    if place.get("old_index") is None:
        lines.append("#   not placed (H_PTEG_FULL)")
        return lines
    lines.append(f"#   old {_where(place['old_index'])}")
    if not oracle.get("predictable", False):
        return lines
    name = fate.get("fate")
    if name and FATES.get(name):
        new = fate.get("new_index")
        lines.append("#   -> " + FATES[name].format(
            where=_where(new) if new is not None else "?"))
    return lines


def _summary(facts: Facts) -> str:
    oracle = facts.get("oracle")
    if oracle is None:
        return "# oracle: none (the driver could not predict this scenario)"
    if not oracle["predictable"]:
        first = oracle["records"][oracle["raw_record"]]
        return (f"# oracle: entries judged exactly: {oracle['nr_exact']} of "
                f"{oracle['nr_exact'] + oracle['nr_rules']}; the others by rules, "
                f"first raw record {oracle['raw_record']} at old index "
                f"{oracle['rules_index']:#x} (no VA explains it: "
                f"{first['unexplained']}): no expected tables")
    fates = [r.get("fate") for r in oracle["records"]]
    return (f"# oracle: rc {oracle['rc_name']}; {fates.count('moved')} moved, "
            f"{fates.count('dropped')} dropped, {len(oracle['unmaps'])} unmapped")


def annotate(scen: Scenario, facts: Facts | None) -> str:
    """Canonical text plus the driver's comments (which parse as nothing)."""
    lines = text.header_lines(scen)
    if facts is None:
        lines.extend(text.format_record(r) for r in scen.records)
        lines.append("# (no replay driver: build the dev preset or pass "
                     "--replay for placement and fates)")
        return "\n".join(lines) + "\n"
    sc = facts["scenario"]
    if (sc["old_order"], sc["new_order"]) != (scen.old_order, scen.new_order):
        lines.append(f"# with the order cap {facts['max_order']} "
                     f"({facts['max_order_from']}): old-order {sc['old_order']} "
                     f"new-order {sc['new_order']}")
    placed = facts.get("placement")
    for number, rec in enumerate(scen.records):
        lines.append(text.format_record(rec))
        if placed is not None:
            lines.extend(_comments(number, facts))
    lines.append(_summary(facts))
    return "\n".join(lines) + "\n"
