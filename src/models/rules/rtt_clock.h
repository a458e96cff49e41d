/* The RTT clock at the census: weekly bands as the published statistics
 * build them, the breach and overdue decision on two clocks (the 18-week
 * standard from the clock start, the clinical priority's target from the
 * date the priority was set) and percentiles interpolated within weekly
 * bands. docs/kpis.md states each rule with its source. */
#ifndef MM_RTT_CLOCK_H
#define MM_RTT_CLOCK_H
#include <stddef.h>
#include <stdint.h>
#include "models/rules/risk_rules.h"

/* NHS weekly band of a wait in days: k for ">k-1-k weeks" (days 7k-6 ..
 * 7k, k = 1..104; a wait of 0 days is in ">0-1 weeks", as in the
 * published statistics), 105 for ">104 weeks" (729 days or more). */
int rtt_band_order(int64_t days);
/* The band's label into buf (at least 16 bytes), e.g. ">17-18 weeks". */
void rtt_band_label(int64_t days, char *buf, size_t n);

/* No priority clock: the pathway has no clinical priority. */
#define RTT_NO_PRIORITY_WAIT INT64_MIN

/* The breach and overdue decision for one open pathway. */
struct rtt_status {
	int target_days;            /* priority target, else the RTT standard */
	int rtt_breach;             /* rtt_wait > rtt_days */
	int priority_breach;        /* prioritised and priority_wait > target_days */
	int overdue_threshold_days; /* target_days + grace_days */
	int overdue_rtt;            /* rtt_wait > rtt_days + grace_days */
	int overdue_priority;       /* prioritised and priority_wait > target_days + grace_days */
	int is_overdue;             /* overdue_rtt or overdue_priority */
	int weeks_overdue;          /* 0, or ceil(excess / 7) of the larger excess over a rule that is passed:
				       rtt_wait - rtt_days, priority_wait - target_days */
};
/* rtt_wait: days since the clock start; priority_wait: days since the
 * priority was set, or RTT_NO_PRIORITY_WAIT when not prioritised. */
struct rtt_status rtt_assess(const rtt_rules *r, int priority, int64_t rtt_wait, int64_t priority_wait);

/* Breaches coming: when an open pathway passes each rule if it is not
 * treated. A rule is passed on the first day its wait exceeds the limit
 * (the day rtt_breach or priority_breach becomes true), i.e. limit - wait
 * + 1 days after the census; 0 or less when it is already passed. The
 * grace period plays no part: it only decides "overdue". */
enum { RTT_RULE_NONE, RTT_RULE_RTT, RTT_RULE_PRIORITY, RTT_RULE_BOTH };
struct rtt_forecast {
	int64_t rtt_days;      /* days from the census to the RTT breach: rtt_days - rtt_wait + 1 */
	int prioritised;       /* the priority rule applies */
	int64_t priority_days; /* prioritised: target_days - priority_wait + 1 */
	int64_t days;          /* the earlier of those still ahead (> 0); 0 when every rule is passed */
	int rule;              /* which rule days is: RTT_RULE_RTT, _PRIORITY, _BOTH (same day), _NONE */
};
struct rtt_forecast rtt_forecast(const rtt_rules *r, int priority, int64_t rtt_wait, int64_t priority_wait);
/* The window of a breach days ahead of the census: "1 week" (1 to 7
 * days), "2 weeks" (8 to 14), "4 weeks" (15 to 28), else NULL. */
const char *rtt_breach_window(int64_t days);
/* "rtt", "priority", "both" or NULL. */
const char *rtt_rule_name(int rule);

/* The p-th percentile (0 < p < 100) of n waits in days, sorted ascending,
 * in weeks, as NHS England's RTT statistics compute it: the waits are
 * counted in weekly bands (">k-1-k weeks") and the percentile is
 * interpolated linearly inside the band that holds it, assuming waits are
 * spread evenly across the week. NAN when n is 0. */
double rtt_band_percentile(const int64_t *sorted_days, size_t n, int p);

#endif
