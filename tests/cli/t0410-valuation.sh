#!/bin/sh
# EUR values, checked by hand against the ECB reference rates (amount /
# rate, rounded half away from zero to the cent): a stated amount at the
# rate of the pledge date, or of the last ECB day before it (weekends,
# holidays); an estimated value as quantity x the item's unit price at the
# rate of the item's price_date; a part of a package that states an amount
# counts 0 (its own value is kept apart); and `qm list pledges --json`
# carries value_eur_cents, valuation and delivered.
. "$(dirname "$0")/lib.sh"

load_base db
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json

value() {
	json_field list.json "$1" "$2"
}
check() { # ID FIELD WANT WHAT
	expect_equal "$(value "$1" "$2")" "$3" "$1 $2: $4"
}

# USD 1,850,000,000 on Wednesday 2022-12-21 at 1.0636: 1,739,375,705.1523...
check p-usa-pkg value_eur_cents 173937570515 "the rate of the pledge date"
check p-usa-pkg valuation stated "stated"
check p-usa-pkg delivered 0 "nothing delivered"
# GBP 250,000,000 on Easter Monday 2023-04-10; no ECB rates on Good Friday
# and Easter Monday: the rate of Thursday 2023-04-06, 0.87495: 285,730,613.1779...
check p-gbr-money value_eur_cents 28573061318 "a holiday takes the last rate before it"
# SEK 1,000,000.55 on Sunday 2023-12-31: the rate of Friday 2023-12-29,
# 11.096: 90,122.6162...
check p-swe-money value_eur_cents 9012262 "a weekend takes Friday's rate"
# USD 2.1 bn on 2024-01-03 at 1.0919: 1,923,253,045.1506...
check p-usa-late value_eur_cents 192325304515 "2024"
# EUR needs no rate
check p-deu-cancel value_eur_cents 10000000000 "EUR"
# a stated amount wins over the item's price
check p-eu-ammo value_eur_cents 50000000000 "stated amount with an item"
check p-eu-ammo valuation stated "stated amount with an item"

# estimated: 10,000 x GBP 8,500 at the rate of the item's price_date (Sunday
# 2023-12-31, so Friday 2023-12-29: 0.86905), not of the pledge date:
# 85,000,000 / 0.86905 = 97,807,951.2111...
check p-gbr-shells value_eur_cents 9780795121 "estimated at the price date's rate"
check p-gbr-shells valuation estimated "estimated"
check p-gbr-shells delivered 7000 "delivered: d-1 and d-2"
# 14 x EUR 29,000,000
check p-deu-leo value_eur_cents 40600000000 "estimated in EUR"
check p-deu-leo delivered 10 "delivered: d-3"
# no unit price: no value
check p-nor-drones value_eur_cents 0 "no price"
check p-nor-drones valuation null "no price, no valuation"

# the part of a package that states an amount counts nothing; its own value
# (1 x USD 1 bn at the price date 2023-04-08, a Saturday: 1.0915) is kept
check p-usa-patriot value_eur_cents 0 "part of a valued package"
check p-usa-patriot own_value_eur_cents 91617040770 "own value of the part"
check p-usa-patriot counted_in p-usa-pkg "counted in its package"
check p-usa-patriot valuation estimated "the part's own valuation"
check p-usa-pkg counted_in null "the package counts itself"

# a part of a part counts in the outermost package that states an amount
expect_exit 0 "$QM" -q --db db add pledges id=p-usa-sub donor=USA date=2022-12-21 item=patriot-battery quantity=1 part_of=p-usa-patriot source=fixture
# a package that states no amount: its parts count by their own value
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-pkg donor=DEU date=2023-02-01 item=leopard-2a6 quantity=4 source=fixture
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-part donor=DEU date=2023-02-01 item=leopard-2a6 quantity=1 part_of=p-deu-pkg source=fixture
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
check p-usa-sub value_eur_cents 0 "part of a part"
check p-usa-sub counted_in p-usa-pkg "part of a part counts in the outer package"
check p-deu-part value_eur_cents 2900000000 "part of a package without an amount"
check p-deu-part counted_in null "no valued package"
check p-deu-pkg value_eur_cents 11600000000 "the package without an amount"
# when the package states an amount, its parts count nothing
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-pkg amount=100m
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
check p-deu-part value_eur_cents 0 "the package now states an amount"
check p-deu-part counted_in p-deu-pkg "counted in the package"
check p-deu-pkg value_eur_cents 10000000000 "the package's stated amount"
check p-deu-pkg valuation stated "stated"
# a part that leaves its package counts again
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-part part_of=
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
check p-deu-part value_eur_cents 2900000000 "out of the package"
check p-deu-part counted_in null "out of the package"
expect_exit 0 "$QM" --db db audit verify

# a part may come before its package in the same file
printf '%s\n' "id,donor,date,item,quantity,amount,part_of,source" \
	"p-late-part,SWE,2023-12-28,leopard-2a6,1,,p-late-pkg,fixture" \
	"p-late-pkg,SWE,2023-12-28,,,10m,,fixture" >part-first.csv
expect_exit 0 "$QM" --db db import pledges part-first.csv
expect_stdout_line "pledges: 2 records: 2 new, 0 changed, 0 unchanged"
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
check p-late-part value_eur_cents 0 "part listed before its package"
check p-late-part counted_in p-late-pkg "part listed before its package"
# SEK 10,000,000 on 2023-12-28 at 11.0382: 905,944.8098...
check p-late-pkg value_eur_cents 90594481 "the package"

# new rates revalue what they apply to: a GBP rate for Easter Monday itself
printf '%s\n' "date,currency,per_eur" "2023-04-10,GBP,0.8" >easter.csv
expect_exit 0 "$QM" -q --db db import rates easter.csv
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
# GBP 250,000,000 / 0.8
check p-gbr-money value_eur_cents 31250000000 "revalued with the new rate"
# a new unit price revalues the estimates
expect_exit 0 "$QM" -q --db db add items code=leopard-2a6 unit_price=30m
expect_exit 0 "$QM" --db db list pledges --json
cp "$OUT" list.json
check p-deu-leo value_eur_cents 42000000000 "revalued with the new price"
expect_exit 0 "$QM" --db db audit verify

# the table and CSV show the same figures
expect_exit 0 "$QM" --db db list pledges --donor GBR
expect_stdout_contains "committed  312,500,000  stated"
expect_exit 0 "$QM" --db db list pledges --csv --donor GBR
expect_stdout_line "p-gbr-money,GBR,2023-04-10,,,250000000,GBP,committed,2023-04-10,,purchase,bilateral,test fixture,Easter Monday: rate of 2023-04-06,31250000000,stated,,0"

# packages in one file, into an empty table, each before its parts: nested,
# and one without an amount (on PostgreSQL these rows go by COPY, each part
# written counted where it counts, with nothing revalued after)
load_base fresh parties rates items
cat >packages.csv <<'CSV'
id,donor,date,item,quantity,amount,currency,status,part_of,source
pkg-a,DEU,2024-01-02,,,1000000,EUR,committed,,t
a-1,DEU,2024-01-02,leopard-2a6,2,,,committed,pkg-a,t
sub-b,DEU,2024-01-02,,,500,EUR,committed,pkg-a,t
a-2,DEU,2024-01-02,leopard-2a6,3,,,committed,sub-b,t
pkg-c,GBR,2024-01-02,leopard-2a6,5,,,committed,,t
c-1,GBR,2024-01-02,leopard-2a6,1,,,committed,pkg-c,t
sub-d,GBR,2024-01-02,,,700,EUR,committed,pkg-c,t
d-1,GBR,2024-01-02,leopard-2a6,1,,,committed,sub-d,t
CSV
expect_exit 0 "$QM" -q --db fresh import pledges packages.csv
expect_exit 0 "$QM" --db fresh list pledges --csv
expect_equal "$(cat "$OUT")" "id,donor,date,item,quantity,amount,currency,status,available,part_of,cost_type,channel,source,note,value_eur_cents,valuation,counted_in,delivered
a-1,DEU,2024-01-02,leopard-2a6,2,,,committed,2024-01-02,pkg-a,in-kind,bilateral,t,,0,estimated,pkg-a,0
a-2,DEU,2024-01-02,leopard-2a6,3,,,committed,2024-01-02,sub-b,in-kind,bilateral,t,,0,estimated,pkg-a,0
c-1,GBR,2024-01-02,leopard-2a6,1,,,committed,2024-01-02,pkg-c,in-kind,bilateral,t,,2900000000,estimated,,0
d-1,GBR,2024-01-02,leopard-2a6,1,,,committed,2024-01-02,sub-d,in-kind,bilateral,t,,0,estimated,sub-d,0
pkg-a,DEU,2024-01-02,,,1000000,EUR,committed,2024-01-02,,purchase,bilateral,t,,100000000,stated,,0
pkg-c,GBR,2024-01-02,leopard-2a6,5,,,committed,2024-01-02,,in-kind,bilateral,t,,14500000000,estimated,,0
sub-b,DEU,2024-01-02,,,500,EUR,committed,2024-01-02,pkg-a,purchase,bilateral,t,,0,stated,pkg-a,0
sub-d,GBR,2024-01-02,,,700,EUR,committed,2024-01-02,pkg-c,purchase,bilateral,t,,70000,stated,,0" "the packages of one file"
expect_exit 0 "$QM" --db fresh audit verify
test_done
