/* Layout pieces shared by every chart kind: title, legend, value grid,
 * category labels, target line, axis titles, the data table and summary. */
#include "draw/chart_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Layout helpers ------------------------------------------------------- */

/* Decimals for values up to big in magnitude: none when all are whole
 * numbers, two below 1 (shares), else one. */
int ch_value_decimals(const double *v, size_t n, double extra)
{
	int whole = 1;
	double big = isfinite(extra) ? fabs(extra) : 0;
	if (isfinite(extra) && fabs(extra - round(extra)) > 1e-9)
		whole = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		big = fmax(big, fabs(v[i]));
		if (fabs(v[i] - round(v[i])) > 1e-9)
			whole = 0;
	}
	return whole ? 0 : big < 1 ? 2 : 1;
}

const char *ch_x_title(const chart_spec *s)
{
	return s->x_label ? s->x_label : s->x;
}

const char *ch_series_title(const chart_spec *s)
{
	return s->series_label ? s->series_label : s->series ? s->series : "";
}

const char *ch_y_title(const chart_spec *s)
{
	return s->y_label ? s->y_label : s->y ? s->y : "Count";
}

/* Text that fits maxw, with the full text as its tooltip when cut. */
shape *ch_fitted_text(chart *c, double x, double y, const char *s, double size, int bold, double maxw,
		      text_anchor a, colour fill)
{
	char b[512];
	int cut = text_fit(s, size, bold, maxw, b, sizeof b);
	shape *t = chart_text(c, x, y, b, size, a, fill);
	t->bold = bold;
	if (cut)
		shape_set_title(t, s);
	return t;
}

/* A value as labelled throughout this chart: L->dec decimals, the suffix. */
void ch_value_text(const lay *L, double v, char *out, size_t n)
{
	fmt_number(v, L->dec, out, n);
	if (L->s->suffix && *out)
		strncat(out, L->s->suffix, n - strlen(out) - 1);
}

void ch_draw_title(lay *L)
{
	L->top = PAD;
	if (!L->s->title || !*L->s->title)
		return;
	ch_fitted_text(L->c, PAD, PAD + 13, L->s->title, FS_TITLE, 1, L->c->width - 2 * PAD, ANCHOR_START, NHS_TEXT);
	L->top = PAD + 13 + 14;
}

/* Series keys in rows under the title (when the spec names a series
 * column, or there are two series or more); line = 1 draws line swatches.
 * star: text of a key for values withheld by disclosure control ("*"),
 * drawn when a has any; NULL for none. */
void ch_draw_legend(lay *L, const agg *a, int line, const char *star)
{
	chart *c = L->c;
	size_t n = a->nser;
	int keys = n >= 2 || (L->s->series && n == 1);
	if (!keys && !(star && a->nstar))
		return;
	double x = PAD, y = L->top + 2;
	for (size_t i = 0; keys && i < n; i++) {
		char b[256];
		int cut = text_fit(a->ser[i].label, FS, 0, 200, b, sizeof b);
		double sw = line ? 18 : 12, w = sw + 6 + text_width(b, FS, 0) + 18;
		if (x + w - 18 > c->width - PAD && x > PAD) {
			x = PAD;
			y += 20;
		}
		colour col = ch_series_colour(L, a, i);
		if (line) {
			chart_line(c, x, y + 6, x + sw, y + 6, col, 3);
			chart_circle(c, x + sw / 2, y + 6, 3.5, col)->stroke = NHS_WHITE;
		} else {
			chart_rect(c, x, y, sw, 12, col);
		}
		shape *t = chart_text(c, x + sw + 6, y + 10.5, b, FS, ANCHOR_START, NHS_TEXT);
		if (cut)
			shape_set_title(t, a->ser[i].label);
		x += w;
	}
	if (star && a->nstar) {
		char b[256];
		int cut = text_fit(star, FS, 0, c->width - 2 * PAD - 20, b, sizeof b);
		double w = 20 + text_width(b, FS, 0);
		if (x + w > c->width - PAD && x > PAD) {
			x = PAD;
			y += 20;
		}
		shape *k = chart_rect(c, x, y - 1, 14, 14, NHS_WHITE);
		k->stroke = NHS_MID_GREY;
		k->dashed = 1;
		chart_text(c, x + 7, y + 13, "*", 14, ANCHOR_MIDDLE, NHS_TEXT)->bold = 1;
		shape *t = chart_text(c, x + 20, y + 10.5, b, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
		if (cut)
			shape_set_title(t, star);
	}
	L->top = y + 12 + 12;
}

/* A series' colour stands for its label (palette_category), the same on
 * every chart; a chart without a series column draws in NHS Blue. */
colour ch_series_colour(const lay *L, const agg *a, size_t si)
{
	if (!L->s->series || si >= a->nser)
		return NHS_BLUE;
	const char **v = xmalloc(a->nser * sizeof *v);
	for (size_t i = 0; i < a->nser; i++)
		v[i] = a->ser[i].label;
	colour col = palette_category(v, a->nser, si);
	free(v);
	return col;
}

double ch_tick_width(const axis_ticks *t, const chart_spec *s)
{
	double w = 0;
	for (int i = 0; i < t->n; i++) {
		char b[64];
		fmt_tick(t, t->v[i], b, sizeof b);
		if (s->suffix)
			strncat(b, s->suffix, sizeof b - strlen(b) - 1);
		w = fmax(w, text_width(b, FS, 0));
	}
	return w;
}

int ch_want_ticks(double px)
{
	int n = (int)(px / 45);
	return n < 3 ? 3 : n > 8 ? 8 : n;
}

/* Horizontal gridlines with labels on the left (vertical value axis). */
void ch_draw_vgrid(lay *L)
{
	for (int i = 0; i < L->vt.n; i++) {
		double y = vy(L, L->vt.v[i]);
		char b[64];
		fmt_tick(&L->vt, L->vt.v[i], b, sizeof b);
		if (L->s->suffix)
			strncat(b, L->s->suffix, sizeof b - strlen(b) - 1);
		if (L->vt.v[i] != 0)
			chart_line(L->c, L->x0, y, L->x1, y, NHS_GRID, 1);
		chart_text(L->c, L->x0 - 8, y + 4, b, FS, ANCHOR_END, NHS_TEXT_SECONDARY);
	}
}

/* Vertical gridlines with labels underneath (horizontal value axis). */
void ch_draw_hgrid(lay *L)
{
	for (int i = 0; i < L->vt.n; i++) {
		double x = vx(L, L->vt.v[i]);
		char b[64];
		fmt_tick(&L->vt, L->vt.v[i], b, sizeof b);
		if (L->s->suffix)
			strncat(b, L->s->suffix, sizeof b - strlen(b) - 1);
		if (L->vt.v[i] != 0)
			chart_line(L->c, x, L->y0, x, L->y1, NHS_GRID, 1);
		chart_text(L->c, x, L->y1 + 18, b, FS, ANCHOR_MIDDLE, NHS_TEXT_SECONDARY);
	}
}

void ch_draw_axis_titles(lay *L, const char *xt, const char *yt)
{
	chart *c = L->c;
	if (xt && *xt)
		ch_fitted_text(c, (L->x0 + L->x1) / 2, c->height - PAD + 2, xt, FS, 1, L->x1 - L->x0, ANCHOR_MIDDLE,
			       NHS_TEXT_SECONDARY);
	if (yt && *yt) {
		shape *t = ch_fitted_text(c, PAD + 10, (L->y0 + L->y1) / 2, yt, FS, 1, L->y1 - L->y0, ANCHOR_MIDDLE,
					  NHS_TEXT_SECONDARY);
		t->rotate = -90;
	}
}

void ch_target_label(const lay *L, char *out, size_t n)
{
	const chart_spec *s = L->s;
	if (s->target_label) {
		snprintf(out, n, "%s", s->target_label);
		return;
	}
	char v[64];
	if (s->kind == CHART_HISTOGRAM) /* a place on the x axis, not a count */
		fmt_value(s->target, v, sizeof v);
	else
		ch_value_text(L, s->target, v, sizeof v);
	snprintf(out, n, "Target %s", v);
}

/* Dashed reference line across the plot at value target. */
void ch_draw_target(lay *L, int vertical_axis)
{
	const chart_spec *s = L->s;
	if (!isfinite(s->target))
		return;
	char b[256];
	ch_target_label(L, b, sizeof b);
	/* Each shape is finished before the next is added (adding may move
	 * the shape list). */
	double y = vy(L, s->target), x = vx(L, s->target);
	shape *l = vertical_axis ? chart_line(L->c, L->x0, y, L->x1, y, NHS_TEXT, 1.5)
				 : chart_line(L->c, x, L->y0, x, L->y1, NHS_TEXT, 1.5);
	l->dashed = 1;
	shape_set_title(l, b);
	shape *t = vertical_axis ? chart_text(L->c, L->x1 - 2, y - 5, b, FS, ANCHOR_END, NHS_TEXT)
				 : chart_text(L->c, x + 4, L->y0 + 10, b, FS, ANCHOR_START, NHS_TEXT);
	t->bold = t->halo = 1;
}

cat_axis ch_plan_cat_axis(char *const *labels, size_t n, double slot)
{
	cat_axis ax = {0, 1, 0, 22};
	double w = 0;
	for (size_t i = 0; i < n; i++)
		w = fmax(w, text_width(labels[i], FS, 0));
	if (w + 8 <= slot) {
		ax.maxw = w;
	} else if (w <= 64) {
		ax.maxw = w;
		ax.step = label_step(slot, w + 10);
	} else {
		ax.rotated = 1;
		ax.maxw = fmin(w, 120);
		ax.step = label_step(slot, 18);
		ax.height = (ax.maxw + 8) * 0.7071 + 16;
	}
	return ax;
}

/* Label i of n at x = centre[i], under y. */
void ch_draw_cat_labels(lay *L, char *const *labels, const double *centre, size_t n, const cat_axis *ax,
			double y, double slot)
{
	for (size_t i = 0; i < n; i += ax->step) {
		if (ax->rotated) {
			shape *t = ch_fitted_text(L->c, centre[i] + 4, y + 10, labels[i], FS, 0, ax->maxw, ANCHOR_END,
						  NHS_TEXT);
			t->rotate = -45;
		} else {
			ch_fitted_text(L->c, centre[i], y + 16, labels[i], FS, 0, fmax(ax->maxw, slot * ax->step - 4),
				       ANCHOR_MIDDLE, NHS_TEXT);
		}
	}
}

void ch_no_data(lay *L)
{
	chart *c = L->c;
	double y0 = L->top + 8;
	chart_rect(c, PAD, y0, c->width - 2 * PAD, c->height - PAD - y0, NHS_PALE_GREY);
	chart_text(c, c->width / 2, (y0 + c->height - PAD) / 2 + 5, "No data", 14, ANCHOR_MIDDLE, NHS_TEXT_SECONDARY)
		->bold = 1;
	chart_set_desc(c, "No data.");
	const char *head[] = {"No data"};
	chart_table_init(&c->data, 0, 1, head);
}

#define STAR_BAR_LEN 6.0 /* length of a suppressed bar: visible, clearly not to scale */

void ch_draw_star(lay *L, double p, double band, colour col, const char *what, int horizontal)
{
	char tip[600];
	snprintf(tip, sizeof tip, "%s: %s", what, STAR_TIP);
	double x = horizontal ? vx(L, 0) : p, y = horizontal ? p : vy(L, 0) - STAR_BAR_LEN;
	shape *r = horizontal ? chart_rect(L->c, x, y, STAR_BAR_LEN, band, NHS_WHITE)
			      : chart_rect(L->c, x, y, band, STAR_BAR_LEN, NHS_WHITE);
	r->stroke = col;
	r->stroke_width = 1.5;
	r->dashed = 1;
	shape_set_title(r, tip); /* before the next add, which may move the list */
	shape *t = horizontal ? chart_text(L->c, x + STAR_BAR_LEN + 4, p + band / 2 + 5, "*", 14, ANCHOR_START, NHS_TEXT)
			      : chart_text(L->c, p + band / 2, y - 3, "*", 14, ANCHOR_MIDDLE, NHS_TEXT);
	t->bold = 1;
	shape_set_title(t, tip);
}

void ch_describe_stars(buf *d, size_t n)
{
	if (n == 1)
		buf_puts(d, " One value of 1 to 7 is not shown, to protect privacy (marked *).");
	else if (n > 1)
		buf_printf(d, " %zu values of 1 to 7 are not shown, to protect privacy (marked *).", n);
}

char **ch_cat_labels(const agg *a)
{
	char **v = xmalloc((a->ncat ? a->ncat : 1) * sizeof *v);
	for (size_t i = 0; i < a->ncat; i++)
		v[i] = a->cat[i].label;
	return v;
}

/* ---- Data table and summary ------------------------------------------------ */

void ch_table_from_agg(chart *c, const agg *a, const lay *L, int transpose)
{
	const chart_spec *s = L->s;
	size_t nr = transpose ? a->nser : a->ncat, nc = (transpose ? a->ncat : a->nser) + 1;
	const char **head = xmalloc(nc * sizeof *head);
	head[0] = transpose ? ch_series_title(s) : ch_x_title(s);
	for (size_t j = 1; j < nc; j++)
		head[j] = transpose ? a->cat[j - 1].label : a->ser[j - 1].label;
	chart_table_init(&c->data, nr, nc, head);
	free(head);
	for (size_t j = 1; j < nc; j++)
		c->data.numeric[j] = 1;
	for (size_t i = 0; i < nr; i++) {
		chart_table_set(&c->data, i, 0, transpose ? a->ser[i].label : a->cat[i].label);
		for (size_t j = 1; j < nc; j++) {
			char b[64];
			size_t ci = transpose ? j - 1 : i, si = transpose ? i : j - 1;
			if (starred(a, ci, si))
				snprintf(b, sizeof b, "*");
			else
				ch_value_text(L, cell(a, ci, si), b, sizeof b);
			chart_table_set(&c->data, i, j, b);
		}
	}
}

/* Sentence naming the largest and smallest category of series si. */
void ch_describe_extremes(buf *d, const agg *a, const lay *L, size_t si, const char *what)
{
	size_t hi = SIZE_MAX, lo = SIZE_MAX;
	for (size_t i = 0; i < a->ncat; i++) {
		double v = cell(a, i, si);
		if (isnan(v))
			continue;
		if (hi == SIZE_MAX || v > cell(a, hi, si))
			hi = i;
		if (lo == SIZE_MAX || v < cell(a, lo, si))
			lo = i;
	}
	if (hi == SIZE_MAX)
		return;
	char b1[64], b2[64];
	ch_value_text(L, cell(a, hi, si), b1, sizeof b1);
	ch_value_text(L, cell(a, lo, si), b2, sizeof b2);
	buf_printf(d, " %s %s (%s)", what, a->cat[hi].label, b1);
	if (lo != hi)
		buf_printf(d, "; lowest %s (%s)", a->cat[lo].label, b2);
	buf_puts(d, ".");
}

void ch_describe_common(buf *d, const lay *L, const agg *a)
{
	const chart_spec *s = L->s;
	if (a && a->ncat < a->cat_all)
		buf_printf(d, " Showing %zu of %zu categories.", a->ncat, a->cat_all);
	if (a)
		ch_describe_stars(d, a->nstar);
	if (isfinite(s->target)) {
		char b[256];
		ch_target_label(L, b, sizeof b);
		buf_printf(d, " Dashed line: %s.", b);
	}
}

void ch_series_list(buf *d, const agg *a)
{
	for (size_t i = 0; i < a->nser; i++)
		buf_printf(d, "%s%s", i ? (i + 1 == a->nser ? " and " : ", ") : "", a->ser[i].label);
}

