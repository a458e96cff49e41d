/* Entity-relationship diagrams: the source tables (er_diagram) and the
 * whole data model, sources to marts (data_model_diagram). Keys come from
 * declarations only: the data contract's keys and foreign keys
 * (contract/sources.c) for sources, the unique and ref() data tests of the
 * model registry for models.
 *
 * Layout (docs/charts.md, "Data-model diagram"): boxes stacked in columns,
 * one band of columns per layer; edges are orthogonal and run only in the
 * vertical channels between columns and in horizontal passages through
 * the gaps of the columns they cross, so no edge passes behind a box. */
#include "check/check.h"
#include "contract/schema.h"
#include "registry/model.h"
#include "draw/chart.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD 12.0
#define TEXT_X 7.0   /* text inset in a box */
#define FS 12.0      /* table and column names */
#define HEAD_H 19.0
#define ROW_H 14.0
#define BOX_GAP 12.0 /* between boxes of a column: room for passages */
#define MARGIN 12.0  /* box side to the first lane: room for the crow's foot */
#define LANE 5.0     /* lane and track spacing */
#define CLEAR 5.0    /* a passage keeps this far from boxes */
#define MAX_ROWS 24
#define NBAND 4
#define MAX_COLS 16
#define HEAD_GAP 24.0 /* room for a band's heading under another band's boxes */
#define HEAD_BASE 10.0 /* a band's heading: baseline above its first box */
#define NCAND 6        /* arrangements laid out in full to pick the best */
#define SHARE_COST 0.01 /* a band sharing a column must print 1% larger */

/* ---- The entities and their relationships ------------------------------------ */

enum { ROLE_PK = 1, ROLE_FK = 2, ROLE_REF = 4 }; /* REF: referenced, but not a declared key */

typedef struct erow {
	char name[64];
	int role;
} erow;

typedef struct ebox {
	const char *name;
	int band;          /* 0 sources and seeds, 1 staging, 2 intermediate, 3 marts */
	int model, src;    /* registry (or extra model) or source index; -1 if not */
	const model_def *def; /* the model's declaration; NULL for sources */
	int depth;         /* longest chain of references to boxes of its own band */
	int col;
	double x, y, w, h;
	erow row[MAX_ROWS];
	int nrow;
} ebox;

typedef struct erel {
	int child, crow, parent, prow; /* box and row indexes */
	int dashed;                    /* a code lookup, or a ref() test of warning severity */
	int net;                       /* edges to one key with one style share lanes and tracks */
	char *title;                   /* owned */
	/* Route: a, b the left and right end (a->col <= b->col). */
	int a, b, ka, kb;              /* ka, kb: the vertical channel used at each end */
	double ya, yb, ypass;          /* ypass: NAN when no passage is needed */
	int lane_a, lane_b;
	double pts[12];
	int npts;
} erel;

typedef struct emodel {
	ebox *box;
	int nbox;
	/* Per band: the column of its heading, and the heading's baseline when
	 * the band starts below another band's boxes in that column (else NAN). */
	int head_col[NBAND];
	double head_y[NBAND];
	double leg_x, leg_y, leg_w; /* the legend: left, first baseline, width */
	erel *rel;
	int nrel;
	int skipped; /* ref() tests whose parent is not drawn */
} emodel;

static int find_row(const ebox *b, const char *col)
{
	for (int i = 0; i < b->nrow; i++)
		if (strcmp(b->row[i].name, col) == 0)
			return i;
	return -1;
}

/* Adds role to column col of b (a new row if needed). */
static void add_role(ebox *b, const char *col, int role)
{
	int i = find_row(b, col);
	if (i < 0) {
		if (b->nrow == MAX_ROWS)
			return;
		i = b->nrow++;
		snprintf(b->row[i].name, sizeof b->row[i].name, "%s", col);
		b->row[i].role = 0;
	}
	b->row[i].role |= role;
}

static int rank_role(int role)
{
	return role & ROLE_PK ? 0 : role & ROLE_FK ? 1 : 2;
}

/* Keys first, then foreign keys, then other referenced columns; stable. */
static void sort_rows(ebox *b)
{
	for (int i = 1; i < b->nrow; i++)
		for (int j = i; j > 0 && rank_role(b->row[j].role) < rank_role(b->row[j - 1].role); j--) {
			erow t = b->row[j];
			b->row[j] = b->row[j - 1];
			b->row[j - 1] = t;
		}
}

static int box_of(const emodel *m, const char *name)
{
	for (int i = 0; i < m->nbox; i++)
		if (strcmp(m->box[i].name, name) == 0)
			return i;
	return -1;
}

static ebox *new_box(emodel *m, const char *name, int band, int model, int src)
{
	m->box = xrealloc(m->box, (size_t)(m->nbox + 1) * sizeof *m->box);
	ebox *b = &m->box[m->nbox++];
	memset(b, 0, sizeof *b);
	b->name = name, b->band = band, b->model = model, b->src = src;
	return b;
}

static void new_rel(emodel *m, int child, const char *ccol, int parent, const char *pcol, int dashed,
		    const char *title)
{
	m->rel = xrealloc(m->rel, (size_t)(m->nrel + 1) * sizeof *m->rel);
	erel *r = &m->rel[m->nrel++];
	memset(r, 0, sizeof *r);
	r->child = child, r->parent = parent, r->dashed = dashed;
	r->crow = find_row(&m->box[child], ccol);
	r->prow = find_row(&m->box[parent], pcol);
	r->title = xstrdup(title);
}

/* Whether column c of source table d is one of its foreign keys. */
static int is_fk(const src_table *d, const char *c)
{
	for (int k = 0; k < d->nfks; k++)
		if (strcmp(d->fks[k].column, c) == 0)
			return 1;
	return 0;
}

/* The source tables with their declared keys and foreign keys; a code
 * looked up in a seed (FK_LOOKUP) is kept and counted rather than
 * rejected when the seed lacks it, so it is drawn dashed. */
static void source_boxes(emodel *m)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const src_table *d = &source_tables[s];
		ebox *b = new_box(m, d->name, 0, -1, s);
		for (int i = 0; i < d->ncols; i++) { /* schema order */
			const char *c = d->cols[i].name;
			int role = (d->key && strcmp(d->key, c) == 0 ? ROLE_PK : 0) | (is_fk(d, c) ? ROLE_FK : 0);
			if (role)
				add_role(b, c, role);
		}
		sort_rows(b);
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		const src_table *d = &source_tables[s];
		for (int k = 0; k < d->nfks; k++) {
			const src_fk *fk = &d->fks[k];
			const src_table *p = &source_tables[fk->parent];
			int a = box_of(m, p->name), c = box_of(m, d->name);
			if (a < 0 || c < 0 || !p->key || find_row(&m->box[a], p->key) < 0 ||
			    find_row(&m->box[c], fk->column) < 0)
				continue;
			int lookup = (fk->flags & FK_LOOKUP) != 0;
			char tip[300];
			snprintf(tip, sizeof tip, "%s.%s \xE2\x86\x92 %s.%s%s", d->name, fk->column, p->name, p->key,
				 lookup ? " (code lookup)" : "");
			new_rel(m, c, fk->column, a, p->key, lookup, tip);
		}
	}
}

/* The models of the registry, then extra (declared elsewhere, e.g. by a
 * test), drawn after them in their layer. Keys are the error-severity key
 * tests (unique on a column, unique(a, b) on the model), foreign keys the
 * ref() tests, read from the compiled tests (the registry's, or compiled
 * on their own for a model declared elsewhere); a test that does not
 * parse is skipped, as the registry is validated at start-up. */
static void model_boxes(emodel *m, int with_intermediate, const model_def *const *extra, int nextra)
{
	int first = m->nbox;
	int nreg = model_total();
	for (int i = 0; i < nreg + nextra; i++) {
		const model_def *d = i < nreg ? model_at(i) : extra[i - nreg];
		if (d->layer == LAYER_SOURCE || (d->layer == LAYER_INTERMEDIATE && !with_intermediate))
			continue;
		ebox *b = new_box(m, d->name, (int)d->layer, i, -1);
		b->def = d;
		test_list own;
		int n;
		const model_test *v = model_def_tests(d, &own, &n);
		int *role = xcalloc((size_t)d->ncols + 1, sizeof *role);
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column < 0)
				continue;
			if ((s->kind->flags & TKF_KEY) && s->severity == SEV_ERROR && !s->nargs)
				role[v[k].column] |= ROLE_PK;
			else if (s->ref_model)
				role[v[k].column] |= ROLE_FK;
		}
		for (int c = 0; c < d->ncols; c++)
			if (role[c])
				add_role(b, d->cols[c].name, role[c]);
		free(role);
		/* A composite key: a model test "unique(a, b)". */
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column >= 0 || !(s->kind->flags & TKF_KEY) || s->severity != SEV_ERROR)
				continue;
			for (int j = 0; j < s->nargs; j++)
				add_role(b, s->args[j], ROLE_PK);
		}
		test_list_free(&own);
	}
	/* Relationships, once every box exists; a referenced column that is
	 * not a key of its table still gets a row to end at. */
	for (int i = first; i < m->nbox; i++) {
		test_list own;
		int n;
		const model_test *v = model_def_tests(m->box[i].def, &own, &n);
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column < 0 || !s->ref_model)
				continue;
			int p = box_of(m, s->ref_model);
			if (p < 0) {
				m->skipped++;
				continue;
			}
			add_role(&m->box[p], s->ref_col, find_row(&m->box[p], s->ref_col) < 0 ? ROLE_REF : 0);
		}
		test_list_free(&own);
	}
	for (int i = 0; i < m->nbox; i++)
		sort_rows(&m->box[i]);
	for (int i = first; i < m->nbox; i++) {
		const model_def *d = m->box[i].def;
		test_list own;
		int n;
		const model_test *v = model_def_tests(m->box[i].def, &own, &n);
		for (int k = 0; k < n; k++) {
			const test_spec *s = &v[k].spec;
			if (v[k].parse_error || v[k].column < 0 || !s->ref_model)
				continue;
			int p = box_of(m, s->ref_model);
			if (p < 0)
				continue;
			int warn = s->severity == SEV_WARN;
			char tip[300];
			snprintf(tip, sizeof tip, "%s.%s \xE2\x86\x92 %s.%s%s", d->name, v[k].colname, s->ref_model,
				 s->ref_col, warn ? " (tested as a warning)" : "");
			new_rel(m, i, v[k].colname, p, s->ref_col, warn, tip);
		}
		test_list_free(&own);
	}
}

static void emodel_free(emodel *m)
{
	for (int i = 0; i < m->nrel; i++)
		free(m->rel[i].title);
	free(m->rel);
	free(m->box);
}

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

static double place_legend(emodel *m, const int *bands, int nbands, int models, double width, double height);

/* Lays out m in the candidate arrangement that prints largest, with its
 * legend (m->leg_*); returns the size of the whole drawing. */
static void layout(emodel *m, const int *bands, int nbands, int models, double top, double *width, double *height)
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

/* ---- Drawing ----------------------------------------------------------------- */

static const char *const band_heading[] = {"Sources and seeds", "Staging", "Intermediate", "Marts"};
/* Header fills by layer; seeds grey. */
static const colour band_fill[] = {0xE8F1FAu, 0xE3F4FBu, 0xDCE8F6u, 0xE1F0E7u};
static const colour band_stroke[] = {NHS_BLUE, NHS_LIGHT_BLUE, NHS_DARK_BLUE, NHS_GREEN};

static char *box_link(const char *prefix, const ebox *b)
{
	if (!prefix)
		return NULL;
	size_t n = strlen(prefix) + strlen(b->name) + 20;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s/%s.html", prefix, b->model >= 0 ? "models" : "sources", b->name);
	return s;
}

/* The end marks: a bar at the key ("one"), a crow's foot at the foreign
 * key ("many"); sx is the side of the box, dir +1 when the line leaves
 * to the right. */
static void end_mark(chart *c, double sx, double y, int dir, int many, colour col)
{
	if (many) {
		chart_line(c, sx + dir * 10, y, sx, y - 5, col, 1.2);
		chart_line(c, sx + dir * 10, y, sx, y + 5, col, 1.2);
	} else {
		chart_line(c, sx + dir * 6, y - 5, sx + dir * 6, y + 5, col, 1.2);
	}
}

static int on_segment(const erel *r, double x, double y)
{
	for (int i = 0; i + 1 < r->npts; i++) {
		double x0 = r->pts[2 * i], y0 = r->pts[2 * i + 1], x1 = r->pts[2 * i + 2], y1 = r->pts[2 * i + 3];
		if (fabs(x - x0) < 0.01 && fabs(x - x1) < 0.01 && y >= fmin(y0, y1) - 0.01 && y <= fmax(y0, y1) + 0.01)
			return 1;
		if (fabs(y - y0) < 0.01 && fabs(y - y1) < 0.01 && x >= fmin(x0, x1) - 0.01 && x <= fmax(x0, x1) + 0.01)
			return 1;
	}
	return 0;
}

static void draw_edges(chart *c, const emodel *m)
{
	for (int j = 0; j < m->nrel; j++) {
		const erel *r = &m->rel[j];
		colour col = r->dashed ? NHS_MID_GREY : NHS_TEXT_SECONDARY;
		shape *s = chart_polyline(c, r->pts, (size_t)r->npts, col, 1.2);
		s->dashed = r->dashed;
		shape_set_title(s, r->title);
		const ebox *a = &m->box[r->a], *b = &m->box[r->b];
		double xa = r->pts[0], xb = r->pts[2 * r->npts - 2];
		end_mark(c, xa, r->ya, +1, r->a == r->child, col);
		end_mark(c, xb, r->yb, b->col == a->col ? +1 : -1, r->b == r->child, col);
	}
	/* A dot where an edge leaves a shared lane or track of its net. */
	for (int j = 0; j < m->nrel; j++) {
		const erel *r = &m->rel[j];
		for (int p = 1; p + 1 < r->npts; p++) {
			double x = r->pts[2 * p], y = r->pts[2 * p + 1];
			int join = 0;
			for (int i = 0; i < m->nrel && !join; i++) {
				const erel *o = &m->rel[i];
				if (i == j || o->net != r->net || !on_segment(o, x, y))
					continue;
				int corner = 0;
				for (int q = 1; q + 1 < o->npts; q++)
					if (fabs(o->pts[2 * q] - x) < 0.01 && fabs(o->pts[2 * q + 1] - y) < 0.01 &&
					    fabs(o->pts[2 * q + 2] - r->pts[2 * p + 2]) < 0.01 &&
					    fabs(o->pts[2 * q + 3] - r->pts[2 * p + 3]) < 0.01)
						corner = 1;
				join = !corner && (i < j || !on_segment(o, r->pts[2 * p + 2], r->pts[2 * p + 3]));
			}
			if (join)
				chart_circle(c, x, y, 2.5, r->dashed ? NHS_MID_GREY : NHS_TEXT_SECONDARY);
		}
	}
}

static void draw_box(chart *c, const ebox *b, const char *href_prefix)
{
	int seed = b->src >= 0 && source_tables[b->src].seed;
	colour stroke = seed ? NHS_MID_GREY : band_stroke[b->band], fill = seed ? NHS_PALE_GREY : band_fill[b->band];
	char *href = box_link(href_prefix, b);
	const char *desc = b->def ? b->def->description : source_tables[b->src].description;
	shape *r = chart_rect(c, b->x, b->y, b->w, b->h, NHS_WHITE);
	r->r = 3;
	r->stroke = stroke;
	r->stroke_width = 1.5;
	shape_set_title(r, desc);
	shape_set_href(r, href);
	shape *hd = chart_rect(c, b->x + 0.75, b->y + 0.75, b->w - 1.5, HEAD_H - 0.75, fill);
	hd->r = 2.5;
	shape_set_href(hd, href);
	shape *t = chart_text(c, b->x + TEXT_X, b->y + 14, b->name, FS, ANCHOR_START, NHS_TEXT);
	t->bold = 1;
	shape_set_href(t, href);
	free(href);
	if (!b->nrow)
		chart_text(c, b->x + TEXT_X, b->y + HEAD_H + 11.5, "no key", FS, ANCHOR_START, NHS_TEXT_SECONDARY);
	for (int i = 0; i < b->nrow; i++) {
		double y = b->y + HEAD_H + ROW_H * (i + 0.5) + 3.75; /* centred on the row */
		int role = b->row[i].role;
		chart_text(c, b->x + TEXT_X, y, b->row[i].name, FS, ANCHOR_START, NHS_TEXT)->bold = (role & ROLE_PK) != 0;
	}
}

/* The key: line styles, the layers' colours, bold keys; items flow in
 * lines of at most maxw from x0, the first line's baseline at y. With c
 * NULL it only measures. Returns the last line's baseline; *widest is
 * the widest item. */
static double draw_legend(chart *c, double x0, double y, double maxw, const int *bands, int nbands, int models,
			  double *widest)
{
	enum { SOLID, DASHED, SWATCH, TEXT };
	struct {
		int kind, band; /* band: index in bands, nbands for seeds */
		char label[80];
	} it[NBAND + 4];
	int n = 0;
	it[n].kind = SOLID, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "many to one: %s",
		 models ? "foreign key (contract) or ref() test" : "foreign key");
	it[n].kind = DASHED, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "%s",
		 models ? "code looked up in a seed, or ref() test of warning severity"
			: "code looked up in a reference file (seed)");
	for (int b = 0; b <= nbands; b++) {
		it[n].kind = SWATCH, it[n].band = b;
		snprintf(it[n].label, sizeof it[0].label, "%s",
			 b == nbands ? "seed (reference file)" : b == 0 ? "source" : band_heading[bands[b]]);
		if (b > 0 && b < nbands)
			it[n].label[0] = (char)(it[n].label[0] - 'A' + 'a');
		n++;
	}
	it[n].kind = TEXT, it[n].band = 0;
	snprintf(it[n++].label, sizeof it[0].label, "bold: key column (unique)");
	double x = x0;
	*widest = 0;
	for (int i = 0; i < n; i++) {
		double mark = it[i].kind == SWATCH ? 28 : it[i].kind == TEXT ? 0 : 34;
		double w = mark + text_width(it[i].label, FS, 0);
		*widest = fmax(*widest, w);
		if (x > x0 && x + w > x0 + maxw)
			x = x0, y += 20;
		if (c && it[i].kind == SOLID) {
			chart_line(c, x, y - 4, x + 28, y - 4, NHS_TEXT_SECONDARY, 1.2);
			end_mark(c, x + 28, y - 4, -1, 1, NHS_TEXT_SECONDARY);
			end_mark(c, x, y - 4, +1, 0, NHS_TEXT_SECONDARY);
		} else if (c && it[i].kind == DASHED) {
			chart_line(c, x, y - 4, x + 28, y - 4, NHS_MID_GREY, 1.2)->dashed = 1;
		} else if (c && it[i].kind == SWATCH) {
			int seed = it[i].band == nbands, b = bands[it[i].band % nbands];
			shape *r = chart_rect(c, x, y - 11, 22, 14, seed ? NHS_PALE_GREY : band_fill[b]);
			r->stroke = seed ? NHS_MID_GREY : band_stroke[b];
			r->stroke_width = 1.5;
			r->r = 2;
		}
		if (c)
			chart_text(c, x + mark, y, it[i].label, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
		x += w + 20;
	}
	return y;
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
		double last = draw_legend(NULL, x0, 0, maxw, bands, nbands, models, &widest);
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
					if (m->box[i].col == m->head_col[b] && m->box[i].x + text_width(band_heading[b], 13, 1) > x0 - 4)
						lo = fmax(lo, m->head_y[b] + 4);
		double y = fmax(lo + 24, PAD + 24); /* 12 clear above the first line's capitals */
		if (y + last < best - 1e-9)
			best = y + last, m->leg_x = x0, m->leg_y = y, m->leg_w = maxw;
	}
	(void)height;
	return best;
}

static chart *er_chart(const char *title, const char *href_prefix, int models, int with_intermediate,
		       const model_def *const *extra, int nextra)
{
	emodel m = {0};
	source_boxes(&m);
	if (models)
		model_boxes(&m, with_intermediate, extra, nextra);
	int bands[NBAND], nbands = 0;
	for (int b = 0; b < NBAND; b++) {
		int any = 0;
		for (int i = 0; i < m.nbox; i++)
			any |= m.box[i].band == b;
		if (any)
			bands[nbands++] = b;
	}
	double top = PAD + 13 + (models ? 28 : 18), width, height;
	layout(&m, bands, nbands, models, top, &width, &height);
	chart *c = chart_new(width, height, title);
	c->natural_size = 1;
	shape *t = chart_text(c, PAD, PAD + 13, title, 16, ANCHOR_START, NHS_TEXT);
	t->bold = 1;
	if (models)
		for (int b = 0; b < nbands; b++) { /* headings over each band, at its first column */
			double x = INFINITY, y = m.head_y[bands[b]];
			for (int k = 0; k < m.nbox; k++)
				if (m.box[k].col == m.head_col[bands[b]])
					x = fmin(x, m.box[k].x);
			chart_text(c, x, isnan(y) ? top - HEAD_BASE : y, band_heading[bands[b]], 13, ANCHOR_START,
				   NHS_TEXT_SECONDARY)
				->bold = 1;
		}
	draw_edges(c, &m);
	for (int i = 0; i < m.nbox; i++)
		draw_box(c, &m.box[i], href_prefix);
	double widest;
	draw_legend(c, m.leg_x, m.leg_y, m.leg_w, bands, nbands, models, &widest);

	const char *head[] = {"Column", "References", "Kind"};
	chart_table_init(&c->data, (size_t)m.nrel, 3, head);
	for (int r = 0; r < m.nrel; r++) {
		const erel *e = &m.rel[r];
		char a[200], b[200];
		snprintf(a, sizeof a, "%s.%s", m.box[e->child].name, m.box[e->child].row[e->crow].name);
		snprintf(b, sizeof b, "%s.%s", m.box[e->parent].name, m.box[e->parent].row[e->prow].name);
		chart_table_set(&c->data, (size_t)r, 0, a);
		chart_table_set(&c->data, (size_t)r, 1, b);
		chart_table_set(&c->data, (size_t)r, 2,
				m.box[e->child].model < 0 ? (e->dashed ? "code lookup" : "foreign key")
							  : (e->dashed ? "ref() test (warning)" : "ref() test"));
	}
	buf d = {0};
	if (models)
		buf_printf(&d, "Entity-relationship diagram of the data model: %d source tables, seeds and models with their "
			       "key columns and %d relationships, from the data contract's foreign keys and the models' "
			       "ref() data tests. Columns left to right: sources and seeds, staging models%s, marts.",
			   m.nbox, m.nrel, with_intermediate ? ", intermediate models" : "");
	else
		buf_printf(&d, "Entity-relationship diagram of %d source tables and reference files with their key columns "
			       "and %d relationships; referenced tables are left of or above the tables that refer to them.",
			   m.nbox, m.nrel);
	chart_set_desc(c, d.s);
	buf_free(&d);
	emodel_free(&m);
	return c;
}

chart *er_diagram(const char *href_prefix)
{
	return er_chart("Source data model", href_prefix, 0, 0, NULL, 0);
}

chart *data_model_diagram(const char *href_prefix)
{
	return er_chart("Data model", href_prefix, 1, 0, NULL, 0);
}

chart *data_model_diagram_with(const char *href_prefix, const struct model_def *const *extra, int nextra)
{
	return er_chart("Data model", href_prefix, 1, 0, extra, nextra);
}
