/* stg_careplans: care plans, and whether each is active at the census
 * (community care in the risk model). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdlib.h>

static const char *const upstream[] = {"careplans", "stg_patients", NULL};

static const model_col cols[] = {
	{"careplan_id", T_STR, "Care plan identifier", "unique not_null", "careplans.Id", CR_ID},
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)", "careplans.PATIENT", CR_ID},
	{"code", T_STR, "SNOMED CT care plan", "", "careplans.CODE", CR_CODE},
	{"description", T_STR, "Care plan in words", "", "careplans.DESCRIPTION", CR_LABEL},
	{"start_date", T_DATE, "Start", "not_null range(1880-01-01..)", "careplans.START", CR_DATE},
	{"stop_date", T_DATE, "End; null while active", "", "careplans.STOP", CR_DATE},
	{"is_active_at_census", T_BOOL, "Started on or before the census and not ended by then", "not_null",
	 "careplans.START, careplans.STOP, census", CR_FLAG},
};

static const char *const tests[] = {
	"expr(stop_date >= start_date)",
	NULL,
};

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *c = ctx_table(ctx, "careplans");
	int s_id = col(c, "Id"), s_start = col(c, "START"), s_stop = col(c, "STOP"), s_pat = col(c, "PATIENT"),
	    s_code = col(c, "CODE"), s_desc = col(c, "DESCRIPTION");
	int c_id = col(out, "careplan_id"), c_pat = col(out, "patient_id"), c_code = col(out, "code"),
	    c_desc = col(out, "description"), c_start = col(out, "start_date"), c_stop = col(out, "stop_date"),
	    c_active = col(out, "is_active_at_census");
	tbl_reserve(out, c->nrows);
	uint32_t *order = stg_order(c, (const char *const[]){"Id", NULL});
	for (size_t k = 0; k < c->nrows; k++) {
		if (k + STG_AHEAD < c->nrows)
			stg_prefetch_row(c, order[k + STG_AHEAD]);
		size_t r = order[k];
		size_t o = tbl_add_row(out);
		int32_t start = tbl_date(c, s_start, r), stop = tbl_date(c, s_stop, r);
		tbl_set_sid(out, c_id, o, tbl_sid(c, s_id, r));
		tbl_set_sid(out, c_pat, o, tbl_sid(c, s_pat, r));
		tbl_set_sid(out, c_code, o, tbl_sid(c, s_code, r));
		tbl_set_sid(out, c_desc, o, tbl_sid(c, s_desc, r));
		tbl_set_date(out, c_start, o, start);
		tbl_set_date(out, c_stop, o, stop);
		tbl_set_bool(out, c_active, o, start <= ctx->census && (stop == I32_NULL || stop > ctx->census));
	}
	free(order);
	return 0;
}

const model_def model_stg_careplans = {
	.name = "stg_careplans",
	.layer = LAYER_STAGING,
	.description = "Care plans with start and end dates and whether each is active at the census (community "
		       "care in the risk model). Empty when careplans.csv is absent.",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
