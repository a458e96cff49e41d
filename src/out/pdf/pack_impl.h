/* Internals shared by pack.c (finding and assembling the packs) and
 * pack_blocks.c (drawing a template's content on the PDF device). Not for
 * use outside src/out/pdf/. */
#ifndef MM_PACK_IMPL_H
#define MM_PACK_IMPL_H
#include "out/pdf/pack.h"
#include "out/pdf/pdf.h"
#include "query/blocks.h"

/* The state of one pack while its template is drawn. */
typedef struct pk {
	pdf_doc *d;
	blk_env e;
	int depth;           /* list nesting */
	int quote;           /* inside a block quote or a note */
	const char *bullet;  /* for the next paragraph of a list item */
	int cover_sheet;     /* inside the "Cover sheet" section: front matter */
	int errors;
} pk;

/* Draws the children of parent; nonzero when a block could not be drawn. */
int pack_walk(pk *k, cmark_node *parent);
/* The text of n and its descendants, without markup. Caller frees. */
char *pack_plain(pk *k, cmark_node *n);
/* The cover's title heading and the subtitle paragraph after it. */
int pack_is_cover_node(const template *t, cmark_node *n);

#endif
