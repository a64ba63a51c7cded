#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The QEMU differential run (docs/qemu.md): scenarios go into a ppc64le
# pseries guest, where the test module (qemu/kmod) runs the core on each
# in the kernel and puts its VA entries through the hypervisor's own HPT
# resize; the host judges both against the oracle and prints a verdict per
# scenario and a summary.
#
# Steps: fetch and cache the Debian packages (fetch-packages.sh), build
# the module (build-kmod.sh) and the scenarios (hptfuzz-qemu prep), pack
# the initramfs, boot QEMU, watch the console, judge (hptfuzz-qemu judge).
# Every boot and every scenario has a time bound.  A QEMU that dies or
# stops talking during a scenario is that scenario's finding (HV-CRASH,
# HV-HANG, GUEST-FAIL, with the console's last lines); the guest is booted
# again from the next scenario.  Booted again means restored: the first
# boot stops once the module is loaded, QEMU saves the guest to a file
# there (migration through QMP), and every later boot restores that state
# (-incoming) in a fraction of a boot's time and tells the guest on the
# console which scenario to start from.
#
# Usage: run.sh [options] FILE|DIR...       (default: corpus/qemu)
#   --accel tcg|kvm        accelerator (default tcg; kvm on a POWER9 host)
#   --cpu MODEL            default power9 (tcg), host (kvm)
#   --firmware vof|slof    the guest's firmware (default vof: QEMU's
#                          Virtual Open Firmware, x-vof=on, boots in about
#                          a third of SLOF's time; slof for what VOF lacks)
#   --snapshot / --no-snapshot  restore the guest saved at the first boot
#                          for every later one, or boot the kernel every
#                          time (default: restore for tcg; boot for kvm,
#                          where restoring is untested)
#   --16m / --no-16m       16 MB pages in H_ENTER (default on for tcg,
#                          off for kvm: there they need hugepage RAM)
#   --max-order N          fold scenario orders above N (default: the
#                          fuzz targets' cap, HPT_HARNESS_DEFAULT_MAX_ORDER)
#   --base-order N         the guest's HPT order for scenario order 18
#                          (default 18; 22 for kvm, whose 64K-page linear
#                          map does not fit smaller tables)
#   --vsid tag|fold        how VSIDs stay clear of the guest's (default
#                          tag; fold for kvm: POWER9 keeps 45 AVPN bits)
#   --avoid-known          leave out of the hypervisor's part the entries
#                          QEMU's TCG resize is known to abort on (bolted
#                          secondary, bolted MPSS), so a corpus run compares
#                          the rest instead of rebooting after each abort
#   --boot-timeout S       from QEMU's start to the guest ready (120)
#   --scenario-timeout S   per scenario, and between two (60)
#   --expect FILE          verdicts known not to be PASS (NAME VERDICT
#                          [ACCEL] lines; default qemu/expected when
#                          no scenario is given)
#   --tool PATH            hptfuzz-qemu (default build/dev/qemu/hptfuzz-qemu,
#                          built if missing)
#   --out DIR              work directory (default $HPTFUZZ_CACHE/qemu-run)
#   --cache DIR            package cache (see fetch-packages.sh)
#   --quiet                details only for unexpected verdicts
# Exit: 0 every verdict as expected (PASS unless listed), 1 otherwise,
# 2 bad arguments, 3 setup failure (packages, builds, no boot at all).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/qemu/lib.sh
. "$here/lib.sh"

accel=tcg
cpu=""
firmware=vof
snapshot=""
big=""
max_order=""
base_order=""
vsid=""
avoid=none
boot_tmo=120
scn_tmo=60
expect=""
tool=""
out=""
quiet=()
cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
marker=HPTFUZZ-GUEST-END
inputs=()

say() { echo "run: $*"; }
die() {
	echo "run: error: $*" >&2
	exit 3
}
bad() {
	echo "run: error: $* (see --help)" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--accel|--cpu|--firmware|--max-order|--base-order|--vsid|--boot-timeout|\
	--scenario-timeout|--expect|--tool|--out|--cache)
		[ $# -ge 2 ] || bad "$1 needs a value" ;;
	esac
	case "$1" in
	--accel) accel=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--snapshot) snapshot=1; shift ;;
	--no-snapshot) snapshot=0; shift ;;
	--16m) big=1; shift ;;
	--no-16m) big=0; shift ;;
	--max-order) max_order=$2; shift 2 ;;
	--base-order) base_order=$2; shift 2 ;;
	--vsid) vsid=$2; shift 2 ;;
	--avoid-known) avoid=all; shift ;;
	--boot-timeout) boot_tmo=$2; shift 2 ;;
	--scenario-timeout) scn_tmo=$2; shift 2 ;;
	--expect) expect=$2; shift 2 ;;
	--tool) tool=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--quiet) quiet=(--quiet); shift ;;
	-h|--help) sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) bad "unknown option: $1" ;;
	*) inputs+=("$1"); shift ;;
	esac
done
hptfuzz_check_accel "$accel" || exit 2
case "$firmware" in
vof|slof) ;;
*) bad "--firmware must be vof or slof: $firmware" ;;
esac
case "$accel" in
tcg) : "${cpu:=power9}" "${big:=1}" "${base_order:=18}" "${vsid:=tag}" "${snapshot:=1}" ;;
kvm) : "${cpu:=host}" "${big:=0}" "${base_order:=22}" "${vsid:=fold}" "${snapshot:=0}" ;;
esac
for t in "$boot_tmo" "$scn_tmo"; do
	case "$t" in
	''|*[!0-9]*|0) die "timeouts are whole seconds > 0: $t" ;;
	esac
done
if [ ${#inputs[@]} -eq 0 ]; then
	inputs=("$repo/corpus/qemu")
	[ -n "$expect" ] || expect=$repo/qemu/expected
fi
: "${out:=$(dirname "$cache")/qemu-run}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
t_run=$(now_ms)

# ------------------------------------------------------------ set up
"$here/fetch-packages.sh" --cache "$cache" || die "fetch-packages.sh failed"
# shellcheck source=/dev/null
. "$cache/env.sh"

if [ -z "$tool" ]; then
	tool=$repo/build/dev/qemu/hptfuzz-qemu
	if [ ! -x "$tool" ]; then
		say "building hptfuzz-qemu (dev preset)"
		(cd "$repo" && cmake --preset dev >/dev/null &&
			cmake --build --preset dev --target hptfuzz-qemu >/dev/null) ||
			die "cannot build hptfuzz-qemu"
	fi
fi
[ -x "$tool" ] || die "no hptfuzz-qemu at $tool"

t0=$(now_ms)
ko=$("$here/build-kmod.sh" --cache "$cache" --out "$out/kmod" | tail -n 1) ||
	die "module build failed"
say "module built in $(secs $(($(now_ms) - t0))) s: $ko"

prep=$out/prep
rm -rf "$prep"
"$tool" prep --out "$prep" ${max_order:+--max-order "$max_order"} \
	--base-order "$base_order" --vsid "$vsid" --avoid "$avoid" \
	"${inputs[@]}" ||
	die "hptfuzz-qemu prep failed"
n=$(wc -l <"$prep/scenarios/index")
[ "$n" -gt 0 ] || die "no scenarios in ${inputs[*]}"

payload=$out/payload
rm -rf "$payload"
mkdir -p "$payload"
cp "$repo/qemu/guest/run.sh" "$payload/run.sh"
cp -R "$prep/scenarios" "$payload/"
"$here/build-initramfs.sh" --out "$out/initramfs.cpio" --module "$ko" \
	--payload "$payload" --marker "$marker" --busybox "$HPTFUZZ_BUSYBOX" \
	>/dev/null || die "initramfs build failed"

# ------------------------------------------------------------ boots
results=$out/results.txt
: >"$results"
rm -f "$out"/boot-*.log

# QEMU goes with this script, however it ends
trap hptfuzz_stop_qemu EXIT

# ------------------------------------------------------------ the saved guest
# The guest as it stands after its first boot (kernel up, module loaded,
# the guest script waiting for "go K"), saved by QEMU's migration to a
# file.  Restoring it costs QEMU's start and reading the file; booting
# costs the firmware, the kernel and /init.  The state belongs to this
# run's initramfs and command line and is made again by every run.
state=$out/booted.state
rm -f "$state"

# qmp JSON: one command on the save boot's QMP pipe; its reply (the next
# line holding "return" or "error"; events and the greeting are skipped)
# in qmp_reply.  Fails when QEMU says nothing for 10 s.
# shellcheck disable=SC2317 # called from on_console
qmp() {
	local line
	printf '%s\n' "$1" >&"$qmpw"
	printf '> %s\n' "$1" >>"$out/qmp.log"
	while IFS= read -r -t 10 -u "$qmpr" line; do
		printf '< %s\n' "$line" >>"$out/qmp.log"
		case "$line" in
		*'"return"'*|*'"error"'*) qmp_reply=$line; return 0 ;;
		esac
	done
	qmp_reply=""
	return 1
}

# The guest written to $state as it runs (idle, waiting for "go K"):
# stopped first, it would be restored stopped; then running again.  On any
# failure the run goes on without a saved guest: every boot a real one.
# shellcheck disable=SC2317 # called from on_console
save_state() {
	local t0 i status=""

	t0=$(now_ms)
	if qmp '{"execute":"qmp_capabilities"}' &&
		qmp '{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":107374182400}}' &&
		qmp '{"execute":"migrate","arguments":{"uri":"exec:cat >'"'$state.tmp'"'"}}'; then
		for ((i = 0; i < 1200; i++)); do
			qmp '{"execute":"query-migrate"}' || break
			case "$qmp_reply" in
			*'"completed"'*) status=completed; break ;;
			*'"failed"'*|*'"cancelled"'*) break ;;
			esac
			sleep 0.05
		done
	fi
	# a finished migration leaves the source paused
	qmp '{"execute":"cont"}' || true
	if [ "$status" = completed ] && mv "$state.tmp" "$state"; then
		say "guest saved after its boot in $(secs $(($(now_ms) - t0))) s ($(du -m "$state" | cut -f1) MB): later boots restore it"
	else
		rm -f "$state.tmp"
		snapshot=0
		say "could not save the booted guest (${qmp_reply:-no reply from QMP}): every boot a real one"
	fi
}

# "go K" on the guest's console until it says it is ready; from a
# restored guest, the lines written before the restore was complete may
# be lost or cut, which the guest script allows for
# shellcheck disable=SC2317 # called from on_console
start_go() {
	(
		for ((i = 0; i < boot_tmo * 20; i++)); do
			echo "go $first"
			sleep 0.05
		done
	) 1>&"$infd" 2>/dev/null &
	go_pid=$!
}

# shellcheck disable=SC2317 # called from on_console
stop_go() {
	if [ -n "$go_pid" ]; then
		kill "$go_pid" 2>/dev/null || true
		wait "$go_pid" 2>/dev/null || true
		go_pid=""
	fi
}

# What a console line says: HPTK lines into the results, the scenario
# under way, and the deadline moved on by every sign of progress
# shellcheck disable=SC2317 # called by hptfuzz_watch_boot
on_console() {
	local line=$1

	case "$line" in
	*"HPTK "*) echo "@$ms $line" >&"$resfd" ;;
	esac
	case "$line" in
	*"HPTK guest waiting"*)
		[ "$start" = save ] && save_state
		start_go ;;
	*"HPTK guest ready "*)
		stop_go
		ready=1
		deadline=$((ms + scn_tmo * 1000)) ;;
	*"HPTK begin index="*)
		cur=${line##*index=}
		deadline=$((ms + scn_tmo * 1000)) ;;
	*"HPTK end index="*)
		last_end=${line##*index=}
		cur=""
		deadline=$((ms + scn_tmo * 1000)) ;;
	*"HPTK guest done"*)
		done_all=1 ;;
	esac
}

# One boot from scenario $1.  Streams the console into boot-N.log and
# the HPTK lines, time-stamped, into the results; kills QEMU at the
# deadline.  Sets: ready, done_all, cur (scenario in progress or ""),
# last_end, timed_out, qemu_rc.
boot_once() {
	local first=$1 resfd append infd qmpw qmpr

	# cryptomgr.notests: the crypto self-tests are half a second of
	# the boot under TCG, and nothing here uses the kernel's crypto
	append="console=hvc0 disable_radix panic=-1 printk.devkmsg=on cryptomgr.notests hptfuzz.first=$first"
	start=boot
	if [ "$snapshot" = 1 ]; then
		append="$append hptfuzz.wait=1"
		start=save
		[ -s "$state" ] && start=restore
	fi
	hptfuzz_qemu_cmd "$accel" "$cpu" "$big" "$HPTFUZZ_VMLINUX" \
		"$out/initramfs.cpio" "$append" "$firmware"
	qemu_stdin=/dev/null go_pid=""
	if [ "$start" != boot ]; then
		# a fresh fifo each boot: no "go" left over from the last
		qemu_stdin=$out/console-in.fifo
		rm -f "$qemu_stdin"
		mkfifo "$qemu_stdin"
		exec {infd}<>"$qemu_stdin"
	fi
	case "$start" in
	save)
		# QEMU opens DIR/qmp.in and DIR/qmp.out read-write
		rm -f "$out/qmp.in" "$out/qmp.out"
		mkfifo "$out/qmp.in" "$out/qmp.out"
		exec {qmpw}<>"$out/qmp.in" {qmpr}<>"$out/qmp.out"
		# shellcheck disable=SC2054 # the commas are QEMU's
		qemu_cmd+=(-chardev "pipe,id=qmp,path=$out/qmp"
			-mon chardev=qmp,mode=control) ;;
	restore)
		# The state holds the guest's RAM, kernel and initramfs in it:
		# QEMU need not read them again (45 MB of vmlinux)
		local -a cmd=()
		while [ ${#qemu_cmd[@]} -gt 0 ]; do
			case "${qemu_cmd[0]}" in
			-kernel|-initrd|-append) qemu_cmd=("${qemu_cmd[@]:2}") ;;
			*) cmd+=("${qemu_cmd[0]}"); qemu_cmd=("${qemu_cmd[@]:1}") ;;
			esac
		done
		qemu_cmd=("${cmd[@]}" -incoming "exec:cat '$state'") ;;
	esac
	echo "@$(now_ms) HPTFUZZ-RUNNER boot n=$boot first=$first start=$start" >>"$results"
	ready=0 done_all=0 cur="" last_end=-1
	exec {resfd}>>"$results"
	[ "$start" = restore ] && start_go
	hptfuzz_watch_boot "$out/boot-$boot.log" "$boot_tmo" on_console
	stop_go
	exec {resfd}>&-
	if [ "$start" != boot ]; then
		exec {infd}>&-
		rm -f "$qemu_stdin"
	fi
	if [ "$start" = save ]; then
		exec {qmpw}>&- {qmpr}<&-
		rm -f "$out/qmp.in" "$out/qmp.out"
	fi
	echo "@$(now_ms) HPTFUZZ-RUNNER boot-end n=$boot qemu_rc=$qemu_rc timeout=$timed_out" >>"$results"
}

# The console's last lines, for the judge to show with a finding
tail_of() {
	tail -n 20 "$1" | while IFS= read -r l; do
		echo "@$(now_ms) HPTFUZZ-RUNNER tail index=$2 | $l"
	done >>"$results"
}

say "$n scenarios; booting ($accel, $firmware, boot bound ${boot_tmo} s, scenario bound ${scn_tmo} s)"
t_qemu=$(now_ms)
first=0 boot=0 bad_boots=0
while [ "$first" -lt "$n" ]; do
	boot_once "$first"
	log=$out/boot-$boot.log
	boot=$((boot + 1))
	if [ "$done_all" = 1 ]; then
		break
	elif [ -n "$cur" ]; then
		say "scenario $cur lost (QEMU status $qemu_rc, timeout $timed_out); booting again"
		echo "@$(now_ms) HPTFUZZ-RUNNER lost index=$cur qemu_rc=$qemu_rc timeout=$timed_out" >>"$results"
		tail_of "$log" "$cur"
		first=$((cur + 1))
		bad_boots=0
	elif [ "$ready" = 1 ] && [ "$last_end" -ge "$first" ]; then
		# Died between two scenarios: go on after the last one ended
		say "the guest died after scenario $last_end (QEMU status $qemu_rc); see $log"
		first=$((last_end + 1))
		bad_boots=0
	else
		bad_boots=$((bad_boots + 1))
		say "boot $((boot - 1)) made no progress (ready $ready, QEMU status $qemu_rc); see $log"
		tail -n 10 "$log" | sed 's/^/  | /'
		if [ "$start" = restore ]; then
			# a saved guest that does not come back: boot from now on
			say "the saved guest did not come back; booting every time from now on"
			snapshot=0
		fi
		if [ "$bad_boots" -ge 2 ]; then
			echo "@$(now_ms) HPTFUZZ-RUNNER stop reason=two boots in a row made no progress at scenario $first (see $log)" >>"$results"
			break
		fi
	fi
done
t_judge=$(now_ms)
say "QEMU runs done in $(secs $((t_judge - t_qemu))) s; judging"

# ------------------------------------------------------------ judge
set +e
"$tool" judge --dir "$prep" --results "$results" --accel "$accel" \
	${expect:+--expect "$expect"} "${quiet[@]}"
rc=$?
set -e
say "results: $results; console logs: $out/boot-*.log"
t_end=$(now_ms)
say "wall $(secs $((t_end - t_run))) s = setup $(secs $((t_qemu - t_run))) (packages, module, scenarios, initramfs) + QEMU $(secs $((t_judge - t_qemu))) + judging $(secs $((t_end - t_judge)))"
[ "$rc" -le 1 ] || exit 3
if [ "$bad_boots" -ge 2 ]; then
	exit 3
fi
exit "$rc"
