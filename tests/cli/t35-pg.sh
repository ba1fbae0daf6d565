#!/bin/sh
# t35 - PostgreSQL (always on PostgreSQL, a private cluster unless $PGHOST names
# one): init in an empty database only, the key stays a file, no password in
# the name, the schema mirrors SQLite's migration for migration, migrate-store
# SQLite -> PostgreSQL -> SQLite keeps the journal head and the exports, the
# backup is a SQLite file that verifies, concurrent writers in many processes
# (idempotency keys, two-person rule, no-negative accounts), the rules of a
# database sharded by organization checked on the live schema.
FS_TEST_DB=postgres
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
q() { psql -X -At -d "$FS_PG_DB" -c "$1"; }

# ---- init, names, keys ----
expect "a database without the schema: not a fairshare database" 66 fs summary
has "says how to make one" "$T/err" "fairshare init"
expect "init without a key file named" 65 env -u FAIRSHARE_KEY "$FS_BIN" --db "$DB" init
has "asks for the key file" "$T/err" "needs its key file named"
expect "init" 0 fs init
[ -f "$T/fs.key" ] && [ "$(stat -c %a "$T/fs.key")" = 600 ] && ok "the key is a file 0600 beside" || notok "the key is a file 0600 beside"
same "no key in the database" "$(q "SELECT count(*) FROM meta WHERE value LIKE '%$(head -c 16 "$T/fs.key" | od -An -tx1 | tr -d ' \n')%'")" 0
expect "init again is refused" 65 fs init
has "says it holds one" "$T/err" "holds a fairshare installation already"
createdb "${FS_PG_DB}_x" && psql -X -q -d "${FS_PG_DB}_x" -c "CREATE TABLE invoices (id int)"
expect "init refuses a database with other tables" 65 "$FS_BIN" --db "postgres:///${FS_PG_DB}_x" --key "$T/x.key" init
has "names it foreign" "$T/err" "not a fairshare database"
same "the foreign table is untouched and alone" "$(psql -X -At -d "${FS_PG_DB}_x" -c "SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")" invoices
dropdb "${FS_PG_DB}_x"
expect "a password in the name is refused" 65 "$FS_BIN" --db "postgresql://fairshare:s3cret-pw@localhost/$FS_PG_DB" summary
has "points to .pgpass" "$T/err" ".pgpass"
hasnot "and is not repeated" "$T/err" "s3cret-pw"
expect "PG* variables and FAIRSHARE_DB pick the database" 0 env FAIRSHARE_DB="postgres:///$FS_PG_DB" "$FS_BIN" summary
expect "a database that is not there: a clear error" 75 "$FS_BIN" --db "postgres:///nosuchdb_$$" summary
has "says it cannot connect" "$T/err" "cannot connect to the PostgreSQL database"

# ---- the schema mirrors SQLite's ----
env -u FAIRSHARE_KEY "$FS_BIN" --db "$T/ref.db" init >/dev/null
same "the same schema version as SQLite's" "$(q "SELECT schema_version FROM fs_store_state")" "$(sqlite3 "$T/ref.db" "PRAGMA user_version")"
sqlite3 "$T/ref.db" "SELECT m.name || '.' || p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1" >"$T/sq.cols"
q "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname NOT LIKE 'fs\_%' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1" | LC_ALL=C sort >"$T/pg.cols"
LC_ALL=C sort "$T/sq.cols" -o "$T/sq.cols"
if cmp -s "$T/sq.cols" "$T/pg.cols"; then ok "every table and column of SQLite's schema, no other"; else
	notok "every table and column of SQLite's schema, no other"; diff "$T/sq.cols" "$T/pg.cols" | head | sed 's/^/#   /'; fi
sqlite3 "$T/ref.db" "SELECT m.name FROM sqlite_schema m WHERE m.type = 'index' AND m.sql IS NOT NULL ORDER BY 1" >"$T/sq.idx"
q "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'i' AND c.relname NOT LIKE '%_pkey' AND c.relname NOT LIKE '%_key' AND c.relname NOT LIKE '%\_lookup' AND c.relname NOT LIKE 'fs\_%' ORDER BY 1" >"$T/pg.idx"
if cmp -s "$T/sq.idx" "$T/pg.idx"; then ok "the same named indexes"; else notok "the same named indexes"; diff "$T/sq.idx" "$T/pg.idx" | head | sed 's/^/#   /'; fi
same "text sorts bytewise (as SQLite)" "$(q "SELECT collation_name FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'full_name_fold'")" C

# ---- records, ids, conflicts ----
fs org add --slug mm --name Maden --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm
expect "a person" 0 fs person add --full-name "Ayşe Yılmaz" --national-id 10000000146
expect "the same national id again is a conflict" 65 fs person add --full-name "Other" --national-id 10000000146
expect "another person" 0 fs person add --full-name "Zeynep Kaya"
same "ids go on from the highest (SQLite's rule)" "$(q "SELECT string_agg(id::text, ',' ORDER BY id) FROM people")" "1,2"
expect "list in folded-name order" 0 fs person list --json
same "two listed" "$(grep -c '"full_name"' "$T/out")" 2
expect "search by a part of the folded name" 0 fs person list --search "yilmaz"
has "found" "$T/out" "Ayşe Yılmaz"
printf 'full_name,national_id\nNew One,\nDup,10000000146\n' >"$T/p.csv"
expect "an import with a row in conflict goes on past it" 0 fs import people "$T/p.csv"
same "the new row is in" "$(q "SELECT count(*) FROM people WHERE full_name = 'New One'")" 1
expect "verify" 0 fs verify
v1=$(q "SELECT last_value FROM fs_data_version")
fs person add --full-name "Third Person" >/dev/null
v2=$(q "SELECT last_value FROM fs_data_version")
[ "$v2" -gt "$v1" ] && ok "a write moves the data version ($v1 -> $v2)" || notok "a write moves the data version ($v1 -> $v2)"
fs person list >/dev/null
same "a read does not" "$(q "SELECT last_value FROM fs_data_version")" "$v2"

# ---- backup: a SQLite file in one snapshot ----
expect "backup of a PostgreSQL installation" 0 fs backup "$T/b.db"
expect "the copy verifies as a SQLite database" 0 "$FS_BIN" --db "$T/b.db" --key "$T/fs.key" verify
same "at the same journal head" "$("$FS_BIN" --db "$T/b.db" --key "$T/fs.key" summary --json | grep -o '"head": "[0-9a-f]*"')" \
	"$(fs summary --json | grep -o '"head": "[0-9a-f]*"')"
expect "backup --verify" 0 fs backup --verify "$T/b.db"

# ---- a row changed behind fairshare's back is found ----
q "UPDATE people SET full_name_fold = 'tampered' WHERE id = 2" >/dev/null
expect "verify finds a row changed in PostgreSQL" 65 fs verify
q "UPDATE people SET full_name_fold = 'zeynep kaya' WHERE id = 2" >/dev/null
q "SET session_replication_role = replica; UPDATE people SET org_id = 99 WHERE id = 2" >/dev/null
expect "verify runs the reference check" 65 fs verify
has "a reference to a missing record is named" "$T/err" "people: 1 records refer (by org_id) to a missing organizations record"
q "SET session_replication_role = replica; UPDATE people SET org_id = 1 WHERE id = 2" >/dev/null
expect "and holds again" 0 fs verify

# ---- migrate-store: SQLite -> PostgreSQL -> SQLite ----
unset FAIRSHARE_ORG
env -u FAIRSHARE_KEY "$FS_BIN" --db "$T/a.db" demo >/dev/null
printf 'hello evidence\n' >"$T/ev.txt"
"$FS_BIN" --db "$T/a.db" --key "$T/a.db.key" --org miners evidence add "$T/ev.txt" >/dev/null 2>&1
createdb "${FS_PG_DB}_m"
expect "migrate-store SQLite -> PostgreSQL" 0 "$FS_BIN" --key "$T/a.db.key" migrate-store "$T/a.db" "postgres:///${FS_PG_DB}_m"
has "verified on both" "$T/out" "verify holds on both"
expect "into a database that is not empty: refused" 65 "$FS_BIN" --key "$T/a.db.key" migrate-store "$T/a.db" "postgres:///${FS_PG_DB}_m"
expect "migrate-store PostgreSQL -> SQLite" 0 "$FS_BIN" --key "$T/a.db.key" migrate-store "postgres:///${FS_PG_DB}_m" "$T/c.db"
h() { "$FS_BIN" --db "$1" --key "$T/a.db.key" summary --json | grep -o '"head": "[0-9a-f]*"'; }
h1=$(h "$T/a.db")
[ -n "$h1" ] && ok "the source has a journal head" || notok "the source has a journal head"
same "the journal head is the same on all three" "$h1 $(h "postgres:///${FS_PG_DB}_m")" "$(h "$T/c.db") $(h "$T/c.db")"
for what in "--org miners export people --reveal" "--org oil export people" "--org miners ledger export --fund 1" "--org miners export incidents" "--org miners watch"; do
	# shellcheck disable=SC2086
	"$FS_BIN" --db "$T/a.db" --key "$T/a.db.key" $what >"$T/x1" 2>&1
	# shellcheck disable=SC2086
	"$FS_BIN" --db "postgres:///${FS_PG_DB}_m" --key "$T/a.db.key" $what >"$T/x2" 2>&1
	# shellcheck disable=SC2086
	"$FS_BIN" --db "$T/c.db" --key "$T/a.db.key" $what >"$T/x3" 2>&1
	if cmp -s "$T/x1" "$T/x2" && cmp -s "$T/x1" "$T/x3" && [ -s "$T/x1" ]; then ok "the same '$what' on all three"; else
		notok "the same '$what' on all three"; diff "$T/x1" "$T/x2" | head -n 5 | sed 's/^/#   /'; fi
done
dropdb --force "${FS_PG_DB}_m"
cp "$T/a.db" "$T/bad.db"
sqlite3 "$T/bad.db" "UPDATE people SET full_name_fold = 'altered' WHERE id = 1"
createdb "${FS_PG_DB}_b"
expect "a source that does not verify is not copied" 65 "$FS_BIN" --key "$T/a.db.key" migrate-store "$T/bad.db" "postgres:///${FS_PG_DB}_b"
has "says so" "$T/err" "the source does not verify"
same "nothing was written" "$(psql -X -At -d "${FS_PG_DB}_b" -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" 0
dropdb --force "${FS_PG_DB}_b"

# ---- many processes at once ----
export FAIRSHARE_ORG=mm
# the second persons of approvals are accounts (--as names one)
for u in t1 t2 t3; do FAIRSHARE_PASSWORD=treasurer-pass-x fs user add $u --role treasurer >/dev/null; done
fs fund create --name "Strike fund" --approval-threshold 50000 >/dev/null
fs contribute --fund 1 --amount 100000.00 --id seed >/dev/null
pay="--person-id 1 --payer-kind ministry --payer-name Ministry --paid-on 2012-03-01 --amount 10.00 --idempotency-key race-1"
for i in $(seq 1 50); do
	# shellcheck disable=SC2086
	fs payment add $pay >"$T/p$i.out" 2>&1 &
	fs contribute --fund 1 --amount 7.00 --id race-t >"$T/c$i.out" 2>&1 &
done
wait
same "50 retries of one payment record it once" "$(q "SELECT count(*) FROM payments WHERE idempotency_key = 'race-1'")" 1
same "50 retries of one transfer record it once" "$(q "SELECT count(*) FROM transfers WHERE id = 'race-t'")" 1
same "and each retry was answered without an error" "$(cat "$T"/p*.out "$T"/c*.out | grep 'fairshare:' | sort | uniq -c)" ""
expect "a payout above the threshold waits" 0 fs --as t1 disburse --fund 1 --amount 60000.00 --purpose legal --id lg-1
fs --as t2 approve lg-1 --fund 1 >"$T/a2.out" 2>&1 &
fs --as t3 approve lg-1 --fund 1 >"$T/a3.out" 2>&1 &
wait
same "two treasurers approving at once post it once" "$(q "SELECT count(*) FROM transfers WHERE pending_id = 'lg-1'")" 1
same "one of them posted it" "$(cat "$T/a2.out" "$T/a3.out" | grep -c 'lg-1.post: ok')" 1
same "the other finds it posted and records nothing" "$(cat "$T/a2.out" "$T/a3.out" | grep -c -e 'lg-1.post: exists' -e "'lg-1' was already posted")" 1
for i in $(seq 1 20); do fs disburse --fund 1 --amount 4000.00 --purpose strike-pay --to "W$i" --id sp-$i >"$T/d$i.out" 2>&1 & done
wait
same "20 payouts of 4000 at once from 100007-60000: only 10 fit" "$(q "SELECT count(*) FROM transfers WHERE id LIKE 'sp-%'")" 10
expect "balances" 0 fs fund balances 1
has "cash never negative: 7.00 left" "$T/out" "7.00 TRY"
expect "verify holds after the concurrent writers" 0 fs verify

# ---- the rules of a database sharded by organization (Citus) ----
sh "$here/tests/pg-distribution.sh" "$FS_PG_DB" >"$T/dist.txt"
if cmp -s "$T/dist.txt" "$here/tests/data/pg-distribution.txt"; then ok "the schema breaks the sharding rules only where doc/postgres.md says"; else
	notok "the schema breaks the sharding rules only where doc/postgres.md says (tests/data/pg-distribution.txt)"
	diff "$here/tests/data/pg-distribution.txt" "$T/dist.txt" | head -n 20 | sed 's/^/#   /'; fi
createdb "${FS_PG_DB}_r"
psql -X -q -d "${FS_PG_DB}_r" -c "CREATE TABLE organizations (id bigint PRIMARY KEY); CREATE TABLE good (org_id bigint NOT NULL, id bigint, PRIMARY KEY (org_id, id)); CREATE TABLE bad (id bigint PRIMARY KEY, org_id bigint); CREATE TABLE loose (id bigint)"
sh "$here/tests/pg-distribution.sh" "${FS_PG_DB}_r" >"$T/dist2.txt"
has "the check finds a key without the organization" "$T/dist2.txt" "bad: primary key (id) lacks org_id"
has "and an organization id that may be missing" "$T/dist2.txt" "bad: org_id may be NULL"
has "and a table of no organization" "$T/dist2.txt" "loose: no organization id (not a reference table)"
hasnot "and passes a table that keeps them" "$T/dist2.txt" "good"
dropdb --force "${FS_PG_DB}_r"
finish
