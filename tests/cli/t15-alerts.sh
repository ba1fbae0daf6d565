#!/bin/sh
# t15 - detentions and the whereabouts alert: unknown past the set time (default
# 24 h) is the warning sign of an enforced disappearance.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
for name in "Нұрлан Беков" "Ерлан Оспанов" "Dana Nurlanova" "Марат Ахметов"; do fs person add --full-name "$name" >/dev/null; done
expect "unknown since the arrest" 0 fs detention add --person-id 1 --arrested-at "2011-12-17 09:00" --arresting-body "police"
expect "acknowledged" 0 fs detention add --person-id 2 --arrested-at 2011-12-17T09:00 --whereabouts acknowledged --held-at "ИВС Жаңаөзен"
expect "released" 0 fs detention add --person-id 3 --arrested-at 2011-12-17T09:00 --released-at 2011-12-17T18:00 --release-kind released
expect "recent" 0 fs detention add --person-id 4 --arrested-at 2011-12-18T06:00 --lawyer-access yes
expect "stored in UTC form" 0 fs --json detention show 1
has "normalised" "$T/out" '"arrested_at": "2011-12-17T09:00:00Z"'
has "whereabouts default" "$T/out" '"whereabouts": "unknown"'
has "since the arrest" "$T/out" '"whereabouts_since": "2011-12-17T09:00:00Z"'
expect "23 hours after: no alert" 0 fs --json record alerts --now 2011-12-18T08:00
has "none" "$T/out" '"count": 0'
expect "25 hours after: one alert, exit 65" 65 fs --json record alerts --now 2011-12-18T10:00
has "one" "$T/out" '"count": 1'
has "named" "$T/out" "Нұрлан Беков"
has "hours" "$T/out" '"hours": 25'
hasnot "acknowledged is not an alert" "$T/out" "Ерлан"
hasnot "released is not an alert" "$T/out" "Dana"
expect "a shorter limit" 65 fs --json record alerts --now 2011-12-18T10:00 --hours 4
has "two" "$T/out" '"count": 2'
expect "text" 65 fs record alerts --now 2011-12-18T10:00
has "line" "$T/out" "whereabouts unknown for 25 hours"
expect "the family learns where he is" 0 fs detention edit 1 --whereabouts disclosed --whereabouts-since 2011-12-18T12:00
expect "no alert now" 0 fs record alerts --now 2011-12-19T10:00 --hours 48
# bad input
expect "bad time" 65 fs detention add --person-id 1 --arrested-at "17.12.2011 9h"
has "says what" "$T/err" "is not a date and time"
expect "hour 25" 65 fs detention add --person-id 1 --arrested-at 2011-12-17T25:00
expect "released before arrested" 65 fs detention add --person-id 1 --arrested-at 2011-12-17T09:00 --released-at 2011-12-16T09:00
expect "bad whereabouts" 65 fs detention add --person-id 1 --arrested-at 2011-12-17T09:00 --whereabouts lost
expect "bad --now" 65 fs record alerts --now yesterday
expect "bad --hours" 64 fs record alerts --hours -3
# over HTTP: for roles that document only
FAIRSHARE_PASSWORD=documenter-pass fs user add docu --role documenter >/dev/null
FAIRSHARE_PASSWORD=viewer-pass fs user add view --role viewer >/dev/null
start_server 15 || notok "server starts"
code() { tok=$(fs user token "$1"); shift; curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $tok" "$@"; }
same "alerts for a documenter" "$(code docu "$B/orgs/oil/record/alerts")" 200
has "the man taken on 18 December is still unaccounted for" "$T/out" '"name":"Марат Ахметов"'
hasnot "the one whose whereabouts were disclosed is not" "$T/out" "Нұрлан"
hasnot "the acknowledged one is not" "$T/out" "Ерлан"
same "a longer limit" "$(code docu "$B/orgs/oil/record/alerts?hours=8760")" 200
has "still there after a year" "$T/out" '"count":'
same "not for a viewer" "$(code view "$B/orgs/oil/record/alerts")" 403
same "bad hours" "$(code docu "$B/orgs/oil/record/alerts?hours=soon")" 422
same "zero hours" "$(code docu "$B/orgs/oil/record/alerts?hours=0")" 422
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
expect "verify" 0 fs verify
finish
