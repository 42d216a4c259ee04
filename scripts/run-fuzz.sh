#!/bin/sh
# Runs the reader's libFuzzer harness for a bounded time, seeded with the
# shared sample captures (compressed and decompressed) when they are there.
# usage: run-fuzz.sh FUZZER SHARED_DIR SECONDS
set -eu
fuzzer=$1 shared=$2 seconds=$3
corpus=$(dirname "$fuzzer")/fuzz-corpus
mkdir -p "$corpus"
if [ -d "$shared/scap-samples" ]; then
	for f in "$shared"/scap-samples/*.scap; do
		name=$(basename "$f")
		cp "$f" "$corpus/$name"
		# Uncompressed copies let the fuzzer mutate the blocks themselves.
		gzip -dc "$f" >"$corpus/$name.raw" 2>/dev/null || rm -f "$corpus/$name.raw"
	done
else
	echo "run-fuzz: $shared/scap-samples is absent: fuzzing from an empty corpus"
fi
echo "run-fuzz: fuzzing the reader for ${seconds}s"
log=$(dirname "$fuzzer")/fuzz.log
if ! "$fuzzer" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
	-print_final_stats=1 "$corpus" >"$log" 2>&1; then
	tail -n 60 "$log"
	echo "run-fuzz: the fuzzer found a problem (see above; crash inputs are in $(pwd))" >&2
	exit 1
fi
grep -E '^stat::number_of_executed_units|^Done' "$log" | tr '\n' ' '
echo
