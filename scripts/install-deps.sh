#!/bin/sh
# Installs the Debian packages kcap needs to build and test. Idempotent: it
# does nothing when everything is already installed.
set -eu

PACKAGES="build-essential cmake pkg-config clang llvm libclang-rt-14-dev zlib1g-dev dkms \
mariadb-server-core mariadb-client-core \
libcriterion-dev libjson-c-dev bpftool libbpf-dev libelf-dev \
qemu-system-x86 busybox-static cpio tshark"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
