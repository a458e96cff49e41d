/* The run itself as tables templates can query like models: loaded
 * sources (rows, rejects, freshness), kept rejects, data-test results and
 * the model registry. For the board audience, messages are cut before any
 * example value, since a value could identify a patient. */
#ifndef MM_RUNTABLES_H
#define MM_RUNTABLES_H
#include "check/check.h"
#include "registry/model.h"
#include "template/template.h"

typedef struct run_tables {
	mm_table *sources; /* run_sources */
	mm_table *rejects; /* run_rejects */
	mm_table *tests;   /* run_tests */
	mm_table *models;  /* run_models */
} run_tables;

/* The declarations of the four tables, in the order above: their columns
 * with types and roles, as a model declares them (not in the registry). */
#define RUN_TABLES 4
extern const model_def run_table_defs[RUN_TABLES];

/* Builds the tables (strings interned in ctx->sp). rep may be NULL. */
void run_tables_build(run_tables *rt, run_ctx *ctx, const test_report *rep, int clinical);
/* Adds them to the catalog (borrowed: free the catalog first or together). */
void run_tables_add(run_tables *rt, tpl_catalog *cat);
void run_tables_free(run_tables *rt);
/* A message without example values: "3 rows ..., e.g. 'x'" -> "3 rows ...",
 * and any other '...' quoted text replaced by '…'. Caller frees. */
char *run_redact(const char *msg);

#endif
