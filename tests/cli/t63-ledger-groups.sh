#!/bin/sh
# t63 - the ledger's batch path stores its lone transfers in groups (one INSERT of
# up to 64 rows, s25-led16): a batch of 150 transfers (three groups, the last
# split 16 + 4 + 2) gives the same results, rows, balances and statement as the
# same transfers sent one at a time, and one journal entry binding them all; a
# retried batch records nothing again (the group's insert is refused by the id
# index and the group goes again one by one); a retry mixing old and new ids
# records only the new, in order; a batch that breaks a rule after groups were
# already stored (a linked chain, a sum past the largest amount) is refused
# whole; kill -9 in the middle of a batch of 8190 leaves all of it or none; and
# tampering with a row inside a group is caught by verify.
. "$(dirname "$0")/lib.sh"

setup() {
	fs init >/dev/null
	fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
	for u in tr1 tr2; do FAIRSHARE_PASSWORD=treasurer-pass-x fs --org mm user add $u --role treasurer >/dev/null; done
	fs --org mm fund create --name "Strike fund" --approval-threshold 50.00 >/dev/null
	for u in tr1 tr2; do fs --org mm user token $u >"$T/$u"; done
}
# accounts of fund 1: 1 assets:cash 2 assets:bank 4 income:contributions 7 expenses:strike-pay 9 expenses:legal
post() { # post TOKEN BODY_FILE -> status; the answer in $T/body
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/$1")" -H 'Content-Type: application/json' \
		--data-binary "@$2" "$B/orgs/mm/funds/1/transfers"
}
results() { grep -o '"id":"[^"]*","result":"[^"]*"' "$T/body" | sed 's/"id":"\([^"]*\)","result":"\([^"]*\)"/\1: \2/'; }
count() { db_sql "$DB" "SELECT count(*) FROM transfers"; }
rows() { db_sql "$DB" "SELECT id, debit_account_id, credit_account_id, amount_minor, code, flags, coalesce(memo, '-'), value_date, coalesce(pending_id, '-') FROM transfers ORDER BY seq"; }
balances() { fs --org mm fund balances 1; }
statement() { # the fund's statement over the API, without what differs between runs (time, numbers, hashes)
	curl -s -H "Authorization: Bearer $(cat "$T/tr1")" "$B/orgs/mm/funds/1/transfers?limit=1000" |
		python3 -c 'import json, sys
d = json.load(sys.stdin)
items = d["items"] if isinstance(d, dict) else d
for t in items:
    print(" ".join("%s=%s" % (k, t[k]) for k in sorted(t) if k not in ("seq", "ts", "hash", "prev_hash", "actor")))'
}
# gen FILE N FIRST [linked|overdraft-at K]: N transfers as a JSON array, numbered from FIRST
gen() {
	python3 - "$@" <<'EOF'
import json, sys
out, n, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else ""
at = int(sys.argv[5]) if len(sys.argv) > 5 else -1
ts = []
for k in range(n):
    i = first + k
    if i % 5 == 4:
        t = {"id": "p%d" % i, "debit_account_id": 7, "credit_account_id": 1, "amount_minor": 100 + i % 50, "code": "strike-pay"}
    else:
        t = {"id": "c%d" % i, "debit_account_id": 1, "credit_account_id": 4, "amount_minor": 1000 + i, "code": "contribution"}
    if i % 7 == 3:
        t["memo"] = "week %d" % (i // 7)
    if i % 11 == 6:
        t["value_date"] = "2026-02-%02d" % (1 + i % 28)
    if mode == "special":  # what one at a time answers differently from ok, spread over the groups
        if k == 3: t = {"id": "c1", "debit_account_id": 1, "credit_account_id": 4, "amount_minor": 999, "code": "contribution"}
        if k == 40: t = {"id": "c2", "debit_account_id": 1, "credit_account_id": 4, "amount_minor": 5, "code": "contribution"}
        if k == 63: t = {"id": "x1", "debit_account_id": 1, "credit_account_id": 2, "amount_minor": 100, "code": "move"}
        if k == 64: t = {"id": "pd1", "debit_account_id": 9, "credit_account_id": 1, "amount_minor": 500, "code": "legal", "pending": True}
        if k == 100: t = {"id": "legal1", "debit_account_id": 9, "credit_account_id": 1, "amount_minor": 8000, "code": "legal"}
        if k == 129: t = {"id": "c%d" % (first + 128), "debit_account_id": 1, "credit_account_id": 4, "amount_minor": 1000 + first + 128, "code": "contribution"}
        if k == 140: t = {"id": "bad id!", "debit_account_id": 1, "credit_account_id": 4, "amount_minor": 1, "code": "contribution"}
    if mode == "linked":
        t["linked"] = True
    if k == at:
        t = {"id": "over%d" % i, "debit_account_id": 1, "credit_account_id": 2, "amount_minor": 10**9, "code": "move"}
        if mode == "linked": t["linked"] = True
    ts.append(t)
if mode == "linked":
    del ts[-1]["linked"]
json.dump(ts, open(out, "w"))
EOF
}

gen "$T/batch.json" 150 0 special

# ---- one at a time (each its own POST: a group of one) ----
db_new single
setup
start_server 63
python3 -c 'import json, sys
for k, t in enumerate(json.load(open(sys.argv[1]))):
    json.dump([t], open("%s/one-%03d.json" % (sys.argv[2], k), "w"))' "$T/batch.json" "$T"
: >"$T/single.results"
for f in "$T"/one-*.json; do
	post tr1 "$f" >/dev/null
	results >>"$T/single.results"
done
single_results=$(cat "$T/single.results")
single_rows=$(rows)
single_bal=$(balances)
single_statement=$(statement)
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
same "one at a time: every answer" "$(echo "$single_results" | wc -l | tr -d ' ')" 150
same "one at a time: what is refused" "$(echo "$single_results" | grep -v ': ok$')" 'c1: exists_with_different_fields
c2: exists_with_different_fields
x1: exceeds_balance
legal1: approval_required
c128: exists
bad id!: invalid'
expect "one at a time: verify" 0 fs verify

# ---- the same as one batch ----
db_main
setup
start_server 63
same "the batch is taken" "$(post tr1 "$T/batch.json")" 200
same "the batch: the same results" "$(results)" "$single_results"
same "the batch: the same rows in the same order" "$(rows)" "$single_rows"
same "the batch: the same balances" "$(balances)" "$single_bal"
same "the batch: the same statement" "$(statement)" "$single_statement"
same "the batch: 144 rows" "$(count)" 144
same "the batch: one journal entry for its transfers" "$(db_sql "$DB" "SELECT count(*) FROM journal WHERE action = 'transfers'")" 1
first=$(db_sql "$DB" "SELECT min(seq) FROM transfers")
last=$(db_sql "$DB" "SELECT max(seq) FROM transfers")
if on_pg; then hx="encode(hash, 'hex')"; else hx="lower(hex(hash))"; fi
head=$(db_sql "$DB" "SELECT $hx FROM transfers WHERE seq = $last")
has "the entry binds them all: count, first, last and the chain's head" "$(db_sql "$DB" "SELECT after_json FROM journal WHERE action = 'transfers'" >"$T/j"; echo "$T/j")" \
	"{\"transfers\":144,\"first_seq\":$first,\"last_seq\":$last,\"head\":\"$head\"}"
same "each row follows the one before it" "$(db_sql "$DB" "SELECT count(*) FROM transfers a JOIN transfers b ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash")" 0
expect "the batch: verify" 0 fs verify

# ---- the batch again: recorded once ----
same "the batch again" "$(post tr1 "$T/batch.json")" 200
same "again: the recorded ones exist, the refused are refused again" "$(results | grep -v ': exists$')" 'c1: exists_with_different_fields
c2: exists_with_different_fields
x1: exceeds_balance
legal1: approval_required
bad id!: invalid'
same "again: 145 answered exists (c128 twice)" "$(results | grep -c ': exists$')" 145
same "again: nothing new" "$(count)" 144
same "again: the balances unchanged" "$(balances)" "$single_bal"

# ---- a retry that mixes old and new ids: only the new are recorded, in order ----
gen "$T/mix.json" 100 101
same "a batch of 47 recorded and 53 new transfers" "$(post tr1 "$T/mix.json")" 200
same "47 exist" "$(results | grep -c ': exists$')" 47
same "53 recorded" "$(results | grep -c ': ok$')" 53
same "197 rows" "$(count)" 197
same "the new ones in the batch's order" "$(db_sql "$DB" "SELECT id FROM transfers WHERE seq > $last ORDER BY seq" | tr '\n' ' ')" \
	"$(python3 -c 'print(" ".join(("p%d" if i % 5 == 4 else "c%d") % i for i in [129, 140] + list(range(150, 201))), end=" ")')"
expect "after the mixed retry: verify" 0 fs verify
# 19 new and an old id last: a group of 20 goes as 16 + 4 rows; the second
# statement is refused, the first taken back, and the group goes one by one
gen "$T/tail.json" 20 230
python3 -c 'import json, sys
ts = json.load(open(sys.argv[1])); ts[-1] = json.load(open(sys.argv[2]))[0]; json.dump(ts, open(sys.argv[1], "w"))' "$T/tail.json" "$T/batch.json"
same "19 new and c0 last" "$(post tr1 "$T/tail.json")" 200
same "19 recorded, c0 exists" "$(results | grep -c ': ok$') $(results | tail -n 1)" "19 c0: exists"
same "216 rows" "$(count)" 216
expect "after a group's second statement was refused: verify" 0 fs verify

# ---- a rule broken after groups were stored: none of the batch ----
before=$(count)
bal_before=$(balances)
gen "$T/linked.json" 100 300 linked 90
same "a linked batch of 100, its 91st an overdraft" "$(post tr1 "$T/linked.json")" 200
same "the row named" "$(results | grep -v linked_event_failed)" "over390: exceeds_balance"
same "the others failed with it" "$(results | grep -c ': linked_event_failed$')" 99
same "nothing of it recorded" "$(count)" "$before"
t1=$(db_clone over)
gen "$T/many.json" 201 400
# cash's debits set so that the first 200 transfers fit and the 201st (c600, debiting cash) passes the largest sum
# (groups are stored one behind: at the 201st, two groups of 64 are stored, a third hashed)
room=$(python3 -c 'import json, sys
ts = json.load(open(sys.argv[1]))
print(2**63 - 1 - sum(t["amount_minor"] for t in ts[:-1] if t["debit_account_id"] == 1) - 1)' "$T/many.json")
db_sql "$t1" "UPDATE balances SET debits_posted = $room WHERE account_id = 1"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
saved=$DB
DB=$t1
start_server 63
same "a sum past the largest amount at the 201st transfer (after two groups were stored)" "$(post tr1 "$T/many.json")" 422
has "the transfer named" "$T/body" "transfer 'c600' (number 201 of the batch)"
same "nothing of the batch recorded" "$(count)" "$before"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
DB=$saved
same "the balances unchanged" "$(balances)" "$bal_before"

# ---- kill -9 in the middle of a batch of 8190: all or nothing ----
gen "$T/big.json" 8190 1000
before=$(count)
killed=0
for delay in 0.3 0.8 1.5 3; do
	k=$(db_clone "kill$(echo $delay | tr -d .)")
	DB=$k
	start_server 63
	post tr1 "$T/big.json" >/dev/null &
	poster=$!
	sleep "$delay"
	if kill -0 "$poster" 2>/dev/null; then killed=$((killed + 1)); fi
	kill -9 "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	wait "$poster" 2>/dev/null
	c=$(count)
	if [ "$c" = "$before" ] || [ "$c" = "$((before + 8190))" ]; then ok "killed after ${delay}s: all or nothing ($((c - before)) new)"; else notok "killed after ${delay}s: $((c - before)) of 8190 stored"; fi
	expect "killed after ${delay}s: verify" 0 fs verify
	DB=$saved
done
if [ "$killed" -gt 0 ]; then ok "a kill landed while the batch was being written ($killed of 4)"; else notok "no kill landed mid-batch"; fi

# ---- the chain's head kept per organization (migration 28: transfer_heads, no index on (org_id, seq)) ----
same "the head kept is the newest transfer" "$(db_sql "$DB" "SELECT h.seq = (SELECT max(seq) FROM transfers) AND h.hash = t.hash FROM transfer_heads h JOIN transfers t ON t.seq = h.seq")" "$(on_pg && echo t || echo 1)"
tampered t6 "UPDATE transfer_heads SET hash = (SELECT hash FROM transfers WHERE id = 'c10')" "an altered head fails verify"
cat "$T/out" "$T/err" >"$T/both"
has "and is named" "$T/both" "transfer chain head kept for this organization is not its newest transfer"
tampered t7 "DELETE FROM transfers WHERE seq = (SELECT max(seq) FROM transfers)" "the newest transfer cut fails verify"
if on_pg; then
	skip "a database from before the transfer heads upgrades" "the shape before migration 28 is made with sqlite3"
else
	# the shape before migration 28: the index, no heads
	old=$(db_clone old)
	v=$(sqlite3 "$old" "PRAGMA user_version")
	sqlite3 "$old" "DROP TABLE transfer_heads; CREATE INDEX transfers_chain ON transfers(org_id, seq); PRAGMA user_version = $((v - 1))"
	rows_before=$(DB=$old rows)
	expect "a database from before migration 28 opens and verifies" 0 "$FS_BIN" --db "$old" verify
	same "upgraded: every transfer kept" "$(DB=$old rows)" "$rows_before"
	same "upgraded: the index gone, the heads table there" "$(sqlite3 "$old" "SELECT count(*) FROM sqlite_master WHERE name IN ('transfers_chain', 'transfer_heads')")" 1
	gen "$T/after.json" 70 600
	saved=$DB
	DB=$old
	start_server 63
	same "a batch after the upgrade (its head found from the transfers)" "$(post tr1 "$T/after.json")" 200
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	same "its first row follows the old newest" "$(db_sql "$DB" "SELECT count(*) FROM transfers a JOIN transfers b ON b.seq = (SELECT min(seq) FROM transfers WHERE id = 'c600') WHERE a.seq = (SELECT max(seq) FROM transfers WHERE seq < b.seq) AND b.prev_hash = a.hash")" 1
	expect "upgraded and written to: verify" 0 fs verify
	same "the head kept after it" "$(db_sql "$DB" "SELECT count(*) FROM transfer_heads h JOIN transfers t ON t.seq = h.seq AND t.hash = h.hash WHERE h.seq = (SELECT max(seq) FROM transfers)")" 1
	db_sql "$DB" "DELETE FROM transfer_heads"
	expect "a head row lost: verify still ok" 0 fs verify
	gen "$T/after2.json" 5 700
	start_server 63
	same "a batch without the head row" "$(post tr1 "$T/after2.json")" 200
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	expect "its head found again from the transfers: verify" 0 fs verify
	DB=$saved
fi

# ---- tampering inside a group ----
tampered t2 "UPDATE transfers SET amount_minor = amount_minor + 1 WHERE id = 'c33'" "a changed amount inside a group fails verify"
tampered t3 "DELETE FROM transfers WHERE id = 'c66'" "a row cut out of a group fails verify"
tampered t4 "UPDATE transfers SET prev_hash = (SELECT hash FROM transfers WHERE id = 'c10') WHERE id = 'c12'" "a row linked past its neighbour fails verify"
tampered t5 "UPDATE transfers SET memo = 'week 99' WHERE id = 'c143'" "a changed memo in the last, split group fails verify"
finish
