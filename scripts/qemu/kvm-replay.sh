#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Replay a findings directory on the real kvm-hv of the emulated POWER9
# host, to confirm (or not) what an implementation showed in the host
# fuzzers: every reproducer in DIR (a fuzz.sh OUT/findings/rehash_diff or
# raw_table directory, or corpus/regressions/...: files named *.txt,
# *.expect, *.max-order, *.md and README* are reports and sidecars, not
# inputs) goes through kvm-host.sh once per
# kernel, and one line per reproducer says what the finding was (the
# DIVERGENCE line of its .txt report, when there is one) and each
# kernel's verdict: DIVERGE or HOST-CRASH confirm that the real module
# misbehaves on it too; PASS says it does not (then the implementation
# that diverged, if it claims to be the kernel's code, is wrong).
#
# Usage: kvm-replay.sh [--kernel 6.1|6.12|6.12-64k|both] [--raw-words]
#                      [--max-order N] [--tool PATH] [--out DIR] DIR...
#   --kernel     which Debian kernels (default both)
#   --raw-words  the reproducers are raw_table inputs
#   --max-order  the cap the findings were made with (default: their
#                NAME.max-order sidecars, else the fuzz targets' cap)
#   --out DIR    work directory (default $HPTFUZZ_CACHE/kvm-replay)
# Exit: 0 when every reproducer ran on every kernel (whatever the
# verdicts), 1 when some did not (ERROR, NOT-RUN), 2 bad input or setup.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kernels=(6.1 6.12)
pass=()
out=""
dirs=()

die() {
	echo "kvm-replay: error: $*" >&2
	exit 2
}
usage() { sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0" | sed '$d'; }
need() { [ "$2" -ge 2 ] || die "$1 needs a value (--help)"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)
		need "$1" $#
		case "$2" in
		6.1|6.12|6.12-64k) kernels=("$2") ;;
		both) kernels=(6.1 6.12) ;;
		*) die "--kernel must be 6.1, 6.12, 6.12-64k or both, got: $2" ;;
		esac
		shift 2 ;;
	--raw-words) pass+=(--raw-words); shift ;;
	--max-order|--tool|--cache) need "$1" $#; pass+=("$1" "$2"); shift 2 ;;
	--out) need "$1" $#; out=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) die "unknown option: $1 (--help)" ;;
	*) dirs+=("$1"); shift ;;
	esac
done
[ ${#dirs[@]} -gt 0 ] || die "no findings directory given (--help)"
: "${out:=${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/kvm-replay}"

files=()
for d in "${dirs[@]}"; do
	[ -d "$d" ] || die "not a directory: $d"
	while IFS= read -r f; do
		case "$(basename "$f")" in
		*.txt|*.expect|*.max-order|*.md|README*|.*) continue ;;
		esac
		files+=("$f")
	done < <(find "$d" -maxdepth 1 -type f | sort)
done
[ ${#files[@]} -gt 0 ] || die "no reproducers in ${dirs[*]}"
mkdir -p "$out"

# Without --max-order, the cap the findings were found with (their
# NAME.max-order sidecars), where they agree on one
if ! printf '%s\n' "${pass[@]}" | grep -qx -- --max-order; then
	caps=$(for f in "${files[@]}"; do
		[ -f "$f.max-order" ] && cat "$f.max-order"
	done | sort -u)
	case $(printf '%s' "$caps" | grep -c .) in
	0) ;;
	1) pass+=(--max-order "$caps")
	   echo "kvm-replay: orders capped at $caps, as the findings were found" ;;
	*) die "the findings were found with different order caps (${caps//$'\n'/ }): replay them apart, or give --max-order" ;;
	esac
fi

status=0
for k in "${kernels[@]}"; do
	echo "kvm-replay: ${#files[@]} reproducers on kvm-hv-$k"
	rc=0
	"$here/kvm-host.sh" --kernel "$k" --out "$out/$k" "${pass[@]}" \
		"${files[@]}" >"$out/$k.log" 2>&1 || rc=$?
	[ "$rc" -le 1 ] || { tail -n 5 "$out/$k.log" >&2; die "kvm-host.sh failed on $k (see $out/$k.log)"; }
	grep -E '^(summary|  boots|  scenario wall)' "$out/$k.log" | sed 's/^/  /'
done

# One line per reproducer: the finding, then each kernel's verdict
echo "kvm-replay: reproducer, finding, verdict per kernel"
for i in "${!files[@]}"; do
	f=${files[$i]}
	finding="(no report)"
	if [ -f "$f.txt" ]; then
		finding=$(grep -m1 '^DIVERGENCE' "$f.txt" | sed 's/^DIVERGENCE //' || true)
	elif [ -f "${f%.*}.expect" ]; then
		finding="its .expect: $(grep -v '^#' "${f%.*}.expect" | tr '\n' ' ')"
	fi
	line="$(basename "$f"): ${finding:-(no DIVERGENCE line)}"
	for k in "${kernels[@]}"; do
		prefix="[$(printf '%4d' "$i")] "
		v=$(awk -v p="$prefix" 'index($0, p) == 1 {
			split(substr($0, length(p) + 1), w, " "); print w[1]; exit }' \
			"$out/$k.log")
		line+=" | kvm-hv-$k: ${v:-?}"
		case "$v" in
		PASS|DIVERGE|HOST-CRASH|HOST-HANG) ;;
		*) status=1 ;;
		esac
	done
	echo "  $line"
done
exit "$status"
