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
n=${2:-1000000}
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
t0=$(now)
sqlite3 "$dir/f.db" ".backup $dir/copy.db"
t1=$(now)
/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" key rotate >"$dir/rotate.out"
t2=$(now)
b=$(echo "$t1 - $t0" | bc -l)
a=$(echo "$t2 - $t1" | bc -l)
cat "$dir/rotate.out"
printf 'key rotate: %.2f s; sqlite3 .backup of the same file: %.2f s; ratio %.1f\n' "$a" "$b" "$(echo "$a / $b" | bc -l)"
printf 'rotate peak RSS: %.1f MiB\n' "$(echo "$(cat "$dir/rss") / 1024" | bc -l)"
fs verify >/dev/null && echo "verify after the rotation: ok"
