#!/bin/sh
# t48 - choosing people (the picker), strike pay for chosen people, payroll row
# errors with their code, template and the file's own column header. Black box
# first (GET /orgs/{org}/people/pick: the birth year only with people.reveal,
# nothing else of a person, the page's limit; strike-pay with person_ids: once
# a week; payroll rows in Turkish headers), then the same through the web in
# headless chromium (tests/browser/picker.test.mjs: tr, kk, ru at 360x740 and
# 1280x800). Screenshots in tests/out/screenshots-picker (not committed).
# T48_API_ONLY=1: the black-box checks alone (checking a mutant by hand).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
FAIRSHARE_PASSWORD=fairshare-demo expect "a documenter in miners" 0 fs --org miners user add documenter --role documenter
fs --org miners fund edit 1 --strike-pay-weekly 100 >/dev/null
fs --org miners contribute --fund 1 --amount 50000 --donor "t48" >/dev/null
start_server 48
J='Content-Type: application/json'
A="Authorization: Bearer $(fs user token admin)"
D="Authorization: Bearer $(fs user token documenter)"
V="Authorization: Bearer $(fs user token viewer)"
O=$B/orgs/miners
post() { curl -s -H "$A" -H "$J" -d "$2" "$O$1"; }
pk=$(post /people '{"full_name":"Zeynep Pickwick","external_id":"PK-4817","birth_date":"1985-04-03"}' | jq .id)
same "a person to find" "$(echo "$pk" | grep -c '^[0-9][0-9]*$')" 1
g1=$(post /people '{"full_name":"Grevci Bir","external_id":"GR-1"}' | jq .id)
g2=$(post /people '{"full_name":"Grevci İki","external_id":"GR-2"}' | jq .id)
g3=$(post /people '{"full_name":"Grevci Üç","external_id":"GR-3"}' | jq .id)

# ---- the picker's page ----
curl -s -H "$A" "$O/people/pick?q=pickw" >"$T/a.json"
same "the admin (people.reveal): name, register number, birth year" "$(jq -c '.items[0]' "$T/a.json")" \
	"{\"id\":$pk,\"full_name\":\"Zeynep Pickwick\",\"external_id\":\"PK-4817\",\"birth_year\":1985}"
same "nothing else of a person (no national id, no birth date)" "$(jq '[.items[] | keys[]] | unique | join(",")' "$T/a.json")" '"birth_year,external_id,full_name,id"'
curl -s -H "$D" "$O/people/pick?q=pickw" >"$T/d.json"
same "the documenter (no people.reveal): no birth year" "$(jq -c '.items[0]' "$T/d.json")" \
	"{\"id\":$pk,\"full_name\":\"Zeynep Pickwick\",\"external_id\":\"PK-4817\"}"
same "the viewer: no birth year" "$(curl -s -H "$V" "$O/people/pick?q=pickw" | jq '[.items[] | has("birth_year")] | any')" false
same "by register number (a digit typed)" "$(curl -s -H "$A" "$O/people/pick?q=PK-4817" | jq -c '[.total, .items[0].id]')" "[1,$pk]"
same "a name part, folded (case, Turkish letters)" "$(curl -s -H "$A" "$O/people/pick?q=GREVCI" | jq .total)" 3
same "at most the limit" "$(curl -s -H "$A" "$O/people/pick?q=a&limit=5" | jq '.items | length')" 5
same "the total beyond the page" "$(curl -s -H "$A" "$O/people/pick?q=a&limit=5" | jq '.total > 5')" true
same "limit above 20: 422, the parameter named" "$(curl -s -o "$T/b" -w '%{http_code}' -H "$A" "$O/people/pick?q=a&limit=21"):$(jq -r .error.field "$T/b")" "422:limit"
same "an unknown parameter: 422" "$(curl -s -o /dev/null -w '%{http_code}' -H "$A" "$O/people/pick?q=a&reveal=1")" 422
same "without a login: 401" "$(curl -s -o /dev/null -w '%{http_code}' "$O/people/pick?q=a")" 401
same "another organization's people are not found" "$(curl -s -H "$A" "$B/orgs/oil/people/pick?q=pickwick" | jq .total)" 0
yr=$(curl -s -H "$A" "$O/people/pick?q=a&limit=20" | jq '[.items[] | select(has("birth_year"))] | length')
same "only the page's rows carry a birth year (at most 20)" "$([ "$yr" -le 20 ] && [ "$yr" -gt 0 ] && echo yes)" yes

# ---- strike pay for chosen people: once a week ----
s1=$(post /funds/1/strike-pay "{\"week\":\"2026-10-05\",\"person_ids\":[$g1,$g2,$g3]}")
same "three chosen, three paid" "$(echo "$s1" | jq -c '[.strikers, .paid, .paid_before]')" "[3,3,0]"
s2=$(post /funds/1/strike-pay "{\"week\":\"2026-10-05\",\"person_ids\":[$g1,$g2,$g3,$pk]}")
same "the same week again with one more: only the new one paid" "$(echo "$s2" | jq -c '[.strikers, .paid, .paid_before]')" "[4,1,3]"
same "a person id that is not a number: 422" "$(curl -s -o /dev/null -w '%{http_code}' -H "$A" -H "$J" -d '{"week":"2026-10-05","person_ids":["x"]}' "$O/funds/1/strike-pay")" 422

# ---- payroll rows: code, template, params, the file's own header ----
printf 'İşçi,Tutar,Tarih,Referans\nAli,12.50,2026-11-02,r1\nVeli,5.000,2026-11-02,r2\nCan,-3,2026-11-02,r3\nX,7\nY,1,2026-13-01,r5\nZ,1,2026-11-01,r1\n' >"$T/p.csv"
curl -s -o "$T/p.json" -w '%{http_code}' -H "$A" -H 'Content-Type: text/csv' --data-binary @"$T/p.csv" "$O/funds/1/payroll?site=t48" >"$T/code"
same "a file with bad rows: 422" "$(cat "$T/code")" 422
same "each bad row: line, the file's column header, code" "$(jq -c '[.errors[] | [.line, .column, .code]]' "$T/p.json")" \
	'[[3,"Tutar","invalid"],[4,"Tutar","invalid"],[5,null,"short_row"],[6,"Tarih","invalid"],[7,"Referans","duplicate_id"]]'
same "the ambiguous amount: its template and parameter" "$(jq -c '.errors[0] | [.template, .params]' "$T/p.json")" \
	"[\"'%.40s' is ambiguous: write 1800.00 or 1800,00 for an amount with decimals\",[\"5.000\"]]"
same "the duplicate id: template and parameters" "$(jq -c '.errors[4] | [.template, .params]' "$T/p.json")" \
	"[\"the id '%s' is also on line %ld\",[\"r1\",\"2\"]]"
same "the file's error with its template" "$(jq -c '.error | [.code, .template, .params]' "$T/p.json")" \
	'["invalid_rows","%s: %zu rows are invalid; nothing was recorded",["upload","5"]]'
printf 'Жұмысшы,Сома,Күні\nА,10.00,2026-11-02\n' >"$T/k.csv"
same "Kazakh headers understood" "$(curl -s -H "$A" -H 'Content-Type: text/csv' --data-binary @"$T/k.csv" "$O/funds/1/payroll?site=t48k" | jq -c '[.rows, .recorded]')" "[1,1]"

# a payment whose reversal the web is asked with a wrong amount (a number in a message)
fs --org miners payment add --person-id "$pk" --payer-kind ministry --payer-name "Pickwick payment" --paid-on 2026-11-20 --amount 1234.56 >/dev/null
same "the reversal's refusal names both amounts" "$(curl -s -H "$A" -H "$J" -d '{"reason":"x","amount":"5"}' "$O/payments/$(curl -s -H "$A" "$O/payments?person_id=$pk" | jq '.items[0].id')/reversal" | jq -c .error.params)" '["5.00","1234.56"]'

# ---- the same through the web ----
if [ -n "${T48_API_ONLY:-}" ]; then
	kill -TERM "$server"
	wait "$server"
	finish
	exit $?
fi
mkdir -p "$here/out/screenshots-picker"
PICK_PAYMENT_PERSON=$pk node "$here/browser/picker.test.mjs" "http://127.0.0.1:$port/" "$here/out/screenshots-picker" >"$T/tap" 2>&1
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
