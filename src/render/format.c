#include "render/format.h"
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

const char *fmt_num(char *out, double v, int decimals)
{
	if (isnan(v) || isinf(v)) {
		out[0] = '\0';
		return out;
	}
	char raw[FMT_MAX];
	if (fabs(v) >= 1e15) {
		snprintf(out, FMT_MAX, "%.3g", v);
		return out;
	}
	snprintf(raw, sizeof raw, "%.*f", decimals, v);
	/* "-0.0" reads as a negative number; show it as zero. */
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		memmove(raw, raw + 1, strlen(raw));
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

const char *fmt_month_year(char *out, int32_t days)
{
	int y, m, d;
	if (days == DATE_NULL) {
		out[0] = '\0';
		return out;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, FMT_MAX, "%.3s %d", month_long[m - 1], y);
	return out;
}
