/* The site's search index (string escaping, every model and column in it,
 * same bytes every run) and the data-tests page (order, counts, links,
 * escaping, declared tests that did not run). */
#include <criterion/criterion.h>
#include <string.h>
#include "check/check.h"
#include "registry/model.h"
#include "site/search.h"
#include "site/testspage.h"
#include "util/xalloc.h"

static char *js(const char *s)
{
	buf b = {0};
	search_js_str(&b, s);
	return b.s;
}

static void expect_js(const char *in, const char *want)
{
	char *got = js(in);
	cr_expect_str_eq(got, want);
	free(got);
}

Test(search, js_string_escaping)
{
	expect_js(NULL, "\"\"");
	expect_js("plain text", "\"plain text\"");
	expect_js("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
	expect_js("a\nb\tc\rd\x01", "\"a\\nb\\tc\\rd\\u0001\"");
	expect_js("</script><b>", "\"\\u003c/script>\\u003cb>\"");
	expect_js("caf\xc3\xa9 \xe2\x80\x94 ok", "\"caf\xc3\xa9 \xe2\x80\x94 ok\"");
	expect_js("line\xe2\x80\xa8sep\xe2\x80\xa9", "\"line\\u2028sep\\u2029\"");
	/* A stray continuation byte, a truncated sequence, an overlong '/'
	 * and an encoded surrogate each become U+FFFD per byte. */
	expect_js("a\x80z", "\"a\\ufffdz\"");
	expect_js("a\xc3", "\"a\\ufffd\"");
	expect_js("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	expect_js("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
}

static char *index_js(void)
{
	search_page pages[] = {{"Overdue cases", "overdue.html"}, {"Quotes \" and <tags>", "x.html"}};
	buf b = {0};
	search_index_js(&b, pages, 2, 1);
	return b.s;
}

Test(search, index_has_every_model_and_column)
{
	char *s = index_js();
	char want[512];
	cr_assert(!strncmp(s, "/*", 2));
	cr_expect(strstr(s, "window.MEDIMART_SEARCH = [\n") != NULL);
	cr_expect(strstr(s, "[\"page\",\"Overdue cases\",\"\",\"\",\"overdue.html\"],\n") != NULL);
	cr_expect(strstr(s, "[\"page\",\"Quotes \\\" and \\u003ctags>\",") != NULL);
	cr_assert(model_total() > 10);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		snprintf(want, sizeof want, "[\"model\",\"%s\",\"%s\",", m->name, layer_name(m->layer));
		cr_expect(strstr(s, want) != NULL, "no entry for model %s", m->name);
		for (int c = 0; c < m->ncols; c++) {
			snprintf(want, sizeof want, "[\"column\",\"%s\",\"%s\",", m->cols[c].name, m->name);
			cr_expect(strstr(s, want) != NULL, "no entry for column %s of %s", m->cols[c].name, m->name);
			snprintf(want, sizeof want, "\"models/%s.html#col-%s\"]", m->name, m->cols[c].name);
			cr_expect(strstr(s, want) != NULL, "no link to column %s of %s", m->cols[c].name, m->name);
		}
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		snprintf(want, sizeof want, "[\"source\",\"%s\",\"%s\",", source_tables[i].name, source_tables[i].file);
		cr_expect(strstr(s, want) != NULL, "no entry for input file %s", source_tables[i].name);
	}
	cr_expect(strstr(s, "[\"column\",\"risk_tier\",\"fct_overdue_cases\",") != NULL);
	size_t n = strlen(s);
	cr_expect(n > 5 && !strcmp(s + n - 3, "];\n"));
	free(s);
}

Test(search, index_is_the_same_every_time)
{
	char *a = index_js(), *b = index_js();
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
}

Test(search, index_without_docs_lists_pages_only)
{
	search_page pages[] = {{"Home", "index.html"}};
	buf b = {0};
	search_index_js(&b, pages, 1, 0);
	cr_expect(strstr(b.s, "[\"page\",\"Home\",") != NULL);
	cr_expect(strstr(b.s, "\"model\"") == NULL);
	cr_expect(strstr(b.s, "\"column\"") == NULL);
	buf_free(&b);
}

/* ---- The data-tests page ---- */

static test_result *result(test_report *rep, const char *model, const char *name, const char *column,
			   test_status st, size_t failures, const char *msg)
{
	test_result *r = test_report_add(rep);
	r->model = model;
	r->name = xstrdup(name);
	r->column = column;
	r->status = st;
	r->severity = st == TS_WARN ? SEV_WARN : SEV_ERROR;
	r->rows = 100;
	r->failures = failures;
	if (msg)
		test_result_message(r, "%s", msg);
	return r;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Every test the registry declares, by test_spec_next. */
static size_t declared_tests(void)
{
	size_t n = 0, len;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		for (int c = 0; c < m->ncols; c++)
			for (const char *p = m->cols[c].tests; p && test_spec_next(&p, &len);)
				n++;
		for (const char *const *e = m->tests; e && *e; e++)
			for (const char *p = *e; test_spec_next(&p, &len);)
				n++;
	}
	return n;
}

/* The name the test runner gives the first test declared on a column of m. */
static char *first_column_test(const model_def *m, const char **column)
{
	for (int c = 0; c < m->ncols; c++) {
		const char *p = m->cols[c].tests;
		size_t len;
		const char *tok = p ? test_spec_next(&p, &len) : NULL;
		if (!tok)
			continue;
		test_spec s;
		char err[200];
		cr_assert_eq(test_spec_parse(tok, len, &s, err, sizeof err), 0, "%s", err);
		*column = m->cols[c].name;
		char *name = test_spec_name(&s, m->cols[c].name);
		test_spec_free(&s);
		return name;
	}
	return NULL;
}

Test(search, tests_page_orders_counts_links_and_escapes)
{
	const model_def *m = model_find("fct_overdue_cases");
	cr_assert_not_null(m);
	const char *col = NULL;
	char *name = first_column_test(m, &col);
	cr_assert_not_null(name);
	test_report rep = {0};
	result(&rep, "patients", "freshness(BIRTHDATE)", "BIRTHDATE", TS_PASS, 0, "latest 2025-09-30")->source_check = 1;
	result(&rep, m->name, name, col, TS_PASS, 0, NULL);
	result(&rep, m->name, "expr(a <= b)", NULL, TS_WARN, 7, "7 rows <b>bold</b>, e.g. 'P-123'");
	/* Names no declaration gives, so that only the second result matches one. */
	result(&rep, m->name, "unique(trust_code) [made up]", "trust_code", TS_FAIL, 3, "3 rows are null & <i>empty</i>");

	buf b = {0};
	testspage_opts o = {&rep, 1, 1};
	testspage_body(&b, &o);
	const char *s = b.s;
	/* Failed, then warnings, then the tests that did not run, then passed. */
	const char *fail = strstr(s, "status-fail\">Fail"), *warn = strstr(s, "status-warning\">Warning"),
		   *notrun = strstr(s, "status-not-run\">Not run"), *pass = strstr(s, "status-pass\">Pass");
	cr_assert(fail && warn && notrun && pass);
	cr_expect(fail < warn && warn < notrun && notrun < pass);
	/* Every declared test is listed once: one ran, the others did not;
	 * and the three other results. */
	size_t declared = declared_tests();
	cr_expect_eq(count(s, "status-not-run\">"), declared - 1);
	cr_expect_eq(count(s, "<tr><td data-sort="), declared + 3);
	char want[256];
	snprintf(want, sizeof want, "All %zu data tests", declared + 3);
	cr_expect(strstr(s, want) != NULL);
	cr_expect(strstr(s, "<p class=\"kpi-label\">Failed</p><p class=\"kpi-value\">1</p>") != NULL);
	cr_expect(strstr(s, "<p class=\"kpi-label\">Warnings</p><p class=\"kpi-value\">1</p>") != NULL);
	cr_expect(strstr(s, "<p class=\"kpi-label\">Passed</p><p class=\"kpi-value\">2</p>") != NULL);
	/* Links to the model, the column row and the input file's page. */
	cr_expect(strstr(s, "<a href=\"models/fct_overdue_cases.html#col-trust_code\">") != NULL);
	cr_expect(strstr(s, "<a href=\"models/fct_overdue_cases.html\">") != NULL);
	cr_expect(strstr(s, "<a href=\"sources/patients.html#col-BIRTHDATE\">") != NULL);
	cr_expect(strstr(s, "<td class=\"num\" data-sort=\"7\">7</td>") != NULL);
	/* Messages are text. */
	cr_expect(strstr(s, "null &amp; &lt;i&gt;empty&lt;/i&gt;") != NULL);
	cr_expect(strstr(s, "<i>") == NULL && strstr(s, "<b>") == NULL);
	cr_expect(strstr(s, "P-123") != NULL, "the clinical page keeps the example");
	buf_free(&b);

	/* The board's page cuts the example value. */
	memset(&b, 0, sizeof b);
	o.clinical = 0;
	testspage_body(&b, &o);
	cr_expect(strstr(b.s, "P-123") == NULL);
	cr_expect(strstr(b.s, "7 rows &lt;b&gt;bold&lt;/b&gt;</td>") != NULL);
	buf_free(&b);

	/* Without model pages nothing links. */
	memset(&b, 0, sizeof b);
	o.links = 0;
	testspage_body(&b, &o);
	cr_expect(strstr(b.s, "<a href") == NULL);
	buf_free(&b);
	free(name);
	test_report_free(&rep);
}
