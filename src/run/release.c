/* The release plan: freeing each table once nothing later reads it, so
 * that a run's peak memory follows the tables alive at once rather than
 * the sum of every table it builds. */
#include "run/release.h"
#include <string.h>

/* The slot of a model or source name, or -1. */
static int slot_of(const char *name)
{
	int i = model_index(name);
	if (i >= 0)
		return i;
	int s = source_index(name);
	return s >= 0 ? MM_MAX_MODELS + s : -1;
}

static int add_slot(int *v, int n, int x)
{
	if (x < 0)
		return n;
	for (int k = 0; k < n; k++)
		if (v[k] == x)
			return n;
	v[n] = x;
	return n + 1;
}

/* The distinct tables model i reads, other than its own: its upstream and,
 * when it is tested, the tables its ref() tests name. Returns the count. */
static int reads_of(int i, const int *sel, int tests, int out[RELEASE_SLOTS])
{
	const model_def *m = model_at(i);
	int n = 0;
	for (const char *const *u = m->upstream; u && *u; u++)
		n = add_slot(out, n, slot_of(*u));
	if (tests && sel[i]) {
		test_list own;
		int nt;
		const model_test *v = model_def_tests(m, &own, &nt);
		for (int k = 0; k < nt; k++)
			if (v[k].spec.ref_model && strcmp(v[k].spec.ref_model, m->name))
				n = add_slot(out, n, slot_of(v[k].spec.ref_model));
		test_list_free(&own);
	}
	return n;
}

void release_mark_last(const release_plan *p, run_ctx *ctx, int i, const int *sel, int tests)
{
	memset(ctx->src_last_read, 0, sizeof ctx->src_last_read);
	if (!(p->what & RELEASE_SOURCES))
		return;
	const model_def *m = model_at(i);
	test_list own;
	int nt = 0;
	const model_test *v = tests && sel[i] ? model_def_tests(m, &own, &nt) : NULL;
	for (const char *const *u = m->upstream; u && *u; u++) {
		int s = source_index(*u);
		if (s < 0 || p->keep[MM_MAX_MODELS + s] || p->left[MM_MAX_MODELS + s] != 1)
			continue;
		int tested = 0;
		for (int k = 0; k < nt; k++)
			tested |= v[k].spec.ref_model && !strcmp(v[k].spec.ref_model, *u);
		ctx->src_last_read[s] = !tested;
	}
	if (v)
		test_list_free(&own);
}

void release_model(run_ctx *ctx, int i)
{
	if (!ctx->tables[i])
		return;
	ctx->rows[i] = ctx->tables[i]->nrows;
	if (ctx->on_release)
		ctx->on_release(ctx, i, ctx->on_release_ud);
	tbl_free(ctx->tables[i]);
	ctx->tables[i] = NULL;
	ctx->released[i] = 1;
}

void release_source(run_ctx *ctx, int s)
{
	if (!ctx->src || !ctx->src->t[s])
		return;
	tbl_free(ctx->src->t[s]);
	ctx->src->t[s] = NULL;
	ctx->src_released[s] = 1;
}

static void release_slot(release_plan *p, run_ctx *ctx, int x)
{
	if (p->keep[x] || p->left[x] > 0)
		return;
	if (x < MM_MAX_MODELS)
		release_model(ctx, x);
	else
		release_source(ctx, x - MM_MAX_MODELS);
}

void release_plan_init(release_plan *p, run_ctx *ctx, unsigned what, const int *need, const int *sel, int tests,
		       const test_report *rep)
{
	memset(p, 0, sizeof *p);
	p->what = what;
	int n = model_total();
	for (int i = 0; i < n; i++) {
		p->keep[i] = !(what & RELEASE_MODELS) || model_at(i)->layer == LAYER_MART || ctx->pinned[i];
		if (!need[i])
			continue;
		int v[RELEASE_SLOTS], nv = reads_of(i, sel, tests, v);
		for (int k = 0; k < nv; k++)
			p->left[v[k]]++;
	}
	for (int s = 0; s < SRC_COUNT; s++)
		p->keep[MM_MAX_MODELS + s] = !(what & RELEASE_SOURCES) || source_tables[s].seed || !ctx->src;
	/* A source check that did not pass writes the source's rows (or its
	 * rejects) to test_failures/ after the models. */
	for (size_t k = 0; rep && k < rep->n; k++) {
		int s = rep->v[k].source_check ? source_index(rep->v[k].model) : -1;
		if (s >= 0 && rep->v[k].status != TS_PASS)
			p->keep[MM_MAX_MODELS + s] = 1;
	}
	for (int s = 0; s < SRC_COUNT; s++)
		release_slot(p, ctx, MM_MAX_MODELS + s);
}

void release_after(release_plan *p, run_ctx *ctx, int i, const int *sel, int tests, const test_report *rep,
		   size_t first)
{
	ctx->rows[i] = ctx->tables[i] ? ctx->tables[i]->nrows : 0;
	/* A test that did not pass writes the model's rows to test_failures/
	 * and to its documentation page. */
	for (size_t k = first; rep && k < rep->n; k++)
		if (rep->v[k].status != TS_PASS)
			p->keep[i] = 1;
	int v[RELEASE_SLOTS], nv = reads_of(i, sel, tests, v);
	for (int k = 0; k < nv; k++) {
		p->left[v[k]]--;
		release_slot(p, ctx, v[k]);
	}
	release_slot(p, ctx, i);
}
