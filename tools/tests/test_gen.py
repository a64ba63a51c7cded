# SPDX-License-Identifier: GPL-2.0-only
"""`gen`: determinism, naming by content and coverage of the feature matrix."""
from __future__ import annotations

import hashlib
import os
import tempfile
import unittest

import support
from hptfuzz import binary, gen, hpte
from hptfuzz.model import Memslot, RawEntry, VaEntry

JUDGE = gen.Judge(support.REPLAY)


def judged(seeds: list[gen.Seed]) -> dict[str, dict]:
    """What the C harness makes of each seed (by name), at the stored
    orders: its JSON object (hptfuzz-replay --json, core only)."""
    with tempfile.TemporaryDirectory() as d:
        for s in seeds:
            support.write(os.path.join(d, s.name), s.data)
        return {os.path.basename(f["file"]): f
                for f in support.replay_json("--impl", "core", "--max-order", "46", d)}


def snapshot(directory: str) -> dict[str, bytes]:
    return {n: support.read(os.path.join(directory, n))
            for n in support.listing(directory)}


class Gen(unittest.TestCase):
    def test_two_runs_give_identical_bytes(self) -> None:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            ra = support.run("gen", "-o", a, "--seed", "7")
            rb = support.run("gen", "-o", b, "--seed", "7")
            self.assertEqual((ra.returncode, rb.returncode), (0, 0), ra.stderr)
            first = snapshot(a)
            self.assertEqual(first, snapshot(b))
            self.assertEqual(len(first), gen.DEFAULT_COUNT)
            # a rerun into the same directory changes nothing
            self.assertEqual(support.call("gen", "-o", a, "--seed", "7")[0], 0)
            self.assertEqual(snapshot(a), first)
            with tempfile.TemporaryDirectory() as c:
                support.call("gen", "-o", c, "--seed", "8")
                self.assertNotEqual(set(snapshot(c)), set(first))

    def test_files_are_named_by_sha1_and_canonical(self) -> None:
        d = support.seed_dir()
        bins = [n for n in support.listing(d) if not n.endswith(".hpt")]
        self.assertEqual(len(bins), gen.DEFAULT_COUNT)
        for name in bins:
            data = support.read(os.path.join(d, name))
            self.assertEqual(hashlib.sha1(data).hexdigest(), name)
            self.assertEqual(binary.encode(binary.decode(data)), data)
            self.assertTrue(os.path.exists(os.path.join(d, name + ".hpt")))

    def test_count_and_max_order(self) -> None:
        for count in (1, 10, 300):
            seeds = gen.generate(3, count, 19, JUDGE)
            self.assertEqual(len(seeds), count)
            for s in seeds:
                self.assertLessEqual(max(s.scenario.old_order, s.scenario.new_order), 19)
                self.assertNotEqual(s.scenario.old_order, s.scenario.new_order)

    def test_default_set_covers_the_feature_matrix(self) -> None:
        seen: set[tuple[str, object]] = set()
        rcs = set()
        seeds = gen.generate(0, gen.DEFAULT_COUNT, 19, JUDGE)
        facts = judged(seeds)
        for s in seeds:
            scen = s.scenario
            seen.add(("layout", scen.layout))
            seen.add(("dir", scen.new_order > scen.old_order))
            seen.add(("memslot", any(isinstance(r, Memslot) for r in scen.records)))
            seen.add(("raw", any(isinstance(r, RawEntry) for r in scen.records)))
            for r in scen.records:
                if isinstance(r, VaEntry):
                    for feature in (("seg", r.seg), ("page", r.page),
                                    ("secondary", r.secondary), ("bolted", r.bolted),
                                    ("valid", r.valid), ("exact", r.slot is not None)):
                        seen.add(feature)
            f = facts[s.name]
            rcs.add(f["oracle"]["rc_name"] if f["oracle"]["predictable"]
                    else f["impls"][0]["rc_name"])
            if f["oracle"]["collision"] is not None:
                seen.add(("collision", True))
            if f["placement"]["nr_not_placed"]:
                seen.add(("full", True))
        for key, values in (("layout", (0, 1)), ("dir", (False, True)),
                            ("memslot", (False, True)), ("raw", (True,)),
                            ("seg", (0, 1)), ("page", range(7)),
                            ("secondary", (False, True)), ("bolted", (False, True)),
                            ("valid", (False, True)), ("exact", (False, True)),
                            ("collision", (True,)), ("full", (True,))):
            for v in values:
                self.assertIn((key, v), seen)
        self.assertEqual(rcs, {"0", "-ENOSPC", "-EIO", "-EDEADLK"})

    def test_shipped_corpus_covers_every_combination(self) -> None:
        """corpus/rehash_diff: each layout x segment x page pair x group,
        growing and shrinking, and each layout with a bolted collision."""
        cap = 19      # as the fuzz targets and their ctest replays run it
        seen: set[tuple[object, ...]] = set()
        collide: set[int] = set()
        d = os.path.join(support.REPO, "corpus", "rehash_diff")
        facts = {os.path.basename(f["file"]): f
                 for f in support.replay_json("--impl", "core", "--max-order",
                                              str(cap), d)}
        for name in support.listing(d):
            scen = binary.decode(support.read(os.path.join(d, name)))
            old = facts[name]["scenario"]["old_order"]
            new = facts[name]["scenario"]["new_order"]
            for r in scen.records:
                if isinstance(r, VaEntry):
                    seen.add((scen.layout, r.seg, r.page, r.secondary, new > old))
            if facts[name]["oracle"]["collision"] is not None:
                collide.add(scen.layout)
        missing = [(layout, seg, hpte.PAGE_PAIRS[page].name, sec, grow)
                   for layout in (0, 1) for seg in (0, 1)
                   for page in range(len(hpte.PAGE_PAIRS))
                   for sec in (False, True) for grow in (False, True)
                   if not (page == hpte.PAGE_16G and seg == 0)
                   and (layout, seg, page, sec, grow) not in seen]
        self.assertEqual(missing, [], "(layout, seg, page, secondary, grow)")
        self.assertEqual(collide, {0, 1})

    def test_collision_seeds_collide_when_shrinking(self) -> None:
        """gen aims its collision seeds; the C oracle says they hit."""
        collisions = [s for s in gen.generate(0, gen.DEFAULT_COUNT, 19, JUDGE)
                      if s.family == "collision"]
        self.assertGreater(len(collisions), 40)
        facts = judged(collisions)
        for s in collisions:
            oracle = facts[s.name]["oracle"]
            self.assertEqual(oracle["rc_name"], "-ENOSPC", s.features)
            c = oracle["collision"]
            self.assertLess(c["holder_index"], c["old_index"])  # first in index order wins


if __name__ == "__main__":
    unittest.main()
