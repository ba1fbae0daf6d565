#!/bin/sh
# import.sh BUILD_DIR [ROWS] - the people-import benchmark.
# Generates ROWS (default 1,000,000) people as CSV, then times in the same run:
#   A. fairshare import people  (validation, sealing, keyed hashes, journal)
#   B. sqlite3 .import of the same file into a plain table (the reference)
# Reports the time ratio A/B (target <= 2.0) and fairshare's peak RSS (target
# < 200 MiB). Each side runs twice into a fresh database; the best run counts.
set -eu
build=${1:-build}
rows=${2:-1000000}
dir=$(mktemp -d /tmp/fs-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bench/gen_people" "$rows" >"$dir/people.csv"
echo "rows: $rows ($(du -h "$dir/people.csv" | cut -f1) of CSV)"

now() { date +%s.%N; }
best_fs=""
best_sq=""
peak=0
for run in 1 2; do
	rm -f "$dir"/f.db* "$dir"/s.db*
	"$build/fairshare" --db "$dir/f.db" init >/dev/null
	"$build/fairshare" --db "$dir/f.db" org add --slug bench --name Bench --country TR --currency TRY >/dev/null
	t0=$(now)
	/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" import people "$dir/people.csv" >/dev/null
	t1=$(now)
	sqlite3 "$dir/s.db" ".mode csv" ".import $dir/people.csv people"
	t2=$(now)
	fs=$(echo "$t1 - $t0" | bc -l)
	sq=$(echo "$t2 - $t1" | bc -l)
	rss=$(cat "$dir/rss")
	[ "$rss" -gt "$peak" ] && peak=$rss
	printf 'run %d: fairshare %.2f s, sqlite3 .import %.2f s\n' "$run" "$fs" "$sq"
	if [ -z "$best_fs" ] || [ "$(echo "$fs < $best_fs" | bc -l)" = 1 ]; then best_fs=$fs; fi
	if [ -z "$best_sq" ] || [ "$(echo "$sq < $best_sq" | bc -l)" = 1 ]; then best_sq=$sq; fi
done
n=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM people")
j=$(sqlite3 "$dir/f.db" "SELECT count(*) FROM journal")
[ "$n" -eq "$rows" ] || { echo "imported $n people, expected $rows"; exit 1; }
ratio=$(echo "$best_fs / $best_sq" | bc -l)
printf 'people imported: %d, journal entries: %d\n' "$n" "$j"
printf 'import time ratio fairshare / sqlite3 .import: %.2f (target <= 2.0)\n' "$ratio"
printf 'fairshare peak RSS: %.1f MiB (target < 200 MiB)\n' "$(echo "$peak / 1024" | bc -l)"
