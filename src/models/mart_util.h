/* Small helpers shared by the mart models: string ordering, nearest-rank
 * percentiles, ratios and joins keyed by interned string id. */
#ifndef MM_MART_UTIL_H
#define MM_MART_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include "core/table.h"
#include "util/hmap.h"

/* strcmp of two interned strings; null (id 0) sorts last (core/table.h). */
int sid_cmp(const strpool *sp, uint32_t a, uint32_t b);

/* A row number with its string key, for grouping rows by sorting. */
typedef struct keyed {
	const char *key;
	size_t r;
} keyed;
/* qsort comparator: by key (strcmp), then by row number. */
int cmp_keyed(const void *a, const void *b);
/* Sorts v into the order of cmp_keyed, comparing the 8 bytes after the
 * keys' common prefix first, so that the strings themselves (a cache miss
 * each, millions of them) are read only where those bytes tie. */
void keyed_sort(keyed *v, size_t n);
/* Appends to out one row per distinct non-null id of column c of t, in id
 * order, with the id in out's column oc; pos (initialised here, caller
 * frees) maps id -> out row. A duplicated id keeps one row: the upstream
 * model's unique test reports it. */
void rows_per_id(const mm_table *t, int c, mm_table *out, int oc, hmap *pos);
/* Id of s if interned, else UINT32_MAX (which no cell holds). */
uint32_t sid_of(const strpool *sp, const char *s);

/* Sorts v ascending. */
void sort_i64(int64_t *v, size_t n);
/* Nearest-rank percentile of sorted v[0..n): the value at 1-based rank
 * ceil(pct * n / 100), computed in integers so that no rounding error can
 * move the rank. n must be > 0 and 0 < pct <= 100. */
int64_t nearest_rank(const int64_t *sorted, size_t n, int pct);

/* num / den * 100, or NAN when den is 0. */
double pct_of(int64_t num, int64_t den);
/* An integer cell, null read as 0 (counts). */
int64_t int_or0(const mm_table *t, int c, size_t r);
/* Whether the week starting on Monday week_start is one of the last 13
 * complete weeks before the census: census - 97 < week_start <= census - 6
 * (the week has ended by the census). The one window every "last 13
 * weeks" figure uses, on pages, packs and in the models; the templates
 * write it as week_start>census-13w-6 & week_start<=census-6. */
int in_last_13_complete_weeks(int32_t week_start, int32_t census);

/* m: string id of column c -> first row holding it (nulls left out).
 * Caller frees with hmap_free. */
void index_by_sid(const mm_table *t, int c, hmap *m);

/* Day of a timestamp cell, or DATE_NULL. */
int32_t ts_day_or_null(const mm_table *t, int c, size_t r);

#endif
