#!/bin/sh
# t55 - the ledger's batch path (POST .../funds/F/transfers, fs_ledger_transfer with
# many transfers) behaves exactly like single transfers: the same sequence sent
# as one batch over the API and one transfer at a time over the CLI gives the
# same results, the same balances and a chain that verifies in both; a lone
# transfer stored at once (its id's index probed by the insert) still answers
# "exists" for an id recorded before even when it could no longer be made, and
# "exists_with_different_fields" with nothing written and the chain intact; an
# overdraft in the middle of a linked batch refuses the batch whole, naming the
# row; a payout above the threshold in a batch still needs a second person;
# tampering with a transfer written by a batch is caught by verify.
. "$(dirname "$0")/lib.sh"

# setup: the same organization, users and fund in $DB
setup() {
	fs init >/dev/null
	fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
	fs org add --slug oo --name "Other" --country TR --currency TRY >/dev/null
	for u in tr1 tr2; do FAIRSHARE_PASSWORD=treasurer-pass-x fs --org mm user add $u --role treasurer >/dev/null; done
	fs --org mm fund create --name "Strike fund" --approval-threshold 50.00 >/dev/null
	fs --org oo fund create --name "Other fund" >/dev/null
}
# accounts of fund 1: 1 assets:cash 2 assets:bank 4 income:contributions
# 7 expenses:strike-pay 9 expenses:legal (fund 2, of oo: 13 cash 16 contributions)
tf() { # tf ID DEBIT CREDIT AMOUNT_MINOR CODE [EXTRA]: one transfer as JSON
	printf '{"id":"%s","debit_account_id":%s,"credit_account_id":%s,"amount_minor":%s,"code":"%s"%s}' "$1" "$2" "$3" "$4" "$5" "${6:-}"
}
post() { # post TOKEN ORG FUND BODY -> status; body in $T/body
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/$1")" -H 'Content-Type: application/json' \
		--data-binary "$4" "$B/orgs/$2/funds/$3/transfers"
}
# the results of $T/body, one "id: result" a line
results() { grep -o '"id":"[^"]*","result":"[^"]*"' "$T/body" | sed 's/"id":"\([^"]*\)","result":"\([^"]*\)"/\1: \2/'; }
count() { db_sql "$DB" "SELECT count(*) FROM transfers"; }
rows() { db_sql "$DB" "SELECT id, debit_account_id, credit_account_id, amount_minor, code FROM transfers ORDER BY seq"; }
balances() { fs --org mm fund balances 1; }

# the sequence: contributions, strike pay, a repeat, a repeat with other fields,
# an overdraft of the (empty) bank, legal costs above the threshold, more pay
seq_json="[$(tf c1 1 4 100000 contribution),$(tf c2 1 4 20000 contribution),$(tf p1 7 1 3000 strike-pay),$(tf c1 1 4 100000 contribution),$(tf c2 1 4 999 contribution),$(tf x1 1 2 100 move),$(tf legal1 9 1 8000 legal),$(tf p2 7 1 2000 strike-pay),$(tf p1 7 1 3000 strike-pay)]"
want_results='c1: ok
c2: ok
p1: ok
c1: exists
c2: exists_with_different_fields
x1: exceeds_balance
legal1: approval_required
p2: ok
p1: exists'

# ---- one at a time over the CLI ----
db_new single
setup
cli_results=$(
	fs --org mm transfer --fund 1 --debit assets:cash --credit income:contributions --amount 1000.00 --code contribution --id c1
	fs --org mm transfer --fund 1 --debit assets:cash --credit income:contributions --amount 200.00 --code contribution --id c2
	fs --org mm transfer --fund 1 --debit expenses:strike-pay --credit assets:cash --amount 30.00 --code strike-pay --id p1
	fs --org mm transfer --fund 1 --debit assets:cash --credit income:contributions --amount 1000.00 --code contribution --id c1
	fs --org mm transfer --fund 1 --debit assets:cash --credit income:contributions --amount 9.99 --code contribution --id c2
	fs --org mm transfer --fund 1 --debit assets:cash --credit assets:bank --amount 1.00 --code move --id x1
	fs --org mm transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 80.00 --code legal --id legal1
	fs --org mm transfer --fund 1 --debit expenses:strike-pay --credit assets:cash --amount 20.00 --code strike-pay --id p2
	fs --org mm transfer --fund 1 --debit expenses:strike-pay --credit assets:cash --amount 30.00 --code strike-pay --id p1
) # (the rule of the fund printed beside a refused payout left out)
cli_results=$(echo "$cli_results" | grep -v '^fund 1: ')
same "one at a time: the results" "$cli_results" "$want_results"
single_bal=$(balances)
single_count=$(count)
single_rows=$(rows)
expect "one at a time: verify" 0 fs verify

# ---- the same as one batch over the API ----
db_main
setup
for u in tr1 tr2; do fs --org mm user token $u >"$T/$u"; done
FAIRSHARE_PASSWORD=admin-pass-xyz fs --org oo user add oadmin --role treasurer >/dev/null
fs --org oo user token oadmin >"$T/oadmin"
start_server 55
same "the batch is taken" "$(post tr1 mm 1 "$seq_json")" 200
same "the batch: the same results" "$(results)" "$want_results"
same "the batch: the same balances" "$(balances)" "$single_bal"
same "the batch: as many transfers" "$(count)" "$single_count"
same "the batch: the same rows, in the same order" "$(rows)" "$single_rows"
expect "the batch: verify" 0 fs verify

# ---- the whole batch again: recorded once ----
same "the batch again" "$(post tr1 mm 1 "$seq_json")" 200
same "again: what was recorded exists, what was refused is refused again" "$(results)" 'c1: exists
c2: exists
p1: exists
c1: exists
c2: exists_with_different_fields
x1: exceeds_balance
legal1: approval_required
p2: exists
p1: exists'
same "again: nothing new" "$(count)" "$single_count"
same "again: the balances unchanged" "$(balances)" "$single_bal"

# ---- a recorded transfer that could not be made now still answers exists ----
same "the bank gets 50.00" "$(post tr1 mm 1 "[$(tf b-in 2 4 5000 contribution)]")" 200
same "and pays it all to cash" "$(post tr1 mm 1 "[$(tf b-out 1 2 5000 move)]")" 200
has "recorded" "$T/body" '"id":"b-out","result":"ok"'
same "b-out again, the bank empty" "$(post tr1 mm 1 "[$(tf b-out 1 2 5000 move)]")" 200
same "exists, not exceeds_balance" "$(results)" "b-out: exists"
same "b-out and c2 with other amounts, then a new one" "$(post tr1 mm 1 "[$(tf b-out 1 2 4000 move),$(tf c2 1 4 999 contribution),$(tf c3 1 4 700 contribution)]")" 200
same "exists with other fields (c2 refused by the store's probe); the new one recorded" "$(results)" 'b-out: exists_with_different_fields
c2: exists_with_different_fields
c3: ok'
same "c1 again with one account on both sides" "$(post tr1 mm 1 "[$(tf c1 1 1 100000 contribution)]")" 200
same "the id answers first: exists with other fields" "$(results)" "c1: exists_with_different_fields"
same "one row each" "$(db_sql "$DB" "SELECT count(*) FROM transfers WHERE id IN ('b-out', 'c3')")" 2
balances >"$T/bal"
has "cash: nothing of the refused one" "$T/bal" "assets:cash                               1207.00 TRY"
expect "the chain verifies after a refused duplicate" 0 fs verify
same "an id of mm is new in oo" "$(post oadmin oo 2 "[$(tf c1 13 16 100 contribution)]")" 200
has "recorded in oo" "$T/body" '"id":"c1","result":"ok"'
same "and exists there when repeated" "$(post oadmin oo 2 "[$(tf c1 13 16 100 contribution)]")" 200
has "exists in oo" "$T/body" '"id":"c1","result":"exists"'

expect "the threshold lowered below p1's 30.00" 0 fs --org mm fund edit 1 --approval-threshold 10.00
same "p1 again" "$(post tr1 mm 1 "[$(tf p1 7 1 3000 strike-pay),$(tf p4 7 1 3000 strike-pay)]")" 200
same "p1 exists; a new one as large needs a second person" "$(results)" 'p1: exists
p4: approval_required'
expect "the threshold back" 0 fs --org mm fund edit 1 --approval-threshold 50.00

# ---- an overdraft in the middle of a linked batch: none of it ----
before=$(count)
bal_before=$(balances)
same "a linked batch with an overdraft in its middle" \
	"$(post tr1 mm 1 "[$(tf c4 1 4 100 contribution ',"linked":true'),$(tf x2 1 2 100 move ',"linked":true'),$(tf c5 1 4 100 contribution)]")" 200
same "the row named, the others failed with it" "$(results)" 'c4: linked_event_failed
x2: exceeds_balance
c5: linked_event_failed'
same "nothing of it recorded" "$(count)" "$before"
same "the balances unchanged" "$(balances)" "$bal_before"

# ---- the two-person rule holds in a batch ----
same "a payout above the threshold among others" "$(post tr1 mm 1 "[$(tf c6 1 4 100 contribution),$(tf legal2 9 1 9000 legal),$(tf p3 7 1 100 strike-pay)]")" 200
same "it alone is refused" "$(results)" 'c6: ok
legal2: approval_required
p3: ok'
same "legal2 not recorded" "$(db_sql "$DB" "SELECT count(*) FROM transfers WHERE id = 'legal2'")" 0
same "the payout entered as pending" "$(post tr1 mm 1 "[$(tf legal3 9 1 9000 legal ',"pending":true')]")" 200
same "its requester posting it in a batch" "$(post tr1 mm 1 '[{"id":"legal3-post","post":true,"pending_id":"legal3"}]')" 200
has "needs a second person" "$T/body" '"result":"approval_required"'
same "a second person posts it" "$(post tr2 mm 1 '[{"id":"legal3-post","post":true,"pending_id":"legal3"}]')" 200
has "posted" "$T/body" '"id":"legal3-post","result":"ok"'
expect "verify after it all" 0 fs verify

# ---- tampering with a batch's rows ----
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
tampered t1 "UPDATE transfers SET amount_minor = amount_minor + 1 WHERE id = 'p2'" "a changed amount fails verify"
tampered t2 "DELETE FROM transfers WHERE id = 'c3'" "a deleted row fails verify"
tampered t3 "UPDATE transfers SET credit_account_id = 2 WHERE id = 'c6'" "a changed account fails verify"
finish
