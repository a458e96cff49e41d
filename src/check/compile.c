/* Compiling the declared tests: every test string of a declaration is
 * split, parsed, named and checked against the declarations once, into
 * an array that the runner, the validation, the manifest and the pages
 * all read. The registry's tests are compiled on first use and kept for
 * the run; a declaration outside the registry (a unit test's) is compiled
 * on its own. The checks run the test kinds on empty tables of the
 * declared columns, so that checking and running share one set of rules. */
#include "check/check.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static mm_table *model_shape(const model_def *m, strpool *sp)
{
	mm_table *t = tbl_new(m->name, sp);
	for (int k = 0; k < m->ncols; k++)
		tbl_add_col(t, m->cols[k].name, m->cols[k].type);
	return t;
}

static mm_table *source_shape(int s, strpool *sp)
{
	const src_table *d = &source_tables[s];
	mm_table *t = tbl_new(d->name, sp);
	for (int k = 0; k < d->ncols; k++)
		tbl_add_col(t, d->cols[k].name, d->cols[k].type);
	return t;
}

/* Whether name is upstream of m, directly or through other models. */
static int is_upstream(const model_def *m, const char *name, unsigned char *seen)
{
	for (const char *const *u = m->upstream; u && *u; u++) {
		if (!strcmp(*u, name))
			return 1;
		int j = model_index(*u);
		if (j >= 0 && !seen[j]) {
			seen[j] = 1;
			if (is_upstream(model_at(j), name, seen))
				return 1;
		}
	}
	return 0;
}

/* The table a ref() names, as an empty table of its declared columns
 * (caller frees unless it is t), or NULL after setting why. */
static mm_table *ref_shape(const model_def *m, mm_table *t, const test_spec *s, strpool *sp, char *why, size_t n)
{
	if (!strcmp(s->ref_model, m->name))
		return t;
	const model_def *target = model_find(s->ref_model);
	if (target) {
		unsigned char seen[MM_MAX_MODELS] = {0};
		if (!is_upstream(m, s->ref_model, seen)) {
			snprintf(why, n, "%s is not upstream of %s, so it may not be built when the test runs",
				 s->ref_model, m->name);
			return NULL;
		}
		return model_shape(target, sp);
	}
	int src = source_index(s->ref_model);
	if (src >= 0)
		return source_shape(src, sp);
	snprintf(why, n, "no model or source named '%s'", s->ref_model);
	return NULL;
}

/* Whether parsed test x fits the declarations (shape: m's columns, no
 * rows); if not, why says so. */
static int fits(const model_def *m, mm_table *shape, strpool *sp, const model_test *x, char *why, size_t n)
{
	mm_table *target = NULL;
	if (x->spec.ref_model && !(target = ref_shape(m, shape, &x->spec, sp, why, n)))
		return 0;
	test_result r = {0};
	int c = x->colname ? tbl_col(shape, x->colname) : -1;
	int ok = !test_spec_run(&x->spec, shape, c, target, &r, why, n);
	free(r.message);
	free(r.failing_rows);
	if (target != shape)
		tbl_free(target);
	return ok;
}

/* Records the problems of the parsed tests of l: not fitting the
 * declarations, or a second test of one name (which would give two
 * results of that name). */
static void check_list(const model_def *m, test_list *l)
{
	strpool sp;
	sp_init(&sp);
	mm_table *shape = model_shape(m, &sp);
	unsigned char *ok = xcalloc((size_t)l->n + 1, 1);
	for (int i = 0; i < l->n; i++) {
		model_test *x = &l->v[i];
		char why[256];
		if (x->parse_error)
			continue;
		if (!fits(m, shape, &sp, x, why, sizeof why)) {
			x->problem = xstrdup(why);
			continue;
		}
		ok[i] = 1;
		for (int j = 0; j < i && !x->problem; j++)
			if (ok[j] && !strcmp(l->v[j].name, x->name))
				x->problem = xstrdup("declared twice");
	}
	free(ok);
	tbl_free(shape);
	sp_free(&sp);
}

static void add(test_list *l, const model_def *m, int model, int column, const char *text, size_t n)
{
	l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
	model_test *x = &l->v[l->n++];
	memset(x, 0, sizeof *x);
	x->def = m;
	x->model = model;
	x->column = column;
	x->colname = column >= 0 ? m->cols[column].name : NULL;
	x->text = xstrndup(text, n);
	char err[256];
	if (test_spec_parse(text, n, &x->spec, err, sizeof err)) {
		x->parse_error = xstrdup(err);
		x->name = xstrdup(x->text);
	} else {
		x->name = test_spec_name(&x->spec, x->colname);
	}
}

void test_list_compile(const model_def *m, int model, test_list *out)
{
	memset(out, 0, sizeof *out);
	size_t n;
	for (int k = 0; k < m->ncols; k++)
		for (const char *p = m->cols[k].tests, *tok; p && (tok = test_spec_next(&p, &n));)
			add(out, m, model, k, tok, n);
	for (const char *const *e = m->tests; e && *e; e++)
		for (const char *p = *e, *tok; (tok = test_spec_next(&p, &n));)
			add(out, m, model, -1, tok, n);
	check_list(m, out);
}

void test_list_free(test_list *l)
{
	for (int i = 0; i < l->n; i++) {
		model_test *x = &l->v[i];
		if (!x->parse_error)
			test_spec_free(&x->spec);
		free(x->text);
		free(x->name);
		free(x->parse_error);
		free(x->problem);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The registry's tests by model index; NULL until first used. */
static test_list *registry;

const model_test *model_tests(int model, int *n)
{
	int total = model_total();
	if (!registry) {
		registry = xcalloc((size_t)total + 1, sizeof *registry);
		for (int i = 0; i < total; i++)
			test_list_compile(model_at(i), i, &registry[i]);
	}
	*n = model >= 0 && model < total ? registry[model].n : 0;
	return *n ? registry[model].v : NULL;
}

const model_test *model_def_tests(const model_def *m, test_list *own, int *n)
{
	memset(own, 0, sizeof *own);
	int i = model_index(m->name);
	if (i >= 0 && model_at(i) == m)
		return model_tests(i, n);
	test_list_compile(m, -1, own);
	*n = own->n;
	return own->v;
}
