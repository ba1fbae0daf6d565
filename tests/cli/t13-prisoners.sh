#!/bin/sh
# t13 - legal cases and the prisoner list: who is in custody on a date, days
# served, expected release; released people and run-out sentences leave the list.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
for name in "Роза Тұяқбаева" "Нұрлан Беков" "Ерлан Оспанов" "Aigul Seitova" "Dana Nurlanova"; do
	fs person add --full-name "$name" >/dev/null
done
expect "convicted: 5 years" 0 fs case add --person-id 1 --charges "art. 272: organising mass unrest" --court "Ақтау қалалық соты" \
	--custody-since 2011-12-20 --verdict convicted --verdict-on 2012-06-04 --sentence prison --sentence-months 60 --handling public
expect "pre-trial detention" 0 fs case add --person-id 2 --charges "art. 174: inciting social discord" --custody-since 2012-01-10
expect "released" 0 fs case add --person-id 3 --charges "art. 272" --custody-since 2011-12-20 --verdict convicted --sentence prison \
	--sentence-months 36 --released-on 2012-12-01
expect "suspended: not in custody" 0 fs case add --person-id 4 --charges "art. 272" --verdict convicted --sentence suspended
expect "expected release given" 0 fs case add --person-id 5 --charges "art. 400" --custody-since 2012-01-05 --verdict convicted \
	--sentence administrative_jail --expected-release 2012-02-04
expect "prisoners on 2012-02-01" 0 fs --json record prisoners --as-of 2012-02-01
same "three in custody" "$(grep -o '"count": [0-9]*' "$T/out" | grep -o '[0-9]*$')" 3
has "days served: 2011-12-20 to 2012-02-01" "$T/out" '"days_served": 43'
has "expected release: custody + 60 months" "$T/out" '"expected_release": "2016-12-20"'
has "pre-trial" "$T/out" '"status": "pre-trial detention"'
hasnot "released people are not listed" "$T/out" "Ерлан Оспанов"
hasnot "a suspended sentence is not custody" "$T/out" "Aigul Seitova"
expect "a week later" 0 fs --json record prisoners --as-of 2012-02-08
hasnot "a sentence that ran out leaves the list" "$T/out" "Dana Nurlanova"
expect "public only" 0 fs --json record prisoners --as-of 2012-02-01 --public
same "one public case" "$(grep -o '"count": [0-9]*' "$T/out" | grep -o '[0-9]*$')" 1
expect "text" 0 fs record prisoners --as-of 2012-02-01
has "line" "$T/out" "serving a sentence"
has "total" "$T/out" "3 in custody on 2012-02-01"
expect "the lawyer is sealed" 0 fs case edit 2 --lawyer "Адвокат А."
expect "sealed at rest" 1 at_rest "$DB" "Адвокат"
# bad input
expect "a sentence without a conviction" 65 fs case add --person-id 4 --charges x --sentence prison --sentence-months 12
has "says why" "$T/err" "verdict 'convicted'"
expect "prison without a length" 65 fs case add --person-id 4 --charges x --verdict convicted --sentence prison
expect "released before custody" 65 fs case add --person-id 4 --charges x --custody-since 2012-01-01 --released-on 2011-01-01
expect "no such person" 65 fs case add --person-id 99 --charges x
expect "charges required" 65 fs case add --person-id 4
expect "bad date" 65 fs record prisoners --as-of 2012-13-01
# the API: documenters see every handling level, a viewer public records only
FAIRSHARE_PASSWORD=documenter-pass fs user add doc --role documenter >/dev/null
FAIRSHARE_PASSWORD=viewer-pass fs user add view --role viewer >/dev/null
start_server 13
get() { curl -s -H "Authorization: Bearer $(fs user token "$1")" "$B/orgs/oil/record/$2"; echo; }
get doc "prisoners?as_of=2012-02-01" >"$T/out"
has "documenter: all cases" "$T/out" '"count":3'
get view "prisoners?as_of=2012-02-01" >"$T/out"
has "viewer: public cases only" "$T/out" '"count":1'
hasnot "viewer: no internal case" "$T/out" "Нұрлан Беков"
same "viewer: no duplicate review" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(fs user token view)" "$B/orgs/oil/record/duplicates")" 403
code() { u=$1; shift; curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $(fs user token "$u")" -H 'Content-Type: application/json' "$@"; }
same "documenter records a public incident" "$(code doc -X POST -d '{"type":"mass_arrest","started_on":"2011-12-17","handling":"public"}' "$B/orgs/oil/incidents")" 201
same "documenter records an internal one" "$(code doc -X POST -d '{"type":"raid","started_on":"2011-12-18","region":"secret-place"}' "$B/orgs/oil/incidents")" 201
same "a viewer cannot record" "$(code view -X POST -d '{"type":"raid","started_on":"2011-12-18"}' "$B/orgs/oil/incidents")" 403
same "viewer lists incidents" "$(code view "$B/orgs/oil/incidents")" 200
has "the public one" "$T/out" "mass_arrest"
hasnot "not the internal one" "$T/out" "secret-place"
same "viewer cannot open the internal one" "$(code view "$B/orgs/oil/incidents/2")" 404
same "viewer cannot ask for it by handling" "$(code view "$B/orgs/oil/incidents?handling=internal")" 200
hasnot "still only public" "$T/out" "secret-place"
same "documenter opens it" "$(code doc "$B/orgs/oil/incidents/2")" 200
same "an assessment over the API" "$(code doc -X POST -d '{"subject":"incident","subject_id":1,"level":"R1","reason":"two sources"}' "$B/orgs/oil/assessments")" 201
same "a bad level is a clear error" "$(code doc -X POST -d '{"subject":"incident","subject_id":1,"level":"R7","reason":"x"}' "$B/orgs/oil/assessments")" 422
has "names the field" "$T/out" '"field":"level"'
get doc "counts?by=planet" >"$T/out"
has "a bad grouping is a clear error" "$T/out" "is not one of: type, action, region, month, incident"
kill -TERM "$server"
wait "$server"
expect "verify" 0 fs verify
finish
