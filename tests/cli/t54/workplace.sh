# workplace.sh - sourced by t54 and t71: `workplace_db NAME CC CUR` makes a new
# database (db_new NAME; $db names it) with one organization of country CC and
# currency CUR, employer 1 and its mine, workplace 1; `f ARGS` runs fairshare on it.
f() { FAIRSHARE_KEY=$KEY "$FS_BIN" --db "$db" "$@"; }
workplace_db() {
	db_new "$1"
	db=$DB
	f init >/dev/null && f org add --slug oo --name O --country "$2" --currency "$3" >/dev/null &&
		f employer add --name E >/dev/null && f workplace add --employer-id 1 --name W --kind mine >/dev/null
}
