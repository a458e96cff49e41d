/* Template parsing and validation: finds the data blocks in the cmark tree
 * and parses their attributes, keeping line and column of every token so
 * that a mistake is reported where the analyst made it. */
#include "render/template.h"
#include "render/chart.h"
#include "render/disclosure.h"
#include "models/rules_text.h"
#include "render/query.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/suggest.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Catalog ---- */

static int has_col(const mm_table *t, const model_def *d, const char *name)
{
	if (t)
		return tbl_col(t, name) >= 0;
	for (int i = 0; d && i < d->ncols; i++)
		if (!strcmp(d->cols[i].name, name))
			return 1;
	return 0;
}

void tpl_catalog_add(tpl_catalog *c, const char *name, const char *description, const mm_table *t,
		     const model_def *def)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
	}
	tpl_source *s = &c->v[c->n++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->description = description;
	s->t = t;
	s->def = def;
	/* Tables without a declaration (made while rendering, or in tests)
	 * are patient level by the names the declarations replaced. */
	s->patient_level = def ? (def->flags & MODEL_PATIENT_LEVEL) != 0
			       : has_col(t, def, "patient_id") || has_col(t, def, "pathway_id") ||
					 !strncmp(name, "stg_", 4) || !strncmp(name, "int_", 4);
	int ncols = t ? t->ncols : def->ncols;
	s->national = 1;
	for (int i = 0; i < ncols; i++)
		if (sdc_role_geographic(tpl_source_role(s, t ? t->cols[i].name : def->cols[i].name)))
			s->national = 0;
}

const tpl_source *tpl_catalog_find(const tpl_catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name))
			return &c->v[i];
	return NULL;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const tpl_code *)a)->code, ((const tpl_code *)b)->code);
}

void tpl_catalog_set_reasons(tpl_catalog *c, const mm_table *seed)
{
	free(c->reasons);
	c->reasons = NULL;
	c->nreasons = 0;
	int kc = seed ? tbl_col(seed, "CODE") : -1, dc = seed ? tbl_col(seed, "DESCRIPTION") : -1;
	if (kc < 0 || dc < 0 || seed->cols[kc].type != T_STR || seed->cols[dc].type != T_STR)
		return;
	c->reasons = xcalloc(seed->nrows ? seed->nrows : 1, sizeof *c->reasons);
	for (size_t r = 0; r < seed->nrows; r++) {
		if (tbl_isnull(seed, kc, r))
			continue;
		const char *d = tbl_isnull(seed, dc, r) ? "" : tbl_str(seed, dc, r);
		c->reasons[c->nreasons++] = (tpl_code){tbl_str(seed, kc, r), *d ? d : tbl_str(seed, kc, r)};
	}
	qsort(c->reasons, (size_t)c->nreasons, sizeof *c->reasons, cmp_code);
}

col_role tpl_source_role(const tpl_source *s, const char *name)
{
	for (int i = 0; s->def && i < s->def->ncols; i++)
		if (!strcmp(s->def->cols[i].name, name))
			return s->def->cols[i].role;
	mm_type ty;
	if (s->def || tpl_source_col(s, name, &ty) < 0)
		return CR_UNSET;
	return sdc_role_guess(name, ty);
}

void tpl_catalog_free(tpl_catalog *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
	free(c->reasons);
	c->reasons = NULL;
	c->nreasons = 0;
}

int tpl_source_col(const tpl_source *s, const char *name, mm_type *type)
{
	if (s->t) {
		int c = tbl_col(s->t, name);
		if (c >= 0 && type)
			*type = s->t->cols[c].type;
		return c;
	}
	for (int i = 0; s->def && i < s->def->ncols; i++)
		if (!strcmp(s->def->cols[i].name, name)) {
			if (type)
				*type = s->def->cols[i].type;
			return i;
		}
	return -1;
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

/* ---- Diagnostics ---- */

static void perr(template *t, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(template *t, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag(DIAG_ERROR, t->path, line, col, "%s", msg);
	t->nerrors++;
}

/* ---- Small parsers ---- */

/* A token of an attribute list, with the source position of key and value. */
typedef struct attr {
	char *key, *val;
	int line, kcol, vcol;
	int used;
} attr;

typedef struct attrs {
	attr *v;
	int n, cap;
} attrs;

static void attrs_free(attrs *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].val);
	}
	free(a->v);
}

/* Splits "key=value key="quoted value" ..." (s[0..n), first byte at line,
 * col) into a. A bare word (no '=') is kept with val NULL. Returns 0 or -1
 * after reporting an unterminated quote. */
static int split_attrs(template *t, const char *s, size_t n, int line, int col, attrs *a)
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
		attr *at = &a->v[a->n++];
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
						perr(t, line, col + (int)q0, "unterminated quote in '%s='", at->key);
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

static attr *attr_get(attrs *a, const char *key)
{
	for (int i = 0; i < a->n; i++)
		if (a->v[i].val && !strcmp(a->v[i].key, key)) {
			a->v[i].used = 1;
			return &a->v[i];
		}
	return NULL;
}

static char *attr_str(attrs *a, const char *key)
{
	attr *at = attr_get(a, key);
	return at ? xstrdup(at->val) : NULL;
}

/* Splits s on sep into trimmed, owned pieces; empty pieces are dropped.
 * offs (may be NULL) gets each piece's byte offset in s. Caller frees. */
static char **split_list(const char *s, char sep, int *n, int **offs)
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

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A comma-separated list of names at line:col. Caller frees with free_names. */
static tpl_name *split_names(const char *s, int line, int col, int *n)
{
	int *offs;
	char **parts = split_list(s, ',', n, &offs);
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

static void free_names(tpl_name *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

static tpl_name attr_name(attrs *a, const char *key)
{
	tpl_name nm = {0};
	attr *at = attr_get(a, key);
	if (at) {
		nm.s = xstrdup(at->val);
		nm.line = at->line;
		nm.col = at->vcol;
	}
	return nm;
}

static int is_ident(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* "col OP value|value" at line:col. Returns 0 or -1 after reporting. */
static void free_cond(tpl_cond *c);

/* Parses one condition into *out; on an error nothing stays allocated. */
static int parse_cond(template *t, const char *s, int line, int col, tpl_cond *out)
{
	memset(out, 0, sizeof *out);
	size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (k == 0) {
		perr(t, line, col, "filter condition '%s' does not start with a column name", s);
		return -1;
	}
	const char *p = s + k;
	while (*p == ' ')
		p++;
	size_t oplen = cmp_op_parse(p, strlen(p), CMP_EQ1 | CMP_EQ2, &out->op);
	if (!oplen) {
		perr(t, line, col + (int)(p - s), "filter condition '%s' needs an operator (= != < <= > >=)", s);
		return -1;
	}
	out->col = xstrndup(s, k);
	out->line = line;
	out->colno = col;
	p += oplen;
	out->vals = split_list(p, '|', &out->nvals, NULL);
	if (out->nvals == 0) {
		perr(t, line, col + (int)(p - s), "filter condition '%s' has no value", s);
		free_cond(out);
		return -1;
	}
	if (out->nvals > 1 && out->op != CMP_EQ && out->op != CMP_NE) {
		perr(t, line, col + (int)(p - s), "alternatives (a|b) only work with = and !=");
		free_cond(out);
		return -1;
	}
	return 0;
}

static void free_cond(tpl_cond *c)
{
	free(c->col);
	free_list(c->vals, c->nvals);
	c->col = NULL;
	c->vals = NULL;
	c->nvals = 0;
}

/* Filter "a=b & c!=d" into q->conds (appended). */
static int parse_filter(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs, rc = 0;
	char **parts = split_list(s, '&', &n, &offs);
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
	free_list(parts, n);
	free(offs);
	return rc;
}

/* count | sum:c | mean:c | median:c | min:c | max:c | pNN:c | pct:COND | ratio:a/b */
static int parse_measure(template *t, const char *s, int line, int col, tpl_measure *m)
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
		perr(t, line, col, "unknown measure '%s' (count, sum:COL, mean:COL, median:COL, min:COL, max:COL, "
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
			perr(t, line, col, "percentile '%.*s' must be p1 to p99", (int)fl, s);
			return -1;
		}
	} else {
		perr(t, line, col, "unknown measure function '%.*s'", (int)fl, s);
		return -1;
	}
	if (m->fn == FN_SHARE)
		return parse_cond(t, arg, line, acol, &m->cond);
	if (m->fn == FN_RATIO) {
		const char *slash = strchr(arg, '/');
		if (!slash || !is_ident(arg, (size_t)(slash - arg)) || !is_ident(slash + 1, strlen(slash + 1))) {
			perr(t, line, acol, "ratio needs two columns: ratio:NUMERATOR/DENOMINATOR");
			return -1;
		}
		m->a = xstrndup(arg, (size_t)(slash - arg));
		m->b = xstrdup(slash + 1);
		return 0;
	}
	if (!is_ident(arg, strlen(arg))) {
		perr(t, line, acol, "'%s' is not a column name", arg);
		return -1;
	}
	m->a = xstrdup(arg);
	return 0;
}

static void free_measure(tpl_measure *m)
{
	free(m->text);
	free(m->a);
	free(m->b);
	if (m->fn == FN_SHARE)
		free_cond(&m->cond);
}

static void add_measure(tpl_query *q, const tpl_measure *m)
{
	q->ms = xrealloc(q->ms, (size_t)(q->nms + 1) * sizeof *q->ms);
	q->ms[q->nms++] = *m;
}

static int parse_measures(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs, rc = 0;
	char **parts = split_list(s, ',', &n, &offs);
	for (int i = 0; i < n; i++) {
		tpl_measure m;
		if (parse_measure(t, parts[i], line, col + offs[i], &m) == 0)
			add_measure(q, &m);
		else {
			free_measure(&m);
			rc = -1;
		}
	}
	free_list(parts, n);
	free(offs);
	return rc;
}

/* "-a,b(X|Y),-count" */
static int parse_sort(template *t, const char *s, int line, int col, tpl_query *q)
{
	int n, *offs;
	char **parts = split_list(s, ',', &n, &offs);
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
			k->order = split_list(inner, '|', &k->norder, NULL);
			free(inner);
		} else
			k->key = xstrdup(p);
		k->line = line;
		k->col = col + offs[i];
	}
	free_list(parts, n);
	free(offs);
	return 0;
}

/* ---- Blocks ---- */

static const struct kind_info {
	const char *name;
	enum tpl_kind kind;
	const char *keys; /* accepted attribute keys, space separated and padded */
} kinds[] = {
	{"table", BLK_TABLE, " model columns group measures filter sort limit title labels empty scope link caption filters "},
	{"chart", BLK_CHART,
	 " kind model x y series filter limit title x_label y_label target target_label suffix bins order x_order "
	 "series_order horizontal empty scope caption better interim interim_label show "},
	{"kpis", BLK_KPIS, " model filter scope title "},
	{"note", BLK_NOTE, " when "},
	{"downloads", BLK_DOWNLOADS, " title "},
	{"diagram", BLK_DIAGRAM, " kind title caption "},
	{"packs", BLK_PACKS, " title "},
};

static const struct kind_info *kind_of(const char *word, size_t n)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].name) == n && !strncmp(kinds[i].name, word, n))
			return &kinds[i];
	return NULL;
}

static tpl_block *new_block(template *t, enum tpl_kind kind, cmark_node *node, int line, int col)
{
	t->blocks = xrealloc(t->blocks, (size_t)(t->nblocks + 1) * sizeof *t->blocks);
	tpl_block *b = &t->blocks[t->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->node = node;
	b->line = line;
	b->col = col;
	cmark_node_set_user_data(node, (void *)(intptr_t)t->nblocks);
	return b;
}

/* Start of line `line` (1-based) of the template source, and its length. */
static const char *source_line(const template *t, int line, size_t *len)
{
	const char *p = t->src, *end = t->src + t->len;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

static const struct { const char *name; enum tpl_when w; } whens[] = {
	{"always", WHEN_ALWAYS}, {"capacity", WHEN_CAPACITY}, {"no_capacity", WHEN_NO_CAPACITY},
	{"plain_synthea", WHEN_PLAIN}, {"waiting_list", WHEN_WAITING_LIST}, {"clinical", WHEN_CLINICAL},
	{"board", WHEN_BOARD},
};

/* Parses the kpis body: one KPI a line, "kpi" or "kpi = measure". */
static void parse_kpi_lines(template *t, tpl_block *b, const char *body, int line0, int col0)
{
	int ln = line0;
	for (const char *p = body; *p; ln++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *l = xstrndup(p, n);
		char *s = l;
		while (isspace((unsigned char)*s))
			s++;
		int c = col0 + (int)(s - l);
		size_t k = strcspn(s, " \t=");
		if (*s && *s != '#') {
			b->kpis = xrealloc(b->kpis, (size_t)(b->nkpis + 1) * sizeof *b->kpis);
			tpl_kpi_line *kl = &b->kpis[b->nkpis];
			memset(kl, 0, sizeof *kl);
			kl->kpi = xstrndup(s, k);
			kl->line = ln;
			kl->col = c;
			const char *eq = strchr(s + k, '=');
			int ok = 1;
			if (eq) {
				const char *m = eq + 1;
				while (isspace((unsigned char)*m))
					m++;
				char *mt = xstrdup(m);
				char *qm = strchr(mt, '?');
				if (qm) {
					/* "kpi = measure ? filter": the line's own filter */
					*qm = '\0';
					tpl_query lq = {0};
					parse_filter(t, qm + 1, ln, c + (int)(m - s) + (int)(qm - mt) + 1, &lq);
					kl->conds = lq.conds;
					kl->nconds = lq.nconds;
				}
				for (size_t z = strlen(mt); z && isspace((unsigned char)mt[z - 1]); z--)
					mt[z - 1] = '\0';
				kl->has_measure = 1;
				ok = parse_measure(t, mt, ln, c + (int)(m - s), &kl->m) == 0;
				free(mt);
			} else if (s[k + strspn(s + k, " \t")]) {
				perr(t, ln, c + (int)k, "expected 'KPI' or 'KPI = MEASURE' on a kpis line");
				ok = 0;
			}
			if (ok)
				b->nkpis++;
			else {
				if (kl->has_measure)
					free_measure(&kl->m);
				for (int z = 0; z < kl->nconds; z++)
					free_cond(&kl->conds[z]);
				free(kl->conds); /* the line's filter, parsed before the measure failed */
				free(kl->kpi);
			}
		}
		free(l);
		if (!e)
			break;
		p = e + 1;
	}
}

static void parse_fenced(template *t, cmark_node *node, const struct kind_info *ki)
{
	/* In a note's body, cmark counts from the body: move to the source. */
	int line = cmark_node_get_start_line(node) + t->line_off;
	int col = cmark_node_get_start_column(node) + t->col_off;
	size_t len;
	const char *ls = source_line(t, line, &len);
	/* The info string as written: after the fence and spaces. */
	size_t i = col > 0 ? (size_t)col - 1 : 0;
	while (i < len && (ls[i] == ' ' || ls[i] == '\t' || ls[i] == '>'))
		i++;
	while (i < len && (ls[i] == '`' || ls[i] == '~'))
		i++;
	while (i < len && (ls[i] == ' ' || ls[i] == '\t'))
		i++;
	tpl_block *b = new_block(t, ki->kind, node, line, (int)i + 1);
	attrs a = {0};
	split_attrs(t, ls + i, len - i, line, (int)i + 1, &a);
	if (a.n == 0 || strcmp(a.v[0].key, ki->name) != 0) {
		/* The source line is not the fence as cmark saw it (a note
		 * body nested in a block quote or a list): read cmark's info
		 * string instead; positions are then the block's own. */
		attrs_free(&a);
		memset(&a, 0, sizeof a);
		const char *info = cmark_node_get_fence_info(node);
		split_attrs(t, info, strlen(info), line, col, &a);
	}
	const char *body = cmark_node_get_literal(node);
	if (ki->kind == BLK_KPIS)
		parse_kpi_lines(t, b, body, line + 1, col);
	else if (ki->kind == BLK_NOTE) {
		b->body = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
		b->body_line0 = line;
		b->body_col0 = col - 1;
	}
	else {
		/* Further attributes may follow in the body, one or more a line. */
		int ln = line + 1;
		for (const char *p = body; *p; ln++) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			size_t sk = strspn(p, " \t");
			if (sk < n && p[sk] != '#')
				split_attrs(t, p, n, ln, col, &a);
			if (!e)
				break;
			p = e + 1;
		}
	}
	/* a.v[0] is the kind word itself. */
	if (a.n > 0)
		a.v[0].used = 1;
	for (int k = 1; k < a.n; k++) {
		char pad[64];
		snprintf(pad, sizeof pad, " %s ", a.v[k].key);
		if (!a.v[k].val || !strstr(ki->keys, pad)) {
			perr(t, a.v[k].line, a.v[k].kcol, "unknown %s attribute '%s' (accepted:%s)", ki->name, a.v[k].key,
			     ki->keys);
			a.v[k].used = 1;
		}
	}
	attr *at;
	b->q.model = attr_name(&a, "model");
	if ((at = attr_get(&a, "filter")))
		parse_filter(t, at->val, at->line, at->vcol, &b->q);
	if ((at = attr_get(&a, "columns")))
		b->q.cols = split_names(at->val, at->line, at->vcol, &b->q.ncols);
	if ((at = attr_get(&a, "group")))
		b->q.group = split_names(at->val, at->line, at->vcol, &b->q.ngroup);
	if ((at = attr_get(&a, "measures")))
		parse_measures(t, at->val, at->line, at->vcol, &b->q);
	if ((at = attr_get(&a, "y"))) {
		/* A plain column name is its sum per x (one row per x: the value). */
		if (strcmp(at->val, "count") && is_ident(at->val, strlen(at->val))) {
			tpl_measure m = {.fn = FN_SUM, .text = xstrdup(at->val), .a = xstrdup(at->val),
					 .line = at->line, .col = at->vcol};
			add_measure(&b->q, &m);
		} else
			parse_measures(t, at->val, at->line, at->vcol, &b->q);
	}
	if ((at = attr_get(&a, "sort")))
		parse_sort(t, at->val, at->line, at->vcol, &b->q);
	if ((at = attr_get(&a, "limit"))) {
		char *end;
		long v = strtol(at->val, &end, 10);
		if (*end || v <= 0)
			perr(t, at->line, at->vcol, "limit must be a positive whole number, not '%s'", at->val);
		else
			b->q.limit = v;
	}
	if ((at = attr_get(&a, "scope"))) {
		if (strcmp(at->val, "all") && strcmp(at->val, "page"))
			perr(t, at->line, at->vcol, "scope must be 'all' or 'page', not '%s'", at->val);
		b->q.scope_all = !strcmp(at->val, "all");
	}
	if ((at = attr_get(&a, "labels")))
		b->labels = split_list(at->val, '|', &b->nlabels, NULL);
	if ((at = attr_get(&a, "when"))) {
		size_t w;
		for (w = 0; w < sizeof whens / sizeof whens[0]; w++)
			if (!strcmp(whens[w].name, at->val))
				break;
		if (w == sizeof whens / sizeof whens[0])
			perr(t, at->line, at->vcol, "unknown condition when=%s (capacity, no_capacity, plain_synthea, "
						     "waiting_list, clinical, board)", at->val);
		else
			b->when = whens[w].w;
	}
	if ((at = attr_get(&a, "kind")) && ki->kind == BLK_DIAGRAM) {
		if (strcmp(at->val, "data-model") && strcmp(at->val, "lineage") && strcmp(at->val, "sources"))
			perr(t, at->line, at->vcol, "unknown diagram kind '%s' (data-model, lineage, sources)", at->val);
		b->chart_kind = xstrdup(at->val);
	} else if (at) {
		chart_kind ck;
		if (chart_kind_parse(at->val, &ck))
			perr(t, at->line, at->vcol, "unknown chart kind '%s' (bar, stacked-bar, line, histogram, heatmap, spc)",
			     at->val);
		b->chart_kind = xstrdup(at->val);
	}
	/* Grouping without measures counts rows; sort keys that are neither
	 * shown columns nor measures become hidden measures. */
	if (ki->kind == BLK_TABLE && b->q.ngroup > 0 && b->q.nms == 0) {
		tpl_measure m;
		parse_measure(t, "count", line, col, &m);
		add_measure(&b->q, &m);
	}
	if (ki->kind == BLK_TABLE && (b->q.ngroup > 0 || b->q.nms > 0))
		for (int k = 0; k < b->q.nsort; k++) {
			tpl_sort *so = &b->q.sort[k];
			int known = 0;
			for (int g = 0; g < b->q.ngroup; g++)
				known |= !strcmp(b->q.group[g].s, so->key);
			for (int g = 0; g < b->q.nms; g++)
				known |= !strcmp(b->q.ms[g].text, so->key);
			if (known)
				continue;
			tpl_measure m;
			if (parse_measure(t, so->key, so->line, so->col + so->desc, &m) == 0) {
				add_measure(&b->q, &m);
				b->q.nhidden++;
			} else
				free_measure(&m);
		}
	b->title = attr_str(&a, "title");
	b->link = attr_str(&a, "link");
	if ((at = attr_get(&a, "filters")))
		b->filters = split_names(at->val, at->line, at->vcol, &b->nfilters);
	b->empty = attr_str(&a, "empty");
	b->caption = attr_str(&a, "caption");
	b->x = attr_name(&a, "x");
	b->series = attr_name(&a, "series");
	/* Chart options passed through to the chart module, kept as attributes. */
	b->chart_opts = xcalloc(1, sizeof *b->chart_opts);
	static const char *const passthru[] = {"x_label", "y_label", "target", "target_label", "suffix", "bins",
					       "order", "x_order", "series_order", "horizontal", "better", "interim",
					       "interim_label", "show"};
	for (size_t k = 0; k < sizeof passthru / sizeof passthru[0]; k++)
		if ((at = attr_get(&a, passthru[k]))) {
			b->chart_opts[b->nchart_opts].key = xstrdup(at->key);
			b->chart_opts[b->nchart_opts].val = xstrdup(at->val);
			b->chart_opts[b->nchart_opts].line = at->line;
			b->chart_opts[b->nchart_opts].col = at->vcol;
			b->chart_opts = xrealloc(b->chart_opts, (size_t)(++b->nchart_opts + 1) * sizeof *b->chart_opts);
		}
	attrs_free(&a);
}

/* Inline code: kpi:NAME, value:MODEL.MEASURE?FILTER,
 * top:MODEL.COLUMN [by [-]MEASURE]?FILTER, meta:census|source|audience. */
static void parse_inline(template *t, cmark_node *node)
{
	const char *lit = cmark_node_get_literal(node);
	int line = cmark_node_get_start_line(node) + t->line_off;
	int col = cmark_node_get_start_column(node) + t->col_off;
	static const struct { const char *prefix; enum tpl_kind kind; } pre[] = {
		{"kpi:", BLK_KPI}, {"value:", BLK_VALUE}, {"top:", BLK_TOP}, {"meta:", BLK_META},
	};
	size_t i;
	for (i = 0; i < sizeof pre / sizeof pre[0]; i++)
		if (!strncmp(lit, pre[i].prefix, strlen(pre[i].prefix)))
			break;
	if (i == sizeof pre / sizeof pre[0])
		return;
	tpl_block *b = new_block(t, pre[i].kind, node, line, col);
	const char *s = lit + strlen(pre[i].prefix);
	int c0 = col + (int)strlen(pre[i].prefix);
	if (b->kind == BLK_KPI) {
		b->kpis = xcalloc(1, sizeof *b->kpis);
		size_t n = strlen(s);
		b->kpis[0].plain = n > 6 && !strcmp(s + n - 6, ".value");
		b->kpis[0].kpi = xstrndup(s, b->kpis[0].plain ? n - 6 : n);
		b->kpis[0].line = line;
		b->kpis[0].col = c0;
		b->nkpis = 1;
		return;
	}
	if (b->kind == BLK_META) {
		if (strcmp(s, "census") && strcmp(s, "source") && strcmp(s, "audience") && strcmp(s, "version") &&
		    strcmp(s, "rules_file") && strcmp(s, "rules_sha256"))
			perr(t, line, c0, "unknown meta:%s (census, source, audience, version, rules_file or rules_sha256)",
			     s);
		b->meta = xstrdup(s);
		return;
	}
	const char *q = strchr(s, '?');
	size_t n = q ? (size_t)(q - s) : strlen(s);
	char *head = xstrndup(s, n);
	char *dot = strchr(head, '.');
	if (!dot || dot == head || !dot[1]) {
		perr(t, line, c0, "expected %sMODEL.%s", pre[i].prefix, b->kind == BLK_VALUE ? "MEASURE" : "COLUMN");
		free(head);
		return;
	}
	b->q.model.s = xstrndup(head, (size_t)(dot - head));
	b->q.model.line = line;
	b->q.model.col = c0;
	const char *rest = dot + 1;
	int rc = c0 + (int)(rest - head);
	if (b->kind == BLK_VALUE) {
		parse_measures(t, rest, line, rc, &b->q);
	} else {
		const char *by = strstr(rest, " by ");
		size_t cn = by ? (size_t)(by - rest) : strlen(rest);
		b->top_col.s = xstrndup(rest, cn);
		b->top_col.line = line;
		b->top_col.col = rc;
		/* "by -MEASURE": the smallest measure instead of the largest. */
		int asc = by && by[4] == '-';
		if (by)
			parse_measures(t, by + 4 + asc, line, rc + (int)cn + 4 + asc, &b->q);
		else {
			tpl_measure m;
			parse_measure(t, "count", line, rc, &m);
			add_measure(&b->q, &m);
		}
		b->q.group = xcalloc(1, sizeof *b->q.group);
		b->q.group[0] = b->top_col;
		b->q.group[0].s = xstrdup(b->top_col.s);
		b->q.ngroup = 1;
		if (b->q.nms > 0) {
			b->q.sort = xcalloc(1, sizeof *b->q.sort);
			b->q.sort[0].key = xstrdup(b->q.ms[0].text);
			b->q.sort[0].desc = !asc;
			b->q.nsort = 1;
		}
		b->q.limit = 1;
	}
	if (q)
		parse_filter(t, q + 1, line, c0 + (int)n + 1, &b->q);
	free(head);
}

static void collect(template *t, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		if (ty == CMARK_NODE_CODE_BLOCK) {
			const char *info = cmark_node_get_fence_info(n);
			size_t w = info ? strcspn(info, " \t") : 0;
			const struct kind_info *ki = w ? kind_of(info, w) : NULL;
			if (ki)
				parse_fenced(t, n, ki);
		} else if (ty == CMARK_NODE_CODE)
			parse_inline(t, n);
	}
	cmark_iter_free(it);
}

template *tpl_parse(const char *text, size_t len, const char *path, const char *rel)
{
	template *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->rel = xstrdup(rel);
	t->src = xstrndup(text, len);
	t->len = len;
	/* trust/[trust_code].md renders once per trust_code. */
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (base[0] == '[') {
		const char *e = strchr(base, ']');
		if (e)
			t->param = xstrndup(base + 1, (size_t)(e - base - 1));
	}
	t->clinical = !strncmp(rel, "clinical/", 9);
	t->doc = cmark_parse_document(t->src, len, CMARK_OPT_DEFAULT);
	cmark_consolidate_text_nodes(t->doc);
	collect(t, t->doc);
	/* Notes' bodies may hold inline values and blocks too, notes among
	 * them: their positions are counted from where the body sits. */
	for (int i = 0; i < t->nblocks; i++)
		if (t->blocks[i].kind == BLK_NOTE && t->blocks[i].body) {
			cmark_node *body = t->blocks[i].body;
			t->line_off = t->blocks[i].body_line0;
			t->col_off = t->blocks[i].body_col0;
			cmark_consolidate_text_nodes(body);
			collect(t, body);
		}
	t->line_off = t->col_off = 0;
	return t;
}

#define TPL_MAX_BYTES (1 << 20)

/* The offset of the first byte of s that is a NUL or not UTF-8, or n when
 * all is well-formed UTF-8 text. */
static size_t bad_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = s[i] ? utf8_decode(s + i, n - i, NULL) : 0;
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

template *tpl_load(const char *path, const char *rel)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read template");
		return NULL;
	}
	size_t cap = 1 << 14, n = 0, k;
	char *s = xmalloc(cap);
	int big = 0;
	while ((k = fread(s + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n > TPL_MAX_BYTES) {
			big = 1; /* a device or a runaway file: stop, do not read until memory runs out */
			break;
		}
		if (n == cap)
			s = xrealloc(s, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	template *t = NULL;
	size_t at = big || bad ? n : bad_utf8(s, n);
	if (big)
		diag(DIAG_ERROR, path, 0, 0, "template larger than %d bytes; a page template is a few KB", TPL_MAX_BYTES);
	else if (bad)
		diag(DIAG_ERROR, path, 0, 0, "cannot read template");
	else if (at < n) {
		/* Not repaired: the page would carry bytes no browser can read. */
		long line = 1, col = 1;
		for (size_t i = 0; i < at; i++, col++)
			if (s[i] == '\n') {
				line++;
				col = 0;
			}
		if (s[at])
			diag(DIAG_ERROR, path, line, col, "invalid UTF-8 (byte 0x%02X): a template is UTF-8 text",
			     (unsigned char)s[at]);
		else
			diag(DIAG_ERROR, path, line, col, "NUL byte: a template is UTF-8 text");
	} else
		t = tpl_parse(s, n, path, rel);
	free(s);
	return t;
}

static void free_query(tpl_query *q)
{
	free(q->model.s);
	for (int i = 0; i < q->nconds; i++)
		free_cond(&q->conds[i]);
	free(q->conds);
	free_names(q->cols, q->ncols);
	free_names(q->group, q->ngroup);
	for (int i = 0; i < q->nms; i++)
		free_measure(&q->ms[i]);
	free(q->ms);
	for (int i = 0; i < q->nsort; i++) {
		free(q->sort[i].key);
		free_list(q->sort[i].order, q->sort[i].norder);
	}
	free(q->sort);
}

void tpl_free(template *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nblocks; i++) {
		tpl_block *b = &t->blocks[i];
		free_query(&b->q);
		free(b->title);
		free(b->link);
		free_names(b->filters, b->nfilters);
		free_list(b->labels, b->nlabels);
		free(b->empty);
		free(b->caption);
		free(b->chart_kind);
		free(b->x.s);
		free(b->series.s);
		free(b->top_col.s);
		free(b->meta);
		for (int k = 0; k < b->nkpis; k++) {
			free(b->kpis[k].kpi);
			for (int c = 0; c < b->kpis[k].nconds; c++)
				free_cond(&b->kpis[k].conds[c]);
			free(b->kpis[k].conds);
			if (b->kpis[k].has_measure)
				free_measure(&b->kpis[k].m);
		}
		free(b->kpis);
		for (int k = 0; k < b->nchart_opts; k++) {
			free(b->chart_opts[k].key);
			free(b->chart_opts[k].val);
		}
		free(b->chart_opts);
		if (b->body)
			cmark_node_free(b->body);
	}
	free(t->blocks);
	if (t->doc)
		cmark_node_free(t->doc);
	free(t->path);
	free(t->rel);
	free(t->param);
	free(t->src);
	free(t);
}

const tpl_block *tpl_block_of(const template *t, cmark_node *n)
{
	intptr_t k = (intptr_t)cmark_node_get_user_data(n);
	return k > 0 && k <= t->nblocks ? &t->blocks[k - 1] : NULL;
}

int tpl_when_holds(const tpl_catalog *cat, enum tpl_when w)
{
	switch (w) {
	case WHEN_ALWAYS: return 1;
	case WHEN_CAPACITY: return cat->has_capacity;
	case WHEN_NO_CAPACITY: return !cat->has_capacity;
	case WHEN_PLAIN: return cat->plain_synthea;
	case WHEN_WAITING_LIST: return !cat->plain_synthea;
	case WHEN_CLINICAL: return cat->clinical;
	case WHEN_BOARD: return !cat->clinical;
	}
	return 0;
}

/* ---- Validation ---- */

typedef struct vctx {
	template *t;
	const tpl_catalog *cat;
	const tpl_source *ent;
} vctx;

/* " (did you mean 'x'?)" for the nearest of names within two typos, or "". */
static void suggest(const char *name, const char *const *names, int n, char *out, size_t outn)
{
	int bi = suggest_nearest(name, names, n, 2);
	if (bi >= 0)
		snprintf(out, outn, " (did you mean '%s'?)", names[bi]);
	else
		out[0] = '\0';
}

static const char *src_col_name(const tpl_source *s, int i)
{
	return s->t ? s->t->cols[i].name : s->def->cols[i].name;
}

static int src_ncols(const tpl_source *s)
{
	return s->t ? s->t->ncols : s->def->ncols;
}

static const tpl_source *v_model(vctx *v, const tpl_name *m, const char *what)
{
	if (!m->s) {
		perr(v->t, m->line, m->col, "%s needs model=", what);
		return NULL;
	}
	const tpl_source *s = tpl_catalog_find(v->cat, m->s);
	if (!s) {
		int n = v->cat->n;
		const char **names = xmalloc((size_t)(n ? n : 1) * sizeof *names);
		for (int i = 0; i < n; i++)
			names[i] = v->cat->v[i].name;
		char hint[96];
		suggest(m->s, names, n, hint, sizeof hint);
		free(names);
		perr(v->t, m->line, m->col, "unknown model '%s'%s", m->s, hint);
	}
	return s;
}

static int v_col(vctx *v, const tpl_source *s, const char *name, int line, int col, mm_type *ty)
{
	const char *why = NULL;
	if (tpl_source_col(s, name, ty) >= 0 &&
	    (v->t->clinical || !(why = sdc_role_refused(tpl_source_role(s, name), *ty))))
		return 0;
	if (tpl_source_col(s, name, ty) >= 0) {
		perr(v->t, line, col, "column '%s' identifies people (%s): board templates may not group, filter, sort "
				      "or measure by it (docs/disclosure.md)", name, why);
		return -1;
	}
	int n = src_ncols(s);
	const char **names = xmalloc((size_t)(n ? n : 1) * sizeof *names);
	for (int i = 0; i < n; i++)
		names[i] = src_col_name(s, i);
	char hint[96];
	suggest(name, names, n, hint, sizeof hint);
	free(names);
	perr(v->t, line, col, "model '%s' has no column '%s'%s", s->name, name, hint);
	return -1;
}

/* A column that will be shown: it must exist and, outside clinical pages,
 * must not identify a person. */
static int v_shown(vctx *v, const tpl_source *s, const tpl_name *nm, mm_type *ty)
{
	if (v_col(v, s, nm->s, nm->line, nm->col, ty))
		return -1;
	if (!v->t->clinical && sdc_role_identifier(tpl_source_role(s, nm->s))) {
		perr(v->t, nm->line, nm->col,
		     "column '%s' identifies a person: it may only be shown on clinical pages (templates/clinical/)", nm->s);
		return -1;
	}
	return 0;
}

/* Where needle is written in the template, searching from line:col on
 * (a text node or a block's first line): the position of a placeholder
 * inside a paragraph or an attribute. Unchanged when not found. */
static void src_find(const template *t, const char *needle, int *line, int *col)
{
	const char *p = t->src, *end = t->src + t->len;
	int l = 1;
	if (!p || *line < 1)
		return;
	while (p < end && l < *line)
		if (*p++ == '\n')
			l++;
	const char *ls = p;
	for (int c = 1; c < *col && p < end && *p != '\n'; c++)
		p++;
	size_t k = strlen(needle);
	for (; p + k <= end; p++) {
		if (*p == '\n') {
			l++;
			ls = p + 1;
			continue;
		}
		if (!memcmp(p, needle, k)) {
			*line = l;
			*col = (int)(p - ls) + 1;
			return;
		}
	}
}

/* A {{rule:KEY[:FORM]}} placeholder: the key must name a rule of the
 * run's rules file. */
static void v_rule(vctx *v, const char *name, int line, int col)
{
	char words[RULES_TEXT_MAX];
	if (rules_words(v->cat ? v->cat->rules : NULL, name + 5, words, sizeof words) == 0)
		return;
	size_t nn = strlen(name) + 5;
	char *needle = xmalloc(nn);
	snprintf(needle, nn, "{{%s}}", name);
	src_find(v->t, needle, &line, &col);
	free(needle);
	perr(v->t, line, col, "placeholder {{%s}}: %s", name, words);
}

static void v_placeholders(vctx *v, const char *s, int line, int col)
{
	for (const char *p = s ? strstr(s, "{{") : NULL; p; p = strstr(p + 2, "{{")) {
		const char *e = strstr(p + 2, "}}");
		if (!e)
			break;
		char *name = xstrndup(p + 2, (size_t)(e - p - 2));
		mm_type ty;
		if (!strncmp(name, "rule:", 5))
			v_rule(v, name, line, col);
		else if (!v->ent)
			perr(v->t, line, col, "placeholder {{%s}} only works in an entity template such as trust/[trust_code].md",
			     name);
		else if (tpl_source_col(v->ent, name, &ty) < 0 || ty != T_STR)
			perr(v->t, line, col, "placeholder {{%s}}: the entities of this page (from model '%s') have no text "
					      "field '%s'", name, v->ent->name, name);
		free(name);
	}
}

static int v_literal(const char *s, mm_type ty)
{
	char *end;
	int32_t d;
	int64_t ts;
	if (!strcmp(s, "null") || strstr(s, "{{"))
		return 0;
	switch (ty) {
	case T_BOOL: return strcmp(s, "true") && strcmp(s, "false") ? -1 : 0;
	case T_INT:
	case T_NUM: strtod(s, &end); return *s && !*end ? 0 : -1;
	case T_DATE: return tpl_date_literal(s, 0, &d);
	case T_TS: return ts_parse(s, strlen(s), &ts) == 0 ? 0 : -1;
	case T_STR: return 0;
	}
	return -1;
}

static void v_cond(vctx *v, const tpl_source *s, const tpl_cond *c)
{
	mm_type ty;
	if (v_col(v, s, c->col, c->line, c->colno, &ty))
		return;
	for (int i = 0; i < c->nvals; i++) {
		v_placeholders(v, c->vals[i], c->line, c->colno);
		if (v_literal(c->vals[i], ty))
			perr(v->t, c->line, c->colno, "filter value '%s' does not fit column '%s' (%s%s)", c->vals[i], c->col,
			     type_name(ty), ty == T_BOOL ? ": true or false" : ty == T_DATE ? ": YYYY-MM-DD or census" : "");
	}
}

static void v_measure(vctx *v, const tpl_source *s, const tpl_measure *m)
{
	mm_type ty;
	/* Point at the column after "fn:" rather than at the function. */
	const char *colon = strchr(m->text, ':');
	int ac = m->col + (colon ? (int)(colon - m->text) + 1 : 0);
	switch (m->fn) {
	case FN_COUNT: return;
	case FN_SHARE: v_cond(v, s, &m->cond); return;
	case FN_RATIO:
		if (!v_col(v, s, m->a, m->line, ac, &ty) && ty != T_INT && ty != T_NUM && ty != T_BOOL)
			perr(v->t, m->line, ac, "ratio needs numeric columns; '%s' is %s", m->a, type_name(ty));
		if (!v_col(v, s, m->b, m->line, ac + (int)strlen(m->a) + 1, &ty) && ty != T_INT && ty != T_NUM &&
		    ty != T_BOOL)
			perr(v->t, m->line, ac + (int)strlen(m->a) + 1, "ratio needs numeric columns; '%s' is %s", m->b,
			     type_name(ty));
		return;
	default:
		if (v_col(v, s, m->a, m->line, ac, &ty))
			return;
		if (ty == T_STR || ty == T_TS || (ty == T_DATE && (m->fn == FN_SUM || m->fn == FN_MEAN)) ||
		    (ty == T_BOOL && m->fn != FN_SUM))
			perr(v->t, m->line, ac, "measure '%s' does not apply to column '%s' (%s)", m->text, m->a,
			     type_name(ty));
	}
}

static int kpi_known(const tpl_catalog *cat, const char *kpi)
{
	const tpl_source *k = tpl_catalog_find(cat, "kpi_summary");
	if (!k || !k->t)
		return k != NULL;
	int c = tbl_col(k->t, "kpi");
	for (size_t r = 0; c >= 0 && r < k->t->nrows; r++)
		if (!strcmp(tbl_str(k->t, c, r), kpi))
			return 1;
	return 0;
}

static void v_kpi(vctx *v, const tpl_kpi_line *k)
{
	if (!tpl_catalog_find(v->cat, "kpi_summary"))
		perr(v->t, k->line, k->col, "KPIs need the kpi_summary model");
	else if (!kpi_known(v->cat, k->kpi))
		perr(v->t, k->line, k->col, "unknown KPI '%s' (see the kpi column of kpi_summary)", k->kpi);
}

static void v_scope(vctx *v, const tpl_source *s, const tpl_block *b)
{
	if (!v->t->param || b->q.scope_all || tpl_source_col(s, v->t->param, NULL) >= 0)
		return;
	perr(v->t, b->q.model.line, b->q.model.col,
	     "model '%s' has no column '%s', so it cannot be limited to this page's entity; add scope=all "
	     "to show figures for everyone", s->name, v->t->param);
}

static void v_query(vctx *v, const tpl_source *s, const tpl_block *b)
{
	const tpl_query *q = &b->q;
	for (int i = 0; i < q->nconds; i++)
		v_cond(v, s, &q->conds[i]);
	for (int i = 0; i < q->nms; i++)
		v_measure(v, s, &q->ms[i]);
	v_scope(v, s, b);
}

static void v_block(vctx *v, const tpl_block *b)
{
	const tpl_source *s = NULL;
	const tpl_query *q = &b->q;
	mm_type ty;
	static const char *const what[] = {"table", "chart", "kpis", "note", "downloads", "diagram", "packs",
					   "kpi:", "value:", "top:", "meta:"};
	if (b->kind == BLK_TABLE || b->kind == BLK_CHART || b->kind == BLK_VALUE || b->kind == BLK_TOP ||
	    (b->kind == BLK_KPIS && q->model.s)) {
		tpl_name m = q->model;
		if (!m.s) {
			m.line = b->line;
			m.col = b->col;
		}
		if (!(s = v_model(v, &m, what[b->kind])))
			return;
		v_query(v, s, b);
	}
	v_placeholders(v, b->title, b->line, b->col);
	v_placeholders(v, b->empty, b->line, b->col);
	v_placeholders(v, b->caption, b->line, b->col);
	for (int i = 0; i < b->nlabels; i++)
		v_placeholders(v, b->labels[i], b->line, b->col);
	switch (b->kind) {
	case BLK_TABLE: {
		int grouped = q->ngroup > 0 || q->nms > 0;
		if (!grouped && q->ncols == 0) {
			perr(v->t, b->line, b->col, "a table needs columns= (rows as they are) or group= and measures=");
			break;
		}
		if (grouped && q->ncols > 0) {
			perr(v->t, q->cols[0].line, q->cols[0].col,
			     "use either columns= (rows as they are) or group=/measures= (aggregated), not both");
			break;
		}
		if (!grouped && s->patient_level && !v->t->clinical)
			perr(v->t, b->line, b->col,
			     "model '%s' has a row per patient or pathway: outside templates/clinical/ a table must "
			     "aggregate it with group= and measures=", s->name);
		for (int i = 0; i < q->ncols; i++)
			v_shown(v, s, &q->cols[i], &ty);
		for (int i = 0; i < q->ngroup; i++)
			v_shown(v, s, &q->group[i], &ty);
		for (int i = 0; i < q->nsort; i++)
			if (!grouped)
				v_col(v, s, q->sort[i].key, q->sort[i].line, q->sort[i].col + q->sort[i].desc, &ty);
		for (int i = 0; i < b->nfilters; i++) {
			int found = 0;
			for (int k = 0; k < q->ncols; k++)
				found |= !strcmp(q->cols[k].s, b->filters[i].s);
			for (int k = 0; k < q->ngroup; k++)
				found |= !strcmp(q->group[k].s, b->filters[i].s);
			if (!found)
				perr(v->t, b->filters[i].line, b->filters[i].col,
				     "filters=: '%s' is not a column of this table (columns= or group=)", b->filters[i].s);
		}
		int shown = grouped ? q->ngroup + q->nms - q->nhidden : q->ncols;
		if (b->nlabels > shown)
			perr(v->t, b->line, b->col, "%d labels for %d columns", b->nlabels, shown);
		break;
	}
	case BLK_CHART:
		if (!b->chart_kind) {
			perr(v->t, b->line, b->col, "a chart needs kind= (bar, stacked-bar, line, histogram, heatmap, spc)");
			break;
		}
		if (!b->x.s) {
			perr(v->t, b->line, b->col, "a chart needs x=");
			break;
		}
		v_shown(v, s, &b->x, &ty);
		if (b->series.s)
			v_shown(v, s, &b->series, &ty);
		else if (!strcmp(b->chart_kind, "heatmap"))
			perr(v->t, b->line, b->col, "a heatmap needs series= (its rows)");
		if (q->nms > 1)
			perr(v->t, q->ms[1].line, q->ms[1].col, "a chart shows one measure: use series= to split it");
		for (int i = 0; i < b->nchart_opts; i++) {
			const tpl_opt *o = &b->chart_opts[i];
			chart_order co;
			char *end;
			if (!strcmp(o->key, "order") && chart_order_parse(o->val, &co))
				perr(v->t, o->line, o->col, "order must be auto, rows, value or label");
			if (!strcmp(o->key, "target") && !strncmp(o->val, "{{rule:", 7)) {
				v_placeholders(v, o->val, o->line, o->col);
				char *t = tpl_text(v->cat, NULL, o->val);
				if (!strstr(t, "{{") && (strtod(t, &end), *end || !*t))
					perr(v->t, o->line, o->col, "target must be a number: '%s' gives '%s' (use the form "
								    ":number or :weeks-number)", o->val, t);
				free(t);
			} else if (!strcmp(o->key, "better") && strcmp(o->val, "higher") && strcmp(o->val, "lower"))
				perr(v->t, o->line, o->col, "better must be higher or lower");
			else if (!strcmp(o->key, "show") && (strcmp(o->val, "chart") && strcmp(o->val, "verdict")))
				perr(v->t, o->line, o->col, "show must be chart or verdict");
			else if (!strcmp(o->key, "show") && !strcmp(o->val, "verdict") &&
				 (!b->chart_kind || strcmp(b->chart_kind, "spc")))
				perr(v->t, o->line, o->col, "show=verdict needs kind=spc: only SPC charts have verdicts");
			else if ((!strcmp(o->key, "target") || !strcmp(o->key, "bins") || !strcmp(o->key, "interim")) &&
				 (strtod(o->val, &end), *end))
				perr(v->t, o->line, o->col, "%s must be a number", o->key);
			else if (!strcmp(o->key, "target_label") || !strcmp(o->key, "x_label") || !strcmp(o->key, "y_label") ||
				 !strcmp(o->key, "interim_label"))
				v_placeholders(v, o->val, o->line, o->col);
		}
		break;
	case BLK_KPIS:
		for (int i = 0; i < b->nkpis; i++) {
			v_kpi(v, &b->kpis[i]);
			if (b->kpis[i].has_measure) {
				if (!s)
					perr(v->t, b->kpis[i].line, b->kpis[i].col, "'KPI = MEASURE' lines need model= on the kpis block");
				else {
					v_measure(v, s, &b->kpis[i].m);
					for (int c = 0; c < b->kpis[i].nconds; c++)
						v_cond(v, s, &b->kpis[i].conds[c]);
				}
			}
		}
		break;
	case BLK_KPI:
		v_kpi(v, &b->kpis[0]);
		break;
	case BLK_DIAGRAM:
		if (!b->chart_kind)
			perr(v->t, b->line, b->col, "a diagram needs kind= (data-model, lineage, sources)");
		break;
	case BLK_VALUE:
		if (q->nms != 1)
			perr(v->t, b->line, b->col, "value: takes exactly one measure");
		break;
	case BLK_TOP:
		v_shown(v, s, &b->top_col, &ty);
		break;
	default:
		break;
	}
}

int tpl_url_allowed(const char *url)
{
	static const char *const ok[] = {"http", "https", "mailto"};
	const unsigned char *p = (const unsigned char *)url;
	while (*p && *p <= 0x20)
		p++;
	char scheme[16];
	size_t n = 0;
	for (; *p && *p != ':'; p++) {
		if (*p == '/' || *p == '?' || *p == '#')
			return 1; /* no scheme: a relative address */
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue; /* a browser drops these */
		if (n + 1 < sizeof scheme)
			scheme[n] = (char)tolower(*p);
		n++;
	}
	if (!*p)
		return 1; /* no colon: relative */
	if (n == 0 || n >= sizeof scheme)
		return 0;
	scheme[n] = '\0';
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(scheme, ok[i]))
			return 1;
	return 0;
}

/* Validates the text, links and images under root; in a note's body,
 * cmark's positions are moved by line_off and col_off to the source. */
static void v_text(vctx *v, cmark_node *root, int line_off, int col_off)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
		if (!line) {
			cmark_node *p = cmark_node_parent(n);
			line = p ? cmark_node_get_start_line(p) : 0;
		}
		if (line)
			line += line_off;
		if (col)
			col += col_off;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			v_placeholders(v, cmark_node_get_literal(n), line, col);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			v_placeholders(v, cmark_node_get_url(n), line, col);
			if (!tpl_url_allowed(cmark_node_get_url(n))) {
				char shown[48];
				const char *u = cmark_node_get_url(n);
				size_t k = 0;
				for (; u[k] && k + 1 < sizeof shown && u[k] != ':'; k++)
					shown[k] = (unsigned char)u[k] < 0x20 || u[k] == 0x7F ? '?' : u[k];
				shown[k] = '\0';
				perr(v->t, line, col, "%s address with the scheme '%s:': only http, https, mailto and "
						      "relative addresses are allowed",
				     cmark_node_get_type(n) == CMARK_NODE_LINK ? "link" : "image", shown);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

int tpl_validate(const template *tc, const tpl_catalog *cat, const tpl_source *entity_src)
{
	template *t = (template *)tc; /* only the error count changes */
	vctx v = {t, cat, entity_src};
	if (t->param && !entity_src)
		perr(t, 1, 1, "no model has a column '%s' to make one page per value of it", t->param);
	for (int i = 0; i < t->nblocks; i++)
		v_block(&v, &t->blocks[i]);
	v_text(&v, t->doc, 0, 0);
	for (int i = 0; i < t->nblocks; i++)
		if (t->blocks[i].body)
			v_text(&v, t->blocks[i].body, t->blocks[i].body_line0, t->blocks[i].body_col0);
	return t->nerrors;
}
