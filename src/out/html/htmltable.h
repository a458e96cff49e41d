/* The accessible frame of a data table on the site, written the one way:
 * a scrolling region named by the table's caption, the caption, header
 * cells, row headers and data cells. Every text argument is escaped here,
 * so a caption, heading or cell taken from data cannot break the page;
 * ids and class names are the caller's own words.
 *
 *   ht_open(b, "tests-caption", "data sortable", "Data tests");
 *   ht_head(b); ht_col(b, "Test", NULL); ht_col(b, "Rows", "num"); ht_body(b);
 *   ht_row(b); ht_rowhead(b, name); ht_cell(b, count, "num"); ht_row_end(b);
 *   ht_close(b);
 */
#ifndef MM_HTMLTABLE_H
#define MM_HTMLTABLE_H
#include "util/buf.h"

/* <div class="table-wrap" role="region" aria-labelledby="ID" tabindex="0">
 * <table class="CLASSES"><caption id="ID">CAPTION</caption>, each element
 * on its own line. */
void ht_open(buf *b, const char *id, const char *classes, const char *caption);
/* Closes the body, the table and the region. */
void ht_close(buf *b);
/* A region named by label (aria-label) around a table written elsewhere;
 * ht_region_close ends it. */
void ht_region_open(buf *b, const char *label);
void ht_region_close(buf *b);

/* <thead><tr> ... </tr></thead> <tbody>. */
void ht_head(buf *b);
void ht_body(buf *b);
/* <th scope="col" class="CLS">TEXT</th>; cls may be NULL. */
void ht_col(buf *b, const char *text, const char *cls);
/* The same with one more attribute, its value escaped: NAME="VALUE". */
void ht_col_attr(buf *b, const char *text, const char *cls, const char *name, const char *value);

/* <tr> and </tr> with a line end. */
void ht_row(buf *b);
void ht_row_end(buf *b);
/* <th scope="row">TEXT</th>. */
void ht_rowhead(buf *b, const char *text);
/* <td class="CLS">TEXT</td>; cls may be NULL. */
void ht_cell(buf *b, const char *text, const char *cls);

#endif
