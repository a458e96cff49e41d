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

/* ---- Writing CSV ---- */

/* Model tables run to gigabytes: rows are built in one large buffer and
 * handed to stdio whole, strings are copied with the lengths the pool
 * keeps, and numbers are formatted by hand, with the same bytes as
 * tbl_fmt. */
enum { CSV_BUF = 1 << 20, CSV_CELL = 64 };

typedef struct csv_out {
	FILE *f;
	size_t n;
	char *b;
} csv_out;

static void csv_flush(csv_out *w)
{
	if (w->n)
		fwrite(w->b, 1, w->n, w->f);
	w->n = 0;
}

static void csv_put(void *ctx, const char *s, size_t n)
{
	csv_out *w = ctx;
	if (w->n + n > CSV_BUF) {
		csv_flush(w);
		if (n > CSV_BUF) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

/* Room for one formatted number, date or timestamp. */
static char *csv_room(csv_out *w)
{
	if (w->n + CSV_CELL > CSV_BUF)
		csv_flush(w);
	return w->b + w->n;
}

/* Decimal digits of v (v > 0) at p, backwards from p; returns the start. */
static char *put_u64_back(char *p, uint64_t v)
{
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static size_t put_i64(char *out, int64_t x)
{
	char tmp[24], *e = tmp + sizeof tmp;
	uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
	char *p = put_u64_back(e, u);
	if (x < 0)
		*--p = '-';
	memcpy(out, p, (size_t)(e - p));
	return (size_t)(e - p);
}

size_t tbl_fmt_num_fast(double x, char *out)
{
	/* x * 1e6 rounded to an integer is what "%.6f" prints when that
	 * rounding cannot go the other way: the product's error is at most
	 * half an ulp, so a fraction further than an ulp from one half is
	 * safe. Everything else (huge, infinite, near a tie) takes snprintf. */
	double y = x * 1e6;
	if (!(fabs(y) < 4e15))
		return 0;
	double fl = floor(y), frac = y - fl;
	if (fabs(frac - 0.5) <= fabs(y) * 0x1p-51 + 0x1p-60)
		return 0;
	int64_t r = (int64_t)fl + (frac > 0.5);
	if (r == 0) { /* "-0.000000" trims to "0" as well */
		out[0] = '0';
		return 1;
	}
	uint64_t u = r < 0 ? 0 - (uint64_t)r : (uint64_t)r;
	uint64_t ip = u / 1000000, fp = u % 1000000;
	char tmp[40], *e = tmp + sizeof tmp, *p = e;
	if (fp) {
		int digits = 6;
		while (fp % 10 == 0) {
			fp /= 10;
			digits--;
		}
		for (; digits > 0; digits--, fp /= 10)
			*--p = (char)('0' + fp % 10);
		*--p = '.';
	}
	p = put_u64_back(p, ip);
	if (r < 0)
		*--p = '-';
	memcpy(out, p, (size_t)(e - p));
	return (size_t)(e - p);
}

static void csv_cell(csv_out *w, const mm_table *t, int c, size_t r)
{
	if (tbl_isnull(t, c, r))
		return;
	const mm_column *col = &t->cols[c];
	char *p;
	size_t n;
	switch (col->type) {
	case T_STR: {
		uint32_t id = (uint32_t)col->v.i32[r];
		const char *s = sp_str(t->sp, id);
		n = sp_len(t->sp, id);
		if (esc_csv_needs_quotes(s, n))
			esc_csv(s, n, csv_put, w);
		else
			csv_put(w, s, n);
		return;
	}
	case T_INT:
		p = csv_room(w);
		w->n += put_i64(p, col->v.i64[r]);
		return;
	case T_NUM:
		p = csv_room(w);
		n = tbl_fmt_num_fast(col->v.f64[r], p);
		if (!n) {
			fmt_num(col->v.f64[r], p, CSV_CELL);
			n = strlen(p);
		}
		w->n += n;
		return;
	case T_DATE:
		p = csv_room(w);
		date_fmt(col->v.i32[r], p);
		w->n += 10;
		return;
	case T_TS:
		p = csv_room(w);
		ts_fmt(col->v.i64[r], p);
		w->n += 20;
		return;
	case T_BOOL:
		if (col->v.i32[r])
			csv_put(w, "true", 4);
		else
			csv_put(w, "false", 5);
		return;
	}
}

int tbl_write_csv_rows(const mm_table *t, const size_t *rows, size_t n, FILE *f)
{
	csv_out w = {f, 0, xmalloc(CSV_BUF)};
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			csv_put(&w, ",", 1);
		const char *name = t->cols[c].name;
		esc_csv(name, strlen(name), csv_put, &w);
	}
	csv_put(&w, "\n", 1);
	for (size_t k = 0; k < n; k++) {
		size_t r = rows ? rows[k] : k;
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				csv_put(&w, ",", 1);
			csv_cell(&w, t, c, r);
		}
		csv_put(&w, "\n", 1);
		if ((k & 0xffff) == 0xffff)
			progress_tick("writing %s: %zu of %zu rows", t->name, k + 1, n);
	}
	csv_flush(&w);
	free(w.b);
	return ferror(f) ? -1 : 0;
}

int tbl_write_csv(const mm_table *t, FILE *f)
{
	return tbl_write_csv_rows(t, NULL, t->nrows, f);
}
