/* int_waitlist_census: the waiting list as the monthly RTT return counts
 * it, at each of the 24 month ends up to the census: every pathway open at
 * that date (clock started on or before it, not yet stopped). The last
 * point is the census itself, so that the trend ends where the other
 * marts stand even when --census is not a month end. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define MONTHS 24

static const char *const upstream[] = {"stg_pathways", NULL};

static const model_col cols[] = {
	{"month_end", T_DATE, "Month end of the snapshot (the census date for the last one)",
	 "not_null range(1900-01-01..)", "census", CR_DATE},
	{"pathway_id", T_STR, "Pathway open at that date", "not_null ref(stg_pathways.pathway_id)",
	 "stg_pathways.pathway_id, stg_pathways.clock_start_date, stg_pathways.clock_stop_date", CR_ID},
	{"site_id", T_STR, "Site of treatment", "warn:not_null", "stg_pathways.site_id", CR_GEO},
	{"treatment_function", T_STR, "Treatment function code", "warn:not_null", "stg_pathways.treatment_function",
	 CR_CODE},
	{"wait_days", T_INT, "Days waited at that date: month_end - clock_start_date", "not_null range(0..)",
	 "stg_pathways.clock_start_date, census", CR_DAYS},
};

static const char *const tests[] = {"unique(month_end,pathway_id)", NULL};

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int p_id = col(pw, "pathway_id"), p_site = col(pw, "site_id"), p_tf = col(pw, "treatment_function");
	int p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int c_end = col(out, "month_end"), c_id = col(out, "pathway_id"), c_site = col(out, "site_id");
	int c_tf = col(out, "treatment_function"), c_wait = col(out, "wait_days");

	/* Pathways by id; duplicates of an id are kept once. */
	keyed *order = xmalloc((pw->nrows + 1) * sizeof *order);
	size_t n = 0;
	for (size_t r = 0; r < pw->nrows; r++)
		if (tbl_sid(pw, p_id, r) && tbl_date(pw, p_start, r) != I32_NULL)
			order[n++] = (keyed){tbl_str(pw, p_id, r), r};
	keyed_sort(order, n);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (!m || strcmp(order[k].key, order[m - 1].key) != 0)
			order[m++] = order[k];
	n = m;

	int32_t ends[MONTHS];
	for (int k = 0; k < MONTHS; k++) /* oldest first */
		ends[k] = k == MONTHS - 1 ? ctx->census : add_months_end(ctx->census, k - (MONTHS - 1));

	/* Count first, so the table is allocated once. */
	size_t total = 0;
	for (int k = 0; k < MONTHS; k++)
		for (size_t i = 0; i < n; i++) {
			int32_t s = tbl_date(pw, p_start, order[i].r), e = tbl_date(pw, p_stop, order[i].r);
			total += s <= ends[k] && (e == I32_NULL || e > ends[k]);
		}
	tbl_reserve(out, total);
	for (int k = 0; k < MONTHS; k++)
		for (size_t i = 0; i < n; i++) {
			size_t r = order[i].r;
			int32_t s = tbl_date(pw, p_start, r), e = tbl_date(pw, p_stop, r);
			if (s > ends[k] || (e != I32_NULL && e <= ends[k]))
				continue;
			size_t o = tbl_add_row(out);
			tbl_set_date(out, c_end, o, ends[k]);
			tbl_set_sid(out, c_id, o, tbl_sid(pw, p_id, r));
			tbl_set_sid(out, c_site, o, tbl_sid(pw, p_site, r));
			tbl_set_sid(out, c_tf, o, tbl_sid(pw, p_tf, r));
			tbl_set_int(out, c_wait, o, (int64_t)ends[k] - s);
		}
	free(order);
	return 0;
}

const model_def model_int_waitlist_census = {
	.name = "int_waitlist_census",
	.layer = LAYER_INTERMEDIATE,
	.description = "Month-end snapshots of the waiting list: one row per pathway open at each of the 24 month "
		       "ends up to the census (the census date itself last), by month_end then pathway_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
