/* Running a model's declared tests on its table. */
#include "check/check.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <string.h>

/* The table a ref() names: the model under test, a built model, or a source. */
static const mm_table *ref_target(run_ctx *ctx, const model_def *m, const mm_table *t, const char *name)
{
	if (!strcmp(name, m->name))
		return t;
	int i = model_index(name), s = source_index(name);
	if (ctx && ((i >= 0 && ctx->released[i]) || (i < 0 && s >= 0 && ctx->src_released[s])))
		table_released(name, m->name);
	if (i >= 0)
		return ctx ? ctx->tables[i] : NULL;
	return s >= 0 && ctx && ctx->src ? ctx->src->t[s] : NULL;
}

/* Runs compiled test x; returns 1 for an error-severity failure. */
static int run_one(run_ctx *ctx, const model_def *m, const mm_table *t, const model_test *x, test_report *rep)
{
	char err[256];
	test_result *r = test_report_add(rep);
	r->model = m->name;
	r->column = x->colname;
	r->rows = t->nrows;
	r->name = xstrdup(x->name);
	if (x->parse_error) {
		r->status = TS_FAIL;
		test_result_message(r, "invalid test: %s", x->parse_error);
		return 1;
	}
	const test_spec *s = &x->spec;
	r->severity = s->severity;
	int c = x->colname ? tbl_col(t, x->colname) : -1;
	const mm_table *target = s->ref_model ? ref_target(ctx, m, t, s->ref_model) : NULL;
	if (x->colname && c < 0)
		snprintf(err, sizeof err, "the table has no column '%s'", x->colname);
	if ((x->colname && c < 0) || test_spec_run(s, t, c, target, r, err, sizeof err)) {
		/* A declaration that does not fit the table is a bug, whatever its severity. */
		r->severity = SEV_ERROR;
		r->status = TS_FAIL;
		test_result_message(r, "cannot run: %s", err);
	} else {
		r->status = test_decide(s, r->failures, r->rows);
		if (r->status == TS_PASS && r->failures)
			test_result_message(r, "%s (within @%g%s)", r->message ? r->message : "", s->tol_value,
				s->tol == TOL_PCT ? "%" : "");
	}
	return r->status == TS_FAIL;
}

int check_table(run_ctx *ctx, const model_def *m, const mm_table *t, test_report *rep)
{
	test_list own;
	int n, errors = 0;
	const model_test *v = model_def_tests(m, &own, &n);
	for (int k = 0; k < n; k++)
		errors += run_one(ctx, m, t, &v[k], rep);
	test_list_free(&own);
	return errors;
}

int check_model(run_ctx *ctx, int i, test_report *rep)
{
	const model_def *m = model_at(i);
	if (!m || !ctx->tables[i])
		return 0; /* nothing built, nothing to test */
	return check_table(ctx, m, ctx->tables[i], rep);
}
