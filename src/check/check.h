/* Data tests (dbt-style): generic column tests and model expressions,
 * declared in the model registry, plus source checks. */
#ifndef MM_CHECK_H
#define MM_CHECK_H
#include <stddef.h>
#include "models/model.h"

#define FAILING_ROWS_KEPT 100

typedef enum test_status { TS_PASS, TS_WARN, TS_FAIL } test_status;
typedef enum test_severity { SEV_ERROR, SEV_WARN } test_severity;

typedef struct test_result {
	const char *model;     /* model or source name */
	char *name;            /* e.g. "not_null(patient_id)"; owned */
	const char *column;    /* NULL for model-level tests */
	test_severity severity;
	test_status status;
	size_t rows;           /* rows checked */
	size_t failures;       /* failing rows (or failing units for source checks) */
	char *message;         /* one line, owned; NULL if none */
	size_t nkept;
	size_t *failing_rows;  /* first FAILING_ROWS_KEPT row indexes in the model table; owned */
} test_result;

typedef struct test_report {
	test_result *v;
	size_t n, cap;
} test_report;

/* Checks that every declared test spec of every model parses and names
 * existing columns/models; prints each problem and returns their count. */
int check_validate_registry(void);
/* Runs the declared tests of model index i (which must be built).
 * Appends one result per test; returns the number of error-severity failures. */
int check_model(run_ctx *ctx, int i, test_report *rep);
/* Source checks: row counts, rejects, freshness vs census, unmapped codes. */
void check_sources(run_ctx *ctx, test_report *rep);
void test_report_free(test_report *rep);

#endif
