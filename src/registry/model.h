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

/* What a column's values are. Disclosure control, identifier hiding,
 * geography and number styles are decided from this declaration alone
 * (registry/disclosure.h), never from the column's name, so that renaming
 * a column cannot change what the board sees. docs/disclosure.md lists
 * the roles and what each one means for published output. */
typedef enum col_role {
	CR_UNSET,     /* not declared: the registry check refuses it */
	CR_ID,        /* identifies a person or a record (patient, pathway, date of
		       * birth): never shown to the board */
	CR_CLINICIAN, /* identifies a consultant or provider: an identifier, and a
		       * breakdown below national level */
	CR_PERSONS,   /* a count of people or pathways, or a difference of two:
		       * rounded and suppressed */
	CR_EVENTS,    /* a count of events (appointments, admissions, clock
		       * starts): rounded and suppressed */
	CR_EXACT,     /* a count that discloses no one (slots, sessions, ranks,
		       * Trusts, line numbers, sort positions): shown exactly */
	CR_PCT,       /* a percentage, 0 to 100 */
	CR_RATIO,     /* a ratio or rate, 0 to 1 (utilisation, likelihood) */
	CR_MEASURE,   /* another figure derived from counts (a median, a gap, a
		       * confidence limit): hidden beside a suppressed count */
	CR_SCORE,     /* a score, points or a decile: exact, not a count */
	CR_DAYS,      /* a duration or an age of one record in days: exact, not
		       * a count; a KPI in weeks shows it divided by 7 */
	CR_WEEKS,     /* the same in weeks */
	CR_YEARS,     /* the same in years (an age) */
	CR_DATE,      /* a date or a timestamp */
	CR_CODE,      /* a code or a category */
	CR_LABEL,     /* a name, a description or other text */
	CR_GEO,       /* a site, Trust or ICS (code or name): its figures are
		       * below national level */
	CR_AREA,      /* a small area of residence (town, postcode): singles out
		       * the few people who live there */
	CR_FLAG,      /* yes or no of one record: summed, it counts records */
	CR_COUNT_ROLES
} col_role;
const char *col_role_name(col_role r);

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
	col_role role;
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
	/* What the rows are (MODEL_*), declared rather than read from the
	 * model's name. */
	unsigned flags;
} model_def;

enum {
	/* Rows are patients, pathways or their events (staging and
	 * intermediate models, case lists): the board sees them grouped only,
	 * and counting rows counts people. */
	MODEL_PATIENT_LEVEL = 1,
	/* One row per entity of its key (site, Trust, risk rule, patient): the
	 * list of the pages of that key. */
	MODEL_DIMENSION = 2,
	/* Built from the capacity plan (sessions.csv): empty without it, and
	 * pages say why. */
	MODEL_CAPACITY_PLAN = 4,
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The most models the registry may declare. Everything indexed by registry
 * index is sized by it (run_ctx below, the selection and order arrays of
 * models_select and models_order); the registry refuses to start with more
 * (registry.c), so raise it here when the layers' lists outgrow it. */
#define MM_MAX_MODELS 64

/* Settings of the breach rule and the risk model. */
typedef struct rtt_rules {
	int rtt_days;     /* 126: the 18-week standard */
	int grace_days;   /* 7: the seed rule's "+ 1 week" */
	int p1a_days, p1b_days, p2_days, p3_days, p4_days; /* priority targets */
} rtt_rules;

struct risk_rules; /* models/rules/risk_rules.h */

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
	/* The model whose build function is running (set by models_run), or
	 * NULL: ctx_table lets it read only what its upstream lists. */
	const model_def *building;
	mm_table *tables[MM_MAX_MODELS]; /* by registry index; NULL until built or once released */
	double seconds[MM_MAX_MODELS];
	int skipped[MM_MAX_MODELS];
	/* A table is released (freed, its pointer NULL) once nothing later in
	 * the run reads it (run/release.h); the row count stays for the run's
	 * results and the site. ctx_table aborts on a released table. */
	size_t rows[MM_MAX_MODELS];
	unsigned char released[MM_MAX_MODELS];
	unsigned char src_released[SRC_COUNT];
	/* Set while a model builds (models_run): src_last_read[s] when it is
	 * the last reader of source s and the release plan frees s after it,
	 * so it may free each of s's columns as soon as it has copied it
	 * (stg_take_named). */
	unsigned char src_last_read[SRC_COUNT];
	/* Models the caller keeps to the end of the run whatever the plan
	 * says (what the site reads), and a hook called with a model's table
	 * just before it is released (to keep what its page shows). */
	unsigned char pinned[MM_MAX_MODELS];
	void (*on_release)(struct run_ctx *ctx, int i, void *ud);
	void *on_release_ud;
} run_ctx;

/* The registry, in declaration order: staging, intermediate, marts. */
const model_def *model_at(int i); /* NULL past the end */
int model_total(void);
int source_index(const char *name); /* index in source_tables or -1 */

int model_index(const char *name);          /* -1 if unknown */
/* Whether registry model i was built in this run (its table may since
 * have been released), and its row count. */
int model_built(const run_ctx *ctx, int i);
size_t model_rows(const run_ctx *ctx, int i);
/* Aborts with an internal error: what (a reader) asked for the table of
 * model or source name after it was released. */
void table_released(const char *name, const char *what);
const model_def *model_find(const char *name);
/* The table of a built model, or a loaded source table ("patients");
 * aborts on an unknown name, a model not yet built, a released table, or, while a model is
 * building (ctx->building), a name its upstream does not list: a model
 * reads only what it declares, so run order, lineage and --select stay
 * true to the code. */
mm_table *ctx_table(run_ctx *ctx, const char *name);
/* Column index in a model table by name; aborts on a name that the
 * declaration does not have (a programming error, caught by the tests). */
int col(const mm_table *t, const char *name);

#endif
