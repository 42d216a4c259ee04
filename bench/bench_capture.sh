#!/bin/sh
# Capture benchmark: 6 million 1-byte read+write syscalls (dd bs=1), timed
# in one run: without capture, with kcap writing every event of the
# workload to a .scap file, with the probe attached but no syscall of
# interest, the same with the sched_switch and page fault hooks attached
# too, and with every syscall of interest but a --scope that lets none of
# dd's in (by uid, comm, mount namespace, cgroup): the scope is checked in
# the kernel before an event is built, so these should cost about what the
# no-interest path does ("x none": their added time over its added time).
# The floor probe (bench/floor, "x floor": added time over its added time)
# writes a 46-byte event per syscall into the same rings with nothing else:
# the least this design costs. Times are dd's own; each way runs RUNS
# times and the best counts.
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
floor_bin=$(dirname "$kcap")/bench/bench_floor
floor=""
[ -x "$floor_bin" ] && floor=$(best "$floor_bin" $dd_cmd)
full=$(best "$kcap" capture -d "$driver" -w "$out/all.scap" -- $dd_cmd)
grep '^kcap:' "$out/err" > "$out/full.report"
none=$(best "$kcap" capture -d "$driver" -w "$out/none.scap" --events chroot -- $dd_cmd)
grep '^kcap:' "$out/err" > "$out/none.report"
hooks=$(best "$kcap" capture -d "$driver" -w "$out/hooks.scap" --events chroot,switch,page_fault \
	-- $dd_cmd)
# Scopes that exclude dd, whose uid is ours and mount namespace the initial one.
scoped() {
	best "$kcap" capture -d "$driver" -w "$out/scope.scap" --scope "$1" -- $dd_cmd
}
s_uid=$(scoped "uid!=$(id -u)")
s_comm=$(scoped "comm!=dd")
s_mntns=$(scoped "mntns=1")
# A cgroup dd is not in: one the bench makes under the cgroup v2 mount, if any.
cg=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
	/proc/self/mountinfo | head -n 1)
s_cgroup=""
if [ -n "$cg" ] && mkdir -p "$cg/kcap-bench-empty" 2>/dev/null; then
	s_cgroup=$(scoped "cgroup=$cg/kcap-bench-empty")
	rmdir "$cg/kcap-bench-empty"
fi

events=$(sed -n 's/^kcap: \([0-9]*\) events written.*/\1/p' "$out/full.report")
drops=$(sed -n 's/^kcap: drops: \([0-9]*\) ring full, \([0-9]*\) too large.*/\1 ring full, \2 too large/p' "$out/full.report")
printf '%s syscalls (dd bs=1 count=%s), driver %s, best of %s runs, times from dd\n' "$syscalls" \
	"$count" "$driver" "$runs"
printf '%-38s %8s %8s %14s %8s %8s\n' "way" "seconds" "x bare" "added ns/call" "x none" \
	"x floor"
for way in "no capture:$bare" "floor probe (46 bytes, no file):$floor" \
	"kcap, every event to .scap:$full" \
	"kcap, no syscall of interest:$none" "  the same, switch and page_fault on:$hooks" \
	"kcap, all of interest, scope uid:$s_uid" "  the same, scope comm:$s_comm" \
	"  the same, scope mntns:$s_mntns" "  the same, scope cgroup:$s_cgroup"; do
	name=${way%%:*} t=${way##*:}
	[ -n "$t" ] || continue
	awk -v n="$name" -v t="$t" -v b="$bare" -v c="$syscalls" -v z="$none" -v f="${floor:-0}" \
		'BEGIN { printf "%-38s %8.2f %8.2f %14.1f %8.2f %8.2f\n", n, t, t / b,
			 (t - b) * 1e9 / c, (z > b ? (t - b) / (z - b) : 0),
			 (f > b ? (t - b) / (f - b) : 0) }'
done
printf 'events written: %s, drops: %s; %s\n' "$events" "$drops" \
	"$(awk -v e="$events" -v t="$full" 'BEGIN { printf "%.2f million events/s", e / t / 1e6 }')"
