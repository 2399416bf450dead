/*
 * money.h - exact decimal amounts as scaled integers.
 *
 * Money is kept in integer cents (scale 2) and exchange rates in millionths
 * (scale 6); nothing here uses floating point. Conversion to euros divides by
 * the ECB rate (units of currency per euro) and rounds half away from zero.
 */
#ifndef QM_MONEY_H
#define QM_MONEY_H

#include <stdint.h>
#include <stddef.h>

/* The largest amount accepted, in units of currency (10^15). */
#define QM_MONEY_MAX_UNITS 1000000000000000LL

enum qm_decimal_flags {
	QM_DEC_SUFFIX = 1, /* accept a k, m or bn suffix (thousand, million, billion) */
	QM_DEC_ROUND = 2,  /* round extra decimals half away from zero instead of failing */
};

/*
 * Parse a non-negative decimal such as "12", "12.5", "1.129bn" into an
 * integer scaled by 10^scale (scale 0 to 6): "12.5" at scale 2 gives 1250.
 * Returns 0, or -1 when text is not such a number, has more decimals than
 * scale allows (unless QM_DEC_ROUND), or exceeds QM_MONEY_MAX_UNITS.
 */
int qm_decimal_parse(const char *text, int scale, unsigned flags, int64_t *out);

/* Write value (scaled by 10^scale) as a decimal with trailing zeros after the
 * point removed ("1250" at scale 2 gives "12.5"); buf needs 32 bytes. When
 * keep_cents is set and scale is 2, a fraction is always written with two
 * digits ("12.50"). Returns buf. */
char *qm_decimal_format(int64_t value, int scale, int keep_cents, char buf[32]);

/* Cents of a currency to euro cents at rate_micro (units per euro x 10^6),
 * rounded half away from zero. rate_micro must be positive. */
int64_t qm_money_to_eur(int64_t cents, int64_t rate_micro);

/* a * b / c rounded half away from zero, without intermediate overflow. */
int64_t qm_muldiv_round(int64_t a, int64_t b, int64_t c);

/* Euro cents as "1,234,567" (whole euros, thousands separated) or, with
 * compact set, as "1.23 bn" / "45.6 m"; buf needs 40 bytes. For display. */
char *qm_money_human(int64_t eur_cents, int compact, char buf[40]);

#endif
