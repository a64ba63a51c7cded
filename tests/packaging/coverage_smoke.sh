#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/coverage.sh on the first N inputs of each corpus directory, in a
# build tree of its own: it must end with its summary line, counting
# exactly those inputs, and leave an HTML report of core/ and oracle/.
#
# usage: coverage_smoke.sh REPO SCRATCH N
set -euo pipefail
repo=$1 scratch=$2 n=$3

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# What coverage.sh replays: each fuzz target's corpus and regressions
# (corpus/qemu and corpus/regressions/patch-2016 belong to other runners).
want=0
for src in "$repo"/fuzz/*.c; do
	t=${src##*/}
	t=${t%.c}
	for d in "$repo/corpus/$t" "$repo/corpus/regressions/$t"; do
		[[ -d $d ]] || continue
		files=$(find "$d" -type f | wc -l)
		want=$((want + (files < n ? files : n)))
	done
done

rm -rf "$scratch"
mkdir -p "$scratch"
"$repo/scripts/coverage.sh" --build-dir "$scratch/build" \
	--out "$scratch/report" --max-inputs "$n" | tee "$scratch/log" ||
	fail "scripts/coverage.sh failed"

pct='[0-9]+\.[0-9]%'
frac='\([0-9]+/[1-9][0-9]*\)'
re="^coverage of core/ and oracle/ by $want corpus inputs: lines $pct $frac, branches $pct $frac, functions $pct $frac\$"
line=$(tail -n 1 "$scratch/log")
[[ $line =~ $re ]] || fail "last line is not the summary of $want inputs: $line"
[[ $(cat "$scratch/report/summary.txt") == "$line" ]] ||
	fail "report/summary.txt differs from the printed summary"
index=$scratch/report/index.html
[[ -s $index ]] || fail "no $index"
for f in core/src/rehash.c oracle/predict.c; do
	grep -q "$f" "$index" || fail "$index does not list $f"
done
for f in fuzz/rehash_diff.c harness/run.c scenario/codec.c; do
	grep -q "$f" "$index" && fail "$index covers $f, outside core/ and oracle/"
done
echo "PASS: $line"
