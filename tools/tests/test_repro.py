# SPDX-License-Identifier: GPL-2.0-only
"""`repro`: scenario, driver report, expected vs actual table, gdb command.

Uses a stand-in driver (fake_replay.py) so the tool's own behaviour is
checked whatever state the C side is in; the real driver is exercised too
when it has been built.
"""
from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import tempfile
import unittest

import support
from hptfuzz import binary, oracle, paths, replay, text

SCENARIO = ("hptfuzz-scenario 1\nlayout pre-3.0\nold-order 18\nnew-order 19\n"
            "memslot base=0x0 npages=4096\n"
            "va seg=256M vsid=0x123456 ea=0xabcd000 page=4K/4K state=valid "
            "bolted=1 group=primary slot=first rpn=0x100 rbits=0x192\n"
            "raw index=0x10 v=0x1 r=0x0 guest-r=0x0\n")
# hash 0x129f9b: old index 0x3cd8 (group 0x79b), new 0x7cd8 (group 0xf9b)
EXPECTED_V = "0x0000000123456ab0"     # VALID -> ABSENT, BOLTED kept
EXPECTED_R = "0x0010000000100192"     # hardware R (RPN bit 40 flipped)
DIVERGENCE = ("DIVERGENCE impl=seed what=new-entry record=1 old_index=0x3cd8 "
              "expected_index=0x7cd8 actual_index=0x3cd8\n")


class Repro(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.hpt = os.path.join(self.dir, "case.hpt")
        self.bin = os.path.join(self.dir, "case.bin")
        support.write(self.hpt, SCENARIO)
        support.write(self.bin, binary.encode(text.parse(SCENARIO.encode())))
        self.argv_log = os.path.join(self.dir, "argv")

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def repro(self, path: str, output: str, status: int = 1, *extra: str,
              driver: str = support.FAKE_REPLAY) -> subprocess.CompletedProcess[str]:
        env = {"FAKE_REPLAY_OUTPUT": output, "FAKE_REPLAY_STATUS": str(status),
               "FAKE_REPLAY_ARGV": self.argv_log}
        return support.run("repro", path, "--replay", driver, *extra, env=env)

    def driver_argv(self) -> list[str]:
        return [json.loads(line) for line in support.read(self.argv_log).decode().splitlines()][-1]

    def test_divergence_shows_expected_entry_and_gdb_command(self) -> None:
        r = self.repro(self.bin, "seed put it in the old group\n" + DIVERGENCE)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr, "")
        out = r.stdout
        self.assertIn("va seg=256M vsid=0x123456", out)
        self.assertIn("#   -> new index 0x7cd8 (group 0xf9b slot 0)", out)
        self.assertIn("seed put it in the old group", out)
        rows = {line.split()[0]: line for line in out.splitlines()
                if line.startswith("  0x0000")}
        self.assertIn(f"0x00007cd8 0    {EXPECTED_V}  {EXPECTED_R}  "
                      "0x0000000000000000  0x0000000000000000  <- expected here",
                      rows["0x00007cd8"])
        self.assertIn(f"{EXPECTED_V}  {EXPECTED_R}  <- actual here", rows["0x00003cd8"])
        lines = out.splitlines()
        marks = lines[lines.index(rows["0x00007cd8"]) + 1]
        self.assertEqual(set(marks.strip()), {"^", " "})
        self.assertIn("its VA hashes to 0x129f9b; primary group hash & 0xfff = 0xf9b", out)
        self.assertEqual(self.driver_argv(), ["--impl", "all", "--max-order", "19", self.bin])
        gdb = shlex.join(["gdb", "--args", support.FAKE_REPLAY, "--impl", "seed",
                          "--max-order", "19", self.bin])
        self.assertEqual(out.rstrip().splitlines()[-1], gdb)
        self.assertNotIn("\033[", out)

    def test_text_input_gives_the_driver_its_canonical_bytes(self) -> None:
        r = self.repro(self.hpt, DIVERGENCE, 1, "--impl", "core", "--max-order", "18")
        self.assertEqual(r.returncode, 1, r.stderr)
        argv = self.driver_argv()
        self.assertEqual(argv[:4], ["--impl", "core", "--max-order", "18"])
        self.assertEqual(support.read(argv[4]), support.read(self.bin))
        self.assertIn(shlex.quote(argv[4]), r.stdout.splitlines()[-1])
        self.assertIn("# with the order cap: old-order 18 new-order 18", r.stdout)

    def test_colour_marks_digits_instead_of_carets(self) -> None:
        r = self.repro(self.bin, DIVERGENCE, 1, "--color", "always")
        self.assertEqual(r.returncode, 1)
        self.assertIn("\033[1m\033[31m", r.stdout)
        self.assertFalse(any(set(l.strip()) == {"^", " "} for l in r.stdout.splitlines()))

    def test_words_from_the_driver_report_are_used(self) -> None:
        report = ("actual new[0x7cd8] v=0x0000000123456ab1 r=0x0010000000100192\n"
                  + DIVERGENCE.replace("actual_index=0x3cd8", "actual_index=0x7cd8"))
        r = self.repro(self.bin, report)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{EXPECTED_V}  {EXPECTED_R}  0x0000000123456ab1", r.stdout)
        self.assertIn("bits differ in V: VALID", r.stdout)
        self.assertIn("words from the driver's report", r.stdout)

    def test_old_entry_divergence_shows_old_group(self) -> None:
        r = self.repro(self.bin, "DIVERGENCE impl=core what=old-entry record=1 "
                       "old_index=0x3cd8 expected_index=0x3cd8 actual_index=-\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("old table, group 0x79b:", r.stdout)
        self.assertIn(f"0x00003cd8 0    {EXPECTED_V}  {EXPECTED_R}  ?", r.stdout)

    def test_no_divergence_exits_0(self) -> None:
        r = self.repro(self.bin, "all implementations agree\n", 0)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("== no divergence ==", r.stdout)
        self.assertNotIn("gdb", r.stdout)

    def test_driver_usage_error_is_one_line_exit_2(self) -> None:
        r = self.repro(self.bin, "hptfuzz-replay: unknown impl\n", 2)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn("rejected the input (exit 2): hptfuzz-replay: unknown impl", r.stderr)

    def test_driver_crash_is_a_divergence(self) -> None:
        crasher = os.path.join(self.dir, "crash.sh")
        support.write(crasher, "#!/bin/sh\necho 'AddressSanitizer: boom'\nkill -SEGV $$\n")
        os.chmod(crasher, stat.S_IRWXU)
        r = self.repro(self.bin, "", 1, driver=crasher)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("killed by SIGSEGV", r.stdout)
        self.assertIn("AddressSanitizer: boom", r.stdout)
        self.assertIn(f"gdb --args {crasher} --impl all", r.stdout)


    def test_state_at_a_crash_is_the_actual_side(self) -> None:
        report = ("  before   old[0x3cd8] v=0x0000000123456a91 r=0x0010000000100192\n"
                  "  now      old[0x3cd8] v=0x0000000123456af2 r=0x0010000000100192\n"
                  "DIVERGENCE impl=seed what=crash record=1 old_index=0x3cd8 "
                  "expected_index=- actual_index=-\n")
        r = self.repro(self.bin, report)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"0x00003cd8 0    {EXPECTED_V}  {EXPECTED_R}  "
                      f"0x0000000123456af2  {EXPECTED_R}  <- this entry", r.stdout)
        self.assertIn("bits differ in V: H HVLOCK", r.stdout)


REAL = paths.default_replay()
# A 1T-segment entry in an ISA 3.0 table: B lives in R there, so a resize
# that reads V alone hashes it as a 256M entry
SEG_1T_ON_3_0 = ("hptfuzz-scenario 1\nlayout 3.0\nold-order 18\nnew-order 20\n"
                 "va seg=1T vsid=0x40ff253 ea=0x963ca70000 page=64K/64K "
                 "state=absent bolted=1 group=primary slot=first "
                 "rpn=0xc80800fde0 rbits=0x6ee\n")


@unittest.skipUnless(os.access(REAL, os.X_OK), f"replay driver not built ({REAL})")
class RealDriver(unittest.TestCase):
    def test_python_view_matches_the_driver_expectations(self) -> None:
        """The words and places Python expects are the C oracle's."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "case.hpt")
            support.write(path, SEG_1T_ON_3_0)
            scen = text.parse(SEG_1T_ON_3_0.encode())
            res = replay.run(REAL, path, "all", 21)
            self.assertIn(res.status, (0, 1), res.output)
            self.assertEqual(res.status == 1, res.divergence is not None, res.output)
            out = oracle.predict(scen)
            self.assertEqual(out.targets, {0x37A0: 0x77A0})
            for w in res.words:
                if w.side == "expected" and w.table == "new":
                    e = out.new.get(w.index)
                    self.assertEqual((w.v, w.r), (e.v, e.r) if e else (0, 0))
            div = res.divergence
            if div is not None and div.what == "new-entry":
                self.assertEqual((div.old_index, div.expected_index), (0x37A0, 0x77A0))
                r = support.run("repro", path, "--replay", REAL, "--max-order", "21")
                self.assertEqual(r.returncode, 1)
                self.assertIn("<- expected here", r.stdout)
                self.assertIn(f"--impl {div.impl}", r.stdout.splitlines()[-1])

    def test_repro_follows_the_driver_contract(self) -> None:
        d = support.seed_dir()
        names = [n for n in support.listing(d) if not n.endswith(".hpt")][:1]
        for name in names:
            r = support.run("repro", os.path.join(d, name), "--replay", REAL)
            self.assertIn(r.returncode, (0, 1), r.stderr)
            if r.returncode == 1:
                self.assertIn("== divergence ==", r.stdout)
                self.assertIn("gdb --args", r.stdout)
            else:
                self.assertIn("== no divergence ==", r.stdout)


if __name__ == "__main__":
    unittest.main()
