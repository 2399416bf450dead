#!/bin/sh
# Bad JSON input: syntax errors located by line and column (as the JSON
# parser reports them), problems in records located by JSON path
# ($[1].quantity), exit 65 and the database unchanged.
. "$(dirname "$0")/lib.sh"

load_base db
BAD=$DATA/bad

# the offending token is one character, '}', at line 3 column 54
expect_bad_import db pledges "$BAD/pledges-invalid.json" \
	"pledges-invalid.json:3:54: error: valid JSON: string or '}' expected near '}'"

expect_bad_import db pledges "$BAD/pledges-json-path.json" \
	"pledges-json-path.json:\$[1].quantity: error: quantity: a whole number of at least 1, got '0'" \
	"pledges-json-path.json:\$[2].date: error: date: a date as YYYY-MM-DD, got '2023-02-31'" \
	"pledges-json-path.json:\$[3].donor: error: donor: a value (donor is required), got ''" \
	"pledges-json-path.json:\$[3].status: error: status: one of announced, committed, cancelled, got 'promised'"

expect_bad_import db pledges "$BAD/pledges-json-shape.json" \
	"pledges-json-shape.json:\$[0].colour: error: a field of pledges, got 'colour'" \
	"pledges-json-shape.json:\$[1]: error: an object, got a string" \
	"pledges-json-shape.json:\$[2].note: error: note: a string, number, boolean or null, got an array"

expect_bad_import db pledges "$BAD/pledges-json-not-array.json" \
	"pledges-json-not-array.json:\$: error: an array of pledge objects"

expect_bad_import db pledges "$BAD/pledges-json-duplicate-key.json" \
	"pledges-json-duplicate-key.json:2:39: error: valid JSON: duplicate object key near '\"donor\"'"

expect_bad_import db pledges "$BAD/pledges-json-not-utf8.json" \
	"pledges-json-not-utf8.json:2:66: error: valid JSON: unable to decode byte 0xe9 near '\"Caf'"

# an empty .json file
: >empty.json
db_dump db db.before
expect_exit 65 "$QM" --db db import pledges empty.json
expect_stderr_equals "empty.json:1:1: error: a header row and records, got an empty file
1 error; nothing was written"
expect_db_unchanged db.before db

# a key twice in a file, into a table that has records: the earlier row is
# named by its JSON path, not by a line
cat >dup.json <<'JSON'
[{"id": "dj-1", "pledge": "p-gbr-shells", "date": "2023-08-01", "quantity": 1, "source": "t"},
 {"id": "dj-1", "pledge": "p-gbr-shells", "date": "2023-08-02", "quantity": 2, "source": "t"}]
JSON
expect_exit 65 "$QM" --db db import deliveries dup.json
expect_stderr_contains "dup.json:\$[1].id: error: id: a key not used by an earlier row (\$[0] has it), got 'dj-1'"
expect_db_unchanged db.before db

# a CSV file read as JSON, and a JSON file read as CSV
expect_exit 65 "$QM" --db db import --format json pledges "$DATA/base/pledges.csv"
expect_stderr_contains "pledges.csv:1:2: error: valid JSON: '[' or '{' expected near 'id'"
cp "$DATA/good/pledges.json" p.json
expect_exit 65 "$QM" --db db import --format csv pledges p.json
expect_stderr_contains "p.json:1:1: error: a column of pledges"
expect_db_unchanged db.before db

test_done
