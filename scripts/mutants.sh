#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Mutation testing of core/src: how much of the core the fuzz targets
# (and, where they miss, the core's unit tests) pin.
#
#   scripts/mutants.sh [--time SECONDS] [--sample N] [--seed N]
#                      [--ids LIST] [--targets LIST] [--file core/src/F.c]...
#                      [--rev REV] [--out DIR] [--jobs N] [--list] [--keep]
#                      [--no-unit]
#
# Makes operator and constant mutants of core/src/*.c: == and !=, < and
# <=, > and >=, && and ||, << and >>, binary + and -, binary & | ^,
# += -= &= |=, a dropped logical !, and each integer constant (0 -> 1,
# 1 -> 0, N -> N + 1, #define values too).  Each is applied alone in a
# scratch copy of the tree at REV (never in the work tree), rebuilt as
# a no-sanitizer libFuzzer build of the fuzz targets (clang, the
# libfuzzer-nosan preset's settings); the targets then fuzz from the
# shipped corpus (corpus/T and corpus/regressions/T) with HPTFUZZ_IMPLS=core
# for at most SECONDS in all, in turn, until one fails; a mutant every
# target misses then meets the core's unit tests (tests/unit: test_hpte,
# test_rehash, test_protocol), which reach what no fuzzed input can (a
# hook that misbehaves).  A mutant a target or unit test fails on is
# killed; one that survives them all is printed with its source line; one
# that does not compile is counted apart.  The summary ends with the kill
# rate, killed / (killed + survived), and how many the unit tests alone
# killed.
#
#   --time S       fuzzing budget per mutant, split over the targets (30)
#   --sample N     run N mutants drawn at random (by --seed), not all
#   --ids L        run only the mutants numbered L (comma-separated, as
#                  --list and mutants.tsv number them), e.g. the survivors
#   --seed N       the draw and libFuzzer's -seed (1)
#   --targets L    comma-separated (rehash_diff,raw_table,protocol,all_orders)
#   --no-unit      the fuzz targets alone, no unit tests
#   --file F       only mutants of F (a core/src/*.c path; repeatable)
#   --rev REV      the commit whose tree is copied and mutated (HEAD)
#   --out DIR      results: mutants.tsv and survivors.txt
#                  (default out/mutants-<date>)
#   --jobs N       build parallelism (1)
#   --list         print the mutants and exit
#   --keep         keep the scratch tree, its build and the logs
#
# Exit: 0 after a run (whatever the kill rate), 2 on bad arguments, a tree
# that does not build, or targets that fail on the unmutated core.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

seconds=30 sample=0 seed=1 targets=rehash_diff,raw_table,protocol,all_orders
files=() out="" jobs=1 list=0 keep=0 rev=HEAD ids="" unit=1
unit_tests=(test_hpte test_rehash test_protocol)

usage() {
	sed -n '4,45p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}
die() {
	echo "mutants.sh: $*" >&2
	exit 2
}
number() {	# number OPTION VALUE MIN
	[[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3)) ||
		die "$1 needs a whole number of at least $3, got '$2'"
}

while (($#)); do
	case $1 in
	--time | --sample | --seed | --ids | --targets | --file | --rev | --out | --jobs)
		(($# >= 2)) || die "$1 needs a value" ;;
	esac
	case $1 in
	--time) seconds=${2-}; number --time "$seconds" 1; shift 2 ;;
	--sample) sample=${2-}; number --sample "$sample" 1; shift 2 ;;
	--seed) seed=${2-}; number --seed "$seed" 0; shift 2 ;;
	--ids) ids=${2-}; [[ $ids =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] ||
		die "--ids needs mutant numbers separated by commas, got '$ids'"
		shift 2 ;;
	--targets) targets=${2-}; shift 2 ;;
	--file) files+=("${2-}"); shift 2 ;;
	--rev) rev=${2-}; shift 2 ;;
	--out) out=${2-}; [[ -n $out ]] || die "--out needs a directory"; shift 2 ;;
	--jobs) jobs=${2-}; number --jobs "$jobs" 1; shift 2 ;;
	--list) list=1; shift ;;
	--keep) keep=1; shift ;;
	--no-unit) unit=0; shift ;;
	-h | --help) usage 0 ;;
	*) echo "mutants.sh: unknown argument '$1'" >&2; usage ;;
	esac
done

IFS=, read -r -a target_list <<<"$targets"
((${#target_list[@]})) || die "--targets: no target named"
for t in "${target_list[@]}"; do
	[[ -f fuzz/$t.c && -d corpus/$t ]] ||
		die "--targets: '$t' is not a fuzz target with a corpus (fuzz/$t.c, corpus/$t/)"
done
git rev-parse --verify -q "$rev^{commit}" >/dev/null || die "--rev: '$rev' is not a commit"

# The scratch copy of the tree at REV: mutants are made and built there
scratch=$(mktemp -d "${TMPDIR:-/tmp}/hptfuzz-mutants.XXXXXX")
tree=$scratch/tree
work=$scratch/work
mkdir -p "$tree" "$work"
cleanup() {
	if ((keep)); then
		echo "scratch tree, build and logs kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
git archive "$rev" | tar -x -C "$tree" || die "could not copy $rev's tree to $tree"

if ((${#files[@]} == 0)); then
	for f in "$tree"/core/src/*.c; do files+=("core/src/${f##*/}"); done
fi
for f in "${files[@]}"; do
	[[ $f == core/src/*.c && -f $tree/$f ]] ||
		die "--file: '$f' is not a core/src/*.c file of $rev"
done

# ---- the mutants: file, line, column, offset, from, to, source line ----
gen=$work/mutants.py
list_file=$work/mutants.list
cat >"$gen" <<'PY'
import random
import re
import sys

TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<pre>^[ \t]*\#(?:\\\n|[^\n])*)
  | (?P<number>\b(?:0[xX][0-9a-fA-F]+|[0-9]+)(?P<suffix>[uUlL]*)\b)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<op><<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=
        |[-+*/%&|^!<>=~?:;,.(){}\[\]])
  | (?P<space>\s+)
""", re.S | re.M | re.X)

SWAP = {"==": "!=", "!=": "==", "<": "<=", "<=": "<", ">": ">=",
        ">=": ">", "&&": "||", "||": "&&", "<<": ">>", ">>": "<<",
        "+=": "-=", "-=": "+=", "&=": "|=", "|=": "&="}
BINARY = {"+": "-", "-": "+", "&": "|", "|": "&", "^": "|"}
NOT_OPERAND = {"return", "case", "sizeof", "else", "do"}
DEFINE = re.compile(r"[ \t]*#[ \t]*define[ \t]+\w+(\([^)]*\))?")


def constant(text, suffix):
    body = text[:len(text) - len(suffix)] if suffix else text
    value = int(body, 0)
    new = 1 if value == 0 else 0 if value == 1 else value + 1
    return (hex(new) if body[:2] in ("0x", "0X") else str(new)) + suffix


def mutants(path):
    src = open(path).read()
    out = []

    def add(start, old, new):
        line = src.count("\n", 0, start) + 1
        col = start - (src.rfind("\n", 0, start) + 1) + 1
        text = src.splitlines()[line - 1].strip()
        out.append((path, line, col, start, old, new, text))

    prev = None
    for m in TOKEN.finditer(src):
        kind, tok, start = m.lastgroup, m.group(0), m.start()
        if kind in ("space", "comment", "string"):
            continue
        if kind == "pre":
            d = DEFINE.match(tok)
            if d:
                for n in TOKEN.finditer(tok, d.end()):
                    if n.lastgroup == "number":
                        add(start + n.start(), n.group(0),
                            constant(n.group(0), n.group("suffix")))
            prev = None
            continue
        if kind == "suffix":
            continue
        operand = prev is not None and (
            prev[0] == "number" or prev[1] in (")", "]")
            or (prev[0] == "ident" and prev[1] not in NOT_OPERAND))
        if kind == "number":
            add(start, tok, constant(tok, m.group("suffix")))
        elif kind == "op" and tok in SWAP:
            add(start, tok, SWAP[tok])
        elif kind == "op" and tok in BINARY and operand:
            add(start, tok, BINARY[tok])
        elif kind == "op" and tok == "!":
            add(start, tok, "")
        prev = (kind, tok)
    return out


def main():
    if sys.argv[1] == "apply":
        path, offset, old, new, dest = sys.argv[2:7]
        src = open(path).read()
        offset = int(offset)
        if src[offset:offset + len(old)] != old:
            sys.exit(f"{path}: '{old}' is not at offset {offset}")
        open(dest, "w").write(src[:offset] + new + src[offset + len(old):])
        return
    sample, seed, ids = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    every = [m for path in sys.argv[5:] for m in mutants(path)]
    chosen = range(len(every))
    if ids:
        chosen = sorted({int(i) - 1 for i in ids.split(",")})
        if chosen[-1] >= len(every):
            sys.exit(f"--ids: there are {len(every)} mutants")
    elif 0 < sample < len(every):
        chosen = sorted(random.Random(seed).sample(range(len(every)), sample))
    print(len(every))
    for i in chosen:
        path, line, col, start, old, new, text = every[i]
        # \x1f: a separator read keeps empty fields with (a dropped !)
        print("\x1f".join(str(x) for x in
                          (i + 1, path, line, col, start, old, new, text)))


main()
PY

(cd "$tree" && python3 "$gen" list "$sample" "$seed" "$ids" "${files[@]}") >"$list_file" ||
	die "could not read the mutants of ${files[*]}"
total=$(head -n 1 "$list_file")
chosen=$(($(wc -l <"$list_file") - 1))
if ((list)); then
	tail -n +2 "$list_file" | while IFS=$'\x1f' read -r id f line col _ from to text; do
		printf '%4s %s:%s:%s  %s -> %s   | %s\n' "$id" "$f" "$line" "$col" \
			"'$from'" "'$to'" "$text"
	done
	echo "$chosen of $total mutants"
	exit 0
fi

command -v clang >/dev/null || die "clang not found (the libFuzzer build needs it)"
out=${out:-out/mutants-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" || die "--out: cannot create '$out'"
results=$out/mutants.tsv
survivors=$out/survivors.txt

per=$((seconds / ${#target_list[@]}))
((per >= 1)) || per=1
build=$tree/build
echo "=== scratch tree $tree: no-sanitizer libFuzzer build of ${target_list[*]}"
cmake -S "$tree" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_COMPILER=clang -DHPT_FUZZ_ENGINE=libfuzzer \
	-DHPT_UNIT_TESTS="$( ((unit)) && echo ON || echo OFF)" \
	>"$work/configure.log" 2>&1 ||
	{ keep=1; die "configure failed: $work/configure.log"; }
build_targets() {
	local units=()
	((unit)) && units=("${unit_tests[@]}")
	cmake --build "$build" -j "$jobs" --target "${target_list[@]/#/fuzz_}" \
		"${units[@]}" >"$work/build.log" 2>&1
}

# unit_fails: 0 when a unit test of the core fails (every case runs)
unit_fails() {
	local u
	((unit)) || return 1
	for u in "${unit_tests[@]}"; do
		timeout 120 "$build/tests/$u" >"$work/unit-$u.log" 2>&1 || return 0
	done
	return 1
}
build_targets || { keep=1; die "$rev's tree does not build: $work/build.log"; }

# fuzz TARGET: 0 when it survives the time given, else the fuzzer failed
fuzz() {
	local t=$1 dirs=() d
	for d in "$tree/corpus/$t" "$tree/corpus/regressions/$t"; do
		[[ -d $d ]] && dirs+=("$d")
	done
	rm -rf "$work/corpus" "$work/crash-"*
	mkdir -p "$work/corpus"
	env -u HPTFUZZ_FINDINGS HPTFUZZ_IMPLS=core \
		timeout --kill-after=10 $((per + 120)) \
		"$build/fuzz/fuzz_$t" -max_total_time="$per" -timeout=10 \
		-rss_limit_mb=2048 -seed="$seed" -artifact_prefix="$work/" \
		"$work/corpus" "${dirs[@]}" >"$work/fuzz-$t.log" 2>&1
}

echo "=== the unmutated core on the corpus"
for t in "${target_list[@]}"; do
	fuzz "$t" || { keep=1; die "fuzz_$t fails on the unmutated core: $work/fuzz-$t.log"; }
done
if unit_fails; then
	keep=1
	die "a unit test fails on the unmutated core: $work/unit-*.log"
fi

echo "=== $chosen of $total mutants of ${files[*]}, ${seconds}s each at most (${per}s per target)"
printf 'id\tfile\tline\tfrom\tto\tresult\tby\tseconds\tsource\n' >"$results"
: >"$survivors"
killed=0 survived=0 broken=0 by_unit=0 n=0 start=$SECONDS
while IFS=$'\x1f' read -r id f line col offset from to text; do
	n=$((n + 1))
	cp "$tree/$f" "$work/original.c"
	python3 "$gen" apply "$work/original.c" "$offset" "$from" "$to" "$tree/$f" ||
		die "could not apply mutant $id to $f"
	t0=$SECONDS result=survived by=-
	if ! build_targets; then
		result=uncompilable
	else
		for t in "${target_list[@]}"; do
			if ! fuzz "$t"; then
				result=killed by=$t
				break
			fi
		done
		if [[ $result == survived ]] && unit_fails; then
			result=killed by=unit
		fi
	fi
	cp "$work/original.c" "$tree/$f"
	case $result in
	killed) killed=$((killed + 1))
		[[ $by == unit ]] && by_unit=$((by_unit + 1)) ;;
	survived) survived=$((survived + 1))
		printf '%s:%s:%s: %s -> %s   | %s\n' "$f" "$line" "$col" "'$from'" \
			"'$to'" "$text" >>"$survivors" ;;
	*) broken=$((broken + 1)) ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$f" "$line" "$from" \
		"$to" "$result" "$by" "$((SECONDS - t0))" "$text" >>"$results"
	printf '[%4d/%d] %-12s %s:%s %s -> %s%s\n' "$n" "$chosen" \
		"${result^^}" "$f" "$line" "'$from'" "'$to'" \
		"$([[ $result == killed ]] && echo " (by $by)")"
	if [[ $result == survived ]]; then
		printf '             | %s\n' "$text"
	fi
done < <(tail -n +2 "$list_file")

# Leave the build as the tree is, for --keep
if ((keep)); then
	build_targets || true
fi

echo
echo "=== survivors ($survived)"
if [[ -s $survivors ]]; then cat "$survivors"; else echo "none"; fi
echo
run=$((killed + survived))
rate=0 drawn=""
((run == 0)) || rate=$((killed * 1000 / run))
((chosen == total)) || drawn=" (a sample, --seed $seed)"
[[ -z $ids ]] || drawn=" (--ids $ids)"
echo "mutants: $total in ${files[*]}; $chosen run$drawn, ${seconds}s each at most, on ${target_list[*]}"
echo "  killed $killed ($by_unit of them only by the unit tests), survived $survived, did not compile $broken; $((SECONDS - start)) s"
echo "kill rate: $killed/$run = $((rate / 10)).$((rate % 10))%"
echo "results: $results"
