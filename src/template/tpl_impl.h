/* Internals shared by the files of the template language; the API is
 * template/template.h. Who does what:
 *   template.c     the document: the cmark walk, notes' bodies, reading a
 *                  file, freeing, and the checks of text and links
 *   tpl_catalog.c  the tables templates may read
 *   tpl_expr.c     the query language: attribute lists, filters, measures,
 *                  sort keys and date literals
 *   tpl_check.c    checking names, filters and measures against a model
 *   tpl_blocks.c   the block kinds: one table row per kind with its name,
 *                  accepted keys, parse and validate functions
 * Every error is reported where the analyst wrote the mistake: each token
 * keeps its line and column. */
#ifndef MM_TPL_IMPL_H
#define MM_TPL_IMPL_H
#include "template/template.h"

/* "medimart: PATH:LINE:COL: error: ..." for t, counted in t->nerrors. */
void tpl_perr(template *t, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- Attribute lists and lists of names (tpl_expr.c) ---- */

/* A token of an attribute list, with the source position of key and value. */
typedef struct tpl_attr {
	char *key, *val; /* val NULL for a bare word */
	int line, kcol, vcol;
} tpl_attr;

typedef struct tpl_attrs {
	tpl_attr *v;
	int n, cap;
} tpl_attrs;

/* Splits "key=value key="quoted value" ..." (s[0..n), first byte at line,
 * col) and appends to a. Returns 0 or -1 after reporting an unterminated
 * quote. */
int tpl_split_attrs(template *t, const char *s, size_t n, int line, int col, tpl_attrs *a);
/* The first attribute key=value (not a bare word) of a, or NULL. */
tpl_attr *tpl_attr_get(tpl_attrs *a, const char *key);
void tpl_attrs_free(tpl_attrs *a);

/* Splits s on sep into trimmed, owned pieces; empty pieces are dropped.
 * offs (may be NULL) gets each piece's byte offset in s. Caller frees. */
char **tpl_split_list(const char *s, char sep, int *n, int **offs);
void tpl_free_list(char **v, int n);
/* A comma-separated list of names at line:col. Free with tpl_free_names. */
tpl_name *tpl_split_names(const char *s, int line, int col, int *n);
void tpl_free_names(tpl_name *v, int n);
/* Whether s[0..n) is a column name: lower-case letters, digits, '_'. */
int tpl_is_ident(const char *s, size_t n);

/* ---- The query language (tpl_expr.c) ---- */

/* Each parser reads s, written at line:col, reports its errors there and
 * returns 0 or -1.
 * Filter "a=b & c!=d & scope=all", appended to q. */
int tpl_parse_filter(template *t, const char *s, int line, int col, tpl_query *q);
/* count | sum:c | mean:c | median:c | min:c | max:c | pNN:c | pct:COND | ratio:a/b */
int tpl_parse_measure(template *t, const char *s, int line, int col, tpl_measure *m);
/* Comma-separated measures, appended to q. */
int tpl_parse_measures(template *t, const char *s, int line, int col, tpl_query *q);
void tpl_add_measure(tpl_query *q, const tpl_measure *m);
/* Sort keys "-a,b(X|Y),-count" into q. */
int tpl_parse_sort(template *t, const char *s, int line, int col, tpl_query *q);
void tpl_free_cond(tpl_cond *c);
void tpl_free_measure(tpl_measure *m);
void tpl_free_query(tpl_query *q);

/* ---- Checks against the catalog (tpl_check.c) ---- */

typedef struct tpl_vctx {
	template *t;
	const tpl_catalog *cat;
	const tpl_source *ent; /* the entity table of a templated page, or NULL */
} tpl_vctx;

/* The model m names ("WHAT needs model=" when none); NULL after reporting. */
const tpl_source *tpl_check_model(tpl_vctx *v, const tpl_name *m, const char *what);
/* Column name of s, which the audience may use; its type in *ty. Returns 0
 * or -1 after reporting. */
int tpl_check_col(tpl_vctx *v, const tpl_source *s, const char *name, int line, int col, mm_type *ty);
/* A column that will be shown: also not one that identifies a person,
 * outside clinical pages. */
int tpl_check_shown(tpl_vctx *v, const tpl_source *s, const tpl_name *nm, mm_type *ty);
/* {{field}} and {{rule:KEY}} placeholders in s, written at line:col. */
void tpl_check_placeholders(tpl_vctx *v, const char *s, int line, int col);
void tpl_check_cond(tpl_vctx *v, const tpl_source *s, const tpl_cond *c);
void tpl_check_measure(tpl_vctx *v, const tpl_source *s, const tpl_measure *m);
void tpl_check_kpi(tpl_vctx *v, const tpl_kpi_line *k);
/* The block's filter and measures, and whether it can be limited to the
 * page's entity. */
void tpl_check_query(tpl_vctx *v, const tpl_source *s, const tpl_block *b);

/* ---- Blocks (tpl_blocks.c) ---- */

/* Makes a block of node when it is one (a fenced block of a known kind or
 * inline code with a known prefix) and parses it; does nothing otherwise. */
void tpl_block_parse(template *t, cmark_node *node);
/* The checks of the block's kind, its model first when it reads one. */
void tpl_block_check(tpl_vctx *v, const tpl_block *b);

#endif
