/* The risk rules file, the risk score and the RTT breach rule: parsing,
 * every kind of bad line, and the boundaries where one day or one point
 * changes the answer. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "models/rules/risk_rules.h"
#include "util/date.h"

#define GOOD                                                                                                       \
	"# breach rule\n"                                                                                          \
	"breach rtt_days 126\n"                                                                                    \
	"breach grace_days 7   # one week\n"                                                                       \
	"target P1a 1\n"                                                                                           \
	"target P1b 3\n"                                                                                           \
	"target P2 28\n"                                                                                           \
	"target P3 91\n"                                                                                           \
	"target P4 126\n"                                                                                          \
	"\n"                                                                                                       \
	"points age >= 80 3\n"                                                                                     \
	"points age >= 65 2\n"                                                                                     \
	"points comorbidities >= 3 3\n"                                                                            \
	"points comorbidities >= 1 1\n"                                                                            \
	"points admissions >= 2 3\n"                                                                               \
	"points admissions >= 1 2\n"                                                                               \
	"points response < 0.6 2\n"                                                                                \
	"points community_care = yes 1\n"                                                                          \
	"points priority = P1a 3\n"                                                                                \
	"points priority = P2 2\n"                                                                                 \
	"\ttier High >= 7\r\n"                                                                                     \
	"tier Medium >= 4\n"                                                                                       \
	"tier Low >= 0\n"

static struct risk_rules *parse(const char *text, struct risk_errors *err)
{
	return risk_rules_parse(text, strlen(text), "rules.txt", err);
}

static int lines_in(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* GOOD with one line appended: the error must be on that line. */
static void expect_bad_line(const char *line, int col, const char *needle)
{
	char text[4096];
	snprintf(text, sizeof text, "%s%s\n", GOOD, line);
	struct risk_errors err;
	struct risk_rules *r = parse(text, &err);
	cr_assert_null(r, "accepted: %s", line);
	cr_assert_eq(err.n, 1, "%d errors for: %s", err.n, line);
	cr_expect_eq(err.v[0].line, lines_in(GOOD) + 1, "line %d for: %s", err.v[0].line, line);
	cr_expect_eq(err.v[0].col, col, "column %d for: %s (%s)", err.v[0].col, line, err.v[0].msg);
	cr_expect(strstr(err.v[0].msg, needle) != NULL, "message '%s' lacks '%s'", err.v[0].msg, needle);
}

/* GOOD with one line replaced (by text, first occurrence). */
static struct risk_rules *parse_replaced(const char *old, const char *new, struct risk_errors *err)
{
	char text[4096];
	const char *at = strstr(GOOD, old);
	cr_assert_not_null(at);
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD, new, at + strlen(old));
	return parse(text, err);
}

static int line_of(const char *needle)
{
	const char *at = strstr(GOOD, needle);
	return lines_in(GOOD) - lines_in(at) + 1;
}

Test(rules_parse, good_file_values)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD, &err);
	cr_assert_not_null(r, "%s", err.n ? err.v[0].msg : "");
	cr_expect_eq(r->rtt.rtt_days, 126);
	cr_expect_eq(r->rtt.grace_days, 7);
	cr_expect_eq(r->rtt.p1a_days, 1);
	cr_expect_eq(r->rtt.p1b_days, 3);
	cr_expect_eq(r->rtt.p2_days, 28);
	cr_expect_eq(r->rtt.p3_days, 91);
	cr_expect_eq(r->rtt.p4_days, 126);
	cr_expect_eq(r->tier_min[TIER_HIGH], 7);
	cr_expect_eq(r->tier_min[TIER_MEDIUM], 4);
	cr_expect_eq(r->tier_min[TIER_LOW], 0);
	cr_expect_eq(r->n, 2 + 5 + 10 + 3);
	const struct risk_rule *k = &r->rules[7];
	cr_expect_eq(k->kind, RK_POINTS);
	cr_expect_eq(k->factor, RF_AGE);
	cr_expect_eq(k->op, CMP_GE);
	cr_expect_eq(k->threshold, 80);
	cr_expect_eq(k->points, 3);
	cr_expect_eq(k->line, 10);
	cr_expect_str_eq(k->text, "points age >= 80 3");
	cr_expect_str_eq(r->rules[1].text, "breach grace_days 7"); /* comment left out */
	rtt_rules out;
	risk_rules_apply_rtt(r, &out);
	cr_expect_eq(out.p2_days, 28);
	risk_rules_free(r);
}

Test(rules_parse, shipped_file_is_valid)
{
	const char *path = "data/risk_rules.txt"; /* the tests run from the project folder */
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not found from this folder", path);
	struct risk_rules *r = risk_rules_load(path);
	cr_assert_not_null(r);
	cr_expect_eq(r->rtt.rtt_days, 126);
	cr_expect_eq(r->rtt.grace_days, 7);
	risk_rules_free(r);
}

Test(rules_parse, bad_lines)
{
	expect_bad_line("bogus 1 2", 1, "unknown rule");
	expect_bad_line("points height >= 3 1", 8, "unknown factor");
	expect_bad_line("points age => 80 3", 12, "bad operator");
	expect_bad_line("points age >= eighty 3", 15, "not a number");
	expect_bad_line("points age >= 1e2 3", 15, "not a number");
	expect_bad_line("points age >= 80 3.5", 18, "not a whole number");
	expect_bad_line("points age >= 80 99", 18, "out of range");
	expect_bad_line("points response < 1.5 2", 19, "out of range");
	expect_bad_line("points priority >= P2 1", 17, "cannot be used");
	expect_bad_line("points priority = P5 1", 19, "unknown priority");
	expect_bad_line("points community_care = maybe 1", 25, "'yes' or 'no'");
	expect_bad_line("points age >= 80", 18, "incomplete rule");
	expect_bad_line("breach grace_days 7 days", 21, "unexpected 'days'");
	expect_bad_line("breach rtt_days 120", 8, "duplicate 'breach rtt_days': already set on line 2");
	expect_bad_line("breach grace_days 7", 8, "duplicate");
	expect_bad_line("breach deadline 7", 8, "unknown breach setting");
	expect_bad_line("breach rtt_days x", 8, "duplicate"); /* a duplicate is reported before its value */
	expect_bad_line("target P5 10", 8, "unknown priority");
	expect_bad_line("target P2 28", 8, "duplicate 'target P2'");
	expect_bad_line("tier Highest >= 9", 6, "unknown tier");
	expect_bad_line("tier High > 9", 11, "bad operator");
	expect_bad_line("tier High >= 9", 6, "duplicate tier");
	expect_bad_line("points age >= 90 4", 8, "never applies: line 10");
	expect_bad_line("points age = 85 4", 8, "never applies");
	expect_bad_line("points priority = P2 1", 8, "never applies: line 19");
	expect_bad_line("points response < 0.6 1", 8, "never applies");
	/* Tier overrides by priority and the response minimum. */
	expect_bad_line("tier P1a Highest", 10, "unknown tier 'Highest'");
	expect_bad_line("tier P1a Low", 10, "never applies");
	expect_bad_line("tier none High", 6, "needs a clinical priority");
	expect_bad_line("tier P2 High 3", 14, "unexpected '3'");
	expect_bad_line("tier P2", 9, "incomplete rule");
	expect_bad_line("tier P1c High", 6, "unknown tier 'P1c'");
	expect_bad_line("minimum response_appointments", 31, "incomplete rule");
	expect_bad_line("minimum response_appointments three", 31, "not a whole number");
	expect_bad_line("minimum response_appointments 0", 31, "out of range (1..1000)");
	expect_bad_line("minimum response_appointments 1001", 31, "out of range");
	expect_bad_line("minimum response 3", 9, "unknown minimum 'response'");
	expect_bad_line("minimum response_appointments 3 4", 33, "unexpected '4'");
	/* The admissions look-back. */
	expect_bad_line("lookback admissions_days", 26, "incomplete rule");
	expect_bad_line("lookback admissions_days year", 26, "not a whole number of days");
	expect_bad_line("lookback admissions_days 0", 26, "out of range (1..3650)");
	expect_bad_line("lookback admissions 365", 10, "unknown lookback 'admissions'");
}

/* "lookback admissions_days DAYS" sets the window; without it, 365 days. */
Test(rules_parse, admissions_lookback)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD, &err);
	cr_assert_not_null(r);
	cr_expect_eq(r->admissions_days, 365);
	cr_expect_eq(r->admissions_days_line, 0);
	risk_rules_free(r);
	char text[4096];
	snprintf(text, sizeof text, "%s%s", GOOD, "lookback admissions_days 182   # six months\n");
	r = parse(text, &err);
	cr_assert_not_null(r, "%s", err.n ? err.v[0].msg : "");
	cr_expect_eq(r->admissions_days, 182);
	cr_expect_eq(r->admissions_days_line, lines_in(GOOD) + 1);
	const struct risk_rule *k = &r->rules[r->n - 1];
	cr_expect_str_eq(risk_kind_name(k->kind), "lookback");
	cr_expect_str_eq(k->name, "admissions_days");
	cr_expect_str_eq(k->text, "lookback admissions_days 182");
	risk_rules_free(r);
	snprintf(text, sizeof text, "%s%s", GOOD, "lookback admissions_days 182\nlookback admissions_days 90\n");
	cr_assert_null(parse(text, &err));
	cr_expect(strstr(err.v[0].msg, "duplicate 'lookback admissions_days'") != NULL, "%s", err.v[0].msg);
}

/* GOOD with the override and minimum lines of the shipped file. */
#define GOOD_OVERRIDES GOOD "tier P1a High\ntier P1b High   # urgent\nminimum response_appointments 3\n"

Test(rules_parse, overrides_and_minimum)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD, &err);
	cr_assert_not_null(r);
	for (int p = 0; p < PRIO_COUNT; p++) {
		cr_expect_eq(r->prio_floor[p], -1, "no override in GOOD");
		cr_expect_eq(r->prio_floor_line[p], 0);
	}
	cr_expect_eq(r->response_min_appointments, RISK_RESPONSE_MIN_DEFAULT);
	cr_expect_eq(r->response_min_line, 0);
	risk_rules_free(r);

	r = parse(GOOD_OVERRIDES, &err);
	cr_assert_not_null(r, "%s", err.n ? err.v[0].msg : "");
	int n = lines_in(GOOD);
	cr_expect_eq(r->prio_floor[PRIO_P1A], TIER_HIGH);
	cr_expect_eq(r->prio_floor[PRIO_P1B], TIER_HIGH);
	cr_expect_eq(r->prio_floor[PRIO_P2], -1);
	cr_expect_eq(r->prio_floor_line[PRIO_P1A], n + 1);
	cr_expect_eq(r->prio_floor_line[PRIO_P1B], n + 2);
	cr_expect_eq(r->response_min_appointments, 3);
	cr_expect_eq(r->response_min_line, n + 3);
	const struct risk_rule *k = &r->rules[r->n - 2];
	cr_expect_eq(k->kind, RK_OVERRIDE);
	cr_expect_str_eq(k->name, "P1b");
	cr_expect_str_eq(k->value, "High");
	cr_expect_str_eq(k->text, "tier P1b High");
	cr_expect_str_eq(risk_kind_name(k->kind), "override");
	k = &r->rules[r->n - 1];
	cr_expect_eq(k->kind, RK_MINIMUM);
	cr_expect_eq(k->points, 3);
	cr_expect_str_eq(risk_kind_name(k->kind), "minimum");
	risk_rules_free(r);

	/* Duplicates name the first line. */
	char text[4096];
	snprintf(text, sizeof text, "%s%s", GOOD_OVERRIDES, "tier P1a Medium\nminimum response_appointments 2\n");
	cr_assert_null(parse(text, &err));
	cr_expect_eq(err.n, 2);
	snprintf(text, sizeof text, "duplicate tier override for P1a: already set on line %d", n + 1);
	cr_expect(strstr(err.v[0].msg, text) != NULL, "%s", err.v[0].msg);
	cr_expect_eq(err.v[0].line, n + 4);
	cr_expect_eq(err.v[0].col, 6);
	snprintf(text, sizeof text, "already set on line %d", n + 3);
	cr_expect(strstr(err.v[1].msg, text) != NULL, "%s", err.v[1].msg);
}

Test(rules_parse, shipped_file_has_the_urgent_overrides)
{
	const char *path = "data/risk_rules.txt";
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not found from this folder", path);
	struct risk_rules *r = risk_rules_load(path);
	cr_assert_not_null(r);
	cr_expect_eq(r->prio_floor[PRIO_P1A], TIER_HIGH, "P1a must never sit in Low or Medium");
	cr_expect_eq(r->prio_floor[PRIO_P1B], TIER_HIGH);
	cr_expect_eq(r->response_min_appointments, 3);
	risk_rules_free(r);
}

Test(rules_parse, bad_values_on_their_own_line)
{
	struct risk_errors err;
	cr_assert_null(parse_replaced("breach rtt_days 126", "breach rtt_days 18w", &err));
	cr_expect_eq(err.v[0].line, 2);
	cr_expect_eq(err.v[0].col, 17);
	cr_assert_null(parse_replaced("target P3 91", "target P3 -1", &err));
	cr_expect_eq(err.v[0].line, line_of("target P3"));
	cr_expect(strstr(err.v[0].msg, "out of range") != NULL);
}

Test(rules_parse, missing_settings_and_tiers)
{
	struct risk_errors err;
	cr_assert_null(parse_replaced("tier Medium >= 4\n", "", &err));
	cr_expect_eq(err.n, 1);
	cr_expect(strstr(err.v[0].msg, "missing 'tier Medium") != NULL, "%s", err.v[0].msg);
	cr_expect_eq(err.v[0].line, lines_in(GOOD) - 1); /* the last line, one shorter */

	cr_assert_null(parse_replaced("breach grace_days 7   # one week\n", "", &err));
	cr_expect(strstr(err.v[0].msg, "missing 'breach grace_days") != NULL, "%s", err.v[0].msg);

	cr_assert_null(parse_replaced("target P4 126\n", "", &err));
	cr_expect(strstr(err.v[0].msg, "missing 'target P4") != NULL, "%s", err.v[0].msg);

	cr_assert_null(parse("", &err));
	cr_expect_eq(err.n, 2 + 5 + 3);
	cr_expect_eq(err.v[0].line, 1);
}

Test(rules_parse, tiers_must_classify_every_score)
{
	struct risk_errors err;
	cr_assert_null(parse_replaced("tier Low >= 0", "tier Low >= 1", &err));
	cr_expect_eq(err.v[0].line, line_of("tier Low"));
	cr_expect_eq(err.v[0].col, 13);
	cr_expect(strstr(err.v[0].msg, "unclassified") != NULL, "%s", err.v[0].msg);

	cr_assert_null(parse_replaced("tier Medium >= 4", "tier Medium >= 7", &err));
	cr_expect_eq(err.v[0].line, line_of("tier Medium"));
	cr_expect_eq(err.v[0].col, 16);
	cr_expect(strstr(err.v[0].msg, "must start below tier High") != NULL, "%s", err.v[0].msg);

	/* Negative points lower the lowest possible score. */
	struct risk_rules *r = parse_replaced("points community_care = yes 1", "points community_care = yes -2", &err);
	cr_assert_null(r);
	cr_expect(strstr(err.v[0].msg, "lowest possible score is -2") != NULL, "%s", err.v[0].msg);
	r = parse_replaced("tier Low >= 0", "tier Low >= -2", &err);
	cr_assert_not_null(r);
	risk_rules_free(r);
}

Test(rules_parse, every_bad_line_is_reported)
{
	char text[4096];
	snprintf(text, sizeof text, "%s%s", GOOD, "points age >= old 1\nnonsense\n");
	struct risk_errors err;
	cr_assert_null(parse(text, &err));
	cr_expect_eq(err.n, 2);
	cr_expect_eq(err.v[0].line, lines_in(GOOD) + 1);
	cr_expect_eq(err.v[1].line, lines_in(GOOD) + 2);
}

static char bad_path[64];

static void write_bad_file(void)
{
	strcpy(bad_path, "/tmp/medimart-rules-XXXXXX");
	int fd = mkstemp(bad_path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(GOOD "points age >= sixty 1\n", f);
	fclose(f);
	cr_redirect_stderr();
}

static void remove_bad_file(void)
{
	unlink(bad_path);
}

Test(rules_load, prints_file_line_col, .init = write_bad_file, .fini = remove_bad_file)
{
	cr_assert_null(risk_rules_load(bad_path));
	fflush(stderr);
	char want[256];
	snprintf(want, sizeof want, "medimart: %s:%d:15: error: 'sixty' is not a number\n", bad_path,
		 lines_in(GOOD) + 1);
	cr_expect_stderr_eq_str(want);
}

Test(rules_load, missing_file, .init = cr_redirect_stderr)
{
	cr_assert_null(risk_rules_load("/nonexistent/risk_rules.txt"));
}

/* An endless input (a device) stops at the size cap with a clear error,
 * instead of reading until memory runs out. */
Test(rules_load, endless_file_is_capped, .init = cr_redirect_stderr, .timeout = 20)
{
	cr_assert_null(risk_rules_load("/dev/zero"));
	fflush(stderr);
	cr_expect_stderr_eq_str("medimart: /dev/zero: error: the risk rules are larger than 1048576 bytes; "
				"this is not a rules file\n");
}

/* Scoring. */

static struct risk_rules *good(void)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD, &err);
	cr_assert_not_null(r);
	return r;
}

static struct risk_inputs nobody(void)
{
	return (struct risk_inputs){INT_NULL, INT_NULL, INT_NULL, NAN, -1, PRIO_NONE, INT_NULL};
}

Test(risk_score, age_boundaries)
{
	struct risk_rules *r = good();
	struct risk_inputs in = nobody();
	int pts[RF_COUNT], hit[RF_COUNT];
	int64_t ages[] = {80, 79, 65, 64, 0, 105};
	int want[] = {3, 2, 2, 0, 0, 3};
	for (int i = 0; i < 6; i++) {
		in.age = ages[i];
		cr_expect_eq(risk_score_patient(r, &in, pts, hit), want[i], "age %lld", (long long)ages[i]);
		cr_expect_eq(pts[RF_AGE], want[i]);
	}
	in.age = 80;
	risk_score_patient(r, &in, pts, hit);
	cr_expect_eq(hit[RF_AGE], 7); /* the "age >= 80" line, not "age >= 65" */
	cr_expect_eq(hit[RF_RESPONSE], -1);
	risk_rules_free(r);
}

Test(risk_score, response_boundaries)
{
	struct risk_rules *r = good();
	struct risk_inputs in = nobody();
	int pts[RF_COUNT];
	in.appointments = 3;
	in.response = 0.6;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0, "exactly 0.6 is not below 0.6");
	in.response = 3.0 / 5.0; /* (2 attended + 1) / (3 past + 2) */
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0);
	in.response = 0.5999;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 2);
	cr_expect_eq(pts[RF_RESPONSE], 2);
	in.response = NAN; /* no history */
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0);
	risk_rules_free(r);
}

Test(risk_score, factors_and_unknowns)
{
	struct risk_rules *r = good();
	struct risk_inputs in = nobody();
	int pts[RF_COUNT];
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0, "unknown values score nothing");
	in = (struct risk_inputs){82, 3, 2, 0.2, 1, PRIO_P1A, 5};
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 3 + 3 + 3 + 2 + 1 + 3);
	in = (struct risk_inputs){40, 1, 1, 0.9, 0, PRIO_P2, 5};
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0 + 1 + 2 + 0 + 0 + 2);
	cr_expect_eq(pts[RF_COMORBIDITIES], 1);
	cr_expect_eq(pts[RF_ADMISSIONS], 2);
	cr_expect_eq(pts[RF_COMMUNITY], 0);
	cr_expect_eq(pts[RF_PRIORITY], 2);
	in.priority = PRIO_P3;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 3);
	risk_rules_free(r);
}

Test(risk_score, tiers)
{
	struct risk_rules *r = good();
	cr_expect_eq(risk_tier_of(r, 7), TIER_HIGH);
	cr_expect_eq(risk_tier_of(r, 6), TIER_MEDIUM);
	cr_expect_eq(risk_tier_of(r, 4), TIER_MEDIUM);
	cr_expect_eq(risk_tier_of(r, 3), TIER_LOW);
	cr_expect_eq(risk_tier_of(r, 0), TIER_LOW);
	cr_expect_str_eq(risk_tier_name(TIER_HIGH), "High");
	cr_expect_str_eq(risk_tier_name(TIER_LOW), "Low");
	risk_rules_free(r);
}

/* Hand-computed: with the minimum at 3, one missed appointment out of one
 * (likelihood (0 + 1) / (1 + 2) = 0.33) or two ((1 + 1) / (2 + 2) = 0.5)
 * scores nothing; two missed out of three ((1 + 1) / (3 + 2) = 0.4) scores 2. */
Test(risk_score, response_needs_the_minimum_of_appointments)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD_OVERRIDES, &err);
	cr_assert_not_null(r);
	struct risk_inputs in = nobody();
	int pts[RF_COUNT], hit[RF_COUNT];
	in.appointments = 1;
	in.response = 1.0 / 3.0;
	cr_expect_eq(risk_score_patient(r, &in, pts, hit), 0, "1 of 1 missed: below the minimum");
	cr_expect_eq(hit[RF_RESPONSE], -1);
	in.appointments = 2;
	in.response = 0.5;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0, "1 of 2 missed: below the minimum");
	in.appointments = 3;
	in.response = 0.4;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 2, "2 of 3 missed: scores");
	in.appointments = INT_NULL;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0, "unknown count: unknown response");
	risk_rules_free(r);
	/* Without the line, one appointment is enough (the old behaviour). */
	r = good();
	in.appointments = 1;
	in.response = 1.0 / 3.0;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 2);
	in.appointments = 0;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0);
	risk_rules_free(r);
}

/* A P1b patient scoring 3 (age 70: 2, one comorbidity group: 1; priority
 * P1b has no points in GOOD) is Low by score, High by the override; a P2
 * patient of the same score stays Low. */
Test(risk_score, priority_override_raises_the_tier)
{
	struct risk_errors err;
	struct risk_rules *r = parse(GOOD_OVERRIDES, &err);
	cr_assert_not_null(r);
	struct risk_inputs in = nobody();
	int pts[RF_COUNT], over = -1;
	in.age = 70;
	in.comorbidities = 1;
	in.priority = PRIO_P1B;
	int score = risk_score_patient(r, &in, pts, NULL);
	cr_expect_eq(score, 3);
	cr_expect_eq(risk_tier_of(r, score), TIER_LOW);
	cr_expect_eq(risk_tier_final(r, score, PRIO_P1B, &over), TIER_HIGH);
	cr_expect_eq(over, 1);
	cr_expect_eq(risk_tier_final(r, score, PRIO_P2, &over), TIER_LOW);
	cr_expect_eq(over, 0);
	/* Already High by score: the override does not claim it. */
	cr_expect_eq(risk_tier_final(r, 9, PRIO_P1A, &over), TIER_HIGH);
	cr_expect_eq(over, 0);
	cr_expect_eq(risk_tier_final(r, 5, PRIO_P1A, &over), TIER_HIGH);
	cr_expect_eq(over, 1);
	cr_expect_eq(risk_tier_final(r, 5, PRIO_NONE, NULL), TIER_MEDIUM);
	risk_rules_free(r);
	/* A Medium override lifts Low to Medium but leaves High alone. */
	char text[4096];
	snprintf(text, sizeof text, "%s%s", GOOD, "tier P2 Medium\n");
	r = parse(text, &err);
	cr_assert_not_null(r);
	cr_expect_eq(risk_tier_final(r, 1, PRIO_P2, &over), TIER_MEDIUM);
	cr_expect_eq(over, 1);
	cr_expect_eq(risk_tier_final(r, 8, PRIO_P2, &over), TIER_HIGH);
	cr_expect_eq(over, 0);
	risk_rules_free(r);
}

Test(risk_score, not_equal_matches_no_priority)
{
	struct risk_errors err;
	struct risk_rules *r = parse_replaced("points priority = P2 2", "points priority != P4 2", &err);
	cr_assert_not_null(r, "%s", err.v[0].msg);
	struct risk_inputs in = nobody();
	int pts[RF_COUNT];
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 2, "none != P4");
	in.priority = PRIO_P4;
	cr_expect_eq(risk_score_patient(r, &in, pts, NULL), 0);
	risk_rules_free(r);
}

/* RTT bands and the breach rule: tests/test_rtt.c. */

Test(rtt, leap_year_wait)
{
	int32_t start = days_from_civil(2024, 2, 29), census = days_from_civil(2024, 8, 31);
	cr_expect_eq(rtt_wait_days(start, census), 184);
	cr_expect_eq(rtt_wait_days(days_from_civil(2023, 2, 28), days_from_civil(2023, 8, 31)), 184);
	cr_expect_eq(rtt_wait_days(days_from_civil(2023, 8, 31), days_from_civil(2024, 8, 31)), 366);
}
