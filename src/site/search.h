/* The site's search index: a small JavaScript file (assets/search-index.js)
 * that defines the names and descriptions of the site's main pages, of
 * every model and its columns, and of every input file and its columns.
 * It is a script rather than JSON so that the site can load it from disk
 * (file://), where fetch() is not allowed. Only declarations go in it
 * (names, types, descriptions), never a value from the data.
 *
 * The file assigns one array to window.MEDIMART_SEARCH; each entry is
 *   [kind, name, context, description, href]
 * kind "page", "model", "column" or "source"; context the layer of a
 * model, the model (or input file) of a column, or the file name of an
 * input file; href from the site root. */
#ifndef MM_SEARCH_H
#define MM_SEARCH_H
#include "util/buf.h"

typedef struct search_page {
	const char *title;
	const char *href; /* from the site root */
} search_page;

/* Appends the whole index file to out: the pages in the order given,
 * then, when docs is set (the site has models/ and sources/ pages), the
 * models and their columns in registry order and the input files and
 * their columns in load order. Same inputs, same bytes. */
void search_index_js(buf *out, const search_page *pages, int npages, int docs);

/* Appends s as a double-quoted JavaScript (and JSON) string literal, by
 * the JSON escape of util/escape.h with ESC_JS:
 * quote, backslash and control characters escaped, '<' as \u003c (no
 * "</script>" can form), U+2028 and U+2029 escaped, and each byte of
 * invalid UTF-8 replaced by U+FFFD. NULL is "". */
void search_js_str(buf *out, const char *s);

#endif
