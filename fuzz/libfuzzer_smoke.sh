#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fuzz one target for a few seconds from its seeds into a scratch corpus;
# fails on any crash, sanitizer report or divergence (libFuzzer exits 1).
set -euo pipefail
target=$1 seconds=$2 work=$3
shift 3
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
# The target's dictionary (fuzz/NAME.dict for build/*/fuzz/fuzz_NAME)
dict=$(dirname "$0")/${target##*/fuzz_}.dict
dict_args=()
[[ -f $dict ]] && dict_args=(-dict="$dict")
"$target" -max_total_time="$seconds" -print_final_stats=1 "${dict_args[@]}" \
	-artifact_prefix="$work/artifacts/" "$work/corpus" "$@"
