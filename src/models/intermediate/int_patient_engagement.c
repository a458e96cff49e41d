/* int_patient_engagement: how reliably each patient has attended, as a
 * smoothed likelihood of responding to the next appointment. Laplace
 * smoothing ((attended + 1) / (attended + missed + 2)) keeps a single
 * missed appointment from marking someone as never attending. Only a
 * non-attendance counts as missed: a DNA, or arriving too late to be seen
 * (NHS Data Dictionary, ATTENDED OR DID NOT ATTEND codes 3 and 7). A
 * cancellation by the patient gave the service notice, and one by the
 * hospital was not the patient's doing: neither counts either way. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_appointments", "stg_patients", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient with at least one appointment booked by the census",
	 "unique not_null warn:ref(stg_patients.patient_id)", "stg_appointments.patient_id", CR_ID},
	{"appointments_past", T_INT,
	 "Past appointments the patient attended or missed: slot on or before census, outcome attended, seen late, "
	 "DNA or arrived too late to be seen; cancellations (by the patient or the hospital) left out",
	 "not_null range(0..)", "stg_appointments.slot_date, stg_appointments.outcome, census", CR_EVENTS},
	{"dnas", T_INT, "Of those, did not attend (outcome dna, code 3)", "not_null range(0..)",
	 "stg_appointments.outcome", CR_EVENTS},
	{"missed", T_INT, "Of those, not attended: DNAs and arrivals too late to be seen (codes 3 and 7)",
	 "not_null range(0..)", "stg_appointments.outcome", CR_EVENTS},
	{"patient_cancellations", T_INT,
	 "Past appointments cancelled by the patient (not in appointments_past: the patient gave notice)",
	 "not_null range(0..)", "stg_appointments.outcome", CR_EVENTS},
	{"response_likelihood", T_NUM,
	 "(attended + 1) / (appointments_past + 2): Laplace-smoothed share attended, 0.5 with no history",
	 "not_null range(0..1)", "stg_appointments.outcome, stg_appointments.slot_date", CR_RATIO},
	{"engagement_band", T_STR,
	 "High (likelihood >= 0.8), Medium (>= 0.6) or Low; null without past appointments",
	 "accepted(Low|Medium|High)", "stg_appointments.outcome, stg_appointments.slot_date", CR_CODE},
};

static const char *const tests[] = {
	"expr(appointments_past >= missed)",
	"expr(missed >= dnas)",
	NULL,
};

typedef struct tally {
	int64_t past, attended, dnas, missed, pcanc;
} tally;

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	int a_pat = col(ap, "patient_id"), a_slot = col(ap, "slot_date"), a_out = col(ap, "outcome");
	int a_booked = col(ap, "booked_at_ts");
	int c_pat = col(out, "patient_id"), c_past = col(out, "appointments_past"), c_dna = col(out, "dnas");
	int c_pc = col(out, "patient_cancellations"), c_resp = col(out, "response_likelihood");
	int c_band = col(out, "engagement_band"), c_missed = col(out, "missed");
	const strpool *sp = ctx->sp;
	uint32_t o_att = sid_of(sp, "attended"), o_late = sid_of(sp, "late_seen"), o_dna = sid_of(sp, "dna");
	uint32_t o_late_ns = sid_of(sp, "late_not_seen"), o_pc = sid_of(sp, "patient_cancelled");

	/* Patients in order of first sight, then sorted by id. */
	hmap idx;
	hmap_init(&idx, 1024);
	keyed *pats = NULL;
	tally *t = NULL;
	size_t np = 0, cap = 0;
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t p = tbl_sid(ap, a_pat, r);
		int32_t booked = ts_day_or_null(ap, a_booked, r);
		if (!p || (booked != DATE_NULL && booked > ctx->census))
			continue; /* not yet booked at the census */
		uint32_t i = hmap_get(&idx, p);
		if (i == HMAP_NONE) {
			if (np == cap) {
				cap = cap ? cap * 2 : 1024;
				pats = xrealloc(pats, cap * sizeof *pats);
				t = xrealloc(t, cap * sizeof *t);
			}
			i = (uint32_t)np++;
			hmap_put(&idx, p, i);
			pats[i] = (keyed){tbl_str(ap, a_pat, r), i};
			memset(&t[i], 0, sizeof t[i]);
		}
		int32_t slot = tbl_date(ap, a_slot, r);
		if (slot == I32_NULL || slot > ctx->census)
			continue;
		uint32_t o = tbl_sid(ap, a_out, r);
		int seen = o == o_att || o == o_late, missed = o == o_dna || o == o_late_ns;
		t[i].pcanc += o == o_pc;
		if (!seen && !missed)
			continue; /* a cancellation, or no outcome yet: neither attended nor missed */
		t[i].past++;
		t[i].attended += seen;
		t[i].dnas += o == o_dna;
		t[i].missed += missed;
	}
	if (np)
		keyed_sort(pats, np);

	tbl_reserve(out, np);
	for (size_t k = 0; k < np; k++) {
		const tally *x = &t[pats[k].r];
		size_t o = tbl_add_row(out);
		tbl_set_str(out, c_pat, o, pats[k].key);
		tbl_set_int(out, c_past, o, x->past);
		tbl_set_int(out, c_dna, o, x->dnas);
		tbl_set_int(out, c_missed, o, x->missed);
		tbl_set_int(out, c_pc, o, x->pcanc);
		double like = (double)(x->attended + 1) / (double)(x->past + 2);
		tbl_set_num(out, c_resp, o, like);
		if (x->past > 0)
			tbl_set_str(out, c_band, o, like >= 0.8 ? "High" : like >= 0.6 ? "Medium" : "Low");
	}
	free(pats);
	free(t);
	hmap_free(&idx);
	return 0;
}

const model_def model_int_patient_engagement = {
	.name = "int_patient_engagement",
	.layer = LAYER_INTERMEDIATE,
	.description = "Engagement with booked care: per patient with appointments, the past appointments they attended "
		       "or missed (cancellations left out), DNAs, own cancellations and a smoothed likelihood of "
		       "attending; by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
