# SPDX-License-Identifier: GPL-2.0-only
"""`gen --raw-words`: the raw_table target's seeds, their layout, their
frames in the target's memslot, and each raw seed's one corruption."""
from __future__ import annotations

import os
import subprocess
import tempfile
import unittest

import support
from hptfuzz import binary, gen

JUDGE = gen.Judge(support.REPLAY)

CORPUS = os.path.join(support.REPO, "corpus", "raw_table")
ENTRY = 32           # index, V, R, guest R: no kind byte
R_RPN = 0x0FFFFFFFFFFFF000


def raw_seeds() -> dict[str, bytes]:
    """The raw family's seeds in raw-words form, by their features."""
    seeds = [s for s in gen.generate(0, gen.DEFAULT_COUNT, 19, JUDGE) if s.family == "raw"]
    facts = JUDGE.facts([s.scenario for s in seeds])
    return {s.features: gen.raw_table_words(s.scenario, f) for s, f in zip(seeds, facts)}


def entries(data: bytes) -> list[tuple[int, int, int, int]]:
    body = data[binary.HEADER_SIZE:]
    return [tuple(int.from_bytes(body[i + 8 * w:i + 8 * w + 8], "little")
                  for w in range(4))
            for i in range(0, len(body), ENTRY)]


class RawWords(unittest.TestCase):
    def test_corpus_holds_the_generator_output(self) -> None:
        """corpus/raw_table has every seed as gen writes it today, and
        every file there is the header and whole 32-byte entries."""
        with tempfile.TemporaryDirectory() as d:
            status, _, err = support.call("gen", "-o", os.path.join(d, "s"),
                                          "--raw-words", os.path.join(d, "r"),
                                          "--max-order", "19")
            self.assertEqual(status, 0, err)
            made = support.listing(os.path.join(d, "r"))
        shipped = support.listing(CORPUS)
        self.assertEqual(sorted(set(made) - set(shipped)), [],
                         "regenerate: tools/hptfuzz.py gen -o DIR "
                         "--raw-words corpus/raw_table")
        for name in shipped:
            size = len(support.read(os.path.join(CORPUS, name)))
            self.assertEqual((size - binary.HEADER_SIZE) % ENTRY, 0, name)
            self.assertGreater(size, binary.HEADER_SIZE, name)

    def test_frames_move_into_the_target_memslot(self) -> None:
        """The raw words are the port's old table as the C generator
        builds it (hptfuzz-replay --json, "before"), frames moved into
        the target's memslot, everything else kept."""
        slot = gen.RAW_TABLE_MEMSLOT
        moved = 0
        seeds = gen.generate(0, gen.DEFAULT_COUNT, 19, JUDGE)
        with tempfile.TemporaryDirectory() as d:
            for s in seeds:
                support.write(os.path.join(d, s.name), s.data)
            facts = {os.path.basename(f["file"]): f for f in
                     support.replay_json("--impl", "core", "--max-order", "46", d)}
        for s in seeds:
            scen = s.scenario
            old = [(e["index"], int(e["v"], 16), int(e["r"], 16), int(e["guest_r"], 16))
                   for e in facts[s.name]["oracle"]["before"]["entries"]]
            got = entries(gen.raw_table_words(scen, facts[s.name]))
            self.assertEqual([g[:2] for g in got], [e[:2] for e in old], s.features)
            for (_, _, er, egr), (_, _, r, gr) in zip(old, got):
                # hardware R differs from the guest's where it did
                self.assertEqual(r ^ gr, er ^ egr, s.features)
                gfn = (gr & R_RPN) >> 12
                if not scen.memslots:
                    self.assertEqual((r, gr), (er, egr), s.features)
                    continue
                self.assertTrue(slot.holds(gfn), f"{s.features}: gfn {gfn:#x}")
                # the offset in its memslot (and LP) kept
                self.assertEqual(gfn, ((egr & R_RPN) >> 12) & 0xFFFF)
                moved += (r, gr) != (er, egr)
        self.assertGreater(moved, 100)


class RawSeedsReachTheTarget(unittest.TestCase):
    """Each raw seed, read as raw_table reads it, brings its own corruption
    to the patch-2016 port and nothing else (the frame is backed, so no unbacked
    VALID entry gets there first); the core keeps its invariants."""

    def replay(self, data: bytes, impl: str) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "seed")
            support.write(path, data)
            return subprocess.run([support.require_driver(), "--raw-words", "--impl", impl,
                                   "--max-order", "19", path],
                                  capture_output=True, text=True, timeout=60)

    def test_each_corruption_alone(self) -> None:
        # features -> what the patch-2016 port's report says, or None: it agrees
        want = {
            "pre-3.0 raw correct copy": None,
            "pre-3.0 raw invalid LP in R": "division by zero",
            "pre-3.0 raw wrong group": "BUG_ON(pteg != (hash & old_hash_mask))",
            "pre-3.0 raw HVLOCK held": "spins forever in try_lock_hpte()",
            "3.0 raw correct copy": "freed the table the partition table names",
            "3.0 raw invalid LP in R": "division by zero",
            "3.0 raw wrong group": "BUG_ON(pteg != (hash & old_hash_mask))",
            "3.0 raw HVLOCK held": "spins forever in try_lock_hpte()",
        }
        seeds = raw_seeds()
        self.assertEqual(len(seeds), 12)
        for features, data in seeds.items():
            core = self.replay(data, "core")
            self.assertEqual(core.returncode, 0, f"{features}: {core.stdout}")
            port = self.replay(data, "patch-2016-port")
            self.assertNotIn("BUG_ON(vpte & HPTE_V_VALID)", port.stdout, features)
            if features not in want:
                continue
            if want[features] is None:
                self.assertEqual(port.returncode, 0, f"{features}: {port.stdout}")
            else:
                self.assertEqual(port.returncode, 1, f"{features}: {port.stdout}")
                first = [line for line in port.stdout.splitlines()
                         if ": patch-2016-port diverges: " in line]
                self.assertEqual(len(first), 1, port.stdout)
                self.assertIn(want[features], first[0], features)


if __name__ == "__main__":
    unittest.main()
