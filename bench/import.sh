#!/bin/sh
# import.sh BUILD_DIR [ROWS] - the people-import benchmark.
# Generates ROWS (default $BENCH_N or 1,000,000) people as CSV, then times in the same run:
#   A. fairshare import people  (validation, sealing, keyed hashes, batch journal)
#   B. sqlite3 .import of the same file into a plain table (the reference)
#   C. fairshare verify of the imported database
#   D. sqlite3 PRAGMA integrity_check of the same file (the reference of C)
#   E. the floor: sqlite3 alone storing the rows A stored (same tables, indexes)
# Reports A/B (target <= 2.0), fairshare's peak RSS (target < 200 MiB) and C/D
# (target <= 2.0). Each import runs twice into a fresh database; the best counts.
# Instructions per row: the same commands over BENCH_CG_N rows under callgrind.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
rows=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bench/gen_people" "$rows" >"$dir/people.csv"
echo "rows: $rows ($(du -h "$dir/people.csv" | cut -f1) of CSV)"
fresh() {
	rm -rf "$1" "$1-wal" "$1-shm" "$1.key" "$1.evidence"
	"$build/fairshare" --db "$1" init >/dev/null
	"$build/fairshare" --db "$1" org add --slug bench --name Bench --country TR --currency TRY >/dev/null
}

best_fs=""
best_sq=""
peak=0
for run in 1 2; do
	rm -f "$dir"/s.db*
	fresh "$dir/f.db"
	# each timed step starts with the writes of the one before on disk: the
	# kernel's write-back of one would otherwise be timed in the next
	sync
	t0=$(bench_now)
	/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" import people "$dir/people.csv" >/dev/null
	t1=$(bench_now)
	sync
	t2=$(bench_now)
	sqlite3 "$dir/s.db" ".mode csv" ".import $dir/people.csv people"
	t3=$(bench_now)
	fs=$(bench_calc "$t1 - $t0")
	sq=$(bench_calc "$t3 - $t2")
	rss=$(cat "$dir/rss")
	[ "$rss" -gt "$peak" ] && peak=$rss
	printf 'run %d: fairshare %.2f s, sqlite3 .import %.2f s\n' "$run" "$fs" "$sq"
	if [ -z "$best_fs" ] || [ "$(echo "$fs < $best_fs" | bc -l)" = 1 ]; then best_fs=$fs; fi
	if [ -z "$best_sq" ] || [ "$(echo "$sq < $best_sq" | bc -l)" = 1 ]; then best_sq=$sq; fi
done
n=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM people")
j=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM journal")
[ "$n" -eq "$rows" ] || { echo "imported $n people, expected $rows"; exit 1; }
ratio=$(bench_calc "$best_fs / $best_sq")
rss_mib=$(bench_calc "$peak / 1024")
printf 'people imported: %d, journal entries: %d\n' "$n" "$j"
printf 'import time ratio fairshare / sqlite3 .import: %.2f (target <= 2.0)\n' "$ratio"
printf 'fairshare peak RSS: %.1f MiB (target < 200 MiB)\n' "$rss_mib"

# The floor: sqlite3 alone storing the rows the import stored (its people and
# their key rows, copied in id order from the imported file into the same tables
# with the same constraints, the name index built after the load as the import
# does, the same page cache, a rollback journal): nothing of fairshare's (no CSV,
# no checks, no seals, no journal). It reads the rows from the imported file (a
# sequential scan, in the page cache), so it is a little above the true floor.
# Best of two.
schema=$(sqlite3 "$dir/f.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ('people', 'person_keys')")
indexes=$(sqlite3 "$dir/f.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('people', 'person_keys')")
best_fl=""
for run in 1 2; do
	rm -f "$dir"/fl.db*
	sqlite3 "$dir/fl.db" "$schema"
	sync
	t0=$(bench_now)
	sqlite3 "$dir/fl.db" "PRAGMA cache_size = -65536" "ATTACH '$dir/f.db' AS src" "BEGIN" \
		"INSERT INTO main.people SELECT * FROM src.people ORDER BY id" \
		"INSERT INTO main.person_keys SELECT * FROM src.person_keys ORDER BY person_id" "$indexes" "COMMIT"
	t1=$(bench_now)
	fl=$(bench_calc "$t1 - $t0")
	if [ -z "$best_fl" ] || [ "$(echo "$fl < $best_fl" | bc -l)" = 1 ]; then best_fl=$fl; fi
done
[ "$(sqlite3 "$dir/fl.db" "SELECT count(*) FROM people")" -eq "$rows" ] || { echo "the floor copied too few rows"; exit 1; }
rm -f "$dir"/fl.db*
flratio=$(bench_calc "$best_fl / $best_sq")
fsfloor=$(bench_calc "$best_fs / $best_fl")
printf 'floor (sqlite3 storing the same rows) %.2f s: %.2f x sqlite3 .import; fairshare %.2f x the floor\n' \
	"$best_fl" "$flratio" "$fsfloor"

# verify against the engine's own integrity check, same file, best of two
best_v=""
best_i=""
for run in 1 2; do
	t0=$(bench_now)
	"$build/fairshare" --db "$dir/f.db" verify >/dev/null
	t1=$(bench_now)
	sqlite3 "$dir/f.db" "PRAGMA integrity_check" >/dev/null
	t2=$(bench_now)
	v=$(bench_calc "$t1 - $t0")
	i=$(bench_calc "$t2 - $t1")
	if [ -z "$best_v" ] || [ "$(echo "$v < $best_v" | bc -l)" = 1 ]; then best_v=$v; fi
	if [ -z "$best_i" ] || [ "$(echo "$i < $best_i" | bc -l)" = 1 ]; then best_i=$i; fi
done
vratio=$(bench_calc "$best_v / $best_i")
printf 'verify %.2f s, PRAGMA integrity_check %.2f s: ratio %.2f (target <= 2.0)\n' "$best_v" "$best_i" "$vratio"

# instructions per row (callgrind, BENCH_CG_N rows)
cg=$BENCH_CG_N
ia=0 ib=0 iv=0 ii=0
if [ "$cg" != 0 ]; then
	"$build/bench/gen_people" "$cg" >"$dir/small.csv"
	fresh "$dir/c.db"
	ia=$(bench_per "$(bench_instr "$build/fairshare" --db "$dir/c.db" import people "$dir/small.csv")" "$cg")
	ib=$(bench_per "$(bench_instr sqlite3 "$dir/cs.db" ".mode csv" ".import $dir/small.csv people")" "$cg")
	iv=$(bench_per "$(bench_instr "$build/fairshare" --db "$dir/c.db" verify)" "$cg")
	ii=$(bench_per "$(bench_instr sqlite3 "$dir/c.db" "PRAGMA integrity_check")" "$cg")
	printf 'instructions per row (%d rows, callgrind): import %s, sqlite3 .import %s; verify %s, integrity_check %s\n' \
		"$cg" "$ia" "$ib" "$iv" "$ii"
fi
bench_result import "$rows" \
	"$(bench_fig "import $rows people" "$best_fs" s "sqlite3 .import" "$best_sq" "$ratio" "<= 2.0" \
		"$(bench_met "$ratio <= 2.0")" "$ia" "$ib" row "BENCH_N=$rows bench/import.sh build")" \
	"$(bench_fig "sqlite3 alone storing the rows import stored (the floor)" "$best_fl" s "sqlite3 .import" "$best_sq" \
		"$flratio" "-" null 0 0 row "BENCH_N=$rows bench/import.sh build")" \
	"$(bench_fig "import $rows people against the floor" "$best_fs" s "sqlite3 alone storing the same rows" "$best_fl" \
		"$fsfloor" "-" null 0 0 row "BENCH_N=$rows bench/import.sh build")" \
	"$(bench_fig "import peak RSS" "$rss_mib" MiB "" "" "" "< 200 MiB" "$(bench_met "$rss_mib < 200")" 0 0 row \
		"BENCH_N=$rows bench/import.sh build")" \
	"$(bench_fig "verify over $rows people" "$best_v" s "sqlite3 PRAGMA integrity_check" "$best_i" "$vratio" "<= 2.0" \
		"$(bench_met "$vratio <= 2.0")" "$iv" "$ii" row "BENCH_N=$rows bench/import.sh build")"
