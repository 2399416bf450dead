/*
 * date.h - ISO 8601 calendar dates (YYYY-MM-DD) as day numbers.
 *
 * A day number counts days since 1970-01-01 (negative before it), so that
 * date differences are plain subtraction. Years 1000 to 9999 are accepted.
 */
#ifndef QM_DATE_H
#define QM_DATE_H

#include <stdint.h>

typedef int32_t qm_day;

/* Parse exactly "YYYY-MM-DD" (a real calendar date). Returns 0 and sets *out,
 * or -1 when text is not such a date. */
int qm_date_parse(const char *text, qm_day *out);

/* Write the date as "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *qm_date_format(qm_day day, char buf[11]);

/* Day number of a calendar date; the fields must be valid. */
qm_day qm_date_from_ymd(int year, int month, int day);

/* Split a day number into year, month (1-12) and day of month. */
void qm_date_to_ymd(qm_day day, int *year, int *month, int *mday);

/* Today in UTC, or the date part of $QM_NOW when set (for reproducible tests). */
qm_day qm_date_today(void);

#endif
