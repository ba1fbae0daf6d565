#!/bin/sh
# t37 - the CLI's one option parser and its command table (#10): every command's
# options are declared and parsed the same way, with one clear error naming the
# option and the command (unknown, missing value, bad number, out of range,
# given twice, a value to a flag); `fairshare help` lists the table with what
# each command needs (a database, an organization, the key, the operator), and
# a command that needs a database or an organization says so. Reads as a viewer
# (--as) answer in the CLI what the API answers (the core checks both), and a
# week's strike pay past the fund's rolling limit or threshold waits, pending,
# for a second account's approval, which posts it all at once (CLI and API).
. "$(dirname "$0")/lib.sh"

fs demo >/dev/null
m() { fs --org miners "$@"; }

# ---- the one parser: errors name the option and the command (exit 64)
expect "an unknown option" 64 m transfer --fund 1 --bogus 3
has "names it and the command" "$T/err" "unknown option --bogus for 'transfer'"
expect "an unknown option of a fund command" 64 m fund strike-pay 1 --week 2026-03-02 --weak 2
has "names it" "$T/err" "unknown option --weak for 'fund strike-pay'"
expect "a missing value" 64 m log --limit
has "says which option needs what" "$T/err" "--limit needs a value (N) for 'log'"
expect "a bad number" 64 m log --limit abc
has "says what it is not" "$T/err" "--limit: 'abc' is not a positive whole number for 'log'"
expect "a number out of its range" 64 timeout 60 "$FS_BIN" --db "$DB" serve --listen 127.0.0.1:1 --threads 99
has "says the range" "$T/err" "--threads: '99' is not a whole number from 1 to 64 for 'serve'"
expect "an option given twice" 64 m record timeline --from 2011-01-01 --from 2012-01-01
has "says so" "$T/err" "--from given twice for 'record timeline'"
expect "a value given to a flag" 64 m record counts --public=yes
has "says it takes none" "$T/err" "--public takes no value for 'record counts'"
expect "a stray argument" 64 m watch extra
has "names it" "$T/err" "unexpected argument 'extra' for 'watch'"
expect "a short option" 64 m person list -x
has "is refused by name" "$T/err" "unknown option -x (options are --long) for 'person list'"
expect "a global option past its range" 64 fs --shares-fd 5000 summary
has "says the range" "$T/err" "--shares-fd: '5000' is not a whole number from 0 to 1023"
expect "a global option's bad number" 64 fs --passphrase-fd x summary
has "names it" "$T/err" "--passphrase-fd: 'x' is not a whole number from 0 to 1023"
expect "a user subcommand's missing value" 64 m user add someone --role
has "names it" "$T/err" "--role needs a value (ROLE) for 'user add'"
expect "a --role where it means nothing" 64 m user passwd admin --role viewer
has "says so" "$T/err" "--role is not an option of this command for 'user passwd'"
expect "an id option that is no id" 64 m ledger export --fund x
has "names it" "$T/err" "--fund: 'x' is not a positive whole number for 'ledger export'"
expect "verify --checkpoint without a file" 64 fs verify --checkpoint
has "says what it needs" "$T/err" "--checkpoint needs a value (FILE...) for 'verify'"
# what worked before still works: --name=value, '-' or '_', bare yes/no fields, "--"
expect "--name=value" 0 m person add --full-name=Eqsign --phone=+905551112233
expect "_ for -" 0 m person add --full_name Underscored
expect "a bare yes/no field" 0 m entitle --jurisdiction TR --hired 2005-02-01 --terminated 2011-12-15 --reason closure --wage 1800 --underground
expect "a yes/no field with its value" 0 m entitle --jurisdiction TR --hired 2005-02-01 --terminated 2011-12-15 --reason closure --wage 1800 --underground no
expect "person list --search" 0 m person list --search eqsign
has "finds" "$T/out" "Eqsign"
expect "global options anywhere" 0 fs person list --search eqsign --org miners
expect "log --offset 0" 0 m log --limit 1 --offset 0
printf 'Ad Soyad\nMapped Person\n' >"$T/map.csv"
expect "import people with --map" 0 m import people --dry-run --map 'Ad Soyad=full_name' "$T/map.csv"
expect "verify --checkpoint FILE FILE" 0 sh -c "\"$FS_BIN\" --db \"$DB\" --org miners checkpoint >\"$T/cp1\" && \"$FS_BIN\" --db \"$DB\" verify --checkpoint \"$T/cp1\" \"$T/cp1\""
same "each file is checked" "$(grep -c "the log of 'miners' extends it" "$T/out")" 2

# ---- the command table
expect "fairshare help" 0 fs help
for cmd in init person fund entitle verify key policy help; do has "help lists $cmd" "$T/out" "  $cmd "; done
has "what person needs" "$T/out" "person        db org key"
has "entitle needs nothing" "$T/out" "entitle       -  "
has "verify is the operator's" "$T/out" "verify        db key operator"
expect "--help lists the same" 0 fs --help
has "the table" "$T/out" "  statement     db org key"
expect "help COMMAND" 0 fs help record
has "is the command's help" "$T/out" "usage: fairshare record duplicates"
expect "help of no command" 64 fs help nosuch
has "says so" "$T/err" "'nosuch' is not a fairshare command"
expect "no such command" 64 fs nosuch
# needs a database: a missing one is named, with how to make one; nothing is created
expect "needs a database" 66 "$FS_BIN" --db "$T/none/x.db" --org miners person list
has "says which command and where" "$T/err" "person needs a database, and there is none at $T/none/x.db: create one with 'fairshare init'"
[ ! -e "$T/none" ] && ok "nothing was created" || notok "nothing was created"
expect "a command that needs none" 0 "$FS_BIN" --db "$T/none/x.db" policy
expect "entitle needs none" 0 "$FS_BIN" --db "$T/none/x.db" entitle --jurisdiction TR --hired 2005-02-01 --terminated 2011-12-15 --reason closure --wage 1800
# needs an organization: with several, one must be named; with none, how to add one
expect "needs an organization" 65 fs person list
has "lists the choices" "$T/err" "miners, oil"
expect "org needs none" 0 fs org list
env -u FAIRSHARE_KEY "$FS_BIN" --db "$T/empty.db" init >/dev/null 2>&1
expect "no organization yet" 65 env -u FAIRSHARE_ORG -u FAIRSHARE_KEY "$FS_BIN" --db "$T/empty.db" fund list
has "says how to add one" "$T/err" "there is no organization yet: add one with 'fairshare org add"
# the operator's alone: naming an account changes nothing
expect "verify as an account that does not exist" 0 fs --as nosuch verify
expect "a read as an account that does not exist" 66 fs --as nosuch --org miners person list

# ---- the accounts: the CLI and the API ask the same core (users.manage)
for u in admin viewer treasurer; do fs user token "$u" >"$T/token.$u"; done
start_server 37
call() { # call USER METHOD PATH [BODY] -> status; body in $T/body
	curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/token.$1")" \
		-H 'Content-Type: application/json' ${4:+-d "$4"} "$B$3"
}
expect "a viewer lists the accounts: refused, CLI" 77 m --as viewer user list
has "names what it needs" "$T/err" "users.manage"
same "a viewer lists the accounts: refused, API" "$(call viewer GET /orgs/miners/users)" 403
expect "an admin lists the accounts, CLI" 0 m --as admin user list
same "an admin lists the accounts, API" "$(call admin GET /orgs/miners/users)" 200
expect "a treasurer's account list, CLI" 77 m --as treasurer user list --json
# reads: the core checks their capability and the handling level for both front ends
expect "a viewer reads the fund's balances, CLI" 0 m --as viewer --json fund balances 1
same "and over the API" "$(call viewer GET /orgs/miners/funds/1/balances)" 200
expect "a viewer asks for sealed fields, CLI" 77 m --as viewer person show 1 --reveal
has "names what it needs" "$T/err" "sealed fields"
same "and over the API" "$(call viewer GET '/orgs/miners/people/1?reveal=1')" 403
expect "a viewer's people export with sealed fields, CLI" 77 m --as viewer export people --reveal
expect "a viewer's people list, CLI" 0 m --as viewer --json person list --limit 3
same "and over the API" "$(call viewer GET '/orgs/miners/people?limit=3')" 200

# ---- strike pay past the rolling limit: pending, then a second account approves it all
m contribute --fund 1 --amount 5000 --into assets:cash --donor "Soma site" --id c37 >/dev/null
m fund edit 1 --strike-pay-weekly 100 --rolling-limit 250 >/dev/null
expect "strike pay past the rolling limit" 0 m --as treasurer fund strike-pay 1 --week 2026-03-02 --persons 1,2,3
has "waits for approval" "$T/out" "approval_required"
has "with the pending id" "$T/out" "pending id strike-1-2026-03-02"
expect "nothing paid yet" 0 m fund balances 1
has "the cash is reserved" "$T/out" "(pending -300.00)"
expect "the --json form" 0 m --as treasurer --json fund strike-pay 1 --week 2026-03-02 --persons 1,2,3
same "says approval_required" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["result"], d["pending_id"], d["awaiting_approval"], d["paid"])' "$T/out")" \
	"approval_required strike-1-2026-03-02 3 0"
expect "the requester cannot approve it" 77 m --as treasurer approve strike-1-2026-03-02 --fund 1
has "says why" "$T/err" "second person"
same "nor over the API" "$(call treasurer POST /orgs/miners/funds/1/approvals '{"pending_id":"strike-1-2026-03-02"}')" 403
expect "the operator is no second person" 77 m approve strike-1-2026-03-02 --fund 1
same "a viewer cannot approve (funds.approve)" "$(call viewer POST /orgs/miners/funds/1/approvals '{"pending_id":"strike-1-2026-03-02"}')" 403
expect "still nothing paid" 0 m fund balances 1
has "still reserved" "$T/out" "(pending -300.00)"
same "a second account approves it over the API" "$(call admin POST /orgs/miners/funds/1/approvals '{"pending_id":"strike-1-2026-03-02"}')" 200
has "ok" "$T/body" '"result":"ok"'
expect "every striker paid at once" 0 m fund balances 1
has "the cash went out" "$T/out" "assets:cash                               4700.00 TRY"
hasnot "nothing reserved any more" "$T/out" "pending"
expect "approving it again" 65 m --as admin approve strike-1-2026-03-02 --fund 1
has "says it was paid" "$T/err" "approved and paid already"
expect "the week again" 0 m --as treasurer fund strike-pay 1 --week 2026-03-02 --persons 1,2,3
has "pays nobody twice" "$T/out" "0 paid 100.00 each, 3 paid before; ok"
# the threshold: strike pay above it waits too; the CLI approves, all or none
m fund edit 1 --strike-pay-weekly 25000 --rolling-limit "" >/dev/null
m contribute --fund 1 --amount 100000 --into assets:cash --donor "Soma site" --id c37b >/dev/null
expect "strike pay above the threshold" 0 m --as treasurer fund strike-pay 1 --week 2026-03-09 --persons 1,2
has "waits" "$T/out" "pending id strike-1-2026-03-09"
expect "another week's id is not this one" 66 m --as admin approve strike-1-2026-03-16 --fund 1
expect "another fund's batch is not found" 66 m --as admin approve strike-2-2026-03-09 --fund 1
expect "a second account approves it, CLI" 0 m --as admin approve strike-1-2026-03-09 --fund 1
has "ok" "$T/out" "strike-1-2026-03-09.post: ok"
expect "the ledger verifies" 0 fs verify
expect "both strikers paid" 0 m ledger export --fund 1 --format csv
same "two strike payments that week" "$(grep -c 'strike-1-2026-03-09-' "$T/out")" 2
# a batch short of money is refused at once: nothing waits
m fund edit 1 --strike-pay-weekly 90000 >/dev/null
expect "strike pay the cash cannot cover" 65 m --as treasurer fund strike-pay 1 --week 2026-03-16 --persons 1,2
hasnot "nothing waits" "$T/out" "pending id"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
