/* The data contract as data (docs/data-contract.md, "The declaration"):
 * one declaration per input file holds its columns, types and
 * constraints, its primary key, its foreign keys and code lookups, and the
 * column its freshness is read from. The loader (load/load.c), the source
 * checks (check/sources.c) and the data-model diagram (draw/datamodel.c)
 * are all driven by it. */
#ifndef MM_SCHEMA_H
#define MM_SCHEMA_H
#include <stdint.h>
#include "core/table.h"

/* The input sources, in load order: a parent is loaded before the tables
 * whose rows it sets aside (FK_CASCADE). */
enum src_id {
	SRC_PATIENTS, SRC_ORGANIZATIONS, SRC_PROVIDERS, SRC_ENCOUNTERS,
	SRC_CONDITIONS, SRC_PROCEDURES, SRC_CAREPLANS,
	SRC_WAITING_LIST, SRC_APPOINTMENTS, SRC_SESSIONS, SRC_ORG_HIERARCHY,
	/* Seeds: reference files that ship in data/ (like dbt seeds). */
	SEED_COMORBIDITIES, SEED_CANCELLATION_REASONS, SEED_TREATMENT_FUNCTIONS,
	SEED_ELECTIVE_PROCEDURES, SEED_COMMUNITY_CAREPLANS, SEED_PROCEDURE_GROUPS,
	SRC_COUNT
};

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

enum {
	/* A code looked up in a seed: a code the seed lacks is kept and
	 * counted, never rejected (drawn dashed in the diagram). */
	FK_LOOKUP = 1,
	/* A row whose parent row was rejected is set aside (load.c): the
	 * parent is loaded first and names its rows with its entity. */
	FK_CASCADE = 2,
	/* Source check mapped(): a warning for rows whose code the seed
	 * lacks. For lookups only. */
	FK_CHECK_MAPPED = 4,
	/* Source check elective(): the share of rows whose code the seed
	 * has; none is a warning in plain Synthea mode, where pathways are
	 * derived from those rows. For lookups only. */
	FK_CHECK_ELECTIVE = 8,
};

/* A column naming a row of another source, by the parent's key. */
typedef struct src_fk {
	const char *column; /* the child column */
	int parent;         /* enum src_id of the parent table */
	unsigned flags;     /* FK_* */
} src_fk;

typedef struct src_table {
	const char *name;  /* table name, e.g. "patients" */
	const char *file;  /* file name inside the data folder */
	int required_file;
	int ncols;
	const src_col *cols;
	const char *description;
	int seed;          /* reference file shipped in data/, not an input */
	const char *key;   /* primary key column, or NULL when rows have none */
	int nfks;
	const src_fk *fks; /* in the order the loader and the diagram use them */
	const char *entity; /* what one row is, in messages ("patient") */
	const char *fresh;  /* date or timestamp column the freshness check reads, or NULL */
	const char *one_name; /* column a repeated key must repeat (check one_name), or NULL */
} src_table;

extern const src_table source_tables[SRC_COUNT];

/* The index of column name in t's declaration, or -1. */
int src_col_index(const src_table *t, const char *name);

#endif
