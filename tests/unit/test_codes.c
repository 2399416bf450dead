/*
 * test_codes.c - unit tests of codes.h: ISO 3166-1 alpha-3 country codes
 * and ISO 4217 currency codes (current ones and the legacy codes of the
 * ECB's historical file), matched exactly, never by substring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "qm/codes.h"

static void test_countries(void **state)
{
	(void)state;
	/* the 32 allies, Ukraine and Australia */
	static const char *const known[] = {"ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST",
		"FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "ITA", "LVA", "LTU", "LUX", "MNE", "NLD",
		"MKD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "TUR", "GBR", "USA",
		"UKR", "AUS", "ABW", "ZWE"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!qm_is_country_code(known[i]))
			fail_msg("'%s' is a country code", known[i]);
	static const char *const bad[] = {"", "DE", "D", "DEUT", "deu", "Deu", "XXX", "EU", "EUR",
		"WLD", "EUU", "OED", "AAA", "ZZZ", " DE", "DE ", "BW ", "W A", "ABWA", "BWA ",
		"D3U", "ÄBW"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (qm_is_country_code(bad[i]))
			fail_msg("'%s' is not a country code", bad[i]);
}

static void test_currencies(void **state)
{
	(void)state;
	/* every currency column of the ECB's eurofxref-hist.csv */
	static const char *const ecb[] = {"USD", "JPY", "BGN", "CYP", "CZK", "DKK", "EEK", "GBP",
		"HUF", "LTL", "LVL", "MTL", "PLN", "ROL", "RON", "SEK", "SIT", "SKK", "CHF", "ISK",
		"NOK", "HRK", "RUB", "TRL", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS",
		"INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR"};
	for (size_t i = 0; i < sizeof(ecb) / sizeof(ecb[0]); i++)
		if (!qm_is_currency_code(ecb[i]))
			fail_msg("'%s' (an ECB column) is a currency code", ecb[i]);
	static const char *const more[] = {"EUR", "UAH", "ALL", "MKD", "AED", "ZWL"};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		assert_true(qm_is_currency_code(more[i]));
	static const char *const bad[] = {"", "US", "USDX", "usd", "Usd", "XYZ", "DEU", "EU",
		"ABC", "EUR ", " EUR", "UR ", "SD", "D A", "AED AFN", "N/A", "$"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (qm_is_currency_code(bad[i]))
			fail_msg("'%s' is not a currency code", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_currencies),
	};
	return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
