/* Site assembly: find the templates, validate them all, plan the pages
 * (one per template, one per entity for [param] templates, folder
 * indexes, model docs, the data-tests page), render every page into
 * memory, then the search index over them, then write the files. A template error stops the build before anything is written. */
#include "site/site.h"
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

#define MANIFEST ".medimart-files"

/* ---- Output files, kept in memory until everything rendered ---- */

typedef struct outfile {
	char *path; /* from the site root */
	buf b;
} outfile;

typedef struct outset {
	outfile *v;
	int n, cap;
} outset;

static buf *out_add(outset *o, const char *path)
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

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
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

typedef struct tfile {
	char *rel;
	template *t;
	const tpl_source *ent;  /* entity table of a [param] template */
	char **keys;            /* its entities, sorted */
	size_t *rows;           /* first row of each entity */
	size_t nkeys;
} tfile;

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
	char *dir = sub ? strf("%s/%s", root, sub) : xstrdup(root);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char *p = strf("%s/%s", dir, e->d_name);
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
				(*v)[(*n)++].rel = sub ? strf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
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

typedef struct site {
	const tpl_catalog *cat;
	const site_opts *o;
	tfile *files;
	int nfiles;
	html_link_dir *dirs;
	int ndirs;
	html_download *dl;
	int ndl;
	char **planned; /* output paths, for the navigation */
	int nplanned;
	html_nav nav[sizeof nav_items / sizeof nav_items[0]];
	html_site info;
	char census[FMT_MAX];
	outset out;
	struct qcache *cache;
	html_pack *packs;
	int npacks;
	search_page *found; /* pages the search index lists, in emit order */
	int nfound;
	int entity_page;    /* set while an entity page is emitted */
	int tests_page;     /* tests.html is generated from the test report */
} site;

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
	return strf("%.*s.html", (int)(strlen(rel) - 3), rel);
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
	html_layout(out_add(&s->out, path), &s->info, &p);
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
		dir_index = strf("%.*s/index.html", (int)(strchr(path, '/') - path), path);
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
	char *path = strf("%s/index.html", dir), *title = dir_label(dir);
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
			char *path = *dir ? strf("%s/%s.html", dir, file) : strf("%s.html", file);
			s->entity_page = 1;
			rc |= render_template_page(s, f, &e, path);
			s->entity_page = 0;
			free(path);
			free(file);
		}
		char *index = strf("%s/index.html", dir);
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

/* ---- Downloads ---- */

static void csv_cell(buf *b, const res_col *c, const res_cell *v)
{
	char tmp[40];
	if (v->star) {
		buf_putc(b, '*');
		return;
	}
	switch (c->type) {
	case T_STR:
		/* A text cell that a spreadsheet would take for a formula gets a
		 * leading apostrophe (OWASP, CSV injection); numbers are not text
		 * cells, so -5 stays a number. */
		if (v->s && *v->s && strchr("=+-@\t\r", *v->s)) {
			char *t = strf("'%s", v->s);
			esc_csv_buf(b, t);
			free(t);
		} else if (v->s)
			esc_csv_buf(b, v->s);
		return;
	default:
		break;
	}
	if (isnan(v->v))
		return;
	switch (c->type) {
	case T_INT: buf_printf(b, "%lld", (long long)llround(v->v)); break;
	case T_NUM: {
		snprintf(tmp, sizeof tmp, "%.6f", v->v);
		char *e = tmp + strlen(tmp) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
		buf_puts(b, strcmp(tmp, "-0") ? tmp : "0");
		break;
	}
	case T_DATE: date_fmt((int32_t)v->v, tmp); buf_puts(b, tmp); break;
	case T_TS: ts_fmt((int64_t)v->v, tmp); buf_puts(b, tmp); break;
	case T_BOOL: buf_puts(b, v->v != 0 ? "true" : "false"); break;
	default: break;
	}
}

/* The aggregate marts (and, for the clinical audience, the patient-level
 * ones) as CSV, through the same query and disclosure code as the pages. */
static void make_downloads(site *s)
{
	const tpl_catalog *cat = s->cat;
	for (int i = 0; i < cat->n; i++) {
		const tpl_source *src = &cat->v[i];
		if (!src->t || !src->def || src->def->layer != LAYER_MART)
			continue;
		if (src->patient_level && !cat->clinical)
			continue;
		tpl_query q = {0};
		q.model.s = (char *)src->name;
		q.cols = xcalloc((size_t)src->t->ncols, sizeof *q.cols);
		for (int c = 0; c < src->t->ncols; c++)
			if (cat->clinical || !sdc_role_identifier(tpl_source_role(src, src->t->cols[c].name)))
				q.cols[q.ncols++].s = (char *)src->t->cols[c].name;
		qctx x = {cat, NULL, NULL, 0};
		tpl_result r;
		tpl_eval(&x, &q, NULL, &r);
		char *path = strf("downloads/%s.csv", src->name);
		buf *b = out_add(&s->out, path);
		for (int c = 0; c < r.ncols; c++) {
			if (c)
				buf_putc(b, ',');
			esc_csv_buf(b, r.cols[c].name);
		}
		buf_puts(b, "\r\n");
		for (size_t row = 0; row < r.nrows; row++) {
			for (int c = 0; c < r.ncols; c++) {
				if (c)
					buf_putc(b, ',');
				csv_cell(b, &r.cols[c], res_at(&r, row, c));
			}
			buf_puts(b, "\r\n");
		}
		s->dl = xrealloc(s->dl, (size_t)(s->ndl + 1) * sizeof *s->dl);
		s->dl[s->ndl++] = (html_download){path, src->name, src->description, r.nrows, b->n, r.controlled};
		tpl_result_free(&r);
		free(q.cols);
	}
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
	search_index_js(out_add(&s->out, "assets/search-index.js"), s->found, s->nfound, s->o->model_docs);
}

static int copy_assets(site *s)
{
	static const char *const assets[] = {"site.css", "sort.js", "search.js", "worklist.js"};
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		char *from = strf("%s/assets/%s", s->o->templates_dir, assets[i]);
		struct stat st;
		if (!strcmp(assets[i], "worklist.js") && lstat(from, &st) && errno == ENOENT) {
			/* Only tables with filters= load it: a templates folder without them may leave it out. */
			free(from);
			continue;
		}
		FILE *f = path_within(s->o->templates_dir, from) ? fopen(from, "rb") : (errno = EXDEV, NULL);
		if (!f) {
			diag(DIAG_ERROR, from, 0, 0, "cannot read: %s",
			     errno == EXDEV ? "a link out of the templates folder" : strerror(errno));
			free(from);
			return EXIT_INPUT;
		}
		char *to = strf("assets/%s", assets[i]);
		buf *b = out_add(&s->out, to);
		char chunk[8192];
		size_t k;
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_put(b, chunk, k);
		fclose(f);
		free(from);
		free(to);
	}
	return 0;
}

/* Paths listed in the manifest of the previous build: files MediMart
 * wrote there. Anything else in --out (a .gitignore, a CNAME) is kept. */
typedef struct oldlist {
	char **v;
	int n;
} oldlist;

static void oldlist_read(oldlist *l, const char *dir)
{
	char *mpath = strf("%s/%s", dir, MANIFEST);
	FILE *m = fopen(mpath, "r");
	char line[4096];
	while (m && fgets(line, sizeof line, m)) {
		line[strcspn(line, "\r\n")] = '\0';
		l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
		l->v[l->n++] = xstrdup(line);
	}
	if (m)
		fclose(m);
	free(mpath);
}

static void oldlist_free(oldlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int keep_unlisted(const char *rel, void *ud)
{
	const oldlist *l = ud;
	size_t n = strlen(rel);
	if (!strcmp(rel, MANIFEST) || (n > 4 && !strcmp(rel + n - 4, ".tmp")) || strstr(rel, ".medimart-new"))
		return 0; /* and not what a killed `pack` left in packs/'s new folder */
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], rel))
			return 0;
	return 1;
}

/* Every name in path fits the file system (checked before writing, so a
 * long code does not stop a build half-way). */
static int name_fits(const char *path)
{
	for (const char *p = path; *p;) {
		size_t k = strcspn(p, "/");
		if (k > NAME_MAX - 4) /* room for ".tmp" */
			return 0;
		p += k + (p[k] == '/');
	}
	return 1;
}

/* The site is written into a new folder beside --out and swapped in with
 * one rename: until then the previous site stays whole. */
static int write_all(site *s)
{
	for (int i = 0; i < s->out.n; i++)
		if (!name_fits(s->out.v[i].path)) {
			diag(DIAG_ERROR, s->o->out_dir, 0, 0, "nothing written: the file name %.60s... is too long", s->out.v[i].path);
			return EXIT_INPUT;
		}
	pub_dir pub;
	if (pub_begin(&pub, s->o->out_dir))
		return EXIT_FAILED;
	const char *dir = pub.tmp;
	int rc = 0;
	for (int i = 0; i < s->out.n && !rc; i++) {
		char *path = strf("%s/%s", dir, s->out.v[i].path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		int bad = mkdirs(path);
		*slash = '/';
		if (bad || buf_write_file(&s->out.v[i].b, path)) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		}
		free(path);
	}
	char *mpath = strf("%s/%s", dir, MANIFEST);
	buf man = {0};
	for (int i = 0; i < s->out.n; i++)
		buf_printf(&man, "%s\n", s->out.v[i].path);
	if (!rc && buf_write_file(&man, mpath)) {
		diag(DIAG_ERROR, mpath, 0, 0, "cannot write: %s", strerror(errno));
		rc = EXIT_FAILED;
	}
	buf_free(&man);
	free(mpath);
	if (!rc) {
		oldlist old = {0};
		oldlist_read(&old, pub.dir);
		rc = pub_commit(&pub, keep_unlisted, &old);
		oldlist_free(&old);
	}
	pub_end(&pub);
	return rc;
}

/* ---- Packs ---- */

char *site_warning_text(const test_report *rep)
{
	size_t n = rep ? test_report_count(rep, TS_WARN) : 0;
	if (!n)
		return NULL;
	buf b = {0};
	buf_printf(&b, "%zu data test%s gave a warning for this census: ", n, n == 1 ? "" : "s");
	size_t shown = 0;
	for (size_t i = 0; i < rep->n && shown < 3; i++) {
		const test_result *r = &rep->v[i];
		if (r->status != TS_WARN)
			continue;
		buf_printf(&b, "%s%s on %s", shown ? (shown + 1 == n || shown == 2 ? " and " : ", ") : "", r->name,
			   r->model);
		shown++;
	}
	if (n > shown)
		buf_printf(&b, ", and %zu more", n - shown);
	buf_puts(&b, ". The figures are published; check these before relying on them.");
	return b.s;
}

/* What the data is, for the page footer and the pack covers. */
static const char *source_text(int plain_synthea, int has_capacity)
{
	return plain_synthea  ? "plain Synthea export, pathways derived from elective procedures"
	       : has_capacity ? "Synthea records with waiting-list, appointment and capacity tables"
			      : "Synthea records with waiting-list tables, no capacity plan";
}

int32_t site_pack_date(int32_t census)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (e && *e) {
		long long v = strtoll(e, &end, 10);
		if (!*end && v >= 0)
			return (int32_t)(v / 86400);
	}
	return census;
}

static void keep_pack(void *sv, const char *path, const char *title, int pages, const buf *pdf)
{
	site *s = sv;
	buf *b = out_add(&s->out, path);
	buf_put(b, pdf->s, pdf->n);
	s->packs = xrealloc(s->packs, (size_t)(s->npacks + 1) * sizeof *s->packs);
	s->packs[s->npacks++] = (html_pack){s->out.v[s->out.n - 1].path, xstrdup(title), pages, pdf->n};
}

static int make_packs(site *s)
{
	/* A templates folder without packs/ (an older custom set) still
	 * gives a site; `medimart pack` on it is an error. */
	char *dir = strf("%s/packs", s->o->templates_dir);
	struct stat sb;
	int none = stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode);
	free(dir);
	if (none) {
		diag(DIAG_NOTE, s->o->templates_dir, 0, 0, "no packs/ folder: the site is built without PDF packs");
		return 0;
	}
	pack_opts po = {s->o->templates_dir, "MediMart " MM_VERSION, s->info.source,
			site_pack_date(s->cat->census), s->info.warning, NULL};
	return packs_render(s->cat, &po, keep_pack, s);
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
		char *path = strf("%s/%s", s->o->templates_dir, f->rel);
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
			char *p = strf("%s/index.html", dir);
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
	s.info.source = source_text(cat->plain_synthea, cat->has_capacity);
	s.info.audience = cat->clinical ? "clinical (patient-level, exact figures; do not publish)"
					: "board (aggregate figures, small numbers suppressed)";
	s.info.version = MM_VERSION;
	s.info.noindex = cat->clinical;
	warning = site_warning_text(o->rep);
	s.info.warning = warning;
	if (o->downloads)
		make_downloads(&s);
	if (o->packs && !cat->clinical && (rc = make_packs(&s)))
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
	if ((rc = copy_assets(&s)))
		goto out;
	rc = write_all(&s);
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

static void build_catalog(run_ctx *ctx, const test_report *rep, int clinical, tpl_catalog *cat, run_tables *rt)
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
	build_catalog(ctx, rep, clinical, &cat, &rt);
	site_opts o = {.templates_dir = templates_dir, .out_dir = out_dir, .rep = rep, .src = ctx->src,
		       .model_docs = 1, .downloads = 1, .packs = 1, .rules_path = ctx->rules_path, .made = made};
	int rc = site_render_catalog(&cat, &o);
	run_tables_free(&rt);
	tpl_catalog_free(&cat);
	return rc;
}

/* ---- Names checked before anything is written ---- */

/* Templates named [param].md under dir (sub-folders too; symlinks are not
 * followed), as paths from the templates folder. */
static void scan_param(const char *root, const char *sub, char ***v, int *n, int depth)
{
	char *dir = sub ? strf("%s/%s", root, sub) : xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = strf("%s/%s", dir, e->d_name);
		char *rel = sub ? strf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
		struct stat sb;
		size_t k = strlen(e->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) && depth < 3)
			scan_param(root, rel, v, n, depth + 1);
		else if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && e->d_name[0] == '[' && k > 3 &&
			 !strcmp(e->d_name + k - 3, ".md")) {
			*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
			(*v)[(*n)++] = rel;
			rel = NULL;
		}
		free(rel);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
}

typedef struct named {
	char *file;
	const char *key;
} named;

static int cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : strcmp(x->key, y->key);
}

/* The output names of one [param] template: each must fit the file system
 * and no two entities may share one. */
static int check_template_names(const tpl_catalog *cat, const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	const char *close = strchr(base, ']');
	if (!close)
		return 0;
	char *param = xstrndup(base + 1, (size_t)(close - base - 1));
	const tpl_source *src = entity_source(cat, param);
	char **keys = NULL;
	size_t *rows = NULL, n = src ? entity_keys(src, param, &keys, &rows) : 0;
	int is_pack = !strncmp(rel, "packs/", 6);
	named *v = xmalloc((n ? n : 1) * sizeof *v);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		v[i].key = keys[i];
		if (is_pack)
			v[i].file = pack_output_path(rel, keys[i]);
		else {
			char *f = html_page_file(keys[i]);
			v[i].file = base == rel ? strf("%s.html", f) : strf("%.*s/%s.html", (int)(base - rel - 1), rel, f);
			free(f);
		}
		if (!rc && !name_fits(v[i].file)) {
			diag(DIAG_ERROR, rel, 0, 0,
			     "the %s value '%.40s...' (%zu characters) makes a file name longer than the file system allows "
			     "(%d bytes); nothing written",
			     param, keys[i], strlen(keys[i]), NAME_MAX);
			rc = EXIT_INPUT;
		}
	}
	qsort(v, n, sizeof *v, cmp_named);
	for (size_t i = 1; i < n && !rc; i++)
		if (!strcmp(v[i - 1].file, v[i].file)) {
			diag(DIAG_ERROR, rel, 0, 0,
			     "the %s values '%s' and '%s' both make the file %s: file names keep only letters, digits, "
			     "'-' and '_', so codes must differ in those; nothing written",
			     param, v[i - 1].key, v[i].key, v[i].file);
			rc = EXIT_INPUT;
		}
	for (size_t i = 0; i < n; i++)
		free(v[i].file);
	free(v);
	free(keys);
	free(rows);
	free(param);
	return rc;
}

int site_check_names(run_ctx *ctx, const test_report *rep, const char *templates_dir, int clinical)
{
	tpl_catalog cat;
	run_tables rt;
	build_catalog(ctx, rep, clinical, &cat, &rt);
	char **rels = NULL;
	int n = 0, rc = 0;
	scan_param(templates_dir, NULL, &rels, &n, 0);
	for (int i = 0; i < n; i++) {
		if (!rc && (clinical || strncmp(rels[i], "clinical/", 9)))
			rc = check_template_names(&cat, rels[i]);
		free(rels[i]);
	}
	free(rels);
	run_tables_free(&rt);
	tpl_catalog_free(&cat);
	return rc;
}

/* Packs are kept in memory and written only when every one rendered, so
 * a failure leaves the previous set in place rather than a mix. */
typedef struct pack_file {
	char *path, *title;
	int pages;
	buf pdf;
} pack_file;

typedef struct pack_files {
	pack_file *v;
	int n;
} pack_files;

static void keep_pack_file(void *ud, const char *path, const char *title, int pages, const buf *pdf)
{
	pack_files *pf = ud;
	pf->v = xrealloc(pf->v, (size_t)(pf->n + 1) * sizeof *pf->v);
	pack_file *f = &pf->v[pf->n++];
	f->path = xstrdup(path);
	f->title = xstrdup(title);
	f->pages = pages;
	memset(&f->pdf, 0, sizeof f->pdf);
	buf_put(&f->pdf, pdf->s, pdf->n);
}

/* `pack` with a subset keeps the other packs; a full set replaces every
 * PDF. Other files in packs/ are kept. */
static int keep_pack_old(const char *rel, void *ud)
{
	size_t n = strlen(rel);
	if ((n > 4 && !strcmp(rel + n - 4, ".tmp")) || strstr(rel, ".medimart-new"))
		return 0;
	return ud || !(n > 4 && !strcmp(rel + n - 4, ".pdf"));
}

/* A new packs/ folder beside the old one, swapped in with one rename. */
static int write_packs(const pack_files *pf, const char *out_dir, const char *select)
{
	for (int i = 0; i < pf->n; i++)
		if (!name_fits(pf->v[i].path)) {
			diag(DIAG_ERROR, out_dir, 0, 0, "nothing written: the file name %.60s... is too long", pf->v[i].path);
			return EXIT_INPUT;
		}
	char *packs = strf("%s/packs", out_dir);
	pub_dir pub;
	int rc = pub_begin(&pub, packs);
	for (int i = 0; i < pf->n && !rc; i++) {
		const pack_file *f = &pf->v[i];
		const char *name = strncmp(f->path, "packs/", 6) ? f->path : f->path + 6;
		char *full = strf("%s/%s", pub.tmp, name);
		char *slash = strrchr(full, '/');
		*slash = '\0';
		int bad = mkdirs(full);
		*slash = '/';
		if (bad || buf_write_file(&f->pdf, full)) {
			diag(DIAG_ERROR, full, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		} else
			progress("%s/%s: %s, %d pages, %zu KB", out_dir, f->path, f->title, f->pages, (f->pdf.n + 1023) / 1024);
		free(full);
	}
	if (!rc)
		rc = pub_commit(&pub, keep_pack_old, (void *)select);
	pub_end(&pub);
	free(packs);
	return rc;
}

int site_render_packs(run_ctx *ctx, const test_report *rep, const char *templates_dir, const char *out_dir,
		      const char *select, site_counts *made)
{
	tpl_catalog cat;
	run_tables rt;
	build_catalog(ctx, rep, 0, &cat, &rt);
	char *warning = site_warning_text(rep);
	pack_opts po = {templates_dir, "MediMart " MM_VERSION, source_text(ctx->plain_synthea, ctx->has_capacity),
			site_pack_date(ctx->census), warning, select};
	pack_files pf = {0};
	int rc = packs_render(&cat, &po, keep_pack_file, &pf);
	if (!rc)
		rc = write_packs(&pf, out_dir, select);
	if (!rc && made)
		made->packs = pf.n;
	free(warning);
	for (int i = 0; i < pf.n; i++) {
		free(pf.v[i].path);
		free(pf.v[i].title);
		buf_free(&pf.v[i].pdf);
	}
	free(pf.v);
	run_tables_free(&rt);
	tpl_catalog_free(&cat);
	return rc;
}
