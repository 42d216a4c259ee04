#!/bin/bash
# Packs a busybox initramfs that runs one command in a qemu guest and powers off.
# usage: make-initramfs.sh VERSION OUT.cpio.gz [--module KO]... [--swap MB] [--command SCRIPT] FILES...
#   VERSION   the guest kernel (5.10, 6.1, 6.12): what it must have built in is
#             checked, and a module's vermagic must match it
#   --module  a kernel module /init loads (insmod) before the command
#   --swap    a zram swap device of MB MiB that /init turns on first (zram and
#             the modules it depends on come from the kernel's module tree)
#   --command the sh script /init runs (default: a shell on the console)
#   FILES     host files, copied to the same absolute paths, with every shared
#             library an executable among them needs (ldd) and the loader
# /init mounts the usual filesystems, runs the command, prints the kernel log
# between KCAP_DMESG_BEGIN/END and then KCAP_GUEST_EXIT=<status>, and powers off.
set -euo pipefail

die() { echo "make-initramfs: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: make-initramfs.sh VERSION OUT.cpio.gz [--module KO]... [--swap MB] [--command SCRIPT] FILES..."
version=$1 out=$2
shift 2
modules=() files=() command='exec sh' swap=
while [ $# -gt 0 ]; do
	case $1 in
	--module) [ $# -ge 2 ] || die "--module needs a path"; modules+=("$2"); shift 2 ;;
	--swap)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--swap needs a size in MiB (got '${2:-}')"
		swap=$2
		shift 2
		;;
	--command) [ $# -ge 2 ] || die "--command needs a script"; command=$2; shift 2 ;;
	*) files+=("$1"); shift ;;
	esac
done
for tool in cpio gzip xz ldd strings /bin/busybox; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/install-deps.sh)"
done
# The guest has no libc of its own: busybox must be busybox-static's.
! ldd /bin/busybox >/dev/null 2>&1 || die "/bin/busybox is not static (install busybox-static)"

kernel=$("$(dirname "$0")/fetch-kernel.sh" "$version")
release=$(cat "$kernel/release")
config=$kernel/root/boot/config-$release
[ -f "$config" ] || die "no kernel config $config"
# No modules but --swap's zram: all that /init and the BPF probe use must be
# built in (serial console, initramfs, filesystems, BPF, BTF, tracepoints).
need="BLK_DEV_INITRD RD_GZIP DEVTMPFS TMPFS PROC_FS SYSFS SERIAL_8250_CONSOLE BINFMT_ELF
BINFMT_SCRIPT UNIX BPF_SYSCALL DEBUG_INFO_BTF BPF_EVENTS FTRACE_SYSCALLS TRACING DEBUG_FS"
[ ${#modules[@]} -eq 0 ] || need="$need MODULES"
zram=
if [ -n "$swap" ]; then
	zram=$(sed -n 's/^CONFIG_ZRAM=\([ym]\)$/\1/p' "$config")
	[ -n "$zram" ] || die "kernel $release has no zram (CONFIG_ZRAM) for --swap"
	need="$need SWAP"
	[ "$zram" = y ] || need="$need MODULES"
fi
for opt in $need; do
	grep -q "^CONFIG_$opt=y" "$config" || die "kernel $release lacks built-in CONFIG_$opt"
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# The host's merged-/usr layout, so that host paths (/lib/..., /usr/lib/...) work.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{proc,sys,dev,tmp,run,etc,kcap/modules}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
cp /bin/busybox "$root/usr/bin/busybox"
/bin/busybox --list-full | while read -r applet; do
	[ -e "$root/$applet" ] || ln -s /usr/bin/busybox "$root/$applet"
done

# copy FILE: the host file at the same absolute path (symlinks followed).
copy() {
	mkdir -p "$root$(dirname "$1")"
	cp -L --remove-destination "$1" "$root$1" || die "cannot copy $1"
}
libdirs=" "
for f in "${files[@]}"; do
	[ -e "$f" ] || die "no such file: $f"
	abs=$(realpath -s "$f")
	copy "$abs"
	# Shared libraries: "name => /path (addr)" and the loader's "/path (addr)".
	if [ -x "$abs" ] && [ -f "$abs" ] && ldd "$abs" >/dev/null 2>&1; then
		missing=$(ldd "$abs" | grep 'not found' || true)
		[ -z "$missing" ] || die "$f needs a library the host lacks: $(head -n1 <<<"$missing")"
		for lib in $(ldd "$abs" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			copy "$lib"
			case $libdirs in *" $(dirname "$lib") "*) ;; *) libdirs="$libdirs$(dirname "$lib") " ;; esac
		done
	fi
done
# check_magic KO: dies unless KO is built for this kernel.
check_magic() {
	local magic
	magic=$(strings "$1" | sed -n 's/^vermagic=\([^ ]*\).*/\1/p')
	magic=${magic%%$'\n'*}
	[ "$magic" = "$release" ] || die "$1 is built for kernel '$magic', not $release"
}
for m in "${modules[@]}"; do
	[ -f "$m" ] || die "no such module: $m"
	check_magic "$m"
	cp "$m" "$root/kcap/modules/"
done

# The swap modules, numbered so that each loads after its dependencies. The
# packaged tree has no modules.dep (depmod makes it at install): each module's
# depends= field is followed. 6.12's are .ko.xz: decompressed here, since
# busybox's insmod first hands the file to the kernel, which logs "Invalid ELF
# header magic" before busybox loads it decompressed.
mods=$kernel/modules
swap_seen=" " swap_count=0
# add_swap_module NAME: NAME's dependencies, then NAME.
add_swap_module() {
	local name=$1 src tmp dep
	case $swap_seen in *" $name "*) return ;; esac
	swap_seen="$swap_seen$name "
	# A file name may spell the module name's underscores as dashes.
	src=$(find "$mods/" -name '*.ko*' | awk -v n="$name" '{ b = $0; sub(/.*\//, "", b)
		sub(/\.ko(\.xz|\.gz)?$/, "", b); gsub(/-/, "_", b) } b == n && !found { print; found = 1 }')
	[ -n "$src" ] || die "kernel $release has no module $name in $mods (for --swap)"
	tmp=$root/kcap/swap/$name.ko
	case $src in
	*.ko) cp "$src" "$tmp" ;;
	*.ko.xz) xz -dc "$src" >"$tmp" ;;
	*.ko.gz) gzip -dc "$src" >"$tmp" ;;
	esac || die "cannot unpack $src"
	check_magic "$tmp"
	for dep in $(tr '\0' '\n' <"$tmp" | sed -n 's/^depends=//p' | tr , ' '); do
		add_swap_module "$dep"
	done
	swap_count=$((swap_count + 1))
	mv "$tmp" "$root/kcap/swap/$(printf %02d "$swap_count")-$name.ko"
}
if [ "$zram" = m ]; then
	mkdir -p "$root/kcap/swap"
	add_swap_module zram
fi
printf '%s\n' "$command" >"$root/kcap/command"
libpath=$(tr ' ' '\n' <<<"$libdirs" | sed '/^$/d' | paste -sd:)

cat >"$root/init" <<EOF
#!/bin/sh
# Generated by scripts/qemu/make-initramfs.sh for kernel $release.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LD_LIBRARY_PATH=$libpath
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /root
# As a distribution's system has them: tests exec as nobody and through /dev/fd.
chmod 755 /
ln -sf /proc/self/fd /dev/fd
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# A tmpfs /tmp that still holds the files shipped under /tmp.
mv /tmp /.tmp-shipped && mkdir /tmp && mount -t tmpfs tmpfs /tmp && cp -a /.tmp-shipped/. /tmp/
rm -rf /.tmp-shipped
# tracefs and debugfs when the kernel has them (tracefs also shows in debugfs).
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf
ip link set lo up 2>/dev/null
hostname kcap-guest
echo "init: kernel \$(uname -r), \$(nproc) CPUs"
status=0
EOF
# Swap on zram, before the modules and the command.
if [ -n "$swap" ]; then
	cat >>"$root/init" <<EOF
for m in /kcap/swap/*.ko; do
	[ -e "\$m" ] || continue
	insmod "\$m" || { echo "init: insmod \$m failed"; status=125; break; }
done
if [ \$status = 0 ]; then
	if echo ${swap}M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
		comp=\$(sed 's/.*\[\(.*\)\].*/\1/' /sys/block/zram0/comp_algorithm)
		echo "init: swap on /dev/zram0 (zram, \$comp): \$(awk 'NR == 2 { print \$3 }' /proc/swaps) KiB"
	else
		echo "init: cannot turn swap on on /dev/zram0"; status=125
	fi
fi
EOF
fi
cat >>"$root/init" <<EOF
for m in /kcap/modules/*.ko; do
	[ -e "\$m" ] || continue
	insmod "\$m" || { echo "init: insmod \$m failed"; status=125; break; }
done
[ \$status = 0 ] && { sh /kcap/command; status=\$?; }
echo KCAP_DMESG_BEGIN
dmesg
echo KCAP_DMESG_END
echo "KCAP_GUEST_EXIT=\$status"
sync
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -3) >"$out" ||
	die "cannot write $out"
