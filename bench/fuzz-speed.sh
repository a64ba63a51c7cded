#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Executions per second of every fuzz target, with sanitizers (ASan+UBSan,
# the libfuzzer preset) and without (libfuzzer-nosan), fuzzing from the
# shipped corpus on one core. Prints figures; asserts nothing.
#
#   bench/fuzz-speed.sh [SECONDS]     default 20 per target and build
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
targets=(rehash_diff raw_table protocol scenario_decode)

for preset in libfuzzer libfuzzer-nosan; do
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset" -j "$(nproc)" >/dev/null
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-16s %18s %18s   (order cap %s, %ss each)\n' target \
	"asan+ubsan exec/s" "no sanitizer" "${HPTFUZZ_MAX_ORDER:-19}" "$seconds"
for t in "${targets[@]}"; do
	row=()
	for preset in libfuzzer libfuzzer-nosan; do
		rm -rf "$work/corpus"
		mkdir -p "$work/corpus"
		execs=$(build/$preset/fuzz/fuzz_$t -max_total_time="$seconds" \
			-print_final_stats=1 "$work/corpus" "corpus/$t" 2>&1 |
			sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p')
		row+=("$((${execs:-0} / seconds))")
	done
	printf '%-16s %18s %18s\n' "$t" "${row[0]}" "${row[1]}"
done
