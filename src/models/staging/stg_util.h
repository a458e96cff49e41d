/* Helpers shared by the staging models: id indexes, row ordering, dates
 * and text normalisation. */
#ifndef MM_STG_UTIL_H
#define MM_STG_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include "core/table.h"
#include "util/hmap.h"

/* m: string id in column c -> first row holding it (nulls left out).
 * Caller frees with hmap_free. */
void stg_index(const mm_table *t, int c, hmap *m);
/* Row of string id `id` in an index built by stg_index, or -1. */
static inline long stg_lookup(const hmap *m, uint32_t id)
{
	uint32_t r = id ? hmap_get(m, id) : HMAP_NONE;
	return r == HMAP_NONE ? -1 : (long)r;
}

/* The rows of t in the order of the named columns (NULL-terminated):
 * ascending, nulls first (the one exception to the nulls-last rule of
 * core/table.h: see there), strings by strcmp. Rows equal on every key come
 * in no particular order, so the keys should end with a unique id. Linear
 * when the rows are already in order; a radix sort on the first key
 * otherwise. Returns t->nrows row numbers; caller frees. Staging models
 * read their source in this order, so their output needs no sorting. */
uint32_t *stg_order(const mm_table *t, const char *const *keys);
/* Sorts the rows of t in place, as stg_order orders them. */
void stg_sort(mm_table *t, const char *const *keys);
/* Asks the CPU to start fetching every cell of row `ahead` of t: reading a
 * source in stg_order order is random access, and a loop that prefetches
 * a few rows ahead keeps many cache misses in flight at once. */
void stg_prefetch_row(const mm_table *t, size_t ahead);
/* How many rows ahead to prefetch, and how. */
#define STG_AHEAD 8
#ifdef __GNUC__
#define STG_PREFETCH(p) __builtin_prefetch(p)
#else
#define STG_PREFETCH(p) ((void)0)
#endif

/* Appends n rows of nulls to out, column by column; returns the first. */
size_t stg_add_rows(mm_table *out, size_t n);
/* Rows first..first+n-1 of column oc of out := column sc of src at rows
 * order[0..n-1]. The columns must be stored alike (a string column into a
 * string column, a timestamp into a timestamp or integer, ...). */
void stg_gather(mm_table *out, int oc, size_t first, const mm_table *src, int sc, const uint32_t *order, size_t n);

/* A new (empty) out := every row of source src_name in order, its columns
 * copied by stg_gather for every {source column, out column} pair of a
 * list ending in {NULL, NULL}, and the other columns null.
 * When the model is the source's last reader (ctx->src_last_read), each
 * source column is freed once copied, so that a large source and its
 * staging model are never both whole in memory; the model must then read
 * no copied column of the source afterwards. */
struct run_ctx;
void stg_take_named(struct run_ctx *ctx, mm_table *out, const char *src_name, const uint32_t *order,
		    const char *const (*pairs)[2]);

/* The interned id of s (interning it). */
uint32_t stg_sid(strpool *sp, const char *s);
/* The interned id of s if it is interned, else 0 (null). */
uint32_t stg_sid_find(const strpool *sp, const char *s);

/* Whole years from birth to day; -1 when day is before birth. */
int stg_age_years(int32_t birth, int32_t day);
/* Monday of the ISO week holding day. */
int32_t stg_monday(int32_t day);
/* The same day k calendar months later (k may be negative), clamped to
 * the month's last day. */
int32_t stg_add_months(int32_t day, int k);

/* Trims, upper-cases ASCII letters and squeezes blanks of s into out. */
void stg_upper(const char *s, char *out, size_t n);
/* "TRAUMA AND ORTHOPAEDICS" -> "Trauma and Orthopaedics": words
 * capitalised, joining words (and, of, the, ...) lower case after the
 * first word. */
void stg_title_case(const char *s, char *out, size_t n);
/* Case-insensitive substring test for ASCII text. */
int stg_contains(const char *hay, const char *needle);

/* Plain Synthea (no waiting list), see docs/plain-synthea.md. */
struct run_ctx;
/* Appends to out (stg_pathways' columns) one closed pathway per elective
 * procedure; unsorted. */
void stg_pathways_derive(struct run_ctx *ctx, mm_table *out);
/* Appends to out (stg_appointments' columns) one attended appointment per
 * outpatient, ambulatory or inpatient encounter on a derived pathway;
 * unsorted. */
void stg_appointments_derive(struct run_ctx *ctx, mm_table *out);

#endif
