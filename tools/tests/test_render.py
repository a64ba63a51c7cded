# SPDX-License-Identifier: GPL-2.0-only
"""`render`: well-formed SVG of what the replay driver said, marked."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

import support
from hptfuzz import gen, svg
from test_repro import MISPLACED, RAW_TABLE

JUDGE = gen.Judge(support.REPLAY)

NS = {"svg": "http://www.w3.org/2000/svg"}


def cells(root: ET.Element) -> dict[tuple[str, int], set[str]]:
    """(table, index) -> CSS classes of every drawn slot."""
    out = {}
    for rect in root.iterfind(".//svg:rect", NS):
        if "data-index" in rect.attrib:
            out[(rect.get("data-table"), int(rect.get("data-index"), 16))] = \
                set(rect.get("class").split())
    return out


def titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iterfind(".//svg:text", NS)]


class Render(unittest.TestCase):
    def setUp(self) -> None:
        self.driver = support.require_driver()
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.svg = os.path.join(self.dir, "out.svg")

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def render(self, path: str, *extra: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return support.run("render", path, "-o", self.svg, "--replay",
                           self.driver, *extra, env=env)

    def test_divergence_marks_old_expected_and_actual_cells(self) -> None:
        r = self.render(MISPLACED)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(self.svg).getroot()
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        c = cells(root)
        # The driver's figures (test_repro checks them against its report)
        self.assertTrue({"diverging", "bolted-absent"} <= c[("old", 0x2BE8)])
        self.assertTrue({"expected", "bolted-absent"} <= c[("new", 0x2BE8)])
        self.assertTrue({"actual", "empty"} <= c[("new", 0x6BE8)])
        texts = titles(root)
        self.assertIn("expected new table, order 19", texts)
        self.assertTrue(any(t.startswith("DIVERGENCE impl=patch-2016-port what=new-entry record=0 "
                                         "old_index=0x2be8") for t in texts), texts)
        self.assertTrue(any("groups 0x0\u20130x57c" in t for t in texts), texts)
        legend = {cls for rect in root.iterfind(".//svg:rect", NS)
                  for cls in rect.get("class", "").split() if "legend" in rect.get("class", "")}
        self.assertTrue({"valid", "absent", "bolted-valid", "bolted-absent",
                         "diverging", "expected"} <= legend)

    def test_collision_is_the_oracles(self) -> None:
        seed = next(s for s in gen.generate(0, gen.DEFAULT_COUNT, 19, JUDGE)
                    if s.family == "collision")
        path = os.path.join(self.dir, "collision")
        support.write(path, seed.data)
        r = self.render(path, "--impl", "core")
        self.assertEqual(r.returncode, 0, r.stderr)
        col = support.replay_json("--impl", "core", path)[0]["oracle"]["collision"]
        self.assertIsNotNone(col, seed.features)
        c = cells(ET.parse(self.svg).getroot())
        self.assertIn("collision", c[("old", col["old_index"])])
        self.assertIn("winner", c[("old", col["holder_index"])])
        self.assertIn("-ENOSPC", support.read(self.svg).decode())

    def test_raw_table_findings_draw_no_unasserted_table(self) -> None:
        for name in sorted(os.listdir(RAW_TABLE)):
            path = os.path.join(RAW_TABLE, name)
            r = self.render(path, "--format", "raw-words")
            self.assertEqual(r.returncode, 0, r.stderr)
            oracle = support.replay_json("--raw-words", path)[0]["oracle"]
            texts = titles(ET.parse(self.svg).getroot())
            facts = support.replay_json("--raw-words", path)[0]
            first = next((i for i in facts["impls"] if i["divergences"]), {})
            given = (first.get("expected") or {}).get("new")
            drew_expected = any(t.startswith("expected new table") for t in texts)
            self.assertEqual(drew_expected,
                             oracle["new"] is not None or given is not None, name)
            if not oracle["predictable"]:
                self.assertTrue(any("judged by rules" in t for t in texts), name)
                self.assertFalse(any(t.startswith("expected rc") for t in texts), name)

    def test_missing_driver_is_an_error(self) -> None:
        r = support.run("render", MISPLACED, "-o", self.svg,
                        env={"HPTFUZZ_BUILD": self.dir, "HPTFUZZ_REPLAY": ""})
        self.assertEqual(r.returncode, 2)
        self.assertIn("replay driver not found", r.stderr)
        self.assertFalse(os.path.exists(self.svg))

    def test_large_table_is_summarised_quickly(self) -> None:
        # 2000 groups of one entry each: the picture elides most of them
        entries = [{"index": i * 64, "v": "0x0000000000000011",
                    "r": "0x0000000000000000", "guest_r": "0x0000000000000000",
                    "record": i} for i in range(2000)]
        facts = {"scenario": {"layout": "pre-3.0", "old_order": 30, "new_order": 31,
                              "records": [{"kind": "va"}] * 2000},
                 "placement": {"records": []},
                 "oracle": {"predictable": True, "rc": 0, "rc_name": "0",
                            "collision": None, "before": {"entries": entries},
                            "new": {"entries": entries}}}
        start = time.monotonic()
        doc = svg.render(facts, None, "big")
        self.assertLess(time.monotonic() - start, 5)
        root = ET.fromstring(doc)
        groups = {i // 8 for _, i in cells(root)}
        self.assertLessEqual(len(groups), 2 * svg.MAX_ROWS)
        self.assertIn("entries not drawn", doc)


if __name__ == "__main__":
    unittest.main()
