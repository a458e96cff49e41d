/* Evaluating the query of a template block against a table: filter,
 * restrict to the page's entity, group and aggregate, apply disclosure
 * control, sort and limit. The result holds display-ready values that the
 * HTML, chart and CSV writers share. */
#ifndef MM_QUERY_H
#define MM_QUERY_H
#include <stddef.h>
#include "template/template.h"

struct qcache;
/* Row lists per entity, built on first use and shared by the pages of one
 * render so that N entity pages cost one pass over each table. */
struct qcache *qcache_new(void);
void qcache_free(struct qcache *c);

typedef struct qctx {
	const tpl_catalog *cat;
	const tpl_entity *ent; /* NULL on ordinary pages */
	struct qcache *cache;  /* may be NULL */
	int exact;             /* skip disclosure control (the caller applies it, e.g. after binning) */
} qctx;

typedef struct res_col {
	const char *name; /* column name or measure text (borrowed from the query) */
	char *label;      /* owned */
	mm_type type;     /* T_STR, T_INT, T_NUM, T_DATE, T_TS, T_BOOL */
	int count;        /* people or events: rounded under disclosure control */
	int pct;          /* T_NUM already scaled 0..100 */
	int ratio;        /* T_NUM ratio 0..1, shown as a percentage */
	int decimals;
	int hidden;       /* sort-only */
	int ident;        /* an identifier column */
	const tpl_code *codes; /* cancellation reason codes: shown by description (sorted by code) */
	int ncodes;
} res_col;

typedef struct res_cell {
	double v;      /* numbers, dates (days), booleans 0/1; NAN = null */
	const char *s; /* text cells; NULL = null */
	int star;      /* suppressed by disclosure control */
	int star0;     /* ... in a listing where "*" may also be 0 */
} res_cell;

typedef struct tpl_result {
	const tpl_source *src;
	res_col *cols;
	int ncols;
	res_cell *cells; /* nrows x ncols, row-major */
	size_t nrows;
	size_t *rep;     /* a source row of each result row (the first of its group) */
	size_t total;    /* rows before the limit */
	int controlled;  /* disclosure control applies (was applied unless qctx.exact) */
	int missing;     /* the model was not built */
} tpl_result;

/* Evaluates q (of block b, for labels; b may be NULL). Returns 0. */
int tpl_eval(const qctx *x, const tpl_query *q, const tpl_block *b, tpl_result *out);
void tpl_result_free(tpl_result *r);
static inline res_cell *res_at(const tpl_result *r, size_t row, int c)
{
	return &r->cells[row * (size_t)r->ncols + (size_t)c];
}
/* Writes a figure computed outside tpl_eval (a KPI's value for all areas:
 * the query q without the page's entity) to the ledger of published
 * figures, when there is one (disclosure.h). shown may be SDC_STAR. */
void tpl_ledger_value(const qctx *x, const tpl_query *q, const char *measure, int64_t shown);
/* Index of the result column named name (column or measure text), or -1. */
int res_col_index(const tpl_result *r, const char *name);
/* The cell as shown: "*" when suppressed, numbers with separators,
 * percentages with "%", dates "30 Sep 2025", booleans Yes/No, "" for null;
 * reason codes by their description, text that is not a standard code as
 * recorded with " (non-standard)".
 * out holds FMT_MAX bytes; returns out or the cell's own text. */
const char *res_fmt(const res_col *c, const res_cell *v, char *out);
/* A default heading for a column or measure: "trust_name" -> "Trust name",
 * "median:wait_weeks" -> "Median wait weeks". Caller frees. */
char *tpl_humanise(const char *name);

#endif
