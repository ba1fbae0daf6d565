#!/bin/sh
# t25b - serve as deployed, on the test build: HTTPS with a certificate made here
# (TLS 1.2/1.3 only, no plain HTTP on the TLS port, Secure cookies, HSTS), SIGHUP
# reloading a renewed certificate and refusing a broken one, /health, /ready,
# /metrics (allow-list, token, routes without ids), X-Forwarded-* believed only
# from --trusted-proxy, backup of an older schema as it is, fairshare-backup.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
J='Content-Type: application/json'
fs demo >/dev/null
# a test CA and server certificate (openssl), as an admin would get from ACME
mkcert() { # mkcert NAME CN
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$2" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$T/$1.key" -out "$T/$1.crt" 2>/dev/null
	chmod 600 "$T/$1.key"
}
mkcert one fairshare-one
mkcert two fairshare-two
printf 'metrics-token-of-the-test-0123456789\n' >"$T/token"
port=$(free_port)
S=https://127.0.0.1:$port
"$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --tls-cert "$T/one.crt" --tls-key "$T/one.key" \
	--metrics-allow 10.9.9.0/24 --metrics-token-file "$T/token" --trusted-proxy 127.0.0.1 \
	--log "$T/serve.log" >"$T/serve.out" 2>"$T/serve.err" &
server=$!
for i in $(seq 1 100); do curl -s --cacert "$T/one.crt" "$S/health" >/dev/null 2>&1 && break; sleep 0.1; done
req() { # req NAME STATUS curl-args...
	local name=$1 want=$2 got
	shift 2
	got=$(curl -s --cacert "$T/one.crt" -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else notok "$name (HTTP $got, expected $want)"; head -c 300 "$T/body" | sed 's/^/#   /'; echo; fi
}
has "announces https" "$T/serve.out" "fairshare is serving https://127.0.0.1:$port/"
req "health over HTTPS" 200 "$S/health"
has "HSTS on every answer" "$T/hdr" "Strict-Transport-Security: max-age=31536000"
req "ready: the database answers" 200 "$S/ready"
has "ready body" "$T/body" '{"ready":true}'
req "log in over HTTPS" 200 -c "$T/jar" -H "$J" -d '{"username":"admin","password":"fairshare-demo"}' "$S/api/v1/login"
has "the session cookie is Secure" "$T/hdr" "HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure"
has "HSTS on the API" "$T/hdr" "Strict-Transport-Security: max-age=31536000"
req "the session works" 200 -b "$T/jar" "$S/api/v1/orgs/miners/people/1"
req "a missing person" 404 -b "$T/jar" "$S/api/v1/orgs/miners/people/999999"
req "the web page over HTTPS" 200 "$S/"
# TLS versions: the client offers only the one named
tls() { echo | timeout 10 openssl s_client -connect 127.0.0.1:$port -cipher 'DEFAULT:@SECLEVEL=0' "$@" 2>&1; }
for v in tls1 tls1_1; do
	if tls -$v | grep -q "Cipher is (NONE)"; then ok "$v refused"; else notok "$v refused"; tls -$v | head -5 | sed 's/^/#   /'; fi
done
for v in tls1_2 tls1_3; do
	if tls -$v | grep -qE "New, TLSv1\.[23], Cipher is [A-Z]"; then ok "$v accepted"; else notok "$v accepted"; tls -$v | tail -5 | sed 's/^/#   /'; fi
done
if tls -tls1_2 -cipher 'AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA' | grep -q "Cipher is (NONE)"; then
	ok "CBC ciphers refused"; else notok "CBC ciphers refused"; fi
same "plain HTTP on the TLS port gets no answer" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/health")" "000"
same "the server's certificate" "$(tls -tls1_3 | grep -o 'subject=CN = fairshare-[a-z]*')" "subject=CN = fairshare-one"
# /metrics: not this address, not a wrong token; the token works
req "metrics refused to others" 403 "$S/metrics"
has "says how to get in" "$T/body" "--metrics-allow"
req "metrics refuse a wrong token" 403 -H "Authorization: Bearer metrics-token-of-the-test-0123456788" "$S/metrics"
req "metrics with the token" 200 -H "Authorization: Bearer metrics-token-of-the-test-0123456789" "$S/metrics"
has "Prometheus text" "$T/hdr" "Content-Type: text/plain; version=0.0.4"
has "login counted by route and status" "$T/body" 'fairshare_http_requests_total{route="/api/v1/login",status="200"} 1'
has "ids and org names left out of routes" "$T/body" 'fairshare_http_requests_total{route="/api/v1/orgs/:org/people/:id",status="404"} 1'
has "... and each status apart" "$T/body" 'fairshare_http_requests_total{route="/api/v1/orgs/:org/people/:id",status="200"} 1'
hasnot "no slug in a label" "$T/body" "miners"
hasnot "no id in a label" "$T/body" "999999"
has "latency histogram" "$T/body" 'fairshare_http_request_duration_seconds_bucket{le="+Inf"}'
has "open connections" "$T/body" "fairshare_http_open_connections 1"
if on_pg; then skip "database size" "fairshare_database_bytes measures an SQLite file"; else
	has "database size" "$T/body" "fairshare_database_bytes $(stat -c %s "$DB")"; fi
has "journal length" "$T/body" "fairshare_journal_entries $(fs --json summary | grep -o '"entries": *[0-9]*' | grep -o '[0-9]*$')"
has "no backup yet, said as a comment" "$T/body" "# fairshare_last_backup_age_seconds: no backup in $T/backups yet"
has "no checkpoints yet" "$T/body" "# fairshare_last_checkpoint_age_seconds"
# behind the trusted proxy (127.0.0.1 here) the forwarded address counts
req "a forwarded allowed address reads metrics" 200 -H "X-Forwarded-For: 192.0.2.1, 10.9.9.7" "$S/metrics"
req "the client's own claim (first hop) does not" 403 -H "X-Forwarded-For: 10.9.9.7, 192.0.2.1" "$S/metrics"
# a backup appears in /metrics
mkdir -p "$T/backups"
fs backup "$T/backups/one.db" >/dev/null
touch -d '-90 seconds' "$T/backups/one.db"
req "metrics after a backup" 200 -H "Authorization: Bearer metrics-token-of-the-test-0123456789" "$S/metrics"
age=$(grep '^fairshare_last_backup_age_seconds ' "$T/body" | cut -d' ' -f2)
if [ -n "$age" ] && [ "$age" -ge 90 ] && [ "$age" -lt 200 ]; then ok "last backup age ($age s)"; else notok "last backup age (got '$age')"; fi
# SIGHUP: a renewed certificate is served without a restart; a broken one is refused
cp "$T/two.crt" "$T/one.crt"
cp "$T/two.key" "$T/one.key"
mv "$T/serve.log" "$T/serve.log.1"
kill -HUP $server
sleep 1
same "SIGHUP: the renewed certificate" "$(tls -tls1_3 | grep -o 'subject=CN = fairshare-[a-z]*')" "subject=CN = fairshare-two"
has "SIGHUP reopened the log" "$T/serve.log" "http: SIGHUP: log reopened, certificate and key reloaded"
mkcert three fairshare-three
cp "$T/three.crt" "$T/one.crt" # and the key of 'two': they do not match
kill -HUP $server
sleep 1
has "a mismatched pair is refused" "$T/serve.log" "the old certificate stays in use"
same "... and the last good one still served" "$(tls -tls1_3 | grep -o 'subject=CN = fairshare-[a-z]*')" "subject=CN = fairshare-two"
kill -TERM $server
wait $server
same "SIGTERM: a clean stop" "$?" "0"
hasnot "no session token in the log" "$T/serve.log" "fs_session="
# plain HTTP, the proxy elsewhere: forwarded headers from this peer count for nothing
port2=$(free_port)
"$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port2 --trusted-proxy 10.0.0.1 --metrics-allow 10.9.9.0/24 \
	>"$T/serve2.out" 2>"$T/serve2.err" &
server=$!
for i in $(seq 1 100); do curl -s "http://127.0.0.1:$port2/health" >/dev/null 2>&1 && break; sleep 0.1; done
P=http://127.0.0.1:$port2
req "plain HTTP login" 200 -H "$J" -H "X-Forwarded-Proto: https" -d '{"username":"admin","password":"fairshare-demo"}' "$P/api/v1/login"
hasnot "no Secure cookie on the word of an untrusted peer" "$T/hdr" "Secure"
hasnot "no HSTS over plain HTTP" "$T/hdr" "Strict-Transport-Security"
has "the cookie still set" "$T/hdr" "Set-Cookie: fs_session="
req "an untrusted peer's X-Forwarded-For does not open /metrics" 403 -H "X-Forwarded-For: 10.9.9.7" "$P/metrics"
kill -TERM $server
wait $server
# options that cannot work are refused before listening (a server that starts anyway is stopped)
expect "TLS needs both files" 65 timeout 20 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --tls-cert "$T/two.crt"
has "names the missing one" "$T/err" "HTTPS needs both --tls-cert and --tls-key"
expect "a key that is not the certificate's" 65 timeout 20 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --tls-cert "$T/three.crt" --tls-key "$T/two.key"
has "says which files" "$T/err" "are not a certificate (PEM) and its private key"
expect "a bad allow-list" 65 timeout 20 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --metrics-allow 10.0.0.0/33
has "names the entry" "$T/err" "'10.0.0.0/33' is not an IPv4 address or network"
printf 'short\n' >"$T/short"
expect "a short metrics token" 65 timeout 20 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --metrics-token-file "$T/short"
has "says why" "$T/err" "shorter than 16 characters"
expect "a bad trusted proxy" 65 timeout 20 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:$port --trusted-proxy proxy.example
# backup copies an older schema as it is: the copy is a rollback point
data=$here/tests/data
old=$T/old.db
{ cat "$data/schema14.sql"; echo "PRAGMA user_version = 14;"; } | sqlite3 "$old"
cp "$data/schema14.key.hex" "$T/old.key"
chmod 600 "$T/old.key"
mkdir -p "$old.evidence/99"
printf 'a court file' >"$old.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
expect "backup of a schema-14 database" 0 "$FS_BIN" --db "$old" --key "$T/old.key" backup "$T/old-copy.db"
same "the database was not migrated" "$(sqlite3 "$old" 'PRAGMA user_version')" 14
same "the copy is schema 14 too" "$(sqlite3 "$T/old-copy.db" 'PRAGMA user_version')" 14
same "its evidence file came along" "$(cat "$T/old-copy.db.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97")" "a court file"
# fairshare-backup: backup, then verify of a scratch copy (which migrates only the copy)
export FAIRSHARE_BIN="$FS_BIN"
expect "a verified backup" 0 sh "$here/deploy/fairshare-backup" "$old" "$T/old.key" "$T/bk" pre-upgrade-from-0.0.9
has "says verified" "$T/out" "written and verified (ok: "
bk=$(ls "$T/bk"/fairshare-pre-upgrade-from-0.0.9-*.db)
same "the backup keeps schema 14" "$(sqlite3 "$bk" 'PRAGMA user_version')" 14
same "the live database still 14" "$(sqlite3 "$old" 'PRAGMA user_version')" 14
same "no scratch left" "$(ls -A "$T/bk" | grep -c verify)" 0
printf 'altered' >"$old.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
expect "an altered evidence file stops the backup" 65 sh "$here/deploy/fairshare-backup" "$old" "$T/old.key" "$T/bk" again
has "says so" "$T/err" "evidence files are missing or altered"
# (a table no migration reshapes: reshaped rows - incidents, evidence, people since the
# per-person keys - are journaled anew as they are, a known gap named in doc/journal.md)
sqlite3 "$old" "UPDATE organizations SET name = 'Someone Else' WHERE id = 1"
printf 'a court file' >"$old.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
expect "a tampered database: the copy does not verify" 1 sh "$here/deploy/fairshare-backup" "$old" "$T/old.key" "$T/bk" tampered
has "kept as .failed" "$T/err" ".db.failed"
has "with the reason" "$T/err" "organization 1 differs from its journal entry"
expect "a label with a slash" 64 sh "$here/deploy/fairshare-backup" "$old" "$T/old.key" "$T/bk" "a/b"
# scheduled backups: only the newest FAIRSHARE_BACKUP_KEEP stay
sqlite3 "$old" "UPDATE organizations SET name = 'Oil' WHERE id = 1"
for i in 1 2 3; do
	FAIRSHARE_BACKUP_KEEP=2 sh "$here/deploy/fairshare-backup" "$old" "$T/old.key" "$T/sched" >/dev/null 2>"$T/err" || cat "$T/err"
	sleep 1.1
done
same "two scheduled backups kept" "$(ls "$T/sched" | grep -c '^fairshare-scheduled-.*\.db$')" 2
finish
