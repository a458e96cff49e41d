/* Statistical process control for board reporting, as NHS England's
 * "Making Data Count" asks boards to read performance: an XmR chart
 * (individuals and moving range) with process limits at the mean plus or
 * minus 2.66 times the mean moving range, the special-cause rules of the
 * NHS-R Community's NHSRplotthedots, and the variation and assurance
 * verdicts. docs/spc.md states the method. */
#ifndef MM_SPC_H
#define MM_SPC_H

/* Which way is better for the measure. */
enum spc_direction { SPC_HIGHER_BETTER = 1, SPC_LOWER_BETTER = -1 };

enum spc_variation {
	SPC_COMMON_CAUSE,         /* no special-cause rule fires on the point */
	SPC_SPECIAL_IMPROVING,    /* special cause on the side that is better */
	SPC_SPECIAL_CONCERNING,   /* special cause on the side that is worse */
};

enum spc_assurance {
	SPC_NO_TARGET,            /* no target given */
	SPC_CONSISTENTLY_PASSES,  /* both limits on the good side of the target */
	SPC_CONSISTENTLY_FAILS,   /* both limits on the bad side */
	SPC_HIT_AND_MISS,         /* the target lies between the limits */
};

/* Rule flags of one point. */
enum {
	SPC_RULE_OUTSIDE = 1,     /* outside the process limits */
	SPC_RULE_RUN = 2,         /* part of 7 or more points on one side of the mean */
	SPC_RULE_TREND = 4,       /* part of 7 or more points each higher (lower) than the one before */
	SPC_RULE_TWO_IN_THREE = 8 /* one of 2 of 3 points beyond two sigma on the same side */
};

typedef struct spc_point {
	double value;
	double moving_range;      /* |x_i - x_(i-1)|; NAN for the first point */
	int side;                 /* +1 above the mean, -1 below, 0 on it */
	int near_limit;           /* beyond the two-sigma line (mean +- 2/3 of the limit distance) */
	unsigned rules;           /* SPC_RULE_* */
	enum spc_variation variation;
} spc_point;

typedef struct spc_chart {
	int n;
	double mean, mean_moving_range;
	double lower_limit, upper_limit; /* mean -+ 2.66 mean_moving_range */
	double target;                   /* NAN when none */
	enum spc_variation variation;    /* of the last point */
	enum spc_assurance assurance;
} spc_chart;

/* Computes the chart of the n values x (oldest first) into c and pts
 * (n points); the mean and mean moving range come from the first baseline
 * points (all when baseline <= 0 or > n). target may be NAN. Needs n >= 2;
 * returns -1 otherwise. */
int spc_xmr(const double *x, int n, int baseline, enum spc_direction better, double target, spc_chart *c,
	    spc_point *pts);

const char *spc_variation_name(enum spc_variation v);  /* "common_cause", ... */
const char *spc_assurance_name(enum spc_assurance a);  /* "no_target", ... */
/* The verdict in words for a board, e.g. "Common cause variation: no
 * significant change" or "Special cause: concerning (higher)". */
const char *spc_variation_words(enum spc_variation v);
const char *spc_assurance_words(enum spc_assurance a);

#endif
