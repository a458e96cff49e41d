/* The PDF back-end of the templates: one switch over cmark node types, as
 * in html.c, writing to the PDF device (out/pdf/pdf.h) instead of HTML. The
 * first level-1 heading is the cover's title and the paragraph after it
 * the cover's subtitle; "##" headings are the sections (contents and
 * bookmarks), "###" their subsections; a thematic break ("---") starts a
 * new page. A first section headed "Cover sheet" is the board's cover
 * sheet: its pages come before the contents. */
#include "out/pdf/pack.h"
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

typedef struct pk {
	pdf_doc *d;
	blk_env e;
	int depth;           /* list nesting */
	int quote;           /* inside a block quote or a note */
	const char *bullet;  /* for the next paragraph of a list item */
	int cover_sheet;     /* inside the "Cover sheet" section: front matter */
	int errors;
} pk;

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
static char *plain(pk *k, cmark_node *n)
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

static int walk(pk *k, cmark_node *parent);
static int is_cover_node(const template *t, cmark_node *n);

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
		int rc = walk(k, b->body);
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

static int walk(pk *k, cmark_node *parent)
{
	int rc = 0;
	for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		if (parent == k->e.tpl->doc && is_cover_node(k->e.tpl, n))
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
			char *t = plain(k, n);
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
				rc |= walk(k, it);
				k->bullet = NULL;
			}
			k->depth--;
			pdf_vspace(k->d, 4);
			break;
		}
		case CMARK_NODE_BLOCK_QUOTE:
			k->quote++;
			rc |= walk(k, n);
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
		*title = plain(k, n);
		cmark_node *p = cmark_node_next(n);
		if (p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH && !tpl_block_of(t, p))
			*subtitle = plain(k, p);
		return;
	}
}

static int is_cover_node(const template *t, cmark_node *n)
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
	int rc = walk(&k, f->t->doc);
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
