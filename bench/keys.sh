#!/bin/sh
# keys.sh BUILD_DIR [PEOPLE] - the key rotation benchmark.
# Imports PEOPLE (default 1,000,000) people with four sealed fields each
# (national ID, birth date, phone, address; each person's seal under their own
# key), then times in the same run, on the same file:
#   A. fairshare key rotate (every seal opened and re-sealed under a new key,
#      every person's key re-made, each row journaled, batches of 1000)
#   B. sqlite3 .backup of the database (the reference: one pass over the file)
# and reports A/B, then checks that verify holds after the rotation.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
n=${2:-${BENCH_N:-1000000}}
dir=$(mktemp -d /tmp/fs-bench-keys-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fs() { "$build/fairshare" --db "$dir/f.db" "$@"; }
now() { date +%s.%N; }
"$build/bench/gen_people" "$n" >"$dir/people.csv"
fs init >/dev/null
fs org add --slug bench --name Bench --country TR --currency TRY >/dev/null
t0=$(now)
fs import people "$dir/people.csv" >/dev/null
t1=$(now)
printf 'people: %d, four sealed fields each (import: %.1f s; database %s)\n' "$n" "$(echo "$t1 - $t0" | bc -l)" \
	"$(du -h "$dir/f.db" | cut -f1)"
/usr/bin/time -f "%e %U %S" -o "$dir/backup.time" sqlite3 "$dir/f.db" ".backup $dir/copy.db"
/usr/bin/time -f "%e %U %S %M" -o "$dir/rotate.time" "$build/fairshare" --db "$dir/f.db" key rotate >"$dir/rotate.out"
cat "$dir/rotate.out"
read -r bw bu bs <"$dir/backup.time"
read -r aw au as am <"$dir/rotate.time"
printf 'key rotate: %.2f s wall (%.2f s CPU); sqlite3 .backup of the same file: %.2f s wall (%.2f s CPU)\n' \
	"$aw" "$(echo "$au + $as" | bc -l)" "$bw" "$(echo "$bu + $bs" | bc -l)"
printf 'ratio: %.1f wall, %.1f CPU\n' "$(echo "$aw / $bw" | bc -l)" "$(echo "($au + $as) / ($bu + $bs + 0.001)" | bc -l)"
printf 'rotate peak RSS: %.1f MiB\n' "$(echo "$am / 1024" | bc -l)"
fs verify >/dev/null && echo "verify after the rotation: ok"
bench_result keys "$n" \
	"$(bench_fig "key rotate over $n people" "$aw" s "sqlite3 .backup of the same file" "$bw" "$(bench_calc "$aw / $bw")" "-" true 0 0 row \
		"BENCH_N=$n bench/keys.sh build")" \
	"$(bench_fig "key rotate peak RSS" "$(bench_calc "$am / 1024")" MiB "" "" "" "-" true 0 0 row "BENCH_N=$n bench/keys.sh build")"
