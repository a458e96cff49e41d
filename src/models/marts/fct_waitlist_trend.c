/* fct_waitlist_trend: the waiting list month by month, as the monthly RTT
 * return counts it (incomplete pathways at each month end). */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>

static const char *const upstream[] = {"int_waitlist_census", "stg_pathways", NULL};

static const model_col cols[] = {
	{"month_end", T_DATE, "Last day of the month (the census itself for the last month)",
	 "unique not_null range(1900-01-01..)", "int_waitlist_census.month_end", CR_DATE},
	{"list_size", T_INT, "Pathways open at the month end", "not_null range(0..)",
	 "int_waitlist_census.pathway_id, int_waitlist_census.month_end", CR_PERSONS},
	{"clock_starts", T_INT, "Pathways whose clock started in the month (demand)", "not_null range(0..)",
	 "stg_pathways.clock_start_date", CR_EVENTS},
	{"clock_stops", T_INT, "Pathways whose clock stopped in the month (any stop reason)", "not_null range(0..)",
	 "stg_pathways.clock_stop_date", CR_EVENTS},
	{"within_18_weeks", T_INT, "Open pathways waiting 126 days or fewer at the month end", "not_null range(0..)",
	 "int_waitlist_census.wait_days", CR_PERSONS},
	{"pct_within_18_weeks", T_NUM, "within_18_weeks / list_size * 100; null for an empty list", "range(0..100)",
	 "int_waitlist_census.wait_days", CR_PCT},
	{"over_52_weeks", T_INT, "Open pathways waiting more than 364 days at the month end", "not_null range(0..)",
	 "int_waitlist_census.wait_days", CR_PERSONS},
};

static const char *const tests[] = {
	"expr(within_18_weeks <= list_size)",
	"expr(over_52_weeks <= list_size)",
	NULL,
};

typedef struct month_acc {
	int32_t end;
	int64_t list, starts, stops, within, over52;
} month_acc;

/* Month key: y * 12 + m, so that consecutive months are consecutive keys. */
static int32_t month_key(int32_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return (int32_t)y * 12 + (m - 1);
}

/* The month row a day falls in, or NULL outside the span. */
static month_acc *month_of(month_acc *acc, size_t nm, int32_t k0, int32_t day)
{
	if (day == DATE_NULL)
		return NULL;
	int32_t k = month_key(day) - k0;
	if (k < 0 || (size_t)k >= nm || day > acc[k].end)
		return NULL;
	return &acc[k];
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *wc = ctx_table(ctx, "int_waitlist_census");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int w_end = col(wc, "month_end"), w_wait = col(wc, "wait_days");
	int p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int c_end = col(out, "month_end"), c_list = col(out, "list_size"), c_starts = col(out, "clock_starts");
	int c_stops = col(out, "clock_stops"), c_within = col(out, "within_18_weeks");
	int c_pct = col(out, "pct_within_18_weeks"), c_over = col(out, "over_52_weeks");

	/* The months: from the first month end in the census table to the last,
	 * every month in between (a month with an empty list still gets a row). */
	int32_t first = DATE_NULL, last = DATE_NULL;
	for (size_t r = 0; r < wc->nrows; r++) {
		int32_t d = tbl_date(wc, w_end, r);
		if (d == DATE_NULL)
			continue;
		if (first == DATE_NULL || d < first)
			first = d;
		if (last == DATE_NULL || d > last)
			last = d;
	}
	if (first == DATE_NULL)
		return 0;
	int32_t k0 = month_key(first);
	size_t nm = (size_t)(month_key(last) - k0 + 1);
	month_acc *acc = xcalloc(nm, sizeof *acc);
	for (size_t i = 0; i < nm; i++)
		acc[i].end = month_end(add_months_end(first, (int)i));
	acc[0].end = first;
	acc[nm - 1].end = last; /* the census, even when it is not a month end */

	int32_t prev = DATE_NULL;
	month_acc *a = NULL;
	for (size_t r = 0; r < wc->nrows; r++) {
		int32_t d = tbl_date(wc, w_end, r);
		if (d == DATE_NULL)
			continue;
		if (d != prev) /* rows come in runs of one month end: skip the calendar maths */
			a = &acc[month_key(d) - k0];
		prev = d;
		int64_t w = tbl_int(wc, w_wait, r);
		a->list++;
		if (w != INT_NULL && w <= 126)
			a->within++;
		if (w != INT_NULL && w > 364)
			a->over52++;
	}
	/* Starts and stops fall in a month from its first day to its month_end
	 * row (the census for the last month, so nothing after it counts). */
	for (size_t r = 0; r < pw->nrows; r++) {
		a = month_of(acc, nm, k0, tbl_date(pw, p_start, r));
		if (a)
			a->starts++;
		a = month_of(acc, nm, k0, tbl_date(pw, p_stop, r));
		if (a)
			a->stops++;
	}

	tbl_reserve(out, nm);
	for (size_t i = 0; i < nm; i++) {
		size_t o = tbl_add_row(out);
		tbl_set_date(out, c_end, o, acc[i].end);
		tbl_set_int(out, c_list, o, acc[i].list);
		tbl_set_int(out, c_starts, o, acc[i].starts);
		tbl_set_int(out, c_stops, o, acc[i].stops);
		tbl_set_int(out, c_within, o, acc[i].within);
		tbl_set_num(out, c_pct, o, pct_of(acc[i].within, acc[i].list));
		tbl_set_int(out, c_over, o, acc[i].over52);
	}
	free(acc);
	return 0;
}

const model_def model_fct_waitlist_trend = {
	.name = "fct_waitlist_trend",
	.layer = LAYER_MART,
	.description = "Monthly waiting-list trend: pathways open at each month end, the share within 18 weeks and "
		       "over 52 weeks, and the clock starts and stops of the month; one row per month end, oldest first",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
