#!/bin/sh
# t39 - a worker's statement in the web with the proofs they can keep, and the
# page that checks them in the browser alone: the API's ?proofs=1 (the block
# `fairshare statement` prints, accepted by `fairshare proof verify`), then in
# headless chromium (tests/browser/statement.test.mjs) the statement page in the
# four languages, its print view and QR code, and the verify page with the
# network off, against the CLI on the same texts (genuine and tampered).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
# a payment of its own (an entry of its own in the journal) and one changed after
expect "a payment for person 39" 0 fs --org miners payment add --person-id 39 --payer-kind ministry \
	--payer-name "Çalışma Bakanlığı" --paid-on 2026-11-20 --amount 1234567.89 --reference bank-8812
expect "a second payment" 0 fs --org miners payment add --person-id 39 --payer-kind employer \
	--payer-name "Soma" --paid-on 2026-11-27 --amount 250.00
start_server 39
curl -s -c "$T/c" -H 'Content-Type: application/json' -d '{"username":"organizer","password":"fairshare-demo"}' "$B/login" >/dev/null
curl -s -b "$T/c" -o "$T/plain.json" "$B/orgs/miners/statement/39?lang=tr"
hasnot "without ?proofs=1: no proofs (the person page stays small)" "$T/plain.json" '"proofs"'
curl -s -b "$T/c" -o "$T/st.json" -w '%{http_code}' "$B/orgs/miners/statement/39?lang=tr&proofs=1" >"$T/code"
same "?proofs=1: 200" "$(cat "$T/code")" 200
has "the block of proofs" "$T/st.json" 'fairshare proof v1'
has "... ending with a checkpoint" "$T/st.json" 'fairshare checkpoint v1'
has "... the payment's own entry" "$T/st.json" '\"entity\":\"payment\",\"entity_id\":321'
expect "the API's statement verifies with the CLI" 0 fs proof verify "$T/st.json"
has "... each payment proven" "$T/out" "ok   payment"
same "?proofs=2 refused" "$(curl -s -b "$T/c" -o "$T/bad" -w '%{http_code}' "$B/orgs/miners/statement/39?proofs=2")" 422
has "... naming the parameter" "$T/bad" '"field":"proofs"'
# without its signing key the server still answers the statement, and says why there are no proofs
mv "$SIGNKEY" "$T/sk"
curl -s -b "$T/c" -o "$T/nokey.json" "$B/orgs/miners/statement/39?proofs=1"
has "no signing key: proofs null" "$T/nokey.json" '"proofs":null'
has "... and why" "$T/nokey.json" '"proofs_missing":"the signing key cannot be read'
hasnot "... not where the key lives" "$T/nokey.json" "$DB"
mv "$T/sk" "$SIGNKEY"
# the statement's texts the browser test compares the CLI with
fs --org miners statement 39 --lang kk >"$T/statement.txt"
fs --org miners statement 39 --json >"$T/statement.json"
fs --org miners statement 1 >"$T/statement1.txt"
mkdir -p "$here/out/screenshots-statement"
node "$here/browser/statement.test.mjs" "http://127.0.0.1:$port/" "$here/out/screenshots-statement" "$T" >"$T/tap" 2>&1
rc=$?
kill -TERM "$server"
wait "$server"
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "browser: ${line#ok * - }" ;;
	"not ok "*) notok "browser: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/tap"
same "browser test run exited 0" "$rc" 0
finish
