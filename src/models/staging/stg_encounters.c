/* stg_encounters: visits and stays, typed, with emergency and inpatient
 * flags for the admission counts. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/date.h"
#include <stdlib.h>

static const char *const upstream[] = {"encounters", "stg_patients", "stg_providers", NULL};

static const model_col cols[] = {
	{"encounter_id", T_STR, "Encounter identifier", "unique not_null", "encounters.Id", CR_ID},
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)", "encounters.PATIENT", CR_ID},
	{"site_id", T_STR, "Organisation where it took place (a site of treatment, or e.g. a GP practice)",
	 "warn:ref(organizations.Id)", "encounters.ORGANIZATION", CR_GEO},
	{"provider_id", T_STR, "Clinician", "warn:ref(stg_providers.provider_id)", "encounters.PROVIDER", CR_CLINICIAN},
	{"encounter_class", T_STR, "Synthea encounter class",
	 "not_null accepted(wellness|ambulatory|outpatient|inpatient|emergency|urgentcare|hospice|home|snf|virtual)",
	 "encounters.ENCOUNTERCLASS", CR_CODE},
	{"start_ts", T_TS, "Start time (UTC)", "not_null", "encounters.START", CR_DATE},
	{"start_date", T_DATE, "Start date", "not_null range(1880-01-01..)", "encounters.START", CR_DATE},
	{"stop_ts", T_TS, "End time (UTC)", "", "encounters.STOP", CR_DATE},
	{"code", T_STR, "SNOMED CT encounter type", "", "encounters.CODE", CR_CODE},
	{"description", T_STR, "Encounter type in words", "", "encounters.DESCRIPTION", CR_LABEL},
	{"reason_code", T_STR, "SNOMED CT reason for the encounter", "", "encounters.REASONCODE", CR_LABEL},
	{"is_emergency", T_BOOL, "Emergency or urgent care encounter", "not_null", "encounters.ENCOUNTERCLASS",
	 CR_FLAG},
	{"is_inpatient", T_BOOL, "Inpatient stay", "not_null", "encounters.ENCOUNTERCLASS", CR_FLAG},
};

static const char *const tests[] = {
	"expr(stop_ts >= start_ts)",
	NULL,
};

static const char *const copied[][2] = {
	{"Id", "encounter_id"}, {"PATIENT", "patient_id"}, {"ORGANIZATION", "site_id"},
	{"PROVIDER", "provider_id"}, {"ENCOUNTERCLASS", "encounter_class"}, {"START", "start_ts"},
	{"STOP", "stop_ts"}, {"CODE", "code"}, {"DESCRIPTION", "description"}, {"REASONCODE", "reason_code"},
	{NULL, NULL},
};

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *e = ctx_table(ctx, "encounters");
	int c_class = col(out, "encounter_class"), c_start = col(out, "start_ts"), c_day = col(out, "start_date"),
	    c_emerg = col(out, "is_emergency"), c_inp = col(out, "is_inpatient");
	uint32_t emergency = stg_sid(ctx->sp, "emergency"), urgent = stg_sid(ctx->sp, "urgentcare"),
		 inpatient = stg_sid(ctx->sp, "inpatient");
	uint32_t *order = stg_order(e, (const char *const[]){"Id", NULL});
	stg_take_named(ctx, out, "encounters", order, copied);
	free(order);
	for (size_t r = 0; r < out->nrows; r++) {
		uint32_t cls = tbl_sid(out, c_class, r);
		tbl_set_date(out, c_day, r, ts_day(tbl_ts(out, c_start, r)));
		tbl_set_bool(out, c_emerg, r, cls == emergency || cls == urgent);
		tbl_set_bool(out, c_inp, r, cls == inpatient);
	}
	return 0;
}

const model_def model_stg_encounters = {
	.name = "stg_encounters",
	.layer = LAYER_STAGING,
	.description = "Encounters (visits and stays) with their site, clinician and class; flags emergency "
		       "(emergency or urgent care) and inpatient encounters.",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
