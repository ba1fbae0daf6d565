#!/bin/sh
# claims.sh BUILD_DIR [WORKERS] - the claims benchmark.
# Imports WORKERS (default 1,000,000) discharged workers of one mine, then in the
# same run times
#   A. fairshare claims compute --workplace 1 (rules engine, one claim row per
#      component, each journaled, one transaction)
#   B. a bare SQLite prepared-statement loop inserting as many rows (reference)
#   C. fairshare watch over all of them
# and reports A/B (target <= 3) and C (target < 1 s).
set -eu
build=${1:-build}
n=${2:-1000000}
dir=$(mktemp -d /tmp/fs-bench-claims-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fs() { "$build/fairshare" --db "$dir/f.db" "$@"; }
now() { date +%s.%N; }
"$build/bench/gen_workers" "$n" >"$dir/workers.csv"
fs init >/dev/null
fs org add --slug bench --name Bench --country TR --currency TRY >/dev/null
fs employer add --name "Coal Co" >/dev/null
fs workplace add --employer-id 1 --name Mine --kind mine >/dev/null
t0=$(now)
fs import people "$dir/workers.csv" >/dev/null
t1=$(now)
printf 'workers: %d (import with employment: %.1f s)\n' "$n" "$(echo "$t1 - $t0" | bc -l)"
t0=$(now)
/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" claims compute --workplace 1 >"$dir/compute.out"
t1=$(now)
rows=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM claims")
"$build/bench/bare_insert" "$dir/bare.db" "$rows"
t2=$(now)
a=$(echo "$t1 - $t0" | bc -l)
b=$(echo "$t2 - $t1" | bc -l)
t3=$(now)
fs watch >/dev/null
t4=$(now)
w=$(echo "$t4 - $t3" | bc -l)
cat "$dir/compute.out"
printf 'claims compute: %.2f s for %d claims; bare insert loop: %.2f s; ratio %.1f (target <= 3)\n' "$a" "$rows" "$b" "$(echo "$a / $b" | bc -l)"
printf 'compute peak RSS: %.1f MiB\n' "$(echo "$(cat "$dir/rss") / 1024" | bc -l)"
printf 'watch over %d workers: %.2f s (target < 1 s)\n' "$n" "$w"
