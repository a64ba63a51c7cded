#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# hptfuzz-qemu judge on a results file recorded from a TCG run of
# corpus/qemu (qemu/tests/data/tcg-corpus.results): the verdicts must be
# the expected ones; then on copies doctored to hold a misplaced entry,
# a wrong word from the core and a missing report, each must be caught.
#
#   judge_recorded.sh HPTFUZZ-QEMU SRCDIR WORKDIR
set -euo pipefail
tool=$1 src=$2 work=$3
recorded=$src/qemu/tests/data/tcg-corpus.results

rm -rf "$work"
mkdir -p "$work"
"$tool" prep --out "$work/prep" "$src/corpus/qemu" >/dev/null

fail() {
	echo "judge_recorded: $*"
	exit 1
}

# judge RESULTS WANT-RC PATTERN...: every pattern must be in the output
judge() {
	local results=$1 want=$2 rc=0 out
	shift 2
	out=$("$tool" judge --dir "$work/prep" --results "$results" \
		--expect "$src/qemu/expected") || rc=$?
	[ "$rc" = "$want" ] || { echo "$out"; fail "$results: exit $rc, expected $want"; }
	for p in "$@"; do
		grep -qF -- "$p" <<<"$out" || { echo "$out"; fail "$results: no '$p'"; }
	done
}

judge "$recorded" 0 \
	"summary: 6 scenarios: 4 PASS 2 HV-CRASH; 0 unexpected" \
	"HV-CRASH   $src/corpus/qemu/bolted-secondary.hpt" \
	"Assertion \`~pteg == (hash & old_hash_mask)' failed" \
	"Assertion \`pteg == (hash & old_hash_mask)' failed" \
	"hypervisor agrees: order 19 -> 18 fails with ENOSPC"

# The hypervisor put grow-mixed's first bolted entry one group further
first_found=$(awk '/HPTK begin index=2$/ { on = 1 } on && /HPTK hv-found/ { print; exit }' "$recorded")
[ -n "$first_found" ] || fail "no hv-found line for scenario 2 in $recorded"
idx=${first_found#*idx=}
idx=${idx%% *}
moved=$(printf '0x%x' $((idx + 8)))
awk -v old="$first_found" -v idx="$idx" -v new="$moved" '
	$0 == old { sub("idx=" idx " ", "idx=" new " ") } { print }' \
	"$recorded" >"$work/moved.results"
judge "$work/moved.results" 1 "DIVERGE" "what=position" "UNEXPECTED"

# The core in the kernel left a different R in its new table
awk '/HPTK begin index=5$/ { on = 1 }
	on && !done && /HPTK core-new/ { sub(/ r=0x/, " r=0x1"); done = 1 }
	{ print }' "$recorded" >"$work/word.results"
judge "$work/word.results" 1 "DIVERGENCE impl=kmod what=new-entry"

# A scenario whose report stops half way is an error, not a pass
grep -v "HPTK core-end index=2$" "$recorded" >"$work/cut.results"
judge "$work/cut.results" 1 "ERROR"

echo "judge_recorded: recorded run judged as expected; doctored ones caught"
