#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Executions per second of every fuzz target, with sanitizers (ASan+UBSan,
# the libfuzzer preset) and without (libfuzzer-nosan), fuzzing from the
# shipped corpus on one core at the default order cap; beside them the
# memory floor of the differential targets (bench_floor: the tables,
# revmaps and rmaps an execution touches, cleared and read once each);
# then rehash_diff with each implementation alone and with all of them,
# as a cost relative to the core alone.  Prints figures; asserts nothing.
#
# Rates are executions per CPU second of the fuzzer (user + system), which
# other work on a shared machine moves much less than wall-clock rates;
# libFuzzer's own wall-clock rate is in brackets.  Divergences are
# recorded in a scratch directory (HPTFUZZ_FINDINGS) instead of stopping
# a run, so implementations with known findings run their full time.
#
#   bench/fuzz-speed.sh [--seconds N] [--cpu C] [--no-build]
#                       [--asan-dir DIR] [--nosan-dir DIR]
#
# --seconds: per run (default 10); --cpu: the core to pin to (default the
# last); the build directories default to the presets' (build/libfuzzer,
# build/libfuzzer-nosan); --no-build uses them as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
cpu=$(($(nproc) - 1))
build=1
asan_dir=build/libfuzzer
nosan_dir=build/libfuzzer-nosan
targets=(rehash_diff raw_table protocol scenario_decode all_orders)
impls=(core patch-2016-port linux-6.1 linux-6.12 patch-2016)

usage() {
	sed -n '/^#   bench/,/^# build\/libfuzzer-nosan/s/^# \{0,1\}//p' "$0"
	exit "$1"
}

while (($#)); do
	case $1 in
	--seconds) seconds=${2:?}; shift 2 ;;
	--cpu) cpu=${2:?}; shift 2 ;;
	--no-build) build=0; shift ;;
	--asan-dir) asan_dir=${2:?}; shift 2 ;;
	--nosan-dir) nosan_dir=${2:?}; shift 2 ;;
	-h | --help) usage 0 ;;
	*) echo "fuzz-speed.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
	esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz-speed.sh: --seconds $seconds: not a whole number of seconds" >&2; exit 2; }

if ((build)); then
	for pair in "libfuzzer $asan_dir" "libfuzzer-nosan $nosan_dir"; do
		read -r preset dir <<<"$pair"
		cmake --preset "$preset" -B "$dir" >/dev/null
		cmake --build "$dir" -j "$(nproc)" --target hpt_fuzz_targets \
			bench_floor hptfuzz-replay >/dev/null
	done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run DIR TARGET IMPLS: sets rate (per CPU second), wall, judged; 0 if
# the target refuses the implementations
run() {
	local dir=$1 t=$2 sel=$3 log=$work/log times execs cpu_s real
	rm -rf "$work/corpus" "$work/findings"
	mkdir -p "$work/corpus" "$work/findings"
	TIMEFORMAT='%R %U %S'
	{ time HPTFUZZ_IMPLS=$sel HPTFUZZ_FINDINGS=$work/findings \
		taskset -c "$cpu" "$dir/fuzz/fuzz_$t" -max_total_time="$seconds" \
		-seed=1 -print_final_stats=1 "$work/corpus" "corpus/$t" \
		>"$log" 2>&1 || true; } 2>"$work/times"
	times=$(tail -n 1 "$work/times")
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
	judged=$(grep -m1 '^hptfuzz-judged:' "$log" || true)
	if [[ -z $execs ]]; then
		rate=0 wall=0
		return
	fi
	read -r real cpu_s < <(awk '{ print $1, $2 + $3 }' <<<"$times")
	rate=$(awk -v n="$execs" -v s="$cpu_s" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
	wall=$(awk -v n="$execs" -v s="$real" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else printf "-" }'
}

floor_of() {
	local t=$1 args=()
	case $t in
	rehash_diff) ;;
	raw_table) args=(--raw-words) ;;
	*) echo 0; return ;;
	esac
	[[ -x $nosan_dir/bench/bench_floor ]] || { echo 0; return; }
	[[ -n ${HPTFUZZ_MAX_ORDER:-} ]] && args+=(--max-order "$HPTFUZZ_MAX_ORDER")
	taskset -c "$cpu" "$nosan_dir/bench/bench_floor" "${args[@]}" \
		--seconds 2 "corpus/$t" |
		sed -nE 's/.* ([0-9]+) exec\/s .*/\1/p'
}

cap=${HPTFUZZ_MAX_ORDER:-$("$nosan_dir/harness/hptfuzz-replay" --print-default-max-order 2>/dev/null || echo '?')}
echo "fuzz-speed: ${seconds}s per run on CPU $cpu, order cap $cap, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "exec/s per CPU second [wall-clock]; floor: bench_floor on the target's corpus; x: floor over rate"
printf '%-16s %20s %20s %10s %10s %10s\n' target "asan+ubsan" "no sanitizer" floor "x asan" "x nosan"
judged_lines=()
for t in "${targets[@]}"; do
	run "$asan_dir" "$t" core
	a=$rate aw=$wall
	[[ -n $judged ]] && judged_lines+=("$t asan+ubsan:   $judged")
	run "$nosan_dir" "$t" core
	n=$rate nw=$wall
	[[ -n $judged ]] && judged_lines+=("$t no sanitizer: $judged")
	f=$(floor_of "$t")
	f=${f:-0}
	printf '%-16s %20s %20s %10s %10s %10s\n' "$t" "$a [$aw]" "$n [$nw]" \
		"$( ((f)) && echo "$f" || echo -)" "$(ratio "$f" "$a")" "$(ratio "$f" "$n")"
done
if ((${#judged_lines[@]})); then
	echo
	echo "judged share (core alone):"
	printf '  %s\n' "${judged_lines[@]}"
fi

echo
echo "rehash_diff by implementation: exec/s per CPU second [wall-clock]; cost: the core alone's rate over this rate, per implementation"
printf '%-16s %20s %8s %20s %8s\n' implementations "asan+ubsan" cost "no sanitizer" cost
declare -A base
present=()
for sel in "${impls[@]}" all; do
	row=()
	for dir in "$asan_dir" "$nosan_dir"; do
		run "$dir" rehash_diff "$sel"
		if ((rate == 0)); then
			row+=("n/a" "-")
			continue
		fi
		[[ $sel == core ]] && base[$dir]=$rate
		per=1
		[[ $sel == all ]] && per=${#present[@]}
		row+=("$rate [$wall]" "$(ratio "$(awk -v b="${base[$dir]:-0}" -v p="$per" 'BEGIN { print b / p }')" "$rate")")
	done
	if [[ $sel != all && ${row[0]} != n/a ]]; then
		present+=("$sel")
	fi
	label=$sel
	[[ $sel == all ]] && label="all (${#present[@]})"
	printf '%-16s %20s %8s %20s %8s\n' "$label" "${row[@]}"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
