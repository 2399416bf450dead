#!/bin/sh
# qm report and qm report --json: the coordination picture as of a date
# (records dated later left out), checked by hand on the base fixtures and
# for consistency on the demo dataset (loaded with tools/load-demo.sh); the
# text fits an 80-column terminal.
. "$(dirname "$0")/lib.sh"

# in_section FILE SECTION KEYFIELD KEYVALUE FIELD: FIELD of the object in the
# array SECTION whose KEYFIELD is KEYVALUE, in qm's indented JSON
in_section() {
	awk -v sec="  \"$2\": [" -v key="\"$3\": \"$4\"," -v field="\"$5\": " '
		index($0, sec) == 1 { on = 1; next }
		on && /^  \]/ { exit }
		on && /^    \{/ { hit = 0 }
		on && index($0, key) { hit = 1 }
		on && hit && index($0, field) {
			v = substr($0, index($0, field) + length(field)); sub(/,$/, "", v); gsub(/"/, "", v)
			print v; exit
		}' "$1"
}
top() { # FILE KEY: a top-level number or string
	sed -n "s/^  \"$2\": \"*\([^\",]*\)\"*,*\$/\1/p" "$1" | head -1
}

load_base db

# ---- as of today ($QM_NOW: 2026-01-01) ----
expect_exit 0 "$QM" --db db report --json
cp "$OUT" r.json
expect_equal "$(top r.json as_of)" 2026-01-01 "as of today"
# pledges not cancelled: all but p-deu-cancel
expect_equal "$(top r.json pledges)" 9 "pledges counted"
# 173937570515 (USA pkg) + 0 (its part) + 9780795121 (GBR shells, estimated)
# + 28573061318 (GBR money) + 9012262 (SWE) + 40600000000 (DEU Leopards)
# + 50000000000 (EU) + 0 (NOR, no price) + 192325304515 (USA 2024)
expect_equal "$(top r.json value_eur_cents)" 495225743731 "counted value"
expect_equal "$(in_section r.json by_status status committed value_eur_cents)" 485444948610 "committed value"
expect_equal "$(in_section r.json by_status status announced pledges)" 1 "announced"
expect_equal "$(in_section r.json by_status status cancelled value_eur_cents)" 10000000000 "cancelled shown apart"
expect_equal "$(in_section r.json top_donors party USA value_eur_cents)" 366262875030 "USA value"
expect_equal "$(in_section r.json top_donors party USA gdp_year)" 2024 "USA's latest GDP year"
expect_equal "$(in_section r.json top_donors party GBR value_eur_cents)" 38353856439 "GBR value"
# DEU: 406,000,000 of a GDP of EUR 4,121,160,000,000: 0.00985% -> 0.010
expect_equal "$(in_section r.json top_donors party DEU share_of_gdp_percent)" 0.010 "DEU share of GDP"
expect_equal "$(in_section r.json top_donors party EU gdp_year)" null "no GDP for the EU"
expect_equal "$(in_section r.json by_cost_type cost_type training value_eur_cents)" 9012262 "by cost type"
expect_equal "$(in_section r.json by_channel channel eu value_eur_cents)" 50000000000 "by channel"
expect_equal "$(in_section r.json by_valuation valuation in-package pledges)" 1 "the part in its package"
expect_equal "$(in_section r.json items item shell-155 pledged)" 15000 "shells pledged"
expect_equal "$(in_section r.json items item shell-155 delivered)" 7000 "shells delivered"
expect_equal "$(in_section r.json capabilities capability main-battle-tank required)" 20 "tanks required"
expect_equal "$(in_section r.json capabilities capability main-battle-tank pledged)" 14 "tanks pledged"
expect_equal "$(in_section r.json capabilities capability long-range-air-defence required)" 3 "air defence required"
for check in pledge-without-source estimated-without-price item-without-price \
	delivery-after-available requirement-without-source ally-without-gdp; do
	expect_equal "$(sed -n "s/^    \"$check\": \([0-9]*\),*\$/\1/p" r.json)" 1 "finding $check counted"
done

# the text shows the same figures, within 80 columns
expect_exit 0 "$QM" --db db report
cp "$OUT" r.txt
expect_stdout_line "Quartermaster coordination report, as of 2026-01-01"
expect_stdout_line "9 pledges not cancelled, counted value EUR 4,952,257,437"
expect_stdout_contains "USA    United States   3,662,628,750      2024     0.014"
expect_stdout_contains "shell-155        artillery-ammunition-155    15000       7000          47%"
expect_stdout_contains "main-battle-tank                20       14         10          6"
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' r.txt)
[ "$width" -le 80 ] && pass "report within 80 columns" || fail "report is $width columns wide"
# the same report twice is the same bytes
expect_exit 0 "$QM" --db db report
expect_same_file r.txt "$OUT"
expect_exit 0 "$QM" --db db report --as-of 2026-01-01
expect_same_file r.txt "$OUT"

# ---- as of 2022-12-31: only the USA package and its part ----
expect_exit 0 "$QM" --db db report --json --as-of 2022-12-31
cp "$OUT" r.json
expect_equal "$(top r.json as_of)" 2022-12-31 "as of"
expect_equal "$(top r.json pledges)" 2 "pledges by then"
expect_equal "$(top r.json value_eur_cents)" 173937570515 "value by then"
expect_equal "$(in_section r.json top_donors party USA gdp_year)" 2022 "GDP of 2022"
# USD 25,744 bn at the mean of the 2022 USD rates in the fixture (1.06225)
expect_equal "$(in_section r.json top_donors party USA gdp_eur_cents)" 2423534949399859 "GDP in EUR"
expect_equal "$(in_section r.json top_donors party USA share_of_gdp_percent)" 0.007 "share of GDP"
expect_equal "$(in_section r.json top_donors party GBR value_eur_cents)" "" "GBR pledged later"
expect_equal "$(in_section r.json items item shell-155 pledged)" "" "no shells yet"
expect_equal "$(sed -n 's/^    "delivery-after-available": \([0-9]*\),*$/\1/p' r.json)" 0 "no late delivery yet"
# ---- as of 2023-06-30: d-2 (2023-07-15) not yet delivered ----
expect_exit 0 "$QM" --db db report --json --as-of 2023-06-30
cp "$OUT" r.json
expect_equal "$(in_section r.json items item shell-155 delivered)" 4000 "delivered by then"
expect_equal "$(in_section r.json capabilities capability artillery-ammunition-155 delivered)" 4000 "by capability"
expect_equal "$(top r.json pledges)" 5 "pledges by then"

# an empty ledger
expect_exit 0 "$QM" --db empty.db report
expect_stdout_line "0 pledges not cancelled, counted value EUR 0"
expect_exit 0 "$QM" --db empty.db report --json
expect_stdout_line '  "pledges": 0,'

# ---- the demo dataset ----
expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
expect_exit 0 "$QM" --db demo.db audit verify
expect_exit 0 "$QM" --db demo.db report
cp "$OUT" demo.txt
expect_stdout_line "Quartermaster coordination report, as of 2026-01-01"
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' demo.txt)
[ "$width" -le 80 ] && pass "demo report within 80 columns" || fail "demo report is $width columns wide"
expect_exit 0 "$QM" --db demo.db report --json
cp "$OUT" demo.json
# the report's count and value are those of the pledges listed
expect_exit 0 "$QM" --db demo.db list pledges --json
cp "$OUT" pledges.json
sums=$(awk '/^    "status": / { cancelled = ($0 ~ /"cancelled"/) }
	/^    "value_eur_cents": / { v = $2; sub(/,/, "", v); if (!cancelled) { n++; s += v } }
	END { printf "%d %.0f\n", n, s }' pledges.json)
expect_equal "$(top demo.json pledges)" "${sums% *}" "demo: pledges counted"
expect_equal "$(top demo.json value_eur_cents)" "${sums#* }" "demo: value counted"
# USD 1,850,000,000 on 2022-12-21 at 1.0636 (ECB): 1,739,375,705.1523...
expect_equal "$(json_field pledges.json usa-2022-12-21-pkg value_eur_cents)" 173937570515 "demo: the USA package"
expect_equal "$(json_field pledges.json usa-2022-12-21-patriot value_eur_cents)" 0 "demo: its Patriot"
# as of a date, later pledges are left out
expect_exit 0 "$QM" --db demo.db report --json --as-of 2023-01-31
cp "$OUT" early.json
n=$("$QM" --db demo.db list pledges --csv --to 2023-01-31 | tail -n +2 | grep -v -c ',cancelled,')
expect_equal "$(top early.json pledges)" "$n" "demo as of 2023-01-31"
expect_exit 0 "$QM" --db demo.db report --as-of 2023-01-31
expect_stdout_line "Quartermaster coordination report, as of 2023-01-31"

test_done
