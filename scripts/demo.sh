#!/bin/sh
# The main job until live capture exists: replay a real capture with --stats.
# usage: demo.sh BUILD_DIR SHARED_DIR
set -eu
build=$1 shared=$2
sample=$shared/scap-samples/cat_write.scap
if [ ! -f "$sample" ]; then
	echo "demo: $sample is absent (../shared is needed for the demo)" >&2
	exit 1
fi
echo "== kcap replay --stats $sample  (a 'cat' writing a file, captured by Falco)"
"$build/kcap" replay --stats "$sample"
