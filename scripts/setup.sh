#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install, as root, every Debian package hptfuzz needs, and fetch the kernel
# sources whose resize code it compiles (Debian's linux-source-6.1 and
# linux-source-6.12, into a cache: scripts/kernel-src.sh). Idempotent: a
# second run installs and downloads nothing. `setup.sh --check` only reports
# whether anything is missing (exit 1 if so), for scripts that set
# themselves up on demand.
set -euo pipefail

packages=(
	# host build, sanitizers, libFuzzer (libclang-rt), coverage (llvm)
	build-essential cmake clang llvm libclang-rt-14-dev
	# AFL++: afl-clang-fast, afl-fuzz, afl-tmin, afl-cmin
	afl++
	# Python tooling and workflow checks
	python3 python3-yaml
	# cross-endian unit tests under qemu-user, and the ppc64le module
	qemu-user gcc-powerpc64-linux-gnu gcc-powerpc64le-linux-gnu
	libc6-dev-ppc64-cross libc6-dev-ppc64el-cross
	# the pseries guest
	qemu-system-ppc cpio xz-utils zstd
	# the test module: kbuild's host tools (fixdep, modpost) link libelf
	libelf1
	# packaging checks (OSS-Fuzz seed zips)
	zip unzip
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

here=$(dirname "$0")
if [[ ${1:-} == --check ]]; then
	rc=0
	if ((${#missing[@]})); then
		echo "setup: missing packages: ${missing[*]}"
		rc=1
	fi
	"$here/kernel-src.sh" --check || rc=1
	exit $rc
fi

if ((${#missing[@]} == 0)); then
	echo "setup: all ${#packages[@]} packages are installed"
	exec "$here/kernel-src.sh"
fi

if ((EUID != 0)); then
	echo "setup: missing packages: ${missing[*]}" >&2
	echo "setup: run this script as root to install them" >&2
	exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
"$here/kernel-src.sh"
echo "setup: done"
