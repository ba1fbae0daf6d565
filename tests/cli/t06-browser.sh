#!/bin/sh
# t06 - the web interface in a real browser (headless chromium driven by
# playwright-core): log in, search, person page, CSV import with a bad row,
# the four languages, a phone-sized screen. Screenshots: tests/out/screenshots.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
# a disbursement above the threshold, entered by someone else, for the approval queue
FAIRSHARE_PASSWORD=secretary-pass fs --org miners user add secretary --role treasurer >/dev/null
fs --as secretary --org miners disburse --fund 1 --amount 25000 --purpose legal --from assets:bank --to "Avukat X" --id web-appr >/dev/null
start_server 7
mkdir -p "$here/out/screenshots"
node "$here/browser/web.test.mjs" "http://127.0.0.1:$port/" "$here/out/screenshots" >"$T/tap" 2>&1
rc=$?
kill -TERM "$server"
wait "$server"
# pass the browser's own TAP lines through, renumbered into this file's count
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "browser: ${line#ok * - }" ;;
	"not ok "*) notok "browser: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/tap"
same "browser test run exited 0" "$rc" 0
finish
