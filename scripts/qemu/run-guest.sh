#!/bin/bash
# Boots a Debian kernel in qemu (TCG: no KVM here) with a busybox initramfs,
# runs one command in it and exits with that command's status.
# usage: run-guest.sh VERSION [--module KO]... [--swap MB] [--file PATH]... -- COMMAND ARGS...
# --swap MB gives the guest MB MiB of swap on zram (see make-initramfs.sh).
# The guest gets the command's program, every existing file named in ARGS and
# the --file paths, at their host paths, and starts in the current directory.
# The console streams to stdout and to $KCAP_QEMU_DIR/guest-NAME.log
# (default build/qemu; NAME: $KCAP_QEMU_NAME, default VERSION). Exits 125 with a one-line reason when the guest never
# reports the command's status (timeout after $KCAP_QEMU_TIMEOUT seconds,
# default 900; panic) or when the kernel log has a warning, an oops, a BUG, a
# lockdep, KASAN or UBSAN report, or a lockup.
set -euo pipefail

die() { echo "run-guest: $*" >&2; exit 125; }

[ $# -ge 1 ] || die "usage: run-guest.sh VERSION [--module KO]... [--swap MB] [--file PATH]... -- COMMAND ARGS..."
version=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
extra=() files=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	case $1 in
	--module) [ $# -ge 2 ] || die "--module needs a path"; extra+=(--module "$2"); shift 2 ;;
	--swap) [ $# -ge 2 ] || die "--swap needs a size in MiB"; extra+=(--swap "$2"); shift 2 ;;
	--file) [ $# -ge 2 ] || die "--file needs a path"; files+=("$2"); shift 2 ;;
	*) die "unknown option $1 (usage: run-guest.sh VERSION [--module KO]... [--swap MB] [--file PATH]... -- COMMAND ARGS...)" ;;
	esac
done
[ $# -ge 2 ] || die "no command given after --"
shift
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (run scripts/install-deps.sh)"

# The program (busybox applets need nothing) and the files named in ARGS.
# (Not "busybox --list | grep -q": with pipefail, grep's early exit fails it.)
applets=$(/bin/busybox --list)
if [[ $1 != */* ]] && ! grep -qx -- "$1" <<<"$applets"; then
	prog=$(command -v "$1") || die "$1: command not found"
	files+=("$prog")
fi
for arg in "$@"; do
	if [[ $arg == */* ]] && [ -f "$arg" ]; then files+=("$arg"); fi
done

# One guest at a time on this machine (the cores are shared), and runs from
# other checkouts share the work directory: lock before building anything.
exec 9>"${TMPDIR:-/tmp}/kcap-qemu.lock"
if ! flock -n 9; then
	echo "run-guest: waiting for another qemu guest to finish" >&2
	flock 9
fi
# Both helpers explain their own failures in one line.
kernel=$("$here/fetch-kernel.sh" "$version") || exit 125
work=${KCAP_QEMU_DIR:-$here/../../build/qemu}
mkdir -p "$work"
work=$(cd "$work" && pwd)
name=${KCAP_QEMU_NAME:-$version}
initrd=$work/initramfs-$name.cpio.gz log=$work/guest-$name.log
script="mkdir -p $(printf '%q' "$PWD") && cd $(printf '%q' "$PWD") || exit 125
$(printf '%q ' "$@")"
"$here/make-initramfs.sh" "$version" "$initrd" ${extra[@]+"${extra[@]}"} --command "$script" \
	${files[@]+"${files[@]}"} || exit 125

timeout=${KCAP_QEMU_TIMEOUT:-900}
start=$(date +%s)
set +e
# quiet: the console shows only the kernel's errors while the command runs;
# /init prints the whole kernel log at the end, which goes to the log file
# only. The firmware's terminal escapes and the CRs are dropped.
# One host thread runs both vCPUs (thread=single): with a thread per vCPU
# (MTTCG), this qemu (7.2) lets a vCPU run stale code while the kernel patches
# its text live (static keys: attaching a tracepoint), which crashes 6.12
# ("Oops: int3" in syscall_trace_enter) and locks up 5.10 and 6.1 (soft
# lockups) within a minute of toggling raw_syscalls tracepoints in tracefs.
# shellcheck disable=SC2086 # KCAP_QEMU_OPTS: extra qemu options, split.
timeout -k 10 "$timeout" qemu-system-x86_64 -nographic -no-reboot -m 2G -smp 2 -cpu max \
	-accel "${KCAP_QEMU_ACCEL:-tcg,thread=single}" ${KCAP_QEMU_OPTS:-} \
	-kernel "$kernel/vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic quiet ${KCAP_QEMU_APPEND:-}" </dev/null 2>&1 |
	sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//' | tee "$log" |
	awk -v logf="$log" '/^KCAP_DMESG_BEGIN$/ { skip = 1; n = 0; next }
		/^KCAP_DMESG_END$/ { skip = 0; print "(kernel log: " n " lines in " logf ")"; next }
		skip { n++; next } { print; fflush() }'
qemu_status=${PIPESTATUS[0]}
set -e
took=$(($(date +%s) - start))
echo "run-guest: kernel $version ($(cat "$kernel/release")): guest ran ${took}s, log $log" >&2

status=$(sed -n 's/^KCAP_GUEST_EXIT=\([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$status" ]; then
	[ "$qemu_status" = 124 ] && die "kernel $version: the guest timed out after ${timeout}s (see $log)"
	why=$(grep -m1 -E 'Kernel panic|end Kernel panic' "$log" || true)
	die "kernel $version: the guest never reported its exit status (qemu status $qemu_status${why:+; $why}) (see $log)"
fi
# The kernel log: what /init printed from dmesg, and printk lines on the
# console. A finding is shown with what follows it (usually its stack).
klog=$(awk '/^KCAP_DMESG_BEGIN$/ { in_log = 1; next } /^KCAP_DMESG_END$/ { in_log = 0; next }
	in_log || /^\[ *[0-9]+\.[0-9]+\]/' "$log")
# A user process's own fault ("traps: prog[pid] general protection fault ip:...")
# is not the kernel's.
bad_re='WARNING:|Oops|BUG:|Call Trace|general protection|KASAN|UBSAN|lockdep|circular locking|inconsistent lock state|soft lockup|blocked for more than'
klog=$(grep -v -E 'traps: .*\[[0-9]+\] general protection' <<<"$klog" || true)
bad=$(grep -m1 -E "$bad_re" <<<"$klog" || true)
if [ -n "$bad" ]; then
	grep -m1 -A 20 -E "$bad_re" <<<"$klog" >&2
	die "kernel $version: the kernel log has: $bad (see $log)"
fi
exit "$status"
