#!/bin/bash
# Where a captured syscall's cost goes in the BPF probe: the dd workload of
# bench_capture.sh under kcap with the syscall path stopped at each step
# (KCAP_BENCH_STAGE, kcap_abi.h), beside no capture and the floor probe.
# The ways run in turns, ROUNDS times, and each keeps its best: a noisy
# machine moves all of them alike. Prints, per way, the time dd added per
# syscall and what the step added to the one before.
# usage: bench_stages.sh KCAP_BINARY [COUNT] [ROUNDS]
set -euo pipefail
kcap=$1 count=${2:-1000000} rounds=${3:-5}
floor_bin=$(dirname "$kcap")/bench/bench_floor
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dd_cmd="dd if=/dev/zero of=/dev/null bs=1 count=$count"
ways=(bare floor dispatch begin tail_call fill no_user_data all)
declare -A what=(
	[bare]="no capture"
	[floor]="floor probe: 46 bytes into the ring"
	[dispatch]="row found, task in scope"
	[begin]="+ nesting level, header, arguments"
	[tail_call]="+ tail call into the filler"
	[fill]="+ parameters filled (not written)"
	[no_user_data]="all but the user-memory reads"
	[all]="+ written to the ring: kcap whole"
)
declare -A best

run() {
	case $1 in
	bare) $dd_cmd ;;
	floor) "$floor_bin" $dd_cmd ;;
	all) "$kcap" capture -d bpf -w "$out/s.scap" -- $dd_cmd ;;
	*) KCAP_BENCH_STAGE=$1 "$kcap" capture -d bpf -w "$out/s.scap" -- $dd_cmd ;;
	esac
}

[ -x "$floor_bin" ] || ways=("${ways[@]/floor/}")
for ((r = 0; r < rounds; r++)); do
	for w in ${ways[@]}; do
		run "$w" 2>"$out/err" >/dev/null || { cat "$out/err" >&2; exit 1; }
		s=$(sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' "$out/err" | tail -n 1)
		[ -n "$s" ] || { cat "$out/err" >&2; exit 1; }
		best[$w]=$(awk -v a="$s" -v b="${best[$w]:-}" 'BEGIN { print (b == "" || a < b) ? a : b }')
	done
done
printf '%s syscalls (dd bs=1 count=%s), BPF, best of %s rounds in turns, times from dd\n' \
	$((count * 2)) "$count" "$rounds"
printf '%-16s %-38s %8s %10s %10s\n' "stage" "" "seconds" "ns/call" "step"
prev=""
for w in ${ways[@]}; do
	awk -v w="$w" -v d="${what[$w]}" -v t="${best[$w]}" -v b="${best[bare]}" -v p="$prev" \
		-v c=$((count * 2)) 'BEGIN {
			a = (t - b) * 1e9 / c
			if (p != "" && w != "floor" && w != "no_user_data")
				printf "%-16s %-38s %8.3f %10.1f %+10.1f\n", w, d, t, a, a - (p - b) * 1e9 / c
			else
				printf "%-16s %-38s %8.3f %10.1f %10s\n", w, d, t, a, ""
		}'
	case $w in bare | dispatch | begin | tail_call | fill) prev=${best[$w]} ;; esac
done
