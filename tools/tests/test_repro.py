# SPDX-License-Identifier: GPL-2.0-only
"""`repro`: scenario, the driver's verdicts, the two sides of the first
divergence, the gdb command.

Everything repro shows must be what hptfuzz-replay said: the tests run
the real driver and check repro's figures against its JSON and against
its human report.  A stand-in (fake_replay.py) only plays a driver that
fails.
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
import unittest

import support
from hptfuzz import binary, text

SCENARIO = ("hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\nnew-order 19\n"
            "memslot base=0x0 npages=4096\n"
            "va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
            "bolted=1 group=primary slot=first rpn=0x100 rbits=0x192\n"
            "raw index=0x10 v=0x1 r=0x0 guest-r=0x0\n")
REGRESSIONS = os.path.join(support.REPO, "corpus", "regressions")
# A 1T entry in an ISA 3.0 table that the patch-2016 port hashes as 256M
MISPLACED = os.path.join(REGRESSIONS, "patch-2016", "isa300-1t-misplaced.hpt")
RAW_TABLE = os.path.join(REGRESSIONS, "raw_table")


def human_divergence(path: str, impl: str, *extra: str) -> str:
    """The DIVERGENCE line of the driver's human report."""
    proc = subprocess.run([support.require_driver(), "--impl", impl, *extra, path],
                          capture_output=True, text=True, timeout=120)
    m = re.search(r"^DIVERGENCE .*$", proc.stdout, re.M)
    assert m, proc.stdout
    return m.group(0)


class Repro(unittest.TestCase):
    def setUp(self) -> None:
        self.driver = support.require_driver()
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def repro(self, *args: str, driver: str | None = None,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return support.run("repro", *args, "--replay", driver or self.driver,
                           "--color", "never", env=env)

    def test_divergence_is_the_drivers(self) -> None:
        r = self.repro(MISPLACED)
        self.assertEqual(r.returncode, 1, r.stderr)
        facts = support.replay_json(MISPLACED)[0]
        port = next(i for i in facts["impls"] if i["impl"] == "patch-2016-port")
        div = port["divergences"][0]
        # The figures the JSON holds, and the human report's own line
        self.assertEqual((div["kind"], div["record"], div["old_index"],
                          div["expected_index"], div["actual_index"]),
                         ("new-entry", 0, 0x2BE8, 0x2BE8, 0x6BE8))
        line = human_divergence(MISPLACED, "patch-2016-port")
        self.assertIn(line, r.stdout)
        self.assertIn(f"first divergence (new-entry): {div['message']}", r.stdout)
        words = div["words"]["v"]
        self.assertIn(f"expected {words['expected']}  actual {words['actual']}", r.stdout)
        self.assertIn("differs in " + " ".join(words["fields"]), r.stdout)
        self.assertRegex(r.stdout, r"0x00002be8 0 +0x0006547b4d561ab0 .*<- expected here")
        self.assertRegex(r.stdout, r"0x00006be8 0 +0x0000000000000000 .*<- actual here")
        self.assertIn("# oracle: rc 0; 1 moved, 0 dropped, 0 unmapped", r.stdout)
        self.assertIn("#   -> moved to new index 0x2be8 (group 0x57d slot 0)", r.stdout)
        gdb = r.stdout.splitlines()[-1]
        self.assertTrue(gdb.startswith(f"gdb --args {self.driver} --impl patch-2016-port "), gdb)

    def test_raw_table_findings_show_only_what_is_asserted(self) -> None:
        """Where the oracle gives no table, repro claims none: the two
        sides are then the table before and the one left behind."""
        for name in sorted(os.listdir(RAW_TABLE)):
            path = os.path.join(RAW_TABLE, name)
            facts = support.replay_json("--raw-words", path)[0]
            r = self.repro("--format", "raw-words", path)
            self.assertIn(r.returncode, (0, 1), r.stderr)
            oracle = facts["oracle"]
            if not oracle["predictable"]:
                self.assertIn(f"entries judged exactly: {oracle['nr_exact']} of "
                              f"{oracle['nr_exact'] + oracle['nr_rules']}", r.stdout)
                self.assertNotIn("expected rc", r.stdout)
                self.assertNotIn("expected V", r.stdout)
                self.assertNotIn("-> moved", r.stdout)
            found = [i for i in facts["impls"] if i["divergences"]]
            if not found:
                continue
            div = found[0]["divergences"][0]
            side = "new" if div["kind"] == "new-entry" else "old"
            # what this implementation was held to: per run where rules judged
            held = dict(oracle, **(found[0]["expected"] or {}))
            if div["kind"] not in ("new-entry", "old-entry"):
                self.assertNotIn("expected V", r.stdout, name)
            elif held[side] is None:
                self.assertIn(f"expected: none: the harness asserts no {side} table",
                              r.stdout, name)
            for w in re.findall(r"^  (0x[0-9a-f]{8}) \d +(0x[0-9a-f]{16})", r.stdout, re.M):
                index, v = int(w[0], 16), w[1]
                # every word on the left side is one the driver gave
                left = oracle["before"] if div["kind"] not in ("new-entry", "old-entry") \
                    else held[side]
                given = {e["index"]: e["v"] for e in left["entries"]}
                self.assertEqual(given.get(index, "0x" + "0" * 16), v, name)

    def test_text_input_gives_the_driver_its_canonical_bytes(self) -> None:
        path = os.path.join(self.dir, "case.hpt")
        support.write(path, SCENARIO)
        r = self.repro(path)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        self.assertRegex(r.stdout, r"== replay: .* --json \S*hptfuzz-repro-[0-9a-f]{16}\.bin ")
        blob = binary.encode(text.parse(SCENARIO.encode()))
        tmp = re.search(r"(\S*hptfuzz-repro-[0-9a-f]{16}\.bin)", r.stdout).group(1)
        self.assertEqual(support.read(tmp), blob)

    def test_colour_marks_digits_instead_of_carets(self) -> None:
        r = support.run("repro", MISPLACED, "--replay", self.driver, "--color", "always")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("\033[31m", r.stdout)

    def test_no_divergence_exits_0(self) -> None:
        r = self.repro(MISPLACED, "--impl", "core")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("core: agree (rc 0)", r.stdout)
        self.assertIn("== no divergence ==", r.stdout)
        self.assertNotIn("gdb", r.stdout)

    def test_driver_usage_error_is_one_line_exit_2(self) -> None:
        r = self.repro(MISPLACED, driver=support.FAKE_REPLAY,
                       env={"FAKE_REPLAY_STATUS": "2",
                            "FAKE_REPLAY_STDERR": "hptfuzz-replay: unknown impl\n"})
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn("rejected the input (exit 2): hptfuzz-replay: unknown impl", r.stderr)

    def test_driver_without_json_is_an_error(self) -> None:
        r = self.repro(MISPLACED, driver=support.FAKE_REPLAY,
                       env={"FAKE_REPLAY_OUTPUT": "DIVERGENCE impl=patch-2016-port what=crash\n"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("output that is not JSON", r.stderr)

    def test_driver_crash_is_a_divergence(self) -> None:
        crasher = os.path.join(self.dir, "crash.sh")
        support.write(crasher, "#!/bin/sh\necho 'AddressSanitizer: boom' >&2\nkill -SEGV $$\n")
        os.chmod(crasher, stat.S_IRWXU)
        r = self.repro(MISPLACED, driver=crasher)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("killed by SIGSEGV", r.stdout)
        self.assertIn("AddressSanitizer: boom", r.stdout)
        self.assertIn(f"gdb --args {crasher} --impl all", r.stdout)


if __name__ == "__main__":
    unittest.main()
