/* Column-level lineage, derived from the registry's `from` declarations:
 * which columns a column comes from, back to the columns of the input
 * files, and which columns are built from it. The registry declares each
 * link once; everything here (the CLI's lineage verb, manifest.json, the
 * model pages) is computed from those links. */
#ifndef MM_COLINEAGE_H
#define MM_COLINEAGE_H
#include <stddef.h>
#include <stdio.h>
#include "load/load.h"

typedef enum cl_kind {
	CL_MODEL,  /* a model (c = -1) or one of its columns */
	CL_SOURCE, /* an input file or seed (c = -1) or one of its columns */
	CL_PARAM,  /* a run parameter: t is CL_CENSUS or CL_RULES, c = -1 */
} cl_kind;

enum { CL_CENSUS, CL_RULES, CL_NPARAMS };

typedef struct cl_ref {
	cl_kind kind;
	int t; /* model index, source index (source_tables) or parameter */
	int c; /* column index in the declaration, -1 for the whole table */
} cl_ref;

/* "MODEL", "MODEL.COLUMN", "SOURCE", "SOURCE.COLUMN", "census" or "rules"
 * into out. Returns 0, or -1 when the name is unknown. */
int cl_parse(const char *name, cl_ref *out);
/* The ref as written in the registry: "stg_patients.birth_date",
 * "patients.BIRTHDATE", "stg_patients", "census". Writes at most n bytes
 * (NUL included) and returns out. */
char *cl_name(cl_ref r, char *out, size_t n);
/* The table part ("stg_patients", "patients", "census") and the column
 * part (NULL for a whole table or a parameter). */
const char *cl_table_name(cl_ref r);
const char *cl_col_name(cl_ref r);
/* What a parameter is, for people: "the census date", "the risk rules file". */
const char *cl_param_title(int p);
int cl_equal(cl_ref a, cl_ref b);

/* The parsed `from` entries of column c of model m, de-duplicated, in the
 * order declared. Returns their count and sets *out (caller frees), or -1
 * when an entry names an unknown model, source, column or parameter. */
int cl_from(int m, int c, cl_ref **out);
/* Checks every `from` entry of every model: it must name a known model,
 * source, column or parameter, and a model or source that the model
 * declares upstream (or the model itself). Prints one line per problem on
 * err (may be NULL) and returns how many there were. */
int cl_validate(FILE *err);

/* A lineage tree: upstream (what the node is derived from) or downstream
 * (what is derived from it). A node met a second time is not expanded
 * again: seen is set and it has no children, so trees stay finite and
 * every subtree appears once. */
typedef struct cl_node {
	cl_ref ref;
	struct cl_node *kids;
	int nkids;
	int seen;
} cl_node;

/* Upstream tree of r. For a column, its `from` entries, recursively, down
 * to input-file columns and parameters; for a whole model, its upstream
 * models and input files, recursively, plus the parameters its columns
 * read. Caller frees with cl_tree_free. */
cl_node *cl_upstream(cl_ref r);
/* Downstream tree of r: for a column (of a model or an input file), the
 * model columns whose `from` names it, recursively; for a whole model or
 * input file, the models that declare it upstream; for a parameter, the
 * columns that read it. Children in registry order. Caller frees. */
cl_node *cl_downstream(cl_ref r);
void cl_tree_free(cl_node *n);

/* The input-file columns that r ultimately derives from (for a whole
 * model: from all its columns), sorted by source then column index and
 * de-duplicated. Returns their count and sets *out (caller frees). */
int cl_sources(cl_ref r, cl_ref **out);
/* The run parameters r reads, directly or through its upstream columns:
 * a bit mask of 1 << CL_CENSUS and 1 << CL_RULES. */
unsigned cl_params(cl_ref r);

/* The known name closest to name (models, model columns, sources, source
 * columns, parameters; case-insensitive edit distance), or NULL when none
 * is close. Caller frees. */
char *cl_suggest(const char *name);

/* The input-file columns that some model column's `from` names: with the
 * columns the contract makes the loader read, all that sources_load_read
 * needs to store. A model that reads a column its `from` entries do not
 * name finds no such column in the source table, and col() aborts. */
void cl_source_reads(load_reads *out);

#endif
