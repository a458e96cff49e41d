/* dim_risk_rules: the rules file as a table, one row per rule line, so the
 * site can show the rules in force from the same source that scored the
 * patients. */
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "util/diag.h"

static const char *const upstream[] = {NULL};

static const model_col cols[] = {
	{"line", T_INT, "Line of the rule in the rules file", "unique not_null range(1..)", "rules", CR_EXACT},
	{"kind", T_STR,
	 "breach (breach rule setting), target (priority target), points (risk points), tier (tier threshold), "
	 "override (tier override by clinical priority), minimum (past appointments before response scores) or "
	 "lookback (the days up to the census in which admissions count)",
	 "not_null accepted(breach|target|points|tier|override|minimum|lookback)", "rules", CR_CODE},
	{"factor", T_STR,
	 "Breach setting, priority, risk factor or tier name the rule is about (override: the priority; minimum: "
	 "response_appointments; lookback: admissions_days)",
	 "not_null", "rules", CR_CODE},
	{"operator", T_STR, "Comparison of a points or tier rule (>=, >, <=, <, =, !=)", "accepted(>=|>|<=|<|=|!=)",
	 "rules", CR_CODE},
	{"threshold", T_STR,
	 "Value compared against, or the setting's days, as written (override: the tier; minimum: the count; "
	 "lookback: the days)",
	 "not_null", "rules", CR_CODE},
	{"points", T_INT, "Points a matching patient scores (points rules only)", "range(-50..50)", "rules", CR_SCORE},
	{"rule", T_STR, "The rule as written, comment left out", "not_null", "rules", CR_LABEL},
};

static const char *const tests[] = {NULL};

static int build(run_ctx *ctx, mm_table *out)
{
	const struct risk_rules *rr = risk_rules_of(ctx);
	if (!rr)
		return EXIT_INPUT;
	int c_line = col(out, "line"), c_kind = col(out, "kind"), c_factor = col(out, "factor");
	int c_op = col(out, "operator"), c_thr = col(out, "threshold"), c_pts = col(out, "points");
	int c_rule = col(out, "rule");
	tbl_reserve(out, rr->n);
	for (size_t i = 0; i < rr->n; i++) { /* file order is line order */
		const struct risk_rule *k = &rr->rules[i];
		size_t o = tbl_add_row(out);
		tbl_set_int(out, c_line, o, k->line);
		tbl_set_str(out, c_kind, o, risk_kind_name(k->kind));
		tbl_set_str(out, c_factor, o, k->name);
		if (k->kind == RK_POINTS || k->kind == RK_TIER)
			tbl_set_str(out, c_op, o, risk_op_name(k->op));
		tbl_set_str(out, c_thr, o, k->value);
		if (k->kind == RK_POINTS)
			tbl_set_int(out, c_pts, o, k->points);
		tbl_set_str(out, c_rule, o, k->text);
	}
	return 0;
}

const model_def model_dim_risk_rules = {
	.name = "dim_risk_rules",
	.layer = LAYER_MART,
	.description = "The risk rules in force, as configured in the rules file (data/risk_rules.txt): breach rule, "
		       "priority targets, risk points, tiers, tier overrides by priority, the response minimum and the admissions look-back; one "
		       "row per rule line, in file order",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_DIMENSION,
	.tests = tests,
	.build = build,
};
