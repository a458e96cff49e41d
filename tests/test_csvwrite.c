/* The CSV writer formats cells itself, with its own buffer: its bytes must
 * be those of tbl_fmt and esc_csv, cell for cell, for every type. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/table.h"
#include "util/buf.h"
#include "util/escape.h"

/* What tbl_fmt writes for x, through a one-cell table. */
static const char *slow_num(double x, char *out, size_t n)
{
	static strpool sp;
	static mm_table *t;
	if (!t) {
		sp_init(&sp);
		t = tbl_new("n", &sp);
		tbl_add_col(t, "x", T_NUM);
		tbl_add_row(t);
	}
	tbl_set_num(t, 0, 0, x);
	return tbl_fmt(t, 0, 0, out, n);
}

static void same_num(double x)
{
	char fast[64], slow[64];
	size_t n = tbl_fmt_num_fast(x, fast);
	if (!n)
		return; /* the writer takes tbl_fmt's own path */
	fast[n] = '\0';
	slow_num(x, slow, sizeof slow);
	cr_expect_str_eq(fast, slow, "%.17g: fast '%s', snprintf '%s'", x, fast, slow);
}

Test(csvwrite, numbers_as_tbl_fmt)
{
	static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-7, -1e-7, 4e-7, 5e-7, 6e-7, -5e-7, 1.5e-6,
				       2.5e-6, 0.1, 0.2, 0.3, 1.0 / 3, -2.0 / 3, 123456.7890125, 9.9999995, 99.99999949,
				       0.0000015, 1234567890.123456, -987654321.000001, 4e9, 3.9e9 + 0.5, 52.142857142857146,
				       126, 18.000000499999, 1e15, 1e300, -1e300};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same_num(fixed[i]);
	/* Values of every scale, and values on a millionth and half-way
	 * between two, where a careless rounding would show. */
	srand(7);
	for (int i = 0; i < 200000; i++) {
		double scale = pow(10, rand() % 19 - 9);
		double x = ((double)rand() / RAND_MAX - 0.5) * scale;
		same_num(x);
		same_num(floor(x * 1e6) / 1e6);
		same_num((floor(x * 1e6) + 0.5) / 1e6);
		same_num((double)(rand() % 100000) / 7);
	}
}

Test(csvwrite, fast_path_taken_for_ordinary_numbers)
{
	char b[64];
	cr_expect_eq(tbl_fmt_num_fast(12.25, b), 5);
	cr_expect_eq(memcmp(b, "12.25", 5), 0);
	cr_expect_eq(tbl_fmt_num_fast(-0.0000004, b), 1);
	cr_expect_eq(b[0], '0');
	cr_expect_eq(tbl_fmt_num_fast(1e300, b), 0, "a huge number goes to snprintf");
}

/* Every cell of a table written by tbl_write_csv_rows is the escaped
 * tbl_fmt text of that cell. */
Test(csvwrite, file_matches_cells)
{
	strpool sp;
	sp_init(&sp);
	mm_table *t = tbl_new("mixed", &sp);
	static const char *const names[] = {"s", "i", "x", "d", "ts", "b"};
	static const mm_type types[] = {T_STR, T_INT, T_NUM, T_DATE, T_TS, T_BOOL};
	for (int c = 0; c < 6; c++)
		tbl_add_col(t, names[c], types[c]);
	static const char *const texts[] = {"plain", "a,b", "say \"hi\"", " lead", "trail\t", "two\nlines", "", "é"};
	size_t nrows = 70000; /* more than the writer's buffer holds */
	for (size_t k = 0; k < nrows; k++) {
		size_t r = tbl_add_row(t);
		if (k % 9)
			tbl_set_str(t, 0, r, texts[k % 8]);
		if (k % 7)
			tbl_set_int(t, 1, r, k % 2 ? INT64_MIN + 1 : (int64_t)k * 1000003 - 5000000);
		if (k % 5)
			tbl_set_num(t, 2, r, ((double)k - 35000) / 3.7);
		if (k % 4)
			tbl_set_date(t, 3, r, (int32_t)k - 30000);
		if (k % 3)
			tbl_set_ts(t, 4, r, (int64_t)k * 86399 - 1000000000);
		if (k % 6)
			tbl_set_bool(t, 5, r, k % 2);
	}
	size_t rows[] = {3, 0, 69999, 3};
	for (int pass = 0; pass < 2; pass++) {
		buf want = {0};
		for (int c = 0; c < 6; c++) {
			if (c)
				buf_putc(&want, ',');
			esc_csv_buf(&want, names[c]);
		}
		buf_putc(&want, '\n');
		size_t n = pass ? sizeof rows / sizeof rows[0] : nrows;
		for (size_t k = 0; k < n; k++) {
			char cell[64];
			for (int c = 0; c < 6; c++) {
				if (c)
					buf_putc(&want, ',');
				esc_csv_buf(&want, tbl_fmt(t, c, pass ? rows[k] : k, cell, sizeof cell));
			}
			buf_putc(&want, '\n');
		}
		char *got = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&got, &len);
		cr_assert_not_null(f);
		cr_assert_eq(tbl_write_csv_rows(t, pass ? rows : NULL, n, f), 0);
		fclose(f);
		cr_assert_eq(len, want.n, "pass %d: %zu bytes written, %zu expected", pass, len, want.n);
		cr_expect_eq(memcmp(got, want.s, len), 0, "pass %d: the bytes differ", pass);
		free(got);
		buf_free(&want);
	}
	tbl_free(t);
	sp_free(&sp);
}
