/* KPI and mart tests: tiny hand-made data sets (tests/fixtures/kpi_*) run
 * through every model with the shipped rules (data/risk_rules.txt); each
 * expected number is worked out by hand in the comments. docs/kpis.md has
 * the definitions. Waits are census - clock start, in days.
 *
 * kpi_basic, census 2024-02-29 (a month end in a leap year). Open pathways:
 *   id   patient site tf  prio wait  overdue (threshold)  validated
 *   W01  P01 H   S1  110  P2   366   yes (35)             45 days ago
 *   W02  P01 H   S1  130  -     10   no  (133)            never
 *   W03  P02 H   S2  110  P2    20   no  (35)             84 days ago (ok)
 *   W04  P02 H   S2  110  P3   200   yes (98)             85 days ago
 *   W05  P03     S1  110  -    126   no                   ok
 *   W06  P03     S1  130  -    127   no                   ok
 *   W07  P04     S1  110  P4   134   yes (133)            never
 *   W08  P04     S2  130  -    133   no  (133)            ok
 *   W09  P05     S2  110  -    365   yes                  2023-06-01
 *   W10  P05     S2  130  -    364   yes                  ok
 *   W11  P06     S1  110  -      0   no                   never
 *   W12  P06     S1  110  -    800   yes                  2023-01-01
 *   W13  P06     S2  130  -    500   yes                  ok
 *   W14  P03     S2  110  -    600   yes                  ok
 *   W15  P03     S2  130  -     55   no  (stops 2024-03-10, after census)
 *   W16  P08 H   S1  110  P2    30   no  (35)             never
 * Closed: C01 (P07, stopped 2024-02-10), C02 (P01, stopped on the census).
 * W01 started 2023-02-28: 366 days because of 29 February 2024; W09
 * (2023-03-01) 365 days and W10 (2023-03-02) exactly 364 = 52 weeks.
 * W05 waits exactly 18 weeks (126 days), W06 18 weeks + 1 day.
 * H = High tier: aged 80+ (3 points), two emergency attendances in 12 months
 * (3) and a P2 pathway (2) = 8 >= 7. The others are under 65 with no
 * admissions, conditions or urgent priority: at most 2 points, Low.
 * Sorted waits (n = 16): 0 10 20 30 55 126 127 133 134 200 364 365 366 500
 * 600 800. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "helpers.h"
#include "run_models.h"
#include "load/load.h"
#include "models/marts/kpi_summary.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "models/rules/rtt_clock.h"
#include "util/date.h"
#include "util/diag.h"

#define EPS 1e-9


static int32_t day(const char *s)
{
	int32_t d = DATE_NULL;
	cr_assert_eq(date_parse(s, strlen(s), &d), 0, "bad date %s", s);
	return d;
}

/* Loads dir, runs every model with its data tests; all must pass. */
static void run_all(run *x, const char *dir, const char *census)
{
	run_expect_clean(x, run_models(x, dir, "data", census));
}

static mm_table *table(run *x, const char *name)
{
	return ctx_table(&x->ctx, name);
}

/* The row of t whose string columns a (and b, when given) hold va (vb). */
static size_t row_str(const mm_table *t, const char *a, const char *va, const char *b, const char *vb)
{
	int ca = col(t, a), cb = b ? col(t, b) : -1;
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(tbl_str(t, ca, r), va) == 0 && (cb < 0 || strcmp(tbl_str(t, cb, r), vb) == 0))
			return r;
	cr_assert_fail("%s has no row %s=%s%s%s", t->name, a, va, b ? " and that value of " : "", b ? b : "");
	return 0;
}

static double num(const mm_table *t, size_t r, const char *c)
{
	return tbl_value(t, col(t, c), r);
}

static const char *str(const mm_table *t, size_t r, const char *c)
{
	return tbl_str(t, col(t, c), r);
}

/* value, status and standard of a KPI. */
static void expect_kpi(run *x, const char *kpi, double value, const char *status, double standard)
{
	mm_table *k = table(x, "kpi_summary");
	size_t r = row_str(k, "kpi", kpi, NULL, NULL);
	double v = num(k, r, "value"), s = num(k, r, "standard");
	if (isnan(value))
		cr_expect(isnan(v), "%s: expected null, got %.12g", kpi, v);
	else
		cr_expect_float_eq(v, value, EPS, "%s: expected %.12g, got %.12g", kpi, value, v);
	cr_expect_str_eq(str(k, r, "status"), status, "%s: status", kpi);
	if (isnan(standard))
		cr_expect(isnan(s), "%s: expected no standard", kpi);
	else
		cr_expect_float_eq(s, standard, EPS, "%s: standard", kpi);
}

Test(kpis, basic_waits)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	expect_kpi(&x, "list_size", 16, "none", NAN);
	/* Within 18 weeks (<= 126 days): 0 10 20 30 55 126 = 6; W06 (127) is
	 * over. 6 / 16 = 37.5%, below 65: red. */
	expect_kpi(&x, "pct_within_18_weeks", 37.5, "red", 92);
	/* > 364: W09 365, W01 366, 500, 600, 800 = 5 (W10 at 364 is not); 5 is
	 * not under 1% of 16: red. */
	expect_kpi(&x, "over_52_weeks", 5, "red", 0);
	expect_kpi(&x, "over_65_weeks", 3, "none", NAN);  /* > 455: 500 600 800 */
	expect_kpi(&x, "over_78_weeks", 2, "none", NAN);  /* > 546: 600 800 */
	expect_kpi(&x, "over_104_weeks", 1, "none", NAN); /* > 728: 800 */
	/* Median: rank ceil(16 / 2) = 8 -> 133 days = 19 weeks. */
	expect_kpi(&x, "median_wait_weeks", 19, "none", NAN);
	/* 92nd percentile: rank ceil(0.92 * 16) = ceil(14.72) = 15 -> 600 days. */
	expect_kpi(&x, "p92_wait_weeks", 600.0 / 7, "none", NAN);
	/* Overdue: W01 W04 W07 W09 W10 W12 W13 W14 = 8 (W07 at 134 > 126 + 7,
	 * W08 at 133 is not). High-tier ones: W01 (P01), W04 (P02) = 2. */
	expect_kpi(&x, "overdue_cases", 8, "none", NAN);
	expect_kpi(&x, "high_risk_overdue", 2, "none", NAN);
	/* Due for validation: waiting over 84 days and never validated (W07;
	 * not W02 W11 W16, waiting 10, 0 and 30 days) or validated more than 84
	 * days ago (W04 at 85, W09, W12; W03 at exactly 84 counts as
	 * validated): 4. */
	expect_kpi(&x, "not_validated_12_weeks", 4, "none", NAN);
	/* Over 126 days: 127 133 134 200 364 365 366 500 600 800 = 10. */
	expect_kpi(&x, "breaching_rtt", 10, "none", NAN);
	/* No priority dates here, so the priority clock falls back to the
	 * clock start: W01 P2 366 > 28, W04 P3 200 > 91, W07 P4 134 > 126 and
	 * W16 P2 30 > 28 are past their target; W03 P2 20 is not: 4. */
	expect_kpi(&x, "past_priority_target", 4, "none", NAN);
	expect_kpi(&x, "unknown_clock_start", 0, "none", NAN);
	expect_kpi(&x, "deceased_on_list", 0, "none", NAN);
	/* Weekly bands (k = ceil(days / 7), at least 1): 0 10 20 30 55 126 in
	 * bands 1 2 3 5 8 18; 127 133 in 19; 134 in 20; 200 in 29; 364 in 52;
	 * 365 366 in 53; 500 in 72; 600 in 86; 800 in 105. Median position
	 * 16 / 2 = 8: 6 before band 19, which holds 2: 18 + (8 - 6) / 2 = 19.
	 * 92nd percentile position 14.72: 14 before band 86 (1 pathway):
	 * 85 + 0.72 = 85.72 weeks. */
	expect_kpi(&x, "median_wait_weeks_banded", 19, "none", NAN);
	expect_kpi(&x, "p92_wait_weeks_banded", 85.72, "none", NAN);
	run_free(&x);
}

/* Appointments of kpi_basic (slot date, outcome; session):
 *   A01 W01 02-05 attended SE1      A11 C01 02-05 attended SE1
 *   A02 W01 02-12 dna SE2           A12 C02 2023-07-01 patient cancelled ("Holiday")
 *   A03 W04 02-06 hospital cancelled the day before, SE4 (last minute)
 *   A04 W05 02-05 late seen SE1     A13 W16 02-12 hospital cancelled that morning, SE2 (last minute)
 *   A05 W05 02-05 late not seen SE1 A14 W13 2023-12-01 attended SE6
 *   A06 W07 02-12 patient cancelled SE2
 *   A07 W09 02-06 hospital cancelled 2024-01-20, SE4
 *   A08 W12 02-12 dna SE2           A15 W06 2023-11-30 attended SE5
 *   A09 W12 03-05 not yet           A16 W10 03-01 patient cancelled 02-20
 *   A10 W03 02-06 attended SE4      A17 W12 03-04 not yet SE7
 *   A18 W03 02-06 attended SE4      A19 W09 02-06 attended SE4
 * Past slots (<= census), all with an outcome: 16 (all but A09 A16 A17). */
Test(kpis, basic_appointments)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	/* Booked and due: A01 A02 A04 A05 A08 A10 A11 A14 A15 A18 A19. The
	 * outpatient DNA rate counts first and follow-up appointments: A01 A02
	 * A04 A05 A08 A11 A14 A15 = 8, DNAs A02 A08 = 2: 25%. Theatre: A18 A19
	 * due, none missed: 0%. Pre-op and diagnostic: A10, attended: 0%. */
	expect_kpi(&x, "dna_rate", 25, "none", NAN);
	expect_kpi(&x, "dna_rate_theatre", 0, "none", NAN);
	expect_kpi(&x, "dna_rate_preop_diagnostic", 0, "none", NAN);
	/* Hospital cancellations A03 A07 A13 = 3 of 16. */
	expect_kpi(&x, "hospital_cancellation_rate", 18.75, "none", NAN);
	/* Last minute A03 A13 = 2 of 16. */
	expect_kpi(&x, "last_minute_cancellation_rate", 12.5, "none", NAN);
	/* Held sessions of the last 13 complete weeks, Monday weeks with
	 * census - 97 (2023-11-24) < week_start <= census - 6 (2024-02-23):
	 * the weeks of 2023-11-27 .. 2024-02-19. SE1 10, SE2 8, SE4 4, SE5 5
	 * (2023-11-30, week of 11-27), SE6 3 = 30 slots (SE3 cancelled, SE7
	 * after). Seen in them: SE1 A01 A04 A11, SE4 A10 A18 A19, SE5 A15, SE6
	 * A14 = 8: 26.67%. */
	expect_kpi(&x, "slot_utilisation", 800.0 / 30, "none", NAN);
	/* High tier: P01 P02 P08 = 3. Delayed: P01 (W01), P02 (W04) = 2.
	 * Cancelled on an open pathway: P02 (A03 on W04), P08 (A13 on W16);
	 * P01's A12 is on the closed C02 = 2. DNA: P01 (A02) = 1. */
	expect_kpi(&x, "pct_high_risk_delayed", 200.0 / 3, "none", NAN);
	expect_kpi(&x, "pct_high_risk_cancelled", 200.0 / 3, "none", NAN);
	expect_kpi(&x, "pct_high_risk_dna", 100.0 / 3, "none", NAN);
	run_free(&x);
}

Test(kpis, kpi_rows_fixed)
{
	static const char *const order[] = {
		"list_size", "pct_within_18_weeks", "over_52_weeks", "over_65_weeks", "over_78_weeks",
		"over_104_weeks", "median_wait_weeks", "p92_wait_weeks", "overdue_cases", "high_risk_overdue",
		"pct_high_risk_delayed", "pct_high_risk_cancelled", "pct_high_risk_dna", "dna_rate",
		"hospital_cancellation_rate", "last_minute_cancellation_rate", "slot_utilisation",
		"not_validated_12_weeks", "breaching_rtt", "past_priority_target", "unknown_clock_start",
		"deceased_on_list", "dna_rate_theatre", "dna_rate_preop_diagnostic", "median_wait_weeks_banded",
		"p92_wait_weeks_banded",
	};
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *k = table(&x, "kpi_summary");
	cr_assert_eq(k->nrows, sizeof order / sizeof order[0]);
	for (size_t r = 0; r < k->nrows; r++) {
		cr_expect_str_eq(str(k, r, "kpi"), order[r]);
		cr_expect_neq(strlen(str(k, r, "label")), 0);
		cr_expect_neq(strlen(str(k, r, "definition")), 0);
	}
	size_t r = row_str(k, "kpi", "pct_within_18_weeks", NULL, NULL);
	cr_expect_str_eq(str(k, r, "unit"), "percent");
	cr_expect_str_eq(str(k, r, "direction"), "higher_better");
	r = row_str(k, "kpi", "median_wait_weeks", NULL, NULL);
	cr_expect_str_eq(str(k, r, "unit"), "weeks");
	cr_expect_str_eq(str(k, r, "direction"), "lower_better");
	run_free(&x);
}

/* The denominators declared with the percentages give back a whole
 * numerator: pct_within_18_weeks is 6 of the 16 open pathways, each
 * pct_high_risk_ KPI 1 or 2 of the 3 High-tier patients. A KPI that is no
 * percentage declares none. */
Test(kpis, declared_denominators)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *k = table(&x, "kpi_summary");
	int declared = 0;
	for (size_t r = 0; r < k->nrows; r++) {
		const kpi_denominator *d = kpi_denominator_of(str(k, r, "kpi"));
		if (!d)
			continue;
		declared++;
		cr_expect_str_eq(str(k, r, "unit"), "percent", "%s", str(k, r, "kpi"));
		double den = 0;
		if (d->kpi) {
			size_t o = row_str(k, "kpi", d->kpi, NULL, NULL);
			cr_expect_str_eq(str(k, o, "unit"), "count");
			den = num(k, o, "value");
		} else {
			mm_table *m = table(&x, d->model);
			for (size_t i = 0; i < m->nrows; i++)
				den += !strcmp(str(m, i, d->col), d->val);
		}
		double part = num(k, r, "value") * den / 100.0;
		cr_expect(den > 0 && fabs(part - round(part)) < 1e-9, "%s: %g%% of %g", str(k, r, "kpi"),
			  num(k, r, "value"), den);
	}
	cr_expect_eq(declared, 4);
	cr_expect_null(kpi_denominator_of("list_size"));
	cr_expect_null(kpi_denominator_of("no_such_kpi"));
	run_free(&x);
}

Test(kpis, basic_trend)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *t = table(&x, "fct_waitlist_trend");
	cr_assert_geq(t->nrows, 2);
	size_t last = t->nrows - 1, jan = t->nrows - 2;
	cr_expect_eq(tbl_date(t, col(t, "month_end"), last), day("2024-02-29"));
	cr_expect_eq(tbl_date(t, col(t, "month_end"), jan), day("2024-01-31"));
	for (size_t r = 1; r < t->nrows; r++)
		cr_expect_lt(tbl_date(t, col(t, "month_end"), r - 1), tbl_date(t, col(t, "month_end"), r));
	/* The census month: the 16 open pathways; started in February W02
	 * (19th), W03 (9th), W11 (29th) = 3; stopped C01 (10th) and C02 (29th,
	 * the census day itself) = 2; W15's stop (March) is after the span. */
	cr_expect_eq(num(t, last, "list_size"), 16);
	cr_expect_eq(num(t, last, "within_18_weeks"), 6);
	cr_expect_float_eq(num(t, last, "pct_within_18_weeks"), 37.5, EPS);
	cr_expect_eq(num(t, last, "over_52_weeks"), 5);
	cr_expect_eq(num(t, last, "clock_starts"), 3);
	cr_expect_eq(num(t, last, "clock_stops"), 2);
	/* 2024-01-31 (29 days earlier): open are all but W02 W03 W11, plus C01
	 * (started 2023-12-01) and C02 (2023-06-01) = 15. Waits: W01 337, W04
	 * 171, W05 97, W06 98, W07 105, W08 104, W09 336, W10 335, W12 771,
	 * W13 471, W14 571, W15 26, W16 1, C01 61, C02 244. Within 18 weeks:
	 * W05 W06 W07 W08 W15 W16 C01 = 7 (7 / 15); over 52: W12 W13 W14 = 3.
	 * Started in January: W15, W16 = 2; none stopped. */
	cr_expect_eq(num(t, jan, "list_size"), 15);
	cr_expect_eq(num(t, jan, "within_18_weeks"), 7);
	cr_expect_float_eq(num(t, jan, "pct_within_18_weeks"), 700.0 / 15, EPS);
	cr_expect_eq(num(t, jan, "over_52_weeks"), 3);
	cr_expect_eq(num(t, jan, "clock_starts"), 2);
	cr_expect_eq(num(t, jan, "clock_stops"), 0);
	run_free(&x);
}

static size_t cap_row(const mm_table *t, const char *site, const char *tf, const char *week)
{
	int cs = col(t, "site_id"), ct = col(t, "treatment_function"), cw = col(t, "week_start");
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(tbl_str(t, cs, r), site) && !strcmp(tbl_str(t, ct, r), tf) && tbl_date(t, cw, r) == day(week))
			return r;
	cr_assert_fail("fct_capacity_audit has no row %s %s %s", site, tf, week);
	return 0;
}

Test(kpis, basic_capacity_audit)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *t = table(&x, "fct_capacity_audit");
	/* S2 110, week of Monday 2024-02-05: SE4 (4 slots) got A03 A07 A10 A18
	 * A19 = 5 bookings: over-booked by 1; seen A10 A18 A19 = 3, utilisation
	 * 3 / 4; hospital cancellations A03 A07; W03 started on the 9th. */
	size_t r = cap_row(t, "S2", "110", "2024-02-05");
	cr_expect_eq(num(t, r, "planned_slots"), 4);
	cr_expect_eq(num(t, r, "booked"), 5);
	cr_expect_eq(num(t, r, "attended"), 3);
	cr_expect_eq(num(t, r, "hospital_cancellations"), 2);
	cr_expect_eq(num(t, r, "over_booked"), 1);
	cr_expect_eq(num(t, r, "over_booking"), 1);
	cr_expect_float_eq(num(t, r, "utilisation"), 0.75, EPS);
	cr_expect_eq(num(t, r, "clock_starts"), 1);
	cr_expect_eq(num(t, r, "demand_gap"), 1);
	cr_expect_str_eq(str(t, r, "trust_code"), "RB2");
	/* S1 110, same week: SE1 (10 slots), booked A01 A04 A05 A11; seen A01
	 * A04 A11 = 3 (A05 came too late to be seen): 0.3; C01 stopped on the
	 * 10th: demand gap 0 - 1 = -1. */
	r = cap_row(t, "S1", "110", "2024-02-05");
	cr_expect_eq(num(t, r, "planned_slots"), 10);
	cr_expect_eq(num(t, r, "booked"), 4);
	cr_expect_eq(num(t, r, "over_booked"), 0);
	cr_expect_eq(num(t, r, "over_booking"), 0);
	cr_expect_float_eq(num(t, r, "utilisation"), 0.3, EPS);
	cr_expect_eq(num(t, r, "clock_stops"), 1);
	cr_expect_eq(num(t, r, "demand_gap"), -1);
	/* S1 110, week of 2024-02-19: SE3 was cancelled, no slots: utilisation null. */
	r = cap_row(t, "S1", "110", "2024-02-19");
	cr_expect_eq(num(t, r, "sessions_cancelled"), 1);
	cr_expect_eq(num(t, r, "planned_slots"), 0);
	cr_expect(isnan(num(t, r, "utilisation")));
	/* Ordered by site, treatment function, week. */
	for (size_t i = 1; i < t->nrows; i++) {
		int c = strcmp(str(t, i - 1, "site_id"), str(t, i, "site_id"));
		if (!c)
			c = strcmp(str(t, i - 1, "treatment_function"), str(t, i, "treatment_function"));
		if (!c)
			c = num(t, i - 1, "week_start") < num(t, i, "week_start") ? -1 : 1;
		cr_expect_lt(c, 0, "row %zu out of order", i);
	}
	run_free(&x);
}

Test(kpis, basic_organisation)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *t = table(&x, "dim_organisation");
	cr_assert_eq(t->nrows, 2);
	/* Ordered by Trust: RA1 (S1) then RB2 (S2). Open at S1: W01 W02 W05 W06
	 * W07 W11 W12 W16 = 8, at S2 the other 8. Held slots in the last 13
	 * complete weeks: S1 SE1 + SE2 + SE5 = 23; S2 SE4 + SE6 = 7. */
	cr_expect_str_eq(str(t, 0, "site_id"), "S1");
	cr_expect_str_eq(str(t, 0, "trust_code"), "RA1");
	cr_expect_str_eq(str(t, 0, "ics_code"), "QA1");
	cr_expect_eq(num(t, 0, "open_pathways"), 8);
	cr_expect_eq(num(t, 0, "planned_slots_13w"), 23);
	cr_expect_str_eq(str(t, 1, "site_id"), "S2");
	cr_expect_eq(num(t, 1, "open_pathways"), 8);
	cr_expect_eq(num(t, 1, "planned_slots_13w"), 7);
	run_free(&x);
}

/* Cohort: P01 F 84, P02 M 88, P03 F 34, P04 M 38, P05 F 24 (born on
 * 29 February), P06 M 53, P08 M 85; P07 has no open pathway. */
Test(kpis, basic_equity)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *t = table(&x, "fct_equity");
	/* All: 7 patients, 16 pathways, median 133, over 18 weeks 10 / 16,
	 * overdue 8 / 16, High 3 / 7. */
	cr_assert_gt(t->nrows, 0);
	cr_expect_str_eq(str(t, 0, "dimension"), "all");
	cr_expect_str_eq(str(t, 0, "group_value"), "All patients");
	cr_expect_eq(num(t, 0, "patients"), 7);
	cr_expect_eq(num(t, 0, "open_pathways"), 16);
	cr_expect_float_eq(num(t, 0, "median_wait_days"), 133, EPS);
	cr_expect_float_eq(num(t, 0, "pct_over_18_weeks"), 62.5, EPS);
	cr_expect_float_eq(num(t, 0, "pct_overdue"), 50, EPS);
	cr_expect_eq(num(t, 0, "high_risk"), 3);
	cr_expect_float_eq(num(t, 0, "pct_high_risk"), 300.0 / 7, EPS);
	cr_expect_float_eq(num(t, 0, "gap_median_wait_days"), 0, EPS);
	/* Female: P01 P03 P05, waits 10 55 126 127 364 365 366 600: median
	 * rank 4 = 127 (gap -6); over 18 weeks 5 / 8; overdue W01 W09 W10 W14
	 * 4 / 8; High P01: 1 / 3. */
	size_t r = row_str(t, "dimension", "sex", "group_value", "Female");
	cr_expect_eq(num(t, r, "patients"), 3);
	cr_expect_eq(num(t, r, "open_pathways"), 8);
	cr_expect_float_eq(num(t, r, "median_wait_days"), 127, EPS);
	cr_expect_float_eq(num(t, r, "gap_median_wait_days"), -6, EPS);
	cr_expect_float_eq(num(t, r, "pct_over_18_weeks"), 62.5, EPS);
	cr_expect_float_eq(num(t, r, "gap_pct_over_18_weeks"), 0, EPS);
	cr_expect_float_eq(num(t, r, "pct_overdue"), 50, EPS);
	cr_expect_eq(num(t, r, "high_risk"), 1);
	cr_expect_float_eq(num(t, r, "pct_high_risk"), 100.0 / 3, EPS);
	/* 80+: P01 P02 P08, waits 10 20 30 200 366: median rank 3 = 30 (gap
	 * -103); over 18 weeks 2 / 5 = 40% (gap -22.5); all three High. */
	r = row_str(t, "dimension", "age_band", "group_value", "80+");
	cr_expect_eq(num(t, r, "open_pathways"), 5);
	cr_expect_float_eq(num(t, r, "median_wait_days"), 30, EPS);
	cr_expect_float_eq(num(t, r, "gap_median_wait_days"), -103, EPS);
	cr_expect_float_eq(num(t, r, "gap_pct_over_18_weeks"), -22.5, EPS);
	cr_expect_float_eq(num(t, r, "pct_high_risk"), 100, EPS);
	/* IMD deciles in numeric order, the unknown one (P06) last. */
	static const char *const imd[] = {"1", "2", "5", "10", "Unknown"};
	size_t k = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(str(t, i, "dimension"), "imd_decile")) {
			cr_assert_lt(k, 5);
			cr_expect_str_eq(str(t, i, "group_value"), imd[k]);
			k++;
		}
	cr_expect_eq(k, 5);
	/* P06 (unknown decile): W11 0, W12 800, W13 500: median 500. */
	r = row_str(t, "dimension", "imd_decile", "group_value", "Unknown");
	cr_expect_eq(num(t, r, "patients"), 1);
	cr_expect_float_eq(num(t, r, "median_wait_days"), 500, EPS);
	run_free(&x);
}

static size_t cause_row(const mm_table *t, const char *trust, const char *tf, const char *side, const char *reason)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(str(t, r, "trust_code"), trust) && !strcmp(str(t, r, "treatment_function"), tf) &&
		    !strcmp(str(t, r, "cause_side"), side) && !strcmp(str(t, r, "reason"), reason))
			return r;
	cr_assert_fail("fct_delay_causes has no row %s %s %s %s", trust, tf, side, reason);
	return 0;
}

Test(kpis, basic_delay_causes)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_basic", "2024-02-29");
	mm_table *t = table(&x, "fct_delay_causes");
	/* RA1 (S1) x 110: DNAs A02 A08 = 2 (rank 1); patient cancellations A06
	 * (PAT_WORK) and A12 ("Holiday", not a standard code) and the hospital
	 * cancellation A13 with no reason, 1 each (rank 2). RB2 (S2) x 110:
	 * A03 A07 hospital, HOSP_NO_BED = 2. RB2 x 130: A16 cancelled on 02-20
	 * for a March slot still counts (cancelled by the census). 6 rows. */
	cr_expect_eq(t->nrows, 6);
	size_t r = cause_row(t, "RA1", "110", "dna", "DNA");
	cr_expect_eq(num(t, r, "events"), 2);
	cr_expect_eq(num(t, r, "rank"), 1);
	r = cause_row(t, "RA1", "110", "patient", "Holiday");
	cr_expect_eq(num(t, r, "events"), 1);
	cr_expect_eq(num(t, r, "rank"), 2);
	cr_expect_eq(num(t, r, "reason_is_standard"), 0);
	r = cause_row(t, "RA1", "110", "hospital", "Not recorded");
	cr_expect_eq(num(t, r, "rank"), 2);
	r = cause_row(t, "RB2", "110", "hospital", "HOSP_NO_BED");
	cr_expect_eq(num(t, r, "events"), 2);
	cr_expect_eq(num(t, r, "rank"), 1);
	cr_expect_eq(num(t, r, "reason_is_standard"), 1);
	cr_expect_str_eq(str(t, r, "trust_name"), "Beta NHS Trust (synthetic)");
	r = cause_row(t, "RB2", "130", "patient", "PAT_WORK");
	cr_expect_eq(num(t, r, "events"), 1);
	/* First rows: RA1 110 by events, then side, then reason. */
	cr_expect_str_eq(str(t, 0, "cause_side"), "dna");
	cr_expect_str_eq(str(t, 1, "cause_side"), "hospital");
	run_free(&x);
}

/* kpi_green, census 2023-12-31: 25 open pathways of 5 Low-tier patients,
 * waits 0 5 10 ... 110 (23 pathways), 127 and 364; nothing validated; an
 * empty appointments file and no capacity plan. */
Test(kpis, green_boundaries)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_green", "2023-12-31");
	cr_expect_eq(census_default(&x.s), day("2023-12-31"));
	expect_kpi(&x, "list_size", 25, "none", NAN);
	/* 23 / 25 = exactly 92%: green. */
	expect_kpi(&x, "pct_within_18_weeks", 92, "green", 92);
	/* 364 days is not over 52 weeks: 0, green. */
	expect_kpi(&x, "over_52_weeks", 0, "green", 0);
	/* Median rank 13 -> 60 days; 92nd percentile rank ceil(0.92 * 25) = 23
	 * (not 24, which a floating-point 0.92 * 25 = 23.000000000000004 would
	 * give) -> 110 days. */
	expect_kpi(&x, "median_wait_weeks", 60.0 / 7, "none", NAN);
	expect_kpi(&x, "p92_wait_weeks", 110.0 / 7, "none", NAN);
	/* Only the 364-day wait is past 126 + 7. */
	expect_kpi(&x, "overdue_cases", 1, "none", NAN);
	/* Nothing validated; waiting over 84 days: 85 90 ... 110, 127, 364 = 8. */
	expect_kpi(&x, "not_validated_12_weeks", 8, "none", NAN);
	/* No High-tier patient, no appointment, no capacity plan: null. */
	expect_kpi(&x, "high_risk_overdue", 0, "none", NAN);
	expect_kpi(&x, "pct_high_risk_delayed", NAN, "none", NAN);
	expect_kpi(&x, "pct_high_risk_cancelled", NAN, "none", NAN);
	expect_kpi(&x, "pct_high_risk_dna", NAN, "none", NAN);
	expect_kpi(&x, "dna_rate", NAN, "none", NAN);
	expect_kpi(&x, "hospital_cancellation_rate", NAN, "none", NAN);
	expect_kpi(&x, "last_minute_cancellation_rate", NAN, "none", NAN);
	expect_kpi(&x, "slot_utilisation", NAN, "none", NAN);
	/* Without sessions.csv the capacity audit is empty, by design. */
	cr_expect_eq(table(&x, "fct_capacity_audit")->nrows, 0);
	mm_table *t = table(&x, "fct_waitlist_trend");
	cr_assert_gt(t->nrows, 0);
	size_t last = t->nrows - 1;
	cr_expect_eq(tbl_date(t, col(t, "month_end"), last), day("2023-12-31"));
	cr_expect_eq(num(t, last, "list_size"), 25);
	cr_expect_float_eq(num(t, last, "pct_within_18_weeks"), 92, EPS);
	cr_expect_eq(num(t, last, "over_52_weeks"), 0);
	run_free(&x);
}

/* kpi_amber, census 2025-01-31: 200 open pathways of 20 Low-tier patients:
 * 130 within 18 weeks (0..126, then 0 1 2 again), 69 from 127 to 195 days
 * and one of 400; validated 84 days (odd rows) or 85 days (even rows) ago. */
Test(kpis, amber_boundaries)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_amber", "2025-01-31");
	/* 130 / 200 = exactly 65%: amber. */
	expect_kpi(&x, "pct_within_18_weeks", 65, "amber", 92);
	/* 1 over 52 weeks is 0.5% of 200, under 1%: amber. */
	expect_kpi(&x, "over_52_weeks", 1, "amber", 0);
	/* Sorted: 0 0 1 1 2 2 3 4 ... 126 (ranks 1-130), 127 ... 195 (131-199),
	 * 400. Median rank 100 -> 3 + (100 - 7) = 96 days; 92nd percentile
	 * rank 184 -> 127 + (184 - 131) = 180 days. */
	expect_kpi(&x, "median_wait_weeks", 96.0 / 7, "none", NAN);
	expect_kpi(&x, "p92_wait_weeks", 180.0 / 7, "none", NAN);
	/* Overdue (> 133 days): 134 ... 195 = 62, and 400: 63. */
	expect_kpi(&x, "overdue_cases", 63, "none", NAN);
	/* Validated 85 days ago (even rows) and waiting over 84 days: 56 of
	 * the 100 even rows (the others wait 84 days or less). */
	expect_kpi(&x, "not_validated_12_weeks", 56, "none", NAN);
	run_free(&x);
}

/* kpi_clocks, census 2024-06-30: the RTT clock rules (docs/kpis.md).
 *   id   prio start (source)           priority date        wait  prio wait
 *   K01  P2   2024-02-01 referral       DTA 2024-06-26       150   4
 *   K02  P2   2024-04-15 referral       2024-05-01           76    60
 *   K03  -    2024-03-01 RTT start*     -                    121   -
 *   K06  -    2024-03-01 referral (patient died 2024-05-01)  121   -
 *   K07  -    2024-04-06                                     85    -
 *   K08  -    2024-04-07                                     84    -
 *   K09  P3   2023-12-13                2024-06-20           200   10
 *   K10  -    2023-12-13                                     200   -
 * * K03 was referred 2023-12-01, did not attend its first appointment
 *   (A1, 2024-01-15): the clock was nullified and the rebooking on
 *   2024-03-01 started a new one; from the referral it would wait 212 days.
 * K04 ended with status 33 (first appointment not attended, 2024-02-20):
 * not on the list. K05 has no clock start: counted apart, not on the list.
 * K11 is rejected (priority P9) and its appointment A5 set aside; patient
 * P7 is rejected (gender X), so its pathway K12 and K12's appointment A6
 * are set aside: no reference test fails. */
Test(kpis, clocks)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_clocks", "2024-06-30");
	expect_kpi(&x, "list_size", 8, "none", NAN);
	expect_kpi(&x, "unknown_clock_start", 1, "none", NAN);
	/* Over 126 days: K01 150, K09 200, K10 200. */
	expect_kpi(&x, "breaching_rtt", 3, "none", NAN);
	/* K01 P2 prioritised 4 days ago is within its target (the old rule,
	 * from the referral, made it 122 days past); K02 P2 60 > 28; K09 P3
	 * 10 <= 91. */
	expect_kpi(&x, "past_priority_target", 1, "none", NAN);
	/* Overdue: K01 (RTT 150 > 133), K02 (priority 60 > 35), K09 and K10
	 * (RTT 200 > 133); K03 at 121 days from its new clock is not. */
	expect_kpi(&x, "overdue_cases", 4, "none", NAN);
	/* Due for validation: K03 (121, never), K07 (85, never), K10 (85 days
	 * ago); not K08 (84 days), K02 (76), K09 (84 days ago), K01 and K06
	 * (validated 2024-06-01). */
	expect_kpi(&x, "not_validated_12_weeks", 3, "none", NAN);
	expect_kpi(&x, "deceased_on_list", 1, "none", NAN);
	/* Outpatient: A1 DNA, A2 attended, A3 DNA, A7 attended: 50%. Theatre:
	 * A4 DNA: 100%. Pre-op: A8 attended: 0%. A5 and A6 were set aside. */
	expect_kpi(&x, "dna_rate", 50, "none", NAN);
	expect_kpi(&x, "dna_rate_theatre", 100, "none", NAN);
	expect_kpi(&x, "dna_rate_preop_diagnostic", 0, "none", NAN);

	mm_table *f = table(&x, "fct_overdue_cases");
	size_t r = row_str(f, "pathway_id", "K01", NULL, NULL);
	cr_expect_eq(num(f, r, "wait_days"), 150);
	cr_expect_eq(num(f, r, "priority_wait_days"), 4);
	cr_expect_str_eq(str(f, r, "overdue_reason"), "rtt");
	cr_expect_eq(num(f, r, "weeks_overdue"), 4); /* ceil((150 - 126) / 7) */
	r = row_str(f, "pathway_id", "K02", NULL, NULL);
	cr_expect_str_eq(str(f, r, "overdue_reason"), "priority");
	cr_expect_eq(num(f, r, "weeks_overdue"), 5); /* ceil((60 - 28) / 7) */
	r = row_str(f, "pathway_id", "K03", NULL, NULL);
	cr_expect_eq(tbl_date(f, col(f, "clock_start_date"), r), day("2024-03-01"));
	cr_expect_eq(num(f, r, "wait_days"), 121);
	cr_expect_str_eq(str(f, r, "wait_band"), ">17-18 weeks");
	r = row_str(f, "pathway_id", "K06", NULL, NULL);
	cr_expect(tbl_bool(f, col(f, "patient_deceased"), r));
	mm_table *p = table(&x, "stg_pathways");
	r = row_str(p, "pathway_id", "K04", NULL, NULL);
	cr_expect_str_eq(str(p, r, "clock_stop_reason"), "33");
	r = row_str(p, "pathway_id", "K03", NULL, NULL);
	cr_expect_eq(tbl_date(p, col(p, "referral_date"), r), day("2023-12-01"));
	cr_expect_eq(p->nrows, 10, "K11 rejected, K12 set aside");
	const load_stats *wl = &x.s.st[SRC_WAITING_LIST], *ap = &x.s.st[SRC_APPOINTMENTS];
	cr_expect_eq(wl->nrejects, 2);
	cr_expect_eq(wl->set_aside, 1);
	cr_expect_eq(ap->nrejects, 2);
	cr_expect_eq(ap->set_aside, 2);
	int a5 = 0, a6 = 0;
	for (size_t k = 0; k < ap->nkept; k++) {
		a5 += ap->rejects[k].line == 6 && strstr(ap->rejects[k].reason, "pathway 'K11' was rejected "
									   "(waiting_list.csv line 12)") != NULL;
		a6 += ap->rejects[k].line == 7 && strstr(ap->rejects[k].reason, "pathway 'K12'") != NULL;
	}
	cr_expect_eq(a5, 1, "A5 set aside naming K11 and its line");
	cr_expect_eq(a6, 1, "A6 set aside because K12 was");
	run_free(&x);
}

/* Two runs over the same data give byte-identical mart tables. */
static char *marts_csv(const char *dir, const char *census)
{
	static const char *const marts[] = {"dim_organisation", "fct_capacity_audit", "fct_waitlist_trend",
					    "fct_delay_causes", "fct_equity", "kpi_summary"};
	run x;
	run_all(&x, dir, census);
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	cr_assert_not_null(f);
	for (size_t i = 0; i < sizeof marts / sizeof marts[0]; i++)
		cr_assert_eq(tbl_write_csv(table(&x, marts[i]), f), 0);
	fclose(f);
	run_free(&x);
	return s;
}

Test(kpis, deterministic)
{
	char *a = marts_csv("tests/fixtures/kpi_basic", "2024-02-29");
	char *b = marts_csv("tests/fixtures/kpi_basic", "2024-02-29");
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
}

/* kpi_forecast, census 2024-06-30: breaches coming (docs/kpis.md,
 * "Breaches coming"). A rule is passed on the first day its wait exceeds
 * the limit: limit - wait + 1 days after the census. RTT limit 126; P2 28,
 * P3 91, P4 126 days from the priority date.
 *   id  prio wait pwait  RTT days  priority days  next breach  window
 *   F1  -    124  -        3        -              3 rtt        1 week
 *   F2  -    117  -       10        -             10 rtt        2 weeks
 *   F3  P2    30  9       97       20             20 priority   4 weeks
 *   F4  P3    60  52      67       40             40 priority   -
 *   F5  -    200  -      -73        -              none (passed) -
 *   F6  P4   150  117    -23       10             10 priority   2 weeks
 *   F7  P2   107  40      20      -11             20 rtt        4 weeks
 *   F8  P4   124  124      3        3              3 both       1 week
 * F8 has no priority date (nor decision to admit): its target runs from
 * the clock start, so both rules fall on the same day. F6 is booked to
 * come in on 2024-07-05. Cumulative counts (any rule / RTT / priority):
 * within 7 days F1 F8 = 2 / F1 F8 = 2 / F8 = 1; within 14 days 4 / 3 /
 * 2 (+ F2, F6); within 28 days 6 / 4 / 3 (+ F3, F7). */
static int within(const mm_table *t, size_t r, const char *c, int days)
{
	int k = col(t, c);
	if (tbl_isnull(t, k, r))
		return 0;
	int64_t v = tbl_int(t, k, r);
	return v >= 1 && v <= days;
}

Test(kpis, breach_forecast)
{
	run x;
	run_all(&x, "tests/fixtures/kpi_forecast", "2024-06-30");
	mm_table *t = table(&x, "fct_overdue_cases");
	cr_assert_eq(t->nrows, 8);
	static const struct {
		const char *id;
		int rtt_days, has_prio, prio_days, days; /* days 0: no next breach */
		const char *rule, *win;
	} want[] = {
		{"F1", 3, 0, 0, 3, "rtt", "1 week"},       {"F2", 10, 0, 0, 10, "rtt", "2 weeks"},
		{"F3", 97, 1, 20, 20, "priority", "4 weeks"}, {"F4", 67, 1, 40, 40, "priority", NULL},
		{"F5", -73, 0, 0, 0, NULL, NULL},          {"F6", -23, 1, 10, 10, "priority", "2 weeks"},
		{"F7", 20, 1, -11, 20, "rtt", "4 weeks"},  {"F8", 3, 1, 3, 3, "both", "1 week"},
	};
	int32_t census = day("2024-06-30");
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t r = row_str(t, "pathway_id", want[i].id, NULL, NULL);
		cr_expect_eq(num(t, r, "rtt_days_to_breach"), want[i].rtt_days, "%s rtt days", want[i].id);
		cr_expect_eq(tbl_date(t, col(t, "rtt_breach_date"), r), census + want[i].rtt_days, "%s", want[i].id);
		cr_expect_eq(tbl_isnull(t, col(t, "priority_days_to_breach"), r), !want[i].has_prio, "%s", want[i].id);
		if (want[i].has_prio) {
			cr_expect_eq(num(t, r, "priority_days_to_breach"), want[i].prio_days, "%s priority days",
				     want[i].id);
			cr_expect_eq(tbl_date(t, col(t, "priority_breach_date"), r), census + want[i].prio_days, "%s",
				     want[i].id);
		}
		cr_expect_eq(tbl_isnull(t, col(t, "breach_date"), r), want[i].days == 0, "%s breach date", want[i].id);
		cr_expect_eq(tbl_isnull(t, col(t, "breach_rule"), r), want[i].rule == NULL, "%s rule", want[i].id);
		if (want[i].days) {
			cr_expect_eq(num(t, r, "days_to_breach"), want[i].days, "%s days", want[i].id);
			cr_expect_eq(tbl_date(t, col(t, "breach_date"), r), census + want[i].days, "%s", want[i].id);
			cr_expect_str_eq(str(t, r, "breach_rule"), want[i].rule, "%s", want[i].id);
		}
		cr_expect_eq(tbl_isnull(t, col(t, "breach_in"), r), want[i].win == NULL, "%s window", want[i].id);
		if (want[i].win)
			cr_expect_str_eq(str(t, r, "breach_in"), want[i].win, "%s", want[i].id);
	}
	static const int windows[] = {7, 14, 28}, any[] = {2, 4, 6}, rtt[] = {2, 3, 4}, prio[] = {1, 2, 3};
	for (int w = 0; w < 3; w++) {
		int a = 0, b = 0, c = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			a += within(t, r, "days_to_breach", windows[w]);
			b += within(t, r, "rtt_days_to_breach", windows[w]);
			c += within(t, r, "priority_days_to_breach", windows[w]);
		}
		cr_expect_eq(a, any[w], "within %d days, any rule", windows[w]);
		cr_expect_eq(b, rtt[w], "within %d days, RTT", windows[w]);
		cr_expect_eq(c, prio[w], "within %d days, priority", windows[w]);
	}
	size_t f6 = row_str(t, "pathway_id", "F6", NULL, NULL);
	cr_expect_eq(tbl_date(t, col(t, "next_booked_date"), f6), day("2024-07-05"));
	cr_expect(tbl_isnull(t, col(t, "next_booked_date"), row_str(t, "pathway_id", "F1", NULL, NULL)));
	cr_expect_str_eq(str(t, row_str(t, "pathway_id", "F1", NULL, NULL), "age_band"), "60-69");
	cr_expect_str_eq(str(t, f6, "procedure_description"), "Repair of hernia");
	run_free(&x);
}

/* The windows' edges: 1..7 days is 1 week, 8..14 2 weeks, 15..28 4 weeks. */
Test(kpis, breach_window_edges)
{
	cr_expect_null(rtt_breach_window(0));
	cr_expect_str_eq(rtt_breach_window(1), "1 week");
	cr_expect_str_eq(rtt_breach_window(7), "1 week");
	cr_expect_str_eq(rtt_breach_window(8), "2 weeks");
	cr_expect_str_eq(rtt_breach_window(14), "2 weeks");
	cr_expect_str_eq(rtt_breach_window(15), "4 weeks");
	cr_expect_str_eq(rtt_breach_window(28), "4 weeks");
	cr_expect_null(rtt_breach_window(29));
}
