#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Print the libFuzzer flags a fuzz target's .options file gives it.

ClusterFuzz reads .options files with configparser and passes the
[libfuzzer] section as -key=value, with dict relative to the file's
directory; this does the same, so a test can run a target as ClusterFuzz
would, and an options file ClusterFuzz could not read fails here.
"""
import argparse
import configparser
import os
import sys


def flags(path: str) -> list[str]:
    config = configparser.ConfigParser()
    with open(path, encoding="utf-8") as f:
        config.read_file(f)
    if not config.has_section("libfuzzer"):
        raise ValueError("no [libfuzzer] section")
    out = []
    for key, value in config.items("libfuzzer"):
        if key == "dict":
            value = os.path.join(os.path.dirname(path), value)
            if not os.path.isfile(value):
                raise ValueError(f"dict = {value}: no such file")
        out.append(f"-{key}={value}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("options", help="a fuzz target's .options file")
    args = parser.parse_args()
    try:
        print("\n".join(flags(args.options)))
    except (OSError, ValueError, configparser.Error) as e:
        print(f"{args.options}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
