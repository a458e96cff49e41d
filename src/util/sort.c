/* Stable merge sort with a context (see sort.h).
 *
 * Top-down, alternating between the array and one scratch copy so that
 * each level merges once and nothing is copied back; short runs are
 * insertion sorted, and two halves already in order are copied without
 * merging (sorted input costs n comparisons). */
#include "util/sort.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Runs this short are insertion sorted. */
#define SHORT_RUN 8

typedef struct sorter {
	size_t size;
	mm_cmp_fn *cmp;
	void *ctx;
	char *hold; /* one element, for insertion */
} sorter;

/* Insertion sort of v[0..n): an element moves left only past elements
 * greater than it, so equal ones keep their order. */
static void insertion(const sorter *s, char *v, size_t n)
{
	size_t z = s->size;
	for (size_t i = 1; i < n; i++) {
		char *x = v + i * z;
		size_t j = i;
		while (j > 0 && s->cmp(v + (j - 1) * z, x, s->ctx) > 0)
			j--;
		if (j == i)
			continue;
		memcpy(s->hold, x, z);
		memmove(v + (j + 1) * z, v + j * z, (i - j) * z);
		memcpy(v + j * z, s->hold, z);
	}
}

/* Merges the sorted runs src[0..m) and src[m..n) into dst[0..n); on ties
 * the left run goes first, which is what keeps the sort stable. */
static void merge(const sorter *s, const char *src, char *dst, size_t m, size_t n)
{
	size_t z = s->size;
	const char *l = src, *le = src + m * z, *r = le, *re = src + n * z;
	if (s->cmp(le - z, r, s->ctx) <= 0) { /* already in order */
		memcpy(dst, src, n * z);
		return;
	}
	while (l < le && r < re) {
		if (s->cmp(l, r, s->ctx) <= 0) {
			memcpy(dst, l, z);
			l += z;
		} else {
			memcpy(dst, r, z);
			r += z;
		}
		dst += z;
	}
	memcpy(dst, l, (size_t)(le - l));
	memcpy(dst + (le - l), r, (size_t)(re - r));
}

/* Sorts into dst[0..n), which on entry holds the same elements as
 * src[0..n); src is scratch. */
static void sort_into(const sorter *s, char *src, char *dst, size_t n)
{
	if (n <= SHORT_RUN) {
		insertion(s, dst, n);
		return;
	}
	size_t m = n / 2, off = m * s->size;
	sort_into(s, dst, src, m);
	sort_into(s, dst + off, src + off, n - m);
	merge(s, src, dst, m, n);
}

void mm_sort(void *base, size_t n, size_t size, mm_cmp_fn *cmp, void *ctx)
{
	if (n < 2 || size == 0)
		return;
	char *tmp = xmalloc(n * size + size);
	sorter s = {size, cmp, ctx, tmp + n * size};
	memcpy(tmp, base, n * size);
	sort_into(&s, tmp, base, n);
	free(tmp);
}

void mm_radix_u64(uint64_t *key, uint32_t *val, size_t n)
{
	if (n < 2)
		return;
	size_t count[8][256];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++)
			count[b][(key[i] >> (8 * b)) & 0xff]++;
	uint64_t *k2 = xmalloc(n * sizeof *k2);
	uint32_t *v2 = val ? xmalloc(n * sizeof *v2) : NULL;
	uint64_t *ks = key, *kd = k2;
	uint32_t *vs = val, *vd = v2;
	for (int b = 0; b < 8; b++) {
		size_t *c = count[b];
		if (c[(key[0] >> (8 * b)) & 0xff] == n)
			continue; /* every key has this byte */
		size_t at = 0;
		for (int d = 0; d < 256; d++) {
			size_t m = c[d];
			c[d] = at;
			at += m;
		}
		for (size_t i = 0; i < n; i++) {
			size_t j = c[(ks[i] >> (8 * b)) & 0xff]++;
			kd[j] = ks[i];
			if (vs)
				vd[j] = vs[i];
		}
		uint64_t *kt = ks;
		ks = kd;
		kd = kt;
		uint32_t *vt = vs;
		vs = vd;
		vd = vt;
	}
	if (ks != key) {
		memcpy(key, ks, n * sizeof *key);
		if (val)
			memcpy(val, vs, n * sizeof *val);
	}
	free(k2);
	free(v2);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

static void swap_d(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

double mm_nth_double(double *v, size_t n, size_t k)
{
	/* 0 and -0 compare equal, so which one a sort leaves at k depends on
	 * their order; only then is the whole sort worth its cost. */
	for (size_t i = 0; i < n; i++)
		if (v[i] == 0 && signbit(v[i])) {
			qsort(v, n, sizeof *v, cmp_double);
			return v[k];
		}
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
		double p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		/* Three ways, so that runs of equal values end the search at once:
		 * [lo, lt) < p, [lt, gt) == p, [gt, hi) > p. */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (v[i] < p)
				swap_d(&v[lt++], &v[i++]);
			else if (v[i] > p)
				swap_d(&v[i], &v[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return p;
	}
	return v[lo];
}
