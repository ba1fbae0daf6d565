#!/bin/sh
# coverage.sh [BUILD_DIR] - line and branch coverage of src/ (`make coverage`):
# a gcov build (no sanitizers, -Db_coverage=true) runs every suite of
# tests/run-all.sh; lcov collects the counts, genhtml writes the report to
# BUILD_DIR/html/index.html, and a summary per folder of src/ is printed (and
# kept in BUILD_DIR/summary.txt). The suites must pass: a failing run is reported
# and its coverage is not trusted.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-coverage}
case $build in /*) ;; *) build=$here/$build ;; esac
for t in lcov genhtml gcov; do
	command -v "$t" >/dev/null || { echo "coverage: $t is missing (make coverage installs lcov)" >&2; exit 69; }
done
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$here" --buildtype=debug -Db_coverage=true >"$build.setup.log" 2>&1 ||
		{ echo "coverage: meson setup failed (see $build.setup.log)" >&2; exit 1; }
fi
ninja -C "$build" >/dev/null || exit 1
rc="--rc lcov_branch_coverage=1"
lcov $rc --quiet --zerocounters --directory "$build"
# the counts of every suite (whatever the verdict, which is reported)
"$here/tests/run-all.sh" "$build" >"$build/tests.log" 2>&1
status=$?
tail -n 1 "$build/tests.log"
lcov $rc --quiet --capture --directory "$build" --base-directory "$build" --output-file "$build/all.info" 2>"$build/lcov.err" ||
	{ cat "$build/lcov.err" >&2; exit 1; }
lcov $rc --quiet --extract "$build/all.info" "$here/src/*" --output-file "$build/src.info" || exit 1
genhtml $rc --quiet --legend --title "fairshare src/" --prefix "$here" --output-directory "$build/html" "$build/src.info" ||
	exit 1
# per folder: lines and branches found/hit, from the tracefile
awk -v root="$here/" '
/^SF:/ { f = substr($0, 4); sub(root, "", f); n = split(f, p, "/"); d = n > 1 ? p[1] "/" p[2] : f; if (!(d in seen)) { seen[d] = 1; order[++nd] = d } }
/^LF:/ { lf[d] += substr($0, 4); LF += substr($0, 4) }
/^LH:/ { lh[d] += substr($0, 4); LH += substr($0, 4) }
/^BRF:/ { bf[d] += substr($0, 5); BF += substr($0, 5) }
/^BRH:/ { bh[d] += substr($0, 5); BH += substr($0, 5) }
function pct(h, f) { return f ? sprintf("%5.1f %%", 100 * h / f) : "    -  " }
END {
	printf " \t%-12s %9s %15s %9s %15s\n", "folder", "lines", "(hit/found)", "branches", "(hit/found)"
	for (i = 1; i <= nd; i++) { d = order[i]; printf "%s\t%-12s %9s %15s %9s %15s\n", d, d, pct(lh[d], lf[d]), lh[d] "/" lf[d], pct(bh[d], bf[d]), bh[d] "/" bf[d] }
	printf "~\t%-12s %9s %15s %9s %15s\n", "src (all)", pct(LH, LF), LH "/" LF, pct(BH, BF), BH "/" BF
}' "$build/src.info" | sort -t "$(printf '\t')" -k1,1 | cut -f 2- | tee "$build/summary.txt"
echo "coverage: HTML report in $build/html/index.html"
if [ "$status" -ne 0 ]; then
	echo "coverage: some tests failed (see $build/tests.log)" >&2
	exit 1
fi
