/* Evaluating a template's data blocks, once for every back-end: the HTML
 * renderer and the PDF renderer ask here for a block's figures (a result
 * set, a chart's shapes, KPI tiles, an inline value, the notes under a
 * table) and only decide how to draw them. So a pack and a page built from
 * the same block always show the same numbers. */
#ifndef MM_BLOCKS_H
#define MM_BLOCKS_H
#include "draw/chart.h"
#include "core/format.h"
#include "query/query.h"
#include "template/template.h"
#include "util/buf.h"

/* What a block is evaluated for. */
typedef struct blk_env {
	const tpl_catalog *cat;
	const template *tpl;   /* for messages */
	const tpl_entity *ent; /* NULL on ordinary pages */
	struct qcache *cache;  /* may be NULL */
	int ncharts;           /* charts so far on the page: element ids */
	double chart_w, chart_h; /* charts' viewBox; 0: the default */
} blk_env;

/* A chart option's value (key=value in the block's info string), or NULL. */
const char *blk_opt(const tpl_block *b, const char *key);
/* The block's title with {{field}} placeholders replaced, or NULL.
 * Caller frees. */
char *blk_title(const blk_env *e, const tpl_block *b);

/* Why a block shows no rows, as a sentence (plain text, placeholders
 * replaced). Caller frees. */
char *blk_empty_text(const blk_env *e, const tpl_block *b, const tpl_result *r);
/* The note under a table or chart: "Showing 15 of 45 rows: ..." and the
 * disclosure-control sentence, as plain text; "" when there is nothing to
 * say. q may be NULL (charts). Appends to out. */
void blk_result_notes(buf *out, const tpl_result *r, const tpl_query *q, const char *title);

/* ---- Charts ---- */

typedef enum blk_chart_state {
	BLK_CHART_OK,      /* c holds the chart */
	BLK_CHART_EMPTY,   /* no rows or the model was not built: see blk_empty_text */
	BLK_CHART_STARRED, /* every figure is 1 to 7: none may be shown */
	BLK_CHART_ERROR,   /* the chart cannot be drawn (message printed) */
} blk_chart_state;

typedef struct blk_chart {
	blk_chart_state state;
	chart *c;       /* BLK_CHART_OK */
	char *title;    /* may be NULL */
	tpl_result r;   /* the aggregated figures behind it */
} blk_chart;

/* Evaluates a chart block and lays it out. On BLK_CHART_ERROR a message
 * naming the template, line and column was printed. Free with
 * blk_chart_free. */
blk_chart_state blk_chart_eval(blk_env *e, const tpl_block *b, blk_chart *out);
void blk_chart_free(blk_chart *c);

/* ---- Diagrams ---- */

/* The diagram of a diagram block (kind data-model, lineage or sources),
 * boxes linking to "<href_prefix>models/..." when href_prefix is not NULL.
 * Caller frees with chart_free. */
chart *blk_diagram(const tpl_block *b, const char *href_prefix);

/* ---- KPI tiles ---- */

typedef struct blk_kpi {
	const char *label;      /* borrowed from kpi_summary */
	const char *status;     /* green, amber, red or none */
	const char *direction;  /* higher_better or lower_better */
	int star;               /* the figure is withheld: "*" */
	int small;              /* ... because the build has too few open pathways for an exact top-level
				 * rate (sdc_top_level_exempt), not because it is 1 to 7 */
	int local;              /* computed for the page's entity */
	char value[FMT_MAX];    /* "61.2%", "*" */
	char standard[FMT_MAX]; /* "" when the KPI has none */
	char all[FMT_MAX];      /* local: the figure for all areas */
} blk_kpi;

/* The i-th KPI line of a kpis block. Returns 0, or -1 when kpi_summary
 * has no such KPI (the line is left out). */
int blk_kpi_eval(blk_env *e, const tpl_block *b, int i, blk_kpi *out);
/* The words of a RAG status: "Green: meets the standard" (long) or
 * "Green"; NULL for none. */
const char *blk_rag_text(const char *status, int long_form);

/* ---- Inline values ---- */

typedef struct blk_inline {
	char pre[FMT_MAX];   /* plain text before the value */
	char value[FMT_MAX]; /* shown strong; "" for none */
	char post[FMT_MAX];  /* plain text after it */
	const char *rag;     /* `kpi:` values: their status, else NULL */
	int star;            /* the value is withheld (1 to 7) */
} blk_inline;

/* An inline block (`kpi:`, `value:`, `top:`, `meta:`). */
void blk_inline_eval(blk_env *e, const tpl_block *b, blk_inline *out);

#endif
