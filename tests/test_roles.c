/* Column roles (registry/model.h): every declared column has one that fits
 * its type, and the decisions taken from roles are the ones the column
 * names used to give, except where a name rule was wrong about a column
 * (listed below with the reason). A renamed column keeps its disclosure. */
#include <criterion/criterion.h>
#include <string.h>
#include "check/check.h"
#include "registry/model.h"
#include "registry/disclosure.h"
#include "query/query.h"
#include "query/runtables.h"
#include "template/template.h"

/* The name rules that the roles replaced, as they decided before: a sum
 * of the column counts people or events; a number beside a suppressed
 * count is hidden; a number is styled as a percentage or a ratio. */
static int name_counted(const model_col *c)
{
	return !sdc_exempt(c->name) && (c->type == T_INT || c->type == T_BOOL);
}

static int name_derived(const model_col *c)
{
	return c->type == T_NUM && !sdc_exempt(c->name);
}

static int name_pct(const char *n)
{
	return strncmp(n, "gap_", 4) && (!strncmp(n, "pct_", 4) || strstr(n, "_pct_"));
}

static int name_ratio(const char *n)
{
	size_t len = strlen(n);
	return strncmp(n, "gap_", 4) && !name_pct(n) &&
	       (strstr(n, "utilisation") || (len > 5 && !strcmp(n + len - 5, "_rate")) || strstr(n, "likelihood"));
}

/* Columns whose role deliberately decides differently from their name:
 * the integer name rule took every integer not on the exempt list for a
 * count. None of them is summed in a template, so no output changes. */
static const char *const not_counts[] = {
	"stg_patients.age_at_census",         /* an age in years */
	"dim_risk_cohort.age_at_census",      /* an age in years */
	"stg_appointments.attendance_code",   /* a code */
	"dim_risk_cohort.pts_age",            /* points of the risk score */
	"dim_risk_cohort.pts_comorbidity",    /* points */
	"dim_risk_cohort.pts_admissions",     /* points */
	"dim_risk_cohort.pts_response",       /* points */
	"dim_risk_cohort.pts_community",      /* points */
	"dim_risk_cohort.pts_priority",       /* points */
	"fct_overdue_cases.rtt_days_to_breach",      /* a duration */
	"fct_overdue_cases.priority_days_to_breach", /* a duration */
	"fct_overdue_cases.days_to_breach",          /* a duration */
	NULL,
};

/* The name rule took every "ics_" column of the peer comparison for
 * geography; only ics_code and ics_name are (the others are figures about
 * the ICS). The model is below national level by its Trust either way. */
static const char *const not_geography[] = {
	"fct_trust_peers.ics_trusts",   "fct_trust_peers.ics_rank",      "fct_trust_peers.ics_tied",
	"fct_trust_peers.ics_median",   "fct_trust_peers.ics_difference", "fct_trust_peers.ics_position",
	"fct_trust_peers.ics_rank_text", "fct_trust_peers.ics_distance",  NULL,
};

static int listed(const char *const *list, const char *model, const char *col)
{
	char name[128];
	snprintf(name, sizeof name, "%s.%s", model, col);
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

Test(roles, every_column_declares_a_role_that_fits)
{
	for (int i = 0; i < model_total(); i++)
		cr_expect_eq(check_validate_roles(model_at(i)), 0, "model %s", model_at(i)->name);
}

Test(roles, decide_as_the_names_did)
{
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		int geo_name = 0, geo_role = 0, ids = 0;
		for (int k = 0; k < m->ncols; k++) {
			const model_col *c = &m->cols[k];
			col_role r = c->role;
			const char *mn = m->name, *cn = c->name;
			cr_expect_eq(sdc_role_identifier(r), sdc_identifier(cn), "%s.%s identifier", mn, cn);
			cr_expect_eq(sdc_role_refused(r, c->type) != NULL, sdc_refused(cn) != NULL, "%s.%s refused", mn,
				     cn);
			if (!listed(not_counts, mn, cn))
				cr_expect_eq(sdc_role_counted(r) && (c->type == T_INT || c->type == T_BOOL), name_counted(c),
					     "%s.%s counted", mn, cn);
			else
				cr_expect(name_counted(c) && !sdc_role_counted(r), "%s.%s is listed as not a count", mn, cn);
			cr_expect_eq(c->type == T_NUM && sdc_role_derived(r), name_derived(c), "%s.%s derived", mn, cn);
			if (c->type == T_NUM) {
				cr_expect_eq(r == CR_PCT, !!name_pct(cn), "%s.%s percentage", mn, cn);
				cr_expect_eq(r == CR_RATIO, !!name_ratio(cn), "%s.%s ratio", mn, cn);
			}
			if (!listed(not_geography, mn, cn))
				cr_expect_eq(sdc_role_geographic(r), sdc_geographic(cn), "%s.%s geography", mn, cn);
			geo_name |= sdc_geographic(cn);
			geo_role |= sdc_role_geographic(r);
			ids |= !strcmp(cn, "patient_id") || !strcmp(cn, "pathway_id");
		}
		cr_expect_eq(geo_role, geo_name, "%s national", m->name);
		cr_expect_eq(!!(m->flags & MODEL_PATIENT_LEVEL),
			     ids || !strncmp(m->name, "stg_", 4) || !strncmp(m->name, "int_", 4), "%s patient level",
			     m->name);
		cr_expect_eq(!!(m->flags & MODEL_DIMENSION), !strncmp(m->name, "dim_", 4), "%s dimension", m->name);
		cr_expect_eq(!!(m->flags & MODEL_CAPACITY_PLAN),
			     !strncmp(m->name, "fct_capacity", 12) || !strcmp(m->name, "stg_sessions"), "%s capacity plan",
			     m->name);
	}
}

static col_role role_of(const char *model, const char *column)
{
	const model_def *m = model_find(model);
	cr_assert_not_null(m, "%s", model);
	for (int k = 0; k < m->ncols; k++)
		if (!strcmp(m->cols[k].name, column))
			return m->cols[k].role;
	cr_assert_fail("%s.%s not declared", model, column);
	return CR_UNSET;
}

Test(roles, key_columns)
{
	static const struct {
		const char *model, *column;
		col_role role;
	} want[] = {
		{"stg_patients", "patient_id", CR_ID},
		{"stg_patients", "birth_date", CR_ID},
		{"stg_patients", "town", CR_AREA},
		{"stg_patients", "imd_decile", CR_SCORE},
		{"stg_pathways", "consultant_id", CR_CLINICIAN},
		{"stg_sessions", "site_id", CR_GEO},
		{"stg_sessions", "planned_slots", CR_EXACT},
		{"stg_sessions", "is_cancelled", CR_FLAG},
		{"dim_organisation", "trust_code", CR_GEO},
		{"dim_organisation", "open_pathways", CR_PERSONS},
		{"fct_overdue_cases", "wait_days", CR_DAYS},
		{"fct_overdue_cases", "wait_band_order", CR_EXACT},
		{"fct_waitlist_trend", "pct_within_18_weeks", CR_PCT},
		{"fct_capacity_audit", "utilisation", CR_RATIO},
		{"fct_capacity_audit", "dnas", CR_EVENTS},
		{"fct_equity", "gap_median_wait_days", CR_MEASURE},
		{"fct_trust_peers", "national_rank", CR_EXACT},
		{"fct_delay_causes", "rank", CR_EXACT},
		{"kpi_summary", "value", CR_MEASURE},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect_eq(role_of(want[i].model, want[i].column), want[i].role, "%s.%s is %s", want[i].model,
			     want[i].column, col_role_name(role_of(want[i].model, want[i].column)));
}

/* Counts of pathways named like a site, an identifier and a rank. */
static const model_col renamed_cols[] = {
	{"trust_code", T_STR, "Trust", "", "", CR_GEO},
	{"site_x", T_INT, "Pathways", "", "", CR_PERSONS},
	{"x_id", T_INT, "Pathways", "", "", CR_PERSONS},
	{"rank", T_INT, "Pathways", "", "", CR_PERSONS},
};
static const model_def renamed = {"fct_renamed", LAYER_MART, "", NULL, renamed_cols, 4, NULL, NULL, 0};

/* A count whose name the old rules read as a site or an identifier keeps
 * the disclosure of its role. */
Test(roles, a_renamed_count_keeps_its_disclosure)
{
	const model_col *cols = renamed_cols;
	const model_def m = renamed;
	cr_assert_eq(check_validate_roles(&m), 0);
	for (int k = 1; k < m.ncols; k++) {
		cr_expect(sdc_role_counted(cols[k].role), "%s", cols[k].name);
		cr_expect(!sdc_role_identifier(cols[k].role), "%s", cols[k].name);
		cr_expect(!sdc_role_geographic(cols[k].role), "%s", cols[k].name);
		cr_expect(!sdc_role_exact(cols[k].role), "%s", cols[k].name);
	}
	/* what the names alone would have said */
	cr_expect(sdc_identifier("x_id") && sdc_geographic("site_x") && sdc_exempt("rank"));
}

Test(roles, validation_names_the_column)
{
	static const model_col cols[] = {
		{"undeclared", T_STR, "", "", "", CR_UNSET},
		{"patients", T_NUM, "", "", "", CR_PERSONS},
		{"flag", T_INT, "", "", "", CR_FLAG},
	};
	static const model_def m = {"fct_bad_roles", LAYER_MART, "", NULL, cols, 3, NULL, NULL, 0};
	cr_expect_eq(check_validate_roles(&m), 3);
}

/* The same through a board table: the counts named like a site, an
 * identifier and a rank are shown, rounded and suppressed as counts. */
Test(roles, a_renamed_count_is_controlled_on_board_pages)
{
	const model_col *cols = renamed_cols;
	const model_def m = renamed;
	strpool sp;
	sp_init(&sp);
	mm_table *t = tbl_new("fct_renamed", &sp);
	int ct = tbl_add_col(t, "trust_code", T_STR);
	for (int k = 1; k < 4; k++)
		tbl_add_col(t, cols[k].name, T_INT);
	for (int i = 0; i < 2; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, ct, r, i ? "T02" : "T01");
		for (int k = 1; k < 4; k++)
			tbl_set_int(t, k, r, i ? 12 : 3);
	}
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	tpl_catalog_add(&cat, "fct_renamed", "Renamed counts", t, &m);
	const char *src = "```table model=fct_renamed columns=trust_code,site_x,x_id,rank sort=trust_code\n```\n";
	template *tp = tpl_parse(src, strlen(src), "t.md", "t.md");
	cr_assert_not_null(tp);
	cr_assert_eq(tpl_validate(tp, &cat, NULL), 0, "x_id is a count here, not an identifier");
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &tp->blocks[0].q, NULL, &r);
	cr_expect(r.controlled);
	cr_assert_eq(r.nrows, 2);
	for (int k = 1; k < 4; k++) {
		cr_expect(r.cols[k].count && !r.cols[k].ident, "%s", r.cols[k].name);
		cr_expect(res_at(&r, 0, k)->star, "%s: 3 shows as *", r.cols[k].name);
		cr_expect(!res_at(&r, 1, k)->star && res_at(&r, 1, k)->v == 10, "%s: 12 shows as 10", r.cols[k].name);
	}
	tpl_result_free(&r);
	tpl_free(tp);
	tpl_catalog_free(&cat);
	tbl_free(t);
	sp_free(&sp);
}

/* The run tables declare their roles; each makes the decisions the column
 * names made before the declarations, so board pages that query them are
 * unchanged. */
Test(roles, run_tables_keep_the_disclosure_of_their_names)
{
	for (int i = 0; i < RUN_TABLES; i++) {
		const model_def *m = &run_table_defs[i];
		cr_expect_eq(check_validate_roles(m), 0, "%s", m->name);
		for (int k = 0; k < m->ncols; k++) {
			const model_col *c = &m->cols[k];
			col_role r = c->role, g = sdc_role_guess(c->name, c->type);
			cr_expect_eq(sdc_role_identifier(r), sdc_role_identifier(g), "%s.%s", m->name, c->name);
			cr_expect_eq(sdc_role_geographic(r), sdc_role_geographic(g), "%s.%s", m->name, c->name);
			cr_expect_eq(sdc_role_counted(r), sdc_role_counted(g), "%s.%s", m->name, c->name);
			cr_expect_eq(sdc_role_exact(r), sdc_role_exact(g), "%s.%s", m->name, c->name);
			cr_expect_eq(sdc_role_derived(r), sdc_role_derived(g), "%s.%s", m->name, c->name);
			cr_expect_eq(sdc_role_refused(r, c->type) != NULL, sdc_role_refused(g, c->type) != NULL, "%s.%s",
				     m->name, c->name);
		}
	}
}
