/* The kinds of data test: one row each in the table at the end of this
 * file, with the functions that read its argument, name its result and
 * run it. A run checks its configuration against the table first (so an
 * empty table validates a declaration), then scans the rows once. */
#include "check/check.h"
#include "util/buf.h"

#define ROWS(n) ((n) == 1 ? "row" : "rows")
#include "util/sort.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t errn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errn, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- Reading arguments ---- */

static int is_ident(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* A copy of s[0..n) without surrounding blanks. Caller frees. */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static void add_arg(test_spec *s, char *a)
{
	s->args = xrealloc(s->args, (size_t)(s->nargs + 1) * sizeof *s->args);
	s->args[s->nargs++] = a;
}

/* Splits arg on sep into s->args; fails on an empty item. */
static int split_args(test_spec *s, const char *arg, char sep, int trim, char *err, size_t errn)
{
	const char *p = arg;
	for (;;) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *a = trim ? trimmed(p, n) : xstrndup(p, n);
		if (!*a) {
			free(a);
			return bad(err, errn, "empty item in '%s'", arg);
		}
		add_arg(s, a);
		if (!e)
			return 0;
		p = e + 1;
	}
}

/* unique(a, b, ...): a combination of columns, model level. */
static int parse_unique(test_spec *s, const char *arg, char *err, size_t errn)
{
	int rc = split_args(s, arg, ',', 1, err, errn);
	for (int i = 0; !rc && i < s->nargs; i++)
		if (!is_ident(s->args[i]))
			rc = bad(err, errn, "unique: '%s' is not a column name", s->args[i]);
	return rc;
}

static int parse_accepted(test_spec *s, const char *arg, char *err, size_t errn)
{
	return split_args(s, arg, '|', 0, err, errn);
}

static int parse_ref(test_spec *s, const char *arg, char *err, size_t errn)
{
	const char *dot = strchr(arg, '.');
	if (!dot)
		return bad(err, errn, "ref wants model.column, not '%s'", arg);
	s->ref_model = trimmed(arg, (size_t)(dot - arg));
	s->ref_col = trimmed(dot + 1, strlen(dot + 1));
	if (!is_ident(s->ref_model) || !is_ident(s->ref_col))
		return bad(err, errn, "ref wants model.column, not '%s'", arg);
	return 0;
}

static int parse_range(test_spec *s, const char *arg, char *err, size_t errn)
{
	const char *dots = strstr(arg, "..");
	if (!dots)
		return bad(err, errn, "range wants lo..hi, not '%s'", arg);
	char *lo = trimmed(arg, (size_t)(dots - arg));
	char *hi = trimmed(dots + 2, strlen(dots + 2));
	if (*lo)
		s->lo = lo;
	else
		free(lo);
	if (*hi)
		s->hi = hi;
	else
		free(hi);
	if (!s->lo && !s->hi)
		return bad(err, errn, "range needs at least one bound");
	return 0;
}

static int parse_expr(test_spec *s, const char *arg, char *err, size_t errn)
{
	const char *at = NULL;
	size_t oplen = 0;
	for (const char *p = arg; *p && !at; p++)
		if ((oplen = cmp_op_parse(p, strlen(p), CMP_EQ2, &s->op)))
			at = p;
	if (!at)
		return bad(err, errn, "expr wants 'column OP column_or_number' with OP one of >= > <= < == !=");
	s->lhs = trimmed(arg, (size_t)(at - arg));
	s->rhs = trimmed(at + oplen, strlen(at + oplen));
	if (!is_ident(s->lhs))
		return bad(err, errn, "expr: left side '%s' is not a column name", s->lhs);
	if (!*s->rhs)
		return bad(err, errn, "expr: nothing right of '%s'", cmp_op_text(s->op, CMP_EQ2));
	if (strpbrk(s->rhs, "<>=!"))
		return bad(err, errn, "expr: one comparison only, in '%s'", arg);
	return 0;
}

/* ---- Naming results ---- */

static void name_unique(const test_spec *s, const char *column, buf *b)
{
	for (int i = 0; i < s->nargs; i++) {
		if (i || column)
			buf_puts(b, ", ");
		buf_puts(b, s->args[i]);
	}
}

static void name_ref(const test_spec *s, const char *column, buf *b)
{
	buf_printf(b, "%s%s.%s", column ? " -> " : "", s->ref_model, s->ref_col);
}

static void name_range(const test_spec *s, const char *column, buf *b)
{
	buf_printf(b, "%s%s..%s", column ? ", " : "", s->lo ? s->lo : "", s->hi ? s->hi : "");
}

static void name_expr(const test_spec *s, const char *column, buf *b)
{
	const char *op = cmp_op_text(s->op, CMP_EQ2);
	buf_printf(b, "%s%s %s %s", column ? ", " : "", s->lhs, op, s->rhs);
}

/* ---- Running ---- */

/* A cell for a message: at most 40 bytes, control characters as spaces. */
static const char *example(const mm_table *t, int c, size_t row, char *out, size_t n)
{
	char cell[64];
	const char *s = tbl_fmt(t, c, row, cell, sizeof cell);
	size_t k = 0;
	for (; s[k] && k < 40 && k + 4 < n; k++)
		out[k] = (unsigned char)s[k] < 0x20 ? ' ' : s[k];
	if (s[k] && k + 4 <= n) {
		/* Cut at a UTF-8 character boundary before the ellipsis. */
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

static size_t *first_row(const test_result *r)
{
	return r->nkept ? &r->failing_rows[0] : NULL;
}

static int run_not_null(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r,
			char *err, size_t errn)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (tbl_isnull(t, c, i))
			test_result_fail_row(r, i);
	if (r->failures)
		test_result_message(r, "%zu null value%s", r->failures, r->failures == 1 ? "" : "s");
	return 0;
}

/* Strings count in a byte per pool id (saturating at 2); other types in a hash map. */
static void run_unique1(const mm_table *t, int c, test_result *r)
{
	if (t->cols[c].type == T_STR) {
		uint8_t *seen = xcalloc(t->sp->n + 1, 1);
		for (size_t i = 0; i < t->nrows; i++) {
			uint32_t id = tbl_sid(t, c, i);
			if (id && seen[id] < 2)
				seen[id]++;
		}
		for (size_t i = 0; i < t->nrows; i++) {
			uint32_t id = tbl_sid(t, c, i);
			if (id && seen[id] == 2)
				test_result_fail_row(r, i);
		}
		free(seen);
	} else {
		hmap counts;
		hmap_init(&counts, 1024);
		for (size_t i = 0; i < t->nrows; i++) {
			if (tbl_isnull(t, c, i))
				continue;
			uint64_t k = test_cell_key(t, c, i);
			uint32_t n = hmap_get(&counts, k);
			if (n == HMAP_NONE)
				hmap_put(&counts, k, 1);
			else if (n == 1)
				hmap_put(&counts, k, 2);
		}
		for (size_t i = 0; i < t->nrows; i++)
			if (!tbl_isnull(t, c, i) && hmap_get(&counts, test_cell_key(t, c, i)) == 2)
				test_result_fail_row(r, i);
		hmap_free(&counts);
	}
	if (r->failures) {
		char ex[64];
		test_result_message(r, "%zu %s share a value with another row, e.g. '%s'", r->failures, ROWS(r->failures),
			    example(t, c, *first_row(r), ex, sizeof ex));
	}
}

/* The columns of a unique(a, b, ...) test, for cmp_combo. */
typedef struct combo {
	const mm_table *t;
	const int *cols;
	int n;
} combo;

static int cmp_combo(const void *a, const void *b, void *ctx)
{
	const combo *cb = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	for (int k = 0; k < cb->n; k++) {
		uint64_t kx = test_cell_key(cb->t, cb->cols[k], x), ky = test_cell_key(cb->t, cb->cols[k], y);
		if (kx != ky)
			return kx < ky ? -1 : 1;
	}
	return 0; /* the sort is stable: equal tuples keep row order */
}

/* Whether column c's keys (test_cell_key) are 32-bit. */
static int narrow_key(const mm_table *t, int c)
{
	mm_type ty = t->cols[c].type;
	return ty == T_STR || ty == T_DATE || ty == T_BOOL;
}

/* unique(a, b) of two columns with 32-bit keys: the pair as one 64-bit
 * number, radix sorted, so that equal pairs are adjacent. The same
 * duplicates as comparing the keys one by one (below), in linear time
 * and reading each column once in order rather than at random. */
static void dup_pairs(const mm_table *t, const int *cols, uint8_t *dup)
{
	uint64_t *key = xmalloc((t->nrows + 1) * sizeof *key);
	uint32_t *row = xmalloc((t->nrows + 1) * sizeof *row);
	size_t m = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (!tbl_isnull(t, cols[0], i) && !tbl_isnull(t, cols[1], i)) {
			key[m] = test_cell_key(t, cols[0], i) << 32 | test_cell_key(t, cols[1], i);
			row[m++] = (uint32_t)i;
		}
	mm_radix_u64(key, row, m);
	for (size_t i = 0; i + 1 < m; i++)
		if (key[i] == key[i + 1])
			dup[row[i]] = dup[row[i + 1]] = 1;
	free(key);
	free(row);
}

/* Any other combination: the rows sorted by their keys, column by column. */
static void dup_sorted(const mm_table *t, const int *cols, int n, uint8_t *dup)
{
	size_t *idx = xmalloc((t->nrows + 1) * sizeof *idx), m = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		int null = 0;
		for (int k = 0; k < n && !null; k++)
			null = tbl_isnull(t, cols[k], i);
		if (!null)
			idx[m++] = i;
	}
	mm_sort(idx, m, sizeof *idx, cmp_combo, &(combo){t, cols, n});
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		for (; j < m; j++) {
			int same = 1;
			for (int k = 0; k < n && same; k++)
				same = test_cell_key(t, cols[k], idx[i]) == test_cell_key(t, cols[k], idx[j]);
			if (!same)
				break;
		}
		if (j - i > 1)
			for (size_t k = i; k < j; k++)
				dup[idx[k]] = 1;
		i = j;
	}
	free(idx);
}

/* unique(a, b, ...): rows whose combination (all non-null) occurs twice. */
static void run_unique_combo(const mm_table *t, const int *cols, int n, test_result *r)
{
	uint8_t *dup = xcalloc(t->nrows + 1, 1);
	if (n == 2 && narrow_key(t, cols[0]) && narrow_key(t, cols[1]) && t->nrows <= UINT32_MAX)
		dup_pairs(t, cols, dup);
	else
		dup_sorted(t, cols, n, dup);
	for (size_t i = 0; i < t->nrows; i++)
		if (dup[i])
			test_result_fail_row(r, i);
	free(dup);
	if (r->failures) {
		char ex[64];
		test_result_message(r, "%zu %s share their combination with another row, e.g. %s '%s'", r->failures, ROWS(r->failures),
			    t->cols[cols[0]].name, example(t, cols[0], *first_row(r), ex, sizeof ex));
	}
}

static int run_accepted(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r,
			char *err, size_t errn)
{
	mm_type type = t->cols[c].type;
	hmap ok;
	double *lits = xmalloc((size_t)s->nargs * sizeof *lits);
	for (int k = 0; k < s->nargs; k++)
		if (type != T_STR && test_literal(s->args[k], type, &lits[k])) {
			free(lits);
			return bad(err, errn, "'%s' is not a valid %s", s->args[k], type_name(type));
		}
	hmap_init(&ok, (size_t)s->nargs);
	for (int k = 0; k < s->nargs; k++) {
		if (type == T_STR) {
			/* A value never interned cannot be in the table. */
			uint32_t id = sp_find(t->sp, s->args[k], strlen(s->args[k]));
			if (id != UINT32_MAX)
				hmap_put(&ok, id, 1);
		} else {
			uint64_t key;
			double x = lits[k] == 0 ? 0 : lits[k];
			memcpy(&key, &x, sizeof key);
			hmap_put(&ok, key, 1);
		}
	}
	for (size_t i = 0; i < t->nrows; i++) {
		if (tbl_isnull(t, c, i))
			continue;
		uint64_t key;
		if (type == T_STR) {
			key = tbl_sid(t, c, i);
		} else {
			double x = tbl_value(t, c, i);
			x = x == 0 ? 0 : x;
			memcpy(&key, &x, sizeof key);
		}
		if (hmap_get(&ok, key) == HMAP_NONE)
			test_result_fail_row(r, i);
	}
	hmap_free(&ok);
	free(lits);
	if (r->failures) {
		char ex[64];
		test_result_message(r, "%zu %s hold a value not accepted, e.g. '%s'", r->failures, ROWS(r->failures),
			    example(t, c, *first_row(r), ex, sizeof ex));
	}
	return 0;
}

static int run_ref(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		   size_t errn)
{
	if (!target)
		return bad(err, errn, "%s is not available", s->ref_model);
	int tc = tbl_col(target, s->ref_col);
	if (tc < 0)
		return bad(err, errn, "%s has no column '%s'", s->ref_model, s->ref_col);
	value_set vs;
	value_set_build(&vs, target, tc, t->cols[c].type);
	for (size_t i = 0; i < t->nrows; i++)
		if (!tbl_isnull(t, c, i) && !value_set_has(&vs, t, c, i))
			test_result_fail_row(r, i);
	value_set_free(&vs);
	if (r->failures) {
		char ex[64];
		test_result_message(r, "%zu %s not found in %s.%s, e.g. '%s'", r->failures, ROWS(r->failures), s->ref_model, s->ref_col,
			    example(t, c, *first_row(r), ex, sizeof ex));
	}
	return 0;
}

static int run_range(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		     size_t errn)
{
	mm_type type = t->cols[c].type;
	double lo = -INFINITY, hi = INFINITY;
	if (type == T_STR)
		return bad(err, errn, "range does not apply to text column '%s'", t->cols[c].name);
	if (s->lo && test_literal(s->lo, type, &lo))
		return bad(err, errn, "range bound '%s' is not a valid %s", s->lo, type_name(type));
	if (s->hi && test_literal(s->hi, type, &hi))
		return bad(err, errn, "range bound '%s' is not a valid %s", s->hi, type_name(type));
	if (lo > hi)
		return bad(err, errn, "range %s..%s is empty", s->lo, s->hi);
	for (size_t i = 0; i < t->nrows; i++) {
		double v = tbl_value(t, c, i);
		if (!isnan(v) && (v < lo || v > hi))
			test_result_fail_row(r, i);
	}
	if (r->failures) {
		char ex[64];
		test_result_message(r, "%zu %s outside %s..%s, e.g. '%s'", r->failures, ROWS(r->failures), s->lo ? s->lo : "",
			    s->hi ? s->hi : "", example(t, c, *first_row(r), ex, sizeof ex));
	}
	return 0;
}

static int run_expr(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		    size_t errn)
{
	int a = tbl_col(t, s->lhs), b = tbl_col(t, s->rhs);
	double lit = NAN;
	if (a < 0)
		return bad(err, errn, "no column '%s'", s->lhs);
	mm_type ta = t->cols[a].type;
	if (b < 0 && (ta == T_STR || test_literal(s->rhs, ta, &lit)))
		return bad(err, errn, "'%s' is neither a column nor a valid %s", s->rhs, type_name(ta));
	mm_type tb = b >= 0 ? t->cols[b].type : ta;
	if ((ta == T_STR) != (tb == T_STR))
		return bad(err, errn, "compares text with a %s", type_name(ta == T_STR ? tb : ta));
	if (ta == T_STR && s->op != CMP_EQ && s->op != CMP_NE)
		return bad(err, errn, "text compares only with == and !=");
	if ((ta == T_DATE && tb == T_TS) || (ta == T_TS && tb == T_DATE))
		return bad(err, errn, "compares a date with a timestamp");
	for (size_t i = 0; i < t->nrows; i++) {
		if (tbl_isnull(t, a, i) || (b >= 0 && tbl_isnull(t, b, i)))
			continue;
		int ok;
		if (ta == T_STR) /* one table, one pool: equal ids are equal strings */
			ok = (tbl_sid(t, a, i) == tbl_sid(t, b, i)) == (s->op == CMP_EQ);
		else
			ok = cmp_holds(s->op, tbl_value(t, a, i), b >= 0 ? tbl_value(t, b, i) : lit);
		if (!ok)
			test_result_fail_row(r, i);
	}
	if (r->failures) {
		char ea[64], eb[64];
		size_t row = *first_row(r);
		test_result_message(r, "%zu %s where %s %s %s is false, e.g. row %zu: %s %s %s", r->failures, ROWS(r->failures), s->lhs,
			    cmp_op_text(s->op, CMP_EQ2), s->rhs, row, example(t, a, row, ea, sizeof ea),
			    cmp_op_text(s->op, CMP_EQ2), b >= 0 ? example(t, b, row, eb, sizeof eb) : s->rhs);
	}
	return 0;
}

/* unique on a column, or unique(a, b, ...) on a combination. */
static int run_unique(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		      size_t errn)
{
	if (c >= 0) {
		run_unique1(t, c, r);
		return 0;
	}
	int *cols = xmalloc((size_t)s->nargs * sizeof *cols);
	for (int k = 0; k < s->nargs; k++)
		if ((cols[k] = tbl_col(t, s->args[k])) < 0) {
			free(cols);
			return bad(err, errn, "no column '%s'", s->args[k]);
		}
	run_unique_combo(t, cols, s->nargs, r);
	free(cols);
	return 0;
}

/* ---- The table ---- */

/* Every kind of data test, in the order error messages list them. */
static const test_kind kinds[] = {
	{"unique", TL_BY_ARG, TA_OPTIONAL, TKF_KEY, parse_unique, name_unique, run_unique},
	{"not_null", TL_COLUMN, TA_NONE, 0, NULL, NULL, run_not_null},
	{"accepted", TL_COLUMN, TA_REQUIRED, 0, parse_accepted, NULL, run_accepted},
	{"ref", TL_COLUMN, TA_REQUIRED, 0, parse_ref, name_ref, run_ref},
	{"range", TL_COLUMN, TA_REQUIRED, 0, parse_range, name_range, run_range},
	{"expr", TL_MODEL, TA_REQUIRED, 0, parse_expr, name_expr, run_expr},
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

const test_kind *test_kind_find(const char *name, size_t n)
{
	for (int i = 0; i < NKINDS; i++)
		if (strlen(kinds[i].name) == n && !strncmp(kinds[i].name, name, n))
			return &kinds[i];
	return NULL;
}

const char *test_kind_names(void)
{
	static buf names; /* made once, kept for the run */
	if (!names.s)
		for (int i = 0; i < NKINDS; i++)
			buf_printf(&names, "%s%s", i == 0 ? "" : i == NKINDS - 1 ? " or " : ", ", kinds[i].name);
	return names.s;
}

/* Whether s is declared at model level rather than on a column. */
static int model_level(const test_spec *s)
{
	return s->kind->level == TL_MODEL || (s->kind->level == TL_BY_ARG && s->nargs);
}

int test_spec_run(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		  size_t errn)
{
	err[0] = '\0';
	r->rows = t->nrows;
	if ((c >= 0) == model_level(s))
		return bad(err, errn, c >= 0 ? "this is a model-level test (declare it in the model's tests)"
					     : "this is a column test (declare it on the column)");
	return s->kind->run(s, t, c, target, r, err, errn);
}

test_status test_decide(const test_spec *s, size_t failures, size_t rows)
{
	double allowed = 0;
	if (s->tol == TOL_ROWS)
		allowed = s->tol_value;
	else if (s->tol == TOL_PCT)
		allowed = s->tol_value * (double)rows / 100.0 + 1e-9; /* 0.29% of 10000 is 29, not 28.99... */
	if ((double)failures <= allowed)
		return TS_PASS;
	return s->severity == SEV_WARN ? TS_WARN : TS_FAIL;
}
