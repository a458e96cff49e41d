/* Disclosure control of board output (docs/disclosure.md): every level is
 * controlled, national figures and the all-areas KPI figures included;
 * board templates cannot reach identifying columns; codes and durations
 * stay exact; the ledger of published figures lists what the pages show. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "helpers.h"
#include "kpi_decl.h"
#include "query/blocks.h"
#include "registry/disclosure.h"
#include "query/query.h"
#include "site/site.h"
#include "template/template.h"
#include "util/date.h"

/* Fifteen Trusts with ten open pathways each; Trusts T01-T03 have one
 * pathway over 52 weeks each: "all areas: 3" was the leak. */
static strpool sp;
static mm_table *cases, *people, *kpis, *rules;
static tpl_catalog cat;

static const model_col case_cols[] = {
	{"pathway_id", T_STR, "Pathway", "", "", CR_ID}, {"trust_code", T_STR, "Trust", "", "", CR_GEO},
	{"specialty", T_STR, "Specialty", "", "", CR_CODE}, {"over_52_weeks", T_BOOL, "Over 52 weeks", "", "", CR_FLAG},
};
static const model_def case_def = {"fct_cases", LAYER_MART, "Open pathways", NULL, case_cols, 4, NULL, NULL,
	MODEL_PATIENT_LEVEL};
/* Dates of birth and death identify people; a town is a small area. */
static const model_col people_cols[] = {
	{"patient_id", T_STR, "Patient", "", "", CR_ID},	 {"birth_date", T_DATE, "Born", "", "", CR_ID},
	{"death_date", T_DATE, "Died", "", "", CR_ID},	 {"town", T_STR, "Town", "", "", CR_AREA},
	{"sex", T_STR, "Sex", "", "", CR_CODE},
};
static const model_def people_def = {"stg_patients", LAYER_STAGING, "Patients", NULL, people_cols, 5, NULL, NULL,
	MODEL_PATIENT_LEVEL};
/* As fct_risk_sensitivity: a rule line, a score's change, patients. */
static const model_col rule_cols[] = {
	{"line", T_INT, "Rule line", "", "", CR_EXACT},
	{"delta", T_NUM, "Change", "", "", CR_SCORE},
	{"high", T_INT, "Patients in the High tier", "", "", CR_PERSONS},
};
static const model_def rule_def = {"fct_rule_changes", LAYER_MART, "Rule changes", NULL, rule_cols, 3, NULL, NULL, 0};

static void setup(void)
{
	sp_init(&sp);
	cases = tbl_new("fct_cases", &sp);
	int cp = tbl_add_col(cases, "pathway_id", T_STR), ct = tbl_add_col(cases, "trust_code", T_STR),
	    cs = tbl_add_col(cases, "specialty", T_STR), co = tbl_add_col(cases, "over_52_weeks", T_BOOL);
	char id[32], trust[8];
	for (int t = 1; t <= 15; t++)
		for (int k = 0; k < 10; k++) {
			size_t r = tbl_add_row(cases);
			snprintf(id, sizeof id, "PW-%02d-%d", t, k);
			snprintf(trust, sizeof trust, "T%02d", t);
			tbl_set_str(cases, cp, r, id);
			tbl_set_str(cases, ct, r, trust);
			tbl_set_str(cases, cs, r, k < 5 ? "Ortho" : "Plastic Surgery");
			tbl_set_bool(cases, co, r, t <= 3 && k == 9);
		}
	people = tbl_new("stg_patients", &sp);
	int pi = tbl_add_col(people, "patient_id", T_STR), pb = tbl_add_col(people, "birth_date", T_DATE),
	    pd = tbl_add_col(people, "death_date", T_DATE), pt = tbl_add_col(people, "town", T_STR),
	    px = tbl_add_col(people, "sex", T_STR);
	for (int i = 0; i < 12; i++) {
		size_t r = tbl_add_row(people);
		snprintf(id, sizeof id, "P%02d", i);
		tbl_set_str(people, pi, r, id);
		tbl_set_date(people, pb, r, days_from_civil(1920 + i * 5, 3, 1 + i));
		if (i == 0)
			tbl_set_date(people, pd, r, days_from_civil(2024, 1, 2));
		tbl_set_str(people, pt, r, i == 0 ? "Smallville" : "Bigtown");
		tbl_set_str(people, px, r, i % 2 ? "Male" : "Female");
	}
	rules = tbl_new("fct_rule_changes", &sp);
	/* delta is a number, as in fct_risk_sensitivity (response moves by 0.05). */
	int rl = tbl_add_col(rules, "line", T_INT), rd = tbl_add_col(rules, "delta", T_NUM),
	    rh = tbl_add_col(rules, "high", T_INT);
	for (int i = 0; i < 2; i++) {
		size_t r = tbl_add_row(rules);
		tbl_set_int(rules, rl, r, 51 + i);
		tbl_set_num(rules, rd, r, i ? 1 : -1);
		tbl_set_int(rules, rh, r, i ? 3 : 23);
	}
	kpis = th_kpi_table(&sp);
	th_kpi_row(kpis, "over_52_weeks", "Waiting over 52 weeks", 3, "count", 0, "lower_better", "red", "Open pathways over 52 weeks.");
	memset(&cat, 0, sizeof cat);
	cat.census = days_from_civil(2025, 9, 30);
	tpl_catalog_add(&cat, "fct_cases", "Open pathways", cases, &case_def);
	tpl_catalog_add(&cat, "stg_patients", "Patients", people, &people_def);
	tpl_catalog_add(&cat, "fct_rule_changes", "Rule changes", rules, &rule_def);
	tpl_catalog_add(&cat, "kpi_summary", "KPIs", kpis, &th_kpi_def);
}

static void teardown(void)
{
	tpl_catalog_free(&cat);
	tbl_free(cases);
	tbl_free(people);
	tbl_free(rules);
	tbl_free(kpis);
	sp_free(&sp);
}

TestSuite(disclosure, .init = setup, .fini = teardown);

static template *parse_ok(const char *src)
{
	template *t = tpl_parse(src, strlen(src), "t.md", "t.md");
	cr_assert_not_null(t);
	cr_assert_eq(tpl_validate(t, &cat, NULL), 0, "%s", src);
	return t;
}

/* Before: the national figure was exact (3) beside three starred Trusts
 * and twelve zeros, so each starred Trust had exactly one. */
Test(disclosure, national_figures_are_controlled)
{
	template *t = parse_ok("```table model=fct_cases group=specialty measures=count,sum:over_52_weeks\n```\n");
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_query q = t->blocks[0].q;
	q.ngroup = 0;
	tpl_eval(&x, &q, NULL, &r);
	cr_expect(r.controlled);
	cr_expect_float_eq(res_at(&r, 0, 0)->v, 150, 1e-9);
	cr_expect(res_at(&r, 0, 1)->star, "3 nationally must show as *");
	tpl_result_free(&r);
	/* The national specialty table too: Plastic Surgery has 3. */
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_assert_eq(r.nrows, 2);
	cr_expect(res_at(&r, 1, 2)->star);
	tpl_result_free(&r);
	tpl_free(t);
	/* The clinical audience still sees exact figures. */
	cat.clinical = 1;
	t = parse_ok("```table model=fct_cases group=specialty measures=sum:over_52_weeks\n```\n");
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_expect(!r.controlled);
	cr_expect_float_eq(res_at(&r, 1, 1)->v, 3, 1e-9);
	tpl_result_free(&r);
	tpl_free(t);
	cat.clinical = 0;
}

/* Before: three Trusts showed "*" and twelve showed 0 under a national
 * "*": a reader counting the stars knew the total was at least 3, and with
 * a rounded total elsewhere could pin each one. Now the zeros of a column
 * that shows a "*" show as "*" too; a column without one keeps its zeros. */
Test(disclosure, zeros_hide_beside_a_star)
{
	template *t = parse_ok("```table model=fct_cases group=trust_code measures=count,sum:over_52_weeks\n```\n");
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_assert_eq(r.nrows, 15);
	for (size_t i = 0; i < r.nrows; i++) {
		cr_expect(res_at(&r, i, 2)->star && res_at(&r, i, 2)->star0, "Trust %zu: over 52 weeks", i + 1);
		cr_expect(!res_at(&r, i, 1)->star, "counts of 10 are shown");
		cr_expect_float_eq(res_at(&r, i, 1)->v, 10, 1e-9);
	}
	tpl_result_free(&r);
	tpl_free(t);
	t = parse_ok("```table model=fct_cases group=trust_code measures=sum:over_52_weeks filter=\"trust_code=T04|T05\"\n```\n");
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_assert_eq(r.nrows, 2);
	cr_expect(!res_at(&r, 0, 1)->star, "no star in the column: zeros stay 0");
	cr_expect_float_eq(res_at(&r, 0, 1)->v, 0, 1e-9);
	tpl_result_free(&r);
	tpl_free(t);
}

/* Before: a Trust's tile said "All areas: 3". */
Test(disclosure, kpi_all_areas_is_controlled)
{
	template *t = parse_ok("```kpis model=fct_cases\nover_52_weeks = sum:over_52_weeks\n```\n");
	tpl_entity ent = {"trust_code", "T01", tpl_catalog_find(&cat, "fct_cases"), 9};
	blk_env e = {&cat, t, &ent, NULL, 0, 0, 0};
	blk_kpi k;
	cr_assert_eq(blk_kpi_eval(&e, &t->blocks[0], 0, &k), 0);
	cr_expect_str_eq(k.value, "*");
	cr_expect_str_eq(k.all, "*");
	/* A national tile, and the inline value, follow the same rule. */
	template *n = parse_ok("```kpis\nover_52_weeks\n```\n\nOver 52 weeks: `kpi:over_52_weeks`.\n");
	blk_env en = {&cat, n, NULL, NULL, 0, 0, 0};
	cr_assert_eq(blk_kpi_eval(&en, &n->blocks[0], 0, &k), 0);
	cr_expect_str_eq(k.value, "*");
	cr_expect(k.star);
	blk_inline in;
	blk_inline_eval(&en, &n->blocks[1], &in);
	cr_expect_str_eq(in.value, "*");
	tpl_free(n);
	tpl_free(t);
}

static void expect_refused(const char *src, const char *want)
{
	th_capture c;
	cr_assert_eq(th_capture_start(&c), 0);
	template *t = tpl_parse(src, strlen(src), "t.md", "t.md");
	int n = tpl_validate(t, &cat, NULL);
	char *msg = th_capture_end(&c);
	cr_expect_gt(n, 0, "accepted: %s", src);
	cr_expect(strstr(msg, want) != NULL, "expected '%s' in:\n%s", want, msg);
	free(msg);
	tpl_free(t);
}

/* Before: min:birth_date printed the oldest patient's date of birth, and
 * grouping by town gave a count of 1 for Smallville. */
Test(disclosure, board_refuses_identifying_columns)
{
	expect_refused("# P\n\n```table model=stg_patients group=sex measures=count,min:birth_date\n```\n",
		       "t.md:3:58: error: column 'birth_date' identifies people (a date of birth or death is one person's)");
	expect_refused("```table model=stg_patients group=sex measures=max:death_date\n```\n",
		       "t.md:1:52: error: column 'death_date' identifies people");
	expect_refused("```table model=stg_patients group=sex measures=median:birth_date\n```\n",
		       "t.md:1:55: error: column 'birth_date' identifies people");
	expect_refused("```table model=stg_patients group=town measures=count\n```\n",
		       "t.md:1:35: error: column 'town' identifies people (a small area of residence");
	expect_refused("```table model=stg_patients group=sex filter=\"birth_date<1930-01-01\" measures=count\n```\n",
		       "error: column 'birth_date' identifies people");
	expect_refused("Oldest: `value:stg_patients.min:birth_date`.\n", "error: column 'birth_date' identifies people");
	/* Clinical templates may (restricted server, named patients anyway). */
	cat.clinical = 1;
	const char *src = "```table model=stg_patients group=town measures=count,min:birth_date\n```\n";
	template *t = tpl_parse(src, strlen(src), "c.md", "c.md");
	t->clinical = 1;
	cr_expect_eq(tpl_validate(t, &cat, NULL), 0);
	tpl_free(t);
	cat.clinical = 0;
	/* From the role, whatever the column is called: sex is a code and
	 * imd_decile a score, town and postcode small areas, birth_date a date
	 * that identifies; a patient_id string is shown nowhere but refused
	 * nothing more. */
	cr_expect_null(sdc_role_refused(CR_CODE, T_STR));
	cr_expect_null(sdc_role_refused(CR_SCORE, T_INT));
	cr_expect_not_null(sdc_role_refused(CR_AREA, T_STR));
	cr_expect_not_null(sdc_role_refused(CR_ID, T_DATE));
	cr_expect_null(sdc_role_refused(CR_ID, T_STR));
}

/* A column without a declared role, in a declared table or in a table
 * with no declaration at all, is refused to board templates (what it
 * would disclose is unknown) and never shown to the board; its name,
 * however harmless, does not help. A table without a declaration is
 * patient level: the board sees it grouped only. */
Test(disclosure, undeclared_columns_are_refused_on_board_pages)
{
	cr_expect_eq(tpl_source_role(tpl_catalog_find(&cat, "fct_cases"), "no_such_column"), CR_UNSET);
	mm_table *u = tbl_new("fct_undeclared", &sp);
	int cs = tbl_add_col(u, "specialty", T_STR), cn = tbl_add_col(u, "pathways", T_INT);
	for (int i = 0; i < 2; i++) {
		size_t r = tbl_add_row(u);
		tbl_set_str(u, cs, r, i ? "Ortho" : "Urology");
		tbl_set_int(u, cn, r, 12);
	}
	tpl_catalog_add(&cat, "fct_undeclared", "Undeclared", u, NULL);
	const tpl_source *s = tpl_catalog_find(&cat, "fct_undeclared");
	cr_assert_not_null(s);
	cr_expect(s->patient_level);
	cr_expect_eq(tpl_source_role(s, "specialty"), CR_UNSET);
	cr_expect(sdc_role_identifier(CR_UNSET) && sdc_role_geographic(CR_UNSET));
	cr_expect(!sdc_role_counted(CR_UNSET) && !sdc_role_exact(CR_UNSET) && !sdc_role_derived(CR_UNSET));
	expect_refused("```table model=fct_undeclared group=specialty measures=count\n```\n",
		       "t.md:1:37: error: column 'specialty' of model 'fct_undeclared' has no declared role");
	expect_refused("```table model=fct_undeclared group=specialty measures=sum:pathways\n```\n",
		       "has no declared role");
	expect_refused("```table model=fct_undeclared columns=specialty,pathways\n```\n", "has no declared role");
	/* Clinical templates may: they are not controlled. */
	const char *src = "```table model=fct_undeclared group=specialty measures=sum:pathways\n```\n";
	template *t = tpl_parse(src, strlen(src), "c.md", "c.md");
	t->clinical = 1;
	cat.clinical = 1;
	cr_expect_eq(tpl_validate(t, &cat, NULL), 0);
	tpl_free(t);
	cat.clinical = 0;
	cat.n--; /* the table goes before the catalog */
	tbl_free(u);
}

/* Grouping by sex (allowed) no longer gives exact counts: 1 is "*". */
Test(disclosure, quasi_identifier_groups_are_controlled)
{
	template *t = parse_ok("```table model=stg_patients group=sex measures=count\n```\n");
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_assert_eq(r.nrows, 2);
	cr_expect(res_at(&r, 0, 1)->star, "6 women: *");
	cr_expect(res_at(&r, 1, 1)->star, "6 men: *");
	tpl_result_free(&r);
	tpl_free(t);
}

/* Codes and positions are not counts: a rule's line and its -1/+1 stay
 * exact, while the patients beside them are rounded. */
Test(disclosure, codes_stay_exact)
{
	template *t = parse_ok("```table model=fct_rule_changes columns=line,delta,high\n```\n");
	qctx x = {&cat, NULL, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	cr_assert_eq(r.nrows, 2);
	cr_expect_float_eq(res_at(&r, 0, 0)->v, 51, 1e-9);
	cr_expect_float_eq(res_at(&r, 0, 1)->v, -1, 1e-9);
	cr_expect(!res_at(&r, 0, 1)->star);
	cr_expect_float_eq(res_at(&r, 0, 2)->v, 25, 1e-9);
	cr_expect(res_at(&r, 1, 2)->star);
	/* Beside that suppressed count the row's delta stays exact: it is a
	 * rule change, not a rate that could reveal the count (a starred key
	 * made two rows one cell in the ledger, and the checker saw a
	 * contradiction). */
	cr_expect(!res_at(&r, 1, 1)->star);
	cr_expect_float_eq(res_at(&r, 1, 1)->v, 1, 1e-9);
	tpl_result_free(&r);
	tpl_free(t);
}

static char *ledger_path(void)
{
	char *dir = th_mkdtemp("sdc-ledger");
	char *p = th_path(dir, "ledger.tsv");
	free(dir);
	setenv("MM_SDC_LEDGER", p, 1);
	return p;
}

static int count_lines(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The ledger names each figure by its restrictions: the entity, the
 * filter and the group; a listing without a limit is whole. */
Test(disclosure, ledger_lists_figures)
{
	char *path = ledger_path();
	template *t = parse_ok("```table model=fct_cases group=specialty measures=count,sum:over_52_weeks\n```\n");
	tpl_entity ent = {"trust_code", "T01", tpl_catalog_find(&cat, "fct_cases"), 0};
	qctx x = {&cat, &ent, NULL, 0};
	tpl_result r;
	tpl_eval(&x, &t->blocks[0].q, NULL, &r);
	tpl_result_free(&r);
	size_t n;
	char *text = th_read_file(path, &n);
	cr_assert_not_null(text);
	/* Each column shows a "*", so its "*" may also be 0 ("*0") and its
	 * zero (Ortho's over 52 weeks) shows as "*" too. */
	cr_expect(strstr(text, "fct_cases\tcount\td:specialty=Ortho;d:trust_code=T01\t*0\ttrust_code,specialty\n"), "%s", text);
	cr_expect(strstr(text, "fct_cases\tsum:over_52_weeks\td:specialty=Plastic Surgery;d:trust_code=T01\t*0\t"
			       "trust_code,specialty\n"), "%s", text);
	cr_expect(strstr(text, "fct_cases\tsum:over_52_weeks\td:specialty=Ortho;d:trust_code=T01\t*0\t"), "%s", text);
	cr_expect_eq(count_lines(text, "\n"), 4);
	free(text);
	tpl_free(t);
	free(path);
}

/* The ledger covers what a page shows: every count cell of the rendered
 * page, starred or not, has its line, and nothing else is listed. */
Test(disclosure, ledger_covers_the_page)
{
	char *path = ledger_path();
	char *tdir = th_mkdtemp("sdc-templates"), *out = th_mkdtemp("sdc-site");
	char *idx = th_path(tdir, "index.md"), *assets = th_path(tdir, "assets");
	cr_assert_eq(mkdir(assets, 0755), 0);
	const char *const files[] = {"assets/site.css", "assets/sort.js", "assets/search.js"};
	for (int i = 0; i < 3; i++) {
		char *f = th_path(tdir, files[i]);
		cr_assert_eq(th_write_file(f, "/* */\n", 6), 0);
		free(f);
	}
	const char *md = "# Site\n\nOver 52 weeks: `value:fct_cases.sum:over_52_weeks`.\n\n"
			 "```table model=fct_cases group=specialty measures=count,sum:over_52_weeks\n```\n\n"
			 "```table model=fct_cases group=trust_code measures=sum:over_52_weeks limit=4 sort=trust_code\n```\n";
	cr_assert_eq(th_write_file(idx, md, strlen(md)), 0);
	site_opts o = {.templates_dir = tdir, .out_dir = out};
	cr_assert_eq(site_render_catalog(&cat, &o), 0);
	char *page_path = th_path(out, "index.html");
	size_t n;
	char *page = th_read_file(page_path, &n), *ledger = th_read_file(path, &n);
	cr_assert_not_null(page);
	cr_assert_not_null(ledger);
	/* The page: 1 inline value, 2 x 2 specialty cells, 4 Trust cells. */
	int lines = count_lines(ledger, "\n"), stars = count_lines(ledger, "\t*\t") + count_lines(ledger, "\t*0\t");
	cr_expect_eq(lines, 9, "%s", ledger);
	int page_stars = count_lines(page, ">*</abbr>") + count_lines(page, "fewer than 8");
	cr_expect_eq(page_stars, stars, "page shows %d suppressed figures, ledger lists %d\n%s", page_stars, stars, ledger);
	/* A listing cut by its limit is not whole; T04's 0 shows as "*"
	 * beside T01's "*". */
	cr_expect(strstr(ledger, "d:trust_code=T01\t*0\t-\n"), "%s", ledger);
	cr_expect(strstr(ledger, "d:trust_code=T04\t*0\t-\n"), "%s", ledger);
	free(page);
	free(ledger);
	free(page_path);
	free(idx);
	free(assets);
	th_rmtree(tdir);
	th_rmtree(out);
	free(tdir);
	free(out);
	free(path);
}

/* The top level is exempt by its population, not by its name: the rates
 * and waits of kpi_summary are exact only when the build has at least
 * SDC_TOP_LEVEL_MIN open pathways. Below that (one Trust, a 27-patient
 * export) they follow the rule of every other area. */
Test(disclosure, top_level_exempt_by_population)
{
	cr_expect(!sdc_top_level_exempt(INT64_MIN));
	cr_expect(!sdc_top_level_exempt(0));
	cr_expect(!sdc_top_level_exempt(SDC_TOP_LEVEL_MIN - 1));
	cr_expect(sdc_top_level_exempt(SDC_TOP_LEVEL_MIN));
}

static void top_level_tiles(double list, const char *want_pct, const char *want_status, const char *want_median,
			    const char *want_dna)
{
	th_kpi_row(kpis, "list_size", "Waiting list size", list, "count", NAN, "lower_better", "none", "Open.");
	th_kpi_row(kpis, "pct_within_18_weeks", "Waiting 18 weeks or less", 62.0, "percent", 92, "higher_better", "red",
		   "Share.");
	th_kpi_row(kpis, "median_wait_weeks", "Median wait", 12.3, "weeks", NAN, "lower_better", "none", "Median.");
	th_kpi_row(kpis, "dna_rate", "DNA rate", 7.5, "percent", NAN, "lower_better", "none", "DNAs.");
	template *t = parse_ok("```kpis\npct_within_18_weeks\nmedian_wait_weeks\ndna_rate\n```\n\n"
			       "Within: `kpi:pct_within_18_weeks`.\n");
	blk_env e = {&cat, t, NULL, NULL, 0, 0, 0};
	blk_kpi k;
	cr_assert_eq(blk_kpi_eval(&e, &t->blocks[0], 0, &k), 0);
	cr_expect_str_eq(k.value, want_pct, "list %g", list);
	cr_expect_str_eq(k.status, want_status, "list %g", list);
	blk_inline in;
	blk_inline_eval(&e, &t->blocks[1], &in);
	cr_expect_str_eq(in.value, want_pct, "list %g", list);
	cr_expect_eq(in.rag != NULL, !strcmp(want_status, "red"), "list %g", list);
	cr_assert_eq(blk_kpi_eval(&e, &t->blocks[0], 1, &k), 0);
	cr_expect_str_eq(k.value, want_median, "list %g", list);
	cr_assert_eq(blk_kpi_eval(&e, &t->blocks[0], 2, &k), 0);
	cr_expect_str_eq(k.value, want_dna, "list %g", list);
	tpl_free(t);
}

Test(disclosure, top_level_rates_of_a_large_build_are_exact)
{
	top_level_tiles(1500, "62.0%", "red", "12.3 weeks", "7.5%");
}

/* 150 pathways: 62% is 93 of 150, published as 95 of 150 (63.3%), with no
 * status worked out from the exact figure; the DNA rate's denominator is
 * not known here, so it is withheld; a median over 150 waits is exact. */
Test(disclosure, top_level_rates_of_a_small_build_are_controlled)
{
	top_level_tiles(150, "63.3%", "none", "12.3 weeks", "*");
}

/* 5 pathways: every rate and wait rests on 1 to 7 people. */
Test(disclosure, top_level_rates_of_a_tiny_build_are_withheld)
{
	top_level_tiles(5, "*", "none", "*", "*");
}
