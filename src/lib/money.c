/*
 * money.c - exact decimal parsing, formatting and conversion to euros with
 * integer arithmetic (128-bit intermediates where products can overflow).
 */
#include <stdio.h>
#include <string.h>

#include "qm/money.h"

static const int64_t pow10_table[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
	10000000, 100000000, 1000000000, 10000000000LL, 100000000000LL, 1000000000000LL,
	10000000000000LL, 100000000000000LL, 1000000000000000LL, 10000000000000000LL,
	100000000000000000LL, 1000000000000000000LL};

int qm_decimal_parse(const char *s, int scale, unsigned flags, int64_t *out)
{
	__int128 units = 0, frac = 0;
	int frac_digits = 0, int_digits = 0, extra = 0, round_up = 0;
	int suffix_pow = 0;
	const char *p = s;

	if (scale < 0 || scale > 6)
		return -1;
	while (*p >= '0' && *p <= '9') {
		units = units * 10 + (*p - '0');
		if (units > QM_MONEY_MAX_UNITS)
			return -1;
		p++;
		int_digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (frac_digits < 12) {
				frac = frac * 10 + (*p - '0');
				frac_digits++;
			} else {
				extra = 1;
			}
			p++;
		}
		if (frac_digits == 0)
			return -1;
	}
	if (int_digits == 0 && frac_digits == 0)
		return -1;
	if (*p && (flags & QM_DEC_SUFFIX)) {
		if (strcmp(p, "k") == 0)
			suffix_pow = 3;
		else if (strcmp(p, "m") == 0)
			suffix_pow = 6;
		else if (strcmp(p, "bn") == 0)
			suffix_pow = 9;
		else
			return -1;
		p += strlen(p);
	}
	if (*p)
		return -1;
	if (extra && !(flags & QM_DEC_ROUND))
		return -1;

	/* value = (units + frac / 10^frac_digits) * 10^suffix_pow * 10^scale */
	int shift = suffix_pow + scale; /* how far the point moves right: at most 15 */
	__int128 whole = units * pow10_table[shift];
	__int128 f;
	if (frac_digits <= shift) {
		f = frac * pow10_table[shift - frac_digits];
	} else {
		int drop = frac_digits - shift;
		__int128 div = pow10_table[drop];
		__int128 rest = frac % div;
		f = frac / div;
		if (rest != 0 || extra) {
			if (!(flags & QM_DEC_ROUND))
				return -1;
			round_up = rest * 2 >= div;
		}
	}
	whole += f + round_up;
	if (whole > (__int128)QM_MONEY_MAX_UNITS * pow10_table[scale])
		return -1;
	*out = (int64_t)whole;
	return 0;
}

char *qm_decimal_format(int64_t value, int scale, int keep_cents, char buf[32])
{
	/* digits are written from the right; no snprintf, as imports call this per record */
	char tmp[40];
	int pos = (int)sizeof(tmp), neg = value < 0;
	uint64_t v = neg ? (uint64_t)(-(value + 1)) + 1 : (uint64_t)value;
	uint64_t div = (uint64_t)pow10_table[scale];
	uint64_t whole = v / div, frac = v % div;
	tmp[--pos] = '\0';
	if (frac) {
		int digits = scale;
		while (!(keep_cents && scale == 2) && digits > 0 && frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		for (int i = 0; i < digits; i++) {
			tmp[--pos] = (char)('0' + frac % 10);
			frac /= 10;
		}
		tmp[--pos] = '.';
	}
	do {
		tmp[--pos] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	if (neg)
		tmp[--pos] = '-';
	memcpy(buf, tmp + pos, sizeof(tmp) - (size_t)pos);
	return buf;
}

int64_t qm_muldiv_round(int64_t a, int64_t b, int64_t c)
{
	__int128 num = (__int128)a * b;
	int neg = (num < 0) != (c < 0);
	if (num < 0)
		num = -num;
	__int128 den = c < 0 ? -(__int128)c : c;
	__int128 q = num / den, r = num % den;
	if (r * 2 >= den)
		q++;
	return (int64_t)(neg ? -q : q);
}

int64_t qm_money_to_eur(int64_t cents, int64_t rate_micro)
{
	return qm_muldiv_round(cents, 1000000, rate_micro);
}

char *qm_money_human(int64_t eur_cents, int compact, char buf[40])
{
	int64_t euros = qm_muldiv_round(eur_cents, 1, 100);
	int neg = euros < 0;
	uint64_t v = neg ? (uint64_t)(-euros) : (uint64_t)euros;
	if (compact) {
		if (v >= 1000000000ULL)
			snprintf(buf, 40, "%s%.2f bn", neg ? "-" : "", (double)v / 1e9);
		else if (v >= 1000000ULL)
			snprintf(buf, 40, "%s%.1f m", neg ? "-" : "", (double)v / 1e6);
		else
			snprintf(buf, 40, "%s%llu", neg ? "-" : "", (unsigned long long)v);
		return buf;
	}
	char digits[32], out[40];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	int j = 0;
	if (neg)
		out[j++] = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	snprintf(buf, 40, "%s", out);
	return buf;
}
