#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs oss-fuzz/projects/hptfuzz/build.sh as OSS-Fuzz's `compile` runs it,
# for one engine and one sanitizer, without Docker: a copy of the sources
# in a temporary $SRC, the base-builder's compiler flags, and nothing else
# in the environment. Then checks $OUT as OSS-Fuzz's check_build would:
#  - every target is there with its seed zip, .dict and .options, and
#    nothing else looks like a target (an executable without extension);
#  - every target carries the engine's instrumentation and the sanitizer;
#  - every target replays its whole seed corpus: libFuzzer with the flags
#    of its .options file (so its dict must parse), AFL++'s driver file by
#    file.
#
# usage: oss_fuzz_build.sh ENGINE SANITIZER REPO SCRATCH TARGET...
#   ENGINE libfuzzer or afl, SANITIZER address, undefined or memory;
#   SCRATCH is emptied first; TARGET... the targets fuzz/ defines.
set -euo pipefail

usage() {
	echo "usage: $0 libfuzzer|afl address|undefined|memory REPO SCRATCH TARGET..." >&2
	exit 2
}
(($# >= 5)) || usage
engine=$1 sanitizer=$2 repo=$3 scratch=$4
shift 4
targets=("$@")
here=$(cd "$(dirname "$0")" && pwd)
python=${HPT_SYSTEM_PYTHON:-/usr/bin/python3}

fail() {
	echo "FAIL ($engine, $sanitizer): $*" >&2
	exit 1
}

# The base-builder image's flags (infra/base-images/base-builder/Dockerfile)
cflags="-O1 -fno-omit-frame-pointer -gline-tables-only"
cflags+=" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
ubsan_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function
ubsan_checks+=,integer-divide-by-zero,null,object-size,return
ubsan_checks+=,returns-nonnull-attribute,shift,signed-integer-overflow
ubsan_checks+=,unreachable,vla-bound,vptr
case $sanitizer in
address)
	san_flags="-fsanitize=address -fsanitize-address-use-after-scope"
	san_symbol=__asan_init ;;
undefined)
	san_flags="-fsanitize=$ubsan_checks,unsigned-integer-overflow"
	san_flags+=" -fno-sanitize-recover=$ubsan_checks"
	san_symbol=__ubsan_handle_ ;;
memory)
	san_flags="-fsanitize=memory -fsanitize-memory-track-origins"
	san_symbol=__msan_init ;;
*) usage ;;
esac

# What compile_libfuzzer and compile_afl set up
build_env=()
case $engine in
libfuzzer)
	cc=clang cxx=clang++
	cflags+=" $san_flags -fsanitize=fuzzer-no-link"
	lib_fuzzing_engine=-fsanitize=fuzzer
	section=__sancov_cntrs ;;	# inline 8-bit counters
afl)
	cc=afl-clang-fast cxx=afl-clang-fast++
	cflags+=" $san_flags"
	lib_fuzzing_engine=""
	for lib in /usr/lib/afl/libAFLDriver.a /usr/local/lib/afl/libAFLDriver.a; do
		[[ -f $lib ]] && lib_fuzzing_engine=$lib && break
	done
	[[ -n $lib_fuzzing_engine ]] || fail "no libAFLDriver.a (install afl++)"
	build_env=(AFL_QUIET=1 "ASAN_OPTIONS=detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1")
	section=__sancov_guards ;;	# AFL++'s PCGUARD instrumentation
*) usage ;;
esac

# $SRC/hptfuzz is a copy, as a clone would be: build.sh must not need
# anything the repository does not hold, nor write into it
rm -rf "$scratch"
mkdir -p "$scratch/src/hptfuzz" "$scratch/work" "$scratch/out"
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# The working tree's files, deleted ones left out
	git -C "$repo" ls-files -z --cached --others --exclude-standard |
		tar -C "$repo" --null -T - --ignore-failed-read -cf - 2>/dev/null |
		tar -C "$scratch/src/hptfuzz" -xf -
else
	tar -C "$repo" --exclude=./build --exclude=./out -cf - . |
		tar -C "$scratch/src/hptfuzz" -xf -
fi
cp "$repo/oss-fuzz/projects/hptfuzz/build.sh" "$scratch/src/build.sh"
src=$scratch/src out=$scratch/out

echo "=== build.sh ($engine, $sanitizer)"
if ! (cd "$src/hptfuzz" && env -i PATH="$PATH" "${build_env[@]}" \
	CC="$cc" CXX="$cxx" CFLAGS="$cflags" CXXFLAGS="$cflags" \
	LIB_FUZZING_ENGINE="$lib_fuzzing_engine" \
	SRC="$src" WORK="$scratch/work" OUT="$out" \
	bash -eux "$src/build.sh") >"$scratch/build.log" 2>&1; then
	tail -n 40 "$scratch/build.log"
	fail "build.sh failed (log: $scratch/build.log)"
fi

echo "=== checking $out"
for f in "$out"/*; do
	name=${f##*/}
	[[ -f $f && -x $f && $name != *.* ]] || continue
	[[ " ${targets[*]} " == *" $name "* ]] ||
		fail "$name in \$OUT looks like a target, but fuzz/ has no such target"
done

export UBSAN_OPTIONS=silence_unsigned_overflow=1:print_stacktrace=1
for t in "${targets[@]}"; do
	bin=$out/$t
	[[ -f $bin && -x $bin ]] || fail "no executable $t in \$OUT"
	for f in "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
		[[ -s $out/$f ]] || fail "no $f in \$OUT"
	done
	# (whole outputs: grep -q would end the pipe early, and pipefail see it)
	grep -q "$section" <<<"$(readelf -SW "$bin")" ||
		fail "$t has no $section section: not built with the engine's instrumentation"
	grep -q " $san_symbol" <<<"$(nm "$bin")" ||
		fail "$t has no $san_symbol: not built with -fsanitize=$sanitizer"

	# The zip holds every seed of the repository, flat
	dirs=()
	for d in "$repo/corpus/$t" "$repo/corpus/regressions/$t"; do
		[[ -d $d ]] && dirs+=("$d")
	done
	((${#dirs[@]})) || fail "no corpus/$t"
	want=$(find "${dirs[@]}" -type f -printf '%f\n' | sort -u | wc -l)
	seeds=$scratch/seeds/$t
	mkdir -p "$seeds"
	unzip -q "$out/${t}_seed_corpus.zip" -d "$seeds"
	got=$(find "$seeds" -type f | wc -l)
	((got == want)) || fail "${t}_seed_corpus.zip holds $got inputs, the corpus $want"
	((got == $(find "$seeds" -maxdepth 1 -type f | wc -l))) ||
		fail "${t}_seed_corpus.zip has directories"

	log=$scratch/run-$t.log
	case $engine in
	libfuzzer)
		mapfile -t flags < <("$python" "$here/options_flags.py" "$out/$t.options")
		((${#flags[@]})) || fail "$t.options gives no flags"
		"$bin" "${flags[@]}" -runs=0 "$seeds" >"$log" 2>&1 ||
			{ tail -n 30 "$log"; fail "$t failed on its seeds (log: $log)"; }
		grep -q '^Dictionary: [1-9][0-9]* entries' "$log" ||
			{ tail -n 30 "$log"; fail "$t did not load $t.dict"; }
		grep -q "seed corpus: files: $want " "$log" ||
			{ tail -n 30 "$log"; fail "$t did not run all $want seeds"; }
		;;
	afl)
		find "$seeds" -type f -print0 | xargs -0 "$bin" >"$log" 2>&1 ||
			{ tail -n 30 "$log"; fail "$t failed on its seeds (log: $log)"; }
		ran=$(grep -c '^Execution successful' "$log" || true)
		((ran == want)) || fail "$t ran $ran of its $want seeds"
		;;
	esac
	echo "$t: $want seeds replayed, dict, options and instrumentation present"
done
echo "PASS ($engine, $sanitizer): ${#targets[@]} targets"
