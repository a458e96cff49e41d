/* Template renderer: error positions, disclosure control, escaping, and
 * what the board audience may see. The golden pages of the fixture
 * templates are the case folders under tests/cases/template/, run by
 * tests/test_cases.c from the same data as CSV (tests/fixtures/template_data). */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "kpi_decl.h"
#include "models/rules/risk_rules.h"
#include "registry/disclosure.h"
#include "out/html/html.h"
#include "query/query.h"
#include "site/site.h"
#include "template/template.h"
#include "util/date.h"

#define FIX "tests/fixtures/template_basic"
#define ERR "tests/fixtures/template_errors"

/* ---- A tiny data set: 20 pathways in two Trusts, and two KPIs ---- */

static strpool sp;
static mm_table *cases, *kpis, *by_trust;
static tpl_catalog cat;

/* Declarations make them marts, so that they are offered as downloads. */
static const model_col case_cols[] = {
	{"patient_id", T_STR, "Patient", "", "", CR_ID}, {"trust_code", T_STR, "Trust", "", "", CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "", CR_GEO}, {"specialty", T_STR, "Specialty", "", "", CR_CODE},
	{"wait_weeks", T_INT, "Weeks waited", "", "", CR_WEEKS}, {"is_overdue", T_BOOL, "Overdue", "", "", CR_FLAG},
};
static const model_def case_def = {"fct_cases", LAYER_MART, "Open pathways", NULL, case_cols, 6, NULL, NULL,
	MODEL_PATIENT_LEVEL};
static const model_col trust_cols[] = {
	{"trust_code", T_STR, "Trust", "", "", CR_GEO}, {"trust_name", T_STR, "Trust name", "", "", CR_GEO},
	{"pathways", T_INT, "Open pathways", "", "", CR_PERSONS}, {"overdue", T_INT, "Overdue pathways", "", "", CR_PERSONS},
};
static const model_def trust_def = {"fct_by_trust", LAYER_MART, "Pathways by Trust", NULL, trust_cols, 4, NULL, NULL, 0};

static const struct {
	const char *patient, *trust, *name, *specialty;
	int weeks, overdue;
} rows[] = {
	{"P-A01", "T1", "Alpha Trust", "Ortho", 3, 0},   {"P-A02", "T1", "Alpha Trust", "Ortho", 30, 1},
	{"P-A03", "T1", "Alpha Trust", "Ortho", 40, 1},  {"P-A04", "T1", "Alpha Trust", "Ortho", 52, 1},
	{"P-A05", "T1", "Alpha Trust", "Ortho", 20, 1},  {"P-A06", "T1", "Alpha Trust", "Urology", 5, 0},
	{"P-A07", "T1", "Alpha Trust", "Urology", 25, 1}, {"P-A08", "T1", "Alpha Trust", "Urology", 26, 1},
	{"P-A09", "T1", "Alpha Trust", "Urology", 27, 1}, {"P-A10", "T1", "Alpha Trust", "Urology", 28, 1},
	{"P-A11", "T1", "Alpha Trust", "Ortho", 1, 0},   {"P-A12", "T1", "Alpha Trust", "Ortho", 2, 0},
	{"P-B01", "T2", "Beta <script>alert(1)</script> Trust", "Ortho", 10, 0},
	{"P-B02", "T2", "Beta <script>alert(1)</script> Trust", "Ortho", 19, 1},
	{"P-B03", "T2", "Beta <script>alert(1)</script> Trust", "Ortho", 22, 1},
	{"P-B04", "T2", "Beta <script>alert(1)</script> Trust", "Urology", 4, 0},
	{"P-B05", "T2", "Beta <script>alert(1)</script> Trust", "Urology", 6, 0},
	{"P-B06", "T2", "Beta <script>alert(1)</script> Trust", "Urology", 60, 1},
	{"P-B07", "T2", "Beta <script>alert(1)</script> Trust", "Urology", 7, 0},
	{"P-B08", "T2", "Beta <script>alert(1)</script> Trust", "Urology", 8, 0},
};

static void setup(void)
{
	sp_init(&sp);
	cases = tbl_new("fct_cases", &sp);
	int cp = tbl_add_col(cases, "patient_id", T_STR), ct = tbl_add_col(cases, "trust_code", T_STR),
	    cn = tbl_add_col(cases, "trust_name", T_STR), cs = tbl_add_col(cases, "specialty", T_STR),
	    cw = tbl_add_col(cases, "wait_weeks", T_INT), co = tbl_add_col(cases, "is_overdue", T_BOOL);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t r = tbl_add_row(cases);
		tbl_set_str(cases, cp, r, rows[i].patient);
		tbl_set_str(cases, ct, r, rows[i].trust);
		tbl_set_str(cases, cn, r, rows[i].name);
		tbl_set_str(cases, cs, r, rows[i].specialty);
		tbl_set_int(cases, cw, r, rows[i].weeks);
		tbl_set_bool(cases, co, r, rows[i].overdue);
	}
	by_trust = tbl_new("fct_by_trust", &sp);
	for (int c = 0; c < 4; c++)
		tbl_add_col(by_trust, trust_cols[c].name, trust_cols[c].type);
	for (int k = 0; k < 2; k++) {
		size_t r = tbl_add_row(by_trust);
		tbl_set_str(by_trust, 0, r, k ? "T2" : "T1");
		tbl_set_str(by_trust, 1, r, k ? rows[12].name : rows[0].name);
		tbl_set_int(by_trust, 2, r, k ? 8 : 12);
		tbl_set_int(by_trust, 3, r, k ? 3 : 8);
	}
	kpis = th_kpi_table(&sp);
	th_kpi_row(kpis, "pct_within", "Waiting 18 weeks or less", 45.0, "percent", 92, "higher_better", "red", "Share within 18 weeks.");
	th_kpi_row(kpis, "overdue", "Overdue cases", 11, "count", 0, "lower_better", "red", "Pathways past their target.");
	memset(&cat, 0, sizeof cat);
	cat.census = days_from_civil(2025, 9, 30);
	cat.has_capacity = 1;
	tpl_catalog_add(&cat, "fct_cases", "Open pathways", cases, &case_def);
	tpl_catalog_add(&cat, "fct_by_trust", "Pathways by Trust", by_trust, &trust_def);
	tpl_catalog_add(&cat, "kpi_summary", "KPIs", kpis, &th_kpi_def);
}

static void teardown(void)
{
	tpl_catalog_free(&cat);
	tbl_free(cases);
	tbl_free(kpis);
	tbl_free(by_trust);
	sp_free(&sp);
}

TestSuite(template, .init = setup, .fini = teardown);

static char *render(int clinical)
{
	cat.clinical = clinical;
	char *dir = th_mkdtemp(clinical ? "tpl-clinical" : "tpl-board");
	site_opts o = {.templates_dir = FIX, .out_dir = dir, .downloads = 1};
	cr_assert_eq(site_render_catalog(&cat, &o), 0);
	return dir;
}

Test(template, same_inputs_same_bytes)
{
	char *a = render(0), *b = render(0);
	const char *pages[] = {"index.html", "trust/T1.html", "trust/T2.html", "downloads/fct_by_trust.csv"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		char *pa = th_path(a, pages[i]), *pb = th_path(b, pages[i]);
		size_t na, nb;
		char *x = th_read_file(pa, &na), *y = th_read_file(pb, &nb);
		cr_assert(x && y && na == nb && !memcmp(x, y, na), "%s differs between two renders", pages[i]);
		free(x), free(y), free(pa), free(pb);
	}
	th_rmtree(a), th_rmtree(b);
	free(a), free(b);
}

/* ---- Disclosure control ---- */

Test(template, disclosure_rounding)
{
	const int64_t in[] = {0, 1, 7, 8, 12, 13, 22, 23, -12};
	const int64_t want[] = {0, SDC_STAR, SDC_STAR, 10, 10, 15, 20, 25, -10};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		cr_expect_eq(sdc_round(in[i]), want[i], "sdc_round(%lld)", (long long)in[i]);
	double p;
	cr_expect_eq(sdc_pct(8, 12, &p), 0);
	cr_expect_float_eq(p, 100.0, 1e-9, "8/12 -> 10/10"); /* from the rounded figures */
	cr_expect_eq(sdc_pct(13, 22, &p), 0);
	cr_expect_float_eq(p, 75.0, 1e-9, "13/22 -> 15/20");
	cr_expect_eq(sdc_pct(3, 40, &p), 1, "a numerator of 1-7 is suppressed");
	cr_expect_eq(sdc_pct(0, 40, &p), 0);
	cr_expect_float_eq(p, 0.0, 1e-9);
	cr_expect_eq(sdc_pct(0, 0, &p), 0);
	cr_expect(isnan(p));
}

Test(template, board_rounds_below_national_level)
{
	cat.clinical = 0;
	const char *src = "```table model=fct_cases group=trust_code measures=count,sum:is_overdue,"
			  "pct:is_overdue=true\n```\n";
	template *t = tpl_parse(src, strlen(src), "t.md", "t.md");
	cr_assert_eq(tpl_validate(t, &cat, NULL), 0);
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &t->blocks[0].q, &t->blocks[0], &r);
	cr_assert_eq(r.nrows, 2);
	cr_expect(r.controlled);
	/* T1: 12 pathways -> 10, 8 overdue -> 10, 10/10 = 100% */
	cr_expect_float_eq(res_at(&r, 0, 1)->v, 10, 1e-9);
	cr_expect_float_eq(res_at(&r, 0, 2)->v, 10, 1e-9);
	cr_expect_float_eq(res_at(&r, 0, 3)->v, 100, 1e-9);
	/* T2: 8 pathways -> 10, 3 overdue -> *, share -> * */
	cr_expect_float_eq(res_at(&r, 1, 1)->v, 10, 1e-9);
	cr_expect(res_at(&r, 1, 2)->star);
	cr_expect(res_at(&r, 1, 3)->star);
	tpl_result_free(&r);
	/* National totals follow the same rule (docs/disclosure.md). */
	tpl_query q = t->blocks[0].q;
	q.ngroup = 0;
	tpl_eval(&x, &q, NULL, &r);
	cr_expect(r.controlled);
	cr_expect_float_eq(res_at(&r, 0, 0)->v, 20, 1e-9);
	cr_expect_float_eq(res_at(&r, 0, 1)->v, 10, 1e-9);
	tpl_result_free(&r);
	tpl_free(t);
}

/* ---- Errors name the template, line and column ---- */

static char *validate_file(const char *name, int *nerr)
{
	char *path = th_path(ERR, name);
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_load(path, name);
	*nerr = t ? tpl_validate(t, &cat, NULL) : -1;
	char *msg = th_capture_end(&c);
	tpl_free(t);
	free(path);
	return msg;
}

static void expect_error(const char *file, const char *want)
{
	int n;
	char *msg = validate_file(file, &n);
	cr_expect_gt(n, 0, "%s: no error reported", file);
	cr_expect(strstr(msg, want) != NULL, "%s: expected '%s' in:\n%s", file, want, msg);
	free(msg);
}

Test(template, error_unknown_model)
{
	expect_error("unknown_model.md", "medimart: " ERR "/unknown_model.md:3:16: error: unknown model 'fct_nope'");
}

Test(template, error_unknown_column)
{
	expect_error("unknown_column.md",
		     ERR "/unknown_column.md:3:65: error: model 'fct_cases' has no column 'wait_wekes' (did you mean "
			 "'wait_weeks'?)");
}

Test(template, error_unknown_chart_kind)
{
	expect_error("unknown_chart.md", ERR "/unknown_chart.md:5:15: error: unknown chart kind 'pie'");
}

Test(template, error_identifier_and_patient_rows)
{
	int n;
	char *msg = validate_file("identifier.md", &n);
	cr_expect_eq(n, 2, "%s", msg);
	cr_expect(strstr(msg, "identifier.md:3:32: error: column 'patient_id' identifies a person") != NULL, "%s", msg);
	cr_expect(strstr(msg, "identifier.md:6:4: error: model 'fct_cases' has a row per patient") != NULL, "%s", msg);
	free(msg);
}

Test(template, error_inline_values)
{
	int n;
	char *msg = validate_file("inline.md", &n);
	cr_expect_eq(n, 3, "%s", msg);
	cr_expect(strstr(msg, "inline.md:3:10: error: unknown KPI 'no_such_kpi'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "has no column 'bogus'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "filter value 'maybe' does not fit column 'is_overdue'") != NULL, "%s", msg);
	free(msg);
}

/* Blocks and values inside a note's body: cmark numbers the body's lines
 * from 1; before, the table's fence was looked up on line 2 of the file (a
 * blank line) and the parser wrote through a NULL array, and the errors
 * named lines 2 and 4. */
Test(template, errors_inside_a_note_body)
{
	int n;
	char *msg = validate_file("note_body.md", &n);
	cr_expect_eq(n, 2, "%s", msg);
	cr_expect(strstr(msg, "note_body.md:5:16: error: unknown model 'fct_nope'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "note_body.md:7:10: error: unknown KPI 'no_such_kpi'") != NULL, "%s", msg);
	free(msg);
}

/* A note inside a note, indented: its own body's values are found, at
 * their place in the file. */
Test(template, note_inside_a_note)
{
	static const char src[] = "# N\n"
				  "\n"
				  "`````note\n"
				  "Outer.\n"
				  "\n"
				  "  ````note\n"
				  "  Inner `kpi:no_such_kpi`.\n"
				  "  ````\n"
				  "`````\n";
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(src, sizeof src - 1, "nested.md", "nested.md");
	int nerr = tpl_validate(t, &cat, NULL);
	char *msg = th_capture_end(&c);
	cr_expect_eq(nerr, 1, "%s", msg);
	cr_expect(strstr(msg, "nested.md:7:14: error: unknown KPI 'no_such_kpi'") != NULL, "%s", msg);
	free(msg);
	tpl_free(t);
}

/* A kpis line whose measure is bad is dropped after its filter was parsed:
 * the filter is freed with it (a leak under make asan before). */
Test(template, dropped_kpis_line_frees_its_filter)
{
	static const char src[] = "# K\n"
				  "\n"
				  "```kpis\n"
				  "overdue = nosuch:wait_weeks ? is_overdue=1 & trust_code=T1\n"
				  "```\n";
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(src, sizeof src - 1, "kpis.md", "kpis.md");
	char *msg = th_capture_end(&c);
	cr_expect_eq(t->nerrors, 1, "%s", msg);
	cr_expect(strstr(msg, "kpis.md:4:11: error: unknown measure function 'nosuch'") != NULL, "%s", msg);
	cr_expect_eq(t->blocks[0].nkpis, 0);
	free(msg);
	tpl_free(t);
}

/* Page-unique ids: the same text gives "x", "x-2", "x-3" ..., skipping
 * ids taken by other texts; 4,000 of one name took 50 s when each new id
 * scanned every id for every suffix. */
Test(template, unique_ids_many_of_one_name, .timeout = 10)
{
	enum { N = 4000 };
	html_ctx h;
	memset(&h, 0, sizeof h);
	cr_expect_str_eq(html_unique_id(&h, "Overdue cases 3"), "overdue-cases-3");
	cr_expect_str_eq(html_unique_id(&h, "Overdue cases"), "overdue-cases");
	cr_expect_str_eq(html_unique_id(&h, "Overdue cases"), "overdue-cases-2");
	cr_expect_str_eq(html_unique_id(&h, "Overdue cases"), "overdue-cases-4");
	cr_expect_str_eq(html_unique_id(&h, "overdue  cases!"), "overdue-cases-5");
	char want[64];
	for (int i = 6; i < N; i++) {
		snprintf(want, sizeof want, "overdue-cases-%d", i);
		const char *got = html_unique_id(&h, "Overdue cases");
		if (strcmp(got, want)) {
			cr_expect_str_eq(got, want);
			break;
		}
	}
	cr_expect_str_eq(html_unique_id(&h, "2024"), "s-2024");
	cr_expect_str_eq(html_unique_id(&h, "2024"), "s-2024-2");
	html_ctx_reset(&h);
	cr_expect_str_eq(html_unique_id(&h, "Overdue cases"), "overdue-cases");
	html_ctx_reset(&h);
}

/* ---- Links: only http, https, mailto and relative addresses ---- */

#define HOSTILE_LINKS                                                                                              \
	"# Links\n"                                                                                                \
	"\n"                                                                                                       \
	"[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1))\n"                        \
	"[d](&#x4A;AVASCRIPT&colon;alert(1)) [e](data:text/html;base64,PHNjcmlwdD4=)\n"                             \
	"[f](VBScript:msgbox(1)) [g](file:///etc/passwd) [h](<java\tscript:alert(1)>)\n"                           \
	"![i](data:image/svg+xml;base64,PHN2Zz4=) ![j](javascript:alert(1))\n"                                     \
	"\n"                                                                                                       \
	"[k](https://www.nhs.uk/) [l](http://example.org/a:b) [m](mailto:lead@example.org)\n"                      \
	"[n](trust/T1.md) [o](#top) [p](../data/x.csv?a=b:c) ![q](img/logo.png)\n"

/* A template with these links is refused, each named at its place; the
 * allowed ones pass. */
Test(template, refused_link_schemes_are_template_errors)
{
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(HOSTILE_LINKS, strlen(HOSTILE_LINKS), "links.md", "links.md");
	int nerr = tpl_validate(t, &cat, NULL);
	char *msg = th_capture_end(&c);
	cr_expect_eq(nerr, 10, "%s", msg);
	cr_expect(strstr(msg, "links.md:3:1: error: link address with the scheme 'javascript:': only http, https, "
			      "mailto and relative addresses are allowed") != NULL,
		  "%s", msg);
	cr_expect(strstr(msg, "links.md:4:37: error: link address with the scheme 'data:'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "links.md:5:49: error: link address with the scheme 'java?script:'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "links.md:6:1: error: image address with the scheme 'data:'") != NULL, "%s", msg);
	cr_expect(strstr(msg, "https") && !strstr(msg, ":8:") && !strstr(msg, ":9:"), "%s", msg);
	free(msg);
	tpl_free(t);
}

static int has_nocase(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++) {
		size_t k = 0;
		while (k < n && s[k] && tolower((unsigned char)s[k]) == tolower((unsigned char)w[k]))
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

/* Rendered anyway (no check), none of them reaches href or src: the link
 * text or alt text stays, without the link. */
Test(template, refused_link_schemes_never_reach_href_or_src)
{
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(HOSTILE_LINKS, strlen(HOSTILE_LINKS), "links.md", "links.md");
	html_ctx h;
	memset(&h, 0, sizeof h);
	h.cat = &cat;
	h.tpl = t;
	h.root = "";
	buf out = {0};
	html_render_body(&h, &out);
	html_ctx_reset(&h);
	tpl_free(t);
	free(th_capture_end(&c));
	const char *bad[] = {"javascript", "script:", "data:", "vbscript", "file:"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_expect(!has_nocase(out.s, bad[i]), "'%s' reached the page:\n%s", bad[i], out.s);
	const char *good[] = {"<a href=\"https://www.nhs.uk/\">k</a>", "<a href=\"http://example.org/a:b\">l</a>",
			      "<a href=\"mailto:lead@example.org\">m</a>", "<a href=\"trust/T1.html\">n</a>",
			      "<a href=\"#top\">o</a>", "<a href=\"../data/x.csv?a=b:c\">p</a>",
			      "<img src=\"img/logo.png\" alt=\"q\">", "<p>a b c\nd e\nf g h\ni j</p>"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		cr_expect(strstr(out.s, good[i]) != NULL, "'%s' missing:\n%s", good[i], out.s);
	buf_free(&out);
}

/* An endless template (a device) stops at the size cap. */
Test(template, endless_template_is_capped, .timeout = 20)
{
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_load("/dev/zero", "zero.md");
	char *msg = th_capture_end(&c);
	cr_expect_null(t);
	cr_expect_str_eq(msg, "medimart: /dev/zero: error: template larger than 1048576 bytes; a page template is a "
			      "few KB\n");
	free(msg);
	tpl_free(t);
}

/* A template that is not UTF-8 text is refused at the bad byte, not
 * copied to the pages. */
Test(template, template_not_utf8_is_refused)
{
	char *dir = th_mkdtemp("tplutf8");
	cr_assert_not_null(dir);
	char *path = th_path(dir, "latin1.md");
	static const char text[] = "# Title\n\nCaf\xE9 and more\n";
	cr_assert_eq(th_write_file(path, text, sizeof text - 1), 0);
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_load(path, "latin1.md");
	char *msg = th_capture_end(&c);
	cr_expect_null(t);
	char want[512];
	snprintf(want, sizeof want, "medimart: %s:3:4: error: invalid UTF-8 (byte 0xE9): a template is UTF-8 text\n", path);
	cr_expect_str_eq(msg, want);
	free(msg);
	static const char nul[] = "# T\0itle\n";
	cr_assert_eq(th_write_file(path, nul, sizeof nul - 1), 0);
	cr_assert_eq(th_capture_start(&c), 0);
	t = tpl_load(path, "latin1.md");
	msg = th_capture_end(&c);
	cr_expect_null(t);
	snprintf(want, sizeof want, "medimart: %s:1:4: error: NUL byte: a template is UTF-8 text\n", path);
	cr_expect_str_eq(msg, want);
	free(msg);
	static const char good[] = "# Zo\xC3\xAB \xE2\x80\x94 \xF0\x9F\x98\x80\n";
	cr_assert_eq(th_write_file(path, good, sizeof good - 1), 0);
	cr_assert_eq(th_capture_start(&c), 0);
	t = tpl_load(path, "latin1.md");
	free(th_capture_end(&c));
	cr_expect_not_null(t);
	tpl_free(t);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- What the board sees ---- */

Test(template, escapes_data_values)
{
	char *dir = render(0);
	char *p = th_path(dir, "index.html");
	char *html = th_read_file(p, NULL);
	cr_assert_not_null(html);
	cr_expect(strstr(html, "Beta &lt;script&gt;alert(1)&lt;/script&gt; Trust") != NULL);
	cr_expect(strstr(html, "<script>alert") == NULL, "a data value or raw HTML reached the page as markup");
	free(html);
	free(p);
	th_rmtree(dir);
	free(dir);
}

/* Every file of the board build is searched for every patient id. */
Test(template, board_output_has_no_identifiers)
{
	char *dir = render(0);
	const char *files[] = {"index.html", "trust/T1.html", "trust/T2.html", "trust/index.html",
			       "downloads/fct_by_trust.csv", "downloads/fct_cases.csv", "clinical/index.html"};
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char *p = th_path(dir, files[f]);
		char *s = th_read_file(p, NULL);
		if (!strcmp(files[f], "clinical/index.html") || !strcmp(files[f], "downloads/fct_cases.csv")) {
			cr_expect_null(s, "%s must not exist in the board build", files[f]);
		} else {
			cr_assert_not_null(s, "%s", files[f]);
			for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
				cr_expect(strstr(s, rows[i].patient) == NULL, "%s shows %s", files[f], rows[i].patient);
		}
		free(s);
		free(p);
	}
	th_rmtree(dir);
	free(dir);
}

Test(template, clinical_worklist_lists_patients)
{
	char *dir = render(1);
	char *p = th_path(dir, "clinical/index.html");
	char *s = th_read_file(p, NULL);
	cr_assert_not_null(s);
	cr_expect(strstr(s, "P-B06") != NULL);
	cr_expect(strstr(s, "P-A01") == NULL, "not overdue");
	free(s);
	free(p);
	th_rmtree(dir);
	free(dir);
}

Test(template, switching_to_board_removes_clinical_pages)
{
	cat.clinical = 1;
	char *dir = th_mkdtemp("tpl-switch");
	site_opts o = {.templates_dir = FIX, .out_dir = dir, .downloads = 1};
	cr_assert_eq(site_render_catalog(&cat, &o), 0);
	char *p = th_path(dir, "clinical/index.html");
	cr_assert(th_exists(p));
	cat.clinical = 0;
	cr_assert_eq(site_render_catalog(&cat, &o), 0);
	cr_expect(!th_exists(p), "the clinical page of the earlier build was left behind");
	free(p);
	th_rmtree(dir);
	free(dir);
}

Test(template, date_literals)
{
	int32_t d, census = days_from_civil(2025, 9, 30);
	cr_expect_eq(tpl_date_literal("census", census, &d), 0);
	cr_expect_eq(d, census);
	cr_expect_eq(tpl_date_literal("census-13w", census, &d), 0);
	cr_expect_eq(d, census - 91);
	cr_expect_eq(tpl_date_literal("census-5", census, &d), 0);
	cr_expect_eq(d, census - 5);
	cr_expect_eq(tpl_date_literal("2024-02-29", census, &d), 0);
	cr_expect_eq(d, days_from_civil(2024, 2, 29));
	cr_expect_eq(tpl_date_literal("census-x", census, &d), -1);
	/* Terms add up: the last complete week starts at or before census-6. */
	cr_expect_eq(tpl_date_literal("census-13w-6", census, &d), 0);
	cr_expect_eq(d, census - 97);
	cr_expect_eq(tpl_date_literal("census-6d+2", census, &d), 0);
	cr_expect_eq(d, census - 4);
	cr_expect_eq(tpl_date_literal("census-", census, &d), -1);
	cr_expect_eq(tpl_date_literal("census-+5", census, &d), -1);
	cr_expect_eq(tpl_date_literal("census-5x", census, &d), -1);
}

/* ---- Rendering a template from text ---- */

#define EN_DASH "\xE2\x80\x93"

/* The body of a page rendered from src, for the entity trust_code =
 * trust (NULL: an ordinary page). Caller frees. */
static char *body_of(const char *src, const char *trust)
{
	template *t = tpl_parse(src, strlen(src), "t.md", "t.md");
	const tpl_source *ent = tpl_catalog_find(&cat, "fct_cases");
	cr_assert_eq(tpl_validate(t, &cat, trust ? ent : NULL), 0);
	tpl_entity e = {"trust_code", trust, ent, 0};
	for (size_t r = 0; trust && r < ent->t->nrows; r++)
		if (!strcmp(tbl_str(ent->t, 1, r), trust)) {
			e.row = r;
			break;
		}
	html_ctx h;
	memset(&h, 0, sizeof h);
	h.cat = &cat;
	h.tpl = t;
	h.ent = trust ? &e : NULL;
	h.root = "";
	buf out = {0};
	cr_expect_eq(html_render_body(&h, &out), 0);
	html_ctx_reset(&h);
	tpl_free(t);
	return out.s;
}

/* A board histogram of one Trust: bins are counted first, then rounded,
 * and a bin of 1 to 7 is drawn and listed as "*", never as 0 or nothing. */
Test(template, histogram_keeps_suppressed_bins)
{
	cat.clinical = 0;
	char *html = body_of("```chart kind=histogram model=fct_cases x=wait_weeks bins=10 title=\"Waits\"\n```\n", "T1");
	/* T1: waits 1, 2, 3, 5, 20, 25, 26, 27, 28, 30, 40, 52 in bins of 5. */
	cr_expect(strstr(html, "<th scope=\"row\">0" EN_DASH "4</th><td class=\"num\">*</td>") != NULL, "%s", html);
	cr_expect(strstr(html, "<th scope=\"row\">10" EN_DASH "14</th><td class=\"num\">0</td>") != NULL, "%s", html);
	cr_expect(strstr(html, "<th scope=\"row\">50" EN_DASH "54</th><td class=\"num\">*</td>") != NULL,
		  "the tail is kept: %s", html);
	cr_expect(strstr(html, "stroke-dasharray") != NULL, "suppressed bins are drawn as stubs");
	cr_expect(strstr(html, "Showing") == NULL, "bins are not rows cut by a limit: %s", html);
	free(html);
	/* The clinical build draws the exact counts. */
	cat.clinical = 1;
	html = body_of("```chart kind=histogram model=fct_cases x=wait_weeks bins=10 title=\"Waits\"\n```\n", "T1");
	cr_expect(strstr(html, "<th scope=\"row\">25" EN_DASH "29</th><td class=\"num\">4</td>") != NULL, "%s", html);
	cr_expect(strstr(html, ">*<") == NULL, "%s", html);
	free(html);
	cat.clinical = 0;
}

/* top: ... by -MEASURE names the smallest; show=verdict is for SPC charts
 * only, and show takes chart or verdict. */
Test(template, top_smallest_and_show_verdict)
{
	cat.clinical = 1;
	char *html = body_of("Most `top:fct_cases.specialty by sum:is_overdue`; fewest "
			     "`top:fct_cases.specialty by -sum:is_overdue`; none `top:fct_cases.specialty by -sum:is_overdue?wait_weeks>99`.\n",
			     NULL);
	cr_expect(strstr(html, "Most <strong class=\"value\">Ortho</strong> (6); fewest <strong class=\"value\">Urology</strong> "
			       "(5); none none.") != NULL, "%s", html);
	free(html);
	cat.clinical = 0;
	static const char *const bad[] = {
		"```chart kind=bar model=fct_cases x=specialty y=count show=verdict\n```\n",
		"```chart kind=spc model=fct_cases x=specialty y=count show=table\n```\n",
	};
	static const char *const want[] = {"show=verdict needs kind=spc", "show must be chart or verdict"};
	for (int i = 0; i < 2; i++) {
		template *t = tpl_parse(bad[i], strlen(bad[i]), "t.md", "t.md");
		th_capture c;
		cr_assert_eq(th_capture_start(&c), 0);
		int n = tpl_validate(t, &cat, NULL);
		char *msg = th_capture_end(&c);
		cr_expect_gt(n, 0, "%s", bad[i]);
		cr_expect(strstr(msg, want[i]) != NULL, "%s", msg);
		free(msg);
		tpl_free(t);
	}
}

/* A limited table says which rows it shows, unless its title does. */
Test(template, limit_notes)
{
	cat.clinical = 1;
	char *html = body_of("```table model=fct_cases group=specialty sort=-count limit=1 title=\"Biggest\"\n```\n", NULL);
	cr_expect(strstr(html, "Showing 1 of 2 rows: the highest by Count.") != NULL, "%s", html);
	free(html);
	html = body_of("```table model=fct_cases group=specialty sort=-count limit=1 title=\"The 1 biggest\"\n```\n",
		       NULL);
	cr_expect(strstr(html, "Showing") == NULL, "%s", html);
	free(html);
	html = body_of("```table model=fct_cases group=specialty sort=specialty limit=1 title=\"Alphabetical\"\n```\n",
		       NULL);
	cr_expect(strstr(html, "Showing 1 of 2 rows: the first in alphabetical order of Specialty.") != NULL, "%s", html);
	free(html);
	cat.clinical = 0;
}

static const model_col delays_cols[] = {
	{"cause_side", T_STR, "Who cancelled", "", "", CR_CODE},
	{"reason", T_STR, "Reason code or text", "", "", CR_CODE},
	{"reason_is_standard", T_BOOL, "Reason is a standard code", "", "", CR_FLAG},
	{"events", T_INT, "Cancellations", "", "", CR_EVENTS},
};
static const model_def delays_def = {"fct_delays", LAYER_MART, "Delays", NULL, delays_cols, 4, NULL, NULL, 0};

/* Cancellation reasons are shown by their seed description; other text as
 * recorded, marked; a DNA is not a canceller. */
Test(template, reason_descriptions)
{
	mm_table *seed = tbl_new("cancellation_reasons", &sp), *dc = tbl_new("fct_delays", &sp);
	int k = tbl_add_col(seed, "CODE", T_STR), d = tbl_add_col(seed, "DESCRIPTION", T_STR);
	const char *codes[][2] = {{"PAT_ILL", "Patient unwell"}, {"HOSP_NO_BED", "No bed available"}};
	for (int i = 0; i < 2; i++) {
		size_t r = tbl_add_row(seed);
		tbl_set_str(seed, k, r, codes[i][0]);
		tbl_set_str(seed, d, r, codes[i][1]);
	}
	int cs = tbl_add_col(dc, "cause_side", T_STR), cr = tbl_add_col(dc, "reason", T_STR),
	    cst = tbl_add_col(dc, "reason_is_standard", T_BOOL), ce = tbl_add_col(dc, "events", T_INT);
	const struct { const char *side, *reason; int std, n; } ev[] = {
		{"patient", "PAT_ILL", 1, 30}, {"hospital", "HOSP_NO_BED", 1, 20}, {"hospital", "see notes", 0, 10},
		{"dna", "DNA", 1, 50},
	};
	for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		size_t r = tbl_add_row(dc);
		tbl_set_str(dc, cs, r, ev[i].side);
		tbl_set_str(dc, cr, r, ev[i].reason);
		tbl_set_bool(dc, cst, r, ev[i].std);
		tbl_set_int(dc, ce, r, ev[i].n);
	}
	tpl_catalog_add(&cat, "fct_delays", "Delays", dc, &delays_def);
	tpl_catalog_set_reasons(&cat, seed);
	cat.clinical = 1;
	char *html = body_of("```table model=fct_delays group=cause_side,reason measures=sum:events sort=-sum:events\n```\n",
			     NULL);
	cr_expect(strstr(html, "<td>Patient unwell</td>") != NULL, "%s", html);
	cr_expect(strstr(html, "<td>No bed available</td>") != NULL, "%s", html);
	cr_expect(strstr(html, "<td>see notes (non-standard)</td>") != NULL, "%s", html);
	cr_expect(strstr(html, "<th scope=\"row\">Patient did not attend</th><td>Did not attend</td>") != NULL, "%s",
		  html);
	cr_expect(strstr(html, "PAT_ILL") == NULL, "%s", html);
	free(html);
	cat.clinical = 0;
	tpl_catalog_set_reasons(&cat, NULL);
	cat.n--; /* the table goes before the catalog */
	tbl_free(dc);
	tbl_free(seed);
}

/* ---- Rules in words: {{rule:KEY[:FORM]}} ---- */

#define RULES_TEXT                                                                                                 \
	"breach rtt_days 126\nbreach grace_days 7\ntarget P1a 1\ntarget P1b 3\ntarget P2 28\ntarget P3 91\n"         \
	"target P4 126\npoints age >= 80 3\npoints age >= 65 2\npoints comorbidities >= 1 1\n"                      \
	"points response < 0.6 2\npoints community_care = yes 1\npoints priority = P1a 3\n"                          \
	"tier High >= 7\ntier Medium >= 4\ntier Low >= 0\n"

static struct risk_rules *test_rules(const char *text)
{
	struct risk_errors err = {0};
	struct risk_rules *r = risk_rules_parse(text, strlen(text), "rules.txt", &err);
	cr_assert_not_null(r, "rules do not parse: %s", err.n ? err.v[0].msg : "");
	return r;
}

static void expect_words(const tpl_catalog *c, const char *in, const char *want)
{
	char *got = tpl_text(c, NULL, in);
	cr_expect_str_eq(got, want, "%s", in);
	free(got);
}

Test(template, rule_placeholders_in_words)
{
	struct risk_rules *r = test_rules(RULES_TEXT);
	cat.rules = r;
	expect_words(&cat, "plus {{rule:breach.grace_days}} of grace", "plus 1 week of grace");
	expect_words(&cat, "{{rule:breach.rtt_days}} = {{rule:breach.rtt_days:days}}", "18 weeks = 126 days");
	expect_words(&cat, "{{rule:breach.rtt_days:weeks-number}}|{{rule:breach.rtt_days:number}}", "18|126");
	expect_words(&cat, "P1a {{rule:target.P1a}}, P1b {{rule:target.P1b}}, P2 {{rule:target.P2}}",
		     "P1a 1 day, P1b 3 days, P2 4 weeks");
	expect_words(&cat, "{{rule:target.P3:weeks}}", "13 weeks");
	expect_words(&cat, "{{rule:points.age}}", "aged 80 or over: 3 points; aged 65 or over: 2 points");
	expect_words(&cat, "{{rule:points.age.2.test}} scores {{rule:points.age.2.points}} ({{rule:points.age.2.value}})",
		     "aged 65 or over scores 2 points (65)");
	expect_words(&cat, "{{rule:points.comorbidities.1}}", "1 or more long-term condition groups: 1 point");
	expect_words(&cat, "{{rule:points.response}}; {{rule:points.community_care}}; {{rule:points.priority}}",
		     "a likelihood of attending below 0.6: 2 points; an active community care plan: 1 point; "
		     "clinical priority P1a: 3 points");
	expect_words(&cat, "High for {{rule:tier.High}}, Medium from {{rule:tier.Medium:number}}",
		     "High for a score of 7 or more, Medium from 4");
	/* Entity fields still work beside them; an unknown rule is kept as written. */
	expect_words(&cat, "{{rule:breach.nope}}", "{{rule:breach.nope}}");
	cat.rules = NULL;
	risk_rules_free(r);

	/* The words follow the file: two weeks of grace, ten days, a new cut-off. */
	r = test_rules("breach rtt_days 140\nbreach grace_days 14\ntarget P1a 1\ntarget P1b 3\ntarget P2 10\n"
		       "target P3 91\ntarget P4 126\npoints age >= 75 4\ntier High >= 8\ntier Medium >= 4\ntier Low >= 0\n");
	cat.rules = r;
	expect_words(&cat, "{{rule:breach.grace_days}}; {{rule:breach.rtt_days}}; {{rule:target.P2}}",
		     "2 weeks; 20 weeks; 10 days");
	expect_words(&cat, "{{rule:target.P2:weeks}}", "1.4 weeks");
	expect_words(&cat, "{{rule:points.age.1}}; {{rule:tier.High}}", "aged 75 or over: 4 points; a score of 8 or more");
	cat.rules = NULL;
	risk_rules_free(r);

	/* Other one-per-name lines: their value as written; a duration in
	 * words when the setting is named ..._days. */
	r = test_rules(RULES_TEXT "minimum response_appointments 3\n");
	cat.rules = r;
	expect_words(&cat, "{{rule:minimum.response_appointments}}", "3");
	struct risk_rule *k = &r->rules[r->n - 1];
	snprintf(k->name, sizeof k->name, "lookback_days");
	snprintf(k->value, sizeof k->value, "84");
	expect_words(&cat, "{{rule:minimum.lookback_days}} ({{rule:minimum.lookback_days:days}})", "12 weeks (84 days)");
	cat.rules = NULL;
	risk_rules_free(r);
}

#define RULE_ERRORS                                                                                                \
	"# Rules\n"                                                                                                \
	"\n"                                                                                                       \
	"Grace is {{rule:breach.grace_days}}, then {{rule:breach.grace}}.\n"                                       \
	"\n"                                                                                                       \
	"```table model=fct_cases group=trust_name measures=count\n"                                               \
	"title=\"Past {{rule:target.P9}}\" labels=\"Trust|Over {{rule:breach.rtt_days:fortnights}}\"\n"           \
	"```\n"                                                                                                    \
	"\n"                                                                                                       \
	"Age {{rule:points.age.3}} and {{rule:points.age.1.points:weeks}}.\n"

/* A rule the file does not have, or a form a rule does not take, is an
 * error at its own line and column, naming the keys there are. */
Test(template, rule_placeholder_errors)
{
	struct risk_rules *r = test_rules(RULES_TEXT);
	cat.rules = r;
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(RULE_ERRORS, strlen(RULE_ERRORS), "rules.md", "rules.md");
	int nerr = tpl_validate(t, &cat, NULL);
	char *msg = th_capture_end(&c);
	cr_expect_eq(nerr, 5, "%s", msg);
	cr_expect(strstr(msg, "rules.md:3:43: error: placeholder {{rule:breach.grace}}: unknown rule 'breach.grace': "
			      "the rules file has breach.rtt_days, breach.grace_days, target.P1a") != NULL,
		  "%s", msg);
	cr_expect(strstr(msg, "rules.md:6:13: error: placeholder {{rule:target.P9}}: unknown rule 'target.P9'") != NULL,
		  "%s", msg);
	cr_expect(strstr(msg, "rules.md:6:52: error: placeholder {{rule:breach.rtt_days:fortnights}}: the rule "
			      "'breach.rtt_days' has no form ':fortnights'") != NULL,
		  "%s", msg);
	cr_expect(strstr(msg, "rules.md:9:5: error: placeholder {{rule:points.age.3}}: unknown rule") != NULL, "%s", msg);
	cr_expect(strstr(msg, "rules.md:9:31: error: placeholder {{rule:points.age.1.points:weeks}}") != NULL, "%s",
		  msg);
	free(msg);
	tpl_free(t);

	/* Without a rules file every rule placeholder is an error. */
	cat.rules = NULL;
	cr_assert_eq(th_capture_start(&c), 0);
	t = tpl_parse(RULE_ERRORS, strlen(RULE_ERRORS), "rules.md", "rules.md");
	nerr = tpl_validate(t, &cat, NULL);
	msg = th_capture_end(&c);
	cr_expect_eq(nerr, 6, "%s", msg);
	cr_expect(strstr(msg, "rules.md:3:10: error: placeholder {{rule:breach.grace_days}}: unknown rule "
			      "'breach.grace_days': no rules file is loaded") != NULL,
		  "%s", msg);
	free(msg);
	tpl_free(t);
	risk_rules_free(r);
}

/* Worklist tables (filters=): identifier cells of the clinical audience
 * show a prefix long enough to tell every value of the column apart (at
 * least 8 characters) with the whole identifier, escaped, in the tooltip;
 * filter columns are marked for assets/worklist.js, which is loaded once;
 * dates carry their ISO form for the CSV. */
Test(template, worklist_short_ids_and_filters)
{
	tpl_catalog cl = {0};
	cl.clinical = 1;
	res_col cols[3] = {{.name = "pathway_id", .type = T_STR, .ident = 1},
			   {.name = "site_name", .type = T_STR},
			   {.name = "next_booked_date", .type = T_DATE}};
	res_cell cells[9] = {
		{.s = "aaaaaaaa-1111-x\"<y"}, {.s = "North"}, {.v = days_from_civil(2025, 10, 7)},
		{.s = "aaaaaaaa-2222-z"},     {.s = "South"}, {.v = NAN},
		{.s = "short"},               {.s = "North"}, {.v = NAN},
	};
	tpl_result r = {.cols = cols, .ncols = 3, .cells = cells, .nrows = 3, .total = 3};
	tpl_name f = {.s = "site_name"};
	tpl_block b = {.kind = BLK_TABLE, .filters = &f, .nfilters = 1};
	html_ctx h = {0};
	h.cat = &cl;
	h.root = "../";
	h.table = &b;
	buf out = {0};
	html_result_table(&h, &out, &r, "Worklist");
	html_result_table(&h, &out, &r, "Worklist");
	buf_putc(&out, 0);
	/* "aaaaaaaa-1" and "aaaaaaaa-2" share 9 characters: 10 are shown. */
	cr_expect(strstr(out.s, "<span title=\"aaaaaaaa-1111-x&quot;&lt;y\">aaaaaaaa-1\u2026</span>") != NULL, "%s", out.s);
	cr_expect(strstr(out.s, "<span title=\"aaaaaaaa-2222-z\">aaaaaaaa-2\u2026</span>") != NULL);
	cr_expect(strstr(out.s, ">short</t") != NULL, "a short identifier is shown whole");
	cr_expect(strstr(out.s, "<th scope=\"col\" data-filter=\"site_name\">") != NULL);
	cr_expect(strstr(out.s, "class=\"data sortable worklist\"") != NULL);
	cr_expect(strstr(out.s, "data-csv=\"2025-10-07\"") != NULL);
	const char *js = strstr(out.s, "<script src=\"../assets/worklist.js\" defer></script>");
	cr_expect(js != NULL);
	cr_expect(js && !strstr(js + sizeof "<script src=\"../assets/worklist.js\"", "worklist.js"), "the script is loaded once a page");
	/* The board never sees an identifier, short or whole. */
	buf board = {0};
	cl.clinical = 0;
	html_result_table(&h, &board, &r, "Worklist");
	buf_putc(&board, 0);
	cr_expect(strstr(board.s, "aaaaaaaa") == NULL);
	html_ctx_reset(&h);
	buf_free(&out);
	buf_free(&board);
}
