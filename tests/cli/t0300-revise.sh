#!/bin/sh
# Re-importing a changed record revises it: journaled as 'revise' with the
# actor and time, visible in `qm log pledges ID` with the field that changed.
# --dry-run validates and counts new, changed and unchanged, and writes
# nothing: the database file keeps its bytes.
. "$(dirname "$0")/lib.sh"

load_base db
H="id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note"
journal_length() {
	db_sql db "SELECT count(*) FROM journal"
}
n0=$(journal_length)

# one changed record, one new one, the rest as they were
sed 's/^p-deu-leo,DEU,2023-02-01,leopard-2a6,14,/p-deu-leo,DEU,2023-02-01,leopard-2a6,16,/' \
	"$DATA/base/pledges.csv" >changed.csv
echo "p-new,SWE,2023-12-28,,,2m,,committed,,,,,fixture,new" >>changed.csv

# a dry run first
db_dump db db.before
expect_exit 0 "$QM" --db db import --dry-run pledges changed.csv
expect_stdout_line "dry run: pledges: 11 records: 1 new, 1 changed, 9 unchanged; nothing written"
expect_db_unchanged db.before db
expect_exit 0 "$QM" --db db import --dry-run --json pledges changed.csv
expect_stdout_line '{"kind": "pledges", "records": 11, "created": 1, "revised": 1, "unchanged": 9, "skipped": 0, "unmatched": 0, "dry_run": true}'
expect_db_unchanged db.before db
# a dry run of a bad file fails like the real thing
expect_exit 65 "$QM" --db db import --dry-run pledges "$DATA/bad/pledges-bad-date.csv"
expect_stderr_contains "error: date: a date as YYYY-MM-DD, got '2023-02-30'"
expect_db_unchanged db.before db
# a dry run into an empty table
load_base fresh.db parties rates items
db_dump fresh.db fresh.db.before
expect_exit 0 "$QM" --db fresh.db import --dry-run pledges "$DATA/base/pledges.csv"
expect_stdout_line "dry run: pledges: 10 records: 10 new, 0 changed, 0 unchanged; nothing written"
expect_db_unchanged fresh.db.before fresh.db
# dry runs of other kinds
expect_exit 0 "$QM" --db db import --dry-run rates "$DATA/good/rates-ecb-wide.csv"
expect_stdout_line "dry run: rates: 16 records: 4 new, 0 changed, 12 unchanged; nothing written"
expect_exit 0 "$QM" --db db add --dry-run pledges id=p-deu-leo quantity=20
expect_stdout_line "dry run: revised"
expect_db_unchanged db.before db

# now for real, as another actor at another time
expect_exit 0 env QM_NOW=2026-02-03T04:05:06Z "$QM" --db db --actor alice import pledges changed.csv
expect_stdout_line "pledges: 11 records: 1 new, 1 changed, 9 unchanged"
expect_equal "$(journal_length)" $((n0 + 2)) "two journal entries"
expect_exit 0 "$QM" --db db log pledges p-deu-leo
expect_stdout_line "    72  2026-01-01T00:00:00Z  test         create  pledges p-deu-leo"
expect_stdout_line "    82  2026-02-03T04:05:06Z  alice        revise  pledges p-deu-leo: quantity '14' -> '16'"
expect_equal "$(wc -l <"$OUT")" 2 "two entries for p-deu-leo"
expect_exit 0 "$QM" --db db log pledges p-new
expect_stdout_line "    83  2026-02-03T04:05:06Z  alice        create  pledges p-new"
expect_exit 0 "$QM" --db db log --json pledges p-deu-leo
expect_stdout_contains '"seq":82,"at":"2026-02-03T04:05:06Z","actor":"alice","action":"revise","kind":"pledges","key":"p-deu-leo","before":{'
expect_stdout_contains '"quantity":"14"'
expect_stdout_contains '"quantity":"16"'
# the revised record and its value: 16 x EUR 29,000,000
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
expect_equal "$(json_field list.json p-deu-leo quantity)" 16 "quantity revised"
expect_equal "$(json_field list.json p-deu-leo value_eur_cents)" 46400000000 "value revised"
expect_exit 0 "$QM" --db db audit verify

# all of the journal, and by kind
expect_exit 0 "$QM" --db db log
expect_equal "$(wc -l <"$OUT")" $((n0 + 2)) "qm log shows every entry"
expect_stdout_contains "     1  2026-01-01T00:00:00Z  test         create  parties DEU"
expect_exit 0 "$QM" --db db log deliveries
expect_equal "$(wc -l <"$OUT")" 3 "qm log deliveries"
expect_exit 66 "$QM" --db db log pledges p-nothing
expect_stderr_equals "qm log: no journal entries for pledges 'p-nothing'"

# qm add revises one field and keeps the others
expect_exit 0 "$QM" --db db add pledges id=p-new status=cancelled note="withdrawn, see source"
expect_stdout_line "revised"
expect_exit 0 "$QM" --db db log pledges p-new
expect_stdout_contains "revise  pledges p-new: status 'committed' -> 'cancelled', note 'new' -> 'withdrawn, see source'"
expect_exit 0 "$QM" --db db add pledges id=p-new status=cancelled
expect_stdout_line "unchanged"
expect_exit 0 "$QM" --db db list pledges --csv --status cancelled
expect_stdout_contains "p-new,SWE,2023-12-28,,,2000000,SEK,cancelled,2023-12-28,,purchase,bilateral,fixture,\"withdrawn, see source\","

# a delivery revised: its old quantity no longer counts against the pledge
printf '%s\n' "id,pledge,date,quantity,hub,source,note" "d-2,p-gbr-shells,2023-07-15,6000,,test fixture,revised up" >d.csv
expect_exit 0 "$QM" --db db import deliveries d.csv
expect_stdout_line "deliveries: 1 records: 0 new, 1 changed, 0 unchanged"
printf '%s\n' "id,pledge,date,quantity,hub,source,note" "d-2,p-gbr-shells,2023-07-15,6001,,test fixture,one too many" >d2.csv
db_dump db db.before
expect_exit 65 "$QM" --db db import deliveries d2.csv
expect_stderr_line "d2.csv:2:29: error: quantity: at most 6000 (pledge 'p-gbr-shells' has 10000, 4000 delivered already), got '6001'"
expect_db_unchanged db.before db
# moved to another pledge
printf '%s\n' "id,pledge,date,quantity,hub,source,note" "d-2,p-deu-leo,2023-07-15,6,,test fixture,moved" >d3.csv
expect_exit 0 "$QM" --db db import deliveries d3.csv
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
expect_equal "$(json_field list.json p-gbr-shells delivered)" 4000 "delivered after the move"
expect_equal "$(json_field list.json p-deu-leo delivered)" 16 "delivered to the other pledge"

expect_exit 0 "$QM" --db db audit verify
test_done
