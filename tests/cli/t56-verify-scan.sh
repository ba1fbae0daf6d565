#!/bin/sh
# t56 - verify's ordered scan (one pass per table, people joined with their keys in
# runs of 16384 ids) still catches every change made behind fairshare's back: a row
# changed in the middle of a large table, at a run's edge, the last row, a row
# deleted, a row inserted, in a table bound by batch (imported people) and in one
# bound row by row (people added one by one, employers); a person's key deleted,
# altered or swapped with another's at a run's edge and at the end. On PostgreSQL
# the rows are changed through psql (foreign keys off with session_replication_role,
# as sqlite3's default), the clean database kept as a template.
. "$(dirname "$0")/lib.sh"
N=16500 # more than one run of keys (16384): the joins at a run's edge are checked
fsq() { fs "$@" >/dev/null 2>"$T/err"; }
if on_pg; then
	sq() { db_sql "$DB" "SET session_replication_role = replica; $1"; }
	nofk= zeros73="decode(repeat('00', 73), 'hex')"
else
	sq() { sqlite3 "$DB" "$1"; }
	nofk="PRAGMA foreign_keys=OFF;" zeros73="zeroblob(73)"
fi

fs init >/dev/null
fsq org add --slug un --name "Union"
export FAIRSHARE_ORG=un
awk -v n="$N" 'BEGIN { print "external_id,full_name,national_id,phone";
	for (i = 1; i <= n; i++) printf "E-%06d,Person %d,NID%08d,+7 700 %06d\n", i, i, i, i }' >"$T/people.csv"
expect "$N people imported (bound by batch)" 0 fs import people "$T/people.csv"
for i in 1 2 3 4 5; do
	fsq person add --full-name "Single $i" --national-id "SNID000$i" --phone "+7 701 000$i"
	fsq employer add --name "Employer $i"
done
fsq incident add --type raid --started-on 2012-01-02 --place VS-place --handling restricted
fsq detention add --person-id 1 --incident-id 1 --arrested-at 2012-01-02T10:00 --held-at VS-held-one --handling restricted
fsq detention add --person-id 16385 --incident-id 1 --arrested-at 2012-01-02T11:00 --held-at VS-held-two --handling restricted
same "people in the table" "$(sq 'SELECT count(*) FROM people')" $((N + 5))
same "a key for each" "$(sq 'SELECT count(*) FROM person_keys')" $((N + 5))
expect "the untouched database verifies" 0 fs verify
has "every row counted once (people, employers, the organization, the incident, two detentions)" "$T/out" " $((N + 14)) records,"
if on_pg; then
	createdb -T "$FS_PG_DB" "${FS_PG_DB}_clean"
	restore() { dropdb --force "$FS_PG_DB" && createdb -T "${FS_PG_DB}_clean" "$FS_PG_DB"; }
else
	sq 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$DB" "$T/clean.db"
	restore() { cp "$T/clean.db" "$DB"; rm -f "$DB-wal" "$DB-shm"; }
fi
last=$((N + 5))

# caught WHAT SQL TEXT...: the change made with sqlite3, verify fails naming each TEXT
caught() {
	local what=$1 sql=$2
	shift 2
	restore
	sq "$sql"
	expect "$what: verify fails" 65 fs verify
	for text in "$@"; do has "$what: named ($text)" "$T/err" "$text"; done
}

# ---- a table bound by batch (imported people)
caught "a row changed in the middle" "UPDATE people SET full_name = 'Mallory' WHERE id = 8250" \
	"person 8250 differs from its journal entry"
caught "the first row of the second run changed" "UPDATE people SET external_id = 'X' WHERE id = 16385" \
	"person 16385 differs from its journal entry"
caught "the last row of the first run changed" "UPDATE people SET external_id = 'X' WHERE id = 16384" \
	"person 16384 differs from its journal entry"
caught "the last imported row changed" "UPDATE people SET full_name_fold = 'x' WHERE id = $N" \
	"person $N differs from its journal entry"
caught "an imported row deleted" "$nofk DELETE FROM people WHERE id = 9001" \
	"person 9001 is in the journal but missing from the database"
# copy ID [SET]: a row of TABLE copied as a new row (every column, whatever the schema)
copy() { echo "CREATE TEMP TABLE c AS SELECT * FROM $1 WHERE id = $2; UPDATE c SET $3; INSERT INTO $1 SELECT * FROM c;"; }
caught "a row inserted behind the journal's back" \
	"$(copy people 7 "id = $last + 1, external_id = 'E-NEW', national_id_hash = NULL")" \
	"person $((last + 1)) has no journal entry"
caught "a row inserted into a gap" \
	"$nofk DELETE FROM people WHERE id = 12000;
	 $(copy people 12001 "id = 12000, external_id = 'E-GAP', national_id_hash = NULL")" \
	"person 12000 differs from its journal entry"

# ---- a table bound row by row (people added one by one; employers)
caught "a single row changed in the middle" "UPDATE people SET full_name = 'Mallory' WHERE id = $((N + 3))" \
	"person $((N + 3)) differs from its journal entry"
caught "the very last row changed" "UPDATE people SET full_name = 'Mallory' WHERE id = $last" \
	"person $last differs from its journal entry"
caught "a single row deleted" "$nofk DELETE FROM people WHERE id = $((N + 2))" \
	"person $((N + 2)) is in the journal but missing from the database"
caught "an employer changed" "UPDATE employers SET name = 'Shell Co' WHERE id = 3" \
	"employer 3 differs from its journal entry"
caught "the last employer deleted" "DELETE FROM employers WHERE id = 5" \
	"employer 5 is in the journal but missing from the database"
caught "an employer inserted" "$(copy employers 1 "id = 6, name = 'Ghost'")" \
	"employer 6 has no journal entry"

# ---- the keys joined with the people, run by run
caught "a key deleted at a run's edge" "DELETE FROM person_keys WHERE person_id = 16384" \
	"person 16384: sealed fields cannot be opened"
hasnot "its neighbour still opens" "$T/err" "person 16385:"
caught "the first key of the second run deleted" "DELETE FROM person_keys WHERE person_id = 16385" \
	"person 16385: sealed fields cannot be opened"
hasnot "the one before it still opens" "$T/err" "person 16384:"
caught "two keys swapped across the runs' edge" \
	"UPDATE person_keys SET person_id = -1 WHERE person_id = 16384;
	 UPDATE person_keys SET person_id = 16384 WHERE person_id = 16385;
	 UPDATE person_keys SET person_id = 16385 WHERE person_id = -1" \
	"person 16384: sealed fields cannot be opened" "person 16385: sealed fields cannot be opened"
caught "the last person's key altered" "UPDATE person_keys SET wrapped = $zeros73 WHERE person_id = $last" \
	"person $last: sealed fields cannot be opened"
caught "a key of a person moved to another (the first run)" \
	"UPDATE person_keys SET wrapped = (SELECT wrapped FROM person_keys WHERE person_id = 2) WHERE person_id = 3" \
	"person 3: sealed fields cannot be opened"
caught "every key deleted" "DELETE FROM person_keys" \
	"person 1: sealed fields cannot be opened" "problems"
# ---- seals swapped with the journal recomputed (seal_swap.py, as t33): only the seals tell
# (on PostgreSQL seal_swap.py rewrites the rows through psql: tests/cli/fsdb.py)
here=$(cd "$(dirname "$0")" && pwd)
restore
python3 "$here/seal_swap.py" "$DB" people person $((N + 1)) $((N + 2)) sealed national_id_hash
same "two single people's seals swapped, journal recomputed" "$?" 0
expect "verify fails" 65 fs verify
has "the first named" "$T/err" "person $((N + 1)): sealed fields cannot be opened"
has "the second named" "$T/err" "person $((N + 2)): sealed fields cannot be opened"
restore
python3 "$here/seal_swap.py" "$DB" detentions detention 1 2 sealed
same "two detentions' seals swapped (the data key), journal recomputed" "$?" 0
expect "verify fails" 65 fs verify
has "the first named" "$T/err" "detention 1: sealed fields cannot be opened"
has "the second named" "$T/err" "detention 2: sealed fields cannot be opened"
restore
sq "UPDATE person_keys SET person_id = person_id + 1000000 WHERE person_id > 16000"
expect "keys moved past every row: verify fails" 65 fs verify
has "the first of them named" "$T/err" "person 16001: sealed fields cannot be opened"
has "and the count of the rest" "$T/err" "more problems"
# ---- a key destroyed behind fairshare's back, as if the person had been forgotten
# (rvb): no seal is checked for a forgotten person, so the journal must say so
caught "a key destroyed at a run's edge, marked forgotten" \
	"UPDATE person_keys SET wrapped = NULL, forgotten_at = '2026-01-01T00:00:00Z', forgotten_by = 'x' WHERE person_id = 16385" \
	"person 16385: their key is gone (marked forgotten) with no 'forget' entry"
caught "the last person's key emptied" "UPDATE person_keys SET wrapped = NULL WHERE person_id = $last" \
	"person $last: their key is gone"
restore
expect "a person forgotten through fairshare" 0 fs person forget 16384 --reason "asked to be forgotten"
expect "verifies: the journal names the forgetting" 0 fs verify
restore
expect "restored: ok again" 0 fs verify
finish
