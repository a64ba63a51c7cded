#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the hptfuzz test module (qemu/kmod) for the ppc64le guest: stage
# the core, its Linux platform, the kernel-compatible scenario code and
# the module into a build directory (kbuild writes its objects next to
# the sources, so never in the tree) and run kbuild against the cached
# Debian headers (fetch-packages.sh).  Warnings are errors.
#
# Usage: build-kmod.sh [--out DIR] [--cache DIR]
#   --out DIR    build directory (default $HPTFUZZ_CACHE/kmod); the module
#                is DIR/hptfuzz.ko, its path the last line printed.  A
#                module built there from the same sources, headers and
#                compiler is kept (DIR/sources.sha256)
#   --cache DIR  package cache (see fetch-packages.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
out=""

die() {
	echo "build-kmod: error: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	-h|--help) sed -n '4,/^set -e/ s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
: "${out:=$(dirname "$cache")/kmod}"

[ -f "$cache/env.sh" ] || die "no $cache/env.sh: run $here/fetch-packages.sh first"
# shellcheck source=/dev/null
. "$cache/env.sh"

# Staged next to the build directory, then compared with what it was
# built from: the same sources, headers and compiler reuse the module
stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage/platform" "$stage/scenario"
cp "$repo/qemu/kmod/Kbuild" "$stage/"
cp -R "$repo/core/include" "$repo/core/src" "$repo/core/model" "$stage/"
cp -R "$repo/core/platform/linux" "$stage/platform/"
cp -R "$repo/scenario/include" "$stage/scenario/"
cp "$repo"/scenario/*.[ch] "$stage/scenario/"
rm -f "$stage/scenario/text.c"	# host only
mkdir -p "$stage/kmod"
cp "$repo"/qemu/kmod/*.[ch] "$stage/kmod/"
key=$({
	echo "$HPTFUZZ_KHEADERS $HPTFUZZ_CROSS_COMPILE"
	(cd "$stage" && find . -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum)
} | sha256sum | cut -d' ' -f1)
if [ -f "$out/hptfuzz.ko" ] && [ "$(cat "$out/sources.sha256" 2>/dev/null)" = "$key" ]; then
	rm -rf "$stage"
	echo "build-kmod: unchanged since the last build, kept" >&2
	echo "$out/hptfuzz.ko"
	exit 0
fi
rm -rf "$out"
mv "$stage" "$out"

if ! make -s -j"$(nproc)" -C "$HPTFUZZ_KHEADERS" M="$out" ARCH=powerpc \
	CROSS_COMPILE="$HPTFUZZ_CROSS_COMPILE" modules >"$out/kbuild.log" 2>&1; then
	cat "$out/kbuild.log" >&2
	die "module build failed"
fi
[ -f "$out/hptfuzz.ko" ] || die "no hptfuzz.ko after the build"
echo "$key" >"$out/sources.sha256"
echo "$out/hptfuzz.ko"
