#!/bin/sh
# t11 - evidence files: stored by SHA-256 beside the database, a hash-chained
# custody log, tampering and loss detected by 'evidence verify' and 'verify'.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug miners --name "Maden İşçileri" --country TR >/dev/null
printf 'photo of the third stage of the march\n' >"$T/photo.jpg"
printf 'medical report, Dr. A.\n' >"$T/report.pdf"
SUM=$(sha256sum "$T/photo.jpg" | cut -d' ' -f1)
expect "add a file" 0 fs evidence add "$T/photo.jpg" --handling restricted --captured-on 2026-03-14 --description "stage 3, police line" --provided-by "a marcher"
has "named by its SHA-256" "$T/out" "$SUM"
has "the size" "$T/out" "(38 bytes"
expect "stored beside the database" 0 test -f "$EVID/$(echo "$SUM" | cut -c1-2)/$SUM"
expect "stored read-only" 0 sh -c "test \"\$(stat -c %a '$EVID/$(echo "$SUM" | cut -c1-2)/$SUM')\" = 400"
expect "the same content twice is one record" 0 fs evidence add "$T/photo.jpg"
has "said so" "$T/out" "already recorded as evidence 1"
expect "a second file" 0 fs evidence add "$T/report.pdf"
printf 'a file with a bad field' >"$T/bad.jpg"
BAD=$(sha256sum "$T/bad.jpg" | cut -d' ' -f1)
expect "a bad field is refused" 65 fs evidence add "$T/bad.jpg" --kind selfie
expect "and the file is not left in the store" 1 test -e "$EVID/$(echo "$BAD" | cut -c1-2)/$BAD"
expect "default handling is internal" 0 fs --json evidence show 2
has "internal" "$T/out" '"handling": "internal"'
expect "show" 0 fs --json evidence show 1
hasnot "description not shown without --reveal" "$T/out" "police line"
expect "show --reveal" 0 fs --json evidence show 1 --reveal
has "revealed" "$T/out" "stage 3, police line"
has "custody: added" "$T/out" '"event": "added"'
has "custody: viewed" "$T/out" '"event": "viewed"'
expect "description sealed at rest" 1 at_rest "$DB" "police line"
expect "export" 0 fs evidence export 1 "$T/copy.jpg"
expect "exported copy is identical" 0 cmp "$T/photo.jpg" "$T/copy.jpg"
expect "export never overwrites" 65 fs evidence export 1 "$T/copy.jpg"
expect "verify: all intact" 0 fs evidence verify
has "counted" "$T/out" "2 files checked, 2 intact, 0 problems"
expect "custody shows export and verify" 0 fs --json evidence show 1
has "exported" "$T/out" '"event": "exported"'
has "verified" "$T/out" '"event": "verified"'
expect "list" 0 fs evidence list
has "listed" "$T/out" "report.pdf"
expect "edit the description" 0 fs evidence edit 2 --description "medical report of the injured"
expect "the hash cannot be edited" 65 fs evidence edit 2 --sha256 0000000000000000000000000000000000000000000000000000000000000000
expect "evidence is never removed" 65 fs evidence remove 1
expect "no sha256 from outside" 65 fs evidence add "$T/photo.jpg" --sha256 abc
expect "a missing file" 74 fs evidence add "$T/nope.jpg"
has "names the file" "$T/err" "nope.jpg"
expect "a folder is not a file" 65 fs evidence add "$T"
expect "fields for a file recorded already" 65 fs evidence add "$T/report.pdf" --handling public
has "points to edit" "$T/err" "evidence edit 2"
expect "bad handling on a new file" 65 sh -c "printf x >'$T/x.txt'; '$FS_BIN' --db '$DB' evidence add '$T/x.txt' --handling secret"
expect "nothing half-written" 0 fs --json evidence list
same "still two records" "$(grep -c '"sha256"' "$T/out")" 2
expect "verify before tampering" 0 fs verify
expect "backup carries the evidence files" 0 fs backup "$T/b.db"
cp "$KEY" "$T/b.db.key"
expect "the copy is there" 0 test -f "$T/b.db.evidence/$(echo "$SUM" | cut -c1-2)/$SUM"
expect "the backup verifies, files included" 0 "$FS_BIN" --db "$T/b.db" verify
# tamper: alter one file, delete the other
F1="$EVID/$(echo "$SUM" | cut -c1-2)/$SUM"
chmod u+w "$F1"; printf 'edited' >>"$F1"
S2=$(sha256sum "$T/report.pdf" | cut -d' ' -f1)
rm -f "$EVID/$(echo "$S2" | cut -c1-2)/$S2"
expect "evidence verify finds both" 65 fs evidence verify
has "altered named" "$T/out" "evidence 1: the file is altered"
has "missing named" "$T/out" "evidence 2: the file is missing"
expect "adding the same content again does not paper over the altered copy" 65 fs evidence add "$T/photo.jpg"
has "says the stored copy was altered" "$T/err" "has been altered"
expect "verify finds them too" 65 fs verify
has "verify names the file" "$T/err" "evidence 2: the file is missing"
expect "a backup does not carry altered or missing files" 65 fs backup "$T/c.db"
has "and says so" "$T/err" "2 evidence files are missing or altered"
expect "export refuses an altered file" 65 fs evidence export 1 "$T/copy2.jpg"
expect "and leaves nothing behind" 1 test -e "$T/copy2.jpg"
# tamper with the custody log itself
chmod u+w "$F1"; cp "$T/photo.jpg" "$F1"
db_sql "$DB" "UPDATE evidence_custody SET actor='someone else' WHERE seq=1"
expect "custody tampering detected" 65 fs evidence verify
has "event 1 altered" "$T/out" "evidence custody: event 1: does not match its hash"
# every custody event is anchored in the journal: removing the newest events (which
# leaves a valid chain behind) is caught too
db_new anchor
fs init >/dev/null
fs org add --slug oil --name "Oil" --country KZ --currency KZT >/dev/null
printf 'a photo' >"$T/a.jpg"
fs evidence add "$T/a.jpg" >/dev/null
fs evidence show 1 >/dev/null
expect "anchored: intact" 0 fs verify
expect "the journal holds the custody events" 0 fs log --entity evidence
has "custody entries" "$T/out" "custody"
db_sql "$DB" "DELETE FROM evidence_custody WHERE seq = (SELECT max(seq) FROM evidence_custody)"
expect "the newest custody event removed: detected" 65 fs evidence verify
has "named" "$T/out" "evidence custody: event 2: is recorded in the journal but missing from the custody log"
expect "and by verify" 65 fs verify
finish
