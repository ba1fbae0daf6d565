#!/bin/sh
# t17 - citations tie reports and evidence to what they support; suggested
# verification levels from them; identity levels in the duplicate queue; exports
# of the record (public ones without anything internal or sealed); the record's
# API: evidence upload, timeline, suggestions, exports, by role.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
fs person add --full-name "Жанболат Қасымов" --birth-date 1985-03-02 >/dev/null
fs person add --full-name "Zhanbolat Kasymov" --birth-date 1985-03-02 >/dev/null
fs incident add --type excessive_force --started-on 2011-12-16 --place "Қаратау" --handling public >/dev/null
fs incident add --type mass_arrest --started-on 2011-12-17 --handling internal >/dev/null
fs violation add --incident-id 1 --type extrajudicial_killing --person-id 1 --handling public >/dev/null
fs violation add --incident-id 1 --type injury --victims-low 30 --victims-high 80 --handling public >/dev/null
rep() { fs report add --incident-id "$1" --received-on 2011-12-17 --connection "$2" --reliability "$3" --credibility "$4" \
	--source "$5" --text "statement $5" --handling "${6:-internal}" >/dev/null; }
rep 1 official e 4 "Police press office" public    # report 1
rep 1 co_worker c 3 "Co-worker A"                  # report 2

# citations
expect "report 1 supports the killing" 0 fs citation add --subject violation --subject-id 1 --report-id 1
expect "the same citation twice" 65 fs citation add --subject violation --subject-id 1 --report-id 1
has "names it" "$T/err" "this source is cited for this violation already (citation 1)"
expect "no source" 65 fs citation add --subject violation --subject-id 1
has "one source" "$T/err" "a citation names one source: report_id or evidence_id"
expect "two sources in one" 65 fs citation add --subject violation --subject-id 1 --report-id 1 --evidence-id 1
expect "a violation that does not exist" 65 fs citation add --subject violation --subject-id 99 --report-id 1
expect "an unknown subject" 65 fs citation add --subject person --subject-id 1 --report-id 1
expect "a report that does not exist" 65 fs citation add --subject incident --subject-id 1 --report-id 42

# suggestions, step by step
expect "one official report: R0" 0 fs --json record suggest
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
for s in json.load(open(sys.argv[1]))["suggestions"]:
    print(s["subject"], s["subject_id"], s["current"], s["suggested"])
EOF
has "violation 1 at r0" "$T/check" "violation 1 None r0"
has "incident 1: two reports from different sources" "$T/check" "incident 1 None r1"
expect "a second, independent source" 0 fs citation add --subject violation --subject-id 1 --report-id 2
fs --json record suggest >"$T/out"
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
for s in json.load(open(sys.argv[1]))["suggestions"]:
    print(s["subject"], s["subject_id"], s["current"], s["suggested"], s["why"])
EOF
has "corroborated: r1" "$T/check" "violation 1 None r1 reports 1 and 2 come from different sources"
rep 1 documenter a 2 "Union documenter"          # report 3
expect "the documenter's own account" 0 fs citation add --subject violation --subject-id 1 --report-id 3
printf 'hospital record' >"$T/hospital.txt"
expect "a hospital record" 0 fs evidence add "$T/hospital.txt" --kind medical_certificate
expect "cited" 0 fs citation add --subject violation --subject-id 1 --evidence-id 1 --note "admission record"
fs --json record suggest >"$T/out"
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
for s in json.load(open(sys.argv[1]))["suggestions"]:
    print(s["subject"], s["subject_id"], s["current"], s["suggested"], s["evidence"])
EOF
has "verified: r2" "$T/check" "violation 1 None r2 [1]"
printf 'death certificate no. 17' >"$T/death.pdf"
expect "a death certificate" 0 fs evidence add "$T/death.pdf" --kind death_certificate --handling restricted
expect "cited" 0 fs citation add --subject violation --subject-id 1 --evidence-id 2
fs record suggest >"$T/out"
has "confirmed: r3" "$T/out" "violation 1: not assessed -> r3  (evidence 2 is documentary proof"
expect "the documenter records it" 0 fs assessment add --subject violation --subject-id 1 --level r3 --reason "death certificate"
fs --json record suggest >"$T/out"
hasnot "nothing more to suggest for it" "$T/out" '"subject_id": 1, "current": "r3"'
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
print(sorted((s["subject"], s["subject_id"]) for s in json.load(open(sys.argv[1]))["suggestions"]))
EOF
has "only the incident is left" "$T/check" "[('incident', 1)]"
expect "contested: never suggested over" 0 fs assessment add --subject incident --subject-id 1 --level xc --reason "accounts contradict"
fs --json record suggest >"$T/out"
has "nothing left" "$T/out" '"count": 0'

# identity levels in the duplicate queue
expect "an identity assessment" 0 fs assessment add --subject person --subject-id 1 --level r3 --reason "ID card copy"
expect "queue" 0 fs --json record duplicates
has "level of record 1" "$T/out" '"identity_a": "r3"'
hasnot "record 2 not assessed" "$T/out" '"identity_b"'
expect "text queue" 0 fs record duplicates
has "shown" "$T/out" "[r3]"

# exports
expect "violations as CSV" 0 fs export violations
has "header" "$T/out" "id,incident_id,type,person_id,victims_low,victims_high,occurred_on,method,involvement,handling"
hasnot "no sealed column" "$T/out" "perpetrator"
expect "reports, public only" 0 fs export reports --public --format json
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
print("rows", len(rows), sorted({r["handling"] for r in rows}), any("text" in r or "source" in r for r in rows))
EOF
has "one public report, nothing sealed" "$T/check" "rows 1 ['public'] False"
expect "reports revealed" 0 fs export reports --reveal
has "the statement" "$T/out" "statement Co-worker A"
expect "incidents public" 0 fs export incidents --public
hasnot "no internal incident" "$T/out" "mass_arrest"
expect "public and reveal" 64 fs export reports --public --reveal
expect "links: a public form (the records naming their people decide)" 0 fs export person_links --public
expect "memberships: not a record collection" 64 fs export memberships --public
expect "an unknown collection" 64 fs export prisoners
expect "to a file" 0 fs export citations --output "$T/c.csv"
same "five citations and a header" "$(wc -l <"$T/c.csv" | tr -d ' ')" 6

# the API
FAIRSHARE_PASSWORD=documenter-pass fs user add docu --role documenter >/dev/null
FAIRSHARE_PASSWORD=viewer-pass fs user add view --role viewer >/dev/null
dtok=$(fs user token docu)
vtok=$(fs user token view)
start_server 17 || notok "server starts"
D="Authorization: Bearer $dtok"
V="Authorization: Bearer $vtok"
code() { curl -s -o "$T/out" -w '%{http_code}' "$@"; }
printf 'photo of the square' >"$T/square.jpg"
same "upload evidence" "$(code -H "$D" --data-binary @"$T/square.jpg" -H 'Content-Type: application/octet-stream' "$B/orgs/oil/evidence?filename=square.jpg&kind=photo&captured_on=2011-12-16&handling=public")" 201
has "its hash" "$T/out" "$(sha256sum "$T/square.jpg" | cut -c1-64)"
same "the same file again" "$(code -H "$D" --data-binary @"$T/square.jpg" "$B/orgs/oil/evidence?filename=square.jpg")" 409
has "names the record" "$T/out" "square.jpg is evidence 3 already"
same "no name" "$(code -H "$D" --data-binary @"$T/death.pdf" "$B/orgs/oil/evidence")" 422
has "asks for the name" "$T/out" '"field":"filename"' 
same "no file" "$(code -H "$D" -X POST "$B/orgs/oil/evidence?filename=x.jpg")" 422
has "asks for the file" "$T/out" "the file is empty"
same "bad kind" "$(code -H "$D" --data-binary 'x' "$B/orgs/oil/evidence?filename=x.jpg&kind=selfie")" 422
same "and the refused file is not kept" "$(find "$EVID" -type f | wc -l | tr -d ' ')" 3
same "a viewer cannot upload" "$(code -H "$V" --data-binary 'y' "$B/orgs/oil/evidence?filename=y.jpg")" 403
expect "stored and intact" 0 fs evidence verify
same "download the file" "$(code -H "$D" "$B/orgs/oil/evidence/3/file")" 200
same "the same bytes" "$(cat "$T/out")" "photo of the square"
expect "the download is in the custody log" 0 fs --json evidence show 3
has "exported" "$T/out" '"event": "exported"'
same "a viewer gets public evidence" "$(code -H "$V" "$B/orgs/oil/evidence/3/file")" 200
same "but not restricted evidence" "$(code -H "$V" "$B/orgs/oil/evidence/2/file")" 404
same "no such file" "$(code -H "$D" "$B/orgs/oil/evidence/99/file")" 404
sq=$(sha256sum "$T/square.jpg" | cut -c1-64)
stored="$EVID/$(echo "$sq" | cut -c1-2)/$sq"
chmod u+w "$stored"; printf 'photo of another square' >"$stored"
same "an altered file is not handed out" "$(code -H "$D" "$B/orgs/oil/evidence/3/file")" 409
has "says so" "$T/out" "has been altered"
cp "$T/square.jpg" "$stored"
same "sealed fields by PATCH" "$(code -H "$D" -X PATCH -H 'Content-Type: application/json' -d '{"description":"the square, 11:40"}' "$B/orgs/oil/evidence/3")" 200
same "timeline" "$(code -H "$D" "$B/orgs/oil/record/timeline")" 200
has "the internal arrest" "$T/out" "mass_arrest"
same "viewer's timeline" "$(code -H "$V" "$B/orgs/oil/record/timeline")" 200
hasnot "public only" "$T/out" "mass_arrest"
has "public incident" "$T/out" "excessive_force"
same "timeline bad action" "$(code -H "$D" "$B/orgs/oil/record/timeline?action=x")" 422
same "timeline half a number" "$(code -H "$D" "$B/orgs/oil/record/timeline?action=1x")" 422
same "timeline unknown action" "$(code -H "$D" "$B/orgs/oil/record/timeline?action=5")" 404
same "suggestions" "$(code -H "$D" "$B/orgs/oil/record/suggestions")" 200
same "not for viewers" "$(code -H "$V" "$B/orgs/oil/record/suggestions")" 403
same "export" "$(code -H "$D" "$B/orgs/oil/record/export?collection=incidents&format=json")" 200
has "internal for documenters" "$T/out" "mass_arrest"
same "viewer's export" "$(code -H "$V" "$B/orgs/oil/record/export?collection=incidents")" 200
hasnot "public only" "$T/out" "mass_arrest"
same "viewer: the links it may read" "$(code -H "$V" "$B/orgs/oil/record/export?collection=person_links")" 200
same "not a record collection" "$(code -H "$D" "$B/orgs/oil/record/export?collection=people")" 422
same "bad format" "$(code -H "$D" "$B/orgs/oil/record/export?collection=incidents&format=xml")" 422
same "actions collection" "$(code -H "$D" -H 'Content-Type: application/json' -d '{"kind":"march","title":"M","started_on":"2012-03-01","handling":"public"}' "$B/orgs/oil/actions")" 201
same "a demand" "$(code -H "$D" -H 'Content-Type: application/json' -d '{"action_id":1,"text":"Pay","status":"won","outcome_on":"2012-04-01","handling":"public"}' "$B/orgs/oil/demands")" 201
same "a bad demand" "$(code -H "$D" -H 'Content-Type: application/json' -d '{"action_id":1,"text":"Pay","outcome_on":"2012-04-01"}' "$B/orgs/oil/demands")" 422
has "field named" "$T/out" '"field":"outcome_on"'
same "viewer sees the public demand" "$(code -H "$V" "$B/orgs/oil/demands?action_id=1")" 200
has "the demand" "$T/out" '"Pay"'
same "the fields of incidents" "$(code -H "$V" "$B/entities/incidents")" 200
has "with their values" "$T/out" '"values":["strike","peaceful_protest"'
has "refs by collection" "$T/out" '"ref":"action_stages"'
same "not for users" "$(code -H "$V" "$B/entities/users")" 404
same "logged in only" "$(code "$B/entities/incidents")" 401
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
expect "verify" 0 fs verify
finish
