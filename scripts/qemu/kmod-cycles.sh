#!/bin/sh
# Runs in a guest: load the module, capture, unload, N times, then one capture
# across CPU hotplug; fails on any error, or when kernel memory grew (a leak)
# across the cycles.
# usage: kmod-cycles.sh KCAP_KO KCAP [N]
# Odd cycles load with insmod, even ones let `kcap capture --kmod` load and
# unload it, so both paths are exercised.
ko=$1 kcap=$2 n=${3:-50}

# kB of kernel memory a leaked ring or table would show in.
mem() {
	awk '/^(SUnreclaim|VmallocUsed|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}

cycle() {
	if [ $(($1 % 2)) = 1 ]; then
		insmod "$ko" ring_bytes=1048576 || return 1
		"$kcap" capture -d kmod -n 300 -w /tmp/cycle.scap -- ls / >/dev/null 2>/tmp/cycle.err ||
			{ cat /tmp/cycle.err; return 1; }
		rmmod kcap || return 1
	else
		"$kcap" capture -d kmod --kmod "$ko" --ring-size 1048576 -n 300 -w /tmp/cycle.scap \
			-- ls / >/dev/null 2>/tmp/cycle.err || { cat /tmp/cycle.err; return 1; }
		[ ! -e /sys/module/kcap ] || { echo "kcap left its module loaded"; return 1; }
	fi
}

# A CPU goes offline and back while the module captures.
hotplug() {
	cpu=/sys/devices/system/cpu/cpu1/online
	[ -w $cpu ] || { echo "kmod-cycles: no CPU hotplug here: skipped"; return 0; }
	insmod "$ko" || return 1
	"$kcap" capture -d kmod -w /tmp/hotplug.scap -- sh -c "echo 0 >$cpu; ls / >/dev/null;
		echo 1 >$cpu; ls / >/dev/null" >/dev/null 2>/tmp/hotplug.err ||
		{ cat /tmp/hotplug.err; return 1; }
	[ "$(cat $cpu)" = 1 ] || return 1
	rmmod kcap && echo "kmod-cycles: CPU 1 went offline and back during a capture"
}

settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

[ -e /sys/module/kcap ] && rmmod kcap
cycle 1 && cycle 2 || exit 1	# the first use allocates for good
settle
before=$(mem)
i=1
while [ $i -le "$n" ]; do
	cycle $i || { echo "kmod-cycles: cycle $i failed"; exit 1; }
	i=$((i + 1))
done
settle
after=$(mem)
grew=$((after - before))
hotplug || { echo "kmod-cycles: the capture across CPU hotplug failed"; exit 1; }
echo "kmod-cycles: $n load/capture/unload cycles; slab+vmalloc+percpu ${before} kB -> ${after} kB (${grew} kB)"
# A leaked 1 MiB ring is 2 MiB of vmalloc, leaked rows 4 kB a cycle; the
# noise measured is about 40 kB.
if [ "$grew" -gt 128 ]; then
	echo "kmod-cycles: kernel memory grew by ${grew} kB over $n cycles: a leak"
	exit 1
fi
