#!/bin/sh
# t44 - each organization's journal is its own hash chain (the system's log holds
# accounts): an entry follows the entry before it in its own log, so a rewrite of
# one organization's history leaves the others' checkpoints standing, and one
# organization's log is checked and handed over without another's entries. The
# old single chain of a landed database is kept (checked up to where it ends) and
# bound by the first entry of every log. On PostgreSQL the entries are read and
# changed through psql, and the handed-over log is copied from it into a file.
. "$(dirname "$0")/lib.sh"
forge() { python3 "$(dirname "$0")/log_forge.py" "$@"; }
if on_pg; then
	q() { db_sql "$DB" "SET session_replication_role = replica; $1"; }
	z32="decode(repeat('00', 32), 'hex')" isnot="IS DISTINCT FROM" hexagg="upper(encode(string_agg(hash, '' ORDER BY seq), 'hex'))"
	keep() { createdb -T "$FS_PG_DB" "${FS_PG_DB}_keep"; }
	restore() { dropdb --force "$FS_PG_DB" && createdb -T "${FS_PG_DB}_keep" "$FS_PG_DB"; }
else
	q() { sqlite3 "$DB" "$1"; }
	z32="zeroblob(32)" isnot="IS NOT" hexagg="hex(group_concat(hash, ''))"
	keep() { cp "$DB" "$T/keep.db"; }
	restore() { cp "$T/keep.db" "$DB"; }
fi
expect "demo data" 0 fs demo
expect "verify holds" 0 fs verify
same "a new journal has no old chain" "$(q "SELECT count(*) FROM meta WHERE key = 'journal_chains'")" 0
# every entry follows the newest entry before it of its own log; each log's first follows nothing
same "every entry follows the one before it in its log" "$(q "SELECT count(*) FROM journal j WHERE j.prev_hash $isnot
	coalesce((SELECT k.hash FROM journal k WHERE k.org_id = j.org_id AND k.seq < j.seq ORDER BY k.seq DESC LIMIT 1), $z32)")" 0
same "the logs interleave (so the test means something)" "$(q "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM journal j WHERE j.prev_hash $isnot
	coalesce((SELECT k.hash FROM journal k WHERE k.seq < j.seq ORDER BY k.seq DESC LIMIT 1), $z32)")" 1
same "three logs begin: the system's and two organizations'" "$(q "SELECT count(*) FROM journal WHERE prev_hash = $z32")" 3
expect "checkpoint of the miners" 0 fs --org miners checkpoint
cp "$T/out" "$T/cp-miners.txt"
expect "checkpoint of the oil workers" 0 fs --org oil checkpoint
cp "$T/out" "$T/cp-oil.txt"
expect "checkpoint of the system log" 0 fs checkpoint --system
cp "$T/out" "$T/cp-system.txt"
oilp=$(q "SELECT id FROM people WHERE org_id = 2 ORDER BY id LIMIT 1")
expect "a payment of the oil workers after the checkpoints" 0 fs --org oil payment add --person-id "$oilp" --payer-kind employer \
	--payer-name Oil --paid-on 2026-11-20 --amount 10.00
keep

# one organization's history rewritten with every hash recomputed: its own checkpoint catches it,
# the other organization's and the system's still hold (its log was not touched)
pid=$(q "SELECT id FROM payments WHERE org_id = 1 ORDER BY id LIMIT 1")
oil_before=$(q "SELECT $hexagg FROM journal WHERE org_id = 2")
q "UPDATE payments SET amount_minor = amount_minor * 100 WHERE id = $pid"
expect "the edited row is caught" 65 fs verify
forge rowhash "$DB" payment payments "$pid"
forge relog "$DB"
expect "with the miners' chain and tree recomputed, plain verify cannot tell" 0 fs verify
same "the oil workers' entries are unchanged by the rewrite" "$(q "SELECT $hexagg FROM journal WHERE org_id = 2")" "$oil_before"
expect "the miners' checkpoint catches it" 65 fs verify --checkpoint "$T/cp-miners.txt"
has "names it" "$T/err" "cp-miners.txt contradicts the log"
expect "the oil workers' checkpoint still holds" 0 fs verify --checkpoint "$T/cp-oil.txt"
has "proven" "$T/out" "the log of 'oil' extends it"
expect "so does the system log's" 0 fs verify --checkpoint "$T/cp-system.txt"
restore

# a chain broken inside one log is named with its log
seq=$(q "SELECT seq FROM journal WHERE org_id = 2 ORDER BY seq LIMIT 1 OFFSET 3")
q "UPDATE journal SET prev_hash = $z32 WHERE seq = $seq"
expect "a broken link in the oil log" 65 fs verify
has "named with its log" "$T/err" "entry $seq does not follow the entry before it in the log of organization 2 (chain broken)"
restore
# an entry of the oil log deleted from the middle, the tree rebuilt: its chain is broken, the miners' log is not
seq=$(q "SELECT seq FROM journal WHERE org_id = 2 AND action <> 'batch' ORDER BY seq DESC LIMIT 1 OFFSET 2")
next=$(q "SELECT min(seq) FROM journal WHERE org_id = 2 AND seq > $seq")
q "DELETE FROM journal WHERE seq = $seq"
on_pg || forge relog "$DB" # (on PostgreSQL the tree is left as it was: the chain is what is checked here)
expect "an entry cut from the middle of a log" 65 fs verify
has "its successor no longer follows" "$T/err" "entry $next does not follow the entry before it in the log of organization 2"
hasnot "the miners' log holds" "$T/err" "log of organization 1"
restore
# a system entry (an account) re-pointed at an organization's chain
seq=$(q "SELECT seq FROM journal WHERE org_id = 0 ORDER BY seq DESC LIMIT 1")
if on_pg; then
	# PostgreSQL's journal holds no such entry: its org_id is NOT NULL
	expect "an entry of no log: refused by the schema" 1 db_sql "$DB" "UPDATE journal SET org_id = NULL WHERE seq = $seq"
	has "(not null)" "$T/err" "violates not-null constraint"
else
	q "UPDATE journal SET org_id = NULL WHERE seq = $seq"
	expect "an entry of no log" 65 fs verify
	has "named" "$T/err" "entry $seq names no log"
fi
restore

# one organization's log handed over alone: its entries only, checked without any other's
if on_pg; then
	# the rows as psql gives them (json), typed as the SQLite file would hold them
	python3 - "${DB#postgres:///}" "$T/oil.db" <<'PY'
import json, sqlite3, subprocess, sys
db, out = sys.argv[1], sys.argv[2]
def psql(sql):
    return json.loads(subprocess.run(["psql", "-q", "-X", "-A", "-t", "-d", db, "-c", sql], check=True,
                                     capture_output=True, text=True).stdout.strip() or "null") or []
c = sqlite3.connect(out)
for table, where in (("journal", "org_id = 2"), ("meta", "key = 'journal_chains'")):
    cols = psql("SELECT json_agg(json_build_array(column_name, data_type) ORDER BY ordinal_position) FROM "
                "information_schema.columns WHERE table_schema = current_schema() AND table_name = '%s'" % table)
    rows = psql("SELECT json_agg(t) FROM (SELECT * FROM %s WHERE %s ORDER BY 1) t" % (table, where))
    c.execute("CREATE TABLE %s (%s)" % (table, ", ".join(n for n, _ in cols)))
    for r in rows:
        c.execute("INSERT INTO %s VALUES (%s)" % (table, ", ".join("?" for _ in cols)),
                  [bytes.fromhex(r[n][2:]) if t == "bytea" and r[n] is not None else r[n] for n, t in cols])
c.commit()
PY
else
	q "ATTACH '$T/oil.db' AS o; CREATE TABLE o.journal AS SELECT * FROM journal WHERE org_id = 2;
	CREATE TABLE o.meta AS SELECT * FROM meta WHERE key = 'journal_chains'"
fi
same "the copy holds the oil workers' entries only" "$(sqlite3 "$T/oil.db" "SELECT count(DISTINCT org_id) FROM journal")" 1
forge checklog "$T/oil.db" 2 >"$T/oil.check" 2>&1
has "its chain checks alone" "$T/oil.check" "ok $(q "SELECT count(*) FROM journal WHERE org_id = 2") "
fs --org oil checkpoint >"$T/cp-oil-now.txt"
same "and its root is the organization's checkpoint" "$(cut -d' ' -f3 "$T/oil.check")" "$(sed -n 's/^root: //p' "$T/cp-oil-now.txt")"
sqlite3 "$T/oil.db" "UPDATE journal SET actor = 'someone else' WHERE rowid = 5"
forge checklog "$T/oil.db" 2 >"$T/oil.check" 2>&1
has "an altered entry of the copy is found" "$T/oil.check" "does not match its hash"

# a database of the landed schema (one chain over every organization) migrates
if on_pg; then
	skip "a database of the landed schema migrates" "it is a SQLite file of schema 18 (older than the PostgreSQL store; its way there, migrate-store, is t57's)"
	finish
	exit
fi
data=$(cd "$(dirname "$0")/../data" && pwd)
OLD=$T/old.db
{ cat "$data/schema18-sealed.sql"; echo "PRAGMA user_version = 18;"; } | sqlite3 "$OLD"
cp "$data/schema18-sealed.key.hex" "$OLD.key"
chmod 600 "$OLD.key"
# a second organization journaled last on the old chain: the first organization's newest old entry is not its head
sqlite3 "$OLD" "INSERT INTO organizations (id, slug, name, name_fold, country, currency) VALUES (2, 'other', 'Other', 'other', 'KZ', 'KZT')"
forge oldentry "$OLD" organization organizations 2 2
old_n=$(sqlite3 "$OLD" "SELECT max(seq) FROM journal")
old_head=$(sqlite3 "$OLD" "SELECT hex(hash) FROM journal WHERE seq = $old_n")
expect "the old database migrates and verifies" 0 "$FS_BIN" --db "$OLD" verify
same "where the old chain ends is kept" "$(sqlite3 "$OLD" "SELECT value FROM meta WHERE key = 'journal_chains'")" "$old_n"
same "the old entries are as they were" "$(sqlite3 "$OLD" "SELECT hex(hash) FROM journal WHERE seq = $old_n")" "$old_head"
same "the first entry of every new log follows the old chain's head" "$(sqlite3 "$OLD" "SELECT count(*) FROM journal j WHERE
	seq > $old_n AND NOT EXISTS (SELECT 1 FROM journal k WHERE k.org_id = j.org_id AND k.seq > $old_n AND k.seq < j.seq)
	AND hex(prev_hash) <> '$old_head'")" 0
same "and there are such entries, in both organizations and the system log" "$(sqlite3 "$OLD" "SELECT count(DISTINCT org_id) FROM journal WHERE seq > $old_n AND hex(prev_hash) = '$old_head'")" 3
expect "a write after the migration" 0 "$FS_BIN" --db "$OLD" --org 1 person add --full-name "Новый Человек"
expect "verifies" 0 "$FS_BIN" --db "$OLD" verify
cp "$OLD" "$T/old-keep.db"
sqlite3 "$OLD" "UPDATE journal SET actor = 'forger' WHERE seq = 2"
expect "an old entry altered" 65 "$FS_BIN" --db "$OLD" verify
has "the old chain is still checked" "$T/err" "entry 2 does not match its hash"
cp "$T/old-keep.db" "$OLD"
sqlite3 "$OLD" "DELETE FROM meta WHERE key = 'journal_chains'"
expect "where the old chain ends, erased" 65 "$FS_BIN" --db "$OLD" verify
has "the entries after it no longer follow" "$T/err" "(chain broken)"
cp "$T/old-keep.db" "$OLD"
sqlite3 "$OLD" "UPDATE meta SET value = '$((old_n - 1))' WHERE key = 'journal_chains'"
expect "moved back one entry" 65 "$FS_BIN" --db "$OLD" verify
cp "$T/old-keep.db" "$OLD"
sqlite3 "$OLD" "UPDATE meta SET value = 'x' WHERE key = 'journal_chains'"
expect "not a number" 65 "$FS_BIN" --db "$OLD" verify
has "named" "$T/err" "meta journal_chains is 'x', not an entry number"
cp "$T/old-keep.db" "$OLD"
# the old chain cut at its end (entries up to the split deleted) is caught
sqlite3 "$OLD" "DELETE FROM journal WHERE seq = $old_n"
expect "the old chain's last entry cut" 65 "$FS_BIN" --db "$OLD" verify
finish
