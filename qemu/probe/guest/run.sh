#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest side of scripts/qemu/probe.sh (runs under busybox sh as /payload/run.sh
# after init has loaded hptprobe.ko).  Drives the module through debugfs:
# insert entries, resize the HPT from the guest side through the kernel's
# hpt_order file, and after each resize ask the module where the entries
# ended up; finally remove them.
#
# /payload/config may set:
#   ORDERS    space-separated resize targets, absolute ("24") or relative to
#             the order before that step ("+1", "-2"); default "+1 -1"
#   HAZARD    empty, or space-separated "secondary" / "misplace": also
#             enter the bolted secondary entry e5 / the misplaced bolted
#             entry e6 (see hptprobe.c); QEMU 7.2 under TCG aborts on both

ctl=/sys/kernel/debug/hptprobe/ctl
hpt=/sys/kernel/debug/powerpc/hpt_order
ORDERS="+1 -1"
HAZARD=""
# shellcheck source=/dev/null
[ -f /payload/config ] && . /payload/config

cmd() {
	echo "$1" >"$ctl" || return 1
	cat "$ctl"
}

# Sets $cs to centiseconds since boot (busybox date has no %N).  Builtins
# only, no subshell: see the fork check below.
now_cs() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	frac=${frac#0}
	cs=$((${up%.*} * 100 + ${frac:-0}))
}

if [ ! -e "$ctl" ]; then
	echo "HPTPROBE err=no-ctl"
	exit 2
fi
if [ ! -e "$hpt" ]; then
	echo "HPTPROBE err=no-hpt_order (radix MMU, or no resize support)"
	exit 2
fi

start=$(cat "$hpt")
echo "HPTPROBE guest start_order=$start orders=\"$ORDERS\" hazard=\"$HAZARD\""
cmd order
cmd insert
for h in $HAZARD; do
	cmd "$h"
done
cmd variants
cmd read

for o in $ORDERS; do
	before=$(cat "$hpt")
	case "$o" in
	+*|-*) target=$((before + o)) ;;
	*) target=$o ;;
	esac
	now_cs
	t0=$cs
	if echo "$target" >"$hpt"; then
		res=ok
	else
		res=fail
	fi
	now_cs
	t1=$cs
	# Under QEMU TCG the first fork() after a resize can hand the child a
	# corrupted stack (it segfaults).  Make that first fork a throwaway
	# one and report whether it survived, before anything that matters.
	# shellcheck disable=SC2116 # the fork is the point
	forked=$(echo alive)
	after=$(cat "$hpt")
	echo "HPTPROBE resize from=$before to=$target result=$res now=$after cs=$((t1 - t0)) fork_ok=$([ "$forked" = alive ] && echo 1 || echo 0)"
	cmd find
	cmd read
done

cmd remove
cmd find
exit 0
