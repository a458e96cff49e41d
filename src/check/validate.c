/* Validating the declarations before anything runs: the problems the
 * compiler of tests recorded (compile.c: a spec that does not parse,
 * names a missing column, does not fit its column's type, refers to a
 * model that is not upstream, or is declared twice), and the column
 * roles. Every problem is printed here, through diag, naming the model
 * and the column. */
#include "check/check.h"
#include "util/diag.h"
#include <string.h>

/* Prints the problems of compiled tests v[0..n); returns their count. */
static int report(const model_def *m, const model_test *v, int n)
{
	char where[256];
	int problems = 0;
	snprintf(where, sizeof where, "model %s", m->name);
	for (int i = 0; i < n; i++) {
		const char *why = v[i].parse_error ? v[i].parse_error : v[i].problem;
		if (!why)
			continue;
		if (v[i].colname)
			diag(DIAG_ERROR, where, 0, 0, "column %s.%s: %s: %s", m->name, v[i].colname, v[i].text, why);
		else
			diag(DIAG_ERROR, where, 0, 0, "test %s: %s", v[i].text, why);
		problems++;
	}
	return problems;
}

int check_validate_model(const model_def *m)
{
	test_list own;
	int n;
	const model_test *v = model_def_tests(m, &own, &n);
	int problems = report(m, v, n);
	test_list_free(&own);
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
