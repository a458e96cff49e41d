/* The RTT clock at the census (rtt_clock.h). */
#include "models/rules/rtt_clock.h"
#include <math.h>
#include <stdio.h>

int rtt_band_order(int64_t days)
{
	if (days <= 7)
		return 1;
	int64_t k = (days + 6) / 7; /* ">k-1-k weeks" holds days 7k-6 .. 7k */
	return k > 104 ? 105 : (int)k;
}

void rtt_band_label(int64_t days, char *buf, size_t n)
{
	int k = rtt_band_order(days);
	if (k == 105)
		snprintf(buf, n, ">104 weeks");
	else
		snprintf(buf, n, ">%d-%d weeks", k - 1, k);
}

static int target_of(const rtt_rules *r, int priority)
{
	switch (priority) {
	case PRIO_P1A: return r->p1a_days;
	case PRIO_P1B: return r->p1b_days;
	case PRIO_P2: return r->p2_days;
	case PRIO_P3: return r->p3_days;
	case PRIO_P4: return r->p4_days;
	default: return r->rtt_days;
	}
}

struct rtt_status rtt_assess(const rtt_rules *r, int priority, int64_t rtt_wait, int64_t priority_wait)
{
	struct rtt_status s = {0};
	int prioritised = priority > PRIO_NONE && priority < PRIO_COUNT && priority_wait != RTT_NO_PRIORITY_WAIT;
	s.target_days = target_of(r, prioritised ? priority : PRIO_NONE);
	s.rtt_breach = rtt_wait > r->rtt_days;
	s.priority_breach = prioritised && priority_wait > s.target_days;
	s.overdue_threshold_days = s.target_days + r->grace_days;
	s.overdue_rtt = rtt_wait > (int64_t)r->rtt_days + r->grace_days;
	s.overdue_priority = prioritised && priority_wait > s.overdue_threshold_days;
	s.is_overdue = s.overdue_rtt || s.overdue_priority;
	int64_t excess = 0;
	if (s.overdue_rtt)
		excess = rtt_wait - r->rtt_days;
	if (s.overdue_priority && priority_wait - s.target_days > excess)
		excess = priority_wait - s.target_days;
	s.weeks_overdue = (int)((excess + 6) / 7);
	return s;
}

struct rtt_forecast rtt_forecast(const rtt_rules *r, int priority, int64_t rtt_wait, int64_t priority_wait)
{
	struct rtt_forecast f = {0};
	f.prioritised = priority > PRIO_NONE && priority < PRIO_COUNT && priority_wait != RTT_NO_PRIORITY_WAIT;
	f.rtt_days = (int64_t)r->rtt_days - rtt_wait + 1;
	if (f.rtt_days > 0) {
		f.days = f.rtt_days;
		f.rule = RTT_RULE_RTT;
	}
	if (f.prioritised) {
		f.priority_days = (int64_t)target_of(r, priority) - priority_wait + 1;
		if (f.priority_days > 0 && (!f.days || f.priority_days <= f.days)) {
			f.rule = f.days == f.priority_days ? RTT_RULE_BOTH : RTT_RULE_PRIORITY;
			f.days = f.priority_days;
		}
	}
	return f;
}

const char *rtt_breach_window(int64_t days)
{
	if (days < 1 || days > 28)
		return NULL;
	return days <= 7 ? "1 week" : days <= 14 ? "2 weeks" : "4 weeks";
}

const char *rtt_rule_name(int rule)
{
	switch (rule) {
	case RTT_RULE_RTT: return "rtt";
	case RTT_RULE_PRIORITY: return "priority";
	case RTT_RULE_BOTH: return "both";
	default: return NULL;
	}
}

double rtt_band_percentile(const int64_t *sorted_days, size_t n, int p)
{
	if (!n)
		return NAN;
	/* Position p% of the way through the list; the band holding it. */
	double pos = (double)n * p / 100.0;
	size_t before = 0, i = 0;
	while (i < n) {
		int band = rtt_band_order(sorted_days[i]);
		size_t in = 0;
		while (i + in < n && rtt_band_order(sorted_days[i + in]) == band)
			in++;
		if ((double)(before + in) >= pos)
			return (band - 1) + (pos - (double)before) / (double)in;
		before += in;
		i += in;
	}
	return (double)rtt_band_order(sorted_days[n - 1]);
}
