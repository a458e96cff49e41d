/* fct_capacity_audit: the weekly capacity plan against what happened, per
 * site x treatment function x week. Empty when no sessions.csv was given:
 * without a capacity plan there is nothing to audit. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"int_capacity_weekly", "stg_organisations", "treatment_functions", NULL};

#define CNT "not_null range(0..)"
static const model_col cols[] = {
	{"site_id", T_STR, "Site of treatment", "not_null ref(stg_organisations.site_id)", "int_capacity_weekly.site_id",
	 CR_GEO},
	{"site_name", T_STR, "Site name", "", "stg_organisations.site_name", CR_GEO},
	{"trust_code", T_STR, "Trust that runs the site", "warn:not_null", "stg_organisations.trust_code", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust", "warn:not_null", "stg_organisations.ics_code",
	 CR_GEO},
	{"treatment_function", T_STR, "Treatment function code of the sessions", "not_null",
	 "int_capacity_weekly.treatment_function", CR_CODE},
	{"specialty", T_STR, "Treatment function name", "warn:not_null",
	 "treatment_functions.NAME, int_capacity_weekly.treatment_function", CR_CODE},
	{"week_start", T_DATE, "Monday of the ISO week", "not_null range(1900-01-01..)", "int_capacity_weekly.week_start",
	 CR_DATE},
	{"planned_slots", T_INT, "Slots planned in held sessions", CNT, "int_capacity_weekly.planned_slots", CR_EXACT},
	{"booked", T_INT, "Appointments booked into those sessions, any outcome", CNT, "int_capacity_weekly.booked",
	 CR_EVENTS},
	{"attended", T_INT, "Booked appointments that were attended", CNT, "int_capacity_weekly.attended", CR_EVENTS},
	{"dnas", T_INT, "Booked appointments the patient did not attend", CNT, "int_capacity_weekly.dnas", CR_EVENTS},
	{"patient_cancellations", T_INT, "Booked appointments cancelled by the patient", CNT,
	 "int_capacity_weekly.patient_cancellations", CR_EVENTS},
	{"hospital_cancellations", T_INT, "Booked appointments cancelled by the hospital", CNT,
	 "int_capacity_weekly.hospital_cancellations", CR_EVENTS},
	{"sessions_cancelled", T_INT, "Sessions of the week that were cancelled", CNT,
	 "int_capacity_weekly.sessions_cancelled", CR_EXACT},
	{"over_booked", T_BOOL, "More appointments booked than slots planned", "not_null",
	 "int_capacity_weekly.booked, int_capacity_weekly.planned_slots", CR_FLAG},
	{"over_booking", T_INT, "Appointments booked beyond the planned slots: max(0, booked - planned_slots)", CNT,
	 "int_capacity_weekly.booked, int_capacity_weekly.planned_slots", CR_EVENTS},
	{"utilisation", T_NUM, "Attended / planned slots (a ratio, 1 = every planned slot used); null when none planned",
	 "range(0..)", "int_capacity_weekly.attended, int_capacity_weekly.planned_slots", CR_RATIO},
	{"clock_starts", T_INT, "Pathways starting that week at the site in the function (demand)", CNT,
	 "int_capacity_weekly.clock_starts", CR_EVENTS},
	{"clock_stops", T_INT, "Pathways stopping that week at the site in the function (activity)", CNT,
	 "int_capacity_weekly.clock_stops", CR_EVENTS},
	{"demand_gap", T_INT, "Clock starts minus clock stops: positive when the list grows", "not_null",
	 "int_capacity_weekly.clock_starts, int_capacity_weekly.clock_stops", CR_EVENTS},
};

static const char *const tests[] = {
	"expr(over_booking >= 0)",
	"expr(attended <= booked)",
	NULL,
};

typedef struct cap_row {
	const char *site, *tf;
	int32_t week;
	size_t r;
} cap_row;

static int cmp_cap(const void *a, const void *b)
{
	const cap_row *x = a, *y = b;
	int c = strcmp(x->site, y->site);
	if (!c)
		c = strcmp(x->tf, y->tf);
	return c ? c : (x->week > y->week) - (x->week < y->week);
}

/* Counts copied one for one from int_capacity_weekly. */
static const char *const copied[] = {
	"planned_slots", "booked", "attended", "dnas", "patient_cancellations", "hospital_cancellations",
	"sessions_cancelled", "clock_starts", "clock_stops",
};
#define NCOPIED ((int)(sizeof copied / sizeof copied[0]))

static int build(run_ctx *ctx, mm_table *out)
{
	if (!ctx->has_capacity)
		return 0;
	mm_table *cw = ctx_table(ctx, "int_capacity_weekly");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	mm_table *tf = ctx_table(ctx, "treatment_functions");
	int w_site = col(cw, "site_id"), w_tf = col(cw, "treatment_function"), w_week = col(cw, "week_start");
	int o_site = col(org, "site_id"), o_name = col(org, "site_name"), o_trust = col(org, "trust_code");
	int o_ics = col(org, "ics_code");
	int t_code = col(tf, "CODE"), t_name = col(tf, "NAME");
	int c_site = col(out, "site_id"), c_name = col(out, "site_name"), c_trust = col(out, "trust_code");
	int c_ics = col(out, "ics_code"), c_tf = col(out, "treatment_function"), c_spec = col(out, "specialty");
	int c_week = col(out, "week_start"), c_over = col(out, "over_booked"), c_overn = col(out, "over_booking");
	int c_util = col(out, "utilisation"), c_gap = col(out, "demand_gap");
	int from[NCOPIED], to[NCOPIED];
	for (int k = 0; k < NCOPIED; k++) {
		from[k] = col(cw, copied[k]);
		to[k] = col(out, copied[k]);
	}
	int w_planned = col(cw, "planned_slots"), w_booked = col(cw, "booked"), w_att = col(cw, "attended");
	int w_starts = col(cw, "clock_starts"), w_stops = col(cw, "clock_stops");

	hmap by_site, by_tf;
	index_by_sid(org, o_site, &by_site);
	index_by_sid(tf, t_code, &by_tf);

	cap_row *rows = xmalloc((cw->nrows + 1) * sizeof *rows);
	for (size_t r = 0; r < cw->nrows; r++)
		rows[r] = (cap_row){tbl_str(cw, w_site, r), tbl_str(cw, w_tf, r), tbl_date(cw, w_week, r), r};
	qsort(rows, cw->nrows, sizeof *rows, cmp_cap);

	tbl_reserve(out, cw->nrows);
	for (size_t k = 0; k < cw->nrows; k++) {
		size_t r = rows[k].r, o = tbl_add_row(out);
		uint32_t site = tbl_sid(cw, w_site, r), code = tbl_sid(cw, w_tf, r);
		tbl_set_sid(out, c_site, o, site);
		tbl_set_sid(out, c_tf, o, code);
		tbl_set_date(out, c_week, o, tbl_date(cw, w_week, r));
		uint32_t i = hmap_get(&by_site, site);
		if (i != HMAP_NONE) {
			tbl_set_sid(out, c_name, o, tbl_sid(org, o_name, i));
			tbl_set_sid(out, c_trust, o, tbl_sid(org, o_trust, i));
			tbl_set_sid(out, c_ics, o, tbl_sid(org, o_ics, i));
		}
		uint32_t j = hmap_get(&by_tf, code);
		if (j != HMAP_NONE)
			tbl_set_sid(out, c_spec, o, tbl_sid(tf, t_name, j));
		for (int c = 0; c < NCOPIED; c++)
			tbl_set_int(out, to[c], o, int_or0(cw, from[c], r));
		int64_t planned = int_or0(cw, w_planned, r), booked = int_or0(cw, w_booked, r);
		tbl_set_bool(out, c_over, o, booked > planned);
		tbl_set_int(out, c_overn, o, booked > planned ? booked - planned : 0);
		tbl_set_num(out, c_util, o, planned > 0 ? (double)int_or0(cw, w_att, r) / (double)planned : NAN);
		tbl_set_int(out, c_gap, o, int_or0(cw, w_starts, r) - int_or0(cw, w_stops, r));
	}
	free(rows);
	hmap_free(&by_site);
	hmap_free(&by_tf);
	return 0;
}

const model_def model_fct_capacity_audit = {
	.name = "fct_capacity_audit",
	.layer = LAYER_MART,
	.description = "Capacity audit: planned slots against bookings, attendances, DNAs and cancellations, and "
		       "demand (clock starts) against activity (clock stops), per site x treatment function x week; "
		       "empty when the data has no capacity plan (sessions.csv)",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_CAPACITY_PLAN,
	.tests = tests,
	.build = build,
};
