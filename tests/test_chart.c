/* Charts: axis arithmetic, label thinning, palette, escaping, empty data,
 * errors, diagrams and SPC verdicts. The golden SVG of each chart kind is a
 * case folder under tests/cases/chart/, run by tests/test_cases.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "contract/schema.h"
#include "registry/model.h"
#include "draw/chart.h"
#include "util/date.h"

/* ---- Fixtures ------------------------------------------------------------- */

static strpool sp;

static void setup(void)
{
	sp_init(&sp);
}

static void teardown(void)
{
	sp_free(&sp);
}

static const char *const specialties[] = {
	"Trauma and Orthopaedics", "Ophthalmology", "General Surgery", "Ear, Nose and Throat",
	"Gynaecology", "Cardiology", "Dermatology", "Urology",
};
static const char *const priorities[] = {"P2", "P3", "P4", "P1b"};

/* 240 open pathways: specialty, priority, month of referral, wait in weeks.
 * Skewed by construction so bars differ. */
static mm_table *pathways(void)
{
	mm_table *t = tbl_new("pathways", &sp);
	int sp_c = tbl_add_col(t, "specialty", T_STR), pr = tbl_add_col(t, "priority", T_STR);
	int mo = tbl_add_col(t, "month", T_DATE), wk = tbl_add_col(t, "wait_weeks", T_INT);
	int ov = tbl_add_col(t, "overdue", T_BOOL);
	for (int i = 0; i < 240; i++) {
		size_t r = tbl_add_row(t);
		int s = (i * i + 3 * i) % 41 % 8; /* uneven spread over the 8 */
		tbl_set_str(t, sp_c, r, specialties[s]);
		tbl_set_str(t, pr, r, priorities[(i * 7 + s) % 4]);
		tbl_set_date(t, mo, r, month_end(days_from_civil(2025, 3 + (i * 5 + s) % 6, 1)));
		int w = (i * 37 + s * 11) % 61;
		w = w > 40 ? w - 25 : w; /* more short waits than long ones */
		tbl_set_int(t, wk, r, w);
		tbl_set_bool(t, ov, r, w > 18);
	}
	return t;
}

static char *svg_of(const chart *c)
{
	buf b = {0};
	chart_svg(c, &b);
	return b.s;
}

/* ---- Axis arithmetic -------------------------------------------------------- */

static void expect_ticks(double lo, double hi, const double *want, int n)
{
	axis_ticks t;
	nice_ticks(lo, hi, 5, &t);
	cr_assert_eq(t.n, n, "%g..%g: %d ticks, want %d", lo, hi, t.n, n);
	for (int i = 0; i < n; i++)
		cr_expect(fabs(t.v[i] - want[i]) < 1e-9, "%g..%g tick %d: %g, want %g", lo, hi, i, t.v[i], want[i]);
}

Test(chart_scale, nice_ticks)
{
	const double a[] = {0, 20, 40, 60, 80, 100};
	expect_ticks(0, 97, a, 6);
	const double b[] = {0, 0.2, 0.4, 0.6, 0.8};
	expect_ticks(0, 0.8, b, 5);
	const double c[] = {0, 2000, 4000, 6000, 8000, 10000, 12000, 14000};
	expect_ticks(0, 12345, c, 8);
	const double d[] = {-10, -5, 0, 5, 10, 15, 20};
	expect_ticks(-7, 18, d, 7);
	axis_ticks t;
	nice_ticks(0, 0, 5, &t); /* degenerate domain still gives an axis */
	cr_expect(t.n >= 2 && t.lo == 0 && t.hi > 0);
	nice_ticks(0, 0.8, 5, &t);
	cr_expect_eq(t.decimals, 1);
}

Test(chart_scale, number_formats)
{
	char b[64];
	fmt_number(12345, 0, b, sizeof b);
	cr_expect_str_eq(b, "12,345");
	fmt_number(-1234567.891, 1, b, sizeof b);
	cr_expect_str_eq(b, "-1,234,567.9");
	fmt_number(0.05, 2, b, sizeof b);
	cr_expect_str_eq(b, "0.05");
	fmt_number(-0.01, 1, b, sizeof b);
	cr_expect_str_eq(b, "0.0"); /* no "-0.0" */
	fmt_value(61.25, b, sizeof b);
	cr_expect_str_eq(b, "61.3");
	fmt_value(7414794, b, sizeof b);
	cr_expect_str_eq(b, "7,414,794");
	axis_ticks t;
	nice_ticks(0, 7400000, 5, &t);
	fmt_tick(&t, 7000000, b, sizeof b);
	cr_expect_str_eq(b, "7m");
	fmt_tick(&t, 0, b, sizeof b);
	cr_expect_str_eq(b, "0");
	fmt_month(days_from_civil(2025, 9, 30), 1, b, sizeof b);
	cr_expect_str_eq(b, "Sep 2025");
	fmt_month(days_from_civil(2025, 9, 30), 0, b, sizeof b);
	cr_expect_str_eq(b, "Sep 25");
	fmt_day(days_from_civil(2025, 9, 8), 1, b, sizeof b);
	cr_expect_str_eq(b, "8 Sep 2025");
}

Test(chart_scale, text_fit_and_thinning)
{
	char b[64];
	cr_expect_eq(text_fit("Urology", 12, 0, 200, b, sizeof b), 0);
	cr_expect_str_eq(b, "Urology");
	cr_expect_eq(text_fit("Trauma and Orthopaedics", 12, 0, 80, b, sizeof b), 1);
	cr_expect(strstr(b, "\xE2\x80\xA6") != NULL, "ellipsis in '%s'", b);
	cr_expect(text_width(b, 12, 0) <= 80);
	cr_expect(text_width("mmmm", 12, 0) > text_width("iiii", 12, 0));
	cr_expect_eq(label_step(30, 25), 1);
	cr_expect_eq(label_step(10, 25), 3);
	cr_expect_eq(label_step(5, 20), 4);
}

Test(chart_palette, order)
{
	cr_expect_eq(palette_series(0, 1), NHS_BLUE);
	const colour want[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442};
	for (size_t i = 0; i < 7; i++)
		cr_expect_eq(palette_series(i, 7), want[i], "series %zu", i);
	cr_expect_eq(palette_series(7, 9), NHS_MID_GREY);
	cr_expect_eq(palette_text_on(NHS_DARK_BLUE), NHS_WHITE);
	cr_expect_eq(palette_text_on(palette_seq(0)), NHS_TEXT);
	cr_expect(colour_luminance(palette_seq(0.2)) > colour_luminance(palette_seq(0.8)));
}

Test(chart_spec, parse)
{
	chart_kind k;
	cr_expect_eq(chart_kind_parse("stacked-bar", &k), 0);
	cr_expect_eq(k, CHART_STACKED_BAR);
	cr_expect_eq(chart_kind_parse("pie", &k), -1);
	chart_order o;
	cr_expect_eq(chart_order_parse("value", &o), 0);
	cr_expect_eq(o, CHART_ORDER_VALUE);
	chart_spec s;
	chart_spec_init(&s, CHART_LINE);
	cr_expect(isnan(s.target));
}

/* ---- Charts ------------------------------------------------------------------ */

Test(chart, label_thinning_no_overlap, .init = setup, .fini = teardown)
{
	mm_table *t = tbl_new("weeks", &sp);
	int x = tbl_add_col(t, "week", T_STR), y = tbl_add_col(t, "n", T_INT);
	for (int i = 0; i < 80; i++) {
		char b[16];
		snprintf(b, sizeof b, "W%02d", i);
		size_t r = tbl_add_row(t);
		tbl_set_str(t, x, r, b);
		tbl_set_int(t, y, r, 10 + i % 7);
	}
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "week", s.y = "n";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	/* Category labels are the horizontal texts under the plot. */
	double last_end = -1e9;
	int shown = 0;
	for (size_t i = 0; i < c->n; i++) {
		const shape *sh = &c->v[i];
		if (sh->kind != SH_TEXT || sh->text[0] != 'W')
			continue;
		double w = text_width(sh->text, sh->size, 0), start = sh->x - w / 2;
		cr_expect(start >= last_end, "label %s overlaps its neighbour", sh->text);
		last_end = sh->x + w / 2;
		shown++;
	}
	cr_expect(shown > 5 && shown < 80, "%d of 80 labels shown", shown);
	chart_free(c);
	tbl_free(t);
}

Test(chart, escaping, .init = setup, .fini = teardown)
{
	mm_table *t = tbl_new("x", &sp);
	int x = tbl_add_col(t, "name", T_STR), y = tbl_add_col(t, "n", T_INT), s = tbl_add_col(t, "grp", T_STR);
	const char *evil = "<script>&\"";
	for (int i = 0; i < 3; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, x, r, i ? "ok" : evil);
		tbl_set_str(t, s, r, i == 1 ? evil : "g'1");
		tbl_set_int(t, y, r, i + 1);
	}
	chart_kind kinds[] = {CHART_BAR, CHART_STACKED_BAR, CHART_LINE, CHART_HEATMAP};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		chart_spec sp_;
		chart_spec_init(&sp_, kinds[k]);
		sp_.x = "name", sp_.y = "n", sp_.series = "grp";
		sp_.title = "Title <b>&amp;</b>";
		sp_.x_label = evil;
		char err[200];
		chart *c = chart_build(&sp_, t, NULL, 0, err, sizeof err);
		cr_assert(c, "%s", err);
		char *svg = svg_of(c);
		cr_expect(strstr(svg, "<script") == NULL, "%s: raw <script in SVG", chart_kind_name(kinds[k]));
		cr_expect(strstr(svg, "<b>") == NULL);
		cr_expect(strstr(svg, "&lt;script&gt;&amp;&quot;") != NULL, "%s: escaped label missing",
			  chart_kind_name(kinds[k]));
		cr_expect(strstr(svg, "g&#39;1") != NULL);
		buf tb = {0};
		chart_data_table(c, &tb);
		cr_expect(strstr(tb.s, "<script") == NULL);
		cr_expect(strstr(tb.s, "&lt;script&gt;&amp;&quot;") != NULL);
		cr_expect(strstr(tb.s, "<caption>Title &lt;b&gt;&amp;amp;&lt;/b&gt;</caption>") != NULL);
		buf_free(&tb);
		free(svg);
		chart_free(c);
	}
	tbl_free(t);
}

Test(chart, empty_data, .init = setup, .fini = teardown)
{
	mm_table *t = pathways();
	chart_kind kinds[] = {CHART_BAR, CHART_STACKED_BAR, CHART_LINE, CHART_HISTOGRAM, CHART_HEATMAP};
	size_t none = 0;
	for (size_t k = 0; k < 5; k++) {
		chart_spec s;
		chart_spec_init(&s, kinds[k]);
		s.x = kinds[k] == CHART_HISTOGRAM ? "wait_weeks" : "specialty";
		s.series = "priority";
		s.title = "Nothing";
		char err[200];
		chart *c = chart_build(&s, t, &none, 0, err, sizeof err); /* an empty row selection */
		cr_assert(c, "%s: %s", chart_kind_name(kinds[k]), err);
		char *svg = svg_of(c);
		cr_expect(strstr(svg, ">No data<") != NULL, "%s", chart_kind_name(kinds[k]));
		buf tb = {0};
		chart_data_table(c, &tb);
		cr_expect(strstr(tb.s, "No data") != NULL);
		buf_free(&tb);
		free(svg);
		chart_free(c);
	}
	tbl_free(t);
	mm_table *e = tbl_new("empty", &sp);
	tbl_add_col(e, "a", T_STR);
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "a";
	char err[200];
	chart *c = chart_build(&s, e, NULL, 0, err, sizeof err);
	cr_assert(c);
	chart_free(c);
	tbl_free(e);
}

Test(chart, errors, .init = setup, .fini = teardown)
{
	mm_table *t = pathways();
	char err[200];
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "nope";
	cr_expect_null(chart_build(&s, t, NULL, 0, err, sizeof err));
	cr_expect(strstr(err, "'nope'") != NULL, "%s", err);
	s.x = "specialty", s.y = "priority"; /* text is not a number */
	cr_expect_null(chart_build(&s, t, NULL, 0, err, sizeof err));
	cr_expect(strstr(err, "'priority'") != NULL && strstr(err, "number") != NULL, "%s", err);
	chart_spec_init(&s, CHART_HISTOGRAM);
	s.x = "specialty";
	cr_expect_null(chart_build(&s, t, NULL, 0, err, sizeof err));
	cr_expect(strstr(err, "histogram") != NULL, "%s", err);
	chart_spec_init(&s, CHART_HEATMAP);
	s.x = "month"; /* no series */
	cr_expect_null(chart_build(&s, t, NULL, 0, err, sizeof err));
	cr_expect(strstr(err, "series") != NULL, "%s", err);
	tbl_free(t);
}

Test(chart, aggregation_and_table, .init = setup, .fini = teardown)
{
	mm_table *t = pathways();
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "specialty", s.y = "overdue", s.order = CHART_ORDER_VALUE, s.limit = 3;
	s.title = "Overdue";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->data.nrows, 3);
	double prev = INFINITY;
	size_t total = 0;
	for (size_t r = 0; r < t->nrows; r++) /* hand count of the largest */
		total += tbl_bool(t, tbl_col(t, "overdue"), r) &&
			 strcmp(tbl_str(t, 0, r), c->data.cells[0 * c->data.ncols]) == 0;
	cr_expect_eq(strtod(c->data.cells[1], NULL), (double)total);
	for (size_t r = 0; r < 3; r++) {
		double v = strtod(c->data.cells[r * c->data.ncols + 1], NULL);
		cr_expect(v <= prev, "value order");
		prev = v;
	}
	cr_expect(strstr(c->desc, "Showing 3 of 8") != NULL, "%s", c->desc);
	chart_free(c);
	tbl_free(t);
}

/* Every coordinate finite and inside the viewBox (give or take a stroke). */
static void expect_sane(const chart *c, const char *what)
{
	for (size_t i = 0; i < c->n; i++) {
		const shape *s = &c->v[i];
		double v[] = {s->x, s->y, s->w, s->h, s->x2, s->y2, s->r};
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			cr_expect(isfinite(v[k]), "%s: shape %zu has a non-finite field", what, i);
		for (size_t k = 0; k < 2 * s->npts; k++)
			cr_expect(isfinite(s->pts[k]), "%s: polyline %zu has a non-finite point", what, i);
		if (s->kind == SH_RECT || s->kind == SH_CIRCLE || (s->kind == SH_TEXT && s->rotate == 0))
			cr_expect(s->x >= -2 && s->y >= -2 && s->x + s->w <= c->width + 2 && s->y + s->h <= c->height + 2,
				  "%s: shape %zu at (%g, %g) is outside %gx%g", what, i, s->x, s->y, c->width, c->height);
		cr_expect(s->kind != SH_RECT || (s->w >= 0 && s->h >= 0), "%s: negative rect", what);
	}
}

/* One chart of the edge-case table: all rows, one row, or two rows. */
static void edge_case(const mm_table *t, chart_kind kind, const char *x, const char *y, int rowset, int horizontal)
{
	static const size_t two[] = {0, 2};
	chart_spec s;
	chart_spec_init(&s, kind);
	s.x = x, s.y = y, s.series = "g", s.horizontal = horizontal;
	s.suppressed = horizontal ? "b" : NULL; /* some rows withheld, one of them null */
	s.target = y && !strcmp(y, "n") ? 2.5 : NAN, s.limit = rowset, s.x_order = "zz|A";
	char err[200], what[100];
	snprintf(what, sizeof what, "%s x=%s y=%s rows=%d h=%d", chart_kind_name(kind), x, y ? y : "-", rowset,
		 horizontal);
	chart *c = chart_build(&s, t, rowset ? two : NULL, (size_t)rowset, err, sizeof err);
	if (!c) { /* only type errors are allowed */
		cr_expect(kind == CHART_HISTOGRAM, "%s: %s", what, err);
		return;
	}
	expect_sane(c, what);
	buf out = {0};
	chart_svg(c, &out);
	chart_data_table(c, &out);
	cr_expect(strstr(out.s, "nan") == NULL && strstr(out.s, "inf") == NULL, "%s", what);
	buf_free(&out);
	chart_free(c);
}

Test(chart, edge_cases, .init = setup, .fini = teardown)
{
	mm_table *t = tbl_new("edge", &sp);
	int s = tbl_add_col(t, "s", T_STR), g = tbl_add_col(t, "g", T_STR), d = tbl_add_col(t, "d", T_DATE);
	int n = tbl_add_col(t, "n", T_NUM), i = tbl_add_col(t, "i", T_INT), b = tbl_add_col(t, "b", T_BOOL);
	/* Rows: one normal, one of nulls, one negative, one huge. */
	const double nums[] = {5, NAN, -3, 1e12};
	for (int r = 0; r < 4; r++) {
		size_t k = tbl_add_row(t);
		if (r != 1) {
			tbl_set_str(t, s, k, r == 3 ? "A very long category name that will not fit anywhere at all" : "A");
			tbl_set_str(t, g, k, r % 2 ? "G1" : "G2");
			tbl_set_date(t, d, k, days_from_civil(2025, 1 + r, 28));
			tbl_set_int(t, i, k, r * 7);
			tbl_set_bool(t, b, k, r & 1);
		}
		tbl_set_num(t, n, k, nums[r]);
	}
	const char *xs[] = {"s", "d", "i", "b", "n"};
	const char *ys[] = {NULL, "n", "i", "b"};
	for (int k = CHART_BAR; k <= CHART_HEATMAP; k++)
		for (size_t x = 0; x < 5; x++)
			for (size_t y = 0; y < 4; y++)
				for (int rowset = 0; rowset < 3; rowset++)
					for (int h = 0; h < 2; h++)
						edge_case(t, (chart_kind)k, xs[x], ys[y], rowset, h);
	tbl_free(t);
}

/* ---- Suppressed values ------------------------------------------------------------ */

/* Counts by specialty, as a board page hands them over: rounded, with
 * the values of 1 to 7 withheld and flagged. */
static mm_table *rounded_counts(void)
{
	static const struct { const char *x; double y; int star; } v[] = {
		{"Ortho", 40, 0}, {"ENT", 15, 0}, {"Urology", NAN, 1}, {"Cardiology", 0, 0},
	};
	mm_table *t = tbl_new("rounded", &sp);
	int x = tbl_add_col(t, "specialty", T_STR), y = tbl_add_col(t, "y", T_NUM), st = tbl_add_col(t, "star", T_BOOL);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, x, r, v[i].x);
		tbl_set_num(t, y, r, v[i].y);
		tbl_set_bool(t, st, r, v[i].star);
	}
	return t;
}

Test(chart, suppressed_bars_are_marked, .init = setup, .fini = teardown)
{
	mm_table *t = rounded_counts();
	for (int kind = CHART_BAR; kind <= CHART_HEATMAP; kind++) {
		if (kind == CHART_HISTOGRAM || kind == CHART_STACKED_BAR)
			continue;
		for (int h = 0; h < 2; h++) {
			chart_spec s;
			chart_spec_init(&s, (chart_kind)kind);
			s.x = "specialty", s.y = "y", s.suppressed = "star", s.horizontal = h;
			s.series = kind == CHART_HEATMAP ? "specialty" : NULL;
			char err[200];
			chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
			cr_assert(c, "%s", err);
			expect_sane(c, chart_kind_name((chart_kind)kind));
			int star_cell = 0;
			for (size_t i = 0; i < c->data.nrows * c->data.ncols; i++)
				star_cell |= c->data.cells[i] && !strcmp(c->data.cells[i], "*");
			cr_expect(star_cell, "%s: no * in the data table", chart_kind_name((chart_kind)kind));
			cr_expect(strstr(c->desc, "not shown, to protect privacy") != NULL, "%s", c->desc);
			char *svg = svg_of(c);
			if (kind != CHART_LINE) { /* a line leaves a gap; bars and cells say "*" */
				cr_expect(strstr(svg, ">*<") != NULL, "%s: no * drawn", chart_kind_name((chart_kind)kind));
				cr_expect(strstr(svg, "Urology: 1 to 7, not shown") != NULL ||
					  strstr(svg, "Urology, Urology: 1 to 7, not shown") != NULL, "%s", svg);
			}
			free(svg);
			chart_free(c);
		}
	}
	/* A zero is a zero, not a suppressed value. */
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "specialty", s.y = "y", s.suppressed = "star";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_expect_str_eq(c->data.cells[3 * c->data.ncols + 1], "0");
	cr_expect_str_eq(c->data.cells[2 * c->data.ncols + 1], "*");
	chart_free(c);
	/* The column must be a number or a flag. */
	s.suppressed = "specialty";
	cr_expect_null(chart_build(&s, t, NULL, 0, err, sizeof err));
	cr_expect(strstr(err, "suppressed") != NULL, "%s", err);
	tbl_free(t);
}

Test(chart, histogram_bins_and_suppressed_tail, .init = setup, .fini = teardown)
{
	/* Bins of 5 weeks already counted (and rounded) by the caller: the
	 * long tail has a few people in each bin, which must not read as 0. */
	static const struct { int x; double n; int star; } v[] = {
		{0, 40, 0}, {5, 25, 0}, {10, 10, 0}, {15, 0, 0}, {20, NAN, 1}, {25, NAN, 1},
	};
	mm_table *t = tbl_new("bins", &sp);
	int x = tbl_add_col(t, "wait_weeks", T_INT), y = tbl_add_col(t, "n", T_NUM), st = tbl_add_col(t, "star", T_BOOL);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_int(t, x, r, v[i].x);
		tbl_set_num(t, y, r, v[i].n);
		tbl_set_bool(t, st, r, v[i].star);
	}
	chart_spec s;
	chart_spec_init(&s, CHART_HISTOGRAM);
	s.x = "wait_weeks", s.y = "n", s.suppressed = "star", s.bin_width = 5;
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	expect_sane(c, "histogram");
	cr_assert_eq(c->data.nrows, 6, "one bin per row of width 5");
#define EN_DASH "\xE2\x80\x93"
	const char *want[][2] = {{"0" EN_DASH "4", "40"}, {"15" EN_DASH "19", "0"}, {"20" EN_DASH "24", "*"},
				 {"25" EN_DASH "29", "*"}};
	const size_t at[] = {0, 3, 4, 5};
	for (size_t i = 0; i < 4; i++) {
		cr_expect_str_eq(c->data.cells[at[i] * 2], want[i][0]);
		cr_expect_str_eq(c->data.cells[at[i] * 2 + 1], want[i][1]);
	}
	cr_expect(strstr(c->desc, "2 values of 1 to 7 are not shown") != NULL, "%s", c->desc);
	cr_expect(strstr(c->desc, "75 in the bins shown") != NULL, "the total, not the number of rows: %s", c->desc);
	size_t stubs = 0;
	for (size_t i = 0; i < c->n; i++)
		stubs += c->v[i].kind == SH_RECT && c->v[i].dashed;
	cr_expect_eq(stubs, 2);
	chart_free(c);
	tbl_free(t);
}

/* An image may not hold links; a diagram of links is a group. */
Test(chart, roles, .init = setup, .fini = teardown)
{
	mm_table *t = pathways();
	chart_spec s;
	chart_spec_init(&s, CHART_BAR);
	s.x = "specialty";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	char *svg = svg_of(c);
	cr_expect(strstr(svg, " role=\"img\" aria-labelledby=\"") != NULL);
	free(svg);
	chart_free(c);
	tbl_free(t);
	c = lineage_diagram(NULL, "");
	svg = svg_of(c);
	cr_expect(strstr(svg, "role=\"img\"") == NULL, "links inside role=img");
	cr_expect(strstr(svg, " role=\"group\" aria-labelledby=\"") != NULL);
	cr_expect(strstr(svg, "aria-describedby=\"") != NULL);
	free(svg);
	chart_free(c);
	c = er_diagram(NULL); /* no links: a picture */
	svg = svg_of(c);
	cr_expect(strstr(svg, "role=\"img\"") != NULL);
	free(svg);
	chart_free(c);
}

/* ---- Diagrams ---------------------------------------------------------------------- */

Test(diagram, lineage_every_model)
{
	chart *all = lineage_diagram(NULL, "");
	cr_assert(all);
	char *svg = svg_of(all);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		char want[300];
		snprintf(want, sizeof want, "<a href=\"models/%s.html\">", m->name);
		cr_expect(strstr(svg, want) != NULL, "no link to %s", m->name);
		chart *one = lineage_diagram(m->name, "../");
		cr_assert(one, "%s", m->name);
		char *s1 = svg_of(one);
		snprintf(want, sizeof want, "font-weight=\"bold\" fill=\"#ffffff\">%s<", m->name);
		cr_expect(strstr(s1, want) != NULL, "%s is not highlighted", m->name);
		for (const char *const *u = m->upstream; u && *u; u++) { /* direct upstream kept */
			snprintf(want, sizeof want, ">%s<", *u);
			cr_expect(strstr(s1, want) != NULL, "%s lacks upstream %s", m->name, *u);
		}
		free(s1);
		chart_free(one);
	}
	free(svg);
	chart_free(all);
	cr_expect_null(lineage_diagram("no_such_model", NULL));
}

Test(diagram, er_foreign_keys)
{
	chart *c = er_diagram(NULL);
	cr_assert(c);
	char *svg = svg_of(c);
	const char *want[] = {
		"waiting_list.PATIENT \xE2\x86\x92 patients.Id",
		"appointments.PATHWAY_ID \xE2\x86\x92 waiting_list.PATHWAY_ID",
		"appointments.SESSION_ID \xE2\x86\x92 sessions.Id",
		"encounters.PATIENT \xE2\x86\x92 patients.Id",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect(strstr(svg, want[i]) != NULL, "missing %s", want[i]);
	cr_expect(strstr(svg, "<a href") == NULL, "no links without a prefix");
	/* Every relationship of the table names existing columns. */
	for (size_t r = 0; r < c->data.nrows; r++)
		for (int k = 0; k < 2; k++) {
			char name[200];
			snprintf(name, sizeof name, "%s", c->data.cells[r * c->data.ncols + (size_t)k]);
			char *dot = strchr(name, '.');
			cr_assert(dot);
			*dot = '\0';
			int s = source_index(name), found = 0;
			cr_assert(s >= 0, "%s", name);
			for (int i = 0; i < source_tables[s].ncols; i++)
				found |= strcmp(source_tables[s].cols[i].name, dot + 1) == 0;
			cr_expect(found, "%s.%s is not in the schema", name, dot + 1);
		}
	cr_expect(c->data.nrows >= 20);
	free(svg);
	chart_free(c);
}

/* ---- SPC charts ----------------------------------------------------------------- */

/* 24 month ends of a share within 18 weeks: steady about 60 with a last
 * month far above (special cause, improving), and one month withheld
 * when star is set. */
static mm_table *spc_series(int star)
{
	mm_table *t = tbl_new("spc", &sp);
	int me = tbl_add_col(t, "month_end", T_DATE), y = tbl_add_col(t, "y", T_NUM);
	int st = tbl_add_col(t, "star", T_BOOL);
	static const double v[24] = {60, 61, 59, 60, 62, 58, 60, 61, 59, 60, 61, 60,
				     59, 61, 60, 62, 59, 60, 61, 60, 59, 61, 60, 72};
	for (int m = 0; m < 24; m++) {
		size_t r = tbl_add_row(t);
		tbl_set_date(t, me, r, month_end(days_from_civil(2023 + (9 + m) / 12, (9 + m) % 12 + 1, 1)));
		if (star && m == 5)
			tbl_set_bool(t, st, r, 1);
		else {
			tbl_set_num(t, y, r, v[m]);
			tbl_set_bool(t, st, r, 0);
		}
	}
	return t;
}

static chart *spc_chart_of(mm_table *t, int star)
{
	chart_spec s;
	chart_spec_init(&s, CHART_SPC);
	s.x = "month_end", s.y = "y", s.suffix = "%";
	s.title = "Waiting within 18 weeks <& \"Trust\">";
	s.x_label = "Month end", s.y_label = "Within 18 weeks";
	s.target = 92, s.target_label = "92% standard";
	s.interim = 65, s.interim_label = "65% interim target";
	s.better = 1;
	if (star)
		s.suppressed = "star";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	return c;
}

Test(chart_spc, verdicts_limits_and_table, .init = setup, .fini = teardown)
{
	cr_assert_eq(chart_kind_parse("spc", &(chart_kind){0}), 0);
	mm_table *t = spc_series(0);
	chart *c = spc_chart_of(t, 0);
	char *svg = svg_of(c);
	/* By hand: the 24 values sum to 1455, mean 60.625; the 23 moving
	 * ranges sum to 34 + 12 = 46, mean 2; limits 60.625 -+ 2.66 * 2 =
	 * 55.305 and 65.945. 72 is outside: special cause, and above the mean
	 * where higher is better: improving. 92 is above the upper limit
	 * (consistently missed); 65 lies between the limits (hit and miss). */
	cr_expect(strstr(c->desc, "Latest 72%") != NULL, "%s", c->desc);
	cr_expect(strstr(c->desc, "Mean 60.6%; process limits 55.3% to 65.9%") != NULL, "%s", c->desc);
	cr_expect(strstr(c->desc, "Special cause variation, improving") != NULL, "%s", c->desc);
	cr_expect(strstr(c->desc, "will consistently miss the 92% standard unless something changes") != NULL, "%s",
		  c->desc);
	cr_expect(strstr(c->desc, "sometimes meet and sometimes miss the 65% interim target") != NULL, "%s", c->desc);
	cr_expect(strstr(svg, "&lt;&amp; &quot;Trust&quot;&gt;") != NULL, "the title is escaped");
	cr_expect(strstr(svg, "92% standard") && strstr(svg, "65% interim target"));
	cr_expect(strstr(svg, "#005eb8") != NULL || strstr(svg, "#005EB8") != NULL, "an improving point is blue");
	cr_assert_eq(c->data.nrows, 24);
	cr_assert_eq(c->data.ncols, 6);
	cr_expect_str_eq(c->data.cells[23 * 6 + 1], "72%");
	cr_expect_str_eq(c->data.cells[23 * 6 + 2], "60.6%");
	cr_expect(strncmp(c->data.cells[23 * 6 + 5], "Special cause, improving (outside the limits", 44) == 0, "%s",
		  c->data.cells[23 * 6 + 5]);
	cr_expect_str_eq(c->data.cells[0 * 6 + 5], "Common cause");
	/* The verdicts for the page, and the Making Data Count icons. */
	cr_assert(c->variation && c->assurance);
	cr_expect(strstr(c->variation, "Special cause variation, improving") != NULL, "%s", c->variation);
	cr_expect(strstr(c->assurance, "consistently miss the 92% standard") != NULL, "%s", c->assurance);
	cr_expect(strstr(svg, "<title>Variation: special cause, improving (higher)</title>") != NULL,
		  "a blue H variation icon");
	cr_expect(strstr(svg, ">H<title>Variation") != NULL);
	cr_expect(strstr(svg, "<title>Assurance: the process will consistently miss the target</title>") != NULL,
		  "an orange F assurance icon for the standard");
	cr_expect(strstr(svg, ">F<title>Assurance") != NULL);
	free(svg);
	chart_free(c);
	tbl_free(t);
}

/* A standard of 0 where lower is better (nobody over 52 weeks): the
 * verdict names "the standard of zero", not "the 0% standard". */
Test(chart_spc, a_standard_of_zero_in_words, .init = setup, .fini = teardown)
{
	mm_table *t = spc_series(0);
	chart_spec s;
	chart_spec_init(&s, CHART_SPC);
	s.x = "month_end", s.y = "y", s.suffix = "%";
	s.target = 0, s.better = -1;
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert(c->assurance);
	cr_expect(strstr(c->assurance, "consistently miss the standard of zero") != NULL, "%s", c->assurance);
	cr_expect(strstr(c->variation, "Special cause variation, concerning") != NULL, "%s", c->variation);
	char *svg = svg_of(c);
	cr_expect(strstr(svg, "<title>Variation: special cause, concerning (higher)</title>") != NULL, "orange H");
	free(svg);
	chart_free(c);
	tbl_free(t);
}

Test(chart_spc, a_withheld_month_gives_no_limits, .init = setup, .fini = teardown)
{
	mm_table *t = spc_series(1);
	chart *c = spc_chart_of(t, 1);
	cr_expect(strstr(c->desc, "Not assessed: 1 month is between 1 and 7") != NULL, "%s", c->desc);
	cr_expect(strstr(c->desc, "; process limits") == NULL, "no limits from a series with a withheld month");
	cr_expect_str_eq(c->data.cells[5 * 6 + 1], "*");
	chart_free(c);
	tbl_free(t);
}

/* ---- Labels fit and colours stand for categories ----------------------------- */

/* Left and right ends of a text as text_width measures it. */
static void text_extent(const shape *s, double *x0, double *x1)
{
	double w = text_width(s->text, s->size, s->bold);
	*x0 = s->anchor == ANCHOR_START ? s->x : s->anchor == ANCHOR_MIDDLE ? s->x - w / 2 : s->x - w;
	*x1 = *x0 + w;
}

/* Every upright text lies inside the viewBox. */
static void expect_text_inside(const chart *c, const char *what)
{
	for (size_t i = 0; i < c->n; i++) {
		const shape *s = &c->v[i];
		if (s->kind != SH_TEXT || s->rotate != 0)
			continue;
		double x0, x1;
		text_extent(s, &x0, &x1);
		cr_expect(x0 >= -0.05 && x1 <= c->width + 0.05 && s->y - s->size >= -0.05 && s->y <= c->height + 0.05,
			  "%s: '%s' spans x %.1f..%.1f, y %.1f of %gx%g", what, s->text, x0, x1, s->y, c->width, c->height);
	}
}

/* Widths that Chromium gives these strings in DejaVu Sans, the sans-serif
 * of a Linux desktop that lacks Arial: the estimate must not fall short. */
Test(chart_scale, text_width_holds_for_dejavu_sans)
{
	static const struct { const char *s; double size; int bold; double px; } m[] = {
		{"Harrowdale Royal Infirmary", 12, 0, 163.68},
		{"Patient no longer wants the appointment or treatment", 12, 0, 326.50},
		{"int_patient_engagement", 12, 0, 146.69},
		{"int_patient_comorbidities", 12, 1, 171.91},
		{"Exposures", 13, 1, 75.46},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		double w = text_width(m[i].s, m[i].size, m[i].bold);
		cr_expect(w >= m[i].px && w <= m[i].px * 1.05, "'%s': %.2f, drawn %.2f", m[i].s, w, m[i].px);
	}
}

static mm_table *reasons(void)
{
	static const char *const x[] = {
		"Patient no longer wants the appointment or treatment",
		"A & B <clinic> rescheduled because the consultant was called to an emergency in another hospital",
		"ENT",
	};
	mm_table *t = tbl_new("reasons", &sp);
	int xc = tbl_add_col(t, "reason", T_STR), yc = tbl_add_col(t, "events", T_INT);
	for (int i = 0; i < 3; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, xc, r, x[i]);
		tbl_set_int(t, yc, r, 300 - 90 * i);
	}
	return t;
}

Test(chart_labels, long_labels_fit_or_are_cut_with_a_title, .init = setup, .fini = teardown)
{
	mm_table *t = reasons();
	for (int pdf = 0; pdf < 2; pdf++) {
		chart_spec s;
		chart_spec_init(&s, CHART_BAR);
		s.x = "reason", s.y = "events", s.horizontal = 1, s.title = "Reasons";
		s.width = pdf ? 680 : 0, s.height = pdf ? 360 : 0;
		char err[200];
		chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
		cr_assert(c, "%s", err);
		expect_text_inside(c, pdf ? "680 wide" : "960 wide");
		int whole = 0, cut = 0;
		for (size_t i = 0; i < c->n; i++) {
			const shape *v = &c->v[i];
			if (v->kind != SH_TEXT)
				continue;
			if (!strcmp(v->text, "Patient no longer wants the appointment or treatment")) {
				/* drawn whole at 960: as wide as Chromium draws it, from x >= 0 */
				whole = 1;
				cr_expect(v->anchor == ANCHOR_END && v->x - 326.5 >= 0, "starts at %g", v->x - 326.5);
			}
			if (strncmp(v->text, "A & B", 5) == 0) {
				cut = 1;
				cr_expect(strstr(v->text, "\xE2\x80\xA6") != NULL, "'%s' is not shortened", v->text);
				cr_expect(v->title && strstr(v->title, "another hospital"), "no full text in a tooltip");
			}
		}
		cr_expect(whole || pdf, "the 52-character label is not drawn whole at 960");
		if (!pdf) { /* the longest label sets the gutter: it must hold it as drawn */
			static const size_t two[] = {0, 2};
			chart *d = chart_build(&s, t, two, 2, err, sizeof err);
			cr_assert(d, "%s", err);
			expect_text_inside(d, "two reasons");
			for (size_t i = 0; i < d->n; i++)
				if (d->v[i].kind == SH_TEXT && !strncmp(d->v[i].text, "Patient no longer", 17))
					cr_expect(d->v[i].x - 326.5 >= 0 && !strstr(d->v[i].text, "\xE2\x80\xA6"),
						  "'%s' starts at %g", d->v[i].text, d->v[i].x - 326.5);
			chart_free(d);
		}
		cr_expect(cut, "the long label is missing");
		char *svg = svg_of(c);
		cr_expect(strstr(svg, "<title>A &amp; B &lt;clinic&gt; rescheduled") != NULL, "tooltip not escaped");
		free(svg);
		chart_free(c);
	}
	tbl_free(t);
}

/* The fill of the legend swatch of label in svg ("" if none). */
static void swatch_of(const char *svg, const char *label, char *out, size_t n)
{
	char want[200];
	snprintf(want, sizeof want, "fill=\"#212b32\">%s</text>", label);
	const char *p = strstr(svg, want);
	snprintf(out, n, "%s", "");
	if (!p)
		return;
	const char *q = p;
	while (q > svg && strncmp(q, "<rect", 5) != 0) /* the swatch is the rect before the text */
		q--;
	const char *f = strstr(q, "fill=\"#");
	if (f && f < p)
		snprintf(out, n, "%.7s", f + 6);
}

/* Stacked bars of count by specialty and priority, from the given
 * priorities (NULL: not recorded) with one value per (specialty, priority). */
static chart *priority_chart(const char *const *prio, size_t n, int star)
{
	mm_table *t = tbl_new("prio", &sp);
	int xc = tbl_add_col(t, "specialty", T_STR), sc = tbl_add_col(t, "priority", T_STR);
	int yc = tbl_add_col(t, "count", T_NUM), pc = tbl_add_col(t, "star", T_BOOL);
	for (int k = 0; k < 3; k++)
		for (size_t j = 0; j < n; j++) {
			size_t r = tbl_add_row(t);
			tbl_set_str(t, xc, r, specialties[k]);
			if (prio[j])
				tbl_set_str(t, sc, r, prio[j]);
			int withheld = star && k == 1 && j == 0;
			tbl_set_num(t, yc, r, withheld ? NAN : 10.0 + 5 * (double)(j + k));
			tbl_set_bool(t, pc, r, withheld);
		}
	chart_spec s;
	chart_spec_init(&s, CHART_STACKED_BAR);
	s.x = "specialty", s.series = "priority", s.y = "count", s.suppressed = "star";
	s.series_order = "P1a|P1b|P2|P3|P4";
	char err[200];
	chart *c = chart_build(&s, t, NULL, 0, err, sizeof err);
	cr_assert(c, "%s", err);
	tbl_free(t);
	return c;
}

Test(chart_palette, a_category_has_one_colour_on_every_chart, .init = setup, .fini = teardown)
{
	const char *all[] = {"P1a", "P1b", "P2", "P3", "P4", NULL};
	const char *few[] = {"P4", NULL, "P3"};
	chart *a = priority_chart(all, 6, 0), *b = priority_chart(few, 3, 0);
	char *sa = svg_of(a), *sb = svg_of(b);
	const char *labels[] = {"P3", "P4", "Not recorded"};
	for (size_t i = 0; i < 3; i++) {
		char ca[16], cb[16];
		swatch_of(sa, labels[i], ca, sizeof ca);
		swatch_of(sb, labels[i], cb, sizeof cb);
		cr_expect(*ca && !strcmp(ca, cb), "%s: %s on one chart, %s on the other", labels[i], ca, cb);
	}
	char nr[16];
	swatch_of(sa, "Not recorded", nr, sizeof nr);
	cr_expect_str_eq(nr, "#768692", "not recorded is neutral grey");
	free(sa);
	free(sb);
	chart_free(a);
	chart_free(b);

	/* Fixed categories, and a stable colour for any other label, distinct
	 * within a chart. */
	cr_expect_eq(palette_category_fixed("Not recorded"), NHS_MID_GREY);
	cr_expect_eq(palette_category_fixed("unknown"), NHS_MID_GREY);
	cr_expect_eq(palette_category_fixed("High"), palette_category_fixed("P1a"));
	cr_expect_neq(palette_category_fixed("Other"), NHS_MID_GREY);
	cr_expect_eq(palette_category_fixed("North Hospital"), COLOUR_NONE);
	const char *one[] = {"North Hospital", "South Hospital"}, *two[] = {"West Clinic", "North Hospital", "Unknown"};
	cr_expect_eq(palette_category(one, 2, 0), palette_category(two, 3, 1));
	cr_expect_neq(palette_category(one, 2, 0), palette_category(one, 2, 1));
	const char *seven[] = {"a", "b", "c", "d", "e", "f", "g"};
	for (size_t i = 0; i < 7; i++)
		for (size_t j = 0; j < i; j++)
			cr_expect_neq(palette_category(seven, 7, i), palette_category(seven, 7, j), "%zu and %zu", i, j);
}

Test(chart, a_withheld_segment_is_named_in_the_legend, .init = setup, .fini = teardown)
{
	const char *prio[] = {"P2", "P3", "P4"};
	chart *c = priority_chart(prio, 3, 1);
	char *svg = svg_of(c);
	cr_expect(strstr(svg, ">Parts of 1 to 7 are not drawn, to protect privacy<") != NULL, "no legend key");
	cr_expect(strstr(svg, "1 part of 1 to 7 not shown") != NULL, "no * after the bar");
	expect_text_inside(c, "stacked");
	free(svg);
	chart_free(c);
	c = priority_chart(prio, 3, 0);
	svg = svg_of(c);
	cr_expect(strstr(svg, "Parts of 1 to 7") == NULL, "a key with nothing withheld");
	free(svg);
	chart_free(c);
}
