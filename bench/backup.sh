#!/bin/sh
# backup.sh BUILD_DIR [ROWS] - the backup benchmark.
# Builds a database of ROWS (default 1,000,000) people as bench/import.sh does,
# then times in the same run, on the same file:
#   A. fairshare backup DEST  (one consistent snapshot, written under a temporary
#      name, checked - PRAGMA integrity_check and the journal head - then renamed)
#   B. sqlite3 DB ".backup DEST"  (the reference: a page copy, nothing checked)
# Reports the time ratio A/B. Each side runs twice into a new file; the best counts.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
rows=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$build/bench/gen_people" "$rows" >"$dir/people.csv"
"$build/fairshare" --db "$dir/f.db" init >/dev/null
"$build/fairshare" --db "$dir/f.db" org add --slug bench --name Bench --country TR --currency TRY >/dev/null
"$build/fairshare" --db "$dir/f.db" import people "$dir/people.csv" >/dev/null
rm -f "$dir/people.csv"
echo "people: $rows, database $(du -h "$dir/f.db" | cut -f1)"

now() { date +%s.%N; }
best_fs=""
best_sq=""
for run in 1 2; do
	t0=$(now)
	"$build/fairshare" --db "$dir/f.db" backup "$dir/fb$run.db" >/dev/null
	t1=$(now)
	sqlite3 "$dir/f.db" ".backup $dir/sb$run.db"
	t2=$(now)
	fs=$(echo "$t1 - $t0" | bc -l)
	sq=$(echo "$t2 - $t1" | bc -l)
	printf 'run %d: fairshare backup %.2f s, sqlite3 .backup %.2f s\n' "$run" "$fs" "$sq"
	if [ -z "$best_fs" ] || [ "$(echo "$fs < $best_fs" | bc -l)" = 1 ]; then best_fs=$fs; fi
	if [ -z "$best_sq" ] || [ "$(echo "$sq < $best_sq" | bc -l)" = 1 ]; then best_sq=$sq; fi
	rm -rf "$dir/fb$run.db" "$dir/fb$run.db.evidence" "$dir/sb$run.db"
done
"$build/fairshare" --db "$dir/f.db" backup "$dir/check.db" >/dev/null
"$build/fairshare" --db "$dir/f.db" backup --verify "$dir/check.db" >/dev/null
echo "the backup verifies (fairshare backup --verify)"
ratio=$(bench_calc "$best_fs / $best_sq")
printf 'backup time ratio fairshare / sqlite3 .backup: %.2f\n' "$ratio"
bench_result backup "$rows" \
	"$(bench_fig "backup of $rows people" "$(bench_calc "$best_fs")" s "sqlite3 .backup" "$(bench_calc "$best_sq")" "$ratio" "-" true 0 0 row \
		"BENCH_N=$rows bench/backup.sh build")"
