/* dim_risk_cohort: the people on the waiting list at the census and their
 * risk score, factor by factor, so that every point can be traced back to
 * a rule line and an input. The score is a prioritisation aid for review,
 * not a clinical decision (docs/risk-model.md). */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {
	"stg_pathways", "stg_patients", "stg_careplans", "community_careplans", "int_patient_comorbidities",
	"int_patient_admissions", "int_patient_engagement", NULL,
};

#define PTS "not_null range(-50..50)"
static const model_col cols[] = {
	{"patient_id", T_STR, "Patient with at least one pathway open at the census",
	 "unique not_null warn:ref(stg_patients.patient_id)", "stg_pathways.patient_id", CR_ID},
	{"age_at_census", T_INT, "Age in whole years at the census", "warn:not_null range(0..130)",
	 "stg_patients.age_at_census", CR_YEARS},
	{"age_band", T_STR, "Age band", "accepted(0-17|18-39|40-59|60-69|70-79|80+)", "stg_patients.age_band", CR_CODE},
	{"sex", T_STR, "Sex", "accepted(Male|Female)", "stg_patients.sex", CR_CODE},
	{"ethnicity", T_STR, "Ethnic group (ONS 5 groups)",
	 "accepted(White|Mixed|Asian or Asian British|Black or Black British|Other ethnic group|Not stated)",
	 "stg_patients.ethnicity", CR_CODE},
	{"imd_decile", T_INT, "Index of Multiple Deprivation decile, 1 = most deprived", "range(1..10)",
	 "stg_patients.imd_decile", CR_SCORE},
	{"open_pathways", T_INT, "Pathways open at the census", "not_null range(1..)",
	 "stg_pathways.clock_start_date, stg_pathways.clock_stop_date, census", CR_PERSONS},
	{"comorbidity_count", T_INT, "Comorbidity groups active at the census", "warn:not_null range(0..)",
	 "int_patient_comorbidities.comorbidity_count", CR_EVENTS},
	{"recent_admissions", T_INT,
	 "Unplanned admissions in the 12 months to the census: emergency and urgent care, and inpatient stays not "
	 "planned for an elective procedure or RTT pathway",
	 "warn:not_null range(0..)", "int_patient_admissions.recent_admissions", CR_EVENTS},
	{"response_likelihood", T_NUM, "Smoothed likelihood of attending; null without past appointments",
	 "range(0..1)", "int_patient_engagement.response_likelihood, int_patient_engagement.appointments_past",
	 CR_RATIO},
	{"response_appointments", T_INT,
	 "Past appointments behind the likelihood (attended or missed; cancellations left out); the response factor "
	 "scores only from the rules file's minimum (minimum response_appointments)",
	 "warn:not_null range(0..)", "int_patient_engagement.appointments_past", CR_EVENTS},
	{"community_care", T_BOOL,
	 "A community or social care plan (a code of the community_careplans seed) is active at the census; null "
	 "when the data has no care plans",
	 "", "stg_careplans.is_active_at_census, stg_careplans.code, community_careplans.SNOMED_CODE", CR_FLAG},
	{"highest_priority", T_STR, "Most urgent clinical priority among the open pathways; null if none prioritised",
	 "accepted(P1a|P1b|P2|P3|P4)", "stg_pathways.priority", CR_CODE},
	{"pts_age", T_INT, "Points for age (first matching age rule)", PTS, "stg_patients.age_at_census, rules",
	 CR_SCORE},
	{"pts_comorbidity", T_INT, "Points for comorbidities", PTS, "int_patient_comorbidities.comorbidity_count, rules",
	 CR_SCORE},
	{"pts_admissions", T_INT, "Points for recent admissions", PTS, "int_patient_admissions.recent_admissions, rules",
	 CR_SCORE},
	{"pts_response", T_INT, "Points for the response likelihood", PTS,
	 "int_patient_engagement.response_likelihood, rules", CR_SCORE},
	{"pts_community", T_INT, "Points for community care", PTS,
	 "stg_careplans.is_active_at_census, community_careplans.SNOMED_CODE, rules", CR_SCORE},
	{"pts_priority", T_INT, "Points for the highest priority", PTS, "stg_pathways.priority, rules", CR_SCORE},
	{"risk_score", T_INT, "Sum of the six points", "not_null",
	 "stg_patients.age_at_census, int_patient_comorbidities.comorbidity_count, "
	 "int_patient_admissions.recent_admissions, int_patient_engagement.response_likelihood, "
	 "stg_careplans.is_active_at_census, stg_pathways.priority, rules", CR_SCORE},
	{"score_tier", T_STR, "Tier of the score alone, per the tier thresholds of the rules file",
	 "not_null accepted(High|Medium|Low)", "dim_risk_cohort.risk_score, rules", CR_CODE},
	{"risk_tier", T_STR,
	 "Tier of the patient: score_tier, raised to the tier override of the highest priority when the rules file "
	 "has one (tier P1a High)",
	 "not_null accepted(High|Medium|Low)", "dim_risk_cohort.risk_score, stg_pathways.priority, rules", CR_CODE},
	{"tier_from_override", T_BOOL,
	 "true when the priority override, not the score, set the tier (risk_tier above score_tier)", "not_null",
	 "dim_risk_cohort.score_tier, stg_pathways.priority, rules", CR_FLAG},
};

static const char *const tests[] = {NULL};

static const char *const pts_cols[RF_COUNT] = {
	"pts_age", "pts_comorbidity", "pts_admissions", "pts_response", "pts_community", "pts_priority",
};

typedef struct cohort {
	const char *key;
	uint32_t id;
	int64_t open;
	int prio; /* most urgent PRIO_*, PRIO_NONE when none */
} cohort;

static int cmp_cohort(const void *a, const void *b)
{
	return strcmp(((const cohort *)a)->key, ((const cohort *)b)->key);
}

/* Patients with an open pathway, sorted by id. *n is set. Caller frees. */
static cohort *open_cohort(run_ctx *ctx, size_t *n)
{
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int p_pat = col(pw, "patient_id"), p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int p_prio = col(pw, "priority");
	hmap idx;
	hmap_init(&idx, 1024);
	cohort *v = NULL;
	size_t cnt = 0, cap = 0;
	for (size_t r = 0; r < pw->nrows; r++) {
		uint32_t p = tbl_sid(pw, p_pat, r);
		int32_t s = tbl_date(pw, p_start, r), e = tbl_date(pw, p_stop, r);
		if (!p || s == I32_NULL || s > ctx->census || (e != I32_NULL && e <= ctx->census))
			continue;
		uint32_t i = hmap_get(&idx, p);
		if (i == HMAP_NONE) {
			if (cnt == cap)
				v = xrealloc(v, (cap = cap ? cap * 2 : 1024) * sizeof *v);
			i = (uint32_t)cnt++;
			hmap_put(&idx, p, i);
			v[i] = (cohort){tbl_str(pw, p_pat, r), p, 0, PRIO_NONE};
		}
		v[i].open++;
		int code = rtt_priority_code(tbl_str(pw, p_prio, r));
		if (code > PRIO_NONE && (v[i].prio == PRIO_NONE || code < v[i].prio))
			v[i].prio = code;
	}
	hmap_free(&idx);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_cohort);
	*n = cnt;
	return v;
}

/* The lookups of one patient's inputs. */
typedef struct lookups {
	mm_table *pt, *cm, *ad, *en;
	hmap by_pt, by_cm, by_ad, by_en, care;
	int care_known;
} lookups;

static void lookups_init(run_ctx *ctx, lookups *l)
{
	l->pt = ctx_table(ctx, "stg_patients");
	l->cm = ctx_table(ctx, "int_patient_comorbidities");
	l->ad = ctx_table(ctx, "int_patient_admissions");
	l->en = ctx_table(ctx, "int_patient_engagement");
	index_by_sid(l->pt, col(l->pt, "patient_id"), &l->by_pt);
	index_by_sid(l->cm, col(l->cm, "patient_id"), &l->by_cm);
	index_by_sid(l->ad, col(l->ad, "patient_id"), &l->by_ad);
	index_by_sid(l->en, col(l->en, "patient_id"), &l->by_en);
	/* Without careplans.csv nothing is known about community care. */
	l->care_known = !ctx->src || ctx->src->st[SRC_CAREPLANS].present;
	mm_table *cp = ctx_table(ctx, "stg_careplans");
	int k_pat = col(cp, "patient_id"), k_act = col(cp, "is_active_at_census"), k_code = col(cp, "code");
	/* Only plans that mean community or social care count (seed). */
	mm_table *cc = ctx_table(ctx, "community_careplans");
	hmap community;
	index_by_sid(cc, col(cc, "SNOMED_CODE"), &community);
	hmap_init(&l->care, 1024);
	for (size_t r = 0; r < cp->nrows; r++)
		if (tbl_bool(cp, k_act, r) && tbl_sid(cp, k_pat, r) &&
		    hmap_get(&community, tbl_sid(cp, k_code, r)) != HMAP_NONE)
			hmap_put(&l->care, tbl_sid(cp, k_pat, r), 1);
	hmap_free(&community);
}

static void lookups_free(lookups *l)
{
	hmap_free(&l->by_pt);
	hmap_free(&l->by_cm);
	hmap_free(&l->by_ad);
	hmap_free(&l->by_en);
	hmap_free(&l->care);
}

static int64_t int_at(const mm_table *t, const hmap *m, uint32_t id, int c)
{
	uint32_t r = hmap_get(m, id);
	return r == HMAP_NONE ? INT_NULL : tbl_int(t, c, r);
}

static int build(run_ctx *ctx, mm_table *out)
{
	const struct risk_rules *rr = risk_rules_of(ctx);
	if (!rr)
		return EXIT_INPUT;
	lookups l;
	lookups_init(ctx, &l);
	int t_age = col(l.pt, "age_at_census"), t_band = col(l.pt, "age_band"), t_sex = col(l.pt, "sex");
	int t_eth = col(l.pt, "ethnicity"), t_imd = col(l.pt, "imd_decile");
	int m_count = col(l.cm, "comorbidity_count"), a_recent = col(l.ad, "recent_admissions");
	int e_resp = col(l.en, "response_likelihood"), e_past = col(l.en, "appointments_past");
	int c_pat = col(out, "patient_id"), c_age = col(out, "age_at_census"), c_band = col(out, "age_band");
	int c_sex = col(out, "sex"), c_eth = col(out, "ethnicity"), c_imd = col(out, "imd_decile");
	int c_open = col(out, "open_pathways"), c_cm = col(out, "comorbidity_count");
	int c_adm = col(out, "recent_admissions"), c_resp = col(out, "response_likelihood");
	int c_care = col(out, "community_care"), c_prio = col(out, "highest_priority");
	int c_score = col(out, "risk_score"), c_tier = col(out, "risk_tier"), c_stier = col(out, "score_tier");
	int c_over = col(out, "tier_from_override"), c_rapp = col(out, "response_appointments");
	int c_pts[RF_COUNT];
	for (int f = 0; f < RF_COUNT; f++)
		c_pts[f] = col(out, pts_cols[f]);
	static const char *const prio_text[PRIO_COUNT] = {NULL, "P1a", "P1b", "P2", "P3", "P4"};

	size_t n;
	cohort *v = open_cohort(ctx, &n);
	tbl_reserve(out, n);
	for (size_t k = 0; k < n; k++) {
		uint32_t id = v[k].id;
		size_t o = tbl_add_row(out);
		struct risk_inputs in = {INT_NULL, INT_NULL, INT_NULL, NAN, -1, v[k].prio, 0};
		tbl_set_sid(out, c_pat, o, id);
		uint32_t p = hmap_get(&l.by_pt, id);
		if (p != HMAP_NONE) {
			in.age = tbl_int(l.pt, t_age, p);
			tbl_set_int(out, c_age, o, in.age);
			tbl_set_sid(out, c_band, o, tbl_sid(l.pt, t_band, p));
			tbl_set_sid(out, c_sex, o, tbl_sid(l.pt, t_sex, p));
			tbl_set_sid(out, c_eth, o, tbl_sid(l.pt, t_eth, p));
			tbl_set_int(out, c_imd, o, tbl_int(l.pt, t_imd, p));
		}
		tbl_set_int(out, c_open, o, v[k].open);
		in.comorbidities = int_at(l.cm, &l.by_cm, id, m_count);
		in.admissions = int_at(l.ad, &l.by_ad, id, a_recent);
		tbl_set_int(out, c_cm, o, in.comorbidities);
		tbl_set_int(out, c_adm, o, in.admissions);
		uint32_t e = hmap_get(&l.by_en, id);
		in.appointments = e != HMAP_NONE ? int_or0(l.en, e_past, e) : 0;
		if (in.appointments > 0) /* no history: unknown, not 0.5 */
			in.response = tbl_num(l.en, e_resp, e);
		tbl_set_num(out, c_resp, o, in.response);
		tbl_set_int(out, c_rapp, o, in.appointments);
		if (l.care_known) {
			in.community_care = hmap_get(&l.care, id) != HMAP_NONE;
			tbl_set_bool(out, c_care, o, in.community_care);
		}
		if (v[k].prio != PRIO_NONE)
			tbl_set_str(out, c_prio, o, prio_text[v[k].prio]);
		int pts[RF_COUNT];
		int score = risk_score_patient(rr, &in, pts, NULL);
		for (int f = 0; f < RF_COUNT; f++)
			tbl_set_int(out, c_pts[f], o, pts[f]);
		tbl_set_int(out, c_score, o, score);
		int over, tier = risk_tier_final(rr, score, v[k].prio, &over);
		tbl_set_str(out, c_stier, o, risk_tier_name(risk_tier_of(rr, score)));
		tbl_set_str(out, c_tier, o, risk_tier_name(tier));
		tbl_set_bool(out, c_over, o, over);
	}
	free(v);
	lookups_free(&l);
	return 0;
}

const model_def model_dim_risk_cohort = {
	.name = "dim_risk_cohort",
	.layer = LAYER_MART,
	.description = "Risk cohort: one row per patient with a pathway open at the census, with the inputs of the "
		       "risk score, the points of each factor per the rules file, the score and its tier; by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL | MODEL_DIMENSION,
	.tests = tests,
	.build = build,
};
