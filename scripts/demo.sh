#!/bin/sh
# The main job: capture a small built-in workload with the BPF probe, then
# replay the capture. Without root or BPF, replays a shared sample instead.
# usage: demo.sh BUILD_DIR SHARED_DIR
set -eu
build=$1 shared=$2
kcap=$build/kcap
out=$build/demo.scap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

workload="cd $work && echo 'hello from kcap' > note.txt && cat note.txt &&
mkdir sub && mv note.txt sub/ && ls sub >/dev/null && rm -r sub &&
cat /nonexistent 2>/dev/null; kill -0 \$\$"

echo "== kcap capture -w $out -- sh -c '<a small file workload>'"
if "$kcap" capture -w "$out" -- sh -c "$workload"; then
	echo
	echo "== kcap replay --stats --type open,openat,creat,write,unlinkat,mkdir,rmdir,kill,procexit $out"
	"$kcap" replay --stats --type open,openat,creat,write,unlinkat,mkdir,rmdir,kill,procexit "$out"
	exit 0
fi
sample=$shared/scap-samples/cat_write.scap
echo "demo: live capture is not possible here; replaying $sample instead" >&2
"$kcap" replay --stats "$sample"
