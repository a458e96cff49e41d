/* The two-thread reader (read_csv_piped): a file read on two threads gives
 * the same table, string ids, rejects, messages and byte count as the
 * one-thread reader, wherever the batch boundaries fall. Batches are made
 * tiny so that a file of a few kB crosses hundreds of them. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include "helpers.h"
#include "load/load.h"
#include "load/load_impl.h"
#include "util/diag.h"
#include "util/sha256.h"

#define PLAIN_ONLY ((size_t)-1)

/* One load of one file: what it gave and what it printed. */
typedef struct one_load {
	strpool sp;
	mm_table *t;
	load_stats st;
	int rc;
	char *err;
} one_load;

/* Loads path as source src: on one thread when batch is 0, else on two
 * with batches of about batch bytes (checking that it really was). */
static void load_with(one_load *l, int src, const char *path, size_t batch)
{
	memset(l, 0, sizeof *l);
	sp_init(&l->sp);
	load_pipe_set(batch ? batch : 1 << 20, batch ? 0 : PLAIN_ONLY);
	size_t before = load_pipe_files();
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	l->rc = load_table_path(&source_tables[src], path, &l->sp, &l->t, &l->st);
	l->err = th_capture_end(&cap);
	cr_assert_not_null(l->err);
	cr_assert_eq(load_pipe_files() - before, batch ? 1u : 0u, "the %s reader was not used",
		     batch ? "two-thread" : "one-thread");
}

static void one_load_free(one_load *l)
{
	tbl_free(l->t);
	load_stats_free(&l->st);
	sp_free(&l->sp);
	free(l->err);
}

/* Two tables hold the same rows, column by column, text by string id. */
static void expect_same_table(const mm_table *a, const mm_table *b, const char *what)
{
	cr_assert_eq(a->nrows, b->nrows, "%s: rows", what);
	cr_assert_eq(a->ncols, b->ncols, "%s: columns", what);
	for (int c = 0; c < a->ncols; c++)
		for (size_t r = 0; r < a->nrows; r++) {
			char x[80], y[80];
			int same = a->cols[c].type == T_STR ? tbl_sid(a, c, r) == tbl_sid(b, c, r)
							    : !strcmp(tbl_fmt(a, c, r, x, sizeof x),
								      tbl_fmt(b, c, r, y, sizeof y));
			cr_assert(same, "%s: row %zu, column %s differs", what, r, a->cols[c].name);
		}
}

/* Two pools hold the same strings under the same ids. */
static void expect_same_pool(const strpool *a, const strpool *b, const char *what)
{
	cr_assert_eq(a->n, b->n, "%s: %u strings, then %u", what, a->n, b->n);
	for (uint32_t i = 0; i < a->n; i++)
		cr_assert(sp_len(a, i) == sp_len(b, i) && !memcmp(sp_str(a, i), sp_str(b, i), sp_len(a, i)),
			  "%s: string id %u is '%s', then '%s'", what, i, sp_str(a, i), sp_str(b, i));
}

static void expect_same_stats(const load_stats *a, const load_stats *b, const char *what)
{
	cr_expect_eq(a->rows, b->rows, "%s: rows", what);
	cr_expect_eq(a->bytes, b->bytes, "%s: bytes", what);
	cr_expect_eq(a->set_aside, b->set_aside, "%s: set aside", what);
	cr_expect_str_eq(a->sha256, b->sha256, "%s: SHA-256", what);
	cr_assert_eq(a->nrejects, b->nrejects, "%s: rejects", what);
	cr_assert_eq(a->nkept, b->nkept, "%s: rejects kept", what);
	for (size_t k = 0; k < a->nkept; k++) {
		const reject *x = &a->rejects[k], *y = &b->rejects[k];
		cr_expect_eq(x->line, y->line, "%s: reject %zu line", what, k);
		cr_expect_eq(x->col, y->col, "%s: reject %zu field", what, k);
		cr_expect_str_eq(x->column ? x->column : "-", y->column ? y->column : "-", "%s: reject %zu", what, k);
		cr_expect_str_eq(x->reason, y->reason, "%s: reject %zu", what, k);
	}
}

/* Loads path on one thread and on two with each batch size, and expects
 * the same of every load. Returns the one-thread load (caller frees). */
static one_load same_on_both(int src, const char *path)
{
	static const size_t batches[] = {24, 64, 100, 257, 4096, 1 << 20};
	one_load plain;
	load_with(&plain, src, path, 0);
	for (size_t i = 0; i < sizeof batches / sizeof *batches; i++) {
		one_load two;
		char what[64];
		snprintf(what, sizeof what, "batches of %zu bytes", batches[i]);
		load_with(&two, src, path, batches[i]);
		cr_expect_eq(plain.rc, two.rc, "%s: status", what);
		cr_expect_str_eq(plain.err, two.err, "%s: messages", what);
		expect_same_stats(&plain.st, &two.st, what);
		expect_same_table(plain.t, two.t, what);
		expect_same_pool(&plain.sp, &two.sp, what);
		one_load_free(&two);
	}
	return plain;
}

/* A growing text, for writing the files. */
typedef struct text {
	char *s;
	size_t n, cap;
	long lines; /* newlines written */
} text;

__attribute__((format(printf, 2, 3))) static void add(text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->n + (size_t)k + 1 > t->cap) {
		t->cap = (t->n + (size_t)k + 1) * 2;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	for (int i = 0; i < k; i++)
		t->lines += t->s[t->n + (size_t)i] == '\n';
	t->n += (size_t)k;
}

static char *write_text(const char *dir, const char *name, text *t)
{
	char *path = th_path(dir, name);
	cr_assert_eq(th_write_file(path, t->s ? t->s : "", t->n), 0);
	free(t->s);
	memset(t, 0, sizeof *t);
	return path;
}

#define PATIENTS_HEADER "Id,BIRTHDATE,DEATHDATE,FIRST,LAST,RACE,ETHNICITY,GENDER,CITY,ZIP,INCOME,IMD_DECILE"

/* n patients rows, repeating names so that ids are shared, some with
 * quoted fields holding line breaks and quotes; eol ends each line. */
static void patients_rows(text *t, int n, const char *eol)
{
	static const char *const cities[] = {"Leeds", "\"York\nNorth\"", "Hull", "\"Bradford, \"\"West\"\"\"",
					     "\"Sheffield\r\nSouth\r\n\"", "Wakefield"};
	for (int i = 0; i < n; i++) {
		add(t, "P%d,19%02d-%02d-%02d,,Name%d,\"Surname\n%d\",white,British,%s,%s,LS%d,%d,%d%s", i, i % 100,
		    i % 12 + 1, i % 28 + 1, i % 37, i % 53, i % 2 ? "M" : "F", cities[i % 6], i % 9, 1000 * (i % 17),
		    i % 10 + 1, eol);
	}
}

Test(load_pipe, many_batches_same_as_one_thread)
{
	char *dir = th_mkdtemp("pipe");
	text t = {0};
	add(&t, "\xEF\xBB\xBF" PATIENTS_HEADER "\r\n");
	patients_rows(&t, 400, "\r\n");
	char *path = write_text(dir, "patients.csv", &t);
	one_load plain = same_on_both(SRC_PATIENTS, path);
	cr_expect_eq(plain.rc, 0, "%s", plain.err);
	cr_expect_eq(plain.t->nrows, 400);
	cr_expect_eq(plain.st.nrejects, 0, "%s", plain.st.nkept ? plain.st.rejects[0].reason : "");
	cr_expect_str_eq(tbl_str(plain.t, tbl_col(plain.t, "CITY"), 1), "York\nNorth");
	one_load_free(&plain);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* The SHA-256 taken while loading is the file's own, on either reader,
 * byte-order mark included; a file not read to its end has none. */
Test(load_pipe, sha256_of_the_bytes_loaded)
{
	char *dir = th_mkdtemp("pipe");
	text t = {0};
	add(&t, "\xEF\xBB\xBF" PATIENTS_HEADER "\n");
	patients_rows(&t, 300, "\n");
	char *path = write_text(dir, "patients.csv", &t);
	char want[65];
	cr_assert_eq(sha256_file(path, want), 0);
	one_load plain = same_on_both(SRC_PATIENTS, path);
	cr_expect_eq(plain.rc, 0, "%s", plain.err);
	cr_expect_str_eq(plain.st.sha256, want);
	one_load_free(&plain);
	free(path);

	add(&t, "Id,Id,BIRTHDATE\n"); /* a fatal header: reading stops at once */
	patients_rows(&t, 300, "\n");
	path = write_text(dir, "patients.csv", &t);
	one_load bad = same_on_both(SRC_PATIENTS, path);
	cr_expect_eq(bad.rc, EXIT_INPUT);
	cr_expect_str_eq(bad.st.sha256, "");
	one_load_free(&bad);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* Bad rows after the first batches: the right line, field and reason. */
Test(load_pipe, bad_rows_in_later_batches)
{
	char *dir = th_mkdtemp("pipe");
	text t = {0};
	add(&t, PATIENTS_HEADER "\n");
	patients_rows(&t, 300, "\n");
	long bad_line = t.lines + 1;
	add(&t, "Q1,1980-01-01,,A,B,white,British,X,Leeds,LS1,10,3\n"); /* GENDER not M/F */
	add(&t, "Q2,1980-01-01,,\"Multi\nline\",B,white,British,M,Leeds,LS1,10,11\n"); /* decile */
	add(&t, "Q3,1980-01-01,,A,B,white,British,M,Le\xff" "eds,LS1,10,3\n");       /* not UTF-8 */
	add(&t, "Q4,1980-01-01,,A,B\n");                                                /* too few */
	add(&t, "Q5,1980-13-01,,A,B,white,British,F,,,,\n");                            /* date */
	patients_rows(&t, 50, "\n");
	char *path = write_text(dir, "patients.csv", &t);
	one_load plain = same_on_both(SRC_PATIENTS, path);
	cr_assert_eq(plain.st.nrejects, 5);
	static const struct {
		long dline, col;
		const char *column, *reason;
	} want[] = {
		{0, 8, "GENDER", "'X' is not an accepted value"},
		{1, 12, "IMD_DECILE", "11 is outside 1..10"},
		{3, 9, "CITY", "invalid UTF-8 in the value (byte 3 is 0xFF)"},
		{4, 6, NULL, "expected 12 fields, found 5"},
		{5, 2, "BIRTHDATE", "'1980-13-01' is not a date (YYYY-MM-DD)"},
	};
	for (size_t k = 0; k < 5; k++) {
		const reject *r = &plain.st.rejects[k];
		cr_expect_eq(r->line, bad_line + want[k].dline, "reject %zu on line %ld", k, r->line);
		cr_expect_eq(r->col, want[k].col, "reject %zu", k);
		cr_expect_str_eq(r->column ? r->column : "-", want[k].column ? want[k].column : "-");
		cr_expect_str_eq(r->reason, want[k].reason);
	}
	one_load_free(&plain);
	free(path);
	th_rmtree(dir);
	free(dir);
}

Test(load_pipe, unterminated_quote_at_the_end)
{
	char *dir = th_mkdtemp("pipe");
	text t = {0};
	add(&t, PATIENTS_HEADER "\n");
	patients_rows(&t, 200, "\n");
	long open_line = t.lines + 1;
	add(&t, "Q1,1980-01-01,,A,\"never closed\nB,white\n");
	char *path = write_text(dir, "patients.csv", &t);
	one_load plain = same_on_both(SRC_PATIENTS, path);
	cr_expect_eq(plain.rc, EXIT_INPUT);
	char want[256];
	snprintf(want, sizeof want, "medimart: %s:%ld:18: error: unterminated quoted field\n", path, open_line);
	cr_expect_str_eq(plain.err, want);
	one_load_free(&plain);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* The reader stops early on a bad header and must not wait for the rest. */
Test(load_pipe, header_problems_stop_both_readers, .timeout = 60)
{
	char *dir = th_mkdtemp("pipe");
	text t = {0};
	add(&t, "Id,BIRTHDATE,Id,FIRST\n");
	patients_rows(&t, 2000, "\n");
	char *dup = write_text(dir, "dup.csv", &t);
	add(&t, "Id,DEATHDATE\n");
	patients_rows(&t, 2000, "\n");
	char *lacking = write_text(dir, "lacking.csv", &t);
	char *empty = write_text(dir, "empty.csv", &t);
	add(&t, PATIENTS_HEADER);
	char *only = write_text(dir, "header_only.csv", &t);
	const char *paths[] = {dup, lacking, empty, only};
	for (size_t i = 0; i < 4; i++) {
		one_load plain = same_on_both(SRC_PATIENTS, paths[i]);
		cr_expect_eq(plain.rc, i < 3 ? EXIT_INPUT : 0, "%s", paths[i]);
		cr_expect_neq(strstr(plain.err, i == 0 ? "duplicate column 'Id'"
						 : i == 1 ? "missing required column 'GENDER'"
						 : i == 2 ? "empty file"
							  : ""),
			      NULL, "%s", plain.err);
		one_load_free(&plain);
		free((char *)paths[i]);
	}
	th_rmtree(dir);
	free(dir);
}

/* A copy of the spc_trend data whose providers.csv has many more rows,
 * one of them rejected. */
static char *many_providers(void)
{
	static const char *const files[] = {"appointments.csv", "conditions.csv", "encounters.csv",
					    "org_hierarchy.csv", "organizations.csv", "patients.csv",
					    "procedures.csv", "waiting_list.csv"};
	char *dir = th_mkdtemp("pipe");
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *from = th_path("tests/fixtures/spc_trend", files[i]);
		size_t n = 0;
		char *data = th_read_file(from, &n);
		cr_assert_not_null(data, "%s", from);
		text t = {0};
		add(&t, "%.*s", (int)n, data);
		free(write_text(dir, files[i], &t));
		free(data);
		free(from);
	}
	text t = {0};
	add(&t, "Id,ORGANIZATION,NAME,SPECIALITY\r\n");
	for (int i = 0; i < 1500; i++)
		add(&t, i == 700 ? "PR%d,S1,Bad \xfe name,X\r\n" : "PR%d,S%d,\"Dr\nNumber %d\",GENERAL PRACTICE\r\n", i,
		    i % 2 + 1, i % 40);
	free(write_text(dir, "providers.csv", &t));
	return dir;
}

static void load_sources(sources *s, const char *dir, size_t batch)
{
	load_pipe_set(batch ? batch : 1 << 20, batch ? 0 : PLAIN_ONLY);
	load_reads none = {0};
	th_capture cap;
	th_capture_start(&cap);
	int rc = sources_load_read(s, dir, "data", &none);
	char *err = th_capture_end(&cap);
	cr_assert_eq(rc, 0, "stderr: %s", err);
	free(err);
}

/* Rows read again whole (a reload that stops at the last row wanted). */
Test(load_pipe, rows_read_again_whole, .timeout = 60)
{
	char *dir = many_providers();
	sources plain, two;
	load_sources(&plain, dir, 0);
	load_sources(&two, dir, 50);
	for (int i = 0; i < SRC_COUNT; i++) {
		expect_same_stats(&plain.st[i], &two.st[i], source_tables[i].name);
		expect_same_table(plain.t[i], two.t[i], source_tables[i].name);
	}
	expect_same_pool(&plain.sp, &two.sp, "sources");
	cr_assert_eq(plain.st[SRC_PROVIDERS].nrejects, 1);
	cr_assert(plain.partial[SRC_PROVIDERS]);
	size_t rows[] = {420, 3, 17};
	load_pipe_set(1 << 20, PLAIN_ONLY);
	mm_table *a = sources_rows_whole(&plain, SRC_PROVIDERS, rows, 3);
	size_t before = load_pipe_files();
	load_pipe_set(50, 0);
	mm_table *b = sources_rows_whole(&two, SRC_PROVIDERS, rows, 3);
	cr_expect_eq(load_pipe_files() - before, 1u);
	cr_assert(a && b);
	cr_expect_eq(a->nrows, 421, "reading stops after the last row wanted");
	expect_same_table(a, b, "rows read again");
	expect_same_pool(&plain.sp, &two.sp, "sources after reading again");
	cr_expect_str_eq(tbl_str(b, tbl_col(b, "NAME"), 420), "Dr\nNumber 20");
	tbl_free(a);
	tbl_free(b);
	sources_free(&plain);
	sources_free(&two);
	th_rmtree(dir);
	free(dir);
}
