/* fct_risk_sensitivity: how robust is the risk model? Every number of the
 * rules file that decides a tier is moved a little, one at a time, and
 * every patient of the cohort re-scored with the rest of the file as
 * written:
 *   points     each points rule's points, -1 and +1;
 *   threshold  each numeric points rule's threshold: age, comorbidities and
 *              admissions -1 and +1, response -0.05 and +0.05 (kept in 0..1);
 *   tier       the High and Medium cut-offs, -1 and +1 (Low must cover the
 *              lowest score, so it is not moved);
 *   minimum    the past appointments the response factor needs, -1 and +1
 *              (not below 1).
 * A change that moves many patients across a tier boundary is one where the
 * exact number matters and deserves clinical scrutiny. A row where nobody
 * moves says why in its reason (nobody matches the rule, nobody's value
 * lies between the two thresholds, ...), so that an empty row is not read
 * as "robust" when it only means "not tested by this list". The priority
 * overrides of the file (tier P1a High) apply in every variant. */
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"dim_risk_cohort", "dim_risk_rules", NULL};

static const model_col cols[] = {
	{"line", T_INT, "Line of the rule or setting in the rules file", "not_null ref(dim_risk_rules.line)", "rules",
	 CR_EXACT},
	{"rule", T_STR, "The rule as written, e.g. \"age >= 80 (3 points)\" or \"tier High >= 7\"", "not_null", "rules",
	 CR_LABEL},
	{"parameter", T_STR,
	 "What is changed: points (of a points rule), threshold (of a points rule), tier (a tier cut-off) or minimum "
	 "(past appointments the response factor needs)",
	 "not_null accepted(points|threshold|tier|minimum)", "rules", CR_CODE},
	{"delta", T_NUM, "The change: -1 or +1 (points, cut-offs, counts, whole thresholds), -0.05 or +0.05 (response)",
	 "not_null range(-1..1)", "rules", CR_SCORE},
	{"variant", T_STR, "The rule as changed, e.g. \"age >= 79 (3 points)\"", "not_null", "rules", CR_CODE},
	{"high", T_INT, "Patients in the High tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules", CR_PERSONS},
	{"medium", T_INT, "Patients in the Medium tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules", CR_PERSONS},
	{"low", T_INT, "Patients in the Low tier with the change", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules", CR_PERSONS},
	{"change_high", T_INT, "high minus the High count with the rules as written", "not_null",
	 "dim_risk_cohort.risk_tier", CR_PERSONS},
	{"change_medium", T_INT, "medium minus the baseline Medium count", "not_null", "dim_risk_cohort.risk_tier",
	 CR_PERSONS},
	{"change_low", T_INT, "low minus the baseline Low count", "not_null", "dim_risk_cohort.risk_tier", CR_PERSONS},
	{"patients_rescored", T_INT,
	 "Patients whose score the change alters (for a tier cut-off: whose score lies between the old and the new "
	 "cut-off)",
	 "not_null range(0..)", "dim_risk_cohort.risk_score, rules", CR_PERSONS},
	{"patients_changing_tier", T_INT, "Patients whose tier the change moves", "not_null range(0..)",
	 "dim_risk_cohort.risk_score, rules", CR_PERSONS},
	{"reason", T_STR,
	 "Why nobody changes tier, when nobody does (e.g. no patient matches the rule); null when someone does",
	 "", "dim_risk_cohort.risk_score, rules", CR_LABEL},
};

static const char *const tests[] = {
	"unique(line,variant)",
	"expr(patients_changing_tier >= change_high)",
	"expr(patients_changing_tier >= change_low)",
	NULL,
};

static int prio_of(const char *s)
{
	int p = rtt_priority_code(s);
	return p < 0 ? PRIO_NONE : p;
}

enum param { P_POINTS, P_THRESHOLD, P_TIER, P_MINIMUM };
static const char *const param_names[] = {"points", "threshold", "tier", "minimum"};

/* One change to the rules. */
typedef struct variant {
	size_t rule;  /* index in r->rules of the line changed */
	enum param param;
	double delta;
} variant;

/* The rules as written with one change applied, into *w (whose rules
 * array is the caller's buffer of r->n rules). */
static void apply(const struct risk_rules *r, const variant *v, struct risk_rules *w, struct risk_rule *buf)
{
	*w = *r;
	memcpy(buf, r->rules, r->n * sizeof *buf);
	w->rules = buf;
	struct risk_rule *k = &buf[v->rule];
	int d = (int)lround(v->delta);
	switch (v->param) {
	case P_POINTS: k->points += d; break;
	case P_THRESHOLD: k->threshold += v->delta; break;
	case P_TIER:
		for (int t = 0; t < TIER_COUNT; t++)
			if (strcmp(k->name, risk_tier_name(t)) == 0)
				w->tier_min[t] += d;
		break;
	case P_MINIMUM: w->response_min_appointments += d; break;
	}
}

/* A value for text: whole numbers without decimals. */
static void fmt_value(char *b, size_t n, double x)
{
	if (x == floor(x))
		snprintf(b, n, "%.0f", x);
	else
		snprintf(b, n, "%.2g", x);
}

/* "age >= 80 (3 points)" of a points rule as it stands in rules r. */
static void points_text(const struct risk_rule *k, char *b, size_t n)
{
	char v[32];
	if (k->factor == RF_COMMUNITY || k->factor == RF_PRIORITY)
		snprintf(v, sizeof v, "%s", k->value);
	else
		fmt_value(v, sizeof v, k->threshold);
	snprintf(b, n, "%s %s %s (%d point%s)", k->name, risk_op_name(k->op), v, k->points,
		 k->points == 1 || k->points == -1 ? "" : "s");
}

static void rule_text(const struct risk_rules *r, const variant *v, const struct risk_rule *k, char *b, size_t n)
{
	if (v->param == P_POINTS || v->param == P_THRESHOLD)
		points_text(k, b, n);
	else if (v->param == P_TIER) {
		int t = 0;
		for (; t < TIER_COUNT - 1 && strcmp(k->name, risk_tier_name(t)); t++)
			;
		snprintf(b, n, "tier %s >= %d", k->name, r->tier_min[t]);
	} else
		snprintf(b, n, "minimum response_appointments %d", r->response_min_appointments);
}

/* The inputs of every cohort patient. */
static struct risk_inputs *read_inputs(mm_table *co)
{
	int k_age = col(co, "age_at_census"), k_cm = col(co, "comorbidity_count");
	int k_adm = col(co, "recent_admissions"), k_resp = col(co, "response_likelihood");
	int k_care = col(co, "community_care"), k_prio = col(co, "highest_priority");
	int k_rapp = col(co, "response_appointments");
	struct risk_inputs *in = xmalloc((co->nrows + 1) * sizeof *in);
	for (size_t r = 0; r < co->nrows; r++)
		in[r] = (struct risk_inputs){
			tbl_int(co, k_age, r), tbl_int(co, k_cm, r), tbl_int(co, k_adm, r), tbl_num(co, k_resp, r),
			tbl_isnull(co, k_care, r) ? -1 : tbl_bool(co, k_care, r), prio_of(tbl_str(co, k_prio, r)),
			tbl_int(co, k_rapp, r),
		};
	return in;
}

/* The variants of the rules, in file order; each rule's -delta before its
 * +delta. *n is set; caller frees. */
static variant *variants_of(const struct risk_rules *r, size_t *n)
{
	variant *v = xmalloc((r->n * 4 + 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct risk_rule *k = &r->rules[i];
		for (int s = -1; s <= 1; s += 2) {
			if (k->kind == RK_POINTS)
				v[m++] = (variant){i, P_POINTS, s};
			else if (k->kind == RK_TIER && strcmp(k->name, "Low") != 0)
				v[m++] = (variant){i, P_TIER, s};
			else if (k->kind == RK_MINIMUM && r->response_min_appointments + s >= 1)
				v[m++] = (variant){i, P_MINIMUM, s};
		}
		if (k->kind != RK_POINTS || k->factor == RF_COMMUNITY || k->factor == RF_PRIORITY)
			continue;
		double step = k->factor == RF_RESPONSE ? 0.05 : 1;
		for (int s = -1; s <= 1; s += 2) {
			double t = k->threshold + s * step;
			if (k->factor == RF_RESPONSE && (t < -1e-9 || t > 1 + 1e-9))
				continue;
			if (k->factor != RF_RESPONSE && t < 0)
				continue;
			v[m++] = (variant){i, P_THRESHOLD, s * step};
		}
	}
	*n = m;
	return v;
}

/* Why nobody changes tier. */
static void reason_of(const struct risk_rules *r, const variant *v, int64_t matched, int64_t held,
		      int64_t rescored, char *b, size_t n)
{
	const struct risk_rule *k = &r->rules[v->rule];
	char from[32], to[32];
	switch (v->param) {
	case P_POINTS:
		if (!matched) {
			if (k->factor == RF_PRIORITY)
				snprintf(b, n, "no patient matches this rule: nobody's most urgent priority is %s%s",
					 k->op == CMP_NE ? "other than " : "", k->value);
			else
				snprintf(b, n, "no patient matches this rule (an earlier rule of the factor, or none)");
		} else if (held == matched)
			snprintf(b, n, "every patient this rule matches is in the High tier through a tier override by "
				       "priority (tier %s High), whatever their points",
				 k->factor == RF_PRIORITY && k->op == CMP_EQ ? k->value : "PRIORITY");
		else
			snprintf(b, n, "patients match this rule, but a point more or less moves none of them across a "
				       "tier cut-off");
		break;
	case P_THRESHOLD:
		fmt_value(from, sizeof from, k->threshold);
		fmt_value(to, sizeof to, k->threshold + v->delta);
		if (!rescored)
			snprintf(b, n, "no patient's %s lies between %s and %s, so nobody's points change", k->name, from,
				 to);
		else
			snprintf(b, n, "some patients' points change, but none crosses a tier cut-off");
		break;
	case P_TIER:
		snprintf(b, n, "%s", rescored ? "the patients at the cut-off keep their tier through a priority override"
					      : "no patient's score is at the cut-off, so nobody crosses it");
		break;
	case P_MINIMUM:
		snprintf(b, n, "%s", rescored ? "some patients' response points change, but none crosses a tier cut-off"
					      : "no patient has exactly the number of past appointments that the change "
						"adds or removes, with a likelihood that scores");
		break;
	}
}

static int build(run_ctx *ctx, mm_table *out)
{
	const struct risk_rules *rr = risk_rules_of(ctx);
	if (!rr)
		return EXIT_INPUT;
	mm_table *co = ctx_table(ctx, "dim_risk_cohort");
	size_t np = co->nrows;
	struct risk_inputs *in = read_inputs(co);
	int *base_score = xmalloc((np + 1) * sizeof *base_score);
	int *base_tier = xmalloc((np + 1) * sizeof *base_tier);
	int (*base_hit)[RF_COUNT] = xmalloc((np + 1) * sizeof *base_hit);
	int64_t base[TIER_COUNT] = {0};
	for (size_t p = 0; p < np; p++) {
		int pts[RF_COUNT];
		base_score[p] = risk_score_patient(rr, &in[p], pts, base_hit[p]);
		base_tier[p] = risk_tier_final(rr, base_score[p], in[p].priority, NULL);
		base[base_tier[p]]++;
	}

	int c_line = col(out, "line"), c_rule = col(out, "rule"), c_param = col(out, "parameter");
	int c_delta = col(out, "delta"), c_var = col(out, "variant");
	int c_n[TIER_COUNT] = {col(out, "high"), col(out, "medium"), col(out, "low")};
	int c_ch[TIER_COUNT] = {col(out, "change_high"), col(out, "change_medium"), col(out, "change_low")};
	int c_resc = col(out, "patients_rescored"), c_chg = col(out, "patients_changing_tier");
	int c_reason = col(out, "reason");

	size_t nv;
	variant *vs = variants_of(rr, &nv);
	struct risk_rule *buf = xmalloc((rr->n + 1) * sizeof *buf);
	char text[160], reason[200];
	for (size_t i = 0; i < nv; i++) {
		const variant *v = &vs[i];
		struct risk_rules w;
		apply(rr, v, &w, buf);
		int64_t count[TIER_COUNT] = {0}, changing = 0, rescored = 0, matched = 0, held = 0;
		for (size_t p = 0; p < np; p++) {
			int pts[RF_COUNT];
			int score = risk_score_patient(&w, &in[p], pts, NULL);
			int tier = risk_tier_final(&w, score, in[p].priority, NULL);
			count[tier]++;
			changing += tier != base_tier[p];
			if (v->param == P_TIER) {
				int lo = rr->tier_min[0], hi = lo; /* the band between the two cut-offs */
				for (int t = 0; t < TIER_COUNT; t++)
					if (!strcmp(rr->rules[v->rule].name, risk_tier_name(t)))
						lo = hi = rr->tier_min[t];
				lo += v->delta < 0 ? -1 : 0;
				hi += v->delta < 0 ? -1 : 0;
				rescored += base_score[p] >= lo && base_score[p] <= hi;
			} else
				rescored += score != base_score[p];
			for (int f = 0; f < RF_COUNT; f++)
				if (base_hit[p][f] == (int)v->rule) {
					matched++;
					held += rr->prio_floor[in[p].priority] == TIER_HIGH;
				}
		}
		size_t o = tbl_add_row(out);
		const struct risk_rule *k = &rr->rules[v->rule];
		tbl_set_int(out, c_line, o, k->line);
		rule_text(rr, v, k, text, sizeof text);
		tbl_set_str(out, c_rule, o, text);
		tbl_set_str(out, c_param, o, param_names[v->param]);
		tbl_set_num(out, c_delta, o, v->delta);
		rule_text(&w, v, &buf[v->rule], text, sizeof text);
		tbl_set_str(out, c_var, o, text);
		for (int t = 0; t < TIER_COUNT; t++) {
			tbl_set_int(out, c_n[t], o, count[t]);
			tbl_set_int(out, c_ch[t], o, count[t] - base[t]);
		}
		tbl_set_int(out, c_resc, o, rescored);
		tbl_set_int(out, c_chg, o, changing);
		if (!changing) {
			reason_of(rr, v, matched, held, rescored, reason, sizeof reason);
			tbl_set_str(out, c_reason, o, reason);
		}
	}
	free(buf);
	free(vs);
	free(in);
	free(base_score);
	free(base_tier);
	free(base_hit);
	return 0;
}

const model_def model_fct_risk_sensitivity = {
	.name = "fct_risk_sensitivity",
	.layer = LAYER_MART,
	.description = "Sensitivity of the risk tiers to each number of the rules file: the cohort's High/Medium/Low "
		       "counts with one rule's points, one threshold, one tier cut-off or the response minimum moved a "
		       "step down or up, the change against the rules as written, how many patients change tier, and "
		       "why nobody does when nobody does; in file order",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
