#!/bin/sh
# run.sh BUILD_DIR - every benchmark (make bench), then the table of figures from
# bench/results.json. BENCH_N (default 1,000,000) sizes the big ones, BENCH_CG_N
# (default 10,000) the callgrind runs; BENCH_ONLY="import claims" runs only those.
# "postgres" (last) runs import, claims, ledger and HTTP again on PostgreSQL (pg.sh)
# and writes both backends' figures side by side (.backends of the results).
# A full run takes about 15 minutes on an idle 2-core machine (N = 1,000,000).
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
n=${BENCH_N:-1000000}
all="import claims funds http record backup keys log web postgres"
for b in ${BENCH_ONLY:-$all}; do
	echo "== $b"
	# the writes of the part before reach the disk first: its dirty pages would
	# otherwise be written back while this part is timed (the funds' figure
	# after claims compute's gigabyte fell by a fifth)
	sync
	case $b in
	record) sh "$here/record.sh" "$build" "$(( n / 5 ))" "$n" ;;
	http) sh "$here/http.sh" "$build" ;;
	postgres) sh "$here/pg.sh" "$build" "$n" ;;
	*) sh "$here/$b.sh" "$build" "$n" ;;
	esac
done
echo
echo "== figures (bench/results.json)"
sqlite3 -separator ' | ' :memory: "
SELECT '' || b.key, json_extract(f.value, '\$.what'),
       json_extract(f.value, '\$.value') || ' ' || json_extract(f.value, '\$.unit'),
       coalesce(json_extract(f.value, '\$.reference') || ' ' || json_extract(f.value, '\$.reference_value'), '-'),
       CASE WHEN json_extract(f.value, '\$.ratio') IS NULL THEN '-' ELSE printf('%.2f', json_extract(f.value, '\$.ratio')) END,
       json_extract(f.value, '\$.target'),
       CASE json_extract(f.value, '\$.met') WHEN 1 THEN 'met' WHEN 0 THEN 'MISSED' ELSE '-' END,
       CASE WHEN json_extract(f.value, '\$.instruction_ratio') IS NOT NULL
            THEN 'instr/' || substr(i.key, 18) || ' ' || i.value || ' vs ' ||
                 json_extract(f.value, '\$.reference_' || i.key) || ' = ' || printf('%.1f', json_extract(f.value, '\$.instruction_ratio'))
            WHEN i.value > 0 THEN 'instr/' || substr(i.key, 18) || ' ' || i.value ELSE '' END
FROM json_each(readfile('$BENCH_RESULTS')) b, json_each(json_extract(b.value, '\$.figures')) f
LEFT JOIN json_each(f.value) i ON i.key LIKE 'instructions\_per\_%' ESCAPE '\'
WHERE b.key IN ('import', 'claims', 'funds', 'http', 'record', 'backup', 'keys', 'log', 'web', 'postgres')"
