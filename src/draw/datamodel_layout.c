/* The layout of the data-model diagram (docs/charts.md, "Data-model
 * diagram"): boxes stacked in columns, one band of columns per layer, in
 * the arrangement that prints largest on A4 landscape; edges are
 * orthogonal and run only in the vertical channels between columns and in
 * horizontal passages through the gaps of the columns they cross, so no
 * edge passes behind a box; and the place of the legend. */
#include "draw/datamodel_impl.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BOX_GAP 12.0 /* between boxes of a column: room for passages */
#define MARGIN 12.0  /* box side to the first lane: room for the crow's foot */
#define LANE 5.0     /* lane and track spacing */
#define CLEAR 5.0    /* a passage keeps this far from boxes */
#define MAX_COLS 16
#define HEAD_GAP 24.0 /* room for a band's heading under another band's boxes */
#define NCAND 6        /* arrangements laid out in full to pick the best */
#define SHARE_COST 0.01 /* a band sharing a column must print 1% larger */

/* ---- Columns ----------------------------------------------------------------- */

static void box_size(ebox *b)
{
	double w = text_width(b->name, FS, 1) + 2 * TEXT_X + 2;
	for (int i = 0; i < b->nrow; i++)
		w = fmax(w, text_width(b->row[i].name, FS, b->row[i].role & ROLE_PK) + 2 * TEXT_X);
	b->w = ceil(w);
	b->h = HEAD_H + ROW_H * (b->nrow ? b->nrow : 1) + 3;
}

/* Depth within a band: a box sits below (or right of) the boxes of its
 * band that it refers to. */
static void band_depths(emodel *m)
{
	for (int pass = 0; pass <= m->nbox; pass++) {
		int changed = 0;
		for (int j = 0; j < m->nrel; j++) {
			ebox *c = &m->box[m->rel[j].child], *p = &m->box[m->rel[j].parent];
			if (c != p && c->band == p->band && c->depth < p->depth + 1 && c->depth < m->nbox) {
				c->depth = p->depth + 1;
				changed = 1;
			}
		}
		if (!changed)
			break;
	}
}

/* Box order within a band: depth, then declaration. */
static int *band_order(const emodel *m, int band, int *n)
{
	int *v = xmalloc((size_t)(m->nbox + 1) * sizeof *v), k = 0;
	for (int d = 0; d <= m->nbox; d++)
		for (int i = 0; i < m->nbox; i++)
			if (m->box[i].band == band && m->box[i].depth == d)
				v[k++] = i;
	*n = k;
	return v;
}

/* An arrangement: the boxes flow down columns at most lim high, band by
 * band, each band in depth order (as newspaper columns); a band starts a
 * new column, or, when share[b], continues below the previous band's
 * boxes under its own heading (as marts under the staging models when
 * those are short). */
typedef struct arrangement {
	double lim;
	int share[NBAND];
} arrangement;

/* Sets every box's col and the bands' heading columns for a; returns the
 * column count and the tallest column in *tallest, or -1 when the
 * arrangement does not hold: too many columns, or a band starting with a
 * lone box under another (easily missed). ord, cnt: band_order of each
 * band. */
static int flow(emodel *m, int *const *ord, const int *cnt, const int *bands, int nbands, const arrangement *a,
		double *tallest, double *cw)
{
	double colh[MAX_COLS] = {0}, h = 0;
	for (int k = 0; k < MAX_COLS; k++)
		cw[k] = 0;
	int c = -1;
	for (int b = 0; b < nbands; b++) {
		int shared = a->share[b] && c >= 0, n0 = 0;
		if (shared)
			h = colh[c] + HEAD_GAP;
		else
			h = 0, c++;
		if (c >= MAX_COLS)
			return -1;
		m->head_col[bands[b]] = c;
		for (int i = 0; i < cnt[b]; i++) {
			double bh = m->box[ord[b][i]].h + BOX_GAP;
			if (h > 0 && h + bh > a->lim + BOX_GAP) {
				if (shared && n0 < 2)
					return -1;
				colh[c++] = h, h = 0, shared = 0;
				if (c >= MAX_COLS)
					return -1;
			}
			m->box[ord[b][i]].col = c;
			cw[c] = fmax(cw[c], m->box[ord[b][i]].w);
			h += bh;
			n0++;
		}
		colh[c] = h;
	}
	*tallest = 0;
	for (int k = 0; k <= c; k++)
		*tallest = fmax(*tallest, colh[k] - BOX_GAP);
	return c + 1;
}

static int arrange(emodel *m, const int *bands, int nbands, const arrangement *a, double *tallest)
{
	int *ord[NBAND] = {0}, cnt[NBAND] = {0};
	for (int b = 0; b < nbands; b++)
		ord[b] = band_order(m, bands[b], &cnt[b]);
	double cw[MAX_COLS];
	int ncol = flow(m, ord, cnt, bands, nbands, a, tallest, cw);
	for (int b = 0; b < nbands; b++)
		free(ord[b]);
	return ncol;
}

/* The arrangements to try: every column height from the tallest box to
 * one column, in steps of 2 units, and every choice of bands that share a
 * column. Keeps the NCAND different ones whose estimated size prints
 * largest on A4 landscape (277 x 190 mm inside margins), best first;
 * returns how many. */
static int candidates(emodel *m, const int *bands, int nbands, arrangement *out)
{
	int *ord[NBAND] = {0}, cnt[NBAND] = {0}, n = 0;
	double est[NCAND], ew[NCAND], eh[NCAND], lo = 0, hi = 0;
	for (int b = 0; b < nbands; b++)
		ord[b] = band_order(m, bands[b], &cnt[b]);
	for (int i = 0; i < m->nbox; i++) {
		lo = fmax(lo, m->box[i].h);
		hi += m->box[i].h + BOX_GAP + HEAD_GAP;
	}
	hi = fmin(hi, fmax(lo, 1200)); /* taller would print far below 9 pt */
	for (int pat = 0; pat < 1 << (nbands - 1); pat++)
		for (double lim = lo; lim <= hi; lim += 2) {
			arrangement a = {lim, {0}};
			int nshare = 0;
			for (int b = 1; b < nbands; b++)
				nshare += a.share[b] = (pat >> (b - 1)) & 1;
			double tallest, w = 0, cw[MAX_COLS];
			int ncol = flow(m, ord, cnt, bands, nbands, &a, &tallest, cw);
			if (ncol < 0)
				continue;
			for (int c = 0; c < ncol; c++)
				w += cw[c] + 2 * MARGIN + 3 * LANE; /* a guess at the channel's lanes */
			double s = fmin(785.0 / (w + 2 * PAD), 539.0 / (tallest + 100)) * (1 - SHARE_COST * nshare);
			int dup = 0;
			for (int i = 0; i < n && !dup; i++)
				dup = ew[i] == w && eh[i] == tallest;
			if (dup)
				continue;
			int at = n < NCAND ? n : NCAND; /* insertion, stable */
			while (at > 0 && s > est[at - 1] + 1e-9)
				at--;
			if (at >= NCAND)
				continue;
			for (int i = n < NCAND ? n : NCAND - 1; i > at; i--)
				est[i] = est[i - 1], ew[i] = ew[i - 1], eh[i] = eh[i - 1], out[i] = out[i - 1];
			est[at] = s, ew[at] = w, eh[at] = tallest, out[at] = a;
			n += n < NCAND;
		}
	for (int b = 0; b < nbands; b++)
		free(ord[b]);
	return n;
}

/* ---- Routing ----------------------------------------------------------------- */

typedef struct track {
	double y;
	int k0, k1; /* vertical channels at its ends */
	int net;
} track;

/* Whether a horizontal passage at y is free across columns c0..c1. */
static int passage_free(const emodel *m, int c0, int c1, double y)
{
	for (int i = 0; i < m->nbox; i++) {
		const ebox *b = &m->box[i];
		if (b->col >= c0 && b->col <= c1 && y > b->y - CLEAR && y < b->y + b->h + CLEAR)
			return 0;
	}
	for (int b = 0; b < NBAND; b++) /* nor through a band's heading */
		if (!isnan(m->head_y[b]) && m->head_col[b] >= c0 && m->head_col[b] <= c1 &&
		    y > m->head_y[b] - 13 - CLEAR && y < m->head_y[b] + 4 + CLEAR)
			return 0;
	return 1;
}

static int track_free(const track *t, int nt, int k0, int k1, double y, int net)
{
	for (int i = 0; i < nt; i++)
		if (t[i].net != net && fabs(t[i].y - y) < LANE - 0.5 && t[i].k0 <= k1 && k0 <= t[i].k1)
			return 0;
	return 1;
}

static double row_y(const ebox *b, int row)
{
	return b->y + HEAD_H + ROW_H * (row + 0.5);
}

/* Chooses channels and passages for every edge. */
static void route(emodel *m, double top, double bottom)
{
	track *tr = xmalloc((size_t)(3 * m->nrel + 1) * sizeof *tr);
	int nt = 0;
	for (int j = 0; j < m->nrel; j++) { /* the short end segments first: passages keep clear of them */
		erel *r = &m->rel[j];
		const ebox *c = &m->box[r->child], *p = &m->box[r->parent];
		int left_child = c->col < p->col || (c->col == p->col && c->y < p->y);
		r->a = left_child ? r->child : r->parent;
		r->b = left_child ? r->parent : r->child;
		const ebox *a = &m->box[r->a], *b = &m->box[r->b];
		r->ya = row_y(a, r->a == r->child ? r->crow : r->prow);
		r->yb = row_y(b, r->b == r->child ? r->crow : r->prow);
		r->ka = a->col + 1; /* right of a */
		r->kb = b->col == a->col ? a->col + 1 : b->col; /* left of b, or right when in a's column */
		tr[nt++] = (track){r->ya, r->ka, r->ka, r->net};
		tr[nt++] = (track){r->yb, r->kb, r->kb, r->net};
	}
	for (int j = 0; j < m->nrel; j++) {
		erel *r = &m->rel[j];
		r->ypass = NAN;
		int c0 = m->box[r->a].col + 1, c1 = m->box[r->b].col - 1;
		if (c0 > c1)
			continue;
		/* The free height nearest to both ends, reusing a track of the
		 * same net where there is one; else below everything. */
		double want = (r->ya + r->yb) / 2, best = NAN, cost = INFINITY;
		for (double y = top; y <= bottom + 400; y += 1) {
			if (!passage_free(m, c0, c1, y) || !track_free(tr, nt, r->ka, r->kb, y, r->net))
				continue;
			double cst = fabs(y - r->ya) + fabs(y - r->yb) + fabs(y - want) * 0.01;
			for (int i = 0; i < nt; i++)
				if (tr[i].net == r->net && fabs(tr[i].y - y) < 0.5 && tr[i].k0 != tr[i].k1)
					cst -= 20;
			if (cst < cost - 1e-9)
				cost = cst, best = y;
		}
		r->ypass = best;
		tr[nt++] = (track){best, r->ka, r->kb, r->net};
	}
	free(tr);
}

typedef struct vspan {
	int rel, end; /* end 0: at channel ka, 1: at kb */
	double lo, hi;
	int net;
} vspan;

static int cmp_vspan(const void *pa, const void *pb)
{
	const vspan *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi > b->hi ? -1 : 1;
	return a->rel != b->rel ? a->rel - b->rel : a->end - b->end;
}

/* Lanes in channel k: first fit by interval, one lane per net where its
 * spans meet. Returns the number of lanes. */
static int assign_lanes(emodel *m, int k)
{
	vspan *v = xmalloc((size_t)(2 * m->nrel + 1) * sizeof *v);
	int n = 0;
	for (int j = 0; j < m->nrel; j++) {
		erel *r = &m->rel[j];
		if (r->ka == k) {
			double y1 = isnan(r->ypass) ? r->yb : r->ypass;
			v[n++] = (vspan){j, 0, fmin(r->ya, y1), fmax(r->ya, y1), r->net};
		}
		if (r->kb == k && !(r->ka == k && isnan(r->ypass)))
			v[n++] = (vspan){j, 1, fmin(r->ypass, r->yb), fmax(r->ypass, r->yb), r->net};
	}
	qsort(v, (size_t)n, sizeof *v, cmp_vspan);
	double *end = xmalloc((size_t)(n + 1) * sizeof *end);
	int *net = xmalloc((size_t)(n + 1) * sizeof *net), nl = 0;
	for (int i = 0; i < n; i++) {
		int l = -1;
		for (int q = 0; q < nl && l < 0; q++) /* the net's own lane when it is still open */
			if (net[q] == v[i].net && end[q] >= v[i].lo - LANE)
				l = q;
		for (int q = 0; q < nl && l < 0; q++)
			if (end[q] < v[i].lo - LANE)
				l = q;
		int fresh = l < 0;
		if (fresh)
			l = nl++;
		end[l] = !fresh && net[l] == v[i].net ? fmax(end[l], v[i].hi) : v[i].hi;
		net[l] = v[i].net;
		erel *r = &m->rel[v[i].rel];
		if (v[i].end == 0)
			r->lane_a = l;
		if (v[i].end == 1 || (r->ka == k && r->kb == k && isnan(r->ypass)))
			r->lane_b = l;
	}
	free(v);
	free(end);
	free(net);
	return nl;
}

static void add_pt(erel *r, double x, double y)
{
	if (r->npts >= 1 && fabs(r->pts[2 * r->npts - 2] - x) < 0.01 && fabs(r->pts[2 * r->npts - 1] - y) < 0.01)
		return;
	r->pts[2 * r->npts] = x, r->pts[2 * r->npts + 1] = y;
	r->npts++;
}

/* Lays out m; returns the size of the drawing (without the legend). */
/* Lays out m in one arrangement; returns the size of the drawing (without
 * the legend). */
static void layout_one(emodel *m, const int *bands, int nbands, const arrangement *arr, double top,
		       double *width, double *height)
{
	double tallest;
	for (int i = 0; i < m->nbox; i++)
		box_size(&m->box[i]);
	int ncol = arrange(m, bands, nbands, arr, &tallest);
	double *cw = xcalloc((size_t)ncol + 1, sizeof *cw), bottom = top;
	for (int b = 0; b < NBAND; b++)
		m->head_y[b] = NAN;
	for (int c = 0; c < ncol; c++) {
		double y = top;
		int nb;
		for (int bi = 0; bi < nbands; bi++) {
			int *v = band_order(m, bands[bi], &nb), first = 1;
			for (int i = 0; i < nb; i++) {
				ebox *b = &m->box[v[i]];
				if (b->col != c)
					continue;
				if (first && y > top && m->head_col[bands[bi]] == c) {
					y += HEAD_GAP; /* the band's heading, under the boxes of the one before */
					m->head_y[bands[bi]] = y - HEAD_BASE;
				}
				first = 0;
				b->y = y;
				y += b->h + BOX_GAP;
				cw[c] = fmax(cw[c], b->w);
			}
			free(v);
		}
		bottom = fmax(bottom, y - BOX_GAP);
	}
	route(m, top, bottom);
	/* Channels as wide as their lanes; then x of every column. */
	int *lanes = xcalloc((size_t)ncol + 2, sizeof *lanes);
	double *kx = xcalloc((size_t)ncol + 2, sizeof *kx);
	for (int k = 0; k <= ncol; k++)
		lanes[k] = assign_lanes(m, k);
	double x = PAD;
	for (int k = 0; k <= ncol; k++) {
		double wk = lanes[k] ? 2 * MARGIN + (lanes[k] - 1) * LANE : (k == 0 || k == ncol ? 0 : 2 * MARGIN);
		kx[k] = x + MARGIN;
		x += wk;
		if (k < ncol) {
			for (int i = 0; i < m->nbox; i++)
				if (m->box[i].col == k)
					m->box[i].x = x, m->box[i].w = cw[k];
			x += cw[k];
		}
	}
	*width = x + PAD;
	double maxy = bottom;
	for (int j = 0; j < m->nrel; j++) {
		erel *r = &m->rel[j];
		const ebox *a = &m->box[r->a], *b = &m->box[r->b];
		double xa = kx[r->ka] + r->lane_a * LANE, xb = kx[r->kb] + r->lane_b * LANE;
		r->npts = 0;
		add_pt(r, a->x + a->w, r->ya);
		add_pt(r, xa, r->ya);
		if (!isnan(r->ypass)) {
			add_pt(r, xa, r->ypass);
			add_pt(r, xb, r->ypass);
			maxy = fmax(maxy, r->ypass);
		} else if (r->ka == r->kb && r->lane_a != r->lane_b) {
			add_pt(r, xa, r->yb); /* should not happen: same channel, one lane */
		}
		add_pt(r, xb, r->yb);
		add_pt(r, b->col == a->col ? b->x + b->w : b->x, r->yb);
	}
	*height = maxy;
	free(cw);
	free(lanes);
	free(kx);
}

/* Where the legend goes: under the drawing, or, where the drawing leaves
 * room at its bottom right, there (from the left side of a column to the
 * right margin, below every box, heading and edge in that strip), so it
 * adds less height. Sets m->leg_x, leg_y (first baseline), leg_w and
 * returns the last baseline. */
static double place_legend(emodel *m, const int *bands, int nbands, int models, double width, double height)
{
	double best = INFINITY, widest;
	for (int cand = -1; cand < m->nbox; cand++) {
		double x0 = cand < 0 ? PAD : m->box[cand].x, maxw = width - PAD - x0, lo = -INFINITY;
		int seen = 0;
		for (int i = 0; i < cand && !seen; i++)
			seen = m->box[i].x == x0;
		double last = er_draw_legend(NULL, x0, 0, maxw, bands, nbands, models, &widest);
		if (seen || (cand >= 0 && widest > maxw))
			continue;
		for (int i = 0; i < m->nbox; i++) { /* boxes, with their end marks */
			const ebox *b = &m->box[i];
			if (b->x + b->w + 12 > x0 - 4)
				lo = fmax(lo, b->y + b->h);
		}
		for (int j = 0; j < m->nrel; j++)
			for (int p = 0; p + 1 < m->rel[j].npts; p++) {
				const double *q = &m->rel[j].pts[2 * p];
				if (fmax(q[0], q[2]) > x0 - 4)
					lo = fmax(lo, fmax(q[1], q[3]) + 5);
			}
		for (int b = 0; b < NBAND; b++)
			if (!isnan(m->head_y[b]))
				for (int i = 0; i < m->nbox; i++)
					if (m->box[i].col == m->head_col[b] && m->box[i].x + text_width(er_band_heading[b], 13, 1) > x0 - 4)
						lo = fmax(lo, m->head_y[b] + 4);
		double y = fmax(lo + 24, PAD + 24); /* 12 clear above the first line's capitals */
		if (y + last < best - 1e-9)
			best = y + last, m->leg_x = x0, m->leg_y = y, m->leg_w = maxw;
	}
	(void)height;
	return best;
}

/* Lays out m in the candidate arrangement that prints largest, with its
 * legend (m->leg_*); returns the size of the whole drawing. */
void er_layout(emodel *m, const int *bands, int nbands, int models, double top, double *width, double *height)
{
	for (int i = 0; i < m->nbox; i++)
		box_size(&m->box[i]);
	band_depths(m);
	/* Nets: one per referenced key and line style. */
	for (int j = 0; j < m->nrel; j++) {
		m->rel[j].net = j;
		for (int i = 0; i < j; i++)
			if (m->rel[i].parent == m->rel[j].parent && m->rel[i].prow == m->rel[j].prow &&
			    m->rel[i].dashed == m->rel[j].dashed) {
				m->rel[j].net = m->rel[i].net;
				break;
			}
	}
	arrangement cand[NCAND];
	int n = candidates(m, bands, nbands, cand), best = 0;
	double best_s = -1;
	for (int c = 0; c < n && n > 1; c++) {
		int nshare = 0;
		for (int b = 0; b < nbands; b++)
			nshare += cand[c].share[b];
		layout_one(m, bands, nbands, &cand[c], top, width, height);
		double h = fmax(*height + 4, place_legend(m, bands, nbands, models, *width, *height)) + PAD;
		double s = fmin(785.0 / *width, 539.0 / h) * (1 - SHARE_COST * nshare);
		if (s > best_s + 1e-9)
			best_s = s, best = c;
	}
	layout_one(m, bands, nbands, &cand[best], top, width, height);
	*height = fmax(*height + 4, place_legend(m, bands, nbands, models, *width, *height)) + PAD;
}
