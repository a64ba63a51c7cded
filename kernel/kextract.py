#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Copy named definitions out of kernel source, byte for byte, and check
that a file made that way still holds exactly the source's text.

    kextract.py extract --items LIST (--tree DIR | --patch FILE) --out FILE.c
    kextract.py check   --items LIST (--tree DIR | --patch FILE) FILE.c

LIST names one definition a line: "PATH KIND NAME", KIND one of func
(a function definition, from its first declaration line to its closing
brace), struct (a structure definition up to its "};") or macro (a
#define with its continuation lines).  With --patch the source of PATH is
the patch's post-image of that file: context and added lines, in order,
as the patch holds them.

The output is the definitions in LIST order, each after a marker comment
and a #line directive pointing at where it stands in the source, so the
compiler's messages name the kernel's file and line.  Nothing else goes in.

check re-reads the source and fails (exit 1) unless every definition in
the file is, byte for byte, the source's text at the line its marker
names, is a whole definition of that name, and the file holds exactly the
definitions LIST names and nothing between them but their markers.
Errors name the file, line and definition; bad input exits 2.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = re.compile(r'^/\* kextract: (func|struct|macro) (\w+) from (\S+) line (\d+) \*/$')
KINDS = ("func", "struct", "macro")


class Bad(Exception):
    """Bad input: exit 2 with the message."""


@dataclass
class Item:
    path: str
    kind: str
    name: str


def read_items(path: Path) -> list[Item]:
    items = []
    try:
        lines = path.read_text().splitlines()
    except OSError as e:
        raise Bad(f"{path}: {e.strerror}") from e
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        if len(f) != 3 or f[1] not in KINDS:
            raise Bad(f"{path}: line {n}: want 'PATH KIND NAME' with KIND one of {', '.join(KINDS)}")
        items.append(Item(*f))
    if not items:
        raise Bad(f"{path}: names no definition")
    return items


def patch_post_image(patch: Path, path: str) -> list[str]:
    """The lines the patch shows of PATH after it applies, by line number
    (1-based; lines the patch does not show are None)."""
    try:
        text = patch.read_text()
    except OSError as e:
        raise Bad(f"{patch}: {e.strerror}") from e
    out: list[str | None] = []
    cur = None
    line_no = 0
    for line in text.split("\n"):
        if line.startswith("+++ "):
            name = line[4:].split("\t")[0]
            cur = name[2:] if name.startswith("b/") else name
            continue
        if line.startswith("--- ") or line.startswith("diff "):
            cur = None if line.startswith("diff ") else cur
            continue
        m = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", line)
        if m:
            line_no = int(m.group(1))
            continue
        if cur != path or line_no == 0:
            continue
        if line.startswith("+") or line.startswith(" "):
            while len(out) < line_no - 1:
                out.append(None)
            if len(out) == line_no - 1:
                out.append(line[1:] + "\n")
            line_no += 1
        elif line.startswith("-") or line.startswith("\\"):
            continue
    if not out:
        raise Bad(f"{patch}: has no hunk for {path}")
    return out


class Source:
    """The text of each PATH, as a tree file or a patch's post-image."""

    def __init__(self, tree: Path | None, patch: Path | None):
        self.tree, self.patch = tree, patch
        self.cache: dict[str, list[str | None]] = {}

    def lines(self, path: str) -> list[str | None]:
        if path not in self.cache:
            if self.patch:
                self.cache[path] = patch_post_image(self.patch, path)
            else:
                f = self.tree / path
                try:
                    self.cache[path] = f.read_text().splitlines(keepends=True)
                except OSError as e:
                    raise Bad(f"{f}: {e.strerror}") from e
        return self.cache[path]

    def label(self, path: str) -> str:
        return f"{self.patch}:{path}" if self.patch else str(self.tree / path)


def code_mask(lines: list[str | None]) -> list[str]:
    """Each line with comments, strings, character constants and
    preprocessor lines blanked, so braces and names can be counted."""
    out = []
    in_comment = False
    in_pp = False
    for line in lines:
        if line is None:
            out.append("")
            in_comment = in_pp = False
            continue
        s = []
        i = 0
        if not in_comment and (in_pp or line.lstrip().startswith("#")):
            in_pp = line.rstrip("\n").endswith("\\")
            out.append("")
            continue
        while i < len(line):
            c = line[i]
            if in_comment:
                if line.startswith("*/", i):
                    in_comment = False
                    i += 2
                else:
                    i += 1
                s.append(" ")
                continue
            if line.startswith("/*", i):
                in_comment = True
                i += 2
                s.append(" ")
                continue
            if line.startswith("//", i):
                break
            if c in "\"'":
                j = i + 1
                while j < len(line) and line[j] != c:
                    j += 2 if line[j] == "\\" else 1
                s.append(" ")
                i = j + 1
                continue
            s.append(c)
            i += 1
        out.append("".join(s))
    return out


def find_macro(lines: list[str | None], name: str) -> tuple[int, int]:
    hits = [i for i, l in enumerate(lines)
            if l is not None and re.match(r"^#\s*define\s+" + name + r"\b", l)]
    if len(hits) != 1:
        raise LookupError(f"{len(hits)} definitions of macro {name}")
    end = hits[0]
    while lines[end].rstrip("\n").endswith("\\"):
        end += 1
    return hits[0], end


def find_block(lines: list[str | None], kind: str, name: str) -> tuple[int, int]:
    """First and last line (0-based) of a top-level function or struct."""
    code = code_mask(lines)
    # Brace depth where each line starts.  A patch shows pieces of a file:
    # each piece starts at depth 0, and a closing brace whose opening it
    # does not show leaves the depth at 0.
    at = []
    depth = 0
    for i, l in enumerate(code):
        if lines[i] is None:
            depth = 0
        at.append(depth)
        for c in l:
            if c == "{":
                depth += 1
            elif c == "}":
                depth = max(depth - 1, 0)
    pat = (re.compile(r"\b" + name + r"\s*\(") if kind == "func"
           else re.compile(r"^struct\s+" + name + r"\s*\{\s*$"))
    found = []
    for i, l in enumerate(code):
        m = pat.search(l)
        if not m or at[i] + l[:m.start()].count("{") - l[:m.start()].count("}"):
            continue
        if kind == "func":
            # a definition: the body's brace follows the parameter list
            # before any ';'
            rest = l[m.end():] + "".join(code[i + 1:i + 20])
            brace, semi = rest.find("{"), rest.find(";")
            if brace < 0 or 0 <= semi < brace:
                continue
        found.append(i)
    if len(found) != 1:
        raise LookupError(f"{len(found)} definitions of {kind} {name}")
    first = found[0]
    # back to the line after the previous declaration, comment or directive
    while first > 0 and code[first - 1].strip() and \
            not code[first - 1].rstrip().endswith((";", "}", "{")) and \
            lines[first - 1] is not None and \
            not lines[first - 1].lstrip().startswith(("#", "/*", "*", "//")):
        first -= 1
    depth = 0
    opened = False
    for i in range(found[0], len(code)):
        for c in code[i]:
            if c == "{":
                depth += 1
                opened = True
            elif c == "}":
                depth -= 1
        if opened and depth == 0:
            if kind == "struct" and not code[i].rstrip().endswith(";"):
                raise LookupError(f"struct {name} does not end with '}};' on its line")
            return first, i
    raise LookupError(f"{kind} {name} is not closed")


def locate(src: Source, it: Item) -> tuple[int, str]:
    lines = src.lines(it.path)
    try:
        if it.kind == "macro":
            a, b = find_macro(lines, it.name)
        else:
            a, b = find_block(lines, it.kind, it.name)
    except LookupError as e:
        raise Bad(f"{src.label(it.path)}: {e}") from e
    chunk = lines[a:b + 1]
    if any(l is None for l in chunk):
        raise Bad(f"{src.label(it.path)}: {it.kind} {it.name} is not whole in the patch")
    return a + 1, "".join(chunk)


def extract(items: list[Item], src: Source) -> str:
    out = []
    for it in items:
        line, text = locate(src, it)
        out.append(f"/* kextract: {it.kind} {it.name} from {it.path} line {line} */\n")
        out.append(f'#line {line} "{it.path}"\n')
        out.append(text)
    return "".join(out)


def check(items: list[Item], src: Source, gen: Path) -> list[str]:
    try:
        text = gen.read_text().splitlines(keepends=True)
    except OSError as e:
        raise Bad(f"{gen}: {e.strerror}") from e
    problems = []
    chunks = []
    cur = None
    for n, l in enumerate(text, 1):
        m = MARKER.match(l.rstrip("\n"))
        if m:
            cur = [m.group(1), m.group(2), m.group(3), int(m.group(4)), n, []]
            chunks.append(cur)
        elif cur is None:
            problems.append(f"{gen}:{n}: text before the first marker")
        elif not cur[5] and l.startswith("#line "):
            if l != f'#line {cur[3]} "{cur[2]}"\n':
                problems.append(f"{gen}:{n}: #line does not match its marker")
            cur[5].append(None)
        else:
            cur[5].append(l)
    want = [(i.kind, i.name, i.path) for i in items]
    have = [(c[0], c[1], c[2]) for c in chunks]
    if want != have:
        problems.append(f"{gen}: holds {have}, the list names {want}")
    for kind, name, path, line, at, body in chunks:
        body = [l for l in body if l is not None]
        try:
            lines = src.lines(path)
        except Bad as e:
            problems.append(str(e))
            continue
        orig = lines[line - 1:line - 1 + len(body)]
        if body != orig:
            for k, (a, b) in enumerate(zip(body, orig + [None] * len(body))):
                if a != b:
                    problems.append(
                        f"{gen}:{at + 2 + k}: {kind} {name} differs from "
                        f"{src.label(path)} line {line + k}: {a!r} != {b!r}")
                    break
            continue
        try:
            first, whole = locate(src, Item(path, kind, name))
        except Bad as e:
            problems.append(str(e))
            continue
        if first != line or whole != "".join(body):
            problems.append(f"{gen}:{at}: {kind} {name} is not the whole definition at {src.label(path)} line {first}")
    return problems


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=("extract", "check"))
    p.add_argument("--items", type=Path, required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--tree", type=Path)
    g.add_argument("--patch", type=Path)
    p.add_argument("--out", type=Path)
    p.add_argument("file", nargs="?", type=Path)
    a = p.parse_intermixed_args(argv)
    try:
        items = read_items(a.items)
        src = Source(a.tree, a.patch)
        if a.mode == "extract":
            if not a.out:
                raise Bad("extract needs --out FILE")
            text = extract(items, src)
            tmp = a.out.with_name(a.out.name + ".tmp")
            tmp.write_text(text)
            tmp.replace(a.out)
            return 0
        if not a.file:
            raise Bad("check needs the generated FILE")
        problems = check(items, src, a.file)
    except Bad as e:
        print(f"kextract: {e}", file=sys.stderr)
        return 2
    for pr in problems:
        print(f"kextract: {pr}", file=sys.stderr)
    if problems:
        return 1
    print(f"kextract: {a.file}: {len(items)} definitions, byte for byte as in the source")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
