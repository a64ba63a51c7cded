# SPDX-License-Identifier: GPL-2.0-only
"""The scenario data model shared by every encoding and view."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from . import hpte

MAX_ENTRIES = 4096
MAX_MEMSLOTS = 16
RBITS_MASK = 0xBFFF  # bit 14 ignored
NPAGES_MAX = 0xFFFF

# The host field of a VA entry (docs/scenario-format.md)
HOST_SET_R, HOST_SET_C, HOST_CLEAR_R, HOST_CLEAR_C = 0x001, 0x002, 0x004, 0x008
HOST_BOTH = 0x100
HOST_MASK = 0x1FF


def canonical_host(host: int, valid: bool) -> tuple[int, bool]:
    """(host, valid) as the decoders make them: a set bit wins over the
    same clear bit, and VALID|ABSENT ('both') makes the entry VALID."""
    host &= HOST_MASK
    if host & HOST_SET_R:
        host &= ~HOST_CLEAR_R
    if host & HOST_SET_C:
        host &= ~HOST_CLEAR_C
    return host, valid or bool(host & HOST_BOTH)


@dataclass(frozen=True)
class VaEntry:
    """An entry described by its virtual address (the oracle knows it)."""
    seg: int            # hpte.SEG_256M or hpte.SEG_1T
    vsid: int
    ea: int             # offset within the segment
    page: int           # index into hpte.PAGE_PAIRS
    valid: bool         # VALID, else ABSENT
    bolted: bool
    secondary: bool
    slot: int | None    # exact slot 0..7, None = first free
    rpn: int            # guest 4 KB frame number
    rbits: int          # 16-bit guest R bits field
    host: int = 0       # what KVM's host paths did to it (HOST_* bits)

    @property
    def pair(self) -> hpte.PagePair:
        return hpte.PAGE_PAIRS[self.page]


@dataclass(frozen=True)
class RawEntry:
    """Arbitrary words at an index of the old table."""
    index: int
    v: int
    r: int
    guest_r: int


@dataclass(frozen=True)
class Memslot:
    base: int     # guest frame number
    npages: int

    def holds(self, gfn: int) -> bool:
        return self.base <= gfn < self.base + self.npages


Record = Union[VaEntry, RawEntry, Memslot]


@dataclass(frozen=True)
class Scenario:
    layout: int
    old_order: int
    new_order: int
    records: tuple[Record, ...] = field(default_factory=tuple)

    @property
    def memslots(self) -> list[Memslot]:
        return [r for r in self.records if isinstance(r, Memslot)]


def seg_mask(seg: int) -> int:
    return (1 << hpte.SEG_SHIFT[seg]) - 1


def align_mask(shift: int) -> int:
    """Mask clearing the bits below 2^shift."""
    return ~((1 << shift) - 1)


def canonical_va(layout: int, flags_seg: int, page: int, vsid: int, ea: int,
                 rpn: int, rbits: int) -> tuple[int, int, int, int, int]:
    """Apply the binary decoder's masks: (seg, vsid, ea, rpn, rbits)."""
    seg = hpte.SEG_1T if page == hpte.PAGE_16G else flags_seg
    pair = hpte.PAGE_PAIRS[page]
    vsid &= (1 << hpte.vsid_bits(layout, seg)) - 1
    ea &= seg_mask(seg) & align_mask(pair.actual_shift)
    rpn &= ((1 << hpte.RPN_BITS) - 1) & align_mask(pair.actual_shift - 12)
    return seg, vsid, ea, rpn, rbits & RBITS_MASK
