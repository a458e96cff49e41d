/* Ranks, medians and words of the peer comparison (models/peers.h). */
#include "models/peers.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

size_t peer_rank(const double *v, size_t n, int higher_better, int *rank, int *tied)
{
	size_t ranked = 0;
	for (size_t i = 0; i < n; i++) {
		rank[i] = tied[i] = 0;
		if (isnan(v[i]))
			continue;
		ranked++;
		int better = 0, same = 0;
		for (size_t j = 0; j < n; j++) {
			if (isnan(v[j]))
				continue;
			if (v[j] == v[i])
				same++;
			else if (higher_better ? v[j] > v[i] : v[j] < v[i])
				better++;
		}
		rank[i] = better + 1;
		tied[i] = same;
	}
	return ranked;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double peer_median(const double *v, size_t n)
{
	double *s = xmalloc((n + 1) * sizeof *s);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[k++] = v[i];
	double m = NAN;
	if (k) {
		qsort(s, k, sizeof *s, cmp_double);
		m = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2.0;
	}
	free(s);
	return m;
}

void peer_ordinal(int k, char *out, size_t n)
{
	const char *suf = "th";
	if (k % 100 < 11 || k % 100 > 13) {
		if (k % 10 == 1)
			suf = "st";
		else if (k % 10 == 2)
			suf = "nd";
		else if (k % 10 == 3)
			suf = "rd";
	}
	snprintf(out, n, "%d%s", k, suf);
}

void peer_position(int rank, int tied, int of, const char *area, char *out, size_t n)
{
	if (of == 1) {
		snprintf(out, n, "the only Trust in %s", area);
		return;
	}
	char ord[16];
	peer_ordinal(rank, ord, sizeof ord);
	snprintf(out, n, "%s%s of %d in %s", tied > 1 ? "joint " : "", ord, of, area);
}

static double round1(double x)
{
	return round(x * 10.0) / 10.0;
}

void peer_distance(double value, double median, peer_unit unit, int higher_better, const char *what, char *out,
		   size_t n)
{
	value = round1(value);
	median = round1(median);
	double d = round1(value - median);
	char med[48];
	if (unit == PEER_PCT)
		snprintf(med, sizeof med, "%.1f%%", median);
	else if (unit == PEER_PER_100)
		snprintf(med, sizeof med, "%.1f per 100", median);
	else
		snprintf(med, sizeof med, "%.1f weeks", median);
	if (d == 0.0) {
		snprintf(out, n, "level with the %s median of %s", what, med);
		return;
	}
	int above = d > 0;
	int better = higher_better ? above : !above;
	const char *dir;
	if (unit == PEER_WEEKS)
		dir = above ? "longer than" : "shorter than";
	else
		dir = above ? "above" : "below";
	const char *u = unit == PEER_PCT ? " points" : unit == PEER_PER_100 ? " per 100" : " weeks";
	snprintf(out, n, "%.1f%s %s the %s median of %s (%s)", fabs(d), u, dir, what, med, better ? "better" : "worse");
}
