/* The release plan (run/release.h): tables freed once nothing later in the
 * run reads them give the marts the same rows, and a released table is
 * refused, never read through a freed pointer. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "run_models.h"
#include "query/query.h"
#include "run/release.h"
#include "site/modeldoc_impl.h"

/* Loads dir and builds every model with its tests, releasing what the
 * flags let it release. */
static int run_with(run *x, const char *dir, const char *census, unsigned flags)
{
	return run_models_flags(x, dir, "data", census, flags);
}

/* Whether model i had a test that did not pass. */
static int not_clean(const run *x, int i)
{
	for (size_t k = 0; k < x->rep.n; k++)
		if (!strcmp(x->rep.v[k].model, model_at(i)->name) && x->rep.v[k].status != TS_PASS)
			return 1;
	return 0;
}

Test(release, marts_unchanged_and_the_rest_freed)
{
	run all, lean;
	cr_assert_eq(run_with(&all, "tests/fixtures/kpi_basic", "2024-02-29", 0), 0);
	cr_assert_eq(run_with(&lean, "tests/fixtures/kpi_basic", "2024-02-29", RUN_RELEASE_SOURCES | RUN_RELEASE_MODELS), 0);
	cr_assert_eq(all.rep.n, lean.rep.n, "the same tests ran");
	for (size_t k = 0; k < all.rep.n; k++) {
		cr_expect_eq(all.rep.v[k].status, lean.rep.v[k].status, "%s", all.rep.v[k].name);
		cr_expect_eq(all.rep.v[k].failures, lean.rep.v[k].failures, "%s", all.rep.v[k].name);
	}
	int released = 0;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		cr_assert(model_built(&lean.ctx, i), "%s built", m->name);
		cr_expect_eq(model_rows(&lean.ctx, i), all.ctx.tables[i]->nrows, "%s rows", m->name);
		if (m->layer == LAYER_MART || not_clean(&lean, i)) {
			/* Kept, and cell for cell what the run keeping everything built. */
			cr_assert_not_null(lean.ctx.tables[i], "%s kept", m->name);
			const mm_table *a = all.ctx.tables[i], *b = lean.ctx.tables[i];
			char x[64], y[64];
			for (int c = 0; c < a->ncols; c++)
				for (size_t r = 0; r < a->nrows; r++)
					cr_assert_str_eq(tbl_fmt(a, c, r, x, sizeof x), tbl_fmt(b, c, r, y, sizeof y),
							 "%s.%s row %zu", m->name, a->cols[c].name, r);
		} else {
			cr_expect_null(lean.ctx.tables[i], "%s released", m->name);
			cr_expect(lean.ctx.released[i]);
			released++;
		}
	}
	cr_expect_gt(released, 5, "staging and intermediate models are released");
	for (int s = 0; s < SRC_COUNT; s++) {
		int seed = source_tables[s].seed;
		cr_expect_eq(lean.s.t[s] != NULL, seed, "%s: seeds kept, sources released", source_tables[s].name);
		cr_expect_eq(lean.ctx.src_released[s], !seed);
	}
	run_free(&all);
	run_free(&lean);
}

/* Staging models that free their source's columns as they copy them (the
 * last reader of a source, stg_take_named) build the same tables. */
Test(release, staging_same_when_sources_consumed)
{
	run all, lean;
	cr_assert_eq(run_with(&all, "tests/fixtures/kpi_basic", "2024-02-29", 0), 0);
	cr_assert_eq(run_with(&lean, "tests/fixtures/kpi_basic", "2024-02-29", RUN_RELEASE_SOURCES), 0);
	const char *names[] = {"stg_encounters", "stg_appointments", "stg_pathways"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		int i = model_index(names[k]);
		const mm_table *a = all.ctx.tables[i], *b = lean.ctx.tables[i];
		cr_assert_not_null(b, "%s kept", names[k]);
		cr_assert_gt(a->nrows, 0, "%s has rows in the fixture", names[k]);
		cr_assert_eq(a->nrows, b->nrows);
		char x[64], y[64];
		for (int c = 0; c < a->ncols; c++)
			for (size_t r = 0; r < a->nrows; r++)
				cr_assert_str_eq(tbl_fmt(a, c, r, x, sizeof x), tbl_fmt(b, c, r, y, sizeof y),
						 "%s.%s row %zu", names[k], a->cols[c].name, r);
	}
	for (int s = 0; s < SRC_COUNT; s++)
		cr_expect_eq(lean.ctx.src_last_read[s], 0, "%s: no mark left after the run", source_tables[s].name);
	run_free(&all);
	run_free(&lean);
}

/* A model may free a source's columns only when it is the source's last
 * reader, the plan releases sources and nothing pins the source; the copy
 * then frees every column it copied. */
Test(release, last_reader_consumes_source)
{
	run x;
	memset(&x, 0, sizeof x);
	diag_quiet = 1;
	cr_assert_eq(sources_load(&x.s, "tests/fixtures/kpi_basic", "data"), 0);
	x.ctx.src = &x.s;
	x.ctx.sp = &x.s.sp;
	int sel[MM_MAX_MODELS], need[MM_MAX_MODELS];
	cr_assert_eq(models_select(NULL, sel), 0);
	for (int i = 0; i < MM_MAX_MODELS; i++)
		need[i] = i < model_total();
	int org = model_index("stg_organisations"), enc = model_index("stg_encounters");

	release_plan kept;
	release_plan_init(&kept, &x.ctx, 0, need, sel, 1, NULL);
	release_after(&kept, &x.ctx, org, sel, 1, NULL, 0);
	release_mark_last(&kept, &x.ctx, enc, sel, 1);
	cr_expect_eq(x.ctx.src_last_read[SRC_ENCOUNTERS], 0, "sources not released: nothing consumed");

	release_plan p;
	release_plan_init(&p, &x.ctx, RELEASE_SOURCES, need, sel, 1, NULL);
	release_mark_last(&p, &x.ctx, enc, sel, 1);
	cr_expect_eq(x.ctx.src_last_read[SRC_ENCOUNTERS], 0, "stg_organisations still to read encounters");
	release_after(&p, &x.ctx, org, sel, 1, NULL, 0);
	release_mark_last(&p, &x.ctx, enc, sel, 1);
	cr_assert_eq(x.ctx.src_last_read[SRC_ENCOUNTERS], 1, "stg_encounters is the last reader");
	cr_expect_eq(x.ctx.src_last_read[SRC_ORGANIZATIONS], 0, "its tests ref() organizations");

	const model_def *m = model_at(enc);
	mm_table *out = tbl_new(m->name, x.ctx.sp);
	for (int c = 0; c < m->ncols; c++)
		tbl_add_col(out, m->cols[c].name, m->cols[c].type);
	size_t n = x.s.t[SRC_ENCOUNTERS]->nrows;
	x.ctx.building = m;
	cr_assert_eq(m->build(&x.ctx, out), 0);
	x.ctx.building = NULL;
	cr_expect_eq(out->nrows, n);
	const mm_table *e = x.s.t[SRC_ENCOUNTERS];
	cr_expect_null(e->cols[col(e, "Id")].v.i32, "encounters.Id freed once copied");
	cr_expect_null(e->cols[col(e, "START")].v.i64, "encounters.START freed once copied");
	tbl_free(out);
	memset(x.ctx.src_last_read, 0, sizeof x.ctx.src_last_read);
	run_free(&x);
}

/* A model with a test that did not pass keeps its table for its failing rows. */
Test(release, failing_model_kept)
{
	strpool sp;
	sp_init(&sp);
	run_ctx ctx = {0};
	int sel[MM_MAX_MODELS] = {0}, need[MM_MAX_MODELS] = {0};
	int i = model_index("stg_patients");
	cr_assert_geq(i, 0);
	sel[i] = need[i] = 1;
	ctx.tables[i] = tbl_new("stg_patients", &sp);
	test_report rep = {0};
	release_plan p;
	release_plan_init(&p, &ctx, RELEASE_MODELS, need, sel, 1, &rep);
	test_result *r = test_report_add(&rep);
	r->model = "stg_patients";
	r->name = strdup("unique");
	r->status = TS_WARN;
	release_after(&p, &ctx, i, sel, 1, &rep, 0);
	cr_assert_not_null(ctx.tables[i], "kept: its test warned");
	cr_assert_not(ctx.released[i]);
	test_report_free(&rep);
	run_ctx_free(&ctx);
	sp_free(&sp);
}

Test(release, released_model_refused, .signal = SIGABRT)
{
	strpool sp;
	sp_init(&sp);
	run_ctx ctx = {0};
	int i = model_index("stg_patients");
	cr_assert_geq(i, 0);
	mm_table *t = ctx.tables[i] = tbl_new("stg_patients", &sp);
	tbl_add_col(t, "x", T_INT);
	tbl_add_row(t);
	tbl_add_row(t);
	release_model(&ctx, i);
	cr_assert_null(ctx.tables[i]);
	cr_assert(model_built(&ctx, i));
	cr_assert_eq(model_rows(&ctx, i), 2);
	diag_quiet = 1;
	ctx_table(&ctx, "stg_patients"); /* aborts */
	cr_log_error("a released model was handed out");
	exit(0);
}

Test(release, released_source_refused, .signal = SIGABRT)
{
	sources s;
	memset(&s, 0, sizeof s);
	sp_init(&s.sp);
	run_ctx ctx = {0};
	ctx.src = &s;
	s.t[SRC_PATIENTS] = tbl_new("patients", &s.sp);
	release_source(&ctx, SRC_PATIENTS);
	cr_assert_null(s.t[SRC_PATIENTS]);
	cr_assert(ctx.src_released[SRC_PATIENTS]);
	ctx_table(&ctx, "patients"); /* aborts */
	cr_log_error("a released source was handed out");
	exit(0);
}

/* A page that queries a model the plan released stops with an internal
 * error: publishing "not built" for a model that was built would be wrong. */
Test(release, released_model_not_queried, .signal = SIGABRT)
{
	int i = model_index("stg_appointments");
	cr_assert_geq(i, 0);
	const model_def *d = model_at(i);
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	tpl_catalog_add(&cat, d->name, d->description, NULL, d);
	tpl_query q = {0};
	q.model.s = (char *)d->name;
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	cr_assert_eq(tpl_eval(&x, &q, NULL, &r), 0, "a model not built is a page's note, not an error");
	cr_assert(r.missing);
	tpl_result_free(&r);
	cat.v[0].released = 1;
	tpl_eval(&x, &q, NULL, &r); /* aborts */
	cr_log_error("a released model was queried as not built");
	exit(0);
}

/* A released model's page shows the sample section and row count kept
 * before its table was freed, byte for byte what the table gave. */
static void sample_kept_same(int clinical)
{
	run x;
	cr_assert_eq(run_with(&x, "tests/fixtures/kpi_basic", "2024-02-29", 0), 0);
	int i = model_index("stg_appointments");
	cr_assert_geq(i, 0);
	const mm_table *t = x.ctx.tables[i];
	cr_assert_gt(t->nrows, 0);
	const model_def *d = model_at(i);
	tpl_catalog cat;
	memset(&cat, 0, sizeof cat);
	cat.clinical = clinical;
	tpl_catalog_add(&cat, d->name, d->description, t, d);
	modeldoc_ctx m = {.cat = &cat};
	buf live = {0};
	buf_puts(&live, "");
	modeldoc_sample_section(&live, &m, &cat.v[0]);
	modeldoc_keep_sample(t, d, clinical);
	tpl_catalog_free(&cat);
	memset(&cat, 0, sizeof cat);
	cat.clinical = clinical;
	tpl_catalog_add(&cat, d->name, d->description, NULL, d);
	buf kept = {0};
	buf_puts(&kept, "");
	modeldoc_sample_section(&kept, &m, &cat.v[0]);
	size_t n = 0;
	cr_assert(modeldoc_rows(&cat.v[0], &n));
	cr_expect_eq(n, t->nrows);
	cr_expect(strstr(live.s, clinical ? "as stored" : "Column profile"), "%s", live.s);
	cr_expect_str_eq(kept.s, live.s);
	modeldoc_kept_free();
	buf_free(&kept);
	buf empty = {0};
	buf_puts(&empty, "");
	modeldoc_sample_section(&empty, &m, &cat.v[0]);
	cr_expect(strstr(empty.s, "not built"), "dropped by modeldoc_kept_free");
	cr_expect_not(modeldoc_rows(&cat.v[0], &n));
	buf_free(&empty);
	buf_free(&live);
	tpl_catalog_free(&cat);
	run_free(&x);
}

Test(release, sample_kept_board)
{
	sample_kept_same(0);
}

Test(release, sample_kept_clinical)
{
	sample_kept_same(1);
}
