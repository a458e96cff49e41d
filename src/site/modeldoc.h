/* Documentation pages generated from the model registry and the source
 * declarations, dbt-docs style: models/index.html (lineage and ER
 * diagrams, every model by layer), models/<model>.html (description,
 * columns with type, tests and their results, where each column comes
 * from down to the input-file columns, the run parameters and seeds it
 * reads, sample rows or aggregates by audience, test results and failing
 * rows) and sources/<table>.html. */
#ifndef MM_MODELDOC_H
#define MM_MODELDOC_H
#include "check/check.h"
#include "draw/chart.h"
#include "out/html/html.h"

typedef void (*modeldoc_emit_fn)(void *site, const char *path, const char *title, const html_nav *crumbs,
				 int ncrumbs, const buf *main);

typedef struct modeldoc_ctx {
	const tpl_catalog *cat;
	const test_report *rep; /* may be NULL */
	const sources *src;     /* may be NULL */
	const lineage_exposure *ex; /* pages and packs that read the models, for the lineage; may be NULL */
	int nex;
	const char *rules_path; /* the rules file of the run; may be NULL */
} modeldoc_ctx;

/* A patient-level model that no template reads may be freed before the
 * site is rendered (run/release.h). Before it is, this renders its page's
 * sample section for the audience from t, byte for byte as the page would,
 * and keeps it with the row count; the page then shows them in place of
 * the table. modeldoc_kept_free drops every kept section. */
void modeldoc_keep_sample(const mm_table *t, const model_def *def, int clinical);
void modeldoc_kept_free(void);
/* The rows of s: of its table, or kept by modeldoc_keep_sample. Returns 0
 * when neither (the model was not built). */
int modeldoc_rows(const tpl_source *s, size_t *n);

/* Builds every page and hands each to emit(site, ...). */
void modeldoc_pages(const modeldoc_ctx *m, modeldoc_emit_fn emit, void *site);

#endif
