#!/bin/sh
# t29 - one principal and the two-person rule, held by the core for every front
# end: the CLI acts as an existing, enabled account with a role (--as,
# $FAIRSHARE_AS) or as the local operator; the journal names "user:ID NAME" from
# the CLI and the API alike. Money out above a fund's threshold, or past an
# account's rolling limit, moves only when a second account (by id) posts it:
# by transfer, batch, post or splitting, through the CLI or the API.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
fs org add --slug oo --name "Other" --country KZ --currency KZT >/dev/null
export FAIRSHARE_ORG=mm
P=long-enough-pass
for u in tr1:treasurer tr2:treasurer tr3:treasurer vw:viewer gone:treasurer; do
	FAIRSHARE_PASSWORD=$P fs user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
FAIRSHARE_PASSWORD=$P fs --org oo user add outsider --role admin >/dev/null
fs user disable gone >/dev/null
# ids: tr1 1, tr2 2, tr3 3, vw 4, gone 5, outsider 6

# ---- one principal: --as names an existing, enabled account with a role here ----
expect "an unknown account" 66 fs --as nosuch person list
has "says so" "$T/err" "there is no account 'nosuch' to act as"
expect "\$FAIRSHARE_AS likewise" 66 env FAIRSHARE_AS=nosuch "$FS_BIN" --db "$DB" person list
expect "a disabled account" 77 fs --as gone person list
has "says so" "$T/err" "the account 'gone' is disabled"
expect "an account without a role in the organization: as if it did not exist (as the API)" 66 fs --as outsider person list
has "says so" "$T/err" "user:6 outsider holds no role in this organization"
expect "it acts in its own" 0 fs --org oo --as outsider person list
expect "a viewer reads" 0 fs --as vw person list
expect "a viewer does not write (the core checks)" 77 fs --as vw person add --full-name "Ali Veli"
has "names who and what" "$T/err" "user:4 vw (viewer) may not register.write"
expect "nor through \$FAIRSHARE_AS" 77 env FAIRSHARE_AS=vw "$FS_BIN" --db "$DB" person add --full-name "Ali Veli"
expect "a treasurer does not manage accounts" 77 env FAIRSHARE_PASSWORD=$P "$FS_BIN" --db "$DB" --as tr1 user add eve --role admin
expect "nor change the register" 77 fs --as tr1 person add --full-name "Ali Veli"
expect "an organizer does" 0 env FAIRSHARE_PASSWORD=$P "$FS_BIN" --db "$DB" user add org1 --role organizer
expect "as itself" 0 fs --as org1 person add --full-name "Ali Veli"
same "the journal names the account: id and name" "$(db_sql "$DB" "SELECT actor FROM journal ORDER BY seq DESC LIMIT 1")" "user:7 org1"
expect "the operator (no --as) may" 0 fs person add --full-name "Ayşe Kaya"
same "and the journal says so" "$(db_sql "$DB" "SELECT actor FROM journal ORDER BY seq DESC LIMIT 1")" "operator"
expect "verify is the operator's: naming an account changes nothing" 0 fs --as nosuch verify
expect "a backup too" 0 fs --as vw backup "$T/copy.db"
db_new fresh
expect "init of a new database" 0 "$FS_BIN" --db "$DB" --as nosuch init
db_main

# ---- the two-person rule: a threshold of 5000.00, a rolling limit of 8000.00 per account per day ----
expect "a fund with its rule" 0 fs --as tr1 fund create --name "Strike fund" --approval-threshold 5000 --rolling-limit 8000
expect "shown where a payout is entered" 0 fs fund show 1
has "the threshold" "$T/out" "approval_threshold_minor 5000.00"
has "the rolling limit" "$T/out" "rolling_limit_minor  8000.00"
expect "a negative limit is refused" 65 fs fund edit 1 --rolling-limit -1
expect "a viewer moves no money" 77 fs --as vw contribute --fund 1 --amount 1
has "names the capability" "$T/err" "user:4 vw (viewer) may not funds.transfer"
expect "money in" 0 fs --as tr1 contribute --fund 1 --amount 100000 --id in-1
# accounts: 1 assets:cash, 2 assets:bank, 4 income:contributions, 9 expenses:legal
expect "a transfer above the threshold (CLI)" 65 fs --as tr1 transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 6000 --code legal --id big-1
has "needs approval" "$T/out" "big-1: approval_required"
has "and the rule is shown" "$T/out" "money out above 5000.00 TRY, or past 8000.00 TRY per account in 24 hours"
expect "nor by the operator" 65 fs transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 6000 --code legal --id big-2
expect "moving cash to the bank above it is money out too" 65 fs --as tr1 transfer --fund 1 --debit assets:bank --credit assets:cash --amount 5000.01 --code move --id big-3
expect "money in above it needs nobody" 0 fs --as tr1 contribute --fund 1 --amount 9000 --id in-2
same "nothing of it moved" "$(fs ledger export --fund 1 --format csv | grep -c ',big-')" 0

# the API: the same rule for a batch, a post and an approval
fs user token tr1 >"$T/tok1"
fs user token tr2 >"$T/tok2"
start_server 29
post() { curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/$1")" -H 'Content-Type: application/json' --data-binary "$3" "$B/orgs/mm$2"; }
same "a batch transfer above the threshold" "$(post tok1 /funds/1/transfers '[{"id":"api-big","debit_account_id":9,"credit_account_id":1,"amount_minor":2500000,"code":"strike-pay"}]')" 200
has "is refused" "$T/body" '"id":"api-big","result":"approval_required"'
same "a chain with one such transfer" "$(post tok1 /funds/1/transfers '[{"id":"api-s1","debit_account_id":9,"credit_account_id":1,"amount_minor":100,"code":"legal","linked":true},{"id":"api-b1","debit_account_id":9,"credit_account_id":1,"amount_minor":600000,"code":"legal"}]')" 200
has "fails whole" "$T/body" '"id":"api-s1","result":"linked_event_failed"'
same "nothing of it moved" "$(fs ledger export --fund 1 --format csv | grep -c ',api-')" 0
expect "curl GET of the fund" 0 curl -s -o "$T/fund.json" -H "Authorization: Bearer $(cat "$T/tok1")" "$B/orgs/mm/funds/1"
has "the API shows the threshold" "$T/fund.json" '"approval_threshold_minor":500000'
has "and the limit" "$T/fund.json" '"rolling_limit_minor":800000'

# a payout requested in the CLI by tr1 waits; tr1 cannot post or approve it anywhere
expect "a disbursement above the threshold (CLI, tr1)" 0 fs --as tr1 disburse --fund 1 --amount 6000 --purpose legal --to "Avukat" --id lg-1
has "waits" "$T/out" "waits for a second person"
expect "tr1 posts it (CLI)" 65 fs --as tr1 post lg-1 --fund 1
has "refused" "$T/out" "approval_required"
same "tr1 posts it (API)" "$(post tok1 /funds/1/transfers '[{"id":"lg-1.p","post":true,"pending_id":"lg-1"}]')" 200
has "refused" "$T/body" '"result":"approval_required"'
same "tr1 approves it (API): the same account" "$(post tok1 /funds/1/approvals '{"pending_id":"lg-1"}')" 403
has "says why" "$T/body" "approved by a second person"
expect "tr1 approves it (CLI)" 77 fs --as tr1 approve lg-1 --fund 1
expect "a viewer cannot approve it" 77 fs --as vw approve lg-1 --fund 1
expect "the operator is not a second account" 77 fs approve lg-1 --fund 1
has "says so" "$T/err" "the second person of a payout is an account"
same "still pending" "$(fs ledger export --fund 1 --format csv | grep -c ',legal,')" 0
same "a second treasurer approves it (API)" "$(post tok2 /funds/1/approvals '{"pending_id":"lg-1"}')" 200
has "ok" "$T/body" '"result":"ok"'
same "moved once" "$(fs ledger export --fund 1 --format csv | grep -c ',legal,')" 1
same "the post names the approver by id" "$(db_sql "$DB" "SELECT actor FROM transfers WHERE pending_id = 'lg-1'")" "user:2 tr2"
same "and the journal the same way as the CLI does" "$(db_sql "$DB" "SELECT actor FROM journal WHERE entity = 'fund' ORDER BY seq DESC LIMIT 1")" "user:2 tr2"
# the other way round: requested over the API, approved in the CLI
same "a pending payout over the API (tr2)" "$(post tok2 /funds/1/transfers '[{"id":"lg-2","debit_account_id":9,"credit_account_id":1,"amount_minor":700000,"code":"legal","pending":true}]')" 200
expect "tr2 approves it in the CLI" 77 fs --as tr2 approve lg-2 --fund 1
expect "tr1 does" 0 fs --as tr1 approve lg-2 --fund 1
has "ok" "$T/out" "lg-2.post: ok"

# ---- splitting: the rolling limit per account ----
expect "tr3 pays 4000.00" 0 fs --as tr3 transfer --fund 1 --debit expenses:other --credit assets:cash --amount 4000 --code other --id sp-1
expect "and 4000.00 more (8000.00: the limit)" 0 fs --as tr3 disburse --fund 1 --amount 4000 --purpose other --id sp-2
hasnot "paid at once" "$T/out" "waits"
expect "0.01 more is past it (CLI transfer)" 65 fs --as tr3 transfer --fund 1 --debit expenses:other --credit assets:cash --amount 0.01 --code other --id sp-3
has "needs approval" "$T/out" "sp-3: approval_required"
expect "a disbursement past it waits" 0 fs --as tr3 disburse --fund 1 --amount 100 --purpose other --id sp-4
has "waits" "$T/out" "waits for a second person"
expect "posting it oneself is past the limit too" 65 fs --as tr3 post sp-4 --fund 1
expect "a small pending one, posted oneself" 0 fs --as tr3 transfer --fund 1 --debit expenses:other --credit assets:cash --amount 1 --code other --pending --id sp-5
expect "is caught by the limit" 65 fs --as tr3 post sp-5 --fund 1
expect "tr2 approves the disbursement" 0 fs --as tr2 approve sp-4 --fund 1
# tr1 has moved 0 on their own (lg-2 was an approval): a batch split into three
fs user token tr3 >"$T/tok3"
same "a batch split under the threshold (API)" "$(post tok1 /funds/1/transfers '[{"id":"ap-1","debit_account_id":10,"credit_account_id":1,"amount_minor":400000,"code":"other"},{"id":"ap-2","debit_account_id":10,"credit_account_id":1,"amount_minor":400000,"code":"other"},{"id":"ap-3","debit_account_id":10,"credit_account_id":1,"amount_minor":100,"code":"other"}]')" 200
has "the first within the limit" "$T/body" '"id":"ap-1","result":"ok"'
has "the second reaches it" "$T/body" '"id":"ap-2","result":"ok"'
has "the third is past it" "$T/body" '"id":"ap-3","result":"approval_required"'
same "tr3 over the API is past it too" "$(post tok3 /funds/1/transfers '[{"id":"ap-4","debit_account_id":10,"credit_account_id":1,"amount_minor":100,"code":"other"}]')" 200
has "refused" "$T/body" '"result":"approval_required"'
same "the API of tr2, within the limit" "$(post tok2 /funds/1/transfers '[{"id":"ap-5","debit_account_id":10,"credit_account_id":1,"amount_minor":100,"code":"other"}]')" 200
has "ok" "$T/body" '"result":"ok"'
kill -TERM "$server"
wait "$server" 2>/dev/null

# ---- the log reads the same from both front ends; everything verifies ----
expect "log" 0 fs log
has "the CLI's account" "$T/out" "user:1 tr1"
has "the API's account" "$T/out" "user:2 tr2"
has "the operator" "$T/out" "operator"
expect "verify" 0 fs verify
finish
