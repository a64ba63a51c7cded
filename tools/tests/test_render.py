# SPDX-License-Identifier: GPL-2.0-only
"""`render`: well-formed SVG with the expected cells marked."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from dataclasses import replace

import support
from hptfuzz import gen, oracle, svg
from hptfuzz.model import Scenario, VaEntry
from test_repro import DIVERGENCE, SCENARIO

NS = {"svg": "http://www.w3.org/2000/svg"}


def cells(root: ET.Element) -> dict[tuple[str, int], set[str]]:
    """(table, index) -> CSS classes of every drawn slot."""
    out = {}
    for rect in root.iterfind(".//svg:rect", NS):
        if "data-index" in rect.attrib:
            out[(rect.get("data-table"), int(rect.get("data-index"), 16))] = \
                set(rect.get("class").split())
    return out


class Render(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.hpt = os.path.join(self.dir, "case.hpt")
        support.write(self.hpt, SCENARIO)
        self.svg = os.path.join(self.dir, "out.svg")

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def render(self, path: str, *extra: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return support.run("render", path, "-o", self.svg, *extra, env=env)

    def test_divergence_marks_old_expected_and_actual_cells(self) -> None:
        r = self.render(self.hpt, "--replay", support.FAKE_REPLAY,
                        env={"FAKE_REPLAY_OUTPUT": DIVERGENCE})
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(self.svg).getroot()
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        c = cells(root)
        self.assertTrue({"diverging", "bolted-valid"} <= c[("old", 0x3CD8)])
        self.assertIn("valid", c[("old", 0x10)])                 # the raw entry
        self.assertTrue({"expected", "bolted-absent"} <= c[("new", 0x7CD8)])
        self.assertTrue({"actual", "empty"} <= c[("new", 0x3CD8)])
        # only occupied and marked groups (and gaps of up to 2 groups) are
        # drawn; the rest is elided
        self.assertEqual({i // 8 for t, i in c if t == "old"}, {0, 1, 0x2, 0x79B})
        self.assertEqual({i // 8 for t, i in c if t == "new"}, {0x79B, 0xF9B})
        texts = [t.text or "" for t in root.iterfind(".//svg:text", NS)]
        self.assertTrue(any("groups 0x3\u20130x79a" in t for t in texts), texts)
        self.assertTrue(any("DIVERGENCE impl=seed what=new-entry" in t for t in texts))
        legend = {cls for rect in root.iterfind(".//svg:rect", NS)
                  for cls in rect.get("class", "").split() if "legend" in rect.get("class", "")}
        self.assertTrue({"valid", "absent", "bolted-valid", "bolted-absent",
                         "diverging", "expected"} <= legend)

    def test_collision_is_shown(self) -> None:
        seed = next(s for s in gen.generate(0) if s.family == "collision")
        path = os.path.join(self.dir, "collision")
        support.write(path, seed.data)
        r = self.render(path, "--no-replay", "--max-order", "46")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = oracle.predict(seed.scenario)
        c = cells(ET.parse(self.svg).getroot())
        col = out.collision
        self.assertIn("collision", c[("new", col.new_index)])
        self.assertIn("collision", c[("old", col.old_index)])
        self.assertIn("winner", c[("old", col.winner)])
        self.assertIn("-ENOSPC", support.read(self.svg).decode())

    def test_missing_default_driver_still_renders(self) -> None:
        r = self.render(self.hpt, env={"HPTFUZZ_BUILD": self.dir,
                                       "HPTFUZZ_REPLAY": ""})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("no replay driver run", support.read(self.svg).decode())

    def test_large_table_is_summarised_quickly(self) -> None:
        base = VaEntry(seg=0, vsid=0x1234, ea=0, page=0, valid=True, bolted=True,
                       secondary=False, slot=None, rpn=0, rbits=0)
        recs = tuple(replace(base, ea=i << 12, bolted=i % 3 == 0) for i in range(4096))
        scen = Scenario(0, 40, 46, recs)
        start = time.monotonic()
        doc = svg.render(oracle.predict(scen), None, "big")
        self.assertLess(time.monotonic() - start, 5)
        root = ET.fromstring(doc)
        groups = {i // 8 for _, i in cells(root)}
        self.assertLessEqual(len(groups), 2 * svg.MAX_ROWS)
        self.assertIn("entries not drawn", doc)


if __name__ == "__main__":
    unittest.main()
