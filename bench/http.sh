#!/bin/sh
# http.sh BUILD_DIR [SECONDS] - the HTTP benchmark. In one run, with the same wrk
# settings (2 threads, 64 connections):
#   A. fairshare serve: authenticated GET /api/v1/orgs/miners/people?limit=50 on
#      the demo data (API token)
#   B. nginx serving a static file with the same JSON body (the reference)
# Reports the requests/s ratio A/B (target >= 0.5), A's p99 latency (target
# < 10 ms) and fairshare's resident memory (target < 30 MiB).
set -eu
build=${1:-build}
secs=${2:-10}
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
cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/logs; proxy_temp_path $dir/logs; fastcgi_temp_path $dir/logs;
  uwsgi_temp_path $dir/logs; scgi_temp_path $dir/logs;
  server { listen 127.0.0.1:$p2; root $dir/www; default_type application/json; }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
sleep 0.3
run() { wrk -t2 -c64 -d"${secs}s" --latency "$@"; }
run -H "Authorization: Bearer $token" "$url" >"$dir/wrk.fs"
run "http://127.0.0.1:$p2/people.json" >"$dir/wrk.nginx"
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
rss=$(awk '/VmRSS/ {print $2}' "/proc/$fspid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$fspid/status")
a=$(rps "$dir/wrk.fs")
b=$(rps "$dir/wrk.nginx")
errs=$(grep -c "Non-2xx" "$dir/wrk.fs" || true)
printf 'body: %d bytes (50 people)\n' "$(wc -c <"$dir/people.json")"
printf 'fairshare: %s req/s, p99 %s%s\n' "$a" "$(p99 "$dir/wrk.fs")" "$([ "$errs" -gt 0 ] && echo ' (non-2xx responses!)' || true)"
printf 'nginx:     %s req/s, p99 %s\n' "$b" "$(p99 "$dir/wrk.nginx")"
printf 'ratio fairshare / nginx: %.2f (target >= 0.5)\n' "$(echo "$a / $b" | bc -l)"
printf 'fairshare RSS: %.1f MiB now, %.1f MiB peak (target < 30 MiB)\n' "$(echo "$rss / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)"
