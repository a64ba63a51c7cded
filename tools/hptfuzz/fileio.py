# SPDX-License-Identifier: GPL-2.0-only
"""Reading scenario files and writing outputs atomically."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import IO, Any, Iterator

from . import binary, text
from .errors import HptError
from .model import Scenario

# raw-words: the raw_table fuzz target's input (never guessed by auto)
FORMATS = ("auto", "binary", "text", "raw-words")
# A file named like this is text, even without its first line: a person
# wrote it, and decoding it as fuzzer bytes would hide the mistake
TEXT_SUFFIX = ".hpt"


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def read_bytes(path: str) -> bytes:
    """A file's bytes, or an HptError naming it."""
    if os.path.isdir(path):
        raise HptError("is a directory, expected a scenario file", where=path)
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise HptError(exc.strerror or str(exc), where=path) from None


def decode_bytes(data: bytes, path: str, fmt: str = "auto") -> tuple[Scenario, bool]:
    """(scenario, was_text) of a file's bytes in the given format."""
    if fmt == "auto":
        as_text = text.is_text(data) or path.endswith(TEXT_SUFFIX)
    else:
        as_text = fmt == "text"
    if fmt == "raw-words":
        return binary.decode_raw_words(data), False
    try:
        if as_text:
            return text.parse(data), True
    except HptError as exc:
        raise exc.located(path) from None
    if not data:
        raise HptError("empty file (a binary scenario needs at least one byte)",
                       where=path, offset=0)
    return binary.decode(data), False


def load(path: str, fmt: str = "auto") -> tuple[Scenario, bool]:
    """Read and decode a scenario file."""
    return decode_bytes(read_bytes(path), path, fmt)


@contextmanager
def atomic_output(path: str, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temporary file beside path, renamed over it on success;
    on any failure the temporary file goes and path is untouched."""
    if os.path.isdir(path):
        raise HptError("is a directory, expected an output file name", where=path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise HptError(f"output directory {directory} does not exist", where=path)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".hptfuzz-",
                                   suffix=".tmp")
    except OSError as exc:
        raise HptError(exc.strerror or str(exc), where=path) from None
    try:
        with os.fdopen(fd, mode) as f:
            yield f
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_bytes(path: str, data: bytes) -> None:
    with atomic_output(path, "wb") as f:
        f.write(data)


def write_text(path: str, data: str) -> None:
    with atomic_output(path, "w") as f:
        f.write(data)
