#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds the hptfuzz fuzz targets for OSS-Fuzz and ClusterFuzzLite. It runs
# as their `compile` runs it (bash -eux $SRC/build.sh) and takes everything
# from their environment: $CC and $CFLAGS compile (they carry the sanitizer
# and the engine's instrumentation), $CXX, $CXXFLAGS and $LIB_FUZZING_ENGINE
# link (OSS-Fuzz links with the C++ compiler, even for C), the sources are
# in $SRC/hptfuzz, intermediate files go to $WORK, results to $OUT.
#
# For each target T of fuzz/CMakeLists.txt, $OUT gets T, T_seed_corpus.zip
# (corpus/T and corpus/regressions/T), T.dict and T.options (from fuzz/).
src=$SRC/hptfuzz
build=$WORK/hptfuzz-build

# CMake takes CC, CFLAGS, CXX and CXXFLAGS from the environment; "external"
# keeps it from adding instrumentation or sanitizers of its own. No -Werror:
# the compiler is OSS-Fuzz's, and its next warning must not break the build.
cmake -S "$src" -B "$build" \
	-DHPT_FUZZ_ENGINE=external \
	-DHPT_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
	-DHPT_UNIT_TESTS=OFF \
	-DHPT_WERROR=OFF
cmake --build "$build" --target hpt_fuzz_targets -j "$(nproc)"

targets=()
for bin in "$build"/fuzz/fuzz_*; do
	[[ -f $bin && -x $bin ]] && targets+=("${bin##*/fuzz_}")
done
if ((${#targets[@]} == 0)); then
	echo "build.sh: no fuzz targets in $build/fuzz" >&2
	exit 1
fi

for t in "${targets[@]}"; do
	for f in "$src/fuzz/$t.dict" "$src/fuzz/$t.options"; do
		if [[ ! -f $f ]]; then
			echo "build.sh: target $t has no ${f##*/} in fuzz/" >&2
			exit 1
		fi
	done

	# Seeds, flattened: corpus files are named by content, so a name
	# found in both directories is the same input
	seeds=$WORK/seeds/$t
	rm -rf "$seeds"
	mkdir -p "$seeds"
	for d in "$src/corpus/$t" "$src/corpus/regressions/$t"; do
		if [[ -d $d ]]; then
			find "$d" -type f -exec cp -n -t "$seeds" {} +
		fi
	done
	if [[ -z $(ls -A "$seeds") ]]; then
		echo "build.sh: target $t has no seeds in corpus/$t" >&2
		exit 1
	fi
	rm -f "$WORK/$t.zip"
	(cd "$seeds" && zip -q -X "$WORK/$t.zip" ./*)

	cp "$build/fuzz/fuzz_$t" "$OUT/$t"
	cp "$src/fuzz/$t.dict" "$OUT/$t.dict"
	cp "$src/fuzz/$t.options" "$OUT/$t.options"
	mv "$WORK/$t.zip" "$OUT/${t}_seed_corpus.zip"
done
