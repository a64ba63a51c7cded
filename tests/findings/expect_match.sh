#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Whether a divergence report of an implementation (default: the
# patch-2016 port) matches a sidecar of corpus/regressions/<impl>/ (NAME.expect next
# to NAME.hpt):
#
#   # comments and blank lines
#   what=KIND        the kind on the report's DIVERGENCE line (once)
#   has TEXT         a substring the report must contain (any number)
#
#   expect_match.sh SIDECAR REPORT [IMPL]
#
# Exit 0 on a match, 1 if not (the first unmatched line on stderr), 2 if
# the sidecar cannot be read.  The regression tests and
# scripts/time-to-find.sh both classify reports with it.
set -euo pipefail

if (($# < 2 || $# > 3)); then
	echo "usage: expect_match.sh SIDECAR REPORT [IMPL]" >&2
	exit 2
fi
sidecar=$1
report=$2
impl=${3:-patch-2016-port}

what=
has=()
n=0
while IFS= read -r line || [[ -n $line ]]; do
	n=$((n + 1))
	case $line in
	'' | '#'*) ;;
	what=*)
		if [[ -n $what ]]; then
			echo "$sidecar:$n: a second what= line" >&2
			exit 2
		fi
		what=${line#what=}
		;;
	'has '?*) has+=("${line#has }") ;;
	*)
		echo "$sidecar:$n: neither what=KIND nor 'has TEXT': $line" >&2
		exit 2
		;;
	esac
done <"$sidecar"
if [[ ! $what =~ ^[a-z-]+$ ]]; then
	echo "$sidecar: no what=KIND line" >&2
	exit 2
fi

if ! grep -qF -- "DIVERGENCE impl=$impl what=$what " "$report"; then
	echo "no 'DIVERGENCE impl=$impl what=$what' line" >&2
	exit 1
fi
for text in "${has[@]}"; do
	if ! grep -qF -- "$text" "$report"; then
		echo "no '$text'" >&2
		exit 1
	fi
done
