/* The model registry: the layers' declaration lists, concatenated. */
#include "registry/registry.h"
#include "registry/model.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <string.h>

extern const model_def *const staging_models[];
extern const model_def *const intermediate_models[];
extern const model_def *const mart_models[];

static const model_def *all[MM_MAX_MODELS + 1];
static int nall = -1;

/* Runs on the first use of the registry, before any array it sizes is filled:
 * more models than MM_MAX_MODELS is a declaration error, refused with a
 * message instead of overflowing the arrays sized by the limit. */
static void collect(void)
{
	if (nall >= 0)
		return;
	const model_def *const *lists[] = {staging_models, intermediate_models, mart_models};
	int declared = 0;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (const model_def *const *m = lists[l]; *m; m++)
			declared++;
	if (declared > MM_MAX_MODELS) {
		fprintf(stderr,
			"medimart: internal error: %d models are declared, more than MM_MAX_MODELS (%d, "
			"src/registry/model.h)\n",
			declared, MM_MAX_MODELS);
		abort();
	}
	nall = 0;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (const model_def *const *m = lists[l]; *m; m++)
			all[nall++] = *m;
	all[nall] = NULL;
}

const model_def *model_at(int i)
{
	collect();
	return i >= 0 && i < nall ? all[i] : NULL;
}

int model_total(void)
{
	collect();
	return nall;
}

const char *layer_name(layer l)
{
	static const char *const n[] = {"source", "staging", "intermediate", "mart"};
	return n[l];
}

const char *col_role_name(col_role r)
{
	static const char *const n[] = {"unset", "id", "clinician", "persons", "events", "exact", "pct", "ratio",
					"measure", "score", "days", "weeks", "years", "date", "code", "label", "geo", "area", "flag"};
	return r >= 0 && r < CR_COUNT_ROLES ? n[r] : "unknown";
}

int model_index(const char *name)
{
	collect();
	for (int i = 0; i < nall; i++)
		if (strcmp(all[i]->name, name) == 0)
			return i;
	return -1;
}

const model_def *model_find(const char *name)
{
	int i = model_index(name);
	return i < 0 ? NULL : all[i];
}

int source_index(const char *name)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (strcmp(source_tables[i].name, name) == 0)
			return i;
	return -1;
}

/* Whether the declaration m lists name in its upstream. */
static int lists_upstream(const model_def *m, const char *name)
{
	for (const char *const *u = m->upstream; u && *u; u++)
		if (strcmp(*u, name) == 0)
			return 1;
	return 0;
}

mm_table *ctx_table(run_ctx *ctx, const char *name)
{
	if (ctx->building && !lists_upstream(ctx->building, name)) {
		diag(DIAG_ERROR, NULL, 0, 0,
		     "internal error: model '%s' reads '%s', which its declaration does not list in upstream",
		     ctx->building->name, name);
		abort();
	}
	int i = model_index(name);
	if (i >= 0 && ctx->released[i])
		table_released(name, ctx->building ? ctx->building->name : "ctx_table");
	if (i >= 0) {
		if (!ctx->tables[i]) {
			fprintf(stderr, "medimart: internal error: model '%s' used before it was built\n", name);
			abort();
		}
		return ctx->tables[i];
	}
	int s = source_index(name);
	if (s < 0) {
		fprintf(stderr, "medimart: internal error: no model or source '%s'\n", name);
		abort();
	}
	if (ctx->src_released[s])
		table_released(name, ctx->building ? ctx->building->name : "ctx_table");
	return ctx->src->t[s];
}

void table_released(const char *name, const char *what)
{
	fprintf(stderr, "medimart: internal error: %s read table '%s' after it was released\n", what, name);
	abort();
}

int model_built(const run_ctx *ctx, int i)
{
	return ctx->tables[i] != NULL || ctx->released[i];
}

size_t model_rows(const run_ctx *ctx, int i)
{
	return ctx->tables[i] ? ctx->tables[i]->nrows : ctx->released[i] ? ctx->rows[i] : 0;
}

int col(const mm_table *t, const char *name)
{
	int c = tbl_col(t, name);
	if (c < 0) {
		fprintf(stderr, "medimart: internal error: table '%s' has no column '%s'\n", t->name, name);
		abort();
	}
	return c;
}

int models_order(int *order)
{
	collect();
	int done[MM_MAX_MODELS] = {0}, k = 0;
	while (k < nall) {
		int progressed = 0;
		for (int i = 0; i < nall; i++) {
			if (done[i])
				continue;
			int ready = 1;
			for (const char *const *u = all[i]->upstream; u && *u; u++) {
				int j = model_index(*u);
				if (j < 0 && source_index(*u) < 0) {
					fprintf(stderr, "medimart: internal error: model '%s' names unknown upstream '%s'\n",
						all[i]->name, *u);
					return -1;
				}
				if (j >= 0 && !done[j])
					ready = 0;
			}
			if (ready) {
				done[i] = 1;
				order[k++] = i;
				progressed = 1;
				break; /* restart: ties go by declaration order */
			}
		}
		if (!progressed) {
			fprintf(stderr, "medimart: internal error: the model graph has a cycle\n");
			return -1;
		}
	}
	return 0;
}

/* Marks i and, transitively, its upstream (dir < 0) or downstream (dir > 0). */
static void mark(int i, int dir, int *sel)
{
	sel[i] = 1;
	for (int j = 0; j < nall; j++) {
		int a = dir < 0 ? i : j, b = dir < 0 ? j : i; /* does a depend on b? */
		for (const char *const *u = all[a]->upstream; u && *u; u++)
			if (strcmp(*u, all[b]->name) == 0 && !sel[j]) {
				mark(j, dir, sel);
				break;
			}
	}
}

int models_select(const char *expr, int *sel)
{
	collect();
	for (int i = 0; i < nall; i++)
		sel[i] = expr == NULL;
	if (!expr)
		return 0;
	char *copy = xstrdup(expr), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int up = tok[0] == '+';
		if (up)
			tok++;
		size_t n = strlen(tok);
		int down = n > 0 && tok[n - 1] == '+';
		if (down)
			tok[n - 1] = '\0';
		int i = model_index(tok);
		if (i < 0) {
			fprintf(stderr, "medimart: error: --select: no model named '%s'\n", tok);
			rc = -1;
			break;
		}
		int one[MM_MAX_MODELS] = {0};
		one[i] = 1;
		if (up)
			mark(i, -1, one);
		if (down)
			mark(i, +1, one);
		for (int j = 0; j < nall; j++)
			sel[j] |= one[j];
	}
	free(copy);
	return rc;
}
