/* Running the registry: order, selection, execution, outputs. */
#ifndef MM_REGISTRY_H
#define MM_REGISTRY_H
#include "check/check.h"
#include "registry/model.h"

/* Topological order of all models (ties by declaration order). order must
 * hold model_total() entries. Returns 0, or -1 on a cycle or unknown upstream. */
int models_order(int *order);
/* Parses MODEL, MODEL+, +MODEL or +MODEL+ (comma separated lists allowed)
 * into sel[model_total()]. NULL selects every model. Returns 0, or -1 after
 * printing an error for an unknown model. */
int models_select(const char *expr, int *sel);

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
