#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of scripts/qemu/run.sh, run by the initramfs's /init (busybox
# sh) after it loaded hptfuzz.ko.  It hands the module every scenario of
# /payload/scenarios/index ("K OLD NEW HV") from hptfuzz.first=K on the
# kernel command line in one write (hptfuzz/run): for each, the core runs
# it in the kernel; then, if it has a hypervisor part, the table is
# brought to order OLD, the module enters the entries, the guest kernel
# resizes to NEW as powerpc/hpt_order would have it, and the module says
# where the entries went (qemu/kmod/run_batch.c).  Everything goes to the
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

# A line for the host (the kernel prints it on the console)
say() {
	echo "HPTK $*" >/dev/kmsg
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

# The last scenario with a hypervisor part: the fork probe below is its
last_hv=""
while read -r k _ _ hv; do
	[ "$k" -ge "$first" ] && [ "$hv" = 1 ] && last_hv=$k
done <"$dir/index"

# Every scenario in one write: the module runs the commands in turn and
# has the guest kernel resize itself (run_batch.c), printing each step as
# it goes; no shell between two steps
echo "$first $dir" >"$d/run" || say "error=run first=$first dir=$dir"

# Under QEMU TCG the first fork() after a resize can crash its child
# (scripts/qemu/README.md): one after the batch's resizes says whether
# it did, for the last of them
if [ -n "$last_hv" ]; then
	# shellcheck disable=SC2116 # the fork is the point
	forked=$(echo alive)
	[ "$forked" = alive ] || say "guest fork-crashed index=$last_hv"
fi
say "guest done"
exit 0
