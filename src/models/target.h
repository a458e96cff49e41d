/* Working outputs for analysts in the target folder: model tables as CSV,
 * rejected rows, test failures, the machine-readable run record and the
 * project manifest. */
#ifndef MM_TARGET_H
#define MM_TARGET_H
#include "check/check.h"
#include "models/model.h"

/* Writes target/models/<model>.csv for every selected built model,
 * target/rejects.csv, target/test_failures/, target/run_results.json and
 * target/manifest.json (docs/artifacts.md).
 * Returns 0 or EXIT_FAILED after printing an error. */
int target_write(run_ctx *ctx, const int *sel, test_report *rep, const char *dir, const char *verb);
/* Creates dir and its parents. Returns 0 or -1 (errno set). */
int mkdirs(const char *dir);
/* Writes s as a JSON string literal. */
void json_str(FILE *f, const char *s);

#endif
