#!/bin/sh
# t21 - the server at its edges (issue 13): a body that once hung a worker, messages
# quoting a value cut inside a character, wrong JSON types, bad and unknown query
# parameters, transport framing (Transfer-Encoding, Content-Length), deadlines for
# a slow head and a slow body (408), and a corpus of malformed and borderline JSON
# bodies (tests/data/json) through POST and PATCH people.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
fs demo >/dev/null
token=$(fs user token admin)
A="Authorization: Bearer $token"
J='Content-Type: application/json'
# --timeout 3: a head within 1 s, a whole request within 12 s, idle 3 s
port=$(free_port)
"$FS_BIN" --db "$DB" serve --timeout 3 --listen 127.0.0.1:$port >"$T/serve.out" 2>"$T/serve.err" &
server=$!
B=http://127.0.0.1:$port/api/v1
for i in $(seq 1 300); do curl -s "$B/health" >/dev/null 2>&1 && break; sleep 0.1; done

# req NAME STATUS curl-args... : body in $T/body, headers in $T/hdr; at most 2 s
req() {
	local name=$1 want=$2 got
	shift 2
	got=$(curl -s -m 2 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else notok "$name (HTTP $got, expected $want)"; head -c 300 "$T/body" | sed 's/^/#   /'; echo; fi
}
# valid_json NAME : $T/body is JSON and valid UTF-8 (python's strict decoder)
valid_json() {
	if python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$T/body" 2>/dev/null; then ok "$1"
	else notok "$1"; head -c 300 "$T/body" | sed 's/^/#   /'; echo; fi
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"].get(sys.argv[2]))' "$T/body" "$1" 2>/dev/null; }

# ---- the 7-byte body that hung a worker at 100 % CPU
printf '["\\\303\251"]' >"$T/hang.json"
req "the cut-escape body answers at once (POST people)" 400 -H "$A" -H "$J" --data-binary @"$T/hang.json" "$B/orgs/miners/people"
valid_json "its error is valid JSON and UTF-8"
same "a syntax error" "$(field code)" malformed_json
req "the same on PATCH people" 400 -H "$A" -H "$J" -X PATCH --data-binary @"$T/hang.json" "$B/orgs/miners/people/1"
req "the same on POST entitle" 400 -H "$A" -H "$J" --data-binary @"$T/hang.json" "$B/entitle"
printf '{"full_name":"\\\360\237\230\200"}' >"$T/emoji.json"
req "an escaped raw emoji answers at once" 400 -H "$A" -H "$J" --data-binary @"$T/emoji.json" "$B/orgs/miners/people"
valid_json "and its error is valid UTF-8"
req "the server still answers afterwards" 200 "$B/health"

# ---- messages quoting a value cut inside a character
req "a long Cyrillic date" 422 -H "$A" -H "$J" -d '{"full_name":"T","birth_date":"не знаю, примерно 1970 год"}' "$B/orgs/miners/people"
valid_json "its message is valid UTF-8"
same "the field is named" "$(field field)" birth_date
long="x$(printf 'ş%.0s' $(seq 1 30))"
for route in watch record/prisoners; do
	req "as_of=x+30ş on $route" 422 -H "$A" -G --data-urlencode "as_of=$long" "$B/orgs/miners/$route"
	valid_json "$route: valid UTF-8"
	same "$route: as_of named" "$(field field)" as_of
done
for route in record/timeline record/counts; do
	req "as_of is no parameter of $route" 422 -H "$A" -G --data-urlencode "as_of=$long" "$B/orgs/oil/$route"
	valid_json "$route: valid UTF-8"
	same "$route: the unknown parameter named" "$(field code)/$(field field)" invalid_parameter/as_of
done

# ---- wrong JSON types are refused, naming the field
req "a name as true" 400 -H "$A" -H "$J" -d '{"full_name":true}' "$B/orgs/miners/people"
same "wrong_type, full_name" "$(field code)/$(field field)" wrong_type/full_name
req "a name as a number" 400 -H "$A" -H "$J" -d '{"full_name":12}' "$B/orgs/miners/people"
same "wrong_type, full_name (number)" "$(field code)/$(field field)" wrong_type/full_name
req "a PATCH with a number for text" 400 -H "$A" -H "$J" -X PATCH -d '{"external_id":7}' "$B/orgs/miners/people/1"
same "external_id named" "$(field field)" external_id
req "an amount as a bare number" 400 -H "$A" -H "$J" -d '{"person_id":1,"workplace_id":1,"hired":"2001-01-01","wage":1800}' "$B/orgs/miners/employments"
same "wage named" "$(field field)" wage
req "minor units as a string" 400 -H "$A" -H "$J" -d '{"person_id":1,"workplace_id":1,"hired":"2001-01-01","wage_minor":"180000"}' "$B/orgs/miners/employments"
req "a reference as true" 400 -H "$A" -H "$J" -d '{"person_id":true,"workplace_id":1,"hired":"2001-01-01"}' "$B/orgs/miners/employments"
same "person_id named" "$(field field)" person_id
req "a reference as digits (as forms send it) is taken" 201 -H "$A" -H "$J" -d '{"person_id":"1","workplace_id":1,"hired":"2001-01-01","wage_minor":100}' "$B/orgs/miners/employments"
req "a transfer's amount as a string" 400 -H "$A" -H "$J" -d '[{"id":"t21-a","debit_account_id":2,"credit_account_id":5,"amount_minor":"1000","code":"payroll"}]' "$B/orgs/miners/funds/1/transfers"
same "amount_minor named" "$(field code)/$(field field)" wrong_type/amount_minor
req "a transfer's id as a number" 400 -H "$A" -H "$J" -d '[{"id":5,"debit_account_id":2,"credit_account_id":5,"amount_minor":1000}]' "$B/orgs/miners/funds/1/transfers"
same "id named" "$(field field)" id
req "linked as 1" 400 -H "$A" -H "$J" -d '[{"id":"t21-b","debit_account_id":2,"credit_account_id":5,"amount_minor":1000,"linked":1}]' "$B/orgs/miners/funds/1/transfers"
same "linked named" "$(field field)" linked
req "nothing was stored as 'yes'" 200 -H "$A" "$B/orgs/miners/people?q=yes&limit=5"
has "no person named yes" "$T/body" '"total":0'

# ---- every query parameter as documented
req "watch?workplace=abc" 422 -H "$A" "$B/orgs/miners/watch?workplace=abc"
same "workplace named" "$(field field)" workplace
req "watch?workplace=0" 422 -H "$A" "$B/orgs/miners/watch?workplace=0"
req "watch?workplace=1 still works" 200 -H "$A" "$B/orgs/miners/watch?workplace=1"
req "statement?lang=xx" 422 -H "$A" "$B/orgs/miners/statement/1?lang=xx"
same "lang named" "$(field field)" lang
req "record/duplicates?limit=0" 422 -H "$A" "$B/orgs/oil/record/duplicates?limit=0"
req "record/duplicates?limit=1001" 422 -H "$A" "$B/orgs/oil/record/duplicates?limit=1001"
req "people?limit=20000 (documented 400)" 400 -H "$A" "$B/orgs/miners/people?limit=20000"
same "limit named" "$(field field)" limit
req "people?limit=1x" 400 -H "$A" "$B/orgs/miners/people?limit=1x"
req "people?offset=-1" 400 -H "$A" "$B/orgs/miners/people?offset=-1"
req "a misspelled filter is refused, not ignored" 400 -H "$A" "$B/orgs/miners/employments?workplace=1"
same "the filter named" "$(field field)" workplace
req "a filter value the field cannot hold" 400 -H "$A" "$B/orgs/miners/employments?workplace_id=abc"
req "a sealed field is no filter" 400 -H "$A" "$B/orgs/miners/people?national_id=10000000146"
req "a parameter given twice" 400 -H "$A" "$B/orgs/miners/people?limit=1&limit=5000"
req "a good filter still works" 200 -H "$A" "$B/orgs/miners/employments?workplace_id=1&limit=1"
req "funds/999/balances (documented 404)" 404 -H "$A" "$B/orgs/miners/funds/999/balances"
req "funds/999/report" 404 -H "$A" "$B/orgs/miners/funds/999/report"
req "record/export without collection" 422 -H "$A" "$B/orgs/oil/record/export"
req "an unknown route stays 404 whatever its query" 404 -H "$A" "$B/orgs/miners/nothing?limit=abc"

# ---- transport edges (raw sockets): a correct status at once, the usual headers, one head
raw() { python3 "$here/tests/cli/http_raw.py" "$port" "$1" >"$T/raw" 2>&1; }
check_raw() { # NAME STATUS MAX_SECONDS
	local secs
	secs=$(head -n 1 "$T/raw")
	if grep -q "^HTTP/1.1 $2 " "$T/raw" && awk -v s="$secs" -v m="$3" 'BEGIN { exit !(s + 0 <= m + 0) }'; then ok "$1: $2 in ${secs}s"
	else notok "$1: expected $2 within $3 s"; sed 's/^/#   /' "$T/raw" | head -n 12; fi
	same "$1: one status line" "$(grep -c '^HTTP/1' "$T/raw")" 1
	has "$1: CSP" "$T/raw" "Content-Security-Policy: default-src 'self'"
	has "$1: nosniff" "$T/raw" "X-Content-Type-Options: nosniff"
	has "$1: no-store" "$T/raw" "Cache-Control: no-store"
	has "$1: a JSON error" "$T/raw" '{"error":{"code":"'
}
raw te-gzip
check_raw "unknown Transfer-Encoding" 501 1
raw te-two
check_raw "two transfer codings" 501 1
raw cl-and-chunked
check_raw "Content-Length and chunked" 400 1
raw cl-twice
check_raw "two different Content-Lengths" 400 1
raw cl-not-a-number
check_raw "Content-Length 3x" 400 1
raw cl-2gb
check_raw "a 2 GB Content-Length with a small body" 413 1
raw chunked
check_raw "a chunked body (Content-Length required)" 411 1
raw bad-chunk
check_raw "a bad chunk is never parsed" 411 1
raw no-host
check_raw "HTTP/1.1 without Host" 400 1
raw bad-header-line
check_raw "a header line without a colon" 400 1
raw folded-header
check_raw "a folded header line" 400 1
raw control-byte
check_raw "a control byte in a header" 400 1
raw bad-request-line
check_raw "a malformed request line" 400 1
raw http-2
check_raw "HTTP/2.0 in the request line" 505 1
raw huge-head
check_raw "a 70 kB head" 431 1
raw keep-alive-ok
if grep -q '^HTTP/1.1 200 ' "$T/raw" && grep -q 'X-Frame-Options: DENY' "$T/raw"; then ok "a good head is served (handed to libmicrohttpd)"; else notok "a good head is served"; sed 's/^/#   /' "$T/raw" | head; fi
raw slow-head
check_raw "a head trickled past its deadline" 408 2.5
raw slow-head-2nd
check_raw "a kept-alive connection's second head trickled past its deadline" 408 2.5
raw slow-body
check_raw "a body trickled past the request's deadline" 408 13.5
grep -q '^http 408' "$T/serve.err" && ok "the 408s are logged" || notok "the 408s are logged"
hasnot "the log holds no path" "$T/serve.err" "/orgs/"
hasnot "the log holds no body" "$T/serve.err" "full_name"
req "a chunked body is refused at once (Content-Length required)" 411 -H "$A" -H "$J" -H 'Transfer-Encoding: chunked' -d '{"full_name":"Chunked Body"}' "$B/orgs/miners/people"

# ---- the JSON corpus: every malformed body 4xx within one second, every valid one parsed
python3 "$here/tests/cli/json_corpus.py" "$B" "$token" "$here/tests/data/json" >"$T/corpus" 2>&1
while IFS= read -r line; do
	case "$line" in
	"PASS "*) ok "json corpus: ${line#PASS }" ;;
	"FAIL "*) notok "json corpus: ${line#FAIL }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/corpus"
[ "$(grep -c '^PASS' "$T/corpus")" -ge 250 ] && ok "the corpus ran (250+ checks)" || notok "the corpus ran (250+ checks)"
req "the server is alive after the corpus" 200 "$B/health"

kill -TERM "$server"
wait "$server"
same "the server stopped cleanly (no leak, no sanitizer report)" "$?" 0
finish
