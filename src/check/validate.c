/* Validating the declared tests before anything runs: every spec parses,
 * names existing columns and fits their types, and every ref() target is
 * a declared column of a model built earlier or of a source. The test
 * kinds are run on empty tables of the declared columns, so validation
 * and execution share one set of rules. */
#include "check/check.h"
#include "util/diag.h"
#include "util/xalloc.h"
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

static int problem(const model_def *m, const char *column, const char *text, size_t n, const char *why)
{
	char where[256];
	snprintf(where, sizeof where, "model %s", m->name);
	if (column)
		diag(DIAG_ERROR, where, 0, 0, "column %s: %.*s: %s", column, (int)n, text, why);
	else
		diag(DIAG_ERROR, where, 0, 0, "test %.*s: %s", (int)n, text, why);
	return 1;
}

/* The table a ref() names, as an empty table of its declared columns
 * (caller frees unless it is t), or NULL after setting why. */
static mm_table *ref_shape(const model_def *m, mm_table *t, const test_spec *s, strpool *sp, char *why, size_t n)
{
	if (!strcmp(s->ref_model, m->name))
		return t;
	const model_def *target = model_find(s->ref_model);
	if (target) {
		unsigned char seen[256] = {0};
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

/* Validates one test; returns the number of problems (0 or 1). */
static int validate_one(const model_def *m, mm_table *t, const char *column, const char *text, size_t n,
			strpool *sp, char ***names, size_t *nnames)
{
	test_spec s;
	char why[256];
	if (test_spec_parse(text, n, &s, why, sizeof why))
		return problem(m, column, text, n, why);
	int bad = 0;
	mm_table *target = NULL;
	if (s.kind == TK_REF && !(target = ref_shape(m, t, &s, sp, why, sizeof why)))
		bad = 1;
	test_result r = {0};
	if (!bad && test_spec_run(&s, t, column ? tbl_col(t, column) : -1, target, &r, why, sizeof why))
		bad = 1;
	free(r.message);
	free(r.failing_rows);
	if (target != t)
		tbl_free(target);
	if (!bad) {
		/* The same test twice would give two results of one name. */
		char *name = test_spec_name(&s, column);
		for (size_t i = 0; i < *nnames && !bad; i++)
			if (!strcmp((*names)[i], name)) {
				snprintf(why, sizeof why, "declared twice");
				bad = 1;
			}
		*names = xrealloc(*names, (*nnames + 1) * sizeof **names);
		(*names)[(*nnames)++] = name;
	}
	test_spec_free(&s);
	return bad ? problem(m, column, text, n, why) : 0;
}

int check_validate_model(const model_def *m)
{
	strpool sp;
	sp_init(&sp);
	mm_table *t = model_shape(m, &sp);
	char **names = NULL;
	size_t nnames = 0, n;
	int problems = 0;
	for (int k = 0; k < m->ncols; k++) {
		const char *p = m->cols[k].tests;
		for (const char *tok; p && (tok = test_spec_next(&p, &n));)
			problems += validate_one(m, t, m->cols[k].name, tok, n, &sp, &names, &nnames);
	}
	for (const char *const *e = m->tests; e && *e; e++) {
		const char *p = *e;
		for (const char *tok; (tok = test_spec_next(&p, &n));)
			problems += validate_one(m, t, NULL, tok, n, &sp, &names, &nnames);
	}
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	tbl_free(t);
	sp_free(&sp);
	return problems;
}

/* Whether a column of type ty can hold values of role r: counts are
 * integers, percentages and ratios are numbers, flags are booleans. */
static int role_fits(col_role r, mm_type ty)
{
	switch (r) {
	case CR_PERSONS:
	case CR_EVENTS:
	case CR_EXACT: return ty == T_INT;
	case CR_PCT:
	case CR_RATIO:
	case CR_MEASURE: return ty == T_NUM;
	case CR_SCORE:
	case CR_DAYS:
	case CR_WEEKS:
	case CR_YEARS: return ty == T_INT || ty == T_NUM;
	case CR_DATE: return ty == T_DATE || ty == T_TS;
	case CR_FLAG: return ty == T_BOOL;
	case CR_ID: return ty == T_STR || ty == T_DATE;
	case CR_CODE: return ty == T_STR || ty == T_INT;
	case CR_CLINICIAN:
	case CR_LABEL:
	case CR_GEO:
	case CR_AREA: return ty == T_STR;
	default: return 0;
	}
}

int check_validate_roles(const model_def *m)
{
	static const char *const types[] = {"text", "integer", "number", "date", "timestamp", "boolean"};
	char where[256];
	int problems = 0;
	snprintf(where, sizeof where, "model %s", m->name);
	for (int k = 0; k < m->ncols; k++) {
		const model_col *c = &m->cols[k];
		if (c->role <= CR_UNSET || c->role >= CR_COUNT_ROLES) {
			diag(DIAG_ERROR, where, 0, 0, "column %s.%s declares no role (see docs/disclosure.md)", m->name,
			     c->name);
			problems++;
		} else if (!role_fits(c->role, c->type)) {
			diag(DIAG_ERROR, where, 0, 0, "column %s.%s: role %s does not fit its type, %s", m->name, c->name,
			     col_role_name(c->role), types[c->type]);
			problems++;
		}
	}
	return problems;
}

int check_validate_registry(void)
{
	int problems = 0;
	for (int i = 0; i < model_total(); i++)
		problems += check_validate_model(model_at(i)) + check_validate_roles(model_at(i));
	return problems;
}
