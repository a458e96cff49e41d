#include "models/mart_util.h"
#include "util/date.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

int sid_cmp(const strpool *sp, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return mm_cmp_nulls_last(!a, !b);
	return strcmp(sp_str(sp, a), sp_str(sp, b));
}

uint32_t sid_of(const strpool *sp, const char *s)
{
	return sp_find(sp, s, strlen(s));
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void sort_i64(int64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_i64);
}

int64_t nearest_rank(const int64_t *sorted, size_t n, int pct)
{
	size_t rank = ((size_t)pct * n + 99) / 100; /* ceil(pct * n / 100) */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

double pct_of(int64_t num, int64_t den)
{
	return den == 0 ? NAN : (double)num / (double)den * 100.0;
}

int64_t int_or0(const mm_table *t, int c, size_t r)
{
	int64_t v = tbl_int(t, c, r);
	return v == INT_NULL ? 0 : v;
}

int in_last_13_complete_weeks(int32_t week_start, int32_t census)
{
	return week_start != INT32_MIN && week_start > census - 13 * 7 - 6 && week_start <= census - 6;
}

void index_by_sid(const mm_table *t, int c, hmap *m)
{
	hmap_init(m, t->nrows);
	for (size_t r = t->nrows; r-- > 0;) {
		uint32_t id = tbl_sid(t, c, r);
		if (id)
			hmap_put(m, id, (uint32_t)r); /* walking backwards: the first row wins */
	}
}

int32_t ts_day_or_null(const mm_table *t, int c, size_t r)
{
	return tbl_isnull(t, c, r) ? DATE_NULL : ts_day(tbl_ts(t, c, r));
}

int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->r > y->r) - (x->r < y->r);
}

/* A keyed row with its sort prefix. */
typedef struct keyed_pfx {
	uint64_t pfx; /* big-endian bytes lcp..lcp+7 of the key, zero padded */
	keyed k;
} keyed_pfx;

static int cmp_keyed_pfx(const void *a, const void *b)
{
	const keyed_pfx *x = a, *y = b;
	if (x->pfx != y->pfx)
		return x->pfx < y->pfx ? -1 : 1;
	return cmp_keyed(&x->k, &y->k);
}

void keyed_sort(keyed *v, size_t n)
{
	if (n < 2)
		return;
	/* The prefix every key shares tells none apart. */
	size_t lcp = strlen(v[0].key);
	for (size_t i = 1; i < n && lcp; i++) {
		size_t j = 0;
		while (j < lcp && v[i].key[j] == v[0].key[j])
			j++;
		lcp = j;
	}
	keyed_pfx *w = xmalloc(n * sizeof *w);
	for (size_t i = 0; i < n; i++) {
		w[i].pfx = mm_prefix8(v[i].key + lcp);
		w[i].k = v[i];
	}
	qsort(w, n, sizeof *w, cmp_keyed_pfx);
	for (size_t i = 0; i < n; i++)
		v[i] = w[i].k;
	free(w);
}

void rows_per_id(const mm_table *t, int c, mm_table *out, int oc, hmap *pos)
{
	keyed *order = xmalloc((t->nrows + 1) * sizeof *order);
	size_t n = 0;
	for (size_t r = 0; r < t->nrows; r++)
		if (tbl_sid(t, c, r))
			order[n++] = (keyed){tbl_str(t, c, r), r};
	keyed_sort(order, n);
	hmap_init(pos, n);
	tbl_reserve(out, out->nrows + n);
	for (size_t k = 0; k < n; k++) {
		uint32_t id = tbl_sid(t, c, order[k].r);
		if (hmap_get(pos, id) != HMAP_NONE)
			continue;
		size_t o = tbl_add_row(out);
		hmap_put(pos, id, (uint32_t)o);
		tbl_set_sid(out, oc, o, id);
	}
	free(order);
}
