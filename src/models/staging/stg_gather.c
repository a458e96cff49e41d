/* Column-at-a-time copying for the large staging models: reading a source
 * in sorted order is random access, and one column at a time, with the
 * cells a few rows ahead requested early, keeps many cache misses in
 * flight, where a row at a time stalls on each of a dozen columns. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Rows first..end-1 of col := null. */
static void null_fill(mm_column *col, size_t first, size_t end)
{
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

size_t stg_add_rows(mm_table *out, size_t n)
{
	size_t first = out->nrows, end = first + n;
	tbl_reserve(out, end);
	for (int c = 0; c < out->ncols; c++)
		null_fill(&out->cols[c], first, end);
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

void stg_take_named(run_ctx *ctx, mm_table *out, const char *src_name, const uint32_t *order,
		    const char *const (*pairs)[2])
{
	mm_table *src = ctx_table(ctx, src_name);
	int s = source_index(src_name);
	int consume = s >= 0 && ctx->src_last_read[s];
	size_t n = src->nrows;
	if (out->nrows) {
		fprintf(stderr, "medimart: internal error: %s is not a new staging table\n", out->name);
		abort();
	}
	/* The copied columns are written whole by the gather: only the others
	 * are filled with nulls, so no page of a copied column is touched
	 * before the copy, and a source column is freed as soon as its last
	 * copy is made. */
	unsigned char *copied = xcalloc((size_t)out->ncols + 1, 1);
	tbl_reserve(out, n);
	out->nrows = n;
	for (const char *const(*p)[2] = pairs; (*p)[0]; p++) {
		int oc = col(out, (*p)[1]), sc = col(src, (*p)[0]);
		stg_gather(out, oc, 0, src, sc, order, n);
		copied[oc] = 1;
		int again = 0;
		for (const char *const(*q)[2] = p + 1; (*q)[0]; q++)
			again |= !strcmp((*q)[0], (*p)[0]);
		if (consume && !again) {
			free(src->cols[sc].v.i32);
			src->cols[sc].v.i32 = NULL;
		}
	}
	for (int c = 0; c < out->ncols; c++)
		if (!copied[c])
			null_fill(&out->cols[c], 0, n);
	free(copied);
}
