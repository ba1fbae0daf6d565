#!/bin/sh
# t40 - a payment's reversal over the API and the CLI (a new, journaled payment
# cancelling it, with the reason and who; the claim's paid and outstanding
# follow; once only, never a reversal's; the amount must be the payment's;
# another organization's payment is not found), and the treasurer's fund
# operations the web uses: contributions (money, in kind), pledges, payroll with
# its row report, strike pay, disbursements with the two-person rule shown
# before (payout) and the queue's can_approve decided by the core, the ledger
# and the exports.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
fs org add --slug oo --name "Other" --country KZ --currency KZT >/dev/null
export FAIRSHARE_ORG=mm
P=long-enough-pass
for u in tr1:treasurer tr2:treasurer vw:viewer org1:organizer; do
	FAIRSHARE_PASSWORD=$P fs user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
FAIRSHARE_PASSWORD=$P fs --org oo user add outsider --role admin >/dev/null
for u in tr1 tr2 vw org1 outsider; do fs user token "$u" >"$T/$u"; done
fs person add --full-name "Ayşe Kaya" >/dev/null
fs claim add --person-id 1 --kind unpaid_wages --amount 2000.00 --basis entered --document-ref "payroll 2026-10" >/dev/null
fs workplace add --name "Soma mine" >/dev/null 2>&1 || fs employer add --name "Soma AŞ" >/dev/null
fs payment add --person-id 1 --payer-kind ministry --payer-name "Ministry" --paid-on 2026-11-20 --amount 500.00 >/dev/null
fs payment add --person-id 1 --payer-kind employer --payer-name "Soma" --paid-on 2026-11-21 --amount 200.00 >/dev/null
fs --org oo person add --full-name "Zhanbolat" >/dev/null
fs --org oo payment add --person-id 2 --payer-kind ministry --payer-name "M" --paid-on 2026-11-20 --amount 10.00 >/dev/null
start_server 40
call() { # call TOKEN METHOD PATH [BODY] -> status; body in $T/body
	if [ $# -ge 4 ]; then
		curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/$1")" -H 'Content-Type: application/json' --data-binary "$4" "$B$3"
	else
		curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/$1")" "$B$3"
	fi
}
jq_() { python3 -c "import json,sys; d=json.load(open('$T/body')); print($1)"; }
paid() { call tr1 GET /orgs/mm/statement/1 >/dev/null; jq_ "d['totals'].get('paid_minor'), d['totals'].get('outstanding_minor')"; }

# ---- the reversal ----
before=$(paid)
same "a viewer may not reverse" "$(call vw POST /orgs/mm/payments/1/reversal '{"reason":"x","amount":"500.00"}')" 403
same "an organizer neither (payments.write)" "$(call org1 POST /orgs/mm/payments/1/reversal '{"reason":"x","amount":"500.00"}')" 403
same "without a reason" "$(call tr1 POST /orgs/mm/payments/1/reversal '{"reason":"  ","amount":"500.00"}')" 422
has "names the reason" "$T/body" '"field":"reason"'
same "without the amount" "$(call tr1 POST /orgs/mm/payments/1/reversal '{"reason":"entered twice"}')" 422
has "names the amount" "$T/body" '"field":"amount"'
same "with another amount" "$(call tr1 POST /orgs/mm/payments/1/reversal '{"reason":"entered twice","amount":"499.99"}')" 422
has "says which" "$T/body" "the amount 499.99 is not the payment's 500.00"
same "a reason too long" "$(call tr1 POST /orgs/mm/payments/1/reversal "{\"reason\":\"$(printf '%0501d' 0)\",\"amount\":\"500.00\"}")" 422
same "another organization's payment: not found" "$(call tr1 POST /orgs/mm/payments/3/reversal '{"reason":"x","amount":"10.00"}')" 404
same "nor from its own admin through our organization" "$(call outsider POST /orgs/mm/payments/1/reversal '{"reason":"x","amount":"500.00"}')" 404
same "no such payment" "$(call tr1 POST /orgs/mm/payments/999/reversal '{"reason":"x","amount":"1.00"}')" 404
same "nothing was written by the refusals" "$(db_sql "$DB" "SELECT count(*) FROM payments")" 3
same "paid is unchanged" "$(paid)" "$before"
same "the treasurer reverses it" "$(call tr1 POST /orgs/mm/payments/1/reversal '{"reason":"entered twice","amount_minor":50000}')" 201
has "a new payment naming it" "$T/body" '"reverses_id":1'
has "of the opposite amount" "$T/body" '"amount_minor":-50000'
has "with the reason" "$T/body" '"note":"entered twice"'
has "and who" "$T/body" '"reversed_by":"user:1 tr1"'
same "the sums before" "$before" "70000 130000"
same "paid and outstanding are recomputed" "$(paid)" "20000 180000"
same "the journal names the account" "$(db_sql "$DB" "SELECT actor FROM journal WHERE entity='payment' ORDER BY seq DESC LIMIT 1")" "user:1 tr1"
same "a second reversal of it" "$(call tr2 POST /orgs/mm/payments/1/reversal '{"reason":"again","amount":"500.00"}')" 409
has "says it was reversed" "$T/body" "payment 1 was already reversed by payment 4"
same "a reversal is not reversed" "$(call tr1 POST /orgs/mm/payments/4/reversal '{"reason":"undo","amount":"-500.00"}')" 422
has "says so" "$T/body" "is itself a reversal"
same "paid stays" "$(paid)" "20000 180000"
same "a payment is still never deleted" "$(call tr1 DELETE /orgs/mm/payments/2)" 422
expect "the CLI: a reason is required" 65 fs --as tr1 payment reverse 2 --amount 200.00
expect "the CLI: the amount must match" 65 fs --as tr1 payment reverse 2 --reason "wrong person" --amount 20.00
has "says which" "$T/err" "the amount 20.00 is not the payment's 200.00"
expect "the CLI reverses" 0 fs --as tr2 payment reverse 2 --reason "wrong person" --amount 200.00
expect "not twice" 65 fs --as tr2 payment reverse 2 --reason "wrong person" --amount 200.00
expect "verify" 0 fs verify

# ---- a fund, the two-person rule shown before, the queue ----
same "a fund from the API" "$(call tr1 POST /orgs/mm/funds '{"name":"Strike fund","currency":"TRY","approval_threshold":"1000.00","rolling_limit":"1500.00"}')" 201
same "money in" "$(call tr1 POST /orgs/mm/funds/1/contributions '{"amount":"5000.00","donor":"Soma site","id":"bank-1"}')" 201
has "recorded" "$T/body" '"result":"ok"'
same "the same id again: recorded before" "$(call tr1 POST /orgs/mm/funds/1/contributions '{"amount":"5000.00","donor":"Soma site","id":"bank-1"}')" 201
has "exists" "$T/body" '"result":"exists"'
same "in kind needs what" "$(call tr1 POST /orgs/mm/funds/1/contributions '{"amount":"300.00","kind":"in_kind"}')" 422
has "names the memo" "$T/body" '"field":"memo"'
same "in kind" "$(call tr1 POST /orgs/mm/funds/1/contributions '{"amount":"300.00","kind":"in_kind","memo":"120 books"}')" 201
call tr1 GET '/orgs/mm/funds/1/transfers?limit=1' >/dev/null
has "into the goods in kind, from gifts in kind" "$T/body" '"debit":"assets:in-kind","credit":"income:in-kind"'
same "a viewer brings no money in" "$(call vw POST /orgs/mm/funds/1/contributions '{"amount":"1.00"}')" 403
same "the rule before a payout" "$(call tr1 GET '/orgs/mm/funds/1/payout?amount=1200.00')" 200
has "the threshold" "$T/body" '"approval_threshold_minor":100000'
has "the limit" "$T/body" '"rolling_limit_minor":150000'
has "this one would wait" "$T/body" '"needs_approval":true'
call tr1 GET '/orgs/mm/funds/1/payout?amount=900.00' >/dev/null
has "a small one would not" "$T/body" '"needs_approval":false'
same "a bad amount" "$(call tr1 GET '/orgs/mm/funds/1/payout?amount=abc')" 422
same "a small payout moves" "$(call tr1 POST /orgs/mm/funds/1/disbursements '{"amount":"900.00","purpose":"legal","to":"Lawyer"}')" 201
has "at once" "$T/body" '"pending":false'
call tr1 GET '/orgs/mm/funds/1/payout?amount=700.00' >/dev/null
has "then the rolling limit makes the next wait" "$T/body" '"needs_approval":true'
same "a payout above the threshold" "$(call tr1 POST /orgs/mm/funds/1/disbursements '{"amount":"1200.00","purpose":"strike-pay","id":"big-1"}')" 201
has "waits" "$T/body" '"pending":true'
same "an unknown purpose" "$(call tr1 POST /orgs/mm/funds/1/disbursements '{"amount":"1.00","purpose":"holiday"}')" 422
same "the queue for its requester" "$(call tr1 GET /orgs/mm/funds/1/pending)" 200
has "holds it" "$T/body" '"id":"big-1"'
has "not offered to the requester" "$T/body" '"can_approve":false'
call tr2 GET /orgs/mm/funds/1/pending >/dev/null
has "offered to the second treasurer" "$T/body" '"can_approve":true'
call vw GET /orgs/mm/funds/1/pending >/dev/null
has "not to a viewer" "$T/body" '"can_approve":false'
same "the requester's approval is refused anyway" "$(call tr1 POST /orgs/mm/funds/1/approvals '{"pending_id":"big-1"}')" 403
same "the second treasurer approves" "$(call tr2 POST /orgs/mm/funds/1/approvals '{"pending_id":"big-1"}')" 200
call tr2 GET /orgs/mm/funds/1/pending >/dev/null
same "the queue is empty" "$(cat "$T/body")" "[]"

# ---- pledges, payroll, strike pay ----
same "a pledge" "$(call tr1 POST /orgs/mm/funds/1/pledges '{"label":"Soma site","monthly":"100.00","start_month":"2026-01-01","pledger":"Site committee"}')" 201
has "of this fund" "$T/body" '"fund_id":1'
same "a pledge without its monthly sum" "$(call tr1 POST /orgs/mm/funds/1/pledges '{"label":"X","start_month":"2026-01-01"}')" 422
same "a contribution towards it" "$(call tr1 POST /orgs/mm/funds/1/contributions '{"amount":"100.00","pledge_id":1}')" 201
call tr1 GET /orgs/mm/funds/1/pledges >/dev/null
has "counts towards it" "$T/body" '"received_minor":10000'
printf 'worker,amount,date\nAli,10.00,2026-11-30\nVeli,abc,2026-11-30\n' >"$T/bad.csv"
st=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tr1")" -H 'Content-Type: text/csv' --data-binary @"$T/bad.csv" "$B/orgs/mm/funds/1/payroll?site=Soma")
same "a payroll file with a bad row" "$st" 422
has "the row is named by line" "$T/body" '"line":3'
printf 'worker,amount,date\nAli,10.00,2026-11-30\nVeli,20.00,2026-11-30\n' >"$T/good.csv"
st=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tr1")" -H 'Content-Type: text/csv' --data-binary @"$T/good.csv" "$B/orgs/mm/funds/1/payroll?site=Soma")
same "the file fixed" "$st" 200
has "both recorded" "$T/body" '"recorded":2'
st=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tr1")" -H 'Content-Type: text/csv' --data-binary @"$T/good.csv" "$B/orgs/mm/funds/1/payroll?site=Soma")
has "again: recorded before" "$T/body" '"already_recorded":2'
same "payroll needs its site" "$(call tr1 POST /orgs/mm/funds/1/payroll 'x')" 400
same "strike pay with a bad week" "$(call tr1 POST /orgs/mm/funds/1/strike-pay '{"week":"2026-13-01","person_ids":[1]}')" 422
fs fund edit 1 --strike-pay-weekly 50 >/dev/null
same "strike pay for a week" "$(call tr1 POST /orgs/mm/funds/1/strike-pay '{"week":"2026-11-30","person_ids":[1]}')" 200
has "one striker paid" "$T/body" '"paid":1'

# ---- the ledger and its exports ----
same "the ledger" "$(call vw GET '/orgs/mm/funds/1/transfers?limit=3')" 200
has "newest first, with names" "$T/body" '"debit":"expenses:strike-pay"'
python3 -c "import json; d=json.load(open('$T/body')); assert len(d['items'])==3 and d['total']>=8 and d['items'][0]['seq']>d['items'][1]['seq'], d" && ok "a page of it, counted" || notok "a page of it, counted"
call vw GET '/orgs/mm/funds/1/transfers?limit=100' >/dev/null
has "the approval is in it" "$T/body" '"status":"approved"'
hasnot "no donor in it" "$T/body" "Soma site"
same "the CSV export" "$(call vw GET '/orgs/mm/funds/1/export?format=csv')" 200
has "its header" "$T/body" "seq,id,date,debit,credit,amount,currency,code,memo"
hasnot "no donors" "$T/body" "Soma site"
same "the ledger-cli export" "$(call vw GET '/orgs/mm/funds/1/export?format=ledger')" 200
has "a journal" "$T/body" "assets:cash"
same "an unknown format" "$(call vw GET '/orgs/mm/funds/1/export?format=xls')" 400
same "another organization's fund" "$(call outsider GET /orgs/oo/funds/1/transfers)" 404
expect "verify at the end" 0 fs verify
kill -TERM "$server"
wait "$server"
finish
