/* The PDF back-end of the templates: one switch over cmark node types, as
 * in out/html/html.c, writing to the PDF device (out/pdf/pdf.h) instead of HTML. The
 * first level-1 heading is the cover's title and the paragraph after it
 * the cover's subtitle; "##" headings are the sections (contents and
 * bookmarks), "###" their subsections; a thematic break ("---") starts a
 * new page. A first section headed "Cover sheet" is the board's cover
 * sheet: its pages come before the contents. This file finds the packs
 * and assembles each (cover, body, file name); pack_blocks.c draws the body. */
#include "out/pdf/pack_impl.h"
#include "registry/disclosure.h"
#include "check/check.h"
#include "run/target.h"
#include "out/pdf/pdf.h"
#include "query/blocks.h"
#include "query/entity.h"
#include "out/html/html.h"
#include "query/query.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Packs ---- */

typedef struct pfile {
	char *rel;  /* inside templates/: packs/brief.md */
	template *t;
	const tpl_source *ent;
	char **keys;
	size_t *rows;
	size_t nkeys;
} pfile;

static int cmp_pfile(const void *a, const void *b)
{
	return strcmp(((const pfile *)a)->rel, ((const pfile *)b)->rel);
}

static int is_md(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && name[0] != '_' && n > 3 && !strcmp(name + n - 3, ".md") && strcmp(name, "README.md");
}

static void scan(const char *root, const char *sub, pfile **v, int *n)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", root, sub);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		char p[4400];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (stat(p, &sb) || (e->d_name[0] != '.' && !path_within(root, p)))
			continue; /* a link out of the templates folder is not followed */
		if (S_ISDIR(sb.st_mode) && e->d_name[0] != '.' && !strcmp(sub, "packs")) {
			char s2[4096];
			snprintf(s2, sizeof s2, "%s/%s", sub, e->d_name);
			scan(root, s2, v, n);
		} else if (S_ISREG(sb.st_mode) && is_md(e->d_name)) {
			*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
			memset(&(*v)[*n], 0, sizeof **v);
			char rel[4096];
			snprintf(rel, sizeof rel, "%s/%s", sub, e->d_name);
			(*v)[(*n)++].rel = xstrdup(rel);
		}
	}
	closedir(d);
}

/* The first level-1 heading and the paragraph after it make the cover;
 * they are taken out of the tree (the caller owns the two nodes). */
static void take_cover(pk *k, template *t, char **title, char **subtitle)
{
	*title = *subtitle = NULL;
	for (cmark_node *n = cmark_node_first_child(t->doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING || cmark_node_get_heading_level(n) != 1)
			continue;
		*title = pack_plain(k, n);
		cmark_node *p = cmark_node_next(n);
		if (p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH && !tpl_block_of(t, p))
			*subtitle = pack_plain(k, p);
		return;
	}
}

int pack_is_cover_node(const template *t, cmark_node *n)
{
	cmark_node *first = NULL;
	for (cmark_node *c = cmark_node_first_child(t->doc); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING && cmark_node_get_heading_level(c) == 1) {
			first = c;
			break;
		}
	if (!first)
		return 0;
	if (n == first)
		return 1;
	cmark_node *p = cmark_node_next(first);
	return n == p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH;
}

static int render_pack(const tpl_catalog *cat, const pack_opts *o, struct qcache *cache, const pfile *f,
		       const tpl_entity *ent, const char *path, pack_emit_fn emit, void *ud)
{
	pk k = {0};
	k.e = (blk_env){cat, f->t, ent, cache, 0, 680, 360};
	char *title, *subtitle;
	take_cover(&k, f->t, &title, &subtitle);
	char census[FMT_MAX];
	fmt_date_long(census, cat->census);
	const char *org = "";
	if (ent) {
		const char *lc = entity_label_col(ent->src, ent->param);
		org = tpl_field(ent, lc);
		if (!org)
			org = ent->value;
	}
	/* The accessible twin on the site: the entity's page beside the
	 * pack's folder (packs/trust/[trust_code].md -> ../trust/KEY.html),
	 * the home page for a pack of its own. */
	char *twin;
	{
		const char *name = f->rel + (strncmp(f->rel, "packs/", 6) ? 0 : 6);
		const char *slash = strrchr(name, '/');
		if (ent && slash) {
			char *file = html_page_file(ent->value);
			buf b = {0};
			buf_printf(&b, "../%.*s/%s.html", (int)(slash - name), name, file);
			free(file);
			twin = b.s;
		} else
			twin = xstrdup("../index.html");
	}
	pdf_info info = {
		.title = title ? title : f->rel,
		.subtitle = subtitle,
		.subject = subtitle ? subtitle : title,
		.org = org,
		.census = census,
		.audience = "Board: aggregate figures only, counts of 1 to 7 suppressed",
		.source = o->source,
		.version = o->version,
		.date_days = o->date_days,
		.warning = o->warning,
		.twin = twin,
	};
	char err[512];
	k.d = pdf_new(&info, NULL, err, sizeof err);
	if (!k.d) {
		diag(DIAG_ERROR, NULL, 0, 0, "pack %s: %s", path, err);
		free(title);
		free(subtitle);
		free(twin);
		return EXIT_FAILED;
	}
	int rc = pack_walk(&k, f->t->doc);
	buf out = {0};
	int pages = 0;
	if (pdf_finish(k.d, &out, &pages, err, sizeof err)) {
		diag(DIAG_ERROR, NULL, 0, 0, "pack %s: %s", path, err);
		rc = EXIT_FAILED;
	} else if (!rc)
		emit(ud, path, info.title, pages, &out);
	buf_free(&out);
	free(title);
	free(subtitle);
	free(twin);
	return rc;
}

char *pack_output_path(const char *rel, const char *key)
{
	const char *name = rel + (strncmp(rel, "packs/", 6) ? 0 : 6);
	buf b = {0};
	buf_puts(&b, "packs/");
	if (key) {
		/* packs/trust/[trust_code].md -> packs/trust-KEY.pdf */
		const char *slash = strrchr(name, '/');
		if (slash)
			buf_printf(&b, "%.*s-", (int)(slash - name), name);
		char *file = html_page_file(key);
		buf_puts(&b, file);
		free(file);
	} else {
		/* packs/a/b.md -> packs/a-b.pdf */
		size_t n = strlen(name) - (strlen(name) > 3 ? 3 : 0);
		for (size_t i = 0; i < n; i++)
			buf_putc(&b, name[i] == '/' ? '-' : name[i]);
	}
	buf_puts(&b, ".pdf");
	return b.s;
}

int packs_templates(const char *templates_dir, template ***out)
{
	pfile *v = NULL;
	int n = 0, k = 0;
	scan(templates_dir, "packs", &v, &n);
	qsort(v, (size_t)n, sizeof *v, cmp_pfile);
	template **t = xcalloc((size_t)(n ? n : 1), sizeof *t);
	for (int i = 0; i < n; i++) {
		char p[4400];
		snprintf(p, sizeof p, "%s/%s", templates_dir, v[i].rel);
		if ((t[k] = tpl_load(p, v[i].rel)))
			k++;
		free(v[i].rel);
	}
	free(v);
	*out = t;
	return k;
}

/* The name a pack template answers to in a selection: "brief" for
 * packs/brief.md, "trust" for packs/trust/[trust_code].md. Caller frees. */
static char *pack_group(const char *rel)
{
	const char *name = rel + (strncmp(rel, "packs/", 6) ? 0 : 6);
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : strlen(name) - (is_md(name) ? 3 : 0);
	return xstrndup(name, n);
}

/* Whether the selection (NULL: everything) takes the pack of group g and
 * key (NULL for a pack without [param]). */
static int selected(const char *select, const char *g, const char *key)
{
	if (!select)
		return 1;
	size_t gn = strlen(g);
	for (const char *s = select; *s;) {
		size_t n = strcspn(s, ",");
		if (n == gn && !strncmp(s, g, gn))
			return 1;
		if (key && n > gn && !strncmp(s, g, gn) && s[gn] == ':' && n - gn - 1 == strlen(key) &&
		    !strncmp(s + gn + 1, key, n - gn - 1))
			return 1;
		s += n + (s[n] == ',');
	}
	return 0;
}

/* Checks that every name of the selection names a pack; prints each that
 * does not, with the names there are. Returns the number of bad names. */
static int check_selection(const char *select, const pfile *v, int n)
{
	int bad = 0;
	for (const char *s = select; s && *s;) {
		size_t k = strcspn(s, ",");
		int found = 0;
		for (int i = 0; i < n && !found; i++) {
			char *g = pack_group(v[i].rel);
			size_t gn = strlen(g);
			if (k == gn && !strncmp(s, g, gn))
				found = !v[i].t->param || v[i].nkeys > 0;
			else if (v[i].t->param && k > gn && !strncmp(s, g, gn) && s[gn] == ':')
				for (size_t e = 0; e < v[i].nkeys && !found; e++)
					found = strlen(v[i].keys[e]) == k - gn - 1 && !strncmp(s + gn + 1, v[i].keys[e], k - gn - 1);
			free(g);
		}
		if (!found && k) {
			buf names = {0};
			for (int i = 0; i < n; i++) {
				char *g = pack_group(v[i].rel);
				buf_printf(&names, "%s%s%s", i ? ", " : "", g, v[i].t->param ? ", " : "");
				if (v[i].t->param)
					buf_printf(&names, "%s:CODE", g);
				free(g);
			}
			diag(DIAG_ERROR, NULL, 0, 0, "no pack '%.*s' (packs are: %s; an area without any pathway has none)", (int)k, s, names.s ? names.s : "none");
			buf_free(&names);
			bad++;
		}
		s += k + (s[k] == ',');
	}
	return bad;
}

/* Whether the area of key (rows of ent->t whose param is key) has any
 * pathway: one of its sites appears in stg_pathways. When the tables do
 * not say (no stg_pathways, or no site_id column), every area counts. */
static int area_has_pathways(const value_set *sites, const mm_table *t, int pc, int sc, const char *key)
{
	if (!sites || sc < 0)
		return 1;
	for (size_t r = 0; r < t->nrows; r++)
		if (tbl_sid(t, pc, r) && !strcmp(tbl_str(t, pc, r), key) && !tbl_isnull(t, sc, r) &&
		    value_set_has(sites, t, sc, r))
			return 1;
	return 0;
}

/* Drops the keys of f whose area has no pathway; returns how many. */
static size_t drop_empty_areas(const tpl_catalog *cat, pfile *f)
{
	const tpl_source *pw = tpl_catalog_find(cat, "stg_pathways");
	const mm_table *t = f->ent->t;
	int pc = tbl_col(t, f->t->param), sc = tbl_col(t, "site_id");
	int pwc = pw && pw->t ? tbl_col(pw->t, "site_id") : -1;
	if (pwc < 0 || sc < 0)
		return 0;
	value_set sites;
	value_set_build(&sites, pw->t, pwc, t->cols[sc].type);
	size_t k = 0, dropped = 0;
	for (size_t e = 0; e < f->nkeys; e++) {
		if (area_has_pathways(&sites, t, pc, sc, f->keys[e])) {
			f->keys[k] = f->keys[e];
			f->rows[k++] = f->rows[e];
		} else
			dropped++;
	}
	f->nkeys = k;
	value_set_free(&sites);
	return dropped;
}

int packs_render(const tpl_catalog *cat, const pack_opts *o, pack_emit_fn emit, void *ud)
{
	pfile *v = NULL;
	int n = 0;
	scan(o->templates_dir, "packs", &v, &n);
	if (n == 0) {
		diag(DIAG_ERROR, o->templates_dir, 0, 0, "no pack templates (packs/*.md) found");
		return EXIT_INPUT;
	}
	qsort(v, (size_t)n, sizeof *v, cmp_pfile);
	int errors = 0;
	for (int i = 0; i < n; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", o->templates_dir, v[i].rel);
		v[i].t = tpl_load(p, v[i].rel);
		if (!v[i].t) {
			errors++;
			continue;
		}
		if (v[i].t->param) {
			v[i].ent = entity_source(cat, v[i].t->param);
			if (!v[i].ent) {
				diag(DIAG_ERROR, p, 0, 0, "no table has the column %s to make one pack per value",
				     v[i].t->param);
				errors++;
				continue;
			}
		}
		errors += tpl_validate(v[i].t, cat, v[i].ent);
		if (v[i].ent) {
			v[i].nkeys = entity_keys(v[i].ent, v[i].t->param, &v[i].keys, &v[i].rows);
			size_t dropped = drop_empty_areas(cat, &v[i]);
			if (dropped)
				diag(DIAG_NOTE, p, 0, 0, "%zu of %zu %s values have no pathway at any of their sites: no pack for them",
				     dropped, dropped + v[i].nkeys, v[i].t->param);
		}
	}
	if (!errors)
		errors += check_selection(o->select, v, n);
	int rc = errors ? EXIT_INPUT : 0;
	struct qcache *cache = qcache_new();
	for (int i = 0; i < n && !rc; i++) {
		pfile *f = &v[i];
		char *g = pack_group(f->rel);
		if (!f->t->param) {
			if (!selected(o->select, g, NULL)) {
				free(g);
				continue;
			}
			char *path = pack_output_path(f->rel, NULL);
			rc |= render_pack(cat, o, cache, f, NULL, path, emit, ud);
			free(path);
			free(g);
			continue;
		}
		for (size_t e = 0; e < f->nkeys && !rc; e++) {
			if (!selected(o->select, g, f->keys[e]))
				continue;
			tpl_entity ent = {f->t->param, f->keys[e], f->ent, f->rows[e]};
			char *path = pack_output_path(f->rel, f->keys[e]);
			rc |= render_pack(cat, o, cache, f, &ent, path, emit, ud);
			free(path);
		}
		free(g);
	}
	qcache_free(cache);
	for (int i = 0; i < n; i++) {
		free(v[i].rel);
		tpl_free(v[i].t);
		free(v[i].keys);
		free(v[i].rows);
	}
	free(v);
	return rc;
}
