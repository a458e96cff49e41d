/* The model registry: every model is declared once, as data. Run order,
 * data tests, docs, lineage and the ER diagram are all derived from these
 * declarations, so they cannot disagree with the code. */
#ifndef MM_MODEL_H
#define MM_MODEL_H
#include <stdint.h>
#include "core/table.h"
#include "load/load.h"

typedef enum layer { LAYER_SOURCE, LAYER_STAGING, LAYER_INTERMEDIATE, LAYER_MART } layer;
const char *layer_name(layer l);

typedef struct model_col {
	const char *name;
	mm_type type;
	const char *description;
	/* Data tests on this column, space separated (see docs/data-tests.md):
	 *   unique  not_null  accepted(A|B|C)  ref(model.column)  range(lo..hi)
	 * prefix "warn:" for warning severity; suffix "@N" tolerates N failing
	 * rows, "@N%" a share of rows. Example: "not_null warn:range(0..3650)@1%". */
	const char *tests;
	/* Upstream columns this one is derived from, comma separated
	 * "model.column" (sources are "patients.BIRTHDATE"); "census" and
	 * "rules" name the run parameters. */
	const char *from;
} model_col;

struct run_ctx;

typedef struct model_def {
	const char *name;
	layer layer;
	const char *description;
	const char *const *upstream; /* NULL-terminated model (or source table) names */
	const model_col *cols;
	int ncols;
	/* Model-level tests, NULL-terminated, e.g. "expr(clock_stop_date >= clock_start_date)"
	 * (same prefixes and suffixes as column tests). */
	const char *const *tests;
	/* out has the declared columns and no rows. Returns 0, or EXIT_INPUT
	 * after printing a diagnostic (e.g. a bad rules file). */
	int (*build)(struct run_ctx *ctx, mm_table *out);
} model_def;

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Settings of the breach rule and the risk model. */
typedef struct rtt_rules {
	int rtt_days;     /* 126: the 18-week standard */
	int grace_days;   /* 7: the seed rule's "+ 1 week" */
	int p1a_days, p1b_days, p2_days, p3_days, p4_days; /* priority targets */
} rtt_rules;

struct risk_rules; /* models/risk_rules.h */

typedef struct run_ctx {
	sources *src;
	strpool *sp;
	int32_t census;      /* census date, days */
	int census_given;    /* from --census, not derived */
	int plain_synthea;   /* no waiting_list.csv: pathways are derived */
	int has_capacity;    /* sessions.csv present */
	rtt_rules rtt;
	struct risk_rules *risk;
	const char *rules_path;
	const char *out_dir; /* published outputs (--out) */
	const char *target_dir; /* working outputs (--target) */
	mm_table *tables[64]; /* by registry index; NULL until built */
	double seconds[64];
	int skipped[64];
} run_ctx;

/* The registry, in declaration order: staging, intermediate, marts. */
const model_def *model_at(int i); /* NULL past the end */
int model_total(void);
int source_index(const char *name); /* index in source_tables or -1 */

int model_index(const char *name);          /* -1 if unknown */
const model_def *model_find(const char *name);
/* The table of a built model, or a loaded source table ("patients");
 * aborts on an unknown name or a model not yet built. */
mm_table *ctx_table(run_ctx *ctx, const char *name);
/* Column index in a model table by name; aborts on a name that the
 * declaration does not have (a programming error, caught by the tests). */
int col(const mm_table *t, const char *name);

#endif
