#!/bin/sh
# t24 - the guards of issue 19, each with a test that fails when the guard is
# broken: grouped amounts, strike pay and payroll all-or-none, pending money
# reserved, approvals, the allocation order within a kind, key file modes and
# headers, sessions (expiry, logout, disabled accounts), CSRF, passwords, API
# tokens, organization scope, duplicates in an import file, verify. (The
# money parser, nonces and rewritten chains: tests/unit/test_guards.c; notice
# bands: tests/cases/tr-notice-*.case.)
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
has "nobody is paid" "$T/out" "3 strikers, 0 paid 100.00 each, 0 paid before; exceeds_balance"
expect "balances after" 0 fs fund balances 1
has "cash untouched" "$T/out" "assets:cash                                250.00 TRY"
has "no strike pay spent" "$T/out" "expenses:strike-pay                          0.00 TRY"
fs contribute --fund 1 --amount 50.00 --id cash-2 >/dev/null
expect "with 300.00 all three are paid" 0 fs fund strike-pay 1 --week 2026-03-02 --workplace 1
has "three paid" "$T/out" "3 strikers, 3 paid"

# ---- a payroll file is all or none too, and a zero row is refused ----
fs contribute --fund 1 --amount 100.00 --id cash-3 >/dev/null
printf 'worker,amount,date\nA,60.00,2026-03-05\nB,0,2026-03-05\n' >"$T/zero.csv"
expect "a payroll row of zero refused" 65 fs fund payroll 1 "$T/zero.csv" --site S
has "names line 3" "$T/err" "line 3"
printf 'worker,amount,date,id\nA,60.00,2026-03-05,pr-new\nB,10.00,2026-03-05,bad id\n' >"$T/badid.csv"
expect "a payroll row the ledger refuses" 65 fs fund payroll 1 "$T/badid.csv" --site S
expect "ledger" 0 fs ledger export --fund 1 --format csv
hasnot "the good row is not recorded alone" "$T/out" "pr-new"

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
expect "approving it through another fund is refused" 66 fs --as cli:other approve f2-legal --fund 1
has "not in this fund" "$T/err" "no pending disbursement 'f2-legal' in this fund"
expect "approved in its own fund by another person" 0 fs --as cli:other approve f2-legal --fund 2
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
main_db=$DB
DB=$T/watch.db
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
DB=$main_db

# ---- key files: refused when the group or others can read them ----
for mode in 640 604 644 660 606; do
	chmod "$mode" "$DB.key"
	expect "key file mode $mode refused" 77 fs person list
	has "mode $mode: says how" "$T/err" "run: chmod 600"
done
chmod 400 "$DB.key"
expect "key file mode 400 accepted" 0 fs person list
chmod 600 "$DB.key"
cp "$DB.key" "$T/saved.key"
printf 'not-a-key-header\n%064d\n' 0 >"$T/bad.key"
chmod 600 "$T/bad.key"
expect "a file without the key header refused" 78 "$FS_BIN" --db "$DB" --key "$T/bad.key" person list
has "is not a key file" "$T/err" "is not a fairshare key file"
printf 'x\n' >"$T/new.db.key"
chmod 600 "$T/new.db.key"
expect "init does not overwrite an existing key file" 65 env -u FAIRSHARE_ORG "$FS_BIN" --db "$T/new.db" init
same "the key file is as it was" "$(cat "$T/new.db.key")" "x"
expect "a new key file is 0600" 0 env -u FAIRSHARE_ORG "$FS_BIN" --db "$T/fresh.db" init
same "mode" "$(stat -c %a "$T/fresh.db.key")" 600

# ---- verify: a row put back after its removal was journaled ----
fs person add --full-name "Geçici Kişi" >/dev/null
pid=$(sqlite3 "$DB" "SELECT max(id) FROM people")
sqlite3 "$DB" "CREATE TABLE saved AS SELECT * FROM people WHERE id = $pid"
expect "remove" 0 fs person remove "$pid"
sqlite3 "$DB" "INSERT INTO people SELECT * FROM saved; DROP TABLE saved"
expect "a row put back outside fairshare fails verify" 65 fs verify
has "named" "$T/err" "person $pid has no journal entry"
sqlite3 "$DB" "DELETE FROM people WHERE id = $pid"
expect "verify again" 0 fs verify

# ---- import: duplicates inside one file, and fairshare_id of another organization ----
printf 'external_id,full_name\nX-1,Ali Kaya\nX-1,Veli Demir\n' >"$T/dup.csv"
expect "the same external_id twice in a file" 65 fs import people "$T/dup.csv"
has "names both lines" "$T/err" "line 3: external_id: duplicate in file: the same external_id as line 2"
expect "nobody renamed" 0 fs person list --json
hasnot "no Veli" "$T/out" "Veli Demir"
hasnot "no Ali" "$T/out" "Ali Kaya"
fs org add --slug other --name "Other" --country TR --currency TRY >/dev/null
printf 'fairshare_id,full_name\n1,Renamed By Other\n' >"$T/cross.csv"
expect "a fairshare_id of another organization" 65 fs --org other import people "$T/cross.csv"
has "no such person here" "$T/err" "there is no person with this fairshare_id in the organization"
expect "person 1 unchanged" 0 fs person show 1
has "still Grevci 1" "$T/out" "Grevci 1"
expect "an import with no organization" 65 env -u FAIRSHARE_ORG "$FS_BIN" --db "$DB" import people "$T/dup.csv"
has "asks for one" "$T/err" "organization"

# ---- passwords: 10 to 256 characters, on add and on change ----
p9=123456789
p10=1234567890
p256=$(printf '%0256d' 7)
p257=$(printf '%0257d' 7)
expect "a password of 9 refused" 65 env FAIRSHARE_PASSWORD=$p9 "$FS_BIN" --db "$DB" user add u9
expect "a password of 10 accepted" 0 env FAIRSHARE_PASSWORD=$p10 "$FS_BIN" --db "$DB" user add u10
expect "a password of 256 accepted" 0 env FAIRSHARE_PASSWORD=$p256 "$FS_BIN" --db "$DB" user add u256
expect "a password of 257 refused" 65 env FAIRSHARE_PASSWORD=$p257 "$FS_BIN" --db "$DB" user add u257
expect "a changed password of 9 refused" 65 env FAIRSHARE_PASSWORD=$p9 "$FS_BIN" --db "$DB" user passwd u10
has "says how long" "$T/err" "10 to 256 characters"

# ---- the test harness itself ----
out=$(n=0 fails=0; hasnot "probe" "$T/no-such-file" "text")
case $out in "not ok"*) ok "hasnot: a missing file is not ok" ;; *) notok "hasnot: a missing file is not ok (got '$out')" ;; esac
out=$(n=0 fails=0; hasnot "probe" "$T" "text")
case $out in "not ok"*) ok "hasnot: a directory is not ok" ;; *) notok "hasnot: a directory is not ok (got '$out')" ;; esac
printf 'other\n' >"$T/probe"
out=$(n=0 fails=0; hasnot "probe" "$T/probe" "text")
case $out in "ok "*) ok "hasnot: a file without the text is ok" ;; *) notok "hasnot: a file without the text is ok (got '$out')" ;; esac
fuzzdir=$(dirname "$FS_BIN")/fuzz
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$T/nofindings" "$T/tmp"
expect "replay of an empty findings folder" 0 "$fuzzdir/fuzz_csv_replay" "$T/nofindings"
has "is a skip, not a pass" "$T/out" "ok 1 - $T/nofindings: nothing to replay # SKIP"
expect "replay of a missing folder fails" 1 "$fuzzdir/fuzz_csv_replay" "$T/no-such-folder"
has "says so" "$T/out" "not ok 1 - $T/no-such-folder: missing"
expect "import replay" 0 env TMPDIR="$T/tmp" "$fuzzdir/fuzz_import_replay" "$here/fuzz/corpus/import"
has "replayed" "$T/out" "inputs replayed"
same "leaves no database or key file behind" "$(ls -A "$T/tmp")" ""
env TMPDIR="$T/no-such-folder" "$fuzzdir/fuzz_import_replay" "$here/fuzz/corpus/import/basic.csv" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then ok "the import target makes its database under TMPDIR"; else notok "the import target makes its database under TMPDIR (it ignored TMPDIR)"; fi

# ---- the server: sessions, CSRF, tokens ----
export FAIRSHARE_PASSWORD=admin-password
fs user add boss --role admin >/dev/null
fs user add clerk --role viewer >/dev/null
unset FAIRSHARE_PASSWORD
start_server 24 || notok "the server starts"
J='Content-Type: application/json'
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
login() { # login USER JAR -> the CSRF token
	curl -s -c "$2" -H "$J" -d "{\"username\":\"$1\",\"password\":\"admin-password\"}" "$B/login" | grep -o '"csrf":"[0-9a-f]*"' | cut -d'"' -f4
}
csrf=$(login boss "$T/boss.jar")
same "logged in" "${#csrf}" 64
wrong=$(printf '%s' "$csrf" | tr '0-9a-f' '1-9a-f0')
same "a wrong token of the right length is refused" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: $wrong" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 403
has "as a CSRF failure" "$T/body" '"code":"csrf"'
same "a short token is refused" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: ${csrf%?}" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 403
same "the right token is accepted" "$(code -b "$T/boss.jar" -H "$J" -H "X-CSRF-Token: $csrf" -d '{"full_name":"X Y"}' "$B/orgs/mm/people")" 201
# an expired session
same "the session works" "$(code -b "$T/boss.jar" "$B/me")" 200
sqlite3 "$DB" "UPDATE sessions SET expires_at = '2020-01-01T00:00:00Z'"
same "an expired session gets 401" "$(code -b "$T/boss.jar" "$B/me")" 401
has "unauthorized" "$T/body" '"code":"unauthorized"'
# logout ends the session
csrf=$(login boss "$T/boss.jar")
same "logout" "$(code -b "$T/boss.jar" -H "X-CSRF-Token: $csrf" -X POST "$B/logout")" 200
same "a logged-out session gets 401" "$(code -b "$T/boss.jar" "$B/me")" 401
# a disabled account: no login, no session, no token, not even after it is enabled again
ccsrf=$(login clerk "$T/clerk.jar")
token=$(fs user token clerk)
same "the clerk's token works" "$(code -H "Authorization: Bearer $token" "$B/orgs/mm/people?limit=1")" 200
same "a token sent as a session cookie is no session" "$(code -b "fs_session=$token" -H "$J" -d '{"full_name":"Cookie"}' "$B/orgs/mm/people")" 401
fs user disable clerk >/dev/null
same "a disabled user's token gets 401" "$(code -H "Authorization: Bearer $token" "$B/orgs/mm/people?limit=1")" 401
same "a disabled user cannot log in" "$(code -H "$J" -d '{"username":"clerk","password":"admin-password"}' "$B/login")" 401
fs user enable clerk >/dev/null
same "enabled again, the old session stays ended" "$(code -b "$T/clerk.jar" "$B/me")" 401
same "and a new login works" "$(code -H "$J" -d '{"username":"clerk","password":"admin-password"}' "$B/login")" 200
# a role in one organization is no role in another
FAIRSHARE_PASSWORD=admin-password fs --org other user add otherclerk --role organizer >/dev/null
otoken=$(fs user token otherclerk)
same "an organizer of another organization sees nothing here" "$(code -H "Authorization: Bearer $otoken" "$B/orgs/mm/people?limit=1")" 404
same "but sees their own" "$(code -H "Authorization: Bearer $otoken" "$B/orgs/other/people?limit=1")" 200
kill -TERM "$server"
wait "$server"
finish
