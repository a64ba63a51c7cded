# SPDX-License-Identifier: GPL-2.0-only
"""Running the replay driver and reading its DIVERGENCE line.

Contract: ``hptfuzz-replay [--impl NAME|all] [--max-order N] [--quiet]
FILE...`` exits 0 when all agree, 1 on a divergence, 2 on a usage or file
error, and on a divergence prints one line

    DIVERGENCE impl=<name> what=<kind> record=<n|-> old_index=<0xhex|->
               expected_index=<0xhex|-> actual_index=<0xhex|->

with kind one of crash, hang, rc, unmap, old-entry, new-entry, rmap,
violation, invariant.  Indices name new-table slots for new-entry, old-table
slots otherwise.
"""
from __future__ import annotations

import re
import signal
import subprocess
from dataclasses import dataclass

from .errors import HptError

_LINE = re.compile(
    r"^DIVERGENCE\s+impl=(?P<impl>\S+)\s+what=(?P<what>\S+)\s+"
    r"record=(?P<record>\d+|-)\s+old_index=(?P<old>0x[0-9a-fA-F]+|-)\s+"
    r"expected_index=(?P<exp>0x[0-9a-fA-F]+|-)\s+"
    r"actual_index=(?P<act>0x[0-9a-fA-F]+|-)\s*$", re.M)
# Words in the human report: "expected new[0x1a3] v=0x.. r=0x..", with
# "actual" or "now" (the state where an implementation stopped) for actual
_WORDS = re.compile(
    r"^\s*(?P<side>expected|actual|now)\b.*?\b(?P<table>old|new)?\s*"
    r"\[\s*(?P<index>0x[0-9a-fA-F]+)\s*\].*?\bv=(?P<v>0x[0-9a-fA-F]+)"
    r".*?\br=(?P<r>0x[0-9a-fA-F]+)", re.I)
TIMEOUT = 120


@dataclass
class Divergence:
    impl: str
    what: str
    record: int | None
    old_index: int | None
    expected_index: int | None
    actual_index: int | None

    @property
    def in_new_table(self) -> bool:
        """Whether expected/actual indices name new-table slots."""
        return self.what == "new-entry"


@dataclass
class ReportedWords:
    side: str           # "expected" or "actual"
    table: str | None   # "old", "new" or unknown
    index: int
    v: int
    r: int


@dataclass
class ReplayResult:
    command: list[str]
    status: int             # exit status, or -signal
    output: str             # stdout then stderr
    divergence: Divergence | None
    words: list[ReportedWords]

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


def _opt_int(text: str) -> int | None:
    return None if text == "-" else int(text, 0)


def parse_divergence(output: str) -> Divergence | None:
    m = _LINE.search(output)
    if not m:
        return None
    return Divergence(m["impl"], m["what"], _opt_int(m["record"]),
                      _opt_int(m["old"]), _opt_int(m["exp"]), _opt_int(m["act"]))


def parse_words(output: str) -> list[ReportedWords]:
    words = []
    for line in output.splitlines():
        m = _WORDS.search(line)
        if m:
            side = m["side"].lower()
            words.append(ReportedWords("expected" if side == "expected" else "actual",
                                       m["table"].lower() if m["table"] else None,
                                       int(m["index"], 16), int(m["v"], 16),
                                       int(m["r"], 16)))
    return words


def command(driver: str, path: str, impl: str, max_order: int,
            quiet: bool = False) -> list[str]:
    cmd = [driver, "--impl", impl, "--max-order", str(max_order)]
    if quiet:
        cmd.append("--quiet")
    return cmd + [path]


def run(driver: str, path: str, impl: str, max_order: int) -> ReplayResult:
    cmd = command(driver, path, impl, max_order)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=TIMEOUT)
    except OSError as exc:
        raise HptError(f"cannot run the replay driver: {exc.strerror or exc}",
                       where=driver) from None
    except subprocess.TimeoutExpired:
        raise HptError(f"the replay driver did not finish in {TIMEOUT} s",
                       where=driver) from None
    output = proc.stdout.decode("utf-8", "replace")
    return ReplayResult(cmd, proc.returncode, output, parse_divergence(output),
                        parse_words(output))
