#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What the corpus covers: clang source-based coverage of core/ and oracle/
# while every fuzz target replays its corpus (corpus/T and corpus/regressions/T)
# through the plain replay driver. Writes an HTML report, prints llvm-cov's
# table per file, and ends with one line of line and branch coverage.
#
#   scripts/coverage.sh [--out DIR] [--build-dir DIR] [--max-inputs N]
#
#   --out DIR        the HTML report (default out/coverage; DIR/index.html)
#   --build-dir DIR  the build tree (default build/coverage, the "coverage"
#                    preset)
#   --max-inputs N   replay only the first N inputs of each corpus directory
#
# Exit status: 0, 1 if a replay failed (the report still covers the rest),
# 2 on bad arguments or a failed build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

out=$root/out/coverage build=$root/build/coverage max_inputs=0
usage() {
	sed -n '9,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}
while (($#)); do
	case $1 in
	--out) out=${2:?}; shift 2 ;;
	--build-dir) build=${2:?}; shift 2 ;;
	--max-inputs) max_inputs=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "coverage.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[[ $max_inputs =~ ^[0-9]+$ ]] ||
	{ echo "coverage.sh: --max-inputs needs a number, got '$max_inputs'" >&2; exit 2; }
# Paths given are the caller's; the rest runs from the repository
out=$(realpath -m "$out") build=$(realpath -m "$build")
cd "$root"

if ! scripts/setup.sh --check >/dev/null; then
	scripts/setup.sh
fi

# llvm-profdata and llvm-cov must read what this clang writes
major=$(clang -dumpversion | cut -d. -f1)
tool() {
	if command -v "$1-$major" >/dev/null; then echo "$1-$major"; else echo "$1"; fi
}
profdata=$(tool llvm-profdata) cov=$(tool llvm-cov)

echo "=== building the fuzz targets with coverage instrumentation in $build"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cmake --preset coverage -S "$root" -B "$build" >"$log" 2>&1 ||
	! cmake --build "$build" --target hpt_fuzz_targets -j "$(nproc)" >>"$log" 2>&1; then
	tail -n 30 "$log"
	echo "coverage.sh: the build failed" >&2
	exit 2
fi

prof=$build/profiles
rm -rf "$prof"
mkdir -p "$prof"
objects=() failed=() total=0
for bin in "$build"/fuzz/fuzz_*; do
	[[ -f $bin && -x $bin ]] || continue
	t=${bin##*/fuzz_}
	objects+=("$bin")
	inputs=()
	for d in "corpus/$t" "corpus/regressions/$t"; do
		[[ -d $d ]] || continue
		mapfile -t files < <(find "$d" -type f | sort)
		if ((max_inputs && ${#files[@]} > max_inputs)); then
			files=("${files[@]:0:max_inputs}")
		fi
		inputs+=("${files[@]}")
	done
	((${#inputs[@]})) || continue
	echo "=== $t: replaying ${#inputs[@]} inputs"
	total=$((total + ${#inputs[@]}))
	# One profile per process: a divergence aborts, and loses only its own
	if ! LLVM_PROFILE_FILE="$prof/$t-%p.profraw" "$bin" "${inputs[@]}" \
		>"$log" 2>&1; then
		tail -n 20 "$log"
		failed+=("$t")
		# Again one process per input, to name the culprits and cover
		# the inputs after them (counts double, percentages do not)
		for f in "${inputs[@]}"; do
			LLVM_PROFILE_FILE="$prof/$t-%p.profraw" "$bin" "$f" \
				>/dev/null 2>&1 || echo "    diverged or crashed: $f"
		done
	fi
done
((${#objects[@]})) || { echo "coverage.sh: no fuzz targets in $build/fuzz" >&2; exit 2; }

"$profdata" merge -sparse "$prof"/*.profraw -o "$build/corpus.profdata"
cov_args=(-instr-profile="$build/corpus.profdata" "${objects[0]}")
for o in "${objects[@]:1}"; do
	cov_args+=(-object "$o")
done
sources=("$root/core" "$root/oracle")

echo
"$cov" report "${cov_args[@]}" -show-branch-summary "${sources[@]}"

# The report goes next to its final place, then replaces it whole
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$(dirname "$out")"
"$cov" show "${cov_args[@]}" -format=html -output-dir="$tmp" \
	-show-branches=count -show-line-counts-or-regions \
	-project-title="hptfuzz: core/ and oracle/ under the corpus" \
	"${sources[@]}"
summary=$("$cov" export "${cov_args[@]}" -summary-only "${sources[@]}" |
	python3 -c '
import json, sys
totals = json.load(sys.stdin)["data"][0]["totals"]
def part(name):
    t = totals[name]
    pct, covered, count = t["percent"], t["covered"], t["count"]
    return f"{name} {pct:.1f}% ({covered}/{count})"
print(", ".join(part(n) for n in ("lines", "branches", "functions")))
')
line="coverage of core/ and oracle/ by $total corpus inputs: $summary"
echo "$line" >"$tmp/summary.txt"
rm -rf "$out"
mv "$tmp" "$out"

echo
echo "HTML report: $out/index.html"
if ((${#failed[@]})); then
	echo "replays that diverged or crashed: ${failed[*]}"
fi
echo "$line"
((${#failed[@]} == 0))
