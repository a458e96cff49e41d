/* The data-tests page (see testspage.h). */
#include "site/testspage.h"
#include "contract/schema.h"
#include "core/format.h"
#include "out/html/htmltable.h"
#include "query/runtables.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Display order: what needs attention first. */
enum { R_FAIL, R_WARN, R_NOT_RUN, R_PASS, R_COUNT };

static const struct {
	const char *label, *cls;
} results[R_COUNT] = {
	[R_FAIL] = {"Fail", "status-fail"},
	[R_WARN] = {"Warning", "status-warning"},
	[R_NOT_RUN] = {"Not run", "status-not-run"},
	[R_PASS] = {"Pass", "status-pass"},
};

typedef struct row {
	const char *model, *name, *column, *message; /* the result's, or the compiled test's */
	int rank;
	test_severity severity;
	int ran, source_check;
	size_t failures, order;
} row;

static int cmp_row(const void *a, const void *b)
{
	const row *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int rank_of(test_status s)
{
	return s == TS_FAIL ? R_FAIL : s == TS_WARN ? R_WARN : R_PASS;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int has_result(const test_report *rep, const char *model, const char *column, const char *name)
{
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->v[i].model, model) && same(rep->v[i].column, column) && !strcmp(rep->v[i].name, name))
			return 1;
	return 0;
}

static void add(row **v, size_t *n, const row *r)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = *r;
	(*v)[*n].order = *n;
	(*n)++;
}

/* The declared tests of registry model i without a result: they carry
 * the names check/run.c gives results. */
static void not_run(const test_report *rep, int i, row **v, size_t *n)
{
	int ntests;
	const model_test *t = model_tests(i, &ntests);
	for (int k = 0; k < ntests; k++) {
		const model_test *x = &t[k];
		if (has_result(rep, x->def->name, x->colname, x->name))
			continue;
		row r = {x->def->name, x->name, x->colname, NULL, R_NOT_RUN,
			 x->parse_error ? SEV_ERROR : x->spec.severity, 0, 0, 0, 0};
		add(v, n, &r);
	}
}

static size_t collect(const test_report *rep, row **v)
{
	size_t n = 0;
	*v = NULL;
	for (size_t i = 0; i < rep->n; i++) {
		const test_result *t = &rep->v[i];
		row r = {t->model, t->name, t->column, t->message, rank_of(t->status), t->severity, 1,
			 t->source_check, t->failures, 0};
		add(v, &n, &r);
	}
	for (int i = 0; i < model_total(); i++)
		not_run(rep, i, v, &n);
	if (n)
		qsort(*v, n, sizeof **v, cmp_row);
	return n;
}

/* The folder of the page a test's model or input file has, or NULL. */
static const char *page_dir(const char *model)
{
	return model_find(model) ? "models" : source_index(model) >= 0 ? "sources" : NULL;
}

/* Whether that page has a row (id col-NAME) for the column. */
static int has_column(const char *model, const char *column)
{
	const model_def *m = model_find(model);
	if (m) {
		for (int c = 0; c < m->ncols; c++)
			if (!strcmp(m->cols[c].name, column))
				return 1;
		return 0;
	}
	int s = source_index(model);
	for (int c = 0; s >= 0 && c < source_tables[s].ncols; c++)
		if (!strcmp(source_tables[s].cols[c].name, column))
			return 1;
	return 0;
}

static void summary(buf *b, const size_t count[R_COUNT], size_t total)
{
	char f[FMT_MAX];
	static const struct {
		int r;
		const char *label, *rag;
	} cards[] = {
		{R_PASS, "Passed", "kpi-green"},
		{R_FAIL, "Failed", "kpi-red"},
		{R_WARN, "Warnings", "kpi-amber"},
		{R_NOT_RUN, "Not run", "kpi-amber"},
	};
	buf_printf(b, "<ul class=\"kpis test-counts\" aria-label=\"Data tests by result\">\n");
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		size_t k = count[cards[i].r];
		if (cards[i].r == R_NOT_RUN && !k)
			continue; /* the usual case: every declared test ran */
		/* The colour only marks what needs attention; the words say it. */
		buf_printf(b, "<li class=\"kpi %s\"><p class=\"kpi-label\">%s</p><p class=\"kpi-value\">%s</p>"
			      "<p class=\"kpi-std\">of %zu tests</p></li>\n",
			   k ? cards[i].rag : "kpi-green", cards[i].label, fmt_int(f, (int64_t)k), total);
	}
	buf_puts(b, "</ul>\n");
}

static void put_row(buf *b, const row *r, const testspage_opts *o)
{
	char f[FMT_MAX];
	const char *dir = o->links ? page_dir(r->model) : NULL;
	buf_printf(b, "<tr><td data-sort=\"%d\"><span class=\"status %s\">%s</span></td><td>", r->rank,
		   results[r->rank].cls, results[r->rank].label);
	if (dir) {
		buf_printf(b, "<a href=\"%s/", dir);
		buf_put_html(b, r->model);
		buf_puts(b, ".html\">");
	}
	buf_puts(b, "<code>");
	buf_put_html(b, r->model);
	buf_puts(b, dir ? "</code></a>" : "</code>");
	if (r->column) {
		buf_puts(b, "<span class=\"test-column\">column ");
		int link = dir && has_column(r->model, r->column);
		if (link) {
			buf_printf(b, "<a href=\"%s/", dir);
			buf_put_html(b, r->model);
			buf_puts(b, ".html#col-");
			buf_put_html(b, r->column);
			buf_puts(b, "\">");
		}
		buf_puts(b, "<code>");
		buf_put_html(b, r->column);
		buf_puts(b, link ? "</code></a></span>" : "</code></span>");
	}
	buf_puts(b, "</td><th scope=\"row\"><code>");
	buf_put_html(b, r->name);
	buf_printf(b, "</code></th><td>%s</td>", r->severity == SEV_ERROR ? "error" : "warning");
	if (r->ran)
		buf_printf(b, "<td class=\"num\" data-sort=\"%zu\">%s</td><td>", r->failures, fmt_int(f, (int64_t)r->failures));
	else
		buf_puts(b, "<td class=\"num\" data-sort=\"\"></td><td>");
	if (r->ran) {
		char *msg = o->clinical ? xstrdup(r->message ? r->message : "") : run_redact(r->message);
		buf_put_html(b, msg);
		free(msg);
	} else {
		buf_puts(b, "The model was not tested in this run.");
	}
	buf_puts(b, "</td></tr>\n");
}

void testspage_body(buf *b, const testspage_opts *o)
{
	row *v;
	size_t n = collect(o->rep, &v);
	size_t count[R_COUNT] = {0};
	for (size_t i = 0; i < n; i++)
		count[v[i].rank]++;
	buf_puts(b, "<h1 id=\"top\">Data tests</h1>\n<p class=\"lead\">Every data test of this build: the tests each "
		    "model declares on its columns and rows (keys unique and present, codes from the accepted lists, "
		    "references that resolve, values in range) and the checks of the input files (rows present, rows "
		    "rejected, how recent the data is). A failed test of severity <em>error</em> fails the build; one "
		    "of severity <em>warning</em> is reported and the build goes on.</p>\n");
	summary(b, count, n);
	if (!n) {
		buf_puts(b, "<p class=\"empty\">No data test was run in this build.</p>\n");
		free(v);
		return;
	}
	buf_puts(b, "<h2 id=\"results\">Results</h2>\n");
	if (!o->clinical)
		buf_puts(b, "<p>Messages are cut before any example value, so that no record can be identified.</p>\n");
	char cap[80];
	snprintf(cap, sizeof cap, "All %zu data tests: failed first, then warnings, then passed", n);
	ht_open(b, "tests-caption", "data sortable tests", cap);
	ht_head(b);
	ht_col(b, "Result", NULL);
	ht_col(b, "Model or input file", NULL);
	ht_col(b, "Test", NULL);
	ht_col(b, "Severity", NULL);
	ht_col(b, "Failing rows", "num");
	ht_col(b, "Message", NULL);
	ht_body(b);
	for (size_t i = 0; i < n; i++)
		put_row(b, &v[i], o);
	ht_close(b);
	free(v);
}
