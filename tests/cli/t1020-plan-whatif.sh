#!/bin/sh
# qm plan --what-if FILE on the base fixtures, in CSV and in JSON (the
# import formats): a slipped date changes only the objective (4 Leopards 90
# days late at w = 8: +2880); a new pledge of 6 Leopards and the Patriot
# cancelled move both requirements (objective 292000 -> 175200); a new
# requirement adds its unmet unit; the JSON file gives the same answer as
# the CSV one; bad rows are named by line and column or JSON path (exit 65);
# a missing file is exit 66; nothing is written to the database.
. "$(dirname "$0")/lib.sh"

load_base db
db_dump db before.db

printf 'id,available\np-deu-leo,2025-03-31\n' >slip.csv
expect_exit 0 "$QM" --db db plan --what-if slip.csv
expect_stdout_line "objective 292000 -> 294880; unmet units 8 -> 8"
expect_stdout_line "no requirement's coverage, expected or ready date changes"

printf 'id,donor,date,item,quantity,status,available\np-new-leo,DEU,2024-05-01,leopard-2a6,6,committed,2024-06-01\np-usa-patriot,,,,,cancelled,\n' >change.csv
cat >change.json <<'EOF'
[{"id": "p-new-leo", "donor": "DEU", "date": "2024-05-01", "item": "leopard-2a6", "quantity": 6,
  "status": "committed", "available": "2024-06-01"},
 {"id": "p-usa-patriot", "status": "cancelled"}]
EOF
expect_exit 0 "$QM" --db db plan --what-if change.csv
cp "$OUT" change-csv.txt
expect_stdout_line "objective 292000 -> 175200; unmet units 8 -> 3"
expect_stdout_contains "r-1          1 -> 0    2 -> 3  never -> never       never -> never       moves"
expect_stdout_contains "r-2          14 -> 20  6 -> 0  never -> 2024-06-01  never -> 2024-06-01  moves"
expect_exit 0 "$QM" --db db plan --what-if change.json
expect_same_file change-csv.txt "$OUT"
expect_exit 0 "$QM" --db db plan --what-if change.json --json
expect_stdout_contains '"objective_after": 175200,'
expect_stdout_contains '"unmet_after": 3,'

# a new requirement, from JSON: no supply is left for it
printf '[{"id": "r-9", "capability": "long-range-air-defence", "quantity": 1, "priority": 5, "needed_by": "2025-01-01"}]' >need.json
expect_exit 0 "$QM" --db db plan --what-if need.json
expect_stdout_line "objective 292000 -> 295650; unmet units 8 -> 9"
expect_stdout_contains "r-9          0 -> 0    0 -> 1  never -> never  never -> never  new"
# two files apply in order
expect_exit 0 "$QM" --db db plan --what-if change.csv --what-if need.json
expect_stdout_line "objective 292000 -> 178850; unmet units 8 -> 4"

# bad rows: every problem named, exit 65
printf 'id,available\np-deu-leo,2025-02-30\n' >bad.csv
expect_exit 65 "$QM" --db db plan --what-if bad.csv
expect_stderr_contains "bad.csv:2:11: error: available: a date as YYYY-MM-DD, got '2025-02-30'"
cat >bad.json <<'EOF'
[{"id": "p-deu-leo", "available": "2025-02-30"}, {"id": "p-x", "colour": "red"},
 {"id": "p-y", "quantity": [1]}, {"id": "p-z", "item": "nope", "quantity": 1, "date": "2024-01-01"},
 {"id": "p-w"}, 7]
EOF
expect_exit 65 "$QM" --db db plan --what-if bad.json
expect_stderr_contains "bad.json:\$[0].available: error: available: a date as YYYY-MM-DD, got '2025-02-30'"
expect_stderr_contains "bad.json:\$[1].colour: error: a field of pledges, got 'colour'"
expect_stderr_contains "bad.json:\$[2].quantity: error: quantity: a string, number, boolean or null, got an array"
expect_stderr_contains "bad.json:\$[3].item: error: item: the code of a known item, got 'nope'"
expect_stderr_contains "bad.json:\$[4]: error: item: an item and a quantity for the new pledge 'p-w'"
expect_stderr_contains "bad.json:\$[5]: error: an object, got a number"
expect_stderr_contains "6 errors"
printf '{"id": 1' >broken.json
expect_exit 65 "$QM" --db db plan --what-if broken.json
expect_stderr_contains "broken.json:1:8: error: valid JSON:"
expect_exit 66 "$QM" --db db plan --what-if missing.csv
expect_stderr_contains "cannot open 'missing.csv'"

expect_db_unchanged before.db db
test_done
