#!/bin/sh
# t32 - the journal as a verifiable log: one RFC 9162 Merkle log per organization
# (checked against a second implementation in Python), signed checkpoints, and the
# attacks of an insider holding a copy of the database (tests/cli/log_forge.py
# recomputes every hash as fairshare would): each caught by plain verify (ledger,
# tree) or by verify --checkpoint given a checkpoint older than the change.
. "$(dirname "$0")/lib.sh"
# On PostgreSQL the forger rewrites the rows through psql (tests/cli/fsdb.py), and
# db_clone/db_restore keep and put back a copy; the old schema-14 file is SQLite's.
forge() { python3 "$(dirname "$0")/log_forge.py" "$@"; }
expect "demo data" 0 fs demo
same "init made a signing key, mode 0600" "$(stat -c %a "$SIGNKEY")" 600
expect "verify holds" 0 fs verify
expect "a checkpoint of the miners' log" 0 fs --org miners checkpoint
cp "$T/out" "$T/cp-miners-1.txt"
has "names the organization" "$T/out" "org: miners"
has "is signed" "$T/out" "signature: "
same "its size is the number of the organization's entries" "$(sed -n 's/^size: //p' "$T/cp-miners-1.txt")" \
	"$(db_sql "$DB" "SELECT count(*) FROM journal WHERE org_id = 1")"
same "its root is the RFC 9162 tree head a second implementation computes" "$(sed -n 's/^root: //p' "$T/cp-miners-1.txt")" \
	"$(forge root "$DB" 1)"
expect "the oil workers' log" 0 fs --org oil checkpoint
cp "$T/out" "$T/cp-oil-1.txt"
same "the oil log's root too" "$(sed -n 's/^root: //p' "$T/cp-oil-1.txt")" "$(forge root "$DB" 2)"
expect "the signature alone checks" 0 fs checkpoint verify "$T/cp-miners-1.txt" "$T/cp-oil-1.txt"
has "says so" "$T/out" "signature ok: org miners"
sed 's/^size: \(.*\)/size: 1\1/' "$T/cp-miners-1.txt" >"$T/forged.txt"
expect "a checkpoint with its size changed is refused" 65 fs checkpoint verify "$T/forged.txt"
has "signature named" "$T/err" "signature does not match"
sed '/^root: 0/{s//root: 1/;b;}; s/^root: [1-9a-f]/root: 0/' "$T/cp-miners-1.txt" >"$T/forged.txt"
expect "a checkpoint with its root changed is refused" 65 fs verify --checkpoint "$T/forged.txt"
printf 'hello\n' >"$T/nothing.txt"
expect "a file without a checkpoint" 65 fs checkpoint verify "$T/nothing.txt"
has "says what is missing" "$T/err" "no fairshare checkpoint found"
{ echo "Subject: our log"; echo; cat "$T/cp-miners-1.txt"; echo "-- "; } >"$T/mail.txt"
expect "a checkpoint inside an e-mail" 0 fs checkpoint verify "$T/mail.txt"

# more work after the checkpoints: the logs extend them
expect "a payment" 0 fs --org miners payment add --person-id 39 --payer-kind ministry --payer-name "Ministry" \
	--paid-on 2026-11-20 --amount 100.00
expect "verify with both checkpoints" 0 fs verify --checkpoint "$T/cp-miners-1.txt" "$T/cp-oil-1.txt"
has "each one proven" "$T/out" "the log of 'oil' extends it"
same "the root still matches the second implementation" \
	"$(fs --org miners checkpoint | sed -n 's/^root: //p')" "$(forge root "$DB" 1)"
same "the system log of a new database is empty" "$(db_new sys && fs init >/dev/null 2>&1 &&
	fs checkpoint --system | sed -n 's/^size: //p')" 0
expect "with several organizations, one must be chosen" 65 fs checkpoint
same "the demo's system log holds its accounts" "$(fs checkpoint --system | sed -n 's/^root: //p')" "$(forge root "$DB" 0)"
# a worker's statement ends with proofs that need no database to check
expect "a statement" 0 fs --org miners statement 39
cp "$T/out" "$T/st.txt"
has "ends with its proofs" "$T/st.txt" "fairshare proof v1"
has "and a checkpoint" "$T/st.txt" "fairshare checkpoint v1"
same "one proof per payment and claim" "$(grep -c '^entry: ' "$T/st.txt")" \
	"$(db_sql "$DB" "SELECT (SELECT count(*) FROM payments WHERE person_id = 39) + (SELECT count(*) FROM claims WHERE person_id = 39)")"
expect "the proofs verify" 0 "$FS_BIN" proof verify "$T/st.txt"
has "the payment proven" "$T/out" "ok   payment"
has "with its amount" "$T/out" "amount_minor 10000"
expect "from the JSON statement too" 0 sh -c "\"$FS_BIN\" --db \"$DB\" --org miners statement 39 --json >\"$T/st.json\" && \"$FS_BIN\" proof verify \"$T/st.json\""
sed 's/amount_minor\\":10000,/amount_minor\\":1000000,/' "$T/st.txt" >"$T/st-forged.txt"
expect "a statement whose payment was made larger fails" 65 "$FS_BIN" proof verify "$T/st-forged.txt"
has "the forged one named" "$T/out" "BAD  payment"
awk '/^path: / && !done { c = substr($0, 7, 1); sub(/path: ./, "path: " (c == "0" ? "1" : "0")); done = 1 } { print }' "$T/st.txt" >"$T/st-path.txt"
cmp -s "$T/st.txt" "$T/st-path.txt" && notok "the path was changed" || ok "the path was changed"
expect "a forged inclusion path fails" 65 "$FS_BIN" proof verify "$T/st-path.txt"
sed 's/^size: \(.*\)/size: 9\1/' "$T/st.txt" >"$T/st-size.txt"
expect "a statement claiming another log size fails" 65 "$FS_BIN" proof verify "$T/st-size.txt"
expect "the statement is a checkpoint a witness can hold" 0 fs verify --checkpoint "$T/st.txt"

# the server: a checkpoint on demand (capability log.checkpoint), the latest one public
fs user token admin >"$T/tok.admin"
fs user token viewer >"$T/tok.viewer"
if start_server 32; then ok "the server starts"; else notok "the server starts"; fi
post() { curl -s -o "$T/http.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $(cat "$T/tok.$1")" "$B/orgs/miners/checkpoints"; }
same "a viewer may not sign a checkpoint" "$(post viewer)" 403
same "an admin may" "$(post admin)" 201
has "the answer carries the checkpoint" "$T/http.out" '"checkpoint":"fairshare checkpoint v1'
same "the latest is public, without a login" "$(curl -s -o "$T/served.txt" -w '%{http_code}' "$B/orgs/miners/checkpoint")" 200
has "as plain text" "$T/served.txt" "org: miners"
same "an unknown organization" "$(curl -s -o /dev/null -w '%{http_code}' "$B/orgs/nobody/checkpoint")" 404
kill "$server" && wait "$server" 2>/dev/null
expect "the served checkpoint holds for the log" 0 fs verify --checkpoint "$T/served.txt"
keep=$(db_clone keep)
fs --org miners checkpoint >"$T/cp-miners-2.txt"
restore() { db_restore "$keep"; }

# 1. the ledger cut: the newest 5 transfers deleted and the balances made to match
db_sql "$DB" "UPDATE balances SET debits_posted = debits_posted - (SELECT coalesce(sum(amount_minor), 0) FROM transfers t
	WHERE t.seq > (SELECT max(seq) - 5 FROM transfers) AND t.debit_account_id = balances.account_id),
	credits_posted = credits_posted - (SELECT coalesce(sum(amount_minor), 0) FROM transfers t
	WHERE t.seq > (SELECT max(seq) - 5 FROM transfers) AND t.credit_account_id = balances.account_id);
	DELETE FROM transfers WHERE seq > (SELECT max(seq) - 5 FROM transfers);"
expect "a ledger cut is caught by plain verify" 65 fs verify
has "named as cut" "$T/err" "missing from the ledger (transfers cut)"
hasnot "the balances were made to match" "$T/err" "differs from the sum of its transfers"
restore

# 2. an old transfer's amount times ten, the ledger chain recomputed after it, balances matched
db_sql "$DB" "UPDATE balances SET debits_posted = debits_posted + 9 * (SELECT amount_minor FROM transfers WHERE seq = 3)
	WHERE account_id = (SELECT debit_account_id FROM transfers WHERE seq = 3);
	UPDATE balances SET credits_posted = credits_posted + 9 * (SELECT amount_minor FROM transfers WHERE seq = 3)
	WHERE account_id = (SELECT credit_account_id FROM transfers WHERE seq = 3);
	UPDATE transfers SET amount_minor = amount_minor * 10 WHERE seq = 3;"
forge retransfers "$DB" 3
expect "an edited and re-chained ledger is caught by plain verify" 65 fs verify
has "named as rewritten" "$T/err" "differs from the one journaled (the ledger was rewritten)"
hasnot "its own chain holds" "$T/err" "chain broken"
restore

# 3. payment 1 from 5000.00 to 500000.00: its entry and everything after recomputed
db_sql "$DB" "UPDATE payments SET amount_minor = 50000000 WHERE id = 1"
expect "the edited row alone is caught" 65 fs verify
has "the row named" "$T/err" "payment 1 differs from its journal entry"
forge rowhash "$DB" payment payments 1
expect "the re-chained journal alone is caught by the tree" 65 fs verify
has "the tree differs" "$T/err" "differs from the journal (entry or tree altered)"
forge relog "$DB"
expect "with the tree rebuilt too, plain verify cannot tell" 0 fs verify
expect "but the checkpoint can" 65 fs verify --checkpoint "$T/cp-miners-2.txt" "$T/cp-miners-1.txt"
has "the first it contradicts is named" "$T/err" "checkpoint $T/cp-miners-2.txt contradicts the log"
has "as a rewrite" "$T/err" "its history was rewritten"
# each log is its own chain: re-chaining the miners' entries leaves the oil log's leaves as they were
expect "the other organization's checkpoint still holds" 0 fs verify --checkpoint "$T/cp-oil-1.txt"
expect "and the worker's statement" 65 fs verify --checkpoint "$T/st.txt"
expect "whose own proofs still hold" 0 "$FS_BIN" proof verify "$T/st.txt"
restore

# 4. the newest 3 entries of the miners' log deleted with their rows, the tree rebuilt
expect "three more payments" 0 sh -c "for i in 1 2 3; do \"$FS_BIN\" --db \"$DB\" --org miners payment add --person-id 40 \
	--payer-kind employer --payer-name Soma --paid-on 2026-11-2\$i --amount 1\$i.00 || exit 1; done"
fs --org miners checkpoint >"$T/cp-miners-3.txt"
db_sql "$DB" "DELETE FROM payments WHERE id IN (SELECT entity_id FROM journal WHERE entity = 'payment' ORDER BY seq DESC LIMIT 3);
	DELETE FROM journal WHERE seq IN (SELECT seq FROM journal ORDER BY seq DESC LIMIT 3);"
forge relog "$DB"
expect "the cut journal passes plain verify (the head moved back)" 0 fs verify
expect "a checkpoint taken before the cut catches it" 65 fs verify --checkpoint "$T/cp-miners-2.txt" "$T/cp-miners-3.txt"
has "fewer entries" "$T/err" "fewer than the"
has "names the newest checkpoint" "$T/err" "cp-miners-3.txt contradicts"
expect "an older checkpoint still holds" 0 fs verify --checkpoint "$T/cp-miners-2.txt"
# 5. an older backup restored in place of the database
restore
expect "a rolled-back database passes plain verify" 0 fs verify
expect "but not the newer checkpoint" 65 fs verify --checkpoint "$T/cp-miners-3.txt"
has "rollback named" "$T/err" "an older copy restored"

# 6. an evidence file replaced, with its recorded SHA-256, row hash, chain and tree
printf 'the original photo' >"$T/photo.jpg"
expect "evidence added" 0 fs --org oil evidence add "$T/photo.jpg"
fs --org oil checkpoint >"$T/cp-oil-2.txt"
old=$(sha256sum "$T/photo.jpg" | cut -d' ' -f1)
printf 'a forged photo' >"$T/forged.jpg"
new=$(sha256sum "$T/forged.jpg" | cut -d' ' -f1)
id=$(db_sql "$DB" "SELECT id FROM evidence WHERE sha256 = '$old'")
f=$(find "$EVID" -name "$old")
mkdir -p "$(dirname "$f")/../$(echo "$new" | cut -c1-2)"
cp "$T/forged.jpg" "$(dirname "$f")/../$(echo "$new" | cut -c1-2)/$new"
rm -f "$f"
db_sql "$DB" "UPDATE evidence SET sha256 = '$new' WHERE id = $id"
forge rowhash "$DB" evidence evidence "$id"
forge relog "$DB"
expect "a replaced evidence file is caught with the checkpoint" 65 fs verify --checkpoint "$T/cp-oil-2.txt"
has "the oil log rewritten" "$T/err" "cp-oil-2.txt contradicts"
restore

# the signing key: kept apart, refused when others can read it, movable
chmod 644 "$SIGNKEY"
expect "a signing key others can read is refused" 77 fs --org miners checkpoint
has "says why" "$T/err" "can be read by others"
chmod 600 "$SIGNKEY"
mv "$SIGNKEY" "$T/elsewhere.key"
expect "a moved key is named by --signing-key" 0 fs --org miners checkpoint --signing-key "$T/elsewhere.key"
expect "or by FAIRSHARE_SIGNING_KEY" 0 env FAIRSHARE_SIGNING_KEY="$T/elsewhere.key" "$FS_BIN" --db "$DB" --org miners checkpoint
expect "a missing key is named" 66 fs --org miners checkpoint
has "where it was looked for" "$T/err" "$(basename "$SIGNKEY")"
db_new other
fs init >/dev/null 2>&1
expect "a checkpoint signed by another database's key" 0 fs checkpoint --system
cp "$T/out" "$T/cp-other.txt"
db_main
expect "does not vouch for this log" 65 fs verify --checkpoint "$T/cp-other.txt"
has "another key named" "$T/err" "not by this database's signing key"
expect "--checkpoint needs a file" 64 fs verify --checkpoint

if on_pg; then
	skip "a database of schema 14 becomes the logs' leaves; its chain rewritten" "the fixture is an SQLite file (no older PostgreSQL database exists); on SQLite this suite runs it"
	finish
	exit
fi
# a database of the landed schema (14, before the logs): its chain becomes the logs' leaves
data=$(cd "$(dirname "$0")/../data" && pwd)
OLD=$T/old.db
{ cat "$data/schema14.sql"; echo "PRAGMA user_version = 14;"; } | sqlite3 "$OLD"
cp "$data/schema14.key.hex" "$OLD.key"
chmod 600 "$OLD.key"
mkdir -p "$OLD.evidence/99"
printf 'a court file' >"$OLD.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
old_n=$(sqlite3 "$OLD" "SELECT count(*) FROM journal")
old_head=$(sqlite3 "$OLD" "SELECT hex(hash) FROM journal ORDER BY seq DESC LIMIT 1" | tr A-F a-f)
expect "the old database migrates and verifies" 0 "$FS_BIN" --db "$OLD" verify
same "every old entry is a leaf (the heads' sizes)" "$(sqlite3 "$OLD" "SELECT sum(idx) FROM log_nodes WHERE level = 62")" \
	"$(sqlite3 "$OLD" "SELECT count(*) FROM journal")"
same "each log (system, the organization) binds the old chain's head" \
	"$(sqlite3 "$OLD" "SELECT count(*) FROM journal WHERE action = 'log' AND after_json LIKE '%$old_head%'")" 2
same "once" "$("$FS_BIN" --db "$OLD" verify >/dev/null 2>&1; sqlite3 "$OLD" "SELECT count(*) FROM journal WHERE action = 'log'")" 2
expect "a signing key for the old database" 0 "$FS_BIN" --db "$OLD" checkpoint key
expect "its checkpoint" 0 "$FS_BIN" --db "$OLD" checkpoint
has "of its one organization" "$T/out" "org-id: 1"
same "the root a second implementation computes" "$(sed -n 's/^root: //p' "$T/out")" "$(forge root "$OLD" 1)"
cp "$T/out" "$T/cp-old.txt"
sqlite3 "$OLD" "UPDATE journal SET actor = 'someone else' WHERE seq = 1"
expect "the old chain is still checked" 65 "$FS_BIN" --db "$OLD" verify
has "entry 1 named" "$T/err" "entry 1 does not match its hash"
forge rechain "$OLD" 1
forge relog "$OLD"
expect "rewritten with every hash recomputed" 0 "$FS_BIN" --db "$OLD" verify
expect "caught by the checkpoint" 65 "$FS_BIN" --db "$OLD" verify --checkpoint "$T/cp-old.txt"
finish
