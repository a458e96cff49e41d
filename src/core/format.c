#include "core/format.h"
#include "core/table.h"
#include "util/date.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const month_long[] = {"January", "February", "March", "April", "May", "June", "July",
					 "August", "September", "October", "November", "December"};

/* Copies digits (an optional '-' and the integer part of s) into out with
 * a comma every three digits, then the rest of s (the fraction). */
static void group_digits(char *out, const char *s)
{
	const char *p = s;
	size_t k = 0;
	if (*p == '-')
		out[k++] = *p++;
	size_t nd = strspn(p, "0123456789");
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = p[i];
	}
	strcpy(out + k, p + nd);
}

const char *fmt_int(char *out, int64_t v)
{
	if (v == INT_NULL) {
		out[0] = '\0';
		return out;
	}
	char raw[32];
	snprintf(raw, sizeof raw, "%lld", (long long)v);
	group_digits(out, raw);
	return out;
}

/* Rounds half away from zero (as published statistics do), groups
 * thousands with commas, and never prints "-0". */
const char *fmt_num(char *out, double v, int decimals)
{
	out[0] = '\0';
	if (!isfinite(v))
		return out;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	long long scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	double a = fabs(v) * (double)scale;
	if (a >= 9e15) { /* beyond exact integers */
		snprintf(out, FMT_MAX, "%.3g", v);
		return out;
	}
	long long q = llround(a);
	char raw[48];
	int k = snprintf(raw, sizeof raw, "%s%lld", v < 0 && q != 0 ? "-" : "", q / scale);
	if (decimals > 0)
		snprintf(raw + k, sizeof raw - (size_t)k, ".%0*lld", decimals, q % scale);
	group_digits(out, raw);
	return out;
}

const char *fmt_pct(char *out, double pct, int decimals)
{
	fmt_num(out, pct, decimals);
	if (out[0])
		strcat(out, "%");
	return out;
}

const char *fmt_date_long(char *out, int32_t days)
{
	int y, m, d;
	if (days == DATE_NULL) {
		out[0] = '\0';
		return out;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, FMT_MAX, "%d %s %d", d, month_long[m - 1], y);
	return out;
}

const char *fmt_date_short(char *out, int32_t days)
{
	int y, m, d;
	if (days == DATE_NULL) {
		out[0] = '\0';
		return out;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, FMT_MAX, "%d %.3s %d", d, month_long[m - 1], y);
	return out;
}
