#!/bin/sh
# t10 - the record: likely duplicates across scripts and spellings, decided by a
# person with reversible, journaled links.
. "$(dirname "$0")/lib.sh"
fs init >/dev/null
fs org add --slug oil --name "Мұнайшылар" --country KZ --currency KZT >/dev/null
fs person add --full-name "Жанболат Қасымов" --birth-date 1985-03-02 >/dev/null   # 1
fs person add --full-name "Zhanbolat Kasymov" --birth-date 1985-07-01 >/dev/null  # 2
fs person add --full-name "Janbolat Qasymov" >/dev/null                           # 3
fs person add --full-name "Жанболат Қасымов" --birth-date 1990-01-01 >/dev/null   # 4: another man
fs person add --full-name "İlder Şahin" >/dev/null                                # 5
fs person add --full-name "Ilder Sahin" >/dev/null                                # 6
fs person add --full-name "Ерлан Оспанов" >/dev/null                              # 7
expect "duplicates" 0 fs record duplicates --json
has "Cyrillic and Latin, same year" "$T/out" '"person_a": 1'
same "pairs" "$(grep -o '"pairs_total": [0-9]*' "$T/out" | grep -o '[0-9]*$')" 5
has "İlder and Ilder" "$T/out" '"name_b": "Ilder Sahin"'
python3 - "$T/out" >"$T/pairs" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["pairs"]:
    print(p["person_a"], p["person_b"], p["score"])
PY
hasnot "a different birth year is not a pair" "$T/pairs" "1 4 "
has "the Cyrillic and Latin records pair" "$T/pairs" "1 2 0.9"
expect "text listing" 0 fs record duplicates
has "explains" "$T/out" "same name key and birth year)"
hasnot "no identity levels yet, nothing after the basis" "$T/out" ")-"
expect "decide: the same person" 0 fs record link 1 2 --same --reason "same IIN on the court file"
expect "decide: different people" 0 fs record link 5 6 --different --reason "different fathers' names"
expect "a pair is decided once" 65 fs record link 2 1 --same
expect "a person is not linked to itself" 65 fs record link 3 3 --same
expect "decided pairs are not suggested" 0 fs record duplicates --json
same "three left" "$(grep -o '"pairs_total": [0-9]*' "$T/out" | grep -o '[0-9]*$')" 3
expect "links" 0 fs record links
has "listed with reason" "$T/out" "same IIN on the court file"
expect "take a decision back" 0 fs record unlink 2
expect "suggested again" 0 fs record duplicates --json
same "four again" "$(grep -o '"pairs_total": [0-9]*' "$T/out" | grep -o '[0-9]*$')" 4
expect "the decisions are journaled" 0 fs log --entity link
same "two links made, one taken back" "$(wc -l <"$T/out")" 3
# a birth place in any script: agreeing adds weight, differing takes it away
fs person add --full-name "Бауыржан Омаров" --birth-place "Жаңаөзен" >/dev/null      # 8
fs person add --full-name "Bauyrzhan Omarov" --birth-place "Zhanaozen" >/dev/null    # 9
fs person add --full-name "Bauyrjan Omarov" --birth-place "Aktau" >/dev/null         # 10
expect "places" 0 fs record duplicates --json
python3 - "$T/out" >"$T/pairs" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["pairs"]:
    print(p["person_a"], p["person_b"], round(p["score"], 2), p["basis"])
PY
has "the same place across scripts" "$T/pairs" "8 9 0.8 same name key; birth year unknown; same birth place"
has "places differ: less likely" "$T/pairs" "8 10 0.5 same name key; birth year unknown; birth places differ"
expect "the birth place is sealed" 0 fs --json person show 9
hasnot "not shown" "$T/out" "Zhanaozen"
expect "verify" 0 fs verify
finish
