#!/bin/sh
# qm report and qm report --json: the coordination picture as of a date
# (records dated later left out), checked by hand on the base fixtures and
# for consistency on the demo dataset (loaded with tools/load-demo.sh); the
# text fits an 80-column terminal. The training section is checked by hand on
# tests/data/report-training (with the parties of tests/data/burden).
. "$(dirname "$0")/lib.sh"

# in_array INDENT FILE ARRAY KEYFIELD KEYVALUE FIELD: FIELD of the object in
# the array ARRAY (its key indented by INDENT) whose KEYFIELD is KEYVALUE, in
# qm's indented JSON
in_array() {
	awk -v ind="$1" -v sec="$1\"$3\": [" -v key="\"$4\": \"$5\"," -v field="\"$6\": " '
		index($0, sec) == 1 { on = 1; next }
		on && index($0, ind "]") == 1 { exit }
		on && index($0, ind "  {") == 1 { hit = 0 }
		on && index($0, key) { hit = 1 }
		on && hit && index($0, field) {
			v = substr($0, index($0, field) + length(field)); sub(/,$/, "", v); gsub(/"/, "", v)
			print v; exit
		}' "$2"
}
# in_section FILE SECTION KEYFIELD KEYVALUE FIELD: in a top-level array
in_section() { in_array "  " "$@"; }
# in_training FILE ARRAY KEYFIELD KEYVALUE FIELD: in the training section's arrays
in_training() { in_array "    " "$@"; }
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

# ---- training: no section without courses or crews ----
expect_exit 0 "$QM" --db db report --json
expect_stdout_lacks '"training": {'
expect_exit 0 "$QM" --db db report
expect_stdout_lacks 'Training:'

# ---- training, by hand on tests/data/report-training ----
# crews: r-ad 2 t-sam x 10 = 20 sam-crew by 2024-03-01 (priority 1); r-fighter
# 3 t-jet x 2 = 6 pilots by 2024-06-01; r-guns 1 t-howitzer x 5 = 5 gun-crew by
# 2024-02-01; r-trucks none; r-deminers is a training requirement of 4.
# Seats: c-sam-1 12 (2024-02-16, on time) and c-sam-2 8 (2024-04-26, 56 days
# late): r-ad ready 2024-04-26, lag 56; c-gun 5 (2024-02-11): r-guns lag 10;
# c-pilots 4 of 6 (c-cancel counts for nothing): r-fighter never ready.
# training objective: 16 x 56 x 8 + 8 x 10 x 5 + 8 x 3650 x 2 = 65968
run "$QM" -q --db tr.db import parties "$DATA/burden/parties.csv"
for k in items pledges requirements courses; do
	run "$QM" -q --db tr.db import $k "$DATA/report-training/$k.csv"
	[ "$LAST_STATUS" = 0 ] || fail "loading report-training $k" "$(last_run)"
done
expect_exit 0 "$QM" --db tr.db report --json
cp "$OUT" tr.json
tr_top() { sed -n "/^  \"training\": {/,/^  }/s/^    \"$1\": \([0-9]*\),\$/\1/p" tr.json; }
expect_equal "$(tr_top courses)" 6 "training: courses, the cancelled one too"
expect_equal "$(tr_top seats)" 35 "training: seats of courses not cancelled"
expect_equal "$(tr_top needed)" 35 "training: trainees needed"
expect_equal "$(tr_top assigned)" 33 "training: trainees assigned"
expect_equal "$(tr_top short)" 2 "training: trainees short"
expect_equal "$(tr_top training_objective)" 65968 "training objective"
expect_equal "$(in_training tr.json skills skill pilot seats)" 4 "pilot seats (c-cancel left out)"
expect_equal "$(in_training tr.json skills skill pilot crew_needed)" 6 "pilots needed"
expect_equal "$(in_training tr.json skills skill pilot short)" 2 "pilots short"
expect_equal "$(in_training tr.json skills skill sam-crew needed)" 20 "sam crews needed"
expect_equal "$(in_training tr.json skills skill demining crew_needed)" 0 "deminers: no crew"
expect_equal "$(in_training tr.json skills skill demining assigned)" 4 "deminers assigned"
expect_equal "$(in_training tr.json lagging id r-ad expected)" 2024-03-01 "r-ad equipment"
expect_equal "$(in_training tr.json lagging id r-ad ready)" 2024-04-26 "r-ad ready"
expect_equal "$(in_training tr.json lagging id r-ad lag_days)" 56 "r-ad lag"
expect_equal "$(in_training tr.json lagging id r-guns lag_days)" 10 "r-guns lag"
expect_equal "$(in_training tr.json lagging id r-fighter ready)" null "r-fighter never ready"
expect_equal "$(in_training tr.json lagging id r-fighter lag_days)" null "r-fighter: no lag in days"
expect_equal "$(in_training tr.json lagging id r-fighter crew_short)" 2 "r-fighter crews short"
expect_equal "$(in_training tr.json lagging id r-trucks lag_days)" "" "r-trucks: no crew, not listed"
expect_equal "$(sed -n '/^    "lagging": \[/,/^    \]/s/^        "id": "\(.*\)",$/\1/p' tr.json | tr '\n' ' ')" \
	"r-fighter r-ad r-guns " "never ready first, then the longest lag"
expect_equal "$(grep -c '^            "id": "c-' tr.json)" 6 "every course in the calendar"
expect_equal "$(sed -n 's/^        "provider": "\(.*\)",$/\1/p' tr.json | tr '\n' ' ')" "EST NOR POL " \
	"the calendar by provider"
expect_exit 0 "$QM" --db tr.db report
cp "$OUT" tr.txt
expect_stdout_line "6 courses; 35 seats; 35 trainees needed (training requirements and crews),"
expect_stdout_line "33 assigned, 2 short"
expect_stdout_line "pilot         4       6               6         4      2"
expect_stdout_line "EST Estonia                                                   4"
expect_stdout_line "  c-cancel (cancelled)  pilot     2024-01-01  2024-03-01     10"
expect_stdout_line "POL Poland                                                   23"
expect_stdout_line "  c-sam-2               sam-crew  2024-03-04  2024-04-26      8"
expect_stdout_line "r-fighter    fighter             2024-06-01  never        unbounded"
expect_stdout_line "r-ad         air-defence         2024-03-01  2024-04-26          56"
expect_stdout_line "r-guns       howitzer            2024-02-01  2024-02-11          10"
expect_stdout_line "r-fighter: never ready, 2 of its crews' 6 trainees short"
expect_stdout_lacks "r-trucks "
# crews and no course: the section is there, every crew short, never ready
# in order of urgency
run "$QM" -q --db crews.db import parties "$DATA/burden/parties.csv"
for k in items pledges requirements; do
	run "$QM" -q --db crews.db import $k "$DATA/report-training/$k.csv"
done
expect_exit 0 "$QM" --db crews.db report --json
cp "$OUT" crews.json
expect_equal "$(in_training crews.json skills skill sam-crew short)" 20 "no course: every crew short"
expect_equal "$(sed -n '/^    "lagging": \[/,/^    \]/s/^        "id": "\(.*\)",$/\1/p' crews.json | tr '\n' ' ')" \
	"r-ad r-guns r-fighter " "never ready, most urgent first"
expect_exit 0 "$QM" --db crews.db report
expect_stdout_line "0 courses; 0 seats; 31 trainees needed (training requirements and crews),"
expect_stdout_line "r-ad: never ready, 20 of its crews' 20 trainees short"

# ---- the demo dataset ----
expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
expect_exit 0 "$QM" --db demo.db audit verify
expect_exit 0 "$QM" --db demo.db report
cp "$OUT" demo.txt
expect_stdout_line "Quartermaster coordination report, as of 2026-01-01"
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' demo.txt)
[ "$width" -le 80 ] && pass "demo report within 80 columns" || fail "demo report is $width columns wide"
# the demo has courses (data/demo/courses.csv): its training section agrees
# with qm training
expect_stdout_line "Training: seats against trainees needed per skill (qm training)"
expect_stdout_contains "  usa-2023-patriot-fort-sill     patriot-crew    2023-01-15  2023-03-21     65"
expect_exit 0 "$QM" --db demo.db training --json
cp "$OUT" demo-training.json
short=$(awk '/^      "short": / { v = $2; sub(/,/, "", v); s += v } END { print s + 0 }' demo-training.json)
expect_exit 0 "$QM" --db demo.db report --json
cp "$OUT" demo.json
expect_equal "$(sed -n '/^  "training": {/,/^  }/s/^    "short": \([0-9]*\),$/\1/p' demo.json)" "$short" \
	"demo: trainees short as qm training"
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
