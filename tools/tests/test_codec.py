# SPDX-License-Identifier: GPL-2.0-only
"""Binary and text encodings: round trips and the decoding rules."""
from __future__ import annotations

import os
import random
import struct
import tempfile
import unittest

import support
from hptfuzz import binary, hpte, text
from hptfuzz.errors import ScenarioError
from hptfuzz.model import Memslot, RawEntry, VaEntry


def strip_comments(body: str) -> str:
    return "".join(line + "\n" for line in body.splitlines()
                   if line.strip() and not line.lstrip().startswith("#"))


def va_record(flags: int = 0, page: int = 0, slot: int = 8, vsid: int = 0,
              ea: int = 0, rpn: int = 0, rbits: int = 0) -> bytes:
    return bytes((0, flags, page, slot)) + struct.pack("<QQQH", vsid, ea, rpn, rbits)


class RoundTrips(unittest.TestCase):
    def check_binary(self, data: bytes, name: str) -> None:
        scen = binary.decode(data)
        canon = binary.encode(scen)
        self.assertEqual(binary.decode(canon), scen, name)
        self.assertEqual(binary.encode(binary.decode(canon)), canon, name)
        body = text.format_scenario(scen)
        self.assertEqual(text.parse(body.encode()), scen, name)
        self.assertEqual(text.format_scenario(text.parse(body.encode())), body, name)

    def check_text(self, data: bytes, name: str) -> None:
        scen = text.parse(data)
        canon = text.format_scenario(scen)
        self.assertEqual(canon, strip_comments(data.decode()), name)
        self.assertEqual(binary.decode(binary.encode(scen)), scen, name)

    def files(self) -> list[str]:
        d = support.seed_dir()
        return support.corpus_files() + [os.path.join(d, n) for n in support.listing(d)]

    def test_shipped_corpus_and_seeds_round_trip(self) -> None:
        files = self.files()
        self.assertGreater(len(files), 100)  # gen output: never vacuous
        for path in files:
            data = support.read(path)
            if text.is_text(data):
                self.check_text(data, path)
            elif data:
                self.check_binary(data, path)

    def test_gen_binaries_are_canonical_and_match_their_text(self) -> None:
        d = support.seed_dir()
        for name in support.listing(d):
            if name.endswith(".hpt"):
                continue
            data = support.read(os.path.join(d, name))
            self.assertEqual(binary.encode(binary.decode(data)), data, name)
            body = support.read(os.path.join(d, name + ".hpt"))
            self.assertEqual(binary.encode(text.parse(body)), data, name)

    def test_random_bytes_decode_encode_decode_is_stable(self) -> None:
        rng = random.Random(1234)
        for i in range(600):
            n = rng.choice((0, 1, 2, 3, 4, 17, 33, 34, 44, rng.randrange(400)))
            data = bytes(rng.getrandbits(8) for _ in range(n))
            self.check_binary(data, f"random #{i}: {data.hex()}")

    def test_cli_encode_decode_round_trip_exactly(self) -> None:
        d = support.seed_dir()
        names = [n for n in support.listing(d) if not n.endswith(".hpt")][:3]
        with tempfile.TemporaryDirectory() as tmp:
            for name in names:
                hpt, back = os.path.join(tmp, "x.hpt"), os.path.join(tmp, "x.bin")
                self.assertEqual(support.call("decode", os.path.join(d, name),
                                              "-o", hpt)[0], 0)
                self.assertEqual(support.call("encode", hpt, "-o", back)[0], 0)
                self.assertEqual(support.read(back),
                                 support.read(os.path.join(d, name)))
                shipped = support.read(os.path.join(d, name + ".hpt")).decode()
                self.assertEqual(support.read(hpt).decode(), strip_comments(shipped))
            # decode of a short, non-canonical input gives its canonical text
            raw = os.path.join(tmp, "short.bin")
            support.write(raw, b"\xff\x11")
            status, out, _ = support.call("decode", raw)
            self.assertEqual(status, 0)
            self.assertEqual(out, "hptfuzz-scenario 1\nlayout 3.0\nold-order 19\n"
                             "new-order 18\n")


class DecodingRules(unittest.TestCase):
    def test_header_orders_and_layout(self) -> None:
        for byte, order in ((18, 18), (46, 46), (17, 19), (47, 21), (0, 18), (255, 21)):
            self.assertEqual(binary.decode(bytes((0, byte, byte))).old_order, order)
        self.assertEqual(binary.decode(b"\xfe\x12\x12").layout, hpte.LAYOUT_PRE300)
        self.assertEqual(binary.decode(b"\x03").new_order, 18)

    def test_va_fields_are_masked_and_aligned(self) -> None:
        ones = (1 << 64) - 1
        for layout, seg, bits in ((0, 0, 50), (0, 1, 38), (1, 0, 40), (1, 1, 28)):
            scen = binary.decode(bytes((layout, 18, 18)) +
                                 va_record(flags=seg, page=0, vsid=ones))
            self.assertEqual(scen.records[0].vsid, (1 << bits) - 1)
        e = binary.decode(b"\0\x12\x12" + va_record(
            flags=0xff, page=7 + 6, slot=17, ea=ones, rpn=ones, rbits=0xffff)).records[0]
        self.assertIsInstance(e, VaEntry)
        self.assertEqual((e.seg, e.page, e.slot, e.valid, e.bolted, e.secondary),
                         (1, 6, None, True, True, True))
        self.assertEqual(e.ea, ((1 << 40) - 1) & ~((1 << 24) - 1))   # 16M actual
        self.assertEqual(e.rpn, ((1 << 40) - 1) & ~((1 << 12) - 1))
        self.assertEqual(e.rbits, 0xbfff)
        # a 16G pair with the 256M flag decodes as 1T
        e = binary.decode(b"\0\x12\x12" + va_record(flags=0, page=3)).records[0]
        self.assertEqual((e.seg, e.pair.name), (hpte.SEG_1T, "16G/16G"))
        self.assertEqual(binary.decode(b"\0\x12\x12" + va_record(slot=9 + 5)).records[0].slot, 5)

    def test_kinds_truncation_and_limits(self) -> None:
        scen = binary.decode(b"\0\x12\x13" + b"\x03")  # kind 3 = VA, all zero
        self.assertEqual(len(scen.records), 1)
        self.assertIsInstance(scen.records[0], VaEntry)
        raw = binary.decode(b"\0\x12\x12\x04" + struct.pack("<Q", (1 << 14) + 5)).records[0]
        self.assertEqual(raw, RawEntry(5, 0, 0, 0))   # index modulo 2^(18-4)
        slot = binary.decode(b"\0\x12\x12\x05" + struct.pack("<QH", (1 << 41) | 7, 9)).records[0]
        self.assertEqual(slot, Memslot(7, 9))
        many = b"\0\x12\x12" + (b"\x01" + bytes(32)) * 4097 + (b"\x02" + bytes(10)) * 17
        scen = binary.decode(many)
        self.assertEqual(sum(isinstance(r, RawEntry) for r in scen.records), 4096)
        self.assertEqual(sum(isinstance(r, Memslot) for r in scen.records), 16)
        self.assertEqual(len(binary.encode(scen)), 3 + 4096 * 33 + 16 * 11)


class TextStrictness(unittest.TestCase):
    BASE = ("hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\nnew-order 19\n"
            "memslot base=0x0 npages=4096\n"
            "va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
            "bolted=1 group=primary slot=first rpn=0x100 rbits=0x192\n"
            "raw index=0x10 v=0x1 r=0x0 guest-r=0x0\n")

    def test_documented_example_round_trips(self) -> None:
        scen = text.parse(self.BASE.encode())
        self.assertEqual(text.format_scenario(scen), self.BASE)

    def test_decimal_and_comments_accepted(self) -> None:
        body = self.BASE.replace("vsid=0x123456", "vsid=1193046")
        body = body.replace("rbits=0x192", "rbits=402\t# decimal")
        body = body.replace("layout", "# a comment\n\nlayout")
        self.assertEqual(text.parse(body.encode()), text.parse(self.BASE.encode()))

    def test_non_canonical_values_name_line_and_field(self) -> None:
        cases = (
            ("vsid=0x123456", "vsid=0x4000000000000", 6, "vsid"),   # 51 bits
            ("ea=0xabcd000", "ea=0x10000000", 6, "ea"),             # past 256M
            ("rpn=0x100", "rpn=0x10000000000", 6, "rpn"),
            ("rbits=0x192", "rbits=0x4192", 6, "rbits"),
            ("slot=first", "slot=8", 6, "slot"),
            ("page=4K/4K", "page=16G/16G", 6, "seg"),
            ("state=valid", "state=VALID", 6, "state"),
            ("index=0x10", "index=0x4000", 7, "index"),
            ("v=0x1", "v=0x10000000000000000", 7, "v"),
            ("npages=4096", "npages=65536", 5, "npages"),
            ("new-order 19", "new-order 17", 4, "new-order"),
            ("layout pre-3.0", "layout power9", 2, "layout"),
            ("bolted=1 group", "group", 6, "bolted"),
            (" rbits=0x192", " rbits=0x192 extra=1", 6, "extra"),
        )
        for old, new, line, field in cases:
            body = self.BASE.replace(old, new)
            with self.assertRaises(ScenarioError, msg=new) as ctx:
                text.parse(body.encode())
            self.assertEqual((ctx.exception.line, ctx.exception.field),
                             (line, field), f"{new}: {ctx.exception}")


if __name__ == "__main__":
    unittest.main()
