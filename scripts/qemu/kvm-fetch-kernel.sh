#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A Debian ppc64el kernel image and its kvm modules for the emulated
# POWER9 host (kvm-host.sh), from the private apt state fetch-packages.sh
# keeps (run first, it also brings busybox): 6.1 is the image that script
# selects; 6.12 is the newest linux-image-6.12.*-powerpc64le (the 4K-page
# flavour) the lists name, 6.12-64k the same version's 64K-page flavour.
# Downloaded and extracted once into the cache.
#
# Prints three lines for the caller to eval: KVMH_VMLINUX=, KVMH_MODDIR=
# (the directory holding kvm.ko and kvm-hv.ko, possibly .ko.xz) and
# KVMH_KVER=.
#
# Usage: kvm-fetch-kernel.sh [--cache DIR] [--kernel 6.1|6.12|6.12-64k]
# Exit: 0, 1 when the packages cannot be had, 2 for bad arguments.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
kernel=6.1

usage() { sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0" | sed '$d'; }
bad() {
	echo "kvm-fetch-kernel: $*" >&2
	exit 2
}
die() {
	echo "kvm-fetch-kernel: error: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--cache) [ $# -ge 2 ] || bad "--cache needs a value"; cache=$2; shift 2 ;;
	--kernel) [ $# -ge 2 ] || bad "--kernel needs a value"; kernel=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) bad "unknown argument: $1 (--help)" ;;
	esac
done
case "$kernel" in
6.1|6.12|6.12-64k) ;;
*) bad "--kernel must be 6.1, 6.12 or 6.12-64k, got: $kernel" ;;
esac

"$here/fetch-packages.sh" --cache "$cache" >&2 ||
	die "fetch-packages.sh failed"
# shellcheck source=/dev/null
. "$cache/env.sh"

if [ "$kernel" = 6.1 ]; then
	root=${HPTFUZZ_VMLINUX%/boot/*}
	echo "KVMH_VMLINUX=$HPTFUZZ_VMLINUX"
	echo "KVMH_MODDIR=$root/lib/modules/$HPTFUZZ_KVER/kernel/arch/powerpc/kvm"
	echo "KVMH_KVER=$HPTFUZZ_KVER"
	exit 0
fi

# The same private apt state as fetch-packages.sh (ppc64el primary)
aptdir=$cache/apt
apt_opts=(
	-o "APT::Architecture=ppc64el"
	-o "APT::Architectures::=ppc64el"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::State::status=$aptdir/status"
	-o "Dir::Cache=$aptdir"
	-o "Dir::Cache::archives=$aptdir/archives"
	-o "APT::Sandbox::User=root"
)
pkg=$(apt-cache "${apt_opts[@]}" pkgnames linux-image-6.12 2>/dev/null |
	grep -E "^linux-image-6\\.12\\.[0-9]+\\+deb[0-9]+-powerpc64le${kernel#6.12}\$" |
	sort -V | tail -n1) || true
[ -n "$pkg" ] || die "no linux-image-6.12.*-powerpc64le${kernel#6.12} in the package lists (fetch-packages.sh --refresh?)"
ver=$(apt-cache "${apt_opts[@]}" madison "$pkg" 2>/dev/null |
	awk -F' *\\| *' '{ print $2 }' | sort -V | tail -n1)
[ -n "$ver" ] || die "no version of $pkg"
kver=${pkg#linux-image-}
root=$cache/root-$kver-$ver
if [ ! -e "$root/.complete" ]; then
	deb=$(compgen -G "$cache/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1 || true)
	if [ -z "$deb" ]; then
		echo "kvm-fetch-kernel: downloading $pkg=$ver" >&2
		(cd "$cache/debs" &&
			apt-get -q "${apt_opts[@]}" download "$pkg=$ver" >&2) ||
			die "apt-get download $pkg=$ver failed"
		deb=$(compgen -G "$cache/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1)
	fi
	# Extracted beside, renamed into place: never a half tree trusted
	rm -rf "$root.tmp"
	mkdir -p "$root.tmp"
	dpkg-deb -x "$deb" "$root.tmp"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	touch "$root/.complete"
fi
[ -f "$root/boot/vmlinux-$kver" ] || die "no image at $root/boot/vmlinux-$kver"
echo "KVMH_VMLINUX=$root/boot/vmlinux-$kver"
echo "KVMH_MODDIR=$root/lib/modules/$kver/kernel/arch/powerpc/kvm"
echo "KVMH_KVER=$kver"
