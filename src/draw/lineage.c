/* The model lineage DAG, derived from the model registry (and, with
 * exposures, from the pages and packs that read the models): columns left
 * to right, boxes ordered within a column by the barycentre of their
 * neighbours, edges as smooth curves through the gaps between boxes. The
 * ER diagrams are in datamodel.c. */
#include "contract/schema.h"
#include "registry/model.h"
#include "draw/chart.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PAD 16.0
#define FS 12.0
#define BOX_H 26.0
#define VGAP 12.0
#define NAME_INSET 12.0  /* text to box edge, each side */
#define NAME_MAX_W 260.0 /* longest name drawn whole */

/* ---- Layered layout -------------------------------------------------------- */

typedef struct node {
	const char *name;   /* "" for a waypoint */
	int id;             /* creation order: the last tie-break */
	int col;            /* column, left to right */
	int group;          /* layer: columns of one group share a heading */
	int waypoint;       /* where a long edge crosses a column */
	double w, h, x, y;
	double rank;        /* order within the column */
	int focus;
	int model, src;     /* registry or source index; -1 if not */
	int ex;             /* exposure index + 1; 0 if not */
} node;

typedef struct edge {
	int from, to;       /* from is left of to */
	double fy, ty;      /* where the ends meet the boxes, below their tops; 0 = the middle */
	int dashed, strong;
	char *title;        /* owned */
	int *via;           /* waypoints in the columns between, left to right; owned */
	size_t nvia;
} edge;

/* A piece of an edge between adjacent columns. */
typedef struct seg {
	int a, b;
	double ay, by;      /* as edge.fy, edge.ty */
} seg;

typedef struct graph {
	node *n;
	size_t nn, ncap, nreal; /* nodes [0, nreal) are boxes, the rest waypoints */
	edge *e;
	size_t ne, ecap;
	seg *s;
	size_t ns;
} graph;

static int add_node(graph *g, node n)
{
	if (g->nn == g->ncap) {
		g->ncap = g->ncap ? g->ncap * 2 : 64;
		g->n = xrealloc(g->n, g->ncap * sizeof *g->n);
	}
	n.id = (int)g->nn;
	g->n[g->nn] = n;
	return (int)g->nn++;
}

static void add_edge(graph *g, int from, int to, double fy, double ty, int dashed, const char *title)
{
	if (g->ne == g->ecap) {
		g->ecap = g->ecap ? g->ecap * 2 : 32;
		g->e = xrealloc(g->e, g->ecap * sizeof *g->e);
	}
	g->e[g->ne++] = (edge){from, to, fy, ty, dashed, 0, title ? xstrdup(title) : NULL, NULL, 0};
}

static void graph_free(graph *g)
{
	for (size_t i = 0; i < g->ne; i++) {
		free(g->e[i].title);
		free(g->e[i].via);
	}
	free(g->e);
	free(g->n);
	free(g->s);
}

static int cmp_rank(const void *pa, const void *pb)
{
	const node *const *a = pa, *const *b = pb;
	if ((*a)->rank != (*b)->rank)
		return (*a)->rank < (*b)->rank ? -1 : 1;
	return (*a)->id - (*b)->id;
}

/* Renumbers columns 0.. without gaps. Returns their count. */
static int compact_columns(graph *g)
{
	int maxc = -1, ncol = 0;
	for (size_t i = 0; i < g->nn; i++)
		maxc = g->n[i].col > maxc ? g->n[i].col : maxc;
	int *to = xcalloc((size_t)maxc + 2, sizeof *to);
	for (size_t i = 0; i < g->nn; i++)
		to[g->n[i].col] = 1;
	for (int c = 0; c <= maxc; c++)
		to[c] = to[c] ? ncol++ : -1;
	for (size_t i = 0; i < g->nn; i++)
		g->n[i].col = to[g->n[i].col];
	free(to);
	return ncol;
}

/* Splits edges into segments between adjacent columns, with a waypoint
 * node in every column a long edge crosses, so that it is routed through
 * the gaps between boxes rather than behind them. */
static void add_waypoints(graph *g, int ncol)
{
	int *group = xmalloc((size_t)ncol * sizeof *group);
	for (size_t i = 0; i < g->nn; i++)
		group[g->n[i].col] = g->n[i].group;
	size_t cap = 0;
	for (size_t j = 0; j < g->ne; j++) {
		edge *e = &g->e[j];
		int c0 = g->n[e->from].col, c1 = g->n[e->to].col;
		if (c1 <= c0)
			continue; /* not drawn */
		e->nvia = (size_t)(c1 - c0 - 1);
		e->via = e->nvia ? xmalloc(e->nvia * sizeof *e->via) : NULL;
		int prev = e->from;
		for (int c = c0 + 1; c <= c1; c++) {
			int next = c == c1 ? e->to
					   : add_node(g, (node){.name = "", .col = c, .group = group[c], .waypoint = 1,
								.model = -1, .src = -1});
			if (c < c1)
				e->via[c - c0 - 1] = next;
			if (g->ns == cap) {
				cap = cap ? cap * 2 : 64;
				g->s = xrealloc(g->s, cap * sizeof *g->s);
			}
			g->s[g->ns++] = (seg){prev, next, prev == e->from ? e->fy : 0, next == e->to ? e->ty : 0};
			prev = next;
		}
	}
	free(group);
}

/* Space kept between two boxes of a column; waypoints pack closer. */
static double gap(const node *a, const node *b)
{
	return a->waypoint || b->waypoint ? 6 : VGAP;
}

/* Sets the rank of column c's nodes to the mean place of their neighbours
 * on side dir (-1 left, +1 right), then renumbers places in (0, 1). */
static void sweep(graph *g, int c, int dir, node **tmp)
{
	size_t k = 0;
	for (size_t i = 0; i < g->nn; i++)
		if (g->n[i].col == c)
			tmp[k++] = &g->n[i];
	for (size_t i = 0; i < k; i++) {
		int self = (int)(tmp[i] - g->n), cnt = 0;
		double sum = 0;
		for (size_t j = 0; j < g->ns; j++) {
			int other = dir < 0 ? (g->s[j].b == self ? g->s[j].a : -1) : (g->s[j].a == self ? g->s[j].b : -1);
			if (other >= 0) {
				sum += g->n[other].y; /* while ordering, y is the place as a share of the column */
				cnt++;
			}
		}
		tmp[i]->rank = cnt ? sum / cnt : tmp[i]->y;
	}
	qsort(tmp, k, sizeof *tmp, cmp_rank);
	for (size_t i = 0; i < k; i++)
		tmp[i]->y = ((double)i + 0.5) / (double)k;
}

/* Where segment s meets node n, below its top. */
static double attach(const graph *g, const seg *s, int n)
{
	double off = n == s->a ? s->ay : s->by;
	return off > 0 ? off : g->n[n].h / 2;
}

/* Moves the boxes v[0..k) of one column (top to bottom) towards the mean
 * height of their segments' other ends, keeping order and gaps. */
static void place_column(graph *g, node **v, size_t k)
{
	if (!k)
		return;
	double *want = xmalloc(k * sizeof *want), *down = xmalloc(k * sizeof *down);
	for (size_t i = 0; i < k; i++) {
		int self = (int)(v[i] - g->n), cnt = 0;
		double sum = 0;
		for (size_t j = 0; j < g->ns; j++) {
			const seg *s = &g->s[j];
			int other = s->a == self ? s->b : s->b == self ? s->a : -1;
			if (other < 0)
				continue;
			sum += g->n[other].y + attach(g, s, other) - attach(g, s, self);
			cnt++;
		}
		want[i] = cnt ? sum / cnt : v[i]->y;
	}
	/* Packed downwards from the top and upwards from the bottom, averaged,
	 * then packed once more so that no two boxes overlap. */
	for (size_t i = 0; i < k; i++)
		down[i] = i ? fmax(want[i], down[i - 1] + v[i - 1]->h + gap(v[i - 1], v[i])) : want[i];
	for (size_t i = k; i-- > 0;)
		if (i + 1 < k)
			want[i] = fmin(want[i], want[i + 1] - v[i]->h - gap(v[i], v[i + 1]));
	for (size_t i = 0; i < k; i++) {
		double y = (down[i] + want[i]) / 2;
		v[i]->y = i ? fmax(y, v[i - 1]->y + v[i - 1]->h + gap(v[i - 1], v[i])) : y;
	}
	free(want);
	free(down);
}

/* Lays out g: columns (col set by the caller) left to right, gap_same
 * apart within a group and gap_other between groups; order within columns
 * by barycentre sweeps; heights by drifting boxes towards their neighbours.
 * Boxes start at y = top. Returns the height used; sets *width. */
static double layout(graph *g, double top, double gap_same, double gap_other, double *width)
{
	g->nreal = g->nn;
	int ncol = compact_columns(g);
	add_waypoints(g, ncol);

	/* Columns' members in order: declaration order first, then sweeps. */
	node **tmp = xmalloc((g->nn ? g->nn : 1) * sizeof *tmp);
	size_t *count = xcalloc((size_t)ncol + 1, sizeof *count), *seen = xcalloc((size_t)ncol + 1, sizeof *seen);
	for (size_t i = 0; i < g->nn; i++)
		count[g->n[i].col]++;
	for (size_t i = 0; i < g->nn; i++)
		g->n[i].y = ((double)seen[g->n[i].col]++ + 0.5) / (double)count[g->n[i].col];
	for (int it = 0; it < 4; it++) {
		for (int c = 1; c < ncol; c++)
			sweep(g, c, -1, tmp);
		for (int c = ncol - 2; c >= 0; c--)
			sweep(g, c, +1, tmp);
	}
	for (int c = 1; c < ncol; c++)
		sweep(g, c, -1, tmp);

	/* Coordinates: columns as wide as their widest box, centred vertically
	 * to start; then each box drifts towards its neighbours, in order. */
	node ***cols = xmalloc(((size_t)ncol + 1) * sizeof *cols);
	int *group = xmalloc(((size_t)ncol + 1) * sizeof *group);
	for (size_t i = 0; i < g->nn; i++)
		group[g->n[i].col] = g->n[i].group;
	double x = PAD;
	for (int c = 0; c < ncol; c++) {
		size_t k = 0;
		double w = 0, h = 0;
		for (size_t i = 0; i < g->nn; i++)
			if (g->n[i].col == c)
				tmp[k++] = &g->n[i];
		for (size_t i = 0; i < k; i++) {
			tmp[i]->rank = tmp[i]->y;
			w = fmax(w, tmp[i]->w);
		}
		qsort(tmp, k, sizeof *tmp, cmp_rank);
		cols[c] = xmalloc((k ? k : 1) * sizeof **cols);
		memcpy(cols[c], tmp, k * sizeof *tmp);
		for (size_t i = 0; i < k; i++) {
			tmp[i]->x = x;
			tmp[i]->w = w;
			tmp[i]->y = top + h;
			h += tmp[i]->h + (i + 1 < k ? gap(tmp[i], tmp[i + 1]) : 0);
		}
		for (size_t i = 0; i < k; i++)
			tmp[i]->y -= h / 2;
		x += w;
		if (c + 1 < ncol) /* narrower between sub-columns of one layer */
			x += group[c] == group[c + 1] ? gap_same : gap_other;
	}
	*width = x + PAD;
	for (int it = 0; it < 12; it++)
		for (int k = 0; k < ncol; k++) {
			int c = it % 2 ? ncol - 1 - k : k;
			place_column(g, cols[c], count[c]);
		}
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < g->nn; i++)
		lo = fmin(lo, g->n[i].y), hi = fmax(hi, g->n[i].y + g->n[i].h);
	for (size_t i = 0; i < g->nn; i++)
		g->n[i].y += top - lo;
	for (int c = 0; c < ncol; c++)
		free(cols[c]);
	free(cols);
	free(group);
	free(count);
	free(seen);
	free(tmp);
	return g->nn ? hi - lo : 0;
}

/* Appends a cubic curve from (x0, y0) to (x1, y1), leaving and entering
 * level, as n points after the start. */
static size_t curve(double *xy, size_t k, double x0, double y0, double x1, double y1, int n)
{
	double dx = (x1 - x0) / 2;
	for (int i = 1; i <= n; i++) {
		double t = (double)i / n, u = 1 - t;
		xy[2 * k] = u * u * u * x0 + 3 * u * u * t * (x0 + dx) + 3 * u * t * t * (x1 - dx) + t * t * t * x1;
		xy[2 * k + 1] = u * u * u * y0 + 3 * u * u * t * y0 + 3 * u * t * t * y1 + t * t * t * y1;
		k++;
	}
	return k;
}

/* Draws edge e through its waypoints, ending inset short of the target
 * box; returns the end point in *ex, *ey. */
static shape *draw_edge(chart *c, const graph *g, const edge *e, double inset, colour col, double width, double *ex,
			double *ey)
{
	enum { N = 16 };
	const node *a = &g->n[e->from], *b = &g->n[e->to];
	double *xy = xmalloc((2 * e->nvia + 2) * (N + 1) * 2 * sizeof *xy);
	double x = a->x + a->w, y = a->y + (e->fy > 0 ? e->fy : a->h / 2);
	size_t k = 1;
	xy[0] = x, xy[1] = y;
	for (size_t i = 0; i < e->nvia; i++) {
		const node *d = &g->n[e->via[i]];
		k = curve(xy, k, x, y, d->x, d->y, N);
		x = d->x + d->w, y = d->y;
		xy[2 * k] = x, xy[2 * k + 1] = y;
		k++;
	}
	*ex = b->x - inset, *ey = b->y + (e->ty > 0 ? e->ty : b->h / 2);
	k = curve(xy, k, x, y, *ex, *ey, N);
	shape *s = chart_polyline(c, xy, k, col, width);
	s->dashed = e->dashed;
	if (e->title)
		shape_set_title(s, e->title);
	free(xy);
	return s;
}

static void arrow_head(chart *c, double x, double y, colour col)
{
	double p[6] = {x, y, x - 7, y - 4, x - 7, y + 4};
	shape *s = chart_polyline(c, p, 3, COLOUR_NONE, 1);
	s->closed = 1;
	s->fill = col;
}

static char *page_link(const char *prefix, const char *dir, const char *name)
{
	if (!prefix)
		return NULL;
	size_t n = strlen(prefix) + strlen(dir) + strlen(name) + 8;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s/%s.html", prefix, dir, name);
	return s;
}

static void draw_title(chart *c, const char *title)
{
	shape *t = chart_text(c, PAD, PAD + 13, title, 16, ANCHOR_START, NHS_TEXT);
	t->bold = 1;
}

/* ---- Model lineage ---------------------------------------------------------- */

/* Layers, and exposures as a fifth: outline, fill and names. */
#define GROUP_EXPOSURE 4
static const colour layer_colour[] = {NHS_MID_GREY, NHS_LIGHT_BLUE, NHS_BLUE, NHS_GREEN, 0xED8B00u};
static const colour layer_fill[] = {NHS_PALE_GREY, 0xE3F4FBu, 0xDCE8F6u, 0xE1F0E7u, 0xFFF4DEu};
static const char *const layer_heading[] = {"Sources", "Staging", "Intermediate", "Marts", "Exposures"};
static const char *const layer_label[] = {"source", "staging", "intermediate", "mart", "exposure"};

static int node_of(const graph *g, const char *name)
{
	for (size_t i = 0; i < g->nn; i++)
		if (strcmp(g->n[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Marks nodes reachable from i along edges (dir +1 downstream, -1 up). */
static void reach(const graph *g, int i, int dir, int *keep)
{
	keep[i] = 1;
	for (size_t j = 0; j < g->ne; j++) {
		int a = dir > 0 ? g->e[j].from : g->e[j].to, b = dir > 0 ? g->e[j].to : g->e[j].from;
		if (a == i && !keep[b])
			reach(g, b, dir, keep);
	}
}

/* Every model, and every source some model reads; edges upstream -> model;
 * then exposures, with edges from the models they read. */
static void lineage_graph(graph *g, const lineage_exposure *ex, int nex)
{
	int nm = model_total();
	for (int s = 0; s < SRC_COUNT; s++) {
		int used = 0;
		for (int m = 0; m < nm && !used; m++)
			for (const char *const *u = model_at(m)->upstream; u && *u; u++)
				used |= strcmp(*u, source_tables[s].name) == 0;
		if (used)
			add_node(g, (node){.name = source_tables[s].name, .group = LAYER_SOURCE, .model = -1, .src = s});
	}
	for (int m = 0; m < nm; m++)
		add_node(g, (node){.name = model_at(m)->name, .group = (int)model_at(m)->layer, .model = m, .src = -1});
	for (size_t i = 0; i < g->nn; i++) {
		if (g->n[i].model < 0)
			continue;
		for (const char *const *u = model_at(g->n[i].model)->upstream; u && *u; u++) {
			int j = node_of(g, *u);
			if (j >= 0 && j != (int)i)
				add_edge(g, j, (int)i, 0, 0, 0, NULL);
		}
	}
	size_t nbox = g->nn;
	for (int x = 0; x < nex; x++) {
		int k = add_node(g, (node){.name = ex[x].name, .group = GROUP_EXPOSURE, .model = -1, .src = -1, .ex = x + 1});
		for (int m = 0; m < ex[x].nmodels; m++) {
			int dup = 0;
			for (int q = 0; q < m; q++)
				dup |= strcmp(ex[x].models[q], ex[x].models[m]) == 0;
			for (size_t j = 0; j < nbox && !dup; j++)
				if (strcmp(g->n[j].name, ex[x].models[m]) == 0) {
					add_edge(g, (int)j, k, 0, 0, 0, NULL);
					break;
				}
		}
	}
}

/* Column = layer, split into sub-columns where a model reads another of
 * its own layer; a model never sits left of what it reads. */
static void lineage_columns(graph *g)
{
	int *sub = xcalloc(g->nn + 1, sizeof *sub);
	for (size_t pass = 0; pass <= g->nn; pass++) { /* relax; the registry is acyclic */
		int changed = 0;
		for (size_t j = 0; j < g->ne; j++) {
			node *a = &g->n[g->e[j].from], *b = &g->n[g->e[j].to];
			int ia = g->e[j].from, ib = g->e[j].to;
			if (a->group > b->group) { /* a misdeclared layer: keep edges rightward */
				b->group = a->group;
				changed = 1;
			}
			if (a->group == b->group && sub[ib] < sub[ia] + 1) {
				sub[ib] = sub[ia] + 1;
				changed = 1;
			}
		}
		if (!changed)
			break;
	}
	for (size_t i = 0; i < g->nn; i++)
		g->n[i].col = g->n[i].group * 64 + (sub[i] < 63 ? sub[i] : 63);
	free(sub);
}

/* The link of node n, or NULL. */
static char *node_link(const node *n, const lineage_exposure *ex, const char *prefix)
{
	if (!prefix)
		return NULL;
	if (!n->ex)
		return page_link(prefix, n->model >= 0 ? "models" : "sources", n->name);
	const char *h = ex[n->ex - 1].href;
	if (!h)
		return NULL;
	size_t len = strlen(prefix) + strlen(h) + 1;
	char *s = xmalloc(len);
	snprintf(s, len, "%s%s", prefix, h);
	return s;
}

/* Swatches of the layers drawn, under the diagram from baseline y, wrapped
 * to width; c NULL only measures. Returns the last baseline. */
static double layer_legend(chart *c, const graph *g, double y, double width)
{
	double x = PAD;
	for (int l = 0; l <= GROUP_EXPOSURE; l++) {
		int any = 0;
		for (size_t i = 0; i < g->nreal; i++)
			any |= g->n[i].group == l;
		if (!any)
			continue;
		const char *t = l == GROUP_EXPOSURE ? "exposure: site page or PDF pack" : layer_label[l];
		double w = 28 + text_width(t, FS, 0);
		if (x > PAD && x + w > width - PAD)
			x = PAD, y += 20;
		if (c) {
			shape *r = chart_rect(c, x, y - 11, 22, 14, layer_fill[l]);
			r->stroke = layer_colour[l];
			r->stroke_width = 1.5;
			r->r = 3;
			chart_text(c, x + 28, y, t, FS, ANCHOR_START, NHS_TEXT_SECONDARY);
		}
		x += w + 20;
	}
	return y;
}

chart *lineage_diagram(const char *focus, const char *href_prefix)
{
	return lineage_diagram_ex(focus, href_prefix, NULL, 0);
}

chart *lineage_diagram_ex(const char *focus, const char *href_prefix, const lineage_exposure *ex, int nex)
{
	graph g = {0};
	lineage_graph(&g, ex, nex);
	int f = focus ? node_of(&g, focus) : -1;
	if (focus && f < 0) {
		graph_free(&g);
		return NULL;
	}
	char title[300];
	if (focus)
		snprintf(title, sizeof title, "Lineage of %s", focus);
	else
		snprintf(title, sizeof title, "Model lineage");

	if (f >= 0) {
		/* Keep the focus's upstream and downstream closure, and only the
		 * edges within one of them: the paths into and out of the focus. */
		int *up = xcalloc(g.nn + 1, sizeof *up), *down = xcalloc(g.nn + 1, sizeof *down);
		int *to = xmalloc((g.nn + 1) * sizeof *to);
		reach(&g, f, -1, up);
		reach(&g, f, +1, down);
		size_t k = 0;
		for (size_t i = 0; i < g.nn; i++) {
			to[i] = up[i] || down[i] ? (int)k : -1;
			if (to[i] >= 0)
				g.n[k++] = g.n[i];
		}
		g.nn = k;
		size_t m = 0;
		for (size_t j = 0; j < g.ne; j++) {
			int a = g.e[j].from, b = g.e[j].to;
			if ((up[a] && up[b]) || (down[a] && down[b]))
				g.e[m++] = (edge){to[a], to[b], 0, 0, 0, 0, NULL, NULL, 0};
		}
		g.ne = m;
		f = to[f];
		g.n[f].focus = 1;
		for (size_t j = 0; j < g.ne; j++)
			g.e[j].strong = g.e[j].from == f || g.e[j].to == f;
		free(up);
		free(down);
		free(to);
	}
	/* A box is as wide as its name, up to NAME_MAX_W; a longer name is
	 * cut with an ellipsis (the full name is its tooltip). */
	for (size_t i = 0; i < g.nn; i++) {
		g.n[i].w = fmin(text_width(g.n[i].name, FS, g.n[i].focus), NAME_MAX_W) + 2 * NAME_INSET;
		g.n[i].h = BOX_H;
	}
	lineage_columns(&g);

	double top = PAD + 13 + 14 + 22, width;
	double h = layout(&g, top, 44, 64, &width);
	/* Wide enough for the title and each layer's heading, which may be
	 * wider than the column under it. */
	double lw = fmax(fmax(width, 320), 2 * PAD + text_width(title, 16, 1));
	for (size_t i = 0; i < g.nn; i++)
		lw = fmax(lw, g.n[i].x + text_width(layer_heading[g.n[i].group], 13, 1) + PAD);
	double ly = top + fmax(h, 40) + 28;
	chart *c = chart_new(lw, layer_legend(NULL, &g, ly, lw) + PAD, title);
	c->natural_size = 1;
	draw_title(c, title);
	if (!g.nn) {
		chart_text(c, c->width / 2, top + 24, "No models declared", 14, ANCHOR_MIDDLE, NHS_TEXT_SECONDARY);
		chart_set_desc(c, "No models declared.");
		const char *head[] = {"Model"};
		chart_table_init(&c->data, 0, 1, head);
		graph_free(&g);
		return c;
	}
	/* Headings over the first column of each layer. */
	int done[5] = {0};
	for (int col = 0;; col++) {
		int any = 0;
		for (size_t i = 0; i < g.nn; i++)
			if (g.n[i].col == col) {
				any = 1;
				if (!done[g.n[i].group]) {
					done[g.n[i].group] = 1;
					chart_text(c, g.n[i].x, top - 10, layer_heading[g.n[i].group], 13, ANCHOR_START,
						   NHS_TEXT_SECONDARY)
						->bold = 1;
				}
				break;
			}
		if (!any)
			break;
	}
	for (int pass = 0; pass < 2; pass++) /* the focus's edges on top */
		for (size_t j = 0; j < g.ne; j++) {
			const edge *e = &g.e[j];
			if (e->strong != pass)
				continue;
			colour col = e->strong ? NHS_TEXT_SECONDARY : NHS_BORDER;
			char tip[300];
			snprintf(tip, sizeof tip, "%s \xE2\x86\x92 %s", g.n[e->from].name, g.n[e->to].name);
			double endx, endy;
			shape_set_title(draw_edge(c, &g, e, 6, col, e->strong ? 1.6 : 1.2, &endx, &endy), tip);
			arrow_head(c, endx + 6, endy, col);
		}
	for (size_t i = 0; i < g.nreal; i++) {
		const node *n = &g.n[i];
		const model_def *m = n->model >= 0 ? model_at(n->model) : NULL;
		char *href = node_link(n, ex, href_prefix);
		char tip[600];
		if (n->ex)
			snprintf(tip, sizeof tip, "%s (%s)", n->name,
				 ex[n->ex - 1].kind == EXPOSURE_PACK ? "PDF pack" : "site page");
		else
			snprintf(tip, sizeof tip, "%s (%s): %s", n->name, layer_label[n->group],
				 m ? m->description : source_tables[n->src].description);
		shape *r = chart_rect(c, n->x, n->y, n->w, n->h, n->focus ? NHS_BLUE : layer_fill[n->group]);
		r->r = 4;
		r->stroke = layer_colour[n->group];
		r->stroke_width = 1.5;
		shape_set_title(r, tip);
		shape_set_href(r, href);
		char shown[256];
		int cut = text_fit(n->name, FS, n->focus, n->w - 2 * NAME_INSET + 0.01, shown, sizeof shown);
		shape *t = chart_text(c, n->x + NAME_INSET, n->y + n->h / 2 + 4, shown, FS, ANCHOR_START,
				      n->focus ? NHS_WHITE : NHS_TEXT);
		t->bold = n->focus;
		if (cut)
			shape_set_title(t, n->name);
		shape_set_href(t, href);
		free(href);
	}

	layer_legend(c, &g, ly, lw);

	/* Data table and summary: each node with what it reads and feeds. */
	const char *head[] = {"Model", "Layer", "Reads", "Feeds"};
	chart_table_init(&c->data, g.nreal, 4, head);
	node **order = xmalloc(g.nreal * sizeof *order);
	for (size_t i = 0; i < g.nreal; i++) {
		order[i] = &g.n[i];
		order[i]->rank = order[i]->col * 1e6 + order[i]->y;
	}
	qsort(order, g.nreal, sizeof *order, cmp_rank);
	size_t nsrc = 0, nexp = 0;
	for (size_t r = 0; r < g.nreal; r++) {
		const node *n = order[r];
		int self = (int)(n - g.n);
		nsrc += n->src >= 0;
		nexp += n->ex > 0;
		buf in = {0}, out = {0};
		for (size_t j = 0; j < g.ne; j++) {
			if (g.e[j].to == self)
				buf_printf(&in, "%s%s", in.n ? ", " : "", g.n[g.e[j].from].name);
			if (g.e[j].from == self)
				buf_printf(&out, "%s%s", out.n ? ", " : "", g.n[g.e[j].to].name);
		}
		chart_table_set(&c->data, r, 0, n->name);
		chart_table_set(&c->data, r, 1, n->ex ? (ex[n->ex - 1].kind == EXPOSURE_PACK ? "pack" : "page") : layer_label[n->group]);
		chart_table_set(&c->data, r, 2, in.s);
		chart_table_set(&c->data, r, 3, out.s);
		buf_free(&in);
		buf_free(&out);
	}
	free(order);
	buf d = {0};
	buf_printf(&d, "Diagram of %zu models and %zu sources, left to right from sources through staging and "
		       "intermediate models to marts, with %zu dependencies.",
		   g.nreal - nsrc - nexp, nsrc, g.ne);
	if (nexp)
		buf_printf(&d, " A last column shows the %zu site pages and packs that use the models.", nexp);
	if (f >= 0)
		buf_printf(&d, " Shows only what %s reads and what reads it.", focus);
	chart_set_desc(c, d.s);
	buf_free(&d);
	graph_free(&g);
	return c;
}
