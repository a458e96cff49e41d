/* int_patient_admissions: unplanned hospital use in the look-back window
 * up to the census (lookback admissions_days in the rules file, 365 days
 * by default), the "recent admissions" input of the risk score. Recent
 * emergency care is a marker that a patient's condition is not stable
 * while they wait; a planned admission for an elective operation is not
 * (it is often the very treatment the patient waited for), so it does not
 * count.
 *
 * An encounter is unplanned when its Synthea class is emergency or
 * urgentcare, or when it is an inpatient stay that is not planned. An
 * inpatient stay is planned when an elective procedure (a code of the
 * elective_procedures seed, stg_procedures.treatment_function not null)
 * was performed in it, or when it starts on the TCI date or clock-stop date
 * of one of the patient's admitted (IRTT) RTT pathways. docs/risk-model.md
 * gives the sources. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_patients", "stg_encounters", "stg_procedures", "stg_pathways", NULL};

#define WINDOW                                                                                               \
	"encounters starting in (census - D, census], D the look-back of the rules file (lookback "          \
	"admissions_days, 365 days by default)"
static const model_col cols[] = {
	{"patient_id", T_STR, "Patient (every staged patient has a row)", "unique not_null ref(stg_patients.patient_id)",
	 "stg_patients.patient_id", CR_ID},
	{"emergency_admissions_12m", T_INT, "Emergency or urgent-care encounters, " WINDOW, "not_null range(0..)",
	 "stg_encounters.is_emergency, stg_encounters.start_date, census, rules", CR_EVENTS},
	{"inpatient_stays_12m", T_INT, "Inpatient encounters, planned or not, " WINDOW, "not_null range(0..)",
	 "stg_encounters.is_inpatient, stg_encounters.start_date, census, rules", CR_EVENTS},
	{"planned_admissions_12m", T_INT,
	 "Of those inpatient encounters, the planned ones: an elective procedure (seed elective_procedures) was "
	 "performed in it, or it starts on the TCI or clock-stop date of one of the patient's IRTT pathways",
	 "not_null range(0..)",
	 "stg_encounters.is_inpatient, stg_procedures.encounter_id, stg_procedures.treatment_function, "
	 "stg_pathways.tci_date, stg_pathways.clock_stop_date, stg_pathways.waiting_list_type, census", CR_EVENTS},
	{"recent_admissions", T_INT,
	 "Unplanned admissions: emergency_admissions_12m + inpatient_stays_12m - planned_admissions_12m",
	 "not_null range(0..)",
	 "stg_encounters.is_emergency, stg_encounters.is_inpatient, stg_encounters.start_date, "
	 "stg_procedures.treatment_function, stg_pathways.tci_date, stg_pathways.clock_stop_date, census", CR_EVENTS},
};

static const char *const tests[] = {
	"expr(recent_admissions >= emergency_admissions_12m)",
	"expr(inpatient_stays_12m >= planned_admissions_12m)",
	NULL,
};

/* Key of a (patient, day) pair. */
static uint64_t day_key(uint32_t patient, int32_t day)
{
	return (uint64_t)patient << 32 | (uint32_t)day;
}

static int build(run_ctx *ctx, mm_table *out)
{
	const struct risk_rules *rr = risk_rules_of(ctx);
	if (!rr)
		return EXIT_INPUT;
	mm_table *pt = ctx_table(ctx, "stg_patients");
	mm_table *en = ctx_table(ctx, "stg_encounters");
	mm_table *pr = ctx_table(ctx, "stg_procedures");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int p_id = col(pt, "patient_id");
	int e_id = col(en, "encounter_id"), e_pat = col(en, "patient_id"), e_day = col(en, "start_date");
	int e_emerg = col(en, "is_emergency"), e_inp = col(en, "is_inpatient");
	int r_enc = col(pr, "encounter_id"), r_tf = col(pr, "treatment_function");
	int w_pat = col(pw, "patient_id"), w_type = col(pw, "waiting_list_type"), w_tci = col(pw, "tci_date");
	int w_stop = col(pw, "clock_stop_date");
	int c_pat = col(out, "patient_id"), c_emerg = col(out, "emergency_admissions_12m");
	int c_inp = col(out, "inpatient_stays_12m"), c_plan = col(out, "planned_admissions_12m");
	int c_sum = col(out, "recent_admissions");

	/* Encounters with an elective procedure. */
	hmap elective;
	hmap_init(&elective, 1024);
	for (size_t r = 0; r < pr->nrows; r++)
		if (!tbl_isnull(pr, r_tf, r) && tbl_sid(pr, r_enc, r))
			hmap_put(&elective, tbl_sid(pr, r_enc, r), 1);
	/* Admission days of admitted (IRTT) pathways, per patient. */
	hmap admit_day;
	hmap_init(&admit_day, 1024);
	uint32_t irtt = sid_of(ctx->sp, "IRTT");
	for (size_t r = 0; r < pw->nrows; r++) {
		uint32_t p = tbl_sid(pw, w_pat, r);
		if (!p || tbl_sid(pw, w_type, r) != irtt)
			continue;
		int32_t d[2] = {tbl_date(pw, w_tci, r), tbl_date(pw, w_stop, r)};
		for (int k = 0; k < 2; k++)
			if (d[k] != I32_NULL)
				hmap_put(&admit_day, day_key(p, d[k]), 1);
	}

	hmap pos;
	rows_per_id(pt, p_id, out, c_pat, &pos);
	int64_t *emerg = xcalloc(out->nrows + 1, sizeof *emerg);
	int64_t *inp = xcalloc(out->nrows + 1, sizeof *inp);
	int64_t *plan = xcalloc(out->nrows + 1, sizeof *plan);

	int32_t lo = ctx->census - rr->admissions_days, hi = ctx->census;
	for (size_t r = 0; r < en->nrows; r++) {
		int32_t d = tbl_date(en, e_day, r);
		if (d == I32_NULL || d <= lo || d > hi)
			continue;
		uint32_t p = tbl_sid(en, e_pat, r);
		uint32_t o = hmap_get(&pos, p);
		if (o == HMAP_NONE)
			continue;
		emerg[o] += tbl_bool(en, e_emerg, r);
		if (!tbl_bool(en, e_inp, r))
			continue;
		inp[o]++;
		plan[o] += hmap_get(&elective, tbl_sid(en, e_id, r)) != HMAP_NONE ||
			   hmap_get(&admit_day, day_key(p, d)) != HMAP_NONE;
	}
	for (size_t o = 0; o < out->nrows; o++) {
		tbl_set_int(out, c_emerg, o, emerg[o]);
		tbl_set_int(out, c_inp, o, inp[o]);
		tbl_set_int(out, c_plan, o, plan[o]);
		tbl_set_int(out, c_sum, o, emerg[o] + inp[o] - plan[o]);
	}
	free(emerg);
	free(inp);
	free(plan);
	hmap_free(&pos);
	hmap_free(&elective);
	hmap_free(&admit_day);
	return 0;
}

const model_def model_int_patient_admissions = {
	.name = "int_patient_admissions",
	.layer = LAYER_INTERMEDIATE,
	.description = "Recent unplanned hospital use: per patient, emergency and urgent-care encounters and inpatient "
		       "stays not planned for an elective procedure or RTT pathway, in the look-back window of the rules "
		       "file up to the census (365 days by default); "
		       "one row per patient, by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
