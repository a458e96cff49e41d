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

/* Builds every page and hands each to emit(site, ...). */
void modeldoc_pages(const modeldoc_ctx *m, modeldoc_emit_fn emit, void *site);

#endif
