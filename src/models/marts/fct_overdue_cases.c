/* fct_overdue_cases: the open waiting list at the census, one row per
 * pathway, with the breach rule of the rules file applied: RTT breach
 * against the 18-week standard, priority breach against the clinical
 * priority's target, and "overdue" once the grace period has passed too.
 * Ordered for a validation meeting: most urgent priority first, then
 * longest wait. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "models/rules/rtt_clock.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {
	"stg_pathways", "stg_organisations", "stg_patients", "int_pathway_events", "dim_risk_cohort", "procedure_groups",
	NULL,
};

#define NN "not_null"
static const model_col cols[] = {
	{"pathway_id", T_STR, "Pathway open at the census", "unique not_null ref(stg_pathways.pathway_id)",
	 "stg_pathways.pathway_id, stg_pathways.clock_start_date, stg_pathways.clock_stop_date, census", CR_ID},
	{"patient_id", T_STR, "Patient", "not_null ref(dim_risk_cohort.patient_id)", "stg_pathways.patient_id", CR_ID},
	{"site_id", T_STR, "Site of treatment", "warn:not_null warn:ref(stg_organisations.site_id)", "stg_pathways.site_id",
	 CR_GEO},
	{"site_name", T_STR, "Site name", "", "stg_organisations.site_name", CR_GEO},
	{"trust_code", T_STR, "Trust that runs the site", "warn:not_null", "stg_organisations.trust_code", CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "stg_organisations.trust_name", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust", "warn:not_null", "stg_organisations.ics_code",
	 CR_GEO},
	{"ics_name", T_STR, "Integrated care system name", "", "stg_organisations.ics_name", CR_GEO},
	{"treatment_function", T_STR, "Treatment function code", "warn:not_null", "stg_pathways.treatment_function",
	 CR_CODE},
	{"specialty", T_STR, "Treatment function name", "", "stg_pathways.specialty", CR_CODE},
	{"consultant_id", T_STR, "Consultant responsible", "", "stg_pathways.consultant_id", CR_CLINICIAN},
	{"priority", T_STR, "Clinical priority (RCS); null when not yet prioritised", "accepted(P1a|P1b|P2|P3|P4)",
	 "stg_pathways.priority", CR_CODE},
	{"waiting_list_type", T_STR, "IRTT (inpatient) or ORTT (outpatient)", "accepted(IRTT|ORTT)",
	 "stg_pathways.waiting_list_type", CR_CODE},
	{"clock_start_date", T_DATE, "RTT clock start (the RTT period start, else the referral)",
	 "not_null range(1900-01-01..)", "stg_pathways.clock_start_date", CR_DATE},
	{"priority_date", T_DATE, "When the clinical priority was set or last reviewed; null when not prioritised", "",
	 "stg_pathways.priority_date", CR_DATE},
	{"priority_wait_days", T_INT, "Days since the priority was set: census - priority_date (census - "
	 "clock_start_date when a prioritised pathway has no priority date); null when not prioritised",
	 "range(0..)", "stg_pathways.priority_date, stg_pathways.clock_start_date, stg_pathways.priority, census",
	 CR_DAYS},
	{"wait_days", T_INT, "Days waited at the census: census - clock_start_date", "not_null range(0..)",
	 "stg_pathways.clock_start_date, census", CR_DAYS},
	{"wait_weeks", T_INT, "Completed weeks waited: floor(wait_days / 7)", "not_null range(0..)",
	 "stg_pathways.clock_start_date, census", CR_WEEKS},
	{"weeks_waited", T_NUM,
	 "Weeks waited, exact: wait_days / 7 (every median and percentile wait in weeks on the site is taken of it)",
	 "not_null range(0..)", "stg_pathways.clock_start_date, census", CR_WEEKS},
	{"wait_band", T_STR, "NHS weekly band as published: \">0-1 weeks\" (0 to 7 days) .. \">103-104 weeks\", \">104 weeks\"", NN,
	 "stg_pathways.clock_start_date, census", CR_CODE},
	{"wait_band_order", T_INT, "Sort key of the band: 1 (>0-1 weeks) .. 105 (>104 weeks)", "not_null range(1..105)",
	 "stg_pathways.clock_start_date, census", CR_EXACT},
	{"rtt_breach", T_BOOL, "Waited more than the RTT standard (breach rtt_days, 126 days = 18 weeks)", NN,
	 "stg_pathways.clock_start_date, census, rules", CR_FLAG},
	{"target_days", T_INT, "The priority's target (from the priority date), or the RTT standard when not prioritised",
	 "not_null range(0..)", "stg_pathways.priority, rules", CR_DAYS},
	{"priority_breach", T_BOOL, "Past its priority target: prioritised and priority_wait_days > target_days", NN,
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_FLAG},
	{"overdue_threshold_days", T_INT, "target_days + the grace period (breach grace_days)", "not_null range(0..)",
	 "stg_pathways.priority, rules", CR_DAYS},
	{"is_overdue", T_BOOL,
	 "RTT or local guidance plus the grace: wait_days > rtt_days + grace_days, or (prioritised) "
	 "priority_wait_days > overdue_threshold_days", NN,
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_FLAG},
	{"overdue_reason", T_STR, "Which rule made it overdue: rtt, priority or both; null when not overdue",
	 "accepted(rtt|priority|both)",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_LABEL},
	{"weeks_overdue", T_INT,
	 "0 if not overdue, else ceil(excess / 7) of the larger excess over a rule that is passed: wait_days - "
	 "rtt_days, priority_wait_days - target_days", "not_null range(0..)",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_WEEKS},
	{"over_52_weeks", T_BOOL, "Waited more than 52 weeks (364 days)", NN, "stg_pathways.clock_start_date, census",
	 CR_FLAG},
	{"risk_score", T_INT, "The patient's risk score", NN, "dim_risk_cohort.risk_score", CR_SCORE},
	{"risk_tier", T_STR, "The patient's risk tier", "not_null accepted(High|Medium|Low)", "dim_risk_cohort.risk_tier",
	 CR_CODE},
	{"ethnicity", T_STR, "The patient's ethnic group (ONS 5 groups), for equity breakdowns", "",
	 "dim_risk_cohort.ethnicity", CR_CODE},
	{"imd_decile", T_INT, "The patient's Index of Multiple Deprivation decile, 1 = most deprived", "range(1..10)",
	 "dim_risk_cohort.imd_decile", CR_SCORE},
	{"delay_cause", T_STR,
	 "Main cause of delay: the largest of hospital cancellations, patient cancellations and DNAs (ties in that "
	 "order); else awaiting_booking when no future appointment is booked; else none",
	 "not_null accepted(hospital_cancellation|patient_cancellation|dna|awaiting_booking|none)",
	 "int_pathway_events.hospital_cancellations, int_pathway_events.patient_cancellations, int_pathway_events.dnas, "
	 "int_pathway_events.next_appointment_date", CR_CODE},
	{"last_validation_date", T_DATE, "Last administrative validation of the entry", "range(1900-01-01..)",
	 "stg_pathways.last_validation_date", CR_DATE},
	{"not_validated_12_weeks", T_BOOL,
	 "Due for validation (NHS England validation guidance): waiting more than 12 weeks (84 days) and never "
	 "validated, or last validated more than 84 days before the census", NN,
	 "stg_pathways.last_validation_date, stg_pathways.clock_start_date, census", CR_FLAG},
	{"patient_deceased", T_BOOL, "The patient died on or before the census: the pathway should have been closed "
	 "(RTT status 36) and is flagged for validation", NN, "stg_patients.death_date, census", CR_FLAG},
	{"rtt_breach_date", T_DATE, "First day over the RTT standard if not treated: clock_start_date + rtt_days + 1 "
	 "(on or before the census when rtt_breach)", "not_null", "stg_pathways.clock_start_date, rules", CR_DATE},
	{"priority_breach_date", T_DATE, "First day past the priority target if not treated: census + target_days - "
	 "priority_wait_days + 1; null when not prioritised", "",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_DATE},
	{"rtt_days_to_breach", T_INT, "rtt_breach_date - census: days until the RTT breach; 0 or less when passed",
	 "not_null", "stg_pathways.clock_start_date, census, rules", CR_DAYS},
	{"priority_days_to_breach", T_INT, "priority_breach_date - census; 0 or less when passed; null when not "
	 "prioritised", "", "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules",
	 CR_DAYS},
	{"breach_date", T_DATE, "The next breach if not treated: the earlier of rtt_breach_date and "
	 "priority_breach_date that is after the census; null when every rule that applies is already passed", "",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_DATE},
	{"breach_rule", T_STR, "The rule breach_date passes: rtt, priority or both (the same day); null with breach_date",
	 "accepted(rtt|priority|both)",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_LABEL},
	{"days_to_breach", T_INT, "breach_date - census (1 or more); null with breach_date", "range(1..)",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_DAYS},
	{"breach_in", T_STR, "The window of the next breach: 1 week (days_to_breach 1 to 7), 2 weeks (8 to 14), "
	 "4 weeks (15 to 28); null otherwise", "accepted(1 week|2 weeks|4 weeks)",
	 "stg_pathways.priority, stg_pathways.priority_date, stg_pathways.clock_start_date, census, rules", CR_CODE},
	{"procedure_description", T_STR, "Proposed procedure in words", "", "stg_pathways.procedure_description",
	 CR_LABEL},
	{"age_band", T_STR, "The patient's age band at the census", "", "dim_risk_cohort.age_band", CR_CODE},
	{"next_booked_date", T_DATE, "The next booked date after the census: the earlier of the next appointment and "
	 "the date to come in (TCI); null when neither is booked", "",
	 "int_pathway_events.next_appointment_date, stg_pathways.tci_date, census", CR_DATE},
	{"is_admitted", T_BOOL, "On the admitted (IRTT) list: waiting to be admitted for treatment; sums to the "
	 "admitted count", NN, "stg_pathways.waiting_list_type", CR_FLAG},
	{"is_non_admitted", T_BOOL, "On the non-admitted (ORTT) list: outpatient care; sums to the non-admitted count",
	 NN, "stg_pathways.waiting_list_type", CR_FLAG},
	{"procedure_code", T_STR, "Proposed procedure, SNOMED CT", "", "stg_pathways.procedure_code", CR_CODE},
	{"procedure_group", T_STR, "The procedure's group from the procedure_groups seed (data/procedure_groups.csv); "
	 "\"Not grouped\" for a code the seed lacks; null when no procedure is recorded", "",
	 "stg_pathways.procedure_code, procedure_groups.SNOMED_CODE, procedure_groups.PROCEDURE_GROUP", CR_CODE},
};

static const char *const tests[] = {
	"expr(overdue_threshold_days >= target_days)",
	"expr(wait_days >= wait_weeks)",
	NULL,
};

typedef struct open_pw {
	const char *id;
	size_t r;
	int prio_rank; /* P1a = 1 .. P4 = 5, none = 6 */
	int64_t wait;
} open_pw;

static int cmp_open(const void *a, const void *b)
{
	const open_pw *x = a, *y = b;
	if (x->prio_rank != y->prio_rank)
		return x->prio_rank - y->prio_rank;
	if (x->wait != y->wait)
		return x->wait > y->wait ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The main cause of delay from a pathway's appointment history; ties go
 * to the hospital side first, the one the Trust can act on. */
typedef struct event_cols {
	int hc, pc, dna, next;
} event_cols;

static const char *delay_cause(const mm_table *ev, const event_cols *k, size_t r)
{
	int64_t hc = int_or0(ev, k->hc, r), pc = int_or0(ev, k->pc, r), dna = int_or0(ev, k->dna, r);
	if (hc > 0 && hc >= pc && hc >= dna)
		return "hospital_cancellation";
	if (pc > 0 && pc >= dna)
		return "patient_cancellation";
	if (dna > 0)
		return "dna";
	return tbl_isnull(ev, k->next, r) ? "awaiting_booking" : "none";
}

/* Columns copied from the pathway, and from its site. */
static const char *const from_pathway[] = {
	"pathway_id", "patient_id", "site_id", "treatment_function", "specialty", "consultant_id", "priority",
	"waiting_list_type",
};
static const char *const from_site[] = {"site_name", "trust_code", "trust_name", "ics_code", "ics_name"};
#define NPW ((int)(sizeof from_pathway / sizeof from_pathway[0]))
#define NSITE ((int)(sizeof from_site / sizeof from_site[0]))

static int build(run_ctx *ctx, mm_table *out)
{
	if (!risk_rules_of(ctx))
		return EXIT_INPUT;
	const rtt_rules *rules = &ctx->rtt;
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	mm_table *ev = ctx_table(ctx, "int_pathway_events");
	mm_table *co = ctx_table(ctx, "dim_risk_cohort");
	int p_id = col(pw, "pathway_id"), p_pat = col(pw, "patient_id"), p_site = col(pw, "site_id");
	int p_prio = col(pw, "priority"), p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int p_valid = col(pw, "last_validation_date"), p_pdate = col(pw, "priority_date");
	mm_table *pt = ctx_table(ctx, "stg_patients");
	int t_death = col(pt, "death_date");
	hmap by_pt;
	index_by_sid(pt, col(pt, "patient_id"), &by_pt);
	int pc[NPW], oc[NPW], sc[NSITE], sco[NSITE];
	for (int k = 0; k < NPW; k++) {
		pc[k] = col(pw, from_pathway[k]);
		oc[k] = col(out, from_pathway[k]);
	}
	for (int k = 0; k < NSITE; k++) {
		sc[k] = col(org, from_site[k]);
		sco[k] = col(out, from_site[k]);
	}
	int c_start = col(out, "clock_start_date"), c_wait = col(out, "wait_days"), c_weeks = col(out, "wait_weeks");
	int c_exact = col(out, "weeks_waited");
	int c_band = col(out, "wait_band"), c_order = col(out, "wait_band_order"), c_rtt = col(out, "rtt_breach");
	int c_target = col(out, "target_days"), c_pbreach = col(out, "priority_breach");
	int c_thr = col(out, "overdue_threshold_days"), c_over = col(out, "is_overdue");
	int c_wover = col(out, "weeks_overdue"), c_52 = col(out, "over_52_weeks"), c_score = col(out, "risk_score");
	int c_tier = col(out, "risk_tier"), c_cause = col(out, "delay_cause"), c_valid = col(out, "last_validation_date");
	int c_nv = col(out, "not_validated_12_weeks"), c_pdate = col(out, "priority_date");
	int c_pwait = col(out, "priority_wait_days"), c_oreason = col(out, "overdue_reason");
	int c_dead = col(out, "patient_deceased");
	int k_score = col(co, "risk_score"), k_tier = col(co, "risk_tier");
	int c_eth = col(out, "ethnicity"), c_imd = col(out, "imd_decile");
	int k_eth = col(co, "ethnicity"), k_imd = col(co, "imd_decile"), k_age = col(co, "age_band");
	int c_rdate = col(out, "rtt_breach_date"), c_pdate2 = col(out, "priority_breach_date");
	int c_rdays = col(out, "rtt_days_to_breach"), c_pdays = col(out, "priority_days_to_breach");
	int c_bdate = col(out, "breach_date"), c_brule = col(out, "breach_rule"), c_bdays = col(out, "days_to_breach");
	int c_bin = col(out, "breach_in"), c_proc = col(out, "procedure_description"), c_age = col(out, "age_band");
	int c_next = col(out, "next_booked_date"), p_proc = col(pw, "procedure_description"), p_tci = col(pw, "tci_date");
	int c_adm = col(out, "is_admitted"), c_nonadm = col(out, "is_non_admitted"), p_wlt = col(pw, "waiting_list_type");
	int c_pcode = col(out, "procedure_code"), c_pgroup = col(out, "procedure_group"), p_pcode = col(pw, "procedure_code");
	mm_table *pg = ctx_table(ctx, "procedure_groups");
	int g_code = col(pg, "SNOMED_CODE"), g_group = col(pg, "PROCEDURE_GROUP");
	hmap by_code;
	index_by_sid(pg, g_code, &by_code);
	event_cols ek = {col(ev, "hospital_cancellations"), col(ev, "patient_cancellations"), col(ev, "dnas"),
			 col(ev, "next_appointment_date")};

	open_pw *v = xmalloc((pw->nrows + 1) * sizeof *v);
	size_t n = 0;
	for (size_t r = 0; r < pw->nrows; r++) {
		int32_t s = tbl_date(pw, p_start, r), e = tbl_date(pw, p_stop, r);
		if (!tbl_sid(pw, p_id, r) || s == I32_NULL || s > ctx->census || (e != I32_NULL && e <= ctx->census))
			continue;
		int prio = rtt_priority_code(tbl_str(pw, p_prio, r));
		v[n++] = (open_pw){tbl_str(pw, p_id, r), r, prio > PRIO_NONE ? prio : PRIO_COUNT,
				   rtt_wait_days(s, ctx->census)};
	}
	qsort(v, n, sizeof *v, cmp_open);

	hmap by_site, by_event, by_patient;
	index_by_sid(org, col(org, "site_id"), &by_site);
	index_by_sid(ev, col(ev, "pathway_id"), &by_event);
	index_by_sid(co, col(co, "patient_id"), &by_patient);
	char band[24];
	tbl_reserve(out, n);
	for (size_t k = 0; k < n; k++) {
		size_t r = v[k].r, o = tbl_add_row(out);
		int64_t wait = v[k].wait;
		for (int j = 0; j < NPW; j++)
			tbl_set_sid(out, oc[j], o, tbl_sid(pw, pc[j], r));
		uint32_t i = hmap_get(&by_site, tbl_sid(pw, p_site, r));
		for (int j = 0; i != HMAP_NONE && j < NSITE; j++)
			tbl_set_sid(out, sco[j], o, tbl_sid(org, sc[j], i));
		tbl_set_date(out, c_start, o, tbl_date(pw, p_start, r));
		tbl_set_int(out, c_wait, o, wait);
		tbl_set_int(out, c_weeks, o, wait / 7);
		tbl_set_num(out, c_exact, o, (double)wait / 7.0);
		rtt_band_label(wait, band, sizeof band);
		tbl_set_str(out, c_band, o, band);
		tbl_set_int(out, c_order, o, rtt_band_order(wait));
		int prio = v[k].prio_rank == PRIO_COUNT ? PRIO_NONE : v[k].prio_rank;
		int64_t pwait = RTT_NO_PRIORITY_WAIT;
		if (prio != PRIO_NONE) {
			int32_t pd = tbl_date(pw, p_pdate, r);
			pwait = pd == I32_NULL ? wait : pd > ctx->census ? 0 : rtt_wait_days(pd, ctx->census);
			tbl_set_date(out, c_pdate, o, pd);
			tbl_set_int(out, c_pwait, o, pwait);
		}
		struct rtt_status st = rtt_assess(rules, prio, wait, pwait);
		if (st.is_overdue)
			tbl_set_str(out, c_oreason, o, st.overdue_rtt && st.overdue_priority ? "both"
						       : st.overdue_rtt ? "rtt" : "priority");
		tbl_set_bool(out, c_rtt, o, st.rtt_breach);
		tbl_set_int(out, c_target, o, st.target_days);
		tbl_set_bool(out, c_pbreach, o, st.priority_breach);
		tbl_set_int(out, c_thr, o, st.overdue_threshold_days);
		tbl_set_bool(out, c_over, o, st.is_overdue);
		tbl_set_int(out, c_wover, o, st.weeks_overdue);
		struct rtt_forecast fc = rtt_forecast(rules, prio, wait, pwait);
		tbl_set_int(out, c_rdays, o, fc.rtt_days);
		tbl_set_date(out, c_rdate, o, (int32_t)(ctx->census + fc.rtt_days));
		if (fc.prioritised) {
			tbl_set_int(out, c_pdays, o, fc.priority_days);
			tbl_set_date(out, c_pdate2, o, (int32_t)(ctx->census + fc.priority_days));
		}
		if (fc.days > 0) {
			tbl_set_date(out, c_bdate, o, (int32_t)(ctx->census + fc.days));
			tbl_set_str(out, c_brule, o, rtt_rule_name(fc.rule));
			tbl_set_int(out, c_bdays, o, fc.days);
			const char *win = rtt_breach_window(fc.days);
			if (win)
				tbl_set_str(out, c_bin, o, win);
		}
		if (!tbl_isnull(pw, p_proc, r))
			tbl_set_sid(out, c_proc, o, tbl_sid(pw, p_proc, r));
		tbl_set_bool(out, c_52, o, wait > 364);
		const char *wlt = tbl_str(pw, p_wlt, r);
		tbl_set_bool(out, c_adm, o, !strcmp(wlt, "IRTT"));
		tbl_set_bool(out, c_nonadm, o, !strcmp(wlt, "ORTT"));
		if (!tbl_isnull(pw, p_pcode, r)) {
			tbl_set_sid(out, c_pcode, o, tbl_sid(pw, p_pcode, r));
			uint32_t g = hmap_get(&by_code, tbl_sid(pw, p_pcode, r));
			if (g != HMAP_NONE && !tbl_isnull(pg, g_group, g))
				tbl_set_sid(out, c_pgroup, o, tbl_sid(pg, g_group, g));
			else
				tbl_set_str(out, c_pgroup, o, "Not grouped");
		}
		uint32_t c = hmap_get(&by_patient, tbl_sid(pw, p_pat, r));
		if (c != HMAP_NONE) {
			tbl_set_int(out, c_score, o, tbl_int(co, k_score, c));
			tbl_set_sid(out, c_tier, o, tbl_sid(co, k_tier, c));
			tbl_set_sid(out, c_eth, o, tbl_sid(co, k_eth, c));
			if (!tbl_isnull(co, k_age, c))
				tbl_set_sid(out, c_age, o, tbl_sid(co, k_age, c));
			if (!tbl_isnull(co, k_imd, c))
				tbl_set_int(out, c_imd, o, tbl_int(co, k_imd, c));
		}
		uint32_t e = hmap_get(&by_event, tbl_sid(pw, p_id, r));
		tbl_set_str(out, c_cause, o, e != HMAP_NONE ? delay_cause(ev, &ek, e) : "awaiting_booking");
		int32_t next = e != HMAP_NONE ? tbl_date(ev, ek.next, e) : I32_NULL, tci = tbl_date(pw, p_tci, r);
		if (tci != I32_NULL && tci > ctx->census && (next == I32_NULL || tci < next))
			next = tci;
		tbl_set_date(out, c_next, o, next);
		int32_t lv = tbl_date(pw, p_valid, r);
		tbl_set_date(out, c_valid, o, lv);
		tbl_set_bool(out, c_nv, o, wait > 84 && (lv == I32_NULL || ctx->census - lv > 84));
		uint32_t pi = hmap_get(&by_pt, tbl_sid(pw, p_pat, r));
		int32_t died = pi != HMAP_NONE ? tbl_date(pt, t_death, pi) : I32_NULL;
		tbl_set_bool(out, c_dead, o, died != I32_NULL && died <= ctx->census);
	}
	free(v);
	hmap_free(&by_site);
	hmap_free(&by_event);
	hmap_free(&by_patient);
	hmap_free(&by_pt);
	hmap_free(&by_code);
	return 0;
}

const model_def model_fct_overdue_cases = {
	.name = "fct_overdue_cases",
	.layer = LAYER_MART,
	.description = "The open waiting list at the census with the breach rule applied: one row per open pathway "
		       "with its wait, weekly band, RTT and priority breach, overdue status, patient risk tier, main "
		       "cause of delay and validation status; most urgent priority first, then longest wait",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
