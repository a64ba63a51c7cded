#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the kernel's checkpatch.pl over the core, so it stays in kernel style.
# checkpatch.pl comes from Debian's linux-source package: fetched once and
# cached (HPTFUZZ_CACHE, default ~/.cache/hptfuzz).
#
#   scripts/checkpatch.sh [FILE...]     default: every file under core/ and qemu/kmod/
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/checkpatch
cp=$cache/scripts/checkpatch.pl
if [[ ! -x $cp ]]; then
	echo "checkpatch: fetching checkpatch.pl from linux-source-6.1"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download linux-source-6.1 >/dev/null 2>&1)
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.1_*.deb |
		tar -x -C "$tmp" --wildcards './usr/src/linux-source-6.1.tar.xz'
	mkdir -p "$tmp/src"
	tar -xJf "$tmp"/usr/src/linux-source-6.1.tar.xz -C "$tmp/src" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	mkdir -p "$cache.new/scripts"
	cp "$tmp"/src/*/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
		"$cache.new/scripts/"
	rm -rf "$cache"
	mv "$cache.new" "$cache"
fi

files=("$@")
if ((${#files[@]} == 0)); then
	mapfile -t files < <(find core -name '*.[ch]' | sort)
fi
status=0
for f in "${files[@]}"; do
	if ! out=$("$cp" --no-tree --quiet --show-types -f "$f"); then
		printf '%s\n' "$out"
		status=1
	fi
done
((status == 0)) && echo "checkpatch: ${#files[@]} files clean"
exit $status
