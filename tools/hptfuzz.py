#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hptfuzz: scenario tools for the HPT resize fuzzing harness.

Run ``python3 tools/hptfuzz.py --help`` for the list of subcommands.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hptfuzz.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
