/* Drawing a pack template's content on the PDF device: the cmark walk
 * (headings as sections and subsections, paragraphs, lists, quotes and
 * notes, page breaks) and the template blocks inside it, tables, charts,
 * KPI tiles and inline values, each evaluated through query/blocks.h as
 * the HTML pages are. pack.c finds the packs, lays out their covers and
 * calls pack_walk for the body. */
#include "out/pdf/pack_impl.h"
#include "registry/disclosure.h"
#include "query/blocks.h"
#include "query/entity.h"
#include "query/query.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static colour rag_colour(const char *status)
{
	if (!status)
		return NHS_MID_GREY;
	if (!strcmp(status, "green"))
		return NHS_GREEN;
	if (!strcmp(status, "amber"))
		return 0xB35C00u; /* dark amber: readable as text on white */
	if (!strcmp(status, "red"))
		return 0xD5281Bu; /* NHS red */
	return NHS_MID_GREY;
}

static const char *rag_icon(const char *status)
{
	if (!status)
		return "";
	static const char *const icon[][2] = {
		{"green", "✓ "}, {"amber", "▲ "}, {"red", "✗ "}, {"no_pathways", "○ "},
	};
	for (size_t i = 0; i < sizeof icon / sizeof icon[0]; i++)
		if (!strcmp(status, icon[i][0]))
			return icon[i][1];
	return "";
}

/* ---- Inlines ---- */

static void add_text(pk *k, pdf_para *p, const char *s, pdf_face f, colour c)
{
	if (strstr(s, "{{")) {
		char *t = tpl_text(k->e.cat, k->e.ent, s);
		pdf_para_add(p, t, f, c);
		free(t);
	} else
		pdf_para_add(p, s, f, c);
}

static pdf_face bolder(pdf_face f)
{
	return f == PF_COND ? PF_COND_BOLD : PF_BOLD;
}

/* Whether an inline value stands in parentheses of the template's own:
 * the text before it in p ends with "(" and the node after it starts
 * with ")". */
static int in_parens(const pdf_para *p, cmark_node *next)
{
	if (!p->n || !next || cmark_node_get_type(next) != CMARK_NODE_TEXT)
		return 0;
	const char *t = p->v[p->n - 1].text, *after = cmark_node_get_literal(next);
	size_t n = strlen(t);
	return n && t[n - 1] == '(' && after && after[0] == ')';
}

/* An inline value; paren: it stands in parentheses already, so what it
 * would add in parentheses of its own (a RAG badge, a top value's count)
 * follows a comma instead: "(60.5%, ✗ Red)", not "(60.5% (✗ Red))". */
static void inline_block(pk *k, pdf_para *p, const tpl_block *b, int paren)
{
	blk_inline v;
	blk_inline_eval(&k->e, b, &v);
	size_t pn = strlen(v.post);
	if (paren && pn > 3 && !strncmp(v.post, " (", 2) && v.post[pn - 1] == ')') {
		v.post[pn - 1] = '\0';
		v.post[0] = ',';
		v.post[1] = ' ';
	}
	pdf_para_add(p, v.pre, PF_REGULAR, p->st.col);
	pdf_para_add(p, v.value, PF_BOLD, p->st.col);
	pdf_para_add(p, v.post, PF_REGULAR, p->st.col);
	if (v.rag && blk_rag_text(v.rag, 0)) {
		char t[64];
		snprintf(t, sizeof t, paren ? ", %s%s" : " (%s%s)", rag_icon(v.rag), blk_rag_text(v.rag, 0));
		pdf_para_add(p, t, PF_BOLD, rag_colour(v.rag));
	}
}

static void inlines(pk *k, cmark_node *parent, pdf_para *p, pdf_face f, colour c)
{
	for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		const tpl_block *b = tpl_block_of(k->e.tpl, n);
		if (b) {
			inline_block(k, p, b, in_parens(p, cmark_node_next(n)));
			continue;
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT: add_text(k, p, cmark_node_get_literal(n), f, c); break;
		case CMARK_NODE_CODE: add_text(k, p, cmark_node_get_literal(n), PF_COND, c); break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: pdf_para_add(p, " ", f, c); break;
		case CMARK_NODE_EMPH: inlines(k, n, p, f == PF_BOLD ? PF_BOLD : PF_ITALIC, c); break;
		case CMARK_NODE_STRONG: inlines(k, n, p, bolder(f), c); break;
		case CMARK_NODE_LINK: {
			/* Absolute addresses are clickable; links to site pages have no
			 * target on paper and read as plain text. */
			const char *u = cmark_node_get_url(n);
			if (u && pdf_uri_absolute(u)) {
				pdf_para sub;
				pdf_para_init(&sub, &p->st);
				inlines(k, n, &sub, f, NHS_BLUE);
				for (size_t i = 0; i < sub.n; i++)
					pdf_para_add_link(p, sub.v[i].text, sub.v[i].face, NHS_BLUE, u);
				pdf_para_free(&sub);
			} else
				inlines(k, n, p, f, c);
			break;
		}
		case CMARK_NODE_IMAGE: inlines(k, n, p, PF_ITALIC, c); break;
		default: break;
		}
	}
}

/* The plain text of a node's inlines, placeholders replaced. Caller frees. */
char *pack_plain(pk *k, cmark_node *n)
{
	pdf_para p;
	pdf_para_init(&p, &PDF_BODY);
	inlines(k, n, &p, PF_REGULAR, NHS_TEXT);
	buf b = {0};
	buf_puts(&b, "");
	for (size_t i = 0; i < p.n; i++)
		buf_puts(&b, p.v[i].text);
	pdf_para_free(&p);
	return b.s;
}

/* ---- Blocks ---- */

static pdf_style body_style(const pk *k)
{
	pdf_style st = PDF_BODY;
	st.indent = 14.0 * k->depth + (k->quote ? 14 : 0);
	if (k->depth) {
		st.hang = 11;
		st.space_after = 3;
	}
	if (k->quote) {
		st.bar = 1;
		st.bar_col = NHS_BLUE;
	}
	return st;
}

static void small_note(pk *k, const char *text)
{
	if (!text || !*text)
		return;
	pdf_para p;
	pdf_style st = PDF_SMALL;
	st.indent = body_style(k).indent;
	pdf_para_init(&p, &st);
	add_text(k, &p, text, PF_REGULAR, st.col);
	pdf_para_flow(k->d, &p);
	pdf_para_free(&p);
}

static void caption(pk *k, const char *title)
{
	if (!title)
		return;
	pdf_para p;
	pdf_para_init(&p, &PDF_CAPTION);
	pdf_para_add(&p, title, PF_BOLD, NHS_TEXT);
	pdf_need(k->d, pdf_para_height(k->d, &p) + 30);
	pdf_para_flow(k->d, &p);
	pdf_para_free(&p);
}

static void render_table(pk *k, const tpl_block *b)
{
	qctx x = {k->e.cat, k->e.ent, k->e.cache, 0};
	tpl_result r;
	tpl_eval(&x, &b->q, b, &r);
	char *title = blk_title(&k->e, b);
	if (r.nrows == 0) {
		caption(k, title);
		char *t = blk_empty_text(&k->e, b, &r);
		small_note(k, t);
		free(t);
	} else {
		int nc = 0;
		for (int c = 0; c < r.ncols; c++)
			nc += !r.cols[c].hidden;
		const char **head = xcalloc((size_t)nc, sizeof *head);
		char **cells = xcalloc(r.nrows * (size_t)nc, sizeof *cells);
		unsigned char *num = xcalloc((size_t)nc, 1);
		char tmp[FMT_MAX];
		for (int c = 0, o = 0; c < r.ncols; c++) {
			const res_col *rc = &r.cols[c];
			if (rc->hidden)
				continue;
			head[o] = rc->label ? rc->label : rc->name;
			num[o] = rc->type != T_STR && rc->type != T_BOOL;
			for (size_t i = 0; i < r.nrows; i++) {
				const res_cell *v = res_at(&r, i, c);
				/* Packs are board documents: an identifier is never printed. */
				cells[i * (size_t)nc + (size_t)o] = xstrdup(rc->ident ? "withheld" : res_fmt(rc, v, tmp));
			}
			o++;
		}
		pdf_table t = {nc, r.nrows, head, (const char *const *)cells, num, title};
		pdf_table_flow(k->d, &t);
		for (size_t i = 0; i < r.nrows * (size_t)nc; i++)
			free(cells[i]);
		free(cells);
		free(head);
		free(num);
		if (b->caption)
			small_note(k, b->caption);
		buf note = {0};
		blk_result_notes(&note, &r, &b->q, title);
		small_note(k, note.s);
		buf_free(&note);
	}
	free(title);
	tpl_result_free(&r);
}

/* An SPC chart's verdicts as a paragraph (after the chart, or instead of
 * it, led by its title, when only is set). */
static void spc_verdict(pk *k, const blk_chart *c, int only)
{
	if (!c->c->variation)
		return;
	pdf_style st = body_style(k);
	pdf_para p;
	pdf_para_init(&p, &st);
	if (only && c->title) {
		add_text(k, &p, c->title, PF_BOLD, st.col);
		add_text(k, &p, ": ", PF_BOLD, st.col);
	}
	add_text(k, &p, c->c->variation, PF_BOLD, st.col);
	if (c->c->assurance) {
		add_text(k, &p, " ", PF_REGULAR, st.col);
		add_text(k, &p, c->c->assurance, PF_REGULAR, st.col);
	}
	pdf_para_flow(k->d, &p);
	pdf_para_free(&p);
}

static int render_chart(pk *k, const tpl_block *b)
{
	blk_chart c;
	int rc = 0;
	switch (blk_chart_eval(&k->e, b, &c)) {
	case BLK_CHART_EMPTY: {
		caption(k, c.title);
		char *t = blk_empty_text(&k->e, b, &c.r);
		small_note(k, t);
		free(t);
		break;
	}
	case BLK_CHART_STARRED:
		caption(k, c.title);
		small_note(k, "Every figure of this chart is between 1 and 7, so none is shown, to protect privacy.");
		break;
	case BLK_CHART_ERROR: rc = EXIT_INPUT; break;
	case BLK_CHART_OK: {
		const char *show = blk_opt(b, "show");
		if (show && !strcmp(show, "verdict")) {
			spc_verdict(k, &c, 1);
			break;
		}
		pdf_chart_flow(k->d, c.c, 300);
		spc_verdict(k, &c, 0);
		if (b->caption)
			small_note(k, b->caption);
		buf note = {0};
		blk_result_notes(&note, &c.r, NULL, c.title);
		small_note(k, note.s);
		buf_free(&note);
		break;
	}
	}
	blk_chart_free(&c);
	return rc;
}

static void render_kpis(pk *k, const tpl_block *b)
{
	if (b->title) {
		char *t = blk_title(&k->e, b);
		caption(k, t);
		free(t);
	}
	pdf_tile *tiles = xcalloc((size_t)(b->nkpis ? b->nkpis : 1), sizeof *tiles);
	blk_kpi *kv = xcalloc((size_t)(b->nkpis ? b->nkpis : 1), sizeof *kv);
	char (*badge)[96] = xcalloc((size_t)(b->nkpis ? b->nkpis : 1), sizeof *badge);
	char (*note)[2 * FMT_MAX + 64] = xcalloc((size_t)(b->nkpis ? b->nkpis : 1), sizeof *note);
	int n = 0;
	for (int i = 0; i < b->nkpis; i++) {
		blk_kpi *v = &kv[n];
		if (blk_kpi_eval(&k->e, b, i, v))
			continue;
		const char *rag = blk_rag_text(v->status, 1);
		char min[FMT_MAX];
		if (rag)
			snprintf(badge[n], sizeof badge[n], "%s%s", rag_icon(v->status), rag);
		else if (v->small)
			snprintf(badge[n], sizeof badge[n], "Not shown: fewer than %s open pathways",
				 fmt_int(min, SDC_TOP_LEVEL_MIN));
		else if (v->star)
			snprintf(badge[n], sizeof badge[n], "1 to 7: not shown, to protect privacy");
		int o = 0;
		if (*v->standard)
			o += snprintf(note[n] + o, sizeof note[n] - (size_t)o, "Standard: %s. ", v->standard);
		if (v->local)
			snprintf(note[n] + o, sizeof note[n] - (size_t)o, "All areas: %s.", v->all);
		else
			snprintf(note[n] + o, sizeof note[n] - (size_t)o, "%s",
				 !strcmp(v->direction, "higher_better") ? "Higher is better." : "Lower is better.");
		tiles[n] = (pdf_tile){v->label, v->value, *badge[n] ? badge[n] : NULL, note[n], rag_colour(v->status)};
		n++;
	}
	pdf_tiles_flow(k->d, tiles, n);
	free(tiles);
	free(kv);
	free(badge);
	free(note);
}

static int render_block(pk *k, const tpl_block *b)
{
	switch (b->kind) {
	case BLK_TABLE: render_table(k, b); return 0;
	case BLK_CHART: return render_chart(k, b);
	case BLK_KPIS: render_kpis(k, b); return 0;
	case BLK_DOWNLOADS:
	case BLK_PACKS: return 0; /* the files are on the site */
	case BLK_DIAGRAM: {
		/* Diagrams are wide: a landscape page of their own keeps the text legible. */
		chart *c = blk_diagram(b, NULL);
		if (c) {
			char *title = blk_title(&k->e, b);
			char *cap = tpl_text(k->e.cat, k->e.ent, b->caption);
			pdf_chart_landscape(k->d, c, title, cap);
			free(title);
			free(cap);
			chart_free(c);
		}
		return 0;
	}
	case BLK_NOTE: {
		if (!tpl_when_holds(k->e.cat, b->when) || !b->body)
			return 0;
		k->quote++;
		int rc = pack_walk(k, b->body);
		k->quote--;
		return rc;
	}
	default: {
		pdf_para p;
		pdf_style st = body_style(k);
		pdf_para_init(&p, &st);
		inline_block(k, &p, b, 0);
		pdf_para_flow(k->d, &p);
		pdf_para_free(&p);
		return 0;
	}
	}
}

static void paragraph(pk *k, cmark_node *n)
{
	pdf_style st = body_style(k);
	pdf_para p;
	pdf_para_init(&p, &st);
	if (k->bullet) {
		pdf_para_set_bullet(&p, k->bullet);
		k->bullet = NULL;
	}
	inlines(k, n, &p, st.face, st.col);
	if (!pdf_para_empty(&p))
		pdf_para_flow(k->d, &p);
	pdf_para_free(&p);
}

int pack_walk(pk *k, cmark_node *parent)
{
	int rc = 0;
	for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		if (parent == k->e.tpl->doc && pack_is_cover_node(k->e.tpl, n))
			continue; /* drawn on the cover */
		const tpl_block *b = tpl_block_of(k->e.tpl, n);
		if (b) {
			rc |= render_block(k, b);
			continue;
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH: paragraph(k, n); break;
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n);
			char *t = pack_plain(k, n);
			if (level <= 2 && parent == k->e.tpl->doc) {
				if (k->cover_sheet) { /* the cover sheet ends at the next section */
					pdf_end_front_matter(k->d);
					pdf_page_break(k->d);
					k->cover_sheet = 0;
				}
				if (!strcmp(t, "Cover sheet") && pdf_body_pages(k->d) == 0)
					k->cover_sheet = 1;
			}
			pdf_heading(k->d, level <= 2 ? 1 : level == 3 ? 2 : 3, t, 70);
			free(t);
			break;
		}
		case CMARK_NODE_LIST: {
			int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			int no = cmark_node_get_list_start(n);
			k->depth++;
			for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it), no++) {
				char num[16];
				snprintf(num, sizeof num, "%d.", no);
				k->bullet = ordered ? num : k->depth > 1 ? "–" : "•";
				rc |= pack_walk(k, it);
				k->bullet = NULL;
			}
			k->depth--;
			pdf_vspace(k->d, 4);
			break;
		}
		case CMARK_NODE_BLOCK_QUOTE:
			k->quote++;
			rc |= pack_walk(k, n);
			k->quote--;
			break;
		case CMARK_NODE_CODE_BLOCK: {
			pdf_para p;
			pdf_para_init(&p, &PDF_CODE);
			pdf_para_add(&p, cmark_node_get_literal(n), PF_COND, NHS_TEXT);
			pdf_para_flow(k->d, &p);
			pdf_para_free(&p);
			break;
		}
		case CMARK_NODE_THEMATIC_BREAK:
			if (k->cover_sheet && parent == k->e.tpl->doc) {
				pdf_end_front_matter(k->d);
				k->cover_sheet = 0;
			}
			pdf_page_break(k->d);
			break;
		default: break; /* raw HTML is not passed through */
		}
	}
	return rc;
}
