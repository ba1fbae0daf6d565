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
hasnot "a different birth year is not a pair" "$T/out" '"person_b": 4, "name_b": "Жанболат Қасымов", "key": "janbolat kasimov", "score": 1.0'
expect "text listing" 0 fs record duplicates
has "explains" "$T/out" "same name key and birth year"
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
expect "verify" 0 fs verify
finish
