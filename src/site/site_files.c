/* The site's files beyond its pages, and getting everything onto disk:
 * the CSV downloads of the marts (through the same query and disclosure
 * code as the pages), the stylesheet and scripts copied from the
 * templates folder, the check that every file name of every entity page
 * and pack fits the file system and is unique, and the write itself,
 * into a new folder swapped in with one rename so the previous site stays
 * whole until then. */
#include "site/site_impl.h"
#include "out/pdf/pack.h"
#include "query/entity.h"
#include "registry/disclosure.h"
#include "run/target.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MANIFEST ".medimart-files"

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
			char *t = site_strf("'%s", v->s);
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
void site_make_downloads(site *s)
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
		char *path = site_strf("downloads/%s.csv", src->name);
		buf *b = site_out_add(&s->out, path);
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

int site_copy_assets(site *s)
{
	static const char *const assets[] = {"site.css", "sort.js", "search.js", "worklist.js"};
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		char *from = site_strf("%s/assets/%s", s->o->templates_dir, assets[i]);
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
		char *to = site_strf("assets/%s", assets[i]);
		buf *b = site_out_add(&s->out, to);
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
	char *mpath = site_strf("%s/%s", dir, MANIFEST);
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
int site_name_fits(const char *path)
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
int site_write_all(site *s)
{
	for (int i = 0; i < s->out.n; i++)
		if (!site_name_fits(s->out.v[i].path)) {
			diag(DIAG_ERROR, s->o->out_dir, 0, 0, "nothing written: the file name %.60s... is too long", s->out.v[i].path);
			return EXIT_INPUT;
		}
	pub_dir pub;
	if (pub_begin(&pub, s->o->out_dir))
		return EXIT_FAILED;
	const char *dir = pub.tmp;
	int rc = 0;
	for (int i = 0; i < s->out.n && !rc; i++) {
		char *path = site_strf("%s/%s", dir, s->out.v[i].path);
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
	char *mpath = site_strf("%s/%s", dir, MANIFEST);
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

/* ---- Names checked before anything is written ---- */

/* Templates named [param].md under dir (sub-folders too; symlinks are not
 * followed), as paths from the templates folder. */
static void scan_param(const char *root, const char *sub, char ***v, int *n, int depth)
{
	char *dir = sub ? site_strf("%s/%s", root, sub) : xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = site_strf("%s/%s", dir, e->d_name);
		char *rel = sub ? site_strf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
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
			v[i].file = base == rel ? site_strf("%s.html", f) : site_strf("%.*s/%s.html", (int)(base - rel - 1), rel, f);
			free(f);
		}
		if (!rc && !site_name_fits(v[i].file)) {
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
	site_build_catalog(ctx, rep, clinical, &cat, &rt);
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
