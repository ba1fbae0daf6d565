#!/bin/sh
# claims.sh BUILD_DIR [WORKERS] - the claims benchmark.
# Imports WORKERS (default $BENCH_N or 1,000,000) discharged workers of one mine,
# then in the same run times
#   A. fairshare claims compute --workplace 1 (rules engine, one claim row per
#      component, journaled by batch, one transaction)
#   B. a bare SQLite prepared-statement loop inserting as many rows (reference)
#   C. fairshare watch over all of them
# and reports A/B (target <= 3) and C (target < 1 s). Instructions per claim row:
# the same over BENCH_CG_N workers under callgrind.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
n=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-claims-XXXXXX)
trap 'rm -rf "$dir"' EXIT
setup() { # DB CSV
	"$build/fairshare" --db "$1" init >/dev/null
	"$build/fairshare" --db "$1" org add --slug bench --name Bench --country TR --currency TRY >/dev/null
	"$build/fairshare" --db "$1" employer add --name "Coal Co" >/dev/null
	"$build/fairshare" --db "$1" workplace add --employer-id 1 --name Mine --kind mine >/dev/null
	"$build/fairshare" --db "$1" import people "$2" >/dev/null
}
"$build/bench/gen_workers" "$n" >"$dir/workers.csv"
t0=$(bench_now)
setup "$dir/f.db" "$dir/workers.csv"
t1=$(bench_now)
printf 'workers: %d (set-up and import with employment: %.1f s)\n' "$n" "$(bench_calc "$t1 - $t0")"
# each timed step starts with the writes of the one before on disk: the
# kernel's write-back of one would otherwise be timed in the next
sync
t0=$(bench_now)
/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" claims compute --workplace 1 >"$dir/compute.out"
t1=$(bench_now)
rows=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM claims")
sync
t2=$(bench_now)
"$build/bench/bare_insert" "$dir/bare.db" "$rows"
t3=$(bench_now)
a=$(bench_calc "$t1 - $t0")
b=$(bench_calc "$t3 - $t2")
ratio=$(bench_calc "$a / $b")
# the watch: best of 3 runs (hyperfine when installed)
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --runs 3 --export-json "$dir/watch.json" "$build/fairshare --db $dir/f.db watch" >/dev/null 2>&1
	w=$(sqlite3 :memory: "SELECT printf('%.4f', json_extract(readfile('$dir/watch.json'), '\$.results[0].min'))")
else
	t3=$(bench_now)
	"$build/fairshare" --db "$dir/f.db" watch >/dev/null
	w=$(bench_calc "$(bench_now) - $t3")
fi
cat "$dir/compute.out"
printf 'claims compute: %.2f s for %d claims; bare insert loop: %.2f s; ratio %.2f (target <= 3)\n' "$a" "$rows" "$b" "$ratio"
rss=$(bench_calc "$(cat "$dir/rss") / 1024")
printf 'compute peak RSS: %.1f MiB\n' "$rss"
printf 'watch over %d workers: %.2f s (target < 1 s)\n' "$n" "$w"

cg=$BENCH_CG_N
ia=0 ib=0 iw=0
if [ "$cg" != 0 ]; then
	"$build/bench/gen_workers" "$cg" >"$dir/small.csv"
	setup "$dir/c.db" "$dir/small.csv"
	ia=$(bench_instr "$build/fairshare" --db "$dir/c.db" claims compute --workplace 1)
	crows=$(sqlite3 "$dir/c.db" "SELECT count(*) FROM claims")
	ib=$(bench_per "$(bench_instr "$build/bench/bare_insert" "$dir/cbare.db" "$crows")" "$crows")
	ia=$(bench_per "$ia" "$crows")
	iw=$(bench_per "$(bench_instr "$build/fairshare" --db "$dir/c.db" watch)" "$cg")
	printf 'instructions per claim row (%d workers, %d claims, callgrind): compute %s, bare insert %s; watch per worker %s\n' \
		"$cg" "$crows" "$ia" "$ib" "$iw"
fi
cmd="BENCH_N=$n bench/claims.sh build"
bench_result claims "$n" \
	"$(bench_fig "claims compute, $n workers ($rows claims)" "$a" s "bare insert loop" "$b" "$ratio" "<= 3" \
		"$(bench_met "$ratio <= 3")" "$ia" "$ib" row "$cmd")" \
	"$(bench_fig "claims compute peak RSS" "$rss" MiB "" "" "" "-" true 0 0 row "$cmd")" \
	"$(bench_fig "watch over $n workers" "$w" s "" "" "" "< 1 s" "$(bench_met "$w < 1")" "$iw" 0 worker "$cmd")"
