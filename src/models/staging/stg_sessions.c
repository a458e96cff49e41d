/* stg_sessions: the capacity plan of clinics and theatre lists. Empty when
 * no sessions.csv was given (ctx->has_capacity is 0). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdlib.h>

static const char *const upstream[] = {"sessions", "cancellation_reasons", "treatment_functions", "stg_organisations",
				       NULL};

static const model_col cols[] = {
	{"session_id", T_STR, "Session identifier", "unique not_null", "sessions.Id", CR_ID},
	{"site_id", T_STR, "Site", "not_null ref(stg_organisations.site_id)", "sessions.ORGANIZATION", CR_GEO},
	{"treatment_function", T_STR, "Treatment function code of the session", "not_null ref(treatment_functions.CODE)",
	 "sessions.TREATMENT_FUNCTION", CR_CODE},
	{"session_type", T_STR, "CLINIC (outpatient) or THEATRE (operating list)", "not_null accepted(CLINIC|THEATRE)",
	 "sessions.SESSION_TYPE", CR_CODE},
	{"session_date", T_DATE, "Date of the session", "not_null range(1880-01-01..)", "sessions.DATE", CR_DATE},
	{"week_start", T_DATE, "Monday of the session's ISO week", "not_null", "sessions.DATE", CR_DATE},
	{"planned_slots", T_INT, "Slots planned", "not_null range(0..)", "sessions.PLANNED_SLOTS", CR_EXACT},
	{"status", T_STR, "HELD or CANCELLED", "not_null accepted(HELD|CANCELLED)", "sessions.STATUS", CR_CODE},
	{"is_cancelled", T_BOOL, "The session was cancelled", "not_null", "sessions.STATUS", CR_FLAG},
	{"cancellation_reason", T_STR, "Reason code or text as recorded", "", "sessions.CANCELLATION_REASON", CR_LABEL},
	{"reason_is_standard", T_BOOL, "The reason is a standard code (seed); null when not cancelled", "",
	 "sessions.CANCELLATION_REASON, cancellation_reasons.CODE", CR_FLAG},
};

static const char *const tests[] = {
	"expr(week_start <= session_date)",
	NULL,
};

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *s = ctx_table(ctx, "sessions");
	const mm_table *cr = ctx_table(ctx, "cancellation_reasons");
	int s_id = col(s, "Id"), s_org = col(s, "ORGANIZATION"), s_tf = col(s, "TREATMENT_FUNCTION"),
	    s_type = col(s, "SESSION_TYPE"), s_date = col(s, "DATE"), s_slots = col(s, "PLANNED_SLOTS"),
	    s_status = col(s, "STATUS"), s_reason = col(s, "CANCELLATION_REASON");
	int c_id = col(out, "session_id"), c_site = col(out, "site_id"), c_tf = col(out, "treatment_function"),
	    c_type = col(out, "session_type"), c_date = col(out, "session_date"), c_week = col(out, "week_start"),
	    c_slots = col(out, "planned_slots"), c_status = col(out, "status"), c_canc = col(out, "is_cancelled"),
	    c_reason = col(out, "cancellation_reason"), c_std = col(out, "reason_is_standard");
	if (!ctx->has_capacity)
		return 0;
	hmap reasons;
	stg_index(cr, col(cr, "CODE"), &reasons);
	uint32_t cancelled = stg_sid(ctx->sp, "CANCELLED");
	tbl_reserve(out, s->nrows);
	uint32_t *order = stg_order(s, (const char *const[]){"Id", NULL});
	for (size_t k = 0; k < s->nrows; k++) {
		if (k + STG_AHEAD < s->nrows)
			stg_prefetch_row(s, order[k + STG_AHEAD]);
		size_t r = order[k];
		size_t o = tbl_add_row(out);
		int32_t day = tbl_date(s, s_date, r);
		uint32_t status = tbl_sid(s, s_status, r), reason = tbl_sid(s, s_reason, r);
		tbl_set_sid(out, c_id, o, tbl_sid(s, s_id, r));
		tbl_set_sid(out, c_site, o, tbl_sid(s, s_org, r));
		tbl_set_sid(out, c_tf, o, tbl_sid(s, s_tf, r));
		tbl_set_sid(out, c_type, o, tbl_sid(s, s_type, r));
		tbl_set_date(out, c_date, o, day);
		tbl_set_date(out, c_week, o, stg_monday(day));
		tbl_set_int(out, c_slots, o, tbl_int(s, s_slots, r));
		tbl_set_sid(out, c_status, o, status);
		tbl_set_bool(out, c_canc, o, status == cancelled);
		tbl_set_sid(out, c_reason, o, reason);
		if (status == cancelled)
			tbl_set_bool(out, c_std, o, stg_lookup(&reasons, reason) >= 0);
	}
	hmap_free(&reasons);
	free(order);
	return 0;
}

const model_def model_stg_sessions = {
	.name = "stg_sessions",
	.layer = LAYER_STAGING,
	.description = "The capacity plan: clinic and theatre sessions with their planned slots, ISO week and "
		       "cancellations. Empty when no sessions.csv was given.",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL | MODEL_CAPACITY_PLAN,
	.tests = tests,
	.build = build,
};
