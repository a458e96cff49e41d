/* stg_conditions: diagnoses with onset and resolution, whether each is
 * active at the census, and its comorbidity group (seed). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdlib.h>

static const char *const upstream[] = {"conditions", "comorbidities", "stg_patients", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)", "conditions.PATIENT", CR_ID},
	{"encounter_id", T_STR, "Encounter where it was diagnosed", "", "conditions.ENCOUNTER", CR_ID},
	{"code", T_STR, "SNOMED CT condition", "not_null", "conditions.CODE", CR_CODE},
	{"description", T_STR, "Condition in words", "", "conditions.DESCRIPTION", CR_LABEL},
	{"onset_date", T_DATE, "Onset", "not_null range(1880-01-01..)", "conditions.START", CR_DATE},
	{"resolved_date", T_DATE, "Resolution; null while active", "", "conditions.STOP", CR_DATE},
	{"is_active_at_census", T_BOOL, "Onset on or before the census and not resolved by then", "not_null",
	 "conditions.START, conditions.STOP, census", CR_FLAG},
	{"comorbidity_group", T_STR, "Comorbidity group of the code (seed); null when not a tracked chronic condition",
	 "", "comorbidities.GROUP, conditions.CODE", CR_CODE},
};

static const char *const tests[] = {
	"expr(resolved_date >= onset_date)",
	NULL,
};

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *c = ctx_table(ctx, "conditions");
	const mm_table *seed = ctx_table(ctx, "comorbidities");
	int s_start = col(c, "START"), s_stop = col(c, "STOP"), s_pat = col(c, "PATIENT"), s_enc = col(c, "ENCOUNTER"),
	    s_code = col(c, "CODE"), s_desc = col(c, "DESCRIPTION");
	int g_group = col(seed, "GROUP");
	int c_pat = col(out, "patient_id"), c_enc = col(out, "encounter_id"), c_code = col(out, "code"),
	    c_desc = col(out, "description"), c_onset = col(out, "onset_date"), c_res = col(out, "resolved_date"),
	    c_active = col(out, "is_active_at_census"), c_group = col(out, "comorbidity_group");
	hmap groups;
	stg_index(seed, col(seed, "SNOMED_CODE"), &groups);
	tbl_reserve(out, c->nrows);
	/* No id of its own: every column takes part, so rows equal on all keys
	 * are identical. */
	uint32_t *order = stg_order(
		c, (const char *const[]){"PATIENT", "START", "CODE", "ENCOUNTER", "STOP", "DESCRIPTION", NULL});
	for (size_t k = 0; k < c->nrows; k++) {
		if (k + STG_AHEAD < c->nrows)
			stg_prefetch_row(c, order[k + STG_AHEAD]);
		size_t r = order[k];
		size_t o = tbl_add_row(out);
		int32_t onset = tbl_date(c, s_start, r), stop = tbl_date(c, s_stop, r);
		uint32_t code = tbl_sid(c, s_code, r);
		long g = stg_lookup(&groups, code);
		tbl_set_sid(out, c_pat, o, tbl_sid(c, s_pat, r));
		tbl_set_sid(out, c_enc, o, tbl_sid(c, s_enc, r));
		tbl_set_sid(out, c_code, o, code);
		tbl_set_sid(out, c_desc, o, tbl_sid(c, s_desc, r));
		tbl_set_date(out, c_onset, o, onset);
		tbl_set_date(out, c_res, o, stop);
		tbl_set_bool(out, c_active, o, onset <= ctx->census && (stop == I32_NULL || stop > ctx->census));
		if (g >= 0)
			tbl_set_sid(out, c_group, o, tbl_sid(seed, g_group, (size_t)g));
	}
	hmap_free(&groups);
	free(order);
	return 0;
}

const model_def model_stg_conditions = {
	.name = "stg_conditions",
	.layer = LAYER_STAGING,
	.description = "Diagnoses with onset and resolution dates, whether each is active at the census, and the "
		       "comorbidity group of chronic conditions (seed comorbidities).",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
