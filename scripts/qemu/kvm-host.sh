#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real kvm-hv (docs/qemu.md, "The real kvm-hv on an emulated POWER9
# host"): an emulated POWER9 host (qemu-system-ppc64 -M powernv9,
# skiboot) boots a Debian ppc64el kernel, loads its stock kvm and
# kvm-hv modules, and a static VMM of ours (qemu/vmm) puts every
# scenario's table through the module's HPT resize, one VM per
# scenario, all in one boot while the host lives.
# The host judges each result against the oracle with the harness's
# judge (hptfuzz-kvm judge): PASS, DIVERGE (implementation kvm-hv-VER),
# HOST-CRASH (an oops, kernel BUG, WARNING or soft lockup on the console
# during the scenario), HOST-HANG, ERROR, NOT-RUN.  After a scenario the
# host did not survive, it boots again from the next one.
#
# Usage: kvm-host.sh [options] FILE|DIR...      (default: corpus/qemu)
#   --kernel 6.1|6.12|6.12-64k
#                          Debian kernel to fetch and run (default 6.1;
#                          6.12's powerpc64le flavour has 4K pages, 6.1's and
#                          6.12-64k's 64K)
#   --image FILE --modules DIR
#                          any other ppc64le kernel image and the directory
#                          holding its kvm.ko and kvm-hv.ko (.ko.xz too)
#   --name NAME            implementation name in reports (default
#                          kvm-hv-6.1, kvm-hv-6.12, ..., kvm-hv for --image)
#   --max-order N          fold scenario orders above N (default: the
#                          fuzz targets' cap, HPT_HARNESS_DEFAULT_MAX_ORDER)
#   --raw-words            binary inputs are raw_table inputs (corpus/raw_table)
#   --boot-timeout S       QEMU start to kvm-hv loaded (default 120)
#   --scenario-timeout S   per scenario (default 30)
#   --expect FILE          verdicts known not to be PASS (NAME VERDICT
#                          [IMPL] lines; default qemu/kvmhost/expected,
#                          for any input)
#   --tool PATH            hptfuzz-kvm (default build/dev/qemu/hptfuzz-kvm,
#                          built with the dev preset if missing)
#   --out DIR              work directory (default $HPTFUZZ_CACHE/kvm-run)
#   --cache DIR            package cache (see fetch-packages.sh)
#   --quiet                details only for unexpected verdicts
#   --kernel-args STR      more kernel command line (panic_on_oops=1, say:
#                          then a crashed host boots again from the next)
#   --selftest-warn K      leave scenario K's MMU not ready, so the kernel
#                          warns in the commit (WARN_ON): HOST-CRASH handling
#                          checked end to end, on a real kernel WARNING
# Exit: 0 every verdict as expected, 1 otherwise, 2 bad input or a run
# that could not be set up (packages, builds, no boot at all).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/qemu/lib.sh
. "$here/lib.sh"

kernel=6.1
image=""
moddir=""
name=""
max_order=""
raw=()
boot_tmo=120
scn_tmo=30
expect=""
tool=""
out=""
quiet=()
cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
inputs=()
selftest=""
kargs=""

say() { echo "kvm-host: $*"; }
die() {
	echo "kvm-host: error: $*" >&2
	exit 2
}
usage() { sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0" | sed '$d'; }
need() { [ "$2" -ge 2 ] || die "$1 needs a value (--help)"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) need "$1" $#; kernel=$2; shift 2 ;;
	--image) need "$1" $#; image=$2; shift 2 ;;
	--modules) need "$1" $#; moddir=$2; shift 2 ;;
	--name) need "$1" $#; name=$2; shift 2 ;;
	--max-order) need "$1" $#; max_order=$2; shift 2 ;;
	--raw-words) raw=(--raw-words); shift ;;
	--boot-timeout) need "$1" $#; boot_tmo=$2; shift 2 ;;
	--scenario-timeout) need "$1" $#; scn_tmo=$2; shift 2 ;;
	--expect) need "$1" $#; expect=$2; shift 2 ;;
	--tool) need "$1" $#; tool=$2; shift 2 ;;
	--out) need "$1" $#; out=$2; shift 2 ;;
	--cache) need "$1" $#; cache=$2; shift 2 ;;
	--quiet) quiet=(--quiet); shift ;;
	--selftest-warn) need "$1" $#; selftest=$2; shift 2 ;;
	--kernel-args) need "$1" $#; kargs=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) die "unknown option: $1 (--help)" ;;
	*) inputs+=("$1"); shift ;;
	esac
done
case "$kernel" in
6.1|6.12|6.12-64k) ;;
*) die "--kernel must be 6.1, 6.12 or 6.12-64k, got: $kernel" ;;
esac
case "$selftest" in
''|[0-9]|[0-9]*[0-9]) ;;
*) die "--selftest-warn wants a scenario number, got: $selftest" ;;
esac
for t in "$boot_tmo" "$scn_tmo" ${max_order:+"$max_order"}; do
	case "$t" in
	''|*[!0-9]*|0) die "timeouts and orders are whole numbers > 0: $t" ;;
	esac
done
if [ -n "$image$moddir" ] && { [ -z "$image" ] || [ -z "$moddir" ]; }; then
	die "--image and --modules go together"
fi
[ -z "$image" ] || [ -f "$image" ] || die "no kernel image at $image"
[ -z "$moddir" ] || [ -d "$moddir" ] || die "no modules directory $moddir"
for i in "${inputs[@]}"; do
	[ -e "$i" ] || die "no such scenario file or directory: $i"
done
[ ${#inputs[@]} -gt 0 ] || inputs=("$repo/corpus/qemu")
: "${expect:=$repo/qemu/kvmhost/expected}"
[ -z "$expect" ] || [ -f "$expect" ] || die "no expectations file $expect"
if [ -z "$name" ]; then
	if [ -n "$image" ]; then name=kvm-hv; else name=kvm-hv-$kernel; fi
fi
: "${out:=$(dirname "$cache")/kvm-run}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
t_run=$(now_ms)

# ------------------------------------------------------------ set up
if [ -n "$image" ]; then
	"$here/fetch-packages.sh" --cache "$cache" >/dev/null ||
		die "fetch-packages.sh failed"
	KVMH_VMLINUX=$image KVMH_MODDIR=$moddir KVMH_KVER=given
else
	env_lines=$("$here/kvm-fetch-kernel.sh" --cache "$cache" --kernel "$kernel" 2>"$out/fetch.log") ||
		{ tail -n 5 "$out/fetch.log" >&2; die "kernel $kernel: packages not available"; }
	eval "$env_lines"
fi
# shellcheck source=/dev/null
. "$cache/env.sh"
say "kernel $KVMH_KVER: $KVMH_VMLINUX"

# fetch-packages.sh installed QEMU and the cross compiler; the static VMM
# needs the ppc64el C library too, which the compiler does not bring
if [ ! -f /usr/powerpc64le-linux-gnu/include/linux/kvm.h ]; then
	[ "$(id -u)" = 0 ] || die "need root to install libc6-dev-ppc64el-cross"
	say "installing libc6-dev-ppc64el-cross"
	# Another test may be installing packages: wait for dpkg's lock
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o DPkg::Lock::Timeout=300 \
		--no-install-recommends libc6-dev-ppc64el-cross >/dev/null ||
		die "apt-get install libc6-dev-ppc64el-cross failed"
fi
[ -f /usr/share/qemu/skiboot.lid ] ||
	die "no /usr/share/qemu/skiboot.lid (package qemu-system-data)"

if [ -z "$tool" ]; then
	tool=$repo/build/dev/qemu/hptfuzz-kvm
	if [ ! -x "$tool" ]; then
		say "building hptfuzz-kvm (dev preset)"
		(cd "$repo" && cmake --preset dev >/dev/null &&
			cmake --build --preset dev --target hptfuzz-kvm >/dev/null) ||
			die "cannot build hptfuzz-kvm"
	fi
fi
[ -x "$tool" ] || die "no hptfuzz-kvm at $tool"

stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,modules,scn}
powerpc64le-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
	-o "$stage/bin/hptvmm" "$repo/qemu/vmm/hptvmm.c" ||
	die "cannot build the VMM"
for m in kvm kvm-hv; do
	if [ -f "$KVMH_MODDIR/$m.ko" ]; then
		cp "$KVMH_MODDIR/$m.ko" "$stage/modules/$m.ko"
	elif [ -f "$KVMH_MODDIR/$m.ko.xz" ]; then
		xz -dc "$KVMH_MODDIR/$m.ko.xz" >"$stage/modules/$m.ko"
	else
		die "no $m.ko in $KVMH_MODDIR"
	fi
done
prep=$out/prep
rm -rf "$prep"
"$tool" prep --out "$prep" ${max_order:+--max-order "$max_order"} "${raw[@]}" \
	"${inputs[@]}" >/dev/null ||
	die "hptfuzz-kvm prep failed"
n=$(find "$prep/scenarios" -name '*.kvm' | wc -l)
[ "$n" -gt 0 ] || die "no scenarios in ${inputs[*]}"
cp "$prep"/scenarios/*.kvm "$stage/scn/"
if [ -n "$selftest" ]; then
	[ -f "$stage/scn/$selftest.kvm" ] ||
		die "--selftest-warn $selftest: there are $n scenarios"
	echo "skip mmu-ready" >>"$stage/scn/$selftest.kvm"
fi
echo "$n" >"$stage/scn/count"
cp "$HPTFUZZ_BUSYBOX" "$stage/bin/busybox"
cp "$repo/qemu/vmm/init.sh" "$stage/init"
chmod 755 "$stage/init" "$stage/bin/busybox"
# The kernel opens /dev/console before /init mounts devtmpfs; without
# root to make the node, init.sh opens devtmpfs's
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
(cd "$stage" && find . | cpio -o -H newc 2>/dev/null) >"$out/initramfs.cpio"
rm -rf "$stage"
say "$n scenarios prepared, VMM and initramfs built in $(secs $(($(now_ms) - t_run))) s"

# ------------------------------------------------------------ boots
results=$out/results.txt
: >"$results"
rm -f "$out"/boot-*.log

# Nothing left running, however the script ends (an interrupt, say)
qemu_pid=""
# shellcheck disable=SC2317 # run by the trap
trap hptfuzz_stop_qemu EXIT
trap 'exit 2' INT TERM

# One boot from scenario $1: the console, time-stamped, into the results
# and boot-N.log; QEMU killed at a deadline.  Sets ready, all_done, cur
# (scenario begun and not exited, or ""), last_exit, timed_out, qemu_rc.
# What a console line says: into the results, the scenario under way, and
# the deadline moved on by every sign of progress
# shellcheck disable=SC2317 # called by hptfuzz_watch_boot
on_console() {
	local line=$1

	echo "@$ms $line" >&"$resfd"
	case "$line" in
	*"KVMH ready "*)
		ready=1
		deadline=$((ms + scn_tmo * 1000)) ;;
	*"KVMH begin index="*)
		cur=${line##*index=}
		deadline=$((ms + scn_tmo * 1000 + 5000)) ;;
	*"KVMH exit index="*)
		last_exit=${line##*index=}
		last_exit=${last_exit%% *}
		cur=""
		deadline=$((ms + scn_tmo * 1000 + 5000)) ;;
	*"KVMH all-done"*)
		all_done=1 ;;
	esac
}

boot_once() {
	local first=$1 resfd

	qemu_cmd=(qemu-system-ppc64 -M powernv9 -m 2G -smp 1 -nographic
		-bios /usr/share/qemu/skiboot.lid -no-reboot
		-kernel "$KVMH_VMLINUX" -initrd "$out/initramfs.cpio"
		-append "console=hvc0 loglevel=5 panic=-1 kvmh.first=$first kvmh.timeout=$scn_tmo${kargs:+ $kargs}")
	echo "@$(now_ms) KVMH-RUNNER boot n=$boot first=$first" >>"$results"
	ready=0 all_done=0 cur="" last_exit=-1
	exec {resfd}>>"$results"
	hptfuzz_watch_boot "$out/boot-$boot.log" "$boot_tmo" on_console
	exec {resfd}>&-
	echo "@$(now_ms) KVMH-RUNNER boot-end n=$boot qemu_rc=$qemu_rc timeout=$timed_out" >>"$results"
}

say "booting powernv9 (boot bound ${boot_tmo} s, scenario bound ${scn_tmo} s)"
first=0 boot=0 bad_boots=0 setup_failed=0
while [ "$first" -lt "$n" ]; do
	boot_once "$first"
	log=$out/boot-$boot.log
	boot=$((boot + 1))
	if [ "$all_done" = 1 ]; then
		break
	elif [ -n "$cur" ]; then
		say "scenario $cur lost (QEMU status $qemu_rc, timeout $timed_out); booting again"
		echo "@$(now_ms) KVMH-RUNNER lost index=$cur timeout=$timed_out" >>"$results"
		first=$((cur + 1))
		bad_boots=0
	elif [ "$ready" = 1 ] && [ "$last_exit" -ge "$first" ]; then
		say "the host died after scenario $last_exit (QEMU status $qemu_rc); see $log"
		first=$((last_exit + 1))
		bad_boots=0
	else
		bad_boots=$((bad_boots + 1))
		say "boot $((boot - 1)) made no progress (kvm-hv loaded: $ready, QEMU status $qemu_rc, timeout $timed_out); see $log"
		tail -n 5 "$log" | sed 's/^/  | /'
		if [ "$bad_boots" -ge 2 ]; then
			echo "@$(now_ms) KVMH-RUNNER stop reason=two boots in a row made no progress at scenario $first" >>"$results"
			setup_failed=1
			break
		fi
	fi
done
say "QEMU runs done in $(secs $(($(now_ms) - t_run))) s; judging"

set +e
"$tool" judge --dir "$prep" --results "$results" --impl "$name" \
	${expect:+--expect "$expect"} "${quiet[@]}"
rc=$?
set -e
say "results: $results; console logs: $out/boot-*.log"
[ "$rc" -le 1 ] || exit 2
[ "$setup_failed" = 0 ] || exit 2
exit "$rc"
