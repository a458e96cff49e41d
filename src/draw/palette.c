#include "draw/palette.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Okabe-Ito without black (kept for text); ordered so that neighbours in a
 * legend or a stack differ in hue and lightness, with yellow, the weakest
 * on white, last. */
static const colour series[PALETTE_SERIES] = {
	0x0072B2, /* blue */
	0xE69F00, /* orange */
	0x009E73, /* bluish green */
	0xCC79A7, /* reddish purple */
	0x56B4E9, /* sky blue */
	0xD55E00, /* vermillion */
	0xF0E442, /* yellow */
};

colour palette_series(size_t i, size_t n)
{
	if (n <= 1)
		return NHS_BLUE;
	return i < PALETTE_SERIES ? series[i] : NHS_MID_GREY;
}

#define OI_BLUE 0x0072B2u
#define OI_ORANGE 0xE69F00u
#define OI_GREEN 0x009E73u
#define OI_PURPLE 0xCC79A7u
#define OI_SKY 0x56B4E9u
#define OI_VERMILLION 0xD55E00u
#define OI_YELLOW 0xF0E442u

static const struct {
	const char *label;
	colour c;
} fixed[] = {
	{"P1a", OI_VERMILLION},
	{"P1b", OI_ORANGE},
	{"P2", OI_PURPLE},
	{"P3", OI_SKY},
	{"P4", OI_BLUE},
	{"High", OI_VERMILLION},
	{"Medium", OI_ORANGE},
	{"Low", OI_BLUE},
	{"Patient did not attend", OI_VERMILLION},
	{"Patient", OI_ORANGE},
	{"Hospital", OI_BLUE},
	{"Hospital (whole session)", OI_SKY},
	{"Attended", OI_GREEN},
	{"Did not attend", OI_VERMILLION},
	{"Cancelled by patient", OI_ORANGE},
	{"Cancelled by hospital", OI_BLUE},
	{"Other", PALETTE_OTHER},
};

static const char *const not_recorded[] = {"", "Not recorded", "Unknown", "Not known", "None", "(none)", "N/A"};

colour palette_category_fixed(const char *label)
{
	if (!label)
		return PALETTE_NOT_RECORDED;
	for (size_t i = 0; i < sizeof not_recorded / sizeof not_recorded[0]; i++)
		if (strcasecmp(label, not_recorded[i]) == 0)
			return PALETTE_NOT_RECORDED;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(label, fixed[i].label) == 0)
			return fixed[i].c;
	return COLOUR_NONE;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

colour palette_category(const char *const *labels, size_t n, size_t i)
{
	/* Taken: the colours of the chart's fixed labels, then of each hashed
	 * label before i, assigned in order. */
	int taken[PALETTE_SERIES] = {0};
	for (size_t j = 0; j < n; j++) {
		colour c = palette_category_fixed(labels[j]);
		for (int k = 0; k < PALETTE_SERIES; k++)
			taken[k] |= series[k] == c;
	}
	const int pool = PALETTE_SERIES - 1; /* yellow only as a last resort */
	for (size_t j = 0; j <= i && j < n; j++) {
		colour f = palette_category_fixed(labels[j]);
		if (f != COLOUR_NONE) {
			if (j == i)
				return f;
			continue;
		}
		int k0 = (int)(fnv1a(labels[j]) % (uint32_t)pool), pick = -1;
		for (int d = 0; d < pool && pick < 0; d++)
			if (!taken[(k0 + d) % pool])
				pick = (k0 + d) % pool;
		if (pick < 0)
			pick = taken[pool] ? k0 : pool;
		taken[pick] = 1;
		if (j == i)
			return series[pick];
	}
	return NHS_MID_GREY; /* i >= n */
}

static double channel(colour c, int shift)
{
	return (double)((c >> shift) & 0xFF);
}

static colour mix(colour a, colour b, double t)
{
	colour out = 0;
	for (int s = 16; s >= 0; s -= 8) {
		double v = channel(a, s) + (channel(b, s) - channel(a, s)) * t;
		out |= (colour)lround(v) << s;
	}
	return out;
}

colour palette_seq(double t)
{
	/* Pale blue -> NHS Blue -> NHS Dark Blue: one hue, lightness falling. */
	static const colour stops[] = {0xEEF4FB, 0x9CC3E8, NHS_BLUE, NHS_DARK_BLUE};
	const int n = (int)(sizeof stops / sizeof stops[0]) - 1;
	if (!(t > 0))
		return stops[0];
	if (t >= 1)
		return stops[n];
	double p = t * n;
	int k = (int)p;
	return mix(stops[k], stops[k + 1], p - k);
}

static double linear(double v)
{
	v /= 255.0;
	return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double colour_luminance(colour c)
{
	return 0.2126 * linear(channel(c, 16)) + 0.7152 * linear(channel(c, 8)) + 0.0722 * linear(channel(c, 0));
}

static double contrast(double l1, double l2)
{
	return l1 > l2 ? (l1 + 0.05) / (l2 + 0.05) : (l2 + 0.05) / (l1 + 0.05);
}

colour palette_text_on(colour bg)
{
	double l = colour_luminance(bg);
	return contrast(l, colour_luminance(NHS_TEXT)) >= contrast(l, 1.0) ? NHS_TEXT : NHS_WHITE;
}
