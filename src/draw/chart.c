/* Charts from tables: the public API, the shape list and chart_build(),
 * which aggregates (chart_agg.c) and hands over to a layout. */
#include "draw/chart_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Names ---------------------------------------------------------------- */

static const char *const kind_names[] = {"bar", "stacked-bar", "line", "histogram", "heatmap", "spc"};
const char *const chart_kind_words[] = {"Bar chart", "Stacked bar chart", "Line chart", "Histogram", "Heatmap",
					"SPC chart"};

int chart_kind_parse(const char *s, chart_kind *out)
{
	for (int i = 0; s && i < 6; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (chart_kind)i;
			return 0;
		}
	return -1;
}

const char *chart_kind_name(chart_kind k)
{
	return (unsigned)k < 6 ? kind_names[k] : "?";
}

int chart_order_parse(const char *s, chart_order *out)
{
	static const char *const n[] = {"auto", "rows", "value", "label"};
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, n[i]) == 0) {
			*out = (chart_order)i;
			return 0;
		}
	return -1;
}

void chart_spec_init(chart_spec *s, chart_kind kind)
{
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->target = NAN;
	s->interim = NAN;
}

/* ---- Shapes and the chart ------------------------------------------------- */

chart *chart_new(double width, double height, const char *title)
{
	chart *c = xcalloc(1, sizeof *c);
	c->width = width;
	c->height = height;
	c->title = xstrdup(title && *title ? title : "Chart");
	c->desc = xstrdup("");
	c->id = xstrdup("chart");
	return c;
}

static shape *add(chart *c, shape_kind k)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	shape *s = &c->v[c->n++];
	memset(s, 0, sizeof *s);
	s->kind = k;
	s->fill = s->stroke = COLOUR_NONE;
	s->stroke_width = 1;
	return s;
}

shape *chart_rect(chart *c, double x, double y, double w, double h, colour fill)
{
	shape *s = add(c, SH_RECT);
	s->x = x, s->y = y, s->w = w, s->h = h, s->fill = fill;
	return s;
}

shape *chart_line(chart *c, double x1, double y1, double x2, double y2, colour stroke, double width)
{
	shape *s = add(c, SH_LINE);
	s->x = x1, s->y = y1, s->x2 = x2, s->y2 = y2, s->stroke = stroke, s->stroke_width = width;
	return s;
}

shape *chart_polyline(chart *c, const double *xy, size_t npts, colour stroke, double width)
{
	shape *s = add(c, SH_POLYLINE);
	s->pts = xmalloc((npts ? npts : 1) * 2 * sizeof *s->pts);
	memcpy(s->pts, xy, npts * 2 * sizeof *s->pts);
	s->npts = npts, s->stroke = stroke, s->stroke_width = width;
	return s;
}

shape *chart_text(chart *c, double x, double y, const char *str, double size, text_anchor a, colour fill)
{
	shape *s = add(c, SH_TEXT);
	s->x = x, s->y = y, s->text = xstrdup(str), s->size = size, s->anchor = a, s->fill = fill;
	return s;
}

shape *chart_circle(chart *c, double cx, double cy, double r, colour fill)
{
	shape *s = add(c, SH_CIRCLE);
	s->x = cx, s->y = cy, s->r = r, s->fill = fill;
	return s;
}

void shape_set_title(shape *s, const char *title)
{
	free(s->title);
	s->title = title ? xstrdup(title) : NULL;
}

void shape_set_href(shape *s, const char *href)
{
	free(s->href);
	s->href = href ? xstrdup(href) : NULL;
}

void chart_set_desc(chart *c, const char *desc)
{
	free(c->desc);
	c->desc = xstrdup(desc ? desc : "");
}

void chart_table_init(chart_table *t, size_t nrows, size_t ncols, const char *const *head)
{
	t->nrows = nrows, t->ncols = ncols;
	t->head = xcalloc(ncols ? ncols : 1, sizeof *t->head);
	for (size_t i = 0; i < ncols; i++)
		t->head[i] = xstrdup(head[i] ? head[i] : "");
	t->cells = xcalloc(nrows && ncols ? nrows * ncols : 1, sizeof *t->cells);
	t->numeric = xcalloc(ncols ? ncols : 1, 1);
}

void chart_table_set(chart_table *t, size_t r, size_t c, const char *s)
{
	char **p = &t->cells[r * t->ncols + c];
	free(*p);
	*p = xstrdup(s ? s : "");
}

void chart_free(chart *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].pts);
		free(c->v[i].text);
		free(c->v[i].title);
		free(c->v[i].href);
	}
	free(c->v);
	free(c->variation);
	free(c->assurance);
	for (size_t i = 0; i < c->data.ncols; i++)
		free(c->data.head[i]);
	for (size_t i = 0; i < c->data.nrows * c->data.ncols; i++)
		free(c->data.cells[i]);
	free(c->data.head);
	free(c->data.cells);
	free(c->data.numeric);
	free(c->id);
	free(c->title);
	free(c->desc);
	free(c);
}

/* ---- Building -------------------------------------------------------------- */

static int find_col(const mm_table *t, const char *role, const char *name, int need_number, char *err,
		    size_t errn)
{
	int c = tbl_col(t, name);
	if (c < 0) {
		snprintf(err, errn, "no column '%s' (%s) in '%s'", name, role, t->name);
		return -1;
	}
	mm_type ty = t->cols[c].type;
	if (need_number == 1 && ty != T_INT && ty != T_NUM && ty != T_BOOL) {
		snprintf(err, errn, "column '%s' (%s) of '%s' is %s; it must be a number", name, role, t->name,
			 type_name(ty));
		return -1;
	}
	if (need_number == 2 && ty != T_INT && ty != T_NUM) {
		snprintf(err, errn, "column '%s' (%s) of '%s' is %s; a histogram bins numbers", name, role, t->name,
			 type_name(ty));
		return -1;
	}
	return c;
}

static char *make_id(const chart_spec *s)
{
	if (s->id && *s->id)
		return xstrdup(s->id);
	buf k = {0};
	buf_printf(&k, "%s|%s|%s|%s|%s", chart_kind_name(s->kind), s->title ? s->title : "", s->x ? s->x : "",
		   s->y ? s->y : "", s->series ? s->series : "");
	char id[32];
	snprintf(id, sizeof id, "chart-%08x", (unsigned)(mm_hash(k.s, k.n) & 0xFFFFFFFFu));
	buf_free(&k);
	return xstrdup(id);
}

chart *chart_build(const chart_spec *s, const mm_table *t, const size_t *rows, size_t nrows, char *err, size_t errn)
{
	if (errn)
		err[0] = '\0';
	if (!rows)
		nrows = t->nrows;
	if ((unsigned)s->kind > CHART_SPC) {
		snprintf(err, errn, "unknown chart kind %d", (int)s->kind);
		return NULL;
	}
	if (!s->x || !*s->x) {
		snprintf(err, errn, "a %s chart needs an x column", chart_kind_name(s->kind));
		return NULL;
	}
	int need_series = s->kind == CHART_STACKED_BAR || s->kind == CHART_HEATMAP;
	if (need_series && (!s->series || !*s->series)) {
		snprintf(err, errn, "a %s chart needs a series column", chart_kind_name(s->kind));
		return NULL;
	}
	int xc = find_col(t, "x", s->x, s->kind == CHART_HISTOGRAM ? 2 : 0, err, errn);
	if (xc < 0)
		return NULL;
	int yc = -1, sc = -1, pc = -1;
	if (s->y && *s->y && (yc = find_col(t, "y", s->y, 1, err, errn)) < 0)
		return NULL;
	if (s->suppressed && *s->suppressed && (pc = find_col(t, "suppressed", s->suppressed, 1, err, errn)) < 0)
		return NULL;
	if (s->series && *s->series && s->kind != CHART_HISTOGRAM &&
	    (sc = find_col(t, "series", s->series, 0, err, errn)) < 0)
		return NULL;

	chart *c = chart_new(s->width > 0 ? s->width : CW, s->height > 0 ? s->height : CH, s->title);
	free(c->id);
	c->id = make_id(s);
	lay L = {.c = c, .s = s};
	ch_draw_title(&L);
	if (s->kind == CHART_HISTOGRAM) {
		ch_layout_histogram(&L, t, rows, nrows, xc, yc, pc);
		return c;
	}
	agg a = {0};
	if (ch_agg_build(&a, s, t, rows, nrows, xc, yc, sc, pc, err, errn) < 0) {
		ch_agg_free(&a);
		chart_free(c);
		return NULL;
	}
	L.dec = ch_value_decimals(a.val, a.ncat * a.nser, s->target);
	if (a.ncat == 0)
		ch_no_data(&L);
	else if (s->kind == CHART_LINE)
		ch_layout_line(&L, &a);
	else if (s->kind == CHART_HEATMAP)
		ch_layout_heatmap(&L, &a);
	else if (s->kind == CHART_SPC)
		ch_layout_spc(&L, &a);
	else
		ch_layout_bars(&L, &a, s->kind == CHART_STACKED_BAR);
	ch_agg_free(&a);
	return c;
}
