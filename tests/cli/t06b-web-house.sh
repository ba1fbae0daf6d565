#!/bin/sh
# t06b - the web's house: how the server hands out the web files (gzip, ETag,
# 304, the router's addresses get index.html, /api/ never does), the four
# dictionaries and the error templates (tests/browser/i18n.test.mjs), and in
# headless chromium the weight, addresses, languages and every role's views
# (tests/browser/house.test.mjs; screenshots in tests/out/screenshots-house).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
start_server 11
W=http://127.0.0.1:$port
curl -s -D "$T/h1" -o "$T/b1" -H 'Accept-Encoding: gzip' "$W/js/main.js"
has "a module is served as JavaScript" "$T/h1" "Content-Type: text/javascript"
has "gzip-compressed when the browser accepts it" "$T/h1" "Content-Encoding: gzip"
has "with a validator" "$T/h1" "ETag: \""
has "revalidated, not refetched" "$T/h1" "Cache-Control: no-cache"
hasnot "not no-store" "$T/h1" "no-store"
gunzip -c "$T/b1" | cmp -s - "$here/../web/js/main.js" && ok "the gzip body is the file" || notok "the gzip body is the file"
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$T/h1")
same "the same ETag again: 304" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$W/js/main.js")" 304
same "another ETag: 200" "$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "0"' "$W/js/main.js")" 200
curl -s -o "$T/plain" "$W/js/main.js"
cmp -s "$T/plain" "$here/../web/js/main.js" && ok "plain to a client without gzip" || notok "plain to a client without gzip"
curl -s -o "$T/route" "$W/o/miners/people/39"
cmp -s "$T/route" "$here/../web/index.html" && ok "an address of the router gets index.html" || notok "an address of the router gets index.html"
same "a missing file is 404" "$(curl -s -o /dev/null -w '%{http_code}' "$W/js/nothing.js")" 404
same "no way out of the web folder" "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$W/js/../../README.md")" 404
same "no hidden files" "$(curl -s -o /dev/null -w '%{http_code}' "$W/.git/config")" 404
curl -s -D "$T/h2" -o "$T/b2" "$W/api/v1/nothing"
hasnot "an API path never gets the web page" "$T/b2" "<!doctype html>"
has "... but a JSON error" "$T/b2" '{"error":{"code":'
# a core error carries its template and parameters for translation
curl -s -c "$T/c" -H 'Content-Type: application/json' -d '{"username":"admin","password":"fairshare-demo"}' "$B/login" >"$T/login"
csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/login")
curl -s -b "$T/c" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"full_name":"X","birth_date":"1970-13-01"}' "$B/orgs/miners/people" >"$T/err"
has "error: the template" "$T/err" "\"template\":\"'%.40s' is not a valid calendar date (1900-2199)\""
has "error: its parameters" "$T/err" '"params":["1970-13-01"]'
has "error: the field" "$T/err" '"field":"birth_date"'
has "error: the English sentence still" "$T/err" "\"message\":\"'1970-13-01' is not a valid calendar date"
node "$here/browser/i18n.test.mjs" "$here/.." >"$T/tap1" 2>&1
rc1=$?
mkdir -p "$here/out/screenshots-house"
node "$here/browser/house.test.mjs" "$W/" "$here/out/screenshots-house" >"$T/tap2" 2>&1
rc2=$?
kill -TERM "$server"
wait "$server"
for f in "$T/tap1" "$T/tap2"; do
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok "${line#ok * - }" ;;
		"not ok "*) notok "${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$f"
done
same "dictionary checks exited 0" "$rc1" 0
same "browser run exited 0" "$rc2" 0
finish
