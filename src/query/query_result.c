/* What happens to a query's result once its rows are built: the final
 * sort (displayed values, then text, then source row, so the order never
 * depends on interning), the disclosure ledger's record of every published
 * figure and the predicate it was published under, the default column
 * headings made from names, and the formatting of result cells, with the
 * readable labels of coded values. query.c builds the rows and calls in. */
#include "query/query_impl.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Default headings ---- */

char *tpl_humanise(const char *name)
{
	static const struct { const char *from, *to; } words[] = {
		{"ics", "ICS"}, {"rtt", "RTT"}, {"dna", "DNA"}, {"dnas", "DNAs"}, {"imd", "IMD"}, {"id", "ID"},
		{"pct", "%"}, {"kpi", "KPI"}, {"p92", "92nd percentile"}, {"tf", "TF"},
	};
	static const struct { const char *fn, *pre; } fns[] = {
		{"sum:", ""}, {"mean:", "Mean "}, {"median:", "Median "}, {"min:", "Shortest "}, {"max:", "Longest "},
		{"pct:", "% "}, {"ratio:", ""},
	};
	if (!strcmp(name, "count"))
		return xstrdup("Count");
	char out[256];
	size_t n = 0;
	const char *p = name;
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (!strncmp(name, fns[i].fn, strlen(fns[i].fn))) {
			n = (size_t)snprintf(out, sizeof out, "%s", fns[i].pre);
			p = name + strlen(fns[i].fn);
		}
	while (*p && n + 24 < sizeof out) {
		size_t w = strcspn(p, "_:/=");
		size_t i;
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strlen(words[i].from) == w && !strncmp(p, words[i].from, w))
				break;
		if (i < sizeof words / sizeof words[0])
			n += (size_t)snprintf(out + n, sizeof out - n, "%s", words[i].to);
		else {
			if (w > sizeof out - n - 24)
				w = sizeof out - n - 24;
			memcpy(out + n, p, w);
			n += w;
		}
		p += w;
		if (*p) {
			out[n++] = *p == '_' ? ' ' : *p == '/' ? '/' : *p == '=' ? '=' : ' ';
			p++;
		}
	}
	out[n] = '\0';
	if (islower((unsigned char)out[0]))
		out[0] = (char)toupper((unsigned char)out[0]);
	return xstrdup(out);
}

/* ---- Sorting the result ---- */

typedef struct skey {
	int c;
	int desc;
	char **order;
	int norder;
} skey;

/* A result and the keys it is sorted by, for cmp_result. */
typedef struct sort_keys {
	const tpl_result *r;
	const skey *keys;
	int n;
} sort_keys;

static int order_rank(const skey *k, const char *s)
{
	for (int i = 0; s && i < k->norder; i++)
		if (!strcmp(k->order[i], s))
			return i;
	return k->norder;
}

/* A suppressed count is 1 to 7: it sorts between 0 and the smallest
 * rounded count (10), so "most cancellations first" keeps it above the
 * zeros. A suppressed rate or average could be anything: it goes last. */
#define STAR_RANK 4.0

static int cmp_cell(const res_col *col, const res_cell *a, const res_cell *b, int desc)
{
	double av = a->star && col->count ? STAR_RANK : a->v, bv = b->star && col->count ? STAR_RANK : b->v;
	int an = (a->star && !col->count) || (col->type == T_STR ? !a->s : isnan(av));
	int bn = (b->star && !col->count) || (col->type == T_STR ? !b->s : isnan(bv));
	if (an || bn) /* nulls and suppressed values last, whatever the direction */
		return mm_cmp_nulls_last(an, bn);
	int c = col->type == T_STR ? strcmp(a->s, b->s) : (av > bv) - (av < bv);
	return desc ? -c : c;
}

static int cmp_result(const void *pa, const void *pb, void *ctx)
{
	const sort_keys *sk = ctx;
	const tpl_result *r = sk->r;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	for (int i = 0; i < sk->n; i++) {
		const skey *k = &sk->keys[i];
		const res_cell *x = res_at(r, a, k->c), *y = res_at(r, b, k->c);
		if (k->norder) {
			int ra = order_rank(k, x->s), rb = order_rank(k, y->s);
			if (ra != rb)
				return k->desc ? rb - ra : ra - rb;
		}
		int c = cmp_cell(&r->cols[k->c], x, y, k->desc);
		if (c)
			return c;
	}
	/* Ties: text columns in byte order, then the source row. */
	for (int c = 0; c < r->ncols; c++)
		if (r->cols[c].type == T_STR) {
			int d = cmp_cell(&r->cols[c], res_at(r, a, c), res_at(r, b, c), 0);
			if (d)
				return d;
		}
	return (r->rep[a] > r->rep[b]) - (r->rep[a] < r->rep[b]);
}

void query_sort_result(const tpl_query *q, tpl_result *r, int grouped)
{
	if (r->nrows < 2)
		return;
	skey *keys = xcalloc((size_t)q->nsort + (size_t)q->ngroup + 1, sizeof *keys);
	int n = 0;
	for (int i = 0; i < q->nsort; i++) {
		keys[n].c = res_col_index(r, q->sort[i].key);
		keys[n].desc = q->sort[i].desc;
		keys[n].order = q->sort[i].order;
		keys[n].norder = q->sort[i].norder;
		if (keys[n].c >= 0)
			n++;
	}
	/* Without sort=, groups come in the order of their values. */
	if (n == 0 && grouped)
		for (int i = 0; i < q->ngroup; i++)
			keys[n++].c = i;
	if (n == 0 && !grouped) {
		free(keys);
		return; /* rows keep the model's order */
	}
	size_t *idx = xmalloc(r->nrows * sizeof *idx);
	for (size_t i = 0; i < r->nrows; i++)
		idx[i] = i;
	mm_sort(idx, r->nrows, sizeof *idx, cmp_result, &(sort_keys){r, keys, n});
	res_cell *cells = xmalloc(r->nrows * (size_t)r->ncols * sizeof *cells);
	size_t *rep = xmalloc(r->nrows * sizeof *rep);
	for (size_t i = 0; i < r->nrows; i++) {
		memcpy(&cells[i * (size_t)r->ncols], res_at(r, idx[i], 0), (size_t)r->ncols * sizeof *cells);
		rep[i] = r->rep[idx[i]];
	}
	free(r->cells);
	free(r->rep);
	r->cells = cells;
	r->rep = rep;
	free(idx);
	free(keys);
}

/* ---- The ledger of published figures (disclosure.h) ---- */

typedef struct terms {
	char **v;
	int n;
} terms;

static void term_add(terms *t, const char *kind, const char *col, const char *op, const char *val)
{
	size_t k = strlen(kind) + strlen(col) + strlen(op) + strlen(val) + 1;
	char *s = xmalloc(k);
	snprintf(s, k, "%s%s%s%s", kind, col, op, val);
	for (char *p = s; *p; p++)
		if (*p == ';')
			*p = ',';
	t->v = xrealloc(t->v, (size_t)(t->n + 1) * sizeof *t->v);
	t->v[t->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, without repeats, joined by ";". Frees the terms. */
static char *terms_join(terms *t)
{
	if (t->n) /* t->v is NULL when there are none: qsort needs a valid pointer */
		qsort(t->v, (size_t)t->n, sizeof *t->v, cmp_str);
	size_t len = 1;
	for (int i = 0; i < t->n; i++)
		len += strlen(t->v[i]) + 1;
	char *out = xmalloc(len), *p = out;
	*p = '\0';
	for (int i = 0; i < t->n; i++) {
		if (i == 0 || strcmp(t->v[i], t->v[i - 1])) {
			if (p != out)
				*p++ = ';';
			p += sprintf(p, "%s", t->v[i]);
		}
	}
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
	return out;
}

/* The restrictions every cell of the query shares: the page's entity and
 * the filter. An equality on one value could be differenced ("d:"); the
 * rest only narrow the population ("f:"). */
static void base_terms(const qctx *x, const tpl_query *q, int scoped, terms *t)
{
	if (scoped)
		term_add(t, "d:", x->ent->param, "=", x->ent->value);
	for (int i = 0; i < q->nconds; i++) {
		const tpl_cond *c = &q->conds[i];
		buf v = {0};
		buf_puts(&v, "");
		for (int k = 0; k < c->nvals; k++) {
			char *s = tpl_subst(c->vals[k], x->ent);
			buf_printf(&v, "%s%s", k ? "|" : "", s);
			free(s);
		}
		int dim = c->op == CMP_EQ && c->nvals == 1 && strcmp(v.s, "null");
		term_add(t, dim ? "d:" : "f:", c->col, cmp_op_text(c->op, CMP_EQ1), v.s);
		free(v.s);
	}
}

static void ledger_cell(const tpl_result *r, int c, size_t row, const char *measure, const char *pred,
			const char *whole)
{
	const res_cell *cell = res_at(r, row, c);
	if (!cell->star && isnan(cell->v))
		return;
	int64_t shown = cell->star0 ? SDC_STAR_OR_ZERO : cell->star ? SDC_STAR : (int64_t)llround(cell->v);
	sdc_ledger(r->src->name, measure, pred, shown, whole);
}

void query_ledger_result(const qctx *x, const tpl_query *q, const tpl_result *r, int scoped, int grouped)
{
	char tmp[FMT_MAX];
	/* The columns over which every sibling of a cell is published: the
	 * entity's key when the block, on every entity's page, shows all its
	 * groups (it has no limit); the group columns when this listing does. */
	buf whole = {0};
	buf_puts(&whole, "");
	if (scoped && q->limit <= 0)
		buf_puts(&whole, x->ent->param);
	for (int k = 0; grouped && r->total == r->nrows && k < q->ngroup; k++)
		buf_printf(&whole, "%s%s", whole.s[0] ? "," : "", q->group[k].s);
	for (size_t i = 0; i < r->nrows; i++) {
		terms t = {0};
		base_terms(x, q, scoped, &t);
		int nkeys = grouped ? q->ngroup : r->ncols;
		for (int k = 0; k < nkeys; k++) {
			const res_col *rc = &r->cols[k];
			if (rc->hidden || rc->count)
				continue;
			const res_cell *v = res_at(r, i, k);
			const char *val = rc->type == T_STR ? (v->s ? v->s : "null") : res_fmt(rc, v, tmp);
			/* Rows of a table are not known to partition anything: their
			 * keys only name the cell. */
			term_add(&t, grouped ? "d:" : "r:", rc->name, "=", val);
		}
		char *pred = terms_join(&t);
		for (int k = 0; k < r->ncols; k++) {
			const res_col *rc = &r->cols[k];
			if (!rc->count || rc->hidden)
				continue;
			if (grouped && k < q->ngroup)
				continue;
			ledger_cell(r, k, i, rc->name, pred, whole.s);
		}
		free(pred);
	}
	free(whole.s);
}

void tpl_ledger_value(const qctx *x, const tpl_query *q, const char *measure, int64_t shown)
{
	if (!sdc_ledger_on())
		return;
	terms t = {0};
	base_terms(x, q, 0, &t);
	char *pred = terms_join(&t);
	sdc_ledger(q->model.s, measure, pred, shown, "-");
	free(pred);
}

/* ---- Cell text ---- */

/* Readable names for the coded values of a few mart columns. */
static const char *value_label(const char *col, const char *v)
{
	static const struct { const char *col, *code, *label; } labels[] = {
		{"delay_cause", "hospital_cancellation", "Hospital cancellation"},
		{"delay_cause", "patient_cancellation", "Patient cancellation"},
		{"delay_cause", "dna", "Did not attend"},
		{"delay_cause", "awaiting_booking", "Awaiting booking"},
		{"delay_cause", "none", "Booked, no cancellation or DNA"},
		{"direction", "lower_better", "Lower"},
		{"direction", "higher_better", "Higher"},
		/* A DNA is an outcome, not a cancellation: never a "who cancelled". */
		{"cause_side", "hospital", "Hospital"},
		{"cause_side", "patient", "Patient"},
		{"cause_side", "session", "Hospital (whole session)"},
		{"cause_side", "dna", "Patient did not attend"},
		{"reason", "DNA", "Did not attend"},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(col, labels[i].col) && !strcmp(v, labels[i].code))
			return labels[i].label;
	return v;
}

static int cmp_code_key(const void *key, const void *elem)
{
	return strcmp(key, ((const tpl_code *)elem)->code);
}

/* A reason code's description; other text as recorded, marked. */
static const char *reason_label(const res_col *c, const char *v, char *out)
{
	const tpl_code *k = bsearch(v, c->codes, (size_t)c->ncodes, sizeof *c->codes, cmp_code_key);
	if (k)
		return k->label;
	if (!strcmp(v, "DNA") || !strcmp(v, "Not recorded") || !*v)
		return value_label(c->name, v);
	snprintf(out, FMT_MAX, "%s (non-standard)", v);
	return out;
}

const char *res_fmt(const res_col *c, const res_cell *v, char *out)
{
	out[0] = '\0';
	if (v->star)
		return strcpy(out, "*");
	switch (c->type) {
	case T_STR:
		if (!v->s)
			return out;
		return c->codes ? reason_label(c, v->s, out) : value_label(c->name, v->s);
	case T_INT:
		return isnan(v->v) ? out : fmt_int(out, (int64_t)llround(v->v));
	case T_NUM:
		if (c->pct)
			return fmt_pct(out, v->v, c->decimals);
		if (c->ratio)
			return fmt_pct(out, v->v * 100.0, c->decimals);
		return fmt_num(out, v->v, c->decimals);
	case T_DATE:
		return isnan(v->v) ? out : fmt_date_short(out, (int32_t)v->v);
	case T_TS:
		if (!isnan(v->v))
			ts_fmt((int64_t)v->v, out);
		return out;
	case T_BOOL:
		return isnan(v->v) ? out : strcpy(out, v->v != 0 ? "Yes" : "No");
	}
	return out;
}
