# SPDX-License-Identifier: GPL-2.0-only
"""Running the replay driver and reading what it says.

Every fact shown by ``repro``, ``render`` and ``show`` comes from
``hptfuzz-replay --json`` (docs/json.md): one JSON object per input file,
one per line, holding the scenario as the C codec decoded it, where each
record was placed, the oracle's prediction and each implementation's
outcome, tables and divergences.  Nothing here predicts or re-derives any
of it.  Exit status of the driver: 0 all agree, 1 a divergence, 2 a usage
or file error; anything else (a signal) means the driver itself crashed.
"""
from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass, field
from typing import Any

from .errors import HptError

TIMEOUT = 120

Facts = dict[str, Any]          # one file's JSON object
Entry = tuple[int, int, int]    # (v, r, guest R) as stored


@dataclass
class ReplayResult:
    command: list[str]
    status: int                 # exit status, or -signal
    reports: list[Facts]        # one per file the driver finished
    stderr: str = ""
    bad_lines: list[str] = field(default_factory=list)

    @property
    def crashed(self) -> bool:
        return self.status < 0 or self.status > 2

    def status_text(self) -> str:
        if self.status < 0:
            try:
                return f"killed by {signal.Signals(-self.status).name}"
            except ValueError:
                return f"killed by signal {-self.status}"
        return f"exit {self.status}"

    @property
    def facts(self) -> Facts | None:
        """The one file's object (the front end replays one file)."""
        return self.reports[0] if self.reports else None


def command(driver: str, path: str, impl: str, max_order: int | None,
            as_json: bool = False, raw_words: bool = False) -> list[str]:
    """The driver's command line; no --max-order lets the driver choose
    the cap (the one a finding was found with, else its default)."""
    cmd = [driver, "--impl", impl]
    if max_order is not None:
        cmd += ["--max-order", str(max_order)]
    if raw_words:
        cmd.append("--raw-words")
    if as_json:
        cmd.append("--json")
    return cmd + [path]


def run(driver: str, path: str, impl: str, max_order: int | None,
        raw_words: bool = False) -> ReplayResult:
    cmd = command(driver, path, impl, max_order, as_json=True, raw_words=raw_words)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT)
    except OSError as exc:
        raise HptError(f"cannot run the replay driver: {exc.strerror or exc}",
                       where=driver) from None
    except subprocess.TimeoutExpired:
        raise HptError(f"the replay driver did not finish in {TIMEOUT} s",
                       where=driver) from None
    reports, bad = [], []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            reports.append(json.loads(line))
        except json.JSONDecodeError:
            bad.append(line)
    return ReplayResult(cmd, proc.returncode, reports,
                        proc.stderr.decode("utf-8", "replace"), bad)


def default_max_order(driver: str) -> int:
    """The harness's own default order cap (hpt/harness.h)."""
    try:
        proc = subprocess.run([driver, "--print-default-max-order"],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT)
        return int(proc.stdout.decode().strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        raise HptError("cannot ask the replay driver for its default order "
                       "cap", where=driver) from None


# ------------------------------------------------------- reading the facts

def word(text: str) -> int:
    return int(text, 16)


def table(obj: Facts | None) -> dict[int, Entry] | None:
    """A JSON table ({"order", "entries"}) as index -> words; None when
    the driver gives none (not predicted, not seen, or too large)."""
    if obj is None or obj.get("entries") is None:
        return None
    return {e["index"]: (word(e["v"]), word(e["r"]), word(e["guest_r"]))
            for e in obj["entries"]}


def records_of(obj: Facts | None) -> dict[int, int]:
    """index -> record number, for a table whose entries name them."""
    if obj is None or obj.get("entries") is None:
        return {}
    return {e["index"]: e["record"] for e in obj["entries"]
            if e.get("record") is not None}


def first_divergence(facts: Facts) -> tuple[Facts, Facts] | None:
    """(implementation, its first divergence) of the first implementation
    that diverges, in the driver's order."""
    for impl in facts.get("impls", []):
        if impl.get("divergences"):
            return impl, impl["divergences"][0]
    return None


def divergence_line(impl: Facts, div: Facts) -> str:
    """The DIVERGENCE line of the human report, said from the JSON."""
    def num(key: str) -> str:
        x = div.get(key)
        return "-" if x is None else f"{x:#x}"
    rec = div.get("record")
    return (f"DIVERGENCE impl={impl['impl']} what={div['kind']} "
            f"record={'-' if rec is None else rec} old_index={num('old_index')} "
            f"expected_index={num('expected_index')} "
            f"actual_index={num('actual_index')}")
