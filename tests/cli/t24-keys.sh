#!/bin/sh
# t24-keys - guards of issue 19 around proof and input: key file modes, headers
# and never overwriting one, verify naming a row put back behind fairshare's back,
# duplicates inside one import file, a fairshare_id of another organization, an
# import without an organization, password lengths, and the test harness itself
# (hasnot on a missing file, fuzz replay with nothing to replay, the fuzz
# database removed). (Nonces and rewritten chains: tests/unit/test_guards.c.)
. "$(dirname "$0")/lib.sh"
# flat FILE: the JSON of FILE on one line, without spaces
flat() { tr -d ' \n' <"$1"; }

fs init >/dev/null
fs org add --slug mm --name "Maden" --country TR --currency TRY >/dev/null
export FAIRSHARE_ORG=mm
fs person add --full-name "Grevci 1" >/dev/null

# ---- key files: refused when the group or others can read them ----
for mode in 640 604 644 660 606; do
	chmod "$mode" "$KEY"
	expect "key file mode $mode refused" 77 fs person list
	has "mode $mode: says how" "$T/err" "run: chmod 600"
done
chmod 400 "$KEY"
expect "key file mode 400 accepted" 0 fs person list
chmod 600 "$KEY"
cp "$KEY" "$T/saved.key"
printf 'not-a-key-header\n%064d\n' 0 >"$T/bad.key"
chmod 600 "$T/bad.key"
expect "a file without the key header refused" 78 "$FS_BIN" --db "$DB" --key "$T/bad.key" person list
has "is not a key file" "$T/err" "is not a fairshare key file"
printf 'x\n' >"$T/new.db.key"
chmod 600 "$T/new.db.key"
expect "init does not overwrite an existing key file" 65 env -u FAIRSHARE_ORG -u FAIRSHARE_KEY "$FS_BIN" --db "$T/new.db" init
same "the key file is as it was" "$(cat "$T/new.db.key")" "x"
expect "a new key file is 0600" 0 env -u FAIRSHARE_ORG -u FAIRSHARE_KEY "$FS_BIN" --db "$T/fresh.db" init
same "mode" "$(stat -c %a "$T/fresh.db.key")" 600

# ---- verify: a row put back after its removal was journaled ----
fs person add --full-name "Geçici Kişi" >/dev/null
pid=$(db_sql "$DB" "SELECT max(id) FROM people")
db_sql "$DB" "CREATE TABLE saved AS SELECT * FROM people WHERE id = $pid"
expect "remove" 0 fs person remove "$pid"
db_sql "$DB" "INSERT INTO people SELECT * FROM saved; DROP TABLE saved"
expect "a row put back outside fairshare fails verify" 65 fs verify
has "named" "$T/err" "person $pid has no journal entry"
db_sql "$DB" "DELETE FROM people WHERE id = $pid"
expect "verify again" 0 fs verify

# ---- import: duplicates inside one file, and fairshare_id of another organization ----
printf 'external_id,full_name\nX-1,Ali Kaya\nX-1,Veli Demir\n' >"$T/dup.csv"
expect "the same external_id twice in a file" 65 fs import people "$T/dup.csv"
has "names both lines" "$T/err" "line 3: external_id: duplicate in file: the same external_id as line 2"
expect "nobody renamed" 0 fs person list --json
hasnot "no Veli" "$T/out" "Veli Demir"
hasnot "no Ali" "$T/out" "Ali Kaya"
fs org add --slug other --name "Other" --country TR --currency TRY >/dev/null
printf 'fairshare_id,full_name\n1,Renamed By Other\n' >"$T/cross.csv"
expect "a fairshare_id of another organization" 65 fs --org other import people "$T/cross.csv"
has "no such person here" "$T/err" "there is no person with this fairshare_id in the organization"
expect "person 1 unchanged" 0 fs person show 1
has "still Grevci 1" "$T/out" "Grevci 1"
expect "an import with no organization" 65 env -u FAIRSHARE_ORG "$FS_BIN" --db "$DB" import people "$T/dup.csv"
has "asks for one" "$T/err" "organization"
# a file with nothing else wrong: only the missing organization refuses it (several exist)
printf 'external_id,full_name\nN-1,Kimsesiz Kişi\n' >"$T/noorg.csv"
expect "a good file with no organization" 65 env -u FAIRSHARE_ORG "$FS_BIN" --db "$DB" import people "$T/noorg.csv"
has "says to choose one" "$T/err" "choose one with --org"
expect "nobody added" 0 fs person list --json
hasnot "no Kimsesiz" "$T/out" "Kimsesiz"

# ---- passwords: 10 to 256 characters, on add and on change ----
p9=123456789
p10=1234567890
p256=$(printf '%0256d' 7)
p257=$(printf '%0257d' 7)
expect "a password of 9 refused" 65 env FAIRSHARE_PASSWORD=$p9 "$FS_BIN" --db "$DB" user add u9
expect "a password of 10 accepted" 0 env FAIRSHARE_PASSWORD=$p10 "$FS_BIN" --db "$DB" user add u10
expect "a password of 256 accepted" 0 env FAIRSHARE_PASSWORD=$p256 "$FS_BIN" --db "$DB" user add u256
expect "a password of 257 refused" 65 env FAIRSHARE_PASSWORD=$p257 "$FS_BIN" --db "$DB" user add u257
expect "a changed password of 9 refused" 65 env FAIRSHARE_PASSWORD=$p9 "$FS_BIN" --db "$DB" user passwd u10
has "says how long" "$T/err" "10 to 256 characters"

# ---- the test harness itself ----
out=$(n=0 fails=0; hasnot "probe" "$T/no-such-file" "text")
case $out in "not ok"*) ok "hasnot: a missing file is not ok" ;; *) notok "hasnot: a missing file is not ok (got '$out')" ;; esac
out=$(n=0 fails=0; hasnot "probe" "$T" "text")
case $out in "not ok"*) ok "hasnot: a directory is not ok" ;; *) notok "hasnot: a directory is not ok (got '$out')" ;; esac
printf 'other\n' >"$T/probe"
out=$(n=0 fails=0; hasnot "probe" "$T/probe" "text")
case $out in "ok "*) ok "hasnot: a file without the text is ok" ;; *) notok "hasnot: a file without the text is ok (got '$out')" ;; esac
fuzzdir=$(dirname "$FS_BIN")/fuzz
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$T/nofindings" "$T/tmp"
expect "replay of an empty findings folder" 0 "$fuzzdir/fuzz_csv_replay" "$T/nofindings"
has "is a skip, not a pass" "$T/out" "ok 1 - $T/nofindings: nothing to replay # SKIP"
expect "replay of a missing folder fails" 1 "$fuzzdir/fuzz_csv_replay" "$T/no-such-folder"
has "says so" "$T/out" "not ok 1 - $T/no-such-folder: missing"
expect "import replay" 0 env TMPDIR="$T/tmp" "$fuzzdir/fuzz_import_replay" "$here/fuzz/corpus/import"
has "replayed" "$T/out" "inputs replayed"
same "leaves no database or key file behind" "$(ls -A "$T/tmp")" ""
env TMPDIR="$T/no-such-folder" "$fuzzdir/fuzz_import_replay" "$here/fuzz/corpus/import/basic.csv" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then ok "the import target makes its database under TMPDIR"; else notok "the import target makes its database under TMPDIR (it ignored TMPDIR)"; fi

finish
