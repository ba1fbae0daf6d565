#!/bin/sh
# run.sh BUILD_DIR [SECONDS] - fuzz each target for a while with libFuzzer; new
# crashes land in fuzz/findings/TARGET/ and are replayed by `make test`.
set -eu
build=$1
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
for t in csv import rules body; do
	mkdir -p "$here/findings/$t" "$build/corpus-$t"
	"$build/fuzz/fuzz_$t" -max_total_time="$secs" -artifact_prefix="$here/findings/$t/" \
		-max_len=4096 "$build/corpus-$t" "$here/corpus/$t" || true
done
