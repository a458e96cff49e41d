/* Aggregation of table rows into a category x series matrix of sums:
 * one pass with hash maps keyed by raw cell values, then ordering,
 * limits and series caps. */
#include "draw/chart_impl.h"
#include "util/date.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Aggregation ---------------------------------------------------------- */

/* Distinct raw cell values of one column, in order of first appearance. */
typedef struct keyset {
	hmap map;
	size_t *first, *row;
	size_t n, cap;
} keyset;

static uint64_t raw_key(const mm_table *t, int c, size_t r)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_INT:
		return (uint64_t)col->v.i64[r];
	case T_TS:
		return col->v.i64[r] == INT_NULL ? (uint64_t)INT_NULL : (uint64_t)(int64_t)ts_day(col->v.i64[r]);
	case T_NUM: {
		double d = col->v.f64[r];
		if (isnan(d))
			d = NAN; /* one canonical null */
		else if (d == 0)
			d = 0;   /* -0 and 0 are one category */
		uint64_t u;
		memcpy(&u, &d, sizeof u);
		return u;
	}
	default:
		return (uint64_t)(uint32_t)col->v.i32[r];
	}
}

static size_t keyset_get(keyset *k, uint64_t key, size_t pos, size_t row)
{
	uint32_t i = hmap_get(&k->map, key);
	if (i != HMAP_NONE)
		return i;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->first = xrealloc(k->first, k->cap * sizeof *k->first);
		k->row = xrealloc(k->row, k->cap * sizeof *k->row);
	}
	k->first[k->n] = pos;
	k->row[k->n] = row;
	hmap_put(&k->map, key, (uint32_t)k->n);
	return k->n++;
}

static void keyset_free(keyset *k)
{
	hmap_free(&k->map);
	free(k->first);
	free(k->row);
}

static int is_numeric(mm_type t)
{
	return t == T_INT || t == T_NUM || t == T_DATE || t == T_TS || t == T_BOOL;
}

/* Day of a date or timestamp cell. */
static int32_t cell_day(const mm_table *t, int c, size_t r)
{
	return t->cols[c].type == T_TS ? ts_day(tbl_ts(t, c, r)) : tbl_date(t, c, r);
}

static void plain_number(double v, char *out, size_t n)
{
	fmt_number(v, 6, out, n);
	char *w = out;
	for (char *p = out; *p; p++)
		if (*p != ',')
			*w++ = *p;
	*w = '\0';
	char *dot = strchr(out, '.');
	if (dot) {
		char *e = out + strlen(out) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
}

/* Label of the value in row r of column c; monthly dates as "Sep 2025". */
static char *cell_label(const mm_table *t, int c, size_t r, int monthly)
{
	char b[64];
	if (tbl_isnull(t, c, r))
		return xstrdup(NOT_RECORDED);
	switch (t->cols[c].type) {
	case T_STR:
		return xstrdup(tbl_str(t, c, r));
	case T_BOOL:
		return xstrdup(tbl_bool(t, c, r) ? "Yes" : "No");
	case T_DATE:
	case T_TS:
		if (monthly)
			fmt_month(cell_day(t, c, r), 1, b, sizeof b);
		else
			fmt_day(cell_day(t, c, r), 1, b, sizeof b);
		return xstrdup(b);
	case T_INT:
		snprintf(b, sizeof b, "%lld", (long long)tbl_int(t, c, r));
		return xstrdup(b);
	case T_NUM:
		plain_number(tbl_num(t, c, r), b, sizeof b);
		return xstrdup(b);
	}
	return xstrdup("");
}

/* Month ends throughout, or firsts of the month throughout. */
static int dates_monthly(const mm_table *t, int c, const keyset *k)
{
	int ends = 1, firsts = 1, any = 0;
	for (size_t i = 0; i < k->n; i++) {
		if (tbl_isnull(t, c, k->row[i]))
			continue;
		int y, m, d;
		civil_from_days(cell_day(t, c, k->row[i]), &y, &m, &d);
		ends &= d == days_in_month(y, m);
		firsts &= d == 1;
		any = 1;
	}
	return any && (ends || firsts);
}

static item *make_items(const mm_table *t, int c, const keyset *k, int monthly)
{
	item *v = xcalloc(k->n ? k->n : 1, sizeof *v);
	for (size_t i = 0; i < k->n; i++) {
		size_t r = k->row[i];
		v[i].label = cell_label(t, c, r, monthly);
		v[i].isnull = tbl_isnull(t, c, r);
		v[i].key = v[i].isnull ? NAN : t->cols[c].type == T_TS ? (double)cell_day(t, c, r) : tbl_value(t, c, r);
		v[i].first = k->first[i];
		v[i].old = i;
		v[i].lpos = INT_MAX;
	}
	return v;
}

static int cmp_item(const void *pa, const void *pb)
{
	const item *a = pa, *b = pb;
	if (a->lpos != b->lpos)
		return a->lpos < b->lpos ? -1 : 1;
	if (a->isnull != b->isnull) /* "Not recorded" last (core/table.h) */
		return mm_cmp_nulls_last(a->isnull, b->isnull);
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	int s = strcmp(a->label, b->label);
	if (s)
		return s;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* Sorts items: listed labels first ("A|B|C"), null last, then by order. */
static void order_items(item *v, size_t n, chart_order o, int numeric, const char *list)
{
	if (list && *list) {
		int pos = 0;
		for (const char *p = list; *p; pos++) {
			const char *e = strchr(p, '|');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			for (size_t i = 0; i < n; i++)
				if (v[i].lpos == INT_MAX && strlen(v[i].label) == len && memcmp(v[i].label, p, len) == 0)
					v[i].lpos = pos;
			p += len + (e ? 1 : 0);
		}
	}
	for (size_t i = 0; i < n; i++) {
		switch (o) {
		case CHART_ORDER_ROWS: v[i].k1 = (double)v[i].first; break;
		case CHART_ORDER_VALUE: v[i].k1 = -v[i].total; break;
		case CHART_ORDER_LABEL: v[i].k1 = numeric && !v[i].isnull ? v[i].key : 0; break;
		default: v[i].k1 = numeric ? (v[i].isnull ? 0 : v[i].key) : (double)v[i].first; break;
		}
	}
	qsort(v, n, sizeof *v, cmp_item);
}

static void free_items(item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].label);
	free(v);
}

void ch_agg_free(agg *a)
{
	free_items(a->cat, a->ncat);
	free_items(a->ser, a->nser);
	free(a->val);
	free(a->star);
}

/* Keeps the first keep items; the rest are freed. */
static void truncate_items(item *v, size_t *n, size_t keep)
{
	for (size_t i = keep; i < *n; i++)
		free(v[i].label);
	if (keep < *n)
		*n = keep;
}

static int cmp_total_desc(const void *pa, const void *pb)
{
	const item *a = pa, *b = pb;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return strcmp(a->label, b->label);
}

/* At most PALETTE_SERIES series: a stacked bar folds the smallest into
 * "Other" (merge = 1), a line chart drops them. Returns the new count. */
static size_t cap_series(agg *a, int merge)
{
	if (a->nser <= PALETTE_SERIES)
		return a->nser;
	size_t keep = merge ? PALETTE_SERIES - 1 : PALETTE_SERIES;
	item *by = xmalloc(a->nser * sizeof *by);
	memcpy(by, a->ser, a->nser * sizeof *by);
	qsort(by, a->nser, sizeof *by, cmp_total_desc);
	double cut_total = by[keep - 1].total;
	char *cut_label = xstrdup(by[keep - 1].label); /* labels are freed below */
	size_t k = 0;
	item *kept = xcalloc(keep + 1, sizeof *kept);
	for (size_t i = 0; i < a->nser; i++) {
		const item *s = &a->ser[i];
		int in = s->total > cut_total || (s->total == cut_total && strcmp(s->label, cut_label) <= 0);
		if (in && k < keep)
			kept[k++] = *s;
		else
			free(s->label);
	}
	free(by);
	free(cut_label);
	if (merge) {
		kept[k].label = xstrdup("Other");
		kept[k].old = SIZE_MAX; /* collects every dropped series */
		kept[k].lpos = INT_MAX;
		k++;
	}
	free(a->ser);
	a->ser = kept;
	a->nser = k;
	return k;
}

int ch_agg_build(agg *a, const chart_spec *s, const mm_table *t, const size_t *rows, size_t nrows, int xc,
		 int yc, int sc, int pc, char *err, size_t errn)
{
	keyset kx = {0}, ks = {0};
	hmap cells;
	size_t ncell = 0, cellcap = 0, *cx = NULL, *cs = NULL, *cn = NULL;
	unsigned char *cst = NULL; /* a cell has suppressed rows */
	double *sum = NULL;
	int rc = -1;
	hmap_init(&kx.map, 64);
	hmap_init(&ks.map, 16);
	hmap_init(&cells, 256);
	for (size_t i = 0; i < nrows; i++) {
		size_t r = rows ? rows[i] : i;
		size_t xi = keyset_get(&kx, raw_key(t, xc, r), i, r);
		size_t si = sc >= 0 ? keyset_get(&ks, raw_key(t, sc, r), i, r) : 0;
		if (kx.n > MAX_KEYS || ks.n > MAX_KEYS) {
			snprintf(err, errn, "column '%s' of '%s' has more than %d distinct values; chart a coarser column",
				 kx.n > MAX_KEYS ? s->x : s->series, t->name, MAX_KEYS);
			goto out;
		}
		uint64_t key = (uint64_t)xi << 32 | si;
		uint32_t ci = hmap_get(&cells, key);
		if (ci == HMAP_NONE) {
			if (ncell == cellcap) {
				cellcap = cellcap ? cellcap * 2 : 256;
				cx = xrealloc(cx, cellcap * sizeof *cx);
				cs = xrealloc(cs, cellcap * sizeof *cs);
				cn = xrealloc(cn, cellcap * sizeof *cn);
				sum = xrealloc(sum, cellcap * sizeof *sum);
				cst = xrealloc(cst, cellcap);
			}
			ci = (uint32_t)ncell++;
			cx[ci] = xi, cs[ci] = si, cn[ci] = 0, sum[ci] = 0, cst[ci] = 0;
			hmap_put(&cells, key, ci);
		}
		if (row_suppressed(t, pc, r)) {
			cst[ci] = 1;
			continue;
		}
		double v = yc < 0 ? 1 : tbl_value(t, yc, r);
		if (!isnan(v)) {
			sum[ci] += v;
			cn[ci]++;
		}
	}
	mm_type xt = t->cols[xc].type;
	a->x_date = xt == T_DATE || xt == T_TS;
	a->x_numeric = is_numeric(xt);
	a->x_monthly = a->x_date && dates_monthly(t, xc, &kx);
	a->cat = make_items(t, xc, &kx, a->x_monthly);
	a->ncat = a->cat_all = kx.n;
	if (sc >= 0) {
		mm_type st = t->cols[sc].type;
		a->ser = make_items(t, sc, &ks, (st == T_DATE || st == T_TS) && dates_monthly(t, sc, &ks));
		a->nser = a->ser_all = ks.n;
	} else {
		a->ser = xcalloc(1, sizeof *a->ser);
		a->ser[0].label = xstrdup(s->y_label ? s->y_label : s->y ? s->y : "Count");
		a->nser = a->ser_all = 1;
	}
	for (size_t c = 0; c < ncell; c++)
		if (cn[c]) {
			a->cat[cx[c]].total += sum[c];
			a->ser[cs[c]].total += sum[c];
		}

	/* Order, limit, cap; then map scan indexes to final ones. */
	int line = s->kind == CHART_LINE;
	chart_order o = line && a->x_numeric ? CHART_ORDER_LABEL : s->order;
	order_items(a->cat, a->ncat, o, a->x_numeric, line && a->x_numeric ? NULL : s->x_order);
	if (line && a->x_numeric)
		while (a->ncat && a->cat[a->ncat - 1].isnull) /* no place for null on a continuous axis */
			free(a->cat[--a->ncat].label);
	if (s->limit > 0 && (size_t)s->limit < a->ncat && !line)
		truncate_items(a->cat, &a->ncat, (size_t)s->limit);
	if (sc >= 0) {
		int snum = is_numeric(t->cols[sc].type);
		order_items(a->ser, a->nser, CHART_ORDER_LABEL, snum, s->series_order);
		if (s->kind == CHART_HEATMAP && s->limit > 0 && (size_t)s->limit < a->nser)
			truncate_items(a->ser, &a->nser, (size_t)s->limit);
		else if (s->kind != CHART_HEATMAP)
			cap_series(a, s->kind == CHART_STACKED_BAR || s->kind == CHART_BAR);
	}
	size_t cmax = line ? MAX_POINTS : MAX_CATS;
	if (a->ncat > cmax || (s->kind == CHART_HEATMAP && a->nser > MAX_HEAT_ROWS)) {
		snprintf(err, errn, "column '%s' of '%s' has %zu distinct values, more than a %s can show (%zu); set a limit",
			 a->ncat > cmax ? s->x : s->series, t->name, a->ncat > cmax ? a->ncat : a->nser,
			 chart_kind_name(s->kind), a->ncat > cmax ? cmax : (size_t)MAX_HEAT_ROWS);
		goto out;
	}
	size_t *cmap = xmalloc((kx.n ? kx.n : 1) * sizeof *cmap), *smap = xmalloc((ks.n + 1) * sizeof *smap);
	size_t other = SIZE_MAX;
	for (size_t i = 0; i < kx.n; i++)
		cmap[i] = SIZE_MAX;
	for (size_t i = 0; i <= ks.n; i++)
		smap[i] = SIZE_MAX;
	for (size_t i = 0; i < a->ncat; i++)
		cmap[a->cat[i].old] = i;
	for (size_t i = 0; i < a->nser; i++) {
		if (a->ser[i].old == SIZE_MAX)
			other = i;
		else
			smap[a->ser[i].old] = i;
	}
	if (sc < 0)
		smap[0] = 0;
	a->val = xmalloc((a->ncat && a->nser ? a->ncat * a->nser : 1) * sizeof *a->val);
	a->star = xcalloc(a->ncat && a->nser ? a->ncat * a->nser : 1, 1);
	for (size_t i = 0; i < a->ncat * a->nser; i++)
		a->val[i] = NAN;
	for (size_t c = 0; c < ncell; c++) {
		size_t ci = cmap[cx[c]], si = smap[cs[c]];
		if (si == SIZE_MAX)
			si = other;
		if (ci == SIZE_MAX || si == SIZE_MAX)
			continue;
		if (!cn[c]) {
			a->star[ci * a->nser + si] |= cst[c];
			continue;
		}
		double *v = &a->val[ci * a->nser + si];
		*v = (isnan(*v) ? 0 : *v) + sum[c];
	}
	/* A cell with any value shows it; only cells without one show "*". */
	for (size_t i = 0; i < a->ncat * a->nser; i++) {
		if (!isnan(a->val[i]))
			a->star[i] = 0;
		a->nstar += a->star[i];
	}
	free(cmap);
	free(smap);
	rc = 0;
out:
	keyset_free(&kx);
	keyset_free(&ks);
	hmap_free(&cells);
	free(cx), free(cs), free(cn), free(sum), free(cst);
	return rc;
}

