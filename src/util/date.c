#include "util/date.h"

/* Howard Hinnant's civil-date algorithms, written out for int32 days. */
int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void civil_from_days(int32_t z0, int *y, int *m, int *d)
{
	int64_t z = (int64_t)z0 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, size_t n, int *y, int *m, int *d)
{
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int date_parse(const char *s, size_t n, int32_t *out)
{
	int y, m, d;
	if (n != 10 || parse_ymd(s, n, &y, &m, &d))
		return -1;
	*out = days_from_civil(y, m, d);
	return 0;
}

int ts_parse(const char *s, size_t n, int64_t *out)
{
	int y, m, d, hh = 0, mi = 0, ss = 0, off = 0;
	if (parse_ymd(s, n, &y, &m, &d))
		return -1;
	size_t i = 10;
	if (n > 10) {
		if ((s[10] != 'T' && s[10] != ' ') || n < 19 || s[13] != ':' || s[16] != ':')
			return -1;
		if (digits(s + 11, 2, &hh) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &ss))
			return -1;
		if (hh > 23 || mi > 59 || ss > 60)
			return -1;
		i = 19;
		if (i < n && s[i] == '.') {
			i++;
			size_t f = i;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			if (i == f)
				return -1;
		}
		if (i < n && s[i] == 'Z') {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int oh, om;
			if (n - i != 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &oh) ||
			    digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			off = (oh * 60 + om) * 60 * (s[i] == '+' ? 1 : -1);
			i = n;
		}
	}
	if (i != n)
		return -1;
	*out = (int64_t)days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss - off;
	return 0;
}

static char *put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

void date_fmt(int32_t days, char *buf)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	char *p = put2(put2(buf, y / 100), y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p = '\0';
}

void ts_fmt(int64_t secs, char *buf)
{
	int32_t day = ts_day(secs);
	int64_t rem = secs - (int64_t)day * 86400;
	date_fmt(day, buf);
	char *p = buf + 10;
	*p++ = 'T';
	p = put2(p, (int)(rem / 3600));
	*p++ = ':';
	p = put2(p, (int)(rem / 60 % 60));
	*p++ = ':';
	p = put2(p, (int)(rem % 60));
	*p++ = 'Z';
	*p = '\0';
}

int32_t month_end(int32_t days)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	return days_from_civil(y, m, days_in_month(y, m));
}

int32_t add_months_end(int32_t days, int k)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	int t = y * 12 + (m - 1) + k;
	y = t / 12;
	m = t % 12 + 1;
	return days_from_civil(y, m, days_in_month(y, m));
}
