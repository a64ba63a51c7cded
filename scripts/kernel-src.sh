#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch the kernel sources whose resize code the harness compiles verbatim
# (kernel/): Debian's linux-source-6.1 and linux-source-6.12 packages,
# downloaded with apt-get into a cache, and from each tarball only the
# files kernel/sources.txt needs, unpacked once into
#
#   $CACHE/linux-6.1/    $CACHE/linux-6.12/
#
# each a small tree (arch/powerpc/kvm/book3s_64_mmu_hv.c, the headers,
# the top Makefile for the version) with a .source file naming the package
# it came from.  A tree is built in a temporary directory and renamed into
# place, so an interrupted run never leaves a half tree that looks whole.
# A second run downloads and unpacks nothing.
#
# Usage: kernel-src.sh [--cache DIR] [--check] [VERSION...]
#   VERSION   6.1, 6.12 (default: both)
#   --cache   default ${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/kernel-src
#   --check   only report what is missing (exit 1 if anything is)
# Exit status: 0 done, 1 missing (--check), 2 bad arguments or a failed
# download or unpack (the message names the package and how to get it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HPTFUZZ_KERNEL_SRC_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/kernel-src}
check=0
versions=()

die() {
	echo "kernel-src: error: $*" >&2
	exit 2
}
say() { echo "kernel-src: $*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache=$2; shift 2 ;;
	--check) check=1; shift ;;
	-h|--help) sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0" | sed '$d'; exit 0 ;;
	6.1|6.12) versions+=("$1"); shift ;;
	*) die "unknown argument '$1' (versions: 6.1, 6.12)" ;;
	esac
done
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)

# The files each tree needs, one path a line (comments and blanks skipped)
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' \
	"$top/kernel/sources.txt")
[ ${#wanted[@]} -gt 0 ] || die "kernel/sources.txt lists no file"

complete() { [ -f "$cache/linux-$1/.source" ]; }

if [ "$check" = 1 ]; then
	rc=0
	for v in "${versions[@]}"; do
		complete "$v" || { say "missing: linux-$v (linux-source-$v)"; rc=1; }
	done
	exit $rc
fi

newest_deb() {
	compgen -G "$cache/debs/${1}_*_all.deb" | sort -V | tail -n1 || true
}
# apt-get download as root warns that it cannot drop to _apt in a private
# directory; the download itself is unaffected.  Success is judged by the
# file it leaves.
download() {
	(cd "$cache/debs" && apt-get download -q "$1" 2>&1 |
		grep -v 'unsandboxed as root' >&2) || true
}

mkdir -p "$cache/debs"
for v in "${versions[@]}"; do
	complete "$v" && continue
	pkg=linux-source-$v
	deb=$(newest_deb "$pkg")
	if [ -z "$deb" ]; then
		say "downloading $pkg"
		download "$pkg"
		deb=$(newest_deb "$pkg")
		if [ -z "$deb" ] && [ "$(id -u)" = 0 ]; then
			say "updating the package lists and trying again"
			apt-get update -q >/dev/null 2>&1 || true
			download "$pkg"
			deb=$(newest_deb "$pkg")
		fi
		[ -n "$deb" ] || die "could not download $pkg: run 'apt-get update'" \
			"(as root) and try again, or place ${pkg}_*_all.deb in $cache/debs"
	fi
	tarball=./usr/src/$pkg.tar.xz
	tmp=$cache/linux-$v.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	say "unpacking ${#wanted[@]} files of $(basename "$deb")"
	members=()
	for f in "${wanted[@]}"; do
		members+=("$pkg/$f")
	done
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" |
		tar -xJ -C "$tmp" --strip-components=1 "${members[@]}"; then
		rm -rf "$tmp"
		die "$deb: could not unpack ${members[*]} from $tarball"
	fi
	basename "$deb" >"$tmp/.source"
	rm -rf "$cache/linux-$v"
	mv "$tmp" "$cache/linux-$v"
	say "linux-$v ready in $cache/linux-$v"
done
