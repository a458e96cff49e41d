/* Block evaluation shared by the HTML and PDF back-ends (see blocks.h). */
#include "query/blocks.h"
#include "models/marts/kpi_summary.h"
#include "registry/disclosure.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *blk_opt(const tpl_block *b, const char *key)
{
	for (int i = 0; i < b->nchart_opts; i++)
		if (!strcmp(b->chart_opts[i].key, key))
			return b->chart_opts[i].val;
	return NULL;
}

char *blk_title(const blk_env *e, const tpl_block *b)
{
	if (!b->title)
		return NULL;
	return tpl_text(e->cat, e->ent, b->title);
}

/* ---- Notes ---- */

char *blk_empty_text(const blk_env *e, const tpl_block *b, const tpl_result *r)
{
	buf o = {0};
	buf_puts(&o, "");
	if (r->missing)
		buf_printf(&o, "Not available: the model %s was not built in this run (an upstream data test failed; "
			       "see the data-quality page).", b->q.model.s);
	else if (b->empty) {
		char *t = tpl_text(e->cat, e->ent, b->empty);
		buf_puts(&o, t);
		free(t);
	} else if (!e->cat->has_capacity && r->src && r->src->def && r->src->def->flags & MODEL_CAPACITY_PLAN)
		buf_puts(&o, "No capacity data: this data set has no sessions.csv, so planned capacity cannot be "
			     "compared with activity.");
	else
		buf_puts(&o, "No matching records.");
	return o.s;
}

static int has_figures(const tpl_result *r)
{
	for (int c = 0; c < r->ncols; c++)
		if (r->cols[c].count || r->cols[c].pct || r->cols[c].ratio || r->cols[c].type == T_NUM)
			return 1;
	return 0;
}

/* Whether the caption already says how many rows are shown ("The 15
 * most common ...", "The last six months"): then no note repeats it. */
static int title_says(const char *title, size_t n)
{
	static const char *const words[] = {"", "one", "two", "three", "four", "five", "six",
					    "seven", "eight", "nine", "ten", "eleven", "twelve"};
	if (!title)
		return 0;
	char num[24];
	snprintf(num, sizeof num, "%zu", n);
	size_t k = strlen(num);
	for (const char *p = title; *p; p++) {
		int start = p == title || !isalnum((unsigned char)p[-1]);
		if (!start)
			continue;
		if (!strncmp(p, num, k) && !isalnum((unsigned char)p[k]))
			return 1;
		if (n < sizeof words / sizeof words[0]) {
			size_t w = strlen(words[n]);
			if (!strncasecmp(p, words[n], w) && !isalnum((unsigned char)p[w]))
				return 1;
		}
	}
	return 0;
}

/* "Showing 15 of 45 rows: those with the highest Events." The order
 * that chose them comes from the first sort key. */
static void limit_note(buf *out, const tpl_result *r, const tpl_query *q)
{
	char a[FMT_MAX], b[FMT_MAX];
	buf_printf(out, "Showing %s of %s rows", fmt_int(a, (int64_t)r->nrows), fmt_int(b, (int64_t)r->total));
	int c = q && q->nsort ? res_col_index(r, q->sort[0].key) : -1;
	if (c < 0 || q->sort[0].norder) {
		buf_puts(out, ": the first in the table's order. ");
		return;
	}
	const res_col *rc = &r->cols[c];
	int desc = q->sort[0].desc;
	int text = rc->type == T_STR || rc->type == T_BOOL, when = rc->type == T_DATE || rc->type == T_TS;
	if (text)
		buf_printf(out, ": the %s in alphabetical order of ", desc ? "last" : "first");
	else
		buf_printf(out, ": the %s by ", when ? (desc ? "most recent" : "earliest") : desc ? "highest" : "lowest");
	char *hl = rc->label ? NULL : tpl_humanise(rc->name);
	buf_puts(out, rc->label ? rc->label : hl);
	free(hl);
	buf_puts(out, ". ");
}

void blk_result_notes(buf *out, const tpl_result *r, const tpl_query *q, const char *title)
{
	buf_puts(out, "");
	int limited = r->total > r->nrows && !title_says(title, r->nrows);
	int sdc = r->controlled && has_figures(r);
	int zeros = 0;
	for (size_t i = 0; sdc && i < r->nrows && !zeros; i++)
		for (int c = 0; c < r->ncols && !zeros; c++)
			zeros = res_at(r, i, c)->star0;
	if (limited)
		limit_note(out, r, q);
	if (sdc)
		buf_puts(out, zeros ? "Counts are rounded to the nearest 5 and counts of 1 to 7 are shown as *; in a "
				      "column with a *, zeros are shown as * too. Rates use the rounded figures."
				    : "Counts are rounded to the nearest 5 and counts of 1 to 7 are shown as *; rates use the "
				      "rounded figures.");
}

/* ---- Charts ---- */

/* The aggregated (and, for board, rounded) result as a small table the
 * chart module sums again: one row per x and series, so the sum is the
 * value. Suppressed values are flagged in a "star" column, so that the
 * chart marks them "*" instead of leaving a gap that reads as zero. */
static mm_table *chart_input(const tpl_result *r, int has_series, int *stars)
{
	mm_table *t = tbl_new("chart", r->src->t->sp);
	int cx = tbl_add_col(t, r->cols[0].name, r->cols[0].type == T_BOOL ? T_STR : r->cols[0].type);
	int cs = has_series ? tbl_add_col(t, r->cols[1].name, T_STR) : -1;
	int yi = has_series ? 2 : 1;
	int cy = tbl_add_col(t, "y", T_NUM);
	int cst = tbl_add_col(t, "star", T_BOOL);
	*stars = 0;
	char tmp[FMT_MAX];
	for (size_t i = 0; i < r->nrows; i++) {
		size_t row = tbl_add_row(t);
		const res_cell *xv = res_at(r, i, 0);
		switch (t->cols[cx].type) {
		case T_STR:
			tbl_set_str(t, cx, row, res_fmt(&r->cols[0], xv, tmp));
			break;
		case T_INT:
		case T_TS:
			if (!isnan(xv->v))
				tbl_set_int(t, cx, row, (int64_t)xv->v);
			break;
		case T_NUM: tbl_set_num(t, cx, row, xv->v); break;
		default:
			if (!isnan(xv->v))
				t->cols[cx].v.i32[row] = (int32_t)xv->v;
			break;
		}
		if (cs >= 0) {
			const res_cell *sv = res_at(r, i, 1);
			tbl_set_str(t, cs, row, res_fmt(&r->cols[1], sv, tmp));
		}
		const res_cell *yv = res_at(r, i, yi);
		double y = yv->star ? NAN : yv->v;
		if (r->cols[yi].ratio)
			y *= 100.0;
		tbl_set_num(t, cy, row, y);
		tbl_set_bool(t, cst, row, yv->star);
		*stars |= yv->star;
	}
	return t;
}

/* Histograms are binned here, on exact figures, and disclosure control is
 * applied to each bin: rounding first and binning after would hide most
 * bins of a small area. The chart module then draws one bin per row. */
static void bin_histogram(tpl_result *r, int yi, int want, double *width)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < r->nrows; i++) {
		double x = res_at(r, i, 0)->v;
		if (!isnan(x)) {
			lo = fmin(lo, x);
			hi = fmax(hi, x);
		}
	}
	if (!(hi >= lo))
		return;
	double w = hi > lo ? nice_step(hi - lo, want > 0 ? want : 20) : 1;
	if (r->cols[0].type == T_INT && w < 1)
		w = 1;
	double start = floor(lo / w) * w;
	size_t nb = (size_t)floor((hi - start) / w) + 1;
	double *sum = xcalloc(nb, sizeof *sum);
	for (size_t i = 0; i < r->nrows; i++) {
		double x = res_at(r, i, 0)->v, y = res_at(r, i, yi)->v;
		if (!isnan(x) && !isnan(y))
			sum[(size_t)floor((x - start) / w)] += y;
	}
	res_cell *cells = xcalloc(nb * (size_t)r->ncols, sizeof *cells);
	size_t *rep = xcalloc(nb, sizeof *rep);
	free(r->cells);
	free(r->rep);
	r->cells = cells;
	r->rep = rep;
	r->nrows = nb;
	for (size_t k = 0; k < nb; k++) {
		res_cell *xc = res_at(r, k, 0), *yc = res_at(r, k, yi);
		xc->v = start + w * (double)k;
		yc->v = sum[k];
		if (r->controlled && r->cols[yi].count) {
			int64_t v = sdc_round((int64_t)llround(sum[k]));
			if (v == SDC_STAR)
				yc->star = 1;
			else
				yc->v = (double)v;
		}
	}
	*width = w;
	r->total = nb; /* every bin is drawn: no "first N of M" note */
	free(sum);
}

static int truthy(const char *v)
{
	return v && (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"));
}

blk_chart_state blk_chart_eval(blk_env *e, const tpl_block *b, blk_chart *out)
{
	memset(out, 0, sizeof *out);
	tpl_query q = b->q;
	q.limit = 0; /* the chart keeps its top categories itself */
	q.nsort = 0;
	tpl_name g[2] = {b->x, b->series};
	q.group = g;
	q.ngroup = b->series.s ? 2 : 1;
	tpl_measure count = {.fn = FN_COUNT, .text = "count"};
	if (q.nms == 0) {
		q.ms = &count;
		q.nms = 1;
	}
	q.nhidden = 0;
	int histogram = b->chart_kind && !strcmp(b->chart_kind, "histogram");
	double bin_width = 0;
	qctx x = {e->cat, e->ent, e->cache, histogram};
	tpl_eval(&x, &q, NULL, &out->r);
	tpl_result *r = &out->r;
	if (histogram) {
		const char *bv = blk_opt(b, "bins");
		bin_histogram(r, q.ngroup, bv ? atoi(bv) : 0, &bin_width);
	}
	/* The result keeps pointers into q only for names; the group and
	 * measure arrays above are not referenced after tpl_eval. */
	out->title = blk_title(e, b);
	if (r->nrows == 0 || r->missing)
		return out->state = BLK_CHART_EMPTY;
	int yi = q.ngroup, shown = 0;
	for (size_t i = 0; i < r->nrows; i++)
		shown |= !res_at(r, i, yi)->star;
	if (!shown)
		return out->state = BLK_CHART_STARRED;

	chart_spec s;
	chart_kind kind = CHART_BAR;
	chart_kind_parse(b->chart_kind, &kind);
	chart_spec_init(&s, kind);
	s.x = r->cols[0].name;
	s.series = b->series.s ? r->cols[1].name : NULL;
	s.y = "y";
	s.title = out->title;
	const char *xl = blk_opt(b, "x_label"), *yl = blk_opt(b, "y_label");
	char *xls = tpl_text(e->cat, e->ent, xl), *yls = tpl_text(e->cat, e->ent, yl);
	s.x_label = xls ? xls : r->cols[0].label;
	s.y_label = yls ? yls : (b->nlabels ? b->labels[0] : r->cols[yi].label);
	const char *v;
	char *target = tpl_text(e->cat, e->ent, blk_opt(b, "target"));
	char *target_label = tpl_text(e->cat, e->ent, blk_opt(b, "target_label"));
	if (target)
		s.target = strtod(target, NULL);
	s.target_label = target_label;
	char *interim_label = tpl_text(e->cat, e->ent, blk_opt(b, "interim_label"));
	if ((v = blk_opt(b, "interim")))
		s.interim = strtod(v, NULL);
	s.interim_label = interim_label;
	s.better = (v = blk_opt(b, "better")) && !strcmp(v, "lower") ? -1 : 1;
	s.suffix = blk_opt(b, "suffix");
	if (!s.suffix && (r->cols[yi].pct || r->cols[yi].ratio))
		s.suffix = "%";
	if (histogram)
		s.bin_width = bin_width;
	else if ((v = blk_opt(b, "bins")))
		s.bins = atoi(v);
	if (b->q.limit > 0)
		s.limit = (int)b->q.limit;
	if ((v = blk_opt(b, "order")))
		chart_order_parse(v, &s.order);
	s.x_order = blk_opt(b, "x_order");
	s.series_order = blk_opt(b, "series_order");
	s.horizontal = truthy(blk_opt(b, "horizontal"));
	char id[32];
	snprintf(id, sizeof id, "chart-%d", ++e->ncharts);
	s.id = id;
	s.width = e->chart_w;
	s.height = e->chart_h;
	int stars;
	mm_table *t = chart_input(r, b->series.s != NULL, &stars);
	if (stars)
		s.suppressed = "star";
	char err[256];
	out->c = chart_build(&s, t, NULL, t->nrows, err, sizeof err);
	if (!out->c) {
		diag(DIAG_ERROR, e->tpl->path, b->line, b->col, "chart: %s", err);
		out->state = BLK_CHART_ERROR;
	}
	tbl_free(t);
	free(xls);
	free(yls);
	free(target);
	free(target_label);
	free(interim_label);
	return out->state;
}

void blk_chart_free(blk_chart *c)
{
	if (c->c)
		chart_free(c->c);
	free(c->title);
	tpl_result_free(&c->r);
	memset(c, 0, sizeof *c);
}

/* ---- Diagrams ---- */

chart *blk_diagram(const tpl_block *b, const char *href_prefix)
{
	chart *c;
	if (!strcmp(b->chart_kind, "lineage"))
		c = lineage_diagram(NULL, href_prefix);
	else if (!strcmp(b->chart_kind, "sources"))
		c = er_diagram(href_prefix);
	else
		c = data_model_diagram(href_prefix);
	return c;
}

/* ---- KPIs ---- */

typedef struct kpi_row {
	const char *kpi, *label, *unit, *direction, *status, *definition;
	double value, standard, interim; /* interim: NAN when none; for a count, a % of the list */
} kpi_row;

static int kpi_lookup(const tpl_catalog *cat, const char *kpi, kpi_row *k)
{
	const tpl_source *s = tpl_catalog_find(cat, "kpi_summary");
	if (!s || !s->t)
		return -1;
	const mm_table *t = s->t;
	int c = tbl_col(t, "kpi");
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(tbl_str(t, c, r), kpi)) {
			k->kpi = kpi;
			k->label = tbl_str(t, tbl_col(t, "label"), r);
			k->unit = tbl_str(t, tbl_col(t, "unit"), r);
			k->direction = tbl_str(t, tbl_col(t, "direction"), r);
			k->status = tbl_str(t, tbl_col(t, "status"), r);
			k->definition = tbl_str(t, tbl_col(t, "definition"), r);
			k->value = tbl_num(t, tbl_col(t, "value"), r);
			k->standard = tbl_num(t, tbl_col(t, "standard"), r);
			int ci = tbl_col(t, "interim");
			k->interim = ci >= 0 ? tbl_num(t, ci, r) : NAN;
			return 0;
		}
	return -1;
}

static const char *fmt_kpi(char *out, const char *unit, double v)
{
	char tmp[FMT_MAX];
	if (isnan(v))
		return strcpy(out, "not measured");
	if (!strcmp(unit, "percent")) /* one decimal always: "16.0%" beside "46.8%" */
		return fmt_pct(out, v, 1);
	if (!strcmp(unit, "count"))
		return fmt_int(out, (int64_t)llround(v));
	snprintf(out, FMT_MAX, "%s %s", fmt_num(tmp, v, 1), unit);
	return out;
}

/* A KPI figure as published: for the board, counts follow the same rule at
 * every level (1 to 7 as "*", others to the nearest 5), so that the figure
 * for all areas cannot be differenced against the areas' own. Returns the
 * figure shown (SDC_STAR when withheld) through *shown when not NULL. */
static const char *fmt_kpi_sdc(const blk_env *e, char *out, const char *unit, double v, int64_t *shown)
{
	if (shown)
		*shown = INT64_MIN;
	if (e->cat->clinical || strcmp(unit, "count") || isnan(v))
		return fmt_kpi(out, unit, v);
	int64_t r = sdc_round((int64_t)llround(v));
	if (shown)
		*shown = r;
	if (r == SDC_STAR)
		return strcpy(out, "*");
	return fmt_kpi(out, unit, (double)r);
}

/* Rows of a catalog table whose column col holds val; -1 when the table
 * or column is missing. */
static int64_t rows_where(const tpl_catalog *cat, const char *model, const char *col, const char *val)
{
	const tpl_source *s = tpl_catalog_find(cat, model);
	int c = s && s->t ? tbl_col(s->t, col) : -1;
	if (c < 0 || s->t->cols[c].type != T_STR)
		return -1;
	int64_t n = 0;
	for (size_t r = 0; r < s->t->nrows; r++) {
		const char *x = tbl_str(s->t, c, r);
		n += x && !strcmp(x, val);
	}
	return n;
}

/* The top level's rates and statistics (the percentages and waits of
 * kpi_summary; counts go through fmt_kpi_sdc) as published for the board.
 * Exact when the build has enough open pathways for its top level to be
 * exempt (sdc_top_level_exempt); below that the top level is a small area
 * like any other: a percentage is worked out from its rounded numerator
 * and denominator ("*" when either is 1 to 7, or when its denominator is
 * not known here), a wait statistic over 1 to 7 pathways is "*". Returns 1
 * when *v was changed or withheld (*star), so that a status computed from
 * the exact figure is not shown beside it. */
static int top_level_control(const blk_env *e, const kpi_row *k, double *v, int *star)
{
	*star = 0; /* 1: 1 to 7 people; 2: withheld because the build is small */
	if (e->cat->clinical || !strcmp(k->unit, "count") || isnan(*v))
		return 0;
	kpi_row list;
	int64_t n = kpi_lookup(e->cat, "list_size", &list) || isnan(list.value) ? INT64_MIN : llround(list.value);
	if (sdc_top_level_exempt(n))
		return 0;
	if (strcmp(k->unit, "percent")) { /* a wait over the list */
		*star = n == INT64_MIN ? 2 : sdc_small(n);
		return *star != 0;
	}
	/* The denominator is the one kpi_summary declares with the KPI. */
	const kpi_denominator *d = kpi_denominator_of(k->kpi);
	int64_t den = -1;
	kpi_row of;
	if (d && d->kpi)
		den = kpi_lookup(e->cat, d->kpi, &of) || isnan(of.value) ? -1 : llround(of.value);
	else if (d && d->model)
		den = rows_where(e->cat, d->model, d->col, d->val);
	double pct = NAN;
	if (den < 0)
		*star = 2;
	else if (sdc_pct(llround(*v * (double)den / 100.0), den, &pct))
		*star = 1;
	else
		*v = pct;
	return 1;
}

const char *blk_rag_text(const char *status, int long_form)
{
	static const struct { const char *s, *l, *sh; } b[] = {
		{"green", "Green: meets the standard", "Green"},
		{"amber", "Amber: short of the standard", "Amber"},
		{"red", "Red: well short of the standard", "Red"},
		/* An empty list meets no standard: it has nothing to judge. */
		{"no_pathways", "No pathways", "No pathways"},
	};
	for (size_t i = 0; status && i < sizeof b / sizeof b[0]; i++)
		if (!strcmp(status, b[i].s))
			return long_form ? b[i].l : b[i].sh;
	return NULL;
}

/* Status of an entity's value, with the meaning it has everywhere (the
 * national tiles of kpi_summary too): green if it meets the standard, amber
 * if it misses it but meets the national interim target, red otherwise. A
 * count's interim target is a share of the area's list (den rows of the
 * block's table: over 52 weeks under 1% of its pathways). */
static const char *local_status(const kpi_row *k, double v, double den)
{
	if (isnan(k->standard) || isnan(v))
		return "none";
	int higher = !strcmp(k->direction, "higher_better");
	if (higher ? v >= k->standard : v <= k->standard)
		return "green";
	if (isnan(k->interim))
		return "red";
	double mine = v;
	if (!strcmp(k->unit, "count")) {
		if (!(den > 0))
			return "red";
		mine = 100.0 * v / den;
		return mine < k->interim ? "amber" : "red";
	}
	return (higher ? mine >= k->interim : mine <= k->interim) ? "amber" : "red";
}

/* Rows of the block's table in scope (the page's entity, or everyone). */
static double scope_rows(blk_env *e, const tpl_block *b, int everyone)
{
	tpl_query q = b->q;
	tpl_measure count = {.fn = FN_COUNT, .text = "count"};
	q.ms = &count;
	q.nms = 1;
	q.nhidden = q.ngroup = q.nsort = 0;
	q.limit = 0;
	q.scope_all = everyone;
	qctx x = {e->cat, e->ent, e->cache, 1};
	tpl_result r;
	tpl_eval(&x, &q, NULL, &r);
	double n = r.nrows ? res_at(&r, 0, 0)->v : NAN;
	tpl_result_free(&r);
	return n;
}

/* q's conditions followed by the KPI line's own, in a new array that q
 * now points at (the caller frees it; the conditions are borrowed). */
static tpl_cond *with_line_conds(tpl_query *q, const tpl_kpi_line *l)
{
	tpl_cond *conds = xcalloc((size_t)(q->nconds + l->nconds) + 1, sizeof *conds);
	if (q->nconds)
		memcpy(conds, q->conds, (size_t)q->nconds * sizeof *conds);
	if (l->nconds)
		memcpy(conds + q->nconds, l->conds, (size_t)l->nconds * sizeof *conds);
	q->conds = conds;
	q->nconds += l->nconds;
	return conds;
}

int blk_kpi_eval(blk_env *e, const tpl_block *b, int i, blk_kpi *out)
{
	memset(out, 0, sizeof *out);
	const tpl_kpi_line *l = &b->kpis[i];
	kpi_row k;
	if (kpi_lookup(e->cat, l->kpi, &k))
		return -1;
	double v = k.value;
	const char *status = k.status;
	int star = 0;
	if (l->has_measure) {
		tpl_query q = b->q;
		tpl_cond *conds = with_line_conds(&q, l);
		q.ms = (tpl_measure *)&l->m;
		q.nms = 1;
		q.nhidden = 0;
		q.ngroup = 0;
		q.nsort = 0;
		q.limit = 0;
		qctx x = {e->cat, e->ent, e->cache, 0};
		tpl_result r;
		tpl_eval(&x, &q, NULL, &r);
		v = r.nrows ? res_at(&r, 0, 0)->v : NAN;
		star = r.nrows && res_at(&r, 0, 0)->star;
		const tpl_source *src = tpl_catalog_find(e->cat, b->q.model.s);
		/* Waits measured in days (by the column's declared role) are
		 * shown in the KPI's unit. */
		if (!strcmp(k.unit, "weeks") && src && l->m.a && tpl_source_role(src, l->m.a) == CR_DAYS)
			v /= 7.0;
		tpl_result_free(&r);
		free(conds);
		int counted = !strcmp(k.unit, "count") && !isnan(k.standard);
		double rows = scope_rows(e, b, 0);
		mm_type ty;
		if (!(rows > 0)) /* no pathway of the area: nothing to judge, whatever the standard */
			status = src && tpl_source_col(src, "pathway_id", &ty) >= 0 ? "no_pathways" : "none";
		else
			status = star ? "none" : local_status(&k, v, counted ? rows : NAN);
	}
	double all = k.value;
	int all_star = 0, changed = top_level_control(e, &k, &all, &all_star);
	if (!l->has_measure) {
		v = all;
		star = all_star != 0;
		out->small = all_star == 2;
		if (changed)
			status = "none";
	}
	out->label = k.label;
	out->status = status;
	out->direction = k.direction;
	out->star = star;
	out->local = l->has_measure;
	if (star)
		strcpy(out->value, "*");
	else if (l->has_measure || changed)
		fmt_kpi(out->value, k.unit, v); /* already under control, by tpl_eval */
	else if (!strcmp(fmt_kpi_sdc(e, out->value, k.unit, v, NULL), "*"))
		out->star = 1;
	if (!isnan(k.standard))
		fmt_kpi(out->standard, k.unit, k.standard);
	if (l->has_measure) {
		int64_t shown = INT64_MIN;
		if (all_star)
			strcpy(out->all, "*");
		else if (changed)
			fmt_kpi(out->all, k.unit, all);
		else
			fmt_kpi_sdc(e, out->all, k.unit, all, &shown);
		if (shown != INT64_MIN) {
			/* The same measure over every area: the entity's parts add up to it. */
			tpl_query q = b->q;
			tpl_cond *conds = with_line_conds(&q, l);
			qctx x = {e->cat, e->ent, e->cache, 0};
			tpl_ledger_value(&x, &q, l->m.text, shown);
			free(conds);
		}
	}
	return 0;
}

/* ---- Inline values ---- */

void blk_inline_eval(blk_env *e, const tpl_block *b, blk_inline *out)
{
	memset(out, 0, sizeof *out);
	switch (b->kind) {
	case BLK_KPI: {
		kpi_row k;
		if (kpi_lookup(e->cat, b->kpis[0].kpi, &k)) {
			strcpy(out->pre, "n/a");
			return;
		}
		double v = k.value;
		int star, changed = top_level_control(e, &k, &v, &star);
		if (star) {
			out->star = 1;
			strcpy(out->value, "*");
		} else if (changed)
			fmt_kpi(out->value, k.unit, v);
		else
			fmt_kpi_sdc(e, out->value, k.unit, v, NULL);
		if (!b->kpis[0].plain && !changed)
			out->rag = k.status;
		return;
	}
	case BLK_META:
		if (!strcmp(b->meta, "census"))
			fmt_date_long(out->pre, e->cat->census);
		else if (!strcmp(b->meta, "audience"))
			strcpy(out->pre, e->cat->clinical ? "clinical" : "board");
		else if (!strcmp(b->meta, "version") || !strcmp(b->meta, "rules_file") ||
			 !strcmp(b->meta, "rules_sha256")) {
			/* Provenance: the tool's version, the rules file and its hash. */
			const char *v = !strcmp(b->meta, "version")      ? e->cat->version
					: !strcmp(b->meta, "rules_file") ? e->cat->rules_file
									 : e->cat->rules_sha256;
			snprintf(out->pre, sizeof out->pre, "%s", v && *v ? v : "not recorded");
		}
		else
			snprintf(out->pre, sizeof out->pre, "%s",
				 e->cat->plain_synthea ? "plain Synthea (pathways derived from procedures)"
						       : "Synthea with waiting-list extension tables");
		return;
	default:
		break;
	}
	qctx x = {e->cat, e->ent, e->cache, 0};
	tpl_result r;
	tpl_eval(&x, &b->q, NULL, &r);
	char tmp[FMT_MAX];
	if (r.missing || r.nrows == 0) {
		strcpy(out->pre, b->kind == BLK_TOP ? "none" : "n/a");
	} else if (b->kind == BLK_VALUE) {
		const res_cell *v = res_at(&r, 0, 0);
		if (v->star) {
			out->star = 1;
			strcpy(out->value, "fewer than 8");
		} else
			snprintf(out->value, sizeof out->value, "%s", res_fmt(&r.cols[0], v, tmp));
		/* A null (a rate over nothing, a median of no values) is said in
		 * words: an empty value would leave "overdue ()" in a sentence. */
		if (!*out->value)
			strcpy(out->pre, "not measured");
	} else if (!res_at(&r, 0, 1)->star && (isnan(res_at(&r, 0, 1)->v) || res_at(&r, 0, 1)->v == 0)) {
		strcpy(out->pre, "none (no events recorded)");
	} else {
		const res_cell *k = res_at(&r, 0, 0), *v = res_at(&r, 0, 1);
		snprintf(out->value, sizeof out->value, "%s", res_fmt(&r.cols[0], k, tmp));
		size_t n = strlen(out->value);
		if (n > 1 && out->value[n - 1] == ')') {
			/* "Harrowdale NHS Trust (synthetic)" with 255: one
			 * parenthesis, "(synthetic; 255)", not "(synthetic) (255)". */
			out->value[n - 1] = '\0';
			snprintf(out->post, sizeof out->post, "; %s)", res_fmt(&r.cols[1], v, tmp));
		} else
			snprintf(out->post, sizeof out->post, " (%s)", res_fmt(&r.cols[1], v, tmp));
	}
	tpl_result_free(&r);
}
