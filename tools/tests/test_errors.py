# SPDX-License-Identifier: GPL-2.0-only
"""Bad input: one error line naming file, line and field, exit status 2,
no traceback and no output file left behind, for every subcommand."""
from __future__ import annotations

import os
import re
import tempfile
import unittest

import support
from test_repro import SCENARIO

ERROR = re.compile(r"^hptfuzz: error: .+\n$")

# name -> (file contents, expected location prefix after the file name)
TEXT_CASES = {
    "truncated": ("hptfuzz-scenario 1\nlayout 3.0\n", ":2: field 'old-order': missing"),
    "version": ("hptfuzz-scenario 2\n", ":1: field 'version': unknown version 2"),
    "no-version": ("hptfuzz-scenario\n", ":1: field 'version'"),
    # named .hpt: text even without its first line, never fuzzer bytes
    "no-header": (SCENARIO.split("\n", 1)[1],
                  ":1: field 'version': the first line must be"),
    "order-high": (SCENARIO.replace("old-order 18", "old-order 47"),
                   ":3: field 'old-order': order 47 out of range 18..46"),
    "order-low": (SCENARIO.replace("new-order 19", "new-order 17"),
                  ":4: field 'new-order': order 17 out of range"),
    "not-numeric": (SCENARIO.replace("rpn=0x100", "rpn=0x10g"),
                    ":6: field 'rpn': '0x10g' is not a number"),
    "negative": (SCENARIO.replace("base=0x0", "base=-1"),
                 ":5: field 'base': '-1' is not a number"),
    "out-of-range": (SCENARIO.replace("npages=4096", "npages=65536"),
                     ":5: field 'npages': 65536 out of range 0..65535"),
    "index-range": (SCENARIO.replace("index=0x10", "index=0x4000"),
                    ":7: field 'index': 0x4000 out of range"),
    "unknown-keyword": (SCENARIO + "entry index=0x1\n",
                        ":8: field 'keyword': unknown keyword 'entry'"),
    "unknown-field": (SCENARIO.replace("guest-r=0x0", "guest-r=0x0 w=1"),
                      ":7: field 'w': unexpected extra field"),
    "missing-field": (SCENARIO.replace(" rbits=0x192", ""),
                      ":6: field 'rbits': missing"),
    "bad-choice": (SCENARIO.replace("page=4K/4K", "page=8K/8K"),
                   ":6: field 'page': '8K/8K' is not one of"),
    "not-canonical": (SCENARIO.replace("ea=0xabcd000", "ea=0xabcd800"),
                      ":6: field 'ea': 0xabcd800 is not canonical"),
    "non-ascii": (SCENARIO.replace("memslot", "# caf\u00e9\nmemslot"),
                  ":5: field 'text': not ASCII text"),
}


class BadInput(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.out_dir = os.path.join(self.dir, "out")
        os.mkdir(self.out_dir)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def commands(self, path: str) -> list[list[str]]:
        """Every subcommand that reads a scenario, writing into out_dir."""
        o = lambda name: os.path.join(self.out_dir, name)  # noqa: E731
        return [["show", path], ["decode", path, "-o", o("x.hpt")],
                ["encode", path, "-o", o("x.bin")],
                ["repro", path, "--replay", support.FAKE_REPLAY],
                ["render", path, "-o", o("x.svg"), "--replay", support.FAKE_REPLAY]]

    def assert_error(self, args: list[str], fragment: str) -> None:
        status, out, err = support.call(*args)
        self.assertEqual(status, 2, f"{args}: {out}{err}")
        self.assertRegex(err, ERROR, args)
        self.assertIn(fragment, err, args)
        self.assertNotIn("Traceback", err)
        self.assertEqual(os.listdir(self.out_dir), [], args)   # nor temp files

    def test_text_errors_name_file_line_and_field(self) -> None:
        for name, (body, where) in TEXT_CASES.items():
            path = os.path.join(self.dir, name + ".hpt")
            support.write(path, body)
            for args in self.commands(path):
                with self.subTest(case=name, command=args[0]):
                    self.assert_error(args, f"hptfuzz: error: {path}{where}")

    def test_empty_binary_file(self) -> None:
        path = os.path.join(self.dir, "empty.bin")
        support.write(path, b"")
        for args in self.commands(path):
            self.assert_error(args, f"{path}: byte 0: empty file")

    def test_directory_and_missing_file(self) -> None:
        missing = os.path.join(self.dir, "nope.bin")
        for args in self.commands(self.dir):
            self.assert_error(args, f"{self.dir}: is a directory")
        for args in self.commands(missing):
            self.assert_error(args, f"{missing}: No such file or directory")

    def test_missing_replay_driver(self) -> None:
        path = os.path.join(self.dir, "case.hpt")
        support.write(path, SCENARIO)
        nowhere = os.path.join(self.dir, "no-driver")
        self.assert_error(["repro", path, "--replay", nowhere],
                          f"{nowhere}: replay driver not found")
        self.assert_error(["render", path, "-o", os.path.join(self.out_dir, "x.svg"),
                           "--replay", nowhere], f"{nowhere}: replay driver not found")
        self.assert_error(["repro", path, "--replay", self.dir],
                          f"{self.dir}: is a directory, expected the replay driver")
        r = support.run("repro", path, env={"HPTFUZZ_BUILD": self.dir,
                                            "HPTFUZZ_REPLAY": ""})
        self.assertEqual((r.returncode, r.stdout), (2, ""))
        self.assertRegex(r.stderr, ERROR)
        self.assertIn(os.path.join(self.dir, "dev", "harness", "hptfuzz-replay"), r.stderr)

    def test_existing_output_survives_a_failure(self) -> None:
        bad = os.path.join(self.dir, "bad.hpt")
        support.write(bad, TEXT_CASES["version"][0])
        target = os.path.join(self.dir, "keep.bin")
        support.write(target, b"precious")
        status, _, _ = support.call("encode", bad, "-o", target)
        self.assertEqual(status, 2)
        self.assertEqual(support.read(target), b"precious")
        self.assertEqual(sorted(os.listdir(self.dir)), ["bad.hpt", "keep.bin", "out"])

    def test_bad_options_and_outputs(self) -> None:
        good = os.path.join(self.dir, "good.hpt")
        support.write(good, SCENARIO)
        self.assert_error(["show", good, "--max-order", "99"], "99 out of range 18..46")
        self.assert_error(["show", good, "--max-order", "x"], "'x' is not a number")
        self.assert_error(["encode", good, "-o", self.out_dir], "is a directory")
        self.assert_error(["decode", good, "-o", os.path.join(self.dir, "no", "x")],
                          "does not exist")
        self.assert_error(["gen", "-o", good], f"{good}: is not a directory")
        self.assert_error(["gen", "-o", self.out_dir, "--count", "0"], "out of range")
        self.assert_error(["gen", "-o", self.out_dir, "--max-order", "18"], "out of range")
        self.assert_error(["gen", "-o", self.out_dir, "--max-order", "27"], "out of range")
        self.assert_error(["frobnicate"], "invalid choice")

    def test_real_process_prints_one_line_and_exit_2(self) -> None:
        path = os.path.join(self.dir, "v.hpt")
        support.write(path, TEXT_CASES["order-high"][0])
        for args in (["show", path], ["render", path, "-o",
                                      os.path.join(self.out_dir, "x.svg"), "--replay",
                                      support.FAKE_REPLAY]):
            r = support.run(*args)
            self.assertEqual((r.returncode, r.stdout), (2, ""))
            self.assertEqual(r.stderr, f"hptfuzz: error: {path}:3: field 'old-order': "
                             "order 47 out of range 18..46\n")
        self.assertEqual(os.listdir(self.out_dir), [])


if __name__ == "__main__":
    unittest.main()
