#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The extractor and the main job on bad input, and the verbatim check on
# a doctored text: each must fail with one clear message naming what is
# wrong.
#
#   kextract_errors.sh SRCDIR GENERATED.c TREE WORKDIR
#     GENERATED.c  a file kextract.py made from TREE with items/resize.txt
set -euo pipefail
src=$1 gen=$2 tree=$3 work=$4
kx=$src/kernel/kextract.py
items=$src/kernel/items/resize.txt

fail() {
	echo "kextract_errors: $*" >&2
	exit 1
}

# expect STATUS PATTERN CMD...: exit STATUS and PATTERN on stderr
expect() {
	local want=$1 pattern=$2 rc=0
	shift 2
	"$@" >"$work/out" 2>"$work/err" || rc=$?
	[[ $rc == "$want" ]] || { cat "$work/err"; fail "$*: exit $rc, expected $want"; }
	grep -qF -- "$pattern" "$work/err" ||
		{ cat "$work/err"; fail "$*: no '$pattern' in its message"; }
	[[ $(wc -l <"$work/err") -le 2 ]] ||
		{ cat "$work/err"; fail "$*: more than one message"; }
}

rm -rf "$work"
mkdir -p "$work/tree"

# A tree without the resize code
expect 2 "$work/tree/arch/powerpc/kvm/book3s_64_mmu_hv.c" \
	python3 "$kx" extract --items "$items" --tree "$work/tree" --out "$work/x.c"
[[ ! -e $work/x.c ]] || fail "a failed extraction left $work/x.c"

# A text the lists do not fit: a definition it lacks
printf 'arch/powerpc/kvm/book3s_64_mmu_hv.c func resize_hpt_no_such_thing\n' >"$work/items.txt"
expect 2 "0 definitions of func resize_hpt_no_such_thing" \
	python3 "$kx" extract --items "$work/items.txt" --tree "$tree" --out "$work/x.c"

# A malformed list
printf 'arch/powerpc/kvm/book3s_64_mmu_hv.c function x\n' >"$work/items.txt"
expect 2 "$work/items.txt: line 1" \
	python3 "$kx" extract --items "$work/items.txt" --tree "$tree" --out "$work/x.c"

# The verbatim check: the file as built passes, one byte changed fails
python3 "$kx" check --items "$items" --tree "$tree" "$gen" >/dev/null ||
	fail "$gen does not pass the check as built"
sed '0,/new_hash_mask;/s//new_hash_mask:/' "$gen" >"$work/doctored.c"
cmp -s "$gen" "$work/doctored.c" && fail "could not doctor $gen"
expect 1 "differs from $tree/arch/powerpc/kvm/book3s_64_mmu_hv.c line" \
	python3 "$kx" check --items "$items" --tree "$tree" "$work/doctored.c"

# Text slipped in between two definitions
awk 'NR == 3 { print "int slipped_in;" } { print }' "$gen" >"$work/doctored.c"
rc=0
python3 "$kx" check --items "$items" --tree "$tree" "$work/doctored.c" \
	>/dev/null 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "a line slipped into $gen passed the check"

# The main job on a directory that is no kernel tree: before any build
expect 2 "has no Makefile" "$src/scripts/fuzz.sh" --kernel-src "$work/tree"
expect 2 "no directory" "$src/scripts/fuzz.sh" --kernel-src "$work/none"

echo "kextract_errors: bad trees, lists and doctored texts refused"
