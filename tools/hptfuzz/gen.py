# SPDX-License-Identifier: GPL-2.0-only
"""Seed scenarios over the feature matrix, deterministic for a seed.

Families:
- matrix: layout x segment x page pair x grow/shrink x memslot present or
  absent, each holding the 8 entries primary/secondary x bolted or not x
  valid/absent;
- collision: shrinks where two bolted entries of different old groups meet
  in one slot of the new table (layout x segment x page pair x group);
- full: a group filled past 8 entries (H_PTEG_FULL);
- raw: hand-made words, correct or corrupted one way each;
- mixed: random mixes, to reach the requested count.

To aim seeds at a feature (two bolted entries meeting in one new slot, a
raw copy of an entry in its own group, a seed's old table as raw words),
the generator asks the C harness (`hptfuzz-replay --json`) where entries
go: nothing here hashes or places an entry.  So `gen` needs a built
driver, and gives the same bytes for the same seed with any build of it.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import tempfile
from dataclasses import dataclass, replace
from typing import Any

from . import binary, hpte
from .errors import HptError
from .model import Memslot, RawEntry, Record, Scenario, VaEntry, canonical_va

SEGS = (hpte.SEG_256M, hpte.SEG_1T)
LAYOUTS = (hpte.LAYOUT_PRE300, hpte.LAYOUT_300)
DEFAULT_COUNT = 200
MEMSLOT_PAGES = 0xFFFF
# The C harness aims the seeds in tables it builds in memory: up to order
# 26 (64 MB) a seed set takes seconds, at 30 minutes
MAX_ORDER = 26

# ------------------------------------------------------------ aiming

_U64 = (1 << 64) - 1
_R_RPN = 0x0FFFFFFFFFFFF000
_V_B_PRE300 = 3 << 62       # segment size: in V before ISA 3.0...
_R_B_300 = 3 << 58          # ...and in R from it
_LP_MASK = 0xFF000          # LP, in R bits 12..19 in both layouts
_TIMEOUT = 300


class Judge:
    """The C harness's view of scenarios, asked in batches: one
    `hptfuzz-replay --json --impl none` run over a directory of them, at
    their stored orders."""

    def __init__(self, driver: str) -> None:
        self.driver = driver

    def facts(self, scens: list[Scenario]) -> list[dict[str, Any]]:
        if not scens:
            return []
        with tempfile.TemporaryDirectory(prefix="hptfuzz-gen-") as d:
            for i, scen in enumerate(scens):
                with open(os.path.join(d, f"{i:06d}"), "wb") as f:
                    f.write(binary.encode(scen))
            try:
                proc = subprocess.run(
                    [self.driver, "--json", "--impl", "none",
                     "--max-order", str(hpte.MAX_ORDER), d],
                    stdin=subprocess.DEVNULL, capture_output=True,
                    timeout=_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise HptError(f"cannot run the replay driver: {exc}",
                               where=self.driver) from None
        out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
        if proc.returncode not in (0, 1) or len(out) != len(scens) or \
                any(f.get("oracle") is None for f in out):
            raise HptError("the replay driver did not judge the seeds "
                           f"(exit {proc.returncode}): "
                           f"{proc.stderr.decode().strip()[-200:]}",
                           where=self.driver)
        return out


def _entries(table: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """(index, V, R, guest R) of a JSON table, words as stored."""
    return [(e["index"], int(e["v"], 16), int(e["r"], 16),
             int(e["guest_r"], 16)) for e in table["entries"]]

@dataclass
class Seed:
    family: str
    features: str
    scenario: Scenario

    @property
    def data(self) -> bytes:
        return binary.encode(self.scenario)

    @property
    def name(self) -> str:
        return hashlib.sha1(self.data).hexdigest()


class _Gen:
    def __init__(self, seed: int, max_order: int, judge: Judge) -> None:
        self.rng = random.Random(seed)
        self.max_order = max_order
        self.judge = judge

    def orders(self, direction: str) -> tuple[int, int]:
        lo, hi = hpte.MIN_ORDER, self.max_order
        a = self.rng.randint(lo, hi - 1)
        b = self.rng.randint(a + 1, hi)
        return (a, b) if direction == "grow" else (b, a)

    def memslot(self) -> Memslot:
        # aligned for a 16G page (2^22 frames), clear of the 40-bit limit
        return Memslot(self.rng.randrange(0, (1 << 18) - 1) << 22, MEMSLOT_PAGES)

    def rpn(self, slot: Memslot | None) -> int:
        if slot is None:
            return self.rng.getrandbits(hpte.RPN_BITS)
        return slot.base + self.rng.randrange(MEMSLOT_PAGES)

    def va(self, layout: int, seg: int, page: int, *, secondary: bool,
           bolted: bool, valid: bool, slot: Memslot | None,
           exact: int | None = -1) -> VaEntry:
        if exact == -1:
            exact = None if self.rng.random() < 0.75 else self.rng.randrange(8)
        seg, vsid, ea, rpn, rbits = canonical_va(
            layout, seg, page, self.rng.getrandbits(64),
            self.rng.getrandbits(64), self.rpn(slot),
            self.rng.getrandbits(16))
        return VaEntry(seg=seg, vsid=vsid, ea=ea, page=page, valid=valid,
                       bolted=bolted, secondary=secondary, slot=exact,
                       rpn=rpn, rbits=rbits)

    def shuffled(self, records: list[Record]) -> list[Record]:
        self.rng.shuffle(records)
        return records


def _cells() -> list[tuple[int, int, int]]:
    """(layout, segment, page pair) combinations that exist."""
    return [(layout, seg, page) for layout in LAYOUTS for seg in SEGS
            for page in range(len(hpte.PAGE_PAIRS))
            if not (page == hpte.PAGE_16G and seg == hpte.SEG_256M)]


def _desc(layout: int, seg: int, page: int) -> str:
    return (f"{hpte.LAYOUT_NAMES[layout]} {hpte.SEG_NAMES[seg]} "
            f"{hpte.PAGE_PAIRS[page].name}")


def _matrix(g: _Gen) -> list[Seed]:
    out = []
    for layout, seg, page in _cells():
        for direction in ("grow", "shrink"):
            for memslot in (True, False):
                old, new = g.orders(direction)
                slot = g.memslot() if memslot else None
                records: list[Record] = [slot] if slot else []
                for secondary in (False, True):
                    for bolted in (False, True):
                        for valid in (False, True):
                            records.append(g.va(layout, seg, page,
                                                secondary=secondary,
                                                bolted=bolted, valid=valid,
                                                slot=slot))
                feats = (f"{_desc(layout, seg, page)} {direction} "
                         f"memslot={'yes' if memslot else 'no'}")
                out.append(Seed("matrix", feats,
                                Scenario(layout, old, new, tuple(records))))
    return out


def _partner(g: _Gen, a: VaEntry, layout: int, old: int, new: int,
             slot: Memslot | None) -> VaEntry | None:
    """A VA entry like a, a bit of its VSID or EA flipped where the new
    table's group bits come from, that the C oracle says collides with a
    when the table shrinks from old to new (same new slot, another old
    group); the first in a shuffled order."""
    pair = a.pair
    vbits = hpte.vsid_bits(layout, a.seg)
    candidates: list[VaEntry] = []
    for k in range(new - 7, old - 7):
        if k < vbits:
            candidates.append(replace(a, vsid=a.vsid ^ (1 << k)))
        bit = k + pair.base_shift
        if pair.actual_shift <= bit < hpte.SEG_SHIFT[a.seg]:
            candidates.append(replace(a, ea=a.ea ^ (1 << bit)))
    g.rng.shuffle(candidates)
    extra: tuple[Record, ...] = (slot,) if slot else ()
    facts = g.judge.facts([Scenario(layout, old, new, extra + (a, b))
                           for b in candidates])
    for b, f in zip(candidates, facts):
        if f["oracle"]["collision"] is not None:
            return b
    return None


def _collisions(g: _Gen) -> list[Seed]:
    out = []
    for layout, seg, page in _cells():
        for secondary in (False, True):
            old, new = g.orders("shrink")
            slot = g.memslot() if g.rng.random() < 0.5 else None
            exact = g.rng.randrange(8)
            a = g.va(layout, seg, page, secondary=secondary, bolted=True,
                     valid=g.rng.random() < 0.5, slot=slot, exact=exact)
            b = _partner(g, a, layout, old, new, slot)
            if b is None:
                continue
            b = replace(b, valid=g.rng.random() < 0.5)
            filler = g.va(layout, seg, page, secondary=not secondary,
                          bolted=False, valid=True, slot=slot)
            records: list[Record] = g.shuffled([a, b, filler])
            if slot:
                records.insert(0, slot)
            feats = (f"{_desc(layout, seg, page)} shrink collision "
                     f"{'secondary' if secondary else 'primary'} slot {exact}")
            out.append(Seed("collision", feats,
                            Scenario(layout, old, new, tuple(records))))
    return out


def _full(g: _Gen) -> list[Seed]:
    out = []
    for layout in LAYOUTS:
        for direction in ("grow", "shrink"):
            old, new = g.orders(direction)
            a = g.va(layout, hpte.SEG_256M, 0, secondary=False, bolted=True,
                     valid=True, slot=None, exact=None)
            records: list[Record] = []
            for i in range(10):
                records.append(replace(a, bolted=i % 2 == 0, valid=i % 3 != 0,
                                       slot=None if i != 9 else 3))
            out.append(Seed("full", f"{hpte.LAYOUT_NAMES[layout]} {direction} "
                            "group filled past 8 entries",
                            Scenario(layout, old, new, tuple(records))))
    return out


def _raw(g: _Gen) -> list[Seed]:
    """Raw words: a correct copy of a VA entry, then one corruption each."""
    out = []
    for layout in LAYOUTS:
        old, new = g.orders("grow" if layout == hpte.LAYOUT_PRE300 else "shrink")
        e = g.va(layout, hpte.SEG_256M, 1, secondary=False, bolted=True,
                 valid=True, slot=None, exact=None)
        # Its words and group as the C generator makes them
        facts = g.judge.facts([Scenario(layout, old, new, (e,))])[0]
        (_, v, r, gr), = _entries(facts["oracle"]["before"])
        index = facts["placement"]["records"][0]["group"] * 8 + g.rng.randrange(8)
        # the group's top bit is above the bits a 64K page takes from it
        wrong = index ^ (hpte.SLOTS << (old - 8))
        if layout == hpte.LAYOUT_PRE300:
            reserved = (v | (2 << 62), r)
        else:
            reserved = (v, (r & ~_R_B_300 & _U64) | (2 << 58))
        variants = (
            ("correct copy", index, v, r, gr),
            ("invalid LP in R", index, v, (r & ~_LP_MASK) | 0x5000, gr),
            ("invalid LP in guest R", index, v, r, (gr & ~_LP_MASK) | 0x5000),
            ("reserved segment size", index, *reserved, gr),
            ("wrong group", wrong, v, r, gr),
            ("HVLOCK held", index, v | hpte.V_HVLOCK, r, gr),
        )
        for what, idx, vv, rr, gg in variants:
            records: list[Record] = [g.memslot(), RawEntry(idx, vv, rr, gg)]
            out.append(Seed("raw", f"{hpte.LAYOUT_NAMES[layout]} raw {what}",
                            Scenario(layout, old, new, tuple(records))))
    return out


# The raw_table target's one memslot (scenario/raw_words.c): frames 0..0xfffe
RAW_TABLE_MEMSLOT = Memslot(0, MEMSLOT_PAGES)
_FRAME_BLOCK = 1 << 16


def raw_table_words(scen: Scenario, facts: dict[str, Any]) -> bytes:
    """A seed's old table as raw_table input (binary.raw_words): the table
    the C generator builds (facts: Judge.facts() of the scenario).

    That form has one memslot of its own, at frame 0.  In a scenario with
    memslots, each entry's frame moves into it, keeping its offset in its
    64K-frame block (its offset in its memslot, which gen starts
    2^22-aligned; bits below also keep LP): VALID words then take the rmap
    path there as they do in the scenario, and the raw seeds' one
    corruption is the only thing wrong with them.  Hardware and guest R
    move alike, so they still differ where they did.  Without memslots,
    frames stay where they are, outside it."""
    move_frames = bool(scen.memslots)
    words = []
    for index, v, r, guest_r in _entries(facts["oracle"]["before"]):
        if move_frames:
            gfn = (guest_r & _R_RPN) >> 12
            delta = (gfn & ~(_FRAME_BLOCK - 1)) << 12
            r, guest_r = r ^ delta, guest_r ^ delta
        words.append((index, v, r, guest_r))
    return binary.raw_words(scen, words)


def _mixed(g: _Gen, n: int) -> list[Seed]:
    out = []
    cells = _cells()
    for i in range(n):
        layout = g.rng.choice(LAYOUTS)
        old, new = g.orders(g.rng.choice(("grow", "shrink")))
        slot = g.memslot() if g.rng.random() < 0.7 else None
        records: list[Record] = [slot] if slot else []
        for _ in range(g.rng.randint(1, 24)):
            _, seg, page = g.rng.choice([c for c in cells if c[0] == layout])
            records.append(g.va(layout, seg, page,
                                secondary=g.rng.random() < 0.5,
                                bolted=g.rng.random() < 0.5,
                                valid=g.rng.random() < 0.5, slot=slot))
        out.append(Seed("mixed", f"{hpte.LAYOUT_NAMES[layout]} mix {i}",
                        Scenario(layout, old, new, tuple(records))))
    return out


def generate(seed: int, count: int, max_order: int, judge: Judge) -> list[Seed]:
    """count seed scenarios (fixed families first, evenly thinned if count
    is smaller; random mixes after them if larger)."""
    g = _Gen(seed, max_order, judge)
    fixed = _matrix(g) + _collisions(g) + _full(g) + _raw(g)
    if count <= len(fixed):
        seeds = [fixed[i * len(fixed) // count] for i in range(count)]
    else:
        seeds = fixed + _mixed(g, count - len(fixed))
    unique: dict[str, Seed] = {}
    for s in seeds:
        unique.setdefault(s.name, s)
    return list(unique.values())
