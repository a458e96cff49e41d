/* Columnar in-memory tables. Strings are interned ids (0 = null), dates are
 * int32 days, timestamps int64 seconds, numbers doubles. Every model, source
 * and report table is one of these. */
#ifndef MM_TABLE_H
#define MM_TABLE_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "util/strpool.h"

typedef enum mm_type { T_STR, T_INT, T_NUM, T_DATE, T_TS, T_BOOL } mm_type;

#define INT_NULL INT64_MIN
#define I32_NULL INT32_MIN

typedef struct mm_column {
	const char *name; /* borrowed: static or owned by the table's creator */
	mm_type type;
	union {
		int32_t *i32; /* T_STR (string id), T_DATE, T_BOOL */
		int64_t *i64; /* T_INT, T_TS */
		double *f64;  /* T_NUM */
	} v;
} mm_column;

typedef struct mm_table {
	const char *name;
	strpool *sp;
	size_t nrows, cap;
	int ncols;
	mm_column *cols;
} mm_table;

const char *type_name(mm_type t);

mm_table *tbl_new(const char *name, strpool *sp); /* caller frees with tbl_free */
void tbl_free(mm_table *t);
int tbl_add_col(mm_table *t, const char *name, mm_type type); /* returns index */
int tbl_col(const mm_table *t, const char *name);            /* -1 if absent */
void tbl_reserve(mm_table *t, size_t n);
size_t tbl_add_row(mm_table *t); /* appends a row of nulls, returns its index */

/* Setters. */
static inline void tbl_set_sid(mm_table *t, int c, size_t r, uint32_t id) { t->cols[c].v.i32[r] = (int32_t)id; }
static inline void tbl_set_int(mm_table *t, int c, size_t r, int64_t x) { t->cols[c].v.i64[r] = x; }
static inline void tbl_set_num(mm_table *t, int c, size_t r, double x) { t->cols[c].v.f64[r] = x; }
static inline void tbl_set_date(mm_table *t, int c, size_t r, int32_t d) { t->cols[c].v.i32[r] = d; }
static inline void tbl_set_ts(mm_table *t, int c, size_t r, int64_t s) { t->cols[c].v.i64[r] = s; }
static inline void tbl_set_bool(mm_table *t, int c, size_t r, int b) { t->cols[c].v.i32[r] = b ? 1 : 0; }
void tbl_set_str(mm_table *t, int c, size_t r, const char *s);

/* Getters. */
static inline uint32_t tbl_sid(const mm_table *t, int c, size_t r) { return (uint32_t)t->cols[c].v.i32[r]; }
static inline const char *tbl_str(const mm_table *t, int c, size_t r) { return sp_str(t->sp, (uint32_t)t->cols[c].v.i32[r]); }
static inline int64_t tbl_int(const mm_table *t, int c, size_t r) { return t->cols[c].v.i64[r]; }
static inline double tbl_num(const mm_table *t, int c, size_t r) { return t->cols[c].v.f64[r]; }
static inline int32_t tbl_date(const mm_table *t, int c, size_t r) { return t->cols[c].v.i32[r]; }
static inline int64_t tbl_ts(const mm_table *t, int c, size_t r) { return t->cols[c].v.i64[r]; }
static inline int tbl_bool(const mm_table *t, int c, size_t r) { return t->cols[c].v.i32[r] == 1; }
int tbl_isnull(const mm_table *t, int c, size_t r);
/* A cell as a number for sorting, charts and tests: dates as days,
 * booleans 0/1, strings NAN. Null is NAN. */
double tbl_value(const mm_table *t, int c, size_t r);
/* The order of nulls (NaN in a number column, INT_NULL, I32_NULL, string
 * id 0). Wherever rows are sorted for a reader -- a page's table and its
 * groups, a chart's categories ("Not recorded"), a mart's groups (the
 * equity "Unknown"), the site's sortable tables (assets/sort.js) -- a null
 * comes after every value, ascending or descending alike: sorting a column
 * to see its largest values does not bring its unknowns to the top
 * (docs/templates.md). The one exception is the staging models' row order
 * (stg_order, models/staging/stg_util.h), where nulls are the smallest value, as
 * its radix keys encode them; staging tables are written in that order,
 * so changing it would change them.
 *
 * mm_cmp_nulls_last orders two cells by nullness alone (a_null, b_null
 * true when null): > 0 when only a is null, < 0 when only b is, 0 when
 * both or neither are, and the caller then compares the values. */
static inline int mm_cmp_nulls_last(int a_null, int b_null) { return !!a_null - !!b_null; }
/* Two numbers ascending, NaN after every number; two NaN are equal. */
static inline int mm_cmp_num_nulls_last(double a, double b)
{
	if (isnan(a) || isnan(b))
		return mm_cmp_nulls_last(isnan(a), isnan(b));
	return (a > b) - (a < b);
}
/* Formats a cell as text into buf (CSV/display form, "" for null). */
const char *tbl_fmt(const mm_table *t, int c, size_t r, char *buf, size_t n);

/* RFC 4180 CSV with a header line; numbers with fixed formatting so the
 * output is byte-identical across runs. Returns 0 or -1 on a write error. */
int tbl_write_csv(const mm_table *t, FILE *f);
/* The same for the listed rows only (all rows when rows is NULL). */
int tbl_write_csv_rows(const mm_table *t, const size_t *rows, size_t n, FILE *f);
/* A finite number as tbl_fmt writes it, without snprintf, into out (at
 * least 32 bytes, no NUL). Returns its length, or 0 when the number needs
 * the slow path (very large, or too near a rounding tie to be sure). */
size_t tbl_fmt_num_fast(double x, char *out);

#endif
