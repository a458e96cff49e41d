/* The rows of a model on its documentation page, by audience: a sample
 * of its rows as stored (clinical), a profile of each column or the first
 * rows through the pages' disclosure control (board); and the rows that
 * failed each data test of the run, or for the board only the failing
 * values of the tested columns that do not identify anyone, with counts
 * under disclosure control. */
#include "site/modeldoc_impl.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "out/html/htmltable.h"
#include "util/hmap.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Sample rows ---- */

/* Distinct non-null values of column c: strings by id, other types by key. */
static size_t distinct_count(const mm_table *t, int c)
{
	size_t n = 0;
	if (t->cols[c].type == T_STR) {
		uint32_t nids = t->sp->n + 1;
		uint8_t *seen = xcalloc(nids / 8 + 1, 1);
		for (size_t r = 0; r < t->nrows; r++) {
			uint32_t id = tbl_sid(t, c, r);
			if (id && id < nids && !(seen[id >> 3] >> (id & 7) & 1)) {
				seen[id >> 3] |= (uint8_t)(1u << (id & 7));
				n++;
			}
		}
		free(seen);
		return n;
	}
	if (t->cols[c].type == T_DATE || t->cols[c].type == T_BOOL) {
		/* A bit per value between the least and the greatest. */
		const int32_t *v = t->cols[c].v.i32;
		int32_t lo = INT32_MAX, hi = INT32_MIN;
		for (size_t r = 0; r < t->nrows; r++)
			if (v[r] != I32_NULL) {
				lo = v[r] < lo ? v[r] : lo;
				hi = v[r] > hi ? v[r] : hi;
			}
		if (lo > hi)
			return 0;
		if ((int64_t)hi - lo < (1 << 26)) {
			uint8_t *seen = xcalloc(((size_t)((int64_t)hi - lo) >> 3) + 1, 1);
			for (size_t r = 0; r < t->nrows; r++) {
				if (v[r] == I32_NULL)
					continue;
				uint32_t k = (uint32_t)((int64_t)v[r] - lo);
				if (!(seen[k >> 3] >> (k & 7) & 1)) {
					seen[k >> 3] |= (uint8_t)(1u << (k & 7));
					n++;
				}
			}
			free(seen);
			return n;
		}
	}
	/* Otherwise the keys sorted, counting where they change. */
	uint64_t *key = xmalloc((t->nrows + 1) * sizeof *key);
	size_t m = 0;
	for (size_t r = 0; r < t->nrows; r++)
		if (!tbl_isnull(t, c, r))
			key[m++] = test_cell_key(t, c, r);
	mm_radix_u64(key, NULL, m);
	for (size_t i = 0; i < m; i++)
		n += i == 0 || key[i] != key[i - 1];
	free(key);
	return n;
}

/* A count of rows of a model with a row per patient or pathway, as the
 * board may see it: under the same disclosure control as the pages, so
 * that an exact national total cannot be differenced against them. */
static const char *sdc_count(char *f, size_t n)
{
	int64_t v = sdc_round((int64_t)n);
	return v == SDC_STAR ? strcpy(f, "*") : fmt_int(f, v);
}

/* A number or date as shown on the page. */
static const char *show_value(char *f, mm_type type, double v)
{
	if (type == T_DATE)
		return fmt_date_short(f, (int32_t)v);
	if (type == T_TS)
		return fmt_date_short(f, (int32_t)floor(v / 86400));
	if (type == T_INT)
		return fmt_int(f, (int64_t)v);
	return fmt_num(f, v, 2);
}

/* Board audience, patient-level model: per-column aggregates only. */
static void profile_table(buf *b, const tpl_source *s)
{
	const mm_table *t = s->t;
	char f[FMT_MAX];
	buf_puts(b, "<p>This model holds one row per patient, pathway or event. The board audience sees it only in "
		    "aggregate: for each column, how many rows are empty, how many distinct values there are and, "
		    "for numbers and dates that do not identify anyone, the median. Smallest and largest values are "
		    "left out: each is one person's.</p>\n");
	buf cap = {0};
	buf_printf(&cap, "Column profile of %s (%s rows)", t->name, sdc_count(f, t->nrows));
	ht_open(b, "profile-caption", "data", cap.s);
	buf_free(&cap);
	ht_head(b);
	ht_col(b, "Column", NULL);
	ht_col(b, "Type", NULL);
	ht_col(b, "Empty", "num");
	ht_col(b, "Distinct values", "num");
	ht_col(b, "Median", "num");
	ht_body(b);
	for (int c = 0; c < t->ncols; c++) {
		const mm_column *col = &t->cols[c];
		size_t nulls = 0, nv = 0;
		int ranged = col->type == T_INT || col->type == T_NUM || col->type == T_DATE || col->type == T_TS;
		double *v = ranged ? xmalloc((t->nrows ? t->nrows : 1) * sizeof *v) : NULL;
		for (size_t r = 0; r < t->nrows; r++) {
			if (tbl_isnull(t, c, r))
				nulls++;
			else if (ranged)
				v[nv++] = tbl_value(t, c, r);
		}
		buf_puts(b, "<tr><th scope=\"row\"><code>");
		put(b, col->name);
		buf_printf(b, "</code></th><td>%s</td>", type_name(col->type));
		buf_printf(b, "<td class=\"num\">%s</td>", sdc_count(f, nulls));
		/* Distinct identifiers count people; distinct categories do not. */
		size_t nd = distinct_count(t, c);
		int id = sdc_role_identifier(tpl_source_role(s, col->name));
		buf_printf(b, "<td class=\"num\">%s</td>", id ? sdc_count(f, nd) : fmt_int(f, (int64_t)nd));
		if (id)
			buf_puts(b, "<td>identifies people: not shown</td></tr>\n");
		else if (nv) {
			/* Nearest-rank median: a value that occurs in the column. */
			double mid = mm_nth_double(v, nv, (nv - 1) / 2);
			buf_printf(b, "<td class=\"num\">%s</td></tr>\n", show_value(f, col->type, mid));
		} else
			buf_puts(b, "<td class=\"num\"></td></tr>\n");
		free(v);
	}
	ht_close(b);
}

/* The first rows as stored (clinical audience). */
static void rows_table(buf *b, const tpl_source *s, const size_t *rows, size_t n, const char *caption_id,
		       const char *caption, int tested)
{
	const mm_table *t = s->t;
	char f[FMT_MAX * 2];
	ht_open(b, caption_id, "data", caption ? caption : "");
	ht_head(b);
	for (int c = 0; c < t->ncols; c++) {
		/* Plain names: code would wrap at every character in a narrow header. */
		buf_puts(b, "<th scope=\"col\">");
		put(b, t->cols[c].name);
		buf_puts(b, c == tested ? " (tested)</th>" : "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		buf_puts(b, "<tr>");
		for (int c = 0; c < t->ncols; c++) {
			mm_type ty = t->cols[c].type;
			int num = ty == T_INT || ty == T_NUM;
			int id = sdc_role_identifier(tpl_source_role(s, t->cols[c].name));
			buf_puts(b, num ? "<td class=\"num\">" : id ? "<td class=\"id\">" : "<td>");
			put(b, tbl_fmt(t, c, r, f, sizeof f));
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	ht_close(b);
}

static int num_col(const res_col *c)
{
	return c->type == T_INT || c->type == T_NUM;
}

/* Board audience, aggregate model: the first rows through the same query
 * and disclosure control as the pages, identifiers left out. */
static void controlled_rows(buf *b, const modeldoc_ctx *m, const tpl_source *s)
{
	tpl_query q = {0};
	q.model.s = (char *)s->name;
	q.cols = xcalloc((size_t)s->t->ncols, sizeof *q.cols);
	for (int c = 0; c < s->t->ncols; c++)
		if (!sdc_role_identifier(tpl_source_role(s, s->t->cols[c].name)))
			q.cols[q.ncols++].s = (char *)s->t->cols[c].name;
	q.limit = 10;
	qctx x = {m->cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &q, NULL, &r);
	char f[FMT_MAX];
	buf cap = {0};
	buf_printf(&cap, "First %zu of %s rows", r.nrows, fmt_int(f, (int64_t)s->t->nrows));
	ht_open(b, "sample-caption", "data", cap.s);
	buf_free(&cap);
	ht_head(b);
	for (int c = 0; c < r.ncols; c++) {
		buf_puts(b, num_col(&r.cols[c]) ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">");
		put(b, r.cols[c].name);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r.nrows; i++) {
		buf_puts(b, "<tr>");
		for (int c = 0; c < r.ncols; c++) {
			const res_cell *v = res_at(&r, i, c);
			buf_puts(b, num_col(&r.cols[c]) ? "<td class=\"num\">" : "<td>");
			if (v->star)
				buf_puts(b, "<abbr title=\"1 to 7, suppressed to protect privacy\">*</abbr>");
			else
				put(b, res_fmt(&r.cols[c], v, f));
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	ht_close(b);
	if (r.controlled)
		buf_puts(b, "<p class=\"code\">Counts of 1 to 7 show as *; other counts are rounded to the nearest 5.</p>\n");
	tpl_result_free(&r);
	free(q.cols);
}

/* Sample sections of released models, by registry index. */
static struct {
	char *html;
	size_t rows;
} kept[MM_MAX_MODELS];

static int kept_index(const tpl_source *s)
{
	int i = s && !s->t ? model_index(s->name) : -1;
	return i >= 0 && kept[i].html ? i : -1;
}

void modeldoc_keep_sample(const mm_table *t, const model_def *def, int clinical)
{
	int i = model_index(def->name);
	if (i < 0)
		return;
	/* The catalog entry the site would make, so that roles, grain and
	 * audience read the same. */
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	cat.clinical = clinical;
	tpl_catalog_add(&cat, def->name, def->description, t, def);
	modeldoc_ctx m = {.cat = &cat};
	buf b = {0};
	buf_puts(&b, "");
	modeldoc_sample_section(&b, &m, &cat.v[0]);
	tpl_catalog_free(&cat);
	free(kept[i].html);
	kept[i].html = b.s;
	kept[i].rows = t->nrows;
}

void modeldoc_kept_free(void)
{
	for (int i = 0; i < MM_MAX_MODELS; i++) {
		free(kept[i].html);
		kept[i].html = NULL;
		kept[i].rows = 0;
	}
}

int modeldoc_rows(const tpl_source *s, size_t *n)
{
	int i = kept_index(s);
	if (s && s->t)
		*n = s->t->nrows;
	else if (i >= 0)
		*n = kept[i].rows;
	else
		return 0;
	return 1;
}

void modeldoc_sample_section(buf *b, const modeldoc_ctx *m, const tpl_source *s)
{
	int k = kept_index(s);
	if (k >= 0) {
		buf_puts(b, kept[k].html);
		return;
	}
	buf_puts(b, "<h2 id=\"sample\">Sample rows</h2>\n");
	if (!s || !s->t) {
		buf_puts(b, "<p class=\"empty\">This model was not built in this run.</p>\n");
		return;
	}
	if (!s->t->nrows) {
		buf_puts(b, "<p class=\"empty\">This model has no rows in this run.</p>\n");
		return;
	}
	if (m->cat->clinical) {
		char cap[96];
		size_t n = s->t->nrows < 10 ? s->t->nrows : 10;
		snprintf(cap, sizeof cap, "First %zu of %zu rows, as stored", n, s->t->nrows);
		rows_table(b, s, NULL, n, "sample-caption", cap, -1);
	} else if (s->patient_level) {
		profile_table(b, s);
	} else {
		controlled_rows(b, m, s);
	}
}

/* ---- Failing rows ---- */

/* The declared spec of registry model idx whose result name is name, or NULL. */
static const test_spec *find_spec(int idx, const char *name)
{
	int n;
	const model_test *v = model_tests(idx, &n);
	for (int k = 0; k < n; k++)
		if (!v[k].parse_error && !strcmp(v[k].name, name))
			return &v[k].spec;
	return NULL;
}

/* Board audience: the distinct values of cols[] among the failing rows,
 * with how many of those rows have each; counts under disclosure control. */
static void value_counts(buf *b, const tpl_source *s, const int *cols, int ncols, const size_t *rows, size_t n,
			 const char *caption_id)
{
	const mm_table *t = s->t;
	size_t *first = xmalloc(n * sizeof *first), *count = xmalloc(n * sizeof *count), k = 0;
	char f[FMT_MAX * 2], g[FMT_MAX * 2];
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < k; j++) {
			int same = 1;
			for (int c = 0; c < ncols && same; c++)
				same = !strcmp(tbl_fmt(t, cols[c], rows[i], f, sizeof f),
					       tbl_fmt(t, cols[c], rows[first[j]], g, sizeof g));
			if (same)
				break;
		}
		if (j == k) {
			first[k] = i;
			count[k++] = 0;
		}
		count[j]++;
	}
	ht_open(b, caption_id, "data", "Failing values");
	ht_head(b);
	for (int c = 0; c < ncols; c++) {
		buf_puts(b, "<th scope=\"col\">");
		put(b, t->cols[cols[c]].name);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "<th scope=\"col\" class=\"num\">Rows</th></tr></thead>\n<tbody>\n");
	for (size_t j = 0; j < k && j < 20; j++) {
		buf_puts(b, "<tr>");
		for (int c = 0; c < ncols; c++) {
			const mm_column *col = &t->cols[cols[c]];
			buf_puts(b, "<td>");
			if (col->type == T_INT && sdc_role_counted(tpl_source_role(s, col->name)) &&
			    !tbl_isnull(t, cols[c], rows[first[j]])) {
				int64_t v = sdc_round(tbl_int(t, cols[c], rows[first[j]]));
				if (v == SDC_STAR)
					buf_puts(b, "<abbr title=\"1 to 7, suppressed to protect privacy\">*</abbr>");
				else
					put(b, fmt_int(f, v));
			} else {
				put(b, tbl_fmt(t, cols[c], rows[first[j]], f, sizeof f));
			}
			buf_puts(b, "</td>");
		}
		int64_t v = sdc_round((int64_t)count[j]);
		if (v == SDC_STAR)
			buf_puts(b, "<td class=\"num\"><abbr title=\"1 to 7, suppressed to protect privacy\">*</abbr></td></tr>\n");
		else
			buf_printf(b, "<td class=\"num\">%s</td></tr>\n", fmt_int(f, v));
	}
	ht_close(b);
	free(first);
	free(count);
}

void modeldoc_failing_section(buf *b, const modeldoc_ctx *m, int idx, const tpl_source *s)
{
	const model_def *d = model_at(idx);
	int k = 0;
	char f[FMT_MAX];
	for (size_t i = 0; m->rep && i < m->rep->n; i++) {
		const test_result *r = &m->rep->v[i];
		if (r->source_check || strcmp(r->model, d->name) || r->status == TS_PASS || !r->nkept)
			continue;
		if (!k)
			buf_puts(b, "<h2 id=\"failing\">Failing rows</h2>\n<p>The rows that failed a data test in this run "
				    "(all of them are in <code>target/test_failures/</code>, up to 100 per test).</p>\n");
		k++;
		buf_printf(b, "<h3 id=\"failing-%d\"><code>", k);
		put(b, r->name);
		buf_puts(b, "</code> ");
		modeldoc_put_badge(b, r);
		buf_puts(b, "</h3>\n<p>");
		put(b, fmt_int(f, (int64_t)r->failures));
		buf_printf(b, " of %s rows fail this test (%s severity).", fmt_int((char[FMT_MAX]){0}, (int64_t)r->rows),
			   r->severity == SEV_ERROR ? "error" : "warning");
		if (!s || !s->t || r->model == NULL) {
			buf_puts(b, "</p>\n");
			continue;
		}
		const mm_table *t = s->t;
		size_t n = r->nkept < 20 ? r->nkept : 20;
		char cap_id[32], cap[160];
		snprintf(cap_id, sizeof cap_id, "failing-%d-caption", k);
		if (m->cat->clinical) {
			buf_puts(b, "</p>\n");
			if (n == 1)
				snprintf(cap, sizeof cap, "The failing row of %s", r->name);
			else
				snprintf(cap, sizeof cap, "First %zu failing rows of %s", n, r->name);
			rows_table(b, s, r->failing_rows, n, cap_id, cap, r->column ? tbl_col(t, r->column) : -1);
			continue;
		}
		/* Board: no row, only the values of the tested columns that do not identify anyone. */
		int cols[8], ncols = 0;
		if (r->column) {
			int c = tbl_col(t, r->column);
			if (c >= 0 && !sdc_role_identifier(tpl_source_role(s, r->column)))
				cols[ncols++] = c;
		} else {
			const test_spec *sp = find_spec(idx, r->name);
			if (sp) {
				const char *names[] = {sp->lhs, sp->rhs};
				for (int j = 0; j < 2; j++) {
					int c = names[j] ? tbl_col(t, names[j]) : -1;
					if (c >= 0 && !sdc_role_identifier(tpl_source_role(s, names[j])) && ncols < 8)
						cols[ncols++] = c;
				}
				for (int j = 0; j < sp->nargs && ncols < 8; j++) {
					int c = tbl_col(t, sp->args[j]);
					if (c >= 0 && !sdc_role_identifier(tpl_source_role(s, sp->args[j])))
						cols[ncols++] = c;
				}
			}
		}
		if (!ncols) {
			buf_puts(b, " The tested column identifies people, so the board audience sees only the count; the "
				    "clinical site lists the rows.</p>\n");
			continue;
		}
		buf_printf(b, " The board audience sees the failing values of the tested column%s, not the rows", ncols > 1 ? "s" : "");
		if (r->nkept < r->failures)
			buf_printf(b, " (counted over the first %zu failing rows)", r->nkept);
		buf_puts(b, ".</p>\n");
		value_counts(b, s, cols, ncols, r->failing_rows, r->nkept, cap_id);
	}
}
