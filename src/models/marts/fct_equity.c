/* fct_equity: waits, overdue cases and clinical risk by patient group, with
 * the gap to all patients, so that unequal waits show up per dimension.
 *
 * For the share at high risk, beside the crude rate: a 95% Wilson score
 * interval (Wilson 1927; Brown, Cai and DasGupta 2001), an age-standardised
 * rate (direct standardisation to the age structure of the whole waiting
 * list, the "all" row, by age band), a flag on groups too small to read
 * (fewer than 30 patients, or an interval wider than 20 percentage points),
 * and the share of the group's patients scoring on each factor, so that
 * what drives a group's High share can be read. The risk_tier dimension
 * gives the waits of each tier, and on its High row a sentence saying
 * whether high-risk patients have waited longer or shorter than low-risk
 * ones. docs/risk-model.md gives the definitions and sources. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"dim_risk_cohort", "fct_overdue_cases", NULL};

#define PTS_FROM(c) "dim_risk_cohort." c ", dim_risk_cohort.patient_id"

static const model_col cols[] = {
	{"dimension", T_STR, "Patient characteristic compared; \"all\" for the reference row",
	 "not_null accepted(all|sex|ethnicity|age_band|imd_decile|risk_tier)",
	 "dim_risk_cohort.sex, dim_risk_cohort.ethnicity, dim_risk_cohort.age_band, dim_risk_cohort.imd_decile, "
	 "dim_risk_cohort.risk_tier", CR_CODE},
	{"group_value", T_STR, "Group within the dimension (\"Unknown\" when not recorded; \"All patients\" for all)",
	 "not_null", "dim_risk_cohort.sex, dim_risk_cohort.ethnicity, dim_risk_cohort.age_band, dim_risk_cohort.imd_decile",
	 CR_LABEL},
	{"patients", T_INT, "Patients of the group with an open pathway at census", "not_null range(0..)",
	 "dim_risk_cohort.patient_id", CR_PERSONS},
	{"open_pathways", T_INT, "Open pathways of those patients", "not_null range(0..)",
	 "fct_overdue_cases.pathway_id, fct_overdue_cases.patient_id", CR_PERSONS},
	{"median_wait_days", T_NUM, "Median wait of the group's open pathways in days (nearest rank: value at rank ceil(n/2))",
	 "range(0..)", "fct_overdue_cases.wait_days", CR_MEASURE},
	{"pct_over_18_weeks", T_NUM, "Open pathways waiting more than 126 days / open pathways * 100", "range(0..100)",
	 "fct_overdue_cases.wait_days", CR_PCT},
	{"pct_overdue", T_NUM, "Overdue open pathways / open pathways * 100", "range(0..100)",
	 "fct_overdue_cases.is_overdue", CR_PCT},
	{"high_risk", T_INT, "Patients of the group in the High risk tier", "not_null range(0..)",
	 "dim_risk_cohort.risk_tier", CR_PERSONS},
	{"pct_high_risk", T_NUM, "High-risk patients / patients * 100", "range(0..100)", "dim_risk_cohort.risk_tier",
	 CR_PCT},
	{"gap_pct_over_18_weeks", T_NUM, "pct_over_18_weeks minus that of all patients, in percentage points",
	 "range(-100..100)", "fct_overdue_cases.wait_days", CR_MEASURE},
	{"gap_median_wait_days", T_NUM, "median_wait_days minus that of all patients, in days", "",
	 "fct_overdue_cases.wait_days", CR_MEASURE},
	{"median_wait_weeks", T_NUM, "median_wait_days / 7, to one decimal place", "range(0..)",
	 "fct_overdue_cases.wait_days", CR_MEASURE},
	{"high_risk_ci_low", T_NUM, "Lower end of the 95% Wilson score interval of pct_high_risk", "range(0..100)",
	 "dim_risk_cohort.risk_tier", CR_MEASURE},
	{"high_risk_ci_high", T_NUM, "Upper end of the 95% Wilson score interval of pct_high_risk", "range(0..100)",
	 "dim_risk_cohort.risk_tier", CR_MEASURE},
	{"pct_high_risk_age_std", T_NUM,
	 "pct_high_risk directly age-standardised to the whole waiting list: the group's High share in each age band "
	 "(0-17 .. 80+, Unknown), weighted by that band's share of all patients waiting (bands the group has no "
	 "patient in are left out and the weights of the others rescaled)",
	 "range(0..100)", "dim_risk_cohort.risk_tier, dim_risk_cohort.age_band", CR_PCT},
	{"too_small", T_BOOL,
	 "Too few to read: fewer than 30 patients, or a 95% interval of pct_high_risk wider than 20 percentage points",
	 "not_null", "dim_risk_cohort.patient_id, dim_risk_cohort.risk_tier", CR_FLAG},
	{"reading_note", T_STR, "Why the group is too small to read (null when it is not)", "",
	 "dim_risk_cohort.patient_id, dim_risk_cohort.risk_tier", CR_LABEL},
	{"pct_pts_age", T_NUM, "Patients of the group scoring points for age / patients * 100", "range(0..100)",
	 PTS_FROM("pts_age"), CR_PCT},
	{"pct_pts_comorbidity", T_NUM, "Patients scoring points for comorbidities / patients * 100", "range(0..100)",
	 PTS_FROM("pts_comorbidity"), CR_PCT},
	{"pct_pts_admissions", T_NUM, "Patients scoring points for unplanned admissions / patients * 100",
	 "range(0..100)", PTS_FROM("pts_admissions"), CR_PCT},
	{"pct_pts_response", T_NUM, "Patients scoring points for a low response likelihood / patients * 100",
	 "range(0..100)", PTS_FROM("pts_response"), CR_PCT},
	{"pct_pts_community", T_NUM, "Patients scoring points for community care / patients * 100", "range(0..100)",
	 PTS_FROM("pts_community"), CR_PCT},
	{"pct_pts_priority", T_NUM, "Patients scoring points for clinical priority / patients * 100", "range(0..100)",
	 PTS_FROM("pts_priority"), CR_PCT},
	{"main_driver", T_STR,
	 "The factor whose share of patients scoring exceeds that of all patients by the most percentage points, "
	 "at least 1 (null when none does, and on the all row)",
	 "accepted(age|comorbidities|admissions|response|community_care|priority)",
	 "dim_risk_cohort.pts_age, dim_risk_cohort.pts_comorbidity, dim_risk_cohort.pts_admissions, "
	 "dim_risk_cohort.pts_response, dim_risk_cohort.pts_community, dim_risk_cohort.pts_priority", CR_LABEL},
	{"wait_finding", T_STR,
	 "On the High row of the risk_tier dimension: whether the High tier's open pathways have waited longer, "
	 "shorter or as long (median) as the Low tier's, in words; null elsewhere",
	 "", "fct_overdue_cases.wait_days, dim_risk_cohort.risk_tier", CR_LABEL},
};

static const char *const tests[] = {
	"expr(high_risk <= patients)",
	"expr(high_risk_ci_low <= pct_high_risk)",
	"expr(high_risk_ci_high >= pct_high_risk)",
	NULL,
};

enum { DIM_ALL, DIM_SEX, DIM_ETHNICITY, DIM_AGE, DIM_IMD, DIM_TIER, NDIM };
static const char *const dim_names[NDIM] = {"all", "sex", "ethnicity", "age_band", "imd_decile", "risk_tier"};
static const char *const dim_cols[NDIM] = {NULL, "sex", "ethnicity", "age_band", "imd_decile", "risk_tier"};

/* A group smaller than this, or whose interval is wider than this many
 * percentage points, is flagged as too small to read. */
#define MIN_READABLE 30
#define MAX_CI_WIDTH 20.0
/* A factor is a group's main driver only if its share of patients scoring
 * exceeds that of all patients by at least this many percentage points. */
#define MIN_DRIVER_GAP 1.0
/* Age strata for the standardisation: the age bands and Unknown. */
#define NSTRATA 7

static const char *const pts_cols[RF_COUNT] = {
	"pts_age", "pts_comorbidity", "pts_admissions", "pts_response", "pts_community", "pts_priority",
};
static const char *const pct_pts_cols[RF_COUNT] = {
	"pct_pts_age", "pct_pts_comorbidity", "pct_pts_admissions", "pct_pts_response", "pct_pts_community",
	"pct_pts_priority",
};

typedef struct grp {
	uint32_t label;    /* string id of group_value */
	int unknown;       /* "Unknown" sorts last */
	int64_t num;       /* numeric order for imd_decile, tier order for risk_tier */
	const char *text;
	int64_t patients, high, pathways, over18, overdue;
	int64_t scoring[RF_COUNT];                    /* patients with points for each factor */
	int64_t st_patients[NSTRATA], st_high[NSTRATA]; /* by age stratum */
	size_t off, nw;    /* its waits in the shared array */
} grp;

static int cmp_grp(const void *a, const void *b)
{
	const grp *x = a, *y = b;
	if (x->unknown != y->unknown) /* the null group, last (core/table.h) */
		return mm_cmp_nulls_last(x->unknown, y->unknown);
	if (x->num != y->num)
		return (x->num > y->num) - (x->num < y->num);
	return strcmp(x->text, y->text);
}

typedef struct inputs {
	mm_table *coh, *fc;
	size_t *pw_patient; /* fct_overdue_cases row -> dim_risk_cohort row, or SIZE_MAX */
	uint32_t high, unknown, all;
	int k_tier, k_wait, k_overdue;
	int k_pts[RF_COUNT];
	int *stratum;       /* dim_risk_cohort row -> age stratum */
} inputs;

/* Group label of cohort row r for dimension d. */
static uint32_t label_of(strpool *sp, const inputs *in, int c, int d, size_t r)
{
	if (d == DIM_ALL)
		return in->all;
	if (tbl_isnull(in->coh, c, r))
		return in->unknown;
	if (d == DIM_IMD) {
		char buf[24];
		snprintf(buf, sizeof buf, "%lld", (long long)tbl_int(in->coh, c, r));
		return sp_intern_cstr(sp, buf);
	}
	return tbl_sid(in->coh, c, r);
}

static grp *new_grp(grp **v, size_t *n, size_t *cap, uint32_t label)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 16) * sizeof **v);
	grp *g = &(*v)[(*n)++];
	memset(g, 0, sizeof *g);
	g->label = label;
	return g;
}

/* The groups of dimension d, sorted for display, with their counts and
 * their waits sorted ascending in *waits (caller frees both). Pathways of
 * a patient missing from the cohort count only in the "all" group. */
static grp *group_dim(strpool *sp, const inputs *in, int d, size_t *ngrp, int64_t **waits)
{
	const mm_table *coh = in->coh, *fc = in->fc;
	int c = dim_cols[d] ? col(coh, dim_cols[d]) : -1;
	grp *v = NULL;
	size_t n = 0, cap = 0;
	uint32_t *gi = xmalloc((coh->nrows + 1) * sizeof *gi);
	hmap by_label;
	hmap_init(&by_label, 32);
	*waits = NULL;
	if (d == DIM_ALL) { /* present even for an empty list */
		new_grp(&v, &n, &cap, in->all);
		hmap_put(&by_label, in->all, 0);
	}
	for (size_t r = 0; r < coh->nrows; r++) {
		uint32_t label = label_of(sp, in, c, d, r);
		uint32_t g = hmap_get(&by_label, label);
		if (g == HMAP_NONE) {
			g = (uint32_t)n;
			new_grp(&v, &n, &cap, label);
			hmap_put(&by_label, label, g);
		}
		gi[r] = g;
		int high = tbl_sid(coh, in->k_tier, r) == in->high;
		v[g].patients++;
		v[g].high += high;
		v[g].st_patients[in->stratum[r]]++;
		v[g].st_high[in->stratum[r]] += high;
		for (int f = 0; f < RF_COUNT; f++)
			v[g].scoring[f] += int_or0(coh, in->k_pts[f], r) != 0;
	}
	size_t *fill = xcalloc(n + 1, sizeof *fill);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			size_t off = 0;
			for (size_t g = 0; g < n; g++) {
				v[g].off = fill[g] = off;
				off += v[g].nw;
			}
			*waits = xmalloc((off + 1) * sizeof **waits);
		}
		for (size_t r = 0; r < fc->nrows; r++) {
			size_t p = in->pw_patient[r];
			if (p == SIZE_MAX && d != DIM_ALL)
				continue;
			grp *g = &v[p == SIZE_MAX ? 0 : gi[p]];
			int64_t w = tbl_int(fc, in->k_wait, r);
			if (pass == 1) {
				if (w != INT_NULL)
					(*waits)[fill[g - v]++] = w;
				continue;
			}
			g->pathways++;
			g->over18 += w != INT_NULL && w > 126;
			g->overdue += tbl_bool(fc, in->k_overdue, r);
			g->nw += w != INT_NULL;
		}
	}
	for (size_t g = 0; g < n; g++) {
		sort_i64(*waits + v[g].off, v[g].nw);
		v[g].text = sp_str(sp, v[g].label);
		v[g].unknown = v[g].label == in->unknown;
		v[g].num = d == DIM_IMD && !v[g].unknown ? atoll(v[g].text) : 0;
		if (d == DIM_TIER)
			v[g].num = !strcmp(v[g].text, "High") ? 0 : !strcmp(v[g].text, "Medium") ? 1 : 2;
	}
	if (n) /* v may be NULL for an empty group list: qsort needs a valid pointer */
		qsort(v, n, sizeof *v, cmp_grp);
	free(fill);
	free(gi);
	hmap_free(&by_label);
	*ngrp = n;
	return v;
}

/* The 95% Wilson score interval of x / n, in percent, into lo and hi
 * (NAN when n is 0). */
static void equity_wilson(int64_t x, int64_t n, double *lo, double *hi)
{
	if (n <= 0) {
		*lo = *hi = NAN;
		return;
	}
	const double z = 1.959963984540054;
	double p = (double)x / (double)n, nn = (double)n, z2 = z * z;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	*lo = x == 0 ? 0 : 100 * fmin(p, centre - half); /* exact ends: no rounding past the rate */
	*hi = x == n ? 100 : 100 * fmax(p, centre + half);
}

/* The reference of every row: the "all" group. */
typedef struct ref {
	double p18, median;
	double pct_scoring[RF_COUNT];
	double weight[NSTRATA]; /* share of all patients in each age stratum */
} ref;

/* Direct age standardisation of the group's High share to ref's weights;
 * strata the group has no patient in are left out and the others'
 * weights rescaled. NAN for an empty group. */
static double age_standardised(const grp *g, const ref *rf)
{
	double sum = 0, w = 0;
	for (int s = 0; s < NSTRATA; s++) {
		if (!g->st_patients[s])
			continue;
		sum += rf->weight[s] * (double)g->st_high[s] / (double)g->st_patients[s];
		w += rf->weight[s];
	}
	if (w <= 0)
		return NAN;
	return fmin(100, fmax(0, 100 * sum / w)); /* rounding must not take a share past 100 */
}

static void emit(mm_table *out, const char *dim, const grp *g, const int64_t *waits, const ref *rf)
{
	double median = g->nw ? (double)nearest_rank(waits + g->off, g->nw, 50) : NAN;
	double p18 = pct_of(g->over18, g->pathways);
	size_t o = tbl_add_row(out);
	tbl_set_str(out, col(out, "dimension"), o, dim);
	tbl_set_sid(out, col(out, "group_value"), o, g->label);
	tbl_set_int(out, col(out, "patients"), o, g->patients);
	tbl_set_int(out, col(out, "open_pathways"), o, g->pathways);
	tbl_set_num(out, col(out, "median_wait_days"), o, median);
	tbl_set_num(out, col(out, "median_wait_weeks"), o, round(median / 7 * 10) / 10);
	tbl_set_num(out, col(out, "pct_over_18_weeks"), o, p18);
	tbl_set_num(out, col(out, "pct_overdue"), o, pct_of(g->overdue, g->pathways));
	tbl_set_int(out, col(out, "high_risk"), o, g->high);
	tbl_set_num(out, col(out, "pct_high_risk"), o, pct_of(g->high, g->patients));
	tbl_set_num(out, col(out, "gap_pct_over_18_weeks"), o, p18 - rf->p18);
	tbl_set_num(out, col(out, "gap_median_wait_days"), o, median - rf->median);
	double lo, hi;
	equity_wilson(g->high, g->patients, &lo, &hi);
	tbl_set_num(out, col(out, "high_risk_ci_low"), o, lo);
	tbl_set_num(out, col(out, "high_risk_ci_high"), o, hi);
	tbl_set_num(out, col(out, "pct_high_risk_age_std"), o, age_standardised(g, rf));
	char note[160] = "";
	if (g->patients < MIN_READABLE)
		snprintf(note, sizeof note, "fewer than %d patients: too few to read", MIN_READABLE);
	else if (hi - lo > MAX_CI_WIDTH)
		snprintf(note, sizeof note, "the 95%% interval of the High share spans more than %.0f percentage points",
			 MAX_CI_WIDTH);
	tbl_set_bool(out, col(out, "too_small"), o, note[0] != '\0');
	if (note[0])
		tbl_set_str(out, col(out, "reading_note"), o, note);
	int driver = -1;
	double best = 0;
	for (int f = 0; f < RF_COUNT; f++) {
		double pct = pct_of(g->scoring[f], g->patients);
		tbl_set_num(out, col(out, pct_pts_cols[f]), o, pct);
		double gap = pct - rf->pct_scoring[f];
		if (strcmp(dim, "all") != 0 && gap >= MIN_DRIVER_GAP && gap > best) {
			best = gap;
			driver = f;
		}
	}
	if (driver >= 0)
		tbl_set_str(out, col(out, "main_driver"), o, risk_factor_name(driver));
}

/* On the High row of the risk_tier dimension: High against Low, in words. */
static void wait_finding(mm_table *out, size_t first, size_t end)
{
	int c_group = col(out, "group_value"), c_med = col(out, "median_wait_days"), c_find = col(out, "wait_finding");
	size_t high = SIZE_MAX, low = SIZE_MAX;
	for (size_t r = first; r < end; r++) {
		if (!strcmp(tbl_str(out, c_group, r), "High"))
			high = r;
		else if (!strcmp(tbl_str(out, c_group, r), "Low"))
			low = r;
	}
	if (high == SIZE_MAX)
		return;
	double h = tbl_num(out, c_med, high), l = low == SIZE_MAX ? NAN : tbl_num(out, c_med, low);
	const char *text;
	if (isnan(h) || isnan(l))
		text = "There are not both High-tier and Low-tier patients waiting, so the tiers' waits cannot be "
		       "compared.";
	else if (h > l)
		text = "High-tier patients have waited longer (median) than Low-tier patients: the list is not moving "
		       "in risk order.";
	else if (h < l)
		text = "High-tier patients have waited less time (median) than Low-tier patients: higher-risk patients "
		       "are being reached sooner.";
	else
		text = "High-tier and Low-tier patients have waited the same time (median): the list does not move "
		       "in risk order.";
	tbl_set_str(out, c_find, high, text);
}

static int build(run_ctx *ctx, mm_table *out)
{
	strpool *sp = ctx->sp;
	inputs in;
	in.coh = ctx_table(ctx, "dim_risk_cohort");
	in.fc = ctx_table(ctx, "fct_overdue_cases");
	in.high = sid_of(sp, "High");
	in.unknown = sp_intern_cstr(sp, "Unknown");
	in.all = sp_intern_cstr(sp, "All patients");
	in.k_tier = col(in.coh, "risk_tier");
	in.k_wait = col(in.fc, "wait_days");
	in.k_overdue = col(in.fc, "is_overdue");
	for (int f = 0; f < RF_COUNT; f++)
		in.k_pts[f] = col(in.coh, pts_cols[f]);
	int f_patient = col(in.fc, "patient_id");

	/* Age strata: the bands of dim_risk_cohort.age_band, then Unknown. */
	static const char *const bands[NSTRATA - 1] = {"0-17", "18-39", "40-59", "60-69", "70-79", "80+"};
	int k_band = col(in.coh, "age_band");
	in.stratum = xmalloc((in.coh->nrows + 1) * sizeof *in.stratum);
	for (size_t r = 0; r < in.coh->nrows; r++) {
		int s = NSTRATA - 1;
		for (int b = 0; b < NSTRATA - 1 && !tbl_isnull(in.coh, k_band, r); b++)
			if (!strcmp(tbl_str(in.coh, k_band, r), bands[b]))
				s = b;
		in.stratum[r] = s;
	}

	hmap by_patient;
	index_by_sid(in.coh, col(in.coh, "patient_id"), &by_patient);
	in.pw_patient = xmalloc((in.fc->nrows + 1) * sizeof *in.pw_patient);
	for (size_t r = 0; r < in.fc->nrows; r++) {
		uint32_t p = hmap_get(&by_patient, tbl_sid(in.fc, f_patient, r));
		in.pw_patient[r] = p == HMAP_NONE ? SIZE_MAX : p;
	}
	hmap_free(&by_patient);

	ref rf = {NAN, NAN, {0}, {0}};
	for (int d = 0; d < NDIM; d++) {
		size_t n;
		int64_t *waits = NULL;
		grp *v = group_dim(sp, &in, d, &n, &waits);
		if (d == DIM_ALL) {
			rf.p18 = pct_of(v[0].over18, v[0].pathways);
			rf.median = v[0].nw ? (double)nearest_rank(waits + v[0].off, v[0].nw, 50) : NAN;
			for (int f = 0; f < RF_COUNT; f++)
				rf.pct_scoring[f] = pct_of(v[0].scoring[f], v[0].patients);
			for (int s = 0; s < NSTRATA; s++)
				rf.weight[s] = v[0].patients ? (double)v[0].st_patients[s] / (double)v[0].patients : 0;
		}
		size_t first = out->nrows;
		for (size_t g = 0; g < n; g++)
			emit(out, dim_names[d], &v[g], waits, &rf);
		if (d == DIM_TIER)
			wait_finding(out, first, out->nrows);
		free(v);
		free(waits);
	}
	free(in.pw_patient);
	free(in.stratum);
	return 0;
}

const model_def model_fct_equity = {
	.name = "fct_equity",
	.layer = LAYER_MART,
	.description = "Equity of waits: per patient group of sex, ethnicity, age band, IMD decile and risk tier, the "
		       "median wait, the share over 18 weeks and overdue, and the share at high clinical risk (crude with "
		       "a 95% Wilson interval, and age-standardised), the factors behind it and a flag on groups too "
		       "small to read, with gaps to all patients (the first row, dimension \"all\")",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
