/* Site assembly: find the templates, validate them all, plan the pages
 * (one per template, one per entity for [param] templates, folder
 * indexes, model docs, the data-tests page), render every page into
 * memory, then the search index over them, then write the files. A template error stops the build before anything is written.
 * The downloads, assets and the write are in site_files.c, the packs in
 * site_packs.c. */
#include "site/site_impl.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "run/target.h"
#include "registry/disclosure.h"
#include "query/entity.h"
#include "core/format.h"
#include "out/html/html.h"
#include "site/modeldoc.h"
#include "out/pdf/pack.h"
#include "query/query.h"
#include "query/runtables.h"
#include "site/search.h"
#include "site/testspage.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/hmap.h"
#include "util/sha256.h"
#include "util/version.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Output files, kept in memory until everything rendered ---- */

buf *site_out_add(outset *o, const char *path)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->v = xrealloc(o->v, (size_t)o->cap * sizeof *o->v);
	}
	outfile *f = &o->v[o->n++];
	f->path = xstrdup(path);
	memset(&f->b, 0, sizeof f->b);
	buf_puts(&f->b, "");
	return &f->b;
}

static void outset_free(outset *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->v[i].path);
		buf_free(&o->v[i].b);
	}
	free(o->v);
}

char *site_strf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- Templates on disk ---- */

static int cmp_tfile(const void *a, const void *b)
{
	return strcmp(((const tfile *)a)->rel, ((const tfile *)b)->rel);
}

static int wanted(const char *name, int dir)
{
	if (name[0] == '.' || name[0] == '_')
		return 0;
	if (dir) /* assets are copied; packs/ holds the PDF pack templates */
		return strcmp(name, "assets") != 0 && strcmp(name, "packs") != 0;
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".md") && strcmp(name, "README.md");
}

/* *.md in root and in its sub-folders (one level). */
static void scan(const char *root, const char *sub, tfile **v, int *n)
{
	char *dir = sub ? site_strf("%s/%s", root, sub) : xstrdup(root);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char *p = site_strf("%s/%s", dir, e->d_name);
		struct stat sb;
		if (!path_within(root, p)) {
			if (e->d_name[0] != '.')
				diag(DIAG_WARNING, p, 0, 0, "a link out of the templates folder: not used");
		} else if (stat(p, &sb) == 0) {
			if (S_ISDIR(sb.st_mode) && !sub && wanted(e->d_name, 1))
				scan(root, e->d_name, v, n);
			else if (S_ISREG(sb.st_mode) && wanted(e->d_name, 0)) {
				*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
				memset(&(*v)[*n], 0, sizeof **v);
				(*v)[(*n)++].rel = sub ? site_strf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
			}
		}
		free(p);
	}
	closedir(d);
	free(dir);
}

/* ---- Entities ---- */

/* Distinct keys of a [param] template's entity table. */
static void file_entities(tfile *f)
{
	f->nkeys = entity_keys(f->ent, f->t->param, &f->keys, &f->rows);
}

/* ---- Page plan ---- */

static const struct { const char *dir, *label; } dir_labels[] = {
	{"trust", "Trusts"}, {"ics", "Integrated care systems"}, {"specialty", "Specialties"},
	{"clinical", "Clinical worklists"}, {"models", "Data models"}, {"sources", "Source tables"},
};

static char *dir_label(const char *dir)
{
	for (size_t i = 0; i < sizeof dir_labels / sizeof dir_labels[0]; i++)
		if (!strcmp(dir, dir_labels[i].dir))
			return xstrdup(dir_labels[i].label);
	return tpl_humanise(dir);
}

/* Short labels: the thirteen items of the clinical site fit one row of a
 * 1280 px window (site.css). An item shows only when its page is planned,
 * which is how the worklists stay off the board's site. */
static const struct { const char *href, *label; } nav_items[] = {
	{"index.html", "Home"},
	{"overdue.html", "Overdue"},
	{"risk.html", "Risk backlog"},
	{"capacity.html", "Capacity"},
	{"questions.html", "Questions"},
	{"trust/index.html", "Trusts"},
	{"ics/index.html", "ICSs"},
	{"specialty/index.html", "Specialties"},
	{"clinical/index.html", "Worklists"},
	{"data-quality.html", "Data quality"},
	{"models/index.html", "Models"},
	{"methodology.html", "Methodology"},
	{"downloads.html", "Downloads"},
};
_Static_assert(sizeof nav_items / sizeof nav_items[0] == SITE_NAV_ITEMS, "site_impl.h sizes the navigation");

static void plan(site *s, const char *path)
{
	s->planned = xrealloc(s->planned, (size_t)(s->nplanned + 1) * sizeof *s->planned);
	s->planned[s->nplanned++] = xstrdup(path);
}

static int planned(const site *s, const char *path)
{
	for (int i = 0; i < s->nplanned; i++)
		if (!strcmp(s->planned[i], path))
			return 1;
	return 0;
}

/* "overdue.md" -> "overdue.html" */
static char *html_name(const char *rel)
{
	return site_strf("%.*s.html", (int)(strlen(rel) - 3), rel);
}

static const char *root_of(const char *path)
{
	return strchr(path, '/') ? "../" : "";
}

/* ---- Rendering pages ---- */

/* Pages the search lists by title: not the entity pages (their titles
 * come from the data) nor the model and source pages (listed as models
 * and sources, with their columns). */
static int searchable(const site *s, const char *path)
{
	if (s->entity_page)
		return 0;
	if (!strncmp(path, "models/", 7) || !strncmp(path, "sources/", 8))
		return !strcmp(strchr(path, '/'), "/index.html");
	return 1;
}

static void emit(void *sv, const char *path, const char *title, const html_nav *crumbs, int ncrumbs, const buf *main)
{
	site *s = sv;
	if (searchable(s, path)) {
		s->found = xrealloc(s->found, (size_t)(s->nfound + 1) * sizeof *s->found);
		s->found[s->nfound++] = (search_page){xstrdup(title), xstrdup(path)};
	}
	html_page p = {title, root_of(path), path, crumbs, ncrumbs, main->s ? main->s : ""};
	html_layout(site_out_add(&s->out, path), &s->info, &p);
}

static void init_ctx(site *s, html_ctx *h, const template *t, const tpl_entity *e, const char *path)
{
	memset(h, 0, sizeof *h);
	h->cat = s->cat;
	h->tpl = t;
	h->ent = e;
	h->cache = s->cache;
	h->root = root_of(path);
	h->dirs = s->dirs;
	h->ndirs = s->ndirs;
	h->downloads = s->dl;
	h->ndownloads = s->ndl;
	h->packs = s->packs;
	h->npacks = s->npacks;
}

/* Crumbs for a page at path titled title: Home > folder > page. */
static int crumbs_for(const char *path, const char *title, html_nav *c, char **owned)
{
	int n = 0;
	*owned = NULL;
	c[n++] = (html_nav){"Home", "index.html"};
	if (!strcmp(path, "index.html"))
		return 1;
	const char *slash = strchr(path, '/');
	if (slash && strcmp(slash + 1, "index.html")) {
		char *dir = xstrndup(path, (size_t)(slash - path));
		*owned = dir_label(dir);
		c[n].label = *owned;
		c[n++].href = NULL; /* filled by the caller */
		free(dir);
	}
	c[n++] = (html_nav){title, path};
	return n;
}

static int render_template_page(site *s, const tfile *f, const tpl_entity *e, const char *path)
{
	html_ctx h;
	init_ctx(s, &h, f->t, e, path);
	buf body = {0};
	int rc = html_render_body(&h, &body);
	char *title = h.title ? xstrdup(h.title) : tpl_humanise(path);
	html_nav crumbs[3];
	char *owned;
	int n = crumbs_for(path, title, crumbs, &owned);
	char *dir_index = NULL;
	if (n == 3) {
		dir_index = site_strf("%.*s/index.html", (int)(strchr(path, '/') - path), path);
		crumbs[1].href = dir_index;
		if (!planned(s, dir_index))
			crumbs[1] = crumbs[2], n = 2;
	}
	emit(s, path, title, crumbs, n, &body);
	free(dir_index);
	free(owned);
	free(title);
	buf_free(&body);
	html_ctx_reset(&h);
	return rc;
}

/* A folder without index.md gets a list of its entity pages. */
static void render_dir_index(site *s, const tfile *f, const char *dir)
{
	char *path = site_strf("%s/index.html", dir), *title = dir_label(dir);
	buf body = {0};
	buf_printf(&body, "<h1 id=\"top\">");
	buf_put_html(&body, title);
	buf_puts(&body, "</h1>\n<ul class=\"entity-list\">\n");
	const mm_table *t = f->ent->t;
	int lc = tbl_col(t, entity_label_col(f->ent, f->t->param));
	for (size_t i = 0; i < f->nkeys; i++) {
		char *file = html_page_file(f->keys[i]);
		buf_printf(&body, "<li><a href=\"%s.html\">", file);
		buf_put_html(&body, tbl_str(t, lc, f->rows[i]));
		buf_puts(&body, "</a>");
		if (strcmp(tbl_str(t, lc, f->rows[i]), f->keys[i])) {
			buf_puts(&body, " <span class=\"code\">");
			buf_put_html(&body, f->keys[i]);
			buf_puts(&body, "</span>");
		}
		buf_puts(&body, "</li>\n");
		free(file);
	}
	buf_puts(&body, "</ul>\n");
	html_nav crumbs[2] = {{"Home", "index.html"}, {title, path}};
	emit(s, path, title, crumbs, 2, &body);
	buf_free(&body);
	free(path);
	free(title);
}

static int included(const site *s, const tfile *f)
{
	return !f->t->clinical || s->cat->clinical;
}

static int render_pages(site *s)
{
	int rc = 0;
	for (int i = 0; i < s->nfiles; i++) {
		tfile *f = &s->files[i];
		if (!included(s, f))
			continue;
		if (!f->t->param) {
			char *path = html_name(f->rel);
			rc |= render_template_page(s, f, NULL, path);
			free(path);
			continue;
		}
		char *dir = xstrndup(f->rel, (size_t)(strrchr(f->rel, '/') ? strrchr(f->rel, '/') - f->rel : 0));
		for (size_t k = 0; k < f->nkeys; k++) {
			tpl_entity e = {f->t->param, f->keys[k], f->ent, f->rows[k]};
			char *file = html_page_file(f->keys[k]);
			char *path = *dir ? site_strf("%s/%s.html", dir, file) : site_strf("%s.html", file);
			s->entity_page = 1;
			rc |= render_template_page(s, f, &e, path);
			s->entity_page = 0;
			free(path);
			free(file);
		}
		char *index = site_strf("%s/index.html", dir);
		int has_index = 0;
		for (int j = 0; j < s->nfiles; j++) {
			char *h = html_name(s->files[j].rel);
			has_index |= !strcmp(h, index) && included(s, &s->files[j]);
			free(h);
		}
		if (*dir && !has_index)
			render_dir_index(s, f, dir);
		free(index);
		free(dir);
	}
	return rc ? EXIT_INPUT : 0;
}

/* ---- Writing ---- */

/* tests.html, from the test report. */
static void render_tests_page(site *s)
{
	buf body = {0};
	testspage_opts t = {s->o->rep, s->cat->clinical, s->o->model_docs};
	testspage_body(&body, &t);
	/* A page of the data-quality section, which links to it; the main
	 * navigation has no room for another item. */
	html_nav crumbs[3] = {{"Home", "index.html"}, {"Data quality", "data-quality.html"}, {"Data tests", "tests.html"}};
	int n = 3;
	if (!planned(s, "data-quality.html"))
		crumbs[1] = crumbs[2], n = 2;
	emit(s, "tests.html", "Data tests", crumbs, n, &body);
	buf_free(&body);
}

static void make_search_index(site *s)
{
	search_index_js(site_out_add(&s->out, "assets/search-index.js"), s->found, s->nfound, s->o->model_docs);
}

/* ---- Lineage exposures ---- */

/* The pages this build renders and the packs it writes, with the models
 * each reads, for the lineage diagrams. Caller frees with
 * lineage_exposures_free. */
static int site_exposures(site *s, lineage_exposure **out)
{
	template **packs = NULL;
	int np = s->o->packs && !s->cat->clinical ? packs_templates(s->o->templates_dir, &packs) : 0;
	const template **tv = xmalloc((size_t)(s->nfiles + np + 1) * sizeof *tv);
	int nt = 0;
	for (int i = 0; i < s->nfiles; i++)
		if (s->files[i].t && included(s, &s->files[i]))
			tv[nt++] = s->files[i].t;
	for (int i = 0; i < np; i++)
		tv[nt++] = packs[i];
	int n = lineage_exposures_from_templates((const struct template *const *)tv, nt, out);
	free(tv);
	for (int i = 0; i < np; i++)
		tpl_free(packs[i]);
	free(packs);
	return n;
}

/* ---- Entry points ---- */

static void site_free(site *s)
{
	for (int i = 0; i < s->nfiles; i++) {
		free(s->files[i].rel);
		tpl_free(s->files[i].t);
		free(s->files[i].keys);
		free(s->files[i].rows);
	}
	free(s->files);
	for (int i = 0; i < s->ndirs; i++)
		free(s->dirs[i].values);
	free(s->dirs);
	for (int i = 0; i < s->ndl; i++)
		free((char *)s->dl[i].file);
	free(s->dl);
	for (int i = 0; i < s->nplanned; i++)
		free(s->planned[i]);
	free(s->planned);
	outset_free(&s->out);
	qcache_free(s->cache);
	for (int i = 0; i < s->npacks; i++)
		free(s->packs[i].title);
	free(s->packs);
	for (int i = 0; i < s->nfound; i++) {
		free((char *)s->found[i].title);
		free((char *)s->found[i].href);
	}
	free(s->found);
}

static int load_templates(site *s)
{
	scan(s->o->templates_dir, NULL, &s->files, &s->nfiles);
	if (s->nfiles == 0) {
		diag(DIAG_ERROR, s->o->templates_dir, 0, 0, "no templates (*.md) found");
		return EXIT_INPUT;
	}
	qsort(s->files, (size_t)s->nfiles, sizeof *s->files, cmp_tfile);
	int errors = 0;
	for (int i = 0; i < s->nfiles; i++) {
		tfile *f = &s->files[i];
		char *path = site_strf("%s/%s", s->o->templates_dir, f->rel);
		f->t = tpl_load(path, f->rel);
		free(path);
		if (!f->t) {
			errors++;
			continue;
		}
		if (f->t->param)
			f->ent = entity_source(s->cat, f->t->param);
		errors += tpl_validate(f->t, s->cat, f->ent);
		if (f->ent)
			file_entities(f);
	}
	return errors ? EXIT_INPUT : 0;
}

static void add_dir(site *s, const char *param, const char *label, const char *dir, const char **values, size_t n,
		    int explicit_only)
{
	s->dirs = xrealloc(s->dirs, (size_t)(s->ndirs + 1) * sizeof *s->dirs);
	s->dirs[s->ndirs++] = (html_link_dir){param, label, dir, values, n, explicit_only};
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void plan_pages(site *s)
{
	for (int i = 0; i < s->nfiles; i++) {
		tfile *f = &s->files[i];
		if (!included(s, f))
			continue;
		if (!f->t->param) {
			char *p = html_name(f->rel);
			plan(s, p);
			free(p);
			continue;
		}
		const char *slash = strrchr(f->rel, '/');
		char *dir = xstrndup(f->rel, slash ? (size_t)(slash - f->rel) : 0);
		if (*dir) {
			char *p = site_strf("%s/index.html", dir);
			plan(s, p);
			free(p);
		}
		/* Cells of the key or its name column link to these pages; the
		 * clinical worklists only from tables that ask (link=clinical). */
		if (f->ent) {
			const char **vals = xmalloc((f->nkeys ? f->nkeys : 1) * sizeof *vals);
			for (size_t k = 0; k < f->nkeys; k++)
				vals[k] = f->keys[k];
			add_dir(s, f->t->param, xstrdup(entity_label_col(f->ent, f->t->param)), xstrdup(dir), vals, f->nkeys,
				f->t->clinical);
		}
		free(dir);
	}
	/* A template of the same name takes precedence. */
	if (s->o->rep && !planned(s, "tests.html")) {
		plan(s, "tests.html");
		s->tests_page = 1;
		s->info.tests_page = 1;
	}
	if (s->o->model_docs) {
		plan(s, "models/index.html");
		int n = model_total();
		const char **vals = xmalloc((size_t)(n ? n : 1) * sizeof *vals);
		for (int i = 0; i < n; i++)
			vals[i] = model_at(i)->name;
		qsort(vals, (size_t)n, sizeof *vals, cmp_cstr);
		add_dir(s, "model", xstrdup("model"), xstrdup("models"), vals, (size_t)n, 0);
	}
	int k = 0;
	for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++)
		if (planned(s, nav_items[i].href))
			s->nav[k++] = (html_nav){nav_items[i].label, nav_items[i].href};
	s->info.nav = s->nav;
	s->info.nnav = k;
}

int site_render_catalog(const tpl_catalog *cat, const site_opts *o)
{
	site s = {0};
	s.cat = cat;
	s.o = o;
	s.cache = qcache_new();
	char *warning = NULL;
	int rc = load_templates(&s);
	if (rc)
		goto out;
	plan_pages(&s);
	s.info.product = "MediMart";
	s.info.tagline = "Elective care waiting list";
	fmt_date_long(s.census, cat->census);
	s.info.census = s.census;
	s.info.source = site_source_text(cat->plain_synthea, cat->has_capacity);
	s.info.audience = cat->clinical ? "clinical (patient-level, exact figures; do not publish)"
					: "board (aggregate figures, small numbers suppressed)";
	s.info.version = MM_VERSION;
	s.info.noindex = cat->clinical;
	warning = site_warning_text(o->rep);
	s.info.warning = warning;
	if (o->downloads)
		site_make_downloads(&s);
	if (o->packs && !cat->clinical && (rc = site_make_packs(&s)))
		goto out;
	if ((rc = render_pages(&s)))
		goto out;
	if (o->model_docs) {
		lineage_exposure *ex;
		int nex = site_exposures(&s, &ex);
		modeldoc_ctx m = {cat, o->rep, o->src, ex, nex, o->rules_path};
		modeldoc_pages(&m, emit, &s);
		lineage_exposures_free(ex, nex);
	}
	if (s.tests_page)
		render_tests_page(&s);
	make_search_index(&s);
	if ((rc = site_copy_assets(&s)))
		goto out;
	rc = site_write_all(&s);
	if (!rc && o->made) {
		o->made->packs = s.npacks;
		for (int i = 0; i < s.out.n; i++) {
			size_t n = strlen(s.out.v[i].path);
			o->made->pages += n > 5 && !strcmp(s.out.v[i].path + n - 5, ".html");
		}
	}
out:
	free(warning);
	for (int i = 0; i < s.ndirs; i++) {
		free((char *)s.dirs[i].label);
		free((char *)s.dirs[i].dir);
	}
	site_free(&s);
	return rc;
}

void site_build_catalog(run_ctx *ctx, const test_report *rep, int clinical, tpl_catalog *cat, run_tables *rt)
{
	memset(cat, 0, sizeof *cat);
	cat->clinical = clinical;
	cat->has_capacity = ctx->has_capacity;
	cat->plain_synthea = ctx->plain_synthea;
	cat->census = ctx->census;
	/* The rules the models used, for {{rule:...}} in the templates. */
	cat->rules = ctx->risk || ctx->rules_path ? risk_rules_of(ctx) : NULL;
	/* Provenance for the packs' cover sheets: meta:version, meta:rules_file,
	 * meta:rules_sha256. */
	static char rules_hash[65];
	cat->version = "MediMart " MM_VERSION;
	cat->rules_file = ctx->rules_path ? (strrchr(ctx->rules_path, '/') ? strrchr(ctx->rules_path, '/') + 1
									   : ctx->rules_path)
					  : NULL;
	cat->rules_sha256 = ctx->rules_path && !sha256_file(ctx->rules_path, rules_hash) ? rules_hash : NULL;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		tpl_catalog_add(cat, m->name, m->description, ctx->tables[i], m);
		cat->v[cat->n - 1].released = ctx->released[i];
	}
	tpl_catalog_set_reasons(cat, ctx->src ? ctx_table(ctx, "cancellation_reasons") : NULL);
	run_tables_build(rt, ctx, rep, clinical);
	run_tables_add(rt, cat);
}

int site_render(run_ctx *ctx, const test_report *rep, const char *templates_dir, const char *out_dir, int clinical,
		site_counts *made)
{
	tpl_catalog cat;
	run_tables rt;
	site_build_catalog(ctx, rep, clinical, &cat, &rt);
	site_opts o = {.templates_dir = templates_dir, .out_dir = out_dir, .rep = rep, .src = ctx->src,
		       .model_docs = 1, .downloads = 1, .packs = 1, .rules_path = ctx->rules_path, .made = made};
	int rc = site_render_catalog(&cat, &o);
	run_tables_free(&rt);
	tpl_catalog_free(&cat);
	return rc;
}

