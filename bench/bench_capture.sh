#!/bin/sh
# Capture benchmark: 6 million 1-byte read+write syscalls (dd bs=1), timed
# four ways in one run: without capture, with kcap writing every event of
# the workload to a .scap file, with the probe attached but no syscall of
# interest, and the same with the sched_switch and page fault hooks attached
# too. Times are dd's own; each way runs RUNS times and the best counts.
# usage: [KCAP_DRIVER=bpf|kmod] [DD=dd] bench_capture.sh KCAP_BINARY [COUNT] [RUNS]
set -eu
kcap=$1 count=${2:-3000000} runs=${3:-3}
driver=${KCAP_DRIVER:-auto}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
syscalls=$((count * 2))

dd_seconds() { # the "copied, X s" of dd's last line
	sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' "$1" | tail -n 1
}

best() { # best of runs for a command writing dd's stderr to $out/err
	b=""
	i=0
	while [ $i -lt "$runs" ]; do
		"$@" 2>"$out/err" >/dev/null
		s=$(dd_seconds "$out/err")
		[ -n "$s" ] || { cat "$out/err" >&2; exit 1; }
		b=$(awk -v a="$s" -v b="$b" 'BEGIN { print (b == "" || a < b) ? a : b }')
		i=$((i + 1))
	done
	echo "$b"
}

dd_cmd="${DD:-dd} if=/dev/zero of=/dev/null bs=1 count=$count"
bare=$(best sh -c "$dd_cmd")
full=$(best "$kcap" capture -d "$driver" -w "$out/all.scap" -- $dd_cmd)
grep '^kcap:' "$out/err" > "$out/full.report"
none=$(best "$kcap" capture -d "$driver" -w "$out/none.scap" --events chroot -- $dd_cmd)
grep '^kcap:' "$out/err" > "$out/none.report"
hooks=$(best "$kcap" capture -d "$driver" -w "$out/hooks.scap" --events chroot,switch,page_fault \
	-- $dd_cmd)

events=$(sed -n 's/^kcap: \([0-9]*\) events written.*/\1/p' "$out/full.report")
drops=$(sed -n 's/^kcap: drops: \([0-9]*\) ring full, \([0-9]*\) too large.*/\1 ring full, \2 too large/p' "$out/full.report")
printf '%s syscalls (dd bs=1 count=%s), driver %s, best of %s runs, times from dd\n' "$syscalls" \
	"$count" "$driver" "$runs"
printf '%-34s %8s %10s %14s\n' "way" "seconds" "x bare" "added ns/call"
for way in "no capture:$bare" "kcap, every event to .scap:$full" \
	"kcap, no syscall of interest:$none" "  the same, switch and page_fault on:$hooks"; do
	name=${way%%:*} t=${way##*:}
	awk -v n="$name" -v t="$t" -v b="$bare" -v c="$syscalls" \
		'BEGIN { printf "%-34s %8.2f %10.2f %14.1f\n", n, t, t / b, (t - b) * 1e9 / c }'
done
printf 'events written: %s, drops: %s; %s\n' "$events" "$drops" \
	"$(awk -v e="$events" -v t="$full" 'BEGIN { printf "%.2f million events/s", e / t / 1e6 }')"
