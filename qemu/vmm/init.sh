#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the emulated POWER9 host (scripts/qemu/kvm-host.sh): load
# kvm and kvm-hv, then run the VMM on every scenario from kvmh.first=K
# (kernel command line) on, one VM and one VMM process each, each bounded
# by kvmh.timeout=S.  Lines start "KVMH " for hptfuzz-kvm judge; the
# kernel's own lines (an oops, say) land between them on the console.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# Each VM's table as stored: /sys/kernel/debug/kvm/PID-FD/htab
mount -t debugfs debugfs /sys/kernel/debug
# An initramfs packed without root has no /dev/console for the kernel to
# open: the console from devtmpfs then
[ -t 1 ] || exec </dev/console >/dev/console 2>&1

arg() {
	sed -n "s/.*$1=\([0-9]*\).*/\1/p" /proc/cmdline
}
first=$(arg kvmh.first)
tmo=$(arg kvmh.timeout)
n=$(cat /scn/count)
: "${first:=0}" "${tmo:=20}"

for m in kvm kvm-hv; do
	if ! insmod "/modules/$m.ko"; then
		echo "KVMH error what=insmod module=$m"
		poweroff -f
	fi
done
if [ ! -c /dev/kvm ]; then
	echo "KVMH error what=no-dev-kvm"
	poweroff -f
fi
echo "KVMH ready kernel=$(uname -r) uptime=$(cut -d' ' -f1 /proc/uptime)"

k=$first
while [ "$k" -lt "$n" ]; do
	echo "KVMH begin index=$k"
	timeout -s KILL "$tmo" /bin/hptvmm "/scn/$k.kvm"
	echo "KVMH exit index=$k rc=$?"
	k=$((k + 1))
done
echo "KVMH all-done uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
