#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One reproducer of corpus/regressions/<impl>/: the implementation (the
# patch-2016 port unless named) must still diverge on it as its sidecar says,
# and the core must agree with the oracle on it.  Orders are kept at or
# below the replay driver's cap, so it runs as stored.
#
#   check_regression.sh REPLAY NAME.hpt [IMPL]
set -euo pipefail

replay=$1
hpt=$2
impl=${3:-patch-2016-port}
here=$(dirname "$0")
sidecar=${hpt%.hpt}.expect
if [[ ! -f $sidecar ]]; then
	echo "$hpt: no sidecar $sidecar" >&2
	exit 1
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT

rc=0
"$replay" --impl "$impl" "$hpt" >"$report" 2>&1 || rc=$?
if ((rc != 1)); then
	cat "$report"
	echo "$impl: exit $rc, expected 1 (a divergence)" >&2
	exit 1
fi
if grep -q 'folded by the order cap' "$report"; then
	cat "$report"
	echo "$hpt: orders above the replay driver's cap" >&2
	exit 1
fi
if ! "$here/expect_match.sh" "$sidecar" "$report" "$impl"; then
	cat "$report"
	echo "$impl: the report does not match $sidecar" >&2
	exit 1
fi
grep -m1 '^DIVERGENCE ' "$report"

rc=0
"$replay" --impl core "$hpt" >"$report" 2>&1 || rc=$?
if ((rc != 0)); then
	cat "$report"
	echo "core: exit $rc, expected 0 (agrees with the oracle)" >&2
	exit 1
fi
cat "$report"
