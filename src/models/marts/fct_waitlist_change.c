/* fct_waitlist_change: each site's waiting list at the census and at the
 * month end before it, so that a pack can say what changed since last
 * month for a Trust, an ICS or everyone (the counts add up). */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>

static const char *const upstream[] = {"int_waitlist_census", "stg_organisations", NULL};

static const model_col cols[] = {
	{"site_id", T_STR, "Site of treatment (organisation id)", "unique not_null ref(stg_organisations.site_id)",
	 "stg_organisations.site_id", CR_GEO},
	{"site_name", T_STR, "Site name", "", "stg_organisations.site_name", CR_GEO},
	{"trust_code", T_STR, "Trust that runs the site", "warn:not_null", "stg_organisations.trust_code", CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "stg_organisations.trust_name", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust", "warn:not_null", "stg_organisations.ics_code",
	 CR_GEO},
	{"ics_name", T_STR, "Integrated care system name", "", "stg_organisations.ics_name", CR_GEO},
	{"census_date", T_DATE, "The census date", "not_null", "census", CR_DATE},
	{"previous_month_end", T_DATE, "The last day of the month before the census month", "not_null", "census",
	 CR_DATE},
	{"list_size", T_INT, "Pathways open at the census", "not_null range(0..)",
	 "int_waitlist_census.pathway_id, int_waitlist_census.month_end, int_waitlist_census.site_id", CR_PERSONS},
	{"within_18_weeks", T_INT, "Open pathways waiting 126 days or fewer at the census", "not_null range(0..)",
	 "int_waitlist_census.wait_days, int_waitlist_census.site_id", CR_PERSONS},
	{"over_52_weeks", T_INT, "Open pathways waiting more than 364 days at the census", "not_null range(0..)",
	 "int_waitlist_census.wait_days, int_waitlist_census.site_id", CR_PERSONS},
	{"prev_list_size", T_INT, "Pathways open at the previous month end", "not_null range(0..)",
	 "int_waitlist_census.pathway_id, int_waitlist_census.month_end, int_waitlist_census.site_id", CR_PERSONS},
	{"prev_within_18_weeks", T_INT, "Open pathways waiting 126 days or fewer at the previous month end",
	 "not_null range(0..)", "int_waitlist_census.wait_days, int_waitlist_census.site_id", CR_PERSONS},
	{"prev_over_52_weeks", T_INT, "Open pathways waiting more than 364 days at the previous month end",
	 "not_null range(0..)", "int_waitlist_census.wait_days, int_waitlist_census.site_id", CR_PERSONS},
	{"list_size_change", T_INT, "list_size - prev_list_size", "not_null",
	 "int_waitlist_census.pathway_id, int_waitlist_census.month_end", CR_PERSONS},
};

static const char *const tests[] = {
	"expr(within_18_weeks <= list_size)",
	"expr(over_52_weeks <= list_size)",
	"expr(prev_within_18_weeks <= prev_list_size)",
	"expr(previous_month_end < census_date)",
	NULL,
};

typedef struct site_acc {
	int64_t list[2], within[2], over52[2]; /* [0] census, [1] previous month end */
} site_acc;

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *wc = ctx_table(ctx, "int_waitlist_census");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	int w_end = col(wc, "month_end"), w_site = col(wc, "site_id"), w_wait = col(wc, "wait_days");
	static const char *const same[] = {"site_id", "site_name", "trust_code", "trust_name", "ics_code", "ics_name"};
	hmap pos;
	rows_per_id(org, col(org, "site_id"), out, col(out, "site_id"), &pos);
	size_t n = out->nrows;
	hmap first;
	index_by_sid(org, col(org, "site_id"), &first);
	for (size_t i = 0; i < n; i++) {
		uint32_t r = hmap_get(&first, tbl_sid(out, col(out, "site_id"), i));
		for (size_t k = 1; k < sizeof same / sizeof same[0]; k++)
			tbl_set_str(out, col(out, same[k]), i, tbl_str(org, col(org, same[k]), r));
	}
	hmap_free(&first);

	int32_t prev_end = add_months_end(ctx->census, -1);
	if (prev_end >= ctx->census) /* a census in mid-month: the end of the month before */
		prev_end = add_months_end(prev_end, -1);
	site_acc *acc = xcalloc(n ? n : 1, sizeof *acc);
	for (size_t r = 0; r < wc->nrows; r++) {
		int32_t d = tbl_date(wc, w_end, r);
		int which = d == ctx->census ? 0 : d == prev_end ? 1 : -1;
		if (which < 0)
			continue;
		uint32_t at = hmap_get(&pos, tbl_sid(wc, w_site, r));
		if (at == HMAP_NONE)
			continue; /* a site missing from organisations: the census model's ref test reports it */
		int64_t w = tbl_int(wc, w_wait, r);
		acc[at].list[which]++;
		if (w != INT_NULL && w <= 126)
			acc[at].within[which]++;
		if (w != INT_NULL && w > 364)
			acc[at].over52[which]++;
	}
	hmap_free(&pos);
	for (size_t i = 0; i < n; i++) {
		tbl_set_date(out, col(out, "census_date"), i, ctx->census);
		tbl_set_date(out, col(out, "previous_month_end"), i, prev_end);
		tbl_set_int(out, col(out, "list_size"), i, acc[i].list[0]);
		tbl_set_int(out, col(out, "within_18_weeks"), i, acc[i].within[0]);
		tbl_set_int(out, col(out, "over_52_weeks"), i, acc[i].over52[0]);
		tbl_set_int(out, col(out, "prev_list_size"), i, acc[i].list[1]);
		tbl_set_int(out, col(out, "prev_within_18_weeks"), i, acc[i].within[1]);
		tbl_set_int(out, col(out, "prev_over_52_weeks"), i, acc[i].over52[1]);
		tbl_set_int(out, col(out, "list_size_change"), i, acc[i].list[0] - acc[i].list[1]);
	}
	free(acc);
	return 0;
}

const model_def model_fct_waitlist_change = {
	.name = "fct_waitlist_change",
	.layer = LAYER_MART,
	.description = "Change since last month: each site's open pathways, those within 18 weeks and those over "
		       "52 weeks at the census and at the month end before it; one row per site, in site id order",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
