/* Column-at-a-time copying for the large staging models: reading a source
 * in sorted order is random access, and one column at a time, with the
 * cells a few rows ahead requested early, keeps many cache misses in
 * flight, where a row at a time stalls on each of a dozen columns. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdio.h>
#include <stdlib.h>

static int wide(mm_type t)
{
	return t == T_INT || t == T_TS || t == T_NUM;
}

void stg_prefetch_row(const mm_table *t, size_t ahead)
{
	if (ahead >= t->nrows)
		return;
	for (int c = 0; c < t->ncols; c++) {
		const mm_column *col = &t->cols[c];
		if (wide(col->type))
			STG_PREFETCH(&col->v.i64[ahead]);
		else
			STG_PREFETCH(&col->v.i32[ahead]);
	}
}

size_t stg_add_rows(mm_table *out, size_t n)
{
	size_t first = out->nrows, end = first + n;
	tbl_reserve(out, end);
	for (int c = 0; c < out->ncols; c++) {
		mm_column *col = &out->cols[c];
		switch (col->type) {
		case T_INT:
		case T_TS:
			for (size_t r = first; r < end; r++)
				col->v.i64[r] = INT_NULL;
			break;
		case T_NUM:
			for (size_t r = first; r < end; r++)
				col->v.f64[r] = NAN;
			break;
		default: /* strings (id 0), dates and booleans */
			for (size_t r = first; r < end; r++)
				col->v.i32[r] = col->type == T_STR ? 0 : I32_NULL;
			break;
		}
	}
	out->nrows = end;
	return first;
}

void stg_gather(mm_table *out, int oc, size_t first, const mm_table *src, int sc, const uint32_t *order, size_t n)
{
	mm_type to = out->cols[oc].type, from = src->cols[sc].type;
	if (wide(to) != wide(from) || (to == T_STR) != (from == T_STR) || first + n > out->nrows) {
		fprintf(stderr, "medimart: internal error: cannot copy %s.%s into %s.%s\n", src->name,
			src->cols[sc].name, out->name, out->cols[oc].name);
		abort();
	}
	if (n == 0)
		return; /* an empty source may have no column arrays at all */
	if (wide(to)) {
		const int64_t *s = src->cols[sc].v.i64;
		int64_t *d = out->cols[oc].v.i64 + first;
		for (size_t k = 0; k < n; k++) {
			if (k + STG_AHEAD < n)
				STG_PREFETCH(&s[order[k + STG_AHEAD]]);
			d[k] = s[order[k]];
		}
	} else {
		const int32_t *s = src->cols[sc].v.i32;
		int32_t *d = out->cols[oc].v.i32 + first;
		for (size_t k = 0; k < n; k++) {
			if (k + STG_AHEAD < n)
				STG_PREFETCH(&s[order[k + STG_AHEAD]]);
			d[k] = s[order[k]];
		}
	}
}

void stg_gather_named(mm_table *out, const mm_table *src, const uint32_t *order, const char *const (*pairs)[2])
{
	for (; (*pairs)[0]; pairs++)
		stg_gather(out, col(out, (*pairs)[1]), 0, src, col(src, (*pairs)[0]), order, src->nrows);
}
