/* int_patient_admissions: unplanned and inpatient hospital use in the
 * twelve months to the census, the "recent admissions" input of the risk
 * score. Recent emergency care is a marker that a patient's condition is
 * not stable while they wait. */
#include "models/mart_util.h"
#include "models/model.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_patients", "stg_encounters", NULL};

#define WINDOW "encounters starting in (census - 365 days, census]"
static const model_col cols[] = {
	{"patient_id", T_STR, "Patient (every staged patient has a row)", "unique not_null ref(stg_patients.patient_id)",
	 "stg_patients.patient_id"},
	{"emergency_admissions_12m", T_INT, "Emergency or urgent-care encounters, " WINDOW, "not_null range(0..)",
	 "stg_encounters.is_emergency, stg_encounters.start_date, census"},
	{"inpatient_stays_12m", T_INT, "Inpatient encounters, " WINDOW, "not_null range(0..)",
	 "stg_encounters.is_inpatient, stg_encounters.start_date, census"},
	{"recent_admissions", T_INT, "emergency_admissions_12m + inpatient_stays_12m", "not_null range(0..)",
	 "stg_encounters.is_emergency, stg_encounters.is_inpatient, stg_encounters.start_date, census"},
};

static const char *const tests[] = {
	"expr(recent_admissions >= emergency_admissions_12m)",
	"expr(recent_admissions >= inpatient_stays_12m)",
	NULL,
};

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *pt = ctx_table(ctx, "stg_patients");
	mm_table *en = ctx_table(ctx, "stg_encounters");
	int p_id = col(pt, "patient_id");
	int e_pat = col(en, "patient_id"), e_day = col(en, "start_date");
	int e_emerg = col(en, "is_emergency"), e_inp = col(en, "is_inpatient");
	int c_pat = col(out, "patient_id"), c_emerg = col(out, "emergency_admissions_12m");
	int c_inp = col(out, "inpatient_stays_12m"), c_sum = col(out, "recent_admissions");

	hmap pos;
	rows_per_id(pt, p_id, out, c_pat, &pos);
	int64_t *emerg = xcalloc(out->nrows + 1, sizeof *emerg);
	int64_t *inp = xcalloc(out->nrows + 1, sizeof *inp);

	int32_t lo = ctx->census - 365, hi = ctx->census;
	for (size_t r = 0; r < en->nrows; r++) {
		int32_t d = tbl_date(en, e_day, r);
		if (d == I32_NULL || d <= lo || d > hi)
			continue;
		uint32_t o = hmap_get(&pos, tbl_sid(en, e_pat, r));
		if (o == HMAP_NONE)
			continue;
		emerg[o] += tbl_bool(en, e_emerg, r);
		inp[o] += tbl_bool(en, e_inp, r);
	}
	for (size_t o = 0; o < out->nrows; o++) {
		tbl_set_int(out, c_emerg, o, emerg[o]);
		tbl_set_int(out, c_inp, o, inp[o]);
		tbl_set_int(out, c_sum, o, emerg[o] + inp[o]);
	}
	free(emerg);
	free(inp);
	hmap_free(&pos);
	return 0;
}

const model_def model_int_patient_admissions = {
	.name = "int_patient_admissions",
	.layer = LAYER_INTERMEDIATE,
	.description = "Recent hospital use: per patient, emergency and inpatient encounters in the 365 days up to "
		       "the census; one row per patient, by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
