#!/bin/sh
# qm plan as a command: help, usage errors (exit 64), and the three outputs
# (text, --json, --csv) on the base fixtures, checked by hand and against
# one another; the plan writes nothing and gives the same bytes every time.
. "$(dirname "$0")/lib.sh"

# ---- help ----
expect_exit 0 "$QM" plan --help
expect_stdout_contains "usage: qm plan"
expect_stdout_contains "--as-of"
expect_stdout_contains "--committed-only"
expect_stdout_contains "--json"
expect_stdout_contains "--csv"
expect_stderr_empty
expect_exit 0 "$QM" plan -h
expect_stdout_contains "usage: qm plan"
expect_exit 0 "$QM" help plan
expect_stdout_contains "usage: qm plan"
expect_exit 0 "$QM" --help
expect_stdout_contains "  plan "
# --help writes no database
expect_exit 0 "$QM" --db help.db plan --help
test -f help.db && fail "plan --help created a database" || pass "plan --help created no database"

# ---- usage errors ----
load_base db
db_dump db db.before
for bad in "--bogus" "--as-of" "--as-of 2024-13-01" "--as-of 2024-02-30" "--as-of yesterday" \
	"--as-of 24-01-01" "extra" "--committed-only extra" "--json extra"; do
	# shellcheck disable=SC2086 # one case, several words
	expect_exit 64 "$QM" --db db plan $bad
	expect_stderr_contains "qm plan --help"
	expect_equal "$(cat "$OUT")" "" "nothing on standard output for: plan $bad"
done

# ---- the base fixtures, by hand ----
# r-1: 3 long-range-air-defence, priority 1 (w 16), needed by 2024-06-30;
#   p-usa-patriot offers 1 (available 2023-04-30, on time): 2 unmet
# r-2: 20 leopard-2a6, priority 2 (w 8), needed by 2024-12-31;
#   p-deu-leo offers 14 (10 delivered 2023-03-20, 4 due 2023-03-31): 6 unmet
# objective 2 x 16 x 3650 + 6 x 8 x 3650 = 116800 + 175200 = 292000
# r-3 (added): 5 drone-x, priority 4, needed by 2024-01-31; p-nor-drones
#   offers 5, available on its date 2023-12-27: met, on time
cat >r3.csv <<'EOF'
id,capability,item,quantity,priority,needed_by
r-3,reconnaissance,,5,4,2024-01-31
EOF
run "$QM" -q --db db import requirements r3.csv
expect_equal "$LAST_STATUS" 0 "import r-3"
db_dump db db.before

jq_() { # FILE SQL-EXPRESSION over j.t (the JSON text)
	sqlite3 :memory: "SELECT $2 FROM (SELECT CAST(readfile('$1') AS TEXT) AS t) AS j"
}
reqf() { # FILE ID FIELD
	sqlite3 :memory: "SELECT coalesce(json_extract(value, '\$.$3'), 'null')
		FROM json_each(CAST(readfile('$1') AS TEXT), '\$.requirements')
		WHERE json_extract(value, '\$.id') = '$2'"
}

expect_exit 0 "$QM" --db db plan --json
expect_stderr_empty
cp "$OUT" plan.json
expect_equal "$(jq_ plan.json "json_valid(t)")" 1 "--json: valid JSON"
expect_equal "$(jq_ plan.json "json_extract(t, '\$.objective')")" 292000 "base: objective"
expect_equal "$(jq_ plan.json "json_extract(t, '\$.unmet_total')")" 8 "base: unmet_total"
expect_equal "$(jq_ plan.json "json_array_length(t, '\$.assignments')")" 4 \
	"base: four assignments (patriot, the two leopard groups, drones)"
expect_equal "$(reqf plan.json r-1 assigned)/$(reqf plan.json r-1 unmet)/$(reqf plan.json r-1 expected)" \
	"1/2/null" "base: r-1 assigned/unmet/expected"
expect_equal "$(reqf plan.json r-2 assigned)/$(reqf plan.json r-2 delivered)/$(reqf plan.json r-2 unmet)" \
	"14/10/6" "base: r-2 assigned/delivered/unmet"
expect_equal "$(reqf plan.json r-3 assigned)/$(reqf plan.json r-3 unmet)/$(reqf plan.json r-3 expected)" \
	"5/0/2023-12-27" "base: r-3 met, expected when the drones are available"
expect_equal "$(jq_ plan.json "(SELECT group_concat(json_extract(value, '\$.pledge') || ':' ||
	json_extract(value, '\$.quantity') || ':' || json_extract(value, '\$.available') || ':' ||
	json_extract(value, '\$.days_late'), ' ') FROM (SELECT value FROM json_each(t, '\$.assignments')
	ORDER BY json_extract(value, '\$.pledge'), json_extract(value, '\$.available')))")" \
	"p-deu-leo:10:2023-03-20:0 p-deu-leo:4:2023-03-31:0 p-nor-drones:5:2023-12-27:0 p-usa-patriot:1:2023-04-30:0" \
	"base: the assignments"
expect_equal "$(jq_ plan.json "(SELECT group_concat(json_extract(value, '\$.id'), ' ')
	FROM json_each(t, '\$.requirements'))")" "r-1 r-2 r-3" "base: requirements most urgent first"

# --as-of: before the Leopards' delivery, all 14 are due on 2023-03-31;
# before the Leopard pledge, none
expect_exit 0 "$QM" --db db plan --json --as-of 2023-03-01
cp "$OUT" early.json
expect_equal "$(reqf early.json r-2 assigned)/$(reqf early.json r-2 delivered)" "14/0" \
	"--as-of 2023-03-01: no delivery yet"
expect_equal "$(reqf early.json r-3 unmet)" 5 "--as-of 2023-03-01: the drones are not pledged yet"
expect_exit 0 "$QM" --db db plan --json --as-of 2022-12-31
cp "$OUT" earlier.json
expect_equal "$(jq_ earlier.json "json_extract(t, '\$.objective')")" \
	$((2 * 16 * 3650 + 20 * 8 * 3650 + 5 * 2 * 3650)) "--as-of 2022-12-31: only the Patriot"
# --committed-only leaves out the announced shells, which serve nothing here
expect_exit 0 "$QM" --db db plan --json --committed-only
cp "$OUT" committed.json
expect_equal "$(jq_ committed.json "json_extract(t, '\$.objective') || json_extract(t, '\$.assignments')")" \
	"$(jq_ plan.json "json_extract(t, '\$.objective') || json_extract(t, '\$.assignments')")" \
	"--committed-only: the same plan (the announced shells serve nothing)"

# ---- text ----
expect_exit 0 "$QM" --db db plan
expect_stderr_empty
cp "$OUT" plan.txt
expect_stdout_contains "292000"
expect_stdout_contains "never"
expect_stdout_contains "2023-12-27"
for id in r-1 r-2 r-3 p-usa-patriot p-deu-leo p-nor-drones; do
	expect_stdout_contains "$id"
done
# most urgent first: r-1 (priority 1) is listed before r-2, r-2 before r-3
expect_equal "$(awk '/r-1/ && !a { a = NR } /r-2/ && !b { b = NR } /r-3/ && !c { c = NR }
	END { print (a && a < b && b < c) ? "ordered" : a " " b " " c }' plan.txt)" ordered \
	"text: requirements most urgent first"
# the met requirement is not 'never'
expect_equal "$(grep -m 1 'r-3' plan.txt | grep -c never)" 0 "text: r-3 is not 'never'"
expect_equal "$(grep -m 1 'r-1' plan.txt | grep -c never)" 1 "text: r-1 is 'never'"

# ---- CSV: the assignments, the same as in the JSON ----
expect_exit 0 "$QM" --db db plan --csv
expect_stderr_empty
cp "$OUT" plan.csv
case $(head -n 1 plan.csv) in
pledge,requirement,quantity,available,days_late | pledge,requirement,quantity,available,days_late,*)
	pass "--csv header" ;;
*) fail "--csv header: pledge,requirement,quantity,available,days_late first" "$(head -n 1 plan.csv)" ;;
esac
tail -n +2 plan.csv | cut -d, -f1-5 | sort >csv.rows
jq_ plan.json "(SELECT group_concat(r, char(10)) FROM (SELECT json_extract(value, '\$.pledge') || ',' ||
	json_extract(value, '\$.requirement') || ',' || json_extract(value, '\$.quantity') || ',' ||
	json_extract(value, '\$.available') || ',' || json_extract(value, '\$.days_late') AS r
	FROM json_each(t, '\$.assignments') ORDER BY r))" | sort >json.rows
expect_same_file csv.rows json.rows

# ---- the same bytes every time; nothing written ----
for fmt in "" --json --csv; do
	# shellcheck disable=SC2086
	run "$QM" --db db plan $fmt
	cp "$OUT" again.out
	# shellcheck disable=SC2086
	run "$QM" --db db plan $fmt
	expect_same_file "$OUT" again.out
done
expect_db_unchanged db.before db

# ---- the ledger as revised: the plan follows the records' current state ----
# p-deu-leo cancelled (its deliveries stay, but a cancelled pledge supplies
# nothing); p-nor-drones now available on 2024-03-01, 30 days late for r-3
db_cp db revised.db
cat >revise.csv <<'EOF'
id,donor,date,item,quantity,status,available,source
p-deu-leo,DEU,2023-02-01,leopard-2a6,14,cancelled,2023-03-31,revised
p-nor-drones,NOR,2023-12-27,drone-x,5,committed,2024-03-01,revised
EOF
run "$QM" -q --db revised.db import pledges revise.csv
expect_equal "$LAST_STATUS" 0 "revise two pledges"
expect_exit 0 "$QM" --db revised.db plan --json
cp "$OUT" revised.json
expect_equal "$(reqf revised.json r-2 assigned)/$(reqf revised.json r-2 unmet)" "0/20" \
	"revised: a cancelled pledge's delivered units serve nothing"
expect_equal "$(reqf revised.json r-3 expected)" 2024-03-01 "revised: the new available date"
# 2 x 16 x 3650 + 20 x 8 x 3650 + 5 x 2 x 30
expect_equal "$(jq_ revised.json "json_extract(t, '\$.objective')")" $((116800 + 584000 + 300)) \
	"revised: objective"

# ---- nothing to plan: parties only ----
load_base empty.db parties
expect_exit 0 "$QM" --db empty.db plan --json
cp "$OUT" empty.json
expect_equal "$(jq_ empty.json "json_extract(t, '\$.objective') || '/' || json_extract(t, '\$.unmet_total')
	|| '/' || json_array_length(t, '\$.assignments') || '/' || json_array_length(t, '\$.requirements')")" \
	"0/0/0/0" "empty ledger: objective 0, nothing assigned, no requirement"
expect_exit 0 "$QM" --db empty.db plan
expect_exit 0 "$QM" --db empty.db plan --csv
case $(head -n 1 "$OUT") in
pledge,requirement,quantity,available,days_late*) pass "empty ledger: --csv header" ;;
*) fail "empty ledger: --csv prints its header" "$(last_run)" ;;
esac
expect_equal "$(wc -l <"$OUT" | tr -d ' ')" 1 "empty ledger: --csv has the header only"

test_done
