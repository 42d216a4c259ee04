#!/bin/sh
# The cost of a syscall of no interest, for several kcap builds in one run
# (say, before and after a change to the tables): 6 million 1-byte
# read+write syscalls (dd bs=1) without capture, then under each build
# capturing only chroot, so that dd's syscalls take the no-interest path.
# The builds take turns, RUNS rounds, and each one's best counts, so that
# the machine's drift hits them alike. Prints each build's added ns per
# syscall and its ratio to the first build's.
# usage: [KCAP_DRIVER=bpf|kmod] bench_no_interest.sh [-c COUNT] [-r RUNS] KCAP_BINARY...
set -eu
count=3000000 runs=5
while getopts c:r: o; do
	case $o in
	c) count=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: bench_no_interest.sh [-c COUNT] [-r RUNS] KCAP_BINARY..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: bench_no_interest.sh [-c COUNT] [-r RUNS] KCAP_BINARY..." >&2; exit 2; }
driver=${KCAP_DRIVER:-auto}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dd_cmd="dd if=/dev/zero of=/dev/null bs=1 count=$count"

# dd's own seconds ("copied, X s") of a command writing dd's stderr to $out/err.
seconds() {
	"$@" 2>"$out/err" >/dev/null || { cat "$out/err" >&2; exit 1; }
	s=$(sed -n 's/.*copied, \([0-9.]*\) s.*/\1/p' "$out/err" | tail -n 1)
	[ -n "$s" ] || { cat "$out/err" >&2; exit 1; }
	echo "$s"
}

# keep NAME SECONDS: the best so far of NAME, in $out/best.NAME.
keep() {
	f="$out/best.$1"
	if [ ! -s "$f" ] || awk -v a="$2" -v b="$(cat "$f")" 'BEGIN { exit !(a < b) }'; then
		echo "$2" >"$f"
	fi
}

r=0
while [ $r -lt "$runs" ]; do
	keep bare "$(seconds sh -c "$dd_cmd")"
	i=0
	for k in "$@"; do
		keep "k$i" "$(seconds "$k" capture -d "$driver" -w "$out/x.scap" --events chroot \
			-- $dd_cmd)"
		i=$((i + 1))
	done
	r=$((r + 1))
done

bare=$(cat "$out/best.bare")
echo "no-interest path, $((count * 2)) syscalls, driver $driver, best of $runs rounds"
printf '%-40s %8s %14s %8s\n' way s "added ns/call" "x first"
printf '%-40s %8s %14s %8s\n' bare "$bare" - -
i=0
first=""
for k in "$@"; do
	s=$(cat "$out/best.k$i")
	ns=$(awk -v s="$s" -v b="$bare" -v n=$((count * 2)) 'BEGIN { printf "%.1f", (s - b) * 1e9 / n }')
	[ -n "$first" ] || first=$ns
	printf '%-40s %8s %14s %8s\n' "$k" "$s" "$ns" \
		"$(awk -v a="$ns" -v f="$first" 'BEGIN { printf "%.2f", (f > 0 ? a / f : 0) }')"
	i=$((i + 1))
done
