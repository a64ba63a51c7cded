# SPDX-License-Identifier: GPL-2.0-only
"""HPTE format facts: bits, page sizes, layouts, geometry and the hash.

Everything here follows the project's HPT facts document; nothing calls
into the C code, so the Python view is an independent reading.
"""
from __future__ import annotations

from dataclasses import dataclass

MIN_ORDER = 18
MAX_ORDER = 46
SLOTS = 8
DEFAULT_MAX_ORDER = 19

LAYOUT_PRE300 = 0
LAYOUT_300 = 1
LAYOUT_NAMES = ("pre-3.0", "3.0")

SEG_256M = 0
SEG_1T = 1
SEG_NAMES = ("256M", "1T")
SEG_SHIFT = (28, 40)

# V doubleword (pre-ISA-3.0 layout)
V_SSIZE_SHIFT = 62
V_AVPN = 0x3FFFFFFFFFFFFF80
V_HVLOCK = 0x40
V_ABSENT = 0x20
V_BOLTED = 0x10
V_LOCK = 0x08
V_LARGE = 0x04
V_SECONDARY = 0x02
V_VALID = 0x01

# R doubleword
R_PP0 = 0x8000000000000000
R_KEY_HI = 0x3000000000000000
R_RPN = 0x0FFFFFFFFFFFF000
R_KEY_LO = 0x0000000000000E00
R_KEY = R_KEY_HI | R_KEY_LO
R_R = 0x100
R_C = 0x80
R_HW_RPN_FLIP = 1 << 52  # RPN bit 40: hardware R differs from guest R here

# ISA 3.0 layout
V_COMMON = 0x000FFFFFFFFFFFFF
R_30_SSIZE_SHIFT = 58
R_30_SSIZE = 3 << R_30_SSIZE_SHIFT

U64 = (1 << 64) - 1
HASH_MASK = (1 << 39) - 1
RPN_BITS = 40

# Names of V bits for reports (bit mask, name)
V_BIT_NAMES = (
    (V_VALID, "VALID"), (V_SECONDARY, "H"), (V_LARGE, "L"), (V_LOCK, "LOCK"),
    (V_BOLTED, "BOLTED"), (V_ABSENT, "ABSENT"), (V_HVLOCK, "HVLOCK"),
)

EIO = -5
ENOSPC = -28
EDEADLK = -35
RC_NAMES = {0: "0", EIO: "-EIO", ENOSPC: "-ENOSPC", EDEADLK: "-EDEADLK"}


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


def hash_mask(order: int) -> int:
    return nptegs(order) - 1


def cap_order(order: int, cap: int) -> int:
    """The order a fuzz target uses for a stored order, given its cap."""
    if order <= cap:
        return order
    return MIN_ORDER + (order - MIN_ORDER) % (cap - MIN_ORDER + 1)


def vsid_bits(layout: int, seg: int) -> int:
    """Width of a VSID: AVPN bits + 23 - segment shift."""
    avpn_bits = 55 if layout == LAYOUT_PRE300 else 45
    return avpn_bits + 23 - SEG_SHIFT[seg]


def va_hash(seg: int, vsid: int, ea: int, base_shift: int) -> int:
    """The 39-bit hash of a virtual address at a base page size."""
    page = ea >> base_shift
    if seg == SEG_256M:
        h = vsid ^ page
    else:
        h = vsid ^ (vsid << 25) ^ page
    return h & HASH_MASK


def group_of(hash_value: int, secondary: bool, order: int) -> int:
    """Primary (hash) or secondary (~hash) group in a table of order."""
    return (~hash_value if secondary else hash_value) & hash_mask(order)


def avpn_of(seg: int, vsid: int, ea: int, base_shift: int) -> int:
    va = (vsid << SEG_SHIFT[seg]) | ea
    avpn = va >> 23
    return avpn & ~(((1 << base_shift) - 1) >> 23)


def decode_psize(v: int, r: int) -> tuple[int, int]:
    """(base_shift, actual_shift) of a pre-3.0 V and an R; (0, 0) if the
    encoding is not one KVM accepts."""
    if not v & V_LARGE:
        return 12, 12
    lp = (r >> 12) & 0xF
    lphi = (r >> 16) & 0xF
    if lp == 0 and lphi == 0:
        return 24, 24
    if lp == 1:
        return 16, 16
    if lp == 3 and lphi == 0:
        return 34, 34
    if lp == 7:
        return 12, 16
    if lp == 8 and lphi == 0:
        return 16, 24
    if lp == 8 and lphi == 3:
        return 12, 24
    return 0, 0


def gfn_of(guest_r: int, actual_shift: int) -> int:
    return (guest_r & R_RPN & ~((1 << actual_shift) - 1)) >> 12


def to_layout(layout: int, v: int, r: int) -> tuple[int, int]:
    """Pre-3.0 words to the words stored in a table of the layout."""
    if layout == LAYOUT_PRE300:
        return v, r
    b = (v >> V_SSIZE_SHIFT) << R_30_SSIZE_SHIFT
    return v & V_COMMON, (r & ~R_30_SSIZE & U64) | b


def from_layout(layout: int, v: int, r: int) -> tuple[int, int]:
    """Stored words of a table of the layout to the pre-3.0 form."""
    if layout == LAYOUT_PRE300:
        return v, r
    b = (r & R_30_SSIZE) << (V_SSIZE_SHIFT - R_30_SSIZE_SHIFT)
    return (v & V_COMMON) | b, r & ~R_30_SSIZE & U64


def is_used(v: int) -> bool:
    return bool(v & (V_VALID | V_ABSENT))


def v_bit_names(mask: int) -> list[str]:
    """Names of the V flag bits in mask, then AVPN/B if those differ."""
    names = [name for bit, name in V_BIT_NAMES if mask & bit]
    if mask & V_AVPN:
        names.append("AVPN")
    if mask & (3 << V_SSIZE_SHIFT):
        names.append("B")
    return names


def r_bit_names(mask: int) -> list[str]:
    names = []
    for bits, name in ((R_PP0 | 3, "PP"), (R_KEY, "KEY"), (R_RPN, "RPN/LP"),
                       (R_R, "R"), (R_C, "C"), (0x78, "WIMG"), (0x4, "N"),
                       (R_30_SSIZE, "B(3.0)")):
        if mask & bits:
            names.append(name)
    return names


def rc_name(rc: int) -> str:
    return RC_NAMES.get(rc, str(rc))
