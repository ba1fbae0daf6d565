#!/bin/sh
# funds.sh BUILD_DIR [N] - the ledger benchmark: N (default 1,000,000) transfers
# through the batch path, committed to disk (target >= 100,000/s); then the fund's
# balances against `ledger -f` on the exported journal of the same data, same run
# (target: >= 10x faster).
set -eu
build=${1:-build}
n=${2:-1000000}
dir=$(mktemp -d /tmp/fs-bench-funds-XXXXXX)
trap 'rm -rf "$dir"' EXIT
line=$("$build/bench/ledger_bench" "$dir" "$n")
echo "$line"
tps=$(echo "$line" | awk '{print $8}')
bal=$(echo "$line" | awk '{print $10}')
t0=$(date +%s.%N)
ledger -f "$dir/export.journal" bal >/dev/null
t1=$(date +%s.%N)
led=$(echo "$t1 - $t0" | bc -l)
printf 'transfers committed: %.0f per second (target >= 100000)\n' "$tps"
printf 'balances: fairshare %.4f s, ledger-cli %.2f s: %.0fx faster (target >= 10x)\n' "$bal" "$led" "$(echo "$led / $bal" | bc -l)"
