/* The search index of the site (see search.h). */
#include "render/search.h"
#include "load/schema.h"
#include "models/model.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one:
 * a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate or a code point past U+10FFFF. *cp gets the code point. */
static int utf8_len(const unsigned char *s, uint32_t *cp)
{
	int n;
	uint32_t c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		n = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

void search_js_str(buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	buf_putc(out, '"');
	while (*s) {
		uint32_t cp;
		int n = utf8_len(s, &cp);
		if (n == 0) {
			buf_puts(out, "\\ufffd");
			s++;
			continue;
		}
		switch (cp) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '<': buf_puts(out, "\\u003c"); break;
		case 0x2028: buf_puts(out, "\\u2028"); break;
		case 0x2029: buf_puts(out, "\\u2029"); break;
		default:
			if (cp < 0x20 || cp == 0x7f)
				buf_printf(out, "\\u%04x", (unsigned)cp);
			else
				buf_put(out, (const char *)s, (size_t)n);
		}
		s += n;
	}
	buf_putc(out, '"');
}

static void entry(buf *out, const char *kind, const char *name, const char *context, const char *description,
		  const char *href)
{
	buf_putc(out, '[');
	search_js_str(out, kind);
	buf_putc(out, ',');
	search_js_str(out, name);
	buf_putc(out, ',');
	search_js_str(out, context);
	buf_putc(out, ',');
	search_js_str(out, description);
	buf_putc(out, ',');
	search_js_str(out, href);
	buf_puts(out, "],\n");
}

static void models(buf *out)
{
	char href[256];
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		snprintf(href, sizeof href, "models/%s.html", m->name);
		entry(out, "model", m->name, layer_name(m->layer), m->description, href);
		for (int c = 0; c < m->ncols; c++) {
			/* The model page gives each column row the id col-NAME. */
			snprintf(href, sizeof href, "models/%s.html#col-%s", m->name, m->cols[c].name);
			entry(out, "column", m->cols[c].name, m->name, m->cols[c].description, href);
		}
	}
}

static void input_files(buf *out)
{
	char href[256], what[256];
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		snprintf(href, sizeof href, "sources/%s.html", d->name);
		entry(out, "source", d->name, d->file, d->description, href);
		for (int c = 0; c < d->ncols; c++) {
			const src_col *sc = &d->cols[c];
			snprintf(href, sizeof href, "sources/%s.html#col-%s", d->name, sc->name);
			snprintf(what, sizeof what, "Column of %s (%s%s)", d->file, type_name(sc->type),
				 sc->flags & COL_OPTIONAL ? ", optional" : "");
			entry(out, "column", sc->name, d->name, what, href);
		}
	}
}

void search_index_js(buf *out, const search_page *pages, int npages, int docs)
{
	buf_puts(out, "/* Search index of this site, written by medimart docs from the model\n"
		      " * registry and the source declarations: names and descriptions only.\n"
		      " * Each entry: [kind, name, context, description, href from the site root]. */\n"
		      "window.MEDIMART_SEARCH = [\n");
	for (int i = 0; i < npages; i++)
		entry(out, "page", pages[i].title, "", "", pages[i].href);
	if (docs) {
		models(out);
		input_files(out);
	}
	buf_puts(out, "];\n");
}
