#!/bin/sh
# t36-house.sh - the house of #10 kept: no file in src/ over 800 lines, no
# include cycle in src/core and no header named twice or like a system header,
# no role name compared in src/http, src/cli or web/, and the journal, the
# ledger, the evidence store and verify out of every cycle of calls between the
# core's files (t36_house.py). The checker is shown to catch each rule broken
# in a small tree of its own before it passes the real one.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
check=$here/tests/cli/t36_house.py
lib=$(dirname "$FS_BIN")/libfairshare.a

# a tree that breaks every rule once
B=$T/bad
mkdir -p "$B/src/core/base" "$B/src/core/funds" "$B/src/http" "$B/src/cli" "$B/web/js"
printf '#include "two.h"\n' >"$B/src/core/base/one.h"
printf '#include "one.h"\n' >"$B/src/core/funds/two.h"
printf '/* limits.h - x */\n' >"$B/src/core/base/limits.h"
mkdir -p "$B/src/core/record"
printf '/* three.h - x */\n' >"$B/src/core/record/three.h"
printf '/* three.h - x */\n' >"$B/src/core/funds/three.h"
printf 'int may(const char *role)\n{\n\treturn !strcmp(role, "viewer");\n}\n' >"$B/src/http/h_x.c"
printf 'export const w = (me) => me.role === '"'"'treasurer'"'"';\n' >"$B/web/js/x.js"
printf 'switch (role) { case "admin": return 1; }\n' >"$B/web/js/y.js"
awk 'BEGIN { for (i = 0; i < 801; i++) print "/* line */" }' >"$B/src/cli/big.c"
awk 'BEGIN { for (i = 0; i < 800; i++) print "/* line */" }' >"$B/src/cli/full.c"
python3 "$check" "$B" >"$T/out" 2>&1
same "a broken tree is refused" "$?" 1
has "a file over 800 lines" "$T/out" "lines: src/cli/big.c has 801 lines"
hasnot "800 lines are allowed" "$T/out" "full.c"
has "an include cycle" "$T/out" "includes: a cycle: src/core/base/one.h -> src/core/funds/two.h -> src/core/base/one.h"
has "a header name used twice" "$T/out" "includes: the header name three.h is used by"
has "a header named like a system header" "$T/out" "has the name of the system header <limits.h>"
has "a role compared in src/http" "$T/out" "roles: src/http/h_x.c:3 compares a role name"
has "a role compared in web/ (===)" "$T/out" "roles: web/js/x.js:1 compares a role name"
has "a role compared in web/ (case)" "$T/out" "roles: web/js/y.js:1 compares a role name"

# the real tree, and the library's calls
if [ -f "$lib" ]; then set -- "$lib"; else set --; echo "# no $lib: the calls between the core's files are not checked"; fi
python3 "$check" "$here" "$@" >"$T/out" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/out"
same "the tree keeps the house (lines, includes, roles, calls)" "$rc" 0
[ -f "$lib" ] && same "the library was checked" "$(nm -A "$lib" | grep -c 'base_verify.c.o:.* T fs_verify$')" 1
finish
