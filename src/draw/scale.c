/* Axis arithmetic and text metrics for chart layout. All formatting is done
 * with integer arithmetic, so output never depends on the C locale. */
#include "draw/chart.h"
#include "core/format.h"
#include "util/date.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

double nice_step(double span, int want)
{
	if (want < 1)
		want = 1;
	if (!(span > 0) || !isfinite(span))
		return 1;
	double raw = span / want;
	double mag = pow(10, floor(log10(raw)));
	double m = raw / mag;
	double f = m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10;
	return f * mag;
}

static int step_decimals(double step)
{
	if (step >= 1)
		return 0;
	int d = (int)ceil(-log10(step) - 1e-9);
	return d > 9 ? 9 : d;
}

void nice_ticks(double lo, double hi, int want, axis_ticks *t)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double s = lo;
		lo = hi;
		hi = s;
	}
	if (hi == lo) {
		double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
		if (lo >= 0 && lo - pad < 0)
			lo = 0;
		else
			lo -= pad;
		hi += pad;
	}
	double step = nice_step(hi - lo, want);
	double a = floor(lo / step + 1e-9), b = ceil(hi / step - 1e-9);
	while (b - a + 1 > AXIS_MAX_TICKS) { /* only for a silly want */
		step *= 2;
		a = floor(lo / step + 1e-9);
		b = ceil(hi / step - 1e-9);
	}
	t->step = step;
	t->n = (int)(b - a) + 1;
	for (int i = 0; i < t->n; i++) {
		double v = (a + i) * step;
		t->v[i] = fabs(v) < step * 1e-9 ? 0 : v;
	}
	t->lo = t->v[0];
	t->hi = t->v[t->n - 1];
	t->decimals = step_decimals(step);
}

void fmt_number(double v, int decimals, char *out, size_t n)
{
	if (n == 0)
		return;
	char tmp[FMT_MAX];
	fmt_num(tmp, v, decimals);
	snprintf(out, n, "%s", tmp);
}

void fmt_tick(const axis_ticks *t, double v, char *out, size_t n)
{
	double big = fmax(fabs(t->lo), fabs(t->hi));
	if (big >= 1e6 && t->step >= 1e5) {
		fmt_number(v / 1e6, step_decimals(t->step / 1e6), out, n);
		if (strcmp(out, "0") != 0)
			strncat(out, "m", n - strlen(out) - 1);
		return;
	}
	fmt_number(v, t->decimals, out, n);
}

void fmt_value(double v, char *out, size_t n)
{
	fmt_number(v, fabs(v - round(v)) < 1e-9 ? 0 : 1, out, n);
}

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void fmt_month(int32_t day, int long_year, char *out, size_t n)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (long_year)
		snprintf(out, n, "%s %04d", month_abbr[m - 1], y);
	else
		snprintf(out, n, "%s %02d", month_abbr[m - 1], ((y % 100) + 100) % 100);
}

void fmt_day(int32_t day, int with_year, char *out, size_t n)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (with_year)
		snprintf(out, n, "%d %s %04d", d, month_abbr[m - 1], y);
	else
		snprintf(out, n, "%d %s", d, month_abbr[m - 1]);
}

/* Text is measured before any font exists, so the estimate must hold for
 * the fonts a page is drawn in. The SVGs ask for "Frutiger, Arial,
 * Helvetica, sans-serif"; where none of the first three is installed
 * (most Linux desktops, and the headless Chromium used to check the site)
 * the system sans is DejaVu Sans, which is about 12% wider than Arial.
 * Each character counts as the wider of the two, so a label measured to
 * fit fits in either (kerning only narrows a word: measured in Chromium,
 * "Harrowdale Royal Infirmary" at 12 px is 163.8 px, estimated 164.9).
 * Widths in 1/1000 em. */

/* Helvetica (Arial has the same widths). */
static const unsigned short helv_w[95] = {
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, /*  !"#$%&'()*+,-./ */
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556,                               /* 0-9 */
	278, 278, 584, 584, 584, 556, 1015,                                             /* :;<=>?@ */
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,                /* A-M */
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,                /* N-Z */
	278, 278, 278, 469, 556, 333,                                                   /* [\]^_` */
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,                /* a-m */
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,                /* n-z */
	334, 260, 334, 584,                                                             /* {|}~ */
};

/* DejaVu Sans Book, as Chromium advances it (2048 units to the em, rounded). */
static const unsigned short dejavu_w[95] = {
	318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,        /*  !"#$%&'()*+,-./ */
	636, 636, 636, 636, 636, 636, 636, 636, 636, 636,                                      /* 0-9 */
	337, 337, 838, 838, 838, 531, 1000,                                                    /* :;<=>?@ */
	684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,                       /* A-M */
	748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685,                       /* N-Z */
	390, 337, 390, 838, 500, 500,                                                          /* [\]^_` */
	613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974,                       /* a-m */
	634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525,                       /* n-z */
	636, 337, 636, 838,                                                                    /* {|}~ */
};

/* DejaVu Sans Bold. */
static const unsigned short dejavu_bold_w[95] = {
	348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,       /*  !"#$%&'()*+,-./ */
	696, 696, 696, 696, 696, 696, 696, 696, 696, 696,                                      /* 0-9 */
	400, 400, 838, 838, 838, 580, 1000,                                                    /* :;<=>?@ */
	774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,                       /* A-M */
	837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725,                      /* N-Z */
	457, 365, 457, 838, 500, 500,                                                          /* [\]^_` */
	675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042,                      /* a-m */
	712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582,                       /* n-z */
	712, 365, 712, 838,                                                                    /* {|}~ */
};

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t u8len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Width of one character in 1/1000 em. Outside ASCII: accented Latin
 * letters (two bytes) as a wide capital, anything else as a full em. */
static double char_w(const char *s, size_t len, int bold)
{
	unsigned char c = (unsigned char)s[0];
	if (len == 1) {
		if (c < 32 || c >= 127)
			return 1000;
		double h = helv_w[c - 32] * (bold ? 1.07 : 1.0), d = bold ? dejavu_bold_w[c - 32] : dejavu_w[c - 32];
		return h > d ? h : d;
	}
	if (len == 3 && memcmp(s, "\xE2\x80\x93", 3) == 0) /* en dash */
		return bold ? 535 : 500;
	return len == 2 ? 800 * (bold ? 1.1 : 1.0) : 1000;
}

double text_width(const char *s, double size, int bold)
{
	double w = 0;
	for (size_t i = 0; s[i];) {
		size_t len = u8len((unsigned char)s[i]);
		for (size_t j = 1; j < len; j++)
			if (!s[i + j]) {
				len = j;
				break;
			}
		w += char_w(s + i, len, bold);
		i += len;
	}
	return w * size / 1000.0;
}

int text_fit(const char *s, double size, int bold, double maxw, char *out, size_t n)
{
	if (n == 0)
		return 0;
	if (text_width(s, size, bold) <= maxw && strlen(s) < n) {
		memcpy(out, s, strlen(s) + 1);
		return 0;
	}
	const double ell = text_width("\xE2\x80\xA6", size, bold);
	double w = 0;
	size_t i = 0, keep = 0;
	while (s[i]) {
		size_t len = u8len((unsigned char)s[i]);
		for (size_t j = 1; j < len; j++)
			if (!s[i + j]) {
				len = j;
				break;
			}
		double cw = char_w(s + i, len, bold) * size / 1000.0;
		if (w + cw + ell > maxw || i + len + 4 > n)
			break;
		w += cw;
		i += len;
		keep = i;
	}
	while (keep > 0 && s[keep - 1] == ' ') /* no space before the ellipsis */
		keep--;
	memcpy(out, s, keep);
	memcpy(out + keep, "\xE2\x80\xA6", 4);
	return 1;
}

size_t label_step(double slot, double need)
{
	if (!(slot > 0))
		return 1;
	if (slot >= need)
		return 1;
	return (size_t)ceil(need / slot - 1e-9);
}
