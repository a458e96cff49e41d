/* Loader tests: every CSV edge case and reject reason through
 * load_table_path() with the fixture files in tests/fixtures/load_*. */
#include <criterion/criterion.h>
#include <string.h>
#include "helpers.h"
#include "load/load.h"
#include "run/run.h"
#include "models/staging/stg_util.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/hmap.h"

#define FIX "tests/fixtures/"

/* One table loaded from one file, with what the loader printed. */
typedef struct loaded {
	strpool sp;
	mm_table *t;
	load_stats st;
	int rc;
	char *err; /* stderr during the load */
} loaded;

static void load_def(loaded *l, const src_table *def, const char *path)
{
	memset(l, 0, sizeof *l);
	sp_init(&l->sp);
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0, "cannot capture stderr");
	l->rc = load_table_path(def, path, &l->sp, &l->t, &l->st);
	l->err = th_capture_end(&cap);
	cr_assert_not_null(l->err);
	cr_assert_not_null(l->t, "load_table_path must always return a table");
}

static void load_src(loaded *l, int src, const char *path)
{
	load_def(l, &source_tables[src], path);
}

static void loaded_free(loaded *l)
{
	tbl_free(l->t);
	load_stats_free(&l->st);
	sp_free(&l->sp);
	free(l->err);
}

static int col_of(const loaded *l, const char *name)
{
	int c = tbl_col(l->t, name);
	cr_assert_geq(c, 0, "table %s has no column %s", l->t->name, name);
	return c;
}

/* The row whose column col holds id; fails the test if there is none. */
static size_t row_of(const loaded *l, const char *col, const char *id)
{
	int c = col_of(l, col);
	for (size_t r = 0; r < l->t->nrows; r++)
		if (strcmp(tbl_str(l->t, c, r), id) == 0)
			return r;
	cr_assert_fail("no row with %s = '%s' in %s", col, id, l->t->name);
	return 0;
}

static const char *str_at(const loaded *l, const char *id, const char *col)
{
	return tbl_str(l->t, col_of(l, col), row_of(l, "Id", id));
}

static void expect_reject(const loaded *l, size_t i, long line, long col, const char *column, const char *reason)
{
	cr_assert_lt(i, l->st.nkept, "reject %zu not kept (%zu kept)", i, l->st.nkept);
	const reject *r = &l->st.rejects[i];
	cr_expect_eq(r->line, line, "reject %zu: line %ld, want %ld (%s)", i, r->line, line, r->reason);
	cr_expect_eq(r->col, col, "reject %zu: col %ld, want %ld (%s)", i, r->col, col, r->reason);
	if (column) {
		cr_expect_not_null(r->column, "reject %zu: no column name, want %s", i, column);
		if (r->column)
			cr_expect_str_eq(r->column, column, "reject %zu: column", i);
	} else {
		cr_expect_null(r->column, "reject %zu: whole-row reject names column %s", i,
			       r->column ? r->column : "");
	}
	cr_expect_not_null(strstr(r->reason, reason), "reject %zu: reason '%s' lacks '%s'", i, r->reason, reason);
}

Test(load, quoted_commas_quotes_and_newlines)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_quoting/patients.csv");
	cr_assert_eq(l.rc, 0, "rc %d, stderr: %s", l.rc, l.err);
	cr_expect_eq(l.st.present, 1);
	cr_expect_eq(l.st.rows, 5);
	cr_expect_eq(l.t->nrows, 5);
	cr_expect_str_eq(str_at(&l, "p1", "FIRST"), "Smith, Jr.");
	cr_expect_str_eq(str_at(&l, "p1", "CITY"), "Leeds, West Yorkshire");
	cr_expect_str_eq(str_at(&l, "p2", "FIRST"), "Ann \"Nan\"");
	cr_expect_str_eq(str_at(&l, "p3", "FIRST"), "Multi\nline\nname");
	cr_expect_str_eq(str_at(&l, "p3", "LAST"), "Green");
	cr_expect_str_eq(str_at(&l, "p5", "FIRST"), "\"quoted\"");
	cr_expect_str_eq(str_at(&l, "p5", "ZIP"), "HU1\n3AA");
	/* "" is an empty cell, i.e. null (string id 0). */
	size_t r7 = row_of(&l, "Id", "p7");
	cr_expect_eq(tbl_sid(l.t, col_of(&l, "FIRST"), r7), 0);
	cr_expect_eq(tbl_sid(l.t, col_of(&l, "ZIP"), r7), 0);
	cr_expect_eq(tbl_date(l.t, col_of(&l, "BIRTHDATE"), r7), days_from_civil(2002, 3, 4));
	/* Rows after multi-line fields keep their physical line numbers. */
	cr_assert_eq(l.st.nrejects, 2);
	expect_reject(&l, 0, 7, 2, "BIRTHDATE", "not a date");
	expect_reject(&l, 1, 10, 2, "BIRTHDATE", "not a date");
	loaded_free(&l);
}

Test(load, reject_line_is_where_a_multiline_row_starts)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_quoting/multiline_first.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 1);
	cr_assert_eq(l.st.nrejects, 2);
	/* The p2 row starts on line 3; its first field closes on line 4. */
	expect_reject(&l, 0, 3, 2, "BIRTHDATE", "not a date");
	expect_reject(&l, 1, 5, 2, "BIRTHDATE", "not a date");
	loaded_free(&l);
}

Test(load, crlf_line_ends)
{
	size_t n;
	char *raw = th_read_file(FIX "load_crlf/patients.csv", &n);
	cr_assert_not_null(raw);
	cr_assert_not_null(strstr(raw, "\r\n"), "fixture lost its CRLF line ends");
	free(raw);

	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_crlf/patients.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 3);
	int imd = col_of(&l, "IMD_DECILE");
	/* The last field carries no stray '\r'. */
	cr_expect_eq(tbl_int(l.t, imd, row_of(&l, "Id", "p1")), 10);
	cr_expect_eq(tbl_int(l.t, imd, row_of(&l, "Id", "p2")), 1);
	cr_expect_eq(tbl_int(l.t, imd, row_of(&l, "Id", "p4")), INT_NULL);
	cr_expect_str_eq(str_at(&l, "p2", "FIRST"), "Two\r\nLines");
	cr_expect_eq(tbl_date(l.t, col_of(&l, "DEATHDATE"), row_of(&l, "Id", "p2")), days_from_civil(2020, 5, 5));
	cr_expect_eq(tbl_date(l.t, col_of(&l, "DEATHDATE"), row_of(&l, "Id", "p1")), I32_NULL);
	cr_assert_eq(l.st.nrejects, 1);
	expect_reject(&l, 0, 5, 7, "GENDER", "not an accepted value");
	loaded_free(&l);
}

Test(load, utf8_bom)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_bom/patients.csv");
	cr_assert_eq(l.rc, 0, "the BOM must not hide the Id column; stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 2);
	cr_expect_eq(l.st.nrejects, 0);
	cr_expect_str_eq(str_at(&l, "p1", "FIRST"), "Zo\xc3\xab");
	cr_expect_str_eq(str_at(&l, "p2", "CITY"), "Llandudno");
	loaded_free(&l);

	load_src(&l, SRC_PATIENTS, FIX "load_bom/patients_crlf.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 1);
	cr_expect_str_eq(str_at(&l, "p1", "GENDER"), "F");
	loaded_free(&l);
}

Test(load, blank_trailing_lines_and_no_final_newline)
{
	static const char *const files[] = {"patients.csv", "patients_crlf.csv", "patients_noeol.csv"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *p = th_path(FIX "load_blank", files[i]);
		loaded l;
		load_src(&l, SRC_PATIENTS, p);
		cr_assert_eq(l.rc, 0, "%s: stderr: %s", p, l.err);
		cr_expect_eq(l.st.rows, 2, "%s: %zu rows", p, l.st.rows);
		cr_expect_eq(l.st.nrejects, 0, "%s: %zu rejects (%s)", p, l.st.nrejects,
			     l.st.nkept ? l.st.rejects[0].reason : "");
		cr_expect_str_eq(str_at(&l, "p2", "GENDER"), "M", "%s", p);
		loaded_free(&l);
		free(p);
	}
}

Test(load, header_only_and_empty_files)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_blank/header_only.csv");
	cr_expect_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 0);
	cr_expect_eq(l.st.present, 1);
	loaded_free(&l);

	load_src(&l, SRC_PATIENTS, FIX "load_blank/header_noeol.csv");
	cr_expect_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 0);
	loaded_free(&l);

	load_src(&l, SRC_PATIENTS, FIX "load_blank/empty.csv");
	cr_expect_eq(l.rc, EXIT_INPUT, "an empty file has no header");
	cr_expect_not_null(strstr(l.err, FIX "load_blank/empty.csv"), "stderr: %s", l.err);
	cr_expect_not_null(strstr(l.err, "error:"), "stderr: %s", l.err);
	loaded_free(&l);
}

/* A header-only source has columns but no arrays behind them: the staging
 * copy of its (zero) rows must not touch them (UBSan: zero offset to a null
 * pointer under make asan). */
Test(load, header_only_table_through_staging_copy)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_blank/header_only.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_assert_eq(l.t->nrows, 0);
	mm_table *out = tbl_new("stg_x", &l.sp);
	int id = tbl_add_col(out, "id", T_STR), born = tbl_add_col(out, "born", T_DATE);
	int n = tbl_add_col(out, "n", T_INT);
	size_t first = stg_add_rows(out, 0);
	stg_gather(out, id, first, l.t, col_of(&l, "Id"), NULL, 0);
	stg_gather(out, born, first, l.t, col_of(&l, "BIRTHDATE"), NULL, 0);
	stg_gather(out, n, first, l.t, col_of(&l, "INCOME"), NULL, 0);
	cr_expect_eq(out->nrows, 0);
	tbl_free(out);
	loaded_free(&l);
}

/* A field of more than 1 MB (longer than the loader's read block), quoted
 * with commas, quotes and 100 line breaks, then a bad row whose line
 * number must still be right. A field that long is over LOAD_FIELD_MAX:
 * its row is a reject naming the field and its length. */
Test(load, very_long_field)
{
	enum { LONG = (1 << 20) + 4321, BREAKS = 100 };
	char *dir = th_mkdtemp("long");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "patients.csv");
	size_t cap = 3 * (size_t)LONG + 4096, n = 0;
	char *s = malloc(cap), *want_first = malloc(LONG + 1), *want_city = malloc(LONG + 1);
	cr_assert(s && want_first && want_city);
	for (size_t i = 0; i < LONG; i++)
		want_first[i] = (char)('a' + i % 26);
	want_first[LONG] = '\0';
	size_t k = 0;
	for (size_t i = 0; i < LONG; i++) {
		char c = i % 997 == 5 ? ',' : i % 991 == 7 ? '"' : 'x';
		if (i > 0 && i % (LONG / BREAKS) == 0 && k < BREAKS) {
			c = '\n';
			k++;
		}
		want_city[i] = c;
	}
	want_city[LONG] = '\0';
	cr_assert_eq(k, BREAKS);
	n += (size_t)sprintf(s + n, "Id,BIRTHDATE,DEATHDATE,FIRST,RACE,ETHNICITY,GENDER,CITY\n");
	n += (size_t)sprintf(s + n, "p1,1980-01-01,,");
	memcpy(s + n, want_first, LONG);
	n += LONG;
	n += (size_t)sprintf(s + n, ",white,nonhispanic,F,\"");
	for (size_t i = 0; i < LONG; i++) {
		if (want_city[i] == '"')
			s[n++] = '"';
		s[n++] = want_city[i];
	}
	n += (size_t)sprintf(s + n, "\"\np2,1980-01-01,,B,white,nonhispanic,X,York\n");
	n += (size_t)sprintf(s + n, "p3,1981-01-01,,C,white,nonhispanic,M,Hull\n");
	cr_assert_lt(n, cap);
	cr_assert_eq(th_write_file(path, s, n), 0);

	loaded l;
	load_src(&l, SRC_PATIENTS, path);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 1);
	cr_expect_str_eq(str_at(&l, "p3", "CITY"), "Hull");
	cr_assert_eq(l.st.nrejects, 2);
	char want[96];
	snprintf(want, sizeof want, "value is %d bytes long; the limit is %d bytes", LONG, LOAD_FIELD_MAX);
	expect_reject(&l, 0, 2, 4, "FIRST", want);
	expect_reject(&l, 1, 3 + BREAKS, 7, "GENDER", "not an accepted value");
	/* The reason quotes a bad cell shortened, never the whole field. */
	cr_expect_lt(strlen(l.st.rejects[0].reason), 200);
	cr_expect_lt(strlen(l.st.rejects[1].reason), 200);
	loaded_free(&l);
	free(s);
	free(want_first);
	free(want_city);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* The cap is on bytes: a cell of exactly LOAD_FIELD_MAX loads, one more
 * byte rejects the row. */
Test(load, field_length_cap)
{
	char *dir = th_mkdtemp("cap");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "organizations.csv");
	size_t cap = 3 * LOAD_FIELD_MAX + 256, n = 0;
	char *s = malloc(cap);
	cr_assert_not_null(s);
	n += (size_t)sprintf(s + n, "Id,NAME\no1,");
	memset(s + n, 'a', LOAD_FIELD_MAX);
	n += LOAD_FIELD_MAX;
	n += (size_t)sprintf(s + n, "\no2,");
	memset(s + n, 'b', LOAD_FIELD_MAX + 1);
	n += LOAD_FIELD_MAX + 1;
	n += (size_t)sprintf(s + n, "\no3,Leeds\n");
	cr_assert_eq(th_write_file(path, s, n), 0);
	loaded l;
	load_src(&l, SRC_ORGANIZATIONS, path);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 2);
	cr_expect_eq(strlen(str_at(&l, "o1", "NAME")), LOAD_FIELD_MAX);
	cr_assert_eq(l.st.nrejects, 1);
	char want[96];
	snprintf(want, sizeof want, "value is %d bytes long; the limit is %d bytes", LOAD_FIELD_MAX + 1,
		 LOAD_FIELD_MAX);
	expect_reject(&l, 0, 3, 2, "NAME", want);
	loaded_free(&l);
	free(s);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* Bytes no output should carry: a NUL inside a field (a reject, not a
 * silent cut), invalid UTF-8 (a reject, not a published file), and the
 * messages show control bytes as \xHH, never raw. */
Test(load, nul_bytes_invalid_utf8_and_control_bytes)
{
	static const char text[] = "Id,NAME,CITY\n"
				   "o1,St Mary\xE2\x80\x99s \xC3\xA9,Leeds\n" /* valid UTF-8 */
				   "o2,Bad\0Name,York\n"                    /* NUL inside a field */
				   "o3,Caf\xE9,Hull\n"                      /* Latin-1, not UTF-8 */
				   "o4,Over\xC0\xAFlong,Hull\n"            /* overlong '/' */
				   "o5,Cut \xE2\x80,Hull\n"                /* truncated sequence */
				   "o6,Surrogate \xED\xA0\x80,Hull\n"     /* UTF-16 surrogate */
				   "o7,Fine,Hull\n";
	char *dir = th_mkdtemp("bytes");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "organizations.csv");
	cr_assert_eq(th_write_file(path, text, sizeof text - 1), 0);
	loaded l;
	load_src(&l, SRC_ORGANIZATIONS, path);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 2);
	cr_expect_str_eq(str_at(&l, "o1", "NAME"), "St Mary\xE2\x80\x99s \xC3\xA9");
	cr_assert_eq(l.st.nrejects, 5);
	expect_reject(&l, 0, 3, 2, "NAME", "NUL byte in the value (byte 4)");
	expect_reject(&l, 1, 4, 2, "NAME", "invalid UTF-8 in the value (byte 4 is 0xE9)");
	expect_reject(&l, 2, 5, 2, "NAME", "invalid UTF-8 in the value (byte 5 is 0xC0)");
	expect_reject(&l, 3, 6, 2, "NAME", "invalid UTF-8 in the value (byte 5 is 0xE2)");
	expect_reject(&l, 4, 7, 2, "NAME", "invalid UTF-8 in the value (byte 11 is 0xED)");
	loaded_free(&l);

	/* An escape sequence and a Latin-1 byte: the first problem is named
	 * by its byte, never echoed. */
	static const char pats[] = "Id,BIRTHDATE,DEATHDATE,RACE,ETHNICITY,GENDER\n"
				   "p1,1980-01-01,,white,nonhispanic,\"\x1B[2J\xE9\"\n";
	char *ppath = th_path(dir, "patients.csv");
	cr_assert_eq(th_write_file(ppath, pats, sizeof pats - 1), 0);
	load_src(&l, SRC_PATIENTS, ppath);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_assert_eq(l.st.nrejects, 1);
	expect_reject(&l, 0, 2, 6, "GENDER", "control byte 0x1B in the value (byte 1)");
	loaded_free(&l);
	/* A control byte other than tab and line breaks is a reject; a cell
	 * quoted in a message shows a line break as \x0D, never raw. */
	static const char pats2[] = "Id,BIRTHDATE,DEATHDATE,RACE,ETHNICITY,GENDER\n"
				    "p1,1980-01-01,,white,nonhispanic,\"\x1B[2J\"\n"
				    "p2,1980-01-01,,white,nonhispanic,\"M\r\n\tX\"\n"
				    "p3,1980-01-01,,white,nonhispanic,\"F\x7F\"\n";
	cr_assert_eq(th_write_file(ppath, pats2, sizeof pats2 - 1), 0);
	load_src(&l, SRC_PATIENTS, ppath);
	cr_assert_eq(l.st.nrejects, 3);
	expect_reject(&l, 0, 2, 6, "GENDER", "control byte 0x1B in the value (byte 1)");
	expect_reject(&l, 1, 3, 6, "GENDER", "'M\\x0D\\x0A\\x09X' is not an accepted value");
	expect_reject(&l, 2, 5, 6, "GENDER", "control byte 0x7F in the value (byte 2)");
	for (const char *p = l.st.rejects[0].reason; *p; p++)
		cr_expect((unsigned char)*p >= 0x20 && *p != 0x7F, "raw control byte in: %s", l.st.rejects[0].reason);
	loaded_free(&l);
	th_rmtree(dir);
	free(ppath);
	free(path);
	free(dir);
}

/* Every message, not only the loader's: control bytes in a file name or in
 * quoted input are written as \xHH; long messages are not cut. */
Test(load, messages_never_carry_raw_control_bytes)
{
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	diag(DIAG_ERROR, "dir\x1B[2J/x.csv", 3, 4, "unknown model '%s'", "a\rb\x7F");
	char big[2000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	diag(DIAG_WARNING, NULL, 0, 0, "%s\t!", big);
	char *err = th_capture_end(&cap);
	cr_assert_not_null(err);
	char want[2200];
	snprintf(want, sizeof want,
		 "medimart: dir\\x1B[2J/x.csv:3:4: error: unknown model 'a\\x0Db\\x7F'\n"
		 "medimart: warning: %s\\x09!\n",
		 big);
	cr_expect_str_eq(err, want);
	free(err);
}

/* The default census: the last month end the bulk of the data covers. A
 * date more than a year after the 99.9th percentile, or the third latest
 * date in a small set (a 2090 typo that the 2099 bound lets through), is
 * left out, with a warning. */
Test(load, census_default_ignores_a_date_far_beyond_the_bulk)
{
	sources s;
	memset(&s, 0, sizeof s);
	sp_init(&s.sp);
	for (int i = 0; i < SRC_COUNT; i++) {
		s.t[i] = tbl_new(source_tables[i].name, &s.sp);
		for (int c = 0; c < source_tables[i].ncols; c++)
			tbl_add_col(s.t[i], source_tables[i].cols[c].name, source_tables[i].cols[c].type);
	}
	mm_table *enc = s.t[SRC_ENCOUNTERS], *wl = s.t[SRC_WAITING_LIST];
	int start = tbl_col(enc, "START"), ref = tbl_col(wl, "REFERRAL_DATE");
	int32_t first = days_from_civil(2024, 1, 1), last = days_from_civil(2025, 9, 15);
	for (int32_t d = first; d <= last; d++) {
		size_t r = tbl_add_row(enc);
		tbl_set_ts(enc, start, r, (int64_t)d * 86400 + 3600);
		if (d % 7 == 0)
			tbl_set_date(wl, ref, tbl_add_row(wl), d);
	}
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int32_t c0 = census_default(&s);
	char *err = th_capture_end(&cap);
	cr_expect_eq(c0, days_from_civil(2025, 8, 31));
	cr_expect_str_eq(err, "");
	free(err);

	/* A referral in 2090, and an encounter a year after the bulk. */
	tbl_set_date(wl, ref, tbl_add_row(wl), days_from_civil(2090, 6, 1));
	size_t r = tbl_add_row(enc);
	tbl_set_ts(enc, start, r, (int64_t)(last + 400) * 86400);
	cr_assert_eq(th_capture_start(&cap), 0);
	int32_t c1 = census_default(&s);
	err = th_capture_end(&cap);
	cr_expect_eq(c1, c0, "one far-future date moved the census");
	cr_expect_str_eq(err, "medimart: warning: 2 activity dates, 2026-10-20 to 2090-06-01, more than 366 days "
			      "after 2025-09-15 (where the bulk of the encounter, referral and clock-stop dates "
			      "ends), left out of the default census; give --census to choose it\n");
	free(err);
	for (int i = 0; i < SRC_COUNT; i++)
		tbl_free(s.t[i]);
	sp_free(&s.sp);
}

/* A name twice in a header is an error naming both positions; before, the
 * last one silently won. */
Test(load, duplicate_header_names)
{
	char *dir = th_mkdtemp("dup");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "organizations.csv");
	static const char text[] = "Id,NAME,CITY,NAME\no1,Leeds General,Leeds,Wrong Name\n";
	cr_assert_eq(th_write_file(path, text, sizeof text - 1), 0);
	loaded l;
	load_src(&l, SRC_ORGANIZATIONS, path);
	cr_expect_eq(l.rc, EXIT_INPUT);
	char want[512];
	snprintf(want, sizeof want,
		 "medimart: %s:1:4: error: duplicate column 'NAME': fields 2 and 4 have the same name\n", path);
	cr_expect_str_eq(l.err, want);
	loaded_free(&l);
	int nmissing = -1;
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int hr = load_header(&source_tables[SRC_ORGANIZATIONS], path, &nmissing);
	char *err = th_capture_end(&cap);
	cr_expect_eq(hr, LOAD_HDR_BAD);
	cr_expect_str_eq(err, want);
	free(err);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* Dates after 2099-12-31 (9999-12-31 placeholders, typos) are rejects:
 * one of them would otherwise move the census derived from the data. */
Test(load, implausible_far_future_dates)
{
	char *dir = th_mkdtemp("future");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "encounters.csv");
	static const char text[] =
		"Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,ENCOUNTERCLASS,CODE,DESCRIPTION\n"
		"e1,2099-12-31T23:59:59Z,,p1,o1,d1,outpatient,1,x\n"
		"e2,9999-12-31T00:00:00Z,,p1,o1,d1,outpatient,1,x\n"
		"e3,2025-01-01,2100-01-01,p1,o1,d1,outpatient,1,x\n";
	cr_assert_eq(th_write_file(path, text, sizeof text - 1), 0);
	loaded l;
	load_src(&l, SRC_ENCOUNTERS, path);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 1);
	cr_assert_eq(l.st.nrejects, 2);
	expect_reject(&l, 0, 3, 2, "START", "'9999-12-31T00:00:00Z' is after 2099-12-31, the latest date accepted");
	expect_reject(&l, 1, 4, 3, "STOP", "'2100-01-01' is after 2099-12-31");
	loaded_free(&l);

	char *cpath = th_path(dir, "conditions.csv");
	static const char ctext[] = "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n"
				    "2020-01-01,9999-12-31,p1,e1,1,x\n";
	cr_assert_eq(th_write_file(cpath, ctext, sizeof ctext - 1), 0);
	load_src(&l, SRC_CONDITIONS, cpath);
	cr_assert_eq(l.st.nrejects, 1);
	expect_reject(&l, 0, 2, 2, "STOP", "'9999-12-31' is after 2099-12-31");
	loaded_free(&l);
	th_rmtree(dir);
	free(cpath);
	free(path);
	free(dir);
}

Test(load, binds_by_header_name)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_shuffled/patients.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.nrejects, 0);
	cr_assert_eq(l.st.rows, 2);
	/* The table has the declared columns in declared order, not the file's. */
	cr_assert_eq(l.t->ncols, source_tables[SRC_PATIENTS].ncols);
	for (int c = 0; c < l.t->ncols; c++)
		cr_expect_str_eq(l.t->cols[c].name, source_tables[SRC_PATIENTS].cols[c].name);
	cr_expect_eq(tbl_col(l.t, "SSN"), -1, "unknown columns are ignored");
	cr_expect_eq(tbl_col(l.t, "UNKNOWN"), -1);
	size_t r = row_of(&l, "Id", "p1");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "GENDER"), r), "F");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "ZIP"), r), "LS6 2AB");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "LAST"), r), "Smith");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "FIRST"), r), "Ada");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "CITY"), r), "Leeds");
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "RACE"), r), "white");
	cr_expect_eq(tbl_int(l.t, col_of(&l, "IMD_DECILE"), r), 4);
	cr_expect_eq(tbl_int(l.t, col_of(&l, "INCOME"), r), 31000);
	cr_expect_eq(tbl_date(l.t, col_of(&l, "BIRTHDATE"), r), days_from_civil(1970, 7, 7));
	cr_expect_eq(tbl_date(l.t, col_of(&l, "DEATHDATE"), r), I32_NULL);
	r = row_of(&l, "Id", "p2");
	cr_expect_eq(tbl_date(l.t, col_of(&l, "DEATHDATE"), r), days_from_civil(2021, 1, 2));
	cr_expect_eq(tbl_int(l.t, col_of(&l, "IMD_DECILE"), r), INT_NULL);
	cr_expect_eq(tbl_int(l.t, col_of(&l, "INCOME"), r), INT_NULL);
	cr_expect_str_eq(tbl_str(l.t, col_of(&l, "ETHNICITY"), r), "hispanic");
	loaded_free(&l);
}

Test(load, missing_optional_columns_are_null)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_optional/patients.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_assert_eq(l.st.rows, 2);
	cr_expect_eq(l.st.nrejects, 0);
	static const char *const absent[] = {"FIRST", "LAST", "CITY", "ZIP", "INCOME", "IMD_DECILE"};
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		for (size_t r = 0; r < l.t->nrows; r++)
			cr_expect(tbl_isnull(l.t, col_of(&l, absent[i]), r), "%s row %zu not null", absent[i], r);
	cr_expect_str_eq(str_at(&l, "p2", "RACE"), "asian");
	loaded_free(&l);
}

Test(load, missing_required_column)
{
	const char *path = FIX "load_required/patients.csv";
	loaded l;
	load_src(&l, SRC_PATIENTS, path);
	cr_expect_eq(l.rc, EXIT_INPUT);
	cr_expect_str_eq(l.err, "medimart: " FIX "load_required/patients.csv:1: error: missing required column 'GENDER'\n");
	loaded_free(&l);
}

Test(load, unterminated_quote)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_unterminated/patients.csv");
	cr_expect_eq(l.rc, EXIT_INPUT);
	/* The quote opens on line 5, byte column 16. */
	cr_expect_str_eq(l.err, "medimart: " FIX "load_unterminated/patients.csv:5:16: error: unterminated quoted field\n");
	loaded_free(&l);
}

Test(load, every_reject_reason)
{
	loaded l;
	load_src(&l, SRC_PATIENTS, FIX "load_rejects/patients.csv");
	cr_assert_eq(l.rc, 0, "a bad cell is a reject, not an input error; stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 4, "good1, leap_ok, good2, good3");
	cr_assert_eq(l.st.nrejects, 13);
	cr_assert_eq(l.st.nkept, 13);
	expect_reject(&l, 0, 3, 2, "BIRTHDATE", "'1980-13-01' is not a date");
	expect_reject(&l, 1, 4, 2, "BIRTHDATE", "'2023-02-29' is not a date");
	expect_reject(&l, 2, 6, 11, "INCOME", "'12k' is not an integer");
	expect_reject(&l, 3, 7, 12, "IMD_DECILE", "0 is outside 1..10");
	expect_reject(&l, 4, 8, 12, "IMD_DECILE", "11 is outside 1..10");
	expect_reject(&l, 5, 9, 8, "GENDER", "'X' is not an accepted value");
	expect_reject(&l, 6, 10, 1, "Id", "empty value in not-null column");
	expect_reject(&l, 7, 11, 8, "GENDER", "empty value in not-null column");
	expect_reject(&l, 8, 12, 12, NULL, "expected 12 fields, found 11");
	expect_reject(&l, 9, 13, 13, NULL, "expected 12 fields, found 13");
	/* The first bad cell of a row is the one reported. */
	expect_reject(&l, 10, 15, 2, "BIRTHDATE", "'1980-02-31' is not a date");
	expect_reject(&l, 11, 16, 3, "DEATHDATE", "'1900-02-29' is not a date");
	expect_reject(&l, 12, 17, 8, "GENDER", "'m' is not an accepted value");
	/* A rejected row leaves nothing behind in the table. */
	for (size_t r = 0; r < l.t->nrows; r++) {
		const char *id = tbl_str(l.t, 0, r);
		cr_expect(!strcmp(id, "good1") || !strcmp(id, "leap_ok") || !strcmp(id, "good2") ||
				  !strcmp(id, "good3"),
			  "row %zu is '%s'", r, id);
	}
	cr_expect_eq(tbl_date(l.t, col_of(&l, "BIRTHDATE"), row_of(&l, "Id", "leap_ok")), days_from_civil(2024, 2, 29));
	size_t g2 = row_of(&l, "Id", "good2");
	cr_expect_eq(tbl_date(l.t, col_of(&l, "DEATHDATE"), g2), days_from_civil(2000, 2, 29));
	cr_expect_eq(tbl_int(l.t, col_of(&l, "IMD_DECILE"), g2), 10);
	cr_expect_eq(tbl_int(l.t, col_of(&l, "INCOME"), g2), INT_NULL);
	cr_expect_eq(tbl_int(l.t, col_of(&l, "INCOME"), row_of(&l, "Id", "good3")), -5);
	loaded_free(&l);
}

Test(load, timestamp_and_enum_rejects)
{
	loaded l;
	load_src(&l, SRC_ENCOUNTERS, FIX "load_rejects/encounters.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 3, "e1, e3, e6");
	cr_assert_eq(l.st.nrejects, 5);
	expect_reject(&l, 0, 3, 2, "START", "'2023-01-27 16:17' is not an ISO 8601 timestamp");
	expect_reject(&l, 1, 5, 2, "START", "is not an ISO 8601 timestamp");
	expect_reject(&l, 2, 6, 3, "STOP", "'yesterday' is not an ISO 8601 timestamp");
	expect_reject(&l, 3, 8, 7, "ENCOUNTERCLASS", "'Emergency' is not an accepted value");
	expect_reject(&l, 4, 9, 2, "START", "'2023-02-29T10:00:00Z' is not an ISO 8601 timestamp");
	int start = col_of(&l, "START"), stop = col_of(&l, "STOP");
	int64_t t0 = 1674836267; /* 2023-01-27T16:17:47Z */
	size_t e1 = row_of(&l, "Id", "e1"), e3 = row_of(&l, "Id", "e3"), e6 = row_of(&l, "Id", "e6");
	cr_expect_eq(tbl_ts(l.t, start, e1), t0);
	cr_expect_eq(tbl_ts(l.t, stop, e1), t0 + 900);
	cr_expect_eq(tbl_ts(l.t, start, e3), t0, "+01:00 offset");
	cr_expect_eq(tbl_ts(l.t, stop, e3), t0 + 900, "fraction of a second");
	cr_expect_eq(tbl_ts(l.t, start, e6), (int64_t)days_from_civil(2023, 1, 27) * 86400);
	cr_expect_eq(tbl_ts(l.t, stop, e6), INT_NULL);
	loaded_free(&l);
}

Test(load, rejects_beyond_the_kept_limit_are_counted)
{
	enum { BAD = REJECTS_KEPT + 250 };
	char *dir = th_mkdtemp("many");
	char *path = th_path(dir, "patients.csv");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "Id,BIRTHDATE,DEATHDATE,RACE,ETHNICITY,GENDER\n");
	for (int i = 0; i < BAD; i++)
		fprintf(f, "p%d,1980-01-01,,white,nonhispanic,%s\n", i, i % 2 ? "F" : "U");
	fclose(f);
	loaded l;
	load_src(&l, SRC_PATIENTS, path);
	cr_assert_eq(l.rc, 0);
	cr_expect_eq(l.st.rows, BAD / 2);
	cr_expect_eq(l.st.nrejects, BAD - BAD / 2);
	cr_expect_eq(l.st.nkept, REJECTS_KEPT < BAD - BAD / 2 ? REJECTS_KEPT : BAD - BAD / 2);
	cr_expect_eq(l.st.rejects[l.st.nkept - 1].line, 2 + 2 * ((long)l.st.nkept - 1));
	loaded_free(&l);
	th_rmtree(dir);
	free(path);
	free(dir);
}

Test(load, missing_files)
{
	loaded l;
	const char *none = FIX "load_none/patients.csv";
	load_src(&l, SRC_PATIENTS, none);
	cr_expect_eq(l.rc, EXIT_INPUT, "a missing required file is an input error");
	cr_expect_eq(l.st.present, 0);
	cr_expect_not_null(strstr(l.err, none), "stderr: %s", l.err);
	cr_expect_not_null(strstr(l.err, "error:"), "stderr: %s", l.err);
	loaded_free(&l);

	load_src(&l, SRC_CAREPLANS, FIX "load_none/careplans.csv");
	cr_expect_eq(l.rc, 0, "a missing optional file is not fatal; stderr: %s", l.err);
	cr_expect_eq(l.st.present, 0);
	cr_expect_eq(l.t->nrows, 0);
	cr_expect_eq(l.t->ncols, source_tables[SRC_CAREPLANS].ncols, "an absent table still has its columns");
	cr_expect_null(strstr(l.err, "error:"), "stderr: %s", l.err);
	cr_expect_not_null(strstr(l.err, "careplans"), "the absence is reported; stderr: %s", l.err);
	loaded_free(&l);

	load_src(&l, SRC_WAITING_LIST, FIX "load_none/waiting_list.csv");
	cr_expect_eq(l.rc, 0);
	cr_expect_eq(l.st.present, 0);
	loaded_free(&l);

	load_src(&l, SRC_PATIENTS, FIX "load_optional/patients.csv");
	cr_expect_eq(l.st.present, 1);
	cr_expect_gt(l.st.bytes, 0);
	cr_expect_str_eq(l.st.path, FIX "load_optional/patients.csv");
	cr_expect_str_eq(l.st.table, "patients");
	loaded_free(&l);
}

Test(load, sources_load_fails_without_a_required_file)
{
	char *dir = th_mkdtemp("nofiles");
	sources s;
	th_capture cap;
	th_capture_start(&cap);
	int rc = sources_load(&s, dir, dir);
	char *err = th_capture_end(&cap);
	cr_expect_eq(rc, EXIT_INPUT);
	cr_expect_not_null(strstr(err, "patients.csv"), "stderr: %s", err);
	sources_free(&s);
	free(err);
	th_rmtree(dir);
	free(dir);
}

/* The header alone, read as load_table_path reads it: a byte-order mark,
 * CRLF, quoted names with a comma and a line break in them. The rows are
 * never read: the second one opens a quote that is never closed. */
Test(load, header_only_check)
{
	const char *path = FIX "load_header/patients.csv";
	const src_table *def = &source_tables[SRC_PATIENTS];
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int nmissing = -1;
	int rc = load_header(def, path, &nmissing);
	char *err = th_capture_end(&cap);
	cr_expect_eq(rc, LOAD_HDR_OK, "stderr: %s", err);
	cr_expect_eq(nmissing, 0, "stderr: %s", err);
	cr_expect_str_eq(err, "", "only the header is read");
	free(err);

	loaded l;
	load_src(&l, SRC_PATIENTS, path);
	cr_expect_eq(l.rc, EXIT_INPUT, "the rows of the file are broken");
	cr_expect_not_null(strstr(l.err, "unterminated quoted field"), "stderr: %s", l.err);
	loaded_free(&l);

	/* Every missing required column, each on its own line; a header
	 * without a final line break. */
	cr_assert_eq(th_capture_start(&cap), 0);
	rc = load_header(def, FIX "load_header/patients_lacking.csv", &nmissing);
	err = th_capture_end(&cap);
	cr_expect_eq(rc, LOAD_HDR_OK);
	cr_expect_eq(nmissing, 2);
	cr_expect_str_eq(err, "medimart: " FIX "load_header/patients_lacking.csv:1: error: missing required column "
			      "'DEATHDATE'\n"
			      "medimart: " FIX "load_header/patients_lacking.csv:1: error: missing required column 'GENDER'\n");
	free(err);

	/* The same line as a full load gives. */
	cr_assert_eq(th_capture_start(&cap), 0);
	rc = load_header(def, FIX "load_required/patients.csv", &nmissing);
	err = th_capture_end(&cap);
	cr_expect_eq(rc, LOAD_HDR_OK);
	cr_expect_eq(nmissing, 1);
	cr_expect_str_eq(err, "medimart: " FIX "load_required/patients.csv:1: error: missing required column 'GENDER'\n");
	free(err);

	cr_assert_eq(th_capture_start(&cap), 0);
	rc = load_header(def, FIX "load_none/patients.csv", &nmissing);
	err = th_capture_end(&cap);
	cr_expect_eq(rc, LOAD_HDR_ABSENT);
	cr_expect_str_eq(err, "", "an absent file is for the caller to report");
	free(err);

	cr_assert_eq(th_capture_start(&cap), 0);
	rc = load_header(def, FIX "load_blank/empty.csv", &nmissing);
	err = th_capture_end(&cap);
	cr_expect_eq(rc, LOAD_HDR_BAD);
	cr_expect_str_eq(err, "medimart: " FIX "load_blank/empty.csv:1: error: empty file: no header line\n");
	free(err);

	/* The header is found the same way as when loading every edge case. */
	static const char *const good[] = {
		FIX "load_bom/patients.csv", FIX "load_bom/patients_crlf.csv", FIX "load_crlf/patients.csv",
		FIX "load_quoting/patients.csv", FIX "load_blank/header_noeol.csv", FIX "load_shuffled/patients.csv",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		cr_assert_eq(th_capture_start(&cap), 0);
		rc = load_header(def, good[i], &nmissing);
		err = th_capture_end(&cap);
		cr_expect_eq(rc, LOAD_HDR_OK, "%s: %s", good[i], err);
		cr_expect_eq(nmissing, 0, "%s: %s", good[i], err);
		free(err);
	}
}

/* sources_load with its stderr captured; returns the text (caller frees). */
static char *load_captured(sources *s, const char *dir, const char *seeds, int *rc)
{
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	*rc = sources_load(s, dir, seeds);
	return th_capture_end(&cap);
}

/* A Trust's own extract with two required files and three required
 * columns missing: one report of all of them, then nothing is loaded. */
Test(load, sources_load_reports_every_missing_file_and_column)
{
	const char *dir = FIX "load_extract";
	sources s;
	int rc;
	char *err = load_captured(&s, dir, "data", &rc);
	cr_expect_eq(rc, EXIT_INPUT);
	static const char *const lines[] = {
		"medimart: " FIX "load_extract/patients.csv: error: missing required file: Synthea patients",
		"medimart: " FIX "load_extract/organizations.csv:1: error: missing required column 'NAME'\n",
		"medimart: " FIX "load_extract/providers.csv: error: missing required file: Synthea clinicians",
		"medimart: " FIX "load_extract/waiting_list.csv:1: error: missing required column 'TREATMENT_FUNCTION'\n",
		"medimart: " FIX "load_extract/waiting_list.csv:1: error: missing required column 'REFERRAL_DATE'\n",
		"medimart: " FIX "load_extract/sessions.csv: note: optional table 'sessions' is absent\n",
		"medimart: error: " FIX "load_extract: 2 required files and 3 required columns missing; nothing was loaded\n",
	};
	const char *at = err;
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		const char *hit = strstr(err, lines[i]);
		cr_expect_not_null(hit, "stderr lacks \"%s\"; stderr: %s", lines[i], err);
		cr_expect(!hit || hit >= at, "\"%s\" is out of order; stderr: %s", lines[i], err);
		at = hit ? hit : at;
	}
	cr_expect(strstr(err, "see docs/data-contract.md") != NULL, "stderr: %s", err);
	cr_expect_null(strstr(err, "row rejected"), "no row was read; stderr: %s", err);
	cr_expect_null(strstr(err, "loaded "), "no table was loaded; stderr: %s", err);
	cr_expect_null(strstr(err, "conditions"), "a complete file is not mentioned; stderr: %s", err);
	for (int i = 0; i < SRC_COUNT; i++)
		cr_expect_null(s.t[i], "%s was loaded", source_tables[i].name);
	sources_free(&s);
	free(err);

	/* A seed missing too is counted, and named as a seed. */
	char *seeds = th_mkdtemp("noseeds");
	err = load_captured(&s, dir, seeds, &rc);
	cr_expect_eq(rc, EXIT_INPUT);
	cr_expect_not_null(strstr(err, "/comorbidities.csv: error: missing seed file: SNOMED CT chronic condition"),
			   "stderr: %s", err);
	cr_expect_not_null(strstr(err, ": 8 required files and 3 required columns missing (6 of them in the seed folder "),
			   "stderr: %s", err);
	sources_free(&s);
	free(err);
	th_rmtree(seeds);
	free(seeds);
}

/* A plain Synthea export: the six required files and none of the others
 * still loads; each absent optional file is noted once, with an empty
 * table and its path (stg_organisations names it in its warning). */
Test(load, plain_synthea_export_loads)
{
	const char *dir = FIX "load_plain";
	sources s;
	int rc;
	char *err = load_captured(&s, dir, "data", &rc);
	cr_assert_eq(rc, 0, "stderr: %s", err);
	cr_expect_null(strstr(err, "error"), "stderr: %s", err);
	cr_expect_null(strstr(err, "warning"), "stderr: %s", err);
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		cr_assert_not_null(s.t[i], "%s", d->name);
		cr_expect_eq(s.t[i]->ncols, d->ncols, "%s", d->name);
		cr_expect_eq(s.st[i].present, d->required_file, "%s", d->name);
		cr_expect_not_null(s.st[i].path, "%s", d->name);
		if (!d->required_file) {
			char note[128];
			snprintf(note, sizeof note, "%s: note: optional table '%s' is absent\n", d->file, d->name);
			const char *hit = strstr(err, note);
			cr_expect_not_null(hit, "stderr lacks %s: %s", note, err);
			cr_expect(!hit || !strstr(hit + 1, note), "%s noted twice: %s", d->name, err);
			cr_expect_eq(s.t[i]->nrows, 0);
		}
	}
	cr_expect_str_eq(s.st[SRC_ORG_HIERARCHY].path, FIX "load_plain/org_hierarchy.csv");
	cr_expect_eq(s.st[SRC_PATIENTS].rows, 1);
	cr_expect_eq(s.st[SRC_PROCEDURES].rows, 1);
	sources_free(&s);
	free(err);
}

/* A new temporary folder holding the six required files of the plain
 * Synthea fixture. Caller removes it (th_rmtree) and frees the path. */
static char *plain_copy(const char *name)
{
	static const char *const files[] = {"patients.csv", "organizations.csv", "providers.csv",
					    "encounters.csv", "conditions.csv", "procedures.csv"};
	char *dir = th_mkdtemp(name);
	cr_assert_not_null(dir);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *from = th_path(FIX "load_plain", files[i]), *to = th_path(dir, files[i]);
		size_t n = 0;
		char *text = th_read_file(from, &n);
		cr_assert_not_null(text, "%s", from);
		cr_assert_eq(th_write_file(to, text, n), 0, "%s", to);
		free(text);
		free(from);
		free(to);
	}
	return dir;
}

/* A file that is there but has no header: named, and counted apart from
 * the missing ones. */
Test(load, sources_load_reports_a_file_without_a_header)
{
	char *dir = plain_copy("noheader");
	/* A blank line, not a 0-byte file: that one reads as absent (below). */
	char *empty = th_path(dir, "sessions.csv");
	cr_assert_eq(th_write_file(empty, "\n", 1), 0);
	sources s;
	int rc;
	char *err = load_captured(&s, dir, "data", &rc);
	cr_expect_eq(rc, EXIT_INPUT);
	char want[512];
	snprintf(want, sizeof want, "medimart: %s:1: error: empty file: no header line\n", empty);
	cr_expect_not_null(strstr(err, want), "stderr: %s", err);
	snprintf(want, sizeof want, "medimart: error: %s: 1 file without a readable header; nothing was loaded\n", dir);
	cr_expect_not_null(strstr(err, want), "stderr: %s", err);
	sources_free(&s);
	free(err);
	free(empty);
	th_rmtree(dir);
	free(dir);
}

/* A 0-byte optional file is an absent one, with a note; a 0-byte required
 * file is still an error. */
Test(load, sources_load_reads_an_empty_optional_file_as_absent)
{
	char *dir = plain_copy("emptyopt");
	char *empty = th_path(dir, "sessions.csv");
	cr_assert_eq(th_write_file(empty, "", 0), 0);
	sources s;
	int rc;
	char *err = load_captured(&s, dir, "data", &rc);
	cr_expect_eq(rc, 0, "stderr: %s", err);
	char want[512];
	snprintf(want, sizeof want,
		 "medimart: %s: note: optional table 'sessions' is an empty file (0 bytes); read as absent\n", empty);
	cr_expect_not_null(strstr(err, want), "stderr: %s", err);
	cr_expect_eq(s.st[SRC_SESSIONS].present, 0);
	cr_expect_eq(s.t[SRC_SESSIONS]->nrows, 0);
	sources_free(&s);
	free(err);

	char *pat = th_path(dir, "patients.csv");
	cr_assert_eq(th_write_file(pat, "", 0), 0);
	err = load_captured(&s, dir, "data", &rc);
	cr_expect_eq(rc, EXIT_INPUT, "a 0-byte required file is an error");
	snprintf(want, sizeof want, "medimart: %s:1: error: empty file: no header line\n", pat);
	cr_expect_not_null(strstr(err, want), "stderr: %s", err);
	sources_free(&s);
	free(err);
	free(pat);
	free(empty);
	th_rmtree(dir);
	free(dir);
}

Test(load, sources_load_without_the_data_folder)
{
	sources s;
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int rc = sources_load(&s, FIX "load_no_such_folder", "data");
	char *err = th_capture_end(&cap);
	cr_expect_eq(rc, EXIT_INPUT);
	cr_expect_str_eq(err, "medimart: " FIX "load_no_such_folder: error: cannot open the data folder: No such file or "
			      "directory\n");
	sources_free(&s);
	free(err);
}

static const src_col dec_cols[] = {
	{"ID", T_STR, COL_NOTNULL, 0, 0, 0},
	{"VALUE", T_NUM, 0, 0, 0, 0},
};
static const src_table dec_def = {
	.name = "values", .file = "values.csv", .required_file = 1, .ncols = 2, .cols = dec_cols, .description = "decimals"};

Test(load, decimals_and_nan)
{
	loaded l;
	load_def(&l, &dec_def, FIX "load_decimal/values.csv");
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_expect_eq(l.st.rows, 6);
	cr_assert_eq(l.st.nrejects, 3);
	expect_reject(&l, 0, 6, 2, "VALUE", "'abc' is not a number");
	expect_reject(&l, 1, 7, 2, "VALUE", "'inf' is not a number");
	expect_reject(&l, 2, 10, 2, "VALUE", "'1.5.2' is not a number");
	int v = col_of(&l, "VALUE");
	cr_expect_float_eq(tbl_num(l.t, v, row_of(&l, "ID", "a")), 1.5, 1e-12);
	cr_expect(isnan(tbl_num(l.t, v, row_of(&l, "ID", "b"))), "NaN reads as null");
	cr_expect(isnan(tbl_num(l.t, v, row_of(&l, "ID", "c"))), "empty reads as null");
	cr_expect_float_eq(tbl_num(l.t, v, row_of(&l, "ID", "d")), -2000.0, 1e-12);
	cr_expect(isnan(tbl_num(l.t, v, row_of(&l, "ID", "g"))));
	cr_expect_float_eq(tbl_num(l.t, v, row_of(&l, "ID", "h")), 1e-6, 1e-15);
	loaded_free(&l);
}

/* Synthea 3.0 headers lack MIDDLE, FIPS, INCOME and SYSTEM; later
 * releases add them. Both load, with the same values. */
Test(load, synthea_with_and_without_optional_columns)
{
	static const struct {
		int src;
		const char *file;
		size_t rows;
	} files[] = {
		{SRC_PATIENTS, "patients.csv", 2},
		{SRC_CONDITIONS, "conditions.csv", 2},
		{SRC_PROCEDURES, "procedures.csv", 1},
		{SRC_PROVIDERS, "providers.csv", 1},
	};
	loaded old_l[4], new_l[4];
	for (int i = 0; i < 4; i++) {
		char *po = th_path(FIX "load_synthea_old", files[i].file);
		char *pn = th_path(FIX "load_synthea_new", files[i].file);
		load_src(&old_l[i], files[i].src, po);
		load_src(&new_l[i], files[i].src, pn);
		cr_assert_eq(old_l[i].rc, 0, "%s: %s", po, old_l[i].err);
		cr_assert_eq(new_l[i].rc, 0, "%s: %s", pn, new_l[i].err);
		cr_expect_eq(old_l[i].st.nrejects, 0, "%s", po);
		cr_expect_eq(new_l[i].st.nrejects, 0, "%s", pn);
		cr_expect_eq(old_l[i].st.rows, files[i].rows, "%s", po);
		cr_expect_eq(new_l[i].st.rows, files[i].rows, "%s", pn);
		free(po);
		free(pn);
	}
	/* patients: INCOME only in the newer file; the rest agrees. */
	loaded *po = &old_l[0], *pn = &new_l[0];
	const char *id = "3edac2e3-d223-6fae-d515-daf96ef6bc76";
	cr_expect_eq(tbl_int(po->t, col_of(po, "INCOME"), row_of(po, "Id", id)), INT_NULL);
	cr_expect_eq(tbl_int(pn->t, col_of(pn, "INCOME"), row_of(pn, "Id", id)), 48210);
	cr_expect_eq(tbl_int(pn->t, col_of(pn, "INCOME"), row_of(pn, "Id", "9d188916-8390-282b-3ec2-73fce6e08649")),
		     INT_NULL);
	static const char *const same[] = {"FIRST", "LAST", "RACE", "ETHNICITY", "GENDER", "CITY", "ZIP"};
	for (size_t k = 0; k < sizeof same / sizeof *same; k++)
		cr_expect_str_eq(tbl_str(po->t, col_of(po, same[k]), row_of(po, "Id", id)),
				 tbl_str(pn->t, col_of(pn, same[k]), row_of(pn, "Id", id)), "%s", same[k]);
	cr_expect_str_eq(tbl_str(pn->t, col_of(pn, "LAST"), row_of(pn, "Id", id)), "Mosciski958",
		         "MIDDLE must not shift LAST");
	cr_expect_str_eq(tbl_str(pn->t, col_of(pn, "ZIP"), row_of(pn, "Id", id)), "LS1", "FIPS must not shift ZIP");
	cr_expect_eq(tbl_date(pn->t, col_of(pn, "DEATHDATE"), row_of(pn, "Id", "9d188916-8390-282b-3ec2-73fce6e08649")),
		     days_from_civil(2022, 11, 30));
	/* conditions: SYSTEM only in the newer file; CODE read either way. */
	loaded *co = &old_l[1], *cn = &new_l[1];
	int sys_o = col_of(co, "SYSTEM"), sys_n = col_of(cn, "SYSTEM");
	for (size_t r = 0; r < 2; r++) {
		cr_expect(tbl_isnull(co->t, sys_o, r));
		cr_expect_str_eq(tbl_str(cn->t, sys_n, r), "http://snomed.info/sct");
		cr_expect_str_eq(tbl_str(co->t, col_of(co, "CODE"), r), tbl_str(cn->t, col_of(cn, "CODE"), r));
		cr_expect_eq(tbl_date(co->t, col_of(co, "START"), r), tbl_date(cn->t, col_of(cn, "START"), r));
	}
	cr_expect_str_eq(tbl_str(new_l[2].t, col_of(&new_l[2], "CODE"), 0), "430193006");
	cr_expect_str_eq(tbl_str(old_l[2].t, col_of(&old_l[2], "CODE"), 0), "430193006");
	for (int i = 0; i < 4; i++) {
		loaded_free(&old_l[i]);
		loaded_free(&new_l[i]);
	}
}

Test(load, real_synthea_export_has_no_rejects, .timeout = 60)
{
	const char *dir = "../shared/data/synthea-v3-sample";
	if (!th_exists(dir))
		cr_skip_test("%s is absent: the real Synthea export is not available here", dir);
	int made;
	char *seeds = th_seed_dir(dir, &made);
	if (made)
		cr_log_warn("data/ has no seed files yet; using header-only seeds in %s", seeds);
	sources s;
	th_capture cap;
	th_capture_start(&cap);
	int rc = sources_load(&s, dir, seeds);
	char *err = th_capture_end(&cap);
	cr_assert_eq(rc, 0, "stderr: %s", err);
	for (int i = 0; i < SRC_COUNT; i++) {
		const load_stats *st = &s.st[i];
		cr_expect_eq(st->nrejects, 0, "%s: %zu rejects, first: line %ld: %s", st->table, st->nrejects,
			     st->nkept ? st->rejects[0].line : 0L, st->nkept ? st->rejects[0].reason : "");
		if (i <= SRC_CAREPLANS) {
			cr_expect_eq(st->present, 1, "%s", st->table);
			cr_expect_gt(st->rows, 0, "%s", st->table);
		}
	}
	/* A plain export has none of the extension tables. */
	for (int i = SRC_WAITING_LIST; i <= SRC_ORG_HIERARCHY; i++)
		cr_expect_eq(s.st[i].present, 0, "%s", s.st[i].table);
	cr_expect_eq(s.st[SRC_PATIENTS].rows, 27);
	cr_expect_null(strstr(err, "warning"), "stderr: %s", err);
	sources_free(&s);
	free(err);
	if (made)
		th_rmtree(seeds);
	free(seeds);
}

/* ---- Typed parsers (util/date.h) ---- */

static int32_t parse_d(const char *s)
{
	int32_t d = 12345;
	return date_parse(s, strlen(s), &d) ? I32_NULL : d;
}

static int64_t parse_ts(const char *s)
{
	int64_t t = 12345;
	return ts_parse(s, strlen(s), &t) ? INT_NULL : t;
}

Test(date, leap_years)
{
	cr_expect(is_leap(2024));
	cr_expect(is_leap(2000), "divisible by 400");
	cr_expect(!is_leap(1900), "divisible by 100 only");
	cr_expect(!is_leap(2100));
	cr_expect(!is_leap(2023));
	cr_expect(is_leap(1600));
	cr_expect_eq(days_in_month(2024, 2), 29);
	cr_expect_eq(days_in_month(2023, 2), 28);
	cr_expect_eq(days_in_month(1900, 2), 28);
	cr_expect_eq(days_in_month(2000, 2), 29);
	cr_expect_neq(parse_d("2024-02-29"), I32_NULL);
	cr_expect_neq(parse_d("2000-02-29"), I32_NULL);
	cr_expect_eq(parse_d("2023-02-29"), I32_NULL);
	cr_expect_eq(parse_d("1900-02-29"), I32_NULL);
	cr_expect_eq(parse_d("2100-02-29"), I32_NULL);
	cr_expect_eq(parse_d("1900-03-01") - parse_d("1900-02-28"), 1);
	cr_expect_eq(parse_d("2000-03-01") - parse_d("2000-02-28"), 2);
}

Test(date, month_ends)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int m = 1; m <= 12; m++) {
		char ok[32], bad[32];
		snprintf(ok, sizeof ok, "2023-%02d-%02d", m, dm[m - 1]);
		snprintf(bad, sizeof bad, "2023-%02d-%02d", m, dm[m - 1] + 1);
		cr_expect_neq(parse_d(ok), I32_NULL, "%s", ok);
		cr_expect_eq(parse_d(bad), I32_NULL, "%s", bad);
		int32_t first = parse_d(ok) - dm[m - 1] + 1;
		cr_expect_eq(month_end(first), parse_d(ok), "%s", ok);
	}
	cr_expect_eq(parse_d("1970-01-01"), 0);
	cr_expect_eq(parse_d("1969-12-31"), -1);
	cr_expect_eq(parse_d("2025-09-30"), 20361);
	cr_expect_eq(add_months_end(parse_d("2024-01-31"), 1), parse_d("2024-02-29"));
	cr_expect_eq(add_months_end(parse_d("2023-01-15"), 1), parse_d("2023-02-28"));
	cr_expect_eq(add_months_end(parse_d("2025-09-30"), -23), parse_d("2023-10-31"));
	cr_expect_eq(add_months_end(parse_d("2025-12-31"), 1), parse_d("2026-01-31"));
}

Test(date, bad_dates)
{
	static const char *const bad[] = {
		"", "2023", "2023-1-01", "2023-01-1", "2023/01/01", "20230101", "2023-01-01x", " 2023-01-01",
		"2023-01-01 ", "2023-00-10", "2023-13-01", "2023-01-00", "2023-01-32", "2023-04-31", "abcd-ef-gh",
		"2023-+1-01", "2023-01-01T00:00:00Z", "-023-01-01", "2023-O1-01",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_expect_eq(parse_d(bad[i]), I32_NULL, "'%s' parsed as a date", bad[i]);
}

Test(date, civil_round_trip)
{
	/* Every day from 1600 to 2400 formats and parses back to itself. */
	int32_t lo = days_from_civil(1600, 1, 1), hi = days_from_civil(2400, 12, 31);
	int py = 1599, pm = 12, pd = 31;
	char buf[16];
	for (int32_t z = lo; z <= hi; z++) {
		int y, m, d;
		civil_from_days(z, &y, &m, &d);
		cr_assert_eq(days_from_civil(y, m, d), z);
		int next = (d == pd + 1 && m == pm && y == py) || (d == 1 && ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1)));
		cr_assert(next, "day %d: %04d-%02d-%02d does not follow %04d-%02d-%02d", z, y, m, d, py, pm, pd);
		date_fmt(z, buf);
		cr_assert_eq(parse_d(buf), z, "%s", buf);
		py = y;
		pm = m;
		pd = d;
	}
}

Test(date, timestamps)
{
	const int64_t t0 = 1674836267; /* 2023-01-27T16:17:47Z */
	cr_expect_eq(parse_ts("2023-01-27T16:17:47Z"), t0);
	cr_expect_eq(parse_ts("2023-01-27T17:17:47+01:00"), t0);
	cr_expect_eq(parse_ts("2023-01-27T11:47:47-04:30"), t0);
	cr_expect_eq(parse_ts("2023-01-28T00:17:47+08:00"), t0, "offset across midnight");
	cr_expect_eq(parse_ts("2023-01-27T16:17:47.999Z"), t0, "fraction dropped");
	cr_expect_eq(parse_ts("2023-01-27T16:17:47.5+00:00"), t0);
	cr_expect_eq(parse_ts("2023-01-27"), t0 - (16 * 3600 + 17 * 60 + 47), "a plain date is midnight");
	cr_expect_eq(parse_ts("1970-01-01T00:00:00Z"), 0);
	cr_expect_eq(parse_ts("1969-12-31T23:59:59Z"), -1);
	cr_expect_eq(parse_ts("2024-02-29T23:59:59Z"), (int64_t)parse_d("2024-03-01") * 86400 - 1);
	static const char *const bad[] = {
		"", "2023-01-27T16:17Z", "2023-01-27T24:00:00Z", "2023-01-27T16:60:00Z", "2023-01-27T16:17:47+0100",
		"2023-01-27T16:17:47+01", "2023-01-27T16:17:47.Z", "2023-01-27X16:17:47Z", "2023-02-29T00:00:00Z",
		"2023-01-27T16:17:47ZZ", "2023-01-27T16:17:47 Z", "2023-01-27T1:17:47Z", "27/01/2023 16:17",
		"2023-01-27T16:17:47+25:00", "2023-01-27T", "1900-02-29T00:00:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_expect_eq(parse_ts(bad[i]), INT_NULL, "'%s' parsed as a timestamp", bad[i]);
	char buf[32];
	ts_fmt(t0, buf);
	cr_expect_str_eq(buf, "2023-01-27T16:17:47Z");
	ts_fmt(-1, buf);
	cr_expect_str_eq(buf, "1969-12-31T23:59:59Z");
	cr_expect_eq(ts_day(-1), -1);
	cr_expect_eq(ts_day(-86400), -1);
	cr_expect_eq(ts_day(-86401), -2);
	cr_expect_eq(ts_day(t0), parse_d("2023-01-27"));
}

/* ---- tbl_write_csv round trips through the loader ---- */

static const src_col rt_cols[] = {
	{"ID", T_STR, COL_NOTNULL, 0, 0, 0},
	{"TEXT", T_STR, 0, 0, 0, 0},
	{"N", T_INT, 0, 0, 0, 0},
	{"X", T_NUM, 0, 0, 0, 0},
	{"D", T_DATE, 0, 0, 0, 0},
	{"TS", T_TS, 0, 0, 0, 0},
};
static const src_table rt_def = {
	.name = "roundtrip", .file = "roundtrip.csv", .required_file = 1, .ncols = 6, .cols = rt_cols, .description = "round trip"};

/* Writes a table holding texts[] (and typed values) and loads it back. */
static void round_trip(const char *const *texts, size_t n, const char *tag)
{
	strpool sp;
	sp_init(&sp);
	mm_table *t = tbl_new("roundtrip", &sp);
	for (int c = 0; c < rt_def.ncols; c++)
		tbl_add_col(t, rt_cols[c].name, rt_cols[c].type);
	for (size_t i = 0; i < n; i++) {
		size_t r = tbl_add_row(t);
		char id[32];
		snprintf(id, sizeof id, "r%zu", i);
		tbl_set_str(t, 0, r, id);
		tbl_set_str(t, 1, r, texts[i]);
		if (i % 3)
			tbl_set_int(t, 2, r, i % 2 ? INT64_MIN + 1 : (int64_t)i * -1000003);
		if (i % 4)
			tbl_set_num(t, 3, r, (double)i * 1.25 - 7.5);
		if (i % 5)
			tbl_set_date(t, 4, r, days_from_civil(1900 + (int)i, 2, 28) + 1);
		if (i % 2)
			tbl_set_ts(t, 5, r, 1674836267 - (int64_t)i * 86399);
	}
	char *dir = th_mkdtemp(tag);
	char *path = th_path(dir, "roundtrip.csv");
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(tbl_write_csv(t, f), 0);
	fclose(f);

	loaded l;
	load_def(&l, &rt_def, path);
	cr_assert_eq(l.rc, 0, "stderr: %s", l.err);
	cr_assert_eq(l.st.nrejects, 0, "first reject: %s", l.st.nkept ? l.st.rejects[0].reason : "");
	cr_assert_eq(l.t->nrows, t->nrows);
	for (size_t r = 0; r < t->nrows; r++) {
		cr_expect_str_eq(tbl_str(l.t, 0, r), tbl_str(t, 0, r));
		cr_expect_str_eq(tbl_str(l.t, 1, r), tbl_str(t, 1, r), "text of row %zu changed: [%s] became [%s]", r,
				 tbl_str(t, 1, r), tbl_str(l.t, 1, r));
		cr_expect_eq(tbl_int(l.t, 2, r), tbl_int(t, 2, r), "row %zu", r);
		double a = tbl_num(l.t, 3, r), b = tbl_num(t, 3, r);
		cr_expect((isnan(a) && isnan(b)) || a == b, "row %zu: %g vs %g", r, a, b);
		cr_expect_eq(tbl_date(l.t, 4, r), tbl_date(t, 4, r), "row %zu", r);
		cr_expect_eq(tbl_ts(l.t, 5, r), tbl_ts(t, 5, r), "row %zu", r);
	}
	loaded_free(&l);
	tbl_free(t);
	sp_free(&sp);
	th_rmtree(dir);
	free(path);
	free(dir);
}

Test(csv_write, round_trip_quotes_commas_newlines)
{
	static const char *const texts[] = {
		"plain", "comma, inside", "quote \"here\"", "\"", "\"\"", "new\nline", "crlf\r\nline", "cr\ronly",
		"", ",", "a,\"b\",\nc", "trailing comma,", "Zo\xc3\xab", "semi;colon", "tab\tinside", "end\n",
	};
	round_trip(texts, sizeof texts / sizeof *texts, "rt");
}

Test(csv_write, round_trip_leading_and_trailing_spaces)
{
	/* libcsv trims spaces and tabs around unquoted fields, so the writer
	 * must quote such cells for them to survive. */
	static const char *const texts[] = {" lead", "trail ", "  ", "\tTab", "x\t"};
	round_trip(texts, sizeof texts / sizeof *texts, "rtsp");
}

Test(csv_write, exact_bytes)
{
	strpool sp;
	sp_init(&sp);
	mm_table *t = tbl_new("t", &sp);
	tbl_add_col(t, "ID", T_STR);
	tbl_add_col(t, "A,B", T_STR);
	tbl_add_col(t, "X", T_NUM);
	tbl_add_col(t, "D", T_DATE);
	size_t r = tbl_add_row(t);
	tbl_set_str(t, 0, r, "a");
	tbl_set_str(t, 1, r, "say \"hi\", then\nleave");
	tbl_set_num(t, 2, r, 2.5);
	tbl_set_date(t, 3, r, days_from_civil(2024, 2, 29));
	r = tbl_add_row(t);
	tbl_set_str(t, 0, r, "b");
	tbl_set_num(t, 2, r, -0.0);
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	cr_assert_eq(tbl_write_csv(t, f), 0);
	fclose(f);
	cr_expect_str_eq(buf, "ID,\"A,B\",X,D\na,\"say \"\"hi\"\", then\nleave\",2.5,2024-02-29\nb,,0,\n");
	free(buf);
	tbl_free(t);
	sp_free(&sp);
}

/* ---- String pool and hash index at scale ---- */

Test(strpool, a_million_keys, .timeout = 60)
{
	enum { N = 1000000 };
	strpool sp;
	sp_init(&sp);
	char key[32];
	for (uint32_t i = 0; i < N; i++) {
		int k = snprintf(key, sizeof key, "key-%07u", i);
		uint32_t id = sp_intern(&sp, key, (size_t)k);
		cr_assert_eq(id, i + 1, "ids are dense and in first-seen order: %s got %u", key, id);
	}
	cr_assert_eq(sp.n, N + 1, "no duplicates: one id per distinct string plus the empty string");
	for (uint32_t i = 0; i < N; i += 7) {
		int k = snprintf(key, sizeof key, "key-%07u", i);
		cr_assert_eq(sp_intern(&sp, key, (size_t)k), i + 1);
		cr_assert_eq(sp_find(&sp, key, (size_t)k), i + 1);
		cr_assert_str_eq(sp_str(&sp, i + 1), key);
		cr_assert_eq(sp_len(&sp, i + 1), (uint32_t)k);
	}
	cr_expect_eq(sp.n, N + 1, "re-interning adds nothing");
	cr_expect_eq(sp_find(&sp, "key-1000000", 11), UINT32_MAX);
	cr_expect_eq(sp_find(&sp, "key-000000", 10), UINT32_MAX, "a prefix is another key");
	cr_expect_eq(sp_intern(&sp, "", 0), 0);
	cr_expect_str_eq(sp_str(&sp, 0), "");
	/* Strings with embedded NULs and the same prefix stay distinct. */
	uint32_t a = sp_intern(&sp, "ab\0c", 4), b = sp_intern(&sp, "ab\0d", 4), c = sp_intern(&sp, "ab", 2);
	cr_expect(a != b && b != c && a != c);
	sp_free(&sp);
}

Test(hmap, a_million_keys, .timeout = 60)
{
	enum { N = 1000000 };
	/* Sequential keys, and keys that differ only in high bits. */
	for (int shift = 0; shift <= 32; shift += 32) {
		hmap m;
		hmap_init(&m, 0);
		for (uint32_t i = 0; i < N; i++)
			cr_assert_eq(hmap_put(&m, (uint64_t)i << shift, i * 3), HMAP_NONE, "key %u is new", i);
		cr_assert_eq(m.n, N);
		for (uint32_t i = 0; i < N; i++)
			cr_assert_eq(hmap_get(&m, (uint64_t)i << shift), i * 3);
		cr_assert_eq(hmap_get(&m, (uint64_t)N << shift), HMAP_NONE);
		cr_assert_eq(hmap_put(&m, (uint64_t)5 << shift, 99), 15, "put returns the old value");
		cr_assert_eq(hmap_get(&m, (uint64_t)5 << shift), 99);
		cr_assert_eq(m.n, N, "replacing adds no key");
		hmap_free(&m);
	}
	hmap e = {0};
	cr_expect_eq(hmap_get(&e, 1), HMAP_NONE, "an unused map answers none");
}

/* A file with classic Mac line ends (a lone CR) is one physical line: the
 * header reader must stop at the header row, not take the rows after it
 * (it has no table to put them in). Found by tests/fuzz/fuzz_csv.c. */
Test(load, header_of_cr_line_ends)
{
	char *dir = th_mkdtemp("crhdr");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "organizations.csv");
	static const char text[] = "Id,NAME\rRX101,North Trust\rRX102,South Trust\r";
	cr_assert_eq(th_write_file(path, text, sizeof text - 1), 0);
	int nmissing = -1;
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	int hr = load_header(&source_tables[SRC_ORGANIZATIONS], path, &nmissing);
	free(th_capture_end(&cap));
	cr_expect_eq(hr, LOAD_HDR_OK);
	cr_expect_eq(nmissing, 0);
	th_rmtree(dir);
	free(path);
	free(dir);
}
