# SPDX-License-Identifier: GPL-2.0-only
"""Command line: one parser, one function per subcommand."""
from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import sys
import tempfile
from typing import Callable, NoReturn

from . import binary, diff, engines, fileio, gen, hpte, paths, replay, show, svg, text
from .errors import HptError
from .model import Scenario

EXIT_OK, EXIT_DIVERGENCE, EXIT_ERROR = 0, 1, 2

DESCRIPTIONS = {
    "show": (
        'Decode a binary fuzzer input (every byte string is a scenario) or '
        "a text scenario and print its canonical text, with '#' comments "
        "giving each entry's hash, group, slot and fate in the resize as "
        "the replay driver reports them (without a driver: the text only)."),
    "encode": (
        'Write the canonical binary encoding of a scenario. Text round-'
        'trips exactly: decode(encode(x)) == x for canonical text.'),
    "decode": (
        "Print the canonical text of a scenario; a binary input's canonical"
        " bytes are what 'encode' gives back."),
    "gen": (
        'Write seed scenarios over the feature matrix (layouts, segment '
        'sizes, page pairs, primary/secondary, grow/shrink, bolted, '
        'valid/absent, shrink collisions, memslots, raw words), the same '
        'bytes for the same seed, each file named by the SHA-1 of its '
        'bytes.'),
    "repro": (
        'Print the scenario, run the replay driver on it (--json), show '
        'what it asserted around the first divergence, the two sides with '
        'the differing bits marked, and the gdb command to rerun it. Exit 0 '
        'if no divergence, 1 on a divergence, 2 on bad input.'),
    "minimize": (
        'Minimise a crashing input with libFuzzer (-minimize_crash=1) or '
        'afl-tmin. The result replaces OUT atomically; the input is never '
        'modified.'),
    "merge": (
        'Merge new inputs into a corpus with libFuzzer (-merge=1) or afl-'
        'cmin, keeping it minimal for the same coverage. The merged corpus '
        'replaces the old one atomically, only if the engine succeeds.'),
    "render": (
        'Draw the old table and the expected new table as SVG, both from '
        'the replay driver: groups as rows, slots as columns, entries '
        'coloured by state, the divergence it reports (if any) and bolted '
        'collisions marked. Where the harness asserts no new table (raw '
        'entries, a failing resize) none is drawn as expected.'),
}


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise HptError(f"{message} (see '{self.prog} --help')", where=None)


def _int_in(lo: int, hi: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            n = int(value, 0)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"{n} out of range {lo}..{hi}")
        return n
    return parse


def _env_max_order() -> int | None:
    """$HPTFUZZ_MAX_ORDER checked; None lets the replay driver choose."""
    env = os.environ.get("HPTFUZZ_MAX_ORDER")
    if env is None:
        return None
    try:
        return _int_in(hpte.MIN_ORDER, hpte.MAX_ORDER)(env)
    except argparse.ArgumentTypeError as exc:
        raise HptError(str(exc), where="HPTFUZZ_MAX_ORDER") from None


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


# ------------------------------------------------------------ subcommands

def cmd_show(a: argparse.Namespace) -> int:
    scen, was_text = fileio.load(a.file, a.format)
    driver = _driver(a, required=False)
    facts = None
    if driver is not None:
        facts = _facts(_run_driver(driver, a, _replay_input(a.file, was_text, scen)), a)
    sys.stdout.write(show.annotate(scen, facts))
    return EXIT_OK


def cmd_encode(a: argparse.Namespace) -> int:
    scen, _ = fileio.load(a.file, a.format)
    fileio.write_bytes(a.output, binary.encode(scen))
    return EXIT_OK


def cmd_decode(a: argparse.Namespace) -> int:
    scen, _ = fileio.load(a.file, a.format)
    out = text.format_scenario(scen)
    if a.output in (None, "-"):
        sys.stdout.write(out)
    else:
        fileio.write_text(a.output, out)
    return EXIT_OK


def cmd_gen(a: argparse.Namespace) -> int:
    for d in [x for x in (a.output, a.text_dir, a.raw_words) if x]:
        if os.path.exists(d) and not os.path.isdir(d):
            raise HptError("is not a directory", where=d)
        try:
            os.makedirs(d, exist_ok=True)
        except OSError as exc:
            raise HptError(exc.strerror or str(exc), where=d) from None
    # The C harness aims the seeds (where entries go) and holds the cap
    driver = _driver(a, required=True)
    assert driver is not None
    max_order = a.max_order
    if max_order is None:
        max_order = replay.default_max_order(driver)
    judge = gen.Judge(driver)
    seeds = gen.generate(a.seed, a.count, max_order, judge)
    text_dir = a.text_dir or (a.output if a.text else None)
    raw_facts = judge.facts([s.scenario for s in seeds]) if a.raw_words else []
    new = 0
    for i, s in enumerate(seeds):
        path = os.path.join(a.output, s.name)
        if not os.path.exists(path):
            new += 1
        fileio.write_bytes(path, s.data)
        if text_dir:
            first, rest = text.format_scenario(s.scenario).split("\n", 1)
            fileio.write_text(os.path.join(text_dir, s.name + ".hpt"),
                              f"{first}\n# {s.family}: {s.features}\n{rest}")
        if a.raw_words:
            data = gen.raw_table_words(s.scenario, raw_facts[i])
            fileio.write_bytes(os.path.join(a.raw_words,
                                            hashlib.sha1(data).hexdigest()), data)
        if a.verbose:
            _out(f"{s.name}  {s.family:<9} {s.features}")
    _out(f"wrote {len(seeds)} scenarios ({new} new) to {a.output}")
    return EXIT_OK


def _replay_input(path: str, was_text: bool, scen: Scenario) -> str:
    """A binary file the driver can read: path itself, or for text input
    its canonical bytes in a temporary file kept for the gdb command."""
    if not was_text:
        return path
    blob = binary.encode(scen)
    tmp = os.path.join(tempfile.gettempdir(),
                       f"hptfuzz-repro-{hashlib.sha1(blob).hexdigest()[:16]}.bin")
    fileio.write_bytes(tmp, blob)
    return tmp


def _driver(a: argparse.Namespace, required: bool) -> str | None:
    path = a.replay or paths.default_replay()
    if not required and not a.replay and not os.path.exists(path):
        return None
    return paths.require_program(path, "replay driver",
                                 "build the dev preset or pass --replay")


def _run_driver(driver: str, a: argparse.Namespace, data_path: str) -> replay.ReplayResult:
    res = replay.run(driver, data_path, a.impl, a.max_order,
                     raw_words=a.format == "raw-words")
    if res.status == 2:
        last = res.stderr.strip().splitlines()[-1:] or ["no output"]
        raise HptError(f"the replay driver rejected the input (exit 2): "
                       f"{last[0].strip()}", where=a.file)
    return res


def _facts(res: replay.ReplayResult, a: argparse.Namespace) -> replay.Facts:
    """The driver's JSON object for the file; an error if it gave none."""
    facts = res.facts
    if facts is None or res.bad_lines:
        why = ("output that is not JSON: " + res.bad_lines[0][:80]) if res.bad_lines \
            else f"no JSON ({res.status_text()})"
        raise HptError(f"the replay driver gave {why}", where=a.file)
    return facts


def _colour(mode: str) -> bool:
    if mode == "auto":
        return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return mode == "always"


def _verdicts(facts: replay.Facts) -> None:
    oracle = facts.get("oracle") or {}
    judged = ""
    if oracle:
        judged = (f"entries judged exactly: {oracle['nr_exact']} of "
                  f"{oracle['nr_exact'] + oracle['nr_rules']}")
    for impl in facts["impls"]:
        if impl["verdict"] == "agree":
            _out(f"{impl['impl']}: agree (rc {impl['rc_name']})"
                 + (f", {judged}" if judged else ""))
        else:
            _out(f"{impl['impl']}: {impl['summary']}" + (f" ({judged})" if judged else ""))


def _expectation(facts: replay.Facts) -> str:
    oracle = facts.get("oracle")
    if oracle is None:
        return "the harness made no prediction (see the driver's error)"
    if not oracle["predictable"]:
        return (f"entries judged exactly: {oracle['nr_exact']} of "
                f"{oracle['nr_exact'] + oracle['nr_rules']}; raw record "
                f"{oracle['raw_record']} and the others no VA explains are "
                "judged by rules, so no expected tables are claimed")
    c = oracle.get("collision")
    extra = (f": old {c['old_index']:#x} (record {c['record']}) belongs at new "
             f"{c['new_index']:#x}, taken by old {c['holder_index']:#x}"
             f" (record {c['holder_record']})") if c else ""
    return f"expected rc {oracle['rc_name']}{extra}"


def cmd_repro(a: argparse.Namespace) -> int:
    scen, was_text = fileio.load(a.file, a.format)
    driver = _driver(a, required=True)
    assert driver is not None
    data_path = _replay_input(a.file, was_text, scen)
    res = _run_driver(driver, a, data_path)
    if res.crashed:
        _out("== scenario ==")
        sys.stdout.write(show.annotate(scen, None))
        _out(f"== replay: {shlex.join(res.command)} ({res.status_text()}) ==")
        _out(f"the replay driver crashed ({res.status_text()})")
        if res.stderr.strip():
            sys.stdout.write(res.stderr if res.stderr.endswith("\n") else res.stderr + "\n")
        impl = a.impl
    else:
        facts = _facts(res, a)
        _out("== scenario ==")
        sys.stdout.write(show.annotate(scen, facts))
        _out(f"== replay: {shlex.join(res.command)} ({res.status_text()}) ==")
        _verdicts(facts)
        first = replay.first_divergence(facts)
        if res.status == 0 and first is None:
            _out("== no divergence ==")
            return EXIT_OK
        _out("== divergence ==")
        _out(_expectation(facts))
        if first is None:
            _out("(the driver reports a divergence but names none)")
            impl = a.impl
        else:
            who, div = first
            impl = who["impl"]
            _out(replay.divergence_line(who, div))
            _out(f"first divergence ({div['kind']}): {div['message']}")
            outcome = who.get("outcome") or {}
            if outcome.get("fate") not in (None, "returned"):
                at = outcome.get("index")
                _out(f"{impl}: {outcome['fate']}: {outcome['what']}"
                     + (f" (old index {at:#x})" if at is not None else ""))
            for line in diff.render(facts, who, div, _colour(a.color)):
                _out(line)
            others = [d["kind"] for d in who["divergences"][1:]]
            _out("also differs: " + (" ".join(others) if others else "nothing else"))
    gdb = ["gdb", "--args"] + replay.command(driver, data_path, impl, a.max_order,
                                             raw_words=a.format == "raw-words")
    _out("== rerun under gdb ==")
    _out(shlex.join(gdb))
    return EXIT_DIVERGENCE


def cmd_render(a: argparse.Namespace) -> int:
    scen, was_text = fileio.load(a.file, a.format)
    driver = _driver(a, required=True)
    assert driver is not None
    res = _run_driver(driver, a, _replay_input(a.file, was_text, scen))
    if res.crashed:
        raise HptError(f"the replay driver crashed ({res.status_text()}): "
                       "nothing to draw from", where=a.file)
    facts = _facts(res, a)
    div = replay.first_divergence(facts)
    note = "" if div else f"replay driver: {res.status_text()}, no divergence reported"
    doc = svg.render(facts, div, os.path.basename(a.file), note)
    fileio.write_text(a.output, doc)
    return EXIT_OK


def cmd_minimize(a: argparse.Namespace) -> int:
    fileio.read_bytes(a.file)  # a readable file, not a directory
    fuzzer = paths.require_program(a.fuzzer or paths.default_fuzzer(a.engine, a.target),
                                   f"{a.engine} fuzz target",
                                   f"build the {a.engine} preset or pass --fuzzer")
    before = os.path.getsize(a.file)
    after = engines.minimize(a.file, a.output, a.engine, fuzzer, a.runs,
                             a.tool, a.timeout, a.log)
    _out(f"minimised {a.file} ({before} bytes) to {a.output} ({after} bytes)")
    return EXIT_OK


def cmd_merge(a: argparse.Namespace) -> int:
    fuzzer = paths.require_program(a.fuzzer or paths.default_fuzzer(a.engine, a.target),
                                   f"{a.engine} fuzz target",
                                   f"build the {a.engine} preset or pass --fuzzer")
    before, after = engines.merge(a.corpus, a.new, a.engine, fuzzer, a.tool,
                                  a.timeout, a.log)
    _out(f"merged into {a.corpus}: {before} files before, {after} after")
    return EXIT_OK


# ----------------------------------------------------------------- parser

def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=fileio.FORMATS, default="auto",
                   help="input encoding (auto: text if the file starts with "
                   "'hptfuzz-scenario' or is named *.hpt, else binary; "
                   "raw-words: the raw_table target's input)")


def _add_replay(p: argparse.ArgumentParser, max_order: int | None) -> None:
    p.add_argument("--replay", metavar="PATH",
                   help="replay driver (default: $HPTFUZZ_REPLAY, else "
                   "$HPTFUZZ_BUILD/dev/harness/hptfuzz-replay)")
    p.add_argument("--impl", default="all", metavar="NAME",
                   help="implementation to replay (default: all)")
    p.add_argument("--max-order", type=_int_in(hpte.MIN_ORDER, hpte.MAX_ORDER),
                   default=max_order, metavar="N",
                   help="order cap, as the fuzz targets apply it (default: "
                   "the driver's: FILE.max-order for a finding, else "
                   "$HPTFUZZ_MAX_ORDER, else the harness's default)")


def _add_engine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=paths.ENGINES, default="libfuzzer")
    p.add_argument("--target", choices=paths.TARGETS, default="rehash_diff",
                   help="fuzz target whose default binary to use")
    p.add_argument("--fuzzer", metavar="PATH",
                   help="fuzz target binary (default: $HPTFUZZ_BUILD/ENGINE/"
                   "fuzz/fuzz_TARGET)")
    p.add_argument("--tool", metavar="PATH",
                   help="afl-tmin / afl-cmin to use (default: from PATH)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="give up after this long")
    p.add_argument("--log", metavar="FILE",
                   help="append the engine's output to FILE")


def build_parser() -> argparse.ArgumentParser:
    max_order = _env_max_order()
    top = _Parser(prog="hptfuzz", description="Scenario tools for the HPT "
                  "resize fuzzing harness.")
    sub = top.add_subparsers(dest="command", metavar="SUBCOMMAND",
                             parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("show", description=DESCRIPTIONS["show"],
                       help="print a scenario as canonical text "
                       "with placement comments")
    p.add_argument("file", metavar="FILE")
    _add_format(p)
    _add_replay(p, max_order)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("encode", description=DESCRIPTIONS["encode"],
                       help="text (or binary) scenario to "
                       "canonical binary")
    p.add_argument("file", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    _add_format(p)
    p.set_defaults(func=cmd_encode)

    p = sub.add_parser("decode", description=DESCRIPTIONS["decode"],
                       help="binary (or text) scenario to "
                       "canonical text")
    p.add_argument("file", metavar="IN")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file (default: standard output)")
    _add_format(p)
    p.set_defaults(func=cmd_decode)

    p = sub.add_parser("gen", description=DESCRIPTIONS["gen"],
                       help="write seed scenarios over the feature "
                       "matrix, named by their SHA-1")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--seed", type=_int_in(0, 2**64 - 1), default=0)
    p.add_argument("--count", type=_int_in(1, 100000), default=gen.DEFAULT_COUNT,
                   help=f"number of scenarios (default {gen.DEFAULT_COUNT})")
    p.add_argument("--max-order", type=_int_in(hpte.MIN_ORDER + 1, gen.MAX_ORDER),
                   metavar="N", help="largest order used (default: the fuzz "
                   f"targets' cap, asked of the replay driver; at most {gen.MAX_ORDER})")
    p.add_argument("--replay", metavar="PATH",
                   help="replay driver, which places the entries gen aims "
                   "with and gives the default cap (default: $HPTFUZZ_REPLAY, "
                   "else $HPTFUZZ_BUILD/dev/harness/hptfuzz-replay)")
    p.add_argument("--text", action="store_true",
                   help="also write NAME.hpt text files")
    p.add_argument("--text-dir", metavar="DIR",
                   help="write the .hpt files here instead of DIR (implies --text)")
    p.add_argument("--raw-words", metavar="DIR",
                   help="also write each seed's old table as raw_table input "
                        "(header, then index, V, R, guest R words)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list each scenario and its features")
    p.set_defaults(func=cmd_gen)

    p = sub.add_parser("repro", description=DESCRIPTIONS["repro"],
                       help="replay a scenario and explain the "
                       "divergence")
    p.add_argument("file", metavar="FILE")
    _add_replay(p, max_order)
    _add_format(p)
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=cmd_repro)

    p = sub.add_parser("minimize", description=DESCRIPTIONS["minimize"],
                       help="minimise a crashing input")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    _add_engine(p)
    p.add_argument("--runs", type=_int_in(1, 2**31 - 1), default=10000,
                   help="libFuzzer -runs (default 10000)")
    p.set_defaults(func=cmd_minimize)

    p = sub.add_parser("merge", description=DESCRIPTIONS["merge"],
                       help="merge new inputs into a corpus, "
                       "keeping it minimal")
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("new", metavar="NEW_DIR", nargs="+")
    _add_engine(p)
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("render", description=DESCRIPTIONS["render"],
                       help="draw the old and expected new tables "
                       "as SVG (needs the replay driver)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.svg")
    _add_replay(p, max_order)
    _add_format(p)
    p.set_defaults(func=cmd_render)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        status: int = args.func(args)
        return status
    except HptError as exc:
        sys.stdout.flush()
        sys.stderr.write(f"hptfuzz: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
