/* Data-test engine: spec parsing, every test kind on hand-made tables,
 * severities and tolerances, ref() across tables and string pools,
 * validation of declarations, source checks and the report outputs. */
#include <criterion/criterion.h>
#include <string.h>
#include "check/check.h"
#include "helpers.h"
#include "util/date.h"
#include "util/escape.h"

/* ---- helpers ---- */

static strpool pool;

static void setup(void)
{
	sp_init(&pool);
}

static void teardown(void)
{
	sp_free(&pool);
}

/* A table with one text column "id" holding vals (NULL = null). */
static mm_table *str_table(const char *name, const char *col, const char *const *vals, size_t n)
{
	mm_table *t = tbl_new(name, &pool);
	int c = tbl_add_col(t, col, T_STR);
	for (size_t i = 0; i < n; i++) {
		size_t r = tbl_add_row(t);
		if (vals[i])
			tbl_set_str(t, c, r, vals[i]);
	}
	return t;
}

static mm_table *int_table(const char *name, const char *col, const int64_t *vals, size_t n)
{
	mm_table *t = tbl_new(name, &pool);
	int c = tbl_add_col(t, col, T_INT);
	for (size_t i = 0; i < n; i++)
		tbl_set_int(t, c, tbl_add_row(t), vals[i]);
	return t;
}

static int32_t day(const char *s)
{
	int32_t d;
	cr_assert_eq(date_parse(s, strlen(s), &d), 0, "bad date %s", s);
	return d;
}

/* Runs m's tests on t with no run context; returns the error failures. */
static int run(const model_def *m, const mm_table *t, test_report *rep)
{
	return check_table(NULL, m, t, rep);
}

static const test_result *find(const test_report *rep, const char *model, const char *name)
{
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->v[i].model, model) && !strcmp(rep->v[i].name, name))
			return &rep->v[i];
	cr_assert_fail("no result %s on %s", name, model);
	return NULL;
}

/* Stderr of check_validate_model(m), which returns *problems. */
static char *validate(const model_def *m, int *problems)
{
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	*problems = check_validate_model(m);
	return th_capture_end(&cap);
}

TestSuite(spec, .init = setup, .fini = teardown);
TestSuite(kinds, .init = setup, .fini = teardown);
TestSuite(severity, .init = setup, .fini = teardown);
TestSuite(refs, .init = setup, .fini = teardown);
TestSuite(validate, .init = setup, .fini = teardown);
TestSuite(compiled, .init = setup, .fini = teardown);
TestSuite(sources, .init = setup, .fini = teardown);
TestSuite(report, .init = setup, .fini = teardown);

/* ---- parsing ---- */

static test_spec parse_ok(const char *s)
{
	test_spec t;
	char err[256];
	int rc = test_spec_parse(s, strlen(s), &t, err, sizeof err);
	cr_assert_eq(rc, 0, "'%s' should parse: %s", s, err);
	return t;
}

static void parse_bad(const char *s, const char *why)
{
	test_spec t;
	char err[256];
	cr_assert_eq(test_spec_parse(s, strlen(s), &t, err, sizeof err), -1, "'%s' should not parse", s);
	cr_assert(strstr(err, why), "'%s': error '%s' should mention '%s'", s, err, why);
}

Test(spec, splits_on_spaces_outside_parentheses)
{
	const char *s = "  unique accepted(Asian or Asian British|White)  warn:range(0..3)@1% expr(a >= b)";
	const char *want[] = {"unique", "accepted(Asian or Asian British|White)", "warn:range(0..3)@1%", "expr(a >= b)"};
	size_t n, k = 0;
	for (const char *tok; (tok = test_spec_next(&s, &n)); k++) {
		cr_assert_lt(k, 4);
		cr_assert_eq(n, strlen(want[k]));
		cr_assert(!strncmp(tok, want[k], n), "token %zu is '%.*s'", k, (int)n, tok);
	}
	cr_assert_eq(k, 4);
	const char *empty = "   ";
	cr_assert_null(test_spec_next(&empty, &n));
}

Test(spec, every_kind)
{
	test_spec s = parse_ok("unique");
	cr_assert_str_eq(s.kind->name, "unique");
	cr_assert_eq(s.nargs, 0);
	cr_assert_eq(s.severity, SEV_ERROR);
	cr_assert_eq(s.tol, TOL_NONE);
	test_spec_free(&s);

	s = parse_ok("not_null");
	cr_assert_str_eq(s.kind->name, "not_null");
	test_spec_free(&s);

	s = parse_ok("accepted(0-17|18-39|80+|Not stated)");
	cr_assert_str_eq(s.kind->name, "accepted");
	cr_assert_eq(s.nargs, 4);
	cr_assert_str_eq(s.args[2], "80+");
	cr_assert_str_eq(s.args[3], "Not stated");
	test_spec_free(&s);

	s = parse_ok("ref(stg_patients.patient_id)");
	cr_assert_str_eq(s.kind->name, "ref");
	cr_assert_str_eq(s.ref_model, "stg_patients");
	cr_assert_str_eq(s.ref_col, "patient_id");
	test_spec_free(&s);

	s = parse_ok("range(-1.5..2.25)");
	cr_assert_str_eq(s.lo, "-1.5");
	cr_assert_str_eq(s.hi, "2.25");
	test_spec_free(&s);

	s = parse_ok("range(1900-01-01..)");
	cr_assert_str_eq(s.lo, "1900-01-01");
	cr_assert_null(s.hi);
	test_spec_free(&s);

	s = parse_ok("range(..10)");
	cr_assert_null(s.lo);
	cr_assert_str_eq(s.hi, "10");
	test_spec_free(&s);

	s = parse_ok("expr(clock_stop_date>=clock_start_date)");
	cr_assert_str_eq(s.kind->name, "expr");
	cr_assert_eq(s.op, CMP_GE);
	cr_assert_str_eq(s.lhs, "clock_stop_date");
	cr_assert_str_eq(s.rhs, "clock_start_date");
	test_spec_free(&s);

	const char *ops[] = {">=", ">", "<=", "<", "==", "!="};
	cmp_op want[] = {CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ, CMP_NE};
	for (int i = 0; i < 6; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "expr(a %s 0)", ops[i]);
		s = parse_ok(buf);
		cr_assert_eq(s.op, want[i], "%s", buf);
		cr_assert_str_eq(s.rhs, "0");
		test_spec_free(&s);
	}

	s = parse_ok("unique(site_id, week_start)");
	cr_assert_eq(s.nargs, 2);
	cr_assert_str_eq(s.args[1], "week_start");
	test_spec_free(&s);
}

Test(spec, severity_and_tolerance)
{
	test_spec s = parse_ok("warn:not_null");
	cr_assert_eq(s.severity, SEV_WARN);
	test_spec_free(&s);

	s = parse_ok("unique@3");
	cr_assert_eq(s.tol, TOL_ROWS);
	cr_assert_float_eq(s.tol_value, 3, 1e-12);
	test_spec_free(&s);

	s = parse_ok("warn:range(0..3650)@1.5%");
	cr_assert_eq(s.severity, SEV_WARN);
	cr_assert_eq(s.tol, TOL_PCT);
	cr_assert_float_eq(s.tol_value, 1.5, 1e-12);
	test_spec_free(&s);

	s = parse_ok("error:accepted(A|B)@0");
	cr_assert_eq(s.severity, SEV_ERROR);
	cr_assert_eq(s.tol, TOL_ROWS);
	test_spec_free(&s);
}

Test(spec, errors)
{
	parse_bad("uniq", "unknown test");
	parse_bad("Unique", "unknown test");
	parse_bad("accepted(A|B", "missing ')'");
	parse_bad("accepted()", "needs an argument");
	parse_bad("accepted", "needs an argument");
	parse_bad("accepted(A||B)", "empty item");
	parse_bad("ref(stg_patients)", "model.column");
	parse_bad("ref(a.b c)", "model.column");
	parse_bad("range(0-10)", "lo..hi");
	parse_bad("range(..)", "at least one bound");
	parse_bad("expr(a b)", "OP");
	parse_bad("expr(1 > a)", "not a column");
	parse_bad("expr(a > )", "nothing right");
	parse_bad("expr(a > b > c)", "one comparison");
	parse_bad("not_null(x)", "no argument");
	parse_bad("not_null@", "bad tolerance");
	parse_bad("not_null@-1", "bad tolerance");
	parse_bad("not_null@1.5", "bad tolerance");
	parse_bad("not_null@101%", "bad tolerance");
	parse_bad("not_null@x", "bad tolerance");
	parse_bad("not_null@1e308", "bad tolerance"); /* was a float-to-integer overflow */
	parse_bad("not_null@9007199254740992", "bad tolerance");
	parse_bad("not_nullx", "unknown test");
	parse_bad("range(0..1)junk", "unexpected");
	parse_bad("unique(a,,b)", "empty item");
	parse_bad("unique(a-b)", "not a column");
}

Test(spec, result_names)
{
	struct {
		const char *spec, *column, *name;
	} cases[] = {
		{"not_null", "patient_id", "not_null(patient_id)"},
		{"warn:unique@2", "patient_id", "unique(patient_id)"},
		{"accepted(M|F)", "sex", "accepted(sex)"},
		{"ref(stg_patients.patient_id)", "patient_id", "ref(patient_id -> stg_patients.patient_id)"},
		{"range(0..)", "wait_days", "range(wait_days, 0..)"},
		{"expr(clock_stop_date   >=  clock_start_date)", NULL, "expr(clock_stop_date >= clock_start_date)"},
		{"unique(site_id,week_start)", NULL, "unique(site_id, week_start)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		test_spec s = parse_ok(cases[i].spec);
		char *name = test_spec_name(&s, cases[i].column);
		cr_assert_str_eq(name, cases[i].name);
		free(name);
		test_spec_free(&s);
	}
}

Test(spec, literals)
{
	double v;
	cr_assert_eq(test_literal("2024-02-29", T_DATE, &v), 0);
	cr_assert_float_eq(v, day("2024-02-29"), 0);
	cr_assert_eq(test_literal("2023-02-29", T_DATE, &v), -1);
	cr_assert_eq(test_literal("true", T_BOOL, &v), 0);
	cr_assert_float_eq(v, 1, 0);
	cr_assert_eq(test_literal("yes", T_BOOL, &v), -1);
	cr_assert_eq(test_literal("1e3", T_NUM, &v), 0);
	cr_assert_float_eq(v, 1000, 0);
	cr_assert_eq(test_literal("12x", T_INT, &v), -1);
	cr_assert_eq(test_literal("", T_INT, &v), -1);
	cr_assert_eq(test_literal("nan", T_NUM, &v), -1);
	cr_assert_eq(test_literal("2024-01-01", T_TS, &v), 0);
	cr_assert_float_eq(v, 86400.0 * day("2024-01-01"), 0);
}

/* ---- the kinds ---- */

Test(kinds, unique_counts_every_duplicated_row_and_ignores_nulls)
{
	const char *v[] = {"a", "b", NULL, "a", "c", NULL, "a", "b"};
	mm_table *t = str_table("chk_u", "id", v, 8);
	static const model_col cols[] = {{"id", T_STR, "", "unique", "", CR_CODE}};
	static const model_def m = {"chk_u", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 1);
	const test_result *r = find(&rep, "chk_u", "unique(id)");
	cr_assert_eq(r->status, TS_FAIL);
	cr_assert_eq(r->rows, 8);
	cr_assert_eq(r->failures, 5); /* three a, two b */
	cr_assert_eq(r->nkept, 5);
	size_t want[] = {0, 1, 3, 6, 7};
	for (int i = 0; i < 5; i++)
		cr_assert_eq(r->failing_rows[i], want[i]);
	cr_assert(strstr(r->message, "5 rows") && strstr(r->message, "'a'"), "%s", r->message);
	cr_assert_str_eq(r->column, "id");
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, unique_on_numbers_and_combinations)
{
	mm_table *t = tbl_new("chk_c", &pool);
	int a = tbl_add_col(t, "site", T_STR), w = tbl_add_col(t, "week", T_DATE), x = tbl_add_col(t, "x", T_NUM);
	const char *site[] = {"S1", "S1", "S2", "S1", "S2"};
	const char *week[] = {"2024-01-01", "2024-01-08", "2024-01-01", "2024-01-01", NULL};
	double xs[] = {0.0, -0.0, 1.5, NAN, 2};
	for (int i = 0; i < 5; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, a, r, site[i]);
		if (week[i])
			tbl_set_date(t, w, r, day(week[i]));
		tbl_set_num(t, x, r, xs[i]);
	}
	static const model_col cols[] = {
		{"site", T_STR, "", "", "", CR_CODE},
		{"week", T_DATE, "", "", "", CR_DATE},
		{"x", T_NUM, "", "unique", "", CR_MEASURE}};
	/* Two text or date columns are compared as one 64-bit key; other
	 * combinations one column at a time: the same rows either way. */
	static const char *const tests[] = {"unique(site, week)", "unique(week)", "unique(week, site)",
					    "unique(site, x)", "unique(site, week, x)", NULL};
	static const model_def m = {"chk_c", LAYER_STAGING, "", NULL, cols, 3, tests, NULL, 0};
	test_report rep = {0};
	run(&m, t, &rep);
	const test_result *r = find(&rep, "chk_c", "unique(x)");
	cr_assert_eq(r->failures, 2, "0 and -0 are the same value"); /* rows 0, 1 */
	r = find(&rep, "chk_c", "unique(site, week)");
	cr_assert_eq(r->failures, 2); /* rows 0 and 3; row 4 has a null week */
	cr_assert_eq(r->failing_rows[0], 0);
	cr_assert_eq(r->failing_rows[1], 3);
	cr_assert_null(r->column);
	r = find(&rep, "chk_c", "unique(week)");
	cr_assert_eq(r->failures, 3);
	r = find(&rep, "chk_c", "unique(week, site)");
	cr_assert_eq(r->failures, 2);
	cr_assert_eq(r->failing_rows[0], 0);
	cr_assert_eq(r->failing_rows[1], 3);
	r = find(&rep, "chk_c", "unique(site, x)");
	cr_assert_eq(r->failures, 2, "S1 with 0 and with -0"); /* rows 0, 1; row 3's x is null */
	cr_assert_eq(r->failing_rows[0], 0);
	cr_assert_eq(r->failing_rows[1], 1);
	r = find(&rep, "chk_c", "unique(site, week, x)");
	cr_assert_eq(r->failures, 0);
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, not_null)
{
	const int64_t v[] = {1, INT_NULL, 3, INT_NULL};
	mm_table *t = int_table("chk_n", "n", v, 4);
	static const model_col cols[] = {{"n", T_INT, "", "not_null", "", CR_EVENTS}};
	static const model_def m = {"chk_n", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 1);
	const test_result *r = find(&rep, "chk_n", "not_null(n)");
	cr_assert_eq(r->failures, 2);
	cr_assert_eq(r->failing_rows[0], 1);
	cr_assert_eq(r->failing_rows[1], 3);
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, accepted_text_integers_and_booleans)
{
	mm_table *t = tbl_new("chk_a", &pool);
	int s = tbl_add_col(t, "sex", T_STR), n = tbl_add_col(t, "code", T_INT), b = tbl_add_col(t, "flag", T_BOOL);
	const char *sex[] = {"Male", "Female", NULL, "Unknown", "Asian or Asian British"};
	int64_t code[] = {0, 2, 9, INT_NULL, 7};
	for (int i = 0; i < 5; i++) {
		size_t r = tbl_add_row(t);
		if (sex[i])
			tbl_set_str(t, s, r, sex[i]);
		tbl_set_int(t, n, r, code[i]);
		if (i < 4)
			tbl_set_bool(t, b, r, i % 2);
	}
	static const model_col cols[] = {
		{"sex", T_STR, "", "accepted(Male|Female|Asian or Asian British)", "", CR_CODE},
		{"code", T_INT, "", "accepted(0|2|3|4|5|6|7)", "", CR_CODE},
		{"flag", T_BOOL, "", "accepted(false)", "", CR_FLAG},
	};
	static const model_def m = {"chk_a", LAYER_STAGING, "", NULL, cols, 3, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 3);
	const test_result *r = find(&rep, "chk_a", "accepted(sex)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 3);
	cr_assert(strstr(r->message, "'Unknown'"), "%s", r->message);
	r = find(&rep, "chk_a", "accepted(code)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 2);
	r = find(&rep, "chk_a", "accepted(flag)");
	cr_assert_eq(r->failures, 2); /* rows 1 and 3 are true; row 4 is null */
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, range_numbers_and_dates)
{
	mm_table *t = tbl_new("chk_r", &pool);
	int n = tbl_add_col(t, "wait", T_INT), d = tbl_add_col(t, "born", T_DATE), x = tbl_add_col(t, "p", T_NUM);
	int64_t wait[] = {0, 3650, 3651, -1, INT_NULL};
	const char *born[] = {"1899-12-31", "1900-01-01", NULL, "2030-01-01", "1950-06-01"};
	double p[] = {0, 1, 1.0000001, NAN, 0.5};
	for (int i = 0; i < 5; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_int(t, n, r, wait[i]);
		if (born[i])
			tbl_set_date(t, d, r, day(born[i]));
		tbl_set_num(t, x, r, p[i]);
	}
	static const model_col cols[] = {
		{"wait", T_INT, "", "range(0..3650)", "", CR_DAYS},
		{"born", T_DATE, "", "range(1900-01-01..)", "", CR_DATE},
		{"p", T_NUM, "", "range(..1)", "", CR_MEASURE},
	};
	static const model_def m = {"chk_r", LAYER_STAGING, "", NULL, cols, 3, NULL, NULL, 0};
	test_report rep = {0};
	run(&m, t, &rep);
	const test_result *r = find(&rep, "chk_r", "range(wait, 0..3650)");
	cr_assert_eq(r->failures, 2);
	cr_assert_eq(r->failing_rows[0], 2);
	cr_assert_eq(r->failing_rows[1], 3);
	r = find(&rep, "chk_r", "range(born, 1900-01-01..)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 0);
	cr_assert(strstr(r->message, "1899-12-31"), "%s", r->message);
	r = find(&rep, "chk_r", "range(p, ..1)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 2);
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, expr_columns_literals_and_nulls)
{
	mm_table *t = tbl_new("chk_e", &pool);
	int a = tbl_add_col(t, "start", T_DATE), b = tbl_add_col(t, "stop", T_DATE);
	int w = tbl_add_col(t, "wait", T_INT), s1 = tbl_add_col(t, "x", T_STR), s2 = tbl_add_col(t, "y", T_STR);
	const char *start[] = {"2024-01-01", "2024-02-01", "2024-03-01", NULL};
	const char *stop[] = {"2024-01-01", "2024-01-31", NULL, "2024-01-01"};
	int64_t wait[] = {5, -2, 0, INT_NULL};
	const char *x[] = {"a", "a", "b", "c"}, *y[] = {"a", "b", "b", NULL};
	for (int i = 0; i < 4; i++) {
		size_t r = tbl_add_row(t);
		if (start[i])
			tbl_set_date(t, a, r, day(start[i]));
		if (stop[i])
			tbl_set_date(t, b, r, day(stop[i]));
		tbl_set_int(t, w, r, wait[i]);
		tbl_set_str(t, s1, r, x[i]);
		if (y[i])
			tbl_set_str(t, s2, r, y[i]);
	}
	static const model_col cols[] = {
		{"start", T_DATE, "", "", "", CR_DATE}, {"stop", T_DATE, "", "", "", CR_DATE},
		{"wait", T_INT, "", "", "", CR_DAYS}, {"x", T_STR, "", "", "", CR_CODE},
		{"y", T_STR, "", "", "", CR_CODE},
	};
	static const char *const tests[] = {"expr(stop >= start)", "expr(wait >= 0)", "expr(x == y)",
					    "expr(stop > 2024-01-15)", NULL};
	static const model_def m = {"chk_e", LAYER_STAGING, "", NULL, cols, 5, tests, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 4);
	const test_result *r = find(&rep, "chk_e", "expr(stop >= start)");
	cr_assert_eq(r->failures, 1); /* rows 2 and 3 have a null side */
	cr_assert_eq(r->failing_rows[0], 1);
	cr_assert(strstr(r->message, "2024-01-31 >= 2024-02-01"), "%s", r->message);
	r = find(&rep, "chk_e", "expr(wait >= 0)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 1);
	r = find(&rep, "chk_e", "expr(x == y)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 1);
	r = find(&rep, "chk_e", "expr(stop > 2024-01-15)");
	cr_assert_eq(r->failures, 2); /* rows 0 and 3 */
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, keeps_only_the_first_failing_rows)
{
	mm_table *t = tbl_new("chk_k", &pool);
	int c = tbl_add_col(t, "n", T_INT);
	for (int i = 0; i < 1000; i++)
		tbl_set_int(t, c, tbl_add_row(t), i % 3 ? i : INT_NULL);
	static const model_col cols[] = {{"n", T_INT, "", "not_null", "", CR_EVENTS}};
	static const model_def m = {"chk_k", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	test_report rep = {0};
	run(&m, t, &rep);
	const test_result *r = &rep.v[0];
	cr_assert_eq(r->failures, 334);
	cr_assert_eq(r->nkept, FAILING_ROWS_KEPT);
	cr_assert_eq(r->failing_rows[FAILING_ROWS_KEPT - 1], 3 * (FAILING_ROWS_KEPT - 1));
	test_report_free(&rep);
	tbl_free(t);
}

Test(kinds, passing_tests_have_no_message)
{
	const char *v[] = {"a", "b", "c"};
	mm_table *t = str_table("chk_p", "id", v, 3);
	static const model_col cols[] = {{"id", T_STR, "", "unique not_null accepted(a|b|c)", "", CR_CODE}};
	static const model_def m = {"chk_p", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 0);
	cr_assert_eq(rep.n, 3);
	for (size_t i = 0; i < rep.n; i++) {
		cr_assert_eq(rep.v[i].status, TS_PASS);
		cr_assert_null(rep.v[i].message);
		cr_assert_eq(rep.v[i].nkept, 0);
	}
	test_report_free(&rep);
	tbl_free(t);
}

/* ---- severity and tolerance ---- */

/* 200 rows, the first `nulls` of them null. */
static mm_table *with_nulls(int nulls)
{
	mm_table *t = tbl_new("chk_s", &pool);
	int c = tbl_add_col(t, "n", T_INT);
	for (int i = 0; i < 200; i++)
		tbl_set_int(t, c, tbl_add_row(t), i < nulls ? INT_NULL : i);
	return t;
}

static test_status status_of(const char *tests, int nulls, int *errors)
{
	model_col cols[] = {{"n", T_INT, "", tests, "", CR_EVENTS}};
	model_def m = {"chk_s", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	mm_table *t = with_nulls(nulls);
	test_report rep = {0};
	*errors = run(&m, t, &rep);
	cr_assert_eq(rep.n, 1);
	test_status s = rep.v[0].status;
	cr_assert_eq(rep.v[0].failures, (size_t)nulls);
	test_report_free(&rep);
	tbl_free(t);
	return s;
}

Test(severity, warn_prefix_gives_warn_not_fail)
{
	int e;
	cr_assert_eq(status_of("warn:not_null", 3, &e), TS_WARN);
	cr_assert_eq(e, 0, "a warning is not an error failure");
	cr_assert_eq(status_of("not_null", 3, &e), TS_FAIL);
	cr_assert_eq(e, 1);
	cr_assert_eq(status_of("warn:not_null", 0, &e), TS_PASS);
}

Test(severity, row_tolerance)
{
	int e;
	cr_assert_eq(status_of("not_null@3", 3, &e), TS_PASS);
	cr_assert_eq(e, 0);
	cr_assert_eq(status_of("not_null@3", 4, &e), TS_FAIL);
	cr_assert_eq(status_of("warn:not_null@3", 4, &e), TS_WARN);
	cr_assert_eq(status_of("not_null@0", 1, &e), TS_FAIL);
}

Test(severity, percent_tolerance)
{
	int e;
	/* 1% of 200 rows is 2 rows. */
	cr_assert_eq(status_of("not_null@1%", 2, &e), TS_PASS);
	cr_assert_eq(status_of("not_null@1%", 3, &e), TS_FAIL);
	cr_assert_eq(status_of("not_null@1.5%", 3, &e), TS_PASS);
	cr_assert_eq(status_of("warn:not_null@0.5%", 2, &e), TS_WARN);
	cr_assert_eq(status_of("not_null@100%", 200, &e), TS_PASS);
	/* Exactly on the bound despite floating point: 0.29% of 10000 is 29. */
	test_spec s = parse_ok("not_null@0.29%");
	cr_assert_eq(test_decide(&s, 29, 10000), TS_PASS);
	cr_assert_eq(test_decide(&s, 30, 10000), TS_FAIL);
	test_spec_free(&s);
}

Test(severity, tolerated_failures_are_reported)
{
	model_col cols[] = {{"n", T_INT, "", "not_null@5", "", CR_EVENTS}};
	model_def m = {"chk_s", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	mm_table *t = with_nulls(2);
	test_report rep = {0};
	run(&m, t, &rep);
	cr_assert_eq(rep.v[0].status, TS_PASS);
	cr_assert_eq(rep.v[0].failures, 2);
	cr_assert(strstr(rep.v[0].message, "within @5"), "%s", rep.v[0].message);
	test_report_free(&rep);
	tbl_free(t);
}

Test(severity, invalid_and_misfit_tests_fail)
{
	model_col cols[] = {{"n", T_INT, "", "warn:nonsense range(a..b) warn:accepted(x|y) not_null", "", CR_EVENTS}};
	model_def m = {"chk_s", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	mm_table *t = with_nulls(0);
	test_report rep = {0};
	cr_assert_eq(run(&m, t, &rep), 3);
	cr_assert_eq(rep.n, 4);
	cr_assert_str_eq(rep.v[0].name, "warn:nonsense");
	cr_assert_eq(rep.v[0].status, TS_FAIL);
	cr_assert(strstr(rep.v[0].message, "invalid test"), "%s", rep.v[0].message);
	cr_assert_eq(rep.v[1].status, TS_FAIL);
	cr_assert(strstr(rep.v[1].message, "cannot run"), "%s", rep.v[1].message);
	cr_assert_eq(rep.v[2].status, TS_FAIL, "a test that cannot run fails even as a warning");
	cr_assert_eq(rep.v[3].status, TS_PASS);
	test_report_free(&rep);
	tbl_free(t);
}

/* ---- ref ---- */

Test(refs, against_a_source_table_in_the_run_context)
{
	sources src;
	memset(&src, 0, sizeof src);
	sp_init(&src.sp);
	/* The seed lives in the sources' pool; the model table in another pool. */
	mm_table *seed = tbl_new("treatment_functions", &src.sp);
	int sc = tbl_add_col(seed, "CODE", T_STR);
	const char *codes[] = {"100", "110", "X02"};
	for (int i = 0; i < 3; i++)
		tbl_set_str(seed, sc, tbl_add_row(seed), codes[i]);
	src.t[SEED_TREATMENT_FUNCTIONS] = seed;
	run_ctx ctx = {.src = &src, .sp = &src.sp};

	const char *v[] = {"110", "999", NULL, "X02", "120", "100"};
	mm_table *t = str_table("chk_ref", "tf", v, 6);
	static const model_col cols[] = {{"tf", T_STR, "", "ref(treatment_functions.CODE)", "", CR_CODE}};
	static const model_def m = {"chk_ref", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(check_table(&ctx, &m, t, &rep), 1);
	const test_result *r = find(&rep, "chk_ref", "ref(tf -> treatment_functions.CODE)");
	cr_assert_eq(r->failures, 2);
	cr_assert_eq(r->failing_rows[0], 1);
	cr_assert_eq(r->failing_rows[1], 4);
	cr_assert(strstr(r->message, "'999'"), "%s", r->message);
	test_report_free(&rep);
	tbl_free(t);
	tbl_free(seed);
	sp_free(&src.sp);
}

Test(refs, to_the_model_itself_and_unavailable_targets)
{
	mm_table *t = tbl_new("chk_self", &pool);
	int id = tbl_add_col(t, "id", T_STR), parent = tbl_add_col(t, "parent", T_STR);
	const char *ids[] = {"a", "b", "c"}, *parents[] = {NULL, "a", "z"};
	for (int i = 0; i < 3; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, id, r, ids[i]);
		if (parents[i])
			tbl_set_str(t, parent, r, parents[i]);
	}
	static const model_col cols[] = {
		{"id", T_STR, "", "", "", CR_CODE},
		{"parent", T_STR, "", "ref(chk_self.id) ref(patients.Id)", "", CR_CODE},
	};
	static const model_def m = {"chk_self", LAYER_STAGING, "", NULL, cols, 2, NULL, NULL, 0};
	test_report rep = {0};
	cr_assert_eq(check_table(NULL, &m, t, &rep), 2);
	cr_assert_eq(rep.v[0].failures, 1);
	cr_assert_eq(rep.v[0].failing_rows[0], 2);
	cr_assert_eq(rep.v[1].status, TS_FAIL); /* no sources to look in */
	cr_assert(strstr(rep.v[1].message, "not available"), "%s", rep.v[1].message);
	test_report_free(&rep);
	tbl_free(t);
}

Test(refs, value_sets_across_types_and_pools)
{
	strpool other;
	sp_init(&other);
	const int64_t nums[] = {7, 8, INT_NULL};
	mm_table *ints = int_table("ints", "n", nums, 3);
	mm_table *strs = tbl_new("strs", &other);
	int c = tbl_add_col(strs, "s", T_STR);
	const char *sv[] = {"7", "9", "8"};
	for (int i = 0; i < 3; i++)
		tbl_set_str(strs, c, tbl_add_row(strs), sv[i]);

	value_set vs;
	value_set_build(&vs, ints, 0, T_STR); /* text cells against an integer column */
	cr_assert(value_set_has(&vs, strs, c, 0));
	cr_assert_not(value_set_has(&vs, strs, c, 1));
	cr_assert(value_set_has(&vs, strs, c, 2));
	value_set_free(&vs);

	const char *pv[] = {"9", "10"};
	mm_table *mine = str_table("mine", "s", pv, 2);
	value_set_build(&vs, strs, c, T_STR); /* same type, different pools */
	cr_assert(value_set_has(&vs, mine, 0, 0));
	cr_assert_not(value_set_has(&vs, mine, 0, 1));
	value_set_free(&vs);

	value_set_build(&vs, ints, 0, T_INT);
	cr_assert(value_set_has(&vs, ints, 0, 1));
	value_set_free(&vs);

	tbl_free(ints);
	tbl_free(strs);
	tbl_free(mine);
	sp_free(&other);
}

/* ---- compiled declarations ---- */

Test(compiled, the_kinds_come_from_one_table)
{
	const char *names[] = {"unique", "not_null", "accepted", "ref", "range", "expr"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const test_kind *k = test_kind_find(names[i], strlen(names[i]));
		cr_assert_not_null(k, "%s", names[i]);
		cr_assert_str_eq(k->name, names[i]);
		cr_assert_not_null(k->run);
	}
	cr_assert_null(test_kind_find("uniq", 4));
	cr_assert_null(test_kind_find("unique", 5), "a prefix is not a kind");
	cr_assert_str_eq(test_kind_names(), "unique, not_null, accepted, ref, range or expr");
}

Test(compiled, every_registry_test_once_in_declaration_order)
{
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		int n;
		const model_test *v = model_tests(i, &n);
		int again;
		cr_assert_eq(model_tests(i, &again), v, "compiled once");
		int k = 0;
		size_t len;
		/* Column tests first, in column order, then the model's. */
		for (int c = 0; c < m->ncols; c++)
			for (const char *p = m->cols[c].tests, *tok; p && (tok = test_spec_next(&p, &len)); k++) {
				cr_assert_lt(k, n, "%s", m->name);
				cr_assert_eq(v[k].column, c);
				cr_assert_eq(v[k].model, i);
				cr_assert_eq(strlen(v[k].text), len);
				cr_assert(!strncmp(v[k].text, tok, len));
			}
		for (const char *const *e = m->tests; e && *e; e++)
			for (const char *p = *e, *tok; (tok = test_spec_next(&p, &len)); k++) {
				cr_assert_lt(k, n, "%s", m->name);
				cr_assert_eq(v[k].column, -1);
				cr_assert_null(v[k].colname);
			}
		cr_assert_eq(k, n, "%s: %d compiled, %d declared", m->name, n, k);
		for (k = 0; k < n; k++) {
			cr_assert_null(v[k].parse_error, "%s: %s", m->name, v[k].text);
			cr_assert_null(v[k].problem, "%s: %s: %s", m->name, v[k].text, v[k].problem);
			char *name = test_spec_name(&v[k].spec, v[k].colname);
			cr_assert_str_eq(v[k].name, name);
			free(name);
		}
	}
}

Test(compiled, a_declaration_outside_the_registry_is_compiled_on_its_own)
{
	static const model_col cols[] = {
		{"a", T_INT, "", "not_null nonsense", "", CR_EXACT},
		{"b", T_INT, "", "range(0..)", "", CR_EXACT},
	};
	static const char *const tests[] = {"expr(a <= b)", "expr(a <= ghost)", NULL};
	static const model_def m = {"chk_own", LAYER_STAGING, "", NULL, cols, 2, tests, NULL, 0};
	test_list own;
	int n;
	const model_test *v = model_def_tests(&m, &own, &n);
	cr_assert_eq(n, 5);
	cr_assert_eq(v, own.v);
	cr_assert_str_eq(v[0].name, "not_null(a)");
	cr_assert_eq(v[0].model, -1);
	cr_assert_str_eq(v[1].name, "nonsense");
	cr_assert(v[1].parse_error && strstr(v[1].parse_error, "unknown test"));
	cr_assert_str_eq(v[2].name, "range(b, 0..)");
	cr_assert_eq(v[2].column, 1);
	cr_assert_str_eq(v[3].name, "expr(a <= b)");
	cr_assert_null(v[3].problem);
	cr_assert(v[4].problem && strstr(v[4].problem, "'ghost'"), "%s", v[4].problem);
	test_list_free(&own);

	if (model_total() > 0) {
		v = model_def_tests(model_at(0), &own, &n);
		cr_assert_eq(own.n, 0, "a registry declaration uses the registry's tests");
		int m0;
		cr_assert_eq(v, model_tests(0, &m0));
		test_list_free(&own);
	}
}

/* ---- validation of declarations ---- */

Test(validate, a_good_declaration_has_no_problems)
{
	static const char *const up[] = {"patients", NULL};
	static const model_col cols[] = {
		{"patient_id", T_STR, "", "unique not_null ref(patients.Id)", "", CR_ID},
		{"sex", T_STR, "", "accepted(Male|Female)", "", CR_CODE},
		{"age", T_INT, "", "warn:range(0..120)@1%", "", CR_EVENTS},
		{"born", T_DATE, "", "range(1900-01-01..)", "", CR_DATE},
		{"died", T_DATE, "", "", "", CR_DATE},
		{"flag", T_BOOL, "", "accepted(true|false)", "", CR_FLAG},
	};
	static const char *const tests[] = {"expr(died >= born)", "unique(patient_id, born)", NULL};
	static const model_def m = {"chk_good", LAYER_STAGING, "", up, cols, 6, tests, NULL, 0};
	int n;
	char *err = validate(&m, &n);
	cr_assert_eq(n, 0, "%s", err);
	cr_assert_str_eq(err, "");
	free(err);
}

Test(validate, reports_each_problem)
{
	static const char *const up[] = {"patients", NULL};
	static const model_col cols[] = {
		{"patient_id", T_STR, "", "uniq ref(patients.NOPE) ref(nowhere.x) range(0..9)", "", CR_ID},
		{"age", T_INT, "", "range(0..old) accepted(one|two) expr(age > 0) not_null not_null", "", CR_EVENTS},
	};
	static const char *const tests[] = {"expr(age >= missing)", "expr(patient_id > age)", "not_null",
					    "unique(patient_id, ghost)", NULL};
	static const model_def m = {"chk_bad", LAYER_STAGING, "", up, cols, 2, tests, NULL, 0};
	int n;
	char *err = validate(&m, &n);
	cr_assert_eq(n, 12, "%s", err);
	cr_assert(strstr(err, "medimart: model chk_bad: error: column chk_bad.patient_id: uniq: unknown test"), "%s", err);
	cr_assert(strstr(err, "has no column 'NOPE'"), "%s", err);
	cr_assert(strstr(err, "no model or source named 'nowhere'"), "%s", err);
	cr_assert(strstr(err, "range does not apply to text"), "%s", err);
	cr_assert(strstr(err, "'old' is not a valid integer"), "%s", err);
	cr_assert(strstr(err, "'one' is not a valid integer"), "%s", err);
	cr_assert(strstr(err, "model-level test"), "%s", err);
	cr_assert(strstr(err, "column chk_bad.age: not_null: declared twice"), "%s", err);
	cr_assert(strstr(err, "test expr(age >= missing): 'missing' is neither a column"), "%s", err);
	cr_assert(strstr(err, "compares text"), "%s", err);
	cr_assert(strstr(err, "test not_null: this is a column test"), "%s", err);
	cr_assert(strstr(err, "no column 'ghost'"), "%s", err);
	free(err);
}

Test(validate, the_registry)
{
	/* Whatever models are declared, their tests must be valid. */
	int n;
	th_capture cap;
	cr_assert_eq(th_capture_start(&cap), 0);
	n = check_validate_registry();
	char *err = th_capture_end(&cap);
	cr_assert_eq(n, 0, "%s", err);
	free(err);
}

Test(validate, ref_targets_must_be_upstream)
{
	if (model_total() < 2)
		cr_skip_test("needs two registered models");
	/* A model declared after this hand-made one is not upstream of it. */
	const model_def *later = model_at(model_total() - 1);
	char spec[256];
	snprintf(spec, sizeof spec, "ref(%s.%s)", later->name, later->cols[0].name);
	model_col cols[] = {{"x", later->cols[0].type, "", spec, "", later->cols[0].role}};
	model_def m = {"chk_up", LAYER_STAGING, "", NULL, cols, 1, NULL, NULL, 0};
	int n;
	char *err = validate(&m, &n);
	cr_assert_eq(n, 1, "%s", err);
	cr_assert(strstr(err, "is not upstream of chk_up"), "%s", err);
	free(err);
}

/* ---- source checks ---- */

static mm_table *make_source(sources *s, int id)
{
	const src_table *d = &source_tables[id];
	mm_table *t = tbl_new(d->name, &s->sp);
	for (int k = 0; k < d->ncols; k++)
		tbl_add_col(t, d->cols[k].name, d->cols[k].type);
	s->t[id] = t;
	s->st[id].present = 1;
	return t;
}

Test(sources, counts_rejects_freshness_and_codes)
{
	sources s;
	memset(&s, 0, sizeof s);
	sp_init(&s.sp);
	for (int i = 0; i < SRC_COUNT; i++)
		if (source_tables[i].required_file)
			make_source(&s, i);
	/* patients: one row and two rejects; conditions: empty (required). */
	mm_table *p = s.t[SRC_PATIENTS];
	tbl_set_str(p, tbl_col(p, "Id"), tbl_add_row(p), "p1");
	s.st[SRC_PATIENTS].rows = 1;
	s.st[SRC_PATIENTS].nrejects = 2;
	char reason[] = "not a date";
	reject rj = {7, 2, "BIRTHDATE", reason};
	s.st[SRC_PATIENTS].rejects = &rj;
	s.st[SRC_PATIENTS].nkept = 1;
	/* encounters: latest START 40 days before census. */
	int32_t census = day("2025-09-30");
	mm_table *e = s.t[SRC_ENCOUNTERS];
	tbl_set_ts(e, tbl_col(e, "START"), tbl_add_row(e), (int64_t)(census - 40) * 86400 + 3600);
	/* waiting list: fresh, one unmapped treatment function twice. */
	mm_table *w = make_source(&s, SRC_WAITING_LIST), *tf = s.t[SEED_TREATMENT_FUNCTIONS];
	tbl_set_str(tf, tbl_col(tf, "CODE"), tbl_add_row(tf), "110");
	const char *wtf[] = {"110", "999", "999"};
	for (int i = 0; i < 3; i++) {
		size_t r = tbl_add_row(w);
		tbl_set_str(w, tbl_col(w, "TREATMENT_FUNCTION"), r, wtf[i]);
		tbl_set_date(w, tbl_col(w, "REFERRAL_DATE"), r, census - 3);
	}
	/* appointments: cancellation reasons, empty ones not counted. */
	mm_table *a = make_source(&s, SRC_APPOINTMENTS), *cr = s.t[SEED_CANCELLATION_REASONS];
	tbl_set_str(cr, tbl_col(cr, "CODE"), tbl_add_row(cr), "PT01");
	const char *reasons[] = {"PT01", NULL, "ZZ", NULL};
	for (int i = 0; i < 4; i++) {
		size_t r = tbl_add_row(a);
		if (reasons[i])
			tbl_set_str(a, tbl_col(a, "CANCELLATION_REASON"), r, reasons[i]);
		tbl_set_ts(a, tbl_col(a, "BOOKED_AT"), r, (int64_t)(census + 2) * 86400);
	}
	/* procedures: one of two is elective. */
	mm_table *pr = s.t[SRC_PROCEDURES], *ep = s.t[SEED_ELECTIVE_PROCEDURES];
	tbl_set_str(ep, tbl_col(ep, "SNOMED_CODE"), tbl_add_row(ep), "123");
	tbl_set_str(pr, tbl_col(pr, "CODE"), tbl_add_row(pr), "123");
	tbl_set_str(pr, tbl_col(pr, "CODE"), tbl_add_row(pr), "456");

	run_ctx ctx = {.src = &s, .sp = &s.sp, .census = census};
	test_report rep = {0};
	check_sources(&ctx, &rep);

	const test_result *r = find(&rep, "patients", "row_count");
	cr_assert_eq(r->status, TS_PASS);
	cr_assert_str_eq(r->message, "1 rows");
	cr_assert(r->source_check);
	r = find(&rep, "conditions", "row_count");
	cr_assert_eq(r->status, TS_FAIL);
	cr_assert_eq(r->severity, SEV_ERROR);
	r = find(&rep, "careplans", "row_count");
	cr_assert_eq(r->status, TS_PASS);
	cr_assert_str_eq(r->message, "absent (optional)");
	r = find(&rep, "patients", "rejects");
	cr_assert_eq(r->status, TS_WARN);
	cr_assert_eq(r->failures, 2);
	cr_assert_str_eq(r->message, "2 rows rejected; first: line 7, BIRTHDATE: not a date");
	r = find(&rep, "encounters", "freshness(START)");
	cr_assert_eq(r->status, TS_WARN);
	cr_assert_str_eq(r->message, "latest 2025-08-21, 40 days before census");
	r = find(&rep, "waiting_list", "freshness(REFERRAL_DATE)");
	cr_assert_eq(r->status, TS_PASS);
	cr_assert_str_eq(r->message, "latest 2025-09-27, 3 days before census");
	r = find(&rep, "appointments", "freshness(BOOKED_AT)");
	cr_assert_str_eq(r->message, "latest 2025-10-02, 2 days after census");
	r = find(&rep, "waiting_list", "mapped(TREATMENT_FUNCTION -> treatment_functions.CODE)");
	cr_assert_eq(r->status, TS_WARN);
	cr_assert_eq(r->failures, 2);
	cr_assert_eq(r->failing_rows[0], 1);
	cr_assert_str_eq(r->message, "2 rows with 1 code not in treatment_functions, e.g. '999'");
	r = find(&rep, "appointments", "mapped(CANCELLATION_REASON -> cancellation_reasons.CODE)");
	cr_assert_eq(r->failures, 1);
	cr_assert_eq(r->failing_rows[0], 2);
	r = find(&rep, "procedures", "elective(CODE -> elective_procedures.SNOMED_CODE)");
	cr_assert_eq(r->status, TS_PASS);
	cr_assert_str_eq(r->message, "1 of 2 procedures (50.0%) are elective");
	for (size_t i = 0; i < rep.n; i++)
		cr_assert(strcmp(rep.v[i].model, "careplans") || !strcmp(rep.v[i].name, "row_count"),
			  "an absent table gets its row count only");

	test_report_free(&rep);
	s.st[SRC_PATIENTS].rejects = NULL;
	for (int i = 0; i < SRC_COUNT; i++)
		tbl_free(s.t[i]);
	sp_free(&s.sp);
}

/* ---- report outputs ---- */

static char *capture_print(const test_report *rep)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	test_report_print(rep, f, 0);
	fclose(f);
	return buf;
}

Test(report, text_lines_and_summary)
{
	test_report rep = {0};
	test_result *r = test_report_add(&rep);
	r->model = "stg_patients";
	r->name = strdup("not_null(patient_id)");
	r = test_report_add(&rep);
	r->model = "stg_pathways";
	r->name = strdup("range(wait_days, 0..)");
	r->status = TS_WARN;
	r->failures = 12;
	r = test_report_add(&rep);
	r->model = "stg_pathways";
	r->name = strdup("unique(pathway_id)");
	r->status = TS_FAIL;
	r->failures = 1;
	r = test_report_add(&rep);
	r->model = "careplans";
	r->name = strdup("row_count");
	r->source_check = 1;
	r->message = strdup("absent (optional)");
	char *out = capture_print(&rep);
	cr_assert_str_eq(out, "PASS  not_null(patient_id) on stg_patients\n"
			      "WARN  range(wait_days, 0..) on stg_pathways (12 rows)\n"
			      "FAIL  unique(pathway_id) on stg_pathways (1 row)\n"
			      "PASS  row_count on careplans: absent (optional)\n"
			      "2 passed, 1 failed, 1 warning\n");
	free(out);
	cr_assert_eq(test_report_count(&rep, TS_PASS), 2);
	/* Quiet: only what is not a pass, then the summary. */
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	test_report_print(&rep, f, 1);
	fclose(f);
	cr_assert_str_eq(buf, "WARN  range(wait_days, 0..) on stg_pathways (12 rows)\n"
			      "FAIL  unique(pathway_id) on stg_pathways (1 row)\n"
			      "2 passed, 1 failed, 1 warning\n");
	free(buf);
	/* A failure with its example and the file of its rows. */
	rep.v[2].message = strdup("1 row shares a value with another row, e.g. 'W1'");
	rep.v[2].failures_file = strdup("target/test_failures/stg_pathways__unique_pathway_id.csv");
	out = capture_print(&rep);
	cr_assert(strstr(out, "FAIL  unique(pathway_id) on stg_pathways (1 row): 1 row shares a value with another "
			      "row, e.g. 'W1'; rows in target/test_failures/stg_pathways__unique_pathway_id.csv\n"),
		  "%s", out);
	free(out);
	rep.v[1].status = TS_PASS;
	out = capture_print(&rep);
	cr_assert(strstr(out, "\n3 passed, 1 failed\n"), "%s", out);
	free(out);
	test_report_free(&rep);
}

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	esc_json_file(f, s, 0);
	fclose(f);
	return buf;
}

Test(report, json_escaping)
{
	struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "\"plain\""},
		{"q\"b\\s/", "\"q\\\"b\\\\s/\""},
		{"a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\""},
		{"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
		{"bad\xff\xc3(\xed\xa0\x80x", "\"bad\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffdx\""},
		{"cut\xe2\x82", "\"cut\\ufffd\\ufffd\""},
		{NULL, "\"\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *j = json_of(cases[i].in);
		cr_assert_str_eq(j, cases[i].out, "case %zu", i);
		free(j);
	}
}

Test(report, json_array)
{
	test_report rep = {0};
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	cr_assert_eq(test_report_write_json(&rep, NULL, f), 0);
	fclose(f);
	cr_assert_str_eq(buf, "[]");
	free(buf);

	test_result *r = test_report_add(&rep);
	r->model = "m";
	r->name = strdup("accepted(sex)");
	r->column = "sex";
	r->severity = SEV_WARN;
	r->status = TS_WARN;
	r->rows = 10;
	test_result_fail_row(r, 3);
	test_result_fail_row(r, 8);
	r->message = strdup("2 rows hold a value not accepted, e.g. 'a\"b'");
	r = test_report_add(&rep);
	r->model = "m";
	r->name = strdup("expr(a >= b)");
	r->rows = 10;
	f = open_memstream(&buf, &n);
	cr_assert_eq(test_report_write_json(&rep, NULL, f), 0);
	fclose(f);
	cr_assert_str_eq(buf,
			 "[\n    {\"model\": \"m\", \"test\": \"accepted(sex)\", \"column\": \"sex\", \"severity\": \"warn\", "
			 "\"status\": \"warn\", \"rows\": 10, \"failures\": 2, \"message\": \"2 rows hold a value not "
			 "accepted, e.g. 'a\\\"b'\", \"failing_rows\": [3, 8]},\n"
			 "    {\"model\": \"m\", \"test\": \"expr(a >= b)\", \"column\": null, \"severity\": \"error\", "
			 "\"status\": \"pass\", \"rows\": 10, \"failures\": 0, \"message\": null, \"failing_rows\": []}\n  ]");
	free(buf);
	test_report_free(&rep);
}

Test(report, file_names)
{
	struct {
		const char *in, *out;
	} cases[] = {
		{"not_null(patient_id)", "not_null_patient_id"},
		{"expr(clock_stop_date >= clock_start_date)", "expr_clock_stop_date_ge_clock_start_date"},
		{"expr(a > 0)", "expr_a_gt_0"},
		{"ref(patient_id -> stg_patients.patient_id)", "ref_patient_id_in_stg_patients.patient_id"},
		{"range(wait_days, 0..3650)", "range_wait_days_0_to_3650"},
		{"range(p, ..0.5)", "range_p_to_0.5"},
		{"unique(site_id, week_start)", "unique_site_id_week_start"},
		{"row_count", "row_count"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = test_file_name(cases[i].in);
		cr_assert_str_eq(s, cases[i].out);
		free(s);
	}
}

Test(report, failure_csvs_for_analysts)
{
	/* A hand-made model named like a source resolves to that source table. */
	sources src;
	memset(&src, 0, sizeof src);
	sp_init(&src.sp);
	mm_table *t = tbl_new("patients", &src.sp);
	int id = tbl_add_col(t, "Id", T_STR), n = tbl_add_col(t, "N", T_INT);
	const char *ids[] = {"a", "b, \"quoted\"", "a", "c"};
	for (int i = 0; i < 4; i++) {
		size_t r = tbl_add_row(t);
		tbl_set_str(t, id, r, ids[i]);
		if (i != 3)
			tbl_set_int(t, n, r, i);
	}
	src.t[SRC_PATIENTS] = t;
	run_ctx ctx = {.src = &src, .sp = &src.sp};
	static const model_col cols[] = {
		{"Id", T_STR, "", "unique warn:accepted(a|c)", "", CR_CODE},
		{"N", T_INT, "", "not_null@1", "", CR_EVENTS},
	};
	static const char *const tests[] = {"warn:expr(N > 0)", "expr(Id == Id)", NULL};
	static const model_def m = {"patients", LAYER_STAGING, "", NULL, cols, 2, tests, NULL, 0};
	test_report rep = {0};
	check_table(&ctx, &m, t, &rep);

	char *dir = th_mkdtemp("check");
	char *sub = th_path(dir, "test_failures");
	cr_assert_eq(mkdir(sub, 0777), 0);
	char *stale = th_path(sub, "old__gone.csv");
	cr_assert_eq(th_write_file(stale, "x\n", 2), 0);
	cr_assert_eq(test_report_write_failures_csv(&rep, &ctx, sub), 0);
	cr_assert_not(th_exists(stale), "files of earlier runs are removed");

	char *p = th_path(sub, "patients__unique_Id.csv");
	char *csv = th_read_file(p, NULL);
	cr_assert_not_null(csv);
	cr_assert_str_eq(csv, "Id,N\na,0\na,2\n");
	free(csv);
	free(p);
	p = th_path(sub, "patients__accepted_Id.csv");
	csv = th_read_file(p, NULL);
	cr_assert_str_eq(csv, "Id,N\n\"b, \"\"quoted\"\"\",1\n");
	free(csv);
	free(p);
	p = th_path(sub, "patients__expr_N_gt_0.csv");
	csv = th_read_file(p, NULL);
	cr_assert_str_eq(csv, "Id,N\na,0\n");
	free(csv);
	free(p);
	/* Passing tests (not_null within tolerance, expr(Id == Id)) write nothing. */
	p = th_path(sub, "patients__not_null_N.csv");
	cr_assert_not(th_exists(p));
	free(p);

	test_report_free(&rep);
	th_rmtree(dir);
	free(stale);
	free(sub);
	free(dir);
	tbl_free(t);
	sp_free(&src.sp);
}
