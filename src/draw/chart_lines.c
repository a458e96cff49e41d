/* Layouts on continuous axes: lines over time, numbers or categories, and
 * the histogram. */
#include "draw/chart_impl.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Lines ---------------------------------------------------------------- */

enum { XA_CAT, XA_MONTH, XA_DAYS, XA_NUM };

static int month_index(double day)
{
	int y, m, d;
	civil_from_days((int32_t)day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* Step in months between labels, from 1, 2, 3, 4, 6, 12, 24, ... */
static int month_step(double px_per_month, double need)
{
	static const int ks[] = {1, 2, 3, 4, 6, 12, 24, 36, 60, 120, 240};
	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
		if (px_per_month * ks[i] >= need)
			return ks[i];
	return 600;
}

void ch_layout_line(lay *L, const agg *a)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	size_t n = a->ncat;
	int mode = !a->x_numeric ? XA_CAT : a->x_monthly ? XA_MONTH : a->x_date ? XA_DAYS : XA_NUM;
	ch_draw_legend(L, a, 1, NULL);
	double lo = 0, hi = 0;
	for (size_t i = 0; i < n * a->nser; i++)
		if (!isnan(a->val[i]))
			lo = fmin(lo, a->val[i]), hi = fmax(hi, a->val[i]);
	if (isfinite(s->target))
		lo = fmin(lo, s->target), hi = fmax(hi, s->target);
	nice_ticks(lo, hi, ch_want_ticks(c->height - L->top - 90), &L->vt);
	L->x0 = PAD + 20 + ch_tick_width(&L->vt, s) + 8;
	L->x1 = c->width - PAD - 8;
	L->y0 = L->top + 10;

	/* x positions: t in [0,1] per point, then the tick marks. */
	double *t = xmalloc((n ? n : 1) * sizeof *t), *px = xmalloc((n ? n : 1) * sizeof *px);
	double kmin = n ? a->cat[0].key : 0, kmax = n ? a->cat[n - 1].key : 0;
	axis_ticks xt = {0};
	if (mode == XA_MONTH)
		kmin = month_index(kmin), kmax = month_index(kmax);
	if (mode == XA_NUM) {
		nice_ticks(kmin, kmax, ch_want_ticks((L->x1 - L->x0) * 0.8), &xt);
		kmin = xt.lo, kmax = xt.hi;
	}
	for (size_t i = 0; i < n; i++) {
		double k = mode == XA_CAT ? (double)i : mode == XA_MONTH ? month_index(a->cat[i].key) : a->cat[i].key;
		if (mode == XA_CAT)
			kmin = 0, kmax = (double)n - 1;
		t[i] = kmax > kmin ? (k - kmin) / (kmax - kmin) : 0.5;
	}
	double pad = mode == XA_NUM ? 0 : 12, span = L->x1 - L->x0 - 2 * pad;
	char **labels = NULL;
	double *lx = NULL;
	size_t nl = 0;
	cat_axis ax = {0, 1, 0, 22};
	if (mode == XA_CAT) {
		labels = ch_cat_labels(a);
		for (int pass = 0; pass < 2; pass++) { /* rotated labels may need a wider left margin */
			ax = ch_plan_cat_axis(labels, n, n > 1 ? span / (double)(n - 1) : span);
			if (ax.rotated)
				L->x0 = fmax(L->x0, PAD + ax.maxw * 0.7071 - pad);
			span = L->x1 - L->x0 - 2 * pad;
		}
	}
	for (size_t i = 0; i < n; i++)
		px[i] = L->x0 + pad + t[i] * span;
	if (mode == XA_CAT) {
		lx = px, nl = n;
	} else if (mode == XA_NUM) {
		labels = xmalloc((size_t)xt.n * sizeof *labels);
		lx = xmalloc((size_t)xt.n * sizeof *lx);
		for (int i = 0; i < xt.n; i++) {
			char b[64];
			fmt_tick(&xt, xt.v[i], b, sizeof b);
			labels[nl] = xstrdup(b);
			lx[nl++] = L->x0 + (xt.v[i] - kmin) / (kmax - kmin) * span;
		}
	} else {
		/* Month ticks: monthly data at its points, daily or weekly data at
		 * the first of each month; narrow spans label days. */
		int mlo = month_index(a->cat[0].key), mhi = month_index(a->cat[n - 1].key);
		double days = kmax - kmin;
		if (mode == XA_DAYS && days <= 92) {
			labels = xmalloc(n * sizeof *labels);
			for (size_t i = 0; i < n; i++) {
				char b[32];
				fmt_day((int32_t)a->cat[i].key, 0, b, sizeof b);
				labels[i] = xstrdup(b);
			}
			lx = px, nl = n;
			ax.step = label_step(n > 1 ? span / (double)(n - 1) : span, text_width("30 Sep", FS, 0) + 12);
		} else {
			double per_month = mode == XA_MONTH ? (mhi > mlo ? span / (mhi - mlo) : span) : span / (days / 30.44);
			int kl = month_step(per_month, text_width("Sep 2025", FS, 0) + 14);
			int ks = month_step(per_month, text_width("Sep 25", FS, 0) + 14);
			int k = kl == ks ? kl : ks;
			int longfmt = kl == ks;
			size_t cap = (size_t)(mhi - mlo) / (size_t)k + 2;
			labels = xmalloc(cap * sizeof *labels);
			lx = xmalloc(cap * sizeof *lx);
			for (int m = mlo; m <= mhi; m++) {
				int32_t first = days_from_civil(m / 12, m % 12 + 1, 1);
				if (((m % k) + k) % k != 0 || nl == cap)
					continue;
				double x;
				if (mode == XA_MONTH) {
					x = L->x0 + pad + (mhi > mlo ? (double)(m - mlo) / (mhi - mlo) : 0.5) * span;
				} else {
					if (first < kmin || first > kmax)
						continue;
					x = L->x0 + pad + (first - kmin) / (days > 0 ? days : 1) * span;
				}
				char b[32];
				fmt_month(first, longfmt, b, sizeof b);
				labels[nl] = xstrdup(b);
				lx[nl++] = x;
			}
		}
	}
	L->y1 = c->height - PAD - ax.height - 14;
	ch_draw_vgrid(L);
	chart_line(c, L->x0, vy(L, 0), L->x1, vy(L, 0), NHS_MID_GREY, 1);
	for (size_t i = 0; i < nl; i += ax.step)
		chart_line(c, lx[i], L->y1, lx[i], L->y1 + 4, NHS_MID_GREY, 1);
	if (mode == XA_CAT) {
		ch_draw_cat_labels(L, labels, lx, nl, &ax, L->y1, n > 1 ? span / (double)(n - 1) : span);
	} else {
		for (size_t i = 0; i < nl; i += ax.step)
			chart_text(c, lx[i], L->y1 + 18, labels[i], FS, ANCHOR_MIDDLE, NHS_TEXT);
	}
	ch_draw_target(L, 1);

	/* Series: a polyline per run of points with values, then markers. */
	double *xy = xmalloc(2 * (n ? n : 1) * sizeof *xy);
	int markers = n < 2 || span / (double)(n - 1) >= 14; /* not where they would merge into a band */
	for (size_t j = 0; j < a->nser; j++) {
		colour col = ch_series_colour(L, a, j);
		size_t k = 0;
		for (size_t i = 0; i <= n; i++) {
			double v = i < n ? cell(a, i, j) : NAN;
			if (!isnan(v)) {
				xy[2 * k] = px[i], xy[2 * k + 1] = vy(L, v);
				k++;
				continue;
			}
			if (k > 1) {
				shape *p = chart_polyline(c, xy, k, col, 2.5);
				shape_set_title(p, a->ser[j].label);
			}
			k = 0;
		}
		for (size_t i = 0; markers && i < n; i++) {
			double v = cell(a, i, j);
			if (isnan(v))
				continue;
			shape *m = chart_circle(c, px[i], vy(L, v), 3.5, col);
			m->stroke = NHS_WHITE;
			m->stroke_width = 1.5;
			char tip[600], vb[64];
			ch_value_text(L, v, vb, sizeof vb);
			if (a->nser > 1)
				snprintf(tip, sizeof tip, "%s, %s: %s", a->ser[j].label, a->cat[i].label, vb);
			else
				snprintf(tip, sizeof tip, "%s: %s", a->cat[i].label, vb);
			shape_set_title(m, tip);
		}
	}
	ch_draw_axis_titles(L, ch_x_title(s), ch_y_title(s));
	if (mode != XA_CAT)
		for (size_t i = 0; i < nl; i++)
			free(labels[i]);
	if (lx != px)
		free(lx);
	free(labels);
	free(xy);
	free(t);
	free(px);

	ch_table_from_agg(c, a, L, 0);
	buf d = {0};
	buf_printf(&d, "Line chart of %s by %s", ch_y_title(s), ch_x_title(s));
	if (n)
		buf_printf(&d, ", from %s to %s", a->cat[0].label, a->cat[n - 1].label);
	buf_printf(&d, ", %zu point%s", n, n == 1 ? "" : "s");
	if (a->nser > 1) {
		buf_printf(&d, ", %zu series (", a->nser);
		ch_series_list(&d, a);
		buf_puts(&d, ")");
	}
	buf_puts(&d, ".");
	if (a->nser < a->ser_all)
		buf_printf(&d, " Showing the %zu largest of %zu series.", a->nser, a->ser_all);
	for (size_t j = 0; j < a->nser; j++) {
		size_t f = SIZE_MAX, l = SIZE_MAX;
		for (size_t i = 0; i < n; i++)
			if (!isnan(cell(a, i, j))) {
				if (f == SIZE_MAX)
					f = i;
				l = i;
			}
		if (f == SIZE_MAX)
			continue;
		char b1[64], b2[64];
		ch_value_text(L, cell(a, f, j), b1, sizeof b1);
		ch_value_text(L, cell(a, l, j), b2, sizeof b2);
		if (a->nser > 1)
			buf_printf(&d, " %s: %s in %s, %s in %s.", a->ser[j].label, b1, a->cat[f].label, b2, a->cat[l].label);
		else
			buf_printf(&d, " From %s in %s to %s in %s.", b1, a->cat[f].label, b2, a->cat[l].label);
	}
	ch_describe_common(&d, L, NULL);
	ch_describe_stars(&d, a->nstar);
	chart_set_desc(c, d.s);
	buf_free(&d);
}

/* ---- Histogram ------------------------------------------------------------ */

static void bin_label(double a, double step, int integer, int decimals, char *out, size_t n)
{
	char b1[40], b2[40];
	if (integer && step == 1) {
		fmt_number(a, 0, out, n);
	} else if (integer) {
		fmt_number(a, 0, b1, sizeof b1);
		fmt_number(a + step - 1, 0, b2, sizeof b2);
		snprintf(out, n, "%s\xE2\x80\x93%s", b1, b2);
	} else {
		fmt_number(a, decimals, b1, sizeof b1);
		fmt_number(a + step, decimals, b2, sizeof b2);
		snprintf(out, n, "%s to under %s", b1, b2);
	}
}

/* k rounded up to 1, 2, 5, 10, 20, ... so thinned labels stay regular. */
static size_t step125(size_t k)
{
	for (size_t m = 1;; m *= 10) {
		if (k <= m)
			return m;
		if (k <= 2 * m)
			return 2 * m;
		if (k <= 5 * m)
			return 5 * m;
	}
}

void ch_layout_histogram(lay *L, const mm_table *tb, const size_t *rows, size_t nrows, int xc, int yc, int pc)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	double mn = INFINITY, mx = -INFINITY;
	size_t nv = 0;
	for (size_t i = 0; i < nrows; i++) {
		double v = tbl_value(tb, xc, rows ? rows[i] : i);
		if (isnan(v))
			continue;
		mn = fmin(mn, v), mx = fmax(mx, v);
		nv++;
	}
	if (!nv) {
		ch_no_data(L);
		return;
	}
	int integer = tb->cols[xc].type == T_INT;
	int want = s->bins > 0 ? s->bins : (int)ceil(log2((double)nv) + 1);
	if (s->bins <= 0)
		want = want < 5 ? 5 : want > 30 ? 30 : want;
	double step = mx > mn ? nice_step(mx - mn, want) : integer ? 1 : nice_step(fabs(mn) > 0 ? fabs(mn) : 1, 5);
	if (s->bin_width > 0)
		step = s->bin_width;
	if (integer && step < 1)
		step = 1;
	double start = floor(mn / step) * step;
	size_t nb = (size_t)floor((mx - start) / step) + 1;
	while (nb > MAX_BINS) {
		step *= 2;
		start = floor(mn / step) * step;
		nb = (size_t)floor((mx - start) / step) + 1;
	}
	double *cnt = xcalloc(nb, sizeof *cnt);
	unsigned char *has = xcalloc(nb, 1), *star = xcalloc(nb, 1);
	for (size_t i = 0; i < nrows; i++) {
		size_t r = rows ? rows[i] : i;
		double v = tbl_value(tb, xc, r), w = yc < 0 ? 1 : tbl_value(tb, yc, r);
		int sup = row_suppressed(tb, pc, r);
		if (isnan(v) || (isnan(w) && !sup))
			continue;
		double b = floor((v - start) / step);
		size_t k = b < 0 ? 0 : b >= (double)nb ? nb - 1 : (size_t)b;
		if (sup) {
			star[k] = 1;
			continue;
		}
		cnt[k] += w;
		has[k] = 1;
	}
	size_t nstar = 0;
	for (size_t k = 0; k < nb; k++) {
		star[k] &= !has[k]; /* a bin with any value shows it */
		nstar += star[k];
	}
	double hi = 0;
	for (size_t k = 0; k < nb; k++)
		hi = fmax(hi, cnt[k]);
	L->dec = ch_value_decimals(cnt, nb, NAN);
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	nice_ticks(0, hi, ch_want_ticks(c->height - L->top - 90), &L->vt);
	L->x0 = PAD + 20 + ch_tick_width(&L->vt, s) + 8;
	L->x1 = c->width - PAD - 8;
	L->y0 = L->top + 10;
	L->y1 = c->height - PAD - 22 - 14;
	double end = start + step * (double)nb, bw = (L->x1 - L->x0) / (double)nb;
	ch_draw_vgrid(L);
	char **labels = xmalloc(nb * sizeof *labels);
	double lw = 0;
	for (size_t k = 0; k < nb; k++) {
		char b[160], tip[240], v[64];
		bin_label(start + step * (double)k, step, integer, dec, b, sizeof b);
		labels[k] = xstrdup(b);
		lw = fmax(lw, text_width(b, FS, 0));
		if (star[k]) {
			ch_draw_star(L, L->x0 + bw * (double)k + 0.5, fmax(bw - 1, 0.5), palette_series(0, 1), b, 0);
			continue;
		}
		if (cnt[k] <= 0)
			continue;
		fmt_number(cnt[k], L->dec, v, sizeof v);
		snprintf(tip, sizeof tip, "%s: %s", b, v);
		double x = L->x0 + bw * (double)k;
		/* A bin of one or two in a long tail stays visible. */
		double h = fmax(vy(L, 0) - vy(L, cnt[k]), 1.5);
		shape_set_title(chart_rect(c, x + 0.5, vy(L, 0) - h, fmax(bw - 1, 0.5), h, palette_series(0, 1)), tip);
	}
	chart_line(c, L->x0, vy(L, 0), L->x1, vy(L, 0), NHS_MID_GREY, 1);
	/* Bins of one integer: labels under them; wider bins: at their edges. */
	int centred = integer && step == 1;
	char wide[64];
	fmt_number(end, dec, wide, sizeof wide);
	size_t kk = step125(label_step(bw, (centred ? lw : text_width(wide, FS, 0)) + 12));
	for (size_t i = 0; centred && i < nb; i += kk)
		chart_text(c, L->x0 + bw * ((double)i + 0.5), L->y1 + 18, labels[i], FS, ANCHOR_MIDDLE, NHS_TEXT);
	for (size_t i = 0; !centred && i <= nb; i += kk) {
		char b[64];
		fmt_number(start + step * (double)i, dec, b, sizeof b);
		double x = L->x0 + bw * (double)i;
		chart_line(c, x, L->y1, x, L->y1 + 4, NHS_MID_GREY, 1);
		chart_text(c, x, L->y1 + 18, b, FS, ANCHOR_MIDDLE, NHS_TEXT);
	}
	if (isfinite(s->target) && s->target >= start && s->target <= end) {
		axis_ticks keep = L->vt; /* draw_target maps through the value axis */
		L->vt.lo = start, L->vt.hi = end;
		ch_draw_target(L, 0);
		L->vt = keep;
	}
	ch_draw_axis_titles(L, ch_x_title(s), ch_y_title(s));

	const char *head[] = {ch_x_title(s), ch_y_title(s)};
	chart_table_init(&c->data, nb, 2, head);
	c->data.numeric[1] = 1;
	size_t top = 0;
	for (size_t i = 0; i < nb; i++) {
		char v[64];
		if (star[i])
			snprintf(v, sizeof v, "*");
		else
			fmt_number(cnt[i], L->dec, v, sizeof v);
		chart_table_set(&c->data, i, 0, labels[i]);
		chart_table_set(&c->data, i, 1, v);
		if (cnt[i] > cnt[top])
			top = i;
	}
	buf d = {0};
	char sb[64], tv[64];
	fmt_number(step, dec, sb, sizeof sb);
	fmt_number(cnt[top], L->dec, tv, sizeof tv);
	if (yc < 0) {
		buf_printf(&d, "Histogram of %s: %zu values in %zu bins of width %s.", ch_x_title(s), nv, nb, sb);
	} else { /* weighted rows: say the total, not the number of rows */
		double all = 0;
		char ab[64];
		for (size_t i = 0; i < nb; i++)
			all += cnt[i];
		fmt_number(all, L->dec, ab, sizeof ab);
		buf_printf(&d, "Histogram of %s in %zu bins of width %s (%s: %s in %s).", ch_x_title(s), nb, sb,
			   ch_y_title(s), ab, nstar ? "the bins shown" : "all");
	}
	if (cnt[top] > 0)
		buf_printf(&d, " Most common: %s (%s).", labels[top], tv);
	ch_describe_common(&d, L, NULL);
	ch_describe_stars(&d, nstar);
	chart_set_desc(c, d.s);
	buf_free(&d);
	for (size_t i = 0; i < nb; i++)
		free(labels[i]);
	free(labels);
	free(cnt);
	free(has);
	free(star);
}

