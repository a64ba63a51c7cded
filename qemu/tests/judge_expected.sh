#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# qemu/expected excuses the hypervisor and never the core in the guest
# kernel.  On copies of the recorded TCG run of corpus/qemu
# (qemu/tests/data/tcg-corpus.results) doctored inside a scenario whose
# hypervisor crash is expected, the judge must fail the run: the core's
# new table holds a wrong word, or the core's report stops before its
# end.  Expectations that name no hypervisor verdict are refused.
#
#   judge_expected.sh HPTFUZZ-QEMU SRCDIR WORKDIR
set -euo pipefail
tool=$1 src=$2 work=$3
recorded=$src/qemu/tests/data/tcg-corpus.results
expected=$src/qemu/expected
# corpus/qemu in order: scenario 1 crashes QEMU, as qemu/expected says
crashed=bolted-secondary.hpt index=1

rm -rf "$work"
mkdir -p "$work"
"$tool" prep --out "$work/prep" "$src/corpus/qemu" >/dev/null

fail() {
	echo "judge_expected: $*"
	exit 1
}

# judge RESULTS EXPECT WANT-RC PATTERN...: every pattern in the output
judge() {
	local results=$1 expect=$2 want=$3 rc=0 out
	shift 3
	out=$("$tool" judge --dir "$work/prep" --results "$results" \
		--expect "$expect" 2>&1) || rc=$?
	echo "--- judge ${results##*/} --expect ${expect##*/}: exit $rc"
	echo "$out"
	[ "$rc" = "$want" ] || fail "${results##*/}: exit $rc, expected $want"
	for p in "$@"; do
		grep -qF -- "$p" <<<"$out" || fail "${results##*/}: no '$p'"
	done
}

# doctor OUT AWK: a copy of the recorded run, which must differ from it
doctor() {
	awk "$2" "$recorded" >"$work/$1"
	! cmp -s "$recorded" "$work/$1" || fail "$1: the doctoring changed nothing"
}

grep -q "^$crashed HV-CRASH" "$expected" ||
	fail "$expected: no HV-CRASH expected for $crashed"

# As recorded: the core agrees there, the hypervisor crash is excused
judge "$recorded" "$expected" 0 \
	"[   $index] HV-CRASH   $src/corpus/qemu/$crashed  core agrees (rc 0)" \
	"; 0 unexpected"

# The core left a different R in its new table before QEMU died
doctor core-word.results "/HPTK begin index=$index\$/ { on = 1 }
	on && !done && /HPTK core-new/ { sub(/ r=0x/, \" r=0x1\"); done = 1 }
	{ print }"
judge "$work/core-word.results" "$expected" 1 \
	"[   $index] HV-CRASH   $src/corpus/qemu/$crashed  kmod diverges" \
	"UNEXPECTED: the expectation excuses the hypervisor only" \
	"DIVERGENCE impl=kmod what=new-entry" \
	"; 1 unexpected" "verdict: UNEXPECTED RESULTS"

# The core's report stops half way (no end) before QEMU died
doctor core-cut.results "!/HPTK core-end index=$index\$/"
judge "$work/core-cut.results" "$expected" 1 \
	"[   $index] HV-CRASH   $src/corpus/qemu/$crashed  core: " \
	"UNEXPECTED: the expectation excuses the hypervisor only"

# Expectations name the hypervisor: a core verdict or PASS is refused
for verdict in DIVERGE GUEST-FAIL PASS ERROR; do
	printf '# excuses too much\n%s %s tcg\n' "$crashed" "$verdict" \
		>"$work/expected-$verdict"
	judge "$recorded" "$work/expected-$verdict" 2 \
		"expected-$verdict: line 2: want NAME VERDICT [ACCEL] with a verdict naming the hypervisor"
done

# HV-DIVERGE: the hypervisor's part alone diverges (grow-mixed's first
# bolted entry one group further), the core agreeing, is excused ...
cp "$expected" "$work/expected-hv-diverge"
echo "grow-mixed.hpt HV-DIVERGE tcg" >>"$work/expected-hv-diverge"
first_found=$(awk '/HPTK begin index=2$/ { on = 1 } on && /HPTK hv-found/ { print; exit }' "$recorded")
[ -n "$first_found" ] || fail "no hv-found line for scenario 2 in $recorded"
idx=${first_found#*idx=}
idx=${idx%% *}
doctor hv-moved.results "\$0 == \"$first_found\" {
	sub(\"idx=$idx \", \"idx=$(printf '0x%x' $((idx + 8))) \") } { print }"
judge "$work/hv-moved.results" "$work/expected-hv-diverge" 0 \
	"DIVERGE    $src/corpus/qemu/grow-mixed.hpt  core agrees" "(expected)"
# ... and a core divergence there is not
doctor both.results "\$0 == \"$first_found\" {
	sub(\"idx=$idx \", \"idx=$(printf '0x%x' $((idx + 8))) \") }
	/HPTK begin index=2\$/ { on = 1 }
	on && !done && /HPTK core-new/ { sub(/ r=0x/, \" r=0x1\"); done = 1 }
	{ print }"
judge "$work/both.results" "$work/expected-hv-diverge" 1 \
	"DIVERGE    $src/corpus/qemu/grow-mixed.hpt  kmod diverges" \
	"UNEXPECTED: the expectation excuses the hypervisor only"

echo "judge_expected: expectations excuse the hypervisor only; the core's divergences inside them fail the run"
