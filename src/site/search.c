/* The search index of the site (see search.h). */
#include "site/search.h"
#include "contract/schema.h"
#include "registry/model.h"
#include "util/escape.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void search_js_str(buf *out, const char *str)
{
	esc_json_buf(out, str, ESC_JS);
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
