/* Declarations of input files: which columns are bound, their types and
 * constraints. The loader is driven entirely by these. */
#ifndef MM_SCHEMA_H
#define MM_SCHEMA_H
#include <stdint.h>
#include "core/table.h"

enum {
	COL_OPTIONAL = 1, /* header may lack the column */
	COL_NOTNULL = 2,  /* cell must not be empty */
	COL_RANGE = 4,    /* integer must lie in [lo, hi] */
};

typedef struct src_col {
	const char *name; /* header name, matched exactly */
	mm_type type;
	unsigned flags;
	const char *const *enums; /* NULL-terminated accepted values, or NULL */
	int64_t lo, hi;
} src_col;

typedef struct src_table {
	const char *name;  /* table name, e.g. "patients" */
	const char *file;  /* file name inside the data folder */
	int required_file;
	int ncols;
	const src_col *cols;
	const char *description;
	int seed;          /* reference file shipped in data/, not an input */
} src_table;

/* The input sources, in load order. */
enum src_id {
	SRC_PATIENTS, SRC_ORGANIZATIONS, SRC_PROVIDERS, SRC_ENCOUNTERS,
	SRC_CONDITIONS, SRC_PROCEDURES, SRC_CAREPLANS,
	SRC_WAITING_LIST, SRC_APPOINTMENTS, SRC_SESSIONS, SRC_ORG_HIERARCHY,
	/* Seeds: reference files that ship in data/ (like dbt seeds). */
	SEED_COMORBIDITIES, SEED_CANCELLATION_REASONS, SEED_TREATMENT_FUNCTIONS,
	SEED_ELECTIVE_PROCEDURES, SEED_COMMUNITY_CAREPLANS, SEED_PROCEDURE_GROUPS,
	SRC_COUNT
};
extern const src_table source_tables[SRC_COUNT];

#endif
