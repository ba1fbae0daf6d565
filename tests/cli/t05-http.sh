#!/bin/sh
# t05 - fairshare serve: the JSON API against a running server: login, sessions,
# CSRF, API tokens, roles and organization isolation, error format for bad input,
# limits, security headers, graceful shutdown on SIGTERM.
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
export FAIRSHARE_PASSWORD=another-password
fs --org oil user add oilviewer --role viewer >/dev/null
unset FAIRSHARE_PASSWORD
start_server 0
# req NAME STATUS curl-args... : the response body goes to $T/body, headers to $T/hdr
req() {
	local name=$1 want=$2 got
	shift 2
	got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else notok "$name (HTTP $got, expected $want)"; head -c 300 "$T/body" | sed 's/^/#   /'; echo; fi
}
login() { # login USER JAR -> prints the CSRF token
	curl -s -c "$2" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"${3:-fairshare-demo}\"}" "$B/login" |
		grep -o '"csrf":"[0-9a-f]*"' | cut -d'"' -f4
}
J='Content-Type: application/json'

req "health" 200 "$B/health"
has "listening message" "$T/serve.out" "fairshare is serving http://127.0.0.1:$port/"
req "not logged in" 401 "$B/orgs/miners/people"
has "error format" "$T/body" '{"error":{"code":"unauthorized"'
has "CSP header" "$T/hdr" "Content-Security-Policy: default-src 'self'"
has "nosniff header" "$T/hdr" "X-Content-Type-Options: nosniff"
has "frame denial" "$T/hdr" "X-Frame-Options: DENY"
has "referrer policy" "$T/hdr" "Referrer-Policy: no-referrer"
req "wrong password" 401 -H "$J" -d '{"username":"admin","password":"wrong-password"}' "$B/login"
req "login" 200 -c "$T/admin.jar" -H "$J" -d '{"username":"admin","password":"fairshare-demo"}' "$B/login"
has "session cookie is HttpOnly and SameSite=Strict" "$T/hdr" "HttpOnly; SameSite=Strict"
csrf=$(grep -o '"csrf":"[0-9a-f]*"' "$T/body" | cut -d'"' -f4)
req "me" 200 -b "$T/admin.jar" "$B/me"
has "orgs with roles" "$T/body" '"slug":"miners"'
req "list people" 200 -b "$T/admin.jar" "$B/orgs/miners/people?limit=5&q=ilder"
has "search works" "$T/body" "İlder"
hasnot "sealed fields not listed" "$T/body" "national_id"
req "filter employments" 200 -b "$T/admin.jar" "$B/orgs/miners/employments?workplace_id=1&limit=1"
has "748 at the mine" "$T/body" '"total":748'
req "create without CSRF" 403 -b "$T/admin.jar" -H "$J" -d '{"full_name":"X Y"}' "$B/orgs/miners/people"
has "csrf code" "$T/body" '"code":"csrf"'
req "create" 201 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":"Zeynep Yıldız","national_id":"10000000146","phone":"+90 555 1"}' "$B/orgs/miners/people"
id=$(grep -o '"id":[0-9]*' "$T/body" | head -n 1 | cut -d: -f2)
req "update" 200 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -X PATCH -d '{"external_id":"Z-1"}' "$B/orgs/miners/people/$id"
has "updated" "$T/body" '"external_id":"Z-1"'
req "reveal sealed as admin" 200 -b "$T/admin.jar" "$B/orgs/miners/people/$id?reveal=1"
has "revealed" "$T/body" '"national_id":"10000000146"'
"$FS_BIN" --db "$DB" log --entity person --id "$id" --limit 3 >"$T/log"
has "the view was journaled" "$T/log" "view"
has "the journal names the API user" "$T/log" "user:1"
req "malformed JSON" 400 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":' "$B/orgs/miners/people"
has "malformed code" "$T/body" '"code":"malformed_json"'
req "wrong type" 400 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":["a"]}' "$B/orgs/miners/people"
has "wrong_type code" "$T/body" '"code":"wrong_type"'
req "unknown field" 400 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":"A","shoe":1}' "$B/orgs/miners/people"
has "unknown_field code" "$T/body" '"field":"shoe"'
printf '{"full_name":"Al\375"}' >"$T/bad.json"
req "invalid UTF-8" 400 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" --data-binary @"$T/bad.json" "$B/orgs/miners/people"
has "invalid_utf8 code" "$T/body" '"code":"invalid_utf8"'
head -c 2000000 /dev/zero | tr '\0' 'a' >"$T/big.json"
req "oversized body" 413 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" --data-binary @"$T/big.json" "$B/orgs/miners/people"
req "validation error" 422 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":"A","birth_date":"31/12/1970"}' "$B/orgs/miners/people"
has "names the field" "$T/body" '"field":"birth_date"'
req "money as minor units" 201 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d "{\"person_id\":$id,\"workplace_id\":1,\"hired\":\"2001-01-01\",\"wage_minor\":180000}" "$B/orgs/miners/employments"
has "stored exactly" "$T/body" '"wage_minor":180000'
req "money as a float is refused" 400 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d "{\"person_id\":$id,\"workplace_id\":1,\"hired\":\"2001-01-01\",\"wage\":1800.5}" "$B/orgs/miners/employments"
req "other organization's record" 404 -b "$T/admin.jar" "$B/orgs/oil/people/$id"
printf 'full_name,birth_date\nGood Person,1970-01-01\nBad Person,1970-13-01\n' >"$T/up.csv"
req "CSV import with a bad row" 422 -b "$T/admin.jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/csv' --data-binary @"$T/up.csv" "$B/orgs/miners/people/import"
has "row error reported" "$T/body" '"line":3'
req "export" 200 -b "$T/admin.jar" "$B/orgs/miners/people/export"
has "csv header" "$T/body" "fairshare_id,external_id,full_name"
req "watch" 200 -b "$T/admin.jar" "$B/orgs/miners/watch"
has "watch counts" "$T/body" '"paid_nothing"'
req "statement" 200 -b "$T/admin.jar" "$B/orgs/miners/statement/1?lang=tr"
req "entitle" 200 -b "$T/admin.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"jurisdiction":"TR","hired":"2005-02-01","terminated":"2011-12-15","reason":"closure","wage":"1800.00","benefits":"300.00","unused_leave_days":12,"unpaid_months":1}' "$B/entitle"
has "P1 over HTTP" "$T/body" '"total":2087630'

# roles and isolation
vcsrf=$(login viewer "$T/viewer.jar")
req "viewer reads" 200 -b "$T/viewer.jar" "$B/orgs/miners/people?limit=1"
req "viewer cannot write" 403 -b "$T/viewer.jar" -H "$J" -H "X-CSRF-Token: $vcsrf" -d '{"full_name":"X"}' "$B/orgs/miners/people"
req "viewer cannot reveal" 403 -b "$T/viewer.jar" "$B/orgs/miners/people/1?reveal=1"
req "viewer of miners cannot see oil" 404 -b "$T/viewer.jar" "$B/orgs/oil/people"
"$FS_BIN" --db "$DB" --org miners user role viewer organizer >/dev/null
req "a role given from the CLI counts at once" 201 -b "$T/viewer.jar" -H "$J" -H "X-CSRF-Token: $vcsrf" -d '{"full_name":"Promoted"}' "$B/orgs/miners/people"
"$FS_BIN" --db "$DB" --org miners user role viewer viewer >/dev/null
req "and so does taking it back" 403 -b "$T/viewer.jar" -H "$J" -H "X-CSRF-Token: $vcsrf" -d '{"full_name":"X"}' "$B/orgs/miners/people"
tcsrf=$(login treasurer "$T/tr.jar")
req "treasurer records a payment" 201 -b "$T/tr.jar" -H "$J" -H "X-CSRF-Token: $tcsrf" -d '{"person_id":1,"payer_kind":"ministry","payer_name":"M","paid_on":"2026-01-05","amount":"10.00","idempotency_key":"t-1"}' "$B/orgs/miners/payments"
req "the same payment again: recorded once" 200 -b "$T/tr.jar" -H "$J" -H "X-CSRF-Token: $tcsrf" -d '{"person_id":1,"payer_kind":"ministry","payer_name":"M","paid_on":"2026-01-05","amount":"10.00","idempotency_key":"t-1"}' "$B/orgs/miners/payments"
req "treasurer cannot change people" 403 -b "$T/tr.jar" -H "$J" -H "X-CSRF-Token: $tcsrf" -d '{"full_name":"X"}' "$B/orgs/miners/people"
ocsrf=$(login oilviewer "$T/oil.jar" another-password)
req "oil viewer sees oil" 200 -b "$T/oil.jar" "$B/orgs/oil/people?limit=1"
req "oil viewer cannot see miners" 404 -b "$T/oil.jar" "$B/orgs/miners/people/1"

# API token for scripts: no cookie, no CSRF
token=$("$FS_BIN" --db "$DB" user token admin)
req "bearer token" 200 -H "Authorization: Bearer $token" "$B/orgs/miners/people?limit=1"
req "bearer token writes without CSRF" 201 -H "Authorization: Bearer $token" -H "$J" -d '{"full_name":"Script Person"}' "$B/orgs/miners/people"
req "a wrong token" 401 -H "Authorization: Bearer fs_0000" "$B/orgs/miners/people"
"$FS_BIN" --db "$DB" user disable admin >/dev/null
req "a disabled user's session ends" 401 -b "$T/admin.jar" "$B/me"

# login throttling
for i in 1 2 3 4 5; do curl -s -o /dev/null -H "$J" -d '{"username":"viewer","password":"nope-nope-nope"}' "$B/login"; done
req "throttled after 5 failures" 429 -H "$J" -d '{"username":"viewer","password":"fairshare-demo"}' "$B/login"
hasnot "the log holds no personal data" "$T/serve.err" "İlder"
hasnot "the log holds no secrets" "$T/serve.err" "fairshare-demo"

kill -TERM "$server"
wait "$server"
same "SIGTERM: clean exit" "$?" 0
has "said so" "$T/serve.err" "SIGTERM received"
expect "verify after it all" 0 fs verify
finish
