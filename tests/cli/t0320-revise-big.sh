#!/bin/sh
# A revising import finds each row's stored record in two ways on
# PostgreSQL: a table of at most 100,000 records is read into memory once
# (one query instead of a round trip per row), a bigger one is asked row by
# row, as SQLite always is. Both give the same answers: unchanged, changed
# (journaled with the record before) and new, for one-field keys (pledges)
# and two-field keys (rates, GDP), and a duplicate key in the file is
# refused either way.
. "$(dirname "$0")/lib.sh"

load_base db parties rates items gdp
H="id,donor,date,amount,currency,status,cost_type,channel,source"

# revise DB: one row as it is, one changed, one new; then the counts
revise() {
	cat >rev.csv <<CSV
$H
big-000007,DEU,2024-01-08,1000007,EUR,committed,in-kind,bilateral,bulk
big-000008,DEU,2024-01-09,9999999,EUR,committed,in-kind,bilateral,revised
big-new,DEU,2024-02-01,5,EUR,committed,in-kind,bilateral,new
CSV
	expect_exit 0 "$QM" --db "$1" import pledges rev.csv
	expect_stdout_line "pledges: 3 records: 1 new, 1 changed, 1 unchanged"
	expect_exit 0 "$QM" --db "$1" log pledges big-000008
	expect_stdout_contains "revise  pledges big-000008: amount '1000008' -> '9999999', source 'bulk' -> 'revised'"
	# a key twice in one file: the second is refused, nothing written
	printf '%s\n%s\n' "$H" "big-000009,DEU,2024-01-10,1,EUR,committed,in-kind,bilateral,a" >dup.csv
	echo "big-000009,DEU,2024-01-10,2,EUR,committed,in-kind,bilateral,b" >>dup.csv
	expect_exit 65 "$QM" --db "$1" import pledges dup.csv
	expect_stderr_contains "dup.csv:3:1: error: id: a key not used by an earlier row (line 2 has it)"
	expect_exit 0 "$QM" --db "$1" audit verify
}

# N pledges big-000001... into FILE
pledges() {
	awk -v n="$1" -v h="$H" 'BEGIN { print h; for (i = 1; i <= n; i++)
		printf "big-%06d,DEU,2024-01-%02d,%d,EUR,committed,in-kind,bilateral,bulk\n", i, i % 28 + 1, 1000000 + i }' >"$2"
}

# a small table: read into memory
db_cp db small.db
pledges 20 small.csv
expect_exit 0 "$QM" -q --db small.db import pledges small.csv
revise small.db

# a big one: 100,001 pledges, asked row by row
db_cp db big.db
pledges 100001 big.csv
expect_exit 0 "$QM" -q --db big.db import pledges big.csv
revise big.db
expect_equal "$(db_sql big.db "SELECT count(*) FROM pledges WHERE id LIKE 'big-%'")" 100002 "pledges in the big table"

# two-field keys: the base rates and GDP again, one of each changed, one new
expect_exit 0 "$QM" --db db export rates -o rates.csv
sed '2s/,[0-9.]*$/,9.999/' rates.csv >rates2.csv
printf '2030-01-02,USD,1.25\n' >>rates2.csv
expect_exit 0 "$QM" --db db import rates rates2.csv
expect_stdout_contains "1 new, 1 changed, "
expect_exit 0 "$QM" --db db export gdp -o gdp.csv
sed '2s/,[0-9]*,\([A-Z]*\),/,123456789,\1,/' gdp.csv >gdp2.csv
expect_exit 0 "$QM" --db db import gdp gdp2.csv
expect_stdout_contains "0 new, 1 changed, "
expect_exit 0 "$QM" --db db audit verify
test_done
