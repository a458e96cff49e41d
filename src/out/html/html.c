/* The HTML renderer: one switch over cmark node types, with data blocks
 * handed to their own writers (html_blocks.c), and the page frame around
 * it: the header, navigation, breadcrumbs and footer of every page. Also
 * the page's state (unique ids) and the text and links of templates. Raw
 * HTML in templates is left out, so a template cannot break the page's
 * structure or inject script. */
#include "out/html/html_impl.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Page state ---- */

/* The ids of a page by hash, and for each base the next suffix to try, so
 * that each new id costs about one look-up: with a scan of every id for
 * every suffix, 4,000 blocks of the same name took 50 s. */
typedef struct id_index {
	hmap ids;  /* hash of an id -> its index in h->ids (the latest on a clash) */
	hmap next; /* hash of a base -> the next suffix to try */
} id_index;

static uint64_t str_hash(const char *s)
{
	uint64_t x = 0xcbf29ce484222325u;
	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 0x100000001b3u;
	return x;
}

static int id_used(const html_ctx *h, const id_index *ix, const char *id)
{
	uint32_t v = hmap_get(&ix->ids, str_hash(id));
	if (v == HMAP_NONE)
		return 0;
	if (!strcmp(h->ids[v], id))
		return 1;
	for (int i = 0; i < h->nids; i++) /* two ids with one hash: rare */
		if (!strcmp(h->ids[i], id))
			return 1;
	return 0;
}

void html_ctx_reset(html_ctx *h)
{
	for (int i = 0; i < h->nids; i++)
		free(h->ids[i]);
	free(h->ids);
	h->ids = NULL;
	h->nids = 0;
	if (h->id_index) {
		id_index *ix = h->id_index;
		hmap_free(&ix->ids);
		hmap_free(&ix->next);
		free(ix);
		h->id_index = NULL;
	}
	h->ncharts = 0;
	h->worklist_js = 0;
	free(h->title);
	h->title = NULL;
}

const char *html_unique_id(html_ctx *h, const char *text)
{
	char base[64];
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && n < sizeof base - 8; p++) {
		if (isalnum(*p)) {
			if (dash && n)
				base[n++] = '-';
			base[n++] = (char)tolower(*p);
			dash = 0;
		} else
			dash = 1;
	}
	base[n] = '\0';
	if (n == 0 || isdigit((unsigned char)base[0])) {
		/* ids start with a letter */
		memmove(base + 2, base, n + 1);
		base[0] = 's';
		base[1] = '-';
	}
	if (!h->id_index) {
		id_index *nx = xmalloc(sizeof *nx);
		hmap_init(&nx->ids, 64);
		hmap_init(&nx->next, 64);
		h->id_index = nx;
	}
	id_index *ix = h->id_index;
	char id[80];
	snprintf(id, sizeof id, "%s", base);
	if (id_used(h, ix, id)) {
		/* Suffixes below the stored one are all taken: ids are never
		 * given back while the page renders. */
		uint64_t bk = str_hash(base);
		uint32_t k = hmap_get(&ix->next, bk);
		if (k == HMAP_NONE)
			k = 2;
		for (;; k++) {
			snprintf(id, sizeof id, "%s-%u", base, (unsigned)k);
			if (!id_used(h, ix, id))
				break;
		}
		hmap_put(&ix->next, bk, k + 1);
	}
	if ((h->nids & (h->nids - 1)) == 0) /* grow by doubling */
		h->ids = xrealloc(h->ids, (size_t)(h->nids ? 2 * h->nids : 1) * sizeof *h->ids);
	h->ids[h->nids] = xstrdup(id);
	hmap_put(&ix->ids, str_hash(id), (uint32_t)h->nids);
	return h->ids[h->nids++];
}

/* ---- Text ---- */

void html_put_text(html_ctx *h, buf *out, const char *s)
{
	if (s && strstr(s, "{{")) {
		char *t = tpl_text(h->cat, h->ent, s);
		buf_put_html(out, t);
		free(t);
	} else if (s)
		buf_put_html(out, s);
}

/* Plain text of a node's inlines, placeholders replaced. Caller frees. */
static char *plain_text(html_ctx *h, cmark_node *node)
{
	buf b = {0};
	buf_puts(&b, "");
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(&b, cmark_node_get_literal(n));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(&b, ' ');
	}
	cmark_iter_free(it);
	char *s = tpl_text(h->cat, h->ent, b.s);
	buf_free(&b);
	return s;
}

static int is_relative(const char *u)
{
	if (!*u || *u == '/' || *u == '#')
		return 0;
	for (const char *p = u; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return 0; /* has a scheme */
	return 1;
}

/* url with each {{field}} replaced by its value cleaned as file names are
 * (html_page_file), so a link to trust/{{trust_code}}.md finds the page
 * of a code such as "RX 102". */
static char *url_subst(const char *url, const tpl_entity *e)
{
	buf b = {0};
	buf_puts(&b, "");
	for (const char *p = url, *end; *p;) {
		if (p[0] == '{' && p[1] == '{' && (end = strstr(p + 2, "}}"))) {
			char *name = xstrndup(p + 2, (size_t)(end - p - 2));
			const char *v = tpl_field(e, name);
			char *f = html_page_file(v ? v : "");
			buf_puts(&b, f);
			free(f);
			free(name);
			p = end + 2;
		} else
			buf_putc(&b, *p++);
	}
	return b.s;
}

/* Links between templates are written to the .md files (so they work in a
 * Markdown viewer too) and point at the .html pages in the site. */
static void put_href(html_ctx *h, buf *out, const char *url)
{
	char *u = h->ent ? url_subst(url, h->ent) : xstrdup(url);
	if (is_relative(u)) {
		size_t k = strcspn(u, "?#");
		if (k >= 3 && !strncmp(u + k - 3, ".md", 3)) {
			char *v = xmalloc(strlen(u) + 3);
			snprintf(v, strlen(u) + 3, "%.*s.html%s", (int)(k - 3), u, u + k);
			free(u);
			u = v;
		}
	}
	buf_put_html(out, u);
	free(u);
}

/* Whether url, placeholders replaced, may reach href or src (the template
 * check refuses such links before; this keeps any from a page). */
static int url_ok(html_ctx *h, const char *url)
{
	char *u = h->ent ? url_subst(url, h->ent) : xstrdup(url);
	int ok = tpl_url_allowed(u);
	free(u);
	return ok;
}

/* Whether url (as written in the template) points at a PDF pack that this
 * build did not make: a Trust or ICS without any pathway has no pack, and
 * the clinical site has none. Such a link is shown as plain text. */
static int missing_pack(html_ctx *h, const char *url)
{
	char *u = h->ent ? url_subst(url, h->ent) : xstrdup(url);
	const char *p = u;
	while (!strncmp(p, "../", 3))
		p += 3;
	size_t n = strlen(p);
	int missing = is_relative(u) && !strncmp(p, "packs/", 6) && n > 4 && !strcmp(p + n - 4, ".pdf");
	for (int i = 0; i < h->npacks && missing; i++)
		missing = strcmp(h->packs[i].file, p) != 0;
	free(u);
	return missing;
}

/* ---- File names of entity pages ---- */

char *html_page_file(const char *key)
{
	char *s = xstrdup(key);
	for (char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
			*p = '_';
	return s;
}

/* ---- The tree ---- */

int html_render_node(html_ctx *h, buf *out, cmark_node *root)
{
	int rc = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const tpl_block *b = tpl_block_of(h->tpl, n);
		if (b) {
			if (enter && html_render_block(h, out, b))
				rc = EXIT_INPUT;
			continue;
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_DOCUMENT: break;
		case CMARK_NODE_BLOCK_QUOTE: buf_puts(out, enter ? "<blockquote>\n" : "</blockquote>\n"); break;
		case CMARK_NODE_LIST: {
			int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			if (!enter)
				buf_puts(out, ordered ? "</ol>\n" : "</ul>\n");
			else if (ordered && cmark_node_get_list_start(n) != 1)
				buf_printf(out, "<ol start=\"%d\">\n", cmark_node_get_list_start(n));
			else
				buf_puts(out, ordered ? "<ol>\n" : "<ul>\n");
			break;
		}
		case CMARK_NODE_ITEM: buf_puts(out, enter ? "<li>" : "</li>\n"); break;
		case CMARK_NODE_CODE_BLOCK:
			buf_puts(out, "<pre><code>");
			buf_put_html(out, cmark_node_get_literal(n));
			buf_puts(out, "</code></pre>\n");
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			break; /* raw HTML is not passed through */
		case CMARK_NODE_PARAGRAPH: {
			/* Tight list items hold their text without <p>. */
			cmark_node *p = cmark_node_parent(n), *gp = p ? cmark_node_parent(p) : NULL;
			int tight = p && cmark_node_get_type(p) == CMARK_NODE_ITEM && gp && cmark_node_get_list_tight(gp);
			if (!tight)
				buf_puts(out, enter ? "<p>" : "</p>\n");
			break;
		}
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n);
			if (enter) {
				char *text = plain_text(h, n);
				if (level == 1 && !h->title)
					h->title = xstrdup(text);
				buf_printf(out, "<h%d id=\"%s\">", level, html_unique_id(h, text));
				free(text);
			} else
				buf_printf(out, "</h%d>\n", level);
			break;
		}
		case CMARK_NODE_THEMATIC_BREAK: buf_puts(out, "<hr>\n"); break;
		case CMARK_NODE_TEXT: html_put_text(h, out, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK: buf_putc(out, '\n'); break;
		case CMARK_NODE_LINEBREAK: buf_puts(out, "<br>\n"); break;
		case CMARK_NODE_CODE:
			buf_puts(out, "<code>");
			html_put_text(h, out, cmark_node_get_literal(n));
			buf_puts(out, "</code>");
			break;
		case CMARK_NODE_EMPH: buf_puts(out, enter ? "<em>" : "</em>"); break;
		case CMARK_NODE_STRONG: buf_puts(out, enter ? "<strong>" : "</strong>"); break;
		case CMARK_NODE_LINK:
			if (!url_ok(h, cmark_node_get_url(n))) {
				/* A refused scheme: the link text alone, no link. */
			} else if (enter && missing_pack(h, cmark_node_get_url(n))) {
				h->unlinked = 1;
				buf_puts(out, "<span class=\"no-pack\">");
			} else if (!enter && h->unlinked) {
				h->unlinked = 0;
				buf_puts(out, h->cat->clinical ? "</span>, in the board site (packs are made for the board only)"
							       : "</span>: not made, as no pathway is in this area");
			} else if (enter) {
				buf_puts(out, "<a href=\"");
				put_href(h, out, cmark_node_get_url(n));
				buf_putc(out, '"');
				const char *title = cmark_node_get_title(n);
				if (title && *title) {
					buf_puts(out, " title=\"");
					html_put_text(h, out, title);
					buf_putc(out, '"');
				}
				buf_putc(out, '>');
			} else
				buf_puts(out, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			if (enter && !url_ok(h, cmark_node_get_url(n))) {
				/* A refused scheme: the alt text alone, no image. */
				char *alt = plain_text(h, n);
				buf_put_html(out, alt);
				free(alt);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			} else if (enter) {
				char *alt = plain_text(h, n);
				buf_puts(out, "<img src=\"");
				put_href(h, out, cmark_node_get_url(n));
				buf_puts(out, "\" alt=\"");
				buf_put_html(out, alt);
				buf_puts(out, "\">");
				free(alt);
				/* The alt text is written; skip the children. */
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			}
			break;
		default: break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

int html_render_body(html_ctx *h, buf *out)
{
	buf_puts(out, "");
	int rc = html_render_node(h, out, h->tpl->doc);
	return rc || h->errors ? EXIT_INPUT : 0;
}

/* ---- Layout ---- */

static int same_section(const char *page, const char *href)
{
	if (!strcmp(page, href))
		return 1;
	/* trust/RXX.html belongs to the nav item trust/index.html */
	const char *ps = strchr(page, '/'), *hs = strchr(href, '/');
	return ps && hs && ps - page == hs - href && !strncmp(page, href, (size_t)(ps - page));
}

void html_layout(buf *out, const html_site *s, const html_page *p)
{
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	buf_put_html(out, p->title);
	buf_puts(out, " - ");
	buf_put_html(out, s->product);
	/* An empty icon: browsers would otherwise ask the server for
	 * /favicon.ico, which the site does not have. */
	buf_puts(out, "</title>\n");
	if (s->noindex) /* patient-level pages: never indexed, even if exposed by mistake */
		buf_puts(out, "<meta name=\"robots\" content=\"noindex, nofollow\">\n");
	buf_printf(out, "<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"%sassets/site.css\">\n"
			"<script src=\"%sassets/sort.js\" defer></script>\n"
			"<script src=\"%sassets/search.js\" defer></script>\n</head>\n<body>\n",
		   p->root, p->root, p->root);
	buf_puts(out, "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n");
	/* The banner holds the brand, the navigation and the census line, so
	 * that all of the page's content sits in a landmark. */
	buf_printf(out, "<header class=\"site-header\">\n<div class=\"site-brand\">\n<div class=\"wrap\">\n"
			"<a class=\"brand\" href=\"%sindex.html\">",
		   p->root);
	buf_put_html(out, s->product);
	buf_puts(out, "</a>\n<span class=\"tagline\">");
	buf_put_html(out, s->tagline);
	buf_puts(out, "</span>\n</div>\n</div>\n");
	/* On a phone the list folds into a "Menu" disclosure, which needs no
	 * script and works from file://; site.css keeps it open, with the
	 * summary hidden, where the list fits across the window. */
	buf_puts(out, "<nav class=\"site-nav\" aria-label=\"Main\">\n<div class=\"wrap\">\n"
		      "<details class=\"nav-menu\">\n<summary>Menu</summary>\n<ul>\n");
	for (int i = 0; i < s->nnav; i++) {
		int cur = same_section(p->path, s->nav[i].href);
		buf_printf(out, "<li><a href=\"%s", p->root);
		buf_put_html(out, s->nav[i].href);
		buf_printf(out, "\"%s>", cur ? " aria-current=\"page\"" : "");
		buf_put_html(out, s->nav[i].label);
		buf_puts(out, "</a></li>\n");
	}
	buf_puts(out, "</ul>\n</details>\n</div>\n</nav>\n");
	buf_puts(out, "<div class=\"census-bar\">\n<div class=\"wrap\">\n<p>Figures at census date <strong>");
	buf_put_html(out, s->census);
	buf_puts(out, "</strong>. Data: ");
	buf_put_html(out, s->source);
	buf_puts(out, ". Audience: ");
	buf_put_html(out, s->audience);
	buf_puts(out, ".</p>\n</div>\n</div>\n</header>\n");
	buf_puts(out, "<div class=\"wrap\">\n");
	if (p->ncrumbs > 1) {
		buf_puts(out, "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n<ol>\n");
		for (int i = 0; i < p->ncrumbs; i++) {
			if (i == p->ncrumbs - 1) {
				buf_puts(out, "<li><span aria-current=\"page\">");
				buf_put_html(out, p->crumbs[i].label);
				buf_puts(out, "</span></li>\n");
			} else {
				buf_printf(out, "<li><a href=\"%s", p->root);
				buf_put_html(out, p->crumbs[i].href);
				buf_puts(out, "\">");
				buf_put_html(out, p->crumbs[i].label);
				buf_puts(out, "</a></li>\n");
			}
		}
		buf_puts(out, "</ol>\n</nav>\n");
	}
	buf_puts(out, "<main id=\"main\">\n");
	if (s->warning && !strcmp(p->path, "index.html")) {
		buf_puts(out, "<div class=\"dq-banner\" role=\"note\" aria-label=\"Data-quality warning\">\n"
			      "<p><strong>Data-quality warning.</strong> ");
		buf_put_html(out, s->warning);
		if (s->tests_page)
			buf_printf(out, " <a href=\"%stests.html\">See the data tests</a>.", p->root);
		buf_puts(out, "</p>\n</div>\n");
	}
	buf_puts(out, p->main);
	buf_puts(out, "</main>\n</div>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>Generated by ");
	buf_put_html(out, s->product);
	buf_putc(out, ' ');
	buf_put_html(out, s->version);
	buf_puts(out, " from the data models of this run; every figure is computed, none typed in. Census date ");
	buf_put_html(out, s->census);
	buf_puts(out, ". Data: ");
	buf_put_html(out, s->source);
	buf_puts(out, ". Audience: ");
	buf_put_html(out, s->audience);
	buf_printf(out, ".</p>\n<p><a href=\"%smethodology.html\">Methodology and glossary</a> &middot; "
			"<a href=\"%sdata-quality.html\">Data quality</a> &middot; ",
		   p->root, p->root);
	if (s->tests_page)
		buf_printf(out, "<a href=\"%stests.html\">Data tests</a> &middot; ", p->root);
	buf_printf(out, "<a href=\"%smodels/index.html\">Data models</a></p>\n</div>\n</footer>\n</body>\n</html>\n",
		   p->root);
}
