#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check the OSS-Fuzz project folder and .clusterfuzzlite/ of a repository.

What Docker and OSS-Fuzz's own checks would reject, without them:
project.yaml fields and values; each Dockerfile's base image, the files it
copies and the repository it clones; a build.sh that takes from the
environment only what OSS-Fuzz provides and names no compiler or flag of
its own; and a ClusterFuzzLite build script that reaches an existing one.

Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import os
import re
import shlex
import sys
from typing import Any

try:
    import yaml
except ImportError:
    print("check_oss_fuzz_project: PyYAML is missing (Debian: "
          "python3-yaml; scripts/setup.sh installs it)", file=sys.stderr)
    sys.exit(2)

PROJECT = os.path.join("oss-fuzz", "projects", "hptfuzz")
BASE_BUILDER = "gcr.io/oss-fuzz-base/base-builder"
SANITIZERS = {"address", "undefined", "memory"}
ENGINES = {"libfuzzer", "afl", "honggfuzz", "centipede"}
# What OSS-Fuzz's compile gives build.sh (base-builder's README)
BUILD_ENV = {"CC", "CXX", "CFLAGS", "CXXFLAGS", "LIB_FUZZING_ENGINE",
             "SRC", "WORK", "OUT"}
# Words that would choose a compiler or flags behind OSS-Fuzz's back
OWN_TOOLCHAIN = re.compile(
    r"(^|[\s=\"'])(clang|clang\+\+|gcc|g\+\+|afl-clang-fast\S*|"
    r"-fsanitize\S*|-fprofile\S*)(?=$|[\s\"'])")


def load_yaml(path: str, problems: list[str]) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        problems.append(f"{path}: {e}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: not a mapping")
        return {}
    return data


def names(items: Any) -> list[str]:
    """Entries of a list that may hold `name` or `{name: {options}}`."""
    out = []
    for item in items or []:
        out.append(next(iter(item)) if isinstance(item, dict) else str(item))
    return out


def check_project_yaml(path: str, problems: list[str]) -> dict:
    data = load_yaml(path, problems)
    if not data:
        return data
    for key in ("homepage", "language", "primary_contact", "main_repo"):
        if not data.get(key):
            problems.append(f"{path}: no {key}")
    if data.get("language") != "c":
        problems.append(f"{path}: language is {data.get('language')!r}, "
                        "not c")
    repo = str(data.get("main_repo", ""))
    if not re.match(r"^(https://|git://|ssh://|git@)\S+$", repo):
        problems.append(f"{path}: main_repo {repo!r} is not a git URL")
    sanitizers = names(data.get("sanitizers"))
    for s in sanitizers:
        if s not in SANITIZERS:
            problems.append(f"{path}: unknown sanitizer {s!r}")
    engines = names(data.get("fuzzing_engines"))
    for e in engines:
        if e not in ENGINES:
            problems.append(f"{path}: unknown fuzzing engine {e!r}")
    if engines and "libfuzzer" not in engines:
        problems.append(f"{path}: OSS-Fuzz requires the libfuzzer engine")
    return data


def dockerfile(path: str, problems: list[str]) -> list[tuple[str, list[str]]]:
    """Instructions of a Dockerfile: (INSTRUCTION, words)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        problems.append(f"{path}: {e}")
        return []
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words = line.split()
            out.append((words[0].upper(), words[1:]))
    return out


def check_dockerfile(path: str, context: str, tag: str | None,
                     clone_url: str | None, problems: list[str]) -> None:
    instructions = dockerfile(path, problems)
    if not instructions:
        return
    op, args = instructions[0]
    image = args[0] if args else ""
    if op != "FROM" or image.split(":")[0] != BASE_BUILDER:
        problems.append(f"{path}: does not start FROM {BASE_BUILDER}")
    elif tag and image != f"{BASE_BUILDER}:{tag}":
        problems.append(f"{path}: base image {image} is not the "
                        f"{tag} one project.yaml asks for")
    copies_build = False
    cloned = []
    for op, args in instructions:
        if op == "COPY":
            sources = [a for a in args[:-1] if not a.startswith("--")]
            for src in sources:
                if not os.path.exists(os.path.join(context, src)):
                    problems.append(f"{path}: COPY {src}: not in the build "
                                    f"context {context}")
                if os.path.basename(os.path.normpath(src)) == "build.sh" \
                   and args[-1].rstrip("/") == "$SRC":
                    copies_build = True
        if op == "RUN" and "git" in args and "clone" in args:
            cloned += [a for a in args if re.match(r"^(https|git|ssh)://", a)]
    if not copies_build:
        problems.append(f"{path}: does not COPY a build.sh to $SRC/")
    if clone_url is not None and clone_url not in cloned:
        problems.append(f"{path}: does not clone main_repo {clone_url}")


def check_build_sh(path: str, problems: list[str]) -> None:
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        problems.append(f"{path}: {e}")
        return
    # Comments out (a # that starts a word; ${#x} is no comment)
    code = [re.sub(r"(^|\s)#.*$", "", line) for line in lines]
    assigned = set()
    for line in code:
        assigned.update(re.findall(r"(?:^|[\s;(])(\w+)=", line))
        assigned.update(re.findall(r"\bfor\s+(\w+)\s+in\b", line))
    for n, line in enumerate(code, 1):
        for var in re.findall(r"\$\{?([A-Za-z_]\w*)", line):
            if var not in assigned and var not in BUILD_ENV:
                problems.append(f"{path}:{n}: uses ${var}, which OSS-Fuzz "
                                "does not provide")
        m = OWN_TOOLCHAIN.search(line)
        if m:
            problems.append(f"{path}:{n}: names {m.group(2)}: compilers "
                            "and flags come from $CC, $CFLAGS, ...")


def check_cflite_build_sh(path: str, repo: str, problems: list[str]) -> None:
    """Every $SRC/hptfuzz/... path it names exists in the repository."""
    try:
        with open(path, encoding="utf-8") as f:
            words = shlex.split(f.read(), comments=True)
    except (OSError, ValueError) as e:
        problems.append(f"{path}: {e}")
        return
    reached = False
    for word in words:
        m = re.match(r"^\$\{?SRC\}?/hptfuzz/(.+)$", word)
        if m:
            reached = True
            if not os.path.exists(os.path.join(repo, m.group(1))):
                problems.append(f"{path}: {m.group(1)} is not in the "
                                "repository")
    if not reached:
        problems.append(f"{path}: runs nothing from $SRC/hptfuzz")


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=os.path.join(here, "..", ".."),
                        help="repository root (default: this one)")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    problems: list[str] = []

    project = os.path.join(repo, PROJECT)
    meta = check_project_yaml(os.path.join(project, "project.yaml"),
                              problems)
    check_dockerfile(os.path.join(project, "Dockerfile"), project,
                     meta.get("base_os_version"),
                     str(meta.get("main_repo", "")), problems)
    check_build_sh(os.path.join(project, "build.sh"), problems)

    cflite = os.path.join(repo, ".clusterfuzzlite")
    cfl_meta = load_yaml(os.path.join(cflite, "project.yaml"), problems)
    if cfl_meta and cfl_meta.get("language") != meta.get("language"):
        problems.append(f"{cflite}/project.yaml: language "
                        f"{cfl_meta.get('language')!r} differs from "
                        f"{PROJECT}/project.yaml's")
    # ClusterFuzzLite builds with the repository as the context
    check_dockerfile(os.path.join(cflite, "Dockerfile"), repo, None, None,
                     problems)
    check_cflite_build_sh(os.path.join(cflite, "build.sh"), repo, problems)

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_oss_fuzz_project: {len(problems)} problems",
              file=sys.stderr)
        return 1
    print(f"check_oss_fuzz_project: {PROJECT}/ and .clusterfuzzlite/ OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
