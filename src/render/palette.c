#include "render/palette.h"
#include <math.h>

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
