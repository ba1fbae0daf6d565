#!/bin/sh
# http.sh BUILD_DIR [SECONDS] - the HTTP benchmark. In one run, with the same wrk
# settings (2 threads, 64 connections, SECONDS each, default 10):
#   A. fairshare serve: authenticated GET /api/v1/orgs/miners/people?limit=50 on
#      the demo data (API token)
#   B. nginx serving a static file with the same JSON body (the reference)
# Reports the requests/s ratio A/B (target >= 0.5), the p99 latency ratio A/B
# (target <= 2) and fairshare's resident memory (target < 30 MiB).
# Instructions per request: each server under callgrind answering 220 requests
# on one keep-alive connection, less the same server answering 20 (its warm-up:
# the worker's database connection, the first page rendered), over 200.
set -eu
build=${1:-build}
. "$(dirname "$0")/lib.sh"
secs=${2:-${BENCH_HTTP_SECONDS:-10}}
dir=$(mktemp -d /tmp/fs-bench-http-XXXXXX)
chmod 755 "$dir"
cleanup() {
	[ -n "${fspid:-}" ] && kill -TERM "$fspid" 2>/dev/null || true
	[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
	sleep 0.3
	rm -rf "$dir"
}
trap cleanup EXIT
fs() { "$build/fairshare" --db "$dir/f.db" "$@"; }
# /usr/sbin is not on a user's PATH on Debian
nginx=$(command -v nginx || echo /usr/sbin/nginx)
fs demo >/dev/null
token=$(fs user token admin)
p1=$((30000 + $$ % 10000))
p2=$((p1 + 1))
"$build/fairshare" --db "$dir/f.db" serve --listen 127.0.0.1:$p1 >/dev/null 2>"$dir/serve.err" &
fspid=$!
url="http://127.0.0.1:$p1/api/v1/orgs/miners/people?limit=50"
for i in $(seq 1 50); do curl -s "http://127.0.0.1:$p1/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -s -H "Authorization: Bearer $token" "$url" >"$dir/people.json"
mkdir -p "$dir/www" "$dir/logs"
cp "$dir/people.json" "$dir/www/people.json"
chmod -R a+rX "$dir/www"
nginx_conf() { # FILE PORT WORKERS
	cat >"$1" <<CONF
worker_processes $3;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/logs; proxy_temp_path $dir/logs; fastcgi_temp_path $dir/logs;
  uwsgi_temp_path $dir/logs; scgi_temp_path $dir/logs;
  server { listen 127.0.0.1:$2; root $dir/www; default_type application/json; }
}
CONF
}
nginx_conf "$dir/nginx.conf" "$p2" 2
"$nginx" -e "$dir/logs/error.log" -c "$dir/nginx.conf" -p "$dir"
sleep 0.3
run() { wrk -t2 -c64 -d"${secs}s" --latency "$@"; }
run -H "Authorization: Bearer $token" "$url" >"$dir/wrk.fs"
run "http://127.0.0.1:$p2/people.json" >"$dir/wrk.nginx"
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
# p99 in ms (wrk prints us, ms or s)
p99() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	printf "%.3f", u == "us" ? v / 1000 : u == "s" ? v * 1000 : v }' "$1"; }
rss=$(awk '/VmRSS/ {print $2}' "/proc/$fspid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$fspid/status")
kill -TERM "$fspid" 2>/dev/null || true
wait "$fspid" 2>/dev/null || true
fspid=
kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
rm -f "$dir/nginx.pid"
a=$(rps "$dir/wrk.fs")
b=$(rps "$dir/wrk.nginx")
pa=$(p99 "$dir/wrk.fs")
pb=$(p99 "$dir/wrk.nginx")
errs=$(grep -c "Non-2xx" "$dir/wrk.fs" || true)
ratio=$(bench_calc "$a / $b")
pratio=$(bench_calc "$pa / $pb")
rss_mib=$(bench_calc "$hwm / 1024")
bytes=$(wc -c <"$dir/people.json")
printf 'body: %d bytes (50 people)\n' "$bytes"
printf 'fairshare: %s req/s, p99 %s ms%s\n' "$a" "$pa" "$([ "$errs" -gt 0 ] && echo ' (non-2xx responses!)' || true)"
printf 'nginx:     %s req/s, p99 %s ms\n' "$b" "$pb"
printf 'ratio fairshare / nginx: %.2f (target >= 0.5); p99 ratio %.2f (target <= 2)\n' "$ratio" "$pratio"
printf 'fairshare RSS: %.1f MiB now, %.1f MiB peak (target < 30 MiB)\n' "$(bench_calc "$rss / 1024")" "$rss_mib"

# instructions per request: callgrind, 220 requests on one connection less 20
ia=0 ib=0
if [ "$BENCH_CG_N" != 0 ] && command -v valgrind >/dev/null 2>&1; then
	reqs=200 warm=20
	cg_run() { # fairshare|nginx COUNT: instructions of the server answering COUNT requests
		port=$((p2 + 1)) count=$2
		if [ "$1" = fairshare ]; then
			valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$dir/cg.log" \
				"$build/fairshare" --db "$dir/f.db" serve --listen 127.0.0.1:$port >/dev/null 2>&1 &
			u="http://127.0.0.1:$port/api/v1/orgs/miners/people?limit=50"
			ready="http://127.0.0.1:$port/api/v1/health"
		else
			nginx_conf "$dir/cg.conf" "$port" 1
			valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$dir/cg.log" \
				"$nginx" -e "$dir/logs/error.log" -c "$dir/cg.conf" -p "$dir" -g 'daemon off; master_process off;' >/dev/null 2>&1 &
			u="http://127.0.0.1:$port/people.json"
			ready=$u
		fi
		cgpid=$!
		for i in $(seq 1 300); do curl -s -o /dev/null "$ready" 2>/dev/null && break; sleep 0.1; done
		if [ "$count" -gt 0 ]; then
			set --
			for i in $(seq 1 "$count"); do set -- "$@" "$u"; done
			curl -s -H "Authorization: Bearer $token" "$@" >/dev/null
		fi
		sleep 1
		kill -TERM "$cgpid" 2>/dev/null || true
		for i in $(seq 1 200); do kill -0 "$cgpid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$cgpid" 2>/dev/null || true
		wait "$cgpid" 2>/dev/null || true
		awk '/Collected :/ {n = $4} END {print n + 0}' "$dir/cg.log"
	}
	fa0=$(cg_run fairshare "$warm")
	fa1=$(cg_run fairshare "$((warm + reqs))")
	nb0=$(cg_run nginx "$warm")
	nb1=$(cg_run nginx "$((warm + reqs))")
	ia=$(bench_per "$((fa1 - fa0))" "$reqs")
	ib=$(bench_per "$((nb1 - nb0))" "$reqs")
	printf 'instructions per request (%d requests after %d, callgrind): fairshare %s, nginx %s\n' "$reqs" "$warm" "$ia" "$ib"
fi
cmd="BENCH_HTTP_SECONDS=$secs bench/http.sh build"
bench_result http "$secs" \
	"$(bench_fig "GET people?limit=50 ($bytes bytes), wrk -t2 -c64" "$a" "req/s" "nginx static file, same size" "$b" \
		"$ratio" ">= 0.5" "$(bench_met "$ratio >= 0.5")" "$ia" "$ib" request "$cmd")" \
	"$(bench_fig "GET people?limit=50 p99 latency" "$pa" ms "nginx p99" "$pb" "$pratio" "<= 2" \
		"$(bench_met "$pratio <= 2")" "$ia" "$ib" request "$cmd")" \
	"$(bench_fig "serve peak RSS" "$rss_mib" MiB "" "" "" "< 30 MiB" "$(bench_met "$rss_mib < 30")" 0 0 request "$cmd")"
