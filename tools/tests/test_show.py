# SPDX-License-Identifier: GPL-2.0-only
"""`show`: canonical text, with the replay driver's placement and fates."""
from __future__ import annotations

import os
import tempfile
import unittest

import support
from hptfuzz import fileio, text
from test_repro import MISPLACED, SCENARIO


class Show(unittest.TestCase):
    def setUp(self) -> None:
        self.driver = support.require_driver()
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "case.hpt")
        support.write(self.path, SCENARIO)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_comments_are_the_drivers(self) -> None:
        status, out, err = support.call("show", self.path, "--replay", self.driver)
        self.assertEqual(status, 0, err)
        facts = support.replay_json(self.path)[0]
        place = facts["placement"]["records"][1]
        fate = facts["oracle"]["records"][1]
        self.assertIn(f"#   hash {fate['hash']:#x}", out)
        self.assertIn(f"#   old index {place['old_index']:#x} (group "
                      f"{place['group']:#x} slot {place['slot']})", out)
        self.assertIn(f"#   -> moved to new index {fate['new_index']:#x}", out)
        fates = [r["fate"] for r in facts["oracle"]["records"]]
        self.assertIn(f"# oracle: rc {facts['oracle']['rc_name']}; "
                      f"{fates.count('moved')} moved, {fates.count('dropped')} dropped, "
                      f"{len(facts['oracle']['unmaps'])} unmapped", out)
        # the comments parse as nothing: the text is the scenario's
        scen, _ = fileio.load(self.path)
        self.assertEqual(text.parse(out.encode()), scen)

    def test_order_cap_folds_as_the_driver_says(self) -> None:
        status, out, err = support.call("show", MISPLACED, "--replay", self.driver,
                                        "--max-order", "18")
        self.assertEqual(status, 0, err)
        self.assertIn("# with the order cap 18 (option): old-order 18 new-order 18", out)

    def test_without_a_driver_only_the_text(self) -> None:
        r = support.run("show", self.path, env={"HPTFUZZ_BUILD": self.tmp.name,
                                                "HPTFUZZ_REPLAY": ""})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("#   hash", r.stdout)
        self.assertIn("(no replay driver", r.stdout)
        self.assertTrue(r.stdout.startswith(SCENARIO.rstrip("\n").split("\nmemslot")[0]))


if __name__ == "__main__":
    unittest.main()
