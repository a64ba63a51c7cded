# SPDX-License-Identifier: GPL-2.0-only
"""libFuzzer and AFL++ front ends: crash minimisation and corpus merging.

Outputs are atomic: work goes to temporary files or directories beside the
target and replaces it only when the tool succeeded; inputs are never
modified.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import subprocess
import tempfile

from . import paths
from .errors import HptError

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _run(cmd: list[str], what: str,
         timeout: float | None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout)
    except OSError as exc:
        raise HptError(f"cannot run {what}: {exc.strerror or exc}",
                       where=cmd[0]) from None
    except subprocess.TimeoutExpired:
        raise HptError(f"{what} did not finish in {timeout} s",
                       where=cmd[0]) from None


def _tail(output: bytes) -> str:
    lines = [ln for ln in output.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1].strip()[:200] if lines else "no output"


def _keep(proc: subprocess.CompletedProcess[bytes], log: str | None) -> None:
    if log:
        with open(log, "ab") as f:
            f.write(proc.stdout)


# ------------------------------------------------------------- minimise

def minimize(path: str, out: str, engine: str, fuzzer: str, runs: int,
             tool: str | None = None, timeout: float | None = None,
             log: str | None = None) -> int:
    """Minimise the crashing input path into out; returns the new size."""
    data_size = os.path.getsize(path)
    if not data_size:
        raise HptError("empty file (nothing to minimise)", where=path, offset=0)
    if os.path.isdir(out):
        raise HptError("is a directory, expected an output file name", where=out)
    directory = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(directory):
        raise HptError(f"output directory {directory} does not exist", where=out)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".hptfuzz-min-", suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)  # the minimiser creates it
    try:
        if engine == "libfuzzer":
            cmd = [fuzzer, "-minimize_crash=1", f"-runs={runs}",
                   f"-exact_artifact_path={tmp}", path]
        else:
            tmin = paths.require_program(tool or "afl-tmin", "afl-tmin",
                                         "install AFL++ or pass --tool")
            cmd = [tmin, "-i", path, "-o", tmp, "--", fuzzer]
        proc = _run(cmd, "the minimiser", timeout)
        _keep(proc, log)
        produced = os.path.isfile(tmp) and os.path.getsize(tmp) > 0
        # libFuzzer exits non-zero after minimising (the input still
        # crashes); the artifact is the result.  afl-tmin exits 0.
        if not produced or (engine == "afl" and proc.returncode != 0):
            raise HptError(f"minimiser failed ({'exit ' + str(proc.returncode)}"
                           f", {_tail(proc.stdout)}); {path} is untouched",
                           where=cmd[0])
        size = os.path.getsize(tmp)
        os.replace(tmp, out)
        return size
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ---------------------------------------------------------------- merge

def _files(directory: str) -> list[str]:
    out: list[str] = []
    for root, _, names in os.walk(directory):
        out.extend(os.path.join(root, n) for n in names)
    return sorted(out)


def _exchange(a: str, b: str) -> bool:
    """Swap two paths atomically (Linux renameat2); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                   ctypes.c_char_p, ctypes.c_uint]
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(rc == 0)


def _swap_in(new_dir: str, corpus: str) -> None:
    """Put new_dir in corpus's place; the old corpus ends up at new_dir."""
    if _exchange(new_dir, corpus):
        return
    aside = new_dir + ".old"
    os.rename(corpus, aside)
    os.rename(new_dir, corpus)
    os.rename(aside, new_dir)


def _check_dirs(corpus: str, new_dirs: list[str]) -> None:
    for d in [corpus] + new_dirs:
        if not os.path.exists(d):
            raise HptError("no such directory", where=d)
        if not os.path.isdir(d):
            raise HptError("is not a directory, expected a corpus directory",
                           where=d)


def merge(corpus: str, new_dirs: list[str], engine: str, fuzzer: str,
          tool: str | None = None, timeout: float | None = None,
          log: str | None = None) -> tuple[int, int]:
    """Merge new_dirs into corpus, keeping a minimal covering set.

    Returns (files before, files after).
    """
    _check_dirs(corpus, new_dirs)
    corpus = os.path.abspath(corpus.rstrip("/") or "/")
    parent = os.path.dirname(corpus)
    before = len(_files(corpus))
    inputs = before + sum(len(_files(d)) for d in new_dirs)
    work = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(corpus)}.merge-")
    try:
        result = os.path.join(work, "result")
        os.mkdir(result)
        if engine == "libfuzzer":
            cmd = [fuzzer, "-merge=1", result, corpus] + new_dirs
        else:
            cmin = paths.require_program(tool or "afl-cmin", "afl-cmin",
                                         "install AFL++ or pass --tool")
            staged = os.path.join(work, "inputs")
            os.mkdir(staged)
            for d in [corpus] + new_dirs:
                for f in _files(d):
                    with open(f, "rb") as fh:
                        name = hashlib.sha1(fh.read()).hexdigest()
                    dest = os.path.join(staged, name)
                    if not os.path.exists(dest):
                        shutil.copyfile(f, dest)
            os.rmdir(result)  # afl-cmin wants to create it
            cmd = [cmin, "-i", staged, "-o", result, "--", fuzzer]
        proc = _run(cmd, "the corpus merge", timeout)
        _keep(proc, log)
        after = len(_files(result)) if os.path.isdir(result) else 0
        if proc.returncode != 0 or (inputs and not after):
            raise HptError(f"merge failed (exit {proc.returncode}, "
                           f"{_tail(proc.stdout)}); {corpus} is untouched",
                           where=cmd[0])
        os.chmod(result, os.stat(corpus).st_mode & 0o7777)
        _swap_in(result, corpus)
        return before, after
    finally:
        shutil.rmtree(work, ignore_errors=True)
