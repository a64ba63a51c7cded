#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check every GitHub Actions workflow file of a repository.

Each file under .github/workflows/ must parse, name its triggers and jobs,
and give every step something to run or use.  Every repository path a run
step names must exist (and be executable where it is run as a command);
local actions, working directories and path inputs must exist; inputs of
the actions whose interface is known here must be ones they declare; and a
ClusterFuzzLite build step needs .clusterfuzzlite/ with the language it
is given.

Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import glob
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator

try:
    import yaml
except ImportError:
    print("check_workflows: PyYAML is missing (Debian: python3-yaml; "
          "scripts/setup.sh installs it)", file=sys.stderr)
    sys.exit(2)

CFLITE = "google/clusterfuzzlite/actions/"
# Inputs the actions declare (their action.yml and, for ClusterFuzzLite's
# v1, its GitHub Actions guide), for the actions used here
KNOWN_INPUTS = {
    CFLITE + "build_fuzzers": {
        "language", "dry-run", "allowed-broken-targets-percentage",
        "sanitizer", "project-src-path", "bad-build-check", "storage-repo",
        "storage-repo-branch", "storage-repo-branch-coverage",
        "upload-build", "github-token"},
    CFLITE + "run_fuzzers": {
        "language", "fuzz-seconds", "dry-run", "sanitizer", "mode",
        "github-token", "storage-repo", "storage-repo-branch",
        "storage-repo-branch-coverage", "report-unreproducible-crashes",
        "output-sarif", "parallel-fuzzing"},
    "actions/checkout": {
        "repository", "ref", "token", "ssh-key", "ssh-known-hosts",
        "ssh-strict", "ssh-user", "persist-credentials", "path", "clean",
        "filter", "sparse-checkout", "sparse-checkout-cone-mode",
        "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules",
        "set-safe-directory", "github-server-url"},
    "actions/upload-artifact": {
        "name", "path", "if-no-files-found", "retention-days",
        "compression-level", "overwrite", "include-hidden-files"},
}
REQUIRED_INPUTS = {CFLITE + "run_fuzzers": {"github-token"}}
CFLITE_VALUES = {
    "sanitizer": {"address", "undefined", "memory", "coverage"},
    "mode": {"code-change", "batch", "coverage", "prune"},
}
# Inputs that name something the repository must hold
PATH_INPUTS = {"project-src-path", "dockerfile", "working-directory"}

USES_RE = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w./-]+$")
MATRIX_RE = re.compile(r"^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$")
# Words after which the next word is a command
COMMAND_PREFIXES = {"exec", "sudo", "then", "do", "else", "time", "!"}
COMMAND_SEPARATORS = {"&&", "||", ";", "|", "(", ")", "{", "}"}


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


class Repo:
    """What the repository holds, and which of its top-level directories
    are its own (not build or output directories it ignores)."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        ignored = set()
        gitignore = os.path.join(self.root, ".gitignore")
        if os.path.isfile(gitignore):
            with open(gitignore, encoding="utf-8") as f:
                for line in f:
                    m = re.match(r"^/?([^/*!#\s]+)/\s*$", line)
                    if m:
                        ignored.add(m.group(1))
        self.top = {e for e in os.listdir(self.root)
                    if e not in ignored and e != ".git"}

    def path(self, rel: str, cwd: str = "") -> str:
        return os.path.normpath(os.path.join(self.root, cwd, rel))

    def names(self, token: str, cwd: str = "") -> bool:
        """Whether a word of a script is a path into the repository."""
        if not token or token.startswith(("-", "/", "~")) or \
           any(c in token for c in "$*?[{}=:<>`\"'"):
            return False
        if "/" not in token:
            return False
        rel = os.path.relpath(self.path(token, cwd), self.root)
        first = rel.split(os.sep)[0]
        return first in self.top and not rel.startswith("..")


def commands(script: str) -> Iterator[tuple[str, bool]]:
    """Every word of a shell script, and whether it is in command position."""
    for line in script.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words = list(lexer)
        except ValueError:
            words = line.split()
        at_command = True
        for word in words:
            if word in COMMAND_SEPARATORS or set(word) <= set(";&|()"):
                at_command = True
                continue
            yield word, at_command
            if at_command and re.match(r"^\w+=", word):
                continue        # VAR=value before the command
            at_command = word in COMMAND_PREFIXES


def expand_matrix(value: Any, matrix: dict) -> list[Any]:
    """A value, or each value a ${{ matrix.X }} can take."""
    if isinstance(value, str):
        m = MATRIX_RE.match(value.strip())
        if m and isinstance(matrix.get(m.group(1)), list):
            return matrix[m.group(1)]
    return [value]


def check_run(repo: Repo, where: str, script: str, cwd: str,
              problems: Problems) -> None:
    for word, at_command in commands(script):
        if not repo.names(word, cwd):
            continue
        path = repo.path(word, cwd)
        if not os.path.exists(path):
            problems.add(where, f"runs '{word}', which the repository "
                         "does not have")
        elif at_command and not os.access(path, os.X_OK):
            problems.add(where, f"runs '{word}' as a command, but it is "
                         "not executable")


def check_cflite(repo: Repo, where: str, action: str, inputs: dict,
                 matrix: dict, problems: Problems) -> None:
    for key, allowed in CFLITE_VALUES.items():
        if key not in inputs:
            continue
        for value in expand_matrix(inputs[key], matrix):
            if str(value) not in allowed:
                problems.add(where, f"{key} '{value}' is not one of "
                             f"{', '.join(sorted(allowed))}")
    if not action.endswith("build_fuzzers"):
        return
    src = inputs.get("project-src-path", ".")
    folder = repo.path(".clusterfuzzlite", src)
    for name in ("Dockerfile", "build.sh", "project.yaml"):
        if not os.path.isfile(os.path.join(folder, name)):
            problems.add(where, f"ClusterFuzzLite needs "
                         f".clusterfuzzlite/{name}")
            return
    with open(os.path.join(folder, "project.yaml"), encoding="utf-8") as f:
        project = yaml.safe_load(f) or {}
    language = inputs.get("language", "c++")
    if project.get("language") != language:
        problems.add(where, f"language '{language}' differs from "
                     f".clusterfuzzlite/project.yaml's "
                     f"'{project.get('language')}'")


def check_uses(repo: Repo, where: str, step: dict, matrix: dict,
               problems: Problems) -> None:
    uses = str(step["uses"])
    inputs = step.get("with") or {}
    if not isinstance(inputs, dict):
        problems.add(where, "'with' is not a mapping")
        return
    if uses.startswith("./"):
        path = repo.path(uses)
        if not any(os.path.isfile(os.path.join(path, f))
                   for f in ("action.yml", "action.yaml")):
            problems.add(where, f"local action '{uses}' has no action.yml")
    elif not uses.startswith("docker://") and not USES_RE.match(uses):
        problems.add(where, f"'{uses}' is not owner/repo[/path]@ref")
    action = uses.split("@")[0]
    known = KNOWN_INPUTS.get(action)
    if known is not None:
        for key in inputs:
            if key not in known:
                problems.add(where, f"{action} has no input '{key}'")
        for key in sorted(REQUIRED_INPUTS.get(action, set()) - set(inputs)):
            problems.add(where, f"{action} needs input '{key}'")
    for key, value in inputs.items():
        if key in PATH_INPUTS and isinstance(value, str) and \
           "${{" not in value and not os.path.exists(repo.path(value)):
            problems.add(where, f"{key} '{value}' does not exist")
    if action.startswith(CFLITE):
        check_cflite(repo, where, action, inputs, matrix, problems)


def check_job(repo: Repo, where: str, job: Any, defaults: dict,
              problems: Problems) -> None:
    if not isinstance(job, dict):
        problems.add(where, "is not a mapping")
        return
    if "uses" in job:           # a reusable workflow
        return
    if "runs-on" not in job:
        problems.add(where, "has no runs-on")
    steps = job.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.add(where, "has no steps")
        return
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    run_defaults = ((job.get("defaults") or {}).get("run") or
                    (defaults.get("run") or {}))
    for i, step in enumerate(steps):
        at = f"{where}.steps[{i}]"
        if not isinstance(step, dict):
            problems.add(at, "is not a mapping")
            continue
        if ("run" in step) == ("uses" in step):
            problems.add(at, "needs exactly one of run and uses")
            continue
        if "uses" in step:
            check_uses(repo, at, step, matrix, problems)
            continue
        cwd = step.get("working-directory",
                       run_defaults.get("working-directory", ""))
        if cwd and "${{" not in cwd and not os.path.isdir(repo.path(cwd)):
            problems.add(at, f"working-directory '{cwd}' does not exist")
            continue
        check_run(repo, at, str(step["run"]), cwd, problems)


def check_workflow(repo: Repo, path: str, problems: Problems) -> None:
    where = os.path.relpath(path, repo.root)
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        problems.add(where, f"does not parse: {e}")
        return
    if not isinstance(data, dict):
        problems.add(where, "is not a mapping")
        return
    # YAML 1.1 reads the key 'on' as true
    if not data.get("on", data.get(True)):
        problems.add(where, "has no triggers ('on')")
    jobs = data.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        problems.add(where, "has no jobs")
        return
    for name, job in jobs.items():
        check_job(repo, f"{where}: jobs.{name}", job,
                  data.get("defaults") or {}, problems)


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=os.path.join(here, "..", ".."),
                        help="repository root (default: this one)")
    args = parser.parse_args()
    repo = Repo(args.repo)
    files = sorted(glob.glob(os.path.join(repo.root, ".github", "workflows",
                                          "*.y*ml")))
    if not files:
        print(f"check_workflows: no workflow files in "
              f"{repo.root}/.github/workflows", file=sys.stderr)
        return 1
    problems = Problems()
    for path in files:
        check_workflow(repo, path, problems)
    for item in problems.items:
        print(item, file=sys.stderr)
    if problems.items:
        print(f"check_workflows: {len(problems.items)} problems in "
              f"{len(files)} workflow files", file=sys.stderr)
        return 1
    print(f"check_workflows: {len(files)} workflow files OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
