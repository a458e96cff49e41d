/* Internals shared by query.c (filter, scope, group and aggregate) and
 * query_result.c (sort, ledger, headings, cell formatting). Not for use
 * outside src/query/. */
#ifndef MM_QUERY_IMPL_H
#define MM_QUERY_IMPL_H
#include "query/query.h"

/* Orders r's rows by the query's sort keys; without any, a grouped
 * result by its group values and a listing not at all. */
void query_sort_result(const tpl_query *q, tpl_result *r, int grouped);

/* Records each published count of r, and the restrictions it was
 * published under, in the disclosure ledger (registry/disclosure.h). */
void query_ledger_result(const qctx *x, const tpl_query *q, const tpl_result *r, int scoped, int grouped);

#endif
