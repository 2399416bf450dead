#!/bin/sh
# Importing every kind from the base fixtures: the counts printed, the
# records stored, and importing the same files again changing nothing (0
# new, 0 changed, N unchanged; the journal no longer). Columns in any order,
# a byte-order mark, CRLF, quoted fields with commas and line breaks, JSON
# with numbers and nulls, standard input, several files at once, --json.
. "$(dirname "$0")/lib.sh"

B=$DATA/base

imp() {
	expect_exit 0 "$QM" --db db import "$@"
}

imp parties "$B/parties.csv"
expect_stdout_line "parties: 7 records: 7 new, 0 changed, 0 unchanged"
expect_stderr_empty
imp rates "$B/rates.csv"
expect_stdout_line "rates: 48 records: 48 new, 0 changed, 0 unchanged"
imp items "$B/items.csv"
expect_stdout_line "items: 4 records: 4 new, 0 changed, 0 unchanged"
imp gdp "$B/gdp.csv"
expect_stdout_line "gdp: 7 records: 7 new, 0 changed, 0 unchanged"
imp pledges "$B/pledges.csv"
expect_stdout_line "pledges: 10 records: 10 new, 0 changed, 0 unchanged"
imp deliveries "$B/deliveries.csv"
expect_stdout_line "deliveries: 3 records: 3 new, 0 changed, 0 unchanged"
imp requirements "$B/requirements.csv"
expect_stdout_line "requirements: 2 records: 2 new, 0 changed, 0 unchanged"

journal_length() {
	db_sql db "SELECT count(*) FROM journal"
}
expect_equal "$(journal_length)" 81 "one journal entry per record"

# the records, with their defaults filled in
expect_exit 0 "$QM" --db db list parties
expect_stdout_line "7 parties"
expect_stdout_contains "EU    European Union  organisation  no"
expect_exit 0 "$QM" --db db list pledges --csv
expect_stdout_line "p-usa-pkg,USA,2022-12-21,,,1850000000,USD,committed,2022-12-21,,in-kind,bilateral,test fixture,package that states an amount,173937570515,stated,,0"
expect_stdout_line "p-gbr-shells,GBR,2023-04-10,shell-155,10000,,,announced,2023-06-30,,in-kind,bilateral,test fixture,valued by the item price,9780795121,estimated,,7000"
expect_exit 0 "$QM" --db db list items --csv
expect_stdout_line "drone-x,Drone X,uav,reconnaissance,unit,,,,test fixture: no price,,,"
expect_exit 0 "$QM" --db db list rates --csv --from 2023-04-06 --to 2023-04-06
expect_stdout_line "2023-04-06,GBP,0.87495"
expect_stdout_line "2023-04-06,USD,1.0915"

# again: nothing changes
before=$(journal_length)
db_dump db db.before
for kind in parties rates items gdp pledges deliveries requirements; do
	imp "$kind" "$B/$kind.csv"
done
expect_exit 0 "$QM" --db db import pledges "$B/pledges.csv"
expect_stdout_line "pledges: 10 records: 0 new, 0 changed, 10 unchanged"
expect_exit 0 "$QM" --db db import rates "$B/rates.csv"
expect_stdout_line "rates: 48 records: 0 new, 0 changed, 48 unchanged"
expect_exit 0 "$QM" --db db import deliveries "$B/deliveries.csv"
expect_stdout_line "deliveries: 3 records: 0 new, 0 changed, 3 unchanged"
expect_equal "$(journal_length)" "$before" "re-import adds no journal entries"
expect_exit 0 "$QM" --db db audit verify

# counts as JSON
expect_exit 0 "$QM" --db db import --json parties "$B/parties.csv"
expect_stdout_line '{"kind": "parties", "records": 7, "created": 0, "revised": 0, "unchanged": 7, "skipped": 0, "unmatched": 0, "dry_run": false}'
# -q prints nothing
expect_exit 0 "$QM" -q --db db import parties "$B/parties.csv"
expect_equal "$(cat "$OUT")" "" "-q prints no summary"

# a byte-order mark, CRLF, columns in another order, quoted commas and line
# breaks, multibyte text
expect_exit 0 "$QM" --db db import pledges "$DATA/good/pledges-bom-crlf.csv"
expect_stdout_line "pledges: 2 records: 2 new, 0 changed, 0 unchanged"
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
expect_equal "$(json_field list.json p-bom-1 note)" 'a note, with a comma\r\nand a line break' "quoted note kept"
expect_equal "$(json_field list.json p-bom-1 amount)" "1500000" "amount 1.5m"
# SEK 1,500,000 on 2023-12-28 at 11.0382: 135,891.7215... EUR
expect_equal "$(json_field list.json p-bom-1 value_eur_cents)" "13589172" "SEK value"
expect_equal "$(json_field list.json p-bom-2 note)" 'Rzeszów hub — “quoted”' "UTF-8 note kept"
expect_equal "$(json_field list.json p-bom-2 quantity)" "2" "quantity"

# JSON input: numbers, nulls, escapes
expect_exit 0 "$QM" --db db import pledges "$DATA/good/pledges.json"
expect_stdout_line "pledges: 2 records: 2 new, 0 changed, 0 unchanged"
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
expect_equal "$(json_field list.json p-json-1 amount)" "1500000.50" "a JSON number as amount"
# USD 1,500,000.50 on 2024-01-02 at 1.0956: 1,369,113.27...
expect_equal "$(json_field list.json p-json-1 value_eur_cents)" "136911327" "USD value"
expect_equal "$(json_field list.json p-json-1 note)" "null" "null note"
expect_equal "$(json_field list.json p-json-2 note)" 'a \"quoted\" note,\nwith a line break' "escaped note"
expect_exit 0 "$QM" --db db import pledges "$DATA/good/pledges.json"
expect_stdout_line "pledges: 2 records: 0 new, 0 changed, 2 unchanged"

# standard input, with the format given
cp "$DATA/good/pledges.json" stdin.json
expect_exit 0 sh -c "\"$QM\" --db db import --format json pledges - <stdin.json"
expect_stdout_line "pledges: 2 records: 0 new, 0 changed, 2 unchanged"
# --format overrides the extension
cp "$DATA/good/pledges.json" pledges.txt
expect_exit 0 "$QM" --db db import --format json pledges pledges.txt
expect_stdout_line "pledges: 2 records: 0 new, 0 changed, 2 unchanged"

# several files in one import, in different layouts
expect_exit 0 "$QM" --db two.db import rates "$DATA/good/rates-ecb-wide.csv" "$DATA/good/rates-chf.csv"
expect_stdout_line "rates: 18 records: 18 new, 0 changed, 0 unchanged"
# the same key in two files of one import is a duplicate
db_dump two.db two.db.before
expect_exit 65 "$QM" --db two.db import rates "$DATA/good/rates-chf.csv" "$DATA/good/rates-chf.csv"
expect_stderr_contains "rates-chf.csv:2:1: error: date: a key not used by an earlier row"
expect_db_unchanged two.db.before two.db

# long text: defaults filled in after long fields, at every record length
# around where the record's buffer has to grow (one record per process, so
# that each starts with a fresh buffer)
load_base long.db parties
n=185
while [ $n -le 215 ]; do
	note=$(printf "%${n}s" "" | tr ' ' x)
	printf '%s\n' "id,donor,date,amount,note" "p-long-$n,DEU,2023-02-03,5m,$note" >long.csv
	run "$QM" -q --db long.db import pledges long.csv
	if [ "$LAST_STATUS" != 0 ]; then
		fail "a note of $n characters" "$(last_run)"
	fi
	n=$((n + 1))
done
expect_equal "$(db_sql long.db "SELECT count(*) FROM pledges WHERE available = '2023-02-03' AND length(note) BETWEEN 185 AND 215")" 31 "long notes imported, defaults right"
expect_exit 0 "$QM" --db long.db audit verify

expect_exit 0 "$QM" --db db audit verify
test_done
