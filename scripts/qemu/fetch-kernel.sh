#!/bin/bash
# Fetches a Debian kernel (image, modules, headers, kbuild) for the qemu matrix
# into a cache outside the repo, and prints the cache directory, which holds:
#   vmlinuz   the kernel to boot
#   modules   its module tree (lib/modules/<release>)
#   build     its headers, for out-of-tree modules with the host's gcc:
#             make -C DIR/build M=... CC=gcc
#   release   the kernel release (uname -r)
# usage: fetch-kernel.sh VERSION   (VERSION: 5.10, 6.1 or 6.12)
# A complete cache is reused at once, without any network access.
set -euo pipefail

die() { echo "fetch-kernel: $*" >&2; exit 1; }
# apt's first error or warning, for a one-line reason.
apt_error() { grep -m1 '^E:' "$log" || grep -m1 '^W:' "$log" || echo "see $log"; }

version=${1:-}
case $version in
# bullseye's kernel, named by its versioned packages (the last point release's).
5.10) suite=bullseye roots=(linux-image-5.10.0-32-amd64 linux-headers-5.10.0-32-amd64) ;;
6.1) suite=bookworm roots=(linux-image-amd64 linux-headers-amd64) ;;
6.12) suite=trixie roots=(linux-image-amd64 linux-headers-amd64) ;;
*) die "usage: fetch-kernel.sh 5.10|6.1|6.12 (got '$version')" ;;
esac

cache=${KCAP_KERNEL_CACHE:-/var/cache/kcap/kernels}
dir=$cache/$version
if [ -f "$dir/complete" ]; then
	echo "$dir"
	exit 0
fi
# One fetch of a version at a time; the one that waited finds it complete.
mkdir -p "$cache" || die "cannot create $cache"
exec 8>"$cache/.lock-$version"
flock 8
if [ -f "$dir/complete" ]; then
	echo "$dir"
	exit 0
fi
for tool in apt-get apt-cache dpkg-deb objdump getconf make gcc; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/install-deps.sh)"
done

# A private apt setup: the system's own archive URI and key with another suite,
# and private lists, cache and (empty) status. The system's apt sources and
# state are never touched.
apt_dir=$dir/apt
rm -rf "$dir"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs" "$dir/root"
system_sources=/etc/apt/sources.list.d/debian.sources
[ -r "$system_sources" ] || die "$system_sources is missing: no Debian archive URI to reuse"
# Its first stanza is the main archive (the second one is debian-security).
awk -v suite="$suite" '
	/^[[:space:]]*$/ { if (seen) exit; next }
	/^#/ { next }
	{ seen = 1 }
	/^Suites:/ { print "Suites: " suite; next }
	{ print }' "$system_sources" >"$apt_dir/kcap.sources"
grep -q '^URIs:' "$apt_dir/kcap.sources" || die "no URIs: line in $system_sources"
: >"$apt_dir/status"
apt_opts=(-q -o "Dir::Etc::sourcelist=$apt_dir/kcap.sources" -o Dir::Etc::sourceparts=-
	-o "Dir::State=$apt_dir" -o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache"
	-o Debug::NoLocking=1 -o APT::Sandbox::User=root)
log=$dir/apt.log
echo "fetch-kernel: $version: apt-get update for $suite" >&2
apt-get "${apt_opts[@]}" --error-on=any update >"$log" 2>&1 ||
	die "apt-get update for $suite failed: $(apt_error)"

# closure RE PKGS...: follows the dependencies of PKGS whose names match RE,
# transitively, and prints the packages met that match RE.
closure() {
	local re=$1 pkg out seen=" " todo
	shift
	todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		pkg=${todo[0]} todo=("${todo[@]:1}")
		case $seen in *" $pkg "*) continue ;; esac
		seen="$seen$pkg "
		[[ $pkg =~ $re ]] && echo "$pkg"
		out=$(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests "$pkg" 2>>"$log") ||
			die "apt-cache depends $pkg failed for $suite: $(apt_error)"
		while read -r dep; do todo+=("$dep"); done < <(awk -v re="$re" \
			'$1 == "Depends:" && $2 ~ re { print $2 }' <<<"$out")
	done
}
# download DEST PKGS...: fetches PKGS and unpacks them into DEST.
download() {
	local dest=$1 deb
	shift
	echo "fetch-kernel: $version: downloading $*" >&2
	mkdir -p "$dir/debs/${dest##*/}"
	(cd "$dir/debs/${dest##*/}" && apt-get "${apt_opts[@]}" download "$@") >>"$log" 2>&1 ||
		die "apt-get download from $suite failed: $(apt_error)"
	for deb in "$dir/debs/${dest##*/}"/*.deb; do
		dpkg-deb -x "$deb" "$dest" || die "cannot unpack $deb"
	done
}

# From the metapackages to the versioned image, headers, common headers and
# kbuild packages (for 6.12 also the unsigned image the signed one needs).
list=$(closure '^linux-(image|headers|kbuild)-[0-9]' "${roots[@]}")
mapfile -t pkgs <<<"$list"
download "$dir/root" "${pkgs[@]}"

vmlinuz=$(echo "$dir"/root/boot/vmlinuz-*)
[ -f "$vmlinuz" ] || die "no /boot/vmlinuz-* in the image packages from $suite"
release=${vmlinuz##*/vmlinuz-}
mods=
for m in "$dir"/root/{usr/,}lib/modules/"$release"; do [ -d "$m" ] && mods=$m; done
[ -n "$mods" ] || die "no lib/modules/$release in the image package"
hdrs=$dir/root/usr/src/linux-headers-$release
[ -f "$hdrs/Makefile" ] || die "no usr/src/linux-headers-$release in the headers packages"
kbuild=$(echo "$dir"/root/usr/lib/linux-kbuild-*)
[ -d "$kbuild" ] || die "no usr/lib/linux-kbuild-* in the kbuild package"

# The headers refer to their other half by absolute paths: the arch Makefile
# includes /usr/src/linux-headers-*-common/Makefile, lib/modules/*/build and
# source are absolute symlinks. Point them into the unpacked copy.
sed -i "s#\([[:space:]]\)/usr/src/#\1$dir/root/usr/src/#g" "$hdrs/Makefile"
find "$dir/root" -type l -lname '/*' | while read -r link; do
	ln -sfn "$dir/root$(readlink "$link")" "$link"
done

# The host's toolchain is not the one the kernel was built with. These fixups
# touch only make-level settings, never autoconf.h, so a module's layout is
# still the kernel's:
# - .kernelvariables asks for gcc-N (10 for 5.10, 14 for 6.12): builds pass
#   CC=gcc (the command line wins over it).
# - 6.12 was built with gcc 14, whose -fmin-function-alignment gcc 12 lacks:
#   without CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT kbuild uses -falign-functions,
#   the same alignment.
# - 6.12's headers ship vmlinux, so kbuild would add BTF to modules with
#   pahole >= the kernel's CONFIG_PAHOLE_VERSION; the host has none that new.
auto_conf=$hdrs/include/config/auto.conf
if grep -q '^CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y' "$auto_conf" &&
	! echo 'int x;' | gcc -fmin-function-alignment=16 -xc -c -o /dev/null - 2>/dev/null; then
	sed -i '/^CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=/d' "$auto_conf"
fi
pahole_need=$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$auto_conf")
pahole_have=$(pahole --version 2>/dev/null | tr -dc 0-9 || true)
if [ -f "$hdrs/vmlinux" ] && [ "${pahole_have:-0}" -lt "${pahole_need:-0}" ]; then
	sed -i '/^CONFIG_DEBUG_INFO_BTF_MODULES=/d' "$auto_conf"
fi
# - trixie's kbuild tools (modpost, objtool, resolve_btfids) need a newer glibc
#   than the host's: those run under their own suite's loader and libraries,
#   unpacked into DIR/libs.
host_glibc=$(getconf GNU_LIBC_VERSION | sed 's/.*2\.//')
too_new=()
while read -r bin; do
	need=$({ objdump -T "$bin" 2>/dev/null || true; } | sed -n 's/.*GLIBC_2\.\([0-9]*\).*/\1/p' |
		sort -n | tail -n1)
	if [ "${need:-0}" -gt "$host_glibc" ]; then too_new+=("$bin"); fi
done < <(find "$kbuild" -type f -perm -u+x)
if [ ${#too_new[@]} -gt 0 ]; then
	# Their libraries: libc6, libelf, zlib... (not libssl: only sign-file uses it).
	list=$(closure '^(lib|zlib)' "$(basename "$kbuild")" | grep -v '^libssl')
	mapfile -t pkgs <<<"$list"
	download "$dir/libs" "${pkgs[@]}"
	ldso=$dir/libs/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -x "$ldso" ] || ldso=$dir/libs/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -x "$ldso" ] || die "no dynamic loader in $suite's libc6"
	libpath=$dir/libs/usr/lib/x86_64-linux-gnu:$dir/libs/lib/x86_64-linux-gnu
	for bin in "${too_new[@]}"; do
		mv "$bin" "$bin.bin"
		printf '#!/bin/sh\n# %s needs a newer glibc than the host has.\nexec %s --library-path %s %s "$@"\n' \
			"${bin##*/}" "$ldso" "$libpath" "$bin.bin" >"$bin"
		chmod +x "$bin"
	done
fi

# The headers must build a module with the host's gcc, as kcap.ko is built.
t=$(mktemp -d)
printf '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$t/hello.c"
echo 'obj-m := hello.o' >"$t/Kbuild"
make -C "$hdrs" M="$t" CC=gcc modules >"$dir/module-check.log" 2>&1 ||
	die "a test module does not build against $hdrs (see $dir/module-check.log)"
rm -rf "$t"

ln -sfn "$vmlinuz" "$dir/vmlinuz"
ln -sfn "$mods" "$dir/modules"
ln -sfn "$hdrs" "$dir/build"
echo "$release" >"$dir/release"
touch "$dir/complete"
echo "fetch-kernel: $version: $release in $dir" >&2
echo "$dir"
