# SPDX-License-Identifier: GPL-2.0-only
"""HPTE format facts the codec and the pictures need: layouts, segment
sizes, page size pairs (their codes and LP encodings), table geometry and
the names of V's flag bits.

Nothing here hashes, places or predicts: where entries go and what a
resize does are the C harness's to say (hptfuzz-replay --json).
"""
from __future__ import annotations

from dataclasses import dataclass

MIN_ORDER = 18
MAX_ORDER = 46
SLOTS = 8

LAYOUT_PRE300 = 0
LAYOUT_300 = 1
LAYOUT_NAMES = ("pre-3.0", "3.0")

SEG_256M = 0
SEG_1T = 1
SEG_NAMES = ("256M", "1T")
SEG_SHIFT = (28, 40)

# V doubleword flag bits (the same in both layouts)
V_HVLOCK = 0x40
V_ABSENT = 0x20
V_BOLTED = 0x10
V_LOCK = 0x08
V_LARGE = 0x04
V_SECONDARY = 0x02
V_VALID = 0x01

RPN_BITS = 40

# Names of V bits for pictures (bit mask, name)
V_BIT_NAMES = (
    (V_VALID, "VALID"), (V_SECONDARY, "H"), (V_LARGE, "L"), (V_LOCK, "LOCK"),
    (V_BOLTED, "BOLTED"), (V_ABSENT, "ABSENT"), (V_HVLOCK, "HVLOCK"),
)


@dataclass(frozen=True)
class PagePair:
    """A (base, actual) page size pair and its LP encoding in R."""
    name: str
    base_shift: int
    actual_shift: int
    large: bool
    lp: int
    lphi: int

    @property
    def lp_bits(self) -> int:
        return (self.lp << 12) | (self.lphi << 16) if self.large else 0


# Binary code order (page byte % 7)
PAGE_PAIRS = (
    PagePair("4K/4K", 12, 12, False, 0, 0),
    PagePair("64K/64K", 16, 16, True, 1, 0),
    PagePair("16M/16M", 24, 24, True, 0, 0),
    PagePair("16G/16G", 34, 34, True, 3, 0),
    PagePair("4K/64K", 12, 16, True, 7, 0),
    PagePair("64K/16M", 16, 24, True, 8, 0),
    PagePair("4K/16M", 12, 24, True, 8, 3),
)
PAGE_16G = 3
PAGE_BY_NAME = {p.name: i for i, p in enumerate(PAGE_PAIRS)}


def order_valid(order: int) -> bool:
    return MIN_ORDER <= order <= MAX_ORDER


def npte(order: int) -> int:
    return 1 << (order - 4)


def nptegs(order: int) -> int:
    return 1 << (order - 7)


def vsid_bits(layout: int, seg: int) -> int:
    """Width of a VSID: AVPN bits + 23 - segment shift."""
    avpn_bits = 55 if layout == LAYOUT_PRE300 else 45
    return avpn_bits + 23 - SEG_SHIFT[seg]


def is_used(v: int) -> bool:
    return bool(v & (V_VALID | V_ABSENT))


def v_bit_names(mask: int) -> list[str]:
    """Names of the V flag bits in mask."""
    return [name for bit, name in V_BIT_NAMES if mask & bit]
