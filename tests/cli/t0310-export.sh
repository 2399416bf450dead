#!/bin/sh
# Export writes records in the import format, in key order: exporting,
# importing into a new database and exporting again gives identical bytes,
# for every kind, in CSV and in JSON, on the base fixtures and on the whole
# demo dataset (quotes, commas, line breaks and UTF-8 in its text).
. "$(dirname "$0")/lib.sh"

KINDS="parties rates items gdp pledges deliveries requirements"

# round_trip DB FORMAT: export every kind, import into a new db, export again
round_trip() {
	src=$1
	fmt=$2
	dst=$src.$fmt.copy
	rm -rf "$dst.d" && mkdir "$dst.d"
	for kind in $KINDS; do
		expect_exit 0 "$QM" --db "$src" export "$kind" --format "$fmt" -o "$dst.d/$kind.1.$fmt"
	done
	for kind in $KINDS; do
		expect_exit 0 "$QM" -q --db "$dst" import "$kind" "$dst.d/$kind.1.$fmt"
	done
	for kind in $KINDS; do
		expect_exit 0 "$QM" --db "$dst" export "$kind" --format "$fmt"
		cp "$OUT" "$dst.d/$kind.2.$fmt"
		expect_same_file "$dst.d/$kind.1.$fmt" "$dst.d/$kind.2.$fmt"
	done
	expect_exit 0 "$QM" --db "$dst" audit verify
	# and the copy values every pledge as the original does
	expect_exit 0 "$QM" --db "$src" list pledges --csv
	cp "$OUT" "$dst.d/values.1"
	expect_exit 0 "$QM" --db "$dst" list pledges --csv
	expect_same_file "$dst.d/values.1" "$OUT"
}

load_base base.db
round_trip base.db csv
round_trip base.db json

# the demo dataset
expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
round_trip demo.db csv
round_trip demo.db json

# a CSV export of the base pledges is the fixture in canonical form
expect_exit 0 "$QM" --db base.db export pledges
expect_stdout_line "id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note"
expect_stdout_line "p-usa-pkg,USA,2022-12-21,,,1850000000,USD,committed,2022-12-21,,in-kind,bilateral,test fixture,package that states an amount"
expect_stdout_line "p-swe-money,SWE,2023-12-31,,,1000000.55,SEK,committed,2023-12-31,,training,nato,test fixture,a Sunday: rate of 2023-12-29"
expect_stdout_line "p-deu-leo,DEU,2023-02-01,leopard-2a6,14,,,committed,2023-03-31,,in-kind,bilateral,,no source given"
# the first record in key order
expect_equal "$(sed -n 2p "$OUT" | cut -d, -f1)" "p-deu-cancel" "key order"
# standard output and -o give the same bytes, and -o leaves no temporary file
cp "$OUT" stdout.csv
expect_exit 0 "$QM" --db base.db export pledges -o out.csv
expect_same_file stdout.csv out.csv
expect_exit 0 "$QM" --db base.db export pledges --output out2.csv
expect_same_file stdout.csv out2.csv
ls | grep -q tmp && fail "a temporary file was left" "$(ls)" || pass "no temporary file left"

# JSON: an array of objects with the import's field names; numbers for
# quantities, strings for amounts, null for empty fields
expect_exit 0 "$QM" --db base.db export deliveries --format json
expect_stdout_contains '"id": "d-1",'
expect_stdout_contains '"quantity": 4000,'
expect_stdout_contains '"hub": "Rzeszów",'
expect_stdout_contains '"note": null'
expect_exit 0 "$QM" --db base.db export pledges --format json
expect_stdout_contains '"amount": "1000000.55",'
# an empty kind
expect_exit 0 "$QM" --db empty.db export pledges --format json
expect_equal "$(cat "$OUT")" "[]" "empty JSON export"
expect_exit 0 "$QM" --db empty.db export pledges
expect_equal "$(cat "$OUT")" "id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note" "empty CSV export"
# text with the bytes PostgreSQL's COPY escapes (tab, carriage return, line
# feed, backslash), and "\N", COPY's NULL, as text: stored and exported as
# they were imported, and the audit agrees
printf '%s\n' "id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note" \
	"p-esc,DEU,2024-01-02,,,5000000,EUR,committed,2024-01-02,,in-kind,bilateral,\\N,\"tab	here back\\\\slash \"\"q\"\" cr$(printf '\r')nl" \
	"end\"" >esc.csv
load_base esc.db parties
expect_exit 0 "$QM" -q --db esc.db import pledges esc.csv
expect_exit 0 "$QM" --db esc.db export pledges -o esc.out
expect_same_file esc.csv esc.out
expect_exit 0 "$QM" --db esc.db audit verify

# a directory that cannot be written to
expect_exit 74 "$QM" --db base.db export pledges -o no-such-dir/out.csv
expect_stderr_contains "no-such-dir/out.csv"

test_done
