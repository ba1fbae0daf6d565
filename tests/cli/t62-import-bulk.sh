#!/bin/sh
# t62 - the import's bulk load (issue 16, session 25). On SQLite, an import into
# an empty people table drops the table's secondary indexes inside its own
# transaction and builds them once after the load (the unique indexes the dedup
# needs stay); a new person's key is a plain insert. It must store what person
# add stores (rows, seals, the journal binding every row), leave the indexes as
# a fresh database has them, still dedup into a non-empty table, be all or
# nothing under kill -9 wherever it lands (load, index build, commit), and stay
# checked by verify. A row that is tried as new and then matches a stored person
# leaves no key row for the id it tried (both backends). Session 26: duplicates in
# a 12,004-row file, found across every growth of the in-file key set, each named
# with the line first seen (both backends).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/t62/people.sh"
# the people table's indexes as SQLite holds them (names and definitions)
indexes() { sqlite3 "$1" "SELECT name || ' ' || ifnull(sql, '-') FROM sqlite_master WHERE tbl_name = 'people' AND type = 'index' ORDER BY name"; }
orphan_keys="SELECT count(*) FROM person_keys WHERE person_id NOT IN (SELECT id FROM people)"

rows=40
people "$rows" 200000000 >"$T/p.csv"

# ---- the same rows as person add, one by one
fresh_db oneby
tail -n +2 "$T/p.csv" | while IFS=, read -r ext name nid dob phone addr; do
	addr=$(printf '%s' "$addr" | tr -d '"')
	fs person add --external-id "$ext" --full-name "$name" --national-id "$nid" --birth-date "$dob" --phone "$phone" \
		--address "$addr" >/dev/null 2>"$T/adderr" || { echo "# $(cat "$T/adderr")"; break; }
done
ONEBY=$DB
expect "export the one-by-one rows" 0 fs export people --reveal --output "$T/slow.csv"
fresh_db bulk
on_pg || indexes "$DB" >"$T/idx.before"
expect "import into the empty table" 0 fs import people "$T/p.csv"
has "all added" "$T/out" "$rows added"
expect "export the imported rows" 0 fs export people --reveal --output "$T/fast.csv"
same_file "the bulk load stores what person add stores, sealed fields revealed" "$T/slow.csv" "$T/fast.csv"
plain="SELECT id || external_id || full_name || full_name_fold FROM people ORDER BY id"
same "the same plain columns" "$(db_sql "$DB" "$plain" | cksum)" "$(db_sql "$ONEBY" "$plain" | cksum)"
byname="SELECT id FROM people ORDER BY org_id, full_name_fold, full_name, id"
same "the same order by name" "$(db_sql "$DB" "$byname" | cksum)" "$(db_sql "$ONEBY" "$byname" | cksum)"
same "one batch entry binds every row" "$(db_sql "$DB" "SELECT entity || ':' || nrows FROM journal_rows")" "person:$rows"
expect "verify holds" 0 fs verify
if on_pg; then
	skip "the people table's indexes after the load" "SQLite's schema"
	skip "the indexes' content" "SQLite's integrity check"
	skip "the name list reads the index" "SQLite's query plan"
	skip "keys and seals opened with libsodium" "reads the SQLite file"
else
	same "the people table's indexes are those of a fresh database" "$(indexes "$DB")" "$(cat "$T/idx.before")"
	same "the indexes hold every row, in order (integrity_check)" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
	sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT id FROM people WHERE org_id = 1 ORDER BY full_name_fold, full_name" >"$T/plan"
	has "the name list reads the index" "$T/plan" "people_name"
	same "one key per person, all distinct, each seal opens at its place" "$(keys "$DB" "$KEY")" \
		"people $rows keys $rows distinct $rows opened $rows"
fi

# ---- tampering with the loaded rows is caught
c=$(db_clone tamper)
db_sql "$c" "UPDATE people SET full_name = 'Nobody' WHERE id = 7" >/dev/null
expect "a changed row is caught" 65 "$FS_BIN" --db "$c" verify
has "named" "$T/err" "person 7 differs from its journal entry"
c=$(db_clone tamper-seal)
db_sql "$c" "UPDATE people SET sealed = (SELECT sealed FROM people WHERE id = 8) WHERE id = 9" >/dev/null
expect "a seal moved to another row is caught" 65 "$FS_BIN" --db "$c" verify

# ---- into a non-empty table: still deduplicated, against the table and in the file
people 10 200000035 >"$T/more.csv" # five of them (200000035..39) are stored already
printf 'E-900001,Hand Twin,%s,,,\n' "$(sed -n 2p "$T/p.csv" | cut -d, -f3)" >>"$T/more.csv"
expect "import into the non-empty table" 0 fs import people "$T/more.csv"
has "the stored ones matched, the new ones added" "$T/out" "5 added, 6 updated"
same "nobody twice" "$(db_sql "$DB" "SELECT count(*) FROM people") $(db_sql "$DB" "SELECT count(DISTINCT national_id_hash) FROM people")" \
	"$((rows + 5)) $((rows + 5))"
expect "a national ID stored already is refused by person add" 65 fs person add --full-name "Again" \
	--national-id "$(sed -n 3p "$T/p.csv" | cut -d, -f3)"
expect "verify holds" 0 fs verify
on_pg || same "the indexes unchanged" "$(indexes "$DB")" "$(cat "$T/idx.before")"

# ---- a row tried as new that matches a stored person leaves no key for its id
same "no key row without its person" "$(db_sql "$DB" "$orphan_keys")" 0
printf 'external_id,full_name,national_id\nL-1,Last New,\nL-2,Matched Last,%s\n' "$(sed -n 4p "$T/p.csv" | cut -d, -f3)" >"$T/last.csv"
expect "a file whose last row matches a stored person" 0 fs import people "$T/last.csv"
has "one added, one matched" "$T/out" "1 added, 1 updated"
same "no key row for the id it tried" "$(db_sql "$DB" "$orphan_keys")" 0
expect "verify holds" 0 fs verify
if on_pg; then skip "keys after the match" "reads the SQLite file"; else
	keys "$DB" "$KEY" >"$T/keys"
	has "each seal still opens at its place" "$T/keys" "opened"
	has "no two key rows alike" "$T/keys" distinct
fi

# ---- a failed or dry import into an empty table leaves its indexes as they were
fresh_db failed
printf 'external_id,full_name,national_id\nF-1,Fine,\nF-2,,\n' >"$T/bad.csv"
expect "a file with a bad row is refused" 65 fs import people "$T/bad.csv"
expect "a dry run" 0 fs import people "$T/p.csv" --dry-run
same "nothing stored" "$(db_sql "$DB" "SELECT count(*) FROM people") $(db_sql "$DB" "SELECT count(*) FROM person_keys")" "0 0"
on_pg || same "the indexes as before" "$(indexes "$DB")" "$(cat "$T/idx.before")"
expect "--skip-invalid into the empty table" 0 fs import people "$T/bad.csv" --skip-invalid --rejects "$T/rej.csv"
on_pg || same "the indexes built again" "$(indexes "$DB")" "$(cat "$T/idx.before")"
expect "verify holds" 0 fs verify

# ---- duplicates in a large file (session 26): the in-file key set grows many
# times (slots and packed keys, 24,000 keys); each duplicate is still found,
# named with the line first seen, and only the duplicate is refused
fresh_db bigdup
people 12000 400000000 >"$T/dup.csv"
nid9000=$(sed -n 9000p "$T/dup.csv" | cut -d, -f3)
nid6000=$(sed -n 6000p "$T/dup.csv" | cut -d, -f3)
printf 'D-1,Twin Late,%s,,,\nE-400000001,Twin Early,,,,\nD-2,Twin Mid,%s,,,\nD-3,Not A Twin,%s,,,\n' \
	"$nid9000" "$nid6000" "$(people 1 499999999 | sed -n 2p | cut -d, -f3)" >>"$T/dup.csv"
expect "a large file with duplicates is refused" 65 fs import people "$T/dup.csv"
has "a national ID seen 3,000 lines before" "$T/err" "line 12002: national ID: duplicate in file: the same national ID as line 9000"
has "an external_id seen at the top" "$T/err" "line 12003: external_id: duplicate in file: the same external_id as line 3"
has "a national ID seen 6,000 lines before" "$T/err" "line 12004: national ID: duplicate in file: the same national ID as line 6000"
has "three rows refused" "$T/err" "3 of 12004 rows are invalid"
same "nothing stored" "$(db_sql "$DB" "SELECT count(*) FROM people")" 0
expect "--skip-invalid stores the others" 0 fs import people "$T/dup.csv" --skip-invalid --rejects "$T/duprej.csv"
has "12,001 added, 3 rejected" "$T/out" "12001 added, 0 updated, 0 unchanged, 3 rejected"
same "the rejects are the three twins" "$(tail -n +2 "$T/duprej.csv" | cut -d, -f1 | tr '\n' ' ')" "D-1 E-400000001 D-2 "
same "nobody twice" "$(db_sql "$DB" "SELECT count(*), count(DISTINCT national_id_hash), count(DISTINCT external_id) FROM people" | tr '|' ' ')" \
	"12001 12001 12001"
expect "the file again: every row matched, none twice" 0 fs import people "$T/dup.csv" --skip-invalid --rejects "$T/duprej2.csv"
has "all unchanged" "$T/out" "0 added, 0 updated, 12001 unchanged, 3 rejected"
expect "verify holds" 0 fs verify

# ---- kill -9 anywhere: during the load, the index build or the commit
if on_pg; then
	skip "kill -9 during the load and the index build" "reads the SQLite file"
else
	people 8000 300000000 >"$T/big.csv"
	total=$(($(wc -l <"$T/big.csv") - 1))
	for wait_s in 0 0.1 0.3 1; do
		fresh_db "k$wait_s"
		mkfifo "$T/pipe$wait_s"
		"$FS_BIN" --db "$DB" import people "$T/pipe$wait_s" >/dev/null 2>&1 &
		pid=$!
		if [ "$wait_s" = 0 ]; then
			# the load: the pipe stops half-way, the import waits for the rest
			exec 3>"$T/pipe$wait_s"
			head -n 6001 "$T/big.csv" >&3
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			same "killed during the load" "$?" 137
			exec 3>&-
		else
			# the whole file, then a kill at some point after: load, index build,
			# commit or done; whichever, all or nothing
			cat "$T/big.csv" >"$T/pipe$wait_s"
			sleep "$wait_s"
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		fi
		got=$(sqlite3 "$DB" "SELECT count(*) FROM people")
		case $got in
		0) same "killed after ${wait_s}s: nothing stored, no key, no batch" \
			"$(sqlite3 "$DB" "SELECT count(*) FROM person_keys") $(sqlite3 "$DB" "SELECT count(*) FROM journal_rows")" "0 0" ;;
		"$total") same "after ${wait_s}s it had committed: every key and the batch" \
			"$(sqlite3 "$DB" "SELECT count(*) FROM person_keys") $(sqlite3 "$DB" "SELECT sum(nrows) FROM journal_rows")" \
			"$total $total" ;;
		*) notok "killed after ${wait_s}s: $got of $total people stored" ;;
		esac
		same "after ${wait_s}s: the indexes as a fresh database has them" "$(indexes "$DB")" "$(cat "$T/idx.before")"
		same "after ${wait_s}s: the file is whole" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
		expect "after ${wait_s}s: verify holds" 0 fs verify
	done
	expect "the import runs again after a kill" 0 fs import people "$T/big.csv"
	same "every row stored once" "$(sqlite3 "$DB" "SELECT count(*) FROM people")" "$total"
	same "the indexes built" "$(indexes "$DB")" "$(cat "$T/idx.before")"
	expect "verify holds after the retry" 0 fs verify
fi
finish
