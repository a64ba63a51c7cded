#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The whole test suite, from nothing: install what is missing, then for each
# build configure, build and run ctest. Exits non-zero if anything fails.
#
#   scripts/test.sh                 every preset below
#   scripts/test.sh PRESET...       only these presets
#   CTEST_ARGS="-L qemu" scripts/test.sh dev    pass arguments to ctest
set -euo pipefail
cd "$(dirname "$0")/.."

# Each preset is one build with its own tests: gcc, clang with ASan+UBSan,
# the libFuzzer targets under sanitizers, MSan, and AFL++ (whose smoke runs
# use the CmpLog twins, built first). The release build has no tests of its
# own: it is built so that warnings only an optimising gcc gives (-Werror)
# fail the suite too.
all_presets=(dev asan-ubsan libfuzzer msan afl-cmplog afl release)
build_only=(afl-cmplog release)
presets=("$@")
if ((${#presets[@]} == 0)); then
	for p in "${all_presets[@]}"; do
		grep -q "\"name\": \"$p\"" CMakePresets.json && presets+=("$p")
	done
fi

if ! scripts/setup.sh --check >/dev/null; then
	scripts/setup.sh
fi

jobs=$(nproc)
passed=0 failed=0 broken=()
for p in "${presets[@]}"; do
	echo "=== $p: configure and build"
	if ! cmake --preset "$p" >"build-$p.log" 2>&1 ||
		! cmake --build --preset "$p" -j "$jobs" >>"build-$p.log" 2>&1; then
		tail -n 40 "build-$p.log"
		broken+=("$p (build)")
		failed=$((failed + 1))
		continue
	fi
	rm -f "build-$p.log"
	if [[ " ${build_only[*]} " == *" $p "* ]]; then
		echo "=== $p: built (no tests of its own)"
		continue
	fi
	echo "=== $p: ctest"
	log=$(mktemp)
	# shellcheck disable=SC2086
	if ctest --preset "$p" -j "$jobs" ${CTEST_ARGS:-} 2>&1 | tee "$log"; then
		:
	fi
	line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" |
		tail -n 1 || true)
	if [[ -z $line ]]; then
		broken+=("$p (no tests ran)")
		failed=$((failed + 1))
	else
		total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
		nfail=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
		passed=$((passed + total - nfail))
		failed=$((failed + nfail))
		((nfail == 0)) || broken+=("$p ($nfail failed)")
	fi
	rm -f "$log"
done

echo
if ((${#broken[@]})); then
	echo "failing: ${broken[*]}"
fi
echo "$passed passed, $failed failed"
((${#broken[@]} == 0))
