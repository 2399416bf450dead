#!/bin/sh
# qm import frameworks and qm burden, checked by hand on the fixtures in
# tests/data/burden: four allies bound (Hungary exempt, Australia not an
# ally) with GDP of 2023 in EUR, NOK and PLN converted at the mean of that
# year's rates; fair shares by largest remainders with a tie for the last
# cent; what counts under committed and under delivered (whole pledges,
# deliveries, a package counted once, cost types, statuses, the period);
# --by, --explain, --csv, --json; the errors (no GDP, unknown framework,
# party not bound, bad framework rows) with exit statuses and nothing
# written.
. "$(dirname "$0")/lib.sh"

load() { # DB: the burden fixtures
	for k in parties rates gdp items pledges deliveries frameworks; do
		run "$QM" -q --db "$1" import $k "$DATA/burden/$k.csv"
		[ "$LAST_STATUS" = 0 ] || fail "loading burden $k" "$(last_run)"
	done
}
load db

# ---- the frameworks as records ----
expect_exit 0 "$QM" --db db export frameworks
expect_stdout_line "fw-a,Test framework A,2024-01-01,2024-12-31,100.01,EUR,2023,allies,HUN,committed,purchase in-kind sustainment,test fixture"
# defaults: EUR, counts committed, all seven cost types; lists in canonical order
expect_stdout_line "fw-d,Test framework D (delivered),2024-01-01,2024-12-31,100.01,EUR,2023,allies,HUN,delivered,purchase in-kind sustainment training operations industry trust-fund,test fixture"
expect_stdout_line "fw-tie,Test framework: one cent between equals,2024-01-01,2024-12-31,0.01,EUR,2023,EST LTU,,committed,purchase in-kind sustainment training operations industry trust-fund,test fixture"
expect_exit 0 "$QM" --db db log frameworks fw-a
expect_stdout_contains "create  frameworks fw-a"

# ---- fair shares: GDP 2023 in EUR: EST 50 bn, LTU 50 bn, NOR 1100 bn NOK at
# the 2023 mean of 11 = 100 bn, POL 440 bn PLN at (4.5 + 4.3) / 2 = 4.4 =
# 100 bn; total 300 bn. EUR 100.01 = 10001 cents: 1666.83, 1666.83,
# 3333.67, 3333.67; floors 9998, 3 cents left: EST and LTU (.83) take one
# each, and NOR and POL tie for the last (.67): it goes to NOR, first by code.
# Counted under fw-a (committed; purchase, in-kind, sustainment):
#   EST p-est-1 1000 (p-est-2 announced, p-est-3 training, p-est-4 2023: not)
#   LTU p-ltu-1 announced, 3 units of a EUR 10 pledge delivered one by one:
#       333 (2024-05-01) + 334 (2024-09-01); the third (2025) is outside
#   NOR p-nor-pkg NOK 110 at 11 = 1000, its part p-nor-a not again
#   POL p-pol-1 PLN 44 at 4.4 = 1000 (p-pol-2 cancelled)
expect_exit 0 "$QM" --db db burden fw-a --csv --by half
expect_stdout_line "party,name,gdp_eur_cents,gdp_share,fair_share_eur_cents,counted_eur_cents,ratio,shortfall_eur_cents,counted_gdp_share,2024-H1,2024-H2"
expect_stdout_line "EST,Estonia,5000000000000,0.166667,1667,1000,0.5999,667,0.000000,1000,0"
expect_stdout_line "LTU,Lithuania,5000000000000,0.166667,1667,667,0.4001,1000,0.000000,333,334"
expect_stdout_line "NOR,Norway,10000000000000,0.333333,3334,1000,0.2999,2334,0.000000,1000,0"
expect_stdout_line "POL,Poland,10000000000000,0.333333,3333,1000,0.3000,2333,0.000000,0,1000"
expect_equal "$(wc -l <"$OUT")" 5 "four allies bound: not HUN (exempt), not AUS (no ally)"

expect_exit 0 "$QM" --db db burden fw-a --json --by half
cp "$OUT" a.json
top() { sed -n "s/^  \"$2\": \"*\([^\",]*\)\"*,*\$/\1/p" "$1" | head -1; }
expect_equal "$(top a.json framework)" fw-a "json framework"
expect_equal "$(top a.json baseline_eur_cents)" 10001 "json baseline"
expect_equal "$(top a.json counted_eur_cents)" 3667 "json counted"
expect_equal "$(top a.json shortfall_eur_cents)" 6334 "json shortfall"
expect_equal "$(top a.json ratio)" 0.3667 "json ratio"
expect_equal "$(grep -c '"party": ' a.json)" 4 "json rows"
expect_stdout_contains '"gdp_mean_rate": "4.400000",'
expect_stdout_contains '"gdp_rate_days": 2,'
expect_stdout_contains '"period": "2024-H2",'
expect_stdout_contains '"fair_share_eur_cents": 3334,'

# the text table: largest fair share first, ties by code, then the total
expect_exit 0 "$QM" --db db burden fw-a
expect_stdout_contains "period 2024-01-01 to 2024-12-31; baseline EUR 100"
expect_stdout_contains "exempt: HUN"
expect_equal "$(grep -E '^(NOR|POL|EST|LTU|total) ' "$OUT" | cut -c1-5 | tr -d ' ' | tr '\n' ' ')" \
	"NOR POL EST LTU total " "text order"
expect_stdout_contains "short 63"

# ---- counts delivered: only deliveries count. EST and POL pledged money,
# which is never delivered; LTU 333 + 334; NOR's package is half delivered
# by the own value of its parts (1 of 2 guns): 1000 x 100 / 200 = 500 ----
expect_exit 0 "$QM" --db db burden fw-d --csv
expect_stdout_line "EST,Estonia,5000000000000,0.166667,1667,0,0.0000,1667,0.000000"
expect_stdout_line "LTU,Lithuania,5000000000000,0.166667,1667,667,0.4001,1000,0.000000"
expect_stdout_line "NOR,Norway,10000000000000,0.333333,3334,500,0.1500,2834,0.000000"
expect_stdout_line "POL,Poland,10000000000000,0.333333,3333,0,0.0000,3333,0.000000"

# ---- a baseline in USD, at the ECB rate of the start (2023-12-29: 1.25) ----
expect_exit 0 "$QM" --db db burden fw-usd --json
expect_stdout_contains '"baseline_eur_cents": 10000,'
# one cent between two equal allies: the first by code (every cost type
# counts here, so EST's training pledge p-est-3, EUR 7, counts too)
expect_exit 0 "$QM" --db db burden fw-tie --csv
expect_stdout_line "EST,Estonia,5000000000000,0.500000,1,1700,1700.0000,-1699,0.000000"
expect_stdout_line "LTU,Lithuania,5000000000000,0.500000,0,667,,-667,0.000000"

# ---- --explain: every line behind the figure, with its source ----
expect_exit 0 "$QM" --db db burden fw-a --explain LTU --csv
expect_stdout_line "date,pledge,delivery,via,quantity,status,cost_type,counted,value_eur_cents,valuation,reason,source"
expect_stdout_line "2024-02-01,p-ltu-1,,,3,announced,in-kind,no,0,stated,\"announced: counts once committed, or as it is delivered\",fixture source ltu-1"
expect_stdout_line "2024-05-01,p-ltu-1,d-ltu-1,,1,announced,in-kind,yes,333,stated,delivered in the period,fixture delivery ltu-1"
expect_stdout_line "2024-09-01,p-ltu-1,d-ltu-2,,1,announced,in-kind,yes,334,stated,delivered in the period,fixture delivery ltu-2"
expect_equal "$(wc -l <"$OUT")" 4 "LTU: three lines, not the 2025 delivery"
expect_exit 0 "$QM" --db db burden fw-a --explain NOR --csv
expect_stdout_line "2024-04-01,p-nor-a,,p-nor-pkg,2,committed,in-kind,no,0,estimated,a part of a package that states its amount: counts in the package,fixture source nor-a"
expect_stdout_line "2024-04-01,p-nor-pkg,,,,committed,purchase,yes,1000,stated,\"pledged in the period, with a status that counts\",fixture source nor-pkg"
expect_exit 0 "$QM" --db db burden fw-a --explain EST
expect_stdout_contains "fair share EUR 17; counted EUR 10, the sum of the 1 line below; short 7"
expect_stdout_contains "its cost type does not count under this framework"
expect_stdout_contains "fixture source est-1"
expect_stdout_lacks "p-est-4"
expect_exit 0 "$QM" --db db burden fw-a --explain POL --json
expect_stdout_contains '"reason": "cancelled: only what was delivered counts",'
expect_stdout_contains '"source": "fixture source pol-1"'

# ---- the framework used when none is named: the latest started by today
# ($QM_NOW is 2026-01-01; all start 2024-01-01, so the first by id) ----
expect_exit 0 "$QM" --db db burden --csv
expect_stdout_line "EST,Estonia,5000000000000,0.166667,1667,1000,0.5999,667,0.000000"

# ---- errors ----
expect_exit 66 "$QM" --db db burden fw-nope
expect_stderr_equals "qm: error: no framework 'fw-nope' (qm list frameworks shows those there are)"
expect_exit 66 "$QM" --db db burden fw-a --explain HUN
expect_stderr_equals "qm: error: HUN is not bound by framework fw-a (bound: 4 allies; exempt: HUN)"
expect_exit 64 "$QM" --db db burden fw-a --by month
expect_stderr_contains "--by takes year, half or quarter, got 'month'"
expect_exit 64 "$QM" --db db burden fw-a --json --csv
expect_exit 64 "$QM" --db db burden fw-a fw-d
expect_exit 66 "$QM" --db empty.db burden
expect_stderr_equals "qm: error: no frameworks in the database; import some with qm import frameworks FILE"
# an ally with no GDP for the year is named
expect_exit 0 "$QM" --db db add parties code=ISL name=Iceland kind=nation ally=yes currency=ISK
expect_exit 65 "$QM" --db db burden fw-a
expect_stderr_equals "qm: error: framework fw-a: no GDP for 2023 in the database for the bound ally ISL; import it (qm import gdp) or name it in the framework's exempt"
expect_exit 0 "$QM" --db db burden fw-tie
# a GDP in a currency without rates that year
expect_exit 0 "$QM" --db db add gdp party=ISL year=2023 amount=4000bn currency=ISK
expect_exit 65 "$QM" --db db burden fw-a
expect_stderr_equals "qm: error: framework fw-a: no ECB rates for ISK in 2023 to convert the GDP of ISL (import the ECB history with qm import rates)"

# bad framework rows: every problem named, nothing written
load clean.db
mkdir in
cat >in/bad-frameworks.csv <<'EOF'
id,name,start,end,amount,currency,gdp_year,parties,exempt,counts,cost_types,source
fw-x,Ends before it starts,2024-06-01,2024-05-31,1bn,EUR,2023,allies,,,,
fw-y,Unknown party,2024-01-01,2024-12-31,1bn,EUR,2023,EST XYZ,,,,
fw-z,Bad lists,2024-01-01,2024-12-31,1bn,EUR,2023,allies,allies,counted,purchase salaries,
fw-w,No rate,2024-01-01,2024-12-31,1bn,JPY,2023,allies,,,,
fw-v,Everyone exempt,2024-01-01,2024-12-31,1bn,EUR,2023,allies,allies,,,
EOF
expect_bad_import clean.db frameworks in/bad-frameworks.csv \
	"bad-frameworks.csv:2:39: error: end: a date on or after start, got '2024-05-31'" \
	"bad-frameworks.csv:3:55: error: parties: codes of known parties (XYZ is not one), got 'EST XYZ'" \
	"bad-frameworks.csv:4:65: error: counts: one of announced, committed, delivered, got 'counted'" \
	"bad-frameworks.csv:4:73: error: cost_types: words separated by spaces, each once, from purchase, in-kind, sustainment, training, operations, industry, trust-fund, got 'purchase salaries'" \
	"bad-frameworks.csv:5:40: error: currency: a currency with an ECB reference rate on or before 2024-01-01, got 'JPY'" \
	"bad-frameworks.csv:6:64: error: exempt: party codes separated by spaces, got 'allies'"

# the journal and the tables agree after all this
expect_exit 0 "$QM" --db db audit verify

test_done
