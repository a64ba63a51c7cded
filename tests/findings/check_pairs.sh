#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every reproducer in DIR has its sidecar and every sidecar its
# reproducer (NAME.hpt and NAME.expect), and nothing else is there but
# README.md: a finding cannot be dropped or left unchecked silently.
#
#   check_pairs.sh DIR
set -euo pipefail

dir=$1
status=0
n=0
shopt -s nullglob
for f in "$dir"/*; do
	name=$(basename "$f")
	case $name in
	README.md) ;;
	*.hpt)
		n=$((n + 1))
		[[ -f ${f%.hpt}.expect ]] || {
			echo "$name: no ${name%.hpt}.expect" >&2
			status=1
		}
		;;
	*.expect)
		[[ -f ${f%.expect}.hpt ]] || {
			echo "$name: no ${name%.expect}.hpt" >&2
			status=1
		}
		;;
	*)
		echo "$name: neither NAME.hpt nor NAME.expect" >&2
		status=1
		;;
	esac
done
if ((n == 0)); then
	echo "$dir: no reproducers" >&2
	status=1
fi
echo "$n reproducers"
exit $status
