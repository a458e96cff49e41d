/* Internals shared by modeldoc.c (the model and source pages) and
 * modeldoc_rows.c (the sample, profile and failing rows of a model's
 * page). Not for use outside src/site/. */
#ifndef MM_MODELDOC_IMPL_H
#define MM_MODELDOC_IMPL_H
#include "site/modeldoc.h"

/* Writes s escaped; nothing for NULL. */
static inline void put(buf *b, const char *s)
{
	buf_put_html(b, s ? s : "");
}

/* A result badge: the status is written, not shown by colour alone; r
 * NULL for a test that did not run (modeldoc.c). */
void modeldoc_put_badge(buf *b, const test_result *r);

/* The "Sample rows" section of a model's page, by audience. */
void modeldoc_sample_section(buf *b, const modeldoc_ctx *m, const tpl_source *s);
/* The "Failing rows" section of registry model idx, whose table is s:
 * nothing when every test passed. */
void modeldoc_failing_section(buf *b, const modeldoc_ctx *m, int idx, const tpl_source *s);

#endif
