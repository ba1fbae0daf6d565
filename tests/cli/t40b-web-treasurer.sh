#!/bin/sh
# t40b - the treasurer's and the admin's work through the web only, in headless
# chromium (tests/browser/treasurer.test.mjs): contributions, payroll, a payout
# above the threshold approved by a second treasurer (never offered to its
# requester), the ledger, a payment reversed on the person page; users and
# roles. Screenshots in tests/out/screenshots-treasurer (not committed).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
FAIRSHARE_PASSWORD=fairshare-demo fs --org miners user add treasurer2 --role treasurer >/dev/null
# the demo fund's strike-pay policy: 100.00 a striker a week
fs --org miners fund edit 1 --strike-pay-weekly 100 >/dev/null
# a payment the viewer sees on the person page (and may not reverse)
fs --org miners payment add --person-id 39 --payer-kind ministry --payer-name "Viewer's test payment" --paid-on 2026-11-20 --amount 77.00 >/dev/null
start_server 41
mkdir -p "$here/out/screenshots-treasurer"
node "$here/browser/treasurer.test.mjs" "http://127.0.0.1:$port/" "$here/out/screenshots-treasurer" >"$T/tap" 2>&1
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
expect "verify after the web's work" 0 fs verify
finish
