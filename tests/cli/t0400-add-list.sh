#!/bin/sh
# qm add adds a record (or revises one) with the import's rules; qm list
# shows records in key order as a table, as JSON (an array of records) or as
# CSV, filtered by --donor, --status, --item, --from and --to.
. "$(dirname "$0")/lib.sh"

load_base db

# ---- add ----
expect_exit 0 "$QM" --db db add parties code=POL name=Poland kind=nation ally=yes currency=PLN source=fixture
expect_stdout_line "added"
expect_exit 0 "$QM" --db db add pledges id=p-add-1 donor=SWE date=2023-12-28 amount=2.5m "source=a fixture, with a comma"
expect_stdout_line "added"
expect_exit 0 "$QM" --db db add pledges id=p-add-2 donor=GBR date=2023-04-11 item=shell-155 quantity=100 available=2023-05-01 channel=nato
expect_stdout_line "added"
expect_exit 0 "$QM" -q --db db add pledges id=p-add-2 status=committed
expect_equal "$(cat "$OUT")" "" "-q add prints nothing"
expect_exit 0 "$QM" --db db add deliveries id=d-add pledge=p-add-2 date=2023-05-02 quantity=100 hub=Rzeszów
expect_stdout_line "added"
expect_exit 0 "$QM" --db db add requirements id=r-add capability=reconnaissance quantity=50 priority=3 needed_by=2025-01-31
expect_exit 0 "$QM" --db db add rates date=2023-12-28 currency=PLN per_eur=4.3505
expect_exit 65 "$QM" --db db add gdp party=POL year=2023 amount=3.4trn currency=PLN
expect_stderr_line "add: error: amount: a non-negative amount with at most two decimals, or with a k, m or bn suffix, got '3.4trn'"
expect_exit 0 "$QM" --db db add gdp party=POL year=2023 amount=3400bn currency=PLN
expect_exit 0 "$QM" --db db add items code=gripen name="Gripen C" category=aircraft capability=fighter-aircraft unit_price=30m currency=SEK price_date=2023-12-28
expect_exit 0 "$QM" --db db list pledges --csv --donor SWE
expect_stdout_line "p-add-1,SWE,2023-12-28,,,2500000,SEK,announced,2023-12-28,,purchase,bilateral,\"a fixture, with a comma\",,22648620,stated,,0"
expect_exit 0 "$QM" --db db list pledges --csv --item shell-155 --status committed
expect_stdout_line "p-add-2,GBR,2023-04-11,shell-155,100,,,committed,2023-05-01,,in-kind,nato,,,97807951,estimated,,100"
expect_exit 0 "$QM" --db db audit verify

# ---- list: filters ----
ids() {
	"$QM" --db db list "$@" --csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '
}
expect_equal "$(ids pledges)" "p-add-1 p-add-2 p-deu-cancel p-deu-leo p-eu-ammo p-gbr-money p-gbr-shells p-nor-drones p-swe-money p-usa-late p-usa-patriot p-usa-pkg " "all pledges in key order"
expect_equal "$(ids pledges --donor GBR)" "p-add-2 p-gbr-money p-gbr-shells " "--donor"
expect_equal "$(ids pledges --status announced)" "p-add-1 p-gbr-shells " "--status"
expect_equal "$(ids pledges --status cancelled)" "p-deu-cancel " "--status cancelled"
expect_equal "$(ids pledges --item shell-155)" "p-add-2 p-eu-ammo p-gbr-shells " "--item"
expect_equal "$(ids pledges --from 2023-12-22)" "p-add-1 p-eu-ammo p-nor-drones p-swe-money p-usa-late " "--from"
expect_equal "$(ids pledges --to 2023-02-01)" "p-deu-leo p-usa-patriot p-usa-pkg " "--to"
expect_equal "$(ids pledges --from 2023-04-10 --to 2023-04-11)" "p-add-2 p-gbr-money p-gbr-shells " "--from and --to"
expect_equal "$(ids pledges --donor GBR --status committed --from 2023-04-11)" "p-add-2 " "filters together"
expect_equal "$(ids pledges --donor FRA)" "" "no match"
expect_equal "$(ids deliveries --item shell-155 2>/dev/null)" "" "--item does not apply to deliveries"
expect_equal "$(ids deliveries --from 2023-05-10)" "d-1 d-2 " "deliveries --from"
expect_equal "$(ids deliveries --to 2023-05-10)" "d-3 d-add " "deliveries --to"
expect_equal "$(ids requirements --to 2024-12-31)" "r-1 r-2 " "requirements by needed_by"
expect_equal "$(ids requirements --from 2025-01-01)" "r-add " "requirements --from"
expect_equal "$(ids requirements --item leopard-2a6)" "r-2 " "requirements --item"
expect_equal "$(ids rates --from 2023-12-28 --to 2023-12-28)" "2023-12-28 2023-12-28 2023-12-28 2023-12-28 " "rates on a day"
# filters that do not apply, and bad dates, are usage errors
expect_exit 64 "$QM" --db db list parties --donor DEU
expect_stderr_contains "--donor does not apply to parties"
expect_exit 64 "$QM" --db db list items --from 2023-01-01
expect_exit 64 "$QM" --db db list pledges --from 2023-13-01
expect_exit 64 "$QM" --db db list pledges --to yesterday
expect_exit 64 "$QM" --db db list pledges --donor

# ---- list: the three formats ----
expect_exit 0 "$QM" --db db list pledges --donor USA
expect_stdout_line "id             donor  date        item             quantity  status         value_eur  valuation   delivered"
expect_stdout_contains "p-usa-patriot  USA    2022-12-21  patriot-battery         1  committed              0  in package          0"
expect_stdout_contains "p-usa-pkg      USA    2022-12-21                             committed  1,739,375,705  stated"
expect_stdout_line "3 pledges"
expect_exit 0 "$QM" --db db list pledges --donor EU
expect_stdout_line "1 pledge"
expect_exit 0 "$QM" --db db list parties
expect_stdout_line "code  name            kind          ally  currency"
expect_stdout_line "POL   Poland          nation        yes   PLN"
expect_stdout_line "8 parties"
expect_exit 0 "$QM" -q --db db list parties
expect_stdout_lacks "8 parties"

expect_exit 0 "$QM" --db db list deliveries --csv
expect_stdout_line "id,pledge,date,quantity,hub,source,note"
expect_stdout_line "d-add,p-add-2,2023-05-02,100,Rzeszów,,"
expect_exit 0 "$QM" --db db list pledges --csv --status cancelled
expect_stdout_line "id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note,value_eur_cents,valuation,counted_in,delivered"

expect_exit 0 "$QM" --db db list requirements --json --from 2025-01-01
expect_equal "$(cat "$OUT")" '[
  {
    "id": "r-add",
    "capability": "reconnaissance",
    "item": null,
    "quantity": 50,
    "priority": 3,
    "needed_by": "2025-01-31",
    "source": null,
    "note": null
  }
]' "requirements as JSON"
expect_exit 0 "$QM" --db db list pledges --json --donor FRA
expect_equal "$(cat "$OUT")" "[]" "an empty JSON array"
expect_exit 0 "$QM" --db db list pledges --json --status cancelled
expect_equal "$(cat "$OUT")" '[
  {
    "id": "p-deu-cancel",
    "donor": "DEU",
    "date": "2023-04-03",
    "item": null,
    "quantity": null,
    "amount": "100000000",
    "currency": "EUR",
    "status": "cancelled",
    "available": "2023-04-03",
    "part_of": null,
    "cost_type": "purchase",
    "channel": "bilateral",
    "source": "test fixture",
    "note": "cancelled",
    "value_eur_cents": 10000000000,
    "own_value_eur_cents": 10000000000,
    "valuation": "stated",
    "counted_in": null,
    "delivered": 0
  }
]' "a pledge as JSON"

test_done
