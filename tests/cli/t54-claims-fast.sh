#!/bin/sh
# t54 - the fast claims compute (issue #16): the same claims, row by row, as the
# code before it (tests/cli/t54/*.claims.gz: the claims the old code stored for
# the generated workers of t54/gen.awk, TR and KZ, all columns); idempotent;
# every row still bound by the batch journal (verify ok, a changed computed claim
# caught); all or nothing when killed in the middle. On PostgreSQL the rows are
# read and changed through psql.
. "$(dirname "$0")/lib.sh"
D=$(dirname "$0")/t54
. "$D/workplace.sh"
# on PostgreSQL the same rows are read and changed through psql (db_sql)
dump() {
	local sql="SELECT id, org_id, person_id, employment_id, kind, amount_minor, currency, basis,
	rules_version, inputs, document_ref, status, limitation_date, note FROM claims ORDER BY id"
	case $1 in
	postgres:///*) psql -q -X -A -t -F '|' -v ON_ERROR_STOP=1 -d "${1#postgres:///}" -c "$sql" ;;
	*) sqlite3 -separator '|' "$1" "$sql" ;;
	esac
}
for cc in TR KZ; do
	cur=TRY; [ $cc = KZ ] && cur=KZT
	workplace_db $cc $cc $cur
	[ $cc = TR ] && tr_db=$DB tr_key=$KEY
	awk -v n=600 -v cc=$cc -f "$D/gen.awk" >"$T/$cc.csv"
	expect "$cc: 600 generated workers imported" 0 f import people "$T/$cc.csv"
	expect "$cc: compute" 0 f --json claims compute --workplace 1 --as-of 2013-01-15
	dump "$db" >"$T/$cc.claims"
	if gzip -dc "$D/$cc.claims.gz" | cmp -s - "$T/$cc.claims"; then ok "$cc: the same claims as the old code, row by row"; else
		notok "$cc: the same claims as the old code, row by row"
		gzip -dc "$D/$cc.claims.gz" | diff - "$T/$cc.claims" | head -n 6 | sed 's/^/#   /'
	fi
	expect "$cc: compute again" 0 f --json claims compute --workplace 1 --as-of 2013-01-15
	has "$cc: nothing created the second time" "$T/out" '"created": 0'
	has "$cc: nothing differs" "$T/out" '"changed": 0'
	dump "$db" >"$T/$cc.again"
	if cmp -s "$T/$cc.claims" "$T/$cc.again"; then ok "$cc: idempotent: the same rows"; else notok "$cc: idempotent: the same rows"; fi
	same "$cc: one batch entry per chunk of claims, no entry per claim" \
		"$(db_sql "$db" "SELECT count(*) FROM journal WHERE action = 'create' AND entity = 'claim'")" 0
	same "$cc: every claim bound by a batch" \
		"$(db_sql "$db" "SELECT sum(nrows) FROM journal_rows WHERE entity = 'claim'")" \
		"$(db_sql "$db" "SELECT count(*) FROM claims")"
	expect "$cc: verify" 0 f verify
done

# a changed computed claim is caught
db=$tr_db KEY=$tr_key
db_sql "$db" "UPDATE claims SET amount_minor = amount_minor + 1 WHERE id = 700"
expect "one cent more on a computed claim: verify fails" 65 f verify
has "the claim named" "$T/err" "claim 700 differs"
db_sql "$db" "UPDATE claims SET amount_minor = amount_minor - 1 WHERE id = 700"
db_sql "$db" "UPDATE claims SET inputs = replace(inputs, '\"age\":0', '\"age\":1') WHERE id = 5"
expect "changed inputs (the explanation's parameters): verify fails" 65 f verify
has "that claim named" "$T/err" "claim 5 differs"

# kill -9 in the middle of a compute: the database is whole (none or all claims)
workplace_db kill TR TRY
awk -v n=20000 -v cc=TR -f "$D/gen.awk" >"$T/kill.csv"
expect "20000 workers imported" 0 f import people "$T/kill.csv"
FAIRSHARE_KEY=$KEY "$FS_BIN" --db "$db" claims compute --workplace 1 --as-of 2013-01-15 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
got=$(db_sql "$db" "SELECT count(*) FROM claims")
ok_whole=no
[ "$got" = 0 ] && ok_whole=yes
expect "after kill -9: verify" 0 f verify
expect "compute after the kill" 0 f --json claims compute --workplace 1 --as-of 2013-01-15
all=$(db_sql "$db" "SELECT count(*) FROM claims")
[ "$got" = "$all" ] && ok_whole=yes
same "after kill -9: no claims or all of them ($got of $all)" "$ok_whole" yes
expect "verify after the compute" 0 f verify
finish
