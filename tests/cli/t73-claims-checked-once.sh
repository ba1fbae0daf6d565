#!/bin/sh
# t73 - claims compute checks what every claim of a rule set shares once (issue
# #16): the rule set's currency, basis and version, and each component's kind,
# parsed and checked by the same rec_set as before, once per compute; a value
# refused there is refused on each claim as before (nothing stored, the field
# named). The rule set compiled at load: a rule file's bands and day divisor are
# what the compute reads. SQLite and PostgreSQL.
. "$(dirname "$0")/lib.sh"
D=$(dirname "$0")/t54
. "$D/workplace.sh"
workplace_db once TR TRY
awk -v n=60 -v cc=TR -f "$D/gen.awk" >"$T/a.csv"
expect "60 workers imported" 0 f import people "$T/a.csv"
mkdir -p "$T/long" "$T/kind" "$T/bands"
tr=$(dirname "$0")/../../rules/tr.json

# a version longer than the claim's rules_version takes (40 characters)
sed 's/"version": "TR-[^"]*"/"version": "TR-a-version-of-the-rules-longer-than-forty-characters"/' "$tr" >"$T/long/tr.json"
expect "a version too long: refused" 65 env FAIRSHARE_RULES="$T/long" FAIRSHARE_KEY=$KEY "$FS_BIN" --db "$db" --json claims compute --workplace 1
has "the field named" "$T/err" "rules_version"
has "what is wrong" "$T/err" "is longer than 40 characters"
has "each employment listed" "$T/out" '"field": "rules_version"'
same "nothing stored" "$(db_sql "$db" "SELECT count(*) FROM claims")" 0

# a component that is not a kind of claim
sed 's/"notice": {/"bonus": {/' "$tr" >"$T/kind/tr.json"
expect "a component not a claim kind: refused" 65 env FAIRSHARE_RULES="$T/kind" FAIRSHARE_KEY=$KEY "$FS_BIN" --db "$db" --json claims compute --workplace 1
has "the kind named" "$T/err" "'bonus' is not one of"
has "each employment listed" "$T/out" '"field": "kind"'
same "nothing stored" "$(db_sql "$db" "SELECT count(*) FROM claims")" 0

# one notice band of 60 days over a divisor of 20: three months' pay, whatever the
# service; and no reasons: owed whatever the reason
python3 - "$tr" "$T/bands/tr.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["components"]["notice"]["bands"] = [{"days": 60}]
r["components"]["notice"]["day_divisor"] = 20
del r["components"]["notice"]["reasons"]
json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
PY
expect "the changed bands: computed" 0 env FAIRSHARE_RULES="$T/bands" FAIRSHARE_KEY=$KEY "$FS_BIN" --db "$db" claims compute --workplace 1
nn=$(db_sql "$db" "SELECT count(*) FROM claims WHERE kind = 'notice'")
[ "$nn" -gt 5 ] && ok "notice claims stored ($nn)" || notok "notice claims stored ($nn)"
same "each one three months' wage and benefits" "$(db_sql "$db" "SELECT count(*) FROM claims c JOIN employments e ON e.id = c.employment_id
	WHERE c.kind = 'notice' AND c.amount_minor <> 3 * (e.wage_minor + coalesce(e.benefits_minor, 0))")" 0
same "notice owed whatever the reason: every terminated employment whose notice was not served" \
	"$(db_sql "$db" "SELECT count(*) FROM employments e WHERE e.terminated IS NOT NULL AND e.notice_served = 0
	AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.employment_id = e.id AND c.kind = 'notice')")" 0
no=$(db_sql "$db" "SELECT count(*) FROM claims c JOIN employments e ON e.id = c.employment_id
	WHERE c.kind = 'notice' AND e.termination_reason NOT IN ('closure', 'dismissal')")
[ "$no" -gt 0 ] && ok "notice for reasons the built-in rules leave out ($no)" || notok "notice for reasons the built-in rules leave out ($no)"
same "the claims' columns shared: the rule set's" \
	"$(db_sql "$db" "SELECT DISTINCT currency || ' ' || basis || ' ' || rules_version || ' ' || status FROM claims")" \
	"TRY computed $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$tr") draft"
same "every claim's kind of its component" \
	"$(db_sql "$db" "SELECT count(*) FROM claims WHERE kind NOT IN ('severance', 'notice', 'annual_leave', 'unpaid_wages', 'overtime')")" 0
expect "verify" 0 f verify
finish
