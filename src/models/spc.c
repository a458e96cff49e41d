/* XmR charts and the Making Data Count rules (spc.h). */
#include "models/spc.h"
#include <math.h>
#include <stddef.h>

#define LIMIT_FACTOR 2.66 /* 3 / d2, d2 = 1.128 for moving ranges of two points */
#define RUN_LENGTH 7
#define TREND_LENGTH 7

/* Flags every point of each stretch of at least len consecutive points
 * for which same(i - 1, i) holds between neighbours. */
static void flag_runs(spc_point *p, int n, int len, unsigned rule, int (*same)(const spc_point *, int))
{
	int start = 0;
	for (int i = 1; i <= n; i++) {
		if (i < n && same(p, i))
			continue;
		if (i - start >= len)
			for (int k = start; k < i; k++)
				p[k].rules |= rule;
		start = i;
	}
}

static int same_side(const spc_point *p, int i)
{
	return p[i].side != 0 && p[i].side == p[i - 1].side;
}

/* A trend is TREND_LENGTH points each strictly higher (lower) than the
 * one before; a tie ends it. */
static int rising(const spc_point *p, int i)
{
	return p[i].value > p[i - 1].value;
}

static int falling(const spc_point *p, int i)
{
	return p[i].value < p[i - 1].value;
}

/* Two of three consecutive points beyond the two-sigma line on the same
 * side: the points beyond it in any such window are flagged. */
static void flag_two_in_three(spc_point *p, int n)
{
	for (int i = 0; i + 2 < n; i++) {
		for (int side = -1; side <= 1; side += 2) {
			int m = 0;
			for (int k = i; k < i + 3; k++)
				m += p[k].near_limit == side;
			if (m < 2)
				continue;
			for (int k = i; k < i + 3; k++)
				if (p[k].near_limit == side)
					p[k].rules |= SPC_RULE_TWO_IN_THREE;
		}
	}
}

int spc_xmr(const double *x, int n, int baseline, enum spc_direction better, double target, spc_chart *c,
	    spc_point *pts)
{
	if (n < 2)
		return -1;
	int b = baseline <= 0 || baseline > n ? n : baseline;
	if (b < 2)
		b = 2;
	double sum = 0, mr = 0;
	for (int i = 0; i < b; i++)
		sum += x[i];
	for (int i = 1; i < b; i++)
		mr += fabs(x[i] - x[i - 1]);
	c->n = n;
	c->mean = sum / b;
	c->mean_moving_range = mr / (b - 1);
	c->lower_limit = c->mean - LIMIT_FACTOR * c->mean_moving_range;
	c->upper_limit = c->mean + LIMIT_FACTOR * c->mean_moving_range;
	c->target = target;
	double sigma2 = 2.0 / 3.0 * LIMIT_FACTOR * c->mean_moving_range;
	for (int i = 0; i < n; i++) {
		spc_point *p = &pts[i];
		p->value = x[i];
		p->moving_range = i ? fabs(x[i] - x[i - 1]) : NAN;
		p->side = x[i] > c->mean ? 1 : x[i] < c->mean ? -1 : 0;
		p->near_limit = x[i] > c->mean + sigma2 ? 1 : x[i] < c->mean - sigma2 ? -1 : 0;
		p->rules = x[i] > c->upper_limit || x[i] < c->lower_limit ? SPC_RULE_OUTSIDE : 0;
	}
	flag_runs(pts, n, RUN_LENGTH, SPC_RULE_RUN, same_side);
	flag_runs(pts, n, TREND_LENGTH, SPC_RULE_TREND, rising);
	flag_runs(pts, n, TREND_LENGTH, SPC_RULE_TREND, falling);
	flag_two_in_three(pts, n);
	for (int i = 0; i < n; i++) {
		spc_point *p = &pts[i];
		if (!p->rules)
			p->variation = SPC_COMMON_CAUSE;
		else if (p->side == (int)better)
			p->variation = SPC_SPECIAL_IMPROVING;
		else if (p->side == -(int)better)
			p->variation = SPC_SPECIAL_CONCERNING;
		else /* on the mean, flagged by a trend: the trend's direction decides */
			p->variation = i && (x[i] - x[i - 1]) * (int)better > 0 ? SPC_SPECIAL_IMPROVING
										: SPC_SPECIAL_CONCERNING;
	}
	c->variation = pts[n - 1].variation;
	if (isnan(target))
		c->assurance = SPC_NO_TARGET;
	else if (better == SPC_HIGHER_BETTER)
		c->assurance = c->lower_limit > target   ? SPC_CONSISTENTLY_PASSES
			       : c->upper_limit < target ? SPC_CONSISTENTLY_FAILS
							 : SPC_HIT_AND_MISS;
	else
		c->assurance = c->upper_limit < target   ? SPC_CONSISTENTLY_PASSES
			       : c->lower_limit > target ? SPC_CONSISTENTLY_FAILS
							 : SPC_HIT_AND_MISS;
	return 0;
}

const char *spc_variation_name(enum spc_variation v)
{
	switch (v) {
	case SPC_SPECIAL_IMPROVING: return "special_cause_improving";
	case SPC_SPECIAL_CONCERNING: return "special_cause_concerning";
	default: return "common_cause";
	}
}

const char *spc_assurance_name(enum spc_assurance a)
{
	switch (a) {
	case SPC_CONSISTENTLY_PASSES: return "consistently_passes";
	case SPC_CONSISTENTLY_FAILS: return "consistently_fails";
	case SPC_HIT_AND_MISS: return "hit_and_miss";
	default: return "no_target";
	}
}

const char *spc_variation_words(enum spc_variation v)
{
	switch (v) {
	case SPC_SPECIAL_IMPROVING: return "special cause variation, improving";
	case SPC_SPECIAL_CONCERNING: return "special cause variation, concerning";
	default: return "common cause variation: no significant change";
	}
}

const char *spc_assurance_words(enum spc_assurance a)
{
	switch (a) {
	case SPC_CONSISTENTLY_PASSES: return "the process will consistently meet the target";
	case SPC_CONSISTENTLY_FAILS: return "the process will consistently miss the target unless it changes";
	case SPC_HIT_AND_MISS: return "the process will sometimes meet and sometimes miss the target";
	default: return "no target to assure against";
	}
}
