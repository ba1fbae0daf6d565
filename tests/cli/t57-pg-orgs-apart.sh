#!/bin/sh
# t57 - PostgreSQL: organizations do not wait on each other's writes (#15). An
# organization's writer stalled in the middle of its transaction - after its first
# change, after its journal entry, holding its organization's lock and all it
# took - does not hold up another organization's writes (people, payments, the
# ledger, evidence custody, each with its own ids, journal log, transfer and
# custody chain): they complete while it still waits. Writers of one organization
# still go one at a time, and all land; 50 retries of one payment and of one
# transfer record once while the other organization writes; two approvals post
# once; verify holds. An old database's installation-wide transfer chain is bound
# into each organization's new one, on SQLite and after migrate-store on
# PostgreSQL, and back. Who waits is read from pg_locks, never from a clock.
FS_TEST_DB=postgres
. "$(dirname "$0")/lib.sh"
q() { psql -X -At -d "$FS_PG_DB" -c "$1"; }
poll() { # poll WHAT CODE: until the shell code CODE succeeds (up to 120 s: the machine may be loaded)
	local what=$1 end
	shift
	end=$(($(date +%s) + 120))
	while [ "$(date +%s)" -lt "$end" ]; do eval "$*" && return 0; sleep 0.1; done
	echo "# gave up waiting for: $what"
	return 1
}
here_db="database = (SELECT oid FROM pg_database WHERE datname = current_database())"
# row_waiters: backends of this database waiting for a row (a tuple or another transaction)
row_waiters() { q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.datname = current_database() AND NOT l.granted AND l.locktype IN ('tuple', 'transactionid')"; }
# org_lock_held ORG: a backend holds that organization's writer lock
org_lock_held() { q "SELECT count(*) FROM pg_locks WHERE $here_db AND locktype = 'advisory' AND granted AND classid = 738450 AND objid = $1 AND objsubid = 2"; }
org_lock_waiting() { q "SELECT count(*) FROM pg_locks WHERE $here_db AND locktype = 'advisory' AND NOT granted AND classid = 738450 AND objid = $1 AND objsubid = 2"; }
# hold SQL: a psql session runs SQL in an open transaction until release
hold() {
	rm -f "$T/hold.in" "$T/hold.out"
	mkfifo "$T/hold.in"
	psql -X -At -d "$FS_PG_DB" <"$T/hold.in" >"$T/hold.out" 2>&1 &
	holder=$!
	exec 3>"$T/hold.in"
	echo "BEGIN; $1; SELECT 'held';" >&3
	poll "the psql session to hold its locks" 'grep -q held "$T/hold.out"'
}
release() {
	echo "COMMIT;" >&3
	exec 3>&-
	wait "$holder"
}

expect "init" 0 fs init
fs org add --slug aa --name "Org A" --country TR --currency TRY >/dev/null
fs org add --slug bb --name "Org B" --country TR --currency TRY >/dev/null
ida=$(q "SELECT id FROM organizations WHERE slug = 'aa'")
idb=$(q "SELECT id FROM organizations WHERE slug = 'bb'")
fs --org aa person add --full-name "Ayşe Yılmaz" >/dev/null
fs --org bb person add --full-name "Zeynep Kaya" >/dev/null
pa=$(q "SELECT id FROM people WHERE org_id = $ida")
pb=$(q "SELECT id FROM people WHERE org_id = $idb")
fs --org aa fund create --name "A fund" >/dev/null
fs --org bb fund create --name "B fund" >/dev/null
fa=$(q "SELECT id FROM funds WHERE org_id = $ida")
fb=$(q "SELECT id FROM funds WHERE org_id = $idb")
fs --org aa contribute --fund "$fa" --amount 100.00 --id a-seed >/dev/null
fs --org bb contribute --fund "$fb" --amount 100.00 --id b-seed >/dev/null
echo "evidence of A" >"$T/ea.txt"
fs --org aa evidence add "$T/ea.txt" >/dev/null
same "ids come from sequences (identity columns), not the highest plus one" \
	"$(q "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname IN ('people', 'journal', 'transfers', 'evidence_custody') AND a.attidentity = 'd'")" 4
same "no default of the highest plus one is left" "$(q "SELECT count(*) FROM pg_attrdef WHERE pg_get_expr(adbin, adrelid) LIKE 'fs_rowid(%'")" 0

# ---- 1. aa's writer stalled at its first change (a row it updates is locked by psql) ----
# (it waits up to 60 s for the row, then gives up: what is asserted meanwhile is read from pg_locks)
hold "SELECT 1 FROM people WHERE id = $pa FOR UPDATE"
fs --org aa person edit "$pa" --full-name "Ayşe Yılmaz-Demir" >"$T/wa.out" 2>&1 &
wa=$!
poll "aa's writer to wait for the row" '[ "$(row_waiters)" -ge 1 ]' && ok "aa's writer waits in its first change (for a row psql holds)" ||
	notok "aa's writer waits in its first change (for a row psql holds)"
same "it holds aa's writer lock meanwhile" "$(org_lock_held "$ida")" 1
expect "bb: a person is added meanwhile (a sealed field: its id taken before the insert)" 0 fs --org bb person add --full-name "Goes in B" --phone "+90 555 000 0000"
expect "bb: a payment" 0 fs --org bb payment add --person-id "$pb" --payer-kind employer --payer-name X \
	--paid-on 2012-03-01 --amount 5.00 --idempotency-key bb-1
expect "bb: a transfer (bb's own chain)" 0 fs --org bb contribute --fund "$fb" --amount 3.00 --id b-1
echo "evidence of B" >"$T/eb.txt"
expect "bb: evidence (bb's own custody chain)" 0 fs --org bb evidence add "$T/eb.txt"
kill -0 "$wa" 2>/dev/null && ok "aa's writer is still in its transaction" || notok "aa's writer is still in its transaction"
same "still waiting for the row" "$(row_waiters)" 1
same "nothing of it is visible" "$(q "SELECT count(*) FROM people WHERE full_name = 'Ayşe Yılmaz-Demir'")" 0
release
wait "$wa"
same "aa's write completes once the row is free" "$?" 0
same "and is in" "$(q "SELECT count(*) FROM people WHERE full_name = 'Ayşe Yılmaz-Demir'")" 1

# ---- 2. aa's writer stalled after its journal entry (its log's pack of leaves is locked by psql) ----
# the pack of aa's newest leaves must hold some already (an append then updates it)
while [ "$(q "SELECT length(hash) / 32 FROM log_nodes WHERE org_id = $ida AND level = 63 ORDER BY idx DESC LIMIT 1")" = 16 ]; do
	fs --org aa person add --full-name "Fill" >/dev/null
done
hold "SELECT 1 FROM log_nodes WHERE org_id = $ida FOR UPDATE"
fs --org aa payment add --person-id "$pa" --payer-kind employer --payer-name Y --paid-on 2012-03-01 --amount 7.00 \
	--idempotency-key aa-stalled >"$T/wa2.out" 2>&1 &
wa=$!
poll "aa's writer to wait for its log" '[ "$(row_waiters)" -ge 1 ]' && ok "aa's writer waits after its journal entry (for its log's pack)" ||
	notok "aa's writer waits after its journal entry (for its log's pack)"
same "its journal entry is written, not committed: aa holds a journal number" \
	"$(q "SELECT pg_sequence_last_value(pg_get_serial_sequence('journal', 'seq')) > (SELECT max(seq) FROM journal)")" t
expect "bb: a payment meanwhile" 0 fs --org bb payment add --person-id "$pb" --payer-kind employer --payer-name X \
	--paid-on 2012-03-02 --amount 6.00 --idempotency-key bb-2
expect "bb: transfers" 0 fs --org bb contribute --fund "$fb" --amount 4.00 --id b-2
expect "bb: an evidence export (a custody event)" 0 fs --org bb evidence export "$(q "SELECT id FROM evidence WHERE org_id = $idb")" "$T/eb-out.txt"
expect "bb: a checkpoint of bb's log" 0 fs --org bb checkpoint
kill -0 "$wa" 2>/dev/null && ok "aa's writer is still in its transaction" || notok "aa's writer is still in its transaction"
same "aa's payment is not visible yet" "$(q "SELECT count(*) FROM payments WHERE idempotency_key = 'aa-stalled'")" 0
release
wait "$wa"
same "aa's payment completes once its log is free" "$?" 0
same "and is in" "$(q "SELECT count(*) FROM payments WHERE idempotency_key = 'aa-stalled'")" 1
expect "verify holds" 0 fs verify

# ---- 3. writers of one organization still go one at a time, and all land ----
hold "SELECT pg_advisory_xact_lock(738450, $ida)"
fs --org aa person add --full-name "Waits in A" >"$T/wq.out" 2>&1 &
wq=$!
poll "a writer of aa to wait for aa's lock" '[ "$(org_lock_waiting "$ida")" = 1 ]' && ok "a second writer of aa waits for aa's lock" ||
	notok "a second writer of aa waits for aa's lock"
expect "bb writes meanwhile" 0 fs --org bb person add --full-name "Also in B"
same "aa's second writer writes nothing meanwhile" "$(q "SELECT count(*) FROM people WHERE full_name = 'Waits in A'")" 0
release
wait "$wq"
same "it completes after" "$?" 0
pids=
for i in $(seq 1 10); do
	fs --org aa contribute --fund "$fa" --amount 1.00 --id ca-$i >"$T/ca$i.out" 2>&1 &
	pids="$pids $!"
	fs --org bb contribute --fund "$fb" --amount 1.00 --id cb-$i >"$T/cb$i.out" 2>&1 &
	pids="$pids $!"
	fs --org aa person add --full-name "A$i" >"$T/pa$i.out" 2>&1 &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "30 writers of two organizations at once: no error" "$(cat "$T"/ca*.out "$T"/cb*.out "$T"/pa*.out | grep -c 'fairshare:')" 0
same "every transfer is in" "$(q "SELECT count(*) FROM transfers WHERE id ~ '^c[ab]-'")" 20
same "every person is in" "$(q "SELECT count(*) FROM people WHERE full_name ~ '^A[0-9]+\$'")" 10
same "each organization's transfers follow its own chain" "$(q "SELECT count(*) FROM transfers t WHERE t.prev_hash IS DISTINCT FROM
	coalesce((SELECT k.hash FROM transfers k WHERE k.org_id = t.org_id AND k.seq < t.seq ORDER BY k.seq DESC LIMIT 1), '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)")" 0
same "and the chains interleave (so that means something)" "$(q "SELECT count(*) > 0 FROM transfers t WHERE t.prev_hash IS DISTINCT FROM
	(SELECT k.hash FROM transfers k WHERE k.seq < t.seq ORDER BY k.seq DESC LIMIT 1)")" t
same "each organization's custody events follow its own chain" "$(q "SELECT count(*) FROM evidence_custody t WHERE t.prev_hash IS DISTINCT FROM
	coalesce((SELECT k.hash FROM evidence_custody k WHERE k.org_id = t.org_id AND k.seq < t.seq ORDER BY k.seq DESC LIMIT 1), '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)")" 0
expect "verify holds" 0 fs verify

# accounts are journaled in the system's log: organizations' writers that both journal one take its lock in turn
pids=
for i in $(seq 1 4); do
	FAIRSHARE_PASSWORD=member-pass-xx fs --org aa user add ua$i --role viewer >"$T/ua$i.out" 2>&1 &
	pids="$pids $!"
	FAIRSHARE_PASSWORD=member-pass-xx fs --org bb user add ub$i --role viewer >"$T/ub$i.out" 2>&1 &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "8 accounts added in two organizations at once: no error" "$(cat "$T"/ua*.out "$T"/ub*.out | grep -c 'fairshare:')" 0
same "all of them" "$(q "SELECT count(*) FROM users WHERE username ~ '^u[ab][0-9]\$'")" 8
same "the system's log is one chain" "$(q "SELECT count(*) FROM journal j WHERE org_id = 0 AND j.prev_hash IS DISTINCT FROM
	coalesce((SELECT k.hash FROM journal k WHERE k.org_id = 0 AND k.seq < j.seq ORDER BY k.seq DESC LIMIT 1), '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)")" 0
expect "verify holds" 0 fs verify

# ---- 4. retries and approvals under concurrency, while the other organization writes ----
export FAIRSHARE_ORG=aa
for u in t1 t2 t3; do FAIRSHARE_PASSWORD=treasurer-pass-x fs user add $u --role treasurer >/dev/null; done
fs fund create --name "Strike fund" --approval-threshold 50000 >/dev/null
fs2=$(q "SELECT id FROM funds WHERE org_id = $ida AND name = 'Strike fund'")
fs contribute --fund "$fs2" --amount 100000.00 --id seed >/dev/null
pay="--person-id $pa --payer-kind ministry --payer-name Ministry --paid-on 2012-03-01 --amount 10.00 --idempotency-key race-1"
pids=
for i in $(seq 1 50); do
	# shellcheck disable=SC2086
	fs payment add $pay >"$T/p$i.out" 2>&1 &
	pids="$pids $!"
	fs contribute --fund "$fs2" --amount 7.00 --id race-t >"$T/c$i.out" 2>&1 &
	pids="$pids $!"
	if [ $((i % 5)) = 0 ]; then
		fs --org bb contribute --fund "$fb" --amount 1.00 --id rb-$i >"$T/rb$i.out" 2>&1 &
		pids="$pids $!"
	fi
done
# shellcheck disable=SC2086
wait $pids
same "50 retries of one payment record it once" "$(q "SELECT count(*) FROM payments WHERE idempotency_key = 'race-1'")" 1
same "50 retries of one transfer record it once" "$(q "SELECT count(*) FROM transfers WHERE id = 'race-t'")" 1
same "and bb's 10 transfers meanwhile, all of them" "$(q "SELECT count(*) FROM transfers WHERE id ~ '^rb-'")" 10
same "every one was answered without an error" "$(cat "$T"/p*.out "$T"/c*.out "$T"/rb*.out | grep 'fairshare:' | sort | uniq -c)" ""
expect "a payout above the threshold waits" 0 fs --as t1 disburse --fund "$fs2" --amount 60000.00 --purpose legal --id lg-1
fs --as t2 approve lg-1 --fund "$fs2" >"$T/a2.out" 2>&1 &
a2=$!
fs --as t3 approve lg-1 --fund "$fs2" >"$T/a3.out" 2>&1 &
wait "$a2" $!
same "two treasurers approving at once post it once" "$(q "SELECT count(*) FROM transfers WHERE pending_id = 'lg-1'")" 1
same "one of them posted it" "$(cat "$T/a2.out" "$T/a3.out" | grep -c 'lg-1.post: ok')" 1
unset FAIRSHARE_ORG
expect "verify holds after all of it" 0 fs verify

# ---- 5. tampering with one organization's chain is caught and named ----
bseq=$(q "SELECT seq FROM transfers WHERE id = 'cb-5'")
q "UPDATE transfers SET prev_hash = '\\x00' || substr(prev_hash, 2) WHERE seq = $bseq" >/dev/null
expect "a broken link in bb's transfer chain" 65 fs verify
has "is named" "$T/err" "transfers: does not follow the transfer before it (chain broken) (transfer $bseq)"
q "UPDATE transfers SET prev_hash = (SELECT hash FROM transfers k WHERE k.org_id = $idb AND k.seq < $bseq ORDER BY k.seq DESC LIMIT 1) WHERE seq = $bseq" >/dev/null
expect "mended, verify holds" 0 fs verify
cseq=$(q "SELECT max(seq) FROM evidence_custody WHERE org_id = $idb")
q "DELETE FROM evidence_custody WHERE seq = $cseq" >/dev/null
expect "bb's newest custody event cut" 65 fs verify
has "is named" "$T/err" "evidence custody: event $cseq: is recorded in the journal but missing from the custody log"

# ---- 6. an old database: its installation-wide transfer chain goes on in each organization's ----
data=$(dirname "$0")/../data
OLD=$T/old.db
{ cat "$data/schema18-sealed.sql"; echo "PRAGMA user_version = 18;"; } | sqlite3 "$OLD"
cp "$data/schema18-sealed.key.hex" "$OLD.key"
chmod 600 "$OLD.key"
old() { "$FS_BIN" --db "$OLD" --key "$OLD.key" "$@"; }
old_n=$(sqlite3 "$OLD" "SELECT max(seq) FROM transfers")
old_head=$(sqlite3 "$OLD" "SELECT hex(hash) FROM transfers WHERE seq = $old_n")
expect "the old database migrates and verifies" 0 old verify
same "where the old transfer chain ends is kept" "$(sqlite3 "$OLD" "SELECT value FROM meta WHERE key = 'transfer_chains'")" "$old_n"
expect "a second organization" 0 old org add --slug two --name Two --country TR --currency TRY
expect "its fund" 0 old --org two fund create --name "Two's fund"
expect "a transfer of the old organization" 0 old --org un contribute --fund 1 --amount 2.00 --id new-1
expect "a transfer of the new one" 0 old --org two contribute --fund 2 --amount 2.00 --id new-2
same "the first new transfer of each organization follows the old chain's head" \
	"$(sqlite3 "$OLD" "SELECT group_concat(hex(prev_hash) = '$old_head') FROM transfers WHERE id IN ('new-1', 'new-2')")" "1,1"
expect "verifies on SQLite" 0 old verify
cp "$OLD" "$T/old-keep.db"
sqlite3 "$OLD" "DELETE FROM journal WHERE seq = 3"
expect "on SQLite a journal entry cut is caught" 65 old verify
has "as entries missing (numbers never skip there)" "$T/err" "journal: entries 3 to 3 are missing"
cp "$T/old-keep.db" "$OLD"
sqlite3 "$OLD" "DELETE FROM meta WHERE key = 'transfer_chains'"
expect "where the old chain ends, erased: caught" 65 old verify
has "the new links no longer follow" "$T/err" "does not follow the transfer before it (chain broken)"
cp "$T/old-keep.db" "$OLD"
sqlite3 "$OLD" "UPDATE transfers SET memo = 'forged' WHERE seq = $old_n"
expect "the old chain's head altered: caught" 65 old verify
cp "$T/old-keep.db" "$OLD"
db_new moved
expect "migrate-store to PostgreSQL" 0 "$FS_BIN" --key "$OLD.key" migrate-store "$OLD" "$DB"
pgm() { "$FS_BIN" --db "$DB" --key "$OLD.key" "$@"; }
expect "verifies there" 0 pgm verify
same "the sequences go on past the copied ids" "$(db_sql "$DB" "SELECT pg_sequence_last_value(pg_get_serial_sequence('transfers', 'seq')) >= max(seq) FROM transfers")" t
expect "new transfers of both organizations on PostgreSQL" 0 pgm --org un contribute --fund 1 --amount 2.00 --id new-3
expect "and the other's" 0 pgm --org two contribute --fund 2 --amount 2.00 --id new-4
db_sql "$DB" "BEGIN; SELECT nextval(pg_get_serial_sequence('journal', 'seq')); ROLLBACK" >/dev/null # a number taken and never used
expect "a person after a number the journal skipped" 0 pgm --org two person add --full-name "After a gap"
expect "verifies there (the skipped number is no cut)" 0 pgm verify
expect "and back to SQLite" 0 "$FS_BIN" --key "$OLD.key" migrate-store "$DB" "$T/back.db"
expect "which verifies (the copy knows where numbers may skip)" 0 "$FS_BIN" --db "$T/back.db" --key "$OLD.key" verify
has "with every entry" "$T/out" "ok:"
cp "$T/back.db" "$T/back-keep.db"
sqlite3 "$T/back.db" "DELETE FROM journal WHERE seq = 3"
expect "an entry cut from the old part is still a cut there" 65 "$FS_BIN" --db "$T/back.db" --key "$OLD.key" verify
has "named" "$T/err" "journal: entries 3 to 3 are missing"
# the copy tolerates skipped numbers only among the entries it copied: SQLite numbers
# its own after them the highest plus one, so a cut among those is a cut (rva)
cp "$T/back-keep.db" "$T/back.db"
sqlite3 "$T/back.db" "DELETE FROM meta WHERE key = 'journal_gaps_until'"
expect "a copy's mark without its end (set by hand): no mark, the skipped number is named" 65 "$FS_BIN" --db "$T/back.db" --key "$OLD.key" verify
bk() { "$FS_BIN" --db "$T/back.db" --key "$OLD.key" "$@"; }
cp "$T/back-keep.db" "$T/back.db"
copied=$(sqlite3 "$T/back.db" "SELECT max(seq) FROM journal")
expect "on the SQLite copy, a person of one organization" 0 bk --org un person add --full-name "Copy One"
expect "and one of the other" 0 bk --org two person add --full-name "Copy Two"
expect "the copy with its new entries verifies" 0 bk verify
cut=$((copied + 1))
pid=$(sqlite3 "$T/back.db" "SELECT entity_id FROM journal WHERE seq = $cut")
# the organization's newest entry cut with its row, the other organization's after it
sqlite3 "$T/back.db" "DELETE FROM journal WHERE seq = $cut; DELETE FROM people WHERE id = $pid"
expect "an entry SQLite numbered after the copy, cut from the middle: caught" 65 bk verify
has "as entries missing" "$T/err" "journal: entries $cut to $cut are missing"
# on a database made on SQLite a journal_gaps row set by hand is no mark
sqlite3 "$T/old-keep.db" "DELETE FROM journal WHERE seq = 3; INSERT INTO meta (key, value) VALUES ('journal_gaps', '0')"
expect "SQLite with meta journal_gaps set by hand: a cut is still a cut" 65 "$FS_BIN" --db "$T/old-keep.db" --key "$OLD.key" verify
has "named" "$T/err" "journal: entries 3 to 3 are missing"
db_main
finish
