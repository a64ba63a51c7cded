#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of scripts/qemu/run.sh, run by the initramfs's /init (busybox
# sh) after it loaded hptfuzz.ko.  For each scenario of
# /payload/scenarios/index ("K OLD NEW HV") from hptfuzz.first=K on the
# kernel command line: the core runs it in the kernel; then, if it has a
# hypervisor part, the table is brought to order OLD, the module enters
# the entries, the guest kernel resizes to NEW through powerpc/hpt_order,
# and the module says where the entries went.  Everything goes to the
# console as "HPTK ..." lines, through the kernel log (the module's
# reports, and this script's lines by /dev/kmsg: a tty write to the
# pseries console is slow, qemu/kmod/kmod_main.c says why); "HPTK
# begin/end index=K" bracket each scenario so the host can time it and
# tell which one a crash hit.
#
# With hptfuzz.wait=1 the script stops once the module is loaded, says
# "HPTK guest waiting" and reads "go K" lines from the console: the host
# saves the guest there and restores that state for every later boot
# (scripts/qemu/run.sh), each told by its own "go K" where to start.

d=/sys/kernel/debug/hptfuzz
hpt=/sys/kernel/debug/powerpc/hpt_order
dir=/payload/scenarios

first=0
wait_go=0
read -r cmdline </proc/cmdline
for w in $cmdline; do
	case "$w" in
	hptfuzz.first=*) first=${w#hptfuzz.first=} ;;
	hptfuzz.wait=1) wait_go=1 ;;
	esac
done

# Sets $cs to centiseconds since boot (busybox date has no %N).  Builtins
# only: no fork right after a resize (see below).
now_cs() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	frac=${frac#0}
	cs=$((${up%.*} * 100 + ${frac:-0}))
}

# A line for the host (the kernel prints it on the console)
say() {
	echo "HPTK $*" >/dev/kmsg
}

# A command for the module: its report goes to the console
cmd() {
	echo "$1" >"$d/ctl"
}

# load K FILE: the module reads the scenario's encoding itself (a cat is
# a fork and an exec, milliseconds each under TCG)
load() {
	echo "$2" >"$d/load" || say "error=load index=$1 file=$2"
}

# resize TAG K TARGET: the guest kernel resizes its HPT; one line says how.
# The module has the hypervisor prepare it first (hv-prepare, run_hv.c
# says why), so the kernel's own prepare finds it ready and commits.
resize() {
	read -r before <"$hpt"
	cmd "hv-prepare $2 $3"
	now_cs
	t0=$cs
	if echo "$3" >"$hpt" 2>/tmp/resize.err; then
		res=ok
		err=""
	else
		res=fail
		read -r err </tmp/resize.err || err="?"
	fi
	now_cs
	# Under QEMU TCG the first fork() after a resize can crash its child
	# (scripts/qemu/README.md): make it a throwaway one, and say so.
	# After hv-prep nothing forks before the next resize, so the one
	# after hv-resize serves both.
	if [ "$1" = hv-resize ]; then
		# shellcheck disable=SC2116 # the fork is the point
		forked=$(echo alive)
		[ "$forked" = alive ] || say "guest fork-crashed index=$2"
	fi
	read -r now <"$hpt"
	say "$1 index=$2 from=$before to=$3 result=$res now=$now cs=$((cs - t0)) err=$err"
}

if [ ! -e "$d/ctl" ] || [ ! -e "$hpt" ]; then
	say "guest error=setup (no $d/ctl or $hpt: module not loaded, or radix MMU)"
	exit 2
fi
# The restored guest's console may hand over the tail of a line the host
# wrote before the restore was complete: only a whole "go K" counts (the
# host repeats it until "guest ready" comes back).  No echo, so what the
# host types never mixes into the console's lines.
if [ "$wait_go" = 1 ]; then
	stty -echo 2>/dev/null
	say "guest waiting"
	while read -r w k; do
		[ "$w" = go ] || continue
		case "$k" in
		''|*[!0-9]*) continue ;;
		esac
		first=$k
		break
	done
fi
read -r order <"$hpt"
say "guest ready first=$first order=$order"

while read -r k old new hv; do
	[ "$k" -lt "$first" ] && continue
	say "begin index=$k"
	load "$k" "$dir/$k.core"
	cmd "core $k"
	if [ "$hv" = 1 ]; then
		read -r order <"$hpt"
		if [ "$order" != "$old" ]; then
			resize hv-prep "$k" "$old"
		fi
		load "$k" "$dir/$k.hv"
		cmd "hv-enter $k"
		resize hv-resize "$k" "$new"
		cmd "hv-check $k"
	fi
	say "end index=$k"
done <"$dir/index"
say "guest done"
exit 0
