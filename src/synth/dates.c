/* Calendar arithmetic on day numbers (days since 1970-01-01, negative
 * before), England and Wales bank holidays, and a working-day table for
 * the range the generator uses. */
#include "synth/synth_int.h"
#include <stdlib.h>

static int32_t fdiv(int32_t a, int32_t b)
{
	int32_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Civil calendar <-> day number, proleptic Gregorian. */
int32_t sy_days_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int32_t era = fdiv(y, 400);
	int32_t yoe = y - era * 400;
	int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sy_ymd_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int32_t era = fdiv(z, 146097);
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int sy_weekday(int32_t day)
{
	int32_t w = (day + 3) % 7; /* 1970-01-01 was a Thursday */
	return w < 0 ? w + 7 : w;
}

static int month_len(int y, int m)
{
	static const int ml[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return ml[m - 1];
}

int32_t sy_add_months(int32_t day, int months)
{
	int y, m, d;
	sy_ymd_from_days(day, &y, &m, &d);
	int k = y * 12 + (m - 1) + months;
	y = k >= 0 ? k / 12 : -((-k + 11) / 12);
	m = k - y * 12 + 1;
	if (d > month_len(y, m))
		d = month_len(y, m);
	return sy_days_from_ymd(y, m, d);
}

static int32_t easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	return sy_days_from_ymd(y, month, day);
}

static int32_t first_monday(int y, int m)
{
	int32_t d = sy_days_from_ymd(y, m, 1);
	return d + (7 - sy_weekday(d)) % 7;
}

static int32_t last_monday(int y, int m)
{
	int32_t d = sy_days_from_ymd(y, m, month_len(y, m));
	return d - sy_weekday(d);
}

int sy_is_bank_holiday(int32_t day)
{
	int y, m, d;
	sy_ymd_from_days(day, &y, &m, &d);
	int wd = sy_weekday(day);
	if (wd >= 5)
		return 0;
	static const struct { int y, m, d; } special[] = {
		{1999, 12, 31}, {2011, 4, 29}, {2012, 6, 5}, {2022, 6, 3}, {2022, 9, 19}, {2023, 5, 8},
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i].y == y && special[i].m == m && special[i].d == d)
			return 1;
	if (m == 1) {
		int32_t ny = sy_days_from_ymd(y, 1, 1);
		int32_t obs = ny + (sy_weekday(ny) == 5 ? 2 : sy_weekday(ny) == 6 ? 1 : 0);
		return day == obs;
	}
	if (m == 3 || m == 4) {
		int32_t e = easter(y);
		return day == e - 2 || day == e + 1;
	}
	if (m == 5) {
		int32_t early = y == 2020 ? sy_days_from_ymd(2020, 5, 8) : y == 1995 ? sy_days_from_ymd(1995, 5, 8)
										   : first_monday(y, 5);
		if (day == early)
			return 1;
		if (y == 2002 || y == 2012 || y == 2022)
			return 0; /* spring holiday moved to June those years */
		return day == last_monday(y, 5);
	}
	if (m == 6)
		return (y == 2002 && d == 4) || (y == 2012 && d == 4) || (y == 2022 && d == 2);
	if (m == 8)
		return day == last_monday(y, 8);
	if (m == 12 && d >= 25) {
		/* Christmas and Boxing Day, moved to the next weekdays when they fall at a weekend. */
		int32_t xmas = sy_days_from_ymd(y, 12, 25);
		int xw = sy_weekday(xmas);
		int32_t a = xmas, b = xmas + 1;
		if (xw == 4) /* Friday: Boxing Day moves to Monday */
			b = xmas + 3;
		else if (xw == 5) { /* Saturday */
			a = xmas + 2;
			b = xmas + 3;
		} else if (xw == 6) { /* Sunday */
			a = xmas + 2;
			b = xmas + 1;
		}
		return day == a || day == b;
	}
	return 0;
}

static uint8_t *wd_tab;
static int32_t wd_lo, wd_hi;

void sy_workdays_init(int32_t lo, int32_t hi)
{
	free(wd_tab);
	wd_lo = lo;
	wd_hi = hi;
	wd_tab = malloc((size_t)(hi - lo + 1));
	if (!wd_tab) {
		fputs("medimart: synth: out of memory\n", stderr);
		abort();
	}
	for (int32_t d = lo; d <= hi; d++)
		wd_tab[d - lo] = sy_weekday(d) < 5 && !sy_is_bank_holiday(d);
}

void sy_workdays_free(void)
{
	free(wd_tab);
	wd_tab = NULL;
}

int sy_is_workday(int32_t day)
{
	if (wd_tab && day >= wd_lo && day <= wd_hi)
		return wd_tab[day - wd_lo];
	return sy_weekday(day) < 5 && !sy_is_bank_holiday(day);
}

int32_t sy_next_workday(int32_t day)
{
	while (!sy_is_workday(day))
		day++;
	return day;
}
