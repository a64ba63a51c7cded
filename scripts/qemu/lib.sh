# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Sourced by the scripts here: the clock, and the QEMU command line of the
# pseries guest, in one place.

# Wall-clock milliseconds (bash 5's EPOCHREALTIME, no fork)
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# The same into $ms, without a fork: for loops that run per console line
clock() {
	local t=${EPOCHREALTIME/./}
	# shellcheck disable=SC2034 # the caller's
	ms=$((t / 1000))
}

# hptfuzz_watch_boot LOG BOOT_TMO ON_LINE: one boot of the command in the
# array qemu_cmd, its console watched line by line.  Every line goes to
# LOG and to the function ON_LINE, which keeps the caller's state and may
# move `deadline` (in the milliseconds of `clock`, first BOOT_TMO seconds
# on).  Once `ms` passes it QEMU is killed, and ten seconds later killed
# with -9: the bound holds however chatty the console is.  QEMU runs in a
# subshell that reports its pid and exit status, so a QEMU killed by a
# signal (an abort) is a finding, not the shell's news.  QEMU's stdin is
# $qemu_stdin (default /dev/null).  Uses $out for the console fifo and
# QEMU's pid and status; sets qemu_pid while QEMU runs, and timed_out and
# qemu_rc after.
# shellcheck disable=SC2154,SC2034 # $out is the caller's; so are the
# results qemu_pid, timed_out and qemu_rc
hptfuzz_watch_boot() {
	local log=$1 boot_tmo=$2 on_line=$3 fifo=$out/console.fifo
	local line chunk partial="" deadline rc fd qpid wrapper logfd

	rm -f "$fifo" "$out/qemu.pid" "$out/qemu.rc"
	mkfifo "$fifo"
	(
		"${qemu_cmd[@]}" <"${qemu_stdin:-/dev/null}" >"$fifo" 2>&1 &
		echo $! >"$out/qemu.pid"
		status=0
		wait $! || status=$?
		echo "$status" >"$out/qemu.rc"
	) 2>/dev/null &
	wrapper=$!
	exec {fd}<"$fifo"
	while [ ! -s "$out/qemu.pid" ]; do sleep 0.1; done
	qpid=$(cat "$out/qemu.pid")
	qemu_pid=$qpid
	timed_out=0
	clock
	deadline=$((ms + boot_tmo * 1000))
	exec {logfd}>"$log"
	while :; do
		chunk=""
		if IFS= read -r -t 1 -u "$fd" chunk; then
			line=${partial}${chunk%$'\r'}
			partial=""
			printf '%s\n' "$line" >&"$logfd"
			clock
			"$on_line" "$line"
		else
			rc=$?
			if [ "$rc" -le 128 ]; then
				# end of the console: QEMU is gone
				[ -z "$partial$chunk" ] || printf '%s\n' "$partial$chunk" >&"$logfd"
				break
			fi
			partial+=$chunk
			clock
		fi
		if [ "$timed_out" = 0 ] && [ "$ms" -gt "$deadline" ]; then
			timed_out=1
			kill "$qpid" 2>/dev/null || true
			deadline=$((ms + 10000))
		elif [ "$timed_out" = 1 ] && [ "$ms" -gt "$deadline" ]; then
			kill -9 "$qpid" 2>/dev/null || true
		fi
	done
	exec {logfd}>&- {fd}<&-
	rm -f "$fifo"
	wait "$wrapper" || true
	qemu_pid=""
	qemu_rc=$(cat "$out/qemu.rc" 2>/dev/null || echo 255)
}

# A QEMU hptfuzz_watch_boot started and left running (the script is
# ending early): killed, and its console fifo removed
hptfuzz_stop_qemu() {
	if [ -n "${qemu_pid:-}" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill "$qemu_pid" 2>/dev/null || true
		sleep 1
		kill -9 "$qemu_pid" 2>/dev/null || true
	fi
	rm -f "$out/console.fifo"
}

# Milliseconds as seconds with two decimals
secs() {
	awk -v d="$1" 'BEGIN { printf "%.2f", d / 1000 }'
}

# hptfuzz_qemu_cmd ACCEL CPU BIG16M KERNEL INITRD APPEND [FIRMWARE]: sets
# the array qemu_cmd.  BIG16M=1 lets H_ENTER take 16 MB pages (under KVM
# that needs the guest's RAM on 16 MB host pages, hence off there by
# default).  FIRMWARE is slof (the default: QEMU's full Open Firmware) or
# vof (QEMU's Virtual Open Firmware, x-vof=on: a few hundred bytes of
# client interface instead of SLOF's device probing, so the kernel starts
# about 7 s sooner under TCG).  VOF brings no console of its own, so the
# VOF command line has -nodefaults and the hvc console as an explicit
# spapr-vty on stdio; the kernel, the hypervisor and its HPT are the same.
hptfuzz_qemu_cmd() {
	local accel=$1 cpu=$2 big=$3 kernel=$4 initrd=$5 append=$6
	local firmware=${7:-slof}
	local machine=pseries,resize-hpt=required
	local -a io

	[ "$big" = 1 ] && machine=$machine,cap-hpt-max-page-size=16M
	if [ "$accel" = tcg ]; then
		# TCG cannot provide these Spectre-mitigation capabilities;
		# asking for "broken" just silences four warnings per boot.
		machine=$machine,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken
		machine=$machine,cap-ccf-assist=off
	fi
	case "$firmware" in
	slof) io=(-nographic -vga none) ;;
	vof)
		machine=$machine,x-vof=on
		# shellcheck disable=SC2054 # the commas are QEMU's
		io=(-nodefaults -display none -chardev stdio,id=hvc0
			-device spapr-vty,chardev=hvc0)
		;;
	*)
		echo "hptfuzz_qemu_cmd: firmware must be slof or vof: $firmware" >&2
		return 1
		;;
	esac
	# shellcheck disable=SC2034 # the caller's
	qemu_cmd=(qemu-system-ppc64 -accel "$accel" -M "$machine" -cpu "$cpu"
		-m 1G -smp 1 "${io[@]}" -no-reboot
		-kernel "$kernel" -initrd "$initrd" -append "$append")
}

# hptfuzz_check_accel ACCEL: dies unless this host can run it
hptfuzz_check_accel() {
	case "$1" in
	tcg) ;;
	kvm)
		# KVM for a pseries guest means KVM-HV on a POWER host
		[ "$(uname -m)" = ppc64le ] || {
			echo "--accel kvm needs a ppc64le host with kvm_hv; this one is $(uname -m)" >&2
			return 1
		}
		[ -c /dev/kvm ] || {
			echo "--accel kvm: no /dev/kvm (modprobe kvm_hv?)" >&2
			return 1
		}
		;;
	*)
		echo "--accel must be tcg or kvm" >&2
		return 1
		;;
	esac
}
