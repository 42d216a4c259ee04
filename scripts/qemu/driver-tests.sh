#!/bin/bash
# Runs the driver tests (the Criterion suites fillers*, drivers, kmod and scope), a
# capture smoke run and the syscall storm (storm.sh, KCAP_STORM_SECONDS) in a
# qemu guest booted on a Debian kernel; with the module, also its 50
# load/capture/unload cycles (kmod-cycles.sh). The guest has 64 MiB of swap on
# zram, for the tests of swap-in events.
# usage: driver-tests.sh VERSION DRIVER   (VERSION: 5.10, 6.1, 6.12; DRIVER: bpf, kmod)
# Uses the build in $BUILD (default build). Prints, last, one summary line:
#   kernel 6.1 driver bpf: PASS (16 tests) in 48 s
# and appends it to $KCAP_MATRIX_SUMMARY when that is set.
set -euo pipefail

die() { echo "driver-tests: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: driver-tests.sh 5.10|6.1|6.12 bpf|kmod"
version=$1 driver=$2
case $version in 5.10 | 6.1 | 6.12) ;; *) die "unknown kernel '$version' (5.10, 6.1 or 6.12)" ;; esac
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
for f in "$build/kcap_tests" "$build/kcap" "$build/kcap_storm"; do
	[ -x "$f" ] || die "$f is not built (run make all)"
done
opts=()
case $driver in
bpf) ;;
# The module, built against the guest's headers, one build per kernel: by
# scripts/build-kmod.sh when the checkout has it, else built beforehand.
kmod)
	ko=$build/kmod-$version/kcap.ko
	if [ -x scripts/build-kmod.sh ]; then
		kernel=$(scripts/qemu/fetch-kernel.sh "$version")
		scripts/build-kmod.sh "$kernel/build" "$build/kmod-$version" ||
			die "driver kmod: kcap.ko does not build for kernel $version"
	fi
	[ -f "$ko" ] || die "driver kmod: $ko is not built (no scripts/build-kmod.sh here)"
	opts=(--module "$ko" --file "$ko" --file scripts/qemu/kmod-cycles.sh)
	;;
*) die "unknown driver '$driver' (bpf or kmod)" ;;
esac

# In the guest: the driver tests, then a capture of /bin/true replayed; the
# script's status is the tests' status, or the smoke run's if they passed.
guest_script=$(cat <<EOF
env KCAP_TEST_DRIVER=$driver KCAP_TEST_GUEST=1 $build/kcap_tests --jobs 1 --filter '@(fillers*|drivers|kmod|scope)/*'
tests=\$?
echo "== smoke: kcap capture -d $driver -w /tmp/x.scap -- /bin/true"
if ! $build/kcap capture -d $driver -w /tmp/x.scap -- /bin/true; then
	echo "smoke: FAIL: kcap capture failed"; smoke=1
elif ! $build/kcap replay /tmp/x.scap >/tmp/x.txt; then
	echo "smoke: FAIL: kcap replay failed"; smoke=1
elif ! grep -q procexit /tmp/x.txt; then
	echo "smoke: FAIL: no procexit event"; smoke=1
else
	echo "smoke: \$(wc -l </tmp/x.txt) events replayed"
fi
if [ -z "\$smoke" ]; then
	sh scripts/qemu/storm.sh $build/kcap $build/kcap_storm $driver ${KCAP_STORM_SECONDS:-30} ||
		{ echo "smoke: FAIL: storm"; smoke=1; }
fi
if [ $driver = kmod ] && [ -z "\$smoke" ]; then
	sh scripts/qemu/kmod-cycles.sh ${ko:-} $build/kcap 50 || { echo "smoke: FAIL: kmod cycles"; smoke=1; }
fi
[ \$tests = 0 ] && exit \${smoke:-0}
exit \$tests
EOF
)

# Debian's MariaDB server and client, for the mysql_query tests, when here.
mariadb=()
for f in /usr/sbin/mariadbd /usr/bin/mariadb /usr/share/mysql/english/errmsg.sys \
	/usr/share/mysql/charsets/Index.xml; do
	[ -e "$f" ] && mariadb+=(--file "$f")
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
KCAP_QEMU_NAME=$version-$driver scripts/qemu/run-guest.sh "$version" --swap 64 ${opts[@]+"${opts[@]}"} \
	--file "$build/kcap_tests" --file "$build/libkcap_hidebtf.so" \
	--file "$build/kcap" --file "$build/kcap_storm" --file scripts/qemu/storm.sh --file /bin/bash \
	${mariadb[@]+"${mariadb[@]}"} \
	-- sh -c "$guest_script" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e

# The guest's time, without the wait for another guest; Criterion's last line
# ([====] Synthesis: Tested: 16 | Passing: 16 | Failing: 0 | Crashing: 0); why
# it failed when it did: the smoke run's or the scripts' one-line reason.
took=$(sed -n 's/^run-guest: .* guest ran \([0-9]*\)s,.*/\1/p' "$out" | tail -n1)
synthesis=$({ grep 'Synthesis: Tested:' "$out" || true; } | tail -n1 | sed 's/\x1b\[[0-9;]*m//g')
tested=$(sed -n 's/.*Tested: \([0-9]*\).*/\1/p' <<<"$synthesis")
failing=$(sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 failing, \2 crashing/p' <<<"$synthesis")
reason=$(grep -E '^(smoke: FAIL|run-guest: |make-initramfs: |fetch-kernel: )' "$out" |
	grep -v -e ' guest ran ' -e 'waiting for another' | tail -n1 || true)
if [ "$status" = 0 ] && [ "${tested:-0}" -gt 0 ]; then
	result="PASS ($tested tests)"
elif [ "${tested:-0}" -gt 0 ]; then
	result="FAIL ($tested tests, $failing${reason:+; $reason})"
else
	result="FAIL (no test ran${reason:+; $reason})"
fi
line="kernel $version driver $driver: $result${took:+ in $took s}"
echo "$line"
[ -z "${KCAP_MATRIX_SUMMARY:-}" ] || echo "$line" >>"$KCAP_MATRIX_SUMMARY"
[ "${result%% *}" = PASS ]
