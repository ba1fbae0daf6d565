#!/bin/sh
# t64-http-pool - the server's handler pool (issue 16): short reads are answered
# on the connection's I/O thread, every other request on the pool with its
# connection suspended meanwhile; database contexts are lent per request. A slow
# request (a large import) does not hold up quick reads on other connections; 64
# concurrent connections of two principals, reads and writes mixed across both
# paths, each get their own answers; a revoked token is refused at its next
# request on either path; a server told to stop mid-import exits cleanly.
# No timing is asserted: only answers and the order in which they arrive.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Oil Union" --country TR --currency TRY >/dev/null
o() { fs --org oil "$@"; }
o incident add --type raid --started-on 2011-12-17 --place "hidden cell" --handling restricted >/dev/null
o incident add --type excessive_force --started-on 2011-12-16 --handling public --place "open square" >/dev/null
export FAIRSHARE_PASSWORD=long-enough-password
o user add boss --role admin >/dev/null
o user add viewer --role viewer >/dev/null
unset FAIRSHARE_PASSWORD
AT=$(fs user token boss)
VT=$(fs user token viewer)
start_server 64 || notok "the server starts"
get() { curl -s -o "${3:-$T/body}" -w '%{http_code}' -H "Authorization: Bearer $1" "$B$2"; }
post() { curl -s -o "${4:-$T/body}" -w '%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$B$2"; }
total() { grep -o '"total":[0-9]*' "${1:-$T/body}" | head -n 1 | cut -d: -f2; }

# ---- a slow request holds up no quick read ----
# 60,000 rows: seconds of work (each sealed and journaled) on one pool thread
python3 - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("external_id,full_name,birth_date\n")
    for i in range(60000):
        f.write("X-%06d,Person %d,1970-01-%02d\n" % (i, i, i % 28 + 1))
PY
curl -s -o "$T/import.out" -w '%{http_code}' -H "Authorization: Bearer $AT" -H 'Content-Type: text/csv' \
	--data-binary @"$T/big.csv" "$B/orgs/oil/people/import" >"$T/import.code" &
imp=$!
# the upload is sent (the import is running) when its rows begin to be counted by nobody else: wait a little
sleep 1
kill -0 "$imp" 2>/dev/null && running_before=1 || running_before=0
# 64 quick reads, each on a new connection (spread over every I/O thread)
i=0
while [ $i -lt 64 ]; do
	curl -s -o "$T/q$i" -w '%{http_code}' -H "Authorization: Bearer $VT" "$B/orgs/oil/incidents?limit=50" >"$T/q$i.code" &
	eval "q$i=\$!"
	i=$((i + 1))
done
i=0
while [ $i -lt 64 ]; do eval "wait \$q$i"; i=$((i + 1)); done
kill -0 "$imp" 2>/dev/null && running_after=1 || running_after=0
all=1
i=0
while [ $i -lt 64 ]; do
	[ "$(cat "$T/q$i.code")" = 200 ] && [ "$(total "$T/q$i")" = 1 ] || all=0
	i=$((i + 1))
done
same "the import was still running when the quick reads began" "$running_before" 1
same "64 quick reads on new connections answered (200, the viewer's page) while it ran" "$all" 1
same "all of them before the import ended (no read waited behind it)" "$running_after" 1
wait "$imp"
same "the import then answers 200" "$(cat "$T/import.code")" 200
has "with every row stored" "$T/import.out" '"inserted":60000'

# ---- 64 concurrent connections, two principals, both paths ----
# the admin: the list (fast path) and a person created (pool); the viewer: the
# list and the watch (pool). Each checks its own answer.
i=0
while [ $i -lt 64 ]; do
	case $((i % 4)) in
	0) get "$AT" "/orgs/oil/incidents?limit=50" "$T/c$i" >"$T/c$i.code" & ;;
	1) get "$VT" "/orgs/oil/incidents?limit=50" "$T/c$i" >"$T/c$i.code" & ;;
	2) post "$AT" /orgs/oil/people "{\"full_name\":\"Concurrent $i\"}" "$T/c$i" >"$T/c$i.code" & ;;
	3) get "$VT" "/orgs/oil/incidents?limit=50&handling=restricted" "$T/c$i" >"$T/c$i.code" & ;;
	esac
	eval "c$i=\$!"
	i=$((i + 1))
done
i=0
while [ $i -lt 64 ]; do eval "wait \$c$i"; i=$((i + 1)); done
bad=""
i=0
while [ $i -lt 64 ]; do
	code=$(cat "$T/c$i.code")
	case $((i % 4)) in
	0) [ "$code" = 200 ] && [ "$(total "$T/c$i")" = 2 ] || bad="$bad $i" ;;
	1) [ "$code" = 200 ] && [ "$(total "$T/c$i")" = 1 ] && ! grep -q "hidden cell" "$T/c$i" || bad="$bad $i" ;;
	2) [ "$code" = 201 ] && grep -q "Concurrent $i\"" "$T/c$i" || bad="$bad $i" ;;
	3) ! grep -q "hidden cell" "$T/c$i" || bad="$bad $i" ;;
	esac
	i=$((i + 1))
done
same "64 concurrent connections: each its own principal's answer (admin 2 incidents, viewer 1, 16 people created)" "$bad" ""
get "$AT" "/orgs/oil/people?limit=1&full_name=Concurrent%2010" >/dev/null
same "a person created on the pool is there" "$(total)" 1
get "$AT" "/orgs/oil/people?limit=1" >/dev/null
same "60,016 people in all" "$(total)" 60016

# ---- a revocation is effective at the next request, on both paths ----
XT=$(fs user token viewer --label gone)
same "a second token of the viewer reads the list (fast path)" "$(get "$XT" "/orgs/oil/incidents?limit=50")" 200
same "and the export (pool)" "$(get "$XT" "/orgs/oil/people/export")" 200
for i in 1 2 3 4; do get "$XT" "/orgs/oil/incidents?limit=50" >/dev/null; get "$XT" "/orgs/oil/people/export" >/dev/null; done
# the viewer's account and its token labelled "gone", as the server lists them
get "$AT" /orgs/oil/users "$T/users" >/dev/null
uid=$(python3 -c 'import json,sys; print(next(u["id"] for u in json.load(open(sys.argv[1]))["items"] if u.get("name", u.get("username")) == "viewer"))' "$T/users" 2>/dev/null || echo 0)
get "$AT" "/orgs/oil/users/$uid/tokens" "$T/tokens" >/dev/null
tid=$(python3 -c 'import json,sys; print(next(t["id"] for t in json.load(open(sys.argv[1]))["items"] if "gone" in (t.get("label"), t.get("name"))))' "$T/tokens" 2>/dev/null || echo 0)
same "the admin revokes it through the server (pool)" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $AT" "$B/orgs/oil/users/$uid/tokens/$tid")" 200
ok_fast=1 ok_slow=1
for i in 1 2 3 4; do
	[ "$(get "$XT" "/orgs/oil/incidents?limit=50")" = 401 ] || ok_fast=0
	[ "$(get "$XT" "/orgs/oil/people/export")" = 401 ] || ok_slow=0
done
same "the revoked token is refused at once on the fast path, on every context" "$ok_fast" 1
same "and on the pool" "$ok_slow" 1
hasnot "(no page in the refusal)" "$T/body" "Concurrent"
# revoked from outside the server (the CLI): seen at the next request too
YT=$(fs user token viewer --label cli)
for i in 1 2 3 4; do get "$YT" "/orgs/oil/incidents?limit=50" >/dev/null; done
fs user token revoke viewer cli >/dev/null
ok_cli=1
for i in 1 2 3 4; do [ "$(get "$YT" "/orgs/oil/incidents?limit=50")" = 401 ] || ok_cli=0; done
same "a token revoked by the CLI is refused at the next request" "$ok_cli" 1

# ---- told to stop with a request on the pool: it ends cleanly, nothing half-written ----
sed 's/^X-/Y-/' "$T/big.csv" >"$T/big2.csv"
curl -s -o /dev/null -H "Authorization: Bearer $AT" -H 'Content-Type: text/csv' \
	--data-binary @"$T/big2.csv" "$B/orgs/oil/people/import" >/dev/null &
imp=$!
sleep 1
kill -TERM "$server"
wait "$server"
same "a server told to stop with an import in flight exits 0" "$?" 0
wait "$imp"
n_people=$(o person list --limit 1 --json 2>/dev/null | grep -o "\"total\": *[0-9]*" | grep -o "[0-9]*$")
[ "$n_people" = 60016 ] || [ "$n_people" = 120016 ] && whole=1 || whole=0
same "the import stored all of its rows or none ($n_people people)" "$whole" 1
same "verify after it all" "$(fs verify >/dev/null 2>&1; echo $?)" 0
finish
