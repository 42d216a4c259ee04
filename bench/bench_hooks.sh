#!/bin/sh
# Hook benchmark: what sched_switch and the page fault hooks capture, with 0
# drops, from workloads that make them fire (two threads ping-ponging over
# pipes on one CPU; a process writing fresh pages), each timed without and
# with capture in one run. Best of RUNS.
# usage: [KCAP_DRIVER=bpf|kmod] bench_hooks.sh KCAP_BINARY WORKLOADS_BINARY [N] [RUNS]
set -eu
kcap=$1 work=$2 n=${3:-200000} runs=${4:-3}
driver=${KCAP_DRIVER:-auto}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seconds() { # the workload's "in X s"
	sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$1" | tail -n 1
}

# best CMD...: the best of runs of the workload's own time; the last run's
# kcap report stays in $out/report.
best() {
	b=""
	i=0
	while [ $i -lt "$runs" ]; do
		"$@" >"$out/out" 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
		s=$(seconds "$out/out")
		[ -n "$s" ] || { cat "$out/out" "$out/err" >&2; exit 1; }
		grep '^kcap:' "$out/err" >"$out/report" || true
		b=$(awk -v a="$s" -v b="$b" 'BEGIN { print (b == "" || a < b) ? a : b }')
		i=$((i + 1))
	done
	echo "$b"
}

printf 'hooks, driver %s, best of %s runs, times from the workloads\n' "$driver" "$runs"
printf '%-44s %8s %8s %12s %s\n' "workload" "bare s" "kcap s" "events/s" "drops"
for w in "pingpong:switch" "faults:page_fault"; do
	name=${w%%:*} ev=${w##*:}
	bare=$(best "$work" "$name" "$n")
	cap=$(best "$kcap" capture -d "$driver" -e "$ev" -w "$out/x.scap" -- "$work" "$name" "$n")
	events=$(sed -n 's/^kcap: \([0-9]*\) events written.*/\1/p' "$out/report")
	drops=$(sed -n 's/^kcap: drops: \(.*\);.*/\1/p' "$out/report")
	awk -v w="$name ($n) with -e $ev" -v b="$bare" -v c="$cap" -v e="$events" -v d="$drops" \
		'BEGIN { printf "%-44s %8.3f %8.3f %12.0f %s\n", w, b, c, e / c, d }'
done
