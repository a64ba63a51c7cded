#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# How long the fuzzer takes to find each finding of an implementation
# (the patch-2016 port unless --impl names another), from the shipped corpus,
# on one core.
#
#   scripts/time-to-find.sh [--impl NAME] [--runs N] [--time SECONDS]
#                           [--target NAME]... [--out DIR]
#
# Defaults: 3 runs of 300 s for each of rehash_diff and raw_table.  Each
# run is one libFuzzer process (ASan+UBSan build) with HPTFUZZ_IMPLS=NAME
# in record mode, seeded with the run number, fuzzing from
# corpus/TARGET into a fresh scratch corpus.  Every recorded divergence is
# named by the sidecars of corpus/regressions/NAME/ (patch-2016: those of
# the patch-2016 port, whose findings it has; tests/findings/expect_match.sh); one
# no sidecar names is listed as unclassified.
# Prints, per finding and target, the wall-clock seconds to the first
# report in each run and their median (a run that never found it counts
# as longer than any that did); "load" marks a report made while the
# shipped corpus was still being read, before fuzzing proper.  Logs and
# findings stay under DIR (default out/time-to-find-<date>/).
set -euo pipefail
export LC_ALL=C	# EPOCHREALTIME with a decimal point
cd "$(dirname "$0")/.."

runs=3 seconds=300 targets=() out="" impl=patch-2016-port
usage() {
	sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}
while (($#)); do
	case $1 in
	--impl) impl=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--time) seconds=${2:?}; shift 2 ;;
	--target) targets+=("${2:?}"); shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "time-to-find.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] ||
	{ echo "time-to-find.sh: --runs needs a positive number, got '$runs'" >&2; exit 2; }
[[ $seconds =~ ^[1-9][0-9]*$ ]] ||
	{ echo "time-to-find.sh: --time needs a number of seconds, got '$seconds'" >&2; exit 2; }
((${#targets[@]})) || targets=(rehash_diff raw_table)
for t in "${targets[@]}"; do
	[[ $t == rehash_diff || $t == raw_table ]] ||
		{ echo "time-to-find.sh: --target is rehash_diff or raw_table, got '$t'" >&2; exit 2; }
done

[[ $impl =~ ^[a-z0-9.-]+$ ]] ||
	{ echo "time-to-find.sh: --impl needs an implementation name, got '$impl'" >&2; exit 2; }
findings_dir=corpus/regressions/$impl
[[ $impl == patch-2016 ]] && findings_dir=corpus/regressions/patch-2016
sidecars=("$findings_dir"/*.expect)
[[ -f ${sidecars[0]} ]] ||
	{ echo "time-to-find.sh: no sidecars in $findings_dir/" >&2; exit 2; }
match=tests/findings/expect_match.sh

if ! scripts/setup.sh --check >/dev/null; then
	scripts/setup.sh
fi
echo "=== building the libFuzzer targets (clang, ASan+UBSan)"
cmake --preset libfuzzer >/dev/null
cmake --build --preset libfuzzer -j 2 --target "${targets[@]/#/fuzz_}" >/dev/null

out=${out:-out/time-to-find-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
results=$out/results.tsv
: >"$results"

# The finding a recorded report belongs to, or "unclassified"
classify() {
	local report=$1 sidecar name=unclassified
	for sidecar in "${sidecars[@]}"; do
		if "$match" "$sidecar" "$report" "$impl" 2>/dev/null; then
			name=$(basename "$sidecar" .expect)
			break
		fi
	done
	echo "$name"
}

# Microseconds since the epoch
now_us() {
	local t=${EPOCHREALTIME/./}
	echo $((10#$t))
}

# CPU seconds (user + system, tenths) process $1 has used so far
tick=$(getconf CLK_TCK)
cpu_tenths() {
	local stat f
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	stat=${stat##*) }	# fields from the third on; utime is the 12th
	read -r -a f <<<"$stat"
	echo $(((f[11] + f[12]) * 10 / tick))
}

tenths_str() {
	echo "$(($1 / 10)).$(($1 % 10))"
}

# One fuzzing run; its reports are timed as the fuzzer prints them
one_run() {
	local target=$1 run=$2 dir=$out/$1-$2
	local start pid line path wall cpu execs=0 phase=load name rc=0
	mkdir -p "$dir/corpus" "$dir/findings" "$dir/crashes"
	echo "=== $impl, $target, run $run of $runs: ${seconds}s"
	start=$(now_us)
	exec {fd}< <(exec env HPTFUZZ_IMPLS="$impl" \
		HPTFUZZ_FINDINGS="$dir/findings" \
		build/libfuzzer/fuzz/fuzz_"$target" -seed="$run" \
		-max_total_time="$seconds" -timeout=25 \
		-artifact_prefix="$dir/crashes/" "$dir/corpus" \
		"corpus/$target" 2>&1)
	pid=$!
	while IFS= read -r line <&"$fd"; do
		printf '%s\n' "$line" >>"$dir/fuzz.log"
		case $line in
		'#'[0-9]*[[:space:]]INITED*) phase=fuzz ;;
		'#'[0-9]*) execs=${line%%[!#0-9]*}; execs=${execs#\#} ;;
		"hptfuzz: new divergence of $impl recorded: "*)
			cpu=$(cpu_tenths "$pid")
			wall=$((($(now_us) - start) / 100000))
			path=${line#"hptfuzz: new divergence of $impl recorded: "}
			name=$(classify "$path.txt")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" \
				"$run" "$name" "$(tenths_str "$cpu")" "$execs" \
				"$phase" "$(tenths_str "$wall")" "$path" >>"$results"
			printf '    %7ss cpu %7ss wall %-4s %s\n' \
				"$(tenths_str "$cpu")" "$(tenths_str "$wall")" \
				"$phase" "$name"
			;;
		esac
	done
	exec {fd}<&-
	wait "$pid" || rc=$?
	if ((rc)); then
		echo "    the fuzzer stopped early (exit $rc): artifacts in" \
			"$dir/crashes/, log $dir/fuzz.log"
	fi
	return $rc
}

# Table of column $1 of the results (4: CPU seconds, 5: executions):
# first report of each finding in each run, and the median over the runs
table() {
	local col=$1 name target run first median times
	printf '| %-34s | %-11s |' finding target
	for ((run = 1; run <= runs; run++)); do printf ' run %-7s |' "$run"; done
	printf ' %-8s |\n' median
	printf '|%s|%s|' "$(printf -- '-%.0s' {1..36})" \
		"$(printf -- '-%.0s' {1..13})"
	for ((run = 1; run <= runs; run++)); do
		printf '%s|' "$(printf -- '-%.0s' {1..13})"
	done
	printf -- '----------|\n'
	for name in $names; do
		for target in "${targets[@]}"; do
			times=()
			printf '| %-34s | %-11s |' "$name" "$target"
			for ((run = 1; run <= runs; run++)); do
				first=$(awk -F'\t' -v t="$target" -v r="$run" \
					-v n="$name" -v c="$col" \
					'$1 == t && $2 == r && $3 == n { print $c, $6; exit }' \
					"$results")
				if [[ -z $first ]]; then
					printf ' %-11s |' -
					times+=(inf)
				else
					printf ' %-11s |' "${first% fuzz}"
					times+=("${first%% *}")
				fi
			done
			median=$(printf '%s\n' "${times[@]}" | sort -g |
				sed -n "$(((runs + 1) / 2))p")
			[[ $median == inf ]] && median=-
			printf ' %-8s |\n' "$median"
		done
	done
}

status=0
for target in "${targets[@]}"; do
	for ((run = 1; run <= runs; run++)); do
		one_run "$target" "$run" || status=1
	done
done

names=$( (for s in "${sidecars[@]}"; do basename "$s" .expect; done
	cut -f3 "$results") | sort -u)
echo
echo "=== CPU seconds of the fuzzer to the first report ($runs runs of ${seconds}s;"
echo "    '-': not found; 'load': while reading the shipped corpus)"
table 4
echo
echo "=== executions to the first report"
table 5
echo
echo "results (target run finding cpu-s execs phase wall-s reproducer): $results"
exit $status
