/* Row ordering for the staging models. Tables reach tens of millions of
 * rows, and comparing interned strings through the pool is a cache miss per
 * comparison, so the first key is encoded in 8 bytes and radix sorted; only
 * rows whose 8 bytes tie are compared in full. Rows are at most 2^32 - 1. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 8

/* The table being ordered and the columns of its keys, passed to the
 * comparators through mm_sort's context. */
typedef struct sort_keys {
	const mm_table *t;
	int cols[MAX_KEYS];
	int n;
} sort_keys;

static int cmp_cell(const mm_table *t, int c, size_t a, size_t b)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_STR: {
		uint32_t x = (uint32_t)col->v.i32[a], y = (uint32_t)col->v.i32[b];
		return x == y ? 0 : strcmp(sp_str(t->sp, x), sp_str(t->sp, y));
	}
	case T_INT:
	case T_TS: { /* INT_NULL is the smallest value: nulls first */
		int64_t x = col->v.i64[a], y = col->v.i64[b];
		return (x > y) - (x < y);
	}
	case T_NUM: {
		double x = col->v.f64[a], y = col->v.f64[b];
		if (isnan(x) || isnan(y))
			return isnan(y) - isnan(x);
		return (x > y) - (x < y);
	}
	default: { /* I32_NULL is the smallest value: nulls first */
		int32_t x = col->v.i32[a], y = col->v.i32[b];
		return (x > y) - (x < y);
	}
	}
}

static int cmp_rows(const sort_keys *g, size_t a, size_t b)
{
	for (int k = 0; k < g->n; k++) {
		int d = cmp_cell(g->t, g->cols[k], a, b);
		if (d)
			return d;
	}
	return 0;
}

typedef struct item {
	uint64_t key;
	uint32_t row;
} item;

/* Rows whose keys tie keep their order: mm_sort is stable. */
static int cmp_items(const void *pa, const void *pb, void *ctx)
{
	const item *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return cmp_rows(ctx, a->row, b->row);
}

/* Length of the prefix shared by every non-null string of column c: the
 * bytes after it are the ones that tell ids like "APT000123" apart. */
static size_t common_prefix(const mm_table *t, int c)
{
	const char *first = NULL;
	size_t lcp = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t id = tbl_sid(t, c, r);
		if (!id)
			continue;
		const char *s = sp_str(t->sp, id);
		if (!first) {
			first = s;
			lcp = sp_len(t->sp, id);
			continue;
		}
		size_t i = 0;
		while (i < lcp && s[i] == first[i])
			i++;
		lcp = i;
		if (!lcp)
			break;
	}
	return lcp;
}

/* Big-endian bytes lcp..lcp+7 of a string (zero padded; null is 0). */
static uint64_t encode_str(const strpool *sp, uint32_t id, size_t lcp)
{
	return id ? mm_prefix8(sp_str(sp, id) + lcp) : 0;
}

static uint64_t encode(const mm_table *t, int c, size_t r)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_INT:
	case T_TS:
		return (uint64_t)col->v.i64[r] ^ (1ULL << 63);
	case T_NUM: {
		double x = col->v.f64[r];
		uint64_t b;
		if (isnan(x))
			return 0;
		memcpy(&b, &x, sizeof b);
		return b >> 63 ? ~b : b | (1ULL << 63);
	}
	default: /* T_DATE, T_BOOL; strings go through encode_str */
		return (uint64_t)((uint32_t)col->v.i32[r] ^ 0x80000000u);
	}
}

/* Strings are read through the pool in row order, which need not be the
 * pool's order: their addresses are requested a few rows early. */
static void encode_all(const mm_table *t, int c, item *v)
{
	size_t n = t->nrows;
	if (t->cols[c].type != T_STR) {
		for (size_t i = 0; i < n; i++)
			v[i] = (item){encode(t, c, i), (uint32_t)i};
		return;
	}
	size_t lcp = common_prefix(t, c);
	const int32_t *ids = t->cols[c].v.i32;
	const strpool *sp = t->sp;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 * STG_AHEAD < n)
			STG_PREFETCH(&sp->strs[ids[i + 2 * STG_AHEAD]]);
		if (i + STG_AHEAD < n)
			STG_PREFETCH(sp->strs[ids[i + STG_AHEAD]]);
		v[i] = (item){encode_str(sp, (uint32_t)ids[i], lcp), (uint32_t)i};
	}
}

/* LSD radix sort on the key in four 16-bit digits, skipping digits that
 * never vary. Passes alternate between the two buffers; returns the one
 * that holds the result. */
static item *radix(item *v, item *tmp, size_t n)
{
	enum { DIGITS = 4, BITS = 16, BUCKETS = 1 << BITS };
	size_t *count = xcalloc((size_t)DIGITS * BUCKETS, sizeof *count);
	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < DIGITS; d++)
			count[(size_t)d * BUCKETS + ((v[i].key >> (BITS * d)) & (BUCKETS - 1))]++;
	for (int d = 0; d < DIGITS; d++) {
		size_t *cd = count + (size_t)d * BUCKETS, pos = 0;
		if (cd[(v[0].key >> (BITS * d)) & (BUCKETS - 1)] == n)
			continue;
		for (size_t b = 0; b < BUCKETS; b++) {
			size_t k = cd[b];
			cd[b] = pos;
			pos += k;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cd[(v[i].key >> (BITS * d)) & (BUCKETS - 1)]++] = v[i];
		item *swap = v;
		v = tmp;
		tmp = swap;
	}
	free(count);
	return v;
}

/* Reorders every column by order[]. Each column is gathered into a spare
 * buffer whose place it then takes; the column's old buffer is the spare
 * for the next column of its width, so no fresh memory is touched per
 * column. */
static void permute(mm_table *t, const uint32_t *order)
{
	size_t n = t->nrows;
	int64_t *spare8 = NULL;
	int32_t *spare4 = NULL;
	for (int c = 0; c < t->ncols; c++) {
		mm_column *col = &t->cols[c];
		if (col->type == T_INT || col->type == T_TS || col->type == T_NUM) {
			/* 8-byte cells (doubles are moved as their bits). */
			int64_t *src = col->v.i64, *dst = spare8 ? spare8 : xmalloc(t->cap * sizeof *dst);
			for (size_t i = 0; i < n; i++) {
				if (i + STG_AHEAD < n)
					STG_PREFETCH(&src[order[i + STG_AHEAD]]);
				dst[i] = src[order[i]];
			}
			spare8 = src;
			col->v.i64 = dst;
		} else {
			int32_t *src = col->v.i32, *dst = spare4 ? spare4 : xmalloc(t->cap * sizeof *dst);
			for (size_t i = 0; i < n; i++) {
				if (i + STG_AHEAD < n)
					STG_PREFETCH(&src[order[i + STG_AHEAD]]);
				dst[i] = src[order[i]];
			}
			spare4 = src;
			col->v.i32 = dst;
		}
	}
	free(spare8);
	free(spare4);
}

uint32_t *stg_order(const mm_table *t, const char *const *keys)
{
	size_t n = t->nrows;
	if (n > UINT32_MAX) {
		fprintf(stderr, "medimart: error: table %s has more than %u rows\n", t->name, UINT32_MAX);
		abort();
	}
	uint32_t *order = xmalloc((n ? n : 1) * sizeof *order);
	sort_keys g = {.t = t};
	for (const char *const *k = keys; *k; k++) {
		if (g.n == MAX_KEYS)
			abort();
		g.cols[g.n++] = col(t, *k);
	}
	size_t r = 1;
	while (r < n && cmp_rows(&g, r - 1, r) <= 0)
		r++;
	if (r >= n) { /* already in order */
		for (size_t i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		return order;
	}
	item *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	encode_all(t, g.cols[0], a);
	item *v = radix(a, b, n);
	free(v == a ? b : a);
	/* Runs of equal encoded keys: compare in full. */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && v[j].key == v[i].key)
			j++;
		if (j - i > 1)
			mm_sort(v + i, j - i, sizeof *v, cmp_items, &g);
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = v[i].row;
	free(v);
	return order;
}

void stg_sort(mm_table *t, const char *const *keys)
{
	uint32_t *order = stg_order(t, keys);
	size_t i = 0;
	while (i < t->nrows && order[i] == i)
		i++;
	if (i < t->nrows)
		permute(t, order);
	free(order);
}
