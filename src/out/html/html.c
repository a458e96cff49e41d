/* The HTML renderer: one switch over cmark node types, with data blocks
 * handed to their own writers. Raw HTML in templates is left out, so a
 * template cannot break the page's structure or inject script. */
#include "out/html/html.h"
#include "query/blocks.h"
#include "draw/chart.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "out/html/htmltable.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static void put_text(html_ctx *h, buf *out, const char *s)
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

/* ---- Links from table cells to entity pages ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The page of a cell, or NULL. */
static const char *cell_link(html_ctx *h, const tpl_result *r, int c, size_t row, const html_link_dir **dir)
{
	const char *name = r->cols[c].name;
	for (int i = 0; i < h->ndirs; i++) {
		const html_link_dir *d = &h->dirs[i];
		if (h->link_dir ? strcmp(d->dir, h->link_dir) : d->explicit_only)
			continue;
		if (strcmp(name, d->param) && strcmp(name, d->label))
			continue;
		const char *key = NULL;
		int kc = res_col_index(r, d->param);
		if (kc >= 0)
			key = res_at(r, row, kc)->s;
		else if (r->src && r->src->t && tbl_col(r->src->t, d->param) >= 0 &&
			 r->src->t->cols[tbl_col(r->src->t, d->param)].type == T_STR)
			key = tbl_str(r->src->t, tbl_col(r->src->t, d->param), r->rep[row]);
		if (!key || !*key || !bsearch(&key, d->values, d->nvalues, sizeof *d->values, cmp_str))
			return NULL;
		*dir = d;
		return key;
	}
	return NULL;
}

char *html_page_file(const char *key)
{
	char *s = xstrdup(key);
	for (char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
			*p = '_';
	return s;
}

static void put_page_name(buf *out, const char *key)
{
	char *f = html_page_file(key);
	buf_puts(out, f);
	free(f);
}

/* ---- Tables ---- */

static int numeric(const res_col *c)
{
	return c->type != T_STR && c->type != T_BOOL;
}

/* Whether the table block being rendered lets the reader filter by col. */
static int filter_col(const html_ctx *h, const char *col)
{
	for (int i = 0; h->table && i < h->table->nfilters; i++)
		if (!strcmp(h->table->filters[i].s, col))
			return 1;
	return 0;
}

static int cmp_cstrp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many leading bytes of an identifier column tell its values apart:
 * at least 8, and one more than the longest prefix two different values
 * share, so a short form never stands for two identifiers. */
static size_t short_len(const tpl_result *r, int c)
{
	const char **v = xmalloc((r->nrows ? r->nrows : 1) * sizeof *v);
	size_t n = 0, len = 8;
	for (size_t i = 0; i < r->nrows; i++)
		if (res_at(r, i, c)->s)
			v[n++] = res_at(r, i, c)->s;
	qsort(v, n, sizeof *v, cmp_cstrp);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (v[i - 1][k] && v[i - 1][k] == v[i][k])
			k++;
		if (v[i - 1][k] != v[i][k] && k + 1 > len)
			len = k + 1;
	}
	free(v);
	return len;
}

/* A clinical identifier cell: its first len bytes (cut at a character
 * boundary) and an ellipsis, the whole identifier in the tooltip. */
static void put_short_id(buf *out, const char *s, size_t len)
{
	size_t n = strlen(s);
	if (n <= len + 1) {
		buf_put_html(out, s);
		return;
	}
	while (len < n && ((unsigned char)s[len] & 0xC0) == 0x80)
		len++;
	buf_puts(out, "<span title=\"");
	buf_put_html(out, s);
	buf_puts(out, "\">");
	char *p = xstrndup(s, len);
	buf_put_html(out, p);
	free(p);
	buf_puts(out, "\u2026</span>");
}

void html_result_table(html_ctx *h, buf *out, const tpl_result *r, const char *caption)
{
	const char *cap_id = html_unique_id(h, caption && *caption ? caption : "table");
	int filters = h->table && h->table->nfilters > 0;
	ht_open(out, cap_id, filters ? "data sortable worklist" : "data sortable", caption && *caption ? caption : "Table");
	ht_head(out);
	size_t *shortn = xcalloc((size_t)(r->ncols ? r->ncols : 1), sizeof *shortn);
	for (int c = 0; c < r->ncols; c++) {
		const res_col *rc = &r->cols[c];
		if (rc->hidden)
			continue;
		if (rc->ident && h->cat->clinical && rc->type == T_STR)
			shortn[c] = short_len(r, c);
		const char *label = rc->label ? rc->label : rc->name, *cls = numeric(rc) ? "num" : NULL;
		if (filters && filter_col(h, rc->name))
			ht_col_attr(out, label, cls, "data-filter", rc->name);
		else
			ht_col(out, label, cls);
	}
	ht_body(out);
	char tmp[FMT_MAX];
	for (size_t i = 0; i < r->nrows; i++) {
		ht_row(out);
		int first = 1;
		for (int c = 0; c < r->ncols; c++) {
			const res_col *rc = &r->cols[c];
			if (rc->hidden)
				continue;
			const res_cell *v = res_at(r, i, c);
			const char *tag = first && rc->type == T_STR ? "th" : "td";
			buf_printf(out, "<%s%s", tag, first && rc->type == T_STR ? " scope=\"row\"" : "");
			if (rc->ident)
				buf_puts(out, " class=\"id\"");
			if (numeric(rc)) {
				buf_puts(out, " class=\"num\"");
				if (!v->star && !isnan(v->v))
					buf_printf(out, " data-sort=\"%.10g\"", v->v);
				else
					buf_puts(out, " data-sort=\"\"");
			}
			if (filters && rc->type == T_DATE && !v->star && !isnan(v->v)) {
				char iso[16];
				date_fmt((int32_t)v->v, iso);
				buf_printf(out, " data-csv=\"%s\"", iso);
			}
			buf_putc(out, '>');
			first = 0;
			if (rc->ident && !h->cat->clinical) {
				/* Validation keeps identifiers off board pages; never print one. */
				buf_printf(out, "withheld</%s>", tag);
				continue;
			}
			const html_link_dir *d = NULL;
			const char *key = rc->type == T_STR && v->s ? cell_link(h, r, c, i, &d) : NULL;
			const char *text = res_fmt(rc, v, tmp);
			if (key) {
				buf_printf(out, "<a href=\"%s%s/", h->root, d->dir);
				put_page_name(out, key);
				buf_puts(out, ".html\">");
			}
			if (v->star)
				buf_puts(out, v->star0 ? "<abbr title=\"0 to 7, suppressed to protect privacy\">*</abbr>"
						       : "<abbr title=\"1 to 7, suppressed to protect privacy\">*</abbr>");
			else if (shortn[c] && v->s)
				put_short_id(out, v->s, shortn[c]);
			else if (!*text && !strcmp(tag, "th"))
				buf_puts(out, "Not recorded"); /* a row header is never blank (as the charts' labels) */
			else
				buf_put_html(out, text);
			if (key)
				buf_puts(out, "</a>");
			buf_printf(out, "</%s>", tag);
		}
		ht_row_end(out);
	}
	ht_close(out);
	free(shortn);
	if (filters && !h->worklist_js) {
		/* Filters and the CSV of the rows shown; the table works without. */
		buf_printf(out, "<script src=\"%sassets/worklist.js\" defer></script>\n", h->root);
		h->worklist_js = 1;
	}
}

static void result_notes(buf *out, const tpl_result *r, const tpl_query *q, const char *title)
{
	buf note = {0};
	blk_result_notes(&note, r, q, title);
	if (note.n) {
		buf_puts(out, "<p class=\"table-note\">");
		buf_put_html(out, note.s);
		buf_puts(out, "</p>\n");
	}
	buf_free(&note);
}

/* The block's caption= note, under its table. */
static void put_caption(html_ctx *h, buf *out, const tpl_block *b)
{
	if (!b->caption)
		return;
	buf_puts(out, "<p class=\"table-note\">");
	put_text(h, out, b->caption);
	buf_puts(out, "</p>\n");
}

static void no_rows(html_ctx *h, buf *out, const tpl_block *b, const tpl_result *r)
{
	blk_env e = {h->cat, h->tpl, h->ent, h->cache, 0, 0, 0};
	char *text = blk_empty_text(&e, b, r);
	buf_puts(out, "<p class=\"empty\">");
	buf_put_html(out, text);
	buf_puts(out, "</p>\n");
	free(text);
}

static void render_table(html_ctx *h, buf *out, const tpl_block *b)
{
	qctx x = {h->cat, h->ent, h->cache, 0};
	tpl_result r;
	tpl_eval(&x, &b->q, b, &r);
	char *title = tpl_text(h->cat, h->ent, b->title);
	if (r.nrows == 0) {
		if (title) {
			buf_puts(out, "<p class=\"caption\">");
			buf_put_html(out, title);
			buf_puts(out, "</p>\n");
		}
		no_rows(h, out, b, &r);
	} else {
		h->link_dir = b->link;
		h->table = b;
		html_result_table(h, out, &r, title);
		h->table = NULL;
		h->link_dir = NULL;
		put_caption(h, out, b);
		result_notes(out, &r, &b->q, title);
	}
	free(title);
	tpl_result_free(&r);
}

/* ---- Charts ---- */

static void put_caption_para(buf *out, const char *title)
{
	if (!title)
		return;
	buf_puts(out, "<p class=\"caption\">");
	buf_put_html(out, title);
	buf_puts(out, "</p>\n");
}

/* An SPC chart's verdicts as a paragraph: below the chart; or, for a block
 * with show=verdict (b not NULL), instead of it, led by the chart's title.
 * Returns 1 when the block shows the verdict only. */
static int spc_verdict(buf *out, const tpl_block *b, const blk_chart *c)
{
	const char *show = b ? blk_opt(b, "show") : NULL;
	int only = show && !strcmp(show, "verdict");
	if (b && !only)
		return 0;
	if (!c->c->variation)
		return only;
	buf_puts(out, "<p class=\"spc-verdict\">");
	if (only && c->title) {
		buf_puts(out, "<strong>");
		buf_put_html(out, c->title);
		buf_puts(out, ":</strong> ");
	}
	buf_puts(out, "<strong>");
	buf_put_html(out, c->c->variation);
	buf_puts(out, "</strong>");
	if (c->c->assurance) {
		buf_puts(out, " ");
		buf_put_html(out, c->c->assurance);
	}
	buf_puts(out, "</p>\n");
	return only;
}

/* The chart as drawn for the content column, and again laid out for a
 * phone (PHONE_W units wide, so that its text keeps a readable size when
 * the drawing shrinks to a 390 px screen); site.css shows one of the two
 * by the width of the window. The phone drawing's ids end in "-phone". */
#define PHONE_W 440.0
#define PHONE_H 380.0
static void chart_svg_responsive(html_ctx *h, const tpl_block *b, const chart *wide, buf *out)
{
	blk_env e = {h->cat, h->tpl, h->ent, h->cache, 0, PHONE_W, PHONE_H};
	blk_chart n;
	int ok = blk_chart_eval(&e, b, &n) == BLK_CHART_OK && n.c;
	if (!ok) {
		chart_svg(wide, out);
		blk_chart_free(&n);
		return;
	}
	free(n.c->id);
	size_t k = strlen(wide->id) + 7;
	n.c->id = xmalloc(k);
	snprintf(n.c->id, k, "%s-phone", wide->id);
	buf_puts(out, "<div class=\"chart-wide\">\n");
	chart_svg(wide, out);
	buf_puts(out, "</div>\n<div class=\"chart-phone\">\n");
	chart_svg(n.c, out);
	buf_puts(out, "</div>\n");
	blk_chart_free(&n);
}

static int render_chart(html_ctx *h, buf *out, const tpl_block *b)
{
	blk_env e = {h->cat, h->tpl, h->ent, h->cache, h->ncharts, 0, 0};
	blk_chart c;
	blk_chart_state st = blk_chart_eval(&e, b, &c);
	h->ncharts = e.ncharts;
	int rc = 0;
	switch (st) {
	case BLK_CHART_EMPTY:
		put_caption_para(out, c.title);
		no_rows(h, out, b, &c.r);
		break;
	case BLK_CHART_STARRED:
		put_caption_para(out, c.title);
		buf_puts(out, "<p class=\"empty\">Every figure of this chart is between 1 and 7, so none is shown, to "
			      "protect privacy.</p>\n");
		break;
	case BLK_CHART_ERROR:
		h->errors++;
		rc = EXIT_INPUT;
		break;
	case BLK_CHART_OK:
		if (spc_verdict(out, b, &c))
			break;
		buf_puts(out, "<figure class=\"chart\">\n");
		chart_svg_responsive(h, b, c.c, out);
		spc_verdict(out, NULL, &c);
		if (b->caption) {
			buf_puts(out, "<figcaption>");
			put_text(h, out, b->caption);
			buf_puts(out, "</figcaption>\n");
		}
		/* The table of the chart's numbers (a column per week on some
		 * charts) scrolls inside its own frame rather than past the page. */
		buf_puts(out, "</figure>\n<details class=\"chart-data\"><summary>Data behind the chart</summary>\n");
		ht_region_open(out, c.c->title ? c.c->title : "Data behind the chart");
		chart_data_table(c.c, out);
		ht_region_close(out);
		buf_puts(out, "</details>\n");
		result_notes(out, &c.r, NULL, c.title);
		break;
	}
	blk_chart_free(&c);
	return rc;
}

/* ---- KPIs ---- */

static void rag_badge(buf *out, const char *status, int long_form)
{
	static const struct { const char *s, *icon; } b[] = {
		{"green", "&#10003;"}, {"amber", "&#9650;"}, {"red", "&#10007;"}, {"no_pathways", "&#9675;"},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		if (!strcmp(status, b[i].s)) {
			buf_printf(out, "%s<span class=\"rag rag-%s\"><span aria-hidden=\"true\">%s</span> %s</span>",
				   long_form ? "" : " ", b[i].s, b[i].icon, blk_rag_text(status, long_form));
			return;
		}
}

static void render_kpis(html_ctx *h, buf *out, const tpl_block *b)
{
	if (b->title) {
		buf_puts(out, "<p class=\"caption\">");
		put_text(h, out, b->title);
		buf_puts(out, "</p>\n");
	}
	blk_env e = {h->cat, h->tpl, h->ent, h->cache, 0, 0, 0};
	buf_puts(out, "<ul class=\"kpis\">\n");
	for (int i = 0; i < b->nkpis; i++) {
		blk_kpi k;
		if (blk_kpi_eval(&e, b, i, &k))
			continue;
		buf_printf(out, "<li class=\"kpi kpi-%s\">\n<p class=\"kpi-label\">", k.status);
		buf_put_html(out, k.label);
		/* Words ("not measured") in a smaller type than a figure. */
		buf_puts(out, isalpha((unsigned char)k.value[0]) ? "</p>\n<p class=\"kpi-value kpi-words\">"
								 : "</p>\n<p class=\"kpi-value\">");
		buf_put_html(out, k.value);
		buf_puts(out, "</p>\n");
		char min[FMT_MAX];
		if (k.small)
			buf_printf(out, "<p class=\"kpi-std\">Not shown: this build has fewer than %s open pathways, too few "
					"to publish this figure exactly.</p>\n", fmt_int(min, SDC_TOP_LEVEL_MIN));
		else if (k.star)
			buf_puts(out, "<p class=\"kpi-std\">Between 1 and 7: not shown, to protect privacy.</p>\n");
		rag_badge(out, k.status, 1);
		buf_puts(out, "\n<p class=\"kpi-std\">");
		if (*k.standard)
			buf_printf(out, "Standard: %s. ", k.standard);
		if (k.local)
			buf_printf(out, "All areas: %s.", k.all);
		else
			buf_puts(out, !strcmp(k.direction, "higher_better") ? "Higher is better." : "Lower is better.");
		buf_puts(out, "</p>\n</li>\n");
	}
	buf_puts(out, "</ul>\n");
}

/* ---- Inline values ---- */

static void render_inline(html_ctx *h, buf *out, const tpl_block *b)
{
	blk_env e = {h->cat, h->tpl, h->ent, h->cache, 0, 0, 0};
	blk_inline v;
	blk_inline_eval(&e, b, &v);
	buf_put_html(out, v.pre);
	if (*v.value) {
		buf_puts(out, "<strong class=\"value\">");
		if (v.star)
			buf_puts(out, "<abbr title=\"suppressed to protect privacy\">");
		buf_put_html(out, v.value);
		if (v.star)
			buf_puts(out, "</abbr>");
		buf_puts(out, "</strong>");
	}
	buf_put_html(out, v.post);
	if (v.rag)
		rag_badge(out, v.rag, 0);
}

/* ---- Downloads ---- */

/* A scrolling region with a table and its caption, up to <thead>. */
static void open_table(html_ctx *h, buf *out, const char *caption, int sortable)
{
	ht_open(out, html_unique_id(h, caption), sortable ? "data sortable" : "data", caption);
}

static void render_downloads(html_ctx *h, buf *out, const tpl_block *b)
{
	char a[FMT_MAX];
	if (h->ndownloads == 0) {
		buf_puts(out, "<p class=\"empty\">No downloads in this build.</p>\n");
		return;
	}
	open_table(h, out, b->title ? b->title : "Files", 0);
	ht_head(out);
	ht_col(out, "File", NULL);
	ht_col(out, "Contents", NULL);
	ht_col(out, "Rows", "num");
	ht_col(out, "Size (KB)", "num");
	ht_col(out, "Disclosure control", NULL);
	ht_body(out);
	for (int i = 0; i < h->ndownloads; i++) {
		const html_download *d = &h->downloads[i];
		buf_printf(out, "<tr><th scope=\"row\"><a href=\"%s", h->root);
		buf_put_html(out, d->file);
		buf_puts(out, "\" download>");
		buf_put_html(out, strrchr(d->file, '/') ? strrchr(d->file, '/') + 1 : d->file);
		buf_puts(out, "</a></th>");
		ht_cell(out, d->description ? d->description : "", NULL);
		ht_cell(out, fmt_int(a, (int64_t)d->rows), "num");
		ht_cell(out, fmt_int(a, (int64_t)((d->bytes + 1023) / 1024)), "num");
		ht_cell(out, d->controlled ? "Rounded; 1 to 7 shown as *" : "Exact figures", NULL);
		ht_row_end(out);
	}
	ht_close(out);
}

/* ---- Packs and diagrams ---- */

static void render_packs(html_ctx *h, buf *out, const tpl_block *b)
{
	char a[FMT_MAX];
	if (h->npacks == 0) {
		buf_puts(out, h->cat->clinical ? "<p class=\"empty\">No briefing packs in this build: packs are made "
						 "for the board audience only.</p>\n"
					       : "<p class=\"empty\">No briefing packs in this build: the templates have no "
						 "packs/ folder.</p>\n");
		return;
	}
	open_table(h, out, b->title ? b->title : "Briefing packs", 1);
	ht_head(out);
	ht_col(out, "Pack", NULL);
	ht_col(out, "File", NULL);
	ht_col(out, "Pages", "num");
	ht_col(out, "Size (KB)", "num");
	ht_body(out);
	for (int i = 0; i < h->npacks; i++) {
		const html_pack *p = &h->packs[i];
		ht_row(out);
		ht_rowhead(out, p->title);
		buf_printf(out, "<td><a href=\"%s", h->root);
		buf_put_html(out, p->file);
		buf_puts(out, "\">");
		buf_put_html(out, strrchr(p->file, '/') ? strrchr(p->file, '/') + 1 : p->file);
		buf_printf(out, "</a></td><td class=\"num\" data-sort=\"%d\">%d</td>", p->pages, p->pages);
		buf_printf(out, "<td class=\"num\" data-sort=\"%zu\">%s</td></tr>\n", p->bytes,
			   fmt_int(a, (int64_t)((p->bytes + 1023) / 1024)));
	}
	ht_close(out);
}

static void render_diagram(html_ctx *h, buf *out, const tpl_block *b)
{
	chart *c = blk_diagram(b, h->root);
	if (!c)
		return;
	char id[32];
	snprintf(id, sizeof id, "diagram-%d", ++h->ncharts);
	free(c->id);
	c->id = xstrdup(id);
	buf_puts(out, "<figure class=\"chart diagram\">\n");
	chart_svg(c, out);
	if (b->caption) {
		buf_puts(out, "<figcaption>");
		put_text(h, out, b->caption);
		buf_puts(out, "</figcaption>\n");
	}
	buf_puts(out, "</figure>\n");
	chart_free(c);
}

/* ---- The tree ---- */

static int render_node(html_ctx *h, buf *out, cmark_node *root);

static int render_block(html_ctx *h, buf *out, const tpl_block *b)
{
	switch (b->kind) {
	case BLK_TABLE: render_table(h, out, b); return 0;
	case BLK_CHART: return render_chart(h, out, b);
	case BLK_KPIS: render_kpis(h, out, b); return 0;
	case BLK_DOWNLOADS: render_downloads(h, out, b); return 0;
	case BLK_PACKS: render_packs(h, out, b); return 0;
	case BLK_DIAGRAM: render_diagram(h, out, b); return 0;
	case BLK_NOTE:
		if (!tpl_when_holds(h->cat, b->when) || !b->body)
			return 0;
		buf_puts(out, "<div class=\"note\">\n");
		int rc = render_node(h, out, b->body);
		buf_puts(out, "</div>\n");
		return rc;
	default: render_inline(h, out, b); return 0;
	}
}

static int render_node(html_ctx *h, buf *out, cmark_node *root)
{
	int rc = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		const tpl_block *b = tpl_block_of(h->tpl, n);
		if (b) {
			if (enter && render_block(h, out, b))
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
		case CMARK_NODE_TEXT: put_text(h, out, cmark_node_get_literal(n)); break;
		case CMARK_NODE_SOFTBREAK: buf_putc(out, '\n'); break;
		case CMARK_NODE_LINEBREAK: buf_puts(out, "<br>\n"); break;
		case CMARK_NODE_CODE:
			buf_puts(out, "<code>");
			put_text(h, out, cmark_node_get_literal(n));
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
					put_text(h, out, title);
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
	int rc = render_node(h, out, h->tpl->doc);
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
