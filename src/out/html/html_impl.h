/* Internals shared by html.c (the tree walk, page state, text, links and
 * the page frame) and html_blocks.c (tables, charts, KPIs and the other
 * data blocks). Not for use outside src/out/html/. */
#ifndef MM_HTML_IMPL_H
#define MM_HTML_IMPL_H
#include "out/html/html.h"

/* Writes template text s escaped, its {{placeholders}} replaced. */
void html_put_text(html_ctx *h, buf *out, const char *s);

/* Renders the cmark tree under root (a template's document, or a note's
 * body). Returns 0, or EXIT_INPUT when a block could not be drawn. */
int html_render_node(html_ctx *h, buf *out, cmark_node *root);

/* Renders one data block of the template (html_blocks.c); the same
 * return as html_render_node. */
int html_render_block(html_ctx *h, buf *out, const tpl_block *b);

#endif
