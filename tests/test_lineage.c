/* Column-level lineage: every `from` entry of the registry resolves, the
 * trees reach input-file columns, and names parse, print and suggest.
 * The lineage diagram: every name fits its box. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "contract/schema.h"
#include "registry/colineage.h"
#include "registry/model.h"
#include "draw/chart.h"

static int has_source(const cl_ref *v, int n, const char *name)
{
	char b[256];
	for (int i = 0; i < n; i++)
		if (!strcmp(cl_name(v[i], b, sizeof b), name))
			return 1;
	return 0;
}

/* Searches a tree for a node by name. */
static int tree_has(const cl_node *t, const char *name)
{
	char b[256];
	if (!strcmp(cl_name(t->ref, b, sizeof b), name))
		return 1;
	for (int i = 0; i < t->nkids; i++)
		if (tree_has(&t->kids[i], name))
			return 1;
	return 0;
}

Test(lineage, every_from_entry_of_every_column_resolves)
{
	cr_assert_eq(cl_validate(stderr), 0, "the registry has bad from entries (listed above)");
	int columns = 0;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		for (int c = 0; c < m->ncols; c++, columns++) {
			cl_ref *v;
			int n = cl_from(i, c, &v);
			cr_assert_geq(n, 1, "%s.%s: no from entries", m->name, m->cols[c].name);
			for (int k = 0; k < n; k++) {
				cr_assert(v[k].kind == CL_PARAM || v[k].c >= 0, "%s.%s: a from entry without a column",
					  m->name, m->cols[c].name);
				for (int j = 0; j < k; j++)
					cr_assert(!cl_equal(v[j], v[k]), "%s.%s: duplicate entry", m->name, m->cols[c].name);
			}
			free(v);
			/* Every column derives from something the run reads: an input file or a parameter. */
			cl_ref self = {CL_MODEL, i, c}, *src;
			int ns = cl_sources(self, &src);
			free(src);
			cr_assert(ns > 0 || cl_params(self), "%s.%s reaches no input column or parameter", m->name,
				  m->cols[c].name);
		}
	}
	cr_assert_gt(columns, 100);
}

Test(lineage, validation_catches_a_bad_entry)
{
	/* The same checks on a declaration that is not in the registry. */
	cl_ref r;
	cr_assert_eq(cl_parse("stg_patients.no_such_column", &r), -1);
	cr_assert_eq(cl_parse("no_such_model.x", &r), -1);
	cr_assert_eq(cl_parse("patients.birthdate", &r), -1, "source columns match exactly");
	cr_assert_eq(cl_parse("", &r), -1);
	cr_assert_eq(cl_parse(".x", &r), -1);
}

Test(lineage, parse_and_name_round_trip)
{
	static const char *const names[] = {"stg_patients", "stg_patients.birth_date", "patients",
					    "patients.BIRTHDATE", "census", "rules", "fct_overdue_cases.risk_tier"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		cl_ref r;
		char b[256];
		cr_assert_eq(cl_parse(names[i], &r), 0, "%s", names[i]);
		cr_assert_str_eq(cl_name(r, b, sizeof b), names[i]);
	}
	cl_ref r;
	cl_parse("census", &r);
	cr_assert_eq(r.kind, CL_PARAM);
	cr_assert_eq(r.t, CL_CENSUS);
	cl_parse("patients.BIRTHDATE", &r);
	cr_assert_eq(r.kind, CL_SOURCE);
	cr_assert_str_eq(cl_table_name(r), "patients");
	cr_assert_str_eq(cl_col_name(r), "BIRTHDATE");
}

Test(lineage, risk_tier_traces_to_input_columns_and_rules)
{
	cl_ref r, *v;
	cr_assert_eq(cl_parse("fct_overdue_cases.risk_tier", &r), 0);
	int n = cl_sources(r, &v);
	cr_assert(has_source(v, n, "patients.BIRTHDATE"));
	cr_assert(has_source(v, n, "conditions.CODE"));
	cr_assert(has_source(v, n, "encounters.ENCOUNTERCLASS"));
	cr_assert(has_source(v, n, "waiting_list.PRIORITY"));
	cr_assert(!has_source(v, n, "waiting_list.PATHWAY_ID"), "the tier does not depend on the pathway id");
	/* Sorted by source, then column, without duplicates. */
	for (int i = 1; i < n; i++) {
		cr_assert(v[i - 1].t < v[i].t || (v[i - 1].t == v[i].t && v[i - 1].c < v[i].c));
		cr_assert_eq(v[i].kind, CL_SOURCE);
	}
	free(v);
	unsigned p = cl_params(r);
	cr_assert(p & (1u << CL_RULES));
	cr_assert(p & (1u << CL_CENSUS), "age at census");
}

Test(lineage, upstream_tree_reaches_sources_once)
{
	cl_ref r;
	cl_parse("fct_overdue_cases.risk_tier", &r);
	cl_node *t = cl_upstream(r);
	cr_assert_eq(t->nkids, 1);
	cr_assert_str_eq(cl_name(t->kids[0].ref, (char[256]){0}, 256), "dim_risk_cohort.risk_tier");
	cr_assert(tree_has(t, "stg_patients.age_at_census"));
	cr_assert(tree_has(t, "patients.BIRTHDATE"));
	cr_assert(tree_has(t, "rules"));
	cl_tree_free(t);

	/* A whole model: its upstream models and files, and the parameters it reads. */
	cl_parse("stg_patients", &r);
	t = cl_upstream(r);
	cr_assert(tree_has(t, "patients"));
	cr_assert(tree_has(t, "census"));
	cr_assert(!tree_has(t, "rules"));
	cl_tree_free(t);
}

Test(lineage, downstream_tree)
{
	cl_ref r;
	cl_parse("patients.BIRTHDATE", &r);
	cl_node *t = cl_downstream(r);
	cr_assert(tree_has(t, "stg_patients.birth_date"));
	cr_assert(tree_has(t, "dim_risk_cohort.risk_tier"));
	cr_assert(tree_has(t, "fct_overdue_cases.risk_tier"));
	cl_tree_free(t);

	cl_parse("stg_pathways", &r);
	t = cl_downstream(r);
	cr_assert(tree_has(t, "fct_overdue_cases"));
	cr_assert(!tree_has(t, "stg_patients"));
	cl_tree_free(t);

	cl_parse("rules", &r);
	t = cl_downstream(r);
	cr_assert(tree_has(t, "dim_risk_cohort.risk_tier"));
	cl_tree_free(t);
}

Test(lineage, a_node_is_expanded_once)
{
	/* wait_days and wait_weeks share their inputs: the second copy is marked seen. */
	cl_ref r;
	cl_parse("fct_overdue_cases", &r);
	cl_node *t = cl_upstream(r);
	int seen = 0;
	for (int i = 0; i < t->nkids; i++)
		for (int j = 0; j < t->kids[i].nkids; j++)
			if (t->kids[i].kids[j].seen) {
				seen++;
				cr_assert_eq(t->kids[i].kids[j].nkids, 0);
			}
	cr_assert_gt(seen, 0, "stg_pathways is reached through more than one model");
	cl_tree_free(t);
}

Test(lineage, suggestions)
{
	char *s = cl_suggest("fct_overdue_case");
	cr_assert_str_eq(s, "fct_overdue_cases");
	free(s);
	s = cl_suggest("fct_overdue_cases.risk_teir");
	cr_assert_str_eq(s, "fct_overdue_cases.risk_tier");
	free(s);
	s = cl_suggest("patients.birthdate");
	cr_assert_str_eq(s, "patients.BIRTHDATE");
	free(s);
	cr_assert_null(cl_suggest("something_else_entirely"));
}

/* ---- The lineage diagram: every name fits its box ---------------------------- */

/* Every upright text lies inside the drawing and, when it starts in a box,
 * inside that box (widths as text_width measures them, which holds for
 * the fonts a browser draws them in). */
static void expect_names_fit(const chart *c, const char *what)
{
	for (size_t i = 0; i < c->n; i++) {
		const shape *t = &c->v[i];
		if (t->kind != SH_TEXT || t->rotate != 0)
			continue;
		double w = text_width(t->text, t->size, t->bold);
		double x0 = t->anchor == ANCHOR_START ? t->x : t->anchor == ANCHOR_MIDDLE ? t->x - w / 2 : t->x - w;
		cr_expect(x0 >= 0 && x0 + w <= c->width && t->y - t->size >= 0 && t->y <= c->height,
			  "%s: '%s' spans x %.1f..%.1f of %g", what, t->text, x0, x0 + w, c->width);
		for (size_t j = 0; j < c->n; j++) {
			const shape *b = &c->v[j];
			if (b->kind == SH_RECT && b->h >= 20 && t->x > b->x && t->x < b->x + b->w && t->y > b->y &&
			    t->y < b->y + b->h)
				cr_expect(x0 >= b->x && x0 + w <= b->x + b->w,
					  "%s: '%s' (%.1f..%.1f) runs out of its box (%.1f..%.1f)", what, t->text, x0,
					  x0 + w, b->x, b->x + b->w);
		}
	}
}

Test(lineage_diagram, names_fit_their_boxes)
{
	static const char *const reads[] = {"fct_equity"};
	static const char long_name[] =
		"trust/[trust_code]/a page whose name runs on well past the widest box the diagram allows";
	const lineage_exposure ex[] = {
		{"risk", "risk.html", reads, 1, EXPOSURE_PAGE},
		{long_name, "trust/index.html", reads, 1, EXPOSURE_PAGE},
	};
	chart *all = lineage_diagram(NULL, ""), *one = lineage_diagram_ex("fct_equity", "../", ex, 2);
	cr_assert(all && one);
	expect_names_fit(all, "all models");
	expect_names_fit(one, "fct_equity with exposures");
	/* The long name is shortened, with the whole name as its tooltip. */
	int cut = 0;
	for (size_t i = 0; i < one->n; i++) {
		const shape *t = &one->v[i];
		if (t->kind == SH_TEXT && !strncmp(t->text, "trust/[trust_code]/a page", 25)) {
			cut = 1;
			cr_expect(strstr(t->text, "\xE2\x80\xA6") != NULL, "'%s' is not shortened", t->text);
			cr_expect(t->title && !strcmp(t->title, long_name), "no tooltip with the whole name");
		}
	}
	cr_expect(cut, "the long exposure is not drawn");
	chart_free(all);
	chart_free(one);
}
