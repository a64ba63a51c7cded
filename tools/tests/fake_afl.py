#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Stand-in for afl-tmin and afl-cmin (by the name it is called with, or
--as tmin|cmin first), for the tools' engine tests.

tmin -i FILE -o OUT -- PROG: writes the first half of FILE to OUT.
cmin -i DIR -o OUT -- PROG: creates OUT with one file per distinct first
byte.  Both fail without output if $FAKE_FUZZER_FAIL is set.
"""
import os
import shutil
import sys

args = sys.argv[1:]
mode = "cmin" if "cmin" in os.path.basename(sys.argv[0]) else "tmin"
if args[:1] == ["--as"]:
    mode, args = args[1], args[2:]
src = args[args.index("-i") + 1]
out = args[args.index("-o") + 1]
if "--" not in args or os.environ.get("FAKE_FUZZER_FAIL"):
    print("[-] PROGRAM ABORT : fake failure")
    sys.exit(1)
if mode == "tmin":
    data = open(src, "rb").read()
    with open(out, "wb") as f:
        f.write(data[:max(1, len(data) // 2)])
else:
    os.mkdir(out)
    seen = set()
    for name in sorted(os.listdir(src)):
        data = open(os.path.join(src, name), "rb").read()
        if data[:1] not in seen:
            seen.add(data[:1])
            shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
sys.exit(0)
