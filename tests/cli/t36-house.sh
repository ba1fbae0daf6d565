#!/bin/sh
# t36-house.sh - the house of #10 kept: no file in src/ over 800 lines, no
# include cycle in src/core and no header named twice or like a system header,
# no role name compared in src/http, src/cli or web/, and no cycle of calls
# between the files of src/ (t36_house.py, from nm of the built archives and
# the CLI's objects: A -> B when A uses a symbol B defines). The checker is shown to catch each rule broken
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
# calls: a.c and b.c call each other (a cycle), c.c calls a.c (one way: no cycle)
mkdir -p "$B/src/x" "$B/obj"
printf 'int fb(int);\nint fa(int n)\n{\n\treturn n ? fb(n - 1) : 0;\n}\n' >"$B/src/x/a.c"
printf 'int fa(int);\nint fb(int n)\n{\n\treturn n ? fa(n - 1) : 1;\n}\n' >"$B/src/x/b.c"
printf 'int fa(int);\nint fc(void)\n{\n\treturn fa(3);\n}\n' >"$B/src/x/c.c"
printf 'int fd(void)\n{\n\treturn 4;\n}\n' >"$B/src/x/d.c"
printf 'int fd(void);\nint fe(void)\n{\n\treturn fd();\n}\n' >"$B/src/x/e.c"
for f in a b c d e; do cc -c "$B/src/x/$f.c" -o "$B/obj/src_x_$f.c.o" || echo "# cc failed for $f.c"; done
ar rcs "$B/obj/libx.a" "$B/obj/src_x_a.c.o" "$B/obj/src_x_b.c.o" "$B/obj/src_x_c.c.o" "$B/obj/src_x_d.c.o"
python3 "$check" "$B" "$B/obj/libx.a" "$B/obj/src_x_e.c.o" >"$T/out" 2>&1
same "a broken tree is refused" "$?" 1
has "a cycle of calls between two files, named" "$T/out" "calls: a cycle of 2 files: src/x/a.c, src/x/b.c; for example src/x/a.c (fb) -> src/x/b.c (fa) -> src/x/a.c"
same "only the cycle is named (c.c calls a.c one way; e.o, outside the archive, calls d.c)" "$(grep -c '^calls:' "$T/out")" 1
# the same objects without b.c's call back: no cycle
printf 'int fb(int n)\n{\n\treturn n;\n}\n' >"$B/src/x/b.c"
cc -c "$B/src/x/b.c" -o "$B/obj/src_x_b.c.o"
python3 "$check" "$B" "$B/obj/src_x_a.c.o" "$B/obj/src_x_b.c.o" "$B/obj/src_x_c.c.o" >"$T/out2" 2>&1
same "calls one way are no cycle" "$(grep -c '^calls:' "$T/out2")" 0
has "a file over 800 lines" "$T/out" "lines: src/cli/big.c has 801 lines"
hasnot "800 lines are allowed" "$T/out" "full.c"
has "an include cycle" "$T/out" "includes: a cycle: src/core/base/one.h -> src/core/funds/two.h -> src/core/base/one.h"
has "a header name used twice" "$T/out" "includes: the header name three.h is used by"
has "a header named like a system header" "$T/out" "has the name of the system header <limits.h>"
has "a role compared in src/http" "$T/out" "roles: src/http/h_x.c:3 compares a role name"
has "a role compared in web/ (===)" "$T/out" "roles: web/js/x.js:1 compares a role name"
has "a role compared in web/ (case)" "$T/out" "roles: web/js/y.js:1 compares a role name"

# the real tree, and the calls between every file of src/ built: the core, the
# HTTP and demo libraries, the CLI's objects
bdir=$(dirname "$FS_BIN")
if [ -f "$lib" ]; then
	set -- "$lib" "$bdir/libfairshare_http.a" "$bdir/libfairshare_demo.a" "$bdir"/fairshare.p/*.o
else
	set --; echo "# no $lib: the calls between the files are not checked"
fi
python3 "$check" "$here" "$@" >"$T/out" 2>&1
rc=$?
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/out"
same "the tree keeps the house (lines, includes, roles, calls)" "$rc" 0
[ -f "$lib" ] && same "the library was checked" "$(nm -A "$lib" | grep -c 'base_verify.c.o:.* T fs_verify$')" 1
[ -f "$lib" ] && same "the CLI's objects were checked" "$(ls "$bdir"/fairshare.p/src_cli_main.c.o "$bdir"/libfairshare_http.a | wc -l)" 2
finish
