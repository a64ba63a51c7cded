#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Stand-in for hptfuzz-replay in the tools' tests.

Prints $FAKE_REPLAY_OUTPUT on standard output and $FAKE_REPLAY_STDERR on
standard error, exits with $FAKE_REPLAY_STATUS (default 1), and appends its
arguments, one run per line, to $FAKE_REPLAY_ARGV if set.  For what the
front end does with a driver that fails or says nothing useful; what it
shows of a real run is tested against the real driver.
"""
import json
import os
import sys

if os.environ.get("FAKE_REPLAY_ARGV"):
    with open(os.environ["FAKE_REPLAY_ARGV"], "a") as f:
        f.write(json.dumps(sys.argv[1:]) + "\n")
sys.stdout.write(os.environ.get("FAKE_REPLAY_OUTPUT", ""))
sys.stderr.write(os.environ.get("FAKE_REPLAY_STDERR", ""))
sys.exit(int(os.environ.get("FAKE_REPLAY_STATUS", "1")))
