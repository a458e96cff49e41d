/* The query language of templates: attribute lists ("key=value ..."),
 * lists of names, filters, measures, sort keys and date literals, parsed
 * with the line and column of every token (syntax in docs/templates.md).
 * Whether the names exist is checked later, in tpl_check.c. */
#include "template/tpl_impl.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- Attribute lists and lists of names ---- */

void tpl_attrs_free(tpl_attrs *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].val);
	}
	free(a->v);
}

/* A bare word (no '=') is kept with val NULL. */
int tpl_split_attrs(template *t, const char *s, size_t n, int line, int col, tpl_attrs *a)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		size_t k0 = i;
		while (i < n && !isspace((unsigned char)s[i]) && s[i] != '=')
			i++;
		if (a->n == a->cap) {
			a->cap = a->cap ? 2 * a->cap : 8;
			a->v = xrealloc(a->v, (size_t)a->cap * sizeof *a->v);
		}
		tpl_attr *at = &a->v[a->n++];
		memset(at, 0, sizeof *at);
		at->key = xstrndup(s + k0, i - k0);
		at->line = line;
		at->kcol = col + (int)k0;
		if (i < n && s[i] == '=') {
			/* The value runs to the next blank outside quotes; quotes
			 * (double or single) group words and are dropped. */
			i++;
			at->vcol = col + (int)i + (i < n && (s[i] == '"' || s[i] == '\'') ? 1 : 0);
			buf v = {0};
			buf_puts(&v, "");
			while (i < n && !isspace((unsigned char)s[i])) {
				if (s[i] == '"' || s[i] == '\'') {
					char q = s[i];
					size_t q0 = i++;
					while (i < n && s[i] != q)
						i++;
					if (i >= n) {
						tpl_perr(t, line, col + (int)q0, "unterminated quote in '%s='", at->key);
						buf_free(&v);
						at->val = xstrdup("");
						return -1;
					}
					buf_put(&v, s + q0 + 1, i - q0 - 1);
					i++;
				} else
					buf_putc(&v, s[i++]);
			}
			at->val = v.s;
		}
	}
	return 0;
}

tpl_attr *tpl_attr_get(tpl_attrs *a, const char *key)
{
	for (int i = 0; i < a->n; i++)
		if (a->v[i].val && !strcmp(a->v[i].key, key))
			return &a->v[i];
	return NULL;
}

char **tpl_split_list(const char *s, char sep, int *n, int **offs)
{
	char **v = NULL;
	int cap = 0;
	*n = 0;
	if (offs)
		*offs = NULL;
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, sep);
		if (!e)
			e = p + strlen(p);
		const char *a = p, *b = e;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 4;
				v = xrealloc(v, (size_t)cap * sizeof *v);
				if (offs)
					*offs = xrealloc(*offs, (size_t)cap * sizeof **offs);
			}
			if (offs)
				(*offs)[*n] = (int)(a - s);
			v[(*n)++] = xstrndup(a, (size_t)(b - a));
		}
		if (!*e)
			break;
		p = e + 1;
	}
	return v;
}

void tpl_free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

tpl_name *tpl_split_names(const char *s, int line, int col, int *n)
{
	int *offs;
	char **parts = tpl_split_list(s, ',', n, &offs);
	tpl_name *v = xcalloc((size_t)*n + 1, sizeof *v);
	for (int i = 0; i < *n; i++) {
		v[i].s = parts[i];
		v[i].line = line;
		v[i].col = col + offs[i];
	}
	free(parts);
	free(offs);
	return v;
}

void tpl_free_names(tpl_name *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

int tpl_is_ident(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* ---- Filters, measures, sort keys ---- */

/* "col OP value|value" at line:col into *out. Returns 0, or -1 after
 * reporting; on an error nothing stays allocated. */
static int parse_cond(template *t, const char *s, int line, int col, tpl_cond *out)
{
	memset(out, 0, sizeof *out);
	size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (k == 0) {
		tpl_perr(t, line, col, "filter condition '%s' does not start with a column name", s);
		return -1;
	}
	const char *p = s + k;
	while (*p == ' ')
		p++;
	size_t oplen = cmp_op_parse(p, strlen(p), CMP_EQ1 | CMP_EQ2, &out->op);
	if (!oplen) {
		tpl_perr(t, line, col + (int)(p - s), "filter condition '%s' needs an operator (= != < <= > >=)", s);
		return -1;
	}
	out->col = xstrndup(s, k);
	out->line = line;
	out->colno = col;
	p += oplen;
	out->vals = tpl_split_list(p, '|', &out->nvals, NULL);
	if (out->nvals == 0) {
		tpl_perr(t, line, col + (int)(p - s), "filter condition '%s' has no value", s);
		tpl_free_cond(out);
		return -1;
	}
	if (out->nvals > 1 && out->op != CMP_EQ && out->op != CMP_NE) {
		tpl_perr(t, line, col + (int)(p - s), "alternatives (a|b) only work with = and !=");
		tpl_free_cond(out);
		return -1;
	}
	return 0;
}

void tpl_free_cond(tpl_cond *c)
{
	free(c->col);
	tpl_free_list(c->vals, c->nvals);
	c->col = NULL;
	c->vals = NULL;
	c->nvals = 0;
}

/* Filter "a=b & c!=d" into q->conds (appended). */
int tpl_parse_filter(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs, rc = 0;
	char **parts = tpl_split_list(s, '&', &n, &offs);
	for (int i = 0; i < n; i++) {
		if (!strcmp(parts[i], "scope=all")) {
			q->scope_all = 1;
			continue;
		}
		q->conds = xrealloc(q->conds, (size_t)(q->nconds + 1) * sizeof *q->conds);
		if (parse_cond(t, parts[i], line, col + offs[i], &q->conds[q->nconds]) == 0)
			q->nconds++;
		else
			rc = -1;
	}
	tpl_free_list(parts, n);
	free(offs);
	return rc;
}

/* count | sum:c | mean:c | median:c | min:c | max:c | pNN:c | pct:COND | ratio:a/b */
int tpl_parse_measure(template *t, const char *s, int line, int col, tpl_measure *m)
{
	memset(m, 0, sizeof *m);
	m->text = xstrdup(s);
	m->line = line;
	m->col = col;
	if (!strcmp(s, "count")) {
		m->fn = FN_COUNT;
		return 0;
	}
	const char *colon = strchr(s, ':');
	if (!colon) {
		tpl_perr(t, line, col, "unknown measure '%s' (count, sum:COL, mean:COL, median:COL, min:COL, max:COL, "
				       "p92:COL, pct:CONDITION or ratio:COL/COL)", s);
		return -1;
	}
	size_t fl = (size_t)(colon - s);
	const char *arg = colon + 1;
	int acol = col + (int)fl + 1;
	static const struct { const char *name; tpl_fn fn; } fns[] = {
		{"sum", FN_SUM}, {"mean", FN_MEAN}, {"median", FN_MEDIAN}, {"min", FN_MIN},
		{"max", FN_MAX}, {"pct", FN_SHARE}, {"ratio", FN_RATIO},
	};
	size_t i;
	for (i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == fl && !strncmp(s, fns[i].name, fl))
			break;
	if (i < sizeof fns / sizeof fns[0]) {
		m->fn = fns[i].fn;
	} else if (s[0] == 'p' && fl >= 2 && fl <= 3 && strspn(s + 1, "0123456789") == fl - 1) {
		m->fn = FN_PCTL;
		m->pctl = atoi(s + 1);
		if (m->pctl < 1 || m->pctl > 99) {
			tpl_perr(t, line, col, "percentile '%.*s' must be p1 to p99", (int)fl, s);
			return -1;
		}
	} else {
		tpl_perr(t, line, col, "unknown measure function '%.*s'", (int)fl, s);
		return -1;
	}
	if (m->fn == FN_SHARE)
		return parse_cond(t, arg, line, acol, &m->cond);
	if (m->fn == FN_RATIO) {
		const char *slash = strchr(arg, '/');
		if (!slash || !tpl_is_ident(arg, (size_t)(slash - arg)) || !tpl_is_ident(slash + 1, strlen(slash + 1))) {
			tpl_perr(t, line, acol, "ratio needs two columns: ratio:NUMERATOR/DENOMINATOR");
			return -1;
		}
		m->a = xstrndup(arg, (size_t)(slash - arg));
		m->b = xstrdup(slash + 1);
		return 0;
	}
	if (!tpl_is_ident(arg, strlen(arg))) {
		tpl_perr(t, line, acol, "'%s' is not a column name", arg);
		return -1;
	}
	m->a = xstrdup(arg);
	return 0;
}

void tpl_free_measure(tpl_measure *m)
{
	free(m->text);
	free(m->a);
	free(m->b);
	if (m->fn == FN_SHARE)
		tpl_free_cond(&m->cond);
}

void tpl_add_measure(tpl_query *q, const tpl_measure *m)
{
	q->ms = xrealloc(q->ms, (size_t)(q->nms + 1) * sizeof *q->ms);
	q->ms[q->nms++] = *m;
}

int tpl_parse_measures(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs, rc = 0;
	char **parts = tpl_split_list(s, ',', &n, &offs);
	for (int i = 0; i < n; i++) {
		tpl_measure m;
		if (tpl_parse_measure(t, parts[i], line, col + offs[i], &m) == 0)
			tpl_add_measure(q, &m);
		else {
			tpl_free_measure(&m);
			rc = -1;
		}
	}
	tpl_free_list(parts, n);
	free(offs);
	return rc;
}

/* "-a,b(X|Y),-count" */
int tpl_parse_sort(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs;
	char **parts = tpl_split_list(s, ',', &n, &offs);
	q->sort = xcalloc((size_t)n + 1, sizeof *q->sort);
	for (int i = 0; i < n; i++) {
		tpl_sort *k = &q->sort[q->nsort++];
		const char *p = parts[i];
		if (*p == '-' || *p == '+')
			k->desc = *p++ == '-';
		const char *par = strchr(p, '(');
		if (par && p[strlen(p) - 1] == ')') {
			k->key = xstrndup(p, (size_t)(par - p));
			char *inner = xstrndup(par + 1, strlen(par + 1) - 1);
			k->order = tpl_split_list(inner, '|', &k->norder, NULL);
			free(inner);
		} else
			k->key = xstrdup(p);
		k->line = line;
		k->col = col + offs[i];
	}
	tpl_free_list(parts, n);
	free(offs);
	return 0;
}

void tpl_free_query(tpl_query *q)
{
	free(q->model.s);
	for (int i = 0; i < q->nconds; i++)
		tpl_free_cond(&q->conds[i]);
	free(q->conds);
	tpl_free_names(q->cols, q->ncols);
	tpl_free_names(q->group, q->ngroup);
	for (int i = 0; i < q->nms; i++)
		tpl_free_measure(&q->ms[i]);
	free(q->ms);
	for (int i = 0; i < q->nsort; i++) {
		free(q->sort[i].key);
		tpl_free_list(q->sort[i].order, q->sort[i].norder);
	}
	free(q->sort);
}

int tpl_date_literal(const char *s, int32_t census, int32_t *out)
{
	if (strncmp(s, "census", 6))
		return date_parse(s, strlen(s), out);
	/* census, then any number of terms: -13w, +2, -6d ("census-13w-6"). */
	const char *p = s + 6;
	long k = 0;
	while (*p) {
		if ((*p != '-' && *p != '+') || !isdigit((unsigned char)p[1]))
			return -1;
		char *end;
		long t = strtol(p, &end, 10);
		if (t > 100000 || t < -100000)
			return -1;
		if (*end == 'w')
			t *= 7, end++;
		else if (*end == 'd')
			end++;
		k += t;
		p = end;
	}
	*out = census + (int32_t)k;
	return 0;
}
