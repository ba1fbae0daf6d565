#!/bin/sh
# t02 - CSV import and export of people: every bad-input path, atomicity,
# --skip-invalid, re-import without duplicates, formula-safe export.
. "$(dirname "$0")/lib.sh"

fs init >/dev/null
fs org add --slug miners --name "Maden" --country TR --currency TRY >/dev/null
fs employer add --name "Kömür A.Ş." >/dev/null
fs workplace add --employer-id 1 --name "Karadere Ocağı" --kind mine >/dev/null
count() { fs person list --json | grep -o '"total": [0-9]*' | grep -o '[0-9]*$'; }

# a good file: BOM, CRLF, quoted comma, Turkish headers, employment columns
printf '\357\273\277Sicil No,Ad Soyad,TC Kimlik No,Doğum Tarihi,Telefon,workplace,hired,terminated,reason,wage,benefits,underground\r\n' >"$T/good.csv"
printf 'W-1,"Kaya, Ali",10000000146,15.03.1965,+90 555 000 11 22,Karadere Ocağı,1990-05-02,2011-08-31,closure,"1.850,50",300,evet\r\n' >>"$T/good.csv"
printf 'W-2,Şükrü İlder,10000000078,1970-01-01,,Karadere Ocağı,2010-09-15,2011-08-31,closure,1200,150,hayır\r\n' >>"$T/good.csv"
expect "import good file" 0 fs import people "$T/good.csv"
has "two added" "$T/out" "2 rows: 2 added"
has "two employments" "$T/out" "employments: 2 added"
same "two people" "$(count)" 2
expect "import again" 0 fs import people "$T/good.csv"
has "nobody twice" "$T/out" "0 added, 0 updated, 2 unchanged"
same "still two people" "$(count)" 2
sed 's/Şükrü İlder/Şükrü Ilder/' "$T/good.csv" >"$T/changed.csv"
expect "changed row is an update" 0 fs import people "$T/changed.csv"
has "one updated" "$T/out" "1 updated"
expect "employment stored from csv" 0 fs employment list --person-id 1 --json
has "wage in minor units" "$T/out" '"wage_minor": 185050'
has "underground yes" "$T/out" '"underground": true'

bad() { # bad NAME FILE TEXT-EXPECTED-IN-STDERR
	expect "$1: rejected" 65 fs import people "$2"
	has "$1: explained" "$T/err" "$3"
	same "$1: nothing stored" "$(count)" 2
}
printf 'full_name,phone\n"never closed,1\n' >"$T/b1.csv"
bad "malformed csv" "$T/b1.csv" "line 2: a quoted field is never closed"
printf 'full_name,shoe_size\nAli,44\n' >"$T/b2.csv"
bad "unknown column" "$T/b2.csv" "line 1, column 2 (shoe_size): unknown column 'shoe_size'"
expect "unknown column can be mapped away" 0 fs import people "$T/b2.csv" --map shoe_size=- --dry-run
has "dry run says so" "$T/out" "dry run"
same "dry run stores nothing" "$(count)" 2
printf 'full_name,birth_date\nAli,1970-13-01\nVeli,1970-01-01\n' >"$T/b3.csv"
bad "bad date" "$T/b3.csv" "line 2, column 2 (birth_date): '1970-13-01' is not a valid calendar date"
printf 'full_name,phone\nAli Kaya,1\nAl\375 Kaya,2\n' >"$T/b4.csv"
bad "wrong encoding" "$T/b4.csv" "line 3, column 1 (full_name): is not valid UTF-8"
printf 'full_name,national_id\nA,10000000214\nB,10000000214\n' >"$T/b5.csv"
bad "duplicate in file" "$T/b5.csv" "line 3: national ID: duplicate in file: the same national ID as line 2"
printf 'external_id,full_name\nX-1,\nX-2,Veli\n' >"$T/b6.csv"
bad "missing required field" "$T/b6.csv" "line 2, column 2 (full_name): is required"
long=$(head -c 300 /dev/zero | tr '\0' 'a')
printf 'full_name\n%s\n' "$long" >"$T/b7.csv"
bad "oversized field" "$T/b7.csv" "longer than 200 characters"
huge=$(head -c 70000 /dev/zero | tr '\0' 'a')
printf 'full_name\n%s\n' "$huge" >"$T/b7b.csv"
bad "field over the parser limit" "$T/b7b.csv" "field longer than the limit"
printf 'full_name,workplace,hired,terminated\nAli,Karadere Ocağı,2011-01-01,2010-01-01\n' >"$T/b8.csv"
bad "reversed dates" "$T/b8.csv" "terminated (2010-01-01) is before hired (2011-01-01)"
printf 'full_name,phone\nA,1\nB,2,3\n' >"$T/b9.csv"
bad "ragged row" "$T/b9.csv" "line 3: has 3 fields; the header has 2"
printf 'full_name,workplace,hired\nA,Nowhere,2000-01-01\n' >"$T/b10.csv"
bad "unknown workplace" "$T/b10.csv" "there is no workplace named 'Nowhere'"
: >"$T/b11.csv"
bad "empty file" "$T/b11.csv" "is empty"

# several bad rows are all reported
printf 'full_name,birth_date\n,1970-01-01\nB,31/12/1970\nC,1970-01-01\nD,2999-01-01\n' >"$T/many.csv"
expect "many bad rows" 65 fs import people "$T/many.csv"
has "row 2 reported" "$T/err" "line 2"
has "row 3 reported" "$T/err" "line 3, column 2"
has "row 5 reported" "$T/err" "line 5"
has "summary of the failure" "$T/err" "3 of 4 rows are invalid; nothing was imported"
expect "skip-invalid needs rejects" 64 fs import people "$T/many.csv" --skip-invalid
expect "skip-invalid" 0 fs import people "$T/many.csv" --skip-invalid --rejects "$T/rejects.csv"
has "one stored" "$T/out" "1 added"
same "three people now" "$(count)" 3
has "rejects keep the header and a reason" "$T/rejects.csv" "full_name,birth_date,import_error"
has "rejected row with its reason" "$T/rejects.csv" "B,31/12/1970,birth_date: '31/12/1970' is ambiguous"
same "three rejected rows" "$(grep -c . "$T/rejects.csv")" 4
expect "import --json report" 65 fs import people "$T/many.csv" --json
has "json lists errors" "$T/out" '"line": 3'

# --map for other headers
printf 'Worker,Tel\nMapped Person,123\n' >"$T/map.csv"
expect "--map" 0 fs import people "$T/map.csv" --map Worker=full_name --map Tel=phone
same "mapped row stored" "$(count)" 4
expect "--map to a non-field" 65 fs import people "$T/map.csv" --map Worker=shoe

# export
fs person add --full-name "=cmd|' /C calc'!A0" >/dev/null
expect "export csv" 0 fs export people
has "formula neutralised" "$T/out" "\"'=cmd|' /C calc'!A0\""
hasnot "sealed not exported by default" "$T/out" "10000000146"
expect "export --reveal" 0 fs export people --reveal --output "$T/all.csv"
has "revealed export has national id" "$T/all.csv" "10000000146"
has "phone starting with + neutralised" "$T/all.csv" "'+90 555 000 11 22"
expect "export json" 0 fs export people --format json
has "json export" "$T/out" '"full_name":"Şükrü Ilder"'
# export -> import round trip: matched on fairshare_id, nothing added or changed
expect "round trip" 0 fs import people "$T/all.csv"
has "round trip changes nothing" "$T/out" "0 added, 0 updated, 5 unchanged"
printf 'fairshare_id,full_name\n999,Ghost\n' >"$T/ghost.csv"
expect "unknown fairshare_id" 65 fs import people "$T/ghost.csv"
has "unknown fairshare_id explained" "$T/err" "there is no person with this fairshare_id"
same "still five people" "$(count)" 5
expect "verify after imports" 0 fs verify
finish
