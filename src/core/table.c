#include "core/table.h"
#include "util/diag.h"
#include "util/date.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include <string.h>

const char *type_name(mm_type t)
{
	static const char *const names[] = {
		[T_STR] = "text", [T_INT] = "integer", [T_NUM] = "decimal",
		[T_DATE] = "date", [T_TS] = "timestamp", [T_BOOL] = "boolean",
	};
	return names[t];
}

static size_t width(mm_type t)
{
	switch (t) {
	case T_INT:
	case T_TS:
		return sizeof(int64_t);
	case T_NUM:
		return sizeof(double);
	default:
		return sizeof(int32_t);
	}
}

mm_table *tbl_new(const char *name, strpool *sp)
{
	mm_table *t = xcalloc(1, sizeof *t);
	t->name = name;
	t->sp = sp;
	return t;
}

void tbl_free(mm_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->ncols; i++)
		free(t->cols[i].v.i32);
	free(t->cols);
	free(t);
}

int tbl_add_col(mm_table *t, const char *name, mm_type type)
{
	t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
	mm_column *c = &t->cols[t->ncols];
	c->name = name;
	c->type = type;
	c->v.i32 = t->cap ? xmalloc(t->cap * width(type)) : NULL;
	/* Existing rows (if any) become null. */
	for (size_t r = 0; r < t->nrows; r++) {
		switch (type) {
		case T_INT: case T_TS: c->v.i64[r] = INT_NULL; break;
		case T_NUM: c->v.f64[r] = NAN; break;
		case T_STR: c->v.i32[r] = 0; break;
		default: c->v.i32[r] = I32_NULL; break;
		}
	}
	return t->ncols++;
}

int tbl_col(const mm_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

void tbl_reserve(mm_table *t, size_t n)
{
	if (n <= t->cap)
		return;
	for (int i = 0; i < t->ncols; i++)
		t->cols[i].v.i32 = xrealloc(t->cols[i].v.i32, n * width(t->cols[i].type));
	t->cap = n;
}

size_t tbl_add_row(mm_table *t)
{
	if (t->nrows == t->cap)
		tbl_reserve(t, t->cap ? t->cap * 2 : 256);
	size_t r = t->nrows++;
	for (int i = 0; i < t->ncols; i++) {
		mm_column *c = &t->cols[i];
		switch (c->type) {
		case T_INT: case T_TS: c->v.i64[r] = INT_NULL; break;
		case T_NUM: c->v.f64[r] = NAN; break;
		case T_STR: c->v.i32[r] = 0; break;
		default: c->v.i32[r] = I32_NULL; break;
		}
	}
	return r;
}

void tbl_set_str(mm_table *t, int c, size_t r, const char *s)
{
	t->cols[c].v.i32[r] = (int32_t)sp_intern_cstr(t->sp, s ? s : "");
}

int tbl_isnull(const mm_table *t, int c, size_t r)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_STR: return col->v.i32[r] == 0;
	case T_INT: case T_TS: return col->v.i64[r] == INT_NULL;
	case T_NUM: return isnan(col->v.f64[r]);
	default: return col->v.i32[r] == I32_NULL;
	}
}

double tbl_value(const mm_table *t, int c, size_t r)
{
	if (tbl_isnull(t, c, r))
		return NAN;
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_STR: return NAN;
	case T_INT: case T_TS: return (double)col->v.i64[r];
	case T_NUM: return col->v.f64[r];
	default: return (double)col->v.i32[r];
	}
}

/* Shortest fixed form with up to 6 decimals and no trailing zeros. */
static void fmt_num(double x, char *buf, size_t n)
{
	if (x == 0)
		x = 0; /* no "-0" */
	snprintf(buf, n, "%.6f", x);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
}

const char *tbl_fmt(const mm_table *t, int c, size_t r, char *buf, size_t n)
{
	buf[0] = '\0';
	if (tbl_isnull(t, c, r))
		return buf;
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_STR: return sp_str(t->sp, (uint32_t)col->v.i32[r]);
	case T_INT: snprintf(buf, n, "%lld", (long long)col->v.i64[r]); break;
	case T_NUM: fmt_num(col->v.f64[r], buf, n); break;
	case T_DATE: if (n >= 11) date_fmt(col->v.i32[r], buf); break;
	case T_TS: if (n >= 21) ts_fmt(col->v.i64[r], buf); break;
	case T_BOOL: snprintf(buf, n, "%s", col->v.i32[r] ? "true" : "false"); break;
	}
	return buf;
}

int tbl_write_csv_rows(const mm_table *t, const size_t *rows, size_t n, FILE *f)
{
	char buf[64];
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		esc_csv_file(f, t->cols[c].name);
	}
	fputc('\n', f);
	for (size_t k = 0; k < n; k++) {
		size_t r = rows ? rows[k] : k;
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			esc_csv_file(f, tbl_fmt(t, c, r, buf, sizeof buf));
		}
		fputc('\n', f);
		if ((k & 0xffff) == 0xffff)
			progress_tick("writing %s: %zu of %zu rows", t->name, k + 1, n);
	}
	return ferror(f) ? -1 : 0;
}

int tbl_write_csv(const mm_table *t, FILE *f)
{
	return tbl_write_csv_rows(t, NULL, t->nrows, f);
}
