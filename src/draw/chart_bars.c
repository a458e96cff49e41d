/* Layouts on category axes: vertical, horizontal, grouped and stacked
 * bars, and the heatmap. */
#include "draw/chart_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Bars ----------------------------------------------------------------- */

static void value_domain(const agg *a, const chart_spec *s, int stacked, double *lo, double *hi)
{
	*lo = 0, *hi = 0;
	for (size_t i = 0; i < a->ncat; i++) {
		double pos = 0, neg = 0;
		for (size_t j = 0; j < a->nser; j++) {
			double v = cell(a, i, j);
			if (isnan(v))
				continue;
			if (stacked) {
				if (v > 0)
					pos += v;
				else
					neg += v;
			} else {
				pos = fmax(pos, v);
				neg = fmin(neg, v);
			}
		}
		*hi = fmax(*hi, pos);
		*lo = fmin(*lo, neg);
	}
	if (isfinite(s->target)) {
		*hi = fmax(*hi, s->target);
		*lo = fmin(*lo, s->target);
	}
}

static void bar_tooltip(const agg *a, const lay *L, size_t i, size_t j, char *out, size_t n)
{
	char v[64];
	ch_value_text(L, cell(a, i, j), v, sizeof v);
	if (a->nser > 1)
		snprintf(out, n, "%s, %s: %s", a->cat[i].label, a->ser[j].label, v);
	else
		snprintf(out, n, "%s: %s", a->cat[i].label, v);
}

/* Series with a value (or a suppressed one) in category i. */
static size_t present(const agg *a, size_t i)
{
	size_t k = 0;
	for (size_t j = 0; j < a->nser; j++)
		k += !isnan(cell(a, i, j)) || starred(a, i, j);
	return k;
}

/* The name of bar (i, j) in tooltips. */
static void bar_name(const agg *a, size_t i, size_t j, char *out, size_t n)
{
	if (a->nser > 1)
		snprintf(out, n, "%s, %s", a->cat[i].label, a->ser[j].label);
	else
		snprintf(out, n, "%s", a->cat[i].label);
}

static size_t most_present(const agg *a)
{
	size_t k = 1;
	for (size_t i = 0; i < a->ncat; i++)
		k = present(a, i) > k ? present(a, i) : k;
	return k;
}

/* Draws the bars of category i across [p, p + band) of the category axis:
 * stacked, or side by side sharing the band among the series present (a
 * series that only colours the bars then costs no space). With values,
 * labels each bar whose end has room. */
static void draw_bar_group(lay *L, const agg *a, size_t i, double p, double band, int stacked, int horizontal,
			   int values)
{
	double pos = 0, neg = 0;
	size_t k = present(a, i), at = 0, nstar = 0, nval = 0;
	double inner = stacked || !k ? band : band / (double)k;
	for (size_t j = 0; j < a->nser; j++) {
		double v = cell(a, i, j);
		if (starred(a, i, j)) {
			nstar++;
			if (!stacked) {
				char what[600];
				bar_name(a, i, j, what, sizeof what);
				ch_draw_star(L, p + inner * (double)at++, inner, ch_series_colour(L, a, j), what, horizontal);
			}
			continue;
		}
		if (isnan(v))
			continue;
		nval++;
		double from = 0, off = stacked ? 0 : inner * (double)at++;
		if (stacked) {
			from = v > 0 ? pos : neg;
			if (v > 0)
				pos += v;
			else
				neg += v;
		}
		double a0, a1, rx, ry, rw, rh;
		if (horizontal) {
			a0 = vx(L, from), a1 = vx(L, from + v);
			rx = fmin(a0, a1), ry = p + off, rw = fabs(a1 - a0), rh = inner;
		} else {
			a0 = vy(L, from), a1 = vy(L, from + v);
			rx = p + off, ry = fmin(a0, a1), rw = inner, rh = fabs(a1 - a0);
		}
		/* The bar is finished before the next shape is added: adding may
		 * move the shape list. */
		if (v != 0) {
			shape *r = chart_rect(L->c, rx, ry, rw, rh, ch_series_colour(L, a, j));
			if (stacked) {
				r->stroke = NHS_WHITE; /* separates stacked segments */
				r->stroke_width = 0.75;
			}
			char tip[600];
			bar_tooltip(a, L, i, j, tip, sizeof tip);
			shape_set_title(r, tip);
		}
		char b[64];
		ch_value_text(L, v, b, sizeof b);
		if (horizontal && values && inner >= 10)
			chart_text(L->c, fmax(a0, a1) + 4, p + off + inner / 2 + 4, b, FS_VALUE, ANCHOR_START,
				   NHS_TEXT_SECONDARY);
		else if (!horizontal && values && text_width(b, FS_VALUE, 0) <= inner + 4)
			chart_text(L->c, p + off + inner / 2, v >= 0 ? a1 - 4 : a1 + 12, b, FS_VALUE, ANCHOR_MIDDLE,
				   NHS_TEXT_SECONDARY);
	}
	if (!stacked || !nstar)
		return;
	/* A stack cannot include an unknown segment: a stack of suppressed
	 * values only is a short dashed bar; otherwise a "*" past its end says that some
	 * segments are missing. */
	if (!nval) {
		ch_draw_star(L, p, band, NHS_MID_GREY, a->cat[i].label, horizontal);
		return;
	}
	char tip[600];
	snprintf(tip, sizeof tip, "%s: %zu part%s of 1 to 7 not shown, to protect privacy", a->cat[i].label, nstar,
		 nstar == 1 ? "" : "s");
	shape *t = horizontal ? chart_text(L->c, vx(L, pos) + 4, p + band / 2 + 5, "*", 14, ANCHOR_START, NHS_TEXT)
			      : chart_text(L->c, p + band / 2, vy(L, pos) - 3, "*", 14, ANCHOR_MIDDLE, NHS_TEXT);
	t->bold = 1;
	shape_set_title(t, tip);
}

static void layout_bars_vertical(lay *L, const agg *a, int stacked)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	double lo, hi;
	value_domain(a, s, stacked, &lo, &hi);
	nice_ticks(lo, hi, ch_want_ticks(c->height - L->top - 90), &L->vt);
	double left = PAD + 20 + ch_tick_width(&L->vt, s) + 8;
	L->x1 = c->width - PAD;
	char **labels = ch_cat_labels(a);
	cat_axis ax;
	for (int pass = 0; pass < 2; pass++) { /* rotated labels may need a wider left margin */
		double slot = (L->x1 - left) / (double)a->ncat;
		ax = ch_plan_cat_axis(labels, a->ncat, slot);
		if (ax.rotated)
			left = fmax(left, PAD + ax.maxw * 0.7071 - slot / 2);
	}
	L->x0 = left;
	L->y0 = L->top + 10;
	L->y1 = c->height - PAD - ax.height - 14;
	double slot = (L->x1 - L->x0) / (double)a->ncat, band = fmin(slot * 0.72, 64);
	ch_draw_vgrid(L);
	double *centre = xmalloc(a->ncat * sizeof *centre);
	for (size_t i = 0; i < a->ncat; i++) {
		centre[i] = L->x0 + slot * ((double)i + 0.5);
		draw_bar_group(L, a, i, centre[i] - band / 2, band, stacked, 0, !stacked && a->ncat <= 24);
	}
	chart_line(c, L->x0, vy(L, 0), L->x1, vy(L, 0), NHS_MID_GREY, 1);
	ch_draw_cat_labels(L, labels, centre, a->ncat, &ax, L->y1, slot);
	ch_draw_target(L, 1);
	ch_draw_axis_titles(L, ch_x_title(s), ch_y_title(s));
	free(centre);
	free(labels);
}

static void layout_bars_horizontal(lay *L, const agg *a, int stacked)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	double lo, hi, lw = 0, vw = 0;
	value_domain(a, s, stacked, &lo, &hi);
	for (size_t i = 0; i < a->ncat; i++) {
		lw = fmax(lw, text_width(a->cat[i].label, FS, 0));
		for (size_t j = 0; !stacked && j < a->nser; j++) {
			char b[64];
			ch_value_text(L, cell(a, i, j), b, sizeof b);
			vw = fmax(vw, text_width(b, FS_VALUE, 0) + 6);
		}
	}
	lw = fmin(lw, c->width * 0.4); /* long names keep most of their words */
	double row = stacked ? 26 : fmax(26, 8 + 14 * (double)most_present(a));
	L->x0 = PAD + 20 + lw + 8;
	L->x1 = c->width - PAD - fmax(vw, 12);
	L->y0 = L->top + 8;
	L->y1 = L->y0 + row * (double)a->ncat;
	c->height = L->y1 + 26 + 20 + PAD;
	nice_ticks(lo, hi, ch_want_ticks((L->x1 - L->x0) * 0.6), &L->vt);
	ch_draw_hgrid(L);
	double band = row * 0.7;
	for (size_t i = 0; i < a->ncat; i++) {
		double mid = L->y0 + row * ((double)i + 0.5);
		draw_bar_group(L, a, i, mid - band / 2, band, stacked, 1, !stacked);
		ch_fitted_text(c, L->x0 - 8, mid + 4, a->cat[i].label, FS, 0, lw, ANCHOR_END, NHS_TEXT);
	}
	chart_line(c, vx(L, 0), L->y0, vx(L, 0), L->y1, NHS_MID_GREY, 1);
	if (isfinite(s->target)) {
		char b[256];
		ch_target_label(L, b, sizeof b);
		double x = vx(L, s->target);
		shape *l = chart_line(c, x, L->y0 - 4, x, L->y1, NHS_TEXT, 1.5);
		l->dashed = 1;
		shape_set_title(l, b);
		/* Centred over the line, kept inside the picture. */
		double half = text_width(b, FS, 1) / 2,
		       tx = fmax(PAD + half, fmin(x, c->width - PAD - half));
		shape *tt = chart_text(c, tx, L->y0 - 8, b, FS, ANCHOR_MIDDLE, NHS_TEXT);
		tt->bold = tt->halo = 1;
	}
	ch_draw_axis_titles(L, ch_y_title(s), s->x_label); /* values run along x here */
}

void ch_layout_bars(lay *L, const agg *a, int stacked)
{
	const chart_spec *s = L->s;
	ch_draw_legend(L, a, 0,
		       stacked ? "Parts of 1 to 7 are not drawn, to protect privacy"
			       : "1 to 7, not shown to protect privacy");
	if (s->horizontal)
		layout_bars_horizontal(L, a, stacked);
	else
		layout_bars_vertical(L, a, stacked);
	ch_table_from_agg(L->c, a, L, 0);
	buf d = {0};
	buf_printf(&d, "%s of %s by %s", chart_kind_words[s->kind], ch_y_title(s), ch_x_title(s));
	if (a->nser > 1) {
		buf_printf(&d, " and %s (", ch_series_title(s));
		ch_series_list(&d, a);
		buf_puts(&d, ")");
	}
	buf_printf(&d, ", %zu categor%s.", a->ncat, a->ncat == 1 ? "y" : "ies");
	if (a->nser == 1) {
		ch_describe_extremes(&d, a, L, 0, "Highest");
	} else {
		agg tot = *a; /* totals per category, as one series */
		double *v = xmalloc(a->ncat * sizeof *v);
		for (size_t i = 0; i < a->ncat; i++)
			v[i] = a->cat[i].total;
		tot.val = v, tot.nser = 1;
		ch_describe_extremes(&d, &tot, L, 0, "Highest total");
		free(v);
	}
	ch_describe_common(&d, L, a);
	chart_set_desc(L->c, d.s);
	buf_free(&d);
}

/* ---- Heatmap -------------------------------------------------------------- */

void ch_layout_heatmap(lay *L, const agg *a)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < a->ncat * a->nser; i++)
		if (!isnan(a->val[i]))
			lo = fmin(lo, a->val[i]), hi = fmax(hi, a->val[i]);
	lo = fmin(lo, 0);
	if (!(hi > lo))
		hi = lo + 1;

	/* Legend: the value's name, then a ramp from lo to hi. */
	double y = L->top + 2, x = PAD;
	char b[128];
	ch_fitted_text(c, x, y + 10, ch_y_title(s), FS, 0, 220, ANCHOR_START, NHS_TEXT);
	x += fmin(text_width(ch_y_title(s), FS, 0), 220) + 12;
	ch_value_text(L, lo, b, sizeof b);
	chart_text(c, x, y + 10, b, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
	x += text_width(b, FS, 0) + 6;
	for (int i = 0; i < 32; i++)
		chart_rect(c, x + 5 * i, y, 5.2, 12, palette_seq((i + 0.5) / 32));
	x += 166;
	ch_value_text(L, hi, b, sizeof b);
	chart_text(c, x, y + 10, b, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
	int gaps = 0;
	for (size_t i = 0; i < a->ncat * a->nser; i++)
		gaps |= isnan(a->val[i]) && !a->star[i];
	x += text_width(b, FS, 0) + 18;
	if (gaps) { /* empty cells are outlined, not coloured */
		shape *k = chart_rect(c, x, y, 12, 12, NHS_WHITE);
		k->stroke = NHS_BORDER;
		chart_text(c, x + 18, y + 10, "No value", FS, ANCHOR_START, NHS_TEXT_SECONDARY);
		x += 18 + text_width("No value", FS, 0) + 18;
	}
	if (a->nstar) {
		shape *k = chart_rect(c, x, y - 1, 14, 14, NHS_WHITE);
		k->stroke = NHS_MID_GREY;
		k->dashed = 1;
		chart_text(c, x + 7, y + 13, "*", 14, ANCHOR_MIDDLE, NHS_TEXT)->bold = 1;
		chart_text(c, x + 20, y + 10, "1 to 7, not shown", FS, ANCHOR_START, NHS_TEXT_SECONDARY);
	}
	L->top = y + 24;

	double lw = 0;
	for (size_t j = 0; j < a->nser; j++)
		lw = fmax(lw, text_width(a->ser[j].label, FS, 0));
	lw = fmin(lw, c->width * 0.3);
	L->x0 = PAD + lw + 8;
	L->x1 = c->width - PAD;
	double cw = (L->x1 - L->x0) / (double)a->ncat, rh = a->nser > 20 ? 18 : 26;
	char **labels = ch_cat_labels(a);
	cat_axis ax = ch_plan_cat_axis(labels, a->ncat, cw);
	L->y0 = L->top + 4;
	L->y1 = L->y0 + rh * (double)a->nser;
	c->height = L->y1 + ax.height + 14 + PAD;
	for (size_t j = 0; j < a->nser; j++) {
		double ry = L->y0 + rh * (double)j;
		ch_fitted_text(c, L->x0 - 8, ry + rh / 2 + 4, a->ser[j].label, FS, 0, lw, ANCHOR_END, NHS_TEXT);
		for (size_t i = 0; i < a->ncat; i++) {
			double v = cell(a, i, j), cx = L->x0 + cw * (double)i;
			if (starred(a, i, j)) {
				shape *r = chart_rect(c, cx + 1.5, ry + 1.5, cw - 3, rh - 3, NHS_WHITE);
				r->stroke = NHS_MID_GREY;
				r->dashed = 1;
				char tip[600];
				snprintf(tip, sizeof tip, "%s, %s: %s", a->ser[j].label, a->cat[i].label, STAR_TIP);
				shape_set_title(r, tip);
				if (cw >= 8 && rh >= 12)
					chart_text(c, cx + cw / 2, ry + rh / 2 + 5, "*", 12, ANCHOR_MIDDLE, NHS_TEXT)->bold = 1;
				continue;
			}
			colour f = isnan(v) ? NHS_WHITE : palette_seq((v - lo) / (hi - lo));
			shape *r = isnan(v) ? chart_rect(c, cx + 1.5, ry + 1.5, cw - 3, rh - 3, f)
					    : chart_rect(c, cx, ry, cw, rh, f);
			r->stroke = isnan(v) ? NHS_BORDER : NHS_WHITE;
			char vb[64], tip[600];
			ch_value_text(L, v, vb, sizeof vb);
			snprintf(tip, sizeof tip, "%s, %s: %s", a->ser[j].label, a->cat[i].label, isnan(v) ? "no value" : vb);
			shape_set_title(r, tip);
			/* Zeros stay blank: the palest colour already says so. */
			if (!isnan(v) && v != 0 && text_width(vb, FS_VALUE, 0) <= cw - 6 && rh >= 16)
				chart_text(c, L->x0 + cw * ((double)i + 0.5), ry + rh / 2 + 4, vb, FS_VALUE, ANCHOR_MIDDLE,
					   palette_text_on(f));
		}
	}
	double *centre = xmalloc(a->ncat * sizeof *centre);
	for (size_t i = 0; i < a->ncat; i++)
		centre[i] = L->x0 + cw * ((double)i + 0.5);
	ch_draw_cat_labels(L, labels, centre, a->ncat, &ax, L->y1, cw);
	ch_draw_axis_titles(L, ch_x_title(s), NULL);
	free(centre);
	free(labels);

	ch_table_from_agg(c, a, L, 1);
	buf d = {0};
	char b1[64], b2[64];
	ch_value_text(L, lo, b1, sizeof b1);
	ch_value_text(L, hi, b2, sizeof b2);
	buf_printf(&d, "Heatmap of %s by %s (%zu rows) and %s (%zu columns); darker is higher, from %s to %s.",
		   ch_y_title(s), ch_series_title(s), a->nser, ch_x_title(s), a->ncat, b1, b2);
	size_t bi = 0, bj = 0;
	double best = -INFINITY;
	for (size_t j = 0; j < a->nser; j++)
		for (size_t i = 0; i < a->ncat; i++)
			if (cell(a, i, j) > best)
				best = cell(a, i, j), bi = i, bj = j;
	if (isfinite(best))
		buf_printf(&d, " Highest: %s, %s (%s).", a->ser[bj].label, a->cat[bi].label, b2);
	ch_describe_common(&d, L, a);
	chart_set_desc(c, d.s);
	buf_free(&d);
}

