# SPDX-License-Identifier: GPL-2.0-only
"""The standard-library codec against the C one, on every corpus file.

`show`, `encode` and `decode` keep a Python codec so they work without a
build; this test keeps it honest.  Every file under corpus/ (fuzzer bytes,
text scenarios, raw_table words, even the READMEs: every byte string is a
scenario) is decoded by both, and their canonical text must be identical.
The C side is `hptfuzz-replay --print-text`, which prints the canonical
text of each file it loads (scenario/text.c) and runs nothing.
"""
from __future__ import annotations

import os
import subprocess
import unittest

import support
from hptfuzz import fileio, text
from hptfuzz.errors import HptError

MAGIC = "hptfuzz-scenario"


def _raw_words(path: str) -> bool:
    """raw_table inputs are in that target's own form."""
    return "raw_table" in path.split(os.sep)


def _c_texts(driver: str, paths: list[str], raw_words: bool) -> dict[str, str | None]:
    """Each file's canonical text as the C codec prints it; None where
    the C codec rejects the file."""
    flags = ["--raw-words"] if raw_words else []
    proc = subprocess.run([driver, "--print-text", *flags, *paths],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode == 0:
        chunks = proc.stdout.split(MAGIC)[1:]
        if len(chunks) == len(paths):
            return {p: MAGIC + c for p, c in zip(paths, chunks)}
    # A file was rejected (or the split is unsure): one file at a time
    out: dict[str, str | None] = {}
    for p in paths:
        one = subprocess.run([driver, "--print-text", *flags, p],
                             capture_output=True, text=True, timeout=60)
        out[p] = one.stdout if one.returncode == 0 else None
    return out


def _py_text(path: str, raw_words: bool) -> str | None:
    try:
        scen, _ = fileio.load(path, "raw-words" if raw_words else "auto")
    except HptError:
        return None
    return text.format_scenario(scen)


class CodecAgainstC(unittest.TestCase):
    def setUp(self) -> None:
        self.driver = os.environ.get("HPTFUZZ_REPLAY", "")
        if not os.access(self.driver, os.X_OK):
            self.fail("HPTFUZZ_REPLAY must name a built hptfuzz-replay "
                      f"(got '{self.driver}')")

    def test_every_corpus_file_decodes_alike(self) -> None:
        files = support.corpus_files()
        self.assertGreater(len(files), 100, "the corpus is missing")
        differ = []
        for raw in (False, True):
            group = [f for f in files if _raw_words(f) == raw]
            c_texts = _c_texts(self.driver, group, raw)
            for path in group:
                want, got = c_texts[path], _py_text(path, raw)
                if want != got:
                    differ.append((path, want, got))
        if differ:
            path, want, got = differ[0]
            rel = os.path.relpath(path, support.REPO)
            self.fail(f"{len(differ)} of {len(files)} corpus files decode "
                      f"differently; first {rel}:\n--- C\n{want}--- Python\n{got}")


if __name__ == "__main__":
    unittest.main()
