/* kpi_summary: the headline figures of the waiting list at census, one row
 * per KPI. docs/kpis.md defines each one; the definitions below must say
 * the same. Nothing is rounded here: the site rounds for display. */
#include "models/marts/kpi_summary.h"
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/rtt_clock.h"
#include "models/rules/rules_text.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"fct_overdue_cases", "dim_risk_cohort", "stg_appointments", "stg_sessions",
				       "stg_pathways", NULL};

#define KPI_NAMES                                                                                            \
	"list_size|pct_within_18_weeks|over_52_weeks|over_65_weeks|over_78_weeks|over_104_weeks|"           \
	"median_wait_weeks|p92_wait_weeks|overdue_cases|high_risk_overdue|pct_high_risk_delayed|"            \
	"pct_high_risk_cancelled|pct_high_risk_dna|dna_rate|hospital_cancellation_rate|"                      \
	"last_minute_cancellation_rate|slot_utilisation|not_validated_12_weeks|breaching_rtt|past_priority_target|"    \
	"unknown_clock_start|deceased_on_list|dna_rate_theatre|dna_rate_preop_diagnostic|"                    \
	"median_wait_weeks_banded|p92_wait_weeks_banded"

/* Lineage: a KPI row and its fixed attributes summarise these tables; its
 * value comes from the columns below. */
#define ROW_FROM                                                                                             \
	"fct_overdue_cases.pathway_id, dim_risk_cohort.patient_id, stg_appointments.appointment_id, "          \
	"stg_sessions.session_id, stg_pathways.pathway_id"
#define VALUE_FROM                                                                                           \
	"fct_overdue_cases.wait_days, fct_overdue_cases.is_overdue, fct_overdue_cases.risk_tier, "             \
	"fct_overdue_cases.last_validation_date, fct_overdue_cases.patient_id, dim_risk_cohort.risk_tier, "   \
	"stg_appointments.outcome, stg_appointments.slot_date, stg_appointments.is_last_minute, "             \
	"stg_appointments.cancelled_at_ts, stg_appointments.pathway_id, stg_appointments.session_id, "        \
	"stg_sessions.planned_slots, stg_sessions.is_cancelled, stg_sessions.week_start, census, "            \
	"fct_overdue_cases.rtt_breach, fct_overdue_cases.priority_breach, fct_overdue_cases.not_validated_12_weeks, " \
	"fct_overdue_cases.patient_deceased, stg_appointments.appointment_type, stg_pathways.clock_start_date, "   \
	"stg_pathways.clock_stop_date"

static const model_col cols[] = {
	{"kpi", T_STR, "Machine name of the KPI (see docs/kpis.md)", "unique not_null accepted(" KPI_NAMES ")", ROW_FROM,
	 CR_CODE},
	{"label", T_STR, "Name shown on the site", "not_null", ROW_FROM ", rules", CR_LABEL},
	{"value", T_NUM, "Value at census, unrounded; null when its denominator is empty or the data cannot give it", "",
	 VALUE_FROM, CR_MEASURE},
	{"unit", T_STR, "Unit of value", "not_null accepted(count|percent|weeks|days)", ROW_FROM, CR_CODE},
	{"standard", T_NUM, "National standard the KPI is judged against; null if none", "", ROW_FROM, CR_MEASURE},
	{"interim", T_NUM,
	 "National interim target (NHS England, March 2026): amber means missing the standard but meeting it; for "
	 "a count, a percentage of the list size (over 52 weeks: under 1%); null if none",
	 "", ROW_FROM, CR_MEASURE},
	{"direction", T_STR, "Whether a higher or a lower value is better", "not_null accepted(higher_better|lower_better)",
	 ROW_FROM, CR_CODE},
	{"status", T_STR,
	 "RAG status against the standard; no_pathways when the list is empty (nothing to judge); none when the KPI "
	 "has no standard or no value",
	 "not_null accepted(green|amber|red|none|no_pathways)", VALUE_FROM, CR_CODE},
	{"definition", T_STR, "One-sentence definition; the rules it states come from the rules file", "not_null",
	 ROW_FROM ", rules", CR_LABEL},
};

enum kpi {
	K_LIST, K_WITHIN18, K_OVER52, K_OVER65, K_OVER78, K_OVER104, K_MEDIAN, K_P92, K_OVERDUE, K_HR_OVERDUE,
	K_HR_DELAYED, K_HR_CANCELLED, K_HR_DNA, K_DNA_RATE, K_HOSP_CANC, K_LAST_MINUTE, K_UTILISATION,
	K_NOT_VALIDATED, K_BREACHING_RTT, K_PAST_PRIORITY, K_UNKNOWN_START, K_DECEASED, K_DNA_THEATRE, K_DNA_OTHER,
	K_MEDIAN_BANDED, K_P92_BANDED, NKPI
};

/* Denominators of the percentages: the open pathways (the list_size KPI,
 * one spelling for both), or the patients of the High risk tier (the tier
 * tally_pathways and build count). */
#define LIST_SIZE "list_size"
#define HIGH_TIER "High"
static const kpi_denominator of_list = {.kpi = LIST_SIZE};
static const kpi_denominator of_high_tier = {.model = "dim_risk_cohort", .col = "risk_tier", .val = HIGH_TIER};

static const struct kpi_info {
	const char *kpi, *label, *unit, *direction, *definition;
	const kpi_denominator *den; /* a percentage's, when the published tables give it */
} info[NKPI] = {
	[K_LIST] = {LIST_SIZE, "Waiting list size", "count", "lower_better",
		    "Incomplete RTT pathways at census: clock started on or before the census date and not stopped by "
		    "then."},
	[K_WITHIN18] = {"pct_within_18_weeks", "Waiting 18 weeks or less", "percent", "higher_better",
			"Open pathways with a wait of 126 days or less, as a percentage of all open pathways.", &of_list},
	[K_OVER52] = {"over_52_weeks", "Waiting over 52 weeks", "count", "lower_better",
		      "Open pathways with a wait of more than 364 days."},
	[K_OVER65] = {"over_65_weeks", "Waiting over 65 weeks", "count", "lower_better",
		      "Open pathways with a wait of more than 455 days."},
	[K_OVER78] = {"over_78_weeks", "Waiting over 78 weeks", "count", "lower_better",
		      "Open pathways with a wait of more than 546 days."},
	[K_OVER104] = {"over_104_weeks", "Waiting over 104 weeks", "count", "lower_better",
		       "Open pathways with a wait of more than 728 days."},
	[K_MEDIAN] = {"median_wait_weeks", "Median wait", "weeks", "lower_better",
		      "Median wait of open pathways in weeks: the wait in days at rank ceil(n/2) of the n waits sorted "
		      "ascending, divided by 7."},
	[K_P92] = {"p92_wait_weeks", "92nd percentile wait", "weeks", "lower_better",
		   "Wait in weeks that 92% of open pathways do not exceed: the wait in days at rank ceil(0.92 n) of the "
		   "n waits sorted ascending, divided by 7."},
	[K_OVERDUE] = {"overdue_cases", "Overdue cases", "count", "lower_better",
		       "Open pathways waiting longer than the RTT standard of {{rule:breach.rtt_days}} from their "
		       "clock start, or than their clinical priority's target since the priority was set, plus a "
		       "grace period of {{rule:breach.grace_days}}."},
	[K_HR_OVERDUE] = {"high_risk_overdue", "High-risk overdue pathways", "count", "lower_better",
			  "Overdue open pathways of patients in the High risk tier."},
	[K_HR_DELAYED] = {"pct_high_risk_delayed", "High-risk patients delayed", "percent", "lower_better",
			  "High-tier patients with at least one overdue open pathway, as a percentage of High-tier "
			  "patients.",
			  &of_high_tier},
	[K_HR_CANCELLED] = {"pct_high_risk_cancelled", "High-risk patients with a cancellation", "percent",
			    "lower_better",
			    "High-tier patients with at least one hospital or patient cancellation, made on or before "
			    "the census, on an open pathway, as a percentage of High-tier patients.",
			    &of_high_tier},
	[K_HR_DNA] = {"pct_high_risk_dna", "High-risk patients with a DNA", "percent", "lower_better",
		      "High-tier patients who did not attend at least one appointment, slot on or before the census, "
		      "on an open pathway, as a percentage of High-tier patients.",
		      &of_high_tier},
	[K_DNA_RATE] = {"dna_rate", "Outpatient DNA rate", "percent", "lower_better",
			"Outpatient appointments (first and follow-up) not attended, as a percentage of those with a slot "
			"on or before the census that were due to happen (attended, seen late, late and not seen, or not "
			"attended): the basis of the national outpatient comparator."},
	[K_HOSP_CANC] = {"hospital_cancellation_rate", "Hospital cancellation rate", "percent", "lower_better",
			 "Appointments cancelled by the hospital, as a percentage of all appointments with a slot on or "
			 "before the census (any outcome)."},
	[K_LAST_MINUTE] = {"last_minute_cancellation_rate", "Last-minute cancellation rate", "percent", "lower_better",
			   "Hospital cancellations made on the slot day or the day before, as a percentage of all "
			   "appointments with a slot on or before the census (any outcome)."},
	[K_UTILISATION] = {"slot_utilisation", "Slot utilisation", "percent", "higher_better",
			   "Appointments seen (attended or seen late) in held sessions of the last 13 complete weeks, "
			   "as a percentage of the slots those sessions planned; empty without a capacity plan."},
	[K_NOT_VALIDATED] = {"not_validated_12_weeks", "Due for validation", "count", "lower_better",
			     "Open pathways waiting more than 12 weeks (84 days) that were never validated or last "
			     "validated more than 84 days before the census (NHS England waiting list validation "
			     "guidance)."},
	[K_BREACHING_RTT] = {"breaching_rtt", "Breaching {{rule:breach.rtt_days}}", "count", "lower_better",
			     "Open pathways waiting more than {{rule:breach.rtt_days:days}} (the RTT standard, breach "
			     "rtt_days in the rules file) from their clock start."},
	[K_PAST_PRIORITY] = {"past_priority_target", "Past priority target", "count", "lower_better",
			     "Prioritised open pathways waiting longer than their clinical priority's target since the "
			     "priority was set."},
	[K_UNKNOWN_START] = {"unknown_clock_start", "Unknown clock start", "count", "lower_better",
			     "Pathways not stopped by the census whose clock start is not recorded: reported separately, "
			     "as in the national returns, and not in the list size or the waits."},
	[K_DECEASED] = {"deceased_on_list", "Deceased patients on the list", "count", "lower_better",
			"Open pathways of patients who died on or before the census: the pathway should be closed "
			"and is flagged for validation."},
	[K_DNA_THEATRE] = {"dna_rate_theatre", "Theatre DNA rate", "percent", "lower_better",
			   "Surgery bookings not attended, as a percentage of those with a slot on or before the census "
			   "that were due to happen."},
	[K_DNA_OTHER] = {"dna_rate_preop_diagnostic", "Pre-op and diagnostic DNA rate", "percent", "lower_better",
			 "Pre-operative assessment and diagnostic appointments not attended, as a percentage of those "
			 "with a slot on or before the census that were due to happen."},
	[K_MEDIAN_BANDED] = {"median_wait_weeks_banded", "Median wait (NHS England method)", "weeks", "lower_better",
			     "Median wait of open pathways in weeks, interpolated within weekly bands as NHS England's "
			     "RTT statistics compute it."},
	[K_P92_BANDED] = {"p92_wait_weeks_banded", "92nd percentile wait (NHS England method)", "weeks",
			  "lower_better",
			  "92nd percentile wait of open pathways in weeks, interpolated within weekly bands as NHS "
			  "England's RTT statistics compute it."},
};

typedef struct kpi_val {
	double value, standard, interim;
	const char *status;
} kpi_val;

/* Everything counted in one pass per input table. */
typedef struct tallies {
	int64_t list, within18, over[4], overdue, hr_overdue, not_validated;
	int64_t breaching, past_priority, unknown_start, deceased;
	int64_t due_kind[3], dnas_kind[3]; /* outpatient, theatre, pre-op and diagnostic */
	int64_t *waits;
	size_t nwaits;
	int64_t high, high_delayed, high_cancelled, high_dna;
	int64_t past, hosp_canc, last_minute;
	int64_t planned, seen;
} tallies;

static const int over_days[4] = {364, 455, 546, 728};

/* Cohort flags, per dim_risk_cohort row. */
enum { F_HIGH = 1, F_DELAYED = 2, F_CANCELLED = 4, F_DNA = 8 };

static void tally_pathways(run_ctx *ctx, tallies *t, const hmap *by_patient, unsigned char *flags)
{
	mm_table *fc = ctx_table(ctx, "fct_overdue_cases");
	int f_wait = col(fc, "wait_days"), f_overdue = col(fc, "is_overdue"), f_tier = col(fc, "risk_tier");
	int f_nv = col(fc, "not_validated_12_weeks"), f_patient = col(fc, "patient_id");
	int f_rtt = col(fc, "rtt_breach"), f_prio = col(fc, "priority_breach"), f_dead = col(fc, "patient_deceased");
	uint32_t high = sid_of(ctx->sp, HIGH_TIER);
	t->waits = xmalloc((fc->nrows + 1) * sizeof *t->waits);
	for (size_t r = 0; r < fc->nrows; r++) {
		int64_t w = tbl_int(fc, f_wait, r);
		int overdue = tbl_bool(fc, f_overdue, r);
		t->list++;
		if (w != INT_NULL) {
			t->waits[t->nwaits++] = w;
			t->within18 += w <= 126;
			for (int k = 0; k < 4; k++)
				t->over[k] += w > over_days[k];
		}
		t->overdue += overdue;
		t->hr_overdue += overdue && tbl_sid(fc, f_tier, r) == high;
		t->not_validated += tbl_bool(fc, f_nv, r);
		t->breaching += tbl_bool(fc, f_rtt, r);
		t->past_priority += tbl_bool(fc, f_prio, r);
		t->deceased += tbl_bool(fc, f_dead, r);
		uint32_t p = hmap_get(by_patient, tbl_sid(fc, f_patient, r));
		if (overdue && p != HMAP_NONE)
			flags[p] |= F_DELAYED;
	}
	sort_i64(t->waits, t->nwaits);
}

/* Pathways not stopped by the census whose clock start is unknown. */
static void tally_unknown_starts(run_ctx *ctx, tallies *t)
{
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	for (size_t r = 0; r < pw->nrows; r++) {
		int32_t e = tbl_date(pw, p_stop, r);
		t->unknown_start += tbl_date(pw, p_start, r) == DATE_NULL && (e == DATE_NULL || e > ctx->census);
	}
}

/* Appointment rates, and cancellations and DNAs on open pathways by patient. */
static void tally_appointments(run_ctx *ctx, tallies *t, const hmap *by_patient, unsigned char *flags)
{
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	mm_table *fc = ctx_table(ctx, "fct_overdue_cases");
	strpool *sp = ctx->sp;
	int a_pw = col(ap, "pathway_id"), a_out = col(ap, "outcome"), a_slot = col(ap, "slot_date");
	int a_lm = col(ap, "is_last_minute"), a_cat = col(ap, "cancelled_at_ts"), a_type = col(ap, "appointment_type");
	uint32_t ty_first = sid_of(sp, "FIRST"), ty_follow = sid_of(sp, "FOLLOWUP"), ty_surgery = sid_of(sp, "SURGERY");
	int f_pw = col(fc, "pathway_id"), f_patient = col(fc, "patient_id");
	uint32_t o_att = sid_of(sp, "attended"), o_ls = sid_of(sp, "late_seen"), o_lns = sid_of(sp, "late_not_seen");
	uint32_t o_dna = sid_of(sp, "dna"), o_pc = sid_of(sp, "patient_cancelled");
	uint32_t o_hc = sid_of(sp, "hospital_cancelled"), o_ny = sid_of(sp, "not_yet");
	int32_t census = ctx->census;
	hmap open;
	index_by_sid(fc, f_pw, &open);
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t o = tbl_sid(ap, a_out, r);
		int32_t slot = tbl_date(ap, a_slot, r);
		int past = slot != DATE_NULL && slot <= census;
		if (past && o && o != o_ny) {
			t->past++;
			t->hosp_canc += o == o_hc;
			t->last_minute += tbl_bool(ap, a_lm, r);
			if (o == o_att || o == o_ls || o == o_lns || o == o_dna) {
				uint32_t ty = tbl_sid(ap, a_type, r);
				int kind = ty == ty_first || ty == ty_follow ? 0 : ty == ty_surgery ? 1 : 2;
				t->due_kind[kind]++;
				t->dnas_kind[kind] += o == o_dna;
			}
		}
		unsigned char flag = 0;
		if (o == o_dna && past) {
			flag = F_DNA;
		} else if (o == o_pc || o == o_hc) {
			int32_t d = ts_day_or_null(ap, a_cat, r);
			if (d == DATE_NULL)
				d = slot;
			flag = d != DATE_NULL && d <= census ? F_CANCELLED : 0;
		}
		if (!flag)
			continue;
		uint32_t f = hmap_get(&open, tbl_sid(ap, a_pw, r));
		if (f == HMAP_NONE)
			continue;
		uint32_t p = hmap_get(by_patient, tbl_sid(fc, f_patient, f));
		if (p != HMAP_NONE)
			flags[p] |= flag;
	}
	hmap_free(&open);
}

/* Seen appointments in held sessions of the last 13 complete weeks. */
static void tally_capacity(run_ctx *ctx, tallies *t)
{
	mm_table *ss = ctx_table(ctx, "stg_sessions");
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	int s_id = col(ss, "session_id"), s_week = col(ss, "week_start"), s_slots = col(ss, "planned_slots");
	int s_canc = col(ss, "is_cancelled");
	int a_sess = col(ap, "session_id"), a_out = col(ap, "outcome");
	uint32_t o_att = sid_of(ctx->sp, "attended"), o_ls = sid_of(ctx->sp, "late_seen");
	hmap held;
	hmap_init(&held, 1024);
	for (size_t r = 0; r < ss->nrows; r++) {
		if (tbl_bool(ss, s_canc, r) || !in_last_13_complete_weeks(tbl_date(ss, s_week, r), ctx->census))
			continue;
		if (hmap_put(&held, tbl_sid(ss, s_id, r), (uint32_t)r) == HMAP_NONE)
			t->planned += int_or0(ss, s_slots, r);
	}
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t o = tbl_sid(ap, a_out, r);
		if ((o == o_att || o == o_ls) && hmap_get(&held, tbl_sid(ap, a_sess, r)) != HMAP_NONE)
			t->seen++;
	}
	hmap_free(&held);
}

/* A figure of the open pathways: with none, it has nothing to judge. */
static int on_list(int kpi)
{
	return kpi <= K_HR_OVERDUE || kpi == K_NOT_VALIDATED || kpi == K_BREACHING_RTT || kpi == K_PAST_PRIORITY ||
	       kpi == K_DECEASED || kpi == K_MEDIAN_BANDED || kpi == K_P92_BANDED;
}

static void compute(run_ctx *ctx, const tallies *t, kpi_val *k)
{
	for (int i = 0; i < NKPI; i++)
		k[i] = (kpi_val){NAN, NAN, NAN, "none"};
	k[K_LIST].value = (double)t->list;
	k[K_WITHIN18] = (kpi_val){pct_of(t->within18, t->list), 92, 65, "none"};
	if (t->list) /* compared in integers, so that 92.0% is exactly green */
		k[K_WITHIN18].status = t->within18 * 100 >= 92 * t->list ? "green"
				     : t->within18 * 100 >= 65 * t->list ? "amber" : "red";
	for (int i = 0; i < 4; i++)
		k[K_OVER52 + i].value = (double)t->over[i];
	k[K_OVER52].standard = 0;
	k[K_OVER52].interim = 1;
	k[K_OVER52].status = t->over[0] == 0 ? "green" : t->over[0] * 100 < t->list ? "amber" : "red";
	if (t->nwaits) {
		k[K_MEDIAN].value = (double)nearest_rank(t->waits, t->nwaits, 50) / 7.0;
		k[K_P92].value = (double)nearest_rank(t->waits, t->nwaits, 92) / 7.0;
	}
	k[K_OVERDUE].value = (double)t->overdue;
	k[K_HR_OVERDUE].value = (double)t->hr_overdue;
	k[K_HR_DELAYED].value = pct_of(t->high_delayed, t->high);
	k[K_HR_CANCELLED].value = pct_of(t->high_cancelled, t->high);
	k[K_HR_DNA].value = pct_of(t->high_dna, t->high);
	k[K_DNA_RATE].value = pct_of(t->dnas_kind[0], t->due_kind[0]);
	k[K_DNA_THEATRE].value = pct_of(t->dnas_kind[1], t->due_kind[1]);
	k[K_DNA_OTHER].value = pct_of(t->dnas_kind[2], t->due_kind[2]);
	k[K_BREACHING_RTT].value = (double)t->breaching;
	k[K_PAST_PRIORITY].value = (double)t->past_priority;
	k[K_UNKNOWN_START].value = (double)t->unknown_start;
	k[K_DECEASED].value = (double)t->deceased;
	k[K_MEDIAN_BANDED].value = rtt_band_percentile(t->waits, t->nwaits, 50);
	k[K_P92_BANDED].value = rtt_band_percentile(t->waits, t->nwaits, 92);
	k[K_HOSP_CANC].value = pct_of(t->hosp_canc, t->past);
	k[K_LAST_MINUTE].value = pct_of(t->last_minute, t->past);
	if (ctx->has_capacity)
		k[K_UTILISATION].value = pct_of(t->seen, t->planned);
	/* Plain Synthea records visits, not bookings: its appointments are
	 * derived from encounters and all attended, so missed and cancelled
	 * appointments cannot be measured: null ("not measured"), never 0%. */
	if (ctx->plain_synthea) {
		static const int unmeasured[] = {K_DNA_RATE, K_DNA_THEATRE, K_DNA_OTHER, K_HOSP_CANC, K_LAST_MINUTE,
						 K_HR_CANCELLED, K_HR_DNA};
		for (size_t i = 0; i < sizeof unmeasured / sizeof unmeasured[0]; i++)
			k[unmeasured[i]].value = NAN;
	}
	k[K_NOT_VALIDATED].value = (double)t->not_validated;
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *coh = ctx_table(ctx, "dim_risk_cohort");
	int k_tier = col(coh, "risk_tier");
	uint32_t high = sid_of(ctx->sp, HIGH_TIER);
	tallies t;
	memset(&t, 0, sizeof t);
	hmap by_patient;
	index_by_sid(coh, col(coh, "patient_id"), &by_patient);
	unsigned char *flags = xcalloc(coh->nrows + 1, 1);

	tally_pathways(ctx, &t, &by_patient, flags);
	tally_appointments(ctx, &t, &by_patient, flags);
	tally_unknown_starts(ctx, &t);
	if (ctx->has_capacity)
		tally_capacity(ctx, &t);
	for (size_t r = 0; r < coh->nrows; r++) {
		if (tbl_sid(coh, k_tier, r) != high)
			continue;
		t.high++;
		t.high_delayed += (flags[r] & F_DELAYED) != 0;
		t.high_cancelled += (flags[r] & F_CANCELLED) != 0;
		t.high_dna += (flags[r] & F_DNA) != 0;
	}

	kpi_val k[NKPI];
	compute(ctx, &t, k);
	int c_kpi = col(out, "kpi"), c_label = col(out, "label"), c_value = col(out, "value");
	int c_unit = col(out, "unit"), c_std = col(out, "standard"), c_dir = col(out, "direction");
	int c_status = col(out, "status"), c_def = col(out, "definition"), c_interim = col(out, "interim");
	tbl_reserve(out, NKPI);
	for (int i = 0; i < NKPI; i++) {
		size_t o = tbl_add_row(out);
		tbl_set_str(out, c_kpi, o, info[i].kpi);
		char *label = rules_expand(risk_rules_of(ctx), info[i].label);
		char *def = rules_expand(risk_rules_of(ctx), info[i].definition);
		tbl_set_str(out, c_label, o, label);
		tbl_set_num(out, c_value, o, k[i].value);
		tbl_set_str(out, c_unit, o, info[i].unit);
		tbl_set_num(out, c_std, o, k[i].standard);
		tbl_set_num(out, c_interim, o, k[i].interim);
		tbl_set_str(out, c_dir, o, info[i].direction);
		const char *status = !t.list && on_list(i) ? "no_pathways" : isnan(k[i].value) ? "none" : k[i].status;
		tbl_set_str(out, c_status, o, status);
		tbl_set_str(out, c_def, o, def);
		free(label);
		free(def);
	}
	free(t.waits);
	free(flags);
	hmap_free(&by_patient);
	return 0;
}

const kpi_denominator *kpi_denominator_of(const char *kpi)
{
	for (int i = 0; i < NKPI; i++)
		if (!strcmp(info[i].kpi, kpi))
			return info[i].den;
	return NULL;
}

const model_def model_kpi_summary = {
	.name = "kpi_summary",
	.layer = LAYER_MART,
	.description = "Headline KPIs of the waiting list at census, one row each in a fixed order, with the national "
		       "standard and RAG status where there is one; definitions on the methodology page",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = NULL,
	.build = build,
};
