#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# corpus/regressions/TARGET/ for every fuzz target (each fuzz/*.c that
# defines LLVMFuzzerTestOneInput) exists and holds inputs; fuzz.T.replay
# replays them through the target.  The rehash_diff and raw_table ones
# are findings of corpus/regressions/patch-2016/ in that target's input form,
# named after them: each must still make the patch-2016 port diverge as the
# finding's sidecar says, read as the target reads it, while the core
# agrees with the oracle.
#
#   check_target_regressions.sh REPLAY SRCDIR
set -euo pipefail
replay=$1 src=$2
regressions=$src/corpus/regressions
match=$src/tests/findings/expect_match.sh
report=$(mktemp)
trap 'rm -f "$report"' EXIT

fail() {
	echo "check_target_regressions: $*" >&2
	exit 1
}

targets=0
for c in "$src"/fuzz/*.c; do
	grep -q '^int LLVMFuzzerTestOneInput' "$c" || continue
	t=${c##*/}
	t=${t%.c}
	targets=$((targets + 1))
	n=$(find "$regressions/$t" -type f 2>/dev/null | wc -l)
	((n > 0)) || fail "$regressions/$t/: no regression inputs for fuzz target $t"
	echo "$t: $n regression inputs"
done
((targets >= 4)) || fail "$src/fuzz: only $targets fuzz targets found"

checked=0
for t in rehash_diff raw_table; do
	flags=(--max-order 19)
	[[ $t == raw_table ]] && flags+=(--raw-words)
	for f in "$regressions/$t"/*; do
		name=${f##*/}
		sidecar=$regressions/patch-2016/$name.expect
		[[ -f $sidecar ]] || fail "$f: no finding $sidecar"
		rc=0
		"$replay" "${flags[@]}" --impl patch-2016-port "$f" >"$report" 2>&1 || rc=$?
		if ((rc != 1)) || ! "$match" "$sidecar" "$report"; then
			cat "$report"
			fail "$f: the patch-2016 port does not diverge as $sidecar says (exit $rc)"
		fi
		seen=$(sed -n '/patch-2016-port diverges: /{s/.*patch-2016-port diverges: //;s/ (old index.*//;p;q}' "$report")
		rc=0
		"$replay" "${flags[@]}" --impl core "$f" >"$report" 2>&1 || rc=$?
		((rc == 0)) || { cat "$report"; fail "$f: the core does not agree (exit $rc)"; }
		echo "$t/$name: patch-2016-port: $seen; core agrees"
		checked=$((checked + 1))
	done
done
((checked > 0)) || fail "no rehash_diff or raw_table regressions checked"
echo "check_target_regressions: $targets targets have regressions; $checked findings still found in their targets' forms"
