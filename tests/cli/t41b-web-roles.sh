#!/bin/sh
# t41b - the web's roles in headless chromium: the organizer's, documenter's and
# viewer's work through the web at both sizes and in the four languages
# (tests/browser/roles.test.mjs), axe-core on every view at 360 and 1280 px
# (axe.test.mjs: no serious or critical violation) and the weight of the first
# load and of every later view (weight.test.mjs). Screenshots in
# tests/out/screenshots-roles (not committed).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
fs demo >/dev/null
FAIRSHARE_PASSWORD=fairshare-demo expect "a documenter in oil" 0 fs --org oil user add documenter --role documenter
start_server 41
W=http://127.0.0.1:$port/
mkdir -p "$here/out/screenshots-roles"
rcs=""
for t in roles axe weight; do
	node "$here/browser/$t.test.mjs" "$W" "$here/out/screenshots-roles" >"$T/$t.tap" 2>&1
	rcs="$rcs $t=$?"
done
kill -TERM "$server"
wait "$server"
for t in roles axe weight; do
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok "$t: ${line#ok * - }" ;;
		"not ok "*) notok "$t: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/$t.tap"
done
same "browser runs exited 0" "$rcs" " roles=0 axe=0 weight=0"
finish
