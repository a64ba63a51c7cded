#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job (scripts/fuzz.sh) end to end, briefly. With no
# implementation marked known, the divergences of the patch-2016 port and the
# kernels, several of which the shipped corpus trips on its first pass,
# must be reported as new and fail the run; each reproducer the summary
# names must make its implementation diverge on replay while the core
# agrees with the oracle. Both targets of the default rotation run
# (rehash_diff and all_orders), each replayed with its own driver.
#
#   main_job_test.sh SRCDIR WORKDIR REPLAY ALL_ORDERS SECONDS
set -euo pipefail
src=$1 work=$2 replay=$3 all_orders=$4 seconds=$5

fail() {
	echo "main_job_test: $*" >&2
	exit 1
}

rm -rf "$work" "$work.log"
# A bad --target fails at once, naming it, before anything is built
for bad in nope rehash_diff:0; do
	rc=0
	msg=$("$src/scripts/fuzz.sh" --target "$bad" --out "$work" 2>&1) || rc=$?
	[[ $rc == 2 && $msg == "fuzz.sh: --target: "* && ! -e $work ]] ||
		fail "--target $bad: exit $rc, '$msg'"
done
rc=0
"$src/scripts/fuzz.sh" --time "$seconds" --jobs 1 --known '' \
	--out "$work" >"$work.log" 2>&1 || rc=$?
sed -n '/^=== summary/,$p' "$work.log"
[[ $rc == 1 ]] || fail "exit status $rc, expected 1 (new divergences); log: $work.log"
for t in rehash_diff all_orders; do
	grep -qE "^executions: .*\b$t [1-9][0-9]* in" "$work.log" ||
		fail "no executions of $t counted"
	grep -qE "^coverage: .*\b$t [1-9][0-9]* edges" "$work.log" ||
		fail "no coverage figure for $t"
done
grep -qE '^judged: +rehash_diff [1-9][0-9]* of [1-9][0-9]* entries exactly' "$work.log" ||
	fail "no share of entries judged exactly"
# The patch-2016 port and the 2016 patch write below the new table (findings 2
# and 7), which stops the process; each crash must be put down to them
if grep -qE '^ +crashes with: (.*\bcore\b|no implementation)' "$work.log"; then
	fail "a crash of the core, or one no implementation alone causes"
fi
grep -q '\[new\] impl=core ' "$work.log" && fail "the core diverged"
grep -q '\[known\]' "$work.log" && fail "a divergence marked known with --known ''"

grep -qE '^by implementation: core 0, .* [1-9][0-9]*(,|$)' "$work.log" ||
	fail "no per-implementation line with the core clean and another's divergences"
mapfile -t impls < <(sed -nE 's/^  \[new\] impl=([^ ]+) .*/\1/p' "$work.log")
mapfile -t repros < <(sed -nE 's/^ +reproducer: //p' "$work.log")
((${#repros[@]})) || fail "no reproducer listed"
[[ ${#impls[@]} == "${#repros[@]}" ]] ||
	fail "${#impls[@]} divergences listed, ${#repros[@]} reproducers"
for i in "${!repros[@]}"; do
	f=${repros[$i]}
	[[ $f = /* ]] || f=$src/$f
	[[ -s $f && -s $f.txt ]] || fail "$f or its report is missing"
	rc=0
	if [[ $f == */findings/all_orders/* ]]; then
		# The target aborts on a divergence outside record mode
		HPTFUZZ_IMPLS=${impls[$i]} "$all_orders" "$f" >/dev/null 2>&1 || rc=$?
		[[ $rc != 0 ]] || fail "$f: ${impls[$i]} does not diverge on replay"
		HPTFUZZ_IMPLS=core "$all_orders" "$f" >/dev/null 2>&1 ||
			fail "$f: the core diverges on replay"
		continue
	fi
	"$replay" --impl "${impls[$i]}" --max-order 19 --quiet "$f" >/dev/null || rc=$?
	[[ $rc == 1 ]] || fail "$f: ${impls[$i]} does not diverge on replay (exit $rc)"
	"$replay" --impl core --max-order 19 --quiet "$f" >/dev/null ||
		fail "$f: the core diverges on replay"
done
echo "main_job_test: ${#repros[@]} divergences of $(printf '%s\n' "${impls[@]}" | sort -u | tr '\n' ' ')reported and replayed"
