/* Block queries: filter -> entity scope -> group and aggregate ->
 * disclosure control -> sort -> limit. Grouping sorts row indexes by the
 * raw group values (O(n log n), no hashing of composite keys); the final
 * order compares displayed values, ties broken by text with strcmp and
 * then by source row, so the output never depends on interning order.
 * The sort, the ledger, headings and cell formatting are in query_result.c. */
#include "query/query_impl.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/hmap.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Entity row lists ---- */

typedef struct rowlist {
	const mm_table *t;
	int c;
	hmap slot;       /* string id -> slot */
	size_t *start;   /* nslots + 1 offsets into rows */
	size_t *rows;
} rowlist;

struct qcache {
	rowlist *v;
	int n;
};

struct qcache *qcache_new(void)
{
	return xcalloc(1, sizeof(struct qcache));
}

void qcache_free(struct qcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		hmap_free(&c->v[i].slot);
		free(c->v[i].start);
		free(c->v[i].rows);
	}
	free(c->v);
	free(c);
}

static rowlist *rowlist_get(struct qcache *c, const mm_table *t, int col)
{
	for (int i = 0; i < c->n; i++)
		if (c->v[i].t == t && c->v[i].c == col)
			return &c->v[i];
	c->v = xrealloc(c->v, (size_t)(c->n + 1) * sizeof *c->v);
	rowlist *l = &c->v[c->n++];
	l->t = t;
	l->c = col;
	hmap_init(&l->slot, 64);
	size_t nslots = 0;
	size_t *cnt = NULL;
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t id = tbl_sid(t, col, r), s = hmap_get(&l->slot, id);
		if (s == HMAP_NONE) {
			s = (uint32_t)nslots++;
			hmap_put(&l->slot, id, s);
			cnt = xrealloc(cnt, nslots * sizeof *cnt);
			cnt[s] = 0;
		}
		cnt[s]++;
	}
	l->start = xcalloc(nslots + 1, sizeof *l->start);
	for (size_t s = 0; s < nslots; s++)
		l->start[s + 1] = l->start[s] + cnt[s];
	l->rows = xmalloc((t->nrows ? t->nrows : 1) * sizeof *l->rows);
	for (size_t s = 0; s < nslots; s++)
		cnt[s] = l->start[s];
	for (size_t r = 0; r < t->nrows; r++)
		l->rows[cnt[hmap_get(&l->slot, tbl_sid(t, col, r))]++] = r;
	free(cnt);
	return l;
}

/* ---- Conditions ---- */

typedef struct ccond {
	int c;
	mm_type ty;
	cmp_op op;
	int n;
	double *num;       /* numbers, dates, booleans */
	uint32_t *sid;     /* text: interned ids (UINT32_MAX when absent from the pool) */
	char **txt;        /* text, for < and > */
	unsigned char *isnull;
} ccond;

static void ccond_init(ccond *k, const mm_table *t, const tpl_cond *c, const tpl_entity *e, int32_t census)
{
	memset(k, 0, sizeof *k);
	k->c = tbl_col(t, c->col);
	k->ty = t->cols[k->c].type;
	k->op = c->op;
	k->n = c->nvals;
	k->num = xcalloc((size_t)k->n, sizeof *k->num);
	k->sid = xcalloc((size_t)k->n, sizeof *k->sid);
	k->txt = xcalloc((size_t)k->n, sizeof *k->txt);
	k->isnull = xcalloc((size_t)k->n, 1);
	for (int i = 0; i < k->n; i++) {
		char *v = tpl_subst(c->vals[i], e);
		k->txt[i] = v;
		if (!strcmp(v, "null")) {
			k->isnull[i] = 1;
			continue;
		}
		int32_t d;
		int64_t ts;
		switch (k->ty) {
		case T_STR: k->sid[i] = sp_find(t->sp, v, strlen(v)); break;
		case T_BOOL: k->num[i] = !strcmp(v, "true"); break;
		case T_DATE:
			k->num[i] = tpl_date_literal(v, census, &d) == 0 ? d : NAN;
			break;
		case T_TS: k->num[i] = ts_parse(v, strlen(v), &ts) == 0 ? (double)ts : NAN; break;
		default: k->num[i] = strtod(v, NULL); break;
		}
	}
}

static void ccond_free(ccond *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->txt[i]);
	free(k->txt);
	free(k->num);
	free(k->sid);
	free(k->isnull);
}

static int ccond_match(const ccond *k, const mm_table *t, size_t r)
{
	int null = tbl_isnull(t, k->c, r);
	if (k->op == CMP_EQ || k->op == CMP_NE) {
		int eq = 0;
		for (int i = 0; i < k->n && !eq; i++) {
			if (k->isnull[i])
				eq = null;
			else if (null)
				eq = 0;
			else if (k->ty == T_STR)
				eq = tbl_sid(t, k->c, r) == k->sid[i];
			else
				eq = tbl_value(t, k->c, r) == k->num[i];
		}
		return k->op == CMP_EQ ? eq : !eq;
	}
	if (null || k->isnull[0])
		return 0;
	int cmp;
	if (k->ty == T_STR)
		cmp = strcmp(tbl_str(t, k->c, r), k->txt[0]);
	else {
		double a = tbl_value(t, k->c, r), b = k->num[0];
		cmp = (a > b) - (a < b);
	}
	return cmp_holds_order(k->op, cmp);
}

/* ---- Column classes ---- */

/* Columns are classed by their declared role (registry/model.h), never by
 * their names. */
static col_role role_of(const tpl_source *s, const mm_table *t, int c)
{
	return tpl_source_role(s, t->cols[c].name);
}

/* A column whose sum counts people or events. */
static int count_like(const tpl_source *s, const mm_table *t, int c)
{
	return sdc_role_counted(role_of(s, t, c)) && (t->cols[c].type == T_INT || t->cols[c].type == T_BOOL);
}

static int is_count_col(const tpl_source *s, const mm_table *t, int c)
{
	if (!sdc_role_counted(role_of(s, t, c)))
		return 0;
	if (t->cols[c].type == T_BOOL)
		return 1; /* summed booleans count rows */
	return t->cols[c].type == T_INT && !s->patient_level;
}

/* Differences in percentage points or days (CR_MEASURE) are plain signed
 * numbers. */
static void num_style(res_col *rc, col_role role)
{
	rc->decimals = 1;
	if (role == CR_PCT)
		rc->pct = 1;
	else if (role == CR_RATIO)
		rc->ratio = 1;
}

/* ---- Result building ---- */

static res_col *add_col(tpl_result *r, const char *name)
{
	r->cols = xrealloc(r->cols, (size_t)(r->ncols + 1) * sizeof *r->cols);
	res_col *c = &r->cols[r->ncols++];
	memset(c, 0, sizeof *c);
	c->name = name;
	return c;
}

int res_col_index(const tpl_result *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (!strcmp(r->cols[i].name, name))
			return i;
	return -1;
}

static void cell_from(res_cell *cell, const mm_table *t, int c, size_t row)
{
	cell->star = cell->star0 = 0;
	cell->s = NULL;
	if (t->cols[c].type == T_STR) {
		cell->v = NAN;
		cell->s = tbl_isnull(t, c, row) ? NULL : tbl_str(t, c, row);
	} else
		cell->v = tbl_value(t, c, row);
}

static void star_count(res_cell *cell)
{
	if (isnan(cell->v))
		return;
	int64_t v = sdc_round((int64_t)llround(cell->v));
	if (v == SDC_STAR)
		cell->star = 1;
	else
		cell->v = (double)v;
}

/* Cancellation reasons are recorded as codes (or free text); readers see
 * the seed's description. The columns are those beside a
 * reason_is_standard flag, in the models that carry reasons. */
static void reason_codes(res_col *rc, const tpl_catalog *cat, const mm_table *t)
{
	if (rc->type != T_STR || !cat->nreasons || tbl_col(t, "reason_is_standard") < 0)
		return;
	if (strcmp(rc->name, "reason") && strcmp(rc->name, "cancellation_reason"))
		return;
	rc->codes = cat->reasons;
	rc->ncodes = cat->nreasons;
}

/* ---- Grouping ---- */

/* Raw cells of rows a and b: equal when the values are, nulls last
 * (core/table.h). Strings compare by id: grouping needs equal values
 * together, not their text order, which query_sort_result gives. */
static int cmp_raw(const mm_table *t, int c, size_t a, size_t b)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_INT:
	case T_TS: {
		int64_t x = col->v.i64[a], y = col->v.i64[b];
		int n = mm_cmp_nulls_last(x == INT_NULL, y == INT_NULL);
		return n ? n : (x > y) - (x < y);
	}
	case T_NUM: return mm_cmp_num_nulls_last(col->v.f64[a], col->v.f64[b]);
	case T_STR: {
		uint32_t x = (uint32_t)col->v.i32[a], y = (uint32_t)col->v.i32[b];
		int n = mm_cmp_nulls_last(x == 0, y == 0);
		return n ? n : (x > y) - (x < y);
	}
	default: {
		int32_t x = col->v.i32[a], y = col->v.i32[b];
		int n = mm_cmp_nulls_last(x == I32_NULL, y == I32_NULL);
		return n ? n : (x > y) - (x < y);
	}
	}
}

/* The group columns of a query, for cmp_group. */
typedef struct group_key {
	const mm_table *t;
	const int *cols;
	int n;
} group_key;

static int cmp_group(const void *pa, const void *pb, void *ctx)
{
	const group_key *g = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	for (int i = 0; i < g->n; i++) {
		int c = cmp_raw(g->t, g->cols[i], a, b);
		if (c)
			return c;
	}
	return (a > b) - (a < b);
}

/* One measure over rows[0..n). Sets the value and, for counts and rates,
 * the numerator and denominator that disclosure control rounds. */
typedef struct agg {
	double v;
	double num, den;
	size_t nvals; /* non-null values behind a statistic */
} agg;

static agg measure(const mm_table *t, const tpl_measure *m, const ccond *share, const size_t *rows, size_t n,
		   double *scratch)
{
	agg a = {NAN, 0, 0, 0};
	int c = m->a ? tbl_col(t, m->a) : -1;
	switch (m->fn) {
	case FN_COUNT:
		a.v = a.num = (double)n;
		return a;
	case FN_SHARE:
		for (size_t i = 0; i < n; i++)
			a.num += ccond_match(share, t, rows[i]);
		a.den = (double)n;
		a.v = n ? 100.0 * a.num / a.den : NAN;
		return a;
	case FN_RATIO: {
		int cb = tbl_col(t, m->b);
		for (size_t i = 0; i < n; i++) {
			double x = tbl_value(t, c, rows[i]), y = tbl_value(t, cb, rows[i]);
			if (!isnan(x) && !isnan(y)) {
				a.num += x;
				a.den += y;
			}
		}
		a.v = a.den != 0 ? 100.0 * a.num / a.den : NAN;
		return a;
	}
	default:
		break;
	}
	double sum = 0, lo = INFINITY, hi = -INFINITY;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double x = tbl_value(t, c, rows[i]);
		if (isnan(x))
			continue;
		sum += x;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		if (scratch)
			scratch[k] = x;
		k++;
	}
	a.nvals = k;
	switch (m->fn) {
	case FN_SUM:
		/* A rate or amount that is null on every row is not measured:
		 * null, not 0 (an empty month's share within 18 weeks). */
		a.v = a.num = k == 0 && n > 0 && t->cols[c].type == T_NUM ? NAN : sum;
		break;
	case FN_MEAN: a.v = k ? sum / (double)k : NAN; break;
	case FN_MIN: a.v = k ? lo : NAN; break;
	case FN_MAX: a.v = k ? hi : NAN; break;
	case FN_MEDIAN:
	case FN_PCTL: {
		if (!k)
			break;
		/* Nearest rank, in integers (docs/kpis.md): rank = ceil(p n / 100). */
		size_t p = m->fn == FN_MEDIAN ? 50 : (size_t)m->pctl;
		size_t rank = (p * k + 99) / 100;
		a.v = mm_nth_double(scratch, k, rank ? rank - 1 : 0);
		break;
	}
	default: break;
	}
	return a;
}

/* Type and classes of a measure's output column. */
static void measure_col(res_col *rc, const tpl_source *s, const mm_table *t, const tpl_measure *m)
{
	int c = m->a ? tbl_col(t, m->a) : -1;
	switch (m->fn) {
	case FN_COUNT:
		/* Rows of aggregate tables (sites, weeks) are not people. */
		rc->type = T_INT;
		rc->count = s->patient_level;
		break;
	case FN_SUM:
		rc->type = t->cols[c].type == T_NUM ? T_NUM : T_INT;
		rc->count = count_like(s, t, c);
		if (rc->type == T_NUM)
			num_style(rc, role_of(s, t, c));
		break;
	case FN_SHARE:
	case FN_RATIO:
		rc->type = T_NUM;
		rc->pct = 1;
		rc->decimals = 1;
		break;
	case FN_MIN:
	case FN_MAX:
	case FN_MEDIAN:
	case FN_PCTL:
		rc->type = t->cols[c].type == T_DATE ? T_DATE : T_NUM;
		rc->decimals = t->cols[c].type == T_INT ? 0 : 1;
		if (t->cols[c].type == T_NUM)
			num_style(rc, role_of(s, t, c));
		break;
	case FN_MEAN:
		rc->type = T_NUM;
		num_style(rc, role_of(s, t, c));
		break;
	}
}

/* Disclosure control of one aggregated cell. */
static void control_measure(res_cell *cell, const res_col *rc, const tpl_measure *m, const agg *a, const tpl_source *s,
			    const mm_table *t)
{
	switch (m->fn) {
	case FN_COUNT:
	case FN_SUM:
		if (rc->count)
			star_count(cell);
		break;
	case FN_SHARE:
	case FN_RATIO: {
		int ca = m->fn == FN_SHARE || count_like(s, t, tbl_col(t, m->a));
		int cb = m->fn == FN_SHARE || count_like(s, t, tbl_col(t, m->b));
		int64_t num = (int64_t)llround(a->num), den = (int64_t)llround(a->den);
		int64_t rn = ca ? sdc_round(num) : num, rd = cb ? sdc_round(den) : den;
		if (rn == SDC_STAR || rd == SDC_STAR)
			cell->star = 1;
		else
			cell->v = rd != 0 ? 100.0 * (double)rn / (double)rd : NAN;
		break;
	}
	default:
		if (sdc_small((int64_t)a->nvals))
			cell->star = 1;
		break;
	}
}

/* A listing's "*" cells are each 1 to 7 only while its zeros show as 0: a
 * reader could count them and, with a rounded total from another page, pin
 * each one (seven Trusts shown as "*" under a total of "*" must each be 1).
 * So when a count column of a listing shows any "*", its zeros show as "*"
 * too, and every "*" in it stands for 0 to 7 (docs/disclosure.md). */
static void star_zeros(tpl_result *r, int c)
{
	int any = 0;
	for (size_t i = 0; i < r->nrows && !any; i++)
		any = res_at(r, i, c)->star;
	for (size_t i = 0; any && i < r->nrows; i++) {
		res_cell *cell = res_at(r, i, c);
		if (cell->star || cell->v == 0)
			cell->star = cell->star0 = 1;
	}
}

static void eval_grouped(const qctx *x, const tpl_query *q, const tpl_source *s, size_t *rows, size_t n,
			 tpl_result *r)
{
	const mm_table *t = s->t;
	int ng = q->ngroup, nm = q->nms;
	int *gc = xcalloc((size_t)ng + 1, sizeof *gc);
	for (int i = 0; i < ng; i++) {
		gc[i] = tbl_col(t, q->group[i].s);
		res_col *rc = add_col(r, q->group[i].s);
		rc->type = t->cols[gc[i]].type;
		rc->ident = sdc_role_identifier(role_of(s, t, gc[i]));
		if (rc->type == T_NUM)
			num_style(rc, role_of(s, t, gc[i]));
		reason_codes(rc, x->cat, t);
	}
	for (int i = 0; i < nm; i++) {
		res_col *rc = add_col(r, q->ms[i].text);
		measure_col(rc, s, t, &q->ms[i]);
		rc->hidden = i >= nm - q->nhidden;
	}
	ccond *share = xcalloc((size_t)nm + 1, sizeof *share);
	for (int i = 0; i < nm; i++)
		if (q->ms[i].fn == FN_SHARE)
			ccond_init(&share[i], t, &q->ms[i].cond, x->ent, x->cat->census);
	if (ng > 0)
		mm_sort(rows, n, sizeof *rows, cmp_group, &(group_key){t, gc, ng});
	double *scratch = xmalloc((n ? n : 1) * sizeof *scratch);
	size_t cap = 16;
	r->cells = xmalloc(cap * (size_t)r->ncols * sizeof *r->cells);
	r->rep = xmalloc(cap * sizeof *r->rep);
	/* With no group columns every row (even none) makes one group. */
	for (size_t i = 0; i < n || (ng == 0 && r->nrows == 0);) {
		size_t j = ng == 0 ? n : i + 1;
		/* cmp_group breaks ties by row, so compare the key columns only. */
		while (ng > 0 && j < n) {
			int same = 1;
			for (int k = 0; k < ng && same; k++)
				same = cmp_raw(t, gc[k], rows[i], rows[j]) == 0;
			if (!same)
				break;
			j++;
		}
		if (r->nrows == cap) {
			cap *= 2;
			r->cells = xrealloc(r->cells, cap * (size_t)r->ncols * sizeof *r->cells);
			r->rep = xrealloc(r->rep, cap * sizeof *r->rep);
		}
		size_t row = r->nrows++;
		r->rep[row] = n ? rows[i] : 0;
		for (int k = 0; k < ng; k++)
			cell_from(res_at(r, row, k), t, gc[k], rows[i]);
		for (int k = 0; k < nm; k++) {
			agg a = measure(t, &q->ms[k], &share[k], rows + i, j - i, scratch);
			res_cell *cell = res_at(r, row, ng + k);
			cell->v = a.v;
			cell->s = NULL;
			cell->star = cell->star0 = 0;
			if (r->controlled)
				control_measure(cell, &r->cols[ng + k], &q->ms[k], &a, s, t);
		}
		i = j;
	}
	if (r->controlled && ng > 0)
		for (int k = 0; k < nm; k++)
			if ((q->ms[k].fn == FN_COUNT || q->ms[k].fn == FN_SUM) && r->cols[ng + k].count)
				star_zeros(r, ng + k);
	free(scratch);
	for (int i = 0; i < nm; i++)
		if (q->ms[i].fn == FN_SHARE)
			ccond_free(&share[i]);
	free(share);
	free(gc);
}

static void eval_rows(const qctx *x, const tpl_query *q, const tpl_source *s, const size_t *rows, size_t n,
		      tpl_result *r)
{
	const mm_table *t = s->t;
	int *cs = xcalloc((size_t)q->ncols + (size_t)q->nsort + 1, sizeof *cs);
	for (int i = 0; i < q->ncols; i++) {
		cs[i] = tbl_col(t, q->cols[i].s);
		res_col *rc = add_col(r, q->cols[i].s);
		rc->type = t->cols[cs[i]].type;
		rc->count = is_count_col(s, t, cs[i]) && rc->type == T_INT;
		rc->ident = sdc_role_identifier(role_of(s, t, cs[i]));
		if (rc->type == T_NUM)
			num_style(rc, role_of(s, t, cs[i]));
		reason_codes(rc, x->cat, t);
	}
	/* Sort keys that are not shown become hidden columns. */
	for (int i = 0; i < q->nsort; i++)
		if (res_col_index(r, q->sort[i].key) < 0) {
			cs[r->ncols] = tbl_col(t, q->sort[i].key);
			res_col *rc = add_col(r, q->sort[i].key);
			rc->type = t->cols[cs[r->ncols - 1]].type;
			rc->hidden = 1;
		}
	r->cells = xmalloc((n ? n : 1) * (size_t)r->ncols * sizeof *r->cells);
	r->rep = xmalloc((n ? n : 1) * sizeof *r->rep);
	for (size_t i = 0; i < n; i++) {
		r->rep[i] = rows[i];
		int starred = 0;
		for (int k = 0; k < r->ncols; k++) {
			res_cell *cell = res_at(r, i, k);
			cell_from(cell, t, cs[k], rows[i]);
			if (r->controlled && r->cols[k].count) {
				star_count(cell);
				starred |= cell->star;
			}
		}
		/* Rates and averages beside a suppressed count could reveal it;
		 * figures that are not counts of people (a rule change's delta, a
		 * score) stay exact, as everywhere. */
		for (int k = 0; starred && k < r->ncols; k++)
			if (r->cols[k].type == T_NUM && sdc_role_derived(role_of(s, t, cs[k])))
				res_at(r, i, k)->star = 1;
	}
	r->nrows = n;
	free(cs);
}

/* ---- Entry point ---- */

int tpl_eval(const qctx *x, const tpl_query *q, const tpl_block *b, tpl_result *r)
{
	memset(r, 0, sizeof *r);
	const tpl_source *s = tpl_catalog_find(x->cat, q->model.s);
	r->src = s;
	if (s && s->released) {
		/* Publishing "not built" for a model that was built would be
		 * wrong: the release plan must pin every model the site queries. */
		fprintf(stderr, "medimart: internal error: %s was released before the site queried it; pin it in "
				"cli/pipeline.c (docs/architecture.md, \"When tables are released\")\n",
			s->name);
		abort();
	}
	if (!s || !s->t) {
		r->missing = 1;
		return 0;
	}
	const mm_table *t = s->t;
	const tpl_entity *e = x->ent;
	int scoped = e && !q->scope_all && tbl_col(t, e->param) >= 0;
	/* Candidate rows: the entity's, else all. */
	size_t n = 0, *rows;
	if (scoped && t->cols[tbl_col(t, e->param)].type == T_STR && x->cache) {
		rowlist *l = rowlist_get(x->cache, t, tbl_col(t, e->param));
		uint32_t id = sp_find(t->sp, e->value, strlen(e->value));
		uint32_t slot = id == UINT32_MAX ? HMAP_NONE : hmap_get(&l->slot, id);
		size_t k = slot == HMAP_NONE ? 0 : l->start[slot + 1] - l->start[slot];
		rows = xmalloc((k ? k : 1) * sizeof *rows);
		if (k)
			memcpy(rows, l->rows + l->start[slot], k * sizeof *rows);
		n = k;
	} else {
		rows = xmalloc((t->nrows ? t->nrows : 1) * sizeof *rows);
		for (size_t i = 0; i < t->nrows; i++)
			rows[i] = i;
		n = t->nrows;
		if (scoped) {
			tpl_cond c = {.col = (char *)e->param, .op = CMP_EQ, .vals = (char *[]){(char *)e->value}, .nvals = 1};
			ccond k;
			ccond_init(&k, t, &c, NULL, x->cat->census);
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (ccond_match(&k, t, rows[i]))
					rows[m++] = rows[i];
			n = m;
			ccond_free(&k);
		}
	}
	/* Filter. */
	if (q->nconds) {
		ccond *cc = xcalloc((size_t)q->nconds, sizeof *cc);
		for (int i = 0; i < q->nconds; i++)
			ccond_init(&cc[i], t, &q->conds[i], e, x->cat->census);
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			int ok = 1;
			for (int k = 0; k < q->nconds && ok; k++)
				ok = ccond_match(&cc[k], t, rows[i]);
			if (ok)
				rows[m++] = rows[i];
		}
		n = m;
		for (int i = 0; i < q->nconds; i++)
			ccond_free(&cc[i]);
		free(cc);
	}
	int grouped = q->ngroup > 0 || q->nms > 0;
	/* Board output controls every level, national figures included: an
	 * exact total less its rounded parts would give a suppressed part
	 * away (docs/disclosure.md). The evaluators apply control when
	 * r->controlled is set. */
	r->controlled = !x->cat->clinical && !x->exact;
	if (grouped)
		eval_grouped(x, q, s, rows, n, r);
	else
		eval_rows(x, q, s, rows, n, r);
	r->controlled = !x->cat->clinical;
	free(rows);
	query_sort_result(q, r, grouped);
	r->total = r->nrows;
	if (q->limit > 0 && r->nrows > (size_t)q->limit)
		r->nrows = (size_t)q->limit;
	if (r->controlled && !x->exact && sdc_ledger_on())
		query_ledger_result(x, q, r, scoped, grouped);
	/* Headings: the block's labels, else made from the names. */
	int vis = 0;
	for (int i = 0; i < r->ncols; i++) {
		if (r->cols[i].hidden)
			continue;
		if (b && vis < b->nlabels)
			r->cols[i].label = tpl_text(x->cat, e, b->labels[vis]);
		else
			r->cols[i].label = tpl_humanise(r->cols[i].name);
		vis++;
	}
	return 0;
}

void tpl_result_free(tpl_result *r)
{
	for (int i = 0; i < r->ncols; i++)
		free(r->cols[i].label);
	free(r->cols);
	free(r->cells);
	free(r->rep);
	memset(r, 0, sizeof *r);
}

