#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Set up everything the ppc64le pseries guest runs need, from Debian's
# archive only:
#   - host (amd64) tools, installed with apt-get: QEMU for ppc64, the ppc64le
#     cross compiler, cpio, make;
#   - ppc64el packages, downloaded with a private apt state (so the host's
#     apt configuration and package lists are not touched) and extracted into
#     a cache: the pseries kernel image, its headers (flavour + common),
#     busybox-static; plus the host-architecture (amd64) linux-kbuild-6.1
#     of exactly the kernel's version, whose host binaries (fixdep,
#     modpost) the headers need.
#
# Writes $CACHE/env.sh with the chosen paths for the other scripts.
# A second run only checks that the host tools are there and that the cache
# is complete: nothing is downloaded again unless --refresh is given.
#
# Usage: fetch-packages.sh [--cache DIR] [--abi N] [--refresh]
#   --cache DIR  default ${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el
#                (HPTFUZZ_PPC64EL_CACHE overrides the whole path)
#   --abi N      use kernel 6.1.0-N instead of the newest consistent one
#   --refresh    update the package lists and re-select the kernel
set -euo pipefail

cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
abi=${HPTFUZZ_KERNEL_ABI:-}
refresh=0

say() { echo "fetch-packages: $*"; }
die() {
	echo "fetch-packages: error: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--cache) cache=$2; shift 2 ;;
	--abi) abi=$2; shift 2 ;;
	--refresh) refresh=1; shift ;;
	-h|--help) sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
case "$abi" in
''|*[!0-9]*) [ -z "$abi" ] || die "--abi wants a number, got: $abi" ;;
esac

# Wall-clock milliseconds (bash 5's EPOCHREALTIME, no fork).
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
secs_since() { awk -v d=$(($(now_ms) - $1)) 'BEGIN { printf "%.1f", d / 1000 }'; }
t_start=$(now_ms)

# ---------------------------------------------------------------- host tools
# The kbuild helpers (fixdep, modpost) run on the build host, so their
# package must be of the host's architecture (amd64 here; ppc64el on a POWER
# box running the KVM variant, where the native gcc-12 is the "cross" one).
host_arch=$(dpkg --print-architecture)
if [ "$host_arch" = ppc64el ]; then
	cc_pkg=gcc-12
else
	cc_pkg=gcc-powerpc64le-linux-gnu
fi
# Debian package -> a file it must provide.  dpkg-query alone is not enough
# (a package can be "installed" with files removed), so check the files.
host_pkgs=(
	"qemu-system-ppc:/usr/bin/qemu-system-ppc64"
	"$cc_pkg:/usr/bin/powerpc64le-linux-gnu-gcc-12"
	"cpio:/usr/bin/cpio"
	"make:/usr/bin/make"
	"coreutils:/usr/bin/timeout"
	"libelf1:/usr/lib/$(gcc -print-multiarch 2>/dev/null ||
		echo x86_64-linux-gnu)/libelf.so.1"
)
missing=()
for entry in "${host_pkgs[@]}"; do
	[ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] ||
		die "need root to install host packages: ${missing[*]}"
	say "installing host packages: ${missing[*]}"
	# A failing update of one index (e.g. a mirror mid-sync) must not stop
	# us if the install itself can still be done with the lists we have.
	apt-get update -q || say "warning: apt-get update reported errors"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" ||
		die "apt-get install ${missing[*]} failed"
else
	say "host packages present: ${host_pkgs[*]%%:*}"
fi
# The kernel's Makefile names the compiler as $(CROSS_COMPILE)gcc-12: on a
# ppc64el host that is the native gcc-12, with no prefix.
cross_compile=powerpc64le-linux-gnu-
[ "$host_arch" = ppc64el ] && cross_compile=""
command -v "${cross_compile}gcc-12" >/dev/null ||
	die "${cross_compile}gcc-12 missing (Debian kernels need gcc-12)"

# ------------------------------------------------------------ fast path
env_file=$cache/env.sh
cache_ok() {
	[ -f "$env_file" ] || return 1
	# shellcheck source=/dev/null
	. "$env_file"
	[ -f "$HPTFUZZ_VMLINUX" ] && [ -f "$HPTFUZZ_BUSYBOX" ] &&
		[ -f "$HPTFUZZ_KHEADERS/Makefile" ] &&
		[ -e "$HPTFUZZ_KHEADERS/scripts/basic/fixdep" ] &&
		[ "${HPTFUZZ_CROSS_COMPILE-}" = "$cross_compile" ] &&
		{ [ -z "$abi" ] || [ "$HPTFUZZ_KVER" = "6.1.0-$abi-powerpc64le" ]; }
}
if [ "$refresh" = 0 ] && cache_ok; then
	say "cache complete: $cache (kernel $HPTFUZZ_KVER," \
		"$HPTFUZZ_KDEBVER); use --refresh to re-select"
	exit 0
fi

# ------------------------------------------------------ private apt state
# ppc64el is the primary architecture so plain names resolve to ppc64el
# packages; the host's architecture is added only for its linux-kbuild-6.1.
# An empty dpkg status file keeps the host's installed packages out of it.
aptdir=$cache/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$cache/debs"
[ -f "$aptdir/status" ] || : >"$aptdir/status"
apt_opts=(
	-o "APT::Architecture=ppc64el"
	-o "APT::Architectures::=ppc64el"
	-o "APT::Architectures::=$host_arch"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::State::status=$aptdir/status"
	-o "Dir::Cache=$aptdir"
	-o "Dir::Cache::archives=$aptdir/archives"
	-o "APT::Sandbox::User=root"
)
have_lists() {
	compgen -G "$aptdir/lists/*_binary-ppc64el_Packages*" >/dev/null
}
if [ "$refresh" = 1 ] || ! have_lists; then
	say "updating private ppc64el+$host_arch package lists in $aptdir"
	t0=$(now_ms)
	if ! apt-get -q "${apt_opts[@]}" update >"$aptdir/update.log" 2>&1; then
		# Seen here: the security suite's ppc64el index can fail its
		# size check; apt then ignores that whole suite and the main
		# archive's point-release kernels are still usable.
		grep -E '^(E|W):' "$aptdir/update.log" | sed 's/^/  /' >&2 || true
		have_lists || die "apt-get update failed (see $aptdir/update.log)"
		say "warning: some indexes failed; going on with the others"
	fi
	say "package lists updated in $(secs_since "$t0") s"
fi

acache() { apt-cache "${apt_opts[@]}" "$@" 2>/dev/null; }
# All versions apt knows for one package, newest first.
versions_of() {
	acache madison "$1" | awk -F' *\\| *' '{ print $2 }' | sort -uVr
}

# -------------------------------------------------------- kernel selection
# Newest ABI N for which the ppc64el image, flavour headers, common headers
# and the host-architecture kbuild all exist in one and the same version.
flavour=powerpc64le
if [ -n "$abi" ]; then
	abis=$abi
else
	abis=$(acache pkgnames linux-image-6.1.0- |
		sed -n "s/^linux-image-6\.1\.0-\([0-9]*\)-$flavour\$/\1/p" |
		sort -nr)
fi
[ -n "$abis" ] || die "no linux-image-6.1.0-*-$flavour in the package lists"

kver="" kdebver=""
for n in $abis; do
	v=6.1.0-$n
	common=""
	for ver in $(versions_of "linux-image-$v-$flavour"); do
		if versions_of "linux-headers-$v-$flavour" | grep -qxF "$ver" &&
			versions_of "linux-headers-$v-common" | grep -qxF "$ver" &&
			versions_of "linux-kbuild-6.1:$host_arch" | grep -qxF "$ver"; then
			common=$ver
			break
		fi
	done
	if [ -n "$common" ]; then
		kver=$v-$flavour
		kdebver=$common
		break
	fi
	say "skipping $v: image, headers and kbuild differ in version"
done
[ -n "$kver" ] || die "no kernel ABI with image, headers and kbuild in one version"
abi_n=${kver#6.1.0-}
abi_n=${abi_n%%-*}
say "selected kernel $kver, Debian version $kdebver"

bbver=$(versions_of busybox-static | head -n1)
[ -n "$bbver" ] || die "busybox-static (ppc64el) not in the package lists"

# --------------------------------------------------------------- download
# name=version[:arch-suffix-for-the-file-name]
want=(
	"linux-image-$kver=$kdebver"
	"linux-headers-$kver=$kdebver"
	"linux-headers-6.1.0-$abi_n-common=$kdebver"
	"linux-kbuild-6.1:$host_arch=$kdebver"
	"busybox-static=$bbver"
)
debfile() {
	# apt names files pkg_version_arch.deb with ':' in the version as %3a;
	# find it without knowing the arch (all, ppc64el or amd64).
	local pkg=${1%%=*} ver=${1#*=}
	pkg=${pkg%%:*}
	compgen -G "$cache/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1
}
todo=()
for p in "${want[@]}"; do
	[ -n "$(debfile "$p")" ] || todo+=("$p")
done
if [ ${#todo[@]} -gt 0 ]; then
	say "downloading ${#todo[@]} package(s): ${todo[*]}"
	t0=$(now_ms)
	# apt-get download writes to the current directory (as root: see
	# APT::Sandbox::User above, the cache may be in a private home).
	(cd "$cache/debs" && apt-get -q "${apt_opts[@]}" download "${todo[@]}") ||
		die "apt-get download failed (stale lists? try --refresh)"
	bytes=$(for p in "${todo[@]}"; do debfile "$p"; done |
		xargs -d '\n' du -cb | tail -n1 | cut -f1)
	say "downloaded $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')" \
		"in $(secs_since "$t0") s"
else
	say "all packages already downloaded in $cache/debs"
fi

# ---------------------------------------------------------------- extract
# One root per kernel version, built in a temporary directory and renamed
# into place so an interrupted run never leaves a half-extracted tree that
# the fast path would trust.
root=$cache/root-$kver-$kdebver
if [ ! -e "$root/.complete" ]; then
	say "extracting into $root"
	tmp=$root.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	for p in "${want[@]}"; do
		dpkg-deb -x "$(debfile "$p")" "$tmp"
	done
	# The flavour headers' Makefile includes the common headers by an
	# absolute /usr/src path; point it at our extracted copy instead.
	# (Their scripts/ and tools/ symlinks are relative and already land
	# on the extracted linux-kbuild-6.1.)
	mk=$tmp/usr/src/linux-headers-$kver/Makefile
	grep -q "^include /usr/src/linux-headers-6.1.0-$abi_n-common/Makefile" "$mk" ||
		die "unexpected $mk: $(cat "$mk")"
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
	rm -rf "$root"
	mv "$tmp" "$root"
	touch "$root/.complete"
fi

vmlinux=$root/boot/vmlinux-$kver
kheaders=$root/usr/src/linux-headers-$kver
busybox=$root/bin/busybox
[ -f "$vmlinux" ] || die "no kernel image at $vmlinux"
[ -e "$kheaders/scripts/basic/fixdep" ] ||
	die "kbuild scripts not reachable from $kheaders/scripts"
[ -f "$busybox" ] || die "no busybox at $busybox"

{
	echo "# Written by scripts/qemu/fetch-packages.sh; sourced by the others."
	printf 'HPTFUZZ_KVER=%q\n' "$kver"
	printf 'HPTFUZZ_KDEBVER=%q\n' "$kdebver"
	printf 'HPTFUZZ_VMLINUX=%q\n' "$vmlinux"
	printf 'HPTFUZZ_KHEADERS=%q\n' "$kheaders"
	printf 'HPTFUZZ_BUSYBOX=%q\n' "$busybox"
	printf 'HPTFUZZ_CROSS_COMPILE=%q\n' "$cross_compile"
} >"$env_file.tmp"
mv "$env_file.tmp" "$env_file"

# Older extracted roots are left alone; remove them by hand if space matters.
say "ready in $(secs_since "$t_start") s: kernel $vmlinux"
say "env: $env_file"
