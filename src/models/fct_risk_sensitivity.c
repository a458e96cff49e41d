/* fct_risk_sensitivity: how robust is the risk model? For each points
 * rule, the tier counts of the cohort if that rule gave one point less or
 * one point more. A rule whose +-1 moves many patients across a tier
 * boundary is one where the exact number matters and deserves clinical
 * scrutiny; small changes mean the tiers are not an artefact of one
 * arbitrary choice. One pass over the cohort: a patient can only be
 * moved by the rules that matched them. */
#include "models/model.h"
#include "models/risk_rules.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>

static const char *const upstream[] = {"dim_risk_cohort", "dim_risk_rules", NULL};

static const model_col cols[] = {
	{"line", T_INT, "Line of the rule in the rules file", "not_null ref(dim_risk_rules.line)", "rules"},
	{"rule", T_STR, "The points rule, e.g. \"age >= 80 (3 points)\"", "not_null", "rules"},
	{"delta", T_INT, "Change to the rule's points: -1 or +1", "not_null accepted(-1|1)", "rules"},
	{"high", T_INT, "Patients in the High tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules"},
	{"medium", T_INT, "Patients in the Medium tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules"},
	{"low", T_INT, "Patients in the Low tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules"},
	{"change_high", T_INT, "high minus the High count with the rules as written", "not_null",
	 "dim_risk_cohort.risk_tier"},
	{"change_medium", T_INT, "medium minus the baseline Medium count", "not_null", "dim_risk_cohort.risk_tier"},
	{"change_low", T_INT, "low minus the baseline Low count", "not_null", "dim_risk_cohort.risk_tier"},
	{"patients_changing_tier", T_INT, "Patients whose tier the change moves", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules"},
};

static const char *const tests[] = {
	"unique(line,delta)",
	"expr(patients_changing_tier >= change_high)",
	"expr(patients_changing_tier >= change_low)",
	NULL,
};

static int prio_of(const char *s)
{
	int p = rtt_priority_code(s);
	return p < 0 ? PRIO_NONE : p;
}

static int build(run_ctx *ctx, mm_table *out)
{
	const struct risk_rules *rr = risk_rules_of(ctx);
	if (!rr)
		return EXIT_INPUT;
	mm_table *co = ctx_table(ctx, "dim_risk_cohort");
	int k_age = col(co, "age_at_census"), k_cm = col(co, "comorbidity_count");
	int k_adm = col(co, "recent_admissions"), k_resp = col(co, "response_likelihood");
	int k_care = col(co, "community_care"), k_prio = col(co, "highest_priority");
	int k_rapp = col(co, "response_appointments");

	/* moved[rule][d][tier]: net change of each tier's count (d: 0 = -1, 1 = +1). */
	int64_t (*moved)[2][TIER_COUNT] = xcalloc(rr->n + 1, sizeof *moved);
	int64_t (*changing)[2] = xcalloc(rr->n + 1, sizeof *changing);
	int64_t base[TIER_COUNT] = {0};
	for (size_t r = 0; r < co->nrows; r++) {
		struct risk_inputs in = {
			tbl_int(co, k_age, r), tbl_int(co, k_cm, r), tbl_int(co, k_adm, r), tbl_num(co, k_resp, r),
			tbl_isnull(co, k_care, r) ? -1 : tbl_bool(co, k_care, r), prio_of(tbl_str(co, k_prio, r)),
			tbl_int(co, k_rapp, r),
		};
		int pts[RF_COUNT], hit[RF_COUNT];
		int score = risk_score_patient(rr, &in, pts, hit);
		int tier = risk_tier_of(rr, score);
		base[tier]++;
		for (int f = 0; f < RF_COUNT; f++) {
			if (hit[f] < 0)
				continue;
			for (int d = 0; d < 2; d++) {
				int t2 = risk_tier_of(rr, score + (d ? 1 : -1));
				if (t2 == tier)
					continue;
				moved[hit[f]][d][tier]--;
				moved[hit[f]][d][t2]++;
				changing[hit[f]][d]++;
			}
		}
	}

	int c_line = col(out, "line"), c_rule = col(out, "rule"), c_delta = col(out, "delta");
	int c_n[TIER_COUNT] = {col(out, "high"), col(out, "medium"), col(out, "low")};
	int c_ch[TIER_COUNT] = {col(out, "change_high"), col(out, "change_medium"), col(out, "change_low")};
	int c_chg = col(out, "patients_changing_tier");
	char text[128];
	for (size_t i = 0; i < rr->n; i++) { /* rules in file order, -1 before +1 */
		const struct risk_rule *k = &rr->rules[i];
		if (k->kind != RK_POINTS)
			continue;
		snprintf(text, sizeof text, "%s %s %s (%d point%s)", k->name, risk_op_name(k->op), k->value, k->points,
			 k->points == 1 || k->points == -1 ? "" : "s");
		for (int d = 0; d < 2; d++) {
			size_t o = tbl_add_row(out);
			tbl_set_int(out, c_line, o, k->line);
			tbl_set_str(out, c_rule, o, text);
			tbl_set_int(out, c_delta, o, d ? 1 : -1);
			for (int t = 0; t < TIER_COUNT; t++) {
				tbl_set_int(out, c_n[t], o, base[t] + moved[i][d][t]);
				tbl_set_int(out, c_ch[t], o, moved[i][d][t]);
			}
			tbl_set_int(out, c_chg, o, changing[i][d]);
		}
	}
	free(moved);
	free(changing);
	return 0;
}

const model_def model_fct_risk_sensitivity = {
	.name = "fct_risk_sensitivity",
	.layer = LAYER_MART,
	.description = "Sensitivity of the risk tiers to each points rule: the cohort's High/Medium/Low counts with "
		       "that rule's points lowered or raised by one, the change against the rules as written, and how "
		       "many patients change tier; two rows per points rule, in file order",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
