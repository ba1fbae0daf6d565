#!/bin/sh
# t30-handling - issue 10's restricted assessments, citations and person links,
# through the CLI (--as an account) and the API: a viewer reads nothing that
# concerns a restricted record — not the assessment of a restricted incident (nor
# its reason), not a citation of it, not a link between people named only there;
# lists, totals, pages, exports, counts and the timeline agree; hidden records
# answer as if they did not exist.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Oil Union" --country KZ --currency KZT >/dev/null
fs org add --slug far --name "Far Union" --country KZ --currency KZT >/dev/null
o() { fs --org oil "$@"; }
o person add --full-name "Public Victim" >/dev/null                     # 1
o person add --full-name "Hidden Victim" >/dev/null                     # 2
o person add --full-name "Hidden Victim Again" >/dev/null               # 3
o person add --full-name "Named Nowhere" >/dev/null                     # 4
o person add --full-name "Two Records" >/dev/null                       # 5
o incident add --type excessive_force --started-on 2011-12-16 --handling public >/dev/null        # 1
o incident add --type raid --started-on 2011-12-17 --place "cell 4" --handling restricted >/dev/null   # 2
o violation add --incident-id 1 --type injury --person-id 1 --handling public >/dev/null          # 1
o violation add --incident-id 2 --type torture --person-id 2 --handling public >/dev/null         # 2: public, of a restricted incident
o violation add --incident-id 2 --type torture --person-id 3 --handling public >/dev/null         # 3
o violation add --incident-id 1 --type injury --person-id 5 --handling public >/dev/null          # 4
o detention add --person-id 5 --incident-id 2 --arrested-at 2011-12-17T09:00 --handling public >/dev/null   # 1: of the restricted incident
rep() { o report add --incident-id "$1" --received-on 2011-12-18 --connection victim --reliability b --credibility 2 \
	--source "S$1" --text "T$1" --handling public >/dev/null; }
rep 1 # report 1
rep 2 # report 2: public, of the restricted incident
o assessment add --subject incident --subject-id 1 --level r1 --reason "two sources agree" >/dev/null          # 1
o assessment add --subject incident --subject-id 2 --level r2 --reason "the doctor's secret words" >/dev/null  # 2
o assessment add --subject violation --subject-id 2 --level r1 --reason "violation of the cell" >/dev/null      # 3
o assessment add --subject person --subject-id 2 --level r3 --reason "identity from the cell" >/dev/null        # 4
o assessment add --subject person --subject-id 4 --level r1 --reason "named nowhere in the record" >/dev/null   # 5
o assessment add --subject person --subject-id 1 --level r3 --reason "public victim's card" >/dev/null          # 6
o citation add --subject incident --subject-id 1 --report-id 1 >/dev/null      # 1
o citation add --subject incident --subject-id 2 --report-id 2 >/dev/null      # 2
o citation add --subject violation --subject-id 1 --report-id 2 >/dev/null     # 3: public violation, restricted source
o record link 2 3 --same --reason "the cell's two names" >/dev/null            # link 1
o record link 1 5 --different --reason "different fathers" >/dev/null          # link 2: 5 is in a restricted detention
o action add --kind march --title "Hidden March" --started-on 2012-03-01 --handling restricted >/dev/null  # 1
printf 'cell photo' >"$T/cell.jpg"
o evidence add "$T/cell.jpg" --kind photo --handling restricted >/dev/null     # evidence 1
export FAIRSHARE_PASSWORD=viewer-pass-long
o user add viewer --role viewer >/dev/null
o user add docu --role documenter >/dev/null
o user add gone --role viewer >/dev/null
fs user token viewer >"$T/vt"
fs user token docu >"$T/dt"
unset FAIRSHARE_PASSWORD
V="Authorization: Bearer $(cat "$T/vt")"
D="Authorization: Bearer $(cat "$T/dt")"
start_server 31
get() { curl -s -o "$T/out" -w '%{http_code}' -H "$1" "$B$2"; }
ov() { o --as viewer --json "$@"; }
ids() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j=j.get("items", j) if isinstance(j, dict) else j; print(" ".join(str(i["id"]) for i in j))' "$1"; }
total() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$1"; }

# the issue's case: the assessment of a restricted incident, with its reason
same "API: the restricted incident is not found" "$(get "$V" /orgs/oil/incidents/2)" 404
same "API: nor its assessment" "$(get "$V" /orgs/oil/assessments/2)" 404
hasnot "its reason is not told" "$T/out" "secret words"
expect "CLI: nor its assessment" 66 ov assessment show 2
hasnot "CLI: its reason is not told" "$T/out" "secret words"
same "a documenter reads it" "$(get "$D" /orgs/oil/assessments/2)" 200
has "with its reason" "$T/out" "the doctor's secret words"
expect "CLI: a documenter reads it" 0 o --as docu assessment show 2

# lists of assessments, citations and person links: the same through both
same "API: assessments" "$(get "$V" /orgs/oil/assessments)" 200
same "only what concerns public records" "$(ids "$T/out")" "1 6"
same "the total counts what is shown" "$(total "$T/out")" 2
hasnot "no hidden reason in the list" "$T/out" "secret words"
expect "CLI: assessments" 0 ov assessment list
same "CLI: the same" "$(ids "$T/out")" "1 6"
same "API: a page of one" "$(get "$V" '/orgs/oil/assessments?limit=1&offset=1')" 200
same "the second shown one" "$(ids "$T/out") $(total "$T/out")" "6 2"
same "API: a filter cannot widen it" "$(get "$V" '/orgs/oil/assessments?subject=incident&subject_id=2')" 200
same "nothing" "$(ids "$T/out") $(total "$T/out")" " 0"
same "API: handling=restricted cannot widen the incidents" "$(get "$V" '/orgs/oil/incidents?handling=restricted')" 200
same "no incident" "$(total "$T/out")" 0
same "API: citations" "$(get "$V" /orgs/oil/citations)" 200
same "only the public one: the others name the restricted incident or source" "$(ids "$T/out")" "1"
expect "CLI: citations" 0 ov citation list
same "CLI: the same" "$(ids "$T/out")" "1"
same "API: a citation of the restricted incident" "$(get "$V" /orgs/oil/citations/2)" 404
expect "CLI: the same" 66 ov citation show 2
same "API: a public violation's citation of a restricted report" "$(get "$V" /orgs/oil/citations/3)" 404
same "API: person links" "$(get "$V" /orgs/oil/person_links)" 200
same "none: both name people of restricted records" "$(total "$T/out")" 0
hasnot "no reason told" "$T/out" "two names"
expect "CLI: person links" 0 ov record links
same "CLI: none either" "$(ids "$T/out")" ""
same "API: a link" "$(get "$V" /orgs/oil/person_links/1)" 404
same "a documenter lists both" "$(get "$D" /orgs/oil/person_links)" 200
same "both" "$(ids "$T/out")" "1 2"

# the level comes from the records concerned
same "a public violation of the restricted incident" "$(get "$V" /orgs/oil/violations/2)" 404
expect "CLI: the same" 66 ov violation show 2
same "its assessment" "$(get "$V" /orgs/oil/assessments/3)" 404
same "a public report of it" "$(get "$V" /orgs/oil/reports/2)" 404
same "a person named only there: their assessment" "$(get "$V" /orgs/oil/assessments/4)" 404
same "a person named nowhere in the record: internal" "$(get "$V" /orgs/oil/assessments/5)" 404
same "the public victim's" "$(get "$V" /orgs/oil/assessments/6)" 200
same "the person records themselves are the register's" "$(get "$V" /orgs/oil/people/2)" 200
same "restricted evidence: its file" "$(get "$V" /orgs/oil/evidence/1/file)" 404
expect "CLI: evidence show" 66 ov evidence show 1
expect "CLI: a documenter's evidence show" 0 o --as docu --json evidence show 1
expect "CLI: evidence export" 66 ov evidence export 1 "$T/copy.jpg"

# exports, counts, the timeline
same "API: export of assessments" "$(get "$V" '/orgs/oil/record/export?collection=assessments&format=json')" 200
same "the same two" "$(ids "$T/out")" "1 6"
hasnot "no hidden reason" "$T/out" "secret words"
expect "CLI: export" 0 ov export assessments --format json
same "CLI: the same two" "$(ids "$T/out")" "1 6"
expect "CLI: links, public export by a documenter" 0 o --as docu --json export person_links --public --format json
same "no link: their people are in restricted records" "$(ids "$T/out")" ""
same "a documenter's public export of assessments" "$(get "$D" '/orgs/oil/record/export?collection=assessments&format=json&public=1')" 200
same "the public ones only" "$(ids "$T/out")" "1 6"
same "API: counts" "$(get "$V" /orgs/oil/record/counts)" 200
cp "$T/out" "$T/api-counts"
expect "CLI: counts" 0 ov record counts
same "the same counts" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])))' "$T/out" "$T/api-counts")" True
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
print(sorted((r["type"], r["confirmed"], r["reported_min"]) for r in j["rows"]))
EOF
same "the viewer counts the public injuries only, no torture in the restricted incident" "$(cat "$T/check")" "[('injury', 0, 2)]"
expect "a documenter counts the torture too" 0 o --as docu --json record counts
has "torture" "$T/out" "torture"
same "API: the timeline of the hidden march" "$(get "$V" '/orgs/oil/record/timeline?action=1')" 404
expect "CLI: the same" 66 ov record timeline --action 1
same "a documenter's" "$(get "$D" '/orgs/oil/record/timeline?action=1')" 200
same "a documenter's whole timeline, restricted text and all" "$(get "$D" /orgs/oil/record/timeline)" 200
has "the restricted incident's place" "$T/out" "cell 4"
has "its detention" "$T/out" "detained"
same "API: the viewer's timeline" "$(get "$V" /orgs/oil/record/timeline)" 200
hasnot "no hidden incident" "$T/out" "torture"
hasnot "no hidden detention" "$T/out" "detained"
same "API: suggestions are for reviewers" "$(get "$V" /orgs/oil/record/suggestions)" 403
expect "CLI: the same" 77 ov record suggest
same "API: whereabouts alerts are for reviewers" "$(get "$V" /orgs/oil/record/alerts)" 403
expect "CLI: the same" 77 ov record alerts

# --as: an account of another organization, a disabled one
expect "an organization without a role: not found" 66 fs --org far --as viewer assessment list
has "says so" "$T/err" "holds no role in this organization"
fs user disable gone >/dev/null
expect "a disabled account acts as nobody" 77 fs --org oil --as gone assessment list
has "says so" "$T/err" "disabled"
expect "a viewer sees no sealed field through the CLI" 77 fs --org oil --as viewer person show 1 --reveal
expect "nor in a list" 77 fs --org oil --as viewer person list --reveal
expect "a viewer cannot write through the CLI" 77 fs --org oil --as viewer incident add --type raid --started-on 2012-01-01
has "names the capability" "$T/err" "record.write"
kill -TERM "$server"
wait "$server"
expect "verify" 0 fs verify
finish
