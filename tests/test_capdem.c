/* fct_capacity_demand on a hand-made data set (tests/fixtures/capdem),
 * census Sunday 2024-06-30. The last 13 complete weeks start on Mondays
 * 2024-04-01 .. 2024-06-24 (the week of 2024-03-25 is the 14th); the last
 * 52 start 2023-07-03 .. 2024-06-24. docs/kpis.md, "Capacity against
 * demand", has the definitions.
 *
 * Conversion, treatment function 110, every site, 52 weeks: attended in
 * held sessions SE1 5 (A01-A05, A04 late but seen; A06 did not attend),
 * SE3 3 (A07-A09), SE4 2 (A10 A11), SE6 none = 10; clock stops K01
 * (04-10), K02 (05-15), K03 (06-25), K09 (01-15) = 4: 10 / 4 = 2.5
 * appointments per pathway. Function 130 has no clock stop: no conversion.
 *
 *   site tf   starts 13w        stops 13w    slots 13w          open at census
 *   S1   110  K04 = 1           K01-K03 = 3  SE1 12 (SE2         K04 K14 K15 = 3 (K14
 *                                            cancelled, SE6 in   started in the 14th
 *                                            the 14th week)      week, K15 stops after
 *                                                                the census)
 *   S2   110  K07 K08 K10 = 3   0            SE4 6               K07 K08 K10 K11 = 4
 *   S1   130  K12 = 1           0            SE5 4               K12 = 1
 *
 * S1 110: capacity 12 / 2.5 = 4.8 -> 5 pathways; demand gap 1 - 5 = -4;
 *   activity gap 1 - 3 = -2; net clearance (3 - 1) / 13 a week; weeks to
 *   clear 3 / (2 / 13) = 19.5, rounded up to 20.
 * S2 110: capacity 6 / 2.5 = 2.4 -> 2; demand gap 3 - 2 = 1; activity gap
 *   3; net clearance -3 / 13: not clearing, weeks to clear null.
 * S1 130: no conversion, so capacity and demand gap null; not clearing. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "load/load.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "util/date.h"
#include "util/diag.h"
#include "run_models.h"

#define EPS 1e-9


static void run_fixture(run *x)
{
	run_expect_clean(x, run_models(x, "tests/fixtures/capdem", "data", "2024-06-30"));
}

static size_t row_of(const mm_table *t, const char *site, const char *tf)
{
	int cs = col(t, "site_id"), ct = col(t, "treatment_function");
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(tbl_str(t, cs, r), site) && !strcmp(tbl_str(t, ct, r), tf))
			return r;
	cr_assert_fail("fct_capacity_demand has no row %s %s", site, tf);
	return 0;
}

static double num(const mm_table *t, size_t r, const char *c)
{
	return tbl_value(t, col(t, c), r);
}

Test(capdem, one_unit)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "fct_capacity_demand");
	cr_assert_eq(t->nrows, 3);
	/* Ordered by site, then treatment function. */
	cr_expect_eq(row_of(t, "S1", "110"), 0);
	cr_expect_eq(row_of(t, "S1", "130"), 1);
	cr_expect_eq(row_of(t, "S2", "110"), 2);

	size_t r = row_of(t, "S1", "110"); /* clearing */
	cr_expect_str_eq(tbl_str(t, col(t, "trust_code"), r), "RA1");
	cr_expect_str_eq(tbl_str(t, col(t, "ics_code"), r), "QA1");
	cr_expect_eq(num(t, r, "clock_starts"), 1);
	cr_expect_eq(num(t, r, "clock_stops"), 3);
	cr_expect_eq(num(t, r, "planned_slots"), 12);
	cr_expect_eq(num(t, r, "attended"), 5);
	cr_expect_eq(num(t, r, "national_attended_52w"), 10);
	cr_expect_eq(num(t, r, "national_clock_stops_52w"), 4);
	cr_expect_float_eq(num(t, r, "appointments_per_pathway"), 2.5, EPS);
	cr_expect_eq(num(t, r, "capacity_pathways"), 5);
	cr_expect_eq(num(t, r, "demand_gap"), -4);
	cr_expect_eq(num(t, r, "activity_gap"), -2);
	cr_expect_eq(num(t, r, "open_pathways"), 3);
	cr_expect_float_eq(num(t, r, "net_clearance_per_week"), 2.0 / 13.0, EPS);
	cr_expect_float_eq(num(t, r, "weeks_to_clear"), 20, EPS);
	cr_expect_eq(num(t, r, "clearing"), 1);

	r = row_of(t, "S2", "110"); /* not clearing */
	cr_expect_eq(num(t, r, "clock_starts"), 3);
	cr_expect_eq(num(t, r, "clock_stops"), 0);
	cr_expect_eq(num(t, r, "planned_slots"), 6);
	cr_expect_eq(num(t, r, "attended"), 2);
	cr_expect_float_eq(num(t, r, "appointments_per_pathway"), 2.5, EPS);
	cr_expect_eq(num(t, r, "capacity_pathways"), 2);
	cr_expect_eq(num(t, r, "demand_gap"), 1);
	cr_expect_eq(num(t, r, "activity_gap"), 3);
	cr_expect_eq(num(t, r, "open_pathways"), 4);
	cr_expect_float_eq(num(t, r, "net_clearance_per_week"), -3.0 / 13.0, EPS);
	cr_expect(isnan(num(t, r, "weeks_to_clear")), "not clearing: weeks_to_clear must be null");
	cr_expect_eq(num(t, r, "clearing"), 0);

	r = row_of(t, "S1", "130"); /* no conversion */
	cr_expect_eq(num(t, r, "clock_starts"), 1);
	cr_expect_eq(num(t, r, "planned_slots"), 4);
	cr_expect_eq(num(t, r, "national_clock_stops_52w"), 0);
	cr_expect(isnan(num(t, r, "appointments_per_pathway")));
	cr_expect(tbl_isnull(t, col(t, "capacity_pathways"), r));
	cr_expect(tbl_isnull(t, col(t, "demand_gap"), r));
	cr_expect_eq(num(t, r, "activity_gap"), 1);
	cr_expect_eq(num(t, r, "open_pathways"), 1);
	cr_expect(isnan(num(t, r, "weeks_to_clear")));
	cr_expect_eq(num(t, r, "clearing"), 0);
	run_free(&x);
}
