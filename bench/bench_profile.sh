#!/bin/bash
# Where dd's time goes while kcap captures every syscall (BPF): perf samples
# dd alone (cpu-clock, kernel and user) while kcap captures the whole machine
# to a file, then sums the samples per part of the path. The parts' shares,
# times dd's time per syscall, give the nanoseconds each part costs.
# usage: bench_profile.sh KCAP_BINARY [COUNT]   (needs perf: Debian's linux-perf)
set -euo pipefail
kcap=$1 count=${2:-2000000}
command -v perf >/dev/null || { echo "bench_profile: perf is not installed (linux-perf)" >&2; exit 1; }
out=$(mktemp -d)
trap 'kill $kpid 2>/dev/null || true; rm -rf "$out"' EXIT
"$kcap" capture -d bpf --progress -w "$out/all.scap" 2>"$out/kcap.err" &
kpid=$!
# Capturing once the first status line is out (loading the probe takes seconds).
for i in $(seq 300); do
	grep -q 'events/s' "$out/kcap.err" && break
	kill -0 $kpid 2>/dev/null || { cat "$out/kcap.err" >&2; exit 1; }
	sleep 0.1
done
# dd's time as it is under capture, then its profile (sampling slows it).
dd if=/dev/zero of=/dev/null bs=1 count="$count" 2>"$out/dd.err"
perf record -q -e cpu-clock -F 2000 -o "$out/perf.data" -- \
	dd if=/dev/zero of=/dev/null bs=1 count="$count" 2>/dev/null
kill -INT $kpid
wait $kpid || true
grep -e '^kcap: [0-9]* events written' -e '^kcap: drops' "$out/kcap.err" >&2 || true
secs=$(sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' "$out/dd.err")
perf report -i "$out/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null |
	awk -v secs="$secs" -v calls=$((count * 2)) '
	function part(s) {
		if (s ~ /kcap_hook_sys_exit/) return "dispatch program (BPF)"
		if (s ~ /bpf_prog_.*_fill_/) return "filler programs (BPF)"
		if (s ~ /bpf_get_current_task|bpf_task_pt_regs/) return "current task, registers (helpers)"
		if (s ~ /ktime|read_tsc/) return "timestamp (bpf_ktime_get_boot_ns)"
		if (s ~ /probe_read_user|copy_from_user_nofault|check_object_size|check_stack_object|is_vmalloc_addr|virt_addr_valid|nmi_uaccess_okay/)
			return "user-memory read (bpf_probe_read_user)"
		if (s ~ /ringbuf|memcpy/) return "ring write (bpf_ringbuf_output)"
		if (s ~ /htab|lookup_nulls|memcmp/) return "hash lookups"
		if (s ~ /bpf_trace_run|__bpf_trace|rcu_read|syscall_exit_work|syscall_trace_enter|migrate_/)
			return "tracepoint call (raw_tp)"
		if (s ~ /^\[\.\]/) return "dd in user space"
		return "the syscalls themselves, other kernel"
	}
	/%/ { pct = $1; sub(/%/, "", pct); $1 = ""; sym = substr($0, 2); share[part(sym)] += pct; all += pct }
	END {
		ns = secs * 1e9 / calls
		printf "dd: %s s for %d syscalls under capture (without perf): %.0f ns per syscall\n",
		       secs, calls, ns
		printf "%-44s %8s %12s\n", "part", "share", "ns/syscall"
		n = split("dd in user space|the syscalls themselves, other kernel|" \
			  "tracepoint call (raw_tp)|dispatch program (BPF)|" \
			  "current task, registers (helpers)|hash lookups|" \
			  "timestamp (bpf_ktime_get_boot_ns)|filler programs (BPF)|" \
			  "user-memory read (bpf_probe_read_user)|ring write (bpf_ringbuf_output)", keys, "|")
		for (i = 1; i <= n; i++)
			printf "%-44s %7.1f%% %12.0f\n", keys[i], share[keys[i]],
			       share[keys[i]] / all * ns
	}'
