#!/bin/sh
# t47 - what the API sends a phone: JSON gzip-compressed when the client accepts
# gzip (and only then; not bodies under 1 KB, not a response setting a cookie),
# the same JSON once unpacked; the statement's and the fund report's proofs
# without their QR code (?qr=0: most of the bytes) and with it by default; the
# fund ledger a page at a time. The browser's figures: t41b (weight.test.mjs).
. "$(dirname "$0")/lib.sh"
fs demo >/dev/null
start_server 47
curl -s -c "$T/c" -D "$T/login.h" -H 'Accept-Encoding: gzip' -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"fairshare-demo"}' "$B/login" >"$T/login.json"
has "logged in" "$T/login.json" '"csrf"'
hasnot "a response setting the cookie is not compressed" "$T/login.h" 'Content-Encoding'
get() { # get NAME PATH [Accept-Encoding]: the body in $T/NAME (as sent), its headers in $T/NAME.h
	curl -s -b "$T/c" -D "$T/$1.h" ${3:+-H "Accept-Encoding: $3"} -o "$T/$1" "$B$2"
}
st='/orgs/miners/statement/39?lang=en&proofs=1'
get plain "$st"
get gz "$st" gzip
has "with Accept-Encoding: gzip: Content-Encoding: gzip" "$T/gz.h" 'Content-Encoding: gzip'
has "... and Vary: Accept-Encoding" "$T/gz.h" 'Vary: Accept-Encoding'
hasnot "without it: sent as it is" "$T/plain.h" 'Content-Encoding'
has "... also with Vary (a cache keeps both)" "$T/plain.h" 'Vary: Accept-Encoding'
# (the proofs are signed anew each time: the same JSON is compared on the statement without them)
get plain0 '/orgs/miners/statement/39?lang=en'
get gz0 '/orgs/miners/statement/39?lang=en' gzip
has "... the statement without proofs (3 KB) too" "$T/gz0.h" 'Content-Encoding: gzip'
same "unpacked, the same bytes" "$(gzip -dc "$T/gz0" | sha256sum)" "$(sha256sum <"$T/plain0")"
same "... and the proofs' block the same size" "$(gzip -dc "$T/gz" | jq '.proof_qr_svg | length > 1000')" true
p=$(wc -c <"$T/plain") z=$(wc -c <"$T/gz")
same "the statement with its QR code: at most a quarter of its size ($z of $p bytes)" "$([ $((z * 4)) -le "$p" ] && echo yes)" yes
for ae in 'gzip;q=0' 'identity' 'x-gzip-not' 'gzipped' 'deflate, br' 'gzip ; q=0.000'; do
	get refused "$st" "$ae"
	hasnot "Accept-Encoding: $ae: not gzip'd" "$T/refused.h" 'Content-Encoding'
done
for ae in 'deflate, gzip;q=0.5' 'br, *' 'GZIP' 'gzip;q=1.0'; do
	get took "$st" "$ae"
	has "Accept-Encoding: $ae: gzip'd" "$T/took.h" 'Content-Encoding: gzip'
done
get small /me gzip
hasnot "a body under 1 KB is sent as it is" "$T/small.h" 'Content-Encoding'
get err '/orgs/miners/people/999999' gzip
has "an error is JSON as before" "$T/err" '"code":"not_found"'
# the QR code only when asked for: qr=0 leaves it out, not null (null says none could be made)
get noqr "$st&qr=0"
has "qr=0: the proofs" "$T/noqr" 'fairshare checkpoint v1'
hasnot "... without the QR code's key" "$T/noqr" 'proof_qr_svg'
has "by default: the QR code" "$T/plain" '"proof_qr_svg":"<svg'
get qr1 "$st&qr=1"
has "qr=1: the QR code" "$T/qr1" '"proof_qr_svg":"<svg'
same "qr=2 refused" "$(curl -s -b "$T/c" -o "$T/bad" -w '%{http_code}' "$B$st&qr=2")" 422
has "... naming the parameter" "$T/bad" '"field":"qr"'
p=$(wc -c <"$T/plain") q=$(wc -c <"$T/noqr")
same "qr=0: a tenth of the statement's bytes or less ($q of $p)" "$([ $((q * 10)) -le "$p" ] && echo yes)" yes
get rep /orgs/miners/funds/1/report
get repq '/orgs/miners/funds/1/report?qr=0'
has "the fund report: its QR code by default" "$T/rep" '"proof_qr_svg":"<svg'
hasnot "... not with qr=0" "$T/repq" 'proof_qr_svg'
has "... its proofs still" "$T/repq" 'fairshare checkpoint v1'
same "... the same totals" "$(jq -c .totals "$T/repq")" "$(jq -c .totals "$T/rep")"
same "the fund report: qr=x refused" "$(curl -s -b "$T/c" -o "$T/bad" -w '%{http_code}' "$B/orgs/miners/funds/1/report?qr=x")" 400
# the ledger a page at a time: the web's 25, then the next from offset 25
get l1 '/orgs/miners/funds/1/transfers?limit=25'
get l2 '/orgs/miners/funds/1/transfers?limit=25&offset=25'
same "the ledger's first page: 25" "$(jq '.items | length' "$T/l1")" 25
same "... the next page: 25 others" "$(jq -s '[.[0].items[].id, .[1].items[].id] | unique | length' "$T/l1" "$T/l2")" 50
same "... the total told" "$(jq '.total > 50' "$T/l1")" true
kill -TERM "$server"
wait "$server"
finish
