/* The HTML renderer: one switch over cmark node types, with data blocks
 * handed to their own writers. Raw HTML in templates is left out, so a
 * template cannot break the page's structure or inject script. */
#include "render/html.h"
#include "render/chart.h"
#include "render/disclosure.h"
#include "render/format.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Page state ---- */

void html_ctx_reset(html_ctx *h)
{
	for (int i = 0; i < h->nids; i++)
		free(h->ids[i]);
	free(h->ids);
	h->ids = NULL;
	h->nids = 0;
	h->ncharts = 0;
	free(h->title);
	h->title = NULL;
}

const char *html_unique_id(html_ctx *h, const char *text)
{
	char base[64];
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && n < sizeof base - 8; p++) {
		if (isalnum(*p)) {
			if (dash && n)
				base[n++] = '-';
			base[n++] = (char)tolower(*p);
			dash = 0;
		} else
			dash = 1;
	}
	base[n] = '\0';
	if (n == 0 || isdigit((unsigned char)base[0])) {
		/* ids start with a letter */
		memmove(base + 2, base, n + 1);
		base[0] = 's';
		base[1] = '-';
	}
	char id[80];
	snprintf(id, sizeof id, "%s", base);
	for (int k = 2;; k++) {
		int used = 0;
		for (int i = 0; i < h->nids && !used; i++)
			used = !strcmp(h->ids[i], id);
		if (!used)
			break;
		snprintf(id, sizeof id, "%s-%d", base, k);
	}
	h->ids = xrealloc(h->ids, (size_t)(h->nids + 1) * sizeof *h->ids);
	h->ids[h->nids] = xstrdup(id);
	return h->ids[h->nids++];
}

/* ---- Text ---- */

static void put_text(html_ctx *h, buf *out, const char *s)
{
	if (h->ent && s && strstr(s, "{{")) {
		char *t = tpl_subst(s, h->ent);
		buf_put_html(out, t);
		free(t);
	} else if (s)
		buf_put_html(out, s);
}

/* Plain text of a node's inlines, placeholders replaced. Caller frees. */
static char *plain_text(html_ctx *h, cmark_node *node)
{
	buf b = {0};
	buf_puts(&b, "");
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(&b, cmark_node_get_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(&b, ' ');
	}
	cmark_iter_free(it);
	char *s = h->ent ? tpl_subst(b.s, h->ent) : xstrdup(b.s);
	buf_free(&b);
	return s;
}

static int is_relative(const char *u)
{
	if (!*u || *u == '/' || *u == '#')
		return 0;
	for (const char *p = u; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return 0; /* has a scheme */
	return 1;
}

/* Links between templates are written to the .md files (so they work in a
 * Markdown viewer too) and point at the .html pages in the site. */
static void put_href(html_ctx *h, buf *out, const char *url)
{
	char *u = h->ent ? tpl_subst(url, h->ent) : xstrdup(url);
	if (is_relative(u)) {
		size_t k = strcspn(u, "?#");
		if (k >= 3 && !strncmp(u + k - 3, ".md", 3)) {
			char *v = xmalloc(strlen(u) + 3);
			snprintf(v, strlen(u) + 3, "%.*s.html%s", (int)(k - 3), u, u + k);
			free(u);
			u = v;
		}
	}
	buf_put_html(out, u);
	free(u);
}

/* ---- Links from table cells to entity pages ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The page of a cell, or NULL. */
static const char *cell_link(html_ctx *h, const tpl_result *r, int c, size_t row, const html_link_dir **dir)
{
	const char *name = r->cols[c].name;
	for (int i = 0; i < h->ndirs; i++) {
		const html_link_dir *d = &h->dirs[i];
		if (h->link_dir ? strcmp(d->dir, h->link_dir) : d->explicit_only)
			continue;
		if (strcmp(name, d->param) && strcmp(name, d->label))
			continue;
		const char *key = NULL;
		int kc = res_col_index(r, d->param);
		if (kc >= 0)
			key = res_at(r, row, kc)->s;
		else if (r->src && r->src->t && tbl_col(r->src->t, d->param) >= 0 &&
			 r->src->t->cols[tbl_col(r->src->t, d->param)].type == T_STR)
			key = tbl_str(r->src->t, tbl_col(r->src->t, d->param), r->rep[row]);
		if (!key || !*key || !bsearch(&key, d->values, d->nvalues, sizeof *d->values, cmp_str))
			return NULL;
		*dir = d;
		return key;
	}
	return NULL;
}

char *html_page_file(const char *key)
{
	char *s = xstrdup(key);
	for (char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
			*p = '_';
	return s;
}

static void put_page_name(buf *out, const char *key)
{
	char *f = html_page_file(key);
	buf_puts(out, f);
	free(f);
}

/* ---- Tables ---- */

static int numeric(const res_col *c)
{
	return c->type != T_STR && c->type != T_BOOL;
}

void html_result_table(html_ctx *h, buf *out, const tpl_result *r, const char *caption)
{
	const char *cap_id = html_unique_id(h, caption && *caption ? caption : "table");
	buf_printf(out, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"%s\" tabindex=\"0\">\n", cap_id);
	buf_printf(out, "<table class=\"data sortable\">\n<caption id=\"%s\">", cap_id);
	buf_put_html(out, caption && *caption ? caption : "Table");
	buf_puts(out, "</caption>\n<thead><tr>");
	for (int c = 0; c < r->ncols; c++) {
		const res_col *rc = &r->cols[c];
		if (rc->hidden)
			continue;
		buf_printf(out, "<th scope=\"col\"%s>", numeric(rc) ? " class=\"num\"" : "");
		buf_put_html(out, rc->label ? rc->label : rc->name);
		buf_puts(out, "</th>");
	}
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	char tmp[FMT_MAX];
	for (size_t i = 0; i < r->nrows; i++) {
		buf_puts(out, "<tr>");
		int first = 1;
		for (int c = 0; c < r->ncols; c++) {
			const res_col *rc = &r->cols[c];
			if (rc->hidden)
				continue;
			const res_cell *v = res_at(r, i, c);
			const char *tag = first && rc->type == T_STR ? "th" : "td";
			buf_printf(out, "<%s%s", tag, first && rc->type == T_STR ? " scope=\"row\"" : "");
			if (rc->ident)
				buf_puts(out, " class=\"id\"");
			if (numeric(rc)) {
				buf_puts(out, " class=\"num\"");
				if (!v->star && !isnan(v->v))
					buf_printf(out, " data-sort=\"%.10g\"", v->v);
				else
					buf_puts(out, " data-sort=\"\"");
			}
			buf_putc(out, '>');
			first = 0;
			if (rc->ident && !h->cat->clinical) {
				/* Validation keeps identifiers off board pages; never print one. */
				buf_printf(out, "withheld</%s>", tag);
				continue;
			}
			const html_link_dir *d = NULL;
			const char *key = rc->type == T_STR && v->s ? cell_link(h, r, c, i, &d) : NULL;
			const char *text = res_fmt(rc, v, tmp);
			if (key) {
				buf_printf(out, "<a href=\"%s%s/", h->root, d->dir);
				put_page_name(out, key);
				buf_puts(out, ".html\">");
			}
			if (v->star)
				buf_puts(out, "<abbr title=\"1 to 7, suppressed to protect privacy\">*</abbr>");
			else
				buf_put_html(out, text);
			if (key)
				buf_puts(out, "</a>");
			buf_printf(out, "</%s>", tag);
		}
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n</table>\n</div>\n");
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
	buf_put_html(out, rc->label ? rc->label : hl);
	free(hl);
	buf_puts(out, ". ");
}

static void result_notes(buf *out, const tpl_result *r, const tpl_query *q, const char *title)
{
	int limited = r->total > r->nrows && !title_says(title, r->nrows);
	int sdc = r->controlled && has_figures(r);
	if (!limited && !sdc)
		return;
	buf_puts(out, "<p class=\"table-note\">");
	if (limited)
		limit_note(out, r, q);
	if (sdc)
		buf_puts(out, "Counts are rounded to the nearest 5 and counts of 1 to 7 are shown as *; rates use the "
			      "rounded figures.");
	buf_puts(out, "</p>\n");
}

/* The block's caption= note, under its table. */
static void put_caption(html_ctx *h, buf *out, const tpl_block *b)
{
	if (!b->caption)
		return;
	buf_puts(out, "<p class=\"table-note\">");
	put_text(h, out, b->caption);
	buf_puts(out, "</p>\n");
}

static void no_rows(html_ctx *h, buf *out, const tpl_block *b, const tpl_result *r)
{
	buf_puts(out, "<p class=\"empty\">");
	if (r->missing)
		buf_printf(out, "Not available: the model <code>%s</code> was not built in this run (an upstream data "
				"test failed; see the data-quality page).", b->q.model.s);
	else if (b->empty)
		put_text(h, out, b->empty);
	else if (!h->cat->has_capacity && r->src && (!strncmp(r->src->name, "fct_capacity", 12) ||
						     !strcmp(r->src->name, "stg_sessions")))
		buf_puts(out, "No capacity data: this data set has no sessions.csv, so planned capacity cannot be "
			      "compared with activity.");
	else
		buf_puts(out, "No matching records.");
	buf_puts(out, "</p>\n");
}

static void render_table(html_ctx *h, buf *out, const tpl_block *b)
{
	qctx x = {h->cat, h->ent, h->cache, 0};
	tpl_result r;
	tpl_eval(&x, &b->q, b, &r);
	char *title = h->ent ? tpl_subst(b->title, h->ent) : (b->title ? xstrdup(b->title) : NULL);
	if (r.nrows == 0) {
		if (title) {
			buf_puts(out, "<p class=\"caption\">");
			buf_put_html(out, title);
			buf_puts(out, "</p>\n");
		}
		no_rows(h, out, b, &r);
	} else {
		h->link_dir = b->link;
		html_result_table(h, out, &r, title);
		h->link_dir = NULL;
		put_caption(h, out, b);
		result_notes(out, &r, &b->q, title);
	}
	free(title);
	tpl_result_free(&r);
}

/* ---- Charts ---- */

static const char *opt(const tpl_block *b, const char *key)
{
	for (int i = 0; i < b->nchart_opts; i++)
		if (!strcmp(b->chart_opts[i].key, key))
			return b->chart_opts[i].val;
	return NULL;
}

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

static int render_chart(html_ctx *h, buf *out, const tpl_block *b)
{
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
	qctx x = {h->cat, h->ent, h->cache, histogram};
	tpl_result r;
	tpl_eval(&x, &q, NULL, &r);
	if (histogram) {
		const char *bv = opt(b, "bins");
		bin_histogram(&r, q.ngroup, bv ? atoi(bv) : 0, &bin_width);
	}
	char *title = h->ent ? tpl_subst(b->title, h->ent) : (b->title ? xstrdup(b->title) : NULL);
	int rc = 0;
	if (r.nrows == 0 || r.missing) {
		if (title) {
			buf_puts(out, "<p class=\"caption\">");
			buf_put_html(out, title);
			buf_puts(out, "</p>\n");
		}
		no_rows(h, out, b, &r);
		goto out;
	}
	int yi = q.ngroup, shown = 0;
	for (size_t i = 0; i < r.nrows; i++)
		shown |= !res_at(&r, i, yi)->star;
	if (!shown) {
		if (title) {
			buf_puts(out, "<p class=\"caption\">");
			buf_put_html(out, title);
			buf_puts(out, "</p>\n");
		}
		buf_puts(out, "<p class=\"empty\">Every figure of this chart is between 1 and 7, so none is shown, to "
			      "protect privacy.</p>\n");
		goto out;
	}
	chart_spec s;
	chart_kind kind = CHART_BAR;
	chart_kind_parse(b->chart_kind, &kind);
	chart_spec_init(&s, kind);
	s.x = r.cols[0].name;
	s.series = b->series.s ? r.cols[1].name : NULL;
	s.y = "y";
	s.title = title;
	const char *xl = opt(b, "x_label"), *yl = opt(b, "y_label");
	char *xls = xl ? tpl_subst(xl, h->ent) : NULL, *yls = yl ? tpl_subst(yl, h->ent) : NULL;
	s.x_label = xls ? xls : r.cols[0].label;
	s.y_label = yls ? yls : (b->nlabels ? b->labels[0] : r.cols[yi].label);
	const char *v;
	if ((v = opt(b, "target")))
		s.target = strtod(v, NULL);
	s.target_label = opt(b, "target_label");
	s.suffix = opt(b, "suffix");
	if (!s.suffix && (r.cols[yi].pct || r.cols[yi].ratio))
		s.suffix = "%";
	if (histogram)
		s.bin_width = bin_width;
	else if ((v = opt(b, "bins")))
		s.bins = atoi(v);
	if (b->q.limit > 0)
		s.limit = (int)b->q.limit;
	if ((v = opt(b, "order")))
		chart_order_parse(v, &s.order);
	s.x_order = opt(b, "x_order");
	s.series_order = opt(b, "series_order");
	if ((v = opt(b, "horizontal")))
		s.horizontal = !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
	char id[32];
	snprintf(id, sizeof id, "chart-%d", ++h->ncharts);
	s.id = id;
	int stars;
	mm_table *t = chart_input(&r, b->series.s != NULL, &stars);
	if (stars)
		s.suppressed = "star";
	char err[256];
	chart *c = chart_build(&s, t, NULL, t->nrows, err, sizeof err);
	if (!c) {
		diag(DIAG_ERROR, h->tpl->path, b->line, b->col, "chart: %s", err);
		h->errors++;
		rc = EXIT_INPUT;
	} else {
		buf_puts(out, "<figure class=\"chart\">\n");
		chart_svg(c, out);
		if (b->caption) {
			buf_puts(out, "<figcaption>");
			put_text(h, out, b->caption);
			buf_puts(out, "</figcaption>\n");
		}
		buf_puts(out, "</figure>\n<details class=\"chart-data\"><summary>Data behind the chart</summary>\n");
		chart_data_table(c, out);
		buf_puts(out, "</details>\n");
		result_notes(out, &r, NULL, title);
		chart_free(c);
	}
	tbl_free(t);
	free(xls);
	free(yls);
out:
	free(title);
	tpl_result_free(&r);
	return rc;
}

/* ---- KPIs ---- */

typedef struct kpi_row {
	const char *label, *unit, *direction, *status, *definition;
	double value, standard;
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
			k->label = tbl_str(t, tbl_col(t, "label"), r);
			k->unit = tbl_str(t, tbl_col(t, "unit"), r);
			k->direction = tbl_str(t, tbl_col(t, "direction"), r);
			k->status = tbl_str(t, tbl_col(t, "status"), r);
			k->definition = tbl_str(t, tbl_col(t, "definition"), r);
			k->value = tbl_num(t, tbl_col(t, "value"), r);
			k->standard = tbl_num(t, tbl_col(t, "standard"), r);
			return 0;
		}
	return -1;
}

static const char *fmt_kpi(char *out, const char *unit, double v)
{
	char tmp[FMT_MAX];
	if (isnan(v))
		return strcpy(out, "n/a");
	if (!strcmp(unit, "percent"))
		return fmt_pct(out, v, v == floor(v) ? 0 : 1);
	if (!strcmp(unit, "count"))
		return fmt_int(out, (int64_t)llround(v));
	snprintf(out, FMT_MAX, "%s %s", fmt_num(tmp, v, 1), unit);
	return out;
}

static void rag_badge(buf *out, const char *status)
{
	static const struct { const char *s, *icon, *text; } b[] = {
		{"green", "&#10003;", "Green: meets the standard"},
		{"amber", "&#9650;", "Amber: short of the standard"},
		{"red", "&#10007;", "Red: well short of the standard"},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		if (!strcmp(status, b[i].s)) {
			buf_printf(out, "<span class=\"rag rag-%s\"><span aria-hidden=\"true\">%s</span> %s</span>", b[i].s,
				   b[i].icon, b[i].text);
			return;
		}
}

static void rag_short(buf *out, const char *status)
{
	static const struct { const char *s, *icon, *text; } b[] = {
		{"green", "&#10003;", "Green"}, {"amber", "&#9650;", "Amber"}, {"red", "&#10007;", "Red"},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		if (!strcmp(status, b[i].s))
			buf_printf(out, " <span class=\"rag rag-%s\"><span aria-hidden=\"true\">%s</span> %s</span>", b[i].s,
				   b[i].icon, b[i].text);
}

/* Status of an entity's value: green if it meets the standard, amber if it
 * misses it but is no worse than the whole list, red otherwise. */
/* Status of an entity's value: green if it meets the standard, amber if it
 * misses it but is no worse than all areas together, red otherwise. Counts
 * are compared as rates per row of the block's table (per pathway): a Trust
 * cannot have as many long waiters as the whole country. */
static const char *local_status(const kpi_row *k, double v, double den, double all_den)
{
	if (isnan(k->standard) || isnan(v))
		return "none";
	int higher = !strcmp(k->direction, "higher_better");
	if (higher ? v >= k->standard : v <= k->standard)
		return "green";
	double mine = v, all = k->value;
	if (!strcmp(k->unit, "count")) {
		if (!(den > 0) || !(all_den > 0))
			return "red";
		mine = v / den;
		all = k->value / all_den;
	}
	if (!isnan(all) && (higher ? mine >= all : mine <= all))
		return "amber";
	return "red";
}

/* Rows of the block's table in scope (the page's entity, or everyone). */
static double scope_rows(html_ctx *h, const tpl_block *b, int everyone)
{
	tpl_query q = b->q;
	tpl_measure count = {.fn = FN_COUNT, .text = "count"};
	q.ms = &count;
	q.nms = 1;
	q.nhidden = q.ngroup = q.nsort = 0;
	q.limit = 0;
	q.scope_all = everyone;
	qctx x = {h->cat, h->ent, h->cache, 1};
	tpl_result r;
	tpl_eval(&x, &q, NULL, &r);
	double n = r.nrows ? res_at(&r, 0, 0)->v : NAN;
	tpl_result_free(&r);
	return n;
}

static void render_kpis(html_ctx *h, buf *out, const tpl_block *b)
{
	char a[FMT_MAX], s[FMT_MAX];
	if (b->title) {
		buf_puts(out, "<p class=\"caption\">");
		put_text(h, out, b->title);
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "<ul class=\"kpis\">\n");
	for (int i = 0; i < b->nkpis; i++) {
		const tpl_kpi_line *l = &b->kpis[i];
		kpi_row k;
		if (kpi_lookup(h->cat, l->kpi, &k))
			continue;
		double v = k.value;
		const char *status = k.status;
		int star = 0;
		if (l->has_measure) {
			tpl_query q = b->q;
			tpl_cond *conds = xcalloc((size_t)(q.nconds + l->nconds) + 1, sizeof *conds);
			if (q.nconds)
				memcpy(conds, q.conds, (size_t)q.nconds * sizeof *conds);
			if (l->nconds)
				memcpy(conds + q.nconds, l->conds, (size_t)l->nconds * sizeof *conds);
			q.conds = conds;
			q.nconds += l->nconds;
			q.ms = (tpl_measure *)&l->m;
			q.nms = 1;
			q.nhidden = 0;
			q.ngroup = 0;
			q.nsort = 0;
			q.limit = 0;
			qctx x = {h->cat, h->ent, h->cache, 0};
			tpl_result r;
			tpl_eval(&x, &q, NULL, &r);
			v = r.nrows ? res_at(&r, 0, 0)->v : NAN;
			star = r.nrows && res_at(&r, 0, 0)->star;
			/* Waits measured in days are shown in the KPI's unit. */
			size_t an = l->m.a ? strlen(l->m.a) : 0;
			if (!strcmp(k.unit, "weeks") && an > 5 && !strcmp(l->m.a + an - 5, "_days"))
				v /= 7.0;
			tpl_result_free(&r);
			free(conds);
			int counted = !strcmp(k.unit, "count") && !isnan(k.standard);
			status = star ? "none"
				      : local_status(&k, v, counted ? scope_rows(h, b, 0) : NAN,
						     counted ? scope_rows(h, b, 1) : NAN);
		}
		buf_printf(out, "<li class=\"kpi kpi-%s\">\n<p class=\"kpi-label\">", status);
		buf_put_html(out, k.label);
		buf_puts(out, "</p>\n<p class=\"kpi-value\">");
		buf_put_html(out, star ? "*" : fmt_kpi(a, k.unit, v));
		buf_puts(out, "</p>\n");
		if (star)
			buf_puts(out, "<p class=\"kpi-std\">Between 1 and 7: not shown, to protect privacy.</p>\n");
		rag_badge(out, status);
		buf_puts(out, "\n<p class=\"kpi-std\">");
		if (!isnan(k.standard))
			buf_printf(out, "Standard: %s. ", fmt_kpi(s, k.unit, k.standard));
		if (l->has_measure)
			buf_printf(out, "All areas: %s.", fmt_kpi(s, k.unit, k.value));
		else
			buf_puts(out, !strcmp(k.direction, "higher_better") ? "Higher is better." : "Lower is better.");
		buf_puts(out, "</p>\n</li>\n");
	}
	buf_puts(out, "</ul>\n");
}

/* ---- Inline values ---- */

static void render_inline(html_ctx *h, buf *out, const tpl_block *b)
{
	char tmp[FMT_MAX];
	switch (b->kind) {
	case BLK_KPI: {
		kpi_row k;
		if (kpi_lookup(h->cat, b->kpis[0].kpi, &k)) {
			buf_puts(out, "n/a");
			return;
		}
		buf_puts(out, "<strong class=\"value\">");
		buf_put_html(out, fmt_kpi(tmp, k.unit, k.value));
		buf_puts(out, "</strong>");
		if (!b->kpis[0].plain)
			rag_short(out, k.status);
		return;
	}
	case BLK_META:
		if (!strcmp(b->meta, "census"))
			buf_put_html(out, fmt_date_long(tmp, h->cat->census));
		else if (!strcmp(b->meta, "audience"))
			buf_puts(out, h->cat->clinical ? "clinical" : "board");
		else
			buf_puts(out, h->cat->plain_synthea ? "plain Synthea (pathways derived from procedures)"
							    : "Synthea with waiting-list extension tables");
		return;
	default:
		break;
	}
	qctx x = {h->cat, h->ent, h->cache, 0};
	tpl_result r;
	tpl_eval(&x, &b->q, NULL, &r);
	if (r.missing || r.nrows == 0) {
		buf_puts(out, b->kind == BLK_TOP ? "none" : "n/a");
	} else if (b->kind == BLK_VALUE) {
		const res_cell *v = res_at(&r, 0, 0);
		buf_puts(out, "<strong class=\"value\">");
		if (v->star)
			buf_puts(out, "<abbr title=\"suppressed to protect privacy\">fewer than 8</abbr>");
		else
			buf_put_html(out, res_fmt(&r.cols[0], v, tmp));
		buf_puts(out, "</strong>");
	} else if (!res_at(&r, 0, 1)->star && (isnan(res_at(&r, 0, 1)->v) || res_at(&r, 0, 1)->v == 0)) {
		buf_puts(out, "none (no events recorded)");
	} else {
		const res_cell *k = res_at(&r, 0, 0), *v = res_at(&r, 0, 1);
		buf_puts(out, "<strong class=\"value\">");
		buf_put_html(out, res_fmt(&r.cols[0], k, tmp));
		buf_puts(out, "</strong> (");
		buf_put_html(out, res_fmt(&r.cols[1], v, tmp));
		buf_puts(out, ")");
	}
	tpl_result_free(&r);
}

/* ---- Downloads ---- */

static void render_downloads(html_ctx *h, buf *out, const tpl_block *b)
{
	char a[FMT_MAX];
	if (h->ndownloads == 0) {
		buf_puts(out, "<p class=\"empty\">No downloads in this build.</p>\n");
		return;
	}
	const char *cap = b->title ? b->title : "Files";
	const char *id = html_unique_id(h, cap);
	buf_printf(out, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"%s\" tabindex=\"0\">\n"
			"<table class=\"data\">\n<caption id=\"%s\">", id, id);
	buf_put_html(out, cap);
	buf_puts(out, "</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Contents</th>"
		      "<th scope=\"col\" class=\"num\">Rows</th><th scope=\"col\" class=\"num\">Size (KB)</th>"
		      "<th scope=\"col\">Disclosure control</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < h->ndownloads; i++) {
		const html_download *d = &h->downloads[i];
		buf_printf(out, "<tr><th scope=\"row\"><a href=\"%s", h->root);
		buf_put_html(out, d->file);
		buf_puts(out, "\" download>");
		buf_put_html(out, strrchr(d->file, '/') ? strrchr(d->file, '/') + 1 : d->file);
		buf_puts(out, "</a></th><td>");
		buf_put_html(out, d->description ? d->description : "");
		buf_printf(out, "</td><td class=\"num\">%s</td>", fmt_int(a, (int64_t)d->rows));
		buf_printf(out, "<td class=\"num\">%s</td>", fmt_int(a, (int64_t)((d->bytes + 1023) / 1024)));
		buf_printf(out, "<td>%s</td></tr>\n", d->controlled ? "Rounded; 1 to 7 shown as *" : "Exact figures");
	}
	buf_puts(out, "</tbody>\n</table>\n</div>\n");
}

/* ---- The tree ---- */

static int render_node(html_ctx *h, buf *out, cmark_node *root);

static int render_block(html_ctx *h, buf *out, const tpl_block *b)
{
	switch (b->kind) {
	case BLK_TABLE: render_table(h, out, b); return 0;
	case BLK_CHART: return render_chart(h, out, b);
	case BLK_KPIS: render_kpis(h, out, b); return 0;
	case BLK_DOWNLOADS: render_downloads(h, out, b); return 0;
	case BLK_NOTE:
		if (!tpl_when_holds(h->cat, b->when) || !b->body)
			return 0;
		buf_puts(out, "<div class=\"note\">\n");
		int rc = render_node(h, out, b->body);
		buf_puts(out, "</div>\n");
		return rc;
	default: render_inline(h, out, b); return 0;
	}
}

static int render_node(html_ctx *h, buf *out, cmark_node *root)
{
	int rc = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const tpl_block *b = tpl_block_of(h->tpl, n);
		if (b) {
			if (enter && render_block(h, out, b))
				rc = EXIT_INPUT;
			continue;
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_DOCUMENT: break;
		case CMARK_NODE_BLOCK_QUOTE: buf_puts(out, enter ? "<blockquote>\n" : "</blockquote>\n"); break;
		case CMARK_NODE_LIST: {
			int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			if (!enter)
				buf_puts(out, ordered ? "</ol>\n" : "</ul>\n");
			else if (ordered && cmark_node_get_list_start(n) != 1)
				buf_printf(out, "<ol start=\"%d\">\n", cmark_node_get_list_start(n));
			else
				buf_puts(out, ordered ? "<ol>\n" : "<ul>\n");
			break;
		}
		case CMARK_NODE_ITEM: buf_puts(out, enter ? "<li>" : "</li>\n"); break;
		case CMARK_NODE_CODE_BLOCK:
			buf_puts(out, "<pre><code>");
			buf_put_html(out, cmark_node_get_literal(n));
			buf_puts(out, "</code></pre>\n");
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			break; /* raw HTML is not passed through */
		case CMARK_NODE_PARAGRAPH: {
			/* Tight list items hold their text without <p>. */
			cmark_node *p = cmark_node_parent(n), *gp = p ? cmark_node_parent(p) : NULL;
			int tight = p && cmark_node_get_type(p) == CMARK_NODE_ITEM && gp && cmark_node_get_list_tight(gp);
			if (!tight)
				buf_puts(out, enter ? "<p>" : "</p>\n");
			break;
		}
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n);
			if (enter) {
				char *text = plain_text(h, n);
				if (level == 1 && !h->title)
					h->title = xstrdup(text);
				buf_printf(out, "<h%d id=\"%s\">", level, html_unique_id(h, text));
				free(text);
			} else
				buf_printf(out, "</h%d>\n", level);
			break;
		}
		case CMARK_NODE_THEMATIC_BREAK: buf_puts(out, "<hr>\n"); break;
		case CMARK_NODE_TEXT: put_text(h, out, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK: buf_putc(out, '\n'); break;
		case CMARK_NODE_LINEBREAK: buf_puts(out, "<br>\n"); break;
		case CMARK_NODE_CODE:
			buf_puts(out, "<code>");
			put_text(h, out, cmark_node_get_literal(n));
			buf_puts(out, "</code>");
			break;
		case CMARK_NODE_EMPH: buf_puts(out, enter ? "<em>" : "</em>"); break;
		case CMARK_NODE_STRONG: buf_puts(out, enter ? "<strong>" : "</strong>"); break;
		case CMARK_NODE_LINK:
			if (enter) {
				buf_puts(out, "<a href=\"");
				put_href(h, out, cmark_node_get_url(n));
				buf_putc(out, '"');
				const char *title = cmark_node_get_title(n);
				if (title && *title) {
					buf_puts(out, " title=\"");
					put_text(h, out, title);
					buf_putc(out, '"');
				}
				buf_putc(out, '>');
			} else
				buf_puts(out, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			if (enter) {
				char *alt = plain_text(h, n);
				buf_puts(out, "<img src=\"");
				put_href(h, out, cmark_node_get_url(n));
				buf_puts(out, "\" alt=\"");
				buf_put_html(out, alt);
				buf_puts(out, "\">");
				free(alt);
				/* The alt text is written; skip the children. */
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			}
			break;
		default: break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

int html_render_body(html_ctx *h, buf *out)
{
	buf_puts(out, "");
	int rc = render_node(h, out, h->tpl->doc);
	return rc || h->errors ? EXIT_INPUT : 0;
}

/* ---- Layout ---- */

static int same_section(const char *page, const char *href)
{
	if (!strcmp(page, href))
		return 1;
	/* trust/RXX.html belongs to the nav item trust/index.html */
	const char *ps = strchr(page, '/'), *hs = strchr(href, '/');
	return ps && hs && ps - page == hs - href && !strncmp(page, href, (size_t)(ps - page));
}

void html_layout(buf *out, const html_site *s, const html_page *p)
{
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	buf_put_html(out, p->title);
	buf_puts(out, " - ");
	buf_put_html(out, s->product);
	/* An empty icon: browsers would otherwise ask the server for
	 * /favicon.ico, which the site does not have. */
	buf_printf(out, "</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"%sassets/site.css\">\n"
			"<script src=\"%sassets/sort.js\" defer></script>\n"
			"<script src=\"%sassets/search.js\" defer></script>\n</head>\n<body>\n",
		   p->root, p->root, p->root);
	buf_puts(out, "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n");
	/* The banner holds the brand, the navigation and the census line, so
	 * that all of the page's content sits in a landmark. */
	buf_printf(out, "<header class=\"site-header\">\n<div class=\"site-brand\">\n<div class=\"wrap\">\n"
			"<a class=\"brand\" href=\"%sindex.html\">",
		   p->root);
	buf_put_html(out, s->product);
	buf_puts(out, "</a>\n<span class=\"tagline\">");
	buf_put_html(out, s->tagline);
	buf_puts(out, "</span>\n</div>\n</div>\n");
	buf_puts(out, "<nav class=\"site-nav\" aria-label=\"Main\">\n<div class=\"wrap\">\n<ul>\n");
	for (int i = 0; i < s->nnav; i++) {
		int cur = same_section(p->path, s->nav[i].href);
		buf_printf(out, "<li><a href=\"%s", p->root);
		buf_put_html(out, s->nav[i].href);
		buf_printf(out, "\"%s>", cur ? " aria-current=\"page\"" : "");
		buf_put_html(out, s->nav[i].label);
		buf_puts(out, "</a></li>\n");
	}
	buf_puts(out, "</ul>\n</div>\n</nav>\n");
	buf_puts(out, "<div class=\"census-bar\">\n<div class=\"wrap\">\n<p>Figures at census date <strong>");
	buf_put_html(out, s->census);
	buf_puts(out, "</strong>. Data: ");
	buf_put_html(out, s->source);
	buf_puts(out, ". Audience: ");
	buf_put_html(out, s->audience);
	buf_puts(out, ".</p>\n</div>\n</div>\n</header>\n");
	buf_puts(out, "<div class=\"wrap\">\n");
	if (p->ncrumbs > 1) {
		buf_puts(out, "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol>\n");
		for (int i = 0; i < p->ncrumbs; i++) {
			if (i == p->ncrumbs - 1) {
				buf_puts(out, "<li><span aria-current=\"page\">");
				buf_put_html(out, p->crumbs[i].label);
				buf_puts(out, "</span></li>\n");
			} else {
				buf_printf(out, "<li><a href=\"%s", p->root);
				buf_put_html(out, p->crumbs[i].href);
				buf_puts(out, "\">");
				buf_put_html(out, p->crumbs[i].label);
				buf_puts(out, "</a></li>\n");
			}
		}
		buf_puts(out, "</ol>\n</nav>\n");
	}
	buf_puts(out, "<main id=\"main\">\n");
	buf_puts(out, p->main);
	buf_puts(out, "</main>\n</div>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>Generated by ");
	buf_put_html(out, s->product);
	buf_putc(out, ' ');
	buf_put_html(out, s->version);
	buf_puts(out, " from the data models of this run; every figure is computed, none typed in. Census date ");
	buf_put_html(out, s->census);
	buf_puts(out, ". Data: ");
	buf_put_html(out, s->source);
	buf_puts(out, ". Audience: ");
	buf_put_html(out, s->audience);
	buf_printf(out, ".</p>\n<p><a href=\"%smethodology.html\">Methodology and glossary</a> &middot; "
			"<a href=\"%sdata-quality.html\">Data quality</a> &middot; ",
		   p->root, p->root);
	if (s->tests_page)
		buf_printf(out, "<a href=\"%stests.html\">Data tests</a> &middot; ", p->root);
	buf_printf(out, "<a href=\"%smodels/index.html\">Data models</a></p>\n</div>\n</footer>\n</body>\n</html>\n",
		   p->root);
}
