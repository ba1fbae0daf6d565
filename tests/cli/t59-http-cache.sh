#!/bin/sh
# t59-http-cache - what the server's fast path keeps between requests never
# crosses who is asking or outlives a change (issue 16's HTTP work): the rendered
# list pages (per handling level the role reads), the account, token and role
# lookups (per data_version). A viewer after an admin gets the viewer's page and
# the other way round; a write (this server's or another connection's) is seen at
# once; a revoked token, a removed role, a demotion take effect at the next request;
# 64 concurrent connections of two principals each get their own answers; a client
# that sends its request slowly does not hold up the others. No timing is asserted:
# only answers and the order in which they arrive (but a session's end, a clock).
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Oil Union" --country KZ --currency KZT >/dev/null
fs org add --slug far --name "Far Union" --country KZ --currency KZT >/dev/null
o() { fs --org oil "$@"; }
o person add --full-name "Public Person" --phone "+7 700 111 2233" >/dev/null
o person add --full-name "Second Person" >/dev/null
o incident add --type excessive_force --started-on 2011-12-16 --handling public --place "open square" >/dev/null
o incident add --type raid --started-on 2011-12-17 --place "hidden cell" --handling restricted >/dev/null
export FAIRSHARE_PASSWORD=long-enough-password
o user add boss --role admin >/dev/null
o user add viewer --role viewer >/dev/null
o user add docu --role documenter >/dev/null
fs --org far user add faraway --role admin >/dev/null
unset FAIRSHARE_PASSWORD
AT=$(fs user token boss)
VT=$(fs user token viewer --label bench)
DT=$(fs user token docu)
FT=$(fs user token faraway)
start_server 59 || notok "the server starts"
# get TOKEN PATH [OUT]: the status; the body in OUT (default $T/body). Each call is a
# new connection, so successive calls land on the server's worker threads in turn.
get() { curl -s -o "${3:-$T/body}" -w '%{http_code}' -H "Authorization: Bearer $1" "$B$2"; }
total() { grep -o '"total":[0-9]*' "${1:-$T/body}" | head -n 1 | cut -d: -f2; }

# ---- list pages: the cache never crosses handling levels or principals ----
I=/orgs/oil/incidents?limit=50
for i in 1 2 3 4; do get "$AT" "$I" "$T/admin$i" >/dev/null; done
same "the admin reads both incidents (restricted included)" "$(total "$T/admin4")" 2
has "the admin's page holds the restricted incident" "$T/admin4" "hidden cell"
for i in 1 2 3 4; do get "$VT" "$I" "$T/viewer$i" >/dev/null; done
ok_all=1
for i in 1 2 3 4; do
	[ "$(total "$T/viewer$i")" = 1 ] && ! grep -q "hidden cell" "$T/viewer$i" || ok_all=0
done
same "a viewer right after the admin gets the viewer's page, on every worker (total 1, no restricted incident)" "$ok_all" 1
has "the viewer's page holds the public incident" "$T/viewer4" "open square"
for i in 1 2 3 4; do get "$AT" "$I" "$T/admin$i" >/dev/null; done
ok_all=1
for i in 1 2 3 4; do [ "$(total "$T/admin$i")" = 2 ] || ok_all=0; done
same "and the admin after the viewer the admin's again" "$ok_all" 1
# a role of the same level shares what it may share, nothing more
get "$DT" "$I" "$T/docu" >/dev/null
same "a documenter (reads restricted records) gets the whole page" "$(total "$T/docu")" 2
# another organization's admin: the organization does not exist for it
same "an admin of another organization: 404, not the cached page" "$(get "$FT" "$I")" 404
hasnot "and none of its incidents" "$T/body" "open square"
same "the same path with a token no one holds: 401" "$(get "0000000000000000000000000000000000000000000000000000000000000000" "$I")" 401
hasnot "and no page" "$T/body" "open square"

# sealed fields: a reveal by the admin is never cached for the viewer's list
P=/orgs/oil/people?limit=50
get "$VT" "$P" >/dev/null
same "the admin reveals a phone" "$(get "$AT" "/orgs/oil/people/1?reveal=1")" 200
has "(the phone itself)" "$T/body" "700 111 2233"
for i in 1 2 3 4; do get "$VT" "$P" "$T/vp$i" >/dev/null; done
leak=0
for i in 1 2 3 4; do grep -q "700 111 2233" "$T/vp$i" && leak=1; done
same "the viewer's people page after the reveal holds no phone" "$leak" 0
same "the viewer may not reveal" "$(get "$VT" "/orgs/oil/people/1?reveal=1")" 403
hasnot "(nor sees it in the refusal)" "$T/body" "700 111 2233"

# ---- a write is seen at once ----
for i in 1 2 3 4; do get "$VT" "$P" >/dev/null; done
same "two people listed" "$(total)" 2
csrf_free_post() { curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$B$2"; }
same "a person added through the server" "$(csrf_free_post "$AT" /orgs/oil/people '{"full_name":"Third Person"}')" 201
all3=1
for i in 1 2 3 4; do get "$VT" "$P" >/dev/null; [ "$(total)" = 3 ] && grep -q "Third Person" "$T/body" || all3=0; done
same "the server's own write: every worker lists three" "$all3" 1
o person add --full-name "Fourth Person" >/dev/null
all4=1
for i in 1 2 3 4; do get "$VT" "$P" >/dev/null; [ "$(total)" = 4 ] && grep -q "Fourth Person" "$T/body" || all4=0; done
same "another connection's write (the CLI): every worker lists four" "$all4" 1
o person edit 2 --full-name "Renamed Person" >/dev/null
renamed=1
for i in 1 2 3 4; do get "$AT" "$P" >/dev/null; grep -q "Renamed Person" "$T/body" && ! grep -q "Second Person" "$T/body" || renamed=0; done
same "an edit by another connection: every worker shows the new name" "$renamed" 1

# ---- revocation, removal, demotion: at the next request ----
for i in 1 2 3 4; do get "$VT" "$P" >/dev/null; done
same "the viewer's token works (and is cached on every worker)" "$(get "$VT" "$P")" 200
fs --as viewer user token revoke viewer bench >/dev/null
refused=1
for i in 1 2 3 4; do [ "$(get "$VT" "$P")" = 401 ] || refused=0; done
same "a revoked token is refused at once, on every worker" "$refused" 1
hasnot "with no page" "$T/body" "Public Person"
for i in 1 2 3 4; do get "$DT" "$I" >/dev/null; done
same "the documenter reads the restricted incident" "$(total)" 2
o user role docu viewer >/dev/null
dem=1
for i in 1 2 3 4; do get "$DT" "$I" "$T/dem$i" >/dev/null; [ "$(total "$T/dem$i")" = 1 ] && ! grep -q "hidden cell" "$T/dem$i" || dem=0; done
same "demoted to viewer by another connection: the restricted incident is gone at once" "$dem" 1
o user role docu none >/dev/null
gone=1
for i in 1 2 3 4; do [ "$(get "$DT" "$I")" = 404 ] || gone=0; done
same "its role removed: the organization is gone at once" "$gone" 1
fs user disable boss >/dev/null
dis=1
for i in 1 2 3 4; do [ "$(get "$AT" "$P")" = 401 ] || dis=0; done
same "a disabled account's token is refused at once" "$dis" 1
fs user enable boss >/dev/null
AT=$(fs user token boss)
# a change of role by the server itself (its own write: no data_version change)
VT=$(fs user token viewer)
for i in 1 2 3 4; do get "$VT" "$I" >/dev/null; done
same "the viewer reads one incident" "$(total)" 1
vid=$(fs --json user list | tr -d ' \n' | grep -o '"id":[0-9]*,"username":"viewer"' | grep -o '[0-9][0-9]*' | head -n 1)
same "the admin makes the viewer a documenter through the server" \
	"$(curl -s -o "$T/body" -w '%{http_code}' -X PATCH -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"role":"documenter"}' "$B/orgs/oil/users/$vid")" 200
prom=1
for i in 1 2 3 4; do get "$VT" "$I" >/dev/null; [ "$(total)" = 2 ] || prom=0; done
same "the server's own role change is seen by every worker at once" "$prom" 1
curl -s -o /dev/null -X PATCH -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"role":"viewer"}' "$B/orgs/oil/users/$vid"
back=1
for i in 1 2 3 4; do get "$VT" "$I" "$T/back$i" >/dev/null; [ "$(total "$T/back$i")" = 1 ] && ! grep -q "hidden cell" "$T/back$i" || back=0; done
same "and back to viewer: the restricted incident is gone on every worker" "$back" 1

# ---- 64 concurrent connections, two principals: each its own answer ----
get "$AT" "$I" "$T/ref.admin" >/dev/null
get "$VT" "$I" "$T/ref.viewer" >/dev/null
mkdir -p "$T/conc"
i=0 pids=
while [ $i -lt 64 ]; do
	if [ $((i % 2)) = 0 ]; then tok=$AT who=admin; else tok=$VT who=viewer; fi
	# three requests on one kept-alive connection each
	curl -s -H "Authorization: Bearer $tok" -o "$T/conc/$who.$i.a" "$B$I" -o "$T/conc/$who.$i.b" "$B$I" -o "$T/conc/$who.$i.c" "$B$I" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
bad=0 count=0
for f in "$T"/conc/*; do
	count=$((count + 1))
	who=$(basename "$f" | cut -d. -f1)
	cmp -s "$f" "$T/ref.$who" || bad=$((bad + 1))
done
same "192 answers to 64 concurrent connections" "$count" 192
same "each the page of the principal that asked (no answer crossed)" "$bad" 0

# ---- a slow client does not hold up the others ----
# It sends its head and half of its body, then waits for the go file; meanwhile
# others are answered. It then sends the rest and gets its answer.
python3 - "$port" "$AT" "$T/slow" >"$T/slow.out" 2>&1 <<'PY' &
import os, socket, sys, time
port, tok, base = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = b'{"full_name":"Slow Sender"}'
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /api/v1/orgs/oil/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok.encode() +
          b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
open(base + ".sent", "w").close()
for _ in range(1200):  # the shell says go (at most two minutes)
    if os.path.exists(base + ".go"):
        break
    time.sleep(0.1)
s.sendall(body[10:])
print(s.recv(4096).split(b"\r\n")[0].decode())
PY
slow=$!
for i in $(seq 1 300); do [ -f "$T/slow.sent" ] && break; sleep 0.1; done
answered=0
for i in 1 2 3 4 5 6 7 8; do [ "$(get "$VT" "$I")" = 200 ] && answered=$((answered + 1)); done
[ -f "$T/slow.go" ] && gone_early=1 || gone_early=0
same "while a client is half way through its request, others are answered (8 of 8, every worker)" "$answered" 8
same "(the slow client still waits to send the rest)" "$gone_early" 0
: >"$T/slow.go"
wait "$slow"
has "the slow client then gets its answer" "$T/slow.out" "HTTP/1.1 201"
same "its person is there" "$(get "$AT" "/orgs/oil/people?full_name=Slow%20Sender")" 200
has "(listed)" "$T/body" "Slow Sender"

# ---- a session's end: the cache never outlives it (no data change marks it) ----
# One keep-alive connection (one worker): log in, the session set to end in 3 s,
# requests that cache it; once its last second is past, a write is refused at once,
# not taken from the cache for up to 5 s more (rva).
python3 - "$port" "$DB" >"$T/expiry.out" 2>&1 <<'PY'
import datetime, http.client, json, subprocess, sys, time
port, db = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def req(method, path, body=None, headers={}):
    h = {"Content-Type": "application/json"}
    h.update(headers)
    c.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse()
    return r.status, r.getheader("Set-Cookie"), r.read()
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
st, cookie, body = req("POST", "/login", {"username": "boss", "password": "long-enough-password"})
h = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": json.loads(body)["csrf"]}
end = iso(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3))
sql = "UPDATE sessions SET expires_at = '%s'" % end
if db.startswith("postgres:///"):
    subprocess.run(["psql", "-q", "-X", "-d", db[len("postgres:///"):], "-c", sql], check=True)
else:
    subprocess.run(["sqlite3", db, sql], check=True)
print("warm", " ".join(str(req("GET", "/orgs/oil/people", None, h)[0]) for _ in range(3)))
# past its last second by a quarter of a second: the server's time(2) is the kernel's
# coarse clock, up to a tick (4 ms here) behind the one Python reads
while iso(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=0.25)) <= end:
    time.sleep(0.05)
print("after", req("POST", "/orgs/oil/people", {"full_name": "After Its End"}, h)[0])
PY
has "the session works until its end (cached)" "$T/expiry.out" "warm 200 200 200"
has "a write the moment it has ended: refused" "$T/expiry.out" "after 401"
same "and nothing written" "$(get "$AT" "/orgs/oil/people?full_name=After%20Its%20End")" 200
hasnot "(not listed)" "$T/body" "After Its End"

kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
