#!/bin/sh
# style.sh - house rules a compiler does not check (after curl's checksrc):
# no banned functions, no printing or exiting from the library, one-line file
# headers. Speaks TAP.
cd "$(dirname "$0")/.." || exit 1
n=0
fails=0
check() { # check NAME FILES-WITH-PROBLEMS
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else
		fails=$((fails + 1))
		echo "not ok $n - $1"
		echo "$2" | sed 's/^/#   /'
	fi
}
check "no banned functions (sprintf strcat strncpy strtok sscanf gets atoi)" \
	"$(grep -nE '\b(sprintf|vsprintf|strcat|strncpy|strtok|sscanf|gets|atoi)\s*\(' src/*/*.c src/*/*.h src/core/*/*.c src/core/*/*.h)"
check "the library does not print" \
	"$(grep -nE '\b(printf|puts|perror)\s*\(|\b(stdout|stderr)\b' src/core/*/*.c src/store/*.c src/util/*.c)"
check "the library does not exit" \
	"$(grep -nE '\b(exit|abort|_exit)\s*\(' src/core/*/*.c src/store/*.c src/util/*.c)"
missing=""
for f in src/*/*.c src/*/*.h src/core/*/*.c src/core/*/*.h; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_]*\.[ch] - ' || missing="$missing $f"
done
check "every source file opens with a one-line summary" "$missing"
echo "1..$n"
[ "$fails" -eq 0 ]
