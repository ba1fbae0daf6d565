#!/bin/sh
# t67 - PostgreSQL: a failing statement and its transaction, and forgetting on
# disk (#15). Only the changes the core expects may fail (an import's insert tried
# first, its conflict then matched or rejected) run in a savepoint: the import goes
# on after them and stores the other rows. Any other failing statement fails its
# whole transaction: nothing of it is stored, the error says why, and the next
# command works. `person forget` rewrites the tables it changed: the wrapped key's
# bytes, present in the database's files before, are in none of them after (plain
# VACUUM would leave them in the pages' free space: doc/postgres.md, Forgetting).
FS_TEST_DB=postgres
. "$(dirname "$0")/lib.sh"
q() { psql -X -At -d "$FS_PG_DB" -c "$1"; }
count() { q "SELECT count(*) FROM $1"; }

fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm

# ---- conflicts the import expects: in a savepoint, the import goes on
printf 'full_name,national_id\nAli Kaya,10000000146\nVeli Can,10000000078\n' >"$T/two.csv"
expect "an import" 0 fs import people "$T/two.csv"
expect "the same file again: each insert conflicts, is matched" 0 fs import people "$T/two.csv"
has "and nobody is added twice" "$T/out" "0 added, 0 updated, 2 unchanged"
same "two people" "$(count people)" 2
# a conflict no row of the file can be matched with (a unique key refused by the
# database itself): that row rejected, the rows after it stored
q "CREATE FUNCTION t67_dup() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF NEW.full_name = 'Dup Row' THEN
	RAISE unique_violation USING MESSAGE = 't67: taken'; END IF; RETURN NEW; END \$\$;
	CREATE TRIGGER t67_dup BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION t67_dup()" >/dev/null
printf 'full_name\nFirst One\nDup Row\nThird One\n' >"$T/dup.csv"
expect "a row whose insert conflicts and matches nobody" 0 fs import people "$T/dup.csv" --skip-invalid --rejects "$T/rej.csv"
has "is rejected" "$T/rej.csv" "Dup Row"
same "the rows before and after it stored" "$(q "SELECT string_agg(full_name, ',' ORDER BY id) FROM people WHERE id > 2")" "First One,Third One"
expect "without --skip-invalid" 65 fs import people "$T/dup.csv"
has "the row is named" "$T/err" "line 3"
same "and nothing is imported" "$(count people)" 4
q "DROP TRIGGER t67_dup ON people" >/dev/null

# ---- any other failing statement fails its transaction, and nothing of it stays
q "CREATE FUNCTION t67_boom() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
	RAISE EXCEPTION 't67: the journal refuses'; END \$\$;
	CREATE TRIGGER t67_boom BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION t67_boom()" >/dev/null
people=$(count people) entries=$(count journal)
expect "a person whose journal entry fails" 75 fs person add --full-name "Never Stored"
has "says why" "$T/err" "t67: the journal refuses"
same "the person's row, inserted before, is not stored" "$(count people)" "$people"
same "nor any entry" "$(count journal)" "$entries"
printf 'full_name\nAhmet Ok\nMehmet Ok\n' >"$T/new.csv"
expect "an import whose journal fails (not a conflict: not the row's fault)" 75 fs import people "$T/new.csv"
same "stores nothing" "$(count people)" "$people"
q "DROP TRIGGER t67_boom ON journal" >/dev/null
expect "the next command works" 0 fs person add --full-name "Stored Now"
same "one more person" "$(count people)" $((people + 1))
expect "verify" 0 fs verify

# ---- forget: the wrapped key's old versions rewritten away
fs person add --full-name "Tamara Qilich" --national-id 10000000214 --address QQ-person-address >/dev/null
id=$(q "SELECT max(id) FROM people")
wrapped=$(q "SELECT encode(wrapped, 'hex') FROM person_keys WHERE person_id = $id")
same "the person has a wrapped key" "$([ ${#wrapped} -ge 64 ] && echo yes)" yes
pg_files_have "$wrapped" && ok "its bytes are in the database's files (the check sees them)" || notok "its bytes are in the database's files (the check sees them)"
FAIRSHARE_PASSWORD=officer-pass-a fs user add officer-a --role organizer >/dev/null
expect "forget" 0 fs --as officer-a person forget "$id" --reason "asked in writing, letter 2026-12-01"
same "the key is destroyed in the live row" "$(q "SELECT wrapped IS NULL FROM person_keys WHERE person_id = $id")" t
pg_files_have "$wrapped" && notok "its bytes are in none of the database's files" || ok "its bytes are in none of the database's files"
expect "verify after" 0 fs verify
# a rewrite that failed or never ran (the process died after the commit): the old
# version of the key row is back in the files (psql), and forgetting again rewrites it
q "UPDATE person_keys SET wrapped = decode('$wrapped', 'hex') WHERE person_id = $id; UPDATE person_keys SET wrapped = NULL WHERE person_id = $id" >/dev/null
pg_files_have "$wrapped" && ok "an old version left unrewritten is in the files" || notok "an old version left unrewritten is in the files"
fs --as officer-a person forget "$id" --reason "the rewrite again" >"$T/out" 2>"$T/err"
grep -q "forgotten already" "$T/err" && ok "forgetting again says it was forgotten already" || notok "forgetting again says it was forgotten already"
pg_files_have "$wrapped" && notok "forgetting again rewrites the old version away" || ok "forgetting again rewrites the old version away"
finish
