#!/bin/sh
# pg.sh BUILD_DIR [N] - the import, claims-compute, ledger and HTTP benchmarks on
# PostgreSQL, beside the SQLite figures of the same `make bench` run (run.sh runs
# this after them). A private cluster (initdb + pg_ctl from Debian's postgresql
# package) on loopback TCP with PostgreSQL's default settings: fsync on,
# synchronous_commit = on (stated in the results), shared_buffers 128MB.
#   import   fairshare import people of PG_N rows; reference: psql \copy into a plain table
#   claims   fairshare claims compute over PG_N workers
#   ledger   ledger_bench: PG_N transfers through the batch path, then the balances
#   http     wrk -t2 -c64 on GET people?limit=50 (the demo data): one serve process,
#            then two serve processes on the same database, wrk on each at once
# PG_N is BENCH_PG_N, default the smaller of N and 2,000: with fsync on, every
# commit waits for the disk, and 1,000,000 rows there take hours (the whole
# `make bench` would not end). Each step is bounded by BENCH_PG_TIMEOUT seconds
# (default 1800); a step that runs out is reported as such, and the run goes on.
# Writes .postgres (its figures) and .backends (each figure on SQLite and on
# PostgreSQL side by side, as rates per second since the sizes may differ) of
# bench/results.json.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../tests/cli/pg.sh"
n=${2:-${BENCH_N:-1000000}}
pn=${BENCH_PG_N:-$((n < 2000 ? n : 2000))}
limit=${BENCH_PG_TIMEOUT:-1800}
secs=${BENCH_HTTP_SECONDS:-10}
# bounded STEP: the command, killed after $limit seconds (status 124)
bounded() { timeout -k 10 "$limit" "$@"; }
bin=$(pg_bin)
dir=$(mktemp -d /tmp/fs-bench-pg-XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown nobody "$dir"
pids=
cleanup() {
	# each pid is the subshell of a backgrounded fsd: its fairshare child first (left running before)
	for p in $pids; do pkill -TERM -P "$p" 2>/dev/null; kill -TERM "$p" 2>/dev/null || true; done
	[ -f "$dir/data/postmaster.pid" ] && pg_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
port=$((40000 + $$ % 10000))
pg_as "$bin/initdb" -D "$dir/data" -U fairshare --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
	-o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=fairshare
unset PGDATABASE PGSERVICE PGPASSWORD
q() { psql -X -At -d "$1" -c "$2"; }
sync=$(q postgres "SHOW synchronous_commit")
fsync=$(q postgres "SHOW fsync")
echo "PostgreSQL $(q postgres "SHOW server_version") on 127.0.0.1:$port, fsync=$fsync, synchronous_commit=$sync"
db() { createdb "$1" && echo "postgres://127.0.0.1:$port/$1"; }
fsd() { d=$1; shift; "$build/fairshare" --db "$d" --key "$dir/$(basename "$d").key" "$@"; }
setup_org() { fsd "$1" init >/dev/null && fsd "$1" org add --slug bench --name Bench --country TR --currency TRY >/dev/null; }

# ---- import ----
"$build/bench/gen_people" "$pn" >"$dir/people.csv"
d=$(db bimport)
setup_org "$d"
t0=$(bench_now)
bounded "$build/fairshare" --db "$d" --key "$dir/$(basename "$d").key" import people "$dir/people.csv" >/dev/null ||
	{ echo "bench: postgres: the import of $pn people did not end within ${limit} s" >&2; exit 1; }
t1=$(bench_now)
cols=$(head -n 1 "$dir/people.csv" | tr -cd ',' | wc -c)
q bimport "CREATE TABLE ref ($(seq 0 "$cols" | sed 's/.*/c& text/' | paste -sd,))" >/dev/null
t2=$(bench_now)
psql -X -q -d bimport -c "\\copy ref FROM '$dir/people.csv' WITH (FORMAT csv, HEADER true)"
t3=$(bench_now)
imp=$(bench_calc "$t1 - $t0")
cp_=$(bench_calc "$t3 - $t2")
[ "$(q bimport "SELECT count(*) FROM people")" -eq "$pn" ] || { echo "imported the wrong number of people"; exit 1; }
t0=$(bench_now)
fsd "$d" verify >/dev/null
ver=$(bench_calc "$(bench_now) - $t0")
printf 'import %d people: %.2f s (psql \\copy %.2f s); verify %.2f s\n' "$pn" "$imp" "$cp_" "$ver"

# ---- claims ----
"$build/bench/gen_workers" "$pn" >"$dir/workers.csv"
d=$(db bclaims)
setup_org "$d"
fsd "$d" employer add --name "Coal Co" >/dev/null
fsd "$d" workplace add --employer-id 1 --name Mine --kind mine >/dev/null
fsd "$d" import people "$dir/workers.csv" >/dev/null
t0=$(bench_now)
bounded "$build/fairshare" --db "$d" --key "$dir/$(basename "$d").key" claims compute --workplace 1 >/dev/null ||
	{ echo "bench: postgres: claims compute over $pn workers did not end within ${limit} s" >&2; exit 1; }
t1=$(bench_now)
cl=$(bench_calc "$t1 - $t0")
nclaims=$(q bclaims "SELECT count(*) FROM claims")
t0=$(bench_now)
fsd "$d" watch >/dev/null
wa=$(bench_calc "$(bench_now) - $t0")
printf 'claims compute: %.2f s for %d claims; watch %.2f s\n' "$cl" "$nclaims" "$wa"

# ---- ledger ----
createdb bledger
mkdir -p "$dir/ledger"
line=$(BENCH_PG_DB="postgres://127.0.0.1:$port/bledger" bounded "$build/bench/ledger_bench" "$dir/ledger" "$pn") ||
	{ echo "bench: postgres: $pn ledger transfers did not end within ${limit} s" >&2; exit 1; }
echo "$line"
tps=$(echo "$line" | awk '{print $8}')
bal=$(echo "$line" | awk '{print $10}')

# ---- http: one server, then two on one database ----
d=$(db bhttp)
fsd "$d" demo >/dev/null
token=$(fsd "$d" user token admin)
hp=$((port + 1))
serve() { # PORT
	fsd "$d" serve --listen 127.0.0.1:$1 >/dev/null 2>"$dir/serve$1.err" &
	pids="$pids $!"
	for i in $(seq 1 300); do curl -s "http://127.0.0.1:$1/api/v1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
url() { echo "http://127.0.0.1:$1/api/v1/orgs/miners/people?limit=50"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	printf "%.3f", u == "us" ? v / 1000 : u == "s" ? v * 1000 : v }' "$1"; }
serve "$hp"
curl -s -H "Authorization: Bearer $token" "$(url "$hp")" | grep -q full_name || { echo "serve on PostgreSQL answers no people"; exit 1; }
wrk -t2 -c64 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$(url "$hp")" >"$dir/wrk1"
h1=$(rps "$dir/wrk1")
l1=$(p99 "$dir/wrk1")
serve $((hp + 1))
wrk -t1 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$(url "$hp")" >"$dir/wrk2a" &
w=$!
wrk -t1 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$(url $((hp + 1)))" >"$dir/wrk2b"
wait "$w"
h2=$(bench_calc "$(rps "$dir/wrk2a") + $(rps "$dir/wrk2b")")
errs=$(cat "$dir/wrk1" "$dir/wrk2a" "$dir/wrk2b" | grep -c "Non-2xx" || true)
printf 'http: one serve %s req/s (p99 %s ms); two serve processes %s req/s%s\n' "$h1" "$l1" "$h2" \
	"$([ "$errs" -gt 0 ] && echo ' (non-2xx responses!)' || true)"

cmd="BENCH_N=$n BENCH_PG_N=$pn BENCH_ONLY=postgres bench/run.sh build"
st="PostgreSQL on loopback, defaults, fsync=$fsync, synchronous_commit=$sync"
bench_result postgres "$pn" \
	"$(bench_fig "import $pn people ($st)" "$imp" s "psql \\\\copy" "$cp_" "$(bench_calc "$imp / $cp_")" "-" true 0 0 row "$cmd")" \
	"$(bench_fig "verify over $pn people (PostgreSQL)" "$ver" s "" "" "" "-" true 0 0 row "$cmd")" \
	"$(bench_fig "claims compute, $pn workers ($nclaims claims, PostgreSQL)" "$cl" s "" "" "" "-" true 0 0 row "$cmd")" \
	"$(bench_fig "watch over $pn workers (PostgreSQL)" "$wa" s "" "" "" "-" true 0 0 worker "$cmd")" \
	"$(bench_fig "ledger transfers committed per second, batch path (PostgreSQL)" "$tps" "transfers/s" "" "" "" "-" true 0 0 transfer "$cmd")" \
	"$(bench_fig "fund balances (PostgreSQL)" "$bal" s "" "" "" "-" true 0 0 query "$cmd")" \
	"$(bench_fig "GET people?limit=50, one serve, wrk -t2 -c64 (PostgreSQL)" "$h1" "req/s" "" "" "" "-" true 0 0 request "$cmd")" \
	"$(bench_fig "GET people?limit=50 p99, one serve (PostgreSQL)" "$l1" ms "" "" "" "-" true 0 0 request "$cmd")" \
	"$(bench_fig "GET people?limit=50, two serve processes, wrk -t1 -c32 on each (PostgreSQL)" "$h2" "req/s" "" "" "" "-" true 0 0 request "$cmd")"
# side by side: the SQLite figure of this run (when its benchmark ran) and
# PostgreSQL's, each as a rate per second (the sizes may differ: PG_N <= N)
sq() { # KEY INDEX: .KEY.figures[INDEX].value of the results, or null
	v=$(sqlite3 :memory: "SELECT json_extract(readfile('$BENCH_RESULTS'), '\$.$1.figures[$2].value')" 2>/dev/null)
	echo "${v:-null}"
}
sqn() { # KEY: .KEY.n of the results, or 0
	v=$(sqlite3 :memory: "SELECT json_extract(readfile('$BENCH_RESULTS'), '\$.$1.n')" 2>/dev/null)
	echo "${v:-0}"
}
rate() { # ROWS SECONDS: ROWS / SECONDS, or null
	if [ "$2" = null ] || [ "${1:-0}" = 0 ] || [ "$(echo "$2 <= 0" | bc -l)" = 1 ]; then echo null; else bench_calc "$1 / $2"; fi
}
side() { printf '{"what":"%s","unit":"%s","sqlite":%s,"postgres":%s,"sqlite_n":%s,"postgres_n":%s}' "$1" "$2" "$3" "$4" "$5" "$6"; }
ni=$(sqn import) nc=$(sqn claims)
obj=$(printf '{"date":"%s","n":%s,"postgres_n":%s,"postgres":"%s","rows":[%s,%s,%s,%s,%s,%s,%s,%s]}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$n" "$pn" "$st" \
	"$(side "import people" "people/s" "$(rate "$ni" "$(sq import 0)")" "$(rate "$pn" "$imp")" "$ni" "$pn")" \
	"$(side "verify after the import" "people/s" "$(rate "$ni" "$(sq import 2)")" "$(rate "$pn" "$ver")" "$ni" "$pn")" \
	"$(side "claims compute" "workers/s" "$(rate "$nc" "$(sq claims 0)")" "$(rate "$pn" "$cl")" "$nc" "$pn")" \
	"$(side "watch" "workers/s" "$(rate "$nc" "$(sq claims 2)")" "$(rate "$pn" "$wa")" "$nc" "$pn")" \
	"$(side "ledger transfers committed" "transfers/s" "$(sq funds 0)" "$tps" "$(sqn funds)" "$pn")" \
	"$(side "fund balances (one query)" s "$(sq funds 1)" "$bal" "$(sqn funds)" "$pn")" \
	"$(side "GET people?limit=50, one serve" "req/s" "$(sq http 0)" "$h1" 0 0)" \
	"$(side "GET people?limit=50, two serve processes" "req/s" null "$h2" 0 0)")
sqlite3 :memory: "SELECT json_set(readfile('$BENCH_RESULTS'), '\$.backends', json('$obj'))" >"$BENCH_RESULTS.new" &&
	[ -s "$BENCH_RESULTS.new" ] && mv "$BENCH_RESULTS.new" "$BENCH_RESULTS"
# each row with the size each side was measured at (the SQLite figure is the last
# SQLite run's in bench/results.json, whatever its N)
echo "side by side (bench/results.json .backends; what | unit | SQLite (its N) | PostgreSQL (its N)):"
sqlite3 -separator ' | ' :memory: "SELECT json_extract(r.value, '\$.what'), json_extract(r.value, '\$.unit'),
	coalesce(json_extract(r.value, '\$.sqlite'), '-') || CASE WHEN json_extract(r.value, '\$.sqlite_n') > 0 THEN ' (N=' || json_extract(r.value, '\$.sqlite_n') || ')' ELSE '' END,
	coalesce(json_extract(r.value, '\$.postgres'), '-') || CASE WHEN json_extract(r.value, '\$.postgres_n') > 0 THEN ' (N=' || json_extract(r.value, '\$.postgres_n') || ')' ELSE '' END
	FROM json_each(json_extract(readfile('$BENCH_RESULTS'), '\$.backends.rows')) r"
