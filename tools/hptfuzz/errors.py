# SPDX-License-Identifier: GPL-2.0-only
"""Errors that end a command with one line on stderr and exit status 2."""
from __future__ import annotations


class HptError(Exception):
    """A user-facing error: bad input, missing file or tool, failed tool.

    ``where`` is the file name (or tool path); ``line`` a text line number;
    ``offset`` a byte offset in a binary file; ``field`` the field at fault.
    """

    def __init__(self, msg: str, where: str | None = None,
                 line: int | None = None, field: str | None = None,
                 offset: int | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.where = where
        self.line = line
        self.field = field
        self.offset = offset

    def located(self, where: str) -> "HptError":
        """Attach a file name to an error raised without one."""
        if self.where is None:
            self.where = where
        return self

    def __str__(self) -> str:
        parts = []
        if self.where is not None:
            loc = self.where
            if self.line is not None:
                loc += f":{self.line}"
            parts.append(loc)
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        parts.append(self.msg)
        return ": ".join(parts)


class ScenarioError(HptError):
    """A text scenario that breaks the format (line and field known)."""
