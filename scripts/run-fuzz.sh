#!/bin/sh
# Runs one libFuzzer harness for a bounded time. The reader's fuzzer is
# seeded with the shared sample captures (compressed and decompressed) when
# they are there; the structure-aware one builds its files from any input;
# the filter's fuzzer is seeded with filters of docs/filters.md.
# usage: run-fuzz.sh FUZZER SHARED_DIR SECONDS [samples|filters]
set -eu
fuzzer=$1 shared=$2 seconds=$3 seed=${4:-}
name=$(basename "$fuzzer")
dir=$(cd "$(dirname "$fuzzer")" && pwd)
corpus=$dir/corpus-$name
mkdir -p "$corpus"
if [ "$seed" = samples ]; then
	if [ -d "$shared/scap-samples" ]; then
		for f in "$shared"/scap-samples/*.scap; do
			b=$(basename "$f")
			cp "$f" "$corpus/$b"
			# Uncompressed copies let the fuzzer mutate the blocks themselves.
			gzip -dc "$f" >"$corpus/$b.raw" 2>/dev/null || rm -f "$corpus/$b.raw"
		done
	else
		echo "run-fuzz: $shared/scap-samples is absent: fuzzing from an empty corpus"
	fi
fi
if [ "$seed" = filters ]; then
	src=$(cd "$(dirname "$0")/.." && pwd)
	i=0
	grep -o "'[^']*'" "$src/docs/filters.md" | tr -d "'" | while read -r f; do
		i=$((i + 1))
		printf '%s' "$f" >"$corpus/doc-$i"
	done
fi
echo "run-fuzz: $name for ${seconds}s"
log=$dir/$name.log
# Crash inputs land in the fuzzer's directory, not in the caller's.
if ! (cd "$dir" && "$dir/$name" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
	-timeout=20 -print_final_stats=1 "$corpus" >"$log" 2>&1); then
	tail -n 60 "$log"
	echo "run-fuzz: $name found a problem (see above; the input is in $dir)" >&2
	exit 1
fi
grep -E '^stat::number_of_executed_units|DONE' "$log" | tr '\n' ' '
echo
