# SPDX-License-Identifier: GPL-2.0-only
"""Default locations of the project's binaries.

``HPTFUZZ_BUILD`` names the build root holding the ``dev``, ``libfuzzer``
and ``afl`` trees (default: ``build`` in the repository);
``HPTFUZZ_REPLAY`` names the replay driver itself.  Flags override both.
"""
from __future__ import annotations

import os
import shutil

from .errors import HptError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ("rehash_diff", "raw_table", "protocol", "scenario_decode")
ENGINES = ("libfuzzer", "afl")


def friendly(path: str) -> str:
    """path relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def build_root() -> str:
    root = os.environ.get("HPTFUZZ_BUILD") or os.path.join(REPO, "build")
    return os.path.abspath(root)


def default_replay() -> str:
    env = os.environ.get("HPTFUZZ_REPLAY")
    if env:
        return env
    return friendly(os.path.join(build_root(), "dev", "harness", "hptfuzz-replay"))


def default_fuzzer(engine: str, target: str) -> str:
    return friendly(os.path.join(build_root(), engine, "fuzz", f"fuzz_{target}"))


def require_program(path: str, what: str, hint: str = "") -> str:
    """path if it is an executable file, else an HptError naming it."""
    if os.sep not in path:
        found = shutil.which(path)
        if found:
            return found
        path = os.path.join(os.curdir, path)  # not searched for in PATH
    if os.path.isdir(path):
        raise HptError(f"is a directory, expected the {what}", where=path)
    if not os.path.isfile(path):
        raise HptError(f"{what} not found" + (f" ({hint})" if hint else ""),
                       where=path)
    if not os.access(path, os.X_OK):
        raise HptError(f"{what} is not executable", where=path)
    return path
