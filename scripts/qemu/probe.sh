#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# End-to-end check of the ppc64le pseries guest setup: fetch the Debian
# packages (cached), cross-build qemu/probe/hptprobe.ko, pack it with
# qemu/probe/guest/run.sh into an initramfs, boot QEMU (TCG by default) with
# a hard timeout, log the serial console, then check from the host side where
# the guest-inserted HPT entries ended up after each guest-requested resize.
# The expected index is recomputed here from the entry's V/R and old index
# (the hash-recovery arithmetic of a resize), independently of the module.
#
# Usage: probe.sh [options]
#   --accel tcg|kvm   accelerator (default tcg)
#   --cpu MODEL       default power9 (tcg) / host (kvm)
#   --orders "LIST"   resize targets, absolute or +N/-N relative to the
#                     order before each step (default "+1 -2 +1")
#   --16m / --no-16m  allow 16 MB pages in H_ENTER (cap-hpt-max-page-size);
#                     default on for tcg, off for kvm (there it needs the
#                     guest RAM backed by 16 MB host pages)
#   --hazard KIND     also enter "secondary" (bolted entry in its secondary
#                     group) or "misplace" (bolted entry in a wrong group);
#                     repeatable.  QEMU 7.2's TCG resize aborts on both.
#   --timeout SEC     hard limit for the whole QEMU run (default 300)
#   --out DIR         work/log directory (default $CACHE/../probe)
#   --cache DIR       package cache (see fetch-packages.sh)
#   --check-log FILE  only run the verdict on an existing console log
#                     (give the same --accel/--16m/--no-16m as its run)
# Exit: 0 verdict right; 1 verdict wrong; 2 no end marker (hang, crash,
# timeout); 3 setup failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/qemu/lib.sh
. "$here/lib.sh"

accel=tcg
cpu=""
orders="+1 -2 +1"
big=""
hazards=""
tmo=300
out=""
cache=${HPTFUZZ_PPC64EL_CACHE:-${HPTFUZZ_CACHE:-$HOME/.cache/hptfuzz}/ppc64el}
marker=HPTFUZZ-GUEST-END
check_log=""

say() { echo "probe: $*"; }
die() {
	echo "probe: error: $*" >&2
	exit 3
}

while [ $# -gt 0 ]; do
	case "$1" in
	--accel) accel=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--orders) orders=$2; shift 2 ;;
	--16m) big=1; shift ;;
	--no-16m) big=0; shift ;;
	--hazard) hazards="$hazards $2"; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--check-log) check_log=$2; shift 2 ;;
	-h|--help) sed -n '3,/^set -e/ s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done
case "$accel" in
tcg) : "${cpu:=power9}" "${big:=1}" ;;
kvm) : "${cpu:=host}" "${big:=0}" ;;
*) die "--accel must be tcg or kvm" ;;
esac
# KVM for a pseries guest means KVM-HV on a POWER host; say so up front
# rather than leave it to QEMU's "invalid accelerator".
if [ -z "$check_log" ]; then
	hptfuzz_check_accel "$accel" || exit 3
fi
for h in $hazards; do
	case "$h" in
	secondary|misplace) ;;
	*) die "unknown --hazard $h" ;;
	esac
done
for o in $orders; do
	case "$o" in
	[+-][0-9]*|[0-9]*) ;;
	*) die "bad order in --orders: $o" ;;
	esac
done
: "${out:=$(dirname "$cache")/probe}"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Milliseconds from QEMU's start to a milestone recorded in $times.
ms_at() {
	local t
	t=$(awk -v k="$1" '$1 == k { print $2; exit }' "$times")
	if [ -n "$t" ]; then
		echo $((t - t_qemu))
	fi
}

# Fetch, build, boot; sets log, qemu_rc and the t_* timings.
run_qemu() {
	# ------------------------------------------------------------------ fetch
	"$here/fetch-packages.sh" --cache "$cache" || die "fetch-packages.sh failed"
	# shellcheck source=/dev/null
	. "$cache/env.sh"

	# ------------------------------------------------------------ build module
	# Build in a copy: kbuild drops objects next to the sources.
	kdir=$out/kmod
	rm -rf "$kdir"
	mkdir -p "$kdir"
	cp "$repo/qemu/probe/Kbuild" "$repo/qemu/probe/hptprobe.c" "$kdir/"
	t0=$(now_ms)
	make -s -C "$HPTFUZZ_KHEADERS" M="$kdir" ARCH=powerpc \
		CROSS_COMPILE="$HPTFUZZ_CROSS_COMPILE" modules >"$out/kbuild.log" 2>&1 ||
		{ cat "$out/kbuild.log" >&2; die "module build failed"; }
	t_build=$(($(now_ms) - t0))
	[ -f "$kdir/hptprobe.ko" ] || die "no hptprobe.ko after the build"
	if grep -q 'warning:' "$out/kbuild.log"; then
		grep 'warning:' "$out/kbuild.log" >&2
	fi
	say "module built in $(secs "$t_build") s: $kdir/hptprobe.ko"

	# --------------------------------------------------------- build initramfs
	payload=$out/payload
	rm -rf "$payload"
	mkdir -p "$payload"
	cp "$repo/qemu/probe/guest/run.sh" "$payload/run.sh"
	{
		printf 'ORDERS=%q\n' "$orders"
		printf 'HAZARD=%q\n' "${hazards# }"
	} >"$payload/config"
	t0=$(now_ms)
	"$here/build-initramfs.sh" --out "$out/initramfs.cpio" \
		--module "$kdir/hptprobe.ko" --payload "$payload" --marker "$marker" \
		--busybox "$HPTFUZZ_BUSYBOX" || die "initramfs build failed"
	t_initrd=$(($(now_ms) - t0))

	# ------------------------------------------------------------------- boot
	hptfuzz_qemu_cmd "$accel" "$cpu" "$big" "$HPTFUZZ_VMLINUX" \
		"$out/initramfs.cpio" "console=hvc0 disable_radix panic=-1"
	qemu=("${qemu_cmd[@]}")
	log=$out/console.log
	times=$out/times
	say "booting ($accel, timeout ${tmo}s): ${qemu[*]}"
	say "console log: $log"

	# Stream the console so the host can timestamp milestones as they happen;
	# the log itself is the raw console (QEMU's own stderr included, which is
	# where an abort message lands).
	: >"$times"
	t_qemu=$(now_ms)
	# The exit status travels through a file so that a QEMU killed by a
	# signal (abort) is reported by the subshell into the log instead of
	# the shell dumping the whole pipeline on our stderr.
	rm -f "$out/qemu.rc"
	set +e
	{
		timeout --kill-after=10 "$tmo" "${qemu[@]}"
		echo $? >"$out/qemu.rc"
	} </dev/null 2>&1 |
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%$'\r'}
			printf '%s\n' "$line"
			case "$line" in
			"Preparing to boot Linux"*)
				echo "prom_init $(now_ms)" >>"$times" ;;
			"Booting Linux via __start()"*)
				echo "kernel $(now_ms)" >>"$times" ;;
			*"Run /init as init process"*)
				echo "run_init $(now_ms)" >>"$times" ;;
			HPTFUZZ-INIT\ uptime=*)
				echo "init $(now_ms)" >>"$times" ;;
			"$marker "*)
				echo "end $(now_ms)" >>"$times" ;;
			esac
		done >"$log"
	set -e
	qemu_rc=$(cat "$out/qemu.rc" 2>/dev/null || echo "?")
	t_total=$(($(now_ms) - t_qemu))

	t_prom=$(ms_at prom_init)
	t_kernel=$(ms_at kernel)
	t_run_init=$(ms_at run_init)
	t_init=$(ms_at init)
}

if [ -n "$check_log" ]; then
	[ -f "$check_log" ] || die "no such log: $check_log"
	log=$check_log
	qemu_rc="n/a" t_build="" t_initrd="" t_total=""
	t_prom="" t_kernel="" t_run_init="" t_init=""
else
	run_qemu
fi

# ---------------------------------------------------------------- verdict
# Expected index of an entry after a resize, recomputed from its V and R,
# its index in the old table and the two orders (docs/hpt.md, "Recovering
# the hash from an entry").  Prints "invalid" for a bad page-size encoding.
expect_idx() {
	local v=$1 r=$2 pidx=$3 pord=$4 nord=$5
	local shift=12 lp lphi avpn vsid off hash g slot omask nmask
	if ((v & 0x4)); then
		lp=$(((r >> 12) & 0xf))
		lphi=$(((r >> 16) & 0xf))
		case "$lp:$lphi" in
		0:0) shift=24 ;;
		1:*) shift=16 ;;
		3:0) shift=34 ;;
		7:*) shift=12 ;;
		8:0) shift=16 ;;
		8:3) shift=12 ;;
		*) echo invalid; return 0 ;;
		esac
	fi
	omask=$(((1 << (pord - 7)) - 1))
	nmask=$(((1 << (nord - 7)) - 1))
	slot=$((pidx & 7))
	g=$((pidx >> 3))
	if ((v & 0x2)); then
		g=$((~g))
	fi
	avpn=$(((v & 0x3fffffffffffff80) >> 7))
	avpn=$((avpn & ~(((1 << shift) - 1) >> 23)))
	if (((v >> 62) == 0)); then
		off=$(((avpn & 0x1f) << 23))
		vsid=$((avpn >> 5))
		if ((shift < 23)); then
			off=$((off | (((vsid ^ g) & omask) << shift)))
		fi
		hash=$((vsid ^ (off >> shift)))
	else
		off=$(((avpn & 0x1ffff) << 23))
		vsid=$((avpn >> 17))
		if ((shift < 23)); then
			off=$((off | (((vsid ^ (vsid << 25) ^ g) & omask) << shift)))
		fi
		hash=$((vsid ^ (vsid << 25) ^ (off >> shift)))
	fi
	hash=$((hash & 0x7fffffffff))
	if ((v & 0x2)); then
		hash=$((~hash))
	fi
	echo $(((hash & nmask) * 8 + slot))
}

declare -A E_V E_R E_IDX E_ORD E_BOLT E_DESC E_SET
names=()
fails=0
checks=0
resize_res="" resize_from="" resize_to="" resize_now=""
phase=start
nresize=0
fork_bad=0
resize_cs=()
scans=()
bad() {
	say "FAIL: $*"
	fails=$((fails + 1))
}
ok() {
	say "ok: $*"
	checks=$((checks + 1))
}

end_rc=""
while IFS= read -r line; do
	case "$line" in
	"$marker "*)
		end_rc=${line#"$marker "rc=}
		end_rc=${end_rc%% *}
		continue
		;;
	"HPTPROBE "*) ;;
	*) continue ;;
	esac
	declare -A f=()
	read -r -a toks <<<"${line#HPTPROBE }"
	kind=${toks[0]}
	for t in "${toks[@]:1}"; do
		case "$t" in
		*=*) f[${t%%=*}]=${t#*=} ;;
		esac
	done
	n=${f[name]:-}
	if [ -n "${f[err]:-}" ]; then
		bad "guest reported: $line"
		continue
	fi
	case "$kind" in
	enter)
		desc="$([ "${f[bolted]}" = 1 ] && echo bolted || echo non-bolted)"
		case "${f[shift]}" in
		12) desc="$desc 4K-page" ;;
		16) desc="$desc 64K-page" ;;
		24) desc="$desc 16M-page" ;;
		*) desc="$desc shift-${f[shift]}-page" ;;
		esac
		desc="$desc $([ "${f[ssize]}" = 1 ] && echo 1T || echo 256M)-seg"
		desc="$desc $([ "${f[secondary]}" = 1 ] && echo secondary || echo primary)"
		desc="$desc $([ "${f[flags]}" = 0x0 ] && echo any-slot || echo H_EXACT)"
		if [ "${f[rc]}" != 0 ]; then
			if [ "${f[shift]}" = 24 ] && [ "$big" = 0 ] &&
				[ "${f[rc]}" = -4 ]; then
				ok "$n ($desc): H_ENTER rc=-4 (H_PARAMETER) as expected without cap-hpt-max-page-size=16M"
			else
				bad "$n ($desc): H_ENTER rc=${f[rc]}"
			fi
			continue
		fi
		names+=("$n")
		E_V[$n]=${f[v]}
		E_R[$n]=${f[r]}
		E_IDX[$n]=${f[idx]}
		E_ORD[$n]=${f[order]}
		E_BOLT[$n]=${f[bolted]}
		E_DESC[$n]=$desc
		E_SET[$n]=${f[set]}
		ok "$n ($desc): inserted at index ${f[idx]} in order ${f[order]} (v=${f[v]} r=${f[r]})"
		;;
	read)
		if [ "${f[rc]}" = 0 ] && [ "${f[rc4]}" = 0 ] &&
			[ "${f[match]}" = 1 ] && [ "${f[same4]}" = 1 ]; then
			checks=$((checks + 1))
		else
			bad "$n: H_READ/H_READ_4 at ${f[idx]} disagree or miss: $line"
		fi
		;;
	resize)
		resize_res=${f[result]}
		resize_from=${f[from]}
		resize_to=${f[to]}
		resize_now=${f[now]}
		resize_cs+=("${f[cs]}")
		if [ "${f[fork_ok]:-1}" = 0 ]; then
			fork_bad=$((fork_bad + 1))
		fi
		nresize=$((nresize + 1))
		phase=resized
		if [ "$resize_res" = ok ] && [ "${f[now]}" = "$resize_to" ]; then
			ok "resize $resize_from -> $resize_to done in $((f[cs] * 10)) ms (guest clock)"
		else
			say "note: resize $resize_from -> $resize_to failed (now ${f[now]}); entries must stay put"
		fi
		;;
	find)
		[ -n "${E_V[$n]:-}" ] || continue
		if [ "$phase" = removed ]; then
			if [ "${f[found]}" != -1 ]; then
				bad "$n still in the table at ${f[found]} after H_REMOVE"
			fi
			continue
		fi
		pidx=${E_IDX[$n]} pord=${E_ORD[$n]} nord=${f[order]}
		if [ "$nord" != "$resize_now" ]; then
			bad "$n: module sees order $nord, hpt_order says $resize_now"
		fi
		how="was at"
		[ "$nresize" -gt 1 ] || how="inserted at"
		if [ "$pidx" = -1 ]; then
			want=-1 why="already gone"
		elif [ "$resize_res" != ok ]; then
			want=$pidx why="resize failed, table unchanged"
		elif [ "${E_BOLT[$n]}" != 1 ]; then
			want=-1 why="non-bolted entries are dropped"
		else
			want=$(expect_idx "${E_V[$n]}" "${E_R[$n]}" "$pidx" "$pord" "$nord")
			why="computed from the hash"
		fi
		if [ "${E_SET[$n]}" != 0 ]; then
			say "hazard $n: order $pord idx $pidx -> order $nord found ${f[found]} (host expects $want, module ${f[expected]})"
		elif [ "${f[found]}" = "$want" ] && [ "${f[count]}" -le 1 ]; then
			if [ "$want" != -1 ] && [ "${E_BOLT[$n]}" = 1 ] &&
				[ "$resize_res" = ok ] && [ "${f[expected]}" != "$want" ]; then
				bad "$n: module's forward hash ${f[expected]} != host's recovered $want"
			elif [ "$want" != -1 ] &&
				(((f[v] & ~0x60) != (E_V[$n] & ~0x60) ||
					(f[r] & ~0x180) != (E_R[$n] & ~0x180))); then
				bad "$n: moved to $want but V/R changed: v=${f[v]} r=${f[r]}"
			else
				ok "$n (${E_DESC[$n]}): $how index $pidx in order $pord; after resize to order $nord found at index ${f[found]}, expected $want ($why)"
			fi
		else
			bad "$n (${E_DESC[$n]}): order $pord index $pidx -> order $nord: found ${f[found]} (count ${f[count]}), expected $want ($why)"
		fi
		E_IDX[$n]=${f[found]}
		E_ORD[$n]=$nord
		;;
	remove)
		phase=removed
		if [ "${f[skipped]:-}" = gone ]; then
			continue
		fi
		if [ "${f[rc]}" = 0 ] && ((!(f[after_v] & 1))); then
			ok "$n: H_REMOVE at ${f[idx]} rc=0, slot now invalid"
		else
			bad "$n: H_REMOVE at ${f[idx]}: $line"
		fi
		;;
	variant)
		# What the hypervisor makes of unusual H_ENTER arguments: told,
		# not judged (QEMU and KVM-HV legitimately differ here).
		if [ "${f[rc]}" = 0 ]; then
			say "variant ${f[name]}: H_ENTER rc=0 at ${f[idx]}, reads back v=${f[read_v]} r=${f[read_r]} (entered v=${f[v]} r=${f[r]}), H_REMOVE rc=${f[remove_rc]}"
		else
			say "variant ${f[name]}: H_ENTER rc=${f[rc]}"
		fi
		;;
	guest)
		guest_order=${f[start_order]}
		;;
	scan)
		scans+=("order ${f[order]}: $((f[us] / 1000)) ms")
		;;
	order)
		# the module's view (htab_hash_mask) against debugfs hpt_order
		if [ "${f[order]}" = "${guest_order:-}" ]; then
			ok "HPT order $guest_order (debugfs hpt_order and the kernel's htab_hash_mask agree)"
		else
			bad "module says order ${f[order]}, hpt_order says ${guest_order:-?}"
		fi
		;;
	*) bad "unparsed: $line" ;;
	esac
	unset f
done < <(tr -d '\r' <"$log")

# ---------------------------------------------------------------- summary
kernel_ms=$(grep -o 'HPT resize to shift [0-9]* complete ([0-9]* ms / [0-9]* ms)' "$log" |
	sed 's/.*(\(.*\))/\1/' | paste -sd, - || true)
opt_secs() { if [ -n "$1" ]; then echo "$(secs "$1") s"; else echo n/a; fi; }
if [ -z "$check_log" ]; then
	say "timings: module build $(opt_secs "$t_build")," \
		"initramfs $(opt_secs "$t_initrd")," \
		"QEMU start -> firmware hands over $(opt_secs "$t_prom")," \
		"-> kernel entry $(opt_secs "$t_kernel")," \
		"-> kernel runs /init $(opt_secs "$t_run_init")," \
		"-> init script $(opt_secs "$t_init")," \
		"whole QEMU run $(opt_secs "$t_total")"
fi
if [ "$nresize" -gt 0 ]; then
	say "resizes: $nresize, guest-side cs each: ${resize_cs[*]}; kernel (prepare / commit): ${kernel_ms:-n/a}"
fi
if [ ${#scans[@]} -gt 0 ]; then
	say "full-table H_READ_4 scans: $(printf '%s; ' "${scans[@]}")"
fi

segv=$(grep -c 'segfault' "$log" || true)
if [ "$fork_bad" -gt 0 ] || [ "$segv" -gt 0 ]; then
	# Not counted against the verdict: it is the emulator's doing, not
	# the HPT contents this probe checks (see docs in the report).
	say "WARNING: $fork_bad of $nresize resizes were followed by a crashed" \
		"fork child; $segv guest segfault line(s) in the log"
fi

if [ -z "$end_rc" ]; then
	say "VERDICT: NO END MARKER (QEMU exit status $qemu_rc: 124 timeout, 134 abort)"
	abort=$(grep -E '^qemu-system-ppc64:' "$log" | grep -v warning | tail -n 3 || true)
	[ -z "$abort" ] || say "QEMU said: $abort"
	tail -n 5 "$log" | sed 's/^/  | /'
	exit 2
fi
if [ "$end_rc" != 0 ]; then
	bad "guest script exit code $end_rc"
fi
if [ "$fails" -gt 0 ]; then
	say "VERDICT: WRONG ($fails failed, $checks passed); see $log"
	exit 1
fi
say "VERDICT: OK ($checks checks passed)"
