#!/bin/bash
# Builds kcap.ko against a kernel build tree into OUTDIR/kcap.ko.
# usage: build-kmod.sh KERNEL_BUILD_DIR OUTDIR
# Kbuild builds in the source tree; the copy lets several kernels' modules
# live side by side.
set -euo pipefail
[ $# -eq 2 ] || { echo "build-kmod: usage: build-kmod.sh KERNEL_BUILD_DIR OUTDIR" >&2; exit 1; }
kdir=$1 out=$2
src=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -C "$kdir" M="$src" CC=gcc modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-kmod: kcap.ko does not build against $kdir" >&2
	exit 1
fi
# No warnings allowed: any is a failure, shown in full.
if grep -E 'warning:|WARNING:' "$log" >&2; then
	echo "build-kmod: kcap.ko builds with warnings against $kdir" >&2
	exit 1
fi
mkdir -p "$out"
cp "$src/kcap.ko" "$out/kcap.ko"
