/* MediMart page templates: CommonMark files parsed with cmark, in which
 * fenced code blocks whose info string starts with a block kind (table,
 * chart, kpis, note, downloads) and inline code starting with kpi:, value:,
 * top: or meta: are data blocks (syntax in docs/templates.md). A template is
 * parsed and validated once against the catalog of tables, then evaluated
 * for each page it renders (once, or once per entity). */
#ifndef MM_TEMPLATE_H
#define MM_TEMPLATE_H
#include <cmark.h>
#include <stddef.h>
#include "registry/model.h"
#include "util/cmpop.h"

/* ---- The tables templates may read ---- */

typedef struct tpl_source {
	const char *name;
	const char *description;
	const mm_table *t;    /* NULL when the model was not built (skipped) */
	const model_def *def; /* declared columns; NULL for tables made here or in tests */
	int patient_level;    /* rows are patients or pathways: board sees them grouped only */
	int national;         /* no geographic column: its rows are national figures */
	/* The table was freed by the release plan after the models, its page's
	 * sample kept (run/release.h): no query may read it, and one that
	 * tries is a fault in the plan's pins, not a model that was skipped. */
	int released;
} tpl_source;

/* A code and the description readers see instead of it. */
typedef struct tpl_code {
	const char *code, *label;
} tpl_code;

typedef struct tpl_catalog {
	tpl_source *v;
	int n, cap;
	/* Cancellation reason codes and their descriptions (the
	 * cancellation_reasons seed), sorted by code; shown in place of the
	 * codes. NULL when there is no seed: codes are then shown as recorded. */
	tpl_code *reasons;
	int nreasons;
	int clinical;      /* audience: 1 clinical (exact figures, worklists), 0 board */
	int has_capacity;  /* sessions.csv was supplied */
	int plain_synthea; /* pathways derived from plain Synthea */
	int32_t census;
	/* The rules file of the run, for {{rule:KEY}} placeholders (borrowed;
	 * NULL when there is none: every rule placeholder is then an error). */
	const struct risk_rules *rules;
	/* Provenance for meta:version, meta:rules_file and meta:rules_sha256
	 * (borrowed; NULL or "" when unknown). */
	const char *version, *rules_file, *rules_sha256;
} tpl_catalog;

/* Adds a table (borrowed; t or def may be NULL but not both). Patient-level
 * and national flags follow from the declaration; a table without one is
 * patient level, and none of its columns has a role. */
void tpl_catalog_add(tpl_catalog *c, const char *name, const char *description, const mm_table *t,
		     const model_def *def);
const tpl_source *tpl_catalog_find(const tpl_catalog *c, const char *name);
/* Reads the descriptions of cancellation reason codes from the seed table
 * (columns CODE and DESCRIPTION; borrowed). seed may be NULL. */
void tpl_catalog_set_reasons(tpl_catalog *c, const mm_table *seed);
void tpl_catalog_free(tpl_catalog *c);
/* Column index of name in the source (table column, or declaration index
 * when not built) and its type; -1 if absent. */
int tpl_source_col(const tpl_source *s, const char *name, mm_type *type);
/* The role of column name of s (registry/model.h) as its model declares it;
 * CR_UNSET for a column the declaration does not list or a table without
 * a declaration: board templates may not use such a column. */
col_role tpl_source_role(const tpl_source *s, const char *name);

/* ---- Parsed blocks ---- */

/* A name as written in a template, with its position for messages. */
typedef struct tpl_name {
	char *s;
	int line, col;
} tpl_name;

/* One condition of a filter: column OP value[|value...]. Values are kept as
 * written; they may hold {{field}} placeholders, "null", true/false. */
typedef struct tpl_cond {
	char *col;
	cmp_op op;  /* util/cmpop.h; equality written "=" or "==" */
	char **vals;
	int nvals;
	int line, colno; /* of the column name, for messages */
} tpl_cond;

typedef enum tpl_fn { FN_COUNT, FN_SUM, FN_MEAN, FN_MEDIAN, FN_MIN, FN_MAX, FN_PCTL, FN_SHARE, FN_RATIO } tpl_fn;

/* count | sum:c | mean:c | median:c | min:c | max:c | pNN:c | pct:COND | ratio:a/b */
typedef struct tpl_measure {
	tpl_fn fn;
	char *text; /* as written, also the sort key */
	char *a, *b;
	int line, col;
	int pctl;   /* FN_PCTL: 1..99 */
	tpl_cond cond;
} tpl_measure;

typedef struct tpl_sort {
	char *key;    /* column or measure text */
	int desc;
	char **order; /* explicit order "col(A|B|C)"; NULL for natural order */
	int norder;
	int line, col;
} tpl_sort;

typedef struct tpl_query {
	tpl_name model;
	tpl_cond *conds;
	int nconds;
	tpl_name *cols; /* rows as they are: the columns shown */
	int ncols;
	tpl_name *group; /* grouped: group columns ... */
	int ngroup;
	tpl_measure *ms; /* ... and measures; the last nhidden only sort */
	int nms, nhidden;
	tpl_sort *sort;
	int nsort;
	long limit; /* 0 = all */
	int scope_all; /* on entity pages: do not restrict to the entity */
} tpl_query;

enum tpl_kind {
	BLK_TABLE, BLK_CHART, BLK_KPIS, BLK_NOTE, BLK_DOWNLOADS, BLK_DIAGRAM, BLK_PACKS, /* fenced blocks */
	BLK_KPI, BLK_VALUE, BLK_TOP, BLK_META                  /* inline code */
};

enum tpl_when { WHEN_ALWAYS, WHEN_CAPACITY, WHEN_NO_CAPACITY, WHEN_PLAIN, WHEN_WAITING_LIST, WHEN_CLINICAL, WHEN_BOARD };

typedef struct tpl_kpi_line {
	char *kpi;        /* kpi_summary.kpi */
	int has_measure;  /* "kpi = measure": computed for the page's entity */
	tpl_measure m;
	tpl_cond *conds;  /* "kpi = measure ? filter": the line's own filter */
	int nconds;
	int plain;        /* inline `kpi:NAME.value`: the value without its badge */
	int line, col;
} tpl_kpi_line;

typedef struct tpl_opt {
	char *key, *val;
	int line, col;
} tpl_opt;

typedef struct tpl_block {
	enum tpl_kind kind;
	cmark_node *node;
	int line, col;
	tpl_query q;
	char *title;     /* caption of a table, title of a chart */
	char **labels;   /* column labels, in output order */
	int nlabels;
	char *empty;     /* shown when no row matches */
	char *caption;   /* a short note under a table or chart */
	char *link;      /* table: link key cells to the pages of this folder */
	tpl_name *filters; /* table: columns the reader may filter by (filters=), with a CSV of the rows shown */
	int nfilters;
	char *chart_kind;  /* chart: its kind; diagram: data-model, lineage or sources */
	tpl_name x, series;
	tpl_name top_col; /* top: the column whose value is shown */
	tpl_opt *chart_opts; /* chart options handed to the chart module */
	int nchart_opts;
	char *meta;      /* meta: census | source | audience */
	tpl_kpi_line *kpis;
	int nkpis;
	enum tpl_when when;
	cmark_node *body; /* note: the body parsed as CommonMark (owned) */
	int body_line0, body_col0; /* note: body line 1, column 1 are source line body_line0 + 1, column body_col0 + 1 */
} tpl_block;

typedef struct template {
	char *path;     /* for messages, e.g. templates/trust/[trust_code].md */
	char *rel;      /* inside the templates folder: trust/[trust_code].md */
	char *param;    /* entity key column ("trust_code") or NULL */
	int clinical;   /* under clinical/: rendered for the clinical audience only */
	char *src;
	size_t len;
	cmark_node *doc;
	tpl_block *blocks;
	int nblocks;
	int nerrors;    /* syntax errors found while parsing (already printed) */
	int line_off, col_off; /* while parsing a note's body: where it sits in src */
} template;

/* Reads and parses path (rel is its name inside the templates folder).
 * Returns NULL after printing an error if it cannot be read. Caller frees
 * with tpl_free. */
template *tpl_load(const char *path, const char *rel);
/* Same from text (for tests). */
template *tpl_parse(const char *text, size_t len, const char *path, const char *rel);
/* Checks every block against the catalog: models, columns, measures, chart
 * kinds, KPIs, filters, identifier columns and patient-level tables. Prints
 * "medimart: PATH:LINE:COL: error: ..." for each problem and returns how
 * many there were. entity_src is the entity table of a templated page (for
 * {{field}} placeholders), or NULL. */
int tpl_validate(const template *t, const tpl_catalog *cat, const tpl_source *entity_src);
void tpl_free(template *t);
/* The block a node stands for, or NULL for ordinary Markdown. */
const tpl_block *tpl_block_of(const template *t, cmark_node *n);

/* A date in a filter: YYYY-MM-DD, "census", or "census-91" / "census-13w"
 * (days or weeks before the census). Returns 0 or -1. */
int tpl_date_literal(const char *s, int32_t census, int32_t *out);

/* Whether a note's condition holds for this build. */
int tpl_when_holds(const tpl_catalog *cat, enum tpl_when w);

/* Whether a link or image address may be written to href or src: an
 * http, https or mailto address, or a relative one. Any other scheme
 * (javascript:, data:, vbscript:, file: ...) is refused, read the way a
 * browser reads it: any case, spaces and control bytes before it, tabs
 * and line breaks inside it. Character references are decoded by cmark
 * before this sees the address. */
int tpl_url_allowed(const char *url);

/* The entity a templated page renders for (trust/[trust_code].md). */
typedef struct tpl_entity {
	const char *param;     /* key column, e.g. "trust_code" */
	const char *value;     /* this entity's key */
	const tpl_source *src; /* the table entities come from */
	size_t row;            /* the entity's first row there, for {{field}} */
} tpl_entity;

/* The text of {{name}} for the entity, or NULL when it has no such field. */
const char *tpl_field(const tpl_entity *e, const char *name);
/* s with every {{field}} replaced (unknown ones by ""); e may be NULL.
 * Caller frees. */
char *tpl_subst(const char *s, const tpl_entity *e);
/* s with every {{rule:KEY[:FORM]}} replaced by the rule in words, from
 * the catalog's rules file (models/rules/rules_text.h), and every {{field}} by
 * the entity's value (an empty or unknown one by "not recorded" when cat
 * is given, by "" otherwise). cat and e may be NULL; a rule
 * placeholder that does not resolve is kept as written (templates are
 * validated first, so it only happens in text that is not checked).
 * Caller frees. */
char *tpl_text(const tpl_catalog *cat, const tpl_entity *e, const char *s);

#endif
