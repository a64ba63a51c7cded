#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# hptfuzz-kvm judge on the console recorded from a run of corpus/qemu on
# the real kvm-hv of Debian's 6.1 (qemu/tests/data/kvm-6.1-corpus.results):
# all six agree; then on copies doctored to hold a misplaced entry, an
# entry left VALID, a V word in the pre-3.0 layout, a wrong return code,
# a refused entry, a WARNING and a lost scenario, each must come out as
# it should, with the stored table (debugfs) and without it.
#
#   kvm_judge_recorded.sh HPTFUZZ-KVM SRCDIR WORKDIR
set -euo pipefail
tool=$1 src=$2 work=$3
recorded=$src/qemu/tests/data/kvm-6.1-corpus.results

rm -rf "$work"
mkdir -p "$work"
"$tool" prep --out "$work/prep" "$src/corpus/qemu" >/dev/null

fail() {
	echo "kvm_judge_recorded: $*"
	exit 1
}

# What the VMM enters for shrink-merge: the memslot rounded to 64K host
# pages, every entry at its index in the guest's view, VALID ones touched
want='hptfuzz-kvm 1
order 19 18
slot 0 0 1000000
e 8 100000011 200192 1
e 1218 4000004242000015 211192 1
e 4009 100000091 201192 1
e 4010 100000081 202192 1'
[ "$(cat "$work/prep/scenarios/5.kvm")" = "$want" ] ||
	fail "prep wrote for shrink-merge: $(cat "$work/prep/scenarios/5.kvm")"

# judge RESULTS WANT-RC PATTERN...: every pattern must be in the output
judge() {
	local results=$1 want=$2 rc=0 out
	shift 2
	out=$("$tool" judge --dir "$work/prep" --results "$results" \
		--impl kvm-hv-6.1) || rc=$?
	[ "$rc" = "$want" ] || { echo "$out"; fail "$results: exit $rc, expected $want"; }
	for p in "$@"; do
		grep -qF -- "$p" <<<"$out" || { echo "$out"; fail "$results: no '$p'"; }
	done
}

judge "$recorded" 0 "summary (kvm-hv-6.1): 6 scenarios: 6 PASS; 0 unexpected" \
	"kvm-hv-6.1 agrees: rc -ENOSPC"

# grow-mixed's bolted entry at 0x3ba0 stored one group further
sed 's/KVMH raw idx=0x3ba0 /KVMH raw idx=0x3ba8 /' "$recorded" >"$work/moved.results"
judge "$work/moved.results" 1 "DIVERGE    $src/corpus/qemu/grow-mixed.hpt" \
	"DIVERGENCE impl=kvm-hv-6.1 what=new-entry"

# The same entry left VALID in the new table (the stored word shows it)
sed 's/KVMH raw idx=0x3ba0 v=0x0000000000777334 /KVMH raw idx=0x3ba0 v=0x0000000000777315 /' \
	"$recorded" >"$work/valid.results"
judge "$work/valid.results" 1 "DIVERGE    $src/corpus/qemu/grow-mixed.hpt" \
	"differs: ABSENT VALID"

# Written back with the segment size in V's top bits, as a pre-3.0 word
sed 's/KVMH raw idx=0x3ba0 v=0x0000000000777334 /KVMH raw idx=0x3ba0 v=0x4000000000777334 /' \
	"$recorded" >"$work/layout.results"
judge "$work/layout.results" 1 "DIVERGE    $src/corpus/qemu/grow-mixed.hpt" \
	"new entry 0x3ba0 holds V 0x4000000000777334, with bits above the ISA 3.0 layout's 52"

# shrink-collision's resize succeeding where the oracle says ENOSPC
sed 's/commit rc=-28 /commit rc=0 /; s/resize rc=-28$/resize rc=0/' \
	"$recorded" >"$work/rc.results"
judge "$work/rc.results" 1 "DIVERGE    $src/corpus/qemu/shrink-collision.hpt" \
	"expected -ENOSPC (-28), actual 0 (0)"

# The kernel refusing grow-mixed's 0x3 entry (it is then in no table):
# judged as entered, which still agrees
awk '/KVMH e idx=0x3 |KVMH (pre|raw) idx=0x3 / { next }
	{ sub(/KVMH entered n=6 refused=0/, "KVMH refused idx=0x3 rc=-5\n" $1 " KVMH entered n=5 refused=1") } 1' \
	"$recorded" >"$work/refused.results"
judge "$work/refused.results" 0 "1 entries refused (first at 0x3, rc -5); judged as entered"

# Without debugfs: the HTAB fd's view alone still agrees
grep -v 'KVMH \(pre\|raw\)' "$recorded" >"$work/htab-only.results"
judge "$work/htab-only.results" 0 \
	"summary (kvm-hv-6.1): 6 scenarios: 6 PASS; 0 unexpected"
sed 's/KVMH e idx=0x3ba0 /KVMH e idx=0x3ba8 /' "$work/htab-only.results" \
	>"$work/htab-moved.results"
judge "$work/htab-moved.results" 1 "DIVERGE    $src/corpus/qemu/grow-mixed.hpt"

# A WARNING with its NIP and call trace during scenario 4
awk '/KVMH begin index=4$/ { print; t = $1;
	print t " [    3.1] WARNING: CPU: 0 PID: 95 at arch/powerpc/kvm/book3s_64_mmu_hv.c:1572 kvm_vm_ioctl_resize_hpt_commit+0x1b4/0x5f0 [kvm_hv]"
	print t " [    3.1] NIP [c008000003a3b1fc] kvm_vm_ioctl_resize_hpt_commit+0x1b4/0x5f0 [kvm_hv]"
	print t " [    3.1] Call Trace:"
	print t " [    3.1] [c00000000a6efb90] [c008000003a3b1d8] kvm_vm_ioctl_resize_hpt_commit+0x190/0x5f0 [kvm_hv] (unreliable)"
	print t " [    3.1] [c00000000a6efc10] [c008000003a0e4a4] kvm_arch_vm_ioctl+0x2bc/0x9f0 [kvm]"
	print t " [    3.1] ---[ end trace 0000000000000000 ]---"
	next } 1' "$recorded" >"$work/warn.results"
judge "$work/warn.results" 1 \
	"HOST-CRASH $src/corpus/qemu/shrink-collision.hpt  NIP kvm_vm_ioctl_resize_hpt_commit+0x1b4/0x5f0 [kvm_hv]; the host's console: [    3.1] WARNING: CPU: 0" \
	"| [    3.1] NIP [c008000003a3b1fc] kvm_vm_ioctl_resize_hpt_commit" \
	"| [    3.1] [c00000000a6efc10] [c008000003a0e4a4] kvm_arch_vm_ioctl"

# The host silent from scenario 5 on: the runner's bound ended the boot
awk '/KVMH begin index=5$/ { print; print $1 " KVMH-RUNNER lost index=5 timeout=1"; exit } 1' \
	"$recorded" >"$work/lost.results"
judge "$work/lost.results" 1 "HOST-HANG  $src/corpus/qemu/shrink-merge.hpt"
echo "kvm_judge_recorded: all cases as expected"
