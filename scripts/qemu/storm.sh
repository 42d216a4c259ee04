#!/bin/sh
# Runs in a guest: the syscall storm (kcap_storm: nobody's processes making
# random syscalls with hostile arguments, forking, exec'ing, threads exiting)
# under a capture of everything, enter events included; then checks that the
# file replays whole and holds what the capture says it wrote, and, with the
# module, that the module unloads. The guest's kernel log is checked by
# run-guest.sh. Prints one line: "storm: ..." or "storm: FAIL: ...".
# usage: storm.sh KCAP KCAP_STORM DRIVER [SECONDS]
kcap=$1 storm=$2 driver=$3 seconds=${4:-30}

fail() { echo "storm: FAIL: $*"; exit 1; }

"$kcap" capture -d "$driver" -E -w /tmp/storm.scap -- "$storm" "$seconds" >/tmp/storm.out 2>&1 ||
	{ rc=$?; cat /tmp/storm.out; fail "kcap capture exited $rc"; }
cat /tmp/storm.out
written=$(sed -n 's/^kcap: \([0-9]*\) events written to .*/\1/p' /tmp/storm.out)
drops=$(sed -n 's/^kcap: drops: \([0-9]*\) ring full, \([0-9]*\) too large.*/\1 ring full, \2 too large/p' \
	/tmp/storm.out)
"$kcap" replay --quiet --stats /tmp/storm.scap 2>/tmp/storm.stats ||
	{ cat /tmp/storm.stats; fail "the file does not replay to its end"; }
read=$(sed -n 's/^events: \([0-9]*\) read.*/\1/p' /tmp/storm.stats)
[ -n "$written" ] && [ "$written" = "$read" ] ||
	fail "kcap says it wrote ${written:-?} events, the file holds ${read:-?}"
[ "$written" -gt 10000 ] || fail "only $written events: the storm did not run"
if [ "$driver" = kmod ]; then
	rmmod kcap || fail "the module does not unload after the storm"
fi
echo "storm: $seconds s, $written events written and replayed (drops: $drops)"
