/* Parsing test specs: "warn:range(0..3650)@1%" and friends. */
#include "check/check.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* "@N" or "@N%": N >= 0 (a whole number of rows, or a percentage <= 100). */
static int parse_tolerance(test_spec *s, const char *p, const char *end, char *err, size_t errn)
{
	char num[32];
	size_t n = (size_t)(end - p);
	int pct = n && end[-1] == '%';
	if (pct)
		n--;
	if (!n || n >= sizeof num)
		return fail(err, errn, "bad tolerance '@%.*s'", (int)(end - p), p);
	memcpy(num, p, n);
	num[n] = '\0';
	char *e;
	errno = 0;
	double v = strtod(num, &e);
	/* A row count is a whole number below 2^53 (checked before the cast,
	 * which is undefined beyond SIZE_MAX). */
	if (*e || errno || !(v >= 0) || (pct && v > 100) || (!pct && (v >= 0x1p53 || v != (double)(size_t)v)) ||
	    !isdigit((unsigned char)num[0]))
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
	if (!(out->kind = test_kind_find(name, namelen)))
		return fail(err, errn, "unknown test '%.*s' (want %s)", (int)(end - name), name, test_kind_names());

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

	const test_kind *k = out->kind;
	if (k->arg == TA_REQUIRED && (!arg || !*arg))
		rc = fail(err, errn, "%.*s needs an argument in parentheses", (int)namelen, name);
	else if (k->arg == TA_NONE && arg)
		rc = fail(err, errn, "%s takes no argument", k->name);
	else if (arg && k->parse)
		rc = k->parse(out, arg, err, errn);
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

char *test_spec_name(const test_spec *s, const char *column)
{
	buf b = {0};
	buf_puts(&b, s->kind->name);
	buf_putc(&b, '(');
	if (column)
		buf_puts(&b, column);
	if (s->kind->name_args)
		s->kind->name_args(s, column, &b);
	buf_putc(&b, ')');
	return b.s;
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
