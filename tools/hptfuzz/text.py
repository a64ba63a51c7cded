# SPDX-License-Identifier: GPL-2.0-only
"""Text scenario encoding (.hpt): a strict parser and the canonical printer."""
from __future__ import annotations

import re
from typing import Callable

from . import hpte
from .errors import ScenarioError
from .model import (HOST_BOTH, HOST_MASK, MAX_ENTRIES, MAX_MEMSLOTS, NPAGES_MAX,
                    RBITS_MASK, Memslot, RawEntry, Record, Scenario, VaEntry,
                    canonical_host, canonical_va)

MAGIC = "hptfuzz-scenario"
VERSION = 1
HEADER_KEYS = ("layout", "old-order", "new-order")
VA_KEYS = ("seg", "vsid", "ea", "page", "state", "bolted", "group", "slot",
           "rpn", "rbits")
RAW_KEYS = ("index", "v", "r", "guest-r")
MEMSLOT_KEYS = ("base", "npages")
RECORD_KEYS = {"va": VA_KEYS, "raw": RAW_KEYS, "memslot": MEMSLOT_KEYS}

_NUMBER = re.compile(r"0x[0-9a-fA-F]+|[0-9]+")


def is_text(data: bytes) -> bool:
    return data.startswith(MAGIC.encode())


# ---------------------------------------------------------------- printer

def format_record(rec: Record) -> str:
    if isinstance(rec, VaEntry):
        return ("va seg={} vsid={:#x} ea={:#x} page={} state={} bolted={} "
                "group={} slot={} rpn={:#x} rbits={:#x}").format(
            hpte.SEG_NAMES[rec.seg], rec.vsid, rec.ea, rec.pair.name,
            "valid" if rec.valid else "absent", int(rec.bolted),
            "secondary" if rec.secondary else "primary",
            "first" if rec.slot is None else rec.slot, rec.rpn, rec.rbits) + (
            f" host={rec.host:#x}" if rec.host else "")
    if isinstance(rec, RawEntry):
        return "raw index={:#x} v={:#x} r={:#x} guest-r={:#x}".format(
            rec.index, rec.v, rec.r, rec.guest_r)
    return f"memslot base={rec.base:#x} npages={rec.npages}"


def header_lines(scen: Scenario) -> list[str]:
    return [f"{MAGIC} {VERSION}",
            f"layout {hpte.LAYOUT_NAMES[scen.layout]}",
            f"old-order {scen.old_order}",
            f"new-order {scen.new_order}"]


def format_scenario(scen: Scenario) -> str:
    lines = header_lines(scen) + [format_record(r) for r in scen.records]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- parser

class _Line:
    def __init__(self, number: int, words: list[str]) -> None:
        self.number = number
        self.words = words

    def error(self, field: str, msg: str) -> ScenarioError:
        return ScenarioError(msg, line=self.number, field=field)


def _number(line: _Line, field: str, text: str, limit: int) -> int:
    """A decimal or 0x-hex number below limit."""
    if not _NUMBER.fullmatch(text):
        raise line.error(field, f"'{text}' is not a number (decimal or 0x hex)")
    value = int(text, 0) if text.startswith("0x") else int(text, 10)
    if value >= limit:
        top = f"{limit - 1}" if limit <= 0x10000 else f"{limit - 1:#x}"
        raise line.error(field, f"{text} out of range 0..{top}")
    return value


def _choice(line: _Line, field: str, text: str, choices: tuple[str, ...]) -> int:
    if text not in choices:
        raise line.error(field, f"'{text}' is not one of {', '.join(choices)}")
    return choices.index(text)


def _order(line: _Line, field: str, text: str) -> int:
    value = _number(line, field, text, 1 << 64)
    if not hpte.order_valid(value):
        raise line.error(field, f"order {value} out of range "
                         f"{hpte.MIN_ORDER}..{hpte.MAX_ORDER}")
    return value


def _fields(line: _Line, keys: tuple[str, ...]) -> dict[str, str]:
    """key=value words, exactly the keys in order."""
    args = line.words[1:]
    values: dict[str, str] = {}
    for i, key in enumerate(keys):
        if i >= len(args):
            raise line.error(key, "missing")
        name, eq, value = args[i].partition("=")
        if not eq:
            raise line.error(key, f"expected '{key}=VALUE', got '{args[i]}'")
        if name != key:
            if name in keys or name in values:
                raise line.error(key, f"expected '{key}=' here, got '{name}=' "
                                 "(fields go in the documented order)")
            raise line.error(name, f"unknown field for '{line.words[0]}'")
        if not value:
            raise line.error(key, "empty value")
        values[key] = value
    if len(args) > len(keys):
        extra = args[len(keys)].partition("=")[0]
        raise line.error(extra, "unexpected extra field")
    return values


def _check_canonical(line: _Line, field: str, given: int, canon: int,
                     why: str) -> None:
    if given != canon:
        raise line.error(field, f"{given:#x} is not canonical ({why}; "
                         f"would be {canon:#x})")


def _parse_va(line: _Line, layout: int) -> VaEntry:
    # host= is optional and last: older files never have it
    host = 0
    if len(line.words) > len(VA_KEYS) + 1 and line.words[-1].startswith("host="):
        host = _number(line, "host", line.words[-1][5:], 1 << 64)
        line = _Line(line.number, line.words[:-1])
    f = _fields(line, VA_KEYS)
    seg = _choice(line, "seg", f["seg"], hpte.SEG_NAMES)
    page_names = tuple(p.name for p in hpte.PAGE_PAIRS)
    page = _choice(line, "page", f["page"], page_names)
    if page == hpte.PAGE_16G and seg != hpte.SEG_1T:
        raise line.error("seg", "a 16G/16G page needs seg=1T")
    vsid = _number(line, "vsid", f["vsid"], 1 << 64)
    ea = _number(line, "ea", f["ea"], 1 << 64)
    valid = _choice(line, "state", f["state"], ("absent", "valid"))
    bolted = _choice(line, "bolted", f["bolted"], ("0", "1"))
    secondary = _choice(line, "group", f["group"], ("primary", "secondary"))
    if f["slot"] == "first":
        slot = None
    else:
        slot = _number(line, "slot", f["slot"], 8)
    rpn = _number(line, "rpn", f["rpn"], 1 << 64)
    rbits = _number(line, "rbits", f["rbits"], 1 << 16)
    _, cvsid, cea, crpn, crbits = canonical_va(layout, seg, page, vsid, ea,
                                               rpn, rbits)
    bits = hpte.vsid_bits(layout, seg)
    _check_canonical(line, "vsid", vsid, cvsid,
                     f"{bits} bits for {hpte.SEG_NAMES[seg]} segments, "
                     f"layout {hpte.LAYOUT_NAMES[layout]}")
    pair = hpte.PAGE_PAIRS[page]
    _check_canonical(line, "ea", ea, cea,
                     f"within the {hpte.SEG_NAMES[seg]} segment, aligned to "
                     f"the {pair.name.split('/')[1]} actual page")
    _check_canonical(line, "rpn", rpn, crpn,
                     f"40 bits, aligned to the {pair.name.split('/')[1]} "
                     "actual page")
    _check_canonical(line, "rbits", rbits, crbits,
                     f"bit 14 is not used; mask {RBITS_MASK:#x}")
    _check_canonical(line, "host", host, host & HOST_MASK,
                     "only bits 0..8 exist")
    chost, cvalid = canonical_host(host, bool(valid))
    _check_canonical(line, "host", host, chost, "a bit both set and cleared")
    if cvalid != bool(valid):
        raise line.error("state", f"host bit {HOST_BOTH:#x} (VALID and ABSENT) "
                         "needs state=valid")
    return VaEntry(seg=seg, vsid=vsid, ea=ea, page=page, valid=bool(valid),
                   bolted=bool(bolted), secondary=bool(secondary), slot=slot,
                   rpn=rpn, rbits=rbits, host=host)


def _parse_raw(line: _Line, old_order: int) -> RawEntry:
    f = _fields(line, RAW_KEYS)
    index = _number(line, "index", f["index"], hpte.npte(old_order))
    return RawEntry(index=index,
                    v=_number(line, "v", f["v"], 1 << 64),
                    r=_number(line, "r", f["r"], 1 << 64),
                    guest_r=_number(line, "guest-r", f["guest-r"], 1 << 64))


def _parse_memslot(line: _Line) -> Memslot:
    f = _fields(line, MEMSLOT_KEYS)
    return Memslot(base=_number(line, "base", f["base"], 1 << hpte.RPN_BITS),
                   npages=_number(line, "npages", f["npages"], NPAGES_MAX + 1))


def _lines(text: str) -> list[_Line]:
    out = []
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw.split("#", 1)[0].strip()
        if body:
            out.append(_Line(number, body.split()))
    return out


def parse(data: bytes) -> Scenario:
    """Parse a text scenario strictly; errors name the line and field."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        line_no = data[:exc.start].count(b"\n") + 1
        raise ScenarioError("not ASCII text", line=line_no, field="text") from None
    if text.endswith("\n"):
        last_line = text.count("\n")
    else:
        last_line = text.count("\n") + 1
    lines = _lines(text)
    if not lines or lines[0].number != 1 or lines[0].words[0] != MAGIC:
        raise ScenarioError(f"the first line must be '{MAGIC} {VERSION}'",
                            line=1, field="version")
    first = lines[0]
    if len(first.words) != 2:
        raise first.error("version", f"expected '{MAGIC} {VERSION}'")
    version = _number(first, "version", first.words[1], 1 << 64)
    if version != VERSION:
        raise first.error("version", f"unknown version {version} "
                          f"(this tool reads version {VERSION})")

    header: list[int] = []
    parsers: tuple[Callable[[_Line, str, str], int], ...] = (
        lambda ln, k, v: _choice(ln, k, v, hpte.LAYOUT_NAMES), _order, _order)
    for i, key in enumerate(HEADER_KEYS):
        if i + 1 >= len(lines):
            raise ScenarioError(f"missing (the file ends at line {last_line})",
                                line=last_line, field=key)
        line = lines[i + 1]
        if line.words[0] != key:
            raise line.error(key, f"expected '{key}' here, got "
                             f"'{line.words[0]}'")
        if len(line.words) != 2:
            raise line.error(key, f"expected '{key} VALUE'")
        header.append(parsers[i](line, key, line.words[1]))
    layout, old_order, new_order = header

    records: list[Record] = []
    entries = memslots = 0
    for line in lines[1 + len(HEADER_KEYS):]:
        keyword = line.words[0]
        if keyword == "va" or keyword == "raw":
            entries += 1
            if entries > MAX_ENTRIES:
                raise line.error(keyword, f"more than {MAX_ENTRIES} entries")
            records.append(_parse_va(line, layout) if keyword == "va"
                           else _parse_raw(line, old_order))
        elif keyword == "memslot":
            memslots += 1
            if memslots > MAX_MEMSLOTS:
                raise line.error(keyword, f"more than {MAX_MEMSLOTS} memslots")
            records.append(_parse_memslot(line))
        elif keyword in HEADER_KEYS or keyword == MAGIC:
            raise line.error(keyword, "header line repeated or out of order")
        else:
            raise line.error("keyword", f"unknown keyword '{keyword}' "
                             "(expected va, raw or memslot)")
    return Scenario(layout, old_order, new_order, tuple(records))
