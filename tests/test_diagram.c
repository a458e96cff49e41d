/* The data-model diagram and the lineage with exposures: geometry (no box
 * overlaps another, no edge passes through a box), completeness (every
 * ref() test of the registry is an edge, from the foreign key's row to the
 * key's row), print size, determinism; exposures from templates. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry/model.h"
#include "draw/chart.h"
#include "template/template.h"

static char *svg_of(const chart *c)
{
	buf b = {0};
	chart_svg(c, &b);
	return b.s;
}

/* Boxes are the rectangles with a tooltip (headers and legend swatches
 * have none). */
static int is_box(const shape *s)
{
	return s->kind == SH_RECT && s->title != NULL;
}

/* Whether segment (x0,y0)-(x1,y1) enters the inside of rectangle r
 * (shrunk by 0.5 so that touching a side does not count): Liang-Barsky. */
static int seg_hits(double x0, double y0, double x1, double y1, const shape *r)
{
	double lo = 0, hi = 1, dx = x1 - x0, dy = y1 - y0;
	double p[4] = {-dx, dx, -dy, dy};
	double q[4] = {x0 - (r->x + 0.5), (r->x + r->w - 0.5) - x0, y0 - (r->y + 0.5), (r->y + r->h - 0.5) - y0};
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0)
			lo = fmax(lo, t);
		else
			hi = fmin(hi, t);
	}
	return lo < hi;
}

static int overlap(const shape *a, const shape *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* The box whose side holds point (x, y), or NULL. */
static const shape *box_at(const chart *c, double x, double y)
{
	for (size_t i = 0; i < c->n; i++) {
		const shape *b = &c->v[i];
		if (is_box(b) && (fabs(x - b->x) < 0.01 || fabs(x - b->x - b->w) < 0.01) && y > b->y && y < b->y + b->h)
			return b;
	}
	return NULL;
}

static void check_geometry(const chart *c, const char *what)
{
	size_t nbox = 0, nedge = 0;
	for (size_t i = 0; i < c->n; i++) {
		const shape *a = &c->v[i];
		if (!is_box(a))
			continue;
		nbox++;
		cr_expect(a->x >= 0 && a->y >= 0 && a->x + a->w <= c->width && a->y + a->h <= c->height,
			  "%s: box %g,%g outside the drawing", what, a->x, a->y);
		for (size_t j = i + 1; j < c->n; j++)
			if (is_box(&c->v[j]))
				cr_expect(!overlap(a, &c->v[j]), "%s: boxes at %g,%g and %g,%g overlap", what, a->x, a->y,
					  c->v[j].x, c->v[j].y);
	}
	for (size_t i = 0; i < c->n; i++) {
		const shape *e = &c->v[i];
		if (e->kind != SH_POLYLINE || e->closed || !e->title)
			continue;
		nedge++;
		const shape *from = box_at(c, e->pts[0], e->pts[1]);
		const shape *to = box_at(c, e->pts[2 * e->npts - 2], e->pts[2 * e->npts - 1]);
		cr_expect(from && to, "%s: edge %s does not start and end on boxes", what, e->title);
		for (size_t k = 0; k + 1 < e->npts; k++) {
			double x0 = e->pts[2 * k], y0 = e->pts[2 * k + 1], x1 = e->pts[2 * k + 2], y1 = e->pts[2 * k + 3];
			cr_expect(x0 == x1 || y0 == y1, "%s: edge %s is not orthogonal", what, e->title);
			for (size_t j = 0; j < c->n; j++) /* not even its own boxes: edges end on their sides */
				if (is_box(&c->v[j]))
					cr_expect(!seg_hits(x0, y0, x1, y1, &c->v[j]),
						  "%s: edge %s crosses the box at %g,%g", what, e->title, c->v[j].x,
						  c->v[j].y);
		}
	}
	cr_expect(nbox >= 10 && nedge >= 10, "%s: %zu boxes, %zu edges", what, nbox, nedge);
	/* No label is clipped: a text in a box ends inside it, every text
	 * inside the drawing (widths as text_width measures them). */
	for (size_t i = 0; i < c->n; i++) {
		const shape *t = &c->v[i];
		if (t->kind != SH_TEXT)
			continue;
		double x1 = t->x + text_width(t->text, t->size, t->bold);
		cr_expect(t->x >= 0 && x1 <= c->width && t->y - t->size >= 0 && t->y <= c->height,
			  "%s: text '%s' outside the drawing", what, t->text);
		for (size_t j = 0; j < c->n; j++) {
			const shape *b = &c->v[j];
			if (is_box(b) && t->x > b->x && t->x < b->x + b->w && t->y > b->y && t->y < b->y + b->h)
				cr_expect(x1 <= b->x + b->w - 2, "%s: '%s' runs out of its box", what, t->text);
		}
	}
}

Test(data_model, boxes_and_edges_do_not_overlap)
{
	chart *c = data_model_diagram("../");
	cr_assert(c);
	check_geometry(c, "data model");
	chart_free(c);
	c = er_diagram(NULL);
	check_geometry(c, "sources");
	chart_free(c);
}

/* The text shape that names row col inside the box holding (x, y) at its
 * side, with its row centred on y. */
static int row_at(const chart *c, double x, double y, const char *col)
{
	const shape *b = box_at(c, x, y);
	if (!b)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		const shape *t = &c->v[i];
		if (t->kind == SH_TEXT && strcmp(t->text, col) == 0 && t->x > b->x && t->x < b->x + b->w &&
		    fabs(t->y - 3.75 - y) < 0.01)
			return 1;
	}
	return 0;
}

/* Every ref(model.column) test between models the diagram draws is an
 * edge joining the two columns' rows; every foreign key of the contract too. */
Test(data_model, every_ref_test_is_an_edge)
{
	chart *c = data_model_diagram(NULL);
	cr_assert(c);
	int refs = 0;
	for (int i = 0; i < model_total(); i++) {
		const model_def *d = model_at(i);
		if (d->layer == LAYER_INTERMEDIATE)
			continue; /* not drawn: see docs/charts.md */
		for (int k = 0; k < d->ncols; k++) {
			for (const char *p = d->cols[k].tests; p && (p = strstr(p, "ref(")); p += 4) {
				char tab[100], col[100];
				cr_assert(sscanf(p + 4, "%99[^.].%99[^)]", tab, col) == 2, "%s", p);
				if (model_find(tab) && model_find(tab)->layer == LAYER_INTERMEDIATE)
					continue;
				char want[300];
				snprintf(want, sizeof want, "%s.%s \xE2\x86\x92 %s.%s", d->name, d->cols[k].name, tab, col);
				const shape *e = NULL;
				for (size_t s = 0; s < c->n && !e; s++)
					if (c->v[s].kind == SH_POLYLINE && c->v[s].title &&
					    strncmp(c->v[s].title, want, strlen(want)) == 0)
						e = &c->v[s];
				cr_expect(e != NULL, "no edge %s", want);
				if (e) { /* one end on each row, whichever side it is drawn from */
					double ax = e->pts[0], ay = e->pts[1];
					double bx = e->pts[2 * e->npts - 2], by = e->pts[2 * e->npts - 1];
					int ok = (row_at(c, ax, ay, d->cols[k].name) && row_at(c, bx, by, col)) ||
						 (row_at(c, bx, by, d->cols[k].name) && row_at(c, ax, ay, col));
					cr_expect(ok, "%s does not join the two rows", want);
				}
				refs++;
			}
		}
	}
	cr_expect(refs >= 20, "only %d ref() tests found", refs);
	size_t contract = 0;
	for (size_t r = 0; r < c->data.nrows; r++) {
		const char *kind = c->data.cells[r * c->data.ncols + 2];
		contract += !strcmp(kind, "foreign key") || !strcmp(kind, "code lookup");
	}
	cr_expect_eq(contract, 28, "%zu contract relationships", contract);
	cr_expect_eq(c->data.nrows, contract + (size_t)refs);
	chart_free(c);
}

Test(data_model, keys_from_tests)
{
	chart *c = data_model_diagram("");
	char *svg = svg_of(c);
	/* unique columns are bold keys; composite unique(a,b) keys too */
	cr_expect(strstr(svg, "font-weight=\"bold\" fill=\"#212b32\">patient_id<") != NULL);
	cr_expect(strstr(svg, "font-weight=\"bold\" fill=\"#212b32\">variant<") != NULL, "unique(line,variant)");
	cr_expect(strstr(svg, "<a href=\"models/stg_pathways.html\">") != NULL);
	cr_expect(strstr(svg, "<a href=\"sources/waiting_list.html\">") != NULL);
	cr_expect(strstr(svg, ">int_pathway_events<") == NULL, "intermediate models are left out");
	cr_expect(strstr(svg, ">fct_overdue_cases<") != NULL);
	free(svg);
	chart_free(c);
}

/* Scaled to 277 mm (785 pt: A4 landscape less 10 mm margins) the 12-unit
 * text prints at least at min_pt, and it also fits 190 mm high. Returns
 * the size it prints at. */
static double check_print(const chart *c, double min_pt, const char *what)
{
	double s = fmin(785.0 / c->width, 539.0 / c->height);
	cr_expect(12 * s >= min_pt, "%s: %g x %g: text prints at %.2f pt", what, c->width, c->height, 12 * s);
	cr_expect(c->width / c->height > 1.2 && c->width / c->height < 1.6, "%s: aspect %g", what,
		  c->width / c->height);
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == SH_TEXT)
			cr_expect(c->v[i].size >= 12, "text '%s' at %g", c->v[i].text, c->v[i].size);
	return 12 * s;
}

/* Today's models; room_for_three_more_marts below keeps the headroom. */
Test(data_model, prints_on_a4_landscape)
{
	chart *c = data_model_diagram(NULL);
	check_print(c, 9, "data model");
	chart_free(c);
}

/* Three marts more than today, of the kind still to come: keys, composite
 * keys, ref() tests to staging models and to another mart. */
static const model_col demand_cols[] = {
	{"site_id", T_STR, "Site", "not_null ref(stg_organisations.site_id)", NULL, CR_GEO},
	{"treatment_function", T_STR, "Treatment function", "not_null", NULL, CR_CODE},
	{"week_start", T_DATE, "Week", "not_null", NULL, CR_DATE},
	{"demand", T_INT, "Referrals", "", NULL, CR_EVENTS},
};
static const char *const demand_tests[] = {"unique(site_id,treatment_function,week_start)", NULL};
static const model_col flow_cols[] = {
	{"referral_id", T_STR, "Referral", "unique", NULL, CR_ID},
	{"pathway_id", T_STR, "Pathway", "ref(stg_pathways.pathway_id)", NULL, CR_ID},
	{"patient_id", T_STR, "Patient", "ref(stg_patients.patient_id)", NULL, CR_ID},
	{"site_id", T_STR, "Site", "warn:ref(dim_organisation.site_id)", NULL, CR_GEO},
};
static const model_col theatre_cols[] = {
	{"session_id", T_STR, "Session", "unique ref(stg_sessions.session_id)", NULL, CR_ID},
	{"site_id", T_STR, "Site", "ref(dim_organisation.site_id)", NULL, CR_GEO},
	{"utilisation", T_NUM, "Share of the session used", "range(0..1)", NULL, CR_RATIO},
};
static const model_def extra_marts[] = {
	{"fct_test_demand", LAYER_MART, "Demand against capacity", NULL, demand_cols, NCOLS(demand_cols),
	 demand_tests, NULL, 0},
	{"fct_test_referrals", LAYER_MART, "Referrals into pathways", NULL, flow_cols, NCOLS(flow_cols), NULL, NULL,
	 MODEL_PATIENT_LEVEL},
	{"fct_test_theatres", LAYER_MART, "Theatre session use", NULL, theatre_cols, NCOLS(theatre_cols), NULL,
	 NULL, 0},
};

Test(data_model, room_for_three_more_marts)
{
	const model_def *extra[] = {&extra_marts[0], &extra_marts[1], &extra_marts[2]};
	chart *c = data_model_diagram_with("../", extra, 3);
	cr_assert(c);
	check_geometry(c, "data model with 3 more marts");
	double pt = check_print(c, 9, "data model with 3 more marts");
	chart *today = data_model_diagram("../");
	cr_expect(c->n > today->n, "the extra marts are drawn");
	char *svg = svg_of(c);
	cr_expect(strstr(svg, "<a href=\"../models/fct_test_theatres.html\">") != NULL);
	cr_expect(strstr(svg, ">fct_test_referrals.site_id \xE2\x86\x92 dim_organisation.site_id (tested as a warning)<") !=
		  NULL);
	cr_expect(strstr(svg, "font-weight=\"bold\" fill=\"#212b32\">week_start<") != NULL, "composite key");
	cr_log_info("today %g x %g, with 3 more marts %g x %g: %.2f pt", today->width, today->height, c->width,
		    c->height, pt);
	free(svg);
	chart_free(today);
	chart_free(c);
}

Test(data_model, deterministic)
{
	chart *a = data_model_diagram("../"), *b = data_model_diagram("../");
	buf x = {0}, y = {0};
	chart_svg_document(a, &x);
	chart_svg_document(b, &y);
	cr_expect(x.n == y.n && memcmp(x.s, y.s, x.n) == 0);
	cr_expect(strncmp(x.s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 49) == 0);
	char want[64];
	snprintf(want, sizeof want, "width=\"%g\"", a->width);
	cr_expect(strstr(x.s, want) != NULL, "a standalone file has its size");
	buf_free(&x);
	buf_free(&y);
	chart_free(a);
	chart_free(b);
	a = lineage_diagram(NULL, ""), b = lineage_diagram(NULL, "");
	char *s1 = svg_of(a), *s2 = svg_of(b);
	cr_expect_str_eq(s1, s2);
	free(s1);
	free(s2);
	chart_free(a);
	chart_free(b);
}

/* ---- Exposures ---------------------------------------------------------------- */

static const char *const overdue_models[] = {"fct_overdue_cases", "kpi_summary"};
static const char *const board_models[] = {"kpi_summary", "fct_waitlist_trend", "no_such_model"};
static const lineage_exposure two[] = {
	{"overdue", "overdue.html", overdue_models, 2, EXPOSURE_PAGE},
	{"packs/board", "packs/board.pdf", board_models, 3, EXPOSURE_PACK},
};

Test(exposures, drawn_as_a_last_column)
{
	chart *c = lineage_diagram_ex(NULL, "../", two, 2);
	cr_assert(c);
	char *svg = svg_of(c);
	cr_expect(strstr(svg, ">Exposures<") != NULL);
	cr_expect(strstr(svg, "<a href=\"../overdue.html\">") != NULL);
	cr_expect(strstr(svg, "<a href=\"../packs/board.pdf\">") != NULL);
	cr_expect(strstr(svg, "fct_overdue_cases \xE2\x86\x92 overdue<") != NULL);
	cr_expect(strstr(svg, "fct_waitlist_trend \xE2\x86\x92 packs/board<") != NULL);
	cr_expect(strstr(svg, "no_such_model") == NULL, "unknown names are ignored");
	cr_expect(strstr(svg, "exposure: site page or PDF pack") != NULL, "legend");
	/* Every exposure box lies right of every mart box. */
	double mart_right = 0, exp_left = INFINITY;
	for (size_t i = 0; i < c->n; i++) {
		const shape *s = &c->v[i];
		if (!is_box(s))
			continue;
		if (strstr(s->title, "(mart)"))
			mart_right = fmax(mart_right, s->x + s->w);
		if (strstr(s->title, "(site page)") || strstr(s->title, "(PDF pack)"))
			exp_left = fmin(exp_left, s->x);
	}
	cr_expect(mart_right > 0 && exp_left > mart_right, "marts end at %g, exposures start at %g", mart_right,
		  exp_left);
	free(svg);
	chart_free(c);

	c = lineage_diagram_ex("fct_waitlist_trend", "../", two, 2); /* only what reads the focus */
	svg = svg_of(c);
	cr_expect(strstr(svg, ">packs/board<") != NULL);
	cr_expect(strstr(svg, ">overdue<") == NULL);
	free(svg);
	chart_free(c);
	c = lineage_diagram(NULL, NULL);
	svg = svg_of(c);
	cr_expect(strstr(svg, ">Exposures<") == NULL);
	free(svg);
	chart_free(c);
}

Test(exposures, from_templates)
{
	const char *page = "# Overdue\n\n```table model=fct_overdue_cases group=trust_name\n```\n\n"
			   "```chart kind=bar model=fct_delay_causes x=cause y=count\n```\n\n"
			   "```table model=fct_overdue_cases group=site_name\n```\n";
	const char *pack = "# Board\n\n`kpi:rtt_within_18_weeks`\n";
	const char *plain = "# About\n\nNo data here.\n";
	const char *trust = "# {{trust_name}}\n\n```table model=fct_overdue_cases group=site_name\n```\n";
	template *t[4] = {
		tpl_parse(page, strlen(page), "templates/overdue.md", "overdue.md"),
		tpl_parse(pack, strlen(pack), "templates/packs/board.md", "packs/board.md"),
		tpl_parse(plain, strlen(plain), "templates/about.md", "about.md"),
		tpl_parse(trust, strlen(trust), "templates/trust/[trust_code].md", "trust/[trust_code].md"),
	};
	lineage_exposure *ex = NULL;
	int n = lineage_exposures_from_templates((const struct template *const *)t, 4, &ex);
	cr_assert_eq(n, 3, "a page without models is no exposure");
	cr_expect_str_eq(ex[0].name, "overdue");
	cr_expect_str_eq(ex[0].href, "overdue.html");
	cr_expect_eq(ex[0].kind, EXPOSURE_PAGE);
	cr_assert_eq(ex[0].nmodels, 2, "each model once");
	cr_expect_str_eq(ex[0].models[0], "fct_delay_causes");
	cr_expect_str_eq(ex[0].models[1], "fct_overdue_cases");
	cr_expect_str_eq(ex[1].name, "packs/board");
	cr_expect_str_eq(ex[1].href, "packs/board.pdf");
	cr_expect_eq(ex[1].kind, EXPOSURE_PACK);
	cr_assert_eq(ex[1].nmodels, 1);
	cr_expect_str_eq(ex[1].models[0], "kpi_summary");
	cr_expect_str_eq(ex[2].name, "trust/[trust_code]");
	cr_expect_str_eq(ex[2].href, "trust/index.html");
	for (int i = 0; i < 4; i++)
		tpl_free(t[i]);
	/* The exposures outlive their templates. */
	chart *c = lineage_diagram_ex(NULL, "", ex, n);
	char *svg = svg_of(c);
	cr_expect(strstr(svg, "kpi_summary \xE2\x86\x92 packs/board<") != NULL);
	cr_expect(strstr(svg, "<a href=\"trust/index.html\">") != NULL);
	free(svg);
	chart_free(c);
	lineage_exposures_free(ex, n);
}
