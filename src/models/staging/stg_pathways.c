/* stg_pathways: one row per RTT pathway. From waiting_list.csv when given;
 * in plain Synthea (no waiting list) derived from elective procedures by
 * stg_pathways_derive (stg_pathways_derived.c, docs/plain-synthea.md). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include <stdlib.h>

static const char *const upstream[] = {"waiting_list", "treatment_functions", "elective_procedures", "stg_procedures",
				       "stg_encounters", "stg_conditions", "stg_patients", "stg_organisations",
				       "stg_providers", NULL};

static const model_col cols[] = {
	{"pathway_id", T_STR, "Patient pathway identifier; derived: D-, the treating encounter's id, -, the procedure code",
	 "unique not_null", "waiting_list.PATHWAY_ID, stg_procedures.encounter_id, stg_procedures.code", CR_ID},
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)",
	 "waiting_list.PATIENT, stg_procedures.patient_id", CR_ID},
	{"site_id", T_STR, "Site of treatment", "not_null ref(stg_organisations.site_id)",
	 "waiting_list.ORGANIZATION, stg_encounters.site_id", CR_GEO},
	{"consultant_id", T_STR, "Consultant (derived: the clinician of the treating encounter)",
	 "warn:ref(stg_providers.provider_id)", "waiting_list.PROVIDER, stg_encounters.provider_id", CR_CLINICIAN},
	{"treatment_function", T_STR, "NHS treatment function code", "not_null ref(treatment_functions.CODE)",
	 "waiting_list.TREATMENT_FUNCTION, stg_procedures.treatment_function", CR_CODE},
	{"specialty", T_STR, "Treatment function name (seed)", "warn:not_null",
	 "treatment_functions.NAME, stg_pathways.treatment_function", CR_CODE},
	{"waiting_list_type", T_STR, "IRTT (admitted) or ORTT (non-admitted) waiting list", "not_null accepted(IRTT|ORTT)",
	 "waiting_list.WAITING_LIST_TYPE, elective_procedures.WAITING_LIST_TYPE", CR_CODE},
	{"priority", T_STR, "Clinical priority (RCS P1a..P4); null when not prioritised (always, when derived)",
	 "accepted(P1a|P1b|P2|P3|P4)", "waiting_list.PRIORITY", CR_CODE},
	{"referral_date", T_DATE, "Referral received; null when unknown (derived: the clock start)", "range(1880-01-01..)",
	 "waiting_list.REFERRAL_DATE, stg_conditions.onset_date, stg_encounters.start_date, stg_procedures.performed_date",
	 CR_DATE},
	{"clock_start_date", T_DATE,
	 "RTT clock start: the RTT period start date (WLMDS), else the referral date; null when unknown (counted as "
	 "unknown clock start). It differs from the referral after a first-appointment DNA nullified the clock and "
	 "the rebooking started a new one; derived: onset of the reason condition, else the first outpatient visit "
	 "at the site in the 18 months before, else the treatment date",
	 "range(1880-01-01..)",
	 "waiting_list.RTT_START_DATE, waiting_list.REFERRAL_DATE, stg_conditions.onset_date, stg_encounters.start_date, "
	 "stg_procedures.performed_date", CR_DATE},
	{"decision_to_admit_date", T_DATE, "Decision to admit; null if none yet (always, when derived)", "",
	 "waiting_list.DECISION_TO_ADMIT_DATE", CR_DATE},
	{"priority_date", T_DATE,
	 "When the clinical priority was set or last reviewed: PRIORITY_DATE, else the decision to admit; the "
	 "priority's target runs from it (null when not prioritised)", "",
	 "waiting_list.PRIORITY_DATE, waiting_list.DECISION_TO_ADMIT_DATE, waiting_list.PRIORITY", CR_DATE},
	{"tci_date", T_DATE, "Date booked to come in; null if not booked (always, when derived)", "", "waiting_list.TCI_DATE",
	 CR_DATE},
	{"clock_stop_date", T_DATE, "RTT clock stop; null while waiting (derived: the treatment date)", "",
	 "waiting_list.CLOCK_STOP_DATE, stg_procedures.performed_date", CR_DATE},
	{"clock_stop_reason", T_STR, "RTT period status at the stop (30 first definitive treatment, 33 first appointment not attended: the clock is nullified); null while waiting",
	 "accepted(30|31|32|33|34|35|36)", "waiting_list.CLOCK_STOP_REASON", CR_LABEL},
	{"procedure_code", T_STR, "Proposed (or performed) procedure, SNOMED CT", "",
	 "waiting_list.PROCEDURE_CODE, stg_procedures.code", CR_CODE},
	{"procedure_description", T_STR, "Procedure in words", "",
	 "waiting_list.PROCEDURE_DESCRIPTION, stg_procedures.description", CR_LABEL},
	{"last_validation_date", T_DATE, "Last administrative validation of the entry (never, when derived)", "",
	 "waiting_list.LAST_VALIDATION_DATE", CR_DATE},
	{"pathway_source", T_STR, "waiting_list, or derived from an elective procedure", "not_null "
	 "accepted(waiting_list|derived)", "waiting_list.PATHWAY_ID, stg_procedures.code", CR_CODE},
};

static const char *const tests[] = {
	"expr(clock_stop_date >= clock_start_date)",
	"expr(decision_to_admit_date >= clock_start_date)",
	"warn:expr(tci_date >= decision_to_admit_date)",
	"warn:expr(clock_start_date >= referral_date)",
	"warn:expr(priority_date >= clock_start_date)",
	NULL,
};

static const char *const copied[][2] = {
	{"PATHWAY_ID", "pathway_id"}, {"PATIENT", "patient_id"}, {"ORGANIZATION", "site_id"},
	{"PROVIDER", "consultant_id"}, {"TREATMENT_FUNCTION", "treatment_function"},
	{"WAITING_LIST_TYPE", "waiting_list_type"}, {"PRIORITY", "priority"}, {"REFERRAL_DATE", "referral_date"},
	{"RTT_START_DATE", "clock_start_date"}, {"DECISION_TO_ADMIT_DATE", "decision_to_admit_date"},
	{"PRIORITY_DATE", "priority_date"}, {"TCI_DATE", "tci_date"},
	{"CLOCK_STOP_DATE", "clock_stop_date"}, {"CLOCK_STOP_REASON", "clock_stop_reason"},
	{"PROCEDURE_CODE", "procedure_code"}, {"PROCEDURE_DESCRIPTION", "procedure_description"},
	{"LAST_VALIDATION_DATE", "last_validation_date"}, {NULL, NULL},
};

static void from_waiting_list(run_ctx *ctx, mm_table *out)
{
	const mm_table *w = ctx_table(ctx, "waiting_list");
	const mm_table *tf = ctx_table(ctx, "treatment_functions");
	int t_name = col(tf, "NAME");
	int c_tf = col(out, "treatment_function"), c_spec = col(out, "specialty"), c_src = col(out, "pathway_source");
	int c_ref = col(out, "referral_date"), c_start = col(out, "clock_start_date"), c_prio = col(out, "priority");
	int c_pdate = col(out, "priority_date"), c_dta = col(out, "decision_to_admit_date");
	hmap tf_ix;
	stg_index(tf, col(tf, "CODE"), &tf_ix);
	uint32_t src = stg_sid(ctx->sp, "waiting_list");
	uint32_t *order = stg_order(w, (const char *const[]){"PATHWAY_ID", NULL});
	stg_take_named(ctx, out, "waiting_list", order, copied);
	free(order);
	for (size_t r = 0; r < out->nrows; r++) {
		long t = stg_lookup(&tf_ix, tbl_sid(out, c_tf, r));
		if (t >= 0)
			tbl_set_sid(out, c_spec, r, tbl_sid(tf, t_name, (size_t)t));
		tbl_set_sid(out, c_src, r, src);
		/* The RTT period start defaults to the referral; the priority
		 * date to the decision to admit, and only with a priority. */
		if (tbl_date(out, c_start, r) == I32_NULL)
			tbl_set_date(out, c_start, r, tbl_date(out, c_ref, r));
		if (!tbl_sid(out, c_prio, r))
			tbl_set_date(out, c_pdate, r, I32_NULL);
		else if (tbl_date(out, c_pdate, r) == I32_NULL)
			tbl_set_date(out, c_pdate, r, tbl_date(out, c_dta, r));
	}
	hmap_free(&tf_ix);
}

static int build(run_ctx *ctx, mm_table *out)
{
	if (ctx->plain_synthea) {
		stg_pathways_derive(ctx, out);
		stg_sort(out, (const char *const[]){"pathway_id", NULL});
	} else {
		from_waiting_list(ctx, out);
	}
	return 0;
}

const model_def model_stg_pathways = {
	.name = "stg_pathways",
	.layer = LAYER_STAGING,
	.description = "RTT pathways (clock start to clock stop), one row each. From waiting_list.csv; in plain "
		       "Synthea data, derived from elective procedures (one closed pathway per procedure, see the "
		       "plain Synthea page).",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
