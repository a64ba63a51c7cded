#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Stand-in for a libFuzzer target, for the tools' engine tests.

-minimize_crash=1 -exact_artifact_path=P FILE: writes the first half of
FILE to P and exits 1 (as libFuzzer does after minimising), unless FILE is
shorter than 2 bytes or $FAKE_FUZZER_FAIL is set (then: no artifact).
-merge=1 OUT IN...: copies each input file whose first byte was not seen
yet into OUT and exits 0, or fails without output if $FAKE_FUZZER_FAIL.
Without these flags (afl-style, input on stdin): exits 0.
"""
import hashlib
import os
import sys

args = sys.argv[1:]
fail = bool(os.environ.get("FAKE_FUZZER_FAIL"))
if "-minimize_crash=1" in args:
    out = next(a.split("=", 1)[1] for a in args if a.startswith("-exact_artifact_path="))
    path = args[-1]
    data = open(path, "rb").read()
    if fail or len(data) < 2:
        print("ERROR: the input did not crash")
        sys.exit(1)
    with open(out, "wb") as f:
        f.write(data[:len(data) // 2])
    print("CRASH_MIN: done")
    sys.exit(1)
if "-merge=1" in args:
    rest = [a for a in args if not a.startswith("-")]
    out, inputs = rest[0], rest[1:]
    if fail:
        print("ERROR: merge failed")
        sys.exit(1)
    seen = set()
    for d in inputs:
        for name in sorted(os.listdir(d)):
            data = open(os.path.join(d, name), "rb").read()
            if data[:1] in seen:
                continue
            seen.add(data[:1])
            with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
    print(f"MERGE-OUTER: {len(seen)} new files")
    sys.exit(0)
sys.stdin.buffer.read()
sys.exit(0)
