#!/bin/sh
# t03 - the journal: demo data verifies; a single changed byte in a row or in a
# journal entry, in the database file itself, makes verify fail; log filters;
# backup is consistent.
. "$(dirname "$0")/lib.sh"

expect "demo" 0 fs demo
expect "demo refuses an existing database" 65 fs demo
expect "verify demo" 0 fs verify
has "verify reports ok" "$T/out" "ok: "
expect "summary json" 0 fs summary --json
has "748 + 60 miners" "$T/out" '"people": 808'
has "748 terminated" "$T/out" '"employments_terminated": 748'
expect "demo mine closed 2011-08-31" 0 fs --org miners employment list --terminated 2011-08-31 --limit 1 --json
has "748 closures" "$T/out" '"total": 748'
expect "kazakh org" 0 fs --org oil person list --search "қасым" --limit 1
has "kazakh names" "$T/out" "Қасымов"

# log
expect "log" 0 fs log --limit 5
same "five entries" "$(wc -l <"$T/out")" 5
expect "log by person" 0 fs log --person 1 --json
has "person's own entry" "$T/out" '"entity": "person"'
has "person's employment entry" "$T/out" '"entity": "employment"'
expect "log by entity and date" 0 fs log --entity workplace --since 2000-01-01 --until 2199-12-31
same "three workplaces created" "$(wc -l <"$T/out")" 3
expect "log bad entity" 65 fs log --entity castle
expect "log bad date" 65 fs log --since yesterday

# backup while another process is writing
( for i in 1 2 3 4 5 6 7 8 9 10; do fs --org miners person add --full-name "Writer $i" >/dev/null; done ) &
writer=$!
expect "backup" 0 fs backup "$T/backup.db"
wait $writer
cp "$KEY" "$T/backup.db.key"
expect "backup verifies" 0 "$FS_BIN" --db "$T/backup.db" verify
expect "backup refuses to overwrite" 65 fs backup "$T/backup.db"

# tampering, one byte in the file
name=$(fs --org miners person show 40 --json | grep '"full_name"' | sed 's/.*: "\(.*\)",*/\1/')
if ! on_pg; then
cp "$DB" "$T/row.db"; cp "$KEY" "$T/row.db.key"
# the table row holds the name without its JSON key; the journal holds "full_name":"..."
off=$(grep -obUaF -- "$name" "$T/row.db" | while IFS=: read o _; do
	prev=$(dd if="$T/row.db" bs=1 skip=$((o - 2)) count=2 status=none)
	[ "$prev" != ':"' ] && { echo "$o"; break; }; done)
[ -n "$off" ] && printf 'Z' | dd of="$T/row.db" bs=1 seek="$off" conv=notrunc status=none
expect "a changed byte in a row fails verify" 65 "$FS_BIN" --db "$T/row.db" verify
has "names the record" "$T/err" "differs from its journal entry"
cp "$DB" "$T/j.db"; cp "$KEY" "$T/j.db.key"
flip_byte "$T/j.db" "\"full_name\":\"$name\"" || echo "# pattern not found"
expect "a changed byte in a journal entry fails verify" 65 "$FS_BIN" --db "$T/j.db" verify
has "names the first broken entry" "$T/err" "first broken journal entry:"
else
# PostgreSQL: the same tampering, by psql behind fairshare's back
row=$(db_clone row)
db_sql "$row" "UPDATE people SET full_name = 'Z' || substr(full_name, 2) WHERE id = 40"
expect "a changed byte in a row fails verify" 65 "$FS_BIN" --db "$row" verify
has "names the record" "$T/err" "differs from its journal entry"
j=$(db_clone j)
same "one journal entry tampered" "$(db_sql "$j" "UPDATE journal SET after_json = replace(after_json, '\"full_name\":\"$name\"', '\"full_name\":\"Z' || substr('$name', 2) || '\"') WHERE after_json LIKE '%\"full_name\":\"$name\"%' AND seq = (SELECT min(seq) FROM journal WHERE after_json LIKE '%\"full_name\":\"$name\"%') RETURNING 1")" 1
expect "a changed byte in a journal entry fails verify" 65 "$FS_BIN" --db "$j" verify
has "names the first broken entry" "$T/err" "first broken journal entry:"
fi
d=$(db_clone d)
db_sql "$d" "DELETE FROM memberships WHERE id = 3"
expect "a deleted row fails verify" 65 "$FS_BIN" --db "$d" verify
has "missing row named" "$T/err" "membership 3 is in the journal but missing"
if ! on_pg; then
cp "$DB" "$T/k.db"
"$FS_BIN" --db "$T/other.db" init >/dev/null
cp "$T/other.db.key" "$T/k.db.key"
expect "the wrong key file is refused" 78 "$FS_BIN" --db "$T/k.db" verify
has "says so" "$T/err" "does not belong to this database"
else
k=$(db_clone k)
"$FS_BIN" --db "$T/other.db" --key "$T/other.key" init >/dev/null
expect "the wrong key file is refused" 78 "$FS_BIN" --db "$k" --key "$T/other.key" verify
has "says so" "$T/err" "does not belong to this database"
fi
finish
