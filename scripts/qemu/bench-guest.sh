#!/bin/bash
# The capture benchmark in a guest, once per driver, and the module's added
# cost per syscall as a ratio to the BPF probe's (absolute times under
# emulation mean little; the ratio on one guest does). GNU dd goes in: it
# prints its own time, where busybox dd does not.
# usage: bench-guest.sh VERSION [COUNT] [RUNS]
set -euo pipefail
[ $# -ge 1 ] || { echo "bench-guest: usage: bench-guest.sh 5.10|6.1|6.12 [COUNT] [RUNS]" >&2; exit 1; }
version=$1 count=${2:-300000} runs=${3:-3}
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
ko=$build/kmod-$version/kcap.ko
[ -f "$ko" ] || { echo "bench-guest: $ko is not built (make matrix builds it)" >&2; exit 1; }
mkdir -p "$build/tools"
cp /usr/bin/dd "$build/tools/dd"	# GNU dd: busybox's would shadow /usr/bin/dd
out=$(mktemp)
trap 'rm -f "$out"' EXIT
scripts/qemu/run-guest.sh "$version" --module "$ko" --file "$build/kcap" \
	--file "$build/bench/bench_floor" --file bench/bench_capture.sh --file "$build/tools/dd" \
	-- sh -c "
for d in bpf kmod; do
	DD=$build/tools/dd KCAP_DRIVER=\$d sh bench/bench_capture.sh $build/kcap $count $runs || exit 1
done" | tee "$out"
# The 'every event' line, BPF first: its added ns/call (the third figure) and
# its multiple of the floor probe's (the last), timed in the same batch. A
# guest's speed drifts between the two batches: the ratio of the multiples
# holds where the ratio of the ns does not.
awk '/^kcap, every event to .scap/ { for (i = 1; $i !~ /^[0-9.]+$/; i++);
					added[n + 0] = $(i + 2); fl[n++] = $NF }
	END { if (n != 2 || added[0] <= 0 || fl[0] <= 0) { print "bench-guest: no figures"; exit 1 }
	      printf "kernel '"$version"': module adds %.1f ns/call, %.2fx the floor; BPF probe %.1f, " \
		     "%.2fx the floor: ratio kmod/bpf %.2f\n", added[1], fl[1], added[0], fl[0],
		     fl[1] / fl[0] }' "$out"
