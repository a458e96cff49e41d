/* Page templates: reads a template, parses it with cmark and finds its
 * data blocks (tpl_blocks.c), in notes' bodies too; checks its text and
 * links. The template language's parts are listed in tpl_impl.h. */
#include "template/tpl_impl.h"
#include "util/diag.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tpl_perr(template *t, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag(DIAG_ERROR, t->path, line, col, "%s", msg);
	t->nerrors++;
}

/* ---- Parsing ---- */

/* Finds the data blocks under root (the document, or a note's body). */
static void collect(template *t, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		if (ty == CMARK_NODE_CODE_BLOCK || ty == CMARK_NODE_CODE)
			tpl_block_parse(t, n);
	}
	cmark_iter_free(it);
}

template *tpl_parse(const char *text, size_t len, const char *path, const char *rel)
{
	template *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->rel = xstrdup(rel);
	t->src = xstrndup(text, len);
	t->len = len;
	/* trust/[trust_code].md renders once per trust_code. */
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (base[0] == '[') {
		const char *e = strchr(base, ']');
		if (e)
			t->param = xstrndup(base + 1, (size_t)(e - base - 1));
	}
	t->clinical = !strncmp(rel, "clinical/", 9);
	t->doc = cmark_parse_document(t->src, len, CMARK_OPT_DEFAULT);
	cmark_consolidate_text_nodes(t->doc);
	collect(t, t->doc);
	/* Notes' bodies may hold inline values and blocks too, notes among
	 * them: their positions are counted from where the body sits. */
	for (int i = 0; i < t->nblocks; i++)
		if (t->blocks[i].body) {
			cmark_node *body = t->blocks[i].body;
			t->line_off = t->blocks[i].body_line0;
			t->col_off = t->blocks[i].body_col0;
			cmark_consolidate_text_nodes(body);
			collect(t, body);
		}
	t->line_off = t->col_off = 0;
	return t;
}

#define TPL_MAX_BYTES (1 << 20)

/* The offset of the first byte of s that is a NUL or not UTF-8, or n when
 * all is well-formed UTF-8 text. */
static size_t bad_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = s[i] ? utf8_decode(s + i, n - i, NULL) : 0;
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

template *tpl_load(const char *path, const char *rel)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read template");
		return NULL;
	}
	size_t cap = 1 << 14, n = 0, k;
	char *s = xmalloc(cap);
	int big = 0;
	while ((k = fread(s + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n > TPL_MAX_BYTES) {
			big = 1; /* a device or a runaway file: stop, do not read until memory runs out */
			break;
		}
		if (n == cap)
			s = xrealloc(s, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	template *t = NULL;
	size_t at = big || bad ? n : bad_utf8(s, n);
	if (big)
		diag(DIAG_ERROR, path, 0, 0, "template larger than %d bytes; a page template is a few KB", TPL_MAX_BYTES);
	else if (bad)
		diag(DIAG_ERROR, path, 0, 0, "cannot read template");
	else if (at < n) {
		/* Not repaired: the page would carry bytes no browser can read. */
		long line = 1, col = 1;
		for (size_t i = 0; i < at; i++, col++)
			if (s[i] == '\n') {
				line++;
				col = 0;
			}
		if (s[at])
			diag(DIAG_ERROR, path, line, col, "invalid UTF-8 (byte 0x%02X): a template is UTF-8 text",
			     (unsigned char)s[at]);
		else
			diag(DIAG_ERROR, path, line, col, "NUL byte: a template is UTF-8 text");
	} else
		t = tpl_parse(s, n, path, rel);
	free(s);
	return t;
}

static void free_block(tpl_block *b)
{
	tpl_free_query(&b->q);
	free(b->title);
	free(b->link);
	tpl_free_names(b->filters, b->nfilters);
	tpl_free_list(b->labels, b->nlabels);
	free(b->empty);
	free(b->caption);
	free(b->chart_kind);
	free(b->x.s);
	free(b->series.s);
	free(b->top_col.s);
	free(b->meta);
	for (int k = 0; k < b->nkpis; k++) {
		free(b->kpis[k].kpi);
		for (int c = 0; c < b->kpis[k].nconds; c++)
			tpl_free_cond(&b->kpis[k].conds[c]);
		free(b->kpis[k].conds);
		if (b->kpis[k].has_measure)
			tpl_free_measure(&b->kpis[k].m);
	}
	free(b->kpis);
	for (int k = 0; k < b->nchart_opts; k++) {
		free(b->chart_opts[k].key);
		free(b->chart_opts[k].val);
	}
	free(b->chart_opts);
	if (b->body)
		cmark_node_free(b->body);
}

void tpl_free(template *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nblocks; i++)
		free_block(&t->blocks[i]);
	free(t->blocks);
	if (t->doc)
		cmark_node_free(t->doc);
	free(t->path);
	free(t->rel);
	free(t->param);
	free(t->src);
	free(t);
}

const tpl_block *tpl_block_of(const template *t, cmark_node *n)
{
	intptr_t k = (intptr_t)cmark_node_get_user_data(n);
	return k > 0 && k <= t->nblocks ? &t->blocks[k - 1] : NULL;
}

/* ---- Validation ---- */

int tpl_url_allowed(const char *url)
{
	static const char *const ok[] = {"http", "https", "mailto"};
	const unsigned char *p = (const unsigned char *)url;
	while (*p && *p <= 0x20)
		p++;
	char scheme[16];
	size_t n = 0;
	for (; *p && *p != ':'; p++) {
		if (*p == '/' || *p == '?' || *p == '#')
			return 1; /* no scheme: a relative address */
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue; /* a browser drops these */
		if (n + 1 < sizeof scheme)
			scheme[n] = (char)tolower(*p);
		n++;
	}
	if (!*p)
		return 1; /* no colon: relative */
	if (n == 0 || n >= sizeof scheme)
		return 0;
	scheme[n] = '\0';
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(scheme, ok[i]))
			return 1;
	return 0;
}

/* Validates the text, links and images under root; in a note's body,
 * cmark's positions are moved by line_off and col_off to the source. */
static void v_text(tpl_vctx *v, cmark_node *root, int line_off, int col_off)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
		if (!line) {
			cmark_node *p = cmark_node_parent(n);
			line = p ? cmark_node_get_start_line(p) : 0;
		}
		if (line)
			line += line_off;
		if (col)
			col += col_off;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			tpl_check_placeholders(v, cmark_node_get_literal(n), line, col);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			tpl_check_placeholders(v, cmark_node_get_url(n), line, col);
			if (!tpl_url_allowed(cmark_node_get_url(n))) {
				char shown[48];
				const char *u = cmark_node_get_url(n);
				size_t k = 0;
				for (; u[k] && k + 1 < sizeof shown && u[k] != ':'; k++)
					shown[k] = (unsigned char)u[k] < 0x20 || u[k] == 0x7F ? '?' : u[k];
				shown[k] = '\0';
				tpl_perr(v->t, line, col, "%s address with the scheme '%s:': only http, https, mailto and "
							  "relative addresses are allowed",
					 cmark_node_get_type(n) == CMARK_NODE_LINK ? "link" : "image", shown);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

int tpl_validate(const template *tc, const tpl_catalog *cat, const tpl_source *entity_src)
{
	template *t = (template *)tc; /* only the error count changes */
	tpl_vctx v = {t, cat, entity_src};
	if (t->param && !entity_src)
		tpl_perr(t, 1, 1, "no model has a column '%s' to make one page per value of it", t->param);
	for (int i = 0; i < t->nblocks; i++)
		tpl_block_check(&v, &t->blocks[i]);
	v_text(&v, t->doc, 0, 0);
	for (int i = 0; i < t->nblocks; i++)
		if (t->blocks[i].body)
			v_text(&v, t->blocks[i].body, t->blocks[i].body_line0, t->blocks[i].body_col0);
	return t->nerrors;
}
