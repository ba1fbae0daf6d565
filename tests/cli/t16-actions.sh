#!/bin/sh
# t16 - actions with stages and demands, hearings, the timeline, counts by action,
# and every bad input of these records.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
fs employer add --name "ӨзенМұнайГаз" >/dev/null
fs employer add --name "Other LLP" >/dev/null
fs workplace add --employer-id 1 --name "Field 1" >/dev/null
for name in "Серік Жұмабаев" "Гүлнар Әлиева" "Ольга Ким"; do fs person add --full-name "$name" >/dev/null; done

# actions
expect "a strike" 0 fs action add --kind strike --title "Ереуіл" --started-on 2011-05-26 --ended-on 2011-12-16 \
	--workplace-id 1 --participants-low 2000 --participants-high 3500 --handling public
expect "the employer comes from the workplace" 0 fs --json action show 1
has "employer 1" "$T/out" '"employer_id": 1'
expect "a march, internal by default" 0 fs action add --kind march --title "Марш" --started-on 2012-03-01 --ended-on 2012-03-18
fs --json action show 2 >"$T/out"
has "internal" "$T/out" '"handling": "internal"'
expect "ended before it started" 65 fs action add --kind rally --title R --started-on 2012-03-02 --ended-on 2012-03-01
has "says which" "$T/err" "ended_on"
expect "participants upside down" 65 fs action add --kind rally --title R --started-on 2012-03-02 --participants-low 50 --participants-high 10
has "participants_high" "$T/err" "participants_high"
expect "workplace of another employer" 65 fs action add --kind strike --title S --started-on 2012-03-02 --workplace-id 1 --employer-id 2
has "names the employer" "$T/err" "is run by employer 1"
expect "unknown kind" 65 fs action add --kind riot --title S --started-on 2012-03-02
has "lists the kinds" "$T/err" "hunger_strike"
expect "a title is required" 65 fs action add --kind strike --started-on 2012-03-02

# stages of the march
for i in 1 2 3; do
	expect "stage $i" 0 fs stage add --action-id 2 --number $i --held-on 2012-03-0$i --from-place "T$i" --to-place "T$((i + 1))" --handling public
done
expect "the same number twice" 65 fs stage add --action-id 2 --number 2 --held-on 2012-03-05
has "names the stage" "$T/err" "action 2 has a stage 2 already (stage record 2)"
expect "an edit keeps its own number" 0 fs stage edit 2 --note "police at the bridge"
expect "renumbered onto another" 65 fs stage edit 2 --number 3
expect "stage 0" 65 fs stage add --action-id 2 --number 0 --held-on 2012-03-05
has "numbered from 1" "$T/err" "numbered from 1"
expect "before the march" 65 fs stage add --action-id 2 --number 4 --held-on 2012-02-28
has "before" "$T/err" "before the action started (2012-03-01)"
expect "after the march" 65 fs stage add --action-id 2 --number 4 --held-on 2012-03-19
has "after" "$T/err" "after the action ended (2012-03-18)"
expect "no such action" 65 fs stage add --action-id 9 --number 1 --held-on 2012-03-05

# demands and their outcome
expect "a demand, pending" 0 fs demand add --action-id 1 --text "Regional coefficient" --handling public
fs --json demand show 1 >"$T/out"
has "pending by default" "$T/out" '"status": "pending"'
expect "won" 0 fs demand edit 1 --status won --outcome-on 2011-09-01
expect "partly won" 0 fs demand add --action-id 2 --text "Pay the severance" --status partly_won --outcome-on 2012-05-02 --handling public
expect "lost, internal" 0 fs demand add --action-id 2 --text "Release the strikers" --status lost --outcome-on 2012-06-04
expect "pending with an outcome date" 65 fs demand add --action-id 1 --text X --outcome-on 2011-09-01
has "explains" "$T/err" "a pending demand has no outcome date"
expect "unknown status" 65 fs demand add --action-id 1 --text X --status maybe
expect "an empty demand" 65 fs demand add --action-id 1 --text ""

# incidents in the action, at a stage
expect "an incident at stage 2" 0 fs incident add --type mass_arrest --started-on 2012-03-02 --stage-id 2 --place T3 --handling public
fs --json incident show 1 >"$T/out"
has "the stage's action" "$T/out" '"action_id": 2'
expect "a stage of another action" 65 fs incident add --type mass_arrest --started-on 2012-03-02 --stage-id 2 --action-id 1
has "belongs" "$T/err" "belongs to action 2"
expect "the shooting, in the strike" 0 fs incident add --type excessive_force --started-on 2011-12-16 --action-id 1 --handling public
expect "an incident outside any action" 0 fs incident add --type raid --started-on 2013-01-10 --handling public

# detentions and a case with hearings
expect "detained at stage 2" 0 fs detention add --person-id 1 --incident-id 1 --arrested-at 2012-03-02T10:30 \
	--released-at 2012-03-03T18:00 --release-kind released --whereabouts acknowledged --handling public
expect "detained in the raid" 0 fs detention add --person-id 2 --incident-id 3 --arrested-at 2013-01-10T06:00 --handling public
expect "a case" 0 fs case add --person-id 1 --incident-id 1 --charges "art. 400" --court "District court" --verdict convicted \
	--verdict-on 2012-05-20 --sentence fine --handling public
expect "a hearing" 0 fs hearing add --case-id 1 --held-on 2012-04-02 --kind preliminary --outcome "bail" --next-on 2012-05-20 --handling public
fs --json hearing show 1 >"$T/out"
has "court from the case" "$T/out" '"court": "District court"'
expect "next hearing before this one" 65 fs hearing add --case-id 1 --held-on 2012-05-20 --next-on 2012-05-01
has "says so" "$T/err" "the next hearing comes after this one"
expect "no such case" 65 fs hearing add --case-id 7 --held-on 2012-05-20
expect "unknown hearing kind" 65 fs hearing add --case-id 1 --held-on 2012-05-20 --kind party

# the timeline
expect "timeline" 0 fs --json record timeline
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
ev = t["events"]
dates = [e["date"] for e in ev]
print("sorted" if dates == sorted(dates) else "unsorted")
print("events", t["count"], len(ev))
print(" ".join(e["event"] for e in ev))
EOF
has "in date order" "$T/check" "sorted"
has "all events" "$T/check" "events 18 18"
has "the strike: start, demand won, the shooting, its end" "$T/check" "action_started demand incident action_ended action_started"
has "ends with the raid" "$T/check" "verdict demand incident detained"
expect "one action" 0 fs --json record timeline --action 2
has "its detention" "$T/out" '"event": "detained"'
has "its hearing" "$T/out" '"event": "hearing"'
hasnot "not the strike" "$T/out" "Ереуіл"
hasnot "not the raid's detention" "$T/out" "Гүлнар"
expect "a date range" 0 fs --json record timeline --from 2012-03-02 --to 2012-03-03
has "stage 2" "$T/out" '"number": 2'
hasnot "not stage 1" "$T/out" '"number": 1,'
has "the arrest time" "$T/out" '"at": "2012-03-02T10:30:00Z"'
expect "public only" 0 fs --json record timeline --public
hasnot "no internal action" "$T/out" "Марш"
hasnot "no internal demand" "$T/out" "Release the strikers"
hasnot "a public demand of the internal march stays out: it points at the march" "$T/out" "Pay the severance"
has "the public strike's public demand" "$T/out" "Regional coefficient"
expect "text" 0 fs record timeline --action 2
has "a stage line" "$T/out" "2: T2 - T3"
has "count line" "$T/out" "events"
expect "unknown action" 66 fs record timeline --action 99
has "says which" "$T/err" "there is no action 99"
expect "bad date" 65 fs record timeline --from 2012-13-01
expect "range upside down" 65 fs record timeline --from 2012-03-05 --to 2012-03-01
has "to before from" "$T/err" "is before from"
expect "unknown option" 64 fs record timeline --action

# counts by action
expect "violation at stage 2" 0 fs violation add --incident-id 1 --type arbitrary_arrest --person-id 1 --handling public
expect "violation in the strike" 0 fs violation add --incident-id 2 --type injury --victims-low 3 --victims-high 5 --handling public
expect "violation outside actions" 0 fs violation add --incident-id 3 --type arbitrary_arrest --person-id 2 --handling public
expect "counts by action" 0 fs --json record counts --by action
python3 - "$T/out" >"$T/check" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
for r in c["rows"]:
    print(r["type"], r["action"], r.get("title", "-"), r["reported_min"], r["reported_max"])
EOF
has "the march, titled" "$T/check" "arbitrary_arrest 2 Марш 1 1"
has "the strike" "$T/check" "injury 1 Ереуіл 3 5"
has "outside any action" "$T/check" "arbitrary_arrest none - 1 1"
expect "public counts by action" 0 fs --json record counts --by action --public
hasnot "no internal action title" "$T/out" "Марш"
expect "text counts by action" 0 fs record counts --by action
has "title shown" "$T/out" "Ереуіл"

# edits are journaled; verify holds
expect "journal" 0 fs log --entity action
has "journaled" "$T/out" "action"
expect "verify" 0 fs verify
finish
