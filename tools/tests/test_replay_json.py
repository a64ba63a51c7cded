# SPDX-License-Identifier: GPL-2.0-only
"""hptfuzz-replay --json (docs/json.md): every key, values checked against
the human report and known findings, escaping, and the order cap a
finding was found with.

Runs the C driver of the build tree ($HPTFUZZ_REPLAY) and, for the order
cap, its rehash_diff fuzz target ($HPTFUZZ_FUZZ_DIR/fuzz_rehash_diff).
"""
from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import tempfile
import unittest

import support
from hptfuzz import binary, text

REGRESSIONS = os.path.join(support.REPO, "corpus", "regressions")
MISPLACED = os.path.join(REGRESSIONS, "patch-2016", "isa300-1t-misplaced.hpt")

FILE_KEYS = {"file", "max_order", "max_order_from", "alloc_order", "raw_words",
             "error", "scenario", "placement", "oracle", "impls"}
SCENARIO_KEYS = {"layout", "stored_old_order", "stored_new_order", "old_order",
                 "new_order", "records"}
PLACEMENT_KEYS = {"nr_placed", "nr_not_placed", "records"}
ORACLE_KEYS = {"predictable", "raw_record", "rules_index", "nr_exact", "nr_rules",
               "rc", "rc_name", "collision", "before", "old", "new", "unmaps",
               "memslots", "rmaps", "records"}
IMPL_KEYS = {"impl", "verdict", "summary", "old_order", "new_order", "rc", "rc_name",
             "outcome", "unmaps", "tables", "rmaps", "compared", "expected",
             "divergences"}
OUTCOME_KEYS = {"fate", "what", "index", "warning"}
DIVERGENCE_KEYS = {"kind", "record", "old_index", "expected_index", "actual_index",
                   "message", "words"}
KINDS = {"rc", "unmap", "old-entry", "new-entry", "rmap", "links", "violation",
         "invariant", "crash", "hang", "warning"}
FATES = {"none", "not-placed", "dropped", "moved", "collided", "untouched", "rules",
         "failed"}
WORD = re.compile(r"^0x[0-9a-f]{16}$")


def human(path: str, impl: str, *extra: str) -> str:
    proc = subprocess.run([support.require_driver(), "--impl", impl, *extra, path],
                          capture_output=True, text=True, timeout=120)
    return proc.stdout


def divergence_line(impl: str, d: dict) -> str:
    def num(x: int | None) -> str:
        return "-" if x is None else f"{x:#x}"
    return (f"DIVERGENCE impl={impl} what={d['kind']} "
            f"record={'-' if d['record'] is None else d['record']} "
            f"old_index={num(d['old_index'])} expected_index={num(d['expected_index'])} "
            f"actual_index={num(d['actual_index'])}")


class ReplayJson(unittest.TestCase):
    def setUp(self) -> None:
        self.driver = support.require_driver()

    def check_table(self, t: dict | None, what: str) -> None:
        if t is None:
            return
        self.assertEqual(set(t), {"order", "entries"}, what)
        for e in t["entries"] or []:
            for key in ("v", "r", "guest_r"):
                self.assertRegex(e[key], WORD, what)

    def check_object(self, f: dict) -> None:
        what = f["file"]
        self.assertEqual(set(f), FILE_KEYS, what)
        self.assertIsNone(f["error"], what)
        self.assertEqual(set(f["scenario"]), SCENARIO_KEYS, what)
        self.assertEqual(set(f["placement"]), PLACEMENT_KEYS, what)
        self.assertEqual(len(f["placement"]["records"]), len(f["scenario"]["records"]))
        o = f["oracle"]
        self.assertEqual(set(o), ORACLE_KEYS, what)
        for t in ("before", "old", "new"):
            self.check_table(o[t], what)
        for r in o["records"]:
            self.assertIn(r["fate"], FATES | {None}, what)
        judged = [r["judged"] for r in o["records"]]
        self.assertEqual((judged.count("exact"), judged.count("rules")),
                         (o["nr_exact"], o["nr_rules"]), what)
        self.assertEqual(o["predictable"], not o["nr_rules"], what)
        if not o["predictable"]:
            self.assertIsNone(o["old"], what)
            self.assertIsNone(o["new"], what)
            self.assertIsNone(o["rc"], what)
            first = o["records"][o["raw_record"]]
            self.assertEqual((first["judged"], first["old_index"]),
                             ("rules", o["rules_index"]), what)
            self.assertIsNotNone(first["unexplained"], what)
        self.assertTrue(f["impls"], what)
        for impl in f["impls"]:
            self.assertEqual(set(impl), IMPL_KEYS, f"{what} {impl['impl']}")
            self.assertIn(impl["verdict"], ("agree", "diverge"))
            self.assertEqual(impl["verdict"] == "diverge", bool(impl["divergences"]))
            self.assertEqual(set(impl["outcome"]), OUTCOME_KEYS)
            self.assertIn(impl["outcome"]["fate"], ("returned", "crash", "hang"))
            if impl["expected"] is not None:
                self.assertTrue(impl["compared"] and not o["predictable"], what)
                self.check_table(impl["expected"]["old"], what)
                self.check_table(impl["expected"]["new"], what)
            self.check_table(impl["tables"]["old"], what)
            self.check_table(impl["tables"]["new"], what)
            for d in impl["divergences"]:
                self.assertLessEqual(DIVERGENCE_KEYS, set(d), what)
                self.assertIn(d["kind"], KINDS, what)
                if d["words"] is not None:
                    for name in set(d["words"]) - {"table", "index"}:
                        w = d["words"][name]
                        self.assertEqual(int(w["xor"], 16),
                                         int(w["expected"], 16) ^ int(w["actual"], 16))

    def test_every_regression_has_every_key(self) -> None:
        files = sorted(glob.glob(os.path.join(REGRESSIONS, "*", "*.hpt")))
        self.assertGreater(len(files), 20)
        objects = support.replay_json(*files)
        self.assertEqual([f["file"] for f in objects], files)
        for f in objects:
            self.check_object(f)
        raw = support.replay_json("--raw-words", os.path.join(REGRESSIONS, "raw_table"))
        for f in raw:
            self.assertTrue(f["raw_words"])
            self.check_object(f)

    def test_divergences_are_the_human_reports(self) -> None:
        """The human report is rendered from the same fields: its
        DIVERGENCE line and summary match the JSON's, for every finding
        of the 2016 patch's regressions, and its kind is the one .expect names."""
        for path in sorted(glob.glob(os.path.join(REGRESSIONS, "patch-2016", "*.hpt"))):
            f = support.replay_json("--impl", "patch-2016-port", path)[0]
            impl = f["impls"][0]
            self.assertEqual(impl["verdict"], "diverge", path)
            first = impl["divergences"][0]
            report = human(path, "patch-2016-port")
            self.assertIn(divergence_line("patch-2016-port", first), report.splitlines(), path)
            o = f["oracle"]
            self.assertIn(f"{path}: {impl['summary']} (entries judged exactly: "
                          f"{o['nr_exact']} of {o['nr_exact'] + o['nr_rules']})",
                          report.splitlines(), path)
            also = re.search(r"^also differs: (.*)$", report, re.M).group(1)
            self.assertEqual(also, " ".join(d["kind"] for d in impl["divergences"][1:])
                             or "nothing else", path)
            expect = support.read(path[:-4] + ".expect").decode()
            self.assertIn(f"what={first['kind']}\n", expect, path)

    def test_a_known_finding(self) -> None:
        f = support.replay_json("--impl", "patch-2016-port", MISPLACED)[0]
        self.assertEqual((f["scenario"]["layout"], f["scenario"]["old_order"],
                          f["scenario"]["new_order"]), ("3.0", 18, 19))
        self.assertEqual(f["placement"]["records"][0]["old_index"], 0x2BE8)
        self.assertEqual(f["oracle"]["records"][0]["fate"], "moved")
        self.assertEqual(f["oracle"]["records"][0]["new_index"], 0x2BE8)
        self.assertEqual([e["index"] for e in f["oracle"]["new"]["entries"]], [0x2BE8])
        port = f["impls"][0]
        self.assertEqual([e["index"] for e in port["tables"]["new"]["entries"]], [0x6BE8])
        d = port["divergences"][0]
        self.assertEqual((d["kind"], d["record"], d["old_index"], d["expected_index"],
                          d["actual_index"]), ("new-entry", 0, 0x2BE8, 0x2BE8, 0x6BE8))
        self.assertEqual((d["words"]["table"], d["words"]["index"]), ("new", 0x2BE8))
        self.assertEqual(d["words"]["v"]["expected"],
                         f["oracle"]["new"]["entries"][0]["v"])
        self.assertEqual(d["words"]["v"]["actual"], "0x" + "0" * 16)
        self.assertIn("AVPN", d["words"]["v"]["fields"])
        self.assertEqual(port["divergences"][1]["kind"], "violation")

    def test_strings_are_escaped(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            name = os.path.join(d.encode(), b'q"b\\s\tt\nn\x01c\xffx\xc3\xa9.hpt')
            with open(MISPLACED, "rb") as src, open(name, "wb") as dst:
                dst.write(src.read())
            proc = subprocess.run([self.driver, "--json", "--impl", "core", name],
                                  capture_output=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            lines = proc.stdout.decode("utf-8").splitlines()
            self.assertEqual(len(lines), 1)       # no raw newline inside
            f = json.loads(lines[0])              # strict: control characters escaped
            self.assertEqual(f["file"], d + '/q"b\\s\tt\nn\x01c\ufffdx\u00e9.hpt')

    def test_unreadable_file_is_an_error_object_and_exit_2(self) -> None:
        proc = subprocess.run([self.driver, "--json", "/nonexistent/x.hpt"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        f = json.loads(proc.stdout)
        self.assertEqual(f["file"], "/nonexistent/x.hpt")
        self.assertIn("No such file", f["error"])


class OrderCap(unittest.TestCase):
    """A finding replays as found: the fuzz target keeps the cap it ran
    with beside the finding (NAME.max-order) and the driver uses it."""

    def test_finding_above_the_default_cap(self) -> None:
        driver = support.require_driver()
        default = int(subprocess.run([driver, "--print-default-max-order"],
                                     capture_output=True, text=True).stdout)
        fuzzer = os.path.join(os.environ.get("HPTFUZZ_FUZZ_DIR", ""), "fuzz_rehash_diff")
        self.assertTrue(os.access(fuzzer, os.X_OK), f"no fuzz target at {fuzzer}")
        cap = default + 2
        scen = text.parse(support.read(MISPLACED))
        scen = type(scen)(scen.layout, default + 1, default + 2, scen.records)
        with tempfile.TemporaryDirectory() as d:
            case, findings = os.path.join(d, "case"), os.path.join(d, "findings")
            support.write(case, binary.encode(scen))
            os.mkdir(findings)
            env = dict(os.environ, HPTFUZZ_FINDINGS=findings, HPTFUZZ_IMPLS="patch-2016-port",
                       HPTFUZZ_MAX_ORDER=str(cap))
            subprocess.run([fuzzer, case], env=env, capture_output=True, timeout=120,
                           check=True)
            found = [n for n in os.listdir(findings) if "." not in n]
            self.assertEqual(len(found), 1, os.listdir(findings))
            finding = os.path.join(findings, found[0])
            self.assertEqual(support.read(finding + ".max-order"), f"{cap}\n".encode())
            report = support.read(finding + ".txt").decode()
            line = re.search(r"^DIVERGENCE .*$", report, re.M).group(0)

            env = dict(os.environ)
            env.pop("HPTFUZZ_MAX_ORDER", None)
            proc = subprocess.run([driver, "--json", "--impl", "patch-2016-port", finding],
                                  env=env, capture_output=True, text=True, timeout=60)
            f = json.loads(proc.stdout)
            self.assertEqual((f["max_order"], f["max_order_from"]), (cap, "sidecar"))
            self.assertEqual((f["scenario"]["old_order"], f["scenario"]["new_order"]),
                             (default + 1, default + 2))
            self.assertEqual(divergence_line("patch-2016-port", f["impls"][0]["divergences"][0]), line)
            # The findings directory replays the finding alone, not its sidecars
            proc = subprocess.run([driver, "--json", "--impl", "patch-2016-port", findings],
                                  env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual([json.loads(x)["file"] for x in proc.stdout.splitlines()],
                             [finding])
            # At the default cap the same bytes fold into another scenario
            # and another divergence: the cap matters
            proc = subprocess.run([driver, "--json", "--impl", "patch-2016-port", "--max-order",
                                   str(default), finding], env=env, capture_output=True,
                                  text=True, timeout=60)
            f = json.loads(proc.stdout)
            self.assertLess(f["scenario"]["old_order"], default + 1)
            self.assertNotEqual(divergence_line("patch-2016-port", f["impls"][0]["divergences"][0]),
                                line)


if __name__ == "__main__":
    unittest.main()
