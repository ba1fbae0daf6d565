#!/bin/sh
# tests/mutants-check.sh: every mutant file of tests/mutants/ parses and none of its
# mutants is stale (its `-` text occurs exactly once in its file), by
# `tests/mutate.sh --check` (no build, seconds). TAP: one line per .mut file; a stale
# or malformed mutant makes its file `not ok` and says which mutant.
here=$(cd "$(dirname "$0")/.." && pwd)
n=0
fail=0
out=$(mktemp /tmp/fs-mutants-check-XXXXXX) || exit 1
trap 'rm -f "$out"' EXIT
set -- "$here"/tests/mutants/*.mut
echo "1..$#"
for f in "$@"; do
	n=$((n + 1))
	name=tests/mutants/$(basename "$f")
	if sh "$here/tests/mutate.sh" --check "$f" >"$out" 2>&1; then
		echo "ok $n - $name: $(tail -n 1 "$out" | sed 's/^mutate: //')"
	else
		echo "not ok $n - $name: stale or malformed"
		grep -v '^mutate: [0-9]* mutants from' "$out" | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
