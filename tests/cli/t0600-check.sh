#!/bin/sh
# qm check runs the named checks and prints each finding with its check and
# the record's id; --strict exits 65 when anything is found; --as-of leaves
# out records dated later; --json gives the findings as an array.
. "$(dirname "$0")/lib.sh"

# nothing to find in an empty ledger, nor in one with only clean records
expect_exit 0 "$QM" --db empty.db check --strict
expect_stdout_line "0 findings"
load_base clean.db parties rates
expect_exit 0 "$QM" --db clean.db check --strict

load_base db
expect_exit 0 "$QM" --db db check
expect_equal "$(cat "$OUT")" "pledge-without-source: pledges p-deu-leo: pledge has no source
estimated-without-price: pledges p-nor-drones: no unit price for item 'drone-x', so the pledge has no value
item-without-price: items drone-x: item has no unit price
delivery-after-available: deliveries d-2: delivered 2023-07-15, after pledge 'p-gbr-shells' was to be available on 2023-06-30
requirement-without-source: requirements r-2: requirement has no source
ally-without-gdp: parties NOR: no GDP for 2023, a year it pledged in
6 findings" "every named check finds its record"

expect_exit 65 "$QM" --db db check --strict
expect_stdout_line "6 findings"
expect_exit 0 "$QM" -q --db db check
expect_stdout_lacks "findings"

# as of a date: what is dated later is left out
expect_exit 0 "$QM" --db db check --as-of 2023-06-30
expect_equal "$(cat "$OUT")" "pledge-without-source: pledges p-deu-leo: pledge has no source
item-without-price: items drone-x: item has no unit price
requirement-without-source: requirements r-2: requirement has no source
3 findings" "as of 2023-06-30"
expect_exit 0 "$QM" --db db check --as-of 2023-01-31
expect_stdout_lacks "pledge-without-source"

expect_exit 0 "$QM" --db db check --json --as-of 2023-06-30
expect_equal "$(cat "$OUT")" '[
  {
    "check": "pledge-without-source",
    "kind": "pledges",
    "id": "p-deu-leo",
    "message": "pledge has no source"
  },
  {
    "check": "item-without-price",
    "kind": "items",
    "id": "drone-x",
    "message": "item has no unit price"
  },
  {
    "check": "requirement-without-source",
    "kind": "requirements",
    "id": "r-2",
    "message": "requirement has no source"
  }
]' "findings as JSON"
expect_exit 65 "$QM" --db db check --json --strict
expect_exit 0 "$QM" --db empty.db check --json
expect_equal "$(cat "$OUT")" "[]" "no findings as JSON"

# fixing what was found makes each finding go away
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-leo source=fixture
expect_exit 0 "$QM" -q --db db add items code=drone-x unit_price=100k currency=EUR price_date=2023-06-30
expect_exit 0 "$QM" -q --db db add pledges id=p-gbr-shells available=2023-07-31
expect_exit 0 "$QM" -q --db db add requirements id=r-2 source=fixture
expect_exit 0 "$QM" -q --db db add gdp party=NOR year=2023 amount=5500bn currency=NOK
expect_exit 0 "$QM" --db db check --strict
expect_stdout_line "0 findings"
# a cancelled pledge without a price is no concern
expect_exit 0 "$QM" -q --db db add items code=drone-y name="Drone Y" category=uav capability=reconnaissance
expect_exit 0 "$QM" -q --db db add pledges id=p-nor-y donor=NOR date=2023-12-27 item=drone-y quantity=1 status=cancelled source=fixture
expect_exit 65 "$QM" --db db check --strict
expect_stdout_line "item-without-price: items drone-y: item has no unit price"
expect_stdout_lacks "estimated-without-price"

test_done
