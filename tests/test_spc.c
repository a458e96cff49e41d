/* SPC (models/spc.h): the XmR limits worked by hand, and each
 * special-cause rule on the examples the NHS-R Community's NHSRplotthedots
 * package publishes with their expected flags (its tests of
 * ptd_seven_point_one_side_mean, ptd_seven_point_trend, ptd_two_in_three
 * and ptd_part_of_two_in_three), plus the assurance verdicts. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "load/load.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "models/spc.h"
#include "util/date.h"
#include "util/diag.h"

#define MAXN 32

static spc_chart chart;
static spc_point pts[MAXN];

static void run(const double *x, int n, enum spc_direction d, double target)
{
	cr_assert_eq(spc_xmr(x, n, 0, d, target, &chart, pts), 0);
}

static void expect_rule(unsigned rule, const int *want, int n)
{
	for (int i = 0; i < n; i++)
		cr_expect_eq((pts[i].rules & rule) != 0, want[i] != 0, "point %d: rule %u", i + 1, rule);
}

/* 10 12 11 13 12 14 13 15: mean 100 / 8 = 12.5; moving ranges 2 1 2 1 2 1
 * 2, mean 11 / 7; limits 12.5 -+ 2.66 * 11 / 7 = 8.3200 and 16.6800. */
Test(spc, limits_by_hand)
{
	const double x[] = {10, 12, 11, 13, 12, 14, 13, 15};
	run(x, 8, SPC_HIGHER_BETTER, NAN);
	cr_expect_float_eq(chart.mean, 12.5, 1e-12);
	cr_expect_float_eq(chart.mean_moving_range, 11.0 / 7, 1e-12);
	cr_expect_float_eq(chart.upper_limit, 12.5 + 2.66 * 11 / 7, 1e-12);
	cr_expect_float_eq(chart.lower_limit, 12.5 - 2.66 * 11 / 7, 1e-12);
	cr_expect(isnan(pts[0].moving_range));
	cr_expect_float_eq(pts[1].moving_range, 2, 1e-12);
	cr_expect_eq(chart.variation, SPC_COMMON_CAUSE);
	cr_expect_eq(chart.assurance, SPC_NO_TARGET);
}

/* ptd_seven_point_one_side_mean(c(rep(1, 8), -1)) flags the 7th and 8th
 * points, and the run they end is flagged as a whole (part of the run);
 * six on one side (rep(1, 6), -1) is not a run. */
Test(spc, run_of_seven_on_one_side)
{
	const double a[] = {1, 1, 1, 1, 1, 1, 1, 1, -1};
	run(a, 9, SPC_HIGHER_BETTER, NAN);
	const int want_a[] = {1, 1, 1, 1, 1, 1, 1, 1, 0};
	expect_rule(SPC_RULE_RUN, want_a, 9);
	cr_expect_eq(pts[0].variation, SPC_SPECIAL_IMPROVING, "above the mean and higher is better");
	const double b[] = {1, 1, 1, 1, 1, 1, -1};
	run(b, 7, SPC_HIGHER_BETTER, NAN);
	const int want_b[] = {0, 0, 0, 0, 0, 0, 0};
	expect_rule(SPC_RULE_RUN, want_b, 7);
	/* The same run when lower is better is concerning. */
	const double c[] = {-1, -1, -1, -1, -1, -1, -1, -1, 1};
	run(c, 9, SPC_HIGHER_BETTER, NAN);
	cr_expect_eq(pts[3].variation, SPC_SPECIAL_CONCERNING);
}

/* ptd_seven_point_trend: 1:7 is a trend (its 7th point flagged), 1:6 is
 * not, c(1:3, 3:6) is not (a tie breaks it), c(2, 1:7, 3) flags the 8th
 * point and 7:1 and c(2, 7:1, 3) are falling trends. Here the whole
 * trend is flagged, as ptd_part_of_seven_trend marks it. */
Test(spc, trend_of_seven)
{
	const double a[] = {1, 2, 3, 4, 5, 6, 7};
	run(a, 7, SPC_HIGHER_BETTER, NAN);
	const int all[] = {1, 1, 1, 1, 1, 1, 1};
	expect_rule(SPC_RULE_TREND, all, 7);
	const double b[] = {1, 2, 3, 4, 5, 6};
	run(b, 6, SPC_HIGHER_BETTER, NAN);
	const int none[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	expect_rule(SPC_RULE_TREND, none, 6);
	const double c[] = {1, 2, 3, 3, 4, 5, 6};
	run(c, 7, SPC_HIGHER_BETTER, NAN);
	expect_rule(SPC_RULE_TREND, none, 7);
	const double d[] = {2, 1, 2, 3, 4, 5, 6, 7, 3};
	run(d, 9, SPC_HIGHER_BETTER, NAN);
	const int want_d[] = {0, 1, 1, 1, 1, 1, 1, 1, 0};
	expect_rule(SPC_RULE_TREND, want_d, 9);
	const double f[] = {2, 7, 6, 5, 4, 3, 2, 1, 3};
	run(f, 9, SPC_LOWER_BETTER, NAN);
	const int want_f[] = {0, 1, 1, 1, 1, 1, 1, 1, 0};
	expect_rule(SPC_RULE_TREND, want_f, 9);
}

/* ptd_two_in_three / ptd_part_of_two_in_three: with the points beyond two
 * sigma on one side at positions 3 and 5 of 7 (0 0 1 0 1 0 0), both are
 * flagged; at 1 and 4 of 4 (1 0 0 1) neither is (never 2 in a window of
 * 3); at 1, 4 and 5 of 5 (1 0 0 1 1), the 4th and 5th are. The data are
 * built so that the marked points are beyond two sigma and within the
 * limits: the baseline (first 12 points, 10 and 11 alternating) gives mean
 * 10.5, mean moving range 1, two-sigma line 10.5 + 1.7733 = 12.27, upper
 * limit 13.16; a marked point is 12.8. */
static void two_in_three_case(const int *marks, int m, const int *want)
{
	double x[MAXN];
	int n = 0;
	for (; n < 12; n++)
		x[n] = n % 2 ? 11 : 10;
	for (int i = 0; i < m; i++)
		x[n + i] = marks[i] ? 12.8 : (i % 2 ? 10 : 11);
	cr_assert_eq(spc_xmr(x, n + m, 12, SPC_HIGHER_BETTER, NAN, &chart, pts), 0);
	cr_expect_float_eq(chart.mean, 10.5, 1e-12);
	cr_expect_float_eq(chart.mean_moving_range, 1, 1e-12);
	for (int i = 0; i < m; i++) {
		cr_expect_eq(pts[n + i].rules & SPC_RULE_OUTSIDE, 0u);
		cr_expect_eq((pts[n + i].rules & SPC_RULE_TWO_IN_THREE) != 0, want[i] != 0, "mark %d", i + 1);
	}
}

Test(spc, two_of_three_beyond_two_sigma)
{
	const int f[] = {0, 0, 1, 0, 1, 0, 0}, fw[] = {0, 0, 1, 0, 1, 0, 0};
	two_in_three_case(f, 7, fw);
	const int h[] = {1, 0, 0, 1}, hw[] = {0, 0, 0, 0};
	two_in_three_case(h, 4, hw);
	const int i[] = {1, 0, 0, 1, 1}, iw[] = {0, 0, 0, 1, 1};
	two_in_three_case(i, 5, iw);
}

/* A point outside the limits, and the assurance verdicts. */
Test(spc, outside_limits_and_assurance)
{
	const double x[] = {10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 20};
	cr_assert_eq(spc_xmr(x, 11, 10, SPC_LOWER_BETTER, NAN, &chart, pts), 0);
	cr_expect(pts[10].rules & SPC_RULE_OUTSIDE);
	cr_expect_eq(chart.variation, SPC_SPECIAL_CONCERNING, "a high point when lower is better");
	/* Mean 10.5, limits 10.5 -+ 2.66: 7.84 .. 13.16. */
	const double y[] = {10, 11, 10, 11, 10, 11, 10, 11};
	run(y, 8, SPC_HIGHER_BETTER, 5);
	cr_expect_eq(chart.assurance, SPC_CONSISTENTLY_PASSES);
	run(y, 8, SPC_HIGHER_BETTER, 15);
	cr_expect_eq(chart.assurance, SPC_CONSISTENTLY_FAILS);
	run(y, 8, SPC_HIGHER_BETTER, 12);
	cr_expect_eq(chart.assurance, SPC_HIT_AND_MISS);
	run(y, 8, SPC_LOWER_BETTER, 15);
	cr_expect_eq(chart.assurance, SPC_CONSISTENTLY_PASSES);
	run(y, 8, SPC_LOWER_BETTER, 5);
	cr_expect_eq(chart.assurance, SPC_CONSISTENTLY_FAILS);
	cr_expect_eq(spc_xmr(y, 1, 0, SPC_LOWER_BETTER, NAN, &chart, pts), -1);
}

/* ---- int_area_trend on a hand-made list (tests/fixtures/spc_trend) -------- */

/* Census 2024-03-31; sites S1 (Trust RA1) and S2 (Trust RB2), both in ICS
 * QA1; the shipped rules (18 weeks = 126 days, grace 7, P2 28 days).
 *   K1 S1 110 -   start 2023-01-01, open
 *   K2 S1 110 P2  start 2024-01-01, priority date 2024-02-15, open
 *   K3 S2 130 -   start 2024-01-15, stopped 2024-02-20
 *   K4 S2 130 -   start 2023-11-10, open
 * At each month end (wait = month end - start; overdue when past 133 days,
 * or a P2 prioritised by then past 35 days from its priority date):
 *   2023-12-31: K1 364 (not over 52 weeks: 364 is not more; overdue),
 *               K4 51 (within)                       list 2 within 1 over52 0 overdue 1
 *   2024-01-31: K1 395 (over 52, overdue), K2 30 (not yet prioritised: the
 *               priority date is later; within), K3 16, K4 82
 *                                                    list 4 within 3 over52 1 overdue 1
 *   2024-02-29: K1 424, K2 59 (priority wait 14: not overdue, where the
 *               census's "prioritised since the clock start" would give
 *               59 and overdue), K4 111; K3 stopped list 3 within 2 over52 1 overdue 1
 *   2024-03-31: K1 455, K2 90 (priority wait 45: overdue), K4 142
 *               (overdue)                            list 3 within 1 over52 1 overdue 3 */
static void expect_area(const mm_table *t, const char *level, const char *code, const char *month, int64_t list,
			int64_t within, int64_t over52, int64_t overdue)
{
	int32_t d = DATE_NULL;
	cr_assert_eq(date_parse(month, strlen(month), &d), 0);
	int cl = tbl_col(t, "level"), cc = tbl_col(t, "area_code"), cm = tbl_col(t, "month_end");
	for (size_t r = 0; r < t->nrows; r++) {
		if (strcmp(tbl_str(t, cl, r), level) || strcmp(tbl_str(t, cc, r), code) || tbl_date(t, cm, r) != d)
			continue;
		cr_expect_eq(tbl_int(t, tbl_col(t, "list_size"), r), list, "%s %s %s list", level, code, month);
		cr_expect_eq(tbl_int(t, tbl_col(t, "within_18_weeks"), r), within, "%s %s %s within", level, code,
			     month);
		cr_expect_eq(tbl_int(t, tbl_col(t, "over_52_weeks"), r), over52, "%s %s %s over 52", level, code,
			     month);
		cr_expect_eq(tbl_int(t, tbl_col(t, "overdue"), r), overdue, "%s %s %s overdue", level, code, month);
		return;
	}
	cr_expect(0, "no row %s %s %s", level, code, month);
}

Test(spc_model, area_trend_by_hand)
{
	sources s;
	run_ctx ctx;
	test_report rep;
	memset(&s, 0, sizeof s);
	memset(&ctx, 0, sizeof ctx);
	memset(&rep, 0, sizeof rep);
	diag_quiet = 1;
	cr_assert_eq(sources_load(&s, "tests/fixtures/spc_trend", "data"), 0);
	ctx.src = &s;
	ctx.sp = &s.sp;
	ctx.census = days_from_civil(2024, 3, 31);
	ctx.census_given = 1;
	ctx.rules_path = "data/risk_rules.txt";
	ctx.risk = risk_rules_load(ctx.rules_path);
	cr_assert_not_null(ctx.risk);
	risk_rules_apply_rtt(ctx.risk, &ctx.rtt);
	int sel[MM_MAX_MODELS];
	cr_assert_eq(models_select("+int_area_trend", sel), 0);
	cr_assert_eq(models_run(&ctx, sel, RUN_TESTS, &rep), 0);
	for (size_t i = 0; i < rep.n; i++)
		cr_expect_neq(rep.v[i].status, TS_FAIL, "data test %s on %s failed", rep.v[i].name, rep.v[i].model);
	const mm_table *t = ctx_table(&ctx, "int_area_trend");
	cr_assert_not_null(t);
	/* 24 month ends for England, QA1, RA1, RB2, 110 and 130. */
	cr_expect_eq(t->nrows, 6 * 24);
	expect_area(t, "national", "ENG", "2022-04-30", 0, 0, 0, 0);
	expect_area(t, "national", "ENG", "2023-12-31", 2, 1, 0, 1);
	expect_area(t, "national", "ENG", "2024-01-31", 4, 3, 1, 1);
	expect_area(t, "national", "ENG", "2024-02-29", 3, 2, 1, 1);
	expect_area(t, "national", "ENG", "2024-03-31", 3, 1, 1, 3);
	expect_area(t, "ics", "QA1", "2024-03-31", 3, 1, 1, 3);
	expect_area(t, "trust", "RA1", "2024-02-29", 2, 1, 1, 1);
	expect_area(t, "trust", "RA1", "2024-03-31", 2, 1, 1, 2);
	expect_area(t, "trust", "RB2", "2024-01-31", 2, 2, 0, 0);
	expect_area(t, "trust", "RB2", "2024-03-31", 1, 0, 0, 1);
	expect_area(t, "specialty", "110", "2024-01-31", 2, 1, 1, 1);
	expect_area(t, "specialty", "130", "2024-03-31", 1, 0, 0, 1);
	/* Each level's own column only: a Trust row has no ICS code, so an
	 * ICS page reads the ICS series alone. */
	int ci = tbl_col(t, "ics_code"), ct = tbl_col(t, "trust_code"), cl = tbl_col(t, "level");
	for (size_t r = 0; r < t->nrows; r++) {
		int trust = !strcmp(tbl_str(t, cl, r), "trust"), ics = !strcmp(tbl_str(t, cl, r), "ics");
		cr_expect_eq(!tbl_isnull(t, ct, r), trust);
		cr_expect_eq(!tbl_isnull(t, ci, r), ics);
	}
	test_report_free(&rep);
	run_ctx_free(&ctx);
	sources_free(&s);
}
