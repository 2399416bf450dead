/*
 * date.c - ISO 8601 dates to day numbers and back, with the civil-calendar
 * arithmetic of the proleptic Gregorian calendar.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "qm/date.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

qm_day qm_date_from_ymd(int y, int m, int d)
{
	/* days from civil, after Howard Hinnant's public-domain algorithm */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (qm_day)(era * 146097 + doe - 719468);
}

void qm_date_to_ymd(qm_day z, int *year, int *month, int *mday)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	*year = y + (m <= 2);
	*month = m;
	*mday = d;
}

int qm_date_parse(const char *s, qm_day *out)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*out = qm_date_from_ymd(y, m, d);
	return 0;
}

char *qm_date_format(qm_day day, char buf[11])
{
	/* by hand: plans print a date per assignment */
	int y, m, d;
	qm_date_to_ymd(day, &y, &m, &d);
	y %= 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

qm_day qm_date_today(void)
{
	const char *now = getenv("QM_NOW");
	qm_day day;
	if (now && strlen(now) >= 10) {
		char tmp[11];
		memcpy(tmp, now, 10);
		tmp[10] = '\0';
		if (qm_date_parse(tmp, &day) == 0)
			return day;
	}
	return (qm_day)(time(NULL) / 86400);
}
