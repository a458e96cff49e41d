/* The RTT clock (models/rules/rtt_clock.h): weekly bands as published, the
 * overdue rule on two clocks, and percentiles interpolated within weekly
 * bands, each checked on hand-computed cases. */
#include <criterion/criterion.h>
#include <math.h>
#include "models/rules/rtt_clock.h"

Test(rtt, weekly_band_boundaries)
{
	struct {
		int64_t days;
		int order;
		const char *label;
	} cases[] = {
		{0, 1, ">0-1 weeks"},         {1, 1, ">0-1 weeks"},      {7, 1, ">0-1 weeks"},
		{8, 2, ">1-2 weeks"},         {126, 18, ">17-18 weeks"}, {127, 19, ">18-19 weeks"},
		{728, 104, ">103-104 weeks"}, {729, 105, ">104 weeks"},  {5000, 105, ">104 weeks"},
	};
	char buf[24];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_eq(rtt_band_order(cases[i].days), cases[i].order, "%lld days", (long long)cases[i].days);
		rtt_band_label(cases[i].days, buf, sizeof buf);
		cr_expect_str_eq(buf, cases[i].label, "%lld days", (long long)cases[i].days);
	}
}

static rtt_rules standard(void)
{
	return (rtt_rules){126, 7, 1, 3, 28, 91, 126};
}

Test(rtt, overdue_boundaries_without_priority)
{
	rtt_rules r = standard();
	struct rtt_status s = rtt_assess(&r, PRIO_NONE, 126, RTT_NO_PRIORITY_WAIT);
	cr_expect(!s.rtt_breach, "exactly 18 weeks is not a breach");
	cr_expect(!s.is_overdue);
	cr_expect_eq(s.target_days, 126);
	cr_expect_eq(s.overdue_threshold_days, 133);
	s = rtt_assess(&r, PRIO_NONE, 127, RTT_NO_PRIORITY_WAIT);
	cr_expect(s.rtt_breach);
	cr_expect(!s.priority_breach, "no priority, no priority target to pass");
	cr_expect(!s.is_overdue);
	cr_expect_eq(s.weeks_overdue, 0);
	s = rtt_assess(&r, PRIO_NONE, 133, RTT_NO_PRIORITY_WAIT);
	cr_expect(!s.is_overdue);
	s = rtt_assess(&r, PRIO_NONE, 134, RTT_NO_PRIORITY_WAIT);
	cr_expect(s.is_overdue);
	cr_expect(s.overdue_rtt);
	cr_expect(!s.overdue_priority);
	cr_expect_eq(s.weeks_overdue, 2); /* ceil(8 / 7) */
	s = rtt_assess(&r, PRIO_NONE, 140, RTT_NO_PRIORITY_WAIT);
	cr_expect_eq(s.weeks_overdue, 2);
	s = rtt_assess(&r, PRIO_NONE, 141, RTT_NO_PRIORITY_WAIT);
	cr_expect_eq(s.weeks_overdue, 3);
}

/* The priority target runs from the priority date: a P2 patient referred
 * 20 weeks ago and prioritised 4 days ago is not past the P2 target, but
 * is past the 18-week standard plus grace (overdue on the RTT rule). */
Test(rtt, priority_clock_runs_from_priority_date)
{
	rtt_rules r = standard();
	struct rtt_status s = rtt_assess(&r, PRIO_P2, 140, 4);
	cr_expect_eq(s.target_days, 28);
	cr_expect(!s.priority_breach);
	cr_expect(s.rtt_breach);
	cr_expect(s.overdue_rtt);
	cr_expect(!s.overdue_priority);
	cr_expect(s.is_overdue);
	cr_expect_eq(s.weeks_overdue, 2); /* 140 - 126 = 14 days */
	/* Referred 6 weeks ago, prioritised P2 5 weeks ago: past target + grace. */
	s = rtt_assess(&r, PRIO_P2, 42, 36);
	cr_expect(s.priority_breach);
	cr_expect(s.overdue_priority);
	cr_expect(!s.overdue_rtt);
	cr_expect_eq(s.weeks_overdue, 2); /* 36 - 28 = 8 days */
	s = rtt_assess(&r, PRIO_P2, 42, 35);
	cr_expect(s.priority_breach);
	cr_expect(!s.is_overdue, "P2 35 days after prioritisation is within target + grace");
	/* Both rules passed: the larger excess counts. */
	s = rtt_assess(&r, PRIO_P3, 200, 120);
	cr_expect(s.overdue_rtt && s.overdue_priority);
	cr_expect_eq(s.weeks_overdue, 11); /* max(200-126, 120-91) = 74 days */
	s = rtt_assess(&r, PRIO_P1A, 9, 9);
	cr_expect(s.is_overdue);
	cr_expect_eq(s.weeks_overdue, 2);
	s = rtt_assess(&r, PRIO_P4, 133, 133);
	cr_expect(!s.is_overdue);
	cr_expect_eq(rtt_priority_code("P1b"), PRIO_P1B);
	cr_expect_eq(rtt_priority_code(""), PRIO_NONE);
	cr_expect_eq(rtt_priority_code("P5"), -1);
}

/* NHS England's interpolation: 10 waits, 4 in ">0-1" (0..7 days), 4 in
 * ">1-2", 2 in ">2-3". Median position 5 is the 1st of 4 in ">1-2":
 * 1 + (5 - 4) / 4 = 1.25 weeks. The 92nd percentile position 9.2 is in
 * ">2-3": 2 + (9.2 - 8) / 2 = 2.6 weeks. */
Test(rtt, percentiles_interpolate_within_weekly_bands)
{
	const int64_t days[] = {0, 2, 5, 7, 8, 10, 12, 14, 15, 21};
	cr_expect_float_eq(rtt_band_percentile(days, 10, 50), 1.25, 1e-9);
	cr_expect_float_eq(rtt_band_percentile(days, 10, 92), 2.6, 1e-9);
	const int64_t one[] = {100}; /* ">14-15 weeks": position 0.5 of 1 */
	cr_expect_float_eq(rtt_band_percentile(one, 1, 50), 14.5, 1e-9);
	cr_expect(isnan(rtt_band_percentile(days, 0, 50)));
}
