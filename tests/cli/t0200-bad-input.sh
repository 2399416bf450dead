#!/bin/sh
# Every kind of bad input, one fixture each under tests/data/bad/: the exact
# FILE:LINE:COLUMN: error: FIELD: message (COLUMN the character column where
# the field starts), exit status 65, and the database byte for byte as it
# was. The database holds the base fixtures (tests/data/base/), so that
# references, stored deliveries and rates are there to be checked against.
. "$(dirname "$0")/lib.sh"

load_base db
BAD=$DATA/bad
MONEY="a non-negative amount with at most two decimals, or with a k, m or bn suffix"

# ---- the file and its header ----

expect_bad_import db pledges "$BAD/pledges-empty.csv" \
	"pledges-empty.csv:1:1: error: a header row and records, got an empty file"

expect_bad_import db pledges "$BAD/pledges-unknown-column.csv" \
	"pledges-unknown-column.csv:1:15: error: a column of pledges (id, donor, date, item, quantity, amount, currency, status, available, part_of, cost_type, channel, source, note), got 'colour'"

expect_bad_import db pledges "$BAD/pledges-missing-column.csv" \
	"pledges-missing-column.csv:1:1: error: a column 'date' in the header, got none"

expect_bad_import db pledges "$BAD/pledges-ragged-row.csv" \
	"pledges-ragged-row.csv:3:38: error: a row of 14 fields like the header, got 13" \
	"pledges-ragged-row.csv:4:43: error: a row of 14 fields like the header, got 15"

# ---- text that is not CSV or not UTF-8 ----

expect_bad_import db pledges "$BAD/pledges-not-utf8.csv" \
	"pledges-not-utf8.csv:2:42: error: bytes that are not UTF-8"

expect_bad_import db pledges "$BAD/pledges-nul-byte.csv" \
	"pledges-nul-byte.csv:2:34: error: NUL byte in text"

expect_bad_import db pledges "$BAD/pledges-stray-quote.csv" \
	"pledges-stray-quote.csv:2:35: error: a double quote inside an unquoted field"

expect_bad_import db pledges "$BAD/pledges-unterminated-quote.csv" \
	"pledges-unterminated-quote.csv:2:31: error: a quoted field that is never closed"

# ---- field values ----

expect_bad_import db pledges "$BAD/pledges-bad-date.csv" \
	"pledges-bad-date.csv:2:9: error: date: a date as YYYY-MM-DD, got '2023-02-30'"

expect_bad_import db pledges "$BAD/pledges-bad-number.csv" \
	"pledges-bad-number.csv:2:22: error: amount: $MONEY, got '1.234'" \
	"pledges-bad-number.csv:3:32: error: quantity: a whole number of at least 1, got 'ten'" \
	"pledges-bad-number.csv:4:22: error: amount: $MONEY, got '1,000'"

expect_bad_import db parties "$BAD/parties-bad-code.csv" \
	"parties-bad-code.csv:2:1: error: code: an ISO 3166-1 alpha-3 country code or an upper-case organisation code, got 'Germany'" \
	"parties-bad-code.csv:3:19: error: ally: yes or no, got 'oui'" \
	"parties-bad-code.csv:4:1: error: code: an ISO 3166-1 alpha-3 country code for a nation, got 'NATO'" \
	"parties-bad-code.csv:5:1: error: code: an organisation code that is not a country code, such as EU, got 'AUT'"

expect_bad_import db parties "$BAD/parties-bad-currency.csv" \
	"parties-bad-currency.csv:2:23: error: currency: an ISO 4217 currency code, got 'FRF'" \
	"parties-bad-currency.csv:3:22: error: currency: the nation's ISO 4217 currency, got ''"

expect_bad_import db pledges "$BAD/pledges-bad-currency.csv" \
	"pledges-bad-currency.csv:2:25: error: currency: an ISO 4217 currency code, got 'XYZ'" \
	"pledges-bad-currency.csv:3:25: error: currency: an ISO 4217 currency code, got 'usd'"

expect_bad_import db pledges "$BAD/pledges-negative-quantity.csv" \
	"pledges-negative-quantity.csv:2:32: error: quantity: a whole number of at least 1, got '-3'"

expect_bad_import db pledges "$BAD/pledges-zero-quantity.csv" \
	"pledges-zero-quantity.csv:2:32: error: quantity: a whole number of at least 1, got '0'"

# item and quantity together or not at all; at least one of them or an amount
expect_bad_import db pledges "$BAD/pledges-item-quantity-amount.csv" \
	"pledges-item-quantity-amount.csv:2:32: error: quantity: a quantity with the item, got ''" \
	"pledges-item-quantity-amount.csv:3:20: error: item: an item with the quantity, got ''" \
	"pledges-item-quantity-amount.csv:4:22: error: amount: an amount, or an item and quantity, got ''" \
	"pledges-item-quantity-amount.csv:5:35: error: currency: no currency without an amount, got 'EUR'" \
	"pledges-item-quantity-amount.csv:6:24: error: currency: the currency of the amount, got ''"

expect_bad_import db deliveries "$BAD/deliveries-bad-quantity.csv" \
	"deliveries-bad-quantity.csv:2:26: error: quantity: a whole number of at least 1, got '0'" \
	"deliveries-bad-quantity.csv:3:27: error: quantity: a whole number of at least 1, got '-1'"

expect_bad_import db requirements "$BAD/requirements-bad.csv" \
	"requirements-bad.csv:2:31: error: priority: a priority from 1 to 5, got '6'" \
	"requirements-bad.csv:3:6: error: capability: exactly one of capability and item, got ''" \
	"requirements-bad.csv:4:23: error: item: exactly one of capability and item, got 'leopard-2a6'" \
	"requirements-bad.csv:5:6: error: capability: a lower-case code of letters, digits and '-', got 'Main Battle Tank'"

expect_bad_import db items "$BAD/items-bad.csv" \
	"items-bad.csv:2:56: error: currency: the currency of unit_price, got ''" \
	"items-bad.csv:3:1: error: code: a lower-case code of letters, digits and '-', got 'Gripen-D'"

expect_bad_import db gdp "$BAD/gdp-bad.csv" \
	"gdp-bad.csv:2:1: error: party: the code of a known party, got 'FRA'" \
	"gdp-bad.csv:3:5: error: year: a year from 1900 to 2200, got '1850'"

expect_bad_import db rates "$BAD/rates-bad.csv" \
	"rates-bad.csv:2:12: error: currency: a currency other than EUR, got 'EUR'" \
	"rates-bad.csv:3:16: error: per_eur: a rate above zero with at most six decimals, got '0'" \
	"rates-bad.csv:4:16: error: per_eur: a rate above zero with at most six decimals, got '1.2.3'"

expect_bad_import db rates "$BAD/rates-ecb-bad-currency.csv" \
	"rates-ecb-bad-currency.csv:1:10: error: currency: an ISO 4217 currency code as a column name, got 'XYZ'"

# one bad date in the wide layout is one error, not one per currency column
expect_bad_import db rates "$BAD/rates-ecb-bad-rows.csv" \
	"rates-ecb-bad-rows.csv:4:23: error: a row of 4 fields like the header, got 3" \
	"rates-ecb-bad-rows.csv:5:1: error: date: a date as YYYY-MM-DD, got '2023-04-31'"

# ---- references ----

expect_bad_import db pledges "$BAD/pledges-unknown-party.csv" \
	"pledges-unknown-party.csv:2:5: error: donor: the code of a known party, got 'FRA'"

expect_bad_import db pledges "$BAD/pledges-unknown-item.csv" \
	"pledges-unknown-item.csv:2:20: error: item: the code of a known item, got 'tiger-tank'"

expect_bad_import db deliveries "$BAD/deliveries-unknown-pledge.csv" \
	"deliveries-unknown-pledge.csv:2:5: error: pledge: the id of a known pledge, got 'p-nope'" \
	"deliveries-unknown-pledge.csv:3:6: error: pledge: a pledge of an item and quantity (this one pledges only money), got 'p-gbr-money'"

# no deliveries against a cancelled pledge
expect_exit 0 "$QM" -q --db db add pledges id=p-nor-cancelled donor=NOR date=2023-12-27 item=drone-x quantity=2 status=cancelled source=fixture
expect_bad_import db deliveries "$BAD/deliveries-cancelled-pledge.csv" \
	"deliveries-cancelled-pledge.csv:2:5: error: pledge: a pledge that is not cancelled, got 'p-nor-cancelled'"

# columns in another order: the position is still the field's
expect_bad_import db requirements "$BAD/requirements-unknown-item.csv" \
	"requirements-unknown-item.csv:3:2: error: item: the code of a known item, got 'tiger-tank'"

expect_bad_import db kiel-weapons "$BAD/kiel-bad.csv" \
	"kiel-bad.csv:2:1: error: donor: the name or alias of a known party, got 'Atlantis'" \
	"kiel-bad.csv:3:21: error: monetary_value_eur: an amount in euros, got 'a lot'" \
	"kiel-bad.csv:4:29: error: weapons_list: weapons as 'Name (n); Name (n)', got 'Leopard 2, two of them'"

# ---- duplicate ids ----

expect_bad_import db pledges "$BAD/pledges-duplicate-id.csv" \
	"pledges-duplicate-id.csv:4:1: error: id: a key not used by an earlier row (line 2 has it), got 'x-1'"
# also when the table is empty to begin with
load_base empty.db parties rates items
expect_bad_import empty.db pledges "$BAD/pledges-duplicate-id.csv" \
	"pledges-duplicate-id.csv:4:1: error: id: a key not used by an earlier row of this import, got 'x-1'"

# ---- deliveries past the pledged quantity, counting those stored ----

# p-gbr-shells: 10000 pledged, 7000 delivered (d-1, d-2)
expect_bad_import db deliveries "$BAD/deliveries-past-quantity.csv" \
	"deliveries-past-quantity.csv:3:30: error: quantity: at most 1000 (pledge 'p-gbr-shells' has 10000, 9000 delivered already), got '1001'"
# nor may the pledge be revised below what was delivered
expect_bad_import db pledges "$BAD/pledges-below-delivered.csv" \
	"pledges-below-delivered.csv:2:39: error: quantity: at least 7000, the units already delivered against pledge 'p-gbr-shells', got '5000'"

# ---- money without an ECB rate on or before its date ----

expect_bad_import db pledges "$BAD/pledges-no-rate.csv" \
	"pledges-no-rate.csv:2:25: error: currency: a currency with an ECB reference rate on or before 2022-12-19, got 'USD'" \
	"pledges-no-rate.csv:3:22: error: currency: a currency with an ECB reference rate on or before 2023-02-03, got 'NOK' (the donor's currency, as none was given)" \
	"pledges-no-rate.csv:4:25: error: currency: a currency with an ECB reference rate on or before 2023-02-03, got 'CHF'"

expect_bad_import db items "$BAD/items-no-rate.csv" \
	"items-no-rate.csv:2:56: error: currency: a currency with an ECB reference rate on or before 2022-12-19, got 'SEK'"

# ---- part_of ----

expect_bad_import db pledges "$BAD/pledges-part-of-self.csv" \
	"pledges-part-of-self.csv:2:28: error: part_of: a package other than the pledge itself (a part_of cycle), got 'x-1'"

expect_bad_import db pledges "$BAD/pledges-part-of-cycle.csv" \
	"pledges-part-of-cycle.csv:2:28: error: part_of: a package that is not, through its own packages, part of 'x-1' (a part_of cycle), got 'x-2'" \
	"pledges-part-of-cycle.csv:3:28: error: part_of: a package that is not, through its own packages, part of 'x-2' (a part_of cycle), got 'x-1'"

# a cycle through a package already stored
expect_bad_import db pledges "$BAD/pledges-part-of-cycle-stored.csv" \
	"pledges-part-of-cycle-stored.csv:2:37: error: part_of: a package that is not, through its own packages, part of 'x-1' (a part_of cycle), got 'p-usa-pkg'" \
	"pledges-part-of-cycle-stored.csv:3:47: error: part_of: a package that is not, through its own packages, part of 'p-usa-pkg' (a part_of cycle), got 'x-1'"

expect_bad_import db pledges "$BAD/pledges-part-of-missing.csv" \
	"pledges-part-of-missing.csv:2:28: error: part_of: the id of a known pledge (here or in the ledger), got 'p-nope'"

# ---- the same checks through qm add ----

db_dump db db.before
expect_exit 65 "$QM" --db db add pledges id=x-1 donor=DEU date=2023-02-30 amount=5m
expect_stderr_equals "add: error: date: a date as YYYY-MM-DD, got '2023-02-30'
1 error; nothing was written"
expect_exit 65 "$QM" --db db add pledges id=x-1 donor=DEU date=2023-02-03 item=leopard-2a6 quantity=0
expect_stderr_line "add: error: quantity: a whole number of at least 1, got '0'"
expect_exit 65 "$QM" --db db add pledges id=x-1 donor=FRA date=2023-02-03 amount=5m
expect_stderr_line "add: error: donor: the code of a known party, got 'FRA'"
expect_exit 65 "$QM" --db db add pledges id=x-1 donor=DEU date=2023-02-03 amount=5m part_of=x-1
expect_stderr_line "add: error: part_of: a package other than the pledge itself (a part_of cycle), got 'x-1'"
expect_exit 65 "$QM" --db db add deliveries id=d-9 pledge=p-deu-leo date=2023-04-01 quantity=5
expect_stderr_line "add: error: quantity: at most 4 (pledge 'p-deu-leo' has 14, 10 delivered already), got '5'"
expect_exit 65 "$QM" --db db add pledges id=x-1 colour=red
expect_stderr_line "add: error: colour: a field of pledges, got 'colour'"
expect_db_unchanged db.before db

expect_exit 0 "$QM" --db db audit verify
test_done
