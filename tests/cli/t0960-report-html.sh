#!/bin/sh
# qm report --framework F --format html -o FILE: the half-yearly
# burden-sharing report as one self-contained HTML file. On the demo
# dataset: it loads in headless chromium with the network off, every chart
# renders (tests/browser/check-report.mjs; a screenshot and a PDF are kept in
# build/test-artifacts/), it references nothing outside itself, carries the
# figures of qm burden and the data findings, and the same ledger gives the
# same bytes. Then the usage and I/O errors.
. "$(dirname "$0")/lib.sh"

lane=$(basename "$(dirname "$QM")")
ART=$ROOT/build/test-artifacts
mkdir -p "$ART" || fail "cannot create $ART"

expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
expect_exit 0 "$QM" --db demo.db report --framework nato-2024 --format html -o report.html
expect_stdout_line "wrote report.html: the burden-sharing report for nato-2024"
test -s report.html && pass "report written" || fail "no report.html"
expect_exit 0 "$QM" --db demo.db report --framework nato-2024 --format html -o again.html
expect_same_file report.html again.html
expect_exit 0 "$QM" --db demo.db report --framework nato-2024 --format html
cp "$OUT" stdout.html
expect_same_file report.html stdout.html

# self-contained: no script, nothing fetched
if grep -q -i -E '<script|src=|href=|@import|url\((https?:)?//' report.html; then
	fail "the report references something outside itself" "$(grep -n -i -E '<script|src=|href=|@import' report.html | head)"
else
	pass "nothing outside the file"
fi
has() { grep -q -F -e "$1" report.html && pass "report has '$1'" || fail "report lacks '$1'"; }
has '<h1>Burden sharing: Pledge of long-term security assistance for Ukraine (Washington Summit)</h1>'
has '<figure class="chart" id="chart-fair-share">'
has '<figure class="chart" id="chart-gdp-share">'
has '<figure class="chart" id="chart-cumulative">'
has '<td>USA</td><td>United States</td><td>53.0941%</td><td>21,237,643,701</td>'
has 'shared by 31 allies'
has 'Cumulative totals counted in this period.'
has '<h2>Method</h2>'
has 'qm burden nato-2024 --explain PARTY'
has '@media print'
# every ally in each chart's table, and the months of the period in the last
expect_equal "$(grep -c '^<tr><td>[A-Z][A-Z][A-Z]</td>' report.html)" 31 "fair-share table rows"
expect_equal "$(grep -c '^<tr><td>2024-[01][0-9]</td>' report.html)" 12 "one row per month"

# a real browser, offline: every chart drawn; screenshot and PDF kept
shot=$ART/$TEST_NAME-$lane.png
rm -f "$shot"
expect_exit 0 node "$ROOT/tests/browser/check-report.mjs" "$TMP/report.html" --screenshot "$shot" \
	--expect-charts 3
expect_stdout_contains "check-report: ok: 3 charts"
test -s "$shot" && pass "screenshot kept: $shot" || fail "no screenshot at $shot"

# errors
expect_exit 74 "$QM" --db demo.db report --framework nato-2024 --format html -o no/such/dir/r.html
expect_stderr_contains "qm: error: cannot write 'no/such/dir/r.html.tmp'"
test ! -e no/such/dir && pass "nothing written" || fail "something was written"
expect_exit 66 "$QM" --db demo.db report --framework nope --format html -o r.html
test ! -e r.html && pass "no file for an unknown framework" || fail "r.html written"
expect_exit 64 "$QM" --db demo.db report --format pdf
expect_stderr_contains "--format takes text, json or html, got 'pdf'"
expect_exit 64 "$QM" --db demo.db report -o r.html
expect_stderr_contains "-o FILE writes the HTML report; add --format html"
expect_exit 64 "$QM" --db demo.db report --format html --as-of 2024-06-30
test_done
