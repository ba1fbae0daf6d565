#!/bin/sh
# t24-money - the money guards of issue 19, each with a test that fails when the
# guard is broken: grouped amounts, strike pay and payroll all-or-none, pending
# money reserved, approvals by a second person in the right fund, the allocation
# order within a kind, the watch (written-off claims, paid in full, overpaid,
# deadlines, a workplace's scope). (The money parser and the ledger's own guards:
# tests/unit/test_guards.c; notice bands: tests/cases/tr-notice-*.case.)
. "$(dirname "$0")/lib.sh"
# flat FILE: the JSON of FILE on one line, without spaces
flat() { tr -d ' \n' <"$1"; }

fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm

# ---- money: a grouped amount's last group has three digits ----
fs fund create --name "Strike fund" >/dev/null
expect "1,800,00 refused" 65 fs contribute --fund 1 --amount 1,800,00 --id g-1
has "names the amount" "$T/err" "'1,800,00' is not an amount"
expect "1.800 refused as ambiguous" 65 fs contribute --fund 1 --amount 1.800 --id g-2
has "says why" "$T/err" "ambiguous"
expect "1,800,000.00 read as grouped" 0 fs contribute --fund 1 --amount 1,800,000.00 --id g-3 --into assets:bank
expect "balances" 0 fs fund balances 1
has "1800000.00 in the bank" "$T/out" "assets:bank                            1800000.00 TRY"

# ---- strike pay: a week is all or none ----
fs employer add --name "Maden A.Ş." >/dev/null
fs workplace add --employer-id 1 --name "Ocak" >/dev/null
for k in 1 2 3; do
	fs person add --full-name "Grevci $k" >/dev/null
	fs employment add --person-id $k --workplace-id 1 --hired 2010-01-01 >/dev/null
done
fs contribute --fund 1 --amount 250.00 --id cash-1 >/dev/null
fs fund edit 1 --strike-pay-weekly 100 >/dev/null
expect "strike pay short of money is refused" 65 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "nobody is paid" "$T/out" "3 strikers, 0 paid 100.00 each, 0 paid before, 3 not paid; exceeds_balance"
expect "balances after" 0 fs fund balances 1
has "cash untouched" "$T/out" "assets:cash                                250.00 TRY"
has "no strike pay spent" "$T/out" "expenses:strike-pay                          0.00 TRY"
fs contribute --fund 1 --amount 50.00 --id cash-2 >/dev/null
expect "with 300.00 all three are paid" 0 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "three paid" "$T/out" "3 strikers, 3 paid"
expect "the same week named by its Thursday" 0 fs fund strike-pay 1 --week 2026-03-05 --workplace 1
has "pays nobody twice (the week is its Monday)" "$T/out" "3 strikers, 0 paid 100.00 each, 3 paid before"
expect "the next week, named by its Sunday, is another week" 65 fs fund strike-pay 1 --week 2026-03-15 --workplace 1
has "its strikers are due again (short of money here)" "$T/out" "3 strikers, 0 paid 100.00 each, 0 paid before, 3 not paid"

# ---- a payroll file is all or none too, and a zero row is refused ----
fs contribute --fund 1 --amount 100.00 --id cash-3 >/dev/null
printf 'worker,amount,date\nA,60.00,2026-03-05\nB,0,2026-03-05\n' >"$T/zero.csv"
expect "a payroll row of zero refused" 65 fs fund payroll 1 "$T/zero.csv" --site S
has "names line 3" "$T/err" "line 3"
printf 'worker,amount,date,id\nA,60.00,2026-03-05,pr-new\nB,10.00,2026-03-05,bad id\n' >"$T/badid.csv"
expect "a payroll row the ledger refuses" 65 fs fund payroll 1 "$T/badid.csv" --site S
expect "ledger" 0 fs ledger export --fund 1 --format csv
hasnot "the good row is not recorded alone" "$T/out" "pr-new"
# the row above is refused before the ledger sees it; this one only the ledger refuses
# (its id is taken by another transfer): the rows are one linked chain, so none is recorded
printf 'worker,amount,date,id\nA,60.00,2026-03-05,pr-chain\nB,10.00,2026-03-05,cash-3\n' >"$T/taken.csv"
expect "a payroll row whose id the ledger holds for another transfer" 65 fs fund payroll 1 "$T/taken.csv" --site S
expect "ledger" 0 fs ledger export --fund 1 --format csv
hasnot "the row before it is not recorded alone" "$T/out" "pr-chain"

# ---- pending money is reserved: it cannot be spent twice ----
expect "reserve 80.00" 0 fs transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 80 --code legal --pending --id res-1
expect "the other 80.00 of 100.00 is not there" 65 fs transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 80 --code legal --id res-2
has "would go negative" "$T/out" "exceeds_balance"
expect "posting more than reserved refused" 65 fs post res-1 --fund 1 --amount 90 --id res-1p
has "exceeds the pending amount" "$T/out" "exceeds_pending"
expect "a transfer that is not pending cannot be posted" 65 fs post cash-3 --fund 1 --id res-x
expect "post the reservation" 0 fs post res-1 --fund 1 --id res-1p
expect "and not twice" 65 fs void res-1 --fund 1 --id res-1v
expect "a reservation that timed out cannot be posted" 0 fs transfer --fund 1 --debit expenses:legal --credit assets:cash --amount 1 --code legal --pending --timeout 1 --id res-3
sleep 2
expect "post after the timeout refused" 65 fs post res-3 --fund 1 --id res-3p
has "expired" "$T/out" "expired"
expect "an account to itself" 65 fs transfer --fund 1 --debit assets:cash --credit assets:cash --amount 1 --code x --id self-1

# ---- approvals: by a second person, in the fund of the disbursement ----
fs fund create --name "Second fund" --approval-threshold 10 >/dev/null
fs contribute --fund 2 --amount 500 --id f2-cash >/dev/null
expect "a disbursement above the threshold waits" 0 fs disburse --fund 2 --amount 100 --purpose legal --id f2-legal
FAIRSHARE_PASSWORD=other-pass-1 fs user add other --role treasurer >/dev/null
expect "approving it through another fund is refused" 66 fs --as other approve f2-legal --fund 1
has "not in this fund" "$T/err" "no pending disbursement 'f2-legal' in this fund"
expect "approved in its own fund by another person" 0 fs --as other approve f2-legal --fund 2
expect "a second fund's accounts are not used by the first" 65 fs transfer --fund 1 --debit expenses:legal --credit 13 --amount 1 --code x --id cross-1
expect "verify" 0 fs verify

# ---- claims: within a kind, the older claim is paid first (doc/claims.md) ----
fs claim add --person-id 1 --kind severance --amount 1000 --document-ref older >/dev/null
fs claim add --person-id 1 --kind severance --amount 400 --document-ref newer >/dev/null
fs claim add --person-id 1 --kind unpaid_wages --amount 100 --document-ref wages >/dev/null
fs payment add --person-id 1 --payer-kind employer --payer-name X --paid-on 2020-01-01 --amount 600 --idempotency-key p-1 >/dev/null
expect "statement" 0 fs statement 1 --json
flat "$T/out" >"$T/flat"
has "wages first (the kind order)" "$T/flat" '"document_ref":"wages","status":"draft","limitation_date":null,"note":null,"paid_minor":10000,'
has "then the older severance claim" "$T/flat" '"document_ref":"older","status":"draft","limitation_date":null,"note":null,"paid_minor":50000,'
has "the newer one waits" "$T/flat" '"document_ref":"newer","status":"draft","limitation_date":null,"note":null,"paid_minor":0,'

# ---- the watch: written-off claims, paid in full, overpaid, deadlines, one workplace's scope ----
db_new watch
env -u FAIRSHARE_ORG "$FS_BIN" --db "$DB" init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
fs employer add --name E >/dev/null
fs workplace add --employer-id 1 --name W1 >/dev/null
fs workplace add --employer-id 1 --name W2 >/dev/null
fs person add --full-name "A" >/dev/null
fs person add --full-name "B" >/dev/null
fs employment add --person-id 1 --workplace-id 1 --hired 2010-01-01 --terminated 2020-01-01 >/dev/null
fs employment add --person-id 2 --workplace-id 2 --hired 2010-01-01 --terminated 2020-01-01 >/dev/null
fs claim add --person-id 1 --employment-id 1 --kind severance --amount 1000 --document-ref a --limitation-date 2026-03-01 >/dev/null
fs claim add --person-id 1 --employment-id 1 --kind notice --amount 300 --document-ref w >/dev/null
fs claim edit 2 --status written_off >/dev/null
fs claim add --person-id 2 --employment-id 2 --kind severance --amount 500 --document-ref b >/dev/null
fs payment add --person-id 1 --payer-kind employer --payer-name X --paid-on 2020-01-01 --amount 200 --idempotency-key p0 >/dev/null
fs payment add --person-id 2 --payer-kind employer --payer-name X --paid-on 2020-01-01 --amount 700 --idempotency-key p1 >/dev/null
expect "watch" 0 fs watch --as-of 2026-01-01 --json
flat "$T/out" >"$T/flat"
has "a written-off claim is not owed, nor paid" "$T/flat" '"totals":{"owed_minor":150000,"paid_minor":70000,"outstanding_minor":80000,"overpaid_minor":20000}'
has "paid exactly in full counts as paid in full" "$T/flat" '"workers":{"total":2,"paid_in_full":1,"partly_paid":1,"paid_nothing":0}'
has "a deadline within 180 days" "$T/flat" '"within_180_days":{"claims":1,"outstanding_minor":80000}'
expect "watch of one workplace" 0 fs watch --workplace 1 --as-of 2026-01-01 --json
flat "$T/out" >"$T/flat"
has "only its claims" "$T/flat" '"totals":{"owed_minor":100000,"paid_minor":20000,"outstanding_minor":80000,"overpaid_minor":0}'
db_main

finish
