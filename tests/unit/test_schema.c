/*
 * test_schema.c - unit tests of schema.h: the table of kinds and fields,
 * qm_field_parse for every field type (canonical forms such as "1.129bn"
 * -> "1129000000" and rates such as "1.1684", the numbers kept beside the
 * text, what is refused and what the message says was expected), and the
 * record helpers (set, get, copy, equal, key).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qm/date.h"
#include "qm/schema.h"

static const struct qm_kind *kind(const char *name)
{
	const struct qm_kind *k = qm_kind_by_name(name);
	if (!k)
		fail_msg("no kind '%s'", name);
	return k;
}

static int field(const struct qm_kind *k, const char *name)
{
	int i = qm_kind_field(k, name);
	if (i < 0)
		fail_msg("kind %s has no field '%s'", k->name, name);
	return i;
}

/* Parse raw into kind.field; it must be accepted with canonical text want
 * (NULL: the field ends up empty) and number num. */
static void accept(const char *kname, const char *fname, const char *raw, const char *want,
	int64_t num)
{
	const struct qm_kind *k = kind(kname);
	int i = field(k, fname);
	struct qm_record r;
	char expected[256] = "";
	qm_record_init(&r, k);
	if (qm_field_parse(&r, i, raw, expected, sizeof(expected)) != 0)
		fail_msg("%s.%s: '%s' should be accepted, got: expected %s", kname, fname, raw,
			expected);
	const char *got = qm_record_get(&r, i);
	if (!want) {
		assert_null(got);
	} else {
		if (!got || strcmp(got, want) != 0)
			fail_msg("%s.%s: '%s' gave '%s', want '%s'", kname, fname, raw, got ? got : "(null)",
				want);
		if (r.num[i] != num)
			fail_msg("%s.%s: '%s' gave number %lld, want %lld", kname, fname, raw,
				(long long)r.num[i], (long long)num);
	}
	qm_record_release(&r);
}

/* raw must be refused, and the message must say what was expected. */
static void refuse(const char *kname, const char *fname, const char *raw, const char *expect)
{
	const struct qm_kind *k = kind(kname);
	int i = field(k, fname);
	struct qm_record r;
	char expected[256] = "";
	qm_record_init(&r, k);
	if (qm_field_parse(&r, i, raw, expected, sizeof(expected)) != -1)
		fail_msg("%s.%s: '%s' should be refused, got '%s'", kname, fname, raw,
			qm_record_get(&r, i) ? qm_record_get(&r, i) : "(null)");
	if (strcmp(expected, expect) != 0)
		fail_msg("%s.%s: '%s': expected text '%s', want '%s'", kname, fname, raw, expected,
			expect);
	qm_record_release(&r);
}

/* Lists of parties and of cost types: canonical order, each word once. */
static void test_lists(void **state)
{
	(void)state;
	accept("frameworks", "parties", "allies", "allies", 0);
	accept("frameworks", "parties", "USA DEU  FRA", "DEU FRA USA", 3);
	accept("frameworks", "exempt", "HUN", "HUN", 1);
	accept("frameworks", "exempt", "NATO-CAP EU", "EU NATO-CAP", 2);
	const char *parties = "allies, or party codes (ISO 3166-1 alpha-3 or organisation codes)"
		" separated by spaces, each once";
	refuse("frameworks", "parties", "DEU DEU", parties);
	refuse("frameworks", "parties", "deu", parties);
	refuse("frameworks", "parties", "allies DEU", parties);
	refuse("frameworks", "exempt", "HUN 1X", parties);
	refuse("frameworks", "exempt", " ", parties);
	accept("frameworks", "cost_types", "training purchase", "purchase training", 2);
	accept("frameworks", "cost_types", "trust-fund in-kind sustainment",
		"in-kind sustainment trust-fund", 3);
	const char *types = "words separated by spaces, each once, from purchase, in-kind,"
		" sustainment, training, operations, industry, trust-fund";
	refuse("frameworks", "cost_types", "purchase purchase", types);
	refuse("frameworks", "cost_types", "purchase,training", types);
	refuse("frameworks", "cost_types", "salaries", types);
	accept("frameworks", "counts", "delivered", "delivered", 2);
	refuse("frameworks", "counts", "cancelled", "one of announced, committed, delivered");
}

static void test_kind_table(void **state)
{
	(void)state;
	static const char *const names[] = {"parties", "items", "rates", "gdp", "pledges",
		"deliveries", "requirements", "frameworks", "courses"};
	assert_int_equal(QM_KIND_COUNT, 9);
	for (int i = 0; i < QM_KIND_COUNT; i++) {
		const struct qm_kind *k = qm_kind(i);
		assert_int_equal(k->id, i);
		assert_string_equal(k->name, names[i]);
		assert_ptr_equal(qm_kind_by_name(names[i]), k);
		assert_true(k->nfields <= QM_FIELDS_MAX);
		assert_true(k->nkeys >= 1 && k->nkeys <= k->nfields);
		for (int f = 0; f < k->nkeys; f++)
			assert_true(k->fields[f].flags & QM_F_KEY);
		for (int f = 0; f < k->nfields; f++)
			assert_int_equal(qm_kind_field(k, k->fields[f].name), f);
	}
	assert_null(qm_kind_by_name("pledge"));
	assert_null(qm_kind_by_name("Pledges"));
	assert_null(qm_kind_by_name(""));
	assert_null(qm_kind_by_name("kiel-weapons"));
	assert_int_equal(qm_kind_field(kind("pledges"), "colour"), -1);
	assert_string_equal(qm_kind_names(),
		"parties, items, rates, gdp, pledges, deliveries, requirements, frameworks, courses");
	/* the frameworks' columns, in the order of the issue */
	static const char *const fw_cols[] = {"id", "name", "start", "end", "amount", "currency",
		"gdp_year", "parties", "exempt", "counts", "cost_types", "source"};
	const struct qm_kind *fw = kind("frameworks");
	assert_int_equal(fw->nfields, 12);
	for (int f = 0; f < 12; f++)
		assert_string_equal(fw->fields[f].name, fw_cols[f]);
	assert_int_equal(qm_kind_field(fw, "cost_types"), QM_FW_COST_TYPES);
	/* the columns of the issue, in order */
	static const char *const pledge_cols[] = {"id", "donor", "date", "item", "quantity",
		"amount", "currency", "status", "available", "part_of", "cost_type", "channel",
		"source", "note"};
	const struct qm_kind *p = kind("pledges");
	assert_int_equal(p->nfields, 14);
	for (int f = 0; f < 14; f++)
		assert_string_equal(p->fields[f].name, pledge_cols[f]);
	assert_int_equal(kind("rates")->nkeys, 2);
	assert_int_equal(kind("gdp")->nkeys, 2);
	assert_int_equal(qm_kind_field(p, "quantity"), QM_PLEDGE_QUANTITY);
	assert_int_equal(qm_kind_field(kind("deliveries"), "quantity"), QM_DELIVERY_QUANTITY);
	assert_int_equal(qm_kind_field(kind("requirements"), "needed_by"), QM_REQ_NEEDED_BY);
	/* the choices */
	assert_string_equal(qm_pledge_statuses[0], "announced");
	assert_string_equal(qm_pledge_statuses[1], "committed");
	assert_string_equal(qm_pledge_statuses[2], "cancelled");
	assert_null(qm_pledge_statuses[3]);
	static const char *const types[] = {"purchase", "in-kind", "sustainment", "training",
		"operations", "industry", "trust-fund"};
	for (int i = 0; i < 7; i++)
		assert_string_equal(qm_cost_types[i], types[i]);
	assert_null(qm_cost_types[7]);
	static const char *const channels[] = {"bilateral", "nato", "eu", "multilateral", "other"};
	for (int i = 0; i < 5; i++)
		assert_string_equal(qm_channels[i], channels[i]);
	assert_null(qm_channels[5]);
	assert_true(qm_ftype_is_numeric(QM_T_MONEY));
	assert_true(qm_ftype_is_numeric(QM_T_RATE));
	assert_true(qm_ftype_is_numeric(QM_T_QUANTITY));
	assert_false(qm_ftype_is_numeric(QM_T_DATE));
	assert_false(qm_ftype_is_numeric(QM_T_TEXT));
}

#define MONEY_EXPECTED "a non-negative amount with at most two decimals, or with a k, m or bn suffix"

static void test_money(void **state)
{
	(void)state;
	accept("pledges", "amount", "1.129bn", "1129000000", 112900000000LL);
	accept("pledges", "amount", "1850000000", "1850000000", 185000000000LL);
	accept("pledges", "amount", "12.5", "12.50", 1250);
	accept("pledges", "amount", "12.50", "12.50", 1250);
	accept("pledges", "amount", "0.01", "0.01", 1);
	accept("pledges", "amount", "250m", "250000000", 25000000000LL);
	accept("pledges", "amount", "5k", "5000", 500000);
	accept("pledges", "amount", "2.5k", "2500", 250000);
	accept("pledges", "amount", "0", "0", 0);
	accept("items", "unit_price", "8500", "8500", 850000);
	accept("gdp", "amount", "4121.16bn", "4121160000000", 412116000000000LL);
	refuse("pledges", "amount", "1.234", MONEY_EXPECTED);
	refuse("pledges", "amount", "-5", MONEY_EXPECTED);
	refuse("pledges", "amount", "5e6", MONEY_EXPECTED);
	refuse("pledges", "amount", "1,000", MONEY_EXPECTED);
	refuse("pledges", "amount", "EUR 5", MONEY_EXPECTED);
	refuse("pledges", "amount", "5M", MONEY_EXPECTED);
	refuse("pledges", "amount", "1000000001bn", MONEY_EXPECTED);
}

#define RATE_EXPECTED "a rate above zero with at most six decimals"

static void test_rate(void **state)
{
	(void)state;
	accept("rates", "per_eur", "1.1684", "1.1684", 1168400);
	accept("rates", "per_eur", "1.168400", "1.1684", 1168400);
	accept("rates", "per_eur", "0.87058", "0.87058", 870580);
	accept("rates", "per_eur", "20082.05", "20082.05", 20082050000LL);
	accept("rates", "per_eur", "186.75", "186.75", 186750000);
	accept("rates", "per_eur", "7", "7", 7000000);
	accept("rates", "per_eur", "0.000001", "0.000001", 1);
	refuse("rates", "per_eur", "0", RATE_EXPECTED);
	refuse("rates", "per_eur", "0.000000", RATE_EXPECTED);
	refuse("rates", "per_eur", "0.0000001", RATE_EXPECTED);
	refuse("rates", "per_eur", "-1.1", RATE_EXPECTED);
	refuse("rates", "per_eur", "N/A", RATE_EXPECTED);
	refuse("rates", "per_eur", "1.1k", RATE_EXPECTED);
}

static void test_dates_and_years(void **state)
{
	(void)state;
	accept("pledges", "date", "2024-02-29", "2024-02-29", qm_date_from_ymd(2024, 2, 29));
	accept("pledges", "available", "1970-01-01", "1970-01-01", 0);
	accept("requirements", "needed_by", "2025-06-30", "2025-06-30", qm_date_from_ymd(2025, 6, 30));
	refuse("pledges", "date", "2023-02-29", "a date as YYYY-MM-DD");
	refuse("pledges", "date", "2023-2-1", "a date as YYYY-MM-DD");
	refuse("pledges", "date", "01/02/2023", "a date as YYYY-MM-DD");
	refuse("deliveries", "date", "2023-13-01", "a date as YYYY-MM-DD");
	accept("gdp", "year", "2023", "2023", 2023);
	accept("gdp", "year", "1900", "1900", 1900);
	accept("gdp", "year", "2200", "2200", 2200);
	refuse("gdp", "year", "1899", "a year from 1900 to 2200");
	refuse("gdp", "year", "2201", "a year from 1900 to 2200");
	refuse("gdp", "year", "02023", "a year from 1900 to 2200");
	refuse("gdp", "year", "2023.0", "a year from 1900 to 2200");
	refuse("gdp", "year", "FY2023", "a year from 1900 to 2200");
}

static void test_quantities_and_priorities(void **state)
{
	(void)state;
	accept("pledges", "quantity", "1", "1", 1);
	accept("pledges", "quantity", "1000000", "1000000", 1000000);
	accept("pledges", "quantity", "1000000000000", "1000000000000", 1000000000000LL);
	accept("deliveries", "quantity", "600000", "600000", 600000);
	refuse("pledges", "quantity", "0", "a whole number of at least 1");
	refuse("pledges", "quantity", "-3", "a whole number of at least 1");
	refuse("pledges", "quantity", "1.5", "a whole number of at least 1");
	refuse("pledges", "quantity", "007", "a whole number of at least 1");
	refuse("pledges", "quantity", "1000000000001", "a whole number of at least 1");
	refuse("pledges", "quantity", "99999999999999999999999", "a whole number of at least 1");
	refuse("pledges", "quantity", "1k", "a whole number of at least 1");
	refuse("pledges", "quantity", " 5", "a whole number of at least 1");
	refuse("requirements", "quantity", "0", "a whole number of at least 1");
	for (int p = 1; p <= 5; p++) {
		char text[4];
		snprintf(text, sizeof(text), "%d", p);
		accept("requirements", "priority", text, text, p);
	}
	refuse("requirements", "priority", "0", "a priority from 1 to 5");
	refuse("requirements", "priority", "6", "a priority from 1 to 5");
	refuse("requirements", "priority", "high", "a priority from 1 to 5");
}

#define PARTY_EXPECTED "an ISO 3166-1 alpha-3 country code or an upper-case organisation code"

static void test_codes(void **state)
{
	(void)state;
	accept("pledges", "currency", "USD", "USD", 0);
	accept("pledges", "currency", "EUR", "EUR", 0);
	accept("rates", "currency", "GBP", "GBP", 0);
	refuse("pledges", "currency", "usd", "an ISO 4217 currency code");
	refuse("pledges", "currency", "XYZ", "an ISO 4217 currency code");
	refuse("pledges", "currency", "US", "an ISO 4217 currency code");
	refuse("pledges", "currency", "USDX", "an ISO 4217 currency code");
	refuse("pledges", "currency", "$", "an ISO 4217 currency code");
	accept("parties", "code", "DEU", "DEU", 0);
	accept("parties", "code", "EU", "EU", 0);
	accept("parties", "code", "NATO-CAP", "NATO-CAP", 0);
	accept("pledges", "donor", "UKR", "UKR", 0);
	refuse("parties", "code", "deu", PARTY_EXPECTED);
	refuse("parties", "code", "E", PARTY_EXPECTED);
	refuse("parties", "code", "1EU", PARTY_EXPECTED);
	refuse("parties", "code", "EU 2", PARTY_EXPECTED);
	refuse("pledges", "donor", "Germany", PARTY_EXPECTED);
	refuse("pledges", "donor", "THISCODEISMUCHTOOLONG", PARTY_EXPECTED);
	accept("items", "code", "patriot-battery", "patriot-battery", 0);
	accept("items", "code", "155mm-shell", "155mm-shell", 0);
	accept("items", "capability", "long-range-air-defence", "long-range-air-defence", 0);
	accept("pledges", "item", "f16", "f16", 0);
	refuse("items", "code", "Patriot", "a lower-case code of letters, digits and '-'");
	refuse("items", "code", "-patriot", "a lower-case code of letters, digits and '-'");
	refuse("items", "code", "patriot battery", "a lower-case code of letters, digits and '-'");
	refuse("items", "code", "patriot_battery", "a lower-case code of letters, digits and '-'");
	refuse("pledges", "item", "F-16", "a lower-case code of letters, digits and '-'");
}

#define ID_EXPECTED "an id of 1 to 64 letters, digits, '.', '_', ':' or '-'"

static void test_ids(void **state)
{
	(void)state;
	accept("pledges", "id", "usa-2022-12-21-pkg", "usa-2022-12-21-pkg", 0);
	accept("pledges", "id", "A.b_c:d-1", "A.b_c:d-1", 0);
	accept("deliveries", "pledge", "p-1", "p-1", 0);
	accept("pledges", "part_of", "pkg.1", "pkg.1", 0);
	char id[80];
	memset(id, 'x', 64);
	id[64] = '\0';
	accept("pledges", "id", id, id, 0);
	id[64] = 'x';
	id[65] = '\0';
	refuse("pledges", "id", id, ID_EXPECTED);
	refuse("pledges", "id", "a b", ID_EXPECTED);
	refuse("pledges", "id", "a/b", ID_EXPECTED);
	refuse("pledges", "id", "a,b", ID_EXPECTED);
	refuse("pledges", "id", "caf\xC3\xA9", ID_EXPECTED);
	refuse("pledges", "part_of", "x y", ID_EXPECTED);
}

static void test_enums_and_bools(void **state)
{
	(void)state;
	accept("pledges", "status", "announced", "announced", 0);
	accept("pledges", "status", "committed", "committed", 1);
	accept("pledges", "status", "cancelled", "cancelled", 2);
	refuse("pledges", "status", "Committed", "one of announced, committed, cancelled");
	refuse("pledges", "status", "delivered", "one of announced, committed, cancelled");
	accept("pledges", "cost_type", "trust-fund", "trust-fund", 6);
	refuse("pledges", "cost_type", "gift",
		"one of purchase, in-kind, sustainment, training, operations, industry, trust-fund");
	accept("pledges", "channel", "nato", "nato", 1);
	refuse("pledges", "channel", "NATO", "one of bilateral, nato, eu, multilateral, other");
	accept("parties", "kind", "organisation", "organisation", 1);
	refuse("parties", "kind", "organization", "one of nation, organisation");
	accept("parties", "ally", "yes", "yes", 1);
	accept("parties", "ally", "no", "no", 0);
	refuse("parties", "ally", "true", "yes or no");
	refuse("parties", "ally", "Yes", "yes or no");
	refuse("parties", "ally", "1", "yes or no");
}

static void test_text_and_empty(void **state)
{
	(void)state;
	accept("pledges", "note", "anything, \"quoted\"\nand more", "anything, \"quoted\"\nand more", 0);
	accept("pledges", "source", "https://example.org/a?b=c", "https://example.org/a?b=c", 0);
	/* empty text empties any field, whatever its type */
	accept("pledges", "amount", "", NULL, 0);
	accept("pledges", "quantity", "", NULL, 0);
	accept("pledges", "date", "", NULL, 0);
	accept("pledges", "status", "", NULL, 0);
	accept("rates", "per_eur", "", NULL, 0);
	accept("pledges", "amount", NULL, NULL, 0);
}

static void test_record_helpers(void **state)
{
	(void)state;
	const struct qm_kind *rk = kind("rates");
	struct qm_record a, b;
	char expected[256], key[64];
	qm_record_init(&a, rk);
	qm_record_init(&b, rk);
	assert_int_equal(qm_field_parse(&a, QM_RATE_DATE, "2024-01-02", expected, sizeof(expected)), 0);
	assert_int_equal(qm_field_parse(&a, QM_RATE_CURRENCY, "USD", expected, sizeof(expected)), 0);
	assert_int_equal(qm_field_parse(&a, QM_RATE_PER_EUR, "1.0956", expected, sizeof(expected)), 0);
	assert_string_equal(qm_record_key(&a, key, sizeof(key)), "2024-01-02|USD");
	assert_false(qm_record_equal(&a, &b));
	assert_int_equal(qm_record_copy(&b, &a), 0);
	assert_true(qm_record_equal(&a, &b));
	assert_int_equal(b.num[QM_RATE_PER_EUR], 1095600);
	assert_string_equal(qm_record_get(&b, QM_RATE_PER_EUR), "1.0956");
	/* setting a field again replaces it; many sets grow the buffer */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(qm_record_set(&b, QM_RATE_PER_EUR, "1.0957", 1095700), 0);
	assert_string_equal(qm_record_get(&b, QM_RATE_PER_EUR), "1.0957");
	assert_string_equal(qm_record_get(&b, QM_RATE_CURRENCY), "USD");
	assert_false(qm_record_equal(&a, &b));
	/* "" empties */
	assert_int_equal(qm_record_set(&b, QM_RATE_PER_EUR, "", 5), 0);
	assert_null(qm_record_get(&b, QM_RATE_PER_EUR));
	assert_int_equal(b.num[QM_RATE_PER_EUR], 0);
	qm_record_clear(&b);
	for (int i = 0; i < rk->nfields; i++)
		assert_null(qm_record_get(&b, i));
	/* an empty field differs from a field with text */
	assert_int_equal(qm_record_set(&b, QM_RATE_DATE, "2024-01-02", 0), 0);
	assert_false(qm_record_equal(&a, &b));
	qm_record_release(&a);
	qm_record_release(&b);

	/* a one-field key, truncated safely into a small buffer */
	struct qm_record p;
	qm_record_init(&p, kind("pledges"));
	assert_int_equal(qm_record_set(&p, QM_PLEDGE_ID, "usa-2022-12-21-pkg", 0), 0);
	assert_string_equal(qm_record_key(&p, key, sizeof(key)), "usa-2022-12-21-pkg");
	char small[4];
	qm_record_key(&p, small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	qm_record_release(&p);
}

/* The JSON the journal hashes: fields in schema order, empty ones left
 * out, quotes, backslashes and control characters escaped, the rest (UTF-8
 * included) as it is. */
static void test_record_json(void **state)
{
	(void)state;
	struct qm_record p;
	char *buf = NULL;
	size_t cap = 0;
	qm_record_init(&p, kind("pledges"));
	assert_int_equal(qm_record_set(&p, QM_PLEDGE_ID, "x-1", 0), 0);
	assert_int_equal(qm_record_set(&p, QM_PLEDGE_DONOR, "DEU", 0), 0);
	assert_int_equal(qm_record_set(&p, QM_PLEDGE_NOTE,
		"say \"hi\"\\ caf\xC3\xA9\tline\nend\x01", 0), 0);
	assert_string_equal(qm_record_to_json(&p, &buf, &cap),
		"{\"id\":\"x-1\",\"donor\":\"DEU\","
		"\"note\":\"say \\\"hi\\\"\\\\ caf\xC3\xA9\\u0009line\\u000aend\\u0001\"}");
	qm_record_clear(&p);
	assert_string_equal(qm_record_to_json(&p, &buf, &cap), "{}");
	free(buf);
	qm_record_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_table),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_dates_and_years),
		cmocka_unit_test(test_quantities_and_priorities),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_enums_and_bools),
		cmocka_unit_test(test_text_and_empty),
		cmocka_unit_test(test_record_helpers),
		cmocka_unit_test(test_record_json),
	};
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
