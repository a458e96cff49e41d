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
#include <stdint.h>

/* The first 8 bytes of the string s as a big-endian number, zero padded
 * after its end: two strings compare as their prefixes do wherever the
 * prefixes differ (strcmp order), so a sort can compare these first and
 * read the strings only where they tie. */
static inline uint64_t mm_prefix8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t k = 0;
	int i = 0;
	for (; i < 8 && u[i]; i++)
		k = k << 8 | u[i];
	return i == 0 ? 0 : i == 8 ? k : k << (8 * (8 - i));
}

/* Sorts key[0..n) ascending as unsigned numbers, moving val[i] (when val
 * is not NULL) with key[i]; stable. A least-significant-byte radix sort:
 * linear in n, and it skips each byte position where every key has the
 * same byte. */
void mm_radix_u64(uint64_t *key, uint32_t *val, size_t n);

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
