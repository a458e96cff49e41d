/* The stable sort with a context (util/sort.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "models/mart_util.h"
#include "util/sort.h"

typedef struct rec {
	int key;
	int seq; /* position before sorting */
} rec;

/* By key only, so equal keys tie; ctx counts the calls. */
static int cmp_key(const void *a, const void *b, void *ctx)
{
	const rec *x = a, *y = b;
	if (ctx)
		++*(size_t *)ctx;
	return (x->key > y->key) - (x->key < y->key);
}

/* Total order (key, then seq): the reference a stable sort must match. */
static int cmp_key_seq(const void *a, const void *b)
{
	const rec *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void fill(rec *v, size_t n, unsigned seed, int nkeys)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		v[i] = (rec){rand() % nkeys, (int)i};
}

static void expect_stable(size_t n, unsigned seed, int nkeys)
{
	rec *v = malloc((n ? n : 1) * sizeof *v), *ref = malloc((n ? n : 1) * sizeof *ref);
	fill(v, n, seed, nkeys);
	memcpy(ref, v, n * sizeof *v);
	qsort(ref, n, sizeof *ref, cmp_key_seq);
	mm_sort(v, n, sizeof *v, cmp_key, NULL);
	size_t bad = n;
	for (size_t i = 0; i < n && bad == n; i++)
		if (v[i].key != ref[i].key || v[i].seq != ref[i].seq)
			bad = i;
	cr_expect_eq(bad, n, "n %zu, seed %u, %d keys: first difference at %zu", n, seed, nkeys, bad);
	free(v);
	free(ref);
}

Test(sort, equal_keys_keep_their_order)
{
	rec v[] = {{2, 0}, {1, 1}, {2, 2}, {1, 3}, {0, 4}, {2, 5}, {1, 6}};
	mm_sort(v, 7, sizeof *v, cmp_key, NULL);
	const int want[] = {4, 1, 3, 6, 0, 2, 5};
	for (int i = 0; i < 7; i++)
		cr_expect_eq(v[i].seq, want[i], "position %d holds element %d, want %d", i, v[i].seq, want[i]);
}

Test(sort, empty_and_single)
{
	size_t calls = 0;
	mm_sort(NULL, 0, sizeof(rec), cmp_key, &calls);
	rec one = {5, 0};
	mm_sort(&one, 1, sizeof one, cmp_key, &calls);
	cr_expect_eq(calls, 0, "nothing to compare, yet %zu calls", calls);
	cr_expect(one.key == 5 && one.seq == 0);
}

/* The context reaches the comparator: here it is the sort direction. */
static int cmp_dir(const void *a, const void *b, void *ctx)
{
	int x = *(const int *)a, y = *(const int *)b, dir = *(const int *)ctx;
	return dir * ((x > y) - (x < y));
}

Test(sort, context_reaches_the_comparator)
{
	int v[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9};
	int n = (int)(sizeof v / sizeof v[0]), dir = -1;
	mm_sort(v, (size_t)n, sizeof *v, cmp_dir, &dir);
	for (int i = 1; i < n; i++)
		cr_expect_geq(v[i - 1], v[i], "descending: %d before %d at %d", v[i - 1], v[i], i);
	dir = 1;
	mm_sort(v, (size_t)n, sizeof *v, cmp_dir, &dir);
	for (int i = 1; i < n; i++)
		cr_expect_leq(v[i - 1], v[i], "ascending: %d before %d at %d", v[i - 1], v[i], i);
}

Test(sort, random_against_reference)
{
	/* Sizes around the insertion-sort cut-off and powers of two, few keys
	 * (many ties) and many. */
	const size_t sizes[] = {2, 3, 7, 8, 9, 15, 16, 17, 31, 64, 100, 1000, 4097, 100000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		expect_stable(sizes[i], (unsigned)(7 + i), 3);
		expect_stable(sizes[i], (unsigned)(101 + i), 1 << 30);
	}
}

Test(sort, presorted_and_reversed)
{
	enum { N = 1000 };
	rec *v = malloc(N * sizeof *v);
	for (int i = 0; i < N; i++)
		v[i] = (rec){i / 3, i};
	size_t calls = 0;
	mm_sort(v, N, sizeof *v, cmp_key, &calls);
	for (int i = 0; i < N; i++)
		cr_expect_eq(v[i].seq, i, "sorted input moved: %d at %d", v[i].seq, i);
	/* Runs already in order are copied, not merged: about n comparisons. */
	cr_expect_leq(calls, (size_t)2 * N, "sorted input took %zu comparisons", calls);
	for (int i = 0; i < N; i++)
		v[i] = (rec){(N - i) / 3, i};
	mm_sort(v, N, sizeof *v, cmp_key, NULL);
	for (int i = 1; i < N; i++) {
		int ok = v[i - 1].key < v[i].key || (v[i - 1].key == v[i].key && v[i - 1].seq < v[i].seq);
		cr_expect(ok, "reversed input at %d: (%d, %d) before (%d, %d)", i, v[i - 1].key, v[i - 1].seq,
			  v[i].key, v[i].seq);
	}
	free(v);
}

/* Elements wider than a word, of an odd size: copies move whole elements. */
typedef struct wide {
	char tag[13];
} wide;

static int cmp_wide(const void *a, const void *b, void *ctx)
{
	return memcmp(((const wide *)a)->tag, ((const wide *)b)->tag, 4);
}

Test(sort, odd_element_size)
{
	enum { N = 50 };
	wide v[N];
	for (int i = 0; i < N; i++)
		snprintf(v[i].tag, sizeof v[i].tag, "%04d:%07d", (i * 37) % 10, i);
	mm_sort(v, N, sizeof *v, cmp_wide, NULL);
	for (int i = 1; i < N; i++)
		cr_expect(strcmp(v[i - 1].tag, v[i].tag) < 0, "%s before %s", v[i - 1].tag, v[i].tag);
}

static int cmp_dbl(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* mm_nth_double gives, bit for bit, what qsort leaves at every rank: on
 * distinct values, long runs of equal ones, sorted and reversed input, and
 * with 0 and -0 mixed, where only the order of the input decides. */
Test(sort, nth_double_matches_qsort)
{
	enum { N = 301 };
	double in[N], v[N];
	uint32_t x = 88172645u;
	for (int shape = 0; shape < 5; shape++) {
		for (int i = 0; i < N; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			in[i] = shape == 0 ? (double)(x % 100000) / 7
				: shape == 1 ? (double)(x % 4)
				: shape == 2 ? (double)i
				: shape == 3 ? (double)(N - i)
				: (x % 3 == 0 ? -0.0 : x % 3 == 1 ? 0.0 : (double)(x % 5) - 2);
		}
		for (size_t n = 1; n <= N; n += n < 20 ? 1 : 40)
			for (size_t k = 0; k < n; k++) {
				memcpy(v, in, n * sizeof *v);
				double want[N];
				memcpy(want, in, n * sizeof *want);
				qsort(want, n, sizeof *want, cmp_dbl);
				double got = mm_nth_double(v, n, k);
				cr_assert(!memcmp(&got, &want[k], sizeof got), "shape %d n %zu k %zu", shape, n, k);
			}
	}
}

/* keyed_sort (models/mart_util.h) gives the order of qsort with
 * cmp_keyed, over keys that share long prefixes, end inside the 8 bytes
 * after them, repeat, are empty, or differ only past those 8 bytes. */
Test(sort, keyed_sort_matches_qsort)
{
	static const char *const stems[] = {"WL0000", "WL00001", "WL", "", "WL0000\xc3\xa9", "WL0000abcdefgh"};
	enum { N = 3000 };
	char (*text)[40] = malloc(N * sizeof *text);
	keyed *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
	cr_assert(text && a && b);
	srand(11);
	for (int round = 0; round < 4; round++) {
		size_t n = round == 3 ? 1 : N;
		for (size_t i = 0; i < n; i++) {
			const char *stem = round == 0 ? "WL0000" : stems[rand() % 6];
			snprintf(text[i], sizeof text[i], "%s%0*d%s", stem, rand() % 3, rand() % (round == 2 ? 5 : 50000),
				 rand() % 4 ? "" : "z");
			a[i] = (keyed){text[i], n - i};
		}
		memcpy(b, a, n * sizeof *a);
		qsort(a, n, sizeof *a, cmp_keyed);
		keyed_sort(b, n);
		for (size_t i = 0; i < n; i++)
			cr_assert(a[i].key == b[i].key && a[i].r == b[i].r, "round %d: position %zu is '%s' (row %zu), not '%s'",
				  round, i, b[i].key, b[i].r, a[i].key);
	}
	free(text);
	free(a);
	free(b);
}

/* The radix sort (mm_radix_u64) against qsort of (key, position): the same
 * order, ties in their first order, on keys of every width, with byte
 * positions where all keys agree, and with many equal keys. */
typedef struct kv {
	uint64_t key;
	uint32_t seq;
} kv;

static int cmp_kv(const void *a, const void *b)
{
	const kv *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

Test(sort, radix_matches_qsort)
{
	enum { N = 5000 };
	uint64_t *key = malloc(N * sizeof *key);
	uint32_t *val = malloc(N * sizeof *val);
	kv *ref = malloc(N * sizeof *ref);
	uint64_t x = 88172645463325252ULL;
	for (int shape = 0; shape < 4; shape++) {
		for (uint32_t i = 0; i < N; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint64_t k = shape == 0	  ? x                               /* every byte varies */
				     : shape == 1 ? 0x0123450000000000ULL | (x & 0xffff) /* constant high bytes */
				     : shape == 2 ? x % 7                           /* many ties */
						  : (uint64_t)(N - i) << 32;    /* reversed, low half constant */
			key[i] = ref[i].key = k;
			val[i] = ref[i].seq = i;
		}
		qsort(ref, N, sizeof *ref, cmp_kv);
		mm_radix_u64(key, val, N);
		for (int i = 0; i < N; i++) {
			cr_assert_eq(key[i], ref[i].key, "shape %d, position %d", shape, i);
			cr_assert_eq(val[i], ref[i].seq, "shape %d, position %d: ties in their first order", shape, i);
		}
	}
	key[0] = 5;
	mm_radix_u64(key, NULL, 1);
	cr_assert_eq(key[0], 5);
	mm_radix_u64(key, NULL, 0);
	free(key);
	free(val);
	free(ref);
}
