#!/bin/sh
# clang-replay.sh FUZZ_BUILD - runs each libFuzzer target built with clang
# (make fuzz-build) once over its seed corpus and findings, no mutation: proves
# the clang build links and runs. Prints TAP.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
n=0
fails=0
for t in csv import rules body; do
	n=$((n + 1))
	mkdir -p "$here/findings/$t"
	extra=""
	[ "$t" = body ] && extra="$here/../tests/data/json"
	if [ -x "$build/fuzz/fuzz_$t" ] && "$build/fuzz/fuzz_$t" -runs=0 "$here/corpus/$t" "$here/findings/$t" $extra >"$build/clang-replay-$t.log" 2>&1; then
		echo "ok $n - fuzz_$t (clang, libFuzzer) runs over its corpus"
	else
		fails=$((fails + 1))
		echo "not ok $n - fuzz_$t (clang, libFuzzer) runs over its corpus"
		tail -n 5 "$build/clang-replay-$t.log" 2>/dev/null | sed 's/^/#   /'
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
