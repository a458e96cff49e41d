/* target/manifest.json: the project as data, for tools that read it
 * (catalogues, impact analysis, CI checks): every model with its columns,
 * tests and lineage, the input files of the data contract, every declared
 * test, and the model-level and column-level lineage edges. It describes
 * the declarations, not a run: the same build of MediMart always writes
 * the same bytes. Fields are documented in docs/artifacts.md. */
#ifndef MM_MANIFEST_H
#define MM_MANIFEST_H
#include <stdio.h>

/* Writes the manifest to f. Returns 0, or -1 on a write error. */
int manifest_write(FILE *f);

#endif
