#!/bin/sh
# qm report --framework F --format html -o FILE: the half-yearly
# burden-sharing report as one self-contained HTML file. On the demo
# dataset: it loads in headless chromium with the network off, every chart
# renders (tests/browser/check-report.mjs; a screenshot and a PDF are kept in
# build/test-artifacts/), it references nothing outside itself, carries the
# figures of qm burden and the data findings, and the same ledger gives the
# same bytes. Its training section (courses drawn as a timeline per provider)
# is checked by hand on tests/data/report-training over the burden fixtures,
# and is left out of a ledger without courses or crews. Then the usage and I/O
# errors.
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
has '<section id="training">'
has '<figure class="chart" id="chart-training-calendar">'
has '<tr><td>USA</td><td>usa-2023-patriot-fort-sill</td><td class="l">patriot-crew</td><td class="l">committed</td><td>2023-01-15</td><td>2023-03-21</td><td>65</td><td>65</td></tr>'
# every ally in each chart's table, and the months of the period in the last
expect_equal "$(grep -c '^<tr><td>[A-Z][A-Z][A-Z]</td><td>[A-Z]' report.html)" 31 "fair-share table rows"
expect_equal "$(grep -c '^<tr><td>2024-[01][0-9]</td>' report.html)" 12 "one row per month"

# a real browser, offline: every chart drawn; screenshot and PDF kept
shot=$ART/$TEST_NAME-$lane.png
rm -f "$shot"
expect_exit 0 node "$ROOT/tests/browser/check-report.mjs" "$TMP/report.html" --screenshot "$shot" \
	--expect-charts 4
expect_stdout_contains "check-report: ok: 4 charts"
test -s "$shot" && pass "screenshot kept: $shot" || fail "no screenshot at $shot"

# ---- the training section, by hand (see t0700 for the figures) ----
for k in parties rates gdp items pledges deliveries frameworks; do
	run "$QM" -q --db tr.db import $k "$DATA/burden/$k.csv"
	[ "$LAST_STATUS" = 0 ] || fail "loading burden $k" "$(last_run)"
done
expect_exit 0 "$QM" --db tr.db report --framework fw-a --format html -o none.html
if grep -q 'id="training"' none.html; then
	fail "a training section without courses or crews"
else
	pass "no training section without courses or crews"
fi
for k in items pledges requirements courses; do
	run "$QM" -q --db tr.db import $k "$DATA/report-training/$k.csv"
	[ "$LAST_STATUS" = 0 ] || fail "loading report-training $k" "$(last_run)"
done
expect_exit 0 "$QM" --db tr.db report --framework fw-a --format html -o tr.html
trhas() { grep -q -F -e "$1" tr.html && pass "training has '$1'" || fail "training lacks '$1'"; }
trhas ': 6 courses offer 35 seats; the training requirements and the crews of the planned equipment need 35 trainees, of whom 33 have a seat and 2 are short.</p>'
trhas '<tr><td>pilot</td><td>4</td><td>6</td><td>6</td><td>4</td><td>2</td></tr>'
trhas '<tr><td>sam-crew</td><td>20</td><td>20</td><td>20</td><td>20</td><td>0</td></tr>'
# the time axis runs from 2023-10-01 to 2024-06-01 (244 days) over x 150 to
# 740; c-sam-2, 2024-03-04 (day 155) to the end of 2024-04-26 (day 209):
# x = 150 + 155 / 244 x 590 = 524.8, width 54 / 244 x 590 = 130.6
trhas '<rect x="524.8" y="67" width="130.6" height="12" fill="#444"'
trhas 'stroke-dasharray="3 2"><title>c-cancel: pilot, 10 seats, 2024-01-01 to 2024-03-01, cancelled</title>'
trhas 'fill="url(#hatch-calendar)" stroke="#000" stroke-width="1"><title>c-gun: gun-crew, 5 seats, 2024-01-15 to 2024-02-11, announced</title>'
trhas '<text x="144.0" y="77" text-anchor="end" class="lbl">NOR Norway</text>'
trhas '<tr><td>POL</td><td>c-demining</td><td class="l">demining</td><td class="l">committed</td><td>2024-02-01</td><td>2024-02-29</td><td>6</td><td>4</td></tr>'
trhas '<tr><td>r-ad</td><td>air-defence</td><td>1</td><td>2024-03-01</td><td>2024-04-26</td><td>56</td><td>20</td><td>0</td></tr>'
trhas '<tr><td>r-fighter</td><td>fighter</td><td>2</td><td>2024-06-01</td><td>never</td><td>unbounded</td><td>6</td><td>2</td></tr>'
expect_equal "$(sed -n 's/^<tr><td>\(r-[a-z]*\)<\/td>.*/\1/p' tr.html | tr '\n' ' ')" "r-fighter r-ad r-guns " \
	"lagging: never ready first, then the longest lag"
expect_equal "$(grep -c '<rect [^>]*><title>c-' tr.html)" 6 "one bar per course"

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
