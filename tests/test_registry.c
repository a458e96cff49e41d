/* The registry's guard on reads: while a model builds, ctx_table gives it
 * only the tables its declaration lists in upstream; outside a build (a
 * page, a unit test) every built model and loaded source is readable. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include "load/load.h"
#include "registry/model.h"

static const char *const up[] = {"patients", NULL};
static const model_col cols[] = {{"x", T_INT, "", "", "", CR_EXACT}};
static const model_def reader = {"chk_reader", LAYER_STAGING, "", up, cols, 1, NULL, NULL, 0};

static sources src;
static run_ctx ctx;

/* Every source table loaded (empty), and the first registry model built
 * (empty), so that only the guard can refuse a read. */
static void setup(void)
{
	memset(&src, 0, sizeof src);
	memset(&ctx, 0, sizeof ctx);
	sp_init(&src.sp);
	for (int i = 0; i < SRC_COUNT; i++)
		src.t[i] = tbl_new(source_tables[i].name, &src.sp);
	ctx.src = &src;
	ctx.sp = &src.sp;
	cr_assert_gt(model_total(), 0);
	ctx.tables[0] = tbl_new(model_at(0)->name, &src.sp);
}

static void teardown(void)
{
	tbl_free(ctx.tables[0]);
	for (int i = 0; i < SRC_COUNT; i++)
		tbl_free(src.t[i]);
	sp_free(&src.sp);
}

TestSuite(ctx_table, .init = setup, .fini = teardown);

Test(ctx_table, a_declared_read_is_allowed)
{
	ctx.building = &reader;
	cr_assert_eq(ctx_table(&ctx, "patients"), src.t[source_index("patients")]);
}

Test(ctx_table, an_undeclared_source_read_is_refused, .signal = SIGABRT)
{
	cr_assert_neq(source_index("encounters"), -1);
	ctx.building = &reader;
	ctx_table(&ctx, "encounters");
}

Test(ctx_table, an_undeclared_model_read_is_refused, .signal = SIGABRT)
{
	ctx.building = &reader;
	ctx_table(&ctx, model_at(0)->name);
}

Test(ctx_table, outside_a_build_everything_is_readable)
{
	cr_assert_null(ctx.building);
	cr_assert_eq(ctx_table(&ctx, "encounters"), src.t[source_index("encounters")]);
	cr_assert_eq(ctx_table(&ctx, model_at(0)->name), ctx.tables[0]);
}
