/* String pool: ids are dense and in first-seen order, and stay so while
 * the table grows past the size where it moves to huge pages. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "util/strpool.h"

/* Enough strings for many doublings and a table well past 2 MB. */
#define NSTR 300000u

static size_t key(char *buf, size_t cap, uint32_t i)
{
	/* Row-id-like keys sharing a long prefix, so only the hash tells them apart. */
	return (size_t)snprintf(buf, cap, "ENC-000000-%07u", i);
}

Test(strpool, ids_in_first_seen_order_through_growth)
{
	strpool sp;
	sp_init(&sp);
	cr_assert_eq(sp_intern(&sp, "", 0), 0u);
	char buf[32];
	for (uint32_t i = 0; i < NSTR; i++) {
		size_t n = key(buf, sizeof buf, i);
		cr_assert_eq(sp_intern(&sp, buf, n), i + 1, "string %u", i);
	}
	cr_assert_eq(sp.n, NSTR + 1);
	cr_assert_geq(sp.nslots * sizeof *sp.slots, (size_t)2 << 20);
	for (uint32_t i = 0; i < NSTR; i++) {
		size_t n = key(buf, sizeof buf, i);
		cr_assert_eq(sp_find(&sp, buf, n), i + 1, "find %u", i);
		cr_assert_eq(sp_intern(&sp, buf, n), i + 1, "again %u", i);
		cr_assert_eq(sp_len(&sp, i + 1), n);
		cr_assert_str_eq(sp_str(&sp, i + 1), buf);
	}
	cr_assert_eq(sp.n, NSTR + 1, "interning again adds nothing");
	size_t n = key(buf, sizeof buf, NSTR);
	cr_assert_eq(sp_find(&sp, buf, n), UINT32_MAX);
	/* A prefix of a stored string is a different string. */
	cr_assert_eq(sp_find(&sp, buf, n - 1), UINT32_MAX);
	cr_assert_eq(sp_find(&sp, "", 0), 0u);
	sp_free(&sp);
}

/* Strings with the same bytes up to a NUL, or differing only in length,
 * get their own ids. */
Test(strpool, embedded_nul_and_lengths)
{
	strpool sp;
	sp_init(&sp);
	uint32_t a = sp_intern(&sp, "ab\0c", 4);
	uint32_t b = sp_intern(&sp, "ab", 2);
	uint32_t c = sp_intern(&sp, "ab\0", 3);
	cr_assert_eq(a, 1u);
	cr_assert_eq(b, 2u);
	cr_assert_eq(c, 3u);
	cr_assert_eq(sp_intern_cstr(&sp, "ab"), b);
	cr_assert_eq(sp_len(&sp, a), 4u);
	cr_assert_eq(memcmp(sp_str(&sp, a), "ab\0c", 4), 0);
	sp_free(&sp);
}
