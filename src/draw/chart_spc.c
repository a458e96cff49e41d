/* The SPC chart (kind "spc"): an XmR chart as NHS England's "Making Data
 * Count" draws it, computed by spc_xmr() (models/spc.c) from the values the
 * chart is given, so that on a board page the limits come from the same
 * rounded figures as the points (docs/spc.md). Points joined by a line,
 * the mean, the process limits dashed, the standard and the interim target
 * labelled, special-cause points coloured (improving blue, concerning
 * orange), and the variation and assurance verdicts in words above the
 * plot, in the description and beside the data table. */
#include "models/spc.h"
#include "draw/chart_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SPC_MIN_POINTS 12   /* fewer: the points only, no limits or verdicts */
#define SPC_IMPROVING 0x005EB8u  /* NHS Blue */
#define SPC_CONCERNING 0xED8B00u /* NHS Orange */
#define SPC_COMMON NHS_MID_GREY
#define SPC_INTERIM 0x7C2855u    /* NHS Plum */

/* The verdicts of one chart, in words. */
typedef struct verdicts {
	int assessed;
	char variation[200];
	char assurance[400];
} verdicts;

static const char *rule_words(unsigned r, char *out, size_t n)
{
	out[0] = '\0';
	static const struct {
		unsigned bit;
		const char *w;
	} w[] = {{SPC_RULE_OUTSIDE, "outside the limits"},
		 {SPC_RULE_RUN, "a run of 7 on one side of the mean"},
		 {SPC_RULE_TREND, "a trend of 7"},
		 {SPC_RULE_TWO_IN_THREE, "2 of 3 beyond two sigma"}};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (r & w[i].bit) {
			if (*out)
				strncat(out, "; ", n - strlen(out) - 1);
			strncat(out, w[i].w, n - strlen(out) - 1);
		}
	return out;
}

static const char *variation_short(enum spc_variation v)
{
	return v == SPC_SPECIAL_IMPROVING    ? "Special cause, improving"
	       : v == SPC_SPECIAL_CONCERNING ? "Special cause, concerning"
					     : "Common cause";
}

/* The Making Data Count icons (NHS England): a circle for the variation
 * (grey: common cause; blue: improving; orange: concerning, with H or L
 * for a point significantly higher or lower) and one for the assurance
 * (blue P: consistently passes; orange F: consistently fails; grey ?:
 * hit and miss). Each carries its meaning as a tooltip. */
#define ICON_R 13.0
static void icon(chart *c, double cx, double cy, colour fill, const char *letter, const char *title)
{
	shape *o = chart_circle(c, cx, cy, ICON_R, fill);
	o->title = xstrdup(title);
	if (letter) {
		shape *t = chart_text(c, cx, cy + 5, letter, 14, ANCHOR_MIDDLE, NHS_WHITE);
		t->bold = 1;
		t->title = xstrdup(title);
	} else { /* common cause: a level line */
		shape *l = chart_line(c, cx - 7, cy, cx + 7, cy, NHS_WHITE, 2.5);
		l->title = xstrdup(title);
	}
}

static void variation_icon(chart *c, double cx, double cy, enum spc_variation v, enum spc_direction better)
{
	if (v == SPC_COMMON_CAUSE) {
		icon(c, cx, cy, NHS_TEXT_SECONDARY, NULL, "Variation: common cause, no significant change");
		return;
	}
	int high = (v == SPC_SPECIAL_IMPROVING) == (better == SPC_HIGHER_BETTER);
	char t[128];
	snprintf(t, sizeof t, "Variation: special cause, %s (%s)", v == SPC_SPECIAL_IMPROVING ? "improving" : "concerning",
		 high ? "higher" : "lower");
	icon(c, cx, cy, v == SPC_SPECIAL_IMPROVING ? SPC_IMPROVING : 0xB35A00u, high ? "H" : "L", t);
}

static void assurance_icon(chart *c, double cx, double cy, enum spc_assurance a)
{
	if (a == SPC_CONSISTENTLY_PASSES)
		icon(c, cx, cy, SPC_IMPROVING, "P", "Assurance: the process will consistently meet the target");
	else if (a == SPC_CONSISTENTLY_FAILS)
		icon(c, cx, cy, 0xB35A00u, "F", "Assurance: the process will consistently miss the target");
	else
		icon(c, cx, cy, NHS_TEXT_SECONDARY, "?", "Assurance: the process will sometimes meet and sometimes miss the target");
}

/* "The process will consistently miss the 92% standard unless something
 * changes." for a target named name. */
static void assurance_sentence(enum spc_assurance a, const char *name, char *out, size_t n)
{
	switch (a) {
	case SPC_CONSISTENTLY_PASSES: snprintf(out, n, "The process will consistently meet the %s.", name); break;
	case SPC_CONSISTENTLY_FAILS:
		snprintf(out, n, "The process will consistently miss the %s unless something changes.", name);
		break;
	case SPC_HIT_AND_MISS:
		snprintf(out, n, "The process will sometimes meet and sometimes miss the %s.", name);
		break;
	default: out[0] = '\0'; break;
	}
}

/* How the verdict names a reference line: "92% standard", "65% interim
 * target" (the lines' labels are for the plot, and may not read in a
 * sentence). */
static void target_name(const lay *L, double v, const char *what, char *out, size_t n)
{
	char b[64];
	if (v == 0) { /* "the standard of zero", not "the 0% standard" */
		snprintf(out, n, "%s of zero", what);
		return;
	}
	fmt_value(v, b, sizeof b);
	snprintf(out, n, "%s%s %s", b, L->s->suffix ? L->s->suffix : "", what);
}

/* A dashed or solid horizontal line across the plot at v, when inside the
 * value axis; label (may be NULL) at its right end. */
static void hline(lay *L, double v, colour col, double w, int dashed, const char *title, const char *label,
		  int above)
{
	if (!isfinite(v) || v < L->vt.lo || v > L->vt.hi)
		return;
	double y = vy(L, v);
	shape *l = chart_line(L->c, L->x0, y, L->x1, y, col, w);
	l->dashed = dashed;
	shape_set_title(l, title ? title : label);
	if (label) {
		shape *t = chart_text(L->c, L->x1 - 2, above ? y - 5 : y + 14, label, FS, ANCHOR_END, col);
		t->bold = t->halo = 1;
	}
}

/* The mean and the limits: one decimal more than whole-number points. */
static void stat_text(const lay *L, double v, char *out, size_t n)
{
	fmt_number(v, L->dec ? L->dec : 1, out, n);
	if (L->s->suffix && *out)
		strncat(out, L->s->suffix, n - strlen(out) - 1);
}

static void legend_item(chart *c, double *x, double y, int line, int dashed, colour col, const char *text)
{
	if (line) {
		shape *l = chart_line(c, *x, y - 4, *x + 18, y - 4, col, 2);
		l->dashed = dashed;
		*x += 24;
	} else {
		shape *m = chart_circle(c, *x + 5, y - 4, 5, col);
		m->stroke = NHS_WHITE;
		*x += 14;
	}
	chart_text(c, *x, y, text, FS, ANCHOR_START, NHS_TEXT);
	*x += text_width(text, FS, 0) + 16;
}

void ch_layout_spc(lay *L, const agg *a)
{
	chart *c = L->c;
	const chart_spec *s = L->s;
	size_t n = a->ncat;
	enum spc_direction better = s->better < 0 ? SPC_LOWER_BETTER : SPC_HIGHER_BETTER;
	double *x = xmalloc((n ? n : 1) * sizeof *x);
	int stars = 0;
	for (size_t i = 0; i < n; i++) {
		x[i] = cell(a, i, 0);
		stars += starred(a, i, 0) || isnan(x[i]);
	}
	spc_point *pt = xcalloc(n ? n : 1, sizeof *pt);
	spc_chart sc = {0}, si = {0};
	verdicts V = {0};
	char tname[256] = "", iname[256] = "";
	target_name(L, s->target, "standard", tname, sizeof tname);
	target_name(L, s->interim, "interim target", iname, sizeof iname);
	if (!stars && n >= SPC_MIN_POINTS && spc_xmr(x, (int)n, 0, better, s->target, &sc, pt) == 0) {
		V.assessed = 1;
		if (isfinite(s->interim))
			spc_xmr(x, (int)n, 0, better, s->interim, &si, pt);
		const char *hl = better == SPC_HIGHER_BETTER ? (sc.variation == SPC_SPECIAL_IMPROVING ? "higher" : "lower")
							     : (sc.variation == SPC_SPECIAL_IMPROVING ? "lower" : "higher");
		if (sc.variation == SPC_COMMON_CAUSE)
			snprintf(V.variation, sizeof V.variation, "Common cause variation: no significant change.");
		else
			snprintf(V.variation, sizeof V.variation, "Special cause variation, %s: the latest month is "
				 "significantly %s than expected.",
				 sc.variation == SPC_SPECIAL_IMPROVING ? "improving" : "concerning", hl);
		char s1[200] = "", s2[200] = "";
		if (isfinite(s->target))
			assurance_sentence(sc.assurance, tname, s1, sizeof s1);
		if (isfinite(s->interim))
			assurance_sentence(si.assurance, iname, s2, sizeof s2);
		snprintf(V.assurance, sizeof V.assurance, "%s%s%s", s1, *s1 && *s2 ? " " : "", s2);
		if (!*V.assurance)
			snprintf(V.assurance, sizeof V.assurance, "No target: no assurance to give.");
	} else if (stars) {
		snprintf(V.variation, sizeof V.variation, "Not assessed: %d month%s between 1 and 7 (shown *) to protect "
			 "privacy, so no process limits are computed.", stars, stars == 1 ? " is" : "s are");
	} else {
		snprintf(V.variation, sizeof V.variation, "Not assessed: %zu month%s of data; process limits need at "
			 "least %d.", n, n == 1 ? "" : "s", SPC_MIN_POINTS);
	}

	/* The verdicts go on the page as text (c->variation, c->assurance);
	 * the chart carries the Making Data Count icons at its top right and
	 * the key. */
	c->variation = xstrdup(V.variation);
	c->assurance = *V.assurance ? xstrdup(V.assurance) : NULL;
	double y = L->top + 14;
	if (V.assessed) {
		int has_target = isfinite(s->target) || isfinite(s->interim);
		/* The assurance icon speaks of the standard when there is one,
		 * else of the interim target. */
		enum spc_assurance as = isfinite(s->target) ? sc.assurance : si.assurance;
		double ix = c->width - PAD - ICON_R;
		if (has_target) {
			assurance_icon(c, ix, y + 6, as);
			ix -= 2 * ICON_R + 8;
		}
		variation_icon(c, ix, y + 6, sc.variation, better);
		y += 2 * ICON_R - 6;
	}
	double kx = PAD;
	y += 4;
	legend_item(c, &kx, y, 0, 0, SPC_COMMON, "Common cause");
	legend_item(c, &kx, y, 0, 0, SPC_IMPROVING, "Improving");
	legend_item(c, &kx, y, 0, 0, SPC_CONCERNING, "Concerning");
	if (kx > c->width * 0.62) { /* the lines' keys on a row of their own */
		kx = PAD;
		y += 18;
	}
	if (V.assessed) {
		legend_item(c, &kx, y, 1, 0, NHS_TEXT_SECONDARY, "Mean");
		legend_item(c, &kx, y, 1, 1, NHS_MID_GREY, "Process limits");
	}
	L->top = y + 6;

	/* Value axis over the points, limits and targets; counts and shares
	 * never below 0, shares never above 100. */
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
	if (!(hi >= lo))
		lo = 0, hi = 1;
	int nonneg = lo >= 0, pct = s->suffix && !strcmp(s->suffix, "%");
	if (V.assessed)
		lo = fmin(lo, sc.lower_limit), hi = fmax(hi, sc.upper_limit);
	if (isfinite(s->target))
		lo = fmin(lo, s->target), hi = fmax(hi, s->target);
	if (isfinite(s->interim))
		lo = fmin(lo, s->interim), hi = fmax(hi, s->interim);
	if (nonneg && lo < 0)
		lo = 0;
	if (pct && hi > 100)
		hi = 100;
	if (stars && nonneg)
		lo = 0;
	nice_ticks(lo, hi, ch_want_ticks(c->height - L->top - 90), &L->vt);
	if (nonneg && L->vt.lo < 0) /* ticks rounded out below 0 */
		nice_ticks(0, L->vt.hi, ch_want_ticks(c->height - L->top - 90), &L->vt);
	L->x0 = PAD + 20 + ch_tick_width(&L->vt, s) + 8;
	L->x1 = c->width - PAD - 8;
	L->y0 = L->top + 10;
	L->y1 = c->height - PAD - 22 - 14;
	double pad = 12, span = L->x1 - L->x0 - 2 * pad;
	double *px = xmalloc((n ? n : 1) * sizeof *px);
	for (size_t i = 0; i < n; i++)
		px[i] = L->x0 + pad + (n > 1 ? (double)i / (double)(n - 1) : 0.5) * span;
	ch_draw_vgrid(L);
	chart_line(c, L->x0, L->y1, L->x1, L->y1, NHS_MID_GREY, 1);
	size_t step = label_step(n > 1 ? span / (double)(n - 1) : span, text_width("Sep 25", FS, 0) + 14);
	for (size_t k = 0; k < n; k += step) {
		size_t i = (n - 1) % step + k; /* so that the last month (the census) has a label */
		if (i >= n)
			break;
		char b[32];
		fmt_month((int32_t)a->cat[i].key, 0, b, sizeof b);
		chart_line(c, px[i], L->y1, px[i], L->y1 + 4, NHS_MID_GREY, 1);
		chart_text(c, px[i], L->y1 + 18, b, FS, ANCHOR_MIDDLE, NHS_TEXT);
	}

	/* Limits and mean, then the standard and the interim target. */
	char b1[96], b2[128];
	if (V.assessed) {
		stat_text(L, sc.upper_limit, b1, sizeof b1);
		snprintf(b2, sizeof b2, "Upper process limit %s", b1);
		hline(L, sc.upper_limit, NHS_MID_GREY, 1.5, 1, b2, NULL, 1);
		stat_text(L, sc.lower_limit, b1, sizeof b1);
		snprintf(b2, sizeof b2, "Lower process limit %s", b1);
		hline(L, sc.lower_limit, NHS_MID_GREY, 1.5, 1, b2, NULL, 1);
		stat_text(L, sc.mean, b1, sizeof b1);
		snprintf(b2, sizeof b2, "Mean %s", b1);
		hline(L, sc.mean, NHS_TEXT_SECONDARY, 1.5, 0, b2, NULL, 1);
	}
	if (isfinite(s->target)) {
		char lab[256];
		ch_target_label(L, lab, sizeof lab);
		hline(L, s->target, NHS_TEXT, 1.5, 1, NULL, lab, 1);
	}
	if (isfinite(s->interim)) {
		char lab[256], v[64];
		ch_value_text(L, s->interim, v, sizeof v);
		if (s->interim_label)
			snprintf(lab, sizeof lab, "%s", s->interim_label);
		else
			snprintf(lab, sizeof lab, "Interim target %s", v);
		hline(L, s->interim, SPC_INTERIM, 1.5, 1, NULL, lab, 1);
	}

	/* The points: a grey line through the months with values, then a
	 * marker per point coloured by its variation; * for a withheld one. */
	double *xy = xmalloc(2 * (n ? n : 1) * sizeof *xy);
	size_t k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && !isnan(x[i])) {
			xy[2 * k] = px[i], xy[2 * k + 1] = vy(L, x[i]);
			k++;
			continue;
		}
		if (k > 1)
			chart_polyline(c, xy, k, NHS_MID_GREY, 2);
		k = 0;
	}
	char tip[600], vb[64], rw[200];
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i])) {
			if (starred(a, i, 0)) {
				shape *t = chart_text(c, px[i], vy(L, L->vt.lo) - 4, "*", 16, ANCHOR_MIDDLE, NHS_TEXT);
				t->bold = 1;
				snprintf(tip, sizeof tip, "%s: %s", a->cat[i].label, STAR_TIP);
				shape_set_title(t, tip);
			}
			continue;
		}
		enum spc_variation v = V.assessed ? pt[i].variation : SPC_COMMON_CAUSE;
		colour col = v == SPC_SPECIAL_IMPROVING ? SPC_IMPROVING : v == SPC_SPECIAL_CONCERNING ? SPC_CONCERNING
											       : SPC_COMMON;
		shape *m = chart_circle(c, px[i], vy(L, x[i]), v == SPC_COMMON_CAUSE ? 4 : 5.5, col);
		m->stroke = NHS_WHITE;
		m->stroke_width = 1.5;
		ch_value_text(L, x[i], vb, sizeof vb);
		if (V.assessed && v != SPC_COMMON_CAUSE)
			snprintf(tip, sizeof tip, "%s: %s, %s (%s)", a->cat[i].label, vb, variation_short(v),
				 rule_words(pt[i].rules, rw, sizeof rw));
		else
			snprintf(tip, sizeof tip, "%s: %s", a->cat[i].label, vb);
		shape_set_title(m, tip);
	}
	ch_draw_axis_titles(L, NULL, ch_y_title(s));

	/* The data table: every point with the limits and its variation. */
	const char *head[] = {ch_x_title(s), ch_y_title(s), "Mean", "Lower process limit", "Upper process limit",
			      "Variation"};
	chart_table_init(&c->data, n, 6, head);
	for (int j = 1; j < 5; j++)
		c->data.numeric[j] = 1;
	for (size_t i = 0; i < n; i++) {
		chart_table_set(&c->data, i, 0, a->cat[i].label);
		if (isnan(x[i]))
			chart_table_set(&c->data, i, 1, starred(a, i, 0) ? "*" : "");
		else {
			ch_value_text(L, x[i], vb, sizeof vb);
			chart_table_set(&c->data, i, 1, vb);
		}
		if (!V.assessed)
			continue;
		stat_text(L, sc.mean, vb, sizeof vb);
		chart_table_set(&c->data, i, 2, vb);
		stat_text(L, sc.lower_limit, vb, sizeof vb);
		chart_table_set(&c->data, i, 3, vb);
		stat_text(L, sc.upper_limit, vb, sizeof vb);
		chart_table_set(&c->data, i, 4, vb);
		if (pt[i].variation == SPC_COMMON_CAUSE)
			chart_table_set(&c->data, i, 5, "Common cause");
		else {
			snprintf(tip, sizeof tip, "%s (%s)", variation_short(pt[i].variation),
				 rule_words(pt[i].rules, rw, sizeof rw));
			chart_table_set(&c->data, i, 5, tip);
		}
	}

	buf d = {0};
	buf_printf(&d, "SPC chart (XmR) of %s by month", ch_y_title(s));
	if (n)
		buf_printf(&d, ", from %s to %s, %zu points", a->cat[0].label, a->cat[n - 1].label, n);
	buf_puts(&d, ". ");
	if (n && !isnan(x[n - 1])) {
		ch_value_text(L, x[n - 1], vb, sizeof vb);
		buf_printf(&d, "Latest %s. ", vb);
	}
	if (V.assessed) {
		stat_text(L, sc.mean, b1, sizeof b1);
		buf_printf(&d, "Mean %s; process limits ", b1);
		stat_text(L, sc.lower_limit, b1, sizeof b1);
		buf_printf(&d, "%s to ", b1);
		stat_text(L, sc.upper_limit, b1, sizeof b1);
		buf_printf(&d, "%s. ", b1);
	}
	buf_printf(&d, "%s%s%s", V.variation, *V.assurance ? " " : "", V.assurance);
	chart_set_desc(c, d.s);
	buf_free(&d);
	free(xy);
	free(px);
	free(pt);
	free(x);
}
