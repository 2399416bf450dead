#!/bin/sh
# An import stops collecting errors at 50: the first 50 are printed with
# their positions, then that it stopped, and nothing is written.
. "$(dirname "$0")/lib.sh"

load_base db parties rates items
cp "$DATA/bad/pledges-60-errors.csv" bad.csv
db_dump db db.before
expect_exit 65 "$QM" --db db import pledges bad.csv
: >want
line=2
while [ $line -le 51 ]; do
	col=9
	[ $line -ge 11 ] && col=10
	echo "bad.csv:$line:$col: error: date: a date as YYYY-MM-DD, got '2023-13-01'" >>want
	line=$((line + 1))
done
echo "stopped after 50 errors" >>want
echo "50 errors; nothing was written" >>want
expect_same_file want "$ERR"
expect_db_unchanged db.before db

# a good file before the bad one does not get written either
expect_exit 65 "$QM" --db db import pledges "$DATA/base/pledges.csv" bad.csv
expect_stderr_line "stopped after 50 errors"
expect_db_unchanged db.before db
test_done
