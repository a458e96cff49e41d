/* Data tests (dbt-style): generic column tests and model expressions,
 * declared in the model registry, plus source checks. The syntax and
 * semantics are in docs/data-tests.md. */
#ifndef MM_CHECK_H
#define MM_CHECK_H
#include <stddef.h>
#include <stdio.h>
#include "registry/model.h"
#include "util/hmap.h"
#include "util/cmpop.h"

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
	int source_check;      /* a check of a loaded source table (check_sources) */
	char *failures_file;   /* where the failing rows were written (target/test_failures/...); owned; NULL if not */
} test_result;

typedef struct test_report {
	test_result *v;
	size_t n, cap;
} test_report;

/* Checks that every declared test spec of every model parses and names
 * existing columns/models, and that every column declares a role that
 * fits its type; prints each problem and returns their count. */
int check_validate_registry(void);
/* The test specs of one declaration (which need not be in the registry). */
int check_validate_model(const model_def *m);
/* The column roles of one declaration: each declared, and fitting its
 * column's type (a count is an integer, a flag a boolean). */
int check_validate_roles(const model_def *m);
/* Runs the declared tests of model index i (which must be built).
 * Appends one result per test; returns the number of error-severity failures. */
int check_model(run_ctx *ctx, int i, test_report *rep);
/* Runs the tests declared in m on table t (which has m's columns). ref()
 * targets are m itself, a built model in ctx->tables or a source in ctx->src.
 * Appends one result per test; returns the number of error-severity failures. */
int check_table(run_ctx *ctx, const model_def *m, const mm_table *t, test_report *rep);
/* Source checks: row counts, rejects, freshness vs census, unmapped codes. */
void check_sources(run_ctx *ctx, test_report *rep);
void test_report_free(test_report *rep);

/* --- Reports (print.c, json.c, failures.c) --- */

/* Appends a zeroed result; the pointer is valid until the next append. */
test_result *test_report_add(test_report *rep);
/* Counts a failing row and keeps its index if fewer than FAILING_ROWS_KEPT are kept. */
void test_result_fail_row(test_result *r, size_t row);
/* Sets (or replaces) the result's one-line message. */
void test_result_message(test_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t test_report_count(const test_report *rep, test_status s);
const char *test_status_name(test_status s);     /* "pass", "warn", "fail" */
const char *test_severity_name(test_severity s); /* "error", "warn" */
/* One line per test ("PASS  not_null(patient_id) on stg_patients"; a
 * warning or failure adds its failing rows, its message with an example
 * value and the file of its failing rows), then "N passed, N failed" and
 * ", N warning(s)" when there are any. quiet leaves out the PASS lines. */
void test_report_print(const test_report *rep, FILE *f, int quiet);
/* A JSON array of test objects (see docs/data-tests.md). ctx may be NULL.
 * Returns 0 or -1 on a write error. */
int test_report_write_json(const test_report *rep, const run_ctx *ctx, FILE *f);
/* Writes dir/<model>__<test>.csv with the kept failing rows of every
 * warning or failing test, after removing the CSV files of earlier runs,
 * and records each file in its result's failures_file.
 * Returns 0 or -1 after printing an error. */
int test_report_write_failures_csv(test_report *rep, run_ctx *ctx, const char *dir);
/* "not_null(patient_id)" -> "not_null_patient_id": [A-Za-z0-9_.-] kept,
 * runs of anything else become one '_'. Caller frees. */
char *test_file_name(const char *name);

/* --- Test specs (spec.c) --- */

typedef enum test_tol { TOL_NONE, TOL_ROWS, TOL_PCT } test_tol;
struct test_kind;
struct buf; /* util/buf.h */

typedef struct test_spec {
	const struct test_kind *kind; /* its row in the table of kinds (kinds.c) */
	test_severity severity;
	test_tol tol;
	double tol_value;          /* rows, or percent of rows checked */
	char **args;               /* accepted: values; model-level unique: columns; owned */
	int nargs;
	char *ref_model, *ref_col; /* ref(model.column): the table it needs; owned */
	char *lo, *hi;             /* range bounds as written, NULL when open; owned */
	char *lhs, *rhs;           /* expr operands (rhs a column or a literal); owned */
	cmp_op op;                 /* expr: equality spelled "==" */
} test_spec;

/* The next test in a space-separated tests string: spaces inside
 * parentheses do not split. Returns its start and sets *n, advancing *s;
 * NULL when none is left. Only the compiler of declarations (compile.c)
 * and the parser's own tests split strings: everything else reads the
 * compiled tests (model_tests). */
const char *test_spec_next(const char **s, size_t *n);
/* Parses one test (text[0..n)). Returns 0, or -1 with a message in err. */
int test_spec_parse(const char *text, size_t n, test_spec *out, char *err, size_t errn);
void test_spec_free(test_spec *s);
/* The result name: "not_null(patient_id)", "range(wait_days, 0..3650)",
 * "ref(patient_id -> stg_patients.patient_id)", "expr(a >= b)",
 * "unique(a, b)". column is NULL for model-level tests. Caller frees. */
char *test_spec_name(const test_spec *s, const char *column);
/* A literal for a column of type t: dates as YYYY-MM-DD (days), timestamps
 * as ISO 8601 or a date (seconds), booleans true/false (1/0), numbers
 * otherwise. Returns 0 or -1. */
int test_literal(const char *s, mm_type t, double *out);

/* --- The kinds of test (kinds.c) --- */

/* Where a kind is declared: on a column, in the model's tests, or on a
 * column without an argument and in the model's tests with one (unique,
 * unique(a, b)). */
typedef enum test_level { TL_COLUMN, TL_MODEL, TL_BY_ARG } test_level;
/* Whether a kind takes an argument in parentheses. */
typedef enum test_arg { TA_NONE, TA_OPTIONAL, TA_REQUIRED } test_arg;
/* What a kind means for readers other than the runner: TKF_KEY, its
 * columns identify a row (the data-model diagram draws an error-severity
 * one as the key). A ref() is known by its spec's ref_model. */
enum { TKF_KEY = 1 };

/* One kind of data test: one row of the table in kinds.c. Everything that
 * differs between kinds is here, so that a new kind is a row and its
 * functions (docs/data-tests.md, "How to add a test kind"). */
typedef struct test_kind {
	const char *name; /* as declarations write it: "not_null" */
	test_level level;
	test_arg arg;
	unsigned flags;   /* TKF_* */
	/* Reads the argument (not NULL when given) into s; 0, or -1 with the
	 * reason in err. NULL: the argument, if any, is not read. */
	int (*parse)(test_spec *s, const char *arg, char *err, size_t errn);
	/* Appends what the result name shows after the column (if any) inside
	 * the parentheses; NULL: nothing. */
	void (*name_args)(const test_spec *s, const char *column, struct buf *b);
	/* Runs s on t (column c, or -1 for a model-level test; target is the
	 * ref_model table or NULL), as test_spec_run says. */
	int (*run)(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		   size_t errn);
} test_kind;

/* The kind declarations write as name[0..n), or NULL. */
const test_kind *test_kind_find(const char *name, size_t n);
/* The kinds' names as a message lists them: "unique, not_null, ... or expr". */
const char *test_kind_names(void);

/* Runs spec s on t: a column test on column c, a model-level test (c = -1)
 * on the columns it names; target is the ref() table (NULL otherwise).
 * Sets r->rows, r->failures, the kept failing rows and, when rows fail, a
 * message with an example. Returns 0, or -1 with the reason in err when
 * the spec does not fit the table (unknown column, wrong type, bad bound);
 * then no row is read, so an empty table validates a declaration. */
int test_spec_run(const test_spec *s, const mm_table *t, int c, const mm_table *target, test_result *r, char *err,
		  size_t errn);
/* Pass when failures are within the tolerance, else warn or fail by severity. */
test_status test_decide(const test_spec *s, size_t failures, size_t rows);

/* --- Compiled declarations (compile.c) --- */

/* One declared test, parsed and checked once. */
typedef struct model_test {
	const model_def *def;
	int model;           /* registry index, or -1 for a declaration outside the registry */
	int column;          /* index in def->cols, or -1 for a model-level test */
	const char *colname; /* def->cols[column].name, or NULL */
	char *text;          /* as declared: "warn:range(0..3650)@1%" */
	char *name;          /* the result name, "range(wait_days, 0..3650)"; the text when it does not parse */
	test_spec spec;      /* meaningful only when parse_error is NULL */
	char *parse_error;   /* why the text does not parse, or NULL */
	char *problem;       /* why a parsed test does not fit the declarations, or NULL */
} model_test;

/* The tests of one declaration, column tests in column order, then the
 * model-level tests in declaration order. */
typedef struct test_list {
	model_test *v;
	int n;
} test_list;

/* Compiles every declared test of m (registry index model, or -1), with
 * its problems recorded, not printed. Free with test_list_free. */
void test_list_compile(const model_def *m, int model, test_list *out);
void test_list_free(test_list *l);
/* The compiled tests of registry model i, compiled for the whole registry
 * once, on first use (check_validate_registry at start-up reports their
 * problems). *n is set to their count; NULL and 0 past the registry. */
const model_test *model_tests(int model, int *n);
/* The compiled tests of m: the registry's when m is a registry
 * declaration, else compiled into *own (which the caller frees with
 * test_list_free; it stays empty for a registry declaration). */
const model_test *model_def_tests(const model_def *m, test_list *own, int *n);

/* --- Value sets for ref() and code-mapping checks (valueset.c) --- */

/* The distinct non-null values of one column, for membership tests of
 * cells of another column (possibly of another type or string pool:
 * those compare by their text). */
typedef struct value_set {
	const mm_table *t;
	int c;
	mm_type probe;   /* type of the cells that will be looked up */
	int by_text;     /* types differ: members are the strings of own */
	strpool *own;
	uint8_t *bits;   /* strings: bitmap over the ids of t's pool */
	size_t nbits;
	hmap keys;       /* other types: test_cell_key values */
} value_set;

/* Builds the set of t's column c, for lookups of cells of type probe. Free with value_set_free. */
void value_set_build(value_set *vs, const mm_table *t, int c, mm_type probe);
/* Whether the (non-null) cell u[r, uc] is in the set. */
int value_set_has(const value_set *vs, const mm_table *u, int uc, size_t r);
void value_set_free(value_set *vs);
/* A cell as a 64-bit key: equal keys mean equal values within one column
 * (string ids, integers, dates; numbers by their bits with -0 as 0). */
uint64_t test_cell_key(const mm_table *t, int c, size_t r);

#endif
