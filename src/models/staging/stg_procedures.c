/* stg_procedures: procedures performed, with the treatment function of
 * those that are elective consultant-led treatments (seed). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdlib.h>
#include "util/date.h"

static const char *const upstream[] = {"procedures", "elective_procedures", "treatment_functions", "stg_patients", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)", "procedures.PATIENT", CR_ID},
	{"encounter_id", T_STR, "Encounter it was performed in", "", "procedures.ENCOUNTER", CR_ID},
	{"code", T_STR, "SNOMED CT procedure", "not_null", "procedures.CODE", CR_CODE},
	{"description", T_STR, "Procedure in words", "", "procedures.DESCRIPTION", CR_LABEL},
	{"performed_date", T_DATE, "Date performed", "not_null range(1880-01-01..)", "procedures.START", CR_DATE},
	{"reason_code", T_STR, "SNOMED CT condition it treats", "", "procedures.REASONCODE", CR_LABEL},
	{"treatment_function", T_STR, "Treatment function of an elective procedure (seed); null if not elective",
	 "ref(treatment_functions.CODE)", "elective_procedures.TREATMENT_FUNCTION, procedures.CODE", CR_CODE},
};

static const char *const tests[] = {NULL};

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *p = ctx_table(ctx, "procedures");
	const mm_table *seed = ctx_table(ctx, "elective_procedures");
	int s_start = col(p, "START"), s_pat = col(p, "PATIENT"), s_enc = col(p, "ENCOUNTER"), s_code = col(p, "CODE"),
	    s_desc = col(p, "DESCRIPTION"), s_reason = col(p, "REASONCODE");
	int e_tf = col(seed, "TREATMENT_FUNCTION");
	int c_pat = col(out, "patient_id"), c_enc = col(out, "encounter_id"), c_code = col(out, "code"),
	    c_desc = col(out, "description"), c_day = col(out, "performed_date"), c_reason = col(out, "reason_code"),
	    c_tf = col(out, "treatment_function");
	hmap elective;
	stg_index(seed, col(seed, "SNOMED_CODE"), &elective);
	tbl_reserve(out, p->nrows);
	/* In time order per patient (stg_pathways_derive relies on it); no id of
	 * its own, so every column takes part. */
	uint32_t *order = stg_order(
		p, (const char *const[]){"PATIENT", "START", "CODE", "ENCOUNTER", "REASONCODE", "DESCRIPTION", NULL});
	for (size_t k = 0; k < p->nrows; k++) {
		if (k + STG_AHEAD < p->nrows)
			stg_prefetch_row(p, order[k + STG_AHEAD]);
		size_t r = order[k];
		size_t o = tbl_add_row(out);
		uint32_t code = tbl_sid(p, s_code, r);
		long e = stg_lookup(&elective, code);
		tbl_set_sid(out, c_pat, o, tbl_sid(p, s_pat, r));
		tbl_set_sid(out, c_enc, o, tbl_sid(p, s_enc, r));
		tbl_set_sid(out, c_code, o, code);
		tbl_set_sid(out, c_desc, o, tbl_sid(p, s_desc, r));
		tbl_set_date(out, c_day, o, ts_day(tbl_ts(p, s_start, r)));
		tbl_set_sid(out, c_reason, o, tbl_sid(p, s_reason, r));
		if (e >= 0)
			tbl_set_sid(out, c_tf, o, tbl_sid(seed, e_tf, (size_t)e));
	}
	hmap_free(&elective);
	free(order);
	return 0;
}

const model_def model_stg_procedures = {
	.name = "stg_procedures",
	.layer = LAYER_STAGING,
	.description = "Procedures performed, with the treatment function of those that are elective "
		       "consultant-led treatments (seed elective_procedures).",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
