# SPDX-License-Identifier: GPL-2.0-only
"""Hash, H_ENTER placement, the Python oracle view and `show`."""
from __future__ import annotations

import os
import tempfile
import unittest
from dataclasses import replace

import support
from hptfuzz import hpte, oracle, show, table, text
from hptfuzz.model import Memslot, RawEntry, Record, Scenario, VaEntry

BASE = VaEntry(seg=0, vsid=0x123456, ea=0xABCD000, page=0, valid=True,
               bolted=True, secondary=False, slot=None, rpn=0x100, rbits=0x192)


def scen(*records: Record, old: int = 18, new: int = 19, layout: int = 0) -> Scenario:
    return Scenario(layout, old, new, tuple(records))


class Hash(unittest.TestCase):
    def test_256m_and_1t_hash(self) -> None:
        self.assertEqual(table.entry_hash(BASE), 0x123456 ^ 0xABCD)
        e = replace(BASE, seg=1, vsid=0x1234, ea=0x5678000)
        self.assertEqual(table.entry_hash(e),
                         (0x1234 ^ (0x1234 << 25) ^ 0x5678) & ((1 << 39) - 1))
        e = replace(BASE, page=1, ea=0xABC0000)  # 64K base: p = ea >> 16
        self.assertEqual(table.entry_hash(e), 0x123456 ^ 0xABC)

    def test_words(self) -> None:
        v, r, gr = table.va_words(BASE)
        self.assertEqual(v, (((0x123456 << 28 | 0xABCD000) >> 23) << 7) | 0x11)
        self.assertEqual(gr, 0x100 << 12 | 0x192)
        self.assertEqual(r, gr ^ (1 << 52))
        v, r, gr = table.va_words(replace(BASE, page=6, ea=0xA000000, rbits=0xB000,
                                          secondary=True, valid=False, bolted=False))
        self.assertEqual(v & 0x7F, hpte.V_LARGE | hpte.V_SECONDARY | hpte.V_ABSENT)
        self.assertEqual((gr >> 12) & 0xFF, 0x38)          # lp=8, lphi=3
        self.assertEqual(gr >> 60, 0b1011)                 # PP0, key high
        self.assertEqual(hpte.decode_psize(v, gr), (12, 24))

    def test_layout_conversion_round_trips(self) -> None:
        v, r, _ = table.va_words(replace(BASE, seg=1, vsid=0x1234))
        nv, nr = hpte.to_layout(hpte.LAYOUT_300, v, r)
        self.assertEqual(nv >> 52, 0)
        self.assertEqual((nr >> 58) & 3, 1)
        self.assertEqual(hpte.from_layout(hpte.LAYOUT_300, nv, nr), (v, r))

    def test_cap(self) -> None:
        self.assertEqual([hpte.cap_order(o, 21) for o in (18, 21, 22, 25, 46)],
                         [18, 21, 18, 21, 18 + 28 % 4])


class Placement(unittest.TestCase):
    def test_primary_secondary_and_first_free(self) -> None:
        h = 0x123456 ^ 0xABCD
        t = table.build(scen(BASE, BASE, replace(BASE, secondary=True)))
        g = h & 0x7FF
        self.assertEqual(t.placements[0].index, g * 8)
        self.assertEqual(t.placements[1].index, g * 8 + 1)
        self.assertEqual(t.placements[2].index, (~h & 0x7FF) * 8)

    def test_exact_slot_in_use_and_full_group(self) -> None:
        recs = [replace(BASE, slot=3), replace(BASE, slot=3)] + [BASE] * 8
        t = table.build(scen(*recs))
        self.assertEqual(t.placements[0].index % 8, 3)
        self.assertIsNone(t.placements[1].index)
        self.assertIn("slot 3 in use", t.placements[1].why)
        self.assertEqual(sorted(t.placements[i].index % 8 for i in range(2, 9)),
                         [0, 1, 2, 4, 5, 6, 7])
        self.assertIsNone(t.placements[9].index)
        self.assertIn("group full", t.placements[9].why)

    def test_raw_entries_first_and_unused_raw_is_free(self) -> None:
        g = (0x123456 ^ 0xABCD) & 0x7FF
        t = table.build(scen(BASE, RawEntry(g * 8, hpte.V_VALID, 0, 0),
                             RawEntry(g * 8 + 1, 0x40, 0, 0)))
        self.assertEqual(t.placements[0].index, g * 8 + 1)   # HVLOCK alone: unused

    def test_memslot_lookup(self) -> None:
        t = table.build(scen(Memslot(0x200, 1), Memslot(0x80, 0x100),
                             Memslot(0x0, 0x1000), BASE))
        self.assertEqual((t.placements[3].memslot, t.placements[3].gfn), (1, 0x100))


class Oracle(unittest.TestCase):
    def test_grow_keeps_bolted_drops_others_and_unmaps_valid(self) -> None:
        other = replace(BASE, bolted=False, ea=0x1000)
        absent = replace(BASE, valid=False, ea=0x2000)
        out = oracle.predict(scen(BASE, other, absent))
        self.assertEqual(out.rc, 0)
        self.assertEqual(len(out.new), 2)
        old_idx = out.old.placements[0].index
        self.assertEqual([i for i, _ in out.unmaps], sorted(
            (old_idx, out.old.placements[1].index)))
        ne = out.new[out.targets[old_idx]]
        v, r, _ = table.va_words(BASE)
        self.assertEqual(ne.v, (v | hpte.V_ABSENT) & ~hpte.V_VALID)
        self.assertEqual(ne.r, r & ~hpte.R_KEY)
        h = table.entry_hash(BASE)
        self.assertEqual(out.targets[old_idx], (h & 0xFFF) * 8 + old_idx % 8)

    def test_shrink_collision_first_in_index_order_wins(self) -> None:
        a = replace(BASE, slot=2)
        b = replace(a, vsid=a.vsid ^ (1 << 11), valid=False)  # hash bit 11
        out = oracle.predict(scen(b, a, old=19, new=18))
        self.assertEqual(out.rc, hpte.ENOSPC)
        ia, ib = out.old.placements[1].index, out.old.placements[0].index
        first, second = sorted((ia, ib))
        self.assertEqual((out.collision.winner, out.collision.old_index),
                         (first, second))
        self.assertEqual(out.failed_at, second)

    def test_raw_corruptions(self) -> None:
        # order 19: 12 group bits, of which a 4K page takes 11 from the group
        g = (0x123456 ^ 0xABCD) & 0xFFF
        v, r, gr = table.va_words(BASE)
        for index, words, rc in (
                (g * 8, (v, r, gr), 0),
                (g * 8, (v | 2 << 62, r, gr), hpte.EIO),             # reserved B
                (g * 8, (v | hpte.V_LARGE, r | 0x5000, gr), hpte.EIO),  # bad LP
                (g * 8, (v | hpte.V_HVLOCK, r, gr), hpte.EDEADLK),
                ((g ^ 0x800) * 8, (v, r, gr), hpte.EIO),             # wrong group
                ((g ^ 0x400) * 8, (v, r, gr), 0)):                   # bit from group
            out = oracle.predict(scen(RawEntry(index, *words), old=19, new=20))
            self.assertEqual(out.rc, rc, f"{index:#x} {words[0]:#x}")
            if rc:
                self.assertEqual(out.failed_at, index)

    def test_3_0_layout_same_places(self) -> None:
        pre = oracle.predict(scen(BASE, replace(BASE, seg=1, secondary=True)))
        new = oracle.predict(scen(BASE, replace(BASE, seg=1, secondary=True), layout=1))
        self.assertEqual(pre.targets, new.targets)
        for i, e in new.new.items():
            self.assertEqual(hpte.from_layout(1, e.v, e.r), (pre.new[i].v, pre.new[i].r))


class Show(unittest.TestCase):
    def test_show_comments_say_where_and_reparse(self) -> None:
        s = scen(Memslot(0, 0x1000), BASE, replace(BASE, bolted=False, slot=5))
        body = show.annotate(s)
        h = 0x123456 ^ 0xABCD
        self.assertIn(f"#   hash {h:#x}, primary group {h & 0x7ff:#x}", body)
        self.assertIn(f"old index {(h & 0x7ff) * 8:#x} (group {h & 0x7ff:#x} slot 0)", body)
        self.assertIn("slot 5)", body)
        self.assertIn(f"-> new index {(h & 0xfff) * 8:#x}", body)
        self.assertIn("dropped (not bolted)", body)
        self.assertIn("in the rmap ring of memslot 0", body)
        self.assertEqual(text.parse(body.encode()), s)

    def test_show_cli_binary_and_text_agree(self) -> None:
        d = support.seed_dir()
        name = next(n for n in support.listing(d) if not n.endswith(".hpt"))
        a = support.call("show", os.path.join(d, name))
        b = support.call("show", os.path.join(d, name + ".hpt"))
        self.assertEqual(a[0], 0)
        self.assertEqual(a, b)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.hpt")
            support.write(path, a[1])
            self.assertEqual(support.call("show", path), a)


if __name__ == "__main__":
    unittest.main()
