#!/bin/sh
# Runs in a guest: load the module, capture, unload, N times, then one capture
# across CPU hotplug; fails on any error, or when kernel memory grew (a leak)
# over three batches of cycles.
# usage: kmod-cycles.sh KCAP_KO KCAP [N]
# Odd cycles load with insmod, even ones let `kcap capture --kmod` load and
# unload it, so both paths are exercised; the even ones also register and
# unregister a uprobe (bash_readline, on an interactive bash) when bash is here.
ko=$1 kcap=$2 n=${3:-50}

# kB of kernel memory a leaked ring or table would show in: unreclaimable
# slab, per-CPU memory, and vmalloc and vmap areas (a ring's pages are mapped
# with vmap, which VmallocUsed does not count; lazily freed areas are not in use).
mem() {
	v=$(awk '!/unpurged/ { s += $2 } END { print int(s / 1024) }' /proc/vmallocinfo)
	awk -v v="$v" '/^(SUnreclaim|Percpu):/ { s += $2 } END { print s + v }' /proc/meminfo
}

# The least of three readings a second apart: frees deferred to RCU or a
# worker only ever add to a reading.
settled_mem() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	least=
	for k in 1 2 3; do
		sleep 1
		# Empty slabs cached on per-CPU and partial lists are not leaks.
		for s in /sys/kernel/slab/*/shrink; do echo 1 >"$s"; done 2>/dev/null
		m=$(mem)
		[ -z "$least" ] || [ "$m" -lt "$least" ] && least=$m
	done
	echo "$least"
}

cycle() {
	if [ $(($1 % 2)) = 1 ]; then
		insmod "$ko" ring_bytes=1048576 || return 1
		"$kcap" capture -d kmod -n 300 -w /tmp/cycle.scap -- ls / >/dev/null 2>/tmp/cycle.err ||
			{ cat /tmp/cycle.err; return 1; }
		rmmod kcap || return 1
	elif [ -x /bin/bash ]; then
		echo 'ls /' | "$kcap" capture -d kmod --kmod "$ko" --ring-size 1048576 -n 300 \
			-e bash_readline,@state -w /tmp/cycle.scap -- /bin/bash --norc -i \
			>/dev/null 2>/tmp/cycle.err || { cat /tmp/cycle.err; return 1; }
		[ ! -e /sys/module/kcap ] || { echo "kcap left its module loaded"; return 1; }
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

# Runs $n cycles; prints the readings before and after them, in kB.
batch() {
	b=$(settled_mem)
	i=1
	while [ $i -le "$n" ]; do
		cycle $i >&2 || { echo "kmod-cycles: cycle $i failed" >&2; return 1; }
		i=$((i + 1))
	done
	a=$(settled_mem)
	echo "kmod-cycles: $n load/capture/unload cycles; slab+vmalloc+percpu $b kB -> $a kB ($((a - b)) kB)" >&2
	echo "$b $a"
}

[ -e /sys/module/kcap ] && rmmod kcap
# The first uses fill caches for good.
i=1
while [ $i -le 10 ]; do
	cycle $i || exit 1
	i=$((i + 1))
done
# A leaked 1 MiB ring is 2 MiB of vmap a cycle, leaked rows 4 kB a cycle
# (200 kB a batch). Unreclaimable slab alone moves by up to 280 kB between two
# settled readings with nothing loaded, so growth past the limit in one batch
# only calls for two more: a leak adds up over the three, noise does not.
limit=128
set -- $(batch) || exit 1
first=$1 last=$2
if [ $((last - first)) -gt $limit ]; then
	echo "kmod-cycles: grew by more than $limit kB: two more batches tell a leak from noise"
	set -- $(batch) || exit 1
	set -- $(batch) || exit 1
	last=$2
	if [ $((last - first)) -gt $((7 * limit / 2)) ]; then
		echo "kmod-cycles: kernel memory grew by $((last - first)) kB over three batches of $n cycles: a leak"
		exit 1
	fi
fi
hotplug || { echo "kmod-cycles: the capture across CPU hotplug failed"; exit 1; }
