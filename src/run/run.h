/* Running the registry: execution in order, with tests. */
#ifndef MM_RUN_H
#define MM_RUN_H
#include "check/check.h"
#include "registry/model.h"
#include "registry/registry.h"

enum { RUN_TESTS = 1, RUN_SKIP_ON_FAIL = 2, RUN_RELEASE_SOURCES = 4, RUN_RELEASE_MODELS = 8 };
/* Builds the selected models and what they need, in order. With RUN_TESTS,
 * tests each selected model after building it; with RUN_SKIP_ON_FAIL,
 * skips models downstream of a failed error-severity test. With
 * RUN_RELEASE_SOURCES and RUN_RELEASE_MODELS, frees source tables and
 * staging and intermediate models once nothing later in the run reads them
 * (run/release.h); the caller sets them only when nothing after the models
 * reads those tables.
 * Returns 0, EXIT_FAILED if an error test failed, or EXIT_INPUT. */
int models_run(run_ctx *ctx, const int *sel, unsigned flags, test_report *rep);
/* Derives the census date from the data when not given. */
int32_t census_default(const sources *s);
void run_ctx_free(run_ctx *ctx);

#endif
