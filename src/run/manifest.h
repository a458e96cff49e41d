/* target/manifest.json: the project as data, for tools that read it
 * (catalogues, impact analysis, CI checks): every model with its columns,
 * tests and lineage, the input files of the data contract, every declared
 * test, and the model-level and column-level lineage edges. It describes
 * the declarations, not a run: the same build of MediMart always writes
 * the same bytes for the same --materialize. Fields are documented in docs/artifacts.md. */
#ifndef MM_MANIFEST_H
#define MM_MANIFEST_H
#include <stdio.h>
#include "registry/model.h"

/* How a model of this run is kept, as dbt names it: "table" (written to
 * target/models/) or "view" (kept in memory for the run, not written).
 * Marts are tables; staging and intermediate models are views unless
 * all is set (--materialize all). */
const char *model_materialized(const model_def *m, int all);
int model_is_table(const model_def *m, int all);
/* Writes the manifest to f; all as for model_materialized. Returns 0, or
 * -1 on a write error. */
int manifest_write(FILE *f, int all);

#endif
