/* Running every model of the registry over a fixture folder, as `medimart
 * run` does, for the tests of the models' figures (test_kpis, test_risk,
 * test_capdem). Header-only, like helpers.h. */
#ifndef MM_TEST_RUN_MODELS_H
#define MM_TEST_RUN_MODELS_H
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <string.h>
#include "load/load.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "util/date.h"
#include "util/diag.h"

typedef struct run {
	sources s;
	run_ctx ctx;
	test_report rep;
} run;

/* Loads dir, with the seed files of seed_dir, and runs every model and its
 * data tests at census (YYYY-MM-DD) under the shipped rules file, with the
 * models_run flags given besides RUN_TESTS (RUN_RELEASE_*: tables freed
 * once nothing later reads them). Returns models_run's code; free with
 * run_free. */
static inline int run_models_flags(run *x, const char *dir, const char *seed_dir, const char *census,
				   unsigned flags)
{
	memset(x, 0, sizeof *x);
	diag_quiet = 1;
	cr_assert_eq(sources_load(&x->s, dir, seed_dir), 0, "cannot load %s", dir);
	x->ctx.src = &x->s;
	x->ctx.sp = &x->s.sp;
	x->ctx.plain_synthea = !x->s.st[SRC_WAITING_LIST].present;
	x->ctx.has_capacity = x->s.st[SRC_SESSIONS].present;
	cr_assert_eq(date_parse(census, strlen(census), &x->ctx.census), 0, "bad census %s", census);
	x->ctx.census_given = 1;
	x->ctx.rules_path = "data/risk_rules.txt";
	x->ctx.risk = risk_rules_load(x->ctx.rules_path);
	cr_assert_not_null(x->ctx.risk);
	risk_rules_apply_rtt(x->ctx.risk, &x->ctx.rtt);
	int sel[MM_MAX_MODELS];
	cr_assert_eq(models_select(NULL, sel), 0);
	return models_run(&x->ctx, sel, RUN_TESTS | flags, &x->rep);
}

/* The same, every table kept to the end. */
static inline int run_models(run *x, const char *dir, const char *seed_dir, const char *census)
{
	return run_models_flags(x, dir, seed_dir, census, 0);
}

/* The run succeeded and no data test failed. A warn-level result is logged
 * as information: Criterion exits 1 after any warning, and a fixture that
 * trips a warning is no failure. */
static inline void run_expect_clean(const run *x, int rc)
{
	for (size_t i = 0; i < x->rep.n; i++) {
		const test_result *t = &x->rep.v[i];
		if (t->status != TS_PASS)
			cr_log_info("%s %s on %s: %s", test_status_name(t->status), t->name, t->model,
				    t->message ? t->message : "");
		cr_expect_neq(t->status, TS_FAIL, "data test %s on %s failed: %s", t->name, t->model,
			      t->message ? t->message : "");
	}
	cr_assert_eq(rc, 0, "models_run returned %d", rc);
}

static inline void run_free(run *x)
{
	test_report_free(&x->rep);
	run_ctx_free(&x->ctx);
	sources_free(&x->s);
}
#endif
