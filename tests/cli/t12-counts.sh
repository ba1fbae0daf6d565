#!/bin/sh
# t12 - counting victims: unique persons per violation type, never reports;
# confirmed (R2+R3) apart from contested and the reported range; discounted and
# duplicate records left out; linked person records count once; public filter.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
for name in "Жанболат Қасымов" "Zhanbolat Kasymov" "Ерлан Оспанов" "Aigul Seitova" "Fake Person" "Dana Nurlanova"; do
	fs person add --full-name "$name" >/dev/null
done
fs record link 1 2 --same --reason "same ID card" >/dev/null
expect "incident 1" 0 fs incident add --type protest_dispersed --started-on 2026-01-04 --region Mangystau --handling public
expect "incident 2" 0 fs incident add --type excessive_force --started-on 2026-01-05 --region Almaty
expect "incident 3" 0 fs incident add --type mass_arrest --started-on 2026-02-01 --region Almaty
v() { fs violation add "$@" >/dev/null || echo "violation $* failed" >&2; }
v --incident-id 1 --type injury --person-id 1 --handling public           # 1
v --incident-id 1 --type injury --person-id 2 --handling public           # 2 same person as 1
v --incident-id 1 --type injury --person-id 3 --handling public           # 3
v --incident-id 1 --type injury --person-id 4                             # 4 internal
v --incident-id 1 --type injury --person-id 5 --handling public           # 5 discounted
v --incident-id 1 --type injury --victims-low 2 --victims-high 5 --handling public  # 6 unnamed
v --incident-id 2 --type injury --victims-low 3 --victims-high 4          # 7 unnamed
v --incident-id 2 --type extrajudicial_killing --person-id 6 --method "live ammunition"  # 8
v --incident-id 2 --type injury --person-id 4                             # 9 the same victim again
v --incident-id 3 --type arbitrary_arrest --person-id 3                   # 10 incident discounted
v --incident-id 2 --type injury --person-id 3                             # 11 duplicate report
a() { fs assessment add --subject "$1" --subject-id "$2" --level "$3" --reason "$4" >/dev/null || echo "assessment $* failed" >&2; }
a violation 1 R3 "court record: forensic report"
a violation 2 R1 "two co-workers saw it"
a violation 3 R2 "documenter's interview and medical certificate"
a violation 5 XD "the person was not there (shown false)"
a violation 8 R2 "family testimony and death certificate"
a violation 8 XC "the prosecutor's account contradicts the date"
a incident 3 XD "out of scope: not related to the strike"
a violation 11 DU "same act as violation 3"
expect "counts" 0 fs --json record counts
# python3 is there wherever meson is (a dependency of meson)
row() { python3 -c "import json,sys; d=json.load(open('$T/out')); r=[x for x in d['rows'] if x['type']=='$1' and ('${2:-}'=='' or x.get(d['by'])=='${2:-}')]; print(' '.join(str(r[0][k]) for k in ('confirmed','contested','reported_min','reported_max')) if r else 'none')"; }
same "injury: 2 confirmed (linked records once), 3-10 reported" "$(row injury)" "2 0 3 10"
same "killing: contested, not confirmed (the latest assessment counts)" "$(row extrajudicial_killing)" "0 1 0 0"
same "a discounted incident counts nothing" "$(row arbitrary_arrest)" "none"
expect "by region" 0 fs --json record counts --by region
same "Mangystau" "$(row injury Mangystau)" "2 0 1 6"
same "Almaty: the duplicate act is left out" "$(row injury Almaty)" "0 0 3 5"
expect "public only" 0 fs --json record counts --public
same "public: internal records left out" "$(row injury)" "2 0 0 5"
same "public: the internal incident is left out" "$(row extrajudicial_killing)" "none"
expect "text" 0 fs record counts
has "table" "$T/out" "reported, unconfirmed (min-max)"
expect "unlink: two records, two people" 0 fs record unlink 1
expect "counts again" 0 fs --json record counts
same "injury after unlink" "$(row injury)" "2 0 4 11"
# bad input
expect "assessment of nothing" 65 fs assessment add --subject violation --subject-id 99 --level R1 --reason x
has "says what" "$T/err" "there is no violation with id 99"
expect "unknown level" 65 fs assessment add --subject violation --subject-id 1 --level R9 --reason x
expect "a reason is required" 65 fs assessment add --subject violation --subject-id 1 --level R1
expect "assessments are never edited" 65 fs assessment edit 1 --reason "changed"
has "history kept" "$T/err" "history is kept"
expect "named and counted at once" 65 fs violation add --incident-id 1 --type injury --person-id 1 --victims-high 3
expect "neither named nor counted" 65 fs violation add --incident-id 1 --type injury
expect "high below low" 65 fs violation add --incident-id 1 --type injury --victims-low 5 --victims-high 2
expect "not a number" 65 fs violation add --incident-id 1 --type injury --victims-low many
expect "unknown type" 65 fs violation add --incident-id 1 --type sadness --person-id 1
expect "ended before it started" 65 fs incident add --type strike --started-on 2026-03-01 --ended-on 2026-02-01
expect "counts by nothing" 65 fs record counts --by planet
expect "journaled and intact" 0 fs verify
finish
