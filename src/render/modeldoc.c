#include "render/modeldoc.h"
#include "load/schema.h"
#include "models/registry.h"
#include "render/chart.h"
#include "render/disclosure.h"
#include "render/format.h"
#include "render/runtables.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(buf *b, const char *s)
{
	buf_put_html(b, s ? s : "");
}

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
	int any = 0;
	char f[FMT_MAX];
	for (size_t i = 0; m->rep && i < m->rep->n; i++) {
		const test_result *r = &m->rep->v[i];
		if (strcmp(r->model, model))
			continue;
		if (!any)
			buf_puts(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"results-caption\" tabindex=\"0\">\n"
				    "<table class=\"data sortable\">\n<caption id=\"results-caption\">Data-test results of this "
				    "run</caption>\n<thead><tr><th scope=\"col\">Test</th><th scope=\"col\">Severity</th>"
				    "<th scope=\"col\">Result</th><th scope=\"col\" class=\"num\">Failing rows</th>"
				    "<th scope=\"col\">Message</th></tr></thead>\n<tbody>\n");
		any = 1;
		char *msg = m->cat->clinical ? xstrdup(r->message ? r->message : "") : run_redact(r->message);
		buf_puts(b, "<tr><th scope=\"row\"><code>");
		put(b, r->name);
		buf_printf(b, "</code></th><td>%s</td><td><span class=\"status status-%s\">%s</span></td>",
			   r->severity == SEV_ERROR ? "error" : "warning", st[r->status] + 0, st[r->status]);
		buf_printf(b, "<td class=\"num\" data-sort=\"%zu\">%s</td><td>", r->failures, fmt_int(f, (int64_t)r->failures));
		put(b, msg);
		buf_puts(b, "</td></tr>\n");
		free(msg);
	}
	if (any)
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
	else
		buf_puts(b, "<p class=\"empty\">No data tests were run on this model in this build.</p>\n");
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
	buf_puts(b, s && s->t ? fmt_int(f, (int64_t)s->t->nrows) : "not built");
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
	buf_puts(b, "</dd>\n</dl>\n<h2 id=\"lineage\">Lineage</h2>\n");
	diagram(b, lineage_diagram(d->name, "../"), "lineage", "Where this model's data comes from and what is built from it.");
	buf_puts(b, "<h2 id=\"columns\">Columns</h2>\n<div class=\"table-wrap\" role=\"region\" "
		    "aria-labelledby=\"columns-caption\" tabindex=\"0\">\n<table class=\"data sortable\">\n"
		    "<caption id=\"columns-caption\">Columns of ");
	put(b, d->name);
	buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Column</th><th scope=\"col\">Type</th><th scope=\"col\">"
		    "Description</th><th scope=\"col\">Tests</th><th scope=\"col\">Derived from</th></tr></thead>\n"
		    "<tbody>\n");
	for (int c = 0; c < d->ncols; c++) {
		const model_col *mc = &d->cols[c];
		buf_printf(b, "<tr id=\"col-%s\"><th scope=\"row\"><code>%s</code></th><td>%s</td><td>", mc->name, mc->name,
			   type_name(mc->type));
		put(b, mc->description);
		if (sdc_identifier(mc->name))
			buf_puts(b, " <span class=\"tag\">Identifier: never shown to the board audience</span>");
		buf_puts(b, "</td><td>");
		if (mc->tests && *mc->tests) {
			buf_puts(b, "<code>");
			put(b, mc->tests);
			buf_puts(b, "</code>");
		}
		buf_puts(b, "</td><td>");
		put_lineage(b, mc->from);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
	if (d->tests && d->tests[0]) {
		buf_puts(b, "<h2 id=\"model-tests\">Model tests</h2>\n<ul>\n");
		for (const char *const *t = d->tests; *t; t++) {
			buf_puts(b, "<li><code>");
			put(b, *t);
			buf_puts(b, "</code></li>\n");
		}
		buf_puts(b, "</ul>\n");
	}
	buf_puts(b, "<h2 id=\"results\">Test results</h2>\n");
	results_table(b, m, d->name);
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
	diagram(b, lineage_diagram(NULL, "../"), "lineage", "Input files (left) to marts (right). Select a box to open its page.");
	buf_puts(b, "<h2 id=\"er\">Input data model</h2>\n");
	diagram(b, er_diagram("../"), "er-diagram", "Input tables with their keys; lines join foreign keys to the keys they refer to.");
	static const char *const heads[] = {"Staging models", "Intermediate models", "Marts"};
	for (int l = LAYER_STAGING; l <= LAYER_MART; l++) {
		buf_printf(b, "<h2 id=\"layer-%s\">%s</h2>\n", layer_name((layer)l), heads[l - 1]);
		buf_printf(b, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"cap-%s\" tabindex=\"0\">\n"
			      "<table class=\"data sortable\">\n<caption id=\"cap-%s\">%s</caption>\n<thead><tr>"
			      "<th scope=\"col\">Model</th><th scope=\"col\">Description</th><th scope=\"col\" class=\"num\">"
			      "Rows</th><th scope=\"col\">Data tests</th></tr></thead>\n<tbody>\n",
			   layer_name((layer)l), layer_name((layer)l), heads[l - 1]);
		for (int i = 0; i < model_total(); i++) {
			const model_def *d = model_at(i);
			if ((int)d->layer != l)
				continue;
			const tpl_source *s = tpl_catalog_find(m->cat, d->name);
			buf_printf(b, "<tr><th scope=\"row\"><a href=\"%s.html\"><code>%s</code></a></th><td>", d->name, d->name);
			put(b, d->description);
			if (s && s->t)
				buf_printf(b, "</td><td class=\"num\" data-sort=\"%zu\">%s</td><td>", s->t->nrows,
					   fmt_int(f, (int64_t)s->t->nrows));
			else
				buf_puts(b, "</td><td class=\"num\" data-sort=\"\">not built</td><td>");
			put_test_summary(b, m->rep, d->name);
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
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
	diagram(b, lineage_diagram(d->name, "../"), "lineage", "Models built from this file.");
	buf_puts(b, "<h2 id=\"columns\">Columns read</h2>\n<div class=\"table-wrap\" role=\"region\" "
		    "aria-labelledby=\"columns-caption\" tabindex=\"0\">\n<table class=\"data\">\n<caption "
		    "id=\"columns-caption\">Columns MediMart reads from ");
	put(b, d->file);
	buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Column</th><th scope=\"col\">Type</th><th scope=\"col\">"
		    "Header required</th><th scope=\"col\">Value required</th><th scope=\"col\">Accepted values</th>"
		    "</tr></thead>\n<tbody>\n");
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
	buf_puts(b, "</tbody>\n</table>\n</div>\n<h2 id=\"results\">Source checks</h2>\n");
	results_table(b, m, d->name);
}

static void sources_index(const modeldoc_ctx *m, buf *b)
{
	char f[FMT_MAX];
	buf_puts(b, "<h1 id=\"top\">Input files</h1>\n<p class=\"lead\">The CSV files MediMart reads: the Synthea "
		    "export, the waiting-list extension tables and the reference seeds. See the data contract for the "
		    "exact columns.</p>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"sources-caption\" "
		    "tabindex=\"0\">\n<table class=\"data sortable\">\n<caption id=\"sources-caption\">Input files of this "
		    "run</caption>\n<thead><tr><th scope=\"col\">Table</th><th scope=\"col\">Description</th><th "
		    "scope=\"col\">Supplied</th><th scope=\"col\" class=\"num\">Rows</th><th scope=\"col\" class=\"num\">"
		    "Rejected</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		const load_stats *st = m->src ? &m->src->st[i] : NULL;
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"%s.html\"><code>%s</code></a></th><td>", d->name, d->name);
		put(b, d->description);
		buf_printf(b, "</td><td>%s</td>", st && st->present ? "yes" : "no");
		buf_printf(b, "<td class=\"num\">%s</td>", fmt_int(f, st ? (int64_t)st->rows : 0));
		buf_printf(b, "<td class=\"num\">%s</td></tr>\n", fmt_int(f, st ? (int64_t)st->nrejects : 0));
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
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
