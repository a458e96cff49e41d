/* The risk model's rules, read from a plain-text file a clinical lead can
 * edit (data/risk_rules.txt), and the small pure decisions built on them:
 * the RTT breach rule, weekly wait bands, the patient risk score and its
 * tier. The file format is described in docs/risk-model.md. */
#ifndef MM_RISK_RULES_H
#define MM_RISK_RULES_H
#include <stddef.h>
#include <stdint.h>
#include "registry/model.h"
#include "util/cmpop.h"

/* Clinical priority (RCS), as a small code; PRIO_NONE = not prioritised. */
enum rtt_priority { PRIO_NONE, PRIO_P1A, PRIO_P1B, PRIO_P2, PRIO_P3, PRIO_P4, PRIO_COUNT };

/* Risk factors, in the order of the pts_* columns of dim_risk_cohort. */
enum risk_factor { RF_AGE, RF_COMORBIDITIES, RF_ADMISSIONS, RF_RESPONSE, RF_COMMUNITY, RF_PRIORITY, RF_COUNT };

/* Kinds of rule line:
 *   RK_BREACH    breach rtt_days|grace_days DAYS
 *   RK_TARGET    target PRIORITY DAYS
 *   RK_POINTS    points FACTOR OP VALUE POINTS
 *   RK_TIER      tier High|Medium|Low >= SCORE
 *   RK_OVERRIDE  tier PRIORITY TIER: a patient whose most urgent open pathway
 *                has PRIORITY is in TIER at least, whatever the score
 *                (name = the priority, value = the tier, points = TIER_*)
 *   RK_MINIMUM   minimum response_appointments COUNT: the past appointments
 *                needed before the response factor scores (name =
 *                "response_appointments", points = COUNT)
 *   RK_LOOKBACK  lookback admissions_days DAYS: the window, up to the
 *                census, in which the admissions factor counts unplanned
 *                admissions (name = "admissions_days", points = DAYS) */
enum risk_kind { RK_BREACH, RK_TARGET, RK_POINTS, RK_TIER, RK_OVERRIDE, RK_MINIMUM, RK_LOOKBACK };
enum risk_tier { TIER_HIGH, TIER_MEDIUM, TIER_LOW, TIER_COUNT };

/* One rule line of the file. */
struct risk_rule {
	enum risk_kind kind;
	int line;             /* 1-based line in the file */
	char name[24];        /* breach setting, priority, factor or tier, as written */
	int factor;           /* RF_* for points rules, else -1 */
	cmp_op op;            /* points and tier rules; util/cmpop.h */
	char value[24];       /* the threshold or setting as written */
	double threshold;     /* points/tier: number; yes/no as 1/0; priority as PRIO_* */
	int points;           /* points rules: points; breach/target: days */
	char text[128];       /* the rule as written, comment left out */
};

/* When the file has no "minimum response_appointments" line: one past
 * appointment is enough (a patient with none has no response likelihood). */
#define RISK_RESPONSE_MIN_DEFAULT 1
/* When the file has no "lookback admissions_days" line: the 365 days up
 * to the census. */
#define RISK_ADMISSIONS_DAYS_DEFAULT 365

struct risk_rules {
	char *path;                 /* owned */
	rtt_rules rtt;
	int tier_min[TIER_COUNT];   /* lowest score of each tier */
	/* Tier overrides by clinical priority ("tier P1a High"), indexed by
	 * PRIO_*: the lowest tier (TIER_*) a patient whose most urgent open
	 * pathway has that priority can be in, or -1 when the priority has no
	 * override. prio_floor_line is the override's line, 0 when none. */
	int prio_floor[PRIO_COUNT];
	int prio_floor_line[PRIO_COUNT];
	/* Past appointments (attended or missed; cancellations do not count)
	 * a patient needs before the response factor scores; fewer and the
	 * likelihood is unknown and scores nothing. From "minimum
	 * response_appointments COUNT", else RISK_RESPONSE_MIN_DEFAULT
	 * (response_min_line 0). */
	int response_min_appointments;
	int response_min_line;
	/* Days up to the census in which unplanned admissions count: from
	 * "lookback admissions_days DAYS", else RISK_ADMISSIONS_DAYS_DEFAULT
	 * (admissions_days_line 0). */
	int admissions_days;
	int admissions_days_line;
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
	int64_t appointments;  /* past appointments behind response (attended or
				* missed); response scores only when this is at
				* least r->response_min_appointments */
};

/* Scores one patient: for each factor the first matching points rule in
 * file order gives its points (0 if none matches). Fills pts[RF_COUNT] and,
 * when matched is not NULL, the index in r->rules of the rule that matched
 * (-1 if none). Returns the total. */
int risk_score_patient(const struct risk_rules *r, const struct risk_inputs *in, int pts[RF_COUNT],
		       int matched[RF_COUNT]);
/* TIER_* of a score: the highest tier whose threshold it reaches. */
int risk_tier_of(const struct risk_rules *r, int score);
/* TIER_* of a patient: the tier of the score, raised to the override of
 * the priority (PRIO_*) when the file has one and it is higher. When
 * overridden is not NULL it is set to 1 if the override raised the tier,
 * else 0. */
int risk_tier_final(const struct risk_rules *r, int score, int priority, int *overridden);
const char *risk_tier_name(int tier); /* "High", "Medium", "Low" */
const char *risk_factor_name(int factor);
const char *risk_op_name(cmp_op op);                 /* as the file writes it: "=" for equality */
const char *risk_kind_name(enum risk_kind kind); /* "breach" .. "override", "minimum" */
const char *rtt_priority_name(int priority);     /* "none", "P1a" .. "P4" */

/* PRIO_* of "P1a".."P4"; "" or NULL is PRIO_NONE; -1 if unknown. */
int rtt_priority_code(const char *s);
/* Days from clock start to census (2024-02-29 -> 2024-08-31 is 184). */
static inline int64_t rtt_wait_days(int32_t clock_start, int32_t census)
{
	return (int64_t)census - clock_start;
}
/* Weekly bands and the breach decision: models/rules/rtt_clock.h. */

#endif
