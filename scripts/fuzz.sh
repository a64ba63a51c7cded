#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: a bounded differential fuzzing run on the shipped corpus,
# using every core, ending with a summary of what it found.
#
#   scripts/fuzz.sh [--time SECONDS] [--target NAME] [--jobs N] [--out DIR]
#
# Defaults: 180 s of rehash_diff (every implementation against the oracle)
# on all cores; results under out/fuzz-<date>/. Exit status: 0 on a clean
# run, 1 if anything diverged or crashed, 2 on bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=180 target=rehash_diff jobs=$(nproc) out=""
usage() {
	sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}
while (($#)); do
	case $1 in
	--time) seconds=${2:?}; shift 2 ;;
	--target) target=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "fuzz.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] ||
	{ echo "fuzz.sh: --time needs a number of seconds, got '$seconds'" >&2; exit 2; }
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] ||
	{ echo "fuzz.sh: --jobs needs a positive number, got '$jobs'" >&2; exit 2; }

if ! scripts/setup.sh --check >/dev/null; then
	scripts/setup.sh
fi

echo "=== building the libFuzzer targets (clang, ASan+UBSan)"
cmake --preset libfuzzer >/dev/null
cmake --build --preset libfuzzer -j "$(nproc)" >/dev/null
bin=build/libfuzzer/fuzz/fuzz_$target
[[ -x $bin ]] || {
	echo "fuzz.sh: no target '$target' (have: $(ls build/libfuzzer/fuzz | sed -n 's/^fuzz_//p' | tr '\n' ' '))" >&2
	exit 2
}

out=${out:-out/fuzz-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/corpus" "$out/crashes"
# Fuzz into a copy: the shipped corpus only changes by a deliberate merge
seeds=()
for d in corpus/$target corpus/regressions/$target; do
	[[ -d $d ]] && seeds+=("$d")
done
nseeds=$(find "${seeds[@]}" -type f 2>/dev/null | wc -l)
dict=()
[[ -f fuzz/$target.dict ]] && dict=(-dict="fuzz/$target.dict")

echo "=== fuzzing $target for ${seconds}s on $jobs cores from $nseeds shipped inputs"
echo "    (progress lines: #executions, cov: edges covered, exec/s)"
log=$out/fuzz.log
set +e
"$bin" "${dict[@]}" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	-max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
	-artifact_prefix="$out/crashes/" "$out/corpus" "${seeds[@]}" \
	2>&1 | tee "$log" | grep --line-buffered -E '^#[0-9]+|^INFO: log|==ERROR|divergence'
set -e

last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")
crashes=$(find "$out/crashes" -type f | sort)
ncrash=$(grep -c . <<<"$crashes" || true)

echo
echo "=== summary: $target"
echo "executions:   ${execs:-0}"
echo "coverage:     ${cov:-?} edges, ${ft:-?} features"
echo "corpus:       $(find "$out/corpus" -type f | wc -l) new inputs in $out/corpus"
if ((ncrash)); then
	echo "divergences:  $ncrash; reproducers:"
	sed 's/^/  /' <<<"$crashes"
	echo "read one with: python3 tools/hptfuzz.py repro <reproducer>"
	exit 1
fi
echo "divergences:  none: a clean run"
