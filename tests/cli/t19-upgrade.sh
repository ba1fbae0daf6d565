#!/bin/sh
# t19 - a database written by the fairshare of schema 14 (tests/data/schema14.sql,
# made by that version: an organization, a person, an incident, a violation, an
# evidence file) opens with this one: migrations add the record's new tables and
# columns, the rows whose shape changed are journaled once ('migrate'), and verify
# holds before and after new work.
. "$(dirname "$0")/lib.sh"
sqlite_only "upgrades an SQLite file written by the schema-14 fairshare (no older PostgreSQL database exists)"
data=$(cd "$(dirname "$0")/../data" && pwd)
{ cat "$data/schema14.sql"; echo "PRAGMA user_version = 14;"; } | sqlite3 "$DB"
cp "$data/schema14.key.hex" "$DB.key"
chmod 600 "$DB.key"
mkdir -p "$DB.evidence/99"
printf 'a court file' >"$DB.evidence/99/997c65b567bdc765ce023c019c36f7b75d55f8cefca2165bd9e906960e7c6a97"
same "an old schema" "$(sqlite3 "$DB" 'PRAGMA user_version')" 14
expect "verify opens and upgrades it" 0 fs verify
has "intact" "$T/out" "ok: "
"$FS_BIN" --db "$T/fresh.db" init >/dev/null 2>&1
same "migrated to this fairshare's schema" "$(sqlite3 "$DB" 'PRAGMA user_version')" "$(sqlite3 "$T/fresh.db" 'PRAGMA user_version')"
same "a schema newer than 14" "$(sqlite3 "$DB" 'PRAGMA user_version' | awk '{print ($1 > 14)}')" 1
expect "the new shape is journaled" 0 fs log --entity incident
has "a migrate entry" "$T/out" "fairshare-migrate migrate incident 1"
# the incident and the evidence item (new columns), the person (re-sealed under a key of their own)
same "once per reshaped row" "$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate'")" 3
expect "open again: nothing more to journal" 0 fs verify
same "still three" "$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate'")" 3
expect "the evidence file is intact" 0 fs evidence verify
expect "new work on the old data" 0 fs action add --kind strike --title "Strike" --started-on 2011-05-26 --handling public
expect "the old incident joins the action" 0 fs incident edit 1 --action-id 1
expect "evidence gets a kind" 0 fs evidence edit 1 --kind court_document
expect "a citation" 0 fs citation add --subject violation --subject-id 1 --evidence-id 1
expect "suggest: documentary proof" 0 fs record suggest
has "r3" "$T/out" "violation 1: not assessed -> r3"
expect "verify after" 0 fs verify
# a row changed behind fairshare's back after the upgrade is still caught
sqlite3 "$DB" "UPDATE incidents SET place = 'elsewhere' WHERE id = 1"
expect "tampering after the upgrade is caught" 65 fs verify
has "named" "$T/err" "incident 1 differs from its journal entry"
finish
