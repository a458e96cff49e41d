/* The documentation pages of the models and sources, dbt-docs style:
 * models/index.html with the lineage and data-model diagrams and every
 * model by layer; a page per model with its description, upstream and
 * downstream models, the run settings and seeds it reads, its lineage,
 * its columns with their tests, results and input-file columns, and its
 * test results; sources/index.html and a page per input file. The rows
 * each page shows (sample rows, column profiles, failing rows) are drawn
 * by modeldoc_rows.c. */
#include "site/modeldoc_impl.h"
#include "contract/schema.h"
#include "registry/colineage.h"
#include "run/run.h"
#include "draw/chart.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "out/html/htmltable.h"
#include "query/runtables.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A link to a model or source page from models/ or sources/. */
static void put_node_link(buf *b, const char *name)
{
	if (model_find(name))
		buf_printf(b, "<a href=\"../models/%s.html\"><code>", name);
	else if (source_index(name) >= 0)
		buf_printf(b, "<a href=\"../sources/%s.html\"><code>", name);
	else {
		buf_puts(b, "<code>");
		put(b, name);
		buf_puts(b, "</code>");
		return;
	}
	put(b, name);
	buf_puts(b, "</code></a>");
}

/* "stg_pathways.clock_start_date, census" with each model.column linked
 * to its row on the model's (or source's) page. */
static void put_lineage(buf *b, const char *from)
{
	char *s = xstrdup(from ? from : ""), *save = NULL;
	int first = 1;
	for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (!first)
			buf_puts(b, ", ");
		first = 0;
		char *dot = strchr(tok, '.');
		if (dot) {
			*dot = '\0';
			const char *dir = model_find(tok) ? "models" : source_index(tok) >= 0 ? "sources" : NULL;
			if (dir) {
				buf_printf(b, "<a href=\"../%s/%s.html#col-%s\"><code>%s.%s</code></a>", dir, tok, dot + 1, tok,
					   dot + 1);
				continue;
			}
			*dot = '.';
		}
		buf_puts(b, "<code>");
		put(b, tok);
		buf_puts(b, "</code>");
	}
	free(s);
}

static void diagram(buf *b, chart *c, const char *id, const char *caption)
{
	if (!c)
		return;
	/* Two diagrams on one page need their own element ids. */
	free(c->id);
	c->id = xstrdup(id);
	buf_puts(b, "<figure class=\"chart diagram\">\n");
	chart_svg(c, b);
	buf_puts(b, "\n<figcaption>");
	put(b, caption);
	buf_puts(b, "</figcaption>\n</figure>\n");
	chart_free(c);
}

static void test_counts(const test_report *rep, const char *model, size_t n[3])
{
	n[0] = n[1] = n[2] = 0;
	for (size_t i = 0; rep && i < rep->n; i++)
		if (!strcmp(rep->v[i].model, model))
			n[rep->v[i].status]++;
}

static void put_test_summary(buf *b, const test_report *rep, const char *model)
{
	size_t n[3];
	test_counts(rep, model, n);
	if (!n[0] && !n[1] && !n[2]) {
		buf_puts(b, "not run");
		return;
	}
	buf_printf(b, "%zu passed", n[0]);
	if (n[1])
		buf_printf(b, ", %zu warning%s", n[1], n[1] == 1 ? "" : "s");
	if (n[2])
		buf_printf(b, ", <strong>%zu failed</strong>", n[2]);
}

static void results_table(buf *b, const modeldoc_ctx *m, const char *model)
{
	static const char *const st[] = {"Pass", "Warning", "Fail"};
	static const char *const cls[] = {"pass", "warning", "fail"}; /* site.css: .status-fail, .status-warning */
	int any = 0;
	char f[FMT_MAX];
	for (size_t i = 0; m->rep && i < m->rep->n; i++) {
		const test_result *r = &m->rep->v[i];
		if (strcmp(r->model, model))
			continue;
		if (!any) {
			ht_open(b, "results-caption", "data sortable", "Data-test results of this run");
			ht_head(b);
			ht_col(b, "Test", NULL);
			ht_col(b, "Severity", NULL);
			ht_col(b, "Result", NULL);
			ht_col(b, "Failing rows", "num");
			ht_col(b, "Message", NULL);
			ht_body(b);
		}
		any = 1;
		char *msg = m->cat->clinical ? xstrdup(r->message ? r->message : "") : run_redact(r->message);
		buf_puts(b, "<tr><th scope=\"row\"><code>");
		put(b, r->name);
		buf_printf(b, "</code></th><td>%s</td><td><span class=\"status status-%s\">%s</span></td>",
			   r->severity == SEV_ERROR ? "error" : "warning", cls[r->status], st[r->status]);
		buf_printf(b, "<td class=\"num\" data-sort=\"%zu\">%s</td><td>", r->failures, fmt_int(f, (int64_t)r->failures));
		put(b, msg);
		buf_puts(b, "</td></tr>\n");
		free(msg);
	}
	if (any)
		ht_close(b);
	else
		buf_puts(b, "<p class=\"empty\">No data tests were run on this model in this build.</p>\n");
}

/* ---- Column tests and their results ---- */

static const test_result *find_result(const test_report *rep, const char *model, const char *name)
{
	for (size_t i = 0; rep && i < rep->n; i++)
		if (!rep->v[i].source_check && !strcmp(rep->v[i].model, model) && !strcmp(rep->v[i].name, name))
			return &rep->v[i];
	return NULL;
}

/* A result badge: the status is written, not shown by colour alone. */
void modeldoc_put_badge(buf *b, const test_result *r)
{
	static const char *const cls[] = {"rag-green", "rag-amber", "rag-red"};
	static const char *const word[] = {"Pass", "Warning", "Fail"};
	if (!r)
		buf_puts(b, "<span class=\"tag\">not run</span>");
	else
		buf_printf(b, "<span class=\"rag %s\">%s</span>", cls[r->status], word[r->status]);
}

/* The page's failing-rows anchor of a result, or 0 when it has none. */
static int failing_anchor(const modeldoc_ctx *m, const test_result *r, const char *model)
{
	int k = 0;
	for (size_t i = 0; m->rep && i < m->rep->n; i++) {
		const test_result *x = &m->rep->v[i];
		if (x->source_check || strcmp(x->model, model) || x->status == TS_PASS || !x->nkept)
			continue;
		k++;
		if (x == r)
			return k;
	}
	return 0;
}

/* Each declared test of column c of registry model idx as written, with
 * this run's result. */
static void put_col_tests(buf *b, const modeldoc_ctx *m, int idx, int c)
{
	int n, first = 1;
	const model_test *v = model_tests(idx, &n);
	for (int k = 0; k < n; k++) {
		if (v[k].column != c)
			continue;
		buf_puts(b, first ? "<span class=\"coltest\">" : "<br><span class=\"coltest\">");
		first = 0;
		buf_puts(b, "<code>");
		put(b, v[k].text);
		buf_puts(b, "</code> ");
		const test_result *r = v[k].parse_error ? NULL : find_result(m->rep, v[k].def->name, v[k].name);
		int a = r ? failing_anchor(m, r, v[k].def->name) : 0;
		if (a)
			buf_printf(b, "<a href=\"#failing-%d\">", a);
		modeldoc_put_badge(b, r);
		if (a)
			buf_puts(b, "</a>");
		buf_puts(b, "</span>");
	}
}

/* The input-file columns a column comes from, linked to the source pages;
 * a long list folds away. */
static void put_source_cols(buf *b, int model, int c)
{
	cl_ref *v;
	int n = cl_sources((cl_ref){CL_MODEL, model, c}, &v);
	char name[256];
	if (n > 8)
		buf_printf(b, "<details><summary>%d input columns</summary>", n);
	for (int i = 0; i < n; i++) {
		cl_name(v[i], name, sizeof name);
		if (i)
			buf_puts(b, ", ");
		buf_printf(b, "<a href=\"../sources/%s.html#col-%s\"><code>", cl_table_name(v[i]), cl_col_name(v[i]));
		put(b, name);
		buf_puts(b, "</code></a>");
	}
	if (n > 8)
		buf_puts(b, "</details>");
	if (!n)
		buf_puts(b, "none: computed from run parameters only");
	free(v);
}

/* ---- Logic: the run parameters and seeds a model reads ---- */

/* "Read by" the model's columns whose `from` names parameter p directly. */
static void put_param_readers(buf *b, int model, int p)
{
	const model_def *d = model_at(model);
	int k = 0;
	for (int c = 0; c < d->ncols; c++) {
		cl_ref *v;
		int n = cl_from(model, c, &v);
		for (int i = 0; i < n; i++)
			if (v[i].kind == CL_PARAM && v[i].t == p) {
				buf_printf(b, "%s<a href=\"#col-%s\"><code>%s</code></a>", k++ ? ", " : "", d->cols[c].name,
					   d->cols[c].name);
				break;
			}
		free(v);
	}
	if (!k)
		buf_puts(b, "its upstream models only (no column of this model names it)");
}

/* Rules in force by kind, from the dim_risk_rules model of this run. */
static void put_rules_in_force(buf *b, const modeldoc_ctx *m)
{
	const tpl_source *s = tpl_catalog_find(m->cat, "dim_risk_rules");
	int c = s && s->t ? tbl_col(s->t, "kind") : -1;
	if (c < 0 || s->t->cols[c].type != T_STR)
		return;
	static const char *const kinds[] = {"breach", "target", "points", "tier", "override", "minimum", "lookback"};
	static const char *const words[] = {"breach settings", "priority targets", "risk-point rules", "tier bounds",
					    "tier overrides", "minimums", "look-back windows"};
	enum { NK = sizeof kinds / sizeof kinds[0] };
	size_t n[NK] = {0};
	for (size_t r = 0; r < s->t->nrows; r++)
		for (int k = 0; k < NK; k++)
			if (!tbl_isnull(s->t, c, r) && !strcmp(tbl_str(s->t, c, r), kinds[k]))
				n[k]++;
	buf_printf(b, " In force in this run: %zu rules (", s->t->nrows);
	for (int k = 0, shown = 0; k < NK; k++)
		if (n[k])
			buf_printf(b, "%s%zu %s", shown++ ? ", " : "", n[k], words[k]);
	buf_puts(b, "), listed in <a href=\"dim_risk_rules.html\"><code>dim_risk_rules</code></a>.");
}

static void logic_section(buf *b, const modeldoc_ctx *m, int idx)
{
	cl_ref whole = {CL_MODEL, idx, -1};
	unsigned params = cl_params(whole);
	char f[FMT_MAX];
	buf_puts(b, "<h2 id=\"logic\">Logic</h2>\n<p>What the model computes is described at the top of this page and, "
		    "column by column, below. Besides its upstream models it reads these settings of the run:</p>\n"
		    "<dl class=\"facts\">\n<dt>Census date</dt><dd>");
	if (params & (1u << CL_CENSUS)) {
		buf_puts(b, m->cat->census ? fmt_date_long(f, m->cat->census) : "the census date of the run");
		buf_puts(b, ". Read by ");
		put_param_readers(b, idx, CL_CENSUS);
		buf_puts(b, ".");
	} else {
		buf_puts(b, "not read: the model does not depend on the census date");
	}
	buf_puts(b, "</dd>\n<dt>Risk rules</dt><dd>");
	if (params & (1u << CL_RULES)) {
		if (m->rules_path) {
			/* The file's name, never where it lives on the server. */
			const char *name = strrchr(m->rules_path, '/');
			buf_puts(b, "<code>");
			put(b, name ? name + 1 : m->rules_path);
			buf_puts(b, "</code> in this run");
		} else
			buf_puts(b, "<code>risk_rules.txt</code> beside the data or in <code>data/</code>, unless "
				    "<code>--rules</code> names another file (the run record, <code>target/run_results.json</code>, "
				    "names the one used)");
		buf_puts(b, ". Read by ");
		put_param_readers(b, idx, CL_RULES);
		buf_puts(b, ". The column declarations name the rules file as a whole, not its sections.");
		put_rules_in_force(b, m);
		buf_puts(b, " See <a href=\"../methodology.html#the-risk-model\">the risk model</a>.");
	} else {
		buf_puts(b, "not read");
	}
	buf_puts(b, "</dd>\n<dt>Seeds</dt><dd>");
	cl_ref *v;
	int n = cl_sources(whole, &v), k = 0;
	for (int i = 0; i < n; i++) {
		if (!source_tables[v[i].t].seed)
			continue;
		if (k && (i == 0 || v[i - 1].t != v[i].t))
			buf_puts(b, "; ");
		if (!k || v[i - 1].t != v[i].t) {
			buf_printf(b, "<a href=\"../sources/%s.html\"><code>", source_tables[v[i].t].name);
			put(b, source_tables[v[i].t].file);
			buf_puts(b, "</code></a> (");
		} else {
			buf_puts(b, ", ");
		}
		buf_printf(b, "<code>%s</code>", cl_col_name(v[i]));
		if (i + 1 == n || v[i + 1].t != v[i].t)
			buf_puts(b, ")");
		k++;
	}
	if (!k)
		buf_puts(b, "none");
	free(v);
	buf_puts(b, "</dd>\n</dl>\n");
}

static void model_page(const modeldoc_ctx *m, int idx, buf *b)
{
	const model_def *d = model_at(idx);
	const tpl_source *s = tpl_catalog_find(m->cat, d->name);
	char f[FMT_MAX];
	buf_puts(b, "<h1 id=\"top\"><code>");
	put(b, d->name);
	buf_puts(b, "</code></h1>\n<p class=\"lead\">");
	put(b, d->description);
	buf_puts(b, "</p>\n<dl class=\"facts\">\n<dt>Layer</dt><dd>");
	put(b, layer_name(d->layer));
	buf_puts(b, "</dd>\n<dt>Rows in this run</dt><dd>");
	size_t nrows;
	buf_puts(b, modeldoc_rows(s, &nrows) ? fmt_int(f, (int64_t)nrows) : "not built");
	buf_printf(b, "</dd>\n<dt>Columns</dt><dd>%d</dd>\n<dt>Data tests</dt><dd>", d->ncols);
	put_test_summary(b, m->rep, d->name);
	buf_puts(b, "</dd>\n<dt>Grain</dt><dd>");
	buf_puts(b, s && s->patient_level ? "one row per patient, pathway or event: shown to the board audience only "
					    "in aggregate"
					  : "aggregate rows");
	buf_puts(b, "</dd>\n<dt>Upstream</dt><dd>");
	int first = 1;
	for (const char *const *u = d->upstream; u && *u; u++) {
		buf_puts(b, first ? "" : ", ");
		put_node_link(b, *u);
		first = 0;
	}
	if (first)
		buf_puts(b, "none");
	buf_puts(b, "</dd>\n<dt>Downstream</dt><dd>");
	first = 1;
	for (int j = 0; j < model_total(); j++)
		for (const char *const *u = model_at(j)->upstream; u && *u; u++)
			if (!strcmp(*u, d->name)) {
				buf_puts(b, first ? "" : ", ");
				put_node_link(b, model_at(j)->name);
				first = 0;
				break;
			}
	if (first)
		buf_puts(b, "none");
	buf_puts(b, "</dd>\n</dl>\n");
	logic_section(b, m, idx);
	buf_puts(b, "<h2 id=\"lineage\">Lineage</h2>\n");
	diagram(b, lineage_diagram_ex(d->name, "../", m->ex, m->nex), "lineage", "Where this model's data comes from and what is built from it, up to the pages and packs that show it.");
	buf_puts(b, "<h2 id=\"columns\">Columns</h2>\n");
	buf cap = {0};
	buf_printf(&cap, "Columns of %s", d->name);
	ht_open(b, "columns-caption", "data sortable", cap.s);
	buf_free(&cap);
	ht_head(b);
	ht_col(b, "Column", NULL);
	ht_col(b, "Type", NULL);
	ht_col(b, "Description", NULL);
	ht_col(b, "Tests and results", NULL);
	ht_col(b, "Derived from", NULL);
	ht_col(b, "Source columns", NULL);
	ht_body(b);
	for (int c = 0; c < d->ncols; c++) {
		const model_col *mc = &d->cols[c];
		buf_printf(b, "<tr id=\"col-%s\"><th scope=\"row\"><code>%s</code></th><td>%s</td><td>", mc->name, mc->name,
			   type_name(mc->type));
		put(b, mc->description);
		if (sdc_role_identifier(mc->role))
			buf_puts(b, " <span class=\"tag\">Identifier: never shown to the board audience</span>");
		buf_puts(b, "</td><td>");
		put_col_tests(b, m, idx, c);
		buf_puts(b, "</td><td>");
		put_lineage(b, mc->from);
		buf_puts(b, "</td><td>");
		put_source_cols(b, idx, c);
		buf_puts(b, "</td></tr>\n");
	}
	ht_close(b);
	int ntests, listed = 0;
	const model_test *tests = model_tests(idx, &ntests);
	for (int k = 0; k < ntests; k++) {
		if (tests[k].column >= 0)
			continue;
		buf_puts(b, listed++ ? "" : "<h2 id=\"model-tests\">Model tests</h2>\n<ul>\n");
		buf_puts(b, "<li><code>");
		put(b, tests[k].text);
		buf_puts(b, "</code></li>\n");
	}
	if (listed)
		buf_puts(b, "</ul>\n");
	buf_puts(b, "<h2 id=\"results\">Test results</h2>\n");
	results_table(b, m, d->name);
	modeldoc_failing_section(b, m, idx, s);
	modeldoc_sample_section(b, m, s);
}

static void index_page(const modeldoc_ctx *m, buf *b)
{
	char f[FMT_MAX];
	buf_puts(b, "<h1 id=\"top\">Data models</h1>\n<p class=\"lead\">Every figure on this site comes from these "
		    "models. They are computed in layers, as in dbt: <strong>staging</strong> models clean one input "
		    "file each, <strong>intermediate</strong> models join and summarise them, and <strong>marts</strong> "
		    "hold the figures the pages show. Each page below lists a model's columns, where each column comes "
		    "from, and the data tests it passed in this run.</p>\n");
	buf_puts(b, "<h2 id=\"lineage\">Lineage</h2>\n");
	diagram(b, lineage_diagram_ex(NULL, "../", m->ex, m->nex), "lineage", "Input files (left) to marts, then the site pages and PDF packs that read them (right). Select a box to open its page.");
	buf_puts(b, "<h2 id=\"er\">Data model</h2>\n");
	diagram(b, data_model_diagram("../"), "er-diagram", "Sources and seeds, staging models and marts with their key "
		"columns; lines join each foreign key to the key it refers to, from the data contract and the ref() data "
		"tests. The same diagram is in docs/data_model.svg.");
	buf_puts(b, "<p>Every data test of this run, with its result, is on the <a href=\"../tests.html\">data tests "
		    "page</a>.</p>\n");
	static const char *const heads[] = {"Staging models", "Intermediate models", "Marts"};
	for (int l = LAYER_STAGING; l <= LAYER_MART; l++) {
		buf_printf(b, "<h2 id=\"layer-%s\">%s</h2>\n", layer_name((layer)l), heads[l - 1]);
		char cap_id[32];
		snprintf(cap_id, sizeof cap_id, "cap-%s", layer_name((layer)l));
		ht_open(b, cap_id, "data sortable", heads[l - 1]);
		ht_head(b);
		ht_col(b, "Model", NULL);
		ht_col(b, "Description", NULL);
		ht_col(b, "Rows", "num");
		ht_col(b, "Data tests", NULL);
		ht_body(b);
		for (int i = 0; i < model_total(); i++) {
			const model_def *d = model_at(i);
			if ((int)d->layer != l)
				continue;
			const tpl_source *s = tpl_catalog_find(m->cat, d->name);
			buf_printf(b, "<tr><th scope=\"row\"><a href=\"%s.html\"><code>%s</code></a></th><td>", d->name, d->name);
			put(b, d->description);
			size_t nrows;
			if (modeldoc_rows(s, &nrows))
				buf_printf(b, "</td><td class=\"num\" data-sort=\"%zu\">%s</td><td>", nrows,
					   fmt_int(f, (int64_t)nrows));
			else
				buf_puts(b, "</td><td class=\"num\" data-sort=\"\">not built</td><td>");
			put_test_summary(b, m->rep, d->name);
			buf_puts(b, "</td></tr>\n");
		}
		ht_close(b);
	}
	buf_puts(b, "<p><a href=\"../sources/index.html\">Input files and seeds</a> are documented separately.</p>\n");
}

static void source_page(const modeldoc_ctx *m, int i, buf *b)
{
	const src_table *d = &source_tables[i];
	const load_stats *st = m->src ? &m->src->st[i] : NULL;
	char f[FMT_MAX];
	buf_puts(b, "<h1 id=\"top\"><code>");
	put(b, d->name);
	buf_puts(b, "</code></h1>\n<p class=\"lead\">");
	put(b, d->description);
	buf_puts(b, "</p>\n<dl class=\"facts\">\n<dt>File</dt><dd><code>");
	put(b, d->file);
	buf_printf(b, "</code> (%s)</dd>\n", d->seed ? "reference seed shipped with MediMart"
						     : d->required_file ? "required" : "optional");
	buf_printf(b, "<dt>In this run</dt><dd>%s</dd>\n", st && st->present ? "present" : "not supplied");
	if (st && st->present) {
		buf_printf(b, "<dt>Rows loaded</dt><dd>%s</dd>\n", fmt_int(f, (int64_t)st->rows));
		buf_printf(b, "<dt>Rows rejected</dt><dd>%s</dd>\n", fmt_int(f, (int64_t)st->nrejects));
	}
	buf_puts(b, "</dl>\n<h2 id=\"lineage\">Used by</h2>\n");
	diagram(b, lineage_diagram_ex(d->name, "../", m->ex, m->nex), "lineage", "Models built from this file, and the pages and packs that show them.");
	buf_puts(b, "<h2 id=\"columns\">Columns read</h2>\n");
	buf cap = {0};
	buf_printf(&cap, "Columns MediMart reads from %s", d->file);
	ht_open(b, "columns-caption", "data", cap.s);
	buf_free(&cap);
	ht_head(b);
	ht_col(b, "Column", NULL);
	ht_col(b, "Type", NULL);
	ht_col(b, "Header required", NULL);
	ht_col(b, "Value required", NULL);
	ht_col(b, "Accepted values", NULL);
	ht_body(b);
	for (int c = 0; c < d->ncols; c++) {
		const src_col *sc = &d->cols[c];
		buf_printf(b, "<tr id=\"col-%s\"><th scope=\"row\"><code>%s</code></th><td>%s</td><td>%s</td><td>%s</td><td>",
			   sc->name, sc->name, type_name(sc->type), sc->flags & COL_OPTIONAL ? "no" : "yes",
			   sc->flags & COL_NOTNULL ? "yes" : "no");
		for (const char *const *e = sc->enums; e && *e; e++) {
			buf_puts(b, e == sc->enums ? "<code>" : ", <code>");
			put(b, *e);
			buf_puts(b, "</code>");
		}
		if (sc->flags & COL_RANGE)
			buf_printf(b, "%lld to %lld", (long long)sc->lo, (long long)sc->hi);
		buf_puts(b, "</td></tr>\n");
	}
	ht_close(b);
	buf_puts(b, "<h2 id=\"results\">Source checks</h2>\n");
	results_table(b, m, d->name);
}

static void sources_index(const modeldoc_ctx *m, buf *b)
{
	char f[FMT_MAX];
	buf_puts(b, "<h1 id=\"top\">Input files</h1>\n<p class=\"lead\">The CSV files MediMart reads: the Synthea "
		    "export, the waiting-list extension tables and the reference seeds. See the data contract for the "
		    "exact columns.</p>\n");
	ht_open(b, "sources-caption", "data sortable", "Input files of this run");
	ht_head(b);
	ht_col(b, "Table", NULL);
	ht_col(b, "Description", NULL);
	ht_col(b, "Supplied", NULL);
	ht_col(b, "Rows", "num");
	ht_col(b, "Rejected", "num");
	ht_body(b);
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		const load_stats *st = m->src ? &m->src->st[i] : NULL;
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"%s.html\"><code>%s</code></a></th><td>", d->name, d->name);
		put(b, d->description);
		buf_printf(b, "</td><td>%s</td>", st && st->present ? "yes" : "no");
		buf_printf(b, "<td class=\"num\">%s</td>", fmt_int(f, st ? (int64_t)st->rows : 0));
		buf_printf(b, "<td class=\"num\">%s</td></tr>\n", fmt_int(f, st ? (int64_t)st->nrejects : 0));
	}
	ht_close(b);
}

void modeldoc_pages(const modeldoc_ctx *m, modeldoc_emit_fn emit, void *site)
{
	buf b = {0};
	html_nav crumbs[3] = {{"Home", "index.html"}, {"Data models", "models/index.html"}, {NULL, NULL}};
	buf_puts(&b, "");
	index_page(m, &b);
	emit(site, "models/index.html", "Data models", crumbs, 2, &b);
	for (int i = 0; i < model_total(); i++) {
		b.n = 0;
		b.s[0] = '\0';
		model_page(m, i, &b);
		char path[160];
		snprintf(path, sizeof path, "models/%s.html", model_at(i)->name);
		crumbs[2] = (html_nav){model_at(i)->name, path};
		emit(site, path, model_at(i)->name, crumbs, 3, &b);
	}
	html_nav sc[3] = {{"Home", "index.html"}, {"Input files", "sources/index.html"}, {NULL, NULL}};
	b.n = 0;
	b.s[0] = '\0';
	sources_index(m, &b);
	emit(site, "sources/index.html", "Input files", sc, 2, &b);
	for (int i = 0; i < SRC_COUNT; i++) {
		b.n = 0;
		b.s[0] = '\0';
		source_page(m, i, &b);
		char path[160];
		snprintf(path, sizeof path, "sources/%s.html", source_tables[i].name);
		sc[2] = (html_nav){source_tables[i].name, path};
		emit(site, path, source_tables[i].name, sc, 3, &b);
	}
	buf_free(&b);
}
