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
	int i = model_index(name);
	if (i >= 0)
		return ctx ? ctx->tables[i] : NULL;
	int s = source_index(name);
	return s >= 0 && ctx && ctx->src ? ctx->src->t[s] : NULL;
}

/* Runs the test written text[0..n); returns 1 for an error-severity failure. */
static int run_one(run_ctx *ctx, const model_def *m, const mm_table *t, const char *column, const char *text,
		   size_t n, test_report *rep)
{
	test_spec s;
	char err[256];
	test_result *r = test_report_add(rep);
	r->model = m->name;
	r->column = column;
	r->rows = t->nrows;
	if (test_spec_parse(text, n, &s, err, sizeof err)) {
		r->name = xstrndup(text, n);
		r->status = TS_FAIL;
		test_result_message(r, "invalid test: %s", err);
		return 1;
	}
	r->name = test_spec_name(&s, column);
	r->severity = s.severity;
	int c = column ? tbl_col(t, column) : -1;
	const mm_table *target = s.kind == TK_REF ? ref_target(ctx, m, t, s.ref_model) : NULL;
	if (column && c < 0)
		snprintf(err, sizeof err, "the table has no column '%s'", column);
	if ((column && c < 0) || test_spec_run(&s, t, c, target, r, err, sizeof err)) {
		/* A declaration that does not fit the table is a bug, whatever its severity. */
		r->severity = SEV_ERROR;
		r->status = TS_FAIL;
		test_result_message(r, "cannot run: %s", err);
	} else {
		r->status = test_decide(&s, r->failures, r->rows);
		if (r->status == TS_PASS && r->failures)
			test_result_message(r, "%s (within @%g%s)", r->message ? r->message : "", s.tol_value,
				s.tol == TOL_PCT ? "%" : "");
	}
	test_spec_free(&s);
	return r->status == TS_FAIL;
}

int check_table(run_ctx *ctx, const model_def *m, const mm_table *t, test_report *rep)
{
	int errors = 0;
	size_t n;
	for (int k = 0; k < m->ncols; k++) {
		const char *p = m->cols[k].tests;
		for (const char *tok; p && (tok = test_spec_next(&p, &n));)
			errors += run_one(ctx, m, t, m->cols[k].name, tok, n, rep);
	}
	for (const char *const *e = m->tests; e && *e; e++) {
		const char *p = *e;
		for (const char *tok; (tok = test_spec_next(&p, &n));)
			errors += run_one(ctx, m, t, NULL, tok, n, rep);
	}
	return errors;
}

int check_model(run_ctx *ctx, int i, test_report *rep)
{
	const model_def *m = model_at(i);
	if (!m || !ctx->tables[i])
		return 0; /* nothing built, nothing to test */
	return check_table(ctx, m, ctx->tables[i], rep);
}
