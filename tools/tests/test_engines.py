# SPDX-License-Identifier: GPL-2.0-only
"""`minimize` and `merge`: the right engine command lines, atomic results,
inputs that survive a failing engine.  Stand-in engines keep this fast; a
real libFuzzer run is added when clang can build one."""
from __future__ import annotations

import glob
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

import support

FAKE_LF = os.path.join(support.TESTS, "fake_libfuzzer.py")
FAKE_AFL = os.path.join(support.TESTS, "fake_afl.py")


class Engines(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.crash = os.path.join(self.dir, "crash")
        support.write(self.crash, bytes(range(40)))
        for tool in ("tmin", "cmin"):
            path = os.path.join(self.dir, f"afl-{tool}")
            support.write(path, f"#!/bin/sh\nexec {sys.executable} {FAKE_AFL} "
                          f"--as {tool} \"$@\"\n")
            os.chmod(path, stat.S_IRWXU)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def leftovers(self) -> list[str]:
        return glob.glob(os.path.join(self.dir, ".hptfuzz-*")) + \
            glob.glob(os.path.join(self.dir, ".*.merge-*"))

    # ------------------------------------------------------------ minimize

    def test_minimize_libfuzzer_and_afl(self) -> None:
        for engine, extra in (("libfuzzer", []),
                              ("afl", ["--tool", os.path.join(self.dir, "afl-tmin")])):
            out = os.path.join(self.dir, f"min-{engine}")
            status, stdout, err = support.call(
                "minimize", self.crash, "-o", out, "--engine", engine,
                "--fuzzer", FAKE_LF, "--runs", "50", *extra)
            self.assertEqual(status, 0, err)
            self.assertEqual(support.read(out), bytes(range(20)))
            self.assertEqual(support.read(self.crash), bytes(range(40)))
            self.assertIn("(40 bytes)", stdout)
            self.assertEqual(self.leftovers(), [])

    def test_minimize_in_place_and_failure_keeps_input(self) -> None:
        status, _, err = support.call("minimize", self.crash, "-o", self.crash,
                                      "--fuzzer", FAKE_LF)
        self.assertEqual(status, 0, err)
        self.assertEqual(support.read(self.crash), bytes(range(20)))
        os.environ["FAKE_FUZZER_FAIL"] = "1"
        try:
            for engine, extra in (("libfuzzer", []),
                                  ("afl", ["--tool", os.path.join(self.dir, "afl-tmin")])):
                for out in (self.crash, os.path.join(self.dir, "new")):
                    status, stdout, err = support.call(
                        "minimize", self.crash, "-o", out, "--engine", engine,
                        "--fuzzer", FAKE_LF, *extra)
                    self.assertEqual(status, 2)
                    self.assertEqual(len(err.splitlines()), 1, err)
                    self.assertIn("minimiser failed", err)
                    self.assertEqual(support.read(self.crash), bytes(range(20)))
                    self.assertFalse(os.path.exists(os.path.join(self.dir, "new")))
                    self.assertEqual(self.leftovers(), [])
        finally:
            del os.environ["FAKE_FUZZER_FAIL"]

    def test_minimize_missing_fuzzer_and_tool(self) -> None:
        nowhere = os.path.join(self.dir, "fuzz_nothing")
        status, _, err = support.call("minimize", self.crash, "-o",
                                      os.path.join(self.dir, "o"), "--fuzzer", nowhere)
        self.assertEqual(status, 2)
        self.assertIn(f"{nowhere}: libfuzzer fuzz target not found", err)
        r = support.run("minimize", self.crash, "-o", os.path.join(self.dir, "o"),
                        env={"HPTFUZZ_BUILD": self.dir})
        self.assertEqual(r.returncode, 2)
        self.assertIn(os.path.join(self.dir, "libfuzzer", "fuzz", "fuzz_rehash_diff"),
                      r.stderr)
        status, _, err = support.call("minimize", self.crash, "-o",
                                      os.path.join(self.dir, "o"), "--engine", "afl",
                                      "--fuzzer", FAKE_LF, "--tool", nowhere)
        self.assertEqual(status, 2)
        self.assertIn("afl-tmin not found", err)

    # --------------------------------------------------------------- merge

    def make_corpus(self) -> tuple[str, str]:
        corpus, new = os.path.join(self.dir, "corpus"), os.path.join(self.dir, "new")
        os.mkdir(corpus)
        os.mkdir(new)
        for i, data in enumerate((b"A1", b"B1", b"A2")):
            support.write(os.path.join(corpus, f"c{i}"), data)
        for i, data in enumerate((b"C1", b"B2", b"D1")):
            support.write(os.path.join(new, f"n{i}"), data)
        return corpus, new

    def contents(self, d: str) -> set[bytes]:
        return {support.read(os.path.join(d, n)) for n in os.listdir(d)}

    def test_merge_libfuzzer_and_afl(self) -> None:
        for engine, extra in (("libfuzzer", []),
                              ("afl", ["--tool", os.path.join(self.dir, "afl-cmin")])):
            corpus, new = self.make_corpus()
            status, stdout, err = support.call("merge", corpus, new, "--engine", engine,
                                               "--fuzzer", FAKE_LF, *extra)
            self.assertEqual(status, 0, err)
            self.assertEqual({d[:1] for d in self.contents(corpus)}, set(b"ABCD"[i:i + 1]
                                                                        for i in range(4)))
            self.assertEqual(len(os.listdir(corpus)), 4)
            self.assertEqual(len(os.listdir(new)), 3)          # inputs untouched
            self.assertIn("3 files before, 4 after", stdout)
            self.assertEqual(self.leftovers(), [])
            shutil.rmtree(corpus)
            shutil.rmtree(new)

    def test_merge_failure_keeps_corpus(self) -> None:
        os.environ["FAKE_FUZZER_FAIL"] = "1"
        try:
            for engine, extra in (("libfuzzer", []),
                                  ("afl", ["--tool", os.path.join(self.dir, "afl-cmin")])):
                corpus, new = self.make_corpus()
                before = self.contents(corpus)
                status, _, err = support.call("merge", corpus, new, "--engine", engine,
                                              "--fuzzer", FAKE_LF, *extra)
                self.assertEqual(status, 2)
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertIn("merge failed", err)
                self.assertEqual(self.contents(corpus), before)
                self.assertEqual(self.leftovers(), [])
                shutil.rmtree(corpus)
                shutil.rmtree(new)
        finally:
            del os.environ["FAKE_FUZZER_FAIL"]
        corpus, _ = self.make_corpus()
        status, _, err = support.call("merge", corpus, os.path.join(self.dir, "nope"),
                                      "--fuzzer", FAKE_LF)
        self.assertEqual(status, 2)
        self.assertIn("nope: no such directory", err)


def _clang_fuzzer() -> str | None:
    clang = shutil.which("clang")
    if not clang:
        return None
    probe = subprocess.run([clang, "-print-file-name=libclang_rt.fuzzer-x86_64.a"],
                           capture_output=True, text=True)
    lib = probe.stdout.strip()
    return clang if os.path.isabs(lib) and os.path.exists(lib) else None


CLANG = _clang_fuzzer()
TARGET = r"""
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n >= 2 && d[0] == 'H') {
		if (d[1] == 'P')
			abort();
		return 1;
	}
	return 0;
}
"""


@unittest.skipUnless(CLANG, "clang with libFuzzer not available")
class RealLibFuzzer(unittest.TestCase):
    def test_minimize_and_merge_with_libfuzzer(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            src, prog = os.path.join(d, "t.c"), os.path.join(d, "fuzz_t")
            support.write(src, TARGET)
            subprocess.run([CLANG, "-g", "-fsanitize=fuzzer", src, "-o", prog],
                           check=True, capture_output=True)
            crash = os.path.join(d, "crash")
            support.write(crash, b"HPx")
            out = os.path.join(d, "min")
            status, _, err = support.call("minimize", crash, "-o", out,
                                          "--fuzzer", prog, "--runs", "100")
            self.assertEqual(status, 0, err)
            self.assertEqual(support.read(out), b"HP")
            corpus, new = os.path.join(d, "corpus"), os.path.join(d, "new")
            os.mkdir(corpus)
            os.mkdir(new)
            support.write(os.path.join(corpus, "a"), b"zz")
            support.write(os.path.join(new, "b"), b"Hx")
            support.write(os.path.join(new, "c"), b"yy")
            status, _, err = support.call("merge", corpus, new, "--fuzzer", prog)
            self.assertEqual(status, 0, err)
            self.assertIn(b"Hx", {support.read(os.path.join(corpus, n))
                                  for n in os.listdir(corpus)})
            self.assertEqual(sorted(os.listdir(d)), ["corpus", "crash", "fuzz_t",
                                                     "min", "new", "t.c"])


if __name__ == "__main__":
    unittest.main()
