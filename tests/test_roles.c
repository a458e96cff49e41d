/* Column roles (registry/model.h): every declared column has one that fits
 * its type, every role makes the disclosure decisions docs/disclosure.md
 * promises for it, and board templates follow them for every column of
 * the registry. A renamed column keeps its disclosure. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "check/check.h"
#include "registry/model.h"
#include "registry/disclosure.h"
#include "query/query.h"
#include "query/runtables.h"
#include "template/template.h"

Test(roles, every_column_declares_a_role_that_fits)
{
	for (int i = 0; i < model_total(); i++)
		cr_expect_eq(check_validate_roles(model_at(i)), 0, "model %s", model_at(i)->name);
}

/* What docs/disclosure.md ("Column roles") promises the board for each
 * role, written out here rather than taken from disclosure.c: shown
 * (not an identifier), refused (may not be grouped, filtered, sorted or
 * measured by; dates only for CR_ID), rounded and suppressed as a count,
 * exact, hidden beside a suppressed count, below national level. */
typedef struct promise {
	col_role role;
	int shown, refused_date, refused_other, counted, exact, derived, geo;
} promise;

static const promise promised[] = {
	{CR_ID, 0, 1, 0, 0, 0, 0, 0},       {CR_CLINICIAN, 0, 0, 0, 0, 0, 0, 1},
	{CR_PERSONS, 1, 0, 0, 1, 0, 0, 0},  {CR_EVENTS, 1, 0, 0, 1, 0, 0, 0},
	{CR_EXACT, 1, 0, 0, 0, 1, 0, 0},    {CR_PCT, 1, 0, 0, 0, 0, 1, 0},
	{CR_RATIO, 1, 0, 0, 0, 0, 1, 0},    {CR_MEASURE, 1, 0, 0, 0, 0, 1, 0},
	{CR_SCORE, 1, 0, 0, 0, 1, 0, 0},    {CR_DAYS, 1, 0, 0, 0, 1, 0, 0},
	{CR_WEEKS, 1, 0, 0, 0, 1, 0, 0},    {CR_YEARS, 1, 0, 0, 0, 1, 0, 0},
	{CR_DATE, 1, 0, 0, 0, 0, 0, 0},     {CR_CODE, 1, 0, 0, 0, 0, 0, 0},
	{CR_LABEL, 1, 0, 0, 0, 0, 0, 0},    {CR_GEO, 1, 0, 0, 0, 0, 0, 1},
	{CR_AREA, 1, 1, 1, 0, 0, 0, 0},     {CR_FLAG, 1, 0, 0, 1, 0, 0, 0},
	/* no role declared: the most restrictive of all */
	{CR_UNSET, 0, 1, 1, 0, 0, 0, 1},
};

static const promise *promise_of(col_role r)
{
	for (size_t i = 0; i < sizeof promised / sizeof promised[0]; i++)
		if (promised[i].role == r)
			return &promised[i];
	return NULL;
}

/* Whether the disclosure rules decide for column c as its role promises. */
static void expect_promised(const char *model, const model_col *c)
{
	const promise *p = promise_of(c->role);
	cr_assert_not_null(p, "%s.%s: role %s is missing from docs/disclosure.md", model, c->name,
			   col_role_name(c->role));
	int date = c->type == T_DATE || c->type == T_TS;
	cr_expect_eq(!sdc_role_identifier(c->role), p->shown, "%s.%s shown", model, c->name);
	cr_expect_eq(sdc_role_refused(c->role, c->type) != NULL, date ? p->refused_date : p->refused_other,
		     "%s.%s refused", model, c->name);
	cr_expect_eq(sdc_role_counted(c->role), p->counted, "%s.%s counted", model, c->name);
	cr_expect_eq(sdc_role_exact(c->role), p->exact, "%s.%s exact", model, c->name);
	cr_expect_eq(sdc_role_derived(c->role), p->derived, "%s.%s derived", model, c->name);
	cr_expect_eq(sdc_role_geographic(c->role), p->geo, "%s.%s below national level", model, c->name);
}

/* Every role the docs list, and no declaration, decides as promised. */
Test(roles, every_role_decides_as_the_docs_promise)
{
	for (int r = CR_UNSET; r < CR_COUNT_ROLES; r++) {
		model_col c = {"c", T_STR, "", "", "", (col_role)r};
		expect_promised("any", &c);
		c.type = T_DATE;
		expect_promised("any", &c);
	}
}

/* The declarations of the registry's models, then of the run tables. */
static const model_def *declaration(int i)
{
	return i < model_total() ? model_at(i) : &run_table_defs[i - model_total()];
}

/* Grouping by column c of m on a board page: the number of errors. */
static int board_group_errors(const tpl_catalog *cat, const model_def *m, const model_col *c)
{
	char src[256];
	snprintf(src, sizeof src, "```table model=%s group=%s measures=count\n```\n", m->name, c->name);
	template *t = tpl_parse(src, strlen(src), "t.md", "t.md");
	cr_assert_not_null(t);
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int bad = tpl_validate(t, cat, NULL);
	free(th_capture_end(&cap));
	tpl_free(t);
	return bad;
}

/* Every column of the registry and of the run tables decides as its role
 * promises, and a board template over the declarations refuses exactly
 * the columns the docs refuse or hide, whatever they are called: each
 * column is grouped by on a board page. */
Test(roles, every_declared_column_decides_as_the_docs_promise)
{
	int n = model_total() + RUN_TABLES;
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	for (int i = 0; i < n; i++)
		tpl_catalog_add(&cat, declaration(i)->name, declaration(i)->description, NULL, declaration(i));
	for (int i = 0; i < n; i++) {
		const model_def *m = declaration(i);
		cr_expect_eq(check_validate_roles(m), 0, "%s", m->name);
		for (int k = 0; k < m->ncols; k++) {
			const model_col *c = &m->cols[k];
			expect_promised(m->name, c);
			const promise *p = promise_of(c->role);
			int date = c->type == T_DATE || c->type == T_TS, bad = board_group_errors(&cat, m, c);
			cr_expect_eq(bad != 0, (date ? p->refused_date : p->refused_other) || !p->shown,
				     "%s.%s grouped by on a board page: %d errors", m->name, c->name, bad);
		}
	}
	tpl_catalog_free(&cat);
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
