/* Parsing test specs: "warn:range(0..3650)@1%" and friends. */
#include "check/check.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	test_kind kind;
} kinds[] = {
	{"unique", TK_UNIQUE}, {"not_null", TK_NOT_NULL}, {"accepted", TK_ACCEPTED},
	{"ref", TK_REF},       {"range", TK_RANGE},       {"expr", TK_EXPR},
};

const char *test_kind_name(test_kind k)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "?";
}

const char *test_spec_next(const char **s, size_t *n)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	const char *start = p;
	int depth = 0;
	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
	}
	*n = (size_t)(p - start);
	*s = p;
	return start;
}

static int fail(char *err, size_t errn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errn, fmt, ap);
	va_end(ap);
	return -1;
}

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
			return fail(err, errn, "empty item in '%s'", arg);
		}
		add_arg(s, a);
		if (!e)
			return 0;
		p = e + 1;
	}
}

static int parse_ref(test_spec *s, const char *arg, char *err, size_t errn)
{
	const char *dot = strchr(arg, '.');
	if (!dot)
		return fail(err, errn, "ref wants model.column, not '%s'", arg);
	s->ref_model = trimmed(arg, (size_t)(dot - arg));
	s->ref_col = trimmed(dot + 1, strlen(dot + 1));
	if (!is_ident(s->ref_model) || !is_ident(s->ref_col))
		return fail(err, errn, "ref wants model.column, not '%s'", arg);
	return 0;
}

static int parse_range(test_spec *s, const char *arg, char *err, size_t errn)
{
	const char *dots = strstr(arg, "..");
	if (!dots)
		return fail(err, errn, "range wants lo..hi, not '%s'", arg);
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
		return fail(err, errn, "range needs at least one bound");
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
		return fail(err, errn, "expr wants 'column OP column_or_number' with OP one of >= > <= < == !=");
	s->lhs = trimmed(arg, (size_t)(at - arg));
	s->rhs = trimmed(at + oplen, strlen(at + oplen));
	if (!is_ident(s->lhs))
		return fail(err, errn, "expr: left side '%s' is not a column name", s->lhs);
	if (!*s->rhs)
		return fail(err, errn, "expr: nothing right of '%s'", cmp_op_text(s->op, CMP_EQ2));
	if (strpbrk(s->rhs, "<>=!"))
		return fail(err, errn, "expr: one comparison only, in '%s'", arg);
	return 0;
}

/* "@N" or "@N%": N >= 0 (a whole number of rows, or a percentage <= 100). */
static int parse_tolerance(test_spec *s, const char *p, const char *end, char *err, size_t errn)
{
	char buf[32];
	size_t n = (size_t)(end - p);
	int pct = n && end[-1] == '%';
	if (pct)
		n--;
	if (!n || n >= sizeof buf)
		return fail(err, errn, "bad tolerance '@%.*s'", (int)(end - p), p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	char *e;
	errno = 0;
	double v = strtod(buf, &e);
	/* A row count is a whole number below 2^53 (checked before the cast,
	 * which is undefined beyond SIZE_MAX). */
	if (*e || errno || !(v >= 0) || (pct && v > 100) || (!pct && (v >= 0x1p53 || v != (double)(size_t)v)) ||
	    !isdigit((unsigned char)buf[0]))
		return fail(err, errn, "bad tolerance '@%.*s': want @N rows or @N%% of rows", (int)(end - p), p);
	s->tol = pct ? TOL_PCT : TOL_ROWS;
	s->tol_value = v;
	return 0;
}

int test_spec_parse(const char *text, size_t n, test_spec *out, char *err, size_t errn)
{
	memset(out, 0, sizeof *out);
	const char *p = text, *end = text + n;
	err[0] = '\0';
	if ((size_t)(end - p) >= 5 && !strncmp(p, "warn:", 5)) {
		out->severity = SEV_WARN;
		p += 5;
	} else if ((size_t)(end - p) >= 6 && !strncmp(p, "error:", 6)) {
		p += 6;
	}
	const char *name = p;
	while (p < end && (islower((unsigned char)*p) || *p == '_'))
		p++;
	size_t namelen = (size_t)(p - name);
	int found = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].name) == namelen && !strncmp(kinds[i].name, name, namelen)) {
			out->kind = kinds[i].kind;
			found = 1;
		}
	if (!found)
		return fail(err, errn, "unknown test '%.*s' (want unique, not_null, accepted, ref, range or expr)",
			    (int)(end - name), name);

	char *arg = NULL;
	if (p < end && *p == '(') {
		const char *open = ++p;
		int depth = 1;
		for (; p < end; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				break;
		}
		if (p == end)
			return fail(err, errn, "missing ')' in '%.*s'", (int)n, text);
		arg = xstrndup(open, (size_t)(p - open));
		p++;
	}
	int rc = 0;
	if (p < end && *p == '@')
		rc = parse_tolerance(out, p + 1, end, err, errn);
	else if (p < end)
		rc = fail(err, errn, "unexpected '%.*s' after the test", (int)(end - p), p);
	if (rc)
		goto out;

	int wants_arg = out->kind != TK_NOT_NULL && out->kind != TK_UNIQUE;
	if (wants_arg && (!arg || !*arg)) {
		rc = fail(err, errn, "%.*s needs an argument in parentheses", (int)namelen, name);
		goto out;
	}
	switch (out->kind) {
	case TK_NOT_NULL:
		if (arg)
			rc = fail(err, errn, "not_null takes no argument");
		break;
	case TK_UNIQUE:
		if (arg) /* model level: a combination of columns */
			rc = split_args(out, arg, ',', 1, err, errn);
		for (int i = 0; !rc && i < out->nargs; i++)
			if (!is_ident(out->args[i]))
				rc = fail(err, errn, "unique: '%s' is not a column name", out->args[i]);
		break;
	case TK_ACCEPTED:
		rc = split_args(out, arg, '|', 0, err, errn);
		break;
	case TK_REF:
		rc = parse_ref(out, arg, err, errn);
		break;
	case TK_RANGE:
		rc = parse_range(out, arg, err, errn);
		break;
	case TK_EXPR:
		rc = parse_expr(out, arg, err, errn);
		break;
	}
out:
	free(arg);
	if (rc)
		test_spec_free(out);
	return rc;
}

void test_spec_free(test_spec *s)
{
	for (int i = 0; i < s->nargs; i++)
		free(s->args[i]);
	free(s->args);
	free(s->ref_model);
	free(s->ref_col);
	free(s->lo);
	free(s->hi);
	free(s->lhs);
	free(s->rhs);
	memset(s, 0, sizeof *s);
}

/* Appends to a growing string. */
typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

char *test_spec_name(const test_spec *s, const char *column)
{
	sbuf b = {0};
	sb_add(&b, kinds[s->kind].name);
	sb_add(&b, "(");
	if (column)
		sb_add(&b, column);
	switch (s->kind) {
	case TK_UNIQUE:
		for (int i = 0; i < s->nargs; i++) {
			if (i || column)
				sb_add(&b, ", ");
			sb_add(&b, s->args[i]);
		}
		break;
	case TK_REF:
		sb_add(&b, column ? " -> " : "");
		sb_add(&b, s->ref_model);
		sb_add(&b, ".");
		sb_add(&b, s->ref_col);
		break;
	case TK_RANGE:
		sb_add(&b, column ? ", " : "");
		sb_add(&b, s->lo ? s->lo : "");
		sb_add(&b, "..");
		sb_add(&b, s->hi ? s->hi : "");
		break;
	case TK_EXPR:
		if (column)
			sb_add(&b, ", ");
		sb_add(&b, s->lhs);
		sb_add(&b, " ");
		sb_add(&b, cmp_op_text(s->op, CMP_EQ2));
		sb_add(&b, " ");
		sb_add(&b, s->rhs);
		break;
	default:
		break;
	}
	sb_add(&b, ")");
	return b.p;
}

int test_literal(const char *s, mm_type t, double *out)
{
	size_t n = strlen(s);
	if (t == T_DATE) {
		int32_t d;
		if (date_parse(s, n, &d))
			return -1;
		*out = d;
		return 0;
	}
	if (t == T_TS) {
		int64_t ts;
		if (ts_parse(s, n, &ts))
			return -1;
		*out = (double)ts;
		return 0;
	}
	if (t == T_BOOL) {
		if (!strcmp(s, "true") || !strcmp(s, "1"))
			*out = 1;
		else if (!strcmp(s, "false") || !strcmp(s, "0"))
			*out = 0;
		else
			return -1;
		return 0;
	}
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	if (!n || *e || errno || isnan(v) || isinf(v))
		return -1;
	*out = v;
	return 0;
}
