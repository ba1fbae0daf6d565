# people.sh - sourced by t53, t62 and t72 (after lib.sh): keys DB ORG (t53_keys.py), people N FROM
# (N valid rows, national IDs from the 9-digit prefix FROM; TR_ID_AWK makes them), fresh_db NAME (a new database
# of the backend with one organization).
keys() { python3 "$(dirname "$0")/t53_keys.py" "$1" "$2"; }
# An awk function: the valid Turkish national ID (11 digits, two check digits)
# whose first 9 digits are the number b.
TR_ID_AWK='function tr_id(b,   d, k, odd, even, s, id) {
	split("", d)
	for (k = 9; k >= 1; k--) { d[k] = b % 10; b = int(b / 10) }
	odd = d[1] + d[3] + d[5] + d[7] + d[9]; even = d[2] + d[4] + d[6] + d[8]
	d[10] = ((odd * 7 - even) % 10 + 10) % 10; s = 0
	for (k = 1; k <= 10; k++) s += d[k]
	d[11] = s % 10; id = ""
	for (k = 1; k <= 11; k++) id = id d[k]
	return id
}'
people() {
	awk -v n="$1" -v from="$2" "$TR_ID_AWK"'
	BEGIN { print "external_id,full_name,national_id,birth_date,phone,address"
	for (i = 0; i < n; i++)
		printf "E-%06d,%s %d,%s,19%02d-0%d-1%d,+90 555 %03d,\"Street %d, Karadere\"\n", from + i, \
			(i % 3 ? "Zeynep" : "Ahmet"), (n - i) % 17, tr_id(from + i), 50 + i % 40, 1 + i % 9, i % 10, i % 1000, i
	}'
}
fresh_db() {
	db_new "$1"
	expect "init $1" 0 fs init
	expect "an organization in $1" 0 fs org add --slug mine --name "Mine Union" --country TR --currency TRY
}
