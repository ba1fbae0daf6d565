#!/bin/sh
# t53 - the fast import (issue 16): on SQLite an import draws new people's keys
# from a stream seeded once, looks up no key for an id above every stored key,
# counts ids itself (checked after each insert) and hashes a row in one call. It
# must store what the one-by-one path stores: the same rows and seals, every check
# (validation by line and column, duplicates in the file and in the database,
# sealing bound to table/row/column, one key per person), the journal's binding
# of every row, all or nothing (kill -9 too), and importing again changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t62/people.sh" # keys, TR_ID_AWK
expect "init" 0 fs init
expect "an organization" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY

# ---- a file with errors and duplicates: nothing stored, each error by line and column
cat >"$T/bad.csv" <<'EOF'
external_id,full_name,national_id,birth_date,phone,address
A-1,Ali Kaya,10000000146,1965-03-15,+90 555 000 11 22,"Demo Mah. 1, Karadere"
A-2,Veli Demir,10000000147,1970-01-01,,
A-3,Ayşe Uçar,10000000078,31/12/1970,,
A-1,Fatma Şahin,,1971-02-02,,
A-5,Gülşen Öztürk,10000000146,,,
A-6,,,,,
A-7,Çetin Güneş,,1980-05-05,call me,
A-8,Özlem Yılmaz,10000000078,1980-05-05,+90 555 1,
EOF
expect "a file with errors is refused" 65 fs import people "$T/bad.csv"
has "a bad national ID, by line and column" "$T/err" "line 3, column 3"
has "an ambiguous date, by line and column" "$T/err" "line 4, column 4"
has "a duplicate external_id in the file" "$T/err" "line 5: external_id: duplicate in file: the same external_id as line 2"
has "a duplicate national ID in the file" "$T/err" "line 6: national ID: duplicate in file: the same national ID as line 2"
has "a missing name" "$T/err" "line 7"
has "a bad phone" "$T/err" "line 8, column 5"
has "how many" "$T/err" "6 of 8 rows are invalid; nothing was imported"
# cells checked eight bytes at a time: a NUL after eight plain bytes is still one
printf 'external_id,full_name\nN-1,Abcdefghij\000klmnopqrs\nN-2,Abcdefgh\304\n' >"$T/nul.csv"
expect "a NUL byte deep in a cell is refused" 65 fs import people "$T/nul.csv"
has "by line and column" "$T/err" "line 2, column 2"
has "named a NUL" "$T/err" "NUL byte (byte 11)"
has "a cut character after eight plain bytes" "$T/err" "line 3, column 2"
same "no person stored" "$(db_sql "$DB" "SELECT count(*) FROM people")" 0
same "no key stored" "$(db_sql "$DB" "SELECT count(*) FROM person_keys")" 0
same "no batch stored" "$(db_sql "$DB" "SELECT count(*) FROM journal_rows")" 0

# ---- --skip-invalid: the good rows stored, sealed, each under a key of its own
expect "skip-invalid stores the good rows" 0 fs import people "$T/bad.csv" --skip-invalid --rejects "$T/rej.csv"
has "two stored" "$T/out" "2 added"
same "the rejects file has the six" "$(($(wc -l <"$T/rej.csv") - 1))" 6
expect "export --reveal" 0 fs export people --reveal --output "$T/fast.csv"
has "a sealed national ID opens" "$T/fast.csv" "10000000146"
has "a sealed address opens" "$T/fast.csv" "Demo Mah. 1, Karadere"
if at_rest "$DB" 10000000146; then notok "no sealed value at rest"; else ok "no sealed value at rest"; fi

# ---- the same rows as the one-by-one path (person add), sealed fields and all
rows=60
awk -v n="$rows" "$TR_ID_AWK"'
	BEGIN { print "external_id,full_name,national_id,birth_date,phone,address"
	for (i = 0; i < n; i++)
		printf "B-%05d,Worker %d,%s,19%02d-0%d-1%d,+90 555 %03d,\"Street %d, Karadere\"\n", i, i, tr_id(300000000 + i), 50 + i % 40, 1 + i % 9, i % 10, i, i
	}' >"$T/people.csv"
db_new oneby
expect "init the one-by-one database" 0 fs init
expect "its organization" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
added=0
tail -n +2 "$T/people.csv" | while IFS=, read -r ext name nid dob phone addr; do
	addr=$(printf '%s' "$addr" | tr -d '"')
	fs person add --external-id "$ext" --full-name "$name" --national-id "$nid" --birth-date "$dob" --phone "$phone" \
		--address "$addr" >/dev/null 2>"$T/adderr" || { echo "# $(cat "$T/adderr")"; break; }
done
same "the one-by-one path stored them" "$(db_sql "$DB" "SELECT count(*) FROM people")" "$rows"
ONEBY=$DB
expect "export the one-by-one rows" 0 fs export people --reveal --output "$T/slow.csv"
db_new fast
expect "init the import's database" 0 fs init
expect "its organization" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
expect "import them" 0 fs import people "$T/people.csv"
has "all added" "$T/out" "$rows added"
expect "export the imported rows" 0 fs export people --reveal --output "$T/fast.csv"
same_file "the import stores what person add stores, sealed fields revealed" "$T/slow.csv" "$T/fast.csv"
plain="SELECT id || external_id || full_name || full_name_fold FROM people ORDER BY id"
same "the same plain columns" "$(db_sql "$DB" "$plain" | cksum)" "$(db_sql "$ONEBY" "$plain" | cksum)"
same "one key per person, all distinct, each seal opens at its place" "$(keys "$DB" "$KEY")" \
	"people $rows keys $rows distinct $rows opened $rows"
expect "verify holds" 0 fs verify
same "one batch entry for the rows" "$(db_sql "$DB" "SELECT entity || ':' || nrows FROM journal_rows")" "person:$rows"

# ---- importing again changes nothing; new rows after existing people
j=$(db_sql "$DB" "SELECT count(*) FROM journal")
k=$(db_sql "$DB" "SELECT wrapped FROM person_keys WHERE person_id IN (SELECT id FROM people) ORDER BY person_id" | cksum)
expect "the same file again" 0 fs import people "$T/people.csv"
has "nothing added, all unchanged" "$T/out" "0 added, 0 updated, $rows unchanged"
same "no journal entry" "$(db_sql "$DB" "SELECT count(*) FROM journal")" "$j"
# (a row tried as an insert first leaves no key row for the id it tried: t62)
same "no key row without its person" "$(db_sql "$DB" "SELECT count(*) FROM person_keys WHERE person_id NOT IN (SELECT id FROM people)")" 0
same "the people's keys untouched" "$(db_sql "$DB" "SELECT wrapped FROM person_keys WHERE person_id IN (SELECT id FROM people) ORDER BY person_id" | cksum)" "$k"
# a person added by hand (with a key of their own), then an import after them
expect "a person by hand" 0 fs person add --full-name "Hand Made" --national-id 10000000078 --external-id A-8
expect "a row more: an id above the import's" 0 fs import people "$T/bad.csv" --skip-invalid --rejects "$T/rej2.csv"
has "the national ID of the hand-made person is matched, not added" "$T/out" "1 added, 1 updated"
keys "$DB" "$KEY" >"$T/keys"
same "still one key per person, each seal opens at its place" "$(cut -d' ' -f1-4,7- "$T/keys")" "people $((rows + 2)) keys $((rows + 2)) opened $((rows + 2))"
has "no two key rows alike" "$T/keys" distinct
expect "verify holds after the second import" 0 fs verify

# ---- a forgotten person stays forgotten: an import that matches them seals nothing
fs --json person list >/dev/null
expect "forget the first imported person" 0 fs person forget 1 --reason "asked to be forgotten"
k=$(db_sql "$DB" "SELECT count(*) FROM person_keys WHERE wrapped IS NULL")
expect "an import matching them is refused" 77 fs import people "$T/people.csv"
has "and says why" "$T/err" "person 1 was forgotten: nothing is sealed for them again"
same "no key made for them" "$(db_sql "$DB" "SELECT count(*) FROM person_keys WHERE wrapped IS NULL") $(db_sql "$DB" "SELECT count(*) FROM person_keys WHERE person_id = 1")" "$k 1"

# ---- a changed imported row is caught
c=$(db_clone tamper)
db_sql "$c" "UPDATE people SET full_name = 'Nobody' WHERE id = 30" >/dev/null
expect "a changed imported row is caught" 65 "$FS_BIN" --db "$c" verify
has "named" "$T/err" "person 30 differs from its journal entry"
c=$(db_clone tamper-seal)
db_sql "$c" "UPDATE people SET sealed = (SELECT sealed FROM people WHERE id = 31) WHERE id = 32" >/dev/null
expect "a seal moved to another imported row is caught" 65 "$FS_BIN" --db "$c" verify

# ---- kill -9 in the middle: nothing half-written, the import can run again
db_new killed
expect "init" 0 fs init
expect "an organization" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
i=0
while [ "$i" -lt 200 ]; do cat "$T/people.csv"; i=$((i + 1)); done |
	awk -F, 'NR == 1 || !/^external_id/ { if (NR > 1) { $1 = "K-" NR; $3 = "" } print }' OFS=, >"$T/big.csv"
# the import reads from a pipe that stops half-way: when the writer has put
# 6,000 rows into it (the pipe holds 64 KiB), the import has read most of them,
# and it is killed waiting for the rest, its transaction open. No timing.
mkfifo "$T/pipe"
"$FS_BIN" --db "$DB" import people "$T/pipe" >/dev/null 2>&1 &
pid=$!
exec 3>"$T/pipe"
head -n 6001 "$T/big.csv" >&3
kill -9 "$pid" 2>/dev/null
wait "$pid"
killed=$?
exec 3>&-
same "the import was killed in the middle" "$killed" 137
if on_pg; then
	# its server process ends when it sees the connection closed (and rolls back):
	# counted only then, since an open transaction's rows are not seen anyway
	gone() { db_sql "$DB" "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"; }
	i=0
	while [ "$(gone)" != 0 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	same "its connection is gone" "$(gone)" 0
else
	same "the file is whole" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
fi
same "nothing of it stored" "$(db_sql "$DB" "SELECT count(*) FROM people") $(db_sql "$DB" "SELECT count(*) FROM person_keys") $(db_sql "$DB" "SELECT count(*) FROM journal_rows")" "0 0 0"
expect "verify holds after the kill" 0 fs verify
expect "the import runs again" 0 fs import people "$T/big.csv"
same "every row stored" "$(db_sql "$DB" "SELECT count(*) FROM people")" "$(($(wc -l <"$T/big.csv") - 1))"
expect "verify holds after the retry" 0 fs verify
has "every row bound" "$T/out" "ok:"
finish
