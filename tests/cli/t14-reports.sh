#!/bin/sh
# t14 - reports: one source's statement each, rated on the Admiralty scale,
# text and source sealed at rest, never overwritten.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
fs incident add --type excessive_force --started-on 2011-12-16 --region Маңғыстау >/dev/null
expect "a report" 0 fs report add --incident-id 1 --received-on 2011-12-17 --channel phone --connection eyewitness \
	--reliability B --credibility 2 --language kk --source "Гүлнар, a nurse" --text "Алаңда оқ атылды: үш адам қаза тапты."
expect "a second source on the same incident" 0 fs report add --incident-id 1 --received-on 2011-12-18 --connection media \
	--reliability C --credibility 3 --text "Police say the crowd attacked first."
expect "show hides the sealed text" 0 fs --json report show 1
hasnot "no text" "$T/out" "оқ атылды"
hasnot "no source" "$T/out" "Гүлнар"
has "rating" "$T/out" '"reliability": "b"'
expect "reveal" 0 fs --json report show 1 --reveal
has "text revealed" "$T/out" "Алаңда оқ атылды"
expect "text sealed at rest" 1 at_rest "$DB" "Гүлнар"
expect "a report is never overwritten" 65 fs report edit 1 --text "changed"
has "says so" "$T/err" "never changed or removed"
expect "nor removed" 65 fs report remove 2
expect "list" 0 fs --json report list --incident-id 1
same "both reports kept" "$(grep -c '"received_on"' "$T/out")" 2
expect "reliability beyond F" 65 fs report add --incident-id 1 --received-on 2011-12-17 --connection victim --reliability G --credibility 1 --text x
has "lists the scale" "$T/err" "a, b, c, d, e, f"
expect "credibility beyond 6" 65 fs report add --incident-id 1 --received-on 2011-12-17 --connection victim --reliability A --credibility 7 --text x
expect "the text is required" 65 fs report add --incident-id 1 --received-on 2011-12-17 --connection victim --reliability A --credibility 1
expect "an incident that does not exist" 65 fs report add --incident-id 9 --received-on 2011-12-17 --connection victim --reliability A --credibility 1 --text x
expect "journaled and intact" 0 fs verify
finish
