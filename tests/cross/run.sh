#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the core and its unit tests as static user programs for one POWER
# target and run them under qemu-user, so the byte-order handling is
# exercised on a big-endian host too.
#
#   run.sh TRIPLET QEMU SRCDIR WORKDIR     e.g. powerpc64-linux-gnu qemu-ppc64
set -euo pipefail
triplet=$1 qemu=$2 src=$3 work=$4
cc=$triplet-gcc

for tool in "$cc" "$qemu"; do
	command -v "$tool" >/dev/null ||
		{ echo "cross: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
done

rm -rf "$work"
mkdir -p "$work"
cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -O1 -Wall -Wextra -Werror -static
	-I"$src/core/include" -I"$src/core/platform/user" -I"$src/tests/unit")
core=("$src"/core/src/*.c "$src"/core/model/*.c "$src"/core/platform/user/*.c
	"$src/tests/unit/support.c")

# The target's byte order, as the compiler sees it
echo '__BYTE_ORDER__' | "$cc" -E -P - | tail -n 1 | sed 's/^/cross: byte order /'

failed=0
for t in "$src"/tests/unit/test_*.c; do
	name=$(basename "$t" .c)
	"$cc" "${cflags[@]}" -o "$work/$name" "$t" "${core[@]}"
	if "$qemu" "$work/$name"; then
		echo "cross: $triplet $name passed"
	else
		echo "cross: $triplet $name FAILED"
		failed=1
	fi
done
exit $failed
