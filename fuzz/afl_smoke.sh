#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run AFL++ on one target for a few seconds; fails if it did not execute or
# found a crash.
set -euo pipefail
target=$1 seconds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
for d in "$@"; do
	find "$d" -maxdepth 1 -type f -size -64k -exec cp {} "$work/in/" \;
done
[ -n "$(ls -A "$work/in")" ] || printf '\0\0\0\0' >"$work/in/empty"
# The target's dictionary (fuzz/NAME.dict for build/*/fuzz/fuzz_NAME)
dict=$(dirname "$0")/${target##*/fuzz_}.dict
dict_args=()
[[ -f $dict ]] && dict_args=(-x "$dict")
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_SKIP_CRASHES=1
afl-fuzz -V "$seconds" "${dict_args[@]}" -i "$work/in" -o "$work/out" -- "$target" >"$work/log" 2>&1 ||
	{ tail -n 30 "$work/log"; exit 1; }
stats=$work/out/default/fuzzer_stats
execs=$(awk -F: '/^execs_done/ {gsub(/ /,"",$2); print $2}' "$stats")
crashes=$(awk -F: '/^saved_crashes|^unique_crashes/ {gsub(/ /,"",$2); print $2}' "$stats" | head -n 1)
echo "afl: $execs executions, $crashes crashes"
[ "${execs:-0}" -gt 0 ] || { echo "afl ran nothing"; exit 1; }
[ "${crashes:-0}" -eq 0 ] || { ls "$work/out/default/crashes"; exit 1; }
