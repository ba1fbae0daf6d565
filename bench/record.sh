#!/bin/sh
# record.sh BUILD_DIR [PEOPLE] [VIOLATIONS] - the record benchmark.
# Generates PEOPLE (default 200,000) person records whose names mix Kazakh/Russian
# Cyrillic and Latin spellings of the same names (so real cross-script pairs
# occur), then times in the same run:
#   A. fairshare record duplicates (name key + blocking + pairing; birth dates are
#      sealed, so each is unsealed)                     target < 30 s
#   A0. sqlite3 grouping the same people by folded name (reference)
# Then VIOLATIONS (default 1,000,000) violations with 10% assessments are written
# straight into the tables (bench data only; the journal does not cover them),
# and times
#   B. fairshare record counts                           target < 1 s
#   B0. sqlite3 SELECT type, count(DISTINCT person_id) ... GROUP BY type (reference)
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
np=${2:-200000}
nv=${3:-1000000}
dir=$(mktemp -d /tmp/fs-bench-record-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fs() { "$build/fairshare" --db "$dir/f.db" "$@"; }
now() { date +%s.%N; }
awk -v n="$np" 'BEGIN {
	split("Жанболат Ерлан Марат Нұрлан Асқар Бауыржан Даурен Ғалым Серік Талғат Айдос Ержан Қайрат Мұрат Арман Болат Дәурен Ақжол Жандос Руслан", gc, " ")
	split("Zhanbolat Erlan Marat Nurlan Askar Bauyrzhan Dauren Galym Serik Talgat Aidos Erzhan Kairat Murat Arman Bolat Dauren Akzhol Zhandos Ruslan", gl, " ")
	split("Қасымов Оспанов Ахметов Беков Сейітов Нұрланов Жұмабаев Ысқақов Серіков Әбенов Төлеуов Құлмаханов Есенов Мұқанов Байжанов Қожахметов Оразов Сатпаев Әлиев Жаксылыков Тұрсынов Қуанышев Искаков Абдрахманов Бекмұратов", fc, " ")
	split("Kasymov Ospanov Akhmetov Bekov Seitov Nurlanov Zhumabaev Iskakov Serikov Abenov Toleuov Kulmakhanov Esenov Mukanov Baizhanov Kozhakhmetov Orazov Satpaev Aliev Zhaksylykov Tursynov Kuanyshev Iskakov Abdrakhmanov Bekmuratov", fl, " ")
	split("А Б Д Е Ж К М Н О С Т", pc, " "); split("A B D E Zh K M N O S T", pl, " ")
	srand(2011)
	print "external_id,full_name,birth_date"
	for (i = 0; i < n; i++) {
		g = int(rand() * 20) + 1; f = int(rand() * 25) + 1; p = int(rand() * 11) + 1; y = 1950 + int(rand() * 50)
		if (rand() < 0.5) name = gc[g] " " pc[p] ". " fc[f]; else name = gl[g] " " pl[p]". " fl[f]
		printf "R-%07d,%s,%04d-%02d-%02d\n", i, name, y, 1 + int(rand() * 12), 1 + int(rand() * 28)
	}
}' >"$dir/people.csv"
fs init >/dev/null
fs org add --slug bench --name Bench --country KZ --currency KZT >/dev/null
fs import people "$dir/people.csv" >/dev/null
t0=$(now)
/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" --json record duplicates --limit 10 >"$dir/dups.json"
t1=$(now)
sqlite3 "$dir/f.db" "SELECT full_name_fold, count(*) FROM people GROUP BY 1 HAVING count(*) > 1" >/dev/null
t2=$(now)
a=$(echo "$t1 - $t0" | bc -l)
a0=$(echo "$t2 - $t1" | bc -l)
pairs=$(grep -o '"pairs_total": [0-9]*' "$dir/dups.json" | grep -o '[0-9]*$')
printf 'record duplicates over %d people: %.2f s, %s pairs, peak RSS %.1f MiB (target < 30 s)\n' "$np" "$a" "$pairs" \
	"$(echo "$(cat "$dir/rss") / 1024" | bc -l)"
printf '  reference sqlite3 GROUP BY folded name: %.2f s; ratio %.1f\n' "$a0" "$(echo "$a / $a0" | bc -l)"
fs incident add --type excessive_force --started-on 2011-12-16 --region Mangystau >/dev/null
sqlite3 "$dir/f.db" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $nv)
INSERT INTO violations (org_id, incident_id, type, person_id, victims_low, victims_high, handling)
SELECT 1, 1,
  CASE n % 5 WHEN 0 THEN 'injury' WHEN 1 THEN 'arbitrary_arrest' WHEN 2 THEN 'torture'
             WHEN 3 THEN 'ill_treatment' ELSE 'extrajudicial_killing' END,
  CASE WHEN n % 50 = 0 THEN NULL ELSE 1 + (n * 7919) % $np END,
  CASE WHEN n % 50 = 0 THEN 1 END, CASE WHEN n % 50 = 0 THEN 3 END, 'public'
FROM i;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 10 FROM i WHERE n + 10 <= $nv)
INSERT INTO assessments (org_id, subject, subject_id, level, reason, assessed_on)
SELECT 1, 'violation', n, CASE n % 4 WHEN 0 THEN 'r2' WHEN 1 THEN 'r3' WHEN 2 THEN 'xd' ELSE 'xc' END, 'bench', '2012-01-01' FROM i;
COMMIT;
SQL
t0=$(now)
/usr/bin/time -f "%M" -o "$dir/rss" "$build/fairshare" --db "$dir/f.db" --json record counts >"$dir/counts.json"
t1=$(now)
sqlite3 "$dir/f.db" "SELECT type, count(DISTINCT person_id) FROM violations GROUP BY type" >/dev/null
t2=$(now)
b=$(echo "$t1 - $t0" | bc -l)
b0=$(echo "$t2 - $t1" | bc -l)
printf 'record counts over %d violations: %.2f s, peak RSS %.1f MiB (target < 1 s)\n' "$nv" "$b" \
	"$(echo "$(cat "$dir/rss") / 1024" | bc -l)"
printf '  reference sqlite3 count(DISTINCT person_id) GROUP BY type: %.2f s; ratio %.1f\n' "$b0" "$(echo "$b / $b0" | bc -l)"
cmd="bench/record.sh build $np $nv"
bench_result record "$np" \
	"$(bench_fig "record duplicates over $np people" "$(bench_calc "$a")" s "sqlite3 GROUP BY folded name" "$(bench_calc "$a0")" \
		"$(bench_calc "$a / $a0")" "< 30 s" "$(bench_met "$a < 30")" 0 0 row "$cmd")" \
	"$(bench_fig "record counts over $nv violations" "$(bench_calc "$b")" s "sqlite3 count(DISTINCT) GROUP BY type" "$(bench_calc "$b0")" \
		"$(bench_calc "$b / $b0")" "< 1 s" "$(bench_met "$b < 1")" 0 0 row "$cmd")"
