#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: a bounded differential fuzzing run on the shipped corpus,
# using every core, ending with a summary of what it found.
#
#   scripts/fuzz.sh [--time SECONDS] [--target NAME] [--impls LIST]
#                   [--known LIST] [--max-order N] [--jobs N] [--out DIR]
#                   [--kernel-src DIR]
#
#   --time       how long to fuzz (default 180 s), shared by the targets
#   --target     targets in turn, each NAME or NAME:WEIGHT (its share of
#                the time): rehash_diff, all_orders, raw_table, protocol,
#                scenario_decode (default rehash_diff:2,all_orders:1)
#   --impls      implementations to diff against the oracle: "all" (default:
#                the core and every kernel built: linux-6.1, linux-6.12,
#                patch-2016; the patch-2016 port only where patch-2016, the same
#                code, is not built) or a list such as core,linux-6.12
#   --known      implementations whose divergences are already documented
#                (default patch-2016-port,patch-2016,linux-6.1,linux-6.12, see
#                docs/findings.md): they are reported but do not fail the run
#   --kernel-src a kernel tree of yours: its resize code is built verbatim
#                as one more implementation, linux-<its version>
#   --max-order  largest table order fuzzed; bigger ones fold (default: the
#                harness's, hptfuzz-replay --print-default-max-order;
#                all_orders reaches 46 unless this is given)
#   --jobs       parallel fuzzing processes (default: all cores)
#   --out        where results go (default out/fuzz-<date>)
#
# Each distinct divergence is kept once, as a reproducer plus its report,
# under OUT/findings/TARGET; sanitizer crashes go to OUT/crashes/TARGET. Exit status: 0 on
# a run with nothing new, 1 if an implementation not in --known diverged or
# anything crashed, 2 on bad arguments or a failed build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=180 target=rehash_diff:2,all_orders:1 impls=all max_order=""
max_order_given=0
known=patch-2016-port,patch-2016,linux-6.1,linux-6.12
jobs=$(nproc) out="" kernel_src=""
usage() {
	sed -n '4,28p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}
die() {
	echo "fuzz.sh: $*" >&2
	exit 2
}
while (($#)); do
	case $1 in
	--time | --target | --impls | --known | --max-order | --jobs | --out | --kernel-src)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--time) seconds=$2 ;;
		--target) target=$2 ;;
		--impls) impls=$2 ;;
		--known) known=$2 ;;
		--max-order) max_order=$2 max_order_given=1 ;;
		--jobs) jobs=$2 ;;
		--out) out=$2 ;;
		--kernel-src) kernel_src=$2 ;;
		esac
		shift 2
		;;
	-h | --help) usage ;;
	*) echo "fuzz.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] ||
	die "--time needs a number of seconds, got '$seconds'"
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] ||
	die "--jobs needs a positive number, got '$jobs'"
((!max_order_given)) ||
	[[ $max_order =~ ^[0-9]+$ && $max_order -ge 18 && $max_order -le 46 ]] ||
	die "--max-order needs an order in 18..46, got '$max_order'"

if [[ -n $kernel_src ]]; then
	[[ -d $kernel_src ]] || die "--kernel-src: no directory '$kernel_src'"
	kernel_src=$(cd "$kernel_src" && pwd)
	while read -r f; do
		[[ $f == '#'* || -z $f ]] && continue
		[[ -f $kernel_src/$f ]] ||
			die "--kernel-src: $kernel_src has no $f (a Linux source tree with KVM-HV's resize code is needed)"
	done <kernel/sources.txt
fi

# The targets in turn, each with its share of the time, checked before
# anything is built (the list is the build's own, fuzz/CMakeLists.txt)
all_targets=$(sed -n 's/^set(HPT_FUZZ_TARGETS \(.*\))$/\1/p' fuzz/CMakeLists.txt)
tnames=() tweights=() tsecs=() total_w=0
for item in ${target//,/ }; do
	name=${item%%:*} w=1
	[[ $item == *:* ]] && w=${item#*:}
	[[ $w =~ ^[1-9][0-9]*$ ]] ||
		die "--target: the weight of '$name' must be a positive number, got '$w'"
	[[ " $all_targets " == *" $name "* ]] ||
		die "--target: no target '$name' (have: $all_targets)"
	tnames+=("$name") tweights+=("$w")
	total_w=$((total_w + w))
done
((${#tnames[@]})) || die "--target: no target named"
for i in "${!tnames[@]}"; do
	t=$((seconds * tweights[i] / total_w))
	tsecs+=("$((t ? t : 1))")
done

if ! scripts/setup.sh --check >/dev/null; then
	scripts/setup.sh
fi

echo "=== building the libFuzzer targets (clang, ASan+UBSan)"
if ! { cmake --preset libfuzzer -DHPTFUZZ_KERNEL_SRC="$kernel_src" &&
	cmake --build --preset libfuzzer -j "$(nproc)"; } \
	>build-libfuzzer.log 2>&1; then
	tail -n 40 build-libfuzzer.log
	die "the build failed (log: build-libfuzzer.log)"
fi
rm -f build-libfuzzer.log
# The default cap has one definition, in the harness (hpt/harness.h)
((max_order_given)) ||
	max_order=$(build/libfuzzer/harness/hptfuzz-replay --print-default-max-order)
# The replay driver names the implementations; an unknown name fails here
available=$(build/libfuzzer/harness/hptfuzz-replay --help |
	sed -nE 's/.*--impl NAME .*: (.*)$/\1/p')
if [[ $impls == all ]]; then
	# The patch-2016 port is the 2016 patch by hand: diffed only as its stand-in
	impls=""
	for name in $available; do
		[[ $name == patch-2016-port && " $available " == *" patch-2016 "* ]] && continue
		impls+=${impls:+,}$name
	done
else
	for name in ${impls//,/ }; do
		build/libfuzzer/harness/hptfuzz-replay --help |
			grep -q -- "--impl NAME.*: .*\b$name\b" ||
			die "--impls: no implementation '$name'"
	done
fi

out=${out:-out/fuzz-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

# Say each new finding as it is recorded
watch_findings() {
	local seen="" f
	while sleep 2; do
		for f in "$out"/findings/*/*.txt; do
			[[ -e $f && $seen != *"|$f|"* ]] || continue
			seen+="|$f|"
			echo "    new: $(grep -m1 '^DIVERGENCE' "$f" || basename "$f")"
		done
	done
}
watch_findings &
watcher=$!
trap 'kill $watcher 2>/dev/null || true' EXIT

# all_orders has its own cap (46), the others fold at max_order
cap_env() {
	if [[ $1 != all_orders ]] || ((max_order_given)); then
		echo "HPTFUZZ_MAX_ORDER=$max_order"
	fi
}

# One target for its share of the time, into OUT/{corpus,findings,
# crashes}/TARGET; its last progress line is kept for the summary
declare -A last_line
fuzz_target() {
	local t=$1 secs=$2 log=$out/$1.log d nseeds
	local seeds=() dict=() cap=() capmsg="its own (46)"
	mkdir -p "$out/corpus/$t" "$out/crashes/$t" "$out/findings/$t" "$out/judged"
	# Fuzz into a copy: the shipped corpus only changes by a deliberate merge
	for d in corpus/$t corpus/regressions/$t; do
		[[ -d $d ]] && seeds+=("$d")
	done
	nseeds=$(find "${seeds[@]}" -type f 2>/dev/null | wc -l)
	[[ -f fuzz/$t.dict ]] && dict=(-dict="fuzz/$t.dict")
	mapfile -t cap < <(cap_env "$t")
	((${#cap[@]})) && capmsg=$max_order
	echo "=== fuzzing $t for ${secs}s on $jobs cores from $nseeds shipped inputs"
	echo "    implementations: $impls; orders capped at $capmsg"
	echo "    (progress: #executions, cov: edges covered, exec/s; new findings as they come)"
	set +e
	env "${cap[@]}" HPTFUZZ_IMPLS="$impls" HPTFUZZ_FINDINGS="$out/findings/$t" \
		HPTFUZZ_JUDGED="$out/judged/$t" \
		"build/libfuzzer/fuzz/fuzz_$t" "${dict[@]}" -fork="$jobs" \
		-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$secs" -timeout=25 -rss_limit_mb=4096 \
		-artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" "${seeds[@]}" \
		2>&1 | tee "$log" | grep --line-buffered -E '^#[0-9]+|==ERROR'
	set -e
	last_line[$t]=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
}

for i in "${!tnames[@]}"; do
	fuzz_target "${tnames[$i]}" "${tsecs[$i]}"
done
sleep 2
kill $watcher 2>/dev/null || true

# How to replay a reproducer of target $1 on implementation $2
replay_cmd() {
	case $1 in
	rehash_diff) echo "build/libfuzzer/harness/hptfuzz-replay --impl $2" ;;
	raw_table) echo "build/libfuzzer/harness/hptfuzz-replay --impl $2 --raw-words" ;;
	*) echo "HPTFUZZ_IMPLS=$2 build/libfuzzer/fuzz/fuzz_$1" ;;
	esac
}

echo
echo "=== summary: ${tnames[*]}, ${seconds}s, $jobs jobs"
execs="" cover="" corp=""
for i in "${!tnames[@]}"; do
	t=${tnames[$i]} last=${last_line[${tnames[$i]}]}
	n=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
	rate=$(sed -nE 's/.*exec\/s:? ([0-9]+).*/\1/p' <<<"$last")
	cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")
	execs+="${execs:+, }$t ${n:-0} in ${tsecs[$i]}s (${rate:-?} exec/s at the end)"
	cover+="${cover:+, }$t ${cov:-?} edges ${ft:-?} features"
	corp+="${corp:+, }$t $(find "$out/corpus/$t" -type f | wc -l)"
done
echo "executions:   $execs"
echo "coverage:     $cover"
echo "corpus:       $corp inputs (in $out/corpus)"
# How the oracle judged the differential targets' entries: exactly, from
# a VA, or by rules only (every worker appends a hptfuzz-judged line)
judged=""
for t in "${tnames[@]}"; do
	[[ -s $out/judged/$t ]] || continue
	judged+="${judged:+; }$t $(awk '
		{ for (i = 2; i <= NF; i++) { split($i, kv, "="); sum[kv[1]] += kv[2] } }
		END {
			e = sum["entries"]; x = sum["entries_exact"]
			printf "%d of %d entries exactly (%.1f%%), %d by rules only; %d of %d executions wholly exact",
				x, e, e ? 100 * x / e : 100, sum["entries_rules"],
				sum["exact"], sum["executions"]
		}' "$out/judged/$t")"
done
echo "judged:       ${judged:-no differential target ran}"

status=0
nfind=0
for report in "$out"/findings/*/*.txt; do
	[[ -e $report ]] || continue
	nfind=$((nfind + 1))
done
# Every implementation that ran, with how many distinct divergences it had
per=""
for impl in ${impls//,/ }; do
	n=0
	for report in "$out"/findings/*/"$impl"-*.txt; do
		[[ -e $report ]] || continue
		grep -q "^DIVERGENCE impl=$impl " "$report" && n=$((n + 1))
	done
	per+="${per:+, }$impl $n"
done
echo "by implementation: $per"
if ((nfind)); then
	# Distinct as record mode tells them apart: implementation, kind,
	# summary without its numbers, layout and the kind of record
	echo "divergences:  $nfind distinct (one reproducer each)"
	for report in "$out"/findings/*/*.txt; do
		[[ -e $report ]] || continue
		t=$(basename "$(dirname "$report")")
		line=$(grep -m1 '^DIVERGENCE' "$report" || echo "DIVERGENCE (no summary line)")
		impl=$(sed -nE 's/.*impl=([^ ]+).*/\1/p' <<<"$line")
		tag="new"
		[[ ",$known," == *",$impl,"* ]] && tag="known" || status=1
		echo "  [$tag] ${line#DIVERGENCE }"
		grep -m1 '^first divergence' "$report" | sed 's/^/         /' || true
		grep -m1 '^scenario:' "$report" | sed 's/^/         /' || true
		echo "         reproducer: ${report%.txt}"
		echo "         replay:     $(replay_cmd "$t" "$impl") ${report%.txt}"
	done
	echo "read one with: python3 tools/hptfuzz.py repro <reproducer> (rehash_diff, raw_table)"
else
	echo "divergences:  none"
fi

# A crash stops the process, whichever implementation caused it: replay
# each input with one implementation at a time to say whose it is. Only
# a crash every culprit of which is --known leaves the run clean.
crashes=$(find "$out/crashes" -type f | sort)
if [[ -n $crashes ]]; then
	mkdir -p "$out/attribution"
	echo "crashes:      $(grep -c . <<<"$crashes") (sanitizer reports in $out/TARGET.log):"
	while read -r f; do
		t=$(basename "$(dirname "$f")")
		whose="" tag=known
		mapfile -t cap < <(cap_env "$t")
		for impl in ${impls//,/ }; do
			# In record mode, so a divergence is kept, not taken for
			# the crash (the protocol target has no record mode)
			if ! env "${cap[@]}" HPTFUZZ_IMPLS="$impl" \
				HPTFUZZ_FINDINGS="$out/attribution" \
				timeout 60 "build/libfuzzer/fuzz/fuzz_$t" "$f" \
				>/dev/null 2>&1; then
				whose+="${whose:+, }$impl"
				[[ ",$known," == *",$impl,"* ]] || tag=new
			fi
		done
		[[ -n $whose ]] || { whose="no implementation alone" tag=new; }
		[[ $tag == new ]] && status=1
		echo "  [$tag] $t: $f"
		echo "         crashes with: $whose"
	done <<<"$crashes"
	echo "replay one with: HPTFUZZ_IMPLS=NAME build/libfuzzer/fuzz/fuzz_TARGET <input>"
else
	echo "crashes:      none"
fi
if ((status == 0)); then
	echo "result:       clean: nothing new diverged or crashed"
fi
exit $status
