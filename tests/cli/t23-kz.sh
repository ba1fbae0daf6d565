#!/bin/sh
# t23 - Kazakhstan's rule set from sources (issue 18): the penalty on the
# refinancing rate until 31.03.2017 and the base rate after, the multiplier, the
# day count and the rate day as named conventions, the average daily wage from
# days actually worked (--days-worked, an employment field) with the year's
# working-time balance and a warning otherwise, limitation by kind of claim
# (Art. 160) in entitle, the watch and the statement, the 2007 Code for 2011
# terminations; the rule-file loader's new checks; an old database upgrades.
. "$(dirname "$0")/lib.sh"
jnum() { grep -o "\"$1\": -\{0,1\}[0-9]*" "$2" | head -n 1 | grep -o -- '-\{0,1\}[0-9]*$'; }
rules=$(cd "$(dirname "$0")/../../rules" && pwd)

Z="--jurisdiction KZ --hired 2005-03-01 --terminated 2011-09-30 --reason liquidation --wage 150000 --accruals-12m 1740000 --unused-leave-days 12 --unpaid-months 1 --as-of 2011-12-20"
expect "2011 liquidation, paid late" 0 fs entitle $Z --days-worked 228
has "the refinancing rate on the payment day" "$T/out" "Rate in force on the day of payment 2011-12-20: 7.5% (NBK refinancing rate), multiplier 1"
has "the penalty, by hand 6036.99" "$T/out" "386578.95 × 1 × 7.5% × 76 days / 365 = 6036.99"
has "the law of its day" "$T/out" "Labour Code of 2007-05-15 No. 251-III, Art. 134 p.4"
has "leave from days actually worked" "$T/out" "1740000.00 / 228 days actually worked = 7631.58"
hasnot "no fallback divisor" "$T/out" "29.3"
hasnot "no days-worked warning" "$T/out" "not known"
has "the multiplier row is unverified, with its source" "$T/out" "which law of 2020 introduced 1.25, and from when, is unverified"
has "reinstatement deadline" "$T/out" "straight to court within 3 months of the termination, by 2011-12-30"
has "money claims deadline" "$T/out" "by 2012-09-30"
expect "the same in JSON" 0 "$FS_BIN" --json entitle $Z --days-worked 228
same "penalty in tiyn" "$(jnum penalty "$T/out")" 603699
same "total in tiyn" "$(jnum total "$T/out")" 39261594
has "limitation by kind" "$T/out" '"kind": "reinstatement"'
has "its status" "$T/out" '"status": "near"'
has "warning code" "$T/out" '"reinstatement_limitation_near"'

expect "two weeks after the termination" 0 "$FS_BIN" --json entitle $Z --days-worked 228 --as-of 2011-10-15
hasnot "reinstatement not yet near (30-day window)" "$T/out" "reinstatement_limitation_near"
has "the conciliation commission's month is near" "$T/out" "conciliation_limitation_near"
has "open" "$T/out" '"status": "open"'

# without days worked: a warning and the year's working-time balance, not 29.3
expect "days worked not known" 0 fs entitle $Z
has "said in a warning" "$T/out" "Days actually worked in the 12 months are not known"
has "the 2011 balance" "$T/out" "145000.00 / 29.25 average calendar days a month (2011 working-time balance) = 4957.26"
has "leave amount" "$T/out" "= 59487.18"
expect "2020: a leap year's balance" 0 fs entitle --jurisdiction KZ --hired 2015-01-01 --terminated 2020-06-30 --reason resignation --wage 293300 --unused-leave-days 1 --as-of 2020-07-01
has "29.33, sourced" "$T/out" "/ 29.33 average calendar days a month (2020 working-time balance) = 10000.00"
hasnot "the 2020 row is sourced" "$T/out" "monthly_calendar_days for"
expect "days worked 0 refused" 65 fs entitle $Z --days-worked 0
has "names it" "$T/err" "days_worked"
expect "days worked 367 refused" 65 fs entitle $Z --days-worked 367

# 2016 across 1 April 2017: the refinancing rate, then the base rate
S="--jurisdiction KZ --hired 2010-02-01 --terminated 2016-11-30 --reason staff_reduction --wage 200000 --days-worked 245 --unused-leave-days 15 --as-of 2017-05-15"
expect "straddling, payment day (default)" 0 "$FS_BIN" --json entitle $S
same "base rate on the payment day" "$(jnum penalty "$T/out")" 1683366
expect "straddling, each period" 0 fs entitle $S --convention penalty_rate_day=each_period
has "refinancing until 31.03.2017" "$T/out" "2016-12-06 to 2017-03-31: 346938.78 × 1 × 5.5% (NBK refinancing rate) × 116 days / 365"
has "base rate from 01.04.2017" "$T/out" "2017-04-01 to 2017-05-15: 346938.78 × 1 × 11% (NBK base rate) × 45 days / 365"
has "summed, rounded once" "$T/out" "Late-payment penalty: 10769.36."
has "the 2015 Code for a 2016 termination" "$T/out" "Labour Code of 2015, Art. 113"

# 2022: several base-rate changes, multiplier 1.25, day count 365 or 360
B="--jurisdiction KZ --hired 2014-04-01 --terminated 2022-01-14 --reason liquidation --wage 400000 --accruals-12m 4560000 --days-worked 250 --unused-leave-days 20 --unpaid-months 2 --as-of 2022-11-15 --convention penalty_rate_day=each_period"
expect "2022, each period, 365" 0 "$FS_BIN" --json entitle $B
same "218216.23" "$(jnum penalty "$T/out")" 21821623
expect "2022, each period, 360" 0 "$FS_BIN" --json entitle $B --convention penalty_day_count=360
same "221247.01 with the other day count" "$(jnum penalty "$T/out")" 22124701
has "the convention recorded in the inputs" "$T/out" '"penalty_day_count": "360"'
expect "six periods, multiplier 1.25" 0 fs entitle $B
same "six rate periods" "$(grep -c '× 1.25 ×' "$T/out")" 6
has "the last at 16%" "$(printf '%s' "$T/out")" "2022-10-26 to 2022-11-15: 1544800.00 × 1.25 × 16% (NBK base rate) × 21 days / 365"
expect "a day count that is not one" 65 fs entitle $B --convention penalty_day_count=366
has "the convention named" "$T/err" "penalty_day_count=366"
expect "the old 29.3 convention is gone" 65 fs entitle $B --convention leave_day_divisor=29.3
has "refused" "$T/err" "leave_day_divisor=29.3"

# the 2007 Code: three average wages on the employer's breach before 2016, one after
expect "2011 employer breach" 0 "$FS_BIN" --json entitle --jurisdiction KZ --hired 2008-01-10 --terminated 2011-08-31 --reason employer_breach --wage 120000 --as-of 2011-09-01
same "3 months (2007 Code Art. 157)" "$(jnum compensation "$T/out")" 36000000
expect "2016 employer breach" 0 "$FS_BIN" --json entitle --jurisdiction KZ --hired 2008-01-10 --terminated 2016-08-31 --reason employer_breach --wage 120000 --as-of 2016-09-01
same "1 month (2015 Code Art. 131)" "$(jnum compensation "$T/out")" 12000000

# the new texts in four languages
expect "Turkish" 0 fs entitle $Z --days-worked 228 --lang tr
has "tr: payment-day rate" "$T/out" "Ödeme günü 2011-12-20 yürürlükteki oran: %7.5 (Kazakistan Ulusal Bankası refinansman oranı)"
has "tr: days worked" "$T/out" "fiilen çalışılan 228 gün"
has "tr: limitation" "$T/out" "İşe iade (md. 160)"
expect "Russian" 0 fs entitle $Z --lang ru
has "ru: balance" "$T/out" "баланс рабочего времени 2011 г."
has "ru: warning" "$T/out" "Фактически отработанные за 12 месяцев дни не известны"
has "ru: rate name" "$T/out" "ставка рефинансирования НБРК"
expect "Kazakh" 0 fs entitle $Z --lang kk
has "kk: balance" "$T/out" "2011 жылғы жұмыс уақытының балансы"
has "kk: limitation label" "$T/out" "Талап қою мерзімдері"
has "kk: rate name" "$T/out" "ҚРҰБ қайта қаржыландыру мөлшерлемесі"

# the loader refuses the new shapes when they are wrong
mkdir -p "$T/bad"
python3 - "$rules/kz.json" "$T/bad" <<'PY'
import json, sys, os
src, out = sys.argv[1], sys.argv[2]
def write(name, f):
    k = json.load(open(src))
    f(k)
    os.makedirs(os.path.join(out, name), exist_ok=True)
    json.dump(k, open(os.path.join(out, name, "kz.json"), "w"), ensure_ascii=False)
def overlap(k): k["tables"]["refinancing_rate_percent"]["rows"][-1][1] = "2017-04-30"
def lawdate(k): k["components"]["penalty"]["law_by_date"][1][0] = "2015-06-01"
def source(k): k["tables"]["base_rate_percent"]["rows"][0][4] = 7
def months(k): k["components"]["compensation"]["months_tables"]["employer_breach"] = "nope"
def bykind(k): k["limitation_by_kind"]["money"] = "nope"
def norate(k): del k["components"]["penalty"]["rate_tables"]
for n, f in [("overlap", overlap), ("lawdate", lawdate), ("source", source), ("months", months), ("bykind", bykind), ("norate", norate)]:
    write(n, f)
PY
for c in overlap lawdate source months bykind norate; do
	expect "broken rule file ($c) refused" 65 env FAIRSHARE_RULES="$T/bad/$c" "$FS_BIN" entitle $Z
done
env FAIRSHARE_RULES="$T/bad/overlap" "$FS_BIN" entitle $Z 2>"$T/err" >/dev/null
has "overlapping rate tables named" "$T/err" "rate tables refinancing_rate_percent and base_rate_percent are both in force"
env FAIRSHARE_RULES="$T/bad/lawdate" "$FS_BIN" entitle $Z 2>"$T/err" >/dev/null
has "law_by_date row named" "$T/err" "component penalty: law_by_date row 2"
env FAIRSHARE_RULES="$T/bad/source" "$FS_BIN" entitle $Z 2>"$T/err" >/dev/null
has "a source must be text" "$T/err" "table base_rate_percent, row 1"
env FAIRSHARE_RULES="$T/bad/bykind" "$FS_BIN" entitle $Z 2>"$T/err" >/dev/null
has "limitation_by_kind checked" "$T/err" "limitation_by_kind: money names no table"
expect "the built-in file as given to FAIRSHARE_RULES loads" 0 env FAIRSHARE_RULES="$rules" "$FS_BIN" entitle $Z

# employments carry accruals and days worked; claims compute uses them
fs init >/dev/null
fs org add --slug oil --name Oil --country KZ --currency KZT >/dev/null
fs employer add --name "Ozenmunaigas" >/dev/null
fs workplace add --employer-id 1 --name "Zhanaozen field" --kind field >/dev/null
fs person add --full-name "Ерлан Оспанов" >/dev/null
fs person add --full-name "Айгүл Серікова" >/dev/null
expect "days worked 0 refused on an employment" 65 fs employment add --person-id 1 --workplace-id 1 --hired 2005-03-01 --terminated 2011-09-30 --termination-reason liquidation --wage 150000 --days-worked-12m 0
has "the field named" "$T/err" "days_worked_12m"
expect "an employment with accruals and days worked" 0 fs employment add --person-id 1 --workplace-id 1 --hired 2005-03-01 --terminated 2011-09-30 --termination-reason liquidation --wage 150000 --accruals-12m 1740000 --days-worked-12m 228 --unused-leave-days 12
expect "one without days worked" 0 fs employment add --person-id 2 --workplace-id 1 --hired 2009-01-10 --terminated 2011-09-30 --termination-reason liquidation --wage 120000 --unused-leave-days 10
expect "verify" 0 fs verify
expect "compute" 0 fs claims compute --workplace 1 --as-of 2011-10-01
expect "the claims" 0 fs --json claim list --person-id 1 --kind compensation
same "compensation from the accruals" "$(jnum amount_minor "$T/out")" 14500000
has "the money deadline stored" "$T/out" '"limitation_date": "2012-09-30"'
expect "the leave claim" 0 fs --json claim list --person-id 1 --kind annual_leave
same "1740000 / 228 × 12 = 91578.95" "$(jnum amount_minor "$T/out")" 9157895
expect "the other worker's leave" 0 fs --json claim list --person-id 2 --kind annual_leave
same "1440000 / 12 / 29.25 × 10 = 41025.64" "$(jnum amount_minor "$T/out")" 4102564
fs employment edit 1 --days-worked-12m 240 >/dev/null
expect "more days worked: the leave differs" 0 fs claims compute --workplace 1 --as-of 2011-10-01
has "the leave claim's new amount" "$T/out" "annual_leave: 91578.95 -> 87000.00"
expect "applied" 0 fs claims compute --workplace 1 --as-of 2011-10-01 --apply
expect "the new leave" 0 fs --json claim list --person-id 1 --kind annual_leave
same "1740000 / 240 × 12 = 87000.00" "$(jnum amount_minor "$T/out")" 8700000
expect "unused leave over 3650 refused" 65 fs employment edit 2 --unused-leave-days 4000
expect "the statement" 0 fs statement 1 --as-of 2011-12-20
has "the steps from days worked" "$T/out" "1740000.00 / 240 days actually worked"
has "reinstatement in the statement" "$T/out" "limitation (reinstatement, 3 months): 2011-12-30, near"
has "money claims in the statement" "$T/out" "limitation (money, 12 months): 2012-09-30, open"
expect "the statement in JSON" 0 fs --json statement 2 --as-of 2011-12-20
has "no days worked: the warning" "$T/out" "Days actually worked in the 12 months are not known"
expect "the watch" 0 fs watch --as-of 2011-12-20
has "reinstatement counted" "$T/out" "limitation (reinstatement, 3 months): 2 terminated employments, 0 passed, 2 within 30 days, 0 open; next deadline 2011-12-30"
has "conciliation counted" "$T/out" "limitation (conciliation, 1 months): 2 terminated employments, 2 passed"
expect "the watch in JSON, later" 0 fs --json watch --workplace 1 --as-of 2012-01-15
has "reinstatement passed" "$T/out" '"passed": 2'
expect "the watch of an empty workplace" 0 fs workplace add --employer-id 1 --name "Empty" --kind office
expect "watch" 0 fs --json watch --workplace 2 --as-of 2012-01-15
hasnot "nothing counted there" "$T/out" '"reinstatement"'

# the same over the API: days worked as an input, reinstatement in the watch
FAIRSHARE_PASSWORD=kz-admin-pass fs user add kzadmin --role admin >/dev/null
token=$("$FS_BIN" --db "$DB" user token kzadmin)
start_server 23
api() { curl -s -H "Authorization: Bearer $token" "$@"; }
api -H 'Content-Type: application/json' -d '{"jurisdiction":"KZ","hired":"2005-03-01","terminated":"2011-09-30","reason":"liquidation","wage":"150000.00","accruals_12m":"1740000.00","days_worked":228,"unused_leave_days":12,"unpaid_months":1,"as_of":"2011-12-20"}' "$B/entitle" >"$T/body"
has "API entitle: days worked used" "$T/body" '"annual_leave":9157895'
has "API entitle: penalty" "$T/body" '"penalty":603699'
api "$B/orgs/oil/watch?as_of=2011-12-20" >"$T/body"
has "API watch: reinstatement by kind" "$T/body" '"reinstatement":{"months":3,"employments":2,"passed":0,"near":2,"open":0,"next_deadline":"2011-12-30"}'
api "$B/orgs/oil/statement/1?lang=kk" >"$T/body"
has "API statement: limitation by kind (as of today: passed)" "$T/body" '"kind":"reinstatement","months":3,"deadline":"2011-12-30","status":"passed"'
has "API statement: Kazakh steps" "$T/body" "нақты жұмыс істеген 240 күн"
kill -TERM "$server"
wait "$server"

# the CSV import takes the new columns
printf 'full_name,workplace,hired,terminated,termination_reason,wage,отработанные дни,unused_leave_days,accruals\nBolat Nurov,1,2010-01-01,2016-05-31,liquidation,100000,200,5,1200000\n' >"$T/kz.csv"
expect "import with days worked" 0 fs import people "$T/kz.csv"
expect "stored" 0 fs --json employment list --person-id 3
same "days worked" "$(jnum days_worked_12m "$T/out")" 200
same "unused leave" "$(jnum unused_leave_days "$T/out")" 5
same "accruals" "$(jnum accruals_12m_minor "$T/out")" 120000000
printf 'full_name,workplace,hired,days_worked\nX Y,1,2010-01-01,400\n' >"$T/bad.csv"
expect "an impossible number of days refused" 65 fs import people "$T/bad.csv"
has "the field named" "$T/err" "days_worked_12m"

# an old (schema 15) database with a KZ employment and a computed claim upgrades
# and still verifies: the employment's new shape is journaled once
data=$(cd "$(dirname "$0")/../data" && pwd)
# (an SQLite file, on PostgreSQL runs too: no older PostgreSQL database exists to upgrade)
if on_pg; then unset FAIRSHARE_KEY; DB=$T/old.db; fi
rm -f "$DB" "$DB"-wal "$DB"-shm
{ cat "$data/schema15-kz.sql"; echo "PRAGMA user_version = 15;"; } | sqlite3 "$DB"
cp "$data/schema15-kz.key.hex" "$DB.key"
chmod 600 "$DB.key"
expect "the old database verifies and upgrades" 0 fs verify
env -u FAIRSHARE_KEY "$FS_BIN" --db "$T/fresh.db" init >/dev/null 2>&1
same "upgraded to this fairshare's schema" "$(sqlite3 "$DB" 'PRAGMA user_version')" "$(sqlite3 "$T/fresh.db" 'PRAGMA user_version')"
same "the employment journaled once" "$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate' AND entity = 'employment'")" 1
expect "open again" 0 fs verify
same "still once" "$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE action = 'migrate' AND entity = 'employment'")" 1
expect "days worked on the old employment" 0 fs employment edit 1 --accruals-12m 1740000 --days-worked-12m 228
expect "recompute: the new rules version differs" 0 fs claims compute --workplace 1 --as-of 2012-01-20
has "the difference listed" "$T/out" "compensation: 150000.00 -> 145000.00 (KZ-2026.11-1 -> KZ-2026.12-1)"
expect "verify after" 0 fs verify
sqlite3 "$DB" "UPDATE employments SET days_worked_12m = 300 WHERE id = 1"
expect "tampering with the new column is caught" 65 fs verify
has "named" "$T/err" "employment 1 differs from its journal entry"
finish
