/* The data blocks of a template drawn as HTML: tables (with links from
 * their cells to entity pages), charts with the data behind them, KPI
 * tiles, inline values, the downloads and packs lists, diagrams and
 * notes. html.c walks the template and hands each block to
 * html_render_block. Every string from the data is escaped. */
#include "out/html/html_impl.h"
#include "query/blocks.h"
#include "draw/chart.h"
#include "registry/disclosure.h"
#include "core/format.h"
#include "out/html/htmltable.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	html_put_text(h, out, b->caption);
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
			html_put_text(h, out, b->caption);
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
		html_put_text(h, out, b->title);
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
		html_put_text(h, out, b->caption);
		buf_puts(out, "</figcaption>\n");
	}
	buf_puts(out, "</figure>\n");
	chart_free(c);
}

/* ---- Any block ---- */

int html_render_block(html_ctx *h, buf *out, const tpl_block *b)
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
		int rc = html_render_node(h, out, b->body);
		buf_puts(out, "</div>\n");
		return rc;
	default: render_inline(h, out, b); return 0;
	}
}
