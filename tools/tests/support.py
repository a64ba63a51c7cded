# SPDX-License-Identifier: GPL-2.0-only
"""Helpers shared by the tools' tests."""
from __future__ import annotations

import atexit
import io
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(TESTS)
REPO = os.path.dirname(TOOLS)
CLI = os.path.join(TOOLS, "hptfuzz.py")
FAKE_REPLAY = os.path.join(TESTS, "fake_replay.py")
# The replay driver of the build tree under test (set by ctest)
REPLAY = os.environ.get("HPTFUZZ_REPLAY", "")
sys.path.insert(0, TOOLS)

from hptfuzz import gen  # noqa: E402
from hptfuzz.cli import main  # noqa: E402


def run(*args: str, env: dict[str, str] | None = None,
        cwd: str | None = None) -> subprocess.CompletedProcess:
    """The CLI in a fresh interpreter, text output captured."""
    full_env = dict(os.environ)
    full_env.pop("HPTFUZZ_MAX_ORDER", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, CLI, *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=60)


def call(*args: str) -> tuple[int, str, str]:
    """The CLI in this process (faster): (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def require_driver() -> str:
    """The real replay driver; the tests that need one fail without it."""
    if not os.access(REPLAY, os.X_OK):
        raise AssertionError("HPTFUZZ_REPLAY must name a built hptfuzz-replay "
                             f"(got '{REPLAY}')")
    return REPLAY


def replay_json(*args: str) -> list[dict]:
    """hptfuzz-replay --json ARGS..., its objects."""
    import json
    proc = subprocess.run([require_driver(), "--json", *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def corpus_files() -> list[str]:
    """Every file shipped under corpus/, if the directory exists."""
    root = os.path.join(REPO, "corpus")
    found = []
    for d, _, names in os.walk(root):
        found.extend(os.path.join(d, n) for n in names)
    return sorted(found)


_SEEDS: dict[tuple[int, int], str] = {}


def seed_dir(seed: int = 0, count: int = gen.DEFAULT_COUNT) -> str:
    """A directory of `gen` output (binary and .hpt), made once per run."""
    key = (seed, count)
    if key not in _SEEDS:
        d = tempfile.mkdtemp(prefix="hptfuzz-seeds-")
        atexit.register(shutil.rmtree, d, True)
        status, _, err = call("gen", "-o", d, "--seed", str(seed), "--count",
                              str(count), "--text", "--max-order", "19")
        assert status == 0, err
        _SEEDS[key] = d
    return _SEEDS[key]


def listing(directory: str) -> list[str]:
    return sorted(os.listdir(directory))


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def write(path: str, data: bytes | str) -> None:
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
