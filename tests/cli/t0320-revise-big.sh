#!/bin/sh
# A revising import (the table has records) holds rows back and looks their
# stored records up 512 at a time, one query a batch rather than a round
# trip a row; on PostgreSQL the batch's revised records are deleted in one
# statement and written again by COPY with the new ones. Across batches
# the answers are those of one row at a time: unchanged, changed (journaled
# with the record before), new, a key used twice refused wherever the two
# rows fall, for one-field keys (pledges, deliveries) and two-field keys
# (rates, GDP); deliveries count against their pledges across batches,
# with what was stored before and with a delivery moved between pledges.
. "$(dirname "$0")/lib.sh"

load_base db parties rates items gdp
H="id,donor,date,amount,currency,status,cost_type,channel,source"

# N pledges big-000001... (after an optional header) into FILE
pledges() {
	awk -v n="$1" -v h="$H" 'BEGIN { print h; for (i = 1; i <= n; i++)
		printf "big-%06d,DEU,2024-01-%02d,%d,EUR,committed,in-kind,bilateral,bulk\n", i, i % 28 + 1, 1000000 + i }' >"$2"
}

# a table of 2,000 pledges, revised by 1,201 rows: three batches, a change
# in the first and in the third, a new pledge at the end
pledges 2000 big.csv
expect_exit 0 "$QM" -q --db db import pledges big.csv
pledges 1200 rev.csv
sed -i -e 's/^big-000008,\(.*\),1000008,\(.*\),bulk$/big-000008,\1,9999999,\2,revised/' \
	-e 's/^big-001100,\(.*\),bulk$/big-001100,\1,revised/' rev.csv
echo "big-new,DEU,2024-02-01,5,EUR,committed,in-kind,bilateral,new" >>rev.csv
expect_exit 0 "$QM" --db db import pledges rev.csv
expect_stdout_line "pledges: 1201 records: 1 new, 2 changed, 1198 unchanged"
expect_exit 0 "$QM" --db db log pledges big-000008
expect_stdout_contains "revise  pledges big-000008: amount '1000008' -> '9999999', source 'bulk' -> 'revised'"
expect_exit 0 "$QM" --db db log pledges big-001100
expect_stdout_contains "revise  pledges big-001100: source 'bulk' -> 'revised'"
expect_exit 0 "$QM" --db db list pledges --csv --status committed
expect_stdout_contains "big-001100,DEU,2024-01-09,,,1001100,EUR,committed,2024-01-09,,in-kind,bilateral,revised,,100110000,stated,,0"
expect_equal "$(db_sql db "SELECT count(*) FROM pledges WHERE id LIKE 'big-%'")" 2001 "pledges after the revision"

# a key twice, in the first batch and the third: refused, nothing written
pledges 1100 dup.csv
echo "big-000009,DEU,2024-01-10,2,EUR,committed,in-kind,bilateral,again" >>dup.csv
db_dump db db.before
expect_exit 65 "$QM" --db db import pledges dup.csv
expect_stderr_line "dup.csv:1102:1: error: id: a key not used by an earlier row (line 10 has it), got 'big-000009'"
expect_db_unchanged db.before db

# deliveries against two pledges of 1,000 tanks, one delivery stored: 590
# more on the first, the stored one moved to the second (second batch),
# then 410 on the first fill it exactly
printf '%s\n' "id,donor,date,item,quantity,status,source" "tanks-1,DEU,2024-01-02,leopard-2a6,1000,committed,t" \
	"tanks-2,GBR,2024-01-02,leopard-2a6,1000,committed,t" >tanks.csv
expect_exit 0 "$QM" -q --db db import pledges tanks.csv
DH="id,pledge,date,quantity,hub,source,note"
printf '%s\n' "$DH" "d-0,tanks-1,2024-02-01,10,,t," >d0.csv
expect_exit 0 "$QM" -q --db db import deliveries d0.csv
awk -v h="$DH" 'BEGIN { print h
	for (i = 1; i <= 1000; i++) {
		if (i == 591) print "d-0,tanks-2,2024-02-01,10,,t,moved"
		printf "d-%04d,tanks-1,2024-03-01,1,,t,\n", i
	} }' >d.csv
expect_exit 0 "$QM" --db db import deliveries d.csv
expect_stdout_line "deliveries: 1001 records: 1000 new, 1 changed, 0 unchanged"
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
expect_equal "$(json_field list.json tanks-1 delivered)" 1000 "delivered on the first pledge"
expect_equal "$(json_field list.json tanks-2 delivered)" 10 "delivered on the second pledge"
# the same rows again (unchanged), and one more tank in the second batch
head -n 700 d.csv >d2.csv
echo "d-extra,tanks-1,2024-04-01,1,,t," >>d2.csv
db_dump db db.before
expect_exit 65 "$QM" --db db import deliveries d2.csv
expect_stderr_line "d2.csv:701:28: error: quantity: at most 0 (pledge 'tanks-1' has 1000, 1000 delivered already), got '1'"
expect_db_unchanged db.before db

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
