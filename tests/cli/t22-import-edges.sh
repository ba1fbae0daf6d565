#!/bin/sh
# t22 - import edges (issue 13): files as unions have them (Windows-1254/1251 with ';',
# UTF-16 "Unicode text" with tabs, byte-order marks, --encoding and the encodings
# suggested for a file that is not UTF-8), reports that are always valid UTF-8 (CLI
# --json and HTTP), the rejects file imported again as it is, unnamed empty columns,
# an exact formula guard, read commands that never write, bidi controls and forged
# actor names refused, and clear errors for bad databases, keys, cells and dates.
. "$(dirname "$0")/lib.sh"

fs init >/dev/null
fs org add --slug miners --name "Maden" --country TR --currency TRY >/dev/null
fs employer add --name "Kömür A.Ş." >/dev/null
fs workplace add --employer-id 1 --name "Karadere Ocağı" --kind mine >/dev/null
export FAIRSHARE_ORG=miners
count() { fs person list --json | grep -o '"total": [0-9]*' | grep -o '[0-9]*$'; }
# json_ok FILE EXPR: FILE is JSON and the Python expression over it (as j) is true
json_ok() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1], encoding="utf-8", errors="strict")); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
jcheck() { # jcheck NAME FILE EXPR
	if json_ok "$2" "$3" 2>/dev/null; then ok "$1"; else notok "$1"; echo "#   $3 is false for:"; head -c 600 "$2" | sed 's/^/#   /'; echo; fi
}

# ---- files as unions have them ----
printf 'Sicil No;Ad Soyad;Doğum Tarihi;Ücret;İşe Giriş;İşyeri\r\nT-1;Şükrü İlder;15.03.1965;1.850,50;2011/12/15;Karadere Ocağı\r\nT-2;Ayşe Çelik;1970-01-01;1200;2010-09-15;Karadere Ocağı\r\n' >"$T/u8.csv"
iconv -f UTF-8 -t WINDOWS-1254 "$T/u8.csv" >"$T/tr1254.csv"
expect "windows-1254 without --encoding is refused" 65 fs import people "$T/tr1254.csv"
has "which encodings read it" "$T/err" "it reads cleanly as windows-1254, iso-8859-9: import it with the encoding windows-1254 (--encoding windows-1254)"
has "the bad column named, its bytes repaired" "$T/err" "line 1, column 3 (Do?um Tarihi): column name is not valid UTF-8 text"
same "nothing stored" "$(count)" 0
expect "the same file --json" 65 fs import people "$T/tr1254.csv" --json
jcheck "json report keeps every error (errors_total = len(errors))" "$T/out" \
	'j["errors_total"] == 4 and len(j["errors"]) == 4 and j["errors"][0]["field"] == "Do?um Tarihi"'
jcheck "json report suggests the encodings and names the separator" "$T/out" \
	'j["suggested_encodings"] == "windows-1254, iso-8859-9" and j["separator"] == ";" and j["encoding"] == "UTF-8"'
expect "windows-1254 with --encoding" 0 fs import people "$T/tr1254.csv" --encoding windows-1254
has "read as windows-1254, ';'" "$T/out" "2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected; employments: 2 added, 0 updated (read as WINDOWS-1254) (separated by ';')"
expect "names stored as UTF-8" 0 fs person list --json
has "Turkish letters intact" "$T/out" '"full_name": "Şükrü İlder"'
expect "employment from Turkish headers" 0 fs employment list --person-id 1 --json
has "2011/12/15 is a date (year first)" "$T/out" '"hired": "2011-12-15"'
has "wage from 'Ücret'" "$T/out" '"wage_minor": 185050'
expect "importing it again changes nothing" 0 fs import people "$T/tr1254.csv" --encoding WINDOWS-1254
has "nobody twice" "$T/out" "0 added, 0 updated, 2 unchanged"

# UTF-16LE "Unicode text" (tabs, BOM), as Excel saves it; and UTF-16BE with a BOM
{ printf '\377\376'; sed 's/;/\t/g; s/T-/U-/; s/T-/U-/; s/Şükrü/Şükran/; s/Ayşe/Ayten/' "$T/u8.csv" | iconv -f UTF-8 -t UTF-16LE; } >"$T/u16le.txt"
expect "UTF-16LE with a byte-order mark and tabs" 0 fs import people "$T/u16le.txt"
has "read as UTF-16LE, tabs" "$T/out" "2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected; employments: 2 added, 0 updated (read as UTF-16LE) (separated by tabs)"
{ printf '\376\377'; printf 'full_name,phone\nВасилий Теркин,1\n' | iconv -f UTF-8 -t UTF-16BE; } >"$T/u16be.csv"
expect "UTF-16BE with a byte-order mark" 0 fs import people "$T/u16be.csv"
has "read as UTF-16BE" "$T/out" "1 rows: 1 added"
expect "the UTF-16BE name is stored right" 0 fs person list --json --limit 100
has "Cyrillic intact" "$T/out" "Василий Теркин"
expect "a BOM and a contradicting --encoding" 65 fs import people "$T/u16le.txt" --encoding windows-1251
has "says which" "$T/err" "the file starts with a UTF-16LE byte-order mark, but the encoding given is WINDOWS-1251"

# Russian Windows-1251 with ';' and a Ф.И.О. header; KOI8-R; Kazakh headers in UTF-8 with a BOM
printf 'Ф.И.О.;Адрес;Зарплата;Дата приёма;Место работы\r\nИванов Иван Иванович;Москва, ул. Ленина;150000;2015-01-01;1\r\nПетрова Анна Сергеевна;Тула;120000;2016-02-03;1\r\n' >"$T/ru.csv"
iconv -f UTF-8 -t WINDOWS-1251 "$T/ru.csv" >"$T/ru1251.csv"
expect "windows-1251 without --encoding" 65 fs import people "$T/ru1251.csv" --dry-run
has "suggests windows-1251 alone" "$T/err" "it reads cleanly as windows-1251: import it with the encoding windows-1251"
expect "windows-1251 with --encoding" 0 fs import people "$T/ru1251.csv" --encoding windows-1251 --dry-run
has "read as windows-1251" "$T/out" "2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected; employments: 2 added, 0 updated (read as WINDOWS-1251)"
iconv -f UTF-8 -t KOI8-R "$T/ru.csv" >"$T/koi8.csv"
expect "koi8-r without --encoding" 65 fs import people "$T/koi8.csv" --dry-run
has "suggests koi8-r" "$T/err" "it reads cleanly as koi8-r"
hasnot "not windows-1251 for KOI8-R" "$T/err" "cleanly as windows-1251"
expect "koi8-r with --encoding" 0 fs import people "$T/koi8.csv" --encoding koi8-r --dry-run
printf '\357\273\277Ф. И. О.;Мекен-жайы;Жалақы;Жұмысқа қабылданған күні;Жұмыс орны;Лауазымы\r\nҚасымов Жанболат;Алматы;150000;2015-01-01;1;Кенші\r\n' >"$T/kz.csv"
expect "Kazakh headers (Ф.И.О., Мекен-жайы, Жалақы, Жұмысқа қабылданған күні)" 0 fs import people "$T/kz.csv" --dry-run
has "all columns understood" "$T/out" "1 rows: 1 added, 0 updated, 0 unchanged, 0 rejected; employments: 1 added"
printf 'Adı Soyadı;T.C. Kimlik No;Maaş;İşe Başlama Tarihi;İş Yeri\r\nDeniz Er;10000000146;2000;2020-01-01;1\r\n' >"$T/tr2.csv"
expect "Turkish variants (T.C. Kimlik No, Maaş, İşe Başlama Tarihi)" 0 fs import people "$T/tr2.csv" --dry-run
printf 'Ф.И.О.;Адрес проживания;Заработная плата;Дата приема на работу;Место работы\r\nСидоров Петр;Омск;100;2015-01-01;1\r\n' >"$T/ru2.csv"
expect "Russian variants (Заработная плата, Дата приема на работу)" 0 fs import people "$T/ru2.csv" --dry-run

# separators: explicit, a comma inside quotes does not count, unknown names refused
printf 'full_name;phone;address\n"Kaya, Ali";1;"A, B"\n' >"$T/semi.csv"
expect "';' found although quoted fields hold commas" 0 fs import people "$T/semi.csv" --dry-run
has "separated by ';'" "$T/out" "(separated by ';')"
printf 'full_name\tphone\nAli Tab\t1\n' >"$T/tab.csv"
expect "--separator tab" 0 fs import people "$T/tab.csv" --separator tab --dry-run
expect "--separator comma on a tab file: one unknown column" 65 fs import people "$T/tab.csv" --separator comma --dry-run
expect "--separator nonsense" 64 fs import people "$T/tab.csv" --separator pipe
has "names the choices" "$T/err" "use auto, comma, semicolon or tab"
expect "--encoding nonsense" 65 fs import people "$T/tab.csv" --encoding klingon-8
has "unknown encoding" "$T/err" "unknown encoding 'klingon-8'"
printf 'full_name;phone\nA\201li;1\n' >"$T/undef1254.csv"
expect "a byte windows-1254 does not define" 65 fs import people "$T/undef1254.csv" --encoding windows-1254
has "says which byte" "$T/err" "line 2: byte 18 (0x81) is not WINDOWS-1254 text"

# UTF-16 without its byte-order mark: NUL bytes, named as such, and --encoding utf-16le reads it
printf 'full_name,phone\r\nAyşe Nul,1\r\n' | iconv -f UTF-8 -t UTF-16LE >"$T/u16nobom.csv"
expect "UTF-16LE without a BOM" 65 fs import people "$T/u16nobom.csv" --json
jcheck "every header error kept, each naming the NUL byte and utf-16le" "$T/out" \
	'j["errors_total"] == len(j["errors"]) >= 1 and all("NUL byte" in e["message"] and "utf-16le" in e["message"] for e in j["errors"])'
expect "--encoding utf-16le reads it" 0 fs import people "$T/u16nobom.csv" --encoding utf-16le --dry-run
has "one row" "$T/out" "1 rows: 1 added"

# ---- the report is valid UTF-8 whatever the file holds ----
cyr=$(printf 'жжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжжж')
printf 'full_name,workplace,hired\nAli,Z%s,2000-01-01\n' "$cyr" >"$T/cut.csv"
expect "a long Cyrillic value quoted in an error" 65 fs import people "$T/cut.csv" --json
jcheck "the error is kept, cut on a character boundary" "$T/out" \
	'j["errors_total"] == 1 and len(j["errors"]) == 1 and "there is no workplace named" in j["errors"][0]["message"]'

# ---- the rejects file imports again as it is ----
printf 'external_id,full_name,birth_date,workplace,hired,terminated,reason\nR-1,Rıza Ok,1970-01-01,1,2000-01-01,2011-08-31,closure\nR-2,Remzi Ak,31/12/1970,1,2000-01-01,2011-08-31,closure\n' >"$T/r.csv"
# a rejects file that cannot be written (a full disk): nothing imported, said so;
# a device named as the file keeps its mode
people_before=$(db_sql "$DB" "SELECT count(*) FROM people")
if [ -w /dev/full ]; then
	full_mode=$(stat -c %a /dev/full)
	expect "rejects to a full disk" 74 fs import people "$T/r.csv" --skip-invalid --rejects /dev/full
	has "says the rejects could not be written" "$T/err" "cannot write the rejected rows to the rejects file"
	has "says nothing was imported" "$T/err" "nothing was imported"
	same "nothing imported" "$(db_sql "$DB" "SELECT count(*) FROM people")" "$people_before"
	same "/dev/full keeps its mode" "$(stat -c %a /dev/full)" "$full_mode"
else
	skip "rejects to a full disk" "no /dev/full"
fi
expect "skip-invalid writes rejects" 0 fs import people "$T/r.csv" --skip-invalid --rejects "$T/rej.csv"
has "the rejects file's own column" "$T/rej.csv" "external_id,full_name,birth_date,workplace,hired,terminated,reason,import_error"
has "the original reason kept" "$T/rej.csv" "R-2,Remzi Ak,31/12/1970,1,2000-01-01,2011-08-31,closure,"
sed 's|31/12/1970|1970-12-31|' "$T/rej.csv" >"$T/fixed.csv"
expect "the fixed rejects file imports as it is" 0 fs import people "$T/fixed.csv"
has "one added" "$T/out" "1 rows: 1 added, 0 updated, 0 unchanged, 0 rejected; employments: 1 added"
expect "the employment has its termination reason" 0 fs employment list --json
has "reason came from 'reason', not from import_error" "$T/out" '"termination_reason": "closure"'
expect "rejected again: one import_error column" 0 fs import people "$T/rej.csv" --skip-invalid --rejects "$T/rej2.csv"
same "no second import_error column" "$(head -n 1 "$T/rej2.csv" | tr -d '\r')" "external_id,full_name,birth_date,workplace,hired,terminated,reason,import_error"
expect "--map reason=- skips the reason" 0 fs import people "$T/fixed.csv" --map reason=- --dry-run

# ---- a trailing empty column (a,b, as Excel writes) ----
before=$(count)
printf 'full_name,phone,\r\nAyla Boş,1,\r\nBora Boş,2\r\n' >"$T/trail.csv"
expect "a,b, is accepted" 0 fs import people "$T/trail.csv"
has "both rows" "$T/out" "2 rows: 2 added"
same "two more people" "$(count)" $((before + 2))
printf 'full_name,phone,\r\nCem Dolu,1,secret\r\n' >"$T/trail2.csv"
expect "a value under no column name" 65 fs import people "$T/trail2.csv"
has "says where and what" "$T/err" "line 2, column 3 ((no name)): holds 'secret' but the column has no name in the header line"
expect "--map '=-' skips the unnamed column" 0 fs import people "$T/trail2.csv" --map '=-' --dry-run

# ---- the formula guard round-trips exactly ----
fs person add --full-name "Guard One" --external-id "'=literal" >/dev/null
fs person add --full-name "Guard Two" --external-id "=SUM(A1)" >/dev/null
fs person add --full-name "Guard Three" --external-id "'plain" >/dev/null
fs person add --full-name "Guard Four" --external-id "''-5" >/dev/null
fs export people --output "$T/export.csv"
has "'=literal gets one more apostrophe" "$T/export.csv" "\"''=literal\""
has "=SUM gets one" "$T/export.csv" "\"'=SUM(A1)\""
has "'plain is left alone" "$T/export.csv" ",'plain,"
expect "export -> import changes nothing" 0 fs import people "$T/export.csv"
has "all unchanged" "$T/out" "0 added, 0 updated"
expect "the values are exactly as entered" 0 fs person list --json --limit 100
has "'=literal" "$T/out" "\"external_id\": \"'=literal\""
has "=SUM(A1)" "$T/out" '"external_id": "=SUM(A1)"'
has "'plain" "$T/out" "\"external_id\": \"'plain\""
has "''-5" "$T/out" "\"external_id\": \"''-5\""

# ---- clear errors ----
huge=$(head -c 70000 /dev/zero | tr '\0' 'a')
printf 'phone,full_name\n1,%s\n' "$huge" >"$T/big.csv"
expect "a 70,000-byte cell" 65 fs import people "$T/big.csv"
has "the column, not a byte offset" "$T/err" "line 2, column 2: field longer than the limit of 65536 bytes"
printf 'full_name,phone\nA\000li,1\n' >"$T/nul.csv"
expect "a NUL byte" 65 fs import people "$T/nul.csv"
has "called a NUL byte" "$T/err" "line 2, column 1 (full_name): holds a NUL byte (byte 2)"
hasnot "not called bad UTF-8" "$T/err" "not valid UTF-8"
expect "2011/12/15 on the command line" 0 fs person add --full-name "Tarih Yıl" --birth-date 2011/12/15
expect "31/12/1970 stays ambiguous" 65 fs person add --full-name "Tarih Gün" --birth-date 31/12/1970
has "ambiguous" "$T/err" "is ambiguous (day/month order)"
mkdir "$T/dir.db"
expect "a directory as the database" 65 "$FS_BIN" --db "$T/dir.db" summary
has "says it is a directory" "$T/err" "is a directory, not a database file"
expect "/dev/null as the database" 65 "$FS_BIN" --db /dev/null summary
has "says it is not a regular file" "$T/err" "/dev/null is not a regular file"
hasnot "no disk I/O error" "$T/err" "disk I/O error"
mkdir "$T/keydir"
expect "--key names a directory" 78 fs --key "$T/keydir" person show 1 --reveal
has "says it is a directory" "$T/err" "is a directory, not a key file"
hasnot "not a permissions story" "$T/err" "can be read by other users"

# ---- a read command never writes ----
: >"$T/empty.db"
expect "summary on a 0-byte file" 65 "$FS_BIN" --db "$T/empty.db" summary
has "says it is empty" "$T/err" "is empty: not a fairshare database"
expect "person list on a 0-byte file" 65 "$FS_BIN" --db "$T/empty.db" --org x person list
expect "person add on a 0-byte file" 65 "$FS_BIN" --db "$T/empty.db" --org x person add --full-name X
same "the file is still empty" "$(wc -c <"$T/empty.db" | tr -d ' ')" 0
expect "init takes the empty file" 0 env -u FAIRSHARE_ORG -u FAIRSHARE_KEY "$FS_BIN" --db "$T/empty.db" init
h() { db_sum; }
for cmd in "summary" "person list" "person show 1 --reveal" "claims list" "watch" "fund list" "export people --reveal" \
	"log" "verify" "user list" "record duplicates" "backup $T/bk.db"; do
	a=$(h)
	# shellcheck disable=SC2086
	fs $cmd >/dev/null 2>&1
	same "'$cmd' leaves the database as it was" "$(h)" "$a"
done
if on_pg; then
	skip "read-only database checks" "the modes of an SQLite file (on PostgreSQL: serve --read-only, t42-pg-standby)"
elif command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	# a database file this user may read but not change, in a folder it may write
	# (root ignores modes: run as nobody)
	mkdir "$T/ro" && cp "$DB" "$DB.key" "$T/ro/" && chmod 755 "$T" && chmod 644 "$T/ro/fs.db" &&
		chown nobody "$T/ro" "$T/ro/fs.db.key"
	mkdir "$T/out-nobody" && chown nobody "$T/out-nobody"
	nb() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$FS_BIN" --db "$T/ro/fs.db" "$@"; }
	for cmd in "summary" "person list" "export people" "log" "verify" "backup $T/out-nobody/b.db"; do
		# shellcheck disable=SC2086
		expect "'$cmd' works on a read-only database" 0 nb $cmd
	done
	# a folder this user may not write: WAL readers need DB-shm there; say so
	mkdir "$T/rodir" && cp "$DB" "$DB.key" "$T/rodir/" && chmod 755 "$T/rodir" && chmod 644 "$T/rodir/fs.db" &&
		chown nobody "$T/rodir/fs.db.key"
	expect "a read in a folder this user cannot write" 77 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$FS_BIN" --db "$T/rodir/fs.db" summary
	has "says what a reader needs" "$T/err" "a reader must be able to create $T/rodir/fs.db-wal and $T/rodir/fs.db-shm beside it"
	printf 'full_name\nAli Salt\n' >"$T/ro.csv" && chmod 644 "$T/ro.csv"
	expect "an import into a read-only database" 77 nb import people "$T/ro.csv"
	has "says the database is read-only" "$T/err" "the database $T/ro/fs.db is read-only for this user"
	hasnot "not 'cannot store the row'" "$T/err" "cannot store the row"
else
	ok "# skip read-only database checks need root and setpriv"
fi

# ---- bidi controls and forged actors ----
expect "a name with U+202E" 65 fs person add --full-name "$(printf 'Ali \342\200\256zilyaK')"
has "refused with the code point" "$T/err" "contains the invisible direction control U+202E"
expect "an external_id with U+2066" 65 fs person add --full-name "Isolate" --external-id "$(printf 'A\342\201\246B')"
has "U+2066 too" "$T/err" "U+2066"
expect "an org name with U+202A" 65 fs org add --slug bidi --name "$(printf 'Kötü \342\200\252Org')" --country TR --currency TRY
printf 'full_name\nA\342\200\256B\n' >"$T/bidi.csv"
expect "an imported name with U+202E" 65 fs import people "$T/bidi.csv"
has "the row is refused" "$T/err" "line 2, column 1 (full_name): contains the invisible direction control U+202E"
expect "--as with a newline" 65 fs --as "$(printf 'bob\n   42  2026-01-01T00:00:00Z  admin  create person 1')" person add --full-name "Forger"
has "refused" "$T/err" "the actor name contains a control character"
expect "\$FAIRSHARE_ACTOR with a carriage return" 65 env FAIRSHARE_ACTOR="$(printf 'eve\rmallory')" "$FS_BIN" --db "$DB" person list
expect "\$FAIRSHARE_ACTOR with U+202E" 65 env FAIRSHARE_ACTOR="$(printf 'eve\342\200\256x')" "$FS_BIN" --db "$DB" person list
hasnot "nobody named Forger" "$(fs person list --json --limit 200 >"$T/all.json"; echo "$T/all.json")" "Forger"

# ---- HTTP: the same choices and the same reports ----
export FAIRSHARE_PASSWORD=import-edges-pw
fs user add importer --role admin >/dev/null
unset FAIRSHARE_PASSWORD
token=$("$FS_BIN" --db "$DB" user token importer)
start_server 22
post() { # post NAME WANT QUERY FILE
	got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
		--data-binary @"$4" "$B/orgs/miners/people/import$3")
	same "$1 (HTTP)" "$got" "$2"
}
post "windows-1254 upload without an encoding" 422 "?dry_run=1" "$T/tr1254.csv"
jcheck "HTTP report keeps every error and suggests windows-1254" "$T/body" \
	'j["errors_total"] == 4 and len(j["errors"]) == 4 and j["suggested_encodings"].startswith("windows-1254")'
post "windows-1254 upload with encoding and separator" 200 "?dry_run=1&encoding=windows-1254&separator=semicolon" "$T/tr1254.csv"
jcheck "read as windows-1254" "$T/body" 'j["encoding"] == "WINDOWS-1254" and j["separator"] == ";" and j["rows"] == 2'
post "UTF-16 upload" 200 "?dry_run=1" "$T/u16le.txt"
post "a cut Cyrillic value" 422 "" "$T/cut.csv"
jcheck "HTTP keeps the error" "$T/body" 'j["errors_total"] == 1 and len(j["errors"]) == 1'
post "an unknown separator" 400 "?separator=pipe" "$T/tab.csv"
has "invalid_parameter" "$T/body" '"field":"separator"'
post "an unknown encoding" 400 "?encoding=klingon-8" "$T/tab.csv"
has "names the encoding" "$T/body" "unknown encoding 'klingon-8'"
curl -s -o "$T/body" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d "{\"full_name\":\"$(printf 'Ali \342\200\256zilyaK')\"}" "$B/orgs/miners/people"
has "HTTP refuses a bidi override in a name" "$T/body" "U+202E"
kill -TERM "$server"
wait "$server"

finish
