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
