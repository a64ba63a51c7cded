#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run AFL++ on one target for a few seconds, the way a user would: persistent
# mode, the target's dictionary and its CmpLog twin when they exist. Fails if
# it did not execute or found a crash.
#
#   afl_smoke.sh [--dict FILE] [--cmplog BINARY] TARGET SECONDS DIR...
set -euo pipefail
afl_args=()
while (($#)); do
	case $1 in
	--dict)
		[[ -f $2 ]] && afl_args+=(-x "$2")
		shift 2
		;;
	--cmplog)
		# Built by the afl-cmplog preset; without it, fuzz without CmpLog
		if [[ -x $2 ]]; then
			afl_args+=(-c "$2")
		else
			echo "afl: no CmpLog binary at $2, fuzzing without it"
		fi
		shift 2
		;;
	*) break ;;
	esac
done
target=$1 seconds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
for d in "$@"; do
	find "$d" -maxdepth 1 -type f -size -64k -exec cp {} "$work/in/" \;
done
[ -n "$(ls -A "$work/in")" ] || printf '\0\0\0\0' >"$work/in/empty"
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_SKIP_CRASHES=1
echo "afl-fuzz ${afl_args[*]} -V $seconds -- $target"
afl-fuzz "${afl_args[@]}" -V "$seconds" -i "$work/in" -o "$work/out" -- "$target" >"$work/log" 2>&1 ||
	{ tail -n 30 "$work/log"; exit 1; }
stats=$work/out/default/fuzzer_stats
execs=$(awk -F: '/^execs_done/ {gsub(/ /,"",$2); print $2}' "$stats")
crashes=$(awk -F: '/^saved_crashes|^unique_crashes/ {gsub(/ /,"",$2); print $2}' "$stats" | head -n 1)
echo "afl: $execs executions, $crashes crashes"
[ "${execs:-0}" -gt 0 ] || { echo "afl ran nothing"; exit 1; }
[ "${crashes:-0}" -eq 0 ] || { ls "$work/out/default/crashes"; exit 1; }
