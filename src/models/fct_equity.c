/* fct_equity: waits, overdue cases and clinical risk by patient group, with
 * the gap to all patients, so that unequal waits show up per dimension. */
#include "models/mart_util.h"
#include "models/model.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"dim_risk_cohort", "fct_overdue_cases", NULL};

static const model_col cols[] = {
	{"dimension", T_STR, "Patient characteristic compared; \"all\" for the reference row",
	 "not_null accepted(all|sex|ethnicity|age_band|imd_decile)",
	 "dim_risk_cohort.sex, dim_risk_cohort.ethnicity, dim_risk_cohort.age_band, dim_risk_cohort.imd_decile"},
	{"group_value", T_STR, "Group within the dimension (\"Unknown\" when not recorded; \"All patients\" for all)",
	 "not_null", "dim_risk_cohort.sex, dim_risk_cohort.ethnicity, dim_risk_cohort.age_band, dim_risk_cohort.imd_decile"},
	{"patients", T_INT, "Patients of the group with an open pathway at census", "not_null range(0..)",
	 "dim_risk_cohort.patient_id"},
	{"open_pathways", T_INT, "Open pathways of those patients", "not_null range(0..)",
	 "fct_overdue_cases.pathway_id, fct_overdue_cases.patient_id"},
	{"median_wait_days", T_NUM, "Median wait of the group's open pathways in days (nearest rank: value at rank ceil(n/2))",
	 "range(0..)", "fct_overdue_cases.wait_days"},
	{"pct_over_18_weeks", T_NUM, "Open pathways waiting more than 126 days / open pathways * 100", "range(0..100)",
	 "fct_overdue_cases.wait_days"},
	{"pct_overdue", T_NUM, "Overdue open pathways / open pathways * 100", "range(0..100)",
	 "fct_overdue_cases.is_overdue"},
	{"high_risk", T_INT, "Patients of the group in the High risk tier", "not_null range(0..)",
	 "dim_risk_cohort.risk_tier"},
	{"pct_high_risk", T_NUM, "High-risk patients / patients * 100", "range(0..100)", "dim_risk_cohort.risk_tier"},
	{"gap_pct_over_18_weeks", T_NUM, "pct_over_18_weeks minus that of all patients, in percentage points",
	 "range(-100..100)", "fct_overdue_cases.wait_days"},
	{"gap_median_wait_days", T_NUM, "median_wait_days minus that of all patients, in days", "",
	 "fct_overdue_cases.wait_days"},
};

static const char *const tests[] = {
	"expr(high_risk <= patients)",
	NULL,
};

enum { DIM_ALL, DIM_SEX, DIM_ETHNICITY, DIM_AGE, DIM_IMD, NDIM };
static const char *const dim_names[NDIM] = {"all", "sex", "ethnicity", "age_band", "imd_decile"};
static const char *const dim_cols[NDIM] = {NULL, "sex", "ethnicity", "age_band", "imd_decile"};

typedef struct grp {
	uint32_t label;    /* string id of group_value */
	int unknown;       /* "Unknown" sorts last */
	int64_t num;       /* numeric order for imd_decile */
	const char *text;
	int64_t patients, high, pathways, over18, overdue;
	size_t off, nw;    /* its waits in the shared array */
} grp;

static int cmp_grp(const void *a, const void *b)
{
	const grp *x = a, *y = b;
	if (x->unknown != y->unknown)
		return x->unknown - y->unknown;
	if (x->num != y->num)
		return (x->num > y->num) - (x->num < y->num);
	return strcmp(x->text, y->text);
}

typedef struct inputs {
	mm_table *coh, *fc;
	size_t *pw_patient; /* fct_overdue_cases row -> dim_risk_cohort row, or SIZE_MAX */
	uint32_t high, unknown, all;
	int k_tier, k_wait, k_overdue;
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
		v[g].patients++;
		v[g].high += tbl_sid(coh, in->k_tier, r) == in->high;
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
	}
	if (n) /* v may be NULL for an empty group list: qsort needs a valid pointer */
		qsort(v, n, sizeof *v, cmp_grp);
	free(fill);
	free(gi);
	hmap_free(&by_label);
	*ngrp = n;
	return v;
}

static void emit(mm_table *out, const char *dim, const grp *g, const int64_t *waits, double ref_p18,
		 double ref_median)
{
	double median = g->nw ? (double)nearest_rank(waits + g->off, g->nw, 50) : NAN;
	double p18 = pct_of(g->over18, g->pathways);
	size_t o = tbl_add_row(out);
	tbl_set_str(out, col(out, "dimension"), o, dim);
	tbl_set_sid(out, col(out, "group_value"), o, g->label);
	tbl_set_int(out, col(out, "patients"), o, g->patients);
	tbl_set_int(out, col(out, "open_pathways"), o, g->pathways);
	tbl_set_num(out, col(out, "median_wait_days"), o, median);
	tbl_set_num(out, col(out, "pct_over_18_weeks"), o, p18);
	tbl_set_num(out, col(out, "pct_overdue"), o, pct_of(g->overdue, g->pathways));
	tbl_set_int(out, col(out, "high_risk"), o, g->high);
	tbl_set_num(out, col(out, "pct_high_risk"), o, pct_of(g->high, g->patients));
	tbl_set_num(out, col(out, "gap_pct_over_18_weeks"), o, p18 - ref_p18);
	tbl_set_num(out, col(out, "gap_median_wait_days"), o, median - ref_median);
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
	int f_patient = col(in.fc, "patient_id");

	hmap by_patient;
	index_by_sid(in.coh, col(in.coh, "patient_id"), &by_patient);
	in.pw_patient = xmalloc((in.fc->nrows + 1) * sizeof *in.pw_patient);
	for (size_t r = 0; r < in.fc->nrows; r++) {
		uint32_t p = hmap_get(&by_patient, tbl_sid(in.fc, f_patient, r));
		in.pw_patient[r] = p == HMAP_NONE ? SIZE_MAX : p;
	}
	hmap_free(&by_patient);

	double ref_p18 = NAN, ref_median = NAN;
	for (int d = 0; d < NDIM; d++) {
		size_t n;
		int64_t *waits = NULL;
		grp *v = group_dim(sp, &in, d, &n, &waits);
		if (d == DIM_ALL) {
			ref_p18 = pct_of(v[0].over18, v[0].pathways);
			ref_median = v[0].nw ? (double)nearest_rank(waits + v[0].off, v[0].nw, 50) : NAN;
		}
		for (size_t g = 0; g < n; g++)
			emit(out, dim_names[d], &v[g], waits, ref_p18, ref_median);
		free(v);
		free(waits);
	}
	free(in.pw_patient);
	return 0;
}

const model_def model_fct_equity = {
	.name = "fct_equity",
	.layer = LAYER_MART,
	.description = "Equity of waits: per patient group of sex, ethnicity, age band and IMD decile, the median wait, "
		       "the share over 18 weeks and overdue, and the share at high clinical risk, with gaps to all "
		       "patients (the first row, dimension \"all\")",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
