/* Pathways for plain Synthea data, which has no waiting list: every
 * elective procedure (seed elective_procedures) performed in a planned
 * secondary-care encounter becomes one closed pathway whose clock stopped
 * on the day of treatment. The rules are set out in docs/plain-synthea.md. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far back an earlier outpatient visit can start the clock. */
#define LOOKBACK_MONTHS 18
/* A repeat of the same procedure within this many days of the previous
 * one continues a course of treatment (RTT status 90): no new clock. */
#define COURSE_DAYS 365

/* Rows grouped by a key: head maps key -> a row, next[row] -> another row
 * of the same key, HMAP_NONE at the end. */
typedef struct chains {
	hmap head;
	uint32_t *next;
} chains;

static void chains_init(chains *ch, size_t rows)
{
	hmap_init(&ch->head, rows / 4 + 16);
	ch->next = xmalloc((rows ? rows : 1) * sizeof *ch->next);
}

static void chains_add(chains *ch, uint64_t key, uint32_t row)
{
	ch->next[row] = hmap_put(&ch->head, key, row);
}

static void chains_free(chains *ch)
{
	hmap_free(&ch->head);
	free(ch->next);
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

typedef struct inputs {
	const mm_table *proc, *enc, *cond;
	int p_pat, p_enc, p_code, p_desc, p_day, p_reason, p_tf;
	int e_id, e_pat, e_site, e_prov, e_class, e_ts, e_day;
	int c_pat, c_code, c_onset;
	hmap enc_ix;     /* encounter id -> row */
	chains onsets;   /* (patient, condition code) -> condition rows */
	chains visits;   /* patient -> outpatient and ambulatory encounter rows */
	uint32_t outpatient, ambulatory, inpatient;
} inputs;

static void inputs_init(run_ctx *ctx, inputs *in)
{
	in->proc = ctx_table(ctx, "stg_procedures");
	in->enc = ctx_table(ctx, "stg_encounters");
	in->cond = ctx_table(ctx, "stg_conditions");
	const mm_table *p = in->proc, *e = in->enc, *c = in->cond;
	in->p_pat = col(p, "patient_id");
	in->p_enc = col(p, "encounter_id");
	in->p_code = col(p, "code");
	in->p_desc = col(p, "description");
	in->p_day = col(p, "performed_date");
	in->p_reason = col(p, "reason_code");
	in->p_tf = col(p, "treatment_function");
	in->e_id = col(e, "encounter_id");
	in->e_pat = col(e, "patient_id");
	in->e_site = col(e, "site_id");
	in->e_prov = col(e, "provider_id");
	in->e_class = col(e, "encounter_class");
	in->e_ts = col(e, "start_ts");
	in->e_day = col(e, "start_date");
	in->c_pat = col(c, "patient_id");
	in->c_code = col(c, "code");
	in->c_onset = col(c, "onset_date");

	stg_index(e, in->e_id, &in->enc_ix);
	chains_init(&in->onsets, c->nrows);
	for (size_t r = 0; r < c->nrows; r++)
		chains_add(&in->onsets, pair_key(tbl_sid(c, in->c_pat, r), tbl_sid(c, in->c_code, r)), (uint32_t)r);
	in->outpatient = stg_sid(ctx->sp, "outpatient");
	in->ambulatory = stg_sid(ctx->sp, "ambulatory");
	in->inpatient = stg_sid(ctx->sp, "inpatient");
	chains_init(&in->visits, e->nrows);
	for (size_t r = 0; r < e->nrows; r++) {
		uint32_t cls = tbl_sid(e, in->e_class, r);
		if (cls == in->outpatient || cls == in->ambulatory)
			chains_add(&in->visits, tbl_sid(e, in->e_pat, r), (uint32_t)r);
	}
}

static void inputs_free(inputs *in)
{
	hmap_free(&in->enc_ix);
	chains_free(&in->onsets);
	chains_free(&in->visits);
}

/* Latest onset on or before `day` of the patient's condition `code`. */
static int32_t reason_onset(const inputs *in, uint32_t patient, uint32_t code, int32_t day)
{
	int32_t best = DATE_NULL;
	if (!code)
		return best;
	for (uint32_t r = hmap_get(&in->onsets.head, pair_key(patient, code)); r != HMAP_NONE; r = in->onsets.next[r]) {
		int32_t d = tbl_date(in->cond, in->c_onset, r);
		if (d != DATE_NULL && d <= day && (best == DATE_NULL || d > best))
			best = d;
	}
	return best;
}

/* Date of the patient's first outpatient or ambulatory encounter at `site`,
 * other than the treating one, from LOOKBACK_MONTHS before `day` to `day`
 * (earliest start time; ties by encounter id). */
static int32_t first_visit(const inputs *in, uint32_t patient, uint32_t site, size_t own, int32_t day)
{
	const mm_table *e = in->enc;
	int32_t from = stg_add_months(day, -LOOKBACK_MONTHS);
	long best = -1;
	for (uint32_t r = hmap_get(&in->visits.head, patient); r != HMAP_NONE; r = in->visits.next[r]) {
		int32_t d = tbl_date(e, in->e_day, r);
		if (r == own || !site || tbl_sid(e, in->e_site, r) != site || d < from || d > day)
			continue;
		if (best >= 0) {
			int64_t a = tbl_ts(e, in->e_ts, r), b = tbl_ts(e, in->e_ts, (size_t)best);
			if (a > b || (a == b && strcmp(tbl_str(e, in->e_id, r), tbl_str(e, in->e_id, (size_t)best)) >= 0))
				continue;
		}
		best = r;
	}
	return best < 0 ? DATE_NULL : tbl_date(e, in->e_day, (size_t)best);
}

void stg_pathways_derive(run_ctx *ctx, mm_table *out)
{
	inputs in;
	inputs_init(ctx, &in);
	const mm_table *seed = ctx_table(ctx, "elective_procedures"), *tf = ctx_table(ctx, "treatment_functions");
	int s_type = col(seed, "WAITING_LIST_TYPE"), t_name = col(tf, "NAME");
	hmap seed_ix, tf_ix, last;
	stg_index(seed, col(seed, "SNOMED_CODE"), &seed_ix);
	stg_index(tf, col(tf, "CODE"), &tf_ix);
	hmap_init(&last, 1024); /* (patient, code) -> row of its latest occurrence so far */
	int c_id = col(out, "pathway_id"), c_pat = col(out, "patient_id"), c_site = col(out, "site_id"),
	    c_cons = col(out, "consultant_id"), c_tf = col(out, "treatment_function"), c_spec = col(out, "specialty"),
	    c_type = col(out, "waiting_list_type"), c_start = col(out, "clock_start_date"), c_ref = col(out, "referral_date"),
	    c_stop = col(out, "clock_stop_date"), c_reason = col(out, "clock_stop_reason"),
	    c_pcode = col(out, "procedure_code"), c_pdesc = col(out, "procedure_description"),
	    c_src = col(out, "pathway_source");
	uint32_t treated = stg_sid(ctx->sp, "30"), derived = stg_sid(ctx->sp, "derived");
	size_t by_reason = 0, by_visit = 0, by_treatment = 0, course = 0, setting = 0, no_encounter = 0;

	/* stg_procedures is in (patient, date) order: each patient's history
	 * is read forwards. */
	const mm_table *p = in.proc, *e = in.enc;
	for (size_t r = 0; r < p->nrows; r++) {
		uint32_t fn = tbl_sid(p, in.p_tf, r);
		if (!fn)
			continue; /* not an elective procedure */
		uint32_t code = tbl_sid(p, in.p_code, r), patient = tbl_sid(p, in.p_pat, r);
		int32_t day = tbl_date(p, in.p_day, r);
		uint32_t prev = hmap_put(&last, pair_key(patient, code), (uint32_t)r);
		if (prev != HMAP_NONE && day - tbl_date(p, in.p_day, prev) <= COURSE_DAYS) {
			course++;
			continue;
		}
		long er = stg_lookup(&in.enc_ix, tbl_sid(p, in.p_enc, r));
		if (er < 0) {
			no_encounter++;
			continue;
		}
		uint32_t cls = tbl_sid(e, in.e_class, (size_t)er);
		if (cls != in.outpatient && cls != in.ambulatory && cls != in.inpatient) {
			setting++; /* emergency, urgent care, primary care, home, ...: not an elective treatment */
			continue;
		}
		char id[256];
		snprintf(id, sizeof id, "D-%s-%s", tbl_str(e, in.e_id, (size_t)er), sp_str(ctx->sp, code));
		uint32_t pid = stg_sid(ctx->sp, id);
		uint32_t site = tbl_sid(e, in.e_site, (size_t)er);
		int32_t start = reason_onset(&in, patient, tbl_sid(p, in.p_reason, r), day);
		if (start != DATE_NULL) {
			by_reason++;
		} else if ((start = first_visit(&in, patient, site, (size_t)er, day)) != DATE_NULL) {
			by_visit++;
		} else {
			start = day;
			by_treatment++;
		}
		long sr = stg_lookup(&seed_ix, code), tr = stg_lookup(&tf_ix, fn);
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_id, o, pid);
		tbl_set_sid(out, c_pat, o, patient);
		tbl_set_sid(out, c_site, o, site);
		tbl_set_sid(out, c_cons, o, tbl_sid(e, in.e_prov, (size_t)er));
		tbl_set_sid(out, c_tf, o, fn);
		if (tr >= 0)
			tbl_set_sid(out, c_spec, o, tbl_sid(tf, t_name, (size_t)tr));
		if (sr >= 0)
			tbl_set_sid(out, c_type, o, tbl_sid(seed, s_type, (size_t)sr));
		tbl_set_date(out, c_start, o, start);
		tbl_set_date(out, c_ref, o, start);
		tbl_set_date(out, c_stop, o, day);
		tbl_set_sid(out, c_reason, o, treated);
		tbl_set_sid(out, c_pcode, o, code);
		tbl_set_sid(out, c_pdesc, o, tbl_sid(p, in.p_desc, r));
		tbl_set_sid(out, c_src, o, derived);
	}
	progress("derived %zu pathways from elective procedures (clock start from the reason condition %zu, an "
		 "earlier outpatient visit %zu, the treatment date %zu); left out: %zu repeats within a course, %zu "
		 "outside outpatient/ambulatory/inpatient care, %zu without a known encounter",
		 out->nrows, by_reason, by_visit, by_treatment, course, setting, no_encounter);
	hmap_free(&last);
	hmap_free(&tf_ix);
	hmap_free(&seed_ix);
	inputs_free(&in);
}
