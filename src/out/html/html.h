/* HTML back-end: renders a template's cmark tree with its data blocks
 * expanded (tables, charts, KPI cards, notes, inline values), and wraps
 * page content in the site layout (header, navigation, breadcrumbs,
 * footer). Output is deterministic: same inputs, same bytes. */
#ifndef MM_HTML_H
#define MM_HTML_H
#include <stddef.h>
#include "query/query.h"
#include "template/template.h"
#include "util/buf.h"

/* Pages that table cells link to: a cell of column param (or label) whose
 * row has a key with a page gets a link to DIR/KEY.html. */
typedef struct html_link_dir {
	const char *param;    /* key column, e.g. trust_code */
	const char *label;    /* column that names it, e.g. trust_name */
	const char *dir;      /* folder from the site root, e.g. trust */
	const char **values;  /* keys that have a page, sorted by strcmp */
	size_t nvalues;
	int explicit_only;    /* only for tables that ask with link=DIR */
} html_link_dir;

/* The file name (without ".html") of an entity's page: letters, digits,
 * '-' and '_' kept, anything else '_'. Caller frees. */
char *html_page_file(const char *key);

typedef struct html_download {
	const char *file;        /* from the site root, e.g. downloads/fct_equity.csv */
	const char *name;        /* model name */
	const char *description;
	size_t rows;
	size_t bytes;
	int controlled;          /* small numbers suppressed and rounded */
} html_download;

/* A PDF briefing pack written beside the site. */
typedef struct html_pack {
	const char *file;  /* from the site root: packs/brief.pdf */
	char *title;       /* owned by the site */
	int pages;
	size_t bytes;
} html_pack;

typedef struct html_ctx {
	const tpl_catalog *cat;
	const template *tpl;
	const tpl_entity *ent;     /* NULL on ordinary pages */
	struct qcache *cache;
	const char *root;          /* from the page to the site root: "" or "../" */
	const html_link_dir *dirs;
	int ndirs;
	const html_download *downloads;
	int ndownloads;
	const html_pack *packs;
	int npacks;
	const char *link_dir;      /* set while a table with link=DIR renders */
	const tpl_block *table;    /* set while a table block renders (its filters=) */
	int worklist_js;           /* the page has loaded assets/worklist.js */
	/* Filled while rendering one page. */
	char **ids;                /* ids used on the page (owned) */
	int nids;
	void *id_index;            /* html.c: hash index of ids, next suffix per base (owned) */
	int ncharts;
	char *title;               /* text of the first level-1 heading (owned) */
	int errors;                /* template errors found while rendering */
	int unlinked;              /* inside a link to a pack this build did not make */
} html_ctx;

/* Renders the page body (the content of <main>) into out. Returns 0, or
 * EXIT_INPUT after printing an error for a block that cannot be drawn. */
int html_render_body(html_ctx *h, buf *out);
/* Forgets the page state (ids, title) so that h can render another page. */
void html_ctx_reset(html_ctx *h);

/* A page-unique id made from text ("Overdue cases" -> "overdue-cases",
 * then "overdue-cases-2"). The string lives until html_ctx_reset. */
const char *html_unique_id(html_ctx *h, const char *text);

/* ---- Layout ---- */

typedef struct html_nav {
	const char *label;
	const char *href; /* from the site root */
} html_nav;

typedef struct html_site {
	const char *product;  /* shown in the header */
	const char *tagline;
	const html_nav *nav;
	int nnav;
	const char *census;   /* "30 September 2025" */
	const char *source;   /* what the data is */
	const char *audience; /* who the build is for */
	const char *version;
	int tests_page;       /* the site has tests.html (linked from the footer) */
	const char *warning;  /* data-quality banner on the home page; NULL for none */
	int noindex;          /* ask search engines not to index (clinical pages) */
} html_site;

typedef struct html_page {
	const char *title;
	const char *root;          /* "" or "../" */
	const char *path;          /* the page from the root, e.g. trust/RXX.html */
	const html_nav *crumbs;    /* from the root; the last one is this page */
	int ncrumbs;
	const char *main;          /* body HTML */
} html_page;

/* Writes the whole HTML5 document. Its scripts are optional: sort.js
 * makes tables sortable and search.js adds the search box to the header
 * (with its index, assets/search-index.js); without them the page is
 * complete and shows no search box. */
void html_layout(buf *out, const html_site *s, const html_page *p);

/* Writes a result set as an accessible, sortable table (used by model and
 * data-quality pages as well as table blocks). caption may be NULL. */
void html_result_table(html_ctx *h, buf *out, const tpl_result *r, const char *caption);

#endif
