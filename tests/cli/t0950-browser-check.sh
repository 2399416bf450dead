#!/bin/sh
# The browser check of the HTML report (tests/browser/check-report.mjs, in
# Debian's chromium through playwright-core): it passes the hand-written
# sample report that follows the report's contract, writing a screenshot and
# a PDF to build/test-artifacts/, and fails the broken sample naming every
# fault. Without chromium or node_modules (make deps installs both) this test
# fails; it does not skip. $QM only names the artifacts, one set per lane.
. "$(dirname "$0")/lib.sh"

CHECK=$ROOT/tests/browser/check-report.mjs
SAMPLES=$ROOT/tests/browser
ART=$ROOT/build/test-artifacts
# build/qm -> "build", build/asan/qm -> "asan": the two lanes of tests/run.sh
# may run this test side by side, so their artifacts have distinct names
lane=$(basename "$(dirname "$QM")")
stem=$ART/$TEST_NAME-$lane

missing=
command -v node >/dev/null 2>&1 || missing="$missing node"
[ -x /usr/bin/chromium ] || missing="$missing /usr/bin/chromium"
[ -d "$ROOT/node_modules/playwright-core" ] || missing="$missing node_modules/playwright-core"
if [ -n "$missing" ]; then
	fail "the browser check needs what is missing:$missing (run make deps)"
	test_done
fi
mkdir -p "$ART" || { fail "cannot create $ART"; test_done; }

# png_width FILE: the width in the PNG header
png_width() {
	od -An -tu1 -j16 -N4 "$1" | awk '{ print ((($1 * 256) + $2) * 256 + $3) * 256 + $4 }'
}

# ---- the sample report passes ----
shot=$stem-sample.png
rm -f "$shot" "$stem-sample.pdf"
expect_exit 0 node "$CHECK" "$SAMPLES/sample-report.html" --screenshot "$shot" --expect-charts 3
expect_stdout_line "check-report: ok: 3 charts, 40 marks, screenshot $shot"
expect_stderr_empty
if [ -s "$shot" ] && [ "$(od -An -c -N4 "$shot" | tr -d ' ')" = '211PNG' ]; then
	pass "screenshot is a PNG"
else
	fail "no PNG screenshot at $shot" "$(ls -l "$shot" 2>&1)"
fi
expect_equal "$(png_width "$shot" 2>/dev/null)" 1280 "screenshot 1280 px wide"
if [ -s "$stem-sample.pdf" ] && [ "$(head -c 5 "$stem-sample.pdf")" = '%PDF-' ]; then
	pass "PDF written"
else
	fail "no PDF at $stem-sample.pdf" "$(ls -l "$stem-sample.pdf" 2>&1)"
fi

# ---- the broken sample fails, each fault named once ----
rm -f "$stem-bad.png" "$stem-bad.pdf"
expect_exit 1 node "$CHECK" "$SAMPLES/bad-report.html" --screenshot "$stem-bad.png" --expect-charts 4
expect_stdout_lacks "check-report: ok"
expect_stderr_line "check-report: request outside the report (blocked): https://example.org/x.png"
expect_stderr_contains "check-report: request outside the report (blocked): file://"
expect_stderr_contains "/tests/browser/bad-report-logo.png"
expect_stderr_line "check-report: chart chart-empty: svg has 0 drawn marks (rect, path, line, polyline, polygon, circle), at least 3 wanted"
expect_stderr_line "check-report: chart chart-tiny: svg is 150x80 px, smaller than 200x100"
expect_stderr_line "check-report: chart chart-no-caption: has no figcaption"
expect_stderr_line "check-report: chart chart-no-caption: is not followed by a table.chart-data"
expect_stderr_line "check-report: chart chart-no-rows: its table.chart-data has no body row"
expect_stderr_line "check-report: print: chart chart-print-hidden: svg is not displayed (0x0 px)"
expect_stderr_line "check-report: console error: bad-report: a console error"
expect_stderr_line "check-report: page error: undefinedFunctionOfTheBadReport is not defined"
expect_stderr_line "check-report: the page has no h1"
expect_stderr_contains "check-report: the page scrolls sideways at 1280 px"
expect_stderr_line "check-report: 5 charts (figure.chart), 4 expected"
expect_stderr_contains "check-report: FAILED: 13 problems in $SAMPLES/bad-report.html"
# every line is the checker's, one per problem, none said twice
n=$(grep -c -v '^check-report: ' "$ERR")
expect_equal "$n" 0 "every line of stderr starts with check-report:"
n=$(sort "$ERR" | uniq -d | wc -l)
expect_equal "$n" 0 "no problem said twice"
[ -s "$stem-bad.png" ] && pass "screenshot of the broken report" || fail "no screenshot at $stem-bad.png"

# ---- a page without charts ----
printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head>\n<body><h1>No charts</h1></body></html>\n' >nochart.html
expect_exit 1 node "$CHECK" nochart.html --screenshot "$stem-nochart.png"
expect_stderr_line "check-report: no chart (figure.chart) in the page"

# ---- usage errors: exit 2 ----
expect_exit 2 node "$CHECK"
expect_stderr_contains "check-report: no report given"
expect_exit 2 node "$CHECK" "$SAMPLES/sample-report.html"
expect_stderr_contains "check-report: --screenshot OUT.png is required"
expect_exit 2 node "$CHECK" "$SAMPLES/sample-report.html" --screenshot x.png --expect-charts many
expect_stderr_contains "check-report: --expect-charts wants a number of charts, not 'many'"
expect_exit 2 node "$CHECK" no-such-report.html --screenshot x.png
expect_stderr_contains "check-report: no such report: no-such-report.html"
expect_exit 2 node "$CHECK" "$SAMPLES/sample-report.html" --screenshot x.png --colour
expect_stderr_contains "check-report: unknown option '--colour'"

# ---- without playwright-core (a copy of the checker away from node_modules): exit 3 ----
cp "$CHECK" "$ROOT/tests/browser/launch.mjs" .
expect_exit 3 node check-report.mjs "$SAMPLES/sample-report.html" --screenshot x.png
expect_stderr_line "check-report: playwright-core is not installed in node_modules (run make deps)"

test_done
