/* stg_appointments: booked slots with their outcome. From appointments.csv;
 * in plain Synthea, the encounters on derived pathways stand in for
 * attended appointments (stg_appointments_derived.c). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/date.h"
#include "util/diag.h"
#include <stdlib.h>

static const char *const upstream[] = {"appointments", "cancellation_reasons", "stg_pathways", "stg_encounters",
				       "stg_patients", "stg_organisations", "stg_providers", "stg_sessions", NULL};

static const model_col cols[] = {
	{"appointment_id", T_STR, "Appointment identifier; derived: A- and the encounter id", "unique not_null",
	 "appointments.Id, stg_encounters.encounter_id", CR_ID},
	{"pathway_id", T_STR, "Pathway the appointment belongs to", "not_null ref(stg_pathways.pathway_id)",
	 "appointments.PATHWAY_ID, stg_pathways.pathway_id", CR_ID},
	{"patient_id", T_STR, "Patient", "not_null ref(stg_patients.patient_id)",
	 "appointments.PATIENT, stg_encounters.patient_id", CR_ID},
	{"site_id", T_STR, "Site", "not_null warn:ref(stg_organisations.site_id)",
	 "appointments.ORGANIZATION, stg_encounters.site_id", CR_GEO},
	{"consultant_id", T_STR, "Clinician", "warn:ref(stg_providers.provider_id)",
	 "appointments.PROVIDER, stg_encounters.provider_id", CR_CLINICIAN},
	{"session_id", T_STR, "Clinic or theatre session it was booked into; null if none",
	 "warn:ref(stg_sessions.session_id)",
	 "appointments.SESSION_ID", CR_ID},
	{"appointment_type", T_STR, "FIRST outpatient, FOLLOWUP, PREOP assessment, DIAGNOSTIC test or SURGERY",
	 "not_null accepted(FIRST|FOLLOWUP|PREOP|DIAGNOSTIC|SURGERY)", "appointments.TYPE", CR_CODE},
	{"slot_ts", T_TS, "Appointment time (UTC)", "not_null", "appointments.SLOT_START, stg_encounters.start_ts",
	 CR_DATE},
	{"slot_date", T_DATE, "Appointment date", "not_null range(1880-01-01..)", "appointments.SLOT_START", CR_DATE},
	{"booked_at_ts", T_TS, "When it was booked; null when derived from an encounter", "", "appointments.BOOKED_AT",
	 CR_DATE},
	{"attendance_code", T_INT, "NHS Attended or Did Not Attend code (0 future, 2 patient cancelled, 3 DNA, "
				   "4 hospital cancelled, 5 attended, 6 late but seen, 7 late not seen)",
	 "not_null accepted(0|2|3|4|5|6|7)", "appointments.ATTENDANCE", CR_CODE},
	{"outcome", T_STR, "The attendance code in words", "not_null "
	 "accepted(attended|late_seen|late_not_seen|dna|patient_cancelled|hospital_cancelled|not_yet)",
	 "appointments.ATTENDANCE", CR_CODE},
	{"cancelled_at_ts", T_TS, "When it was cancelled (codes 2 and 4)", "", "appointments.CANCELLED_AT", CR_DATE},
	{"cancellation_reason", T_STR, "Reason code or text as recorded", "", "appointments.CANCELLATION_REASON",
	 CR_LABEL},
	{"reason_is_standard", T_BOOL, "The reason is a standard code (seed); null when not cancelled", "",
	 "appointments.CANCELLATION_REASON, cancellation_reasons.CODE", CR_FLAG},
	{"reason_side", T_STR, "Side of a cancellation by its standard reason (unknown if non-standard); null when not "
			       "cancelled",
	 "accepted(patient|hospital|session|unknown)", "cancellation_reasons.SIDE, appointments.ATTENDANCE", CR_LABEL},
	{"is_last_minute", T_BOOL, "Hospital cancellation made on the slot day or the day before", "not_null",
	 "appointments.ATTENDANCE, appointments.CANCELLED_AT, appointments.SLOT_START", CR_FLAG},
	{"encounter_id", T_STR, "Encounter the attended appointment became", "warn:ref(stg_encounters.encounter_id)",
	 "appointments.ENCOUNTER, stg_encounters.encounter_id", CR_ID},
	{"appointment_source", T_STR, "appointments file, or an encounter (plain Synthea)",
	 "not_null accepted(appointments|encounter)", "appointments.Id, stg_encounters.encounter_id", CR_CODE},
};

static const char *const tests[] = {
	"expr(slot_ts >= booked_at_ts)",
	"expr(cancelled_at_ts >= booked_at_ts)",
	NULL,
};

static const char *const outcome_names[8] = {
	[0] = "not_yet", [1] = NULL, [2] = "patient_cancelled", [3] = "dna",
	[4] = "hospital_cancelled", [5] = "attended", [6] = "late_seen", [7] = "late_not_seen",
};

static const char *const copied[][2] = {
	{"Id", "appointment_id"}, {"PATHWAY_ID", "pathway_id"}, {"PATIENT", "patient_id"},
	{"ORGANIZATION", "site_id"}, {"PROVIDER", "consultant_id"}, {"SESSION_ID", "session_id"},
	{"TYPE", "appointment_type"}, {"SLOT_START", "slot_ts"}, {"BOOKED_AT", "booked_at_ts"},
	{"CANCELLED_AT", "cancelled_at_ts"}, {"CANCELLATION_REASON", "cancellation_reason"},
	{"ENCOUNTER", "encounter_id"},
	{"ATTENDANCE", "outcome"}, /* the code's text for now; replaced by its outcome below */
	{NULL, NULL},
};

static void from_file(run_ctx *ctx, mm_table *out)
{
	const mm_table *a = ctx_table(ctx, "appointments");
	const mm_table *cr = ctx_table(ctx, "cancellation_reasons");
	int cr_side = col(cr, "SIDE");
	int c_slot = col(out, "slot_ts"), c_day = col(out, "slot_date"), c_att = col(out, "attendance_code"),
	    c_out = col(out, "outcome"), c_cat = col(out, "cancelled_at_ts"), c_reason = col(out, "cancellation_reason"),
	    c_std = col(out, "reason_is_standard"), c_side = col(out, "reason_side"),
	    c_last = col(out, "is_last_minute"), c_src = col(out, "appointment_source");
	/* The loader admits the codes 0, 2..7 only: text id -> code. */
	uint32_t code_text[8], outcome[8];
	for (int k = 0; k < 8; k++) {
		char digit[2] = {(char)('0' + k), '\0'};
		code_text[k] = outcome_names[k] ? stg_sid_find(ctx->sp, digit) : 0;
		outcome[k] = outcome_names[k] ? stg_sid(ctx->sp, outcome_names[k]) : 0;
	}
	uint32_t unknown = stg_sid(ctx->sp, "unknown"), src = stg_sid(ctx->sp, "appointments");
	hmap reasons;
	stg_index(cr, col(cr, "CODE"), &reasons);

	uint32_t *order = stg_order(a, (const char *const[]){"Id", NULL});
	stg_take_named(ctx, out, "appointments", order, copied);
	free(order);
	/* The rest derives from the copied cells, row by row in order. */
	for (size_t r = 0; r < out->nrows; r++) {
		uint32_t text = tbl_sid(out, c_out, r);
		int code = 0;
		while (code < 7 && code_text[code] != text)
			code++;
		int64_t slot = tbl_ts(out, c_slot, r), cancelled = tbl_ts(out, c_cat, r);
		int32_t day = ts_day(slot);
		tbl_set_date(out, c_day, r, day);
		tbl_set_int(out, c_att, r, code);
		tbl_set_sid(out, c_out, r, outcome[code]);
		if (code == 2 || code == 4) {
			long std = stg_lookup(&reasons, tbl_sid(out, c_reason, r));
			tbl_set_bool(out, c_std, r, std >= 0);
			tbl_set_sid(out, c_side, r, std >= 0 ? tbl_sid(cr, cr_side, (size_t)std) : unknown);
		}
		tbl_set_bool(out, c_last, r, code == 4 && cancelled != INT_NULL && ts_day(cancelled) >= day - 1);
		tbl_set_sid(out, c_src, r, src);
	}
	hmap_free(&reasons);
}

static int build(run_ctx *ctx, mm_table *out)
{
	if (ctx->plain_synthea) {
		/* Appointments hang off pathways; without a waiting list the
		 * pathways are derived and a file's PATHWAY_IDs would match none. */
		if (ctx->src->st[SRC_APPOINTMENTS].present)
			diag(DIAG_NOTE, ctx->src->st[SRC_APPOINTMENTS].path, 0, 0,
			     "ignored: without waiting_list.csv, appointments are derived from encounters");
		stg_appointments_derive(ctx, out);
		stg_sort(out, (const char *const[]){"appointment_id", NULL});
	} else if (ctx->src->st[SRC_APPOINTMENTS].present) {
		from_file(ctx, out);
	}
	return 0;
}

const model_def model_stg_appointments = {
	.name = "stg_appointments",
	.layer = LAYER_STAGING,
	.description = "Booked appointment slots with their outcome (NHS attendance code), cancellation reason and "
		       "side, and last-minute hospital cancellations. In plain Synthea data, each outpatient, "
		       "ambulatory or inpatient encounter on a derived pathway counts as one attended appointment.",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
