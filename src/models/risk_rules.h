/* The risk model's rules, read from a plain-text file a clinical lead can
 * edit (data/risk_rules.txt), and the small pure decisions built on them:
 * the RTT breach rule, weekly wait bands and the patient risk score.
 * The file format is described in docs/risk-model.md. */
#ifndef MM_RISK_RULES_H
#define MM_RISK_RULES_H
#include <stddef.h>
#include <stdint.h>
#include "models/model.h"

/* Clinical priority (RCS), as a small code; PRIO_NONE = not prioritised. */
enum rtt_priority { PRIO_NONE, PRIO_P1A, PRIO_P1B, PRIO_P2, PRIO_P3, PRIO_P4, PRIO_COUNT };

/* Risk factors, in the order of the pts_* columns of dim_risk_cohort. */
enum risk_factor { RF_AGE, RF_COMORBIDITIES, RF_ADMISSIONS, RF_RESPONSE, RF_COMMUNITY, RF_PRIORITY, RF_COUNT };

enum risk_kind { RK_BREACH, RK_TARGET, RK_POINTS, RK_TIER };
enum risk_op { OP_GE, OP_GT, OP_LE, OP_LT, OP_EQ, OP_NE };
enum risk_tier { TIER_HIGH, TIER_MEDIUM, TIER_LOW, TIER_COUNT };

/* One rule line of the file. */
struct risk_rule {
	enum risk_kind kind;
	int line;             /* 1-based line in the file */
	char name[24];        /* breach setting, priority, factor or tier, as written */
	int factor;           /* RF_* for points rules, else -1 */
	enum risk_op op;      /* points and tier rules */
	char value[24];       /* the threshold or setting as written */
	double threshold;     /* points/tier: number; yes/no as 1/0; priority as PRIO_* */
	int points;           /* points rules: points; breach/target: days */
	char text[128];       /* the rule as written, comment left out */
};

struct risk_rules {
	char *path;                 /* owned */
	rtt_rules rtt;
	int tier_min[TIER_COUNT];   /* lowest score of each tier */
	struct risk_rule *rules;    /* every rule line, in file order; owned */
	size_t n;
};

/* Parse errors, in file order; the first RISK_MAX_ERRORS are kept. */
#define RISK_MAX_ERRORS 20
struct risk_error {
	int line, col; /* 1-based; col is the offending token's first byte */
	char msg[200];
};
struct risk_errors {
	int n;         /* errors found (may exceed the kept ones) */
	struct risk_error v[RISK_MAX_ERRORS];
};

/* Parses the rules in text[0..len); name is used as the path. Returns the
 * rules (caller frees), or NULL with the problems in *err (nothing printed). */
struct risk_rules *risk_rules_parse(const char *text, size_t len, const char *name, struct risk_errors *err);
/* Reads and parses path. Returns NULL after printing
 * "medimart: FILE:LINE:COL: error: ..." when the file is bad. Caller frees. */
struct risk_rules *risk_rules_load(const char *path);
void risk_rules_free(struct risk_rules *r);
/* Copies the breach rule and the priority targets into *out. */
void risk_rules_apply_rtt(const struct risk_rules *r, rtt_rules *out);
/* The run's rules for a model's build: ctx->risk, loaded from
 * ctx->rules_path (and ctx->rtt filled) if the runner has not done so.
 * NULL after printing an error. */
const struct risk_rules *risk_rules_of(run_ctx *ctx);

/* The inputs of one patient's score; unknown values match no rule. */
struct risk_inputs {
	int64_t age;           /* years at census, INT_NULL if unknown */
	int64_t comorbidities; /* distinct comorbidity groups active at census */
	int64_t admissions;    /* emergency and inpatient admissions, last 12 months */
	double response;       /* response likelihood 0..1, NAN without history */
	int community_care;    /* 1 yes, 0 no, -1 unknown */
	int priority;          /* PRIO_*: the most urgent of the open pathways */
};

/* Scores one patient: for each factor the first matching points rule in
 * file order gives its points (0 if none matches). Fills pts[RF_COUNT] and,
 * when matched is not NULL, the index in r->rules of the rule that matched
 * (-1 if none). Returns the total. */
int risk_score_patient(const struct risk_rules *r, const struct risk_inputs *in, int pts[RF_COUNT],
		       int matched[RF_COUNT]);
/* TIER_* of a score: the highest tier whose threshold it reaches. */
int risk_tier_of(const struct risk_rules *r, int score);
const char *risk_tier_name(int tier); /* "High", "Medium", "Low" */
const char *risk_factor_name(int factor);
const char *risk_op_name(enum risk_op op);

/* PRIO_* of "P1a".."P4"; "" or NULL is PRIO_NONE; -1 if unknown. */
int rtt_priority_code(const char *s);
/* Days from clock start to census (2024-02-29 -> 2024-08-31 is 184). */
static inline int64_t rtt_wait_days(int32_t clock_start, int32_t census)
{
	return (int64_t)census - clock_start;
}
/* NHS weekly band: 0 for "0 weeks" (0 days), k for ">k-1-k weeks"
 * (days 7k-6 .. 7k, k = 1..104), 105 for ">104 weeks" (729 days or more). */
int rtt_band_order(int64_t days);
/* The band's label into buf (at least 16 bytes), e.g. ">17-18 weeks". */
void rtt_band_label(int64_t days, char *buf, size_t n);

/* The breach and overdue decision for one open pathway. */
struct rtt_status {
	int target_days;            /* priority target, else the RTT standard */
	int rtt_breach;             /* wait_days > rtt_days */
	int priority_breach;        /* wait_days > target_days */
	int overdue_threshold_days; /* target_days + grace_days */
	int is_overdue;             /* wait_days > overdue_threshold_days */
	int weeks_overdue;          /* 0, or ceil((wait_days - target_days) / 7) */
};
struct rtt_status rtt_assess(const rtt_rules *r, int priority, int64_t wait_days);

#endif
