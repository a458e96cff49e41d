/* Internals shared by the site's files: site.c (assembly: templates,
 * page plan, rendering), site_files.c (downloads, assets, name checks,
 * writing) and site_packs.c (the packs). Not for use outside src/site/. */
#ifndef MM_SITE_IMPL_H
#define MM_SITE_IMPL_H
#include "site/site.h"
#include "out/html/html.h"
#include "query/query.h"
#include "query/runtables.h"
#include "run/run.h"
#include "site/search.h"
#include "util/buf.h"
#include "core/format.h"

/* Items of the main navigation (nav_items in site.c). */
#define SITE_NAV_ITEMS 13

/* ---- Output files, kept in memory until everything rendered ---- */

typedef struct outfile {
	char *path; /* from the site root */
	buf b;
} outfile;

typedef struct outset {
	outfile *v;
	int n, cap;
} outset;

/* ---- Templates on disk ---- */

typedef struct tfile {
	char *rel;
	template *t;
	const tpl_source *ent;  /* entity table of a [param] template */
	char **keys;            /* its entities, sorted */
	size_t *rows;           /* first row of each entity */
	size_t nkeys;
} tfile;

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
	html_nav nav[SITE_NAV_ITEMS];
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

/* A new empty file of the output set at path (from the site root). */
buf *site_out_add(outset *o, const char *path);
char *site_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The catalog of every model's table, the rules and provenance, and the
 * run's own tables, for the templates of one audience. */
void site_build_catalog(run_ctx *ctx, const test_report *rep, int clinical, tpl_catalog *cat, run_tables *rt);

/* site_files.c */
void site_make_downloads(site *s);
int site_copy_assets(site *s);
int site_name_fits(const char *path);
int site_write_all(site *s);

/* site_packs.c */
const char *site_source_text(int plain_synthea, int has_capacity);
int site_make_packs(site *s);

#endif
