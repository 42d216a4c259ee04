#!/bin/bash
# Sustained throughput: two dd's of 1-byte reads and writes at once, one per
# CPU of a 2-CPU machine, every syscall captured, with the file written
# (-w) and without (--discard), per ring size. Prints the events kcap
# read per second of the run and what it dropped: the rate it sustains is
# the best one with no drop, and the smallest ring that gave it.
# usage: bench_sustained.sh KCAP_BINARY [COUNT] [RING_SIZES]
set -euo pipefail
kcap=$1 count=${2:-2000000} sizes=${3:-"1048576 4194304 8388608 33554432"}
driver=${KCAP_DRIVER:-auto}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dd_cmd="dd if=/dev/zero of=/dev/null bs=1 count=$count"
printf '2 x %s syscalls (two dd bs=1 count=%s at once), driver %s\n' $((count * 2)) "$count" \
	"$driver"
printf '%-10s %-10s %12s %12s %10s %14s\n' "ring" "sink" "events" "drops" "seconds" "events/s"
for size in $sizes; do
	for sink in file discard; do
		case $sink in
		file) sink_opts=(-w "$out/s.scap") ;;
		discard) sink_opts=(--discard) ;;
		esac
		start=$(date +%s.%N)
		"$kcap" capture -d "$driver" --ring-size "$size" "${sink_opts[@]}" -- \
			sh -c "$dd_cmd 2>/dev/null & $dd_cmd 2>/dev/null; wait" 2>"$out/err" ||
			{ cat "$out/err" >&2; exit 1; }
		end=$(date +%s.%N)
		events=$(sed -n 's/^kcap: \([0-9]*\) events \(written\|read\).*/\1/p' "$out/err")
		drops=$(sed -n 's/^kcap: drops: \([0-9]*\) ring full.*/\1/p' "$out/err")
		awk -v r="$size" -v k="$sink" -v e="$events" -v d="$drops" -v s="$start" -v t="$end" \
			'BEGIN { printf "%-10s %-10s %12d %12d %10.2f %14.0f\n", r / 1048576 " MiB", k,
				 e, d, t - s, e / (t - s) }'
		rm -f "$out/s.scap"
	done
done
