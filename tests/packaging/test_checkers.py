# SPDX-License-Identifier: GPL-2.0-only
"""The packaging checkers pass on this repository and fail, naming the
problem, on copies of it broken one way at a time."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
# What the workflows and the OSS-Fuzz folders refer to
COPIED = [".github", ".ci", "scripts", ".clusterfuzzlite", "oss-fuzz",
          ".gitignore"]


class BrokenCopy(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="hptfuzz-checkers-")
        self.addCleanup(shutil.rmtree, self.tmp)
        for name in COPIED:
            src = os.path.join(REPO, name)
            dst = os.path.join(self.tmp, name)
            if os.path.isdir(src):
                shutil.copytree(src, dst, symlinks=True)
            else:
                shutil.copy2(src, dst)

    def path(self, rel: str) -> str:
        return os.path.join(self.tmp, rel)

    def edit(self, rel: str, old: str, new: str) -> None:
        with open(self.path(rel), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text, f"{rel} no longer holds {old!r}")
        with open(self.path(rel), "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def append(self, rel: str, text: str) -> None:
        with open(self.path(rel), "a", encoding="utf-8") as f:
            f.write(text)

    def run_checker(self, name: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, os.path.join(HERE, name), "--repo", self.tmp],
            capture_output=True, text=True, check=False)

    def assert_fails(self, name: str, *needles: str) -> None:
        result = self.run_checker(name)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)


class Workflows(BrokenCopy):
    CHECK = "check_workflows.py"

    def test_the_repository_passes(self) -> None:
        result = self.run_checker(self.CHECK)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("workflow files OK", result.stdout)

    def test_missing_script(self) -> None:
        os.remove(self.path("scripts/coverage.sh"))
        self.assert_fails(self.CHECK, "coverage.yml",
                          "'scripts/coverage.sh', which the repository "
                          "does not have")

    def test_script_not_executable(self) -> None:
        path = self.path("scripts/test.sh")
        os.chmod(path, os.stat(path).st_mode & ~(stat.S_IXUSR | stat.S_IXGRP
                                                   | stat.S_IXOTH))
        self.assert_fails(self.CHECK, "tests.yml", "not executable")

    def test_yaml_that_does_not_parse(self) -> None:
        self.append(".github/workflows/tests.yml", "  broken: [\n")
        self.assert_fails(self.CHECK, "tests.yml", "does not parse")

    def test_every_workflow_file_is_checked(self) -> None:
        with open(self.path(".github/workflows/extra.yaml"), "w",
                  encoding="utf-8") as f:
            f.write("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
                    "    steps:\n      - run: scripts/missing.sh --now\n")
        self.assert_fails(self.CHECK, "extra.yaml", "scripts/missing.sh")

    def test_unknown_action_input(self) -> None:
        self.edit(".github/workflows/cflite_pr.yml", "fuzz-seconds:",
                  "fuzz_seconds:")
        self.assert_fails(self.CHECK, "has no input 'fuzz_seconds'")

    def test_missing_required_input(self) -> None:
        self.edit(".github/workflows/cflite_batch.yml",
                  "github-token: ${{ secrets.GITHUB_TOKEN }}", "dry-run: false")
        self.assert_fails(self.CHECK, "needs input 'github-token'")

    def test_sanitizer_outside_clusterfuzzlite(self) -> None:
        self.edit(".github/workflows/cflite_pr.yml", "memory]", "thread]")
        self.assert_fails(self.CHECK, "sanitizer 'thread'")

    def test_clusterfuzzlite_folder_missing(self) -> None:
        os.remove(self.path(".clusterfuzzlite/Dockerfile"))
        self.assert_fails(self.CHECK, "needs .clusterfuzzlite/Dockerfile")

    def test_language_differs_from_clusterfuzzlite(self) -> None:
        self.edit(".clusterfuzzlite/project.yaml", "language: c",
                  "language: c++")
        self.assert_fails(self.CHECK, "language 'c' differs")

    def test_step_without_run_or_uses(self) -> None:
        self.edit(".github/workflows/tests.yml", "- run: scripts/test.sh",
                  "- name: nothing")
        self.assert_fails(self.CHECK, "needs exactly one of run and uses")


class OssFuzzProject(BrokenCopy):
    CHECK = "check_oss_fuzz_project.py"
    BUILD = "oss-fuzz/projects/hptfuzz/build.sh"

    def test_the_repository_passes(self) -> None:
        result = self.run_checker(self.CHECK)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_build_sh_reads_other_environment(self) -> None:
        self.append(self.BUILD, 'echo "$HOME"\n')
        self.assert_fails(self.CHECK, "uses $HOME")

    def test_build_sh_names_a_compiler(self) -> None:
        self.append(self.BUILD, "clang -c x.c\n")
        self.assert_fails(self.CHECK, "names clang")

    def test_build_sh_adds_sanitizer_flags(self) -> None:
        self.append(self.BUILD, 'CFLAGS="$CFLAGS -fsanitize=address"\n')
        self.assert_fails(self.CHECK, "names -fsanitize=address")

    def test_unknown_engine(self) -> None:
        self.edit("oss-fuzz/projects/hptfuzz/project.yaml", "  - afl",
                  "  - aflpp")
        self.assert_fails(self.CHECK, "unknown fuzzing engine 'aflpp'")

    def test_clone_differs_from_main_repo(self) -> None:
        self.edit("oss-fuzz/projects/hptfuzz/Dockerfile", "hptfuzz.git",
                  "other.git")
        self.assert_fails(self.CHECK, "does not clone main_repo")

    def test_base_image_differs_from_base_os_version(self) -> None:
        self.append("oss-fuzz/projects/hptfuzz/project.yaml",
                    "base_os_version: ubuntu-24-04\n")
        self.assert_fails(self.CHECK, "ubuntu-24-04 one project.yaml asks")

    def test_clusterfuzzlite_runs_a_missing_script(self) -> None:
        self.edit(".clusterfuzzlite/build.sh", "projects/hptfuzz/build.sh",
                  "projects/hptfuzz/gone.sh")
        self.assert_fails(self.CHECK, "oss-fuzz/projects/hptfuzz/gone.sh "
                          "is not in the repository")

    def test_copy_of_a_missing_file(self) -> None:
        self.edit(".clusterfuzzlite/Dockerfile",
                  "COPY .clusterfuzzlite/build.sh",
                  "COPY .clusterfuzzlite/compile.sh")
        self.assert_fails(self.CHECK, "COPY .clusterfuzzlite/compile.sh")


if __name__ == "__main__":
    unittest.main()
