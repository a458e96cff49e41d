/* Columns nothing reads (sources_load_read): they are validated as before,
 * so the same rows are rejected with the same messages, but not stored;
 * a model asking for one aborts; failing rows can be read again whole. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include "helpers.h"
#include "load/load.h"
#include "registry/model.h"

#define SPC "tests/fixtures/spc_trend"

/* A copy of the spc_trend data whose providers.csv has a name that is
 * not UTF-8 (a column nothing reads) and one more good row. */
static char *data_dir(void)
{
	static const char *const files[] = {"appointments.csv", "conditions.csv", "encounters.csv",
					    "org_hierarchy.csv", "organizations.csv", "patients.csv",
					    "procedures.csv", "providers.csv", "waiting_list.csv"};
	char *dir = th_mkdtemp("kept");
	cr_assert_not_null(dir);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *from = th_path(SPC, files[i]), *to = th_path(dir, files[i]);
		size_t n;
		char *text = th_read_file(from, &n);
		cr_assert_not_null(text, "%s", from);
		if (!strcmp(files[i], "providers.csv")) {
			static const char more[] = "PRX,S1,Bad \xff name,GENERAL PRACTICE\nPRY,S2,Good Name,GENERAL PRACTICE\n";
			text = realloc(text, n + sizeof more);
			cr_assert_not_null(text);
			memcpy(text + n, more, sizeof more);
			n += sizeof more - 1;
		}
		cr_assert_eq(th_write_file(to, text, n), 0);
		free(text);
		free(from);
		free(to);
	}
	return dir;
}

static void load_quiet(sources *s, const char *dir, const load_reads *reads)
{
	th_capture cap;
	th_capture_start(&cap);
	int rc = sources_load_read(s, dir, "data", reads);
	char *err = th_capture_end(&cap);
	cr_assert_eq(rc, 0, "stderr: %s", err);
	free(err);
}

Test(load_kept, skipped_columns_reject_the_same_rows_and_are_not_stored)
{
	char *dir = data_dir();
	sources all, few;
	load_reads none = {0};
	load_quiet(&all, dir, NULL);
	load_quiet(&few, dir, &none);
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *d = &source_tables[i];
		cr_expect_eq(all.st[i].rows, few.st[i].rows, "%s", d->name);
		cr_expect_eq(all.st[i].nrejects, few.st[i].nrejects, "%s", d->name);
		for (size_t k = 0; k < all.st[i].nkept && k < few.st[i].nkept; k++) {
			cr_expect_eq(all.st[i].rejects[k].line, few.st[i].rejects[k].line);
			cr_expect_eq(all.st[i].rejects[k].col, few.st[i].rejects[k].col);
			cr_expect_str_eq(all.st[i].rejects[k].reason, few.st[i].rejects[k].reason);
		}
		for (int c = 0; c < d->ncols; c++) {
			int kept = load_contract_reads(d, c);
			cr_expect_eq(few.kept[i][c], kept, "%s.%s", d->name, d->cols[c].name);
			cr_expect_eq(tbl_col(few.t[i], d->cols[c].name) >= 0, kept, "%s.%s", d->name, d->cols[c].name);
			if (!kept)
				cr_expect_eq(d->cols[c].type, T_STR, "only text columns are left out");
		}
	}
	/* The bad name still rejects its row, with the same message. */
	const load_stats *p = &few.st[SRC_PROVIDERS];
	cr_assert_eq(p->nrejects, 1);
	cr_expect_str_eq(p->rejects[0].column, "NAME");
	cr_expect(strstr(p->rejects[0].reason, "invalid UTF-8") != NULL, "%s", p->rejects[0].reason);
	cr_expect(few.partial[SRC_PROVIDERS]);
	cr_expect(!few.partial[SEED_TREATMENT_FUNCTIONS], "seeds keep every column");
	sources_free(&all);
	sources_free(&few);
	th_rmtree(dir);
	free(dir);
}

Test(load_kept, rows_read_again_whole_match_a_full_load)
{
	char *dir = data_dir();
	sources all, few;
	load_reads none = {0};
	load_quiet(&all, dir, NULL);
	load_quiet(&few, dir, &none);
	const mm_table *full = all.t[SRC_PROVIDERS];
	size_t last = full->nrows - 1, rows[] = {last, 0};
	mm_table *t = sources_rows_whole(&few, SRC_PROVIDERS, rows, 2);
	cr_assert_not_null(t);
	cr_assert_neq(t, few.t[SRC_PROVIDERS], "a new table with every column");
	cr_assert_eq(t->ncols, full->ncols);
	for (size_t k = 0; k < 2; k++)
		for (int c = 0; c < full->ncols; c++) {
			char a[64], b[64];
			cr_expect_str_eq(tbl_fmt(t, c, rows[k], a, sizeof a), tbl_fmt(full, c, rows[k], b, sizeof b),
					 "row %zu, %s", rows[k], full->cols[c].name);
		}
	cr_expect_str_eq(tbl_str(t, tbl_col(t, "NAME"), last), "Good Name");
	cr_expect_eq(few.st[SRC_PROVIDERS].nrejects, 1, "reading again leaves the run's stats alone");
	tbl_free(t);
	cr_expect_eq(sources_rows_whole(&all, SRC_PROVIDERS, rows, 2), all.t[SRC_PROVIDERS],
		     "a table with every column is its own");
	sources_free(&all);
	sources_free(&few);
	th_rmtree(dir);
	free(dir);
}

Test(load_kept, reading_a_column_that_was_not_stored_aborts, .signal = SIGABRT)
{
	sources few;
	load_reads none = {0};
	load_quiet(&few, SPC, &none);
	col(few.t[SRC_PROVIDERS], "NAME");
}
