/* Running the registry: execution in order, with tests. */
#ifndef MM_RUN_H
#define MM_RUN_H
#include "check/check.h"
#include "registry/model.h"
#include "registry/registry.h"

enum { RUN_TESTS = 1, RUN_SKIP_ON_FAIL = 2 };
/* Builds the selected models and what they need, in order. With RUN_TESTS,
 * tests each selected model after building it; with RUN_SKIP_ON_FAIL,
 * skips models downstream of a failed error-severity test.
 * Returns 0, EXIT_FAILED if an error test failed, or EXIT_INPUT. */
int models_run(run_ctx *ctx, const int *sel, unsigned flags, test_report *rep);
/* Derives the census date from the data when not given. */
int32_t census_default(const sources *s);
void run_ctx_free(run_ctx *ctx);

#endif
