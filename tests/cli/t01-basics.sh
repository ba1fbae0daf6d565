#!/bin/sh
# t01 - the command line: help, version, init, the people register, exit codes.
. "$(dirname "$0")/lib.sh"

expect "--version" 0 "$FS_BIN" --version
has "version printed" "$T/out" "fairshare 0."
expect "--help" 0 "$FS_BIN" --help
has "help lists commands" "$T/out" "import"
expect "unknown command is a usage error" 64 "$FS_BIN" frobnicate
expect "no database yet" 66 fs summary
has "says how to create one" "$T/err" "fairshare init"
expect "init" 0 fs init
same "key file is 0600" "$(stat -c %a "$KEY")" "600"
expect "init refuses an existing database" 65 fs init
expect "person add needs an organization" 65 fs person add --full-name "X"
expect "org add" 0 fs org add --slug miners --name "Maden İş" --country TR --currency TRY
expect "org slug is checked" 65 fs org add --slug "Bad Slug" --name "X"
has "slug error names the field" "$T/err" "slug"
expect "person add" 0 fs person add --full-name "İlder Şahin" --national-id 10000000146 --phone "+90 555 123 45 67"
has "sealed field hidden by default" "$T/out" "(sealed; --reveal shows it)"
hasnot "national id not printed" "$T/out" "10000000146"
expect "person add (Cyrillic)" 0 fs person add --full-name "Жанболат Қасымов" --external-id K-1
expect "invalid national id" 65 fs person add --full-name "Bad" --national-id 12345678901
has "says why" "$T/err" "not a valid Turkish national ID"
expect "duplicate national id" 65 fs person add --full-name "Dup" --national-id "100 000 001 46"
expect "unknown field" 64 fs person add --full-name "X" stray
expect "unknown option is named" 65 fs person add --full-name "X" --shoe-size 44
has "names the field" "$T/err" "shoe_size"
expect "search is case and diacritic insensitive" 0 fs person list --search ilder
has "finds İlder" "$T/out" "İlder Şahin"
expect "search Cyrillic upper case" 0 fs person list --search "ЖАНБОЛАТ"
has "finds Жанболат" "$T/out" "Жанболат Қасымов"
expect "list --json" 0 fs person list --json
has "json total" "$T/out" '"total": 2'
expect "show --reveal" 0 fs person show 1 --reveal
has "reveals the national id" "$T/out" "10000000146"
expect "find by national id" 0 fs person find --national-id 10000000146 --json
has "found the right person" "$T/out" '"full_name": "İlder Şahin"'
expect "edit" 0 fs person edit 1 --external-id W-7 --phone ""
has "edited" "$T/out" "W-7"
expect "show missing id" 66 fs person show 99
expect "show non-number" 64 fs person show abc
expect "employer add" 0 fs employer add --name "Kömür A.Ş."
expect "workplace add" 0 fs workplace add --employer-id 1 --name "Ocak" --kind mine
expect "workplace kind is checked" 65 fs workplace add --employer-id 1 --name "X" --kind castle
expect "employment reversed dates" 65 fs employment add --person-id 1 --workplace-id 1 --hired 2011-01-01 --terminated 2010-01-01
has "reversed dates explained" "$T/err" "before hired"
expect "employment add" 0 fs employment add --person-id 1 --workplace-id 1 --hired 01.02.2005 --terminated 2011-12-15 --termination-reason closure --wage 1800.00 --benefits 300 --underground
has "wage shown exactly" "$T/out" "1800.00"
has "underground flag" "$T/out" "underground          yes"
expect "ambiguous amount" 65 fs employment edit 1 --wage 1,800
expect "membership add" 0 fs membership add --person-id 1 --joined-on 2005-03-01 --role shop_steward
expect "remove a referenced person is refused" 65 fs person remove 1
expect "remove an unreferenced person" 0 fs person remove 2
expect "summary" 0 fs summary
has "summary counts" "$T/out" "people                 1"
expect "second org" 0 fs org add --slug oil --name "Мұнай" --country KZ --currency KZT
expect "several orgs need --org" 65 fs person list
has "lists the choices" "$T/err" "miners, oil"
expect "--org picks one" 0 fs --org oil person list
has "other org's people not shown" "$T/out" "(0 of 0)"
expect "other org cannot see person 1" 66 fs --org oil person show 1
expect "FAIRSHARE_ORG works" 0 env FAIRSHARE_ORG=miners "$FS_BIN" --db "$DB" person show 1
expect "FAIRSHARE_DB works" 0 env FAIRSHARE_DB="$DB" "$FS_BIN" summary
expect "XDG default path" 0 env -u FAIRSHARE_DB -u FAIRSHARE_KEY XDG_DATA_HOME="$T/xdg" "$FS_BIN" init
[ -f "$T/xdg/fairshare/fairshare.db" ] && ok "db created under XDG_DATA_HOME" || notok "db created under XDG_DATA_HOME"
expect "verify" 0 fs verify
expect "help of a subcommand" 0 fs person --help
has "lists fields" "$T/out" "--national-id"
finish
