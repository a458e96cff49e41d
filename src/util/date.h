/* Calendar dates as days since 1970-01-01 (int32) and timestamps as
 * seconds since the epoch (int64), proleptic Gregorian, UTC. */
#ifndef MM_DATE_H
#define MM_DATE_H
#include <stddef.h>
#include <stdint.h>

#define DATE_NULL INT32_MIN

int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t z, int *y, int *m, int *d);
int days_in_month(int y, int m);
int is_leap(int y);
/* Returns 0 and sets *out on success, -1 on a malformed or impossible date. */
int date_parse(const char *s, size_t n, int32_t *out);
/* Accepts YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm) or a plain date. */
int ts_parse(const char *s, size_t n, int64_t *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). */
void date_fmt(int32_t days, char *buf);
/* Writes "YYYY-MM-DDThh:mm:ssZ" and a NUL into buf (21 bytes). */
void ts_fmt(int64_t secs, char *buf);
int32_t month_end(int32_t days);            /* last day of that month */
int32_t add_months_end(int32_t days, int k); /* month end k months later */
static inline int32_t ts_day(int64_t secs)
{
	return (int32_t)(secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400));
}

#endif
