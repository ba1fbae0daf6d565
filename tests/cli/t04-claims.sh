#!/bin/sh
# t04 - the claims watch: entitle, claims compute (atomic, idempotent, new rules
# versions), entered claims, promises, payments (idempotent, append-only,
# reversals), watch and statement.
. "$(dirname "$0")/lib.sh"
# jnum KEY FILE: the first integer value of "KEY" in pretty-printed JSON
jnum() { grep -o "\"$1\": -\{0,1\}[0-9]*" "$2" | head -n 1 | grep -o -- '-\{0,1\}[0-9]*$'; }

P1="--jurisdiction TR --hired 2005-02-01 --terminated 2011-12-15 --reason closure --wage 1800.00 --benefits 300.00 --unused-leave-days 12 --unpaid-months 1"
expect "entitle P1" 0 fs entitle $P1
has "P1 total" "$T/out" "20876.30"
has "P1 severance formula explained" "$T/out" "2100.00 × 6 + 2100.00 × 10 / 12 + 2100.00 × 15 / 365 = 14436.30"
has "law article" "$T/out" "Law 4857 Art. 17"
has "limitation warning" "$T/out" "limitation period ended on 2021-12-15"
expect "entitle P1 --json" 0 "$FS_BIN" --json entitle $P1
same "json severance in kuruş" "$(jnum severance "$T/out")" 1443630
same "json total in kuruş" "$(jnum total "$T/out")" 2087630
has "rules version recorded" "$T/out" '"rules_version": "TR-'
expect "entitle in Turkish" 0 fs entitle $P1 --lang tr
has "Turkish text" "$T/out" "kullanılmamış izin günü"
expect "entitle in Russian" 0 fs entitle $P1 --lang ru
has "Russian text" "$T/out" "неиспользованных дней отпуска"
expect "entitle in Kazakh" 0 fs entitle $P1 --lang kk
has "Kazakh text" "$T/out" "пайдаланылмаған демалыс күні"
expect "unknown language" 65 fs entitle $P1 --lang de
expect "reversed dates" 65 fs entitle --jurisdiction TR --hired 2012-01-01 --terminated 2011-01-01 --reason closure --wage 1
has "explained" "$T/err" "before the hire date"
expect "unknown reason" 65 fs entitle --jurisdiction TR --hired 2010-01-01 --terminated 2011-01-01 --reason fired --wage 1
has "lists the reasons" "$T/err" "just_cause_resignation"
expect "unknown jurisdiction" 65 fs entitle --jurisdiction XX --hired 2010-01-01 --terminated 2011-01-01 --reason closure --wage 1
expect "negative wage" 65 fs entitle --jurisdiction TR --hired 2010-01-01 --terminated 2011-01-01 --reason closure --wage -5
expect "missing wage" 65 fs entitle --jurisdiction TR --hired 2010-01-01 --terminated 2011-01-01 --reason closure
expect "before the ceiling table" 65 fs entitle --jurisdiction TR --hired 2000-01-01 --terminated 2009-06-30 --reason closure --wage 1000
has "names the table's range" "$T/err" "it covers 2010-01-01"

# a small mine
fs init >/dev/null
fs org add --slug maden --name Maden --country TR --currency TRY >/dev/null
fs employer add --name "Kömür A.Ş." >/dev/null
fs workplace add --employer-id 1 --name Ocak --kind mine >/dev/null
fs person add --full-name "Ali Kaya" >/dev/null
fs person add --full-name "Veli Demir" >/dev/null
fs person add --full-name "Ayşe Şahin" >/dev/null
fs employment add --person-id 1 --workplace-id 1 --hired 2005-02-01 --terminated 2011-12-15 --termination-reason closure --wage 1800 --benefits 300 >/dev/null
fs employment add --person-id 2 --workplace-id 1 --hired 2019-05-20 --terminated 2020-11-19 --termination-reason dismissal >/dev/null
fs employment add --person-id 3 --workplace-id 1 --hired 2020-01-01 >/dev/null
expect "compute refuses a worker without a wage" 65 fs claims compute --workplace 1
has "names the employment" "$T/err" "employment 2 (person 2): wage"
expect "nothing was stored" 0 fs claim list --json
has "no claims" "$T/out" '"total": 0'
fs employment edit 2 --wage 5000 >/dev/null
expect "compute" 0 fs claims compute --workplace 1
has "claims created, one worker still employed" "$T/out" "3 employments (1 still employed, skipped); claims: 4 created"
expect "compute again changes nothing" 0 fs claims compute --workplace 1
has "all unchanged" "$T/out" "0 created, 4 unchanged, 0 differ"
expect "P1's severance stored" 0 fs claim list --person-id 1 --kind severance --json
same "to the kuruş" "$(jnum amount_minor "$T/out")" 1443630
has "computed basis" "$T/out" '"basis": "computed"'
has "limitation deadline" "$T/out" '"limitation_date": "2021-12-15"'

# a new rules version: differences shown, applied only when asked
mkdir -p "$T/rules"
sed -e 's/"version": "TR-[^"]*"/"version": "TR-test-2"/' -e 's/"2011-07-01", "2011-12-31", "2731.85"/"2011-07-01", "2011-12-31", "2000.00"/' \
	"$(dirname "$0")/../../rules/tr.json" >"$T/rules/tr.json"
expect "new rules: differences listed" 0 env FAIRSHARE_RULES="$T/rules" "$FS_BIN" --db "$DB" claims compute --workplace 1
has "the changed claim" "$T/out" "severance: 14436.30 -> 13748.86 (TR-2026"
has "not applied" "$T/out" "run again with --apply"
expect "still the old amount" 0 fs claim list --person-id 1 --kind severance --json
same "unchanged" "$(jnum amount_minor "$T/out")" 1443630
expect "new rules applied" 0 env FAIRSHARE_RULES="$T/rules" "$FS_BIN" --db "$DB" claims compute --workplace 1 --apply
expect "the new amount" 0 fs claim list --person-id 1 --kind severance --json
same "applied" "$(jnum amount_minor "$T/out")" 1374886
has "new version recorded" "$T/out" '"rules_version": "TR-test-2"'
expect "a broken rule file is refused" 65 env FAIRSHARE_RULES="$T/nowhere" "$FS_BIN" --db "$DB" claims compute --workplace 1

# entered claims need their document
expect "injury claim without a document" 65 fs claim add --person-id 1 --kind injury --amount 50000
has "asks for the document" "$T/err" "document"
expect "injury claim" 0 fs claim add --person-id 1 --kind injury --amount 50000 --document-ref "Court file 2012/77"
expect "a claim of another person's employment" 65 fs claim add --person-id 2 --employment-id 1 --kind other --amount 1 --document-ref x

# payments: idempotent, append-only, reversed not edited
pay="--person-id 1 --payer-kind ministry --payer-name Ministry --paid-on 2012-03-01 --amount 1000.00"
expect "payment" 0 fs payment add $pay --idempotency-key k-1
expect "the same payment retried" 0 fs payment add $pay --idempotency-key k-1
has "recorded once" "$T/out" "exists: payment 1"
expect "the same key with other fields" 65 fs payment add --person-id 1 --payer-kind ministry --payer-name Ministry --paid-on 2012-03-01 --amount 2000 --idempotency-key k-1
expect "one payment only" 0 fs payment list --json
has "one" "$T/out" '"total": 1'
expect "payments are not edited" 65 fs payment edit 1 --amount 5
has "says how to correct" "$T/err" "reverse"
expect "payments are not removed" 65 fs payment remove 1
expect "zero is not a payment" 65 fs payment add --person-id 1 --payer-kind ministry --payer-name M --paid-on 2012-03-01 --amount 0
expect "reverse" 0 fs payment reverse 1 --reason "entered twice" --amount 1000.00
has "negative amount" "$T/out" "-1000.00"
expect "reverse twice" 65 fs payment reverse 1
has "already reversed" "$T/err" "already reversed"
expect "a reversal is not reversed" 65 fs payment reverse 2
expect "payment" 0 fs payment add $pay --idempotency-key k-2

# promises and the watch
expect "promise" 0 fs promise add --promisor-kind ministry --promisor-name "Ministry of Labour" --workplace-id 1 --kinds severance,notice --made-on 2011-09-15 --due-on 2011-11-15
expect "promise with an unknown kind" 65 fs promise add --promisor-kind ministry --promisor-name X --kinds bonus --made-on 2011-01-01 --due-on 2011-02-01
expect "promise due before it was made" 65 fs promise add --promisor-kind ministry --promisor-name X --made-on 2011-03-01 --due-on 2011-02-01
expect "watch" 0 fs watch --as-of 2026-01-01
has "overdue promise" "$T/out" "OVERDUE"
has "partly paid worker" "$T/out" "partly paid                1"
expect "watch --json" 0 fs watch --as-of 2026-01-01 --json
owed=$(jnum owed_minor "$T/out"); paid=$(jnum paid_minor "$T/out"); out=$(jnum outstanding_minor "$T/out")
same "outstanding = owed - paid" "$out" "$((owed - paid))"
same "paid is the one kept payment" "$paid" 100000
has "past limitation counted" "$T/out" '"past"'
expect "watch of an unknown workplace" 66 fs watch --workplace 99
expect "statement" 0 fs statement 1 --as-of 2026-01-01
has "statement explains" "$T/out" "How it was computed"
has "statement lists the payment" "$T/out" "Ministry (ministry)"
has "statement shows the reversal" "$T/out" "reversal"
expect "statement in Kazakh" 0 fs statement 1 --lang kk --as-of 2026-01-01
has "Kazakh explanation" "$T/out" "еңбек өтілі"
expect "statement --json" 0 fs statement 1 --json --as-of 2026-01-01
sed -n '/"totals"/,/}/p' "$T/out" >"$T/totals"
so=$(jnum owed_minor "$T/totals"); sp=$(jnum paid_minor "$T/totals"); sout=$(jnum outstanding_minor "$T/totals")
same "statement: outstanding = owed - paid" "$sout" "$((so - sp))"
same "statement: paid is the kept payment" "$sp" 100000
expect "statement of nobody" 66 fs statement 99
expect "verify after it all" 0 fs verify
finish
