#!/bin/sh
# t09 - solidarity funds: contributions, idempotent retries, disbursements with
# two-person approval, pending/post/void, no-negative accounts, sealed donors,
# exports that hledger and ledger-cli read and agree with, tamper detection.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm
# the second persons of approvals are accounts (--as names one)
for u in treasurer2 treasurer3; do FAIRSHARE_PASSWORD=treasurer-pass-x fs user add $u --role treasurer >/dev/null; done
expect "fund create" 0 fs fund create --name "Strike fund" --approval-threshold 5000
has "standard accounts" "$T/out" "created fund 1 with its standard accounts"
expect "contribution" 0 fs contribute --fund 1 --amount 12000.00 --donor "Gizli Bağışçı" --id bank-001
has "ok" "$T/out" "bank-001: ok"
expect "the same contribution retried" 0 fs contribute --fund 1 --amount 12000.00 --donor "Gizli Bağışçı" --id bank-001
has "recorded once" "$T/out" "bank-001: exists"
expect "the same id with another amount" 65 fs contribute --fund 1 --amount 999 --id bank-001
has "refused" "$T/out" "exists_with_different_fields"
expect "anonymous contribution" 0 fs contribute --fund 1 --amount 3000 --anonymous --into assets:bank --id bank-002
expect "zero amount" 65 fs contribute --fund 1 --amount 0 --id bank-003
expect "unknown account" 65 fs contribute --fund 1 --amount 1 --into assets:nowhere --id bank-004
has "names it" "$T/err" "no account 'assets:nowhere'"
expect "strike pay below the threshold posts at once" 0 fs disburse --fund 1 --amount 1500 --purpose strike-pay --to "Worker One" --id sp-1
expect "legal costs above the threshold wait" 0 fs disburse --fund 1 --amount 8000 --purpose legal --id lg-1
has "waits for a second person" "$T/out" "waits for a second person"
expect "the same person cannot approve" 77 fs approve lg-1 --fund 1
has "explains" "$T/err" "approved by a second person"
expect "a second person approves" 0 fs --as treasurer2 approve lg-1 --fund 1
expect "the same approval again records nothing" 65 fs --as treasurer3 approve lg-1 --fund 1
has "and says it was posted before, by whom" "$T/err" "'lg-1' was already posted by user:1 treasurer2"
expect "another posting of it is refused" 65 fs --as treasurer3 approve lg-1 --fund 1 --id other-post
has "already posted" "$T/err" "was already posted"
expect "cash may not go negative" 65 fs disburse --fund 1 --amount 50000 --purpose other --id big-1
has "exceeds" "$T/out" "exceeds_balance"
expect "a pending transfer" 0 fs transfer --fund 1 --debit expenses:family-support --credit assets:cash --amount 500 --code family --pending --id fam-1
expect "void it" 0 fs void fam-1 --fund 1
expect "post after void is refused" 65 fs post fam-1 --fund 1
expect "balances" 0 fs fund balances 1
has "cash after it all" "$T/out" "assets:cash                               2500.00 TRY"
has "bank" "$T/out" "assets:bank                               3000.00 TRY"
has "income" "$T/out" "income:contributions                    -15000.00 TRY"
expect "balances --json" 0 fs fund balances 1 --json
has "json balance" "$T/out" '"balance_minor": 250000'

# exports: hledger and ledger read them and agree with fairshare, account by account
expect "export ledger" 0 fs ledger export --fund 1 --output "$T/fund.journal"
hasnot "no donor names in the export" "$T/fund.journal" "Bağışçı"
fs fund balances 1 --json | grep -o '"name": "[^"]*"\|"balance_minor": -\{0,1\}[0-9]*' | paste - - |
	sed 's/"name": "\([^"]*\)"\t"balance_minor": \(-\{0,1\}[0-9]*\)/\1 \2/' | awk '$2 != 0' | sort >"$T/ours"
hledger -f "$T/fund.journal" bal -N --flat -O csv 2>"$T/hledger.err" | tail -n +2 | tr -d '"' |
	awk -F, '{ split($2, a, " "); printf "%s %d\n", $1, (a[1] < 0 ? a[1] * 100 - 0.5 : a[1] * 100 + 0.5) }' | awk '$2 != 0' | sort >"$T/hledger"
ledger -f "$T/fund.journal" bal --flat --no-total --format '%(account) %(quantity(display_total))\n' 2>"$T/ledger.err" |
	awk '{ printf "%s %d\n", $1, ($2 < 0 ? $2 * 100 - 0.5 : $2 * 100 + 0.5) }' | awk '$2 != 0' | sort >"$T/ledger"
same "hledger agrees with fairshare" "$(cat "$T/hledger")" "$(cat "$T/ours")"
same "ledger-cli agrees with fairshare" "$(cat "$T/ledger")" "$(cat "$T/ours")"
[ -s "$T/ours" ] && ok "there are balances to compare" || notok "there are balances to compare"
expect "export beancount" 0 fs ledger export --fund 1 --format beancount
has "beancount accounts" "$T/out" "open Assets:Cash TRY"
has "beancount posting" "$T/out" "Expenses:Legal  8000.00 TRY"
expect "export csv" 0 fs ledger export --fund 1 --format csv
has "csv header" "$T/out" "seq,id,date,debit,credit,amount,currency,code,memo"
expect "export csv --reveal" 0 fs ledger export --fund 1 --format csv --reveal
has "donor only when revealed" "$T/out" "Gizli Bağışçı"
if at_rest "$DB" "Gizli Bağışçı"; then notok "donor sealed at rest"; else ok "donor sealed at rest"; fi
expect "verify" 0 fs verify

# a payroll collection from another site: all rows or none, the same file twice records once
printf 'worker,amount,date\nAyşe K.,150.00,2026-03-05\nMehmet D.,200,05.03.2026\n' >"$T/pay.csv"
expect "payroll collection" 0 fs fund payroll 1 "$T/pay.csv" --site "Soma site"
has "two recorded" "$T/out" "2 rows: 2 recorded"
expect "the same file again" 0 fs fund payroll 1 "$T/pay.csv" --site "Soma site"
has "recorded once" "$T/out" "0 recorded, 2 recorded before"
printf 'worker,amount,date\nA,10,2026-03-05\nB,-5,2026-03-05\nC,7,2026-13-01\n' >"$T/badpay.csv"
expect "a collection with bad rows records nothing" 65 fs fund payroll 1 "$T/badpay.csv" --site "Soma site"
has "line 3 named" "$T/err" "line 3"
has "line 4 named" "$T/err" "line 4"
expect "report" 0 fs fund report 1
has "public totals" "$T/out" "from 4 contributions"
hasnot "no donor names in the public report" "$T/out" "Ayşe"
expect "report --json" 0 fs fund report 1 --json
has "by month" "$T/out" '"income:payroll"'

# pledges: pledged against received, with arrears
expect "pledge" 0 fs pledge add --fund-id 1 --label "Zonguldak site" --monthly 1000 --start-month 2026-01-01 --end-month 2026-03-31 --pledger "Sendika Şubesi"
expect "pledge of nothing" 65 fs pledge add --fund-id 1 --label "X" --monthly 0 --start-month 2026-01-01
expect "contribution towards the pledge" 0 fs contribute --fund 1 --amount 1000 --pledge 1 --id pl-jan
expect "another" 0 fs contribute --fund 1 --amount 500 --pledge 1 --id pl-feb
expect "pledges" 0 fs fund pledges 1 --json
has "three months due" "$T/out" '"months_due": 3'
has "received" "$T/out" '"received_minor": 150000'
has "arrears" "$T/out" '"arrears_minor": 150000'
hasnot "the pledger stays sealed" "$T/out" "Şubesi"

# strike pay by the fund's policy, to every striker of a workplace
fs employer add --name "Maden A.Ş." >/dev/null
fs workplace add --employer-id 1 --name "Ocak" >/dev/null
for k in 1 2 3; do fs person add --full-name "Grevci $k" >/dev/null; fs employment add --person-id $k --workplace-id 1 --hired 2010-01-01 >/dev/null; done
expect "no policy yet" 65 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "says how" "$T/err" "strike-pay-weekly"
fs fund edit 1 --strike-pay-weekly 100 >/dev/null
expect "a week of strike pay" 0 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "three paid" "$T/out" "3 strikers, 3 paid 100.00 each"
expect "the same week again" 0 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "nobody twice" "$T/out" "0 paid 100.00 each, 3 paid before"

# tampering with money is caught
t1=$(db_clone t1)
db_sql "$t1" "UPDATE transfers SET amount_minor = amount_minor + 1 WHERE id = 'sp-1'"
expect "a changed transfer fails verify" 65 "$FS_BIN" --db "$t1" verify
has "named" "$T/err" "does not match its hash"
t2=$(db_clone t2)
db_sql "$t2" "UPDATE balances SET debits_posted = debits_posted + 100 WHERE account_id = 1"
expect "a changed balance fails verify" 65 "$FS_BIN" --db "$t2" verify
has "named" "$T/err" "differs from the sum of its transfers"
t3=$(db_clone t3)
db_sql "$t3" "DELETE FROM transfers WHERE id = 'sp-1'"
expect "a deleted transfer fails verify" 65 "$FS_BIN" --db "$t3" verify
finish
