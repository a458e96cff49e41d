/* The one sort that takes a context: a stable merge sort.
 *
 * C11's qsort has no context argument, so comparators that need a table
 * or a list of keys had to read file-level variables. mm_sort passes ctx
 * through to the comparator instead. It is stable (elements that compare
 * equal keep their order), as glibc's qsort is in practice, so a
 * comparator with ties gives the same order with either. */
#ifndef MM_SORT_H
#define MM_SORT_H
#include <stddef.h>

/* < 0, 0 or > 0 as a sorts before, with or after b. */
typedef int mm_cmp_fn(const void *a, const void *b, void *ctx);

/* Sorts the n elements of size bytes at base in place. Allocates scratch
 * of n * size bytes when n > 1. */
void mm_sort(void *base, size_t n, size_t size, mm_cmp_fn *cmp, void *ctx);

/* The value v[k] would hold after qsort of v[0..n) in ascending order
 * (k < n, no NaN), found in linear time on average; v is reordered. A
 * median or percentile needs one order statistic, not the whole order. */
double mm_nth_double(double *v, size_t n, size_t k);

#endif
