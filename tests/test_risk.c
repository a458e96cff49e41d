/* The risk factors, the tier override, the sensitivity rows and the equity
 * figures on a tiny hand-made list (tests/fixtures/risk_basic), census
 * 2024-06-30, scored with the shipped rules (data/risk_rules.txt). Every
 * expected figure is worked out by hand below.
 *
 *   patient sex age band   factors                                   score tier
 *   P1      F   66  60-69  age 2; admissions 2 unplanned (E3, E5): 3   5  Medium
 *   P2      F   45  40-59  5 condition groups after the hierarchy: 3   3  Low
 *   P3      M   45  40-59  response 0.5 from 2 appointments: 0         0  Low
 *   P4      M   45  40-59  response 0.4 from 3 appointments: 2         2  Low
 *   P5      F   75  70-79  age 2, 3 groups 3, urgent care 2, plan 1    8  High
 *   P6      M   45  40-59  lifestyle plan only: 0                      0  Low
 *   P7      M   70  70-79  age 2, P1b 3                                5  High (override; Medium by score)
 *   P8      F   85  80+    age 3                                       3  Low
 *
 * Open pathways and waits (census - referral): W1 P1 91, W2 P2 30, W3 P3 61,
 * W4 P4 71, W5 P5 182, W6 P6 20, W7 P7 40, W8 P8 122; W1B (P1, IRTT, TCI
 * and clock stop 2024-04-10) is closed. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "helpers.h"
#include "run_models.h"
#include "load/load.h"
#include "run/run.h"
#include "models/rules/risk_rules.h"
#include "util/date.h"
#include "util/diag.h"

#define EPS 1e-9
#define FIX "tests/fixtures/risk_basic"


/* Loads the fixture with the seeds of seed_dir and runs every model with
 * its data tests. Returns what models_run returned. */
static int run_with_seeds(run *x, const char *seed_dir)
{
	return run_models(x, FIX, seed_dir, "2024-06-30");
}

/* The fixture with the shipped seeds: every model builds, every data test passes. */
static void run_fixture(run *x)
{
	run_expect_clean(x, run_with_seeds(x, "data"));
}


/* The row of t whose column a holds va (and b holds vb, when b is given). */
static size_t row_of(const mm_table *t, const char *a, const char *va, const char *b, const char *vb)
{
	int ca = col(t, a), cb = b ? col(t, b) : -1;
	for (size_t r = 0; r < t->nrows; r++)
		if (!tbl_isnull(t, ca, r) && !strcmp(tbl_str(t, ca, r), va) &&
		    (cb < 0 || (!tbl_isnull(t, cb, r) && !strcmp(tbl_str(t, cb, r), vb))))
			return r;
	cr_assert_fail("%s has no row %s=%s %s=%s", t->name, a, va, b ? b : "", vb ? vb : "");
	return 0;
}

static double num(const mm_table *t, size_t r, const char *c)
{
	return tbl_value(t, col(t, c), r);
}

static const char *str(const mm_table *t, size_t r, const char *c)
{
	int k = col(t, c);
	if (tbl_isnull(t, k, r))
		return "(null)";
	if (t->cols[k].type == T_BOOL)
		return tbl_bool(t, k, r) ? "true" : "false";
	return tbl_str(t, k, r);
}

static size_t patient(run *x, const char *model, const char *id)
{
	return row_of(ctx_table(&x->ctx, model), "patient_id", id, NULL, NULL);
}

/* E1 (elective procedure) and E2 (on the TCI date of IRTT pathway W1B) are
 * planned; E3 (emergency) and E5 (inpatient, no link) are not; E4 is on
 * census - 365, outside the window. Counting every inpatient stay, as
 * before, gave 4 admissions. */
Test(risk_factors, admissions_planned_and_unplanned)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "int_patient_admissions");
	size_t r = patient(&x, "int_patient_admissions", "P1");
	cr_expect_eq(num(t, r, "emergency_admissions_12m"), 1);
	cr_expect_eq(num(t, r, "inpatient_stays_12m"), 3);
	cr_expect_eq(num(t, r, "planned_admissions_12m"), 2);
	cr_expect_eq(num(t, r, "recent_admissions"), 2);
	r = patient(&x, "int_patient_admissions", "P5");
	cr_expect_eq(num(t, r, "recent_admissions"), 1, "urgent care counts as unplanned");
	mm_table *c = ctx_table(&x.ctx, "dim_risk_cohort");
	r = patient(&x, "dim_risk_cohort", "P1");
	cr_expect_eq(num(c, r, "recent_admissions"), 2);
	cr_expect_eq(num(c, r, "pts_admissions"), 3);
	run_free(&x);
}

/* P2: diabetes under diabetes_complicated, mild under severe liver disease,
 * the breast malignancy under the metastatic tumour; hyperlipidaemia is not
 * counted; the colon malignancy ended before the census. Without the
 * hierarchy and with hyperlipidaemia it would be 9 groups. P5: hypertension,
 * cardiac arrhythmia and depression are three Elixhauser groups (once one
 * "other" group); osteoporosis is not counted. */
Test(risk_factors, comorbidity_hierarchy_and_groups)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "int_patient_comorbidities");
	size_t r = patient(&x, "int_patient_comorbidities", "P2");
	cr_expect_eq(num(t, r, "comorbidity_count"), 5);
	cr_expect_str_eq(str(t, r, "groups"), "cardiac_arrhythmia;diabetes_complicated;hypertension;"
					      "metastatic_solid_tumour;severe_liver_disease");
	cr_expect_str_eq(str(t, r, "superseded_groups"), "diabetes;malignancy;mild_liver_disease");
	cr_expect_str_eq(str(t, r, "uncounted_groups"), "hyperlipidaemia");
	r = patient(&x, "int_patient_comorbidities", "P5");
	cr_expect_eq(num(t, r, "comorbidity_count"), 3);
	cr_expect_str_eq(str(t, r, "groups"), "cardiac_arrhythmia;depression;hypertension");
	cr_expect_str_eq(str(t, r, "uncounted_groups"), "osteoporosis");
	cr_expect_str_eq(str(t, r, "superseded_groups"), "(null)");
	mm_table *c = ctx_table(&x.ctx, "dim_risk_cohort");
	cr_expect_eq(num(c, patient(&x, "dim_risk_cohort", "P2"), "pts_comorbidity"), 3);
	cr_expect_eq(num(c, patient(&x, "dim_risk_cohort", "P5"), "pts_comorbidity"), 3);
	run_free(&x);
}

/* P3: attended, DNA, two patient cancellations, one hospital cancellation:
 * 2 appointments count, likelihood (1 + 1) / (2 + 2) = 0.5, below the
 * minimum of 3: no points (with cancellations as misses it was (1 + 1) /
 * (4 + 2) = 0.33 and 2 points). P4: attended, DNA, arrived too late to be
 * seen: 3 appointments, 2 missed, (1 + 1) / (3 + 2) = 0.4: 2 points. */
Test(risk_factors, response_minimum_and_cancellations)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "int_patient_engagement");
	size_t r = patient(&x, "int_patient_engagement", "P3");
	cr_expect_eq(num(t, r, "appointments_past"), 2);
	cr_expect_eq(num(t, r, "dnas"), 1);
	cr_expect_eq(num(t, r, "missed"), 1);
	cr_expect_eq(num(t, r, "patient_cancellations"), 2);
	cr_expect_float_eq(num(t, r, "response_likelihood"), 0.5, EPS);
	r = patient(&x, "int_patient_engagement", "P4");
	cr_expect_eq(num(t, r, "appointments_past"), 3);
	cr_expect_eq(num(t, r, "dnas"), 1);
	cr_expect_eq(num(t, r, "missed"), 2);
	cr_expect_float_eq(num(t, r, "response_likelihood"), 0.4, EPS);
	mm_table *c = ctx_table(&x.ctx, "dim_risk_cohort");
	r = patient(&x, "dim_risk_cohort", "P3");
	cr_expect_eq(num(c, r, "response_appointments"), 2);
	cr_expect_eq(num(c, r, "pts_response"), 0);
	r = patient(&x, "dim_risk_cohort", "P4");
	cr_expect_eq(num(c, r, "pts_response"), 2);
	run_free(&x);
}

/* P5's active dementia management plan is community care; P6 has only a
 * lifestyle plan active (the hospice plan ended before the census). */
Test(risk_factors, community_plans_only)
{
	run x;
	run_fixture(&x);
	mm_table *c = ctx_table(&x.ctx, "dim_risk_cohort");
	size_t r = patient(&x, "dim_risk_cohort", "P5");
	cr_expect_str_eq(str(c, r, "community_care"), "true");
	cr_expect_eq(num(c, r, "pts_community"), 1);
	r = patient(&x, "dim_risk_cohort", "P6");
	cr_expect_str_eq(str(c, r, "community_care"), "false");
	cr_expect_eq(num(c, r, "pts_community"), 0);
	run_free(&x);
}

Test(risk_factors, scores_tiers_and_priority_override)
{
	run x;
	run_fixture(&x);
	mm_table *c = ctx_table(&x.ctx, "dim_risk_cohort");
	static const struct {
		const char *id;
		int score;
		const char *score_tier, *tier, *override;
	} want[] = {
		{"P1", 5, "Medium", "Medium", "false"}, {"P2", 3, "Low", "Low", "false"},
		{"P3", 0, "Low", "Low", "false"},       {"P4", 2, "Low", "Low", "false"},
		{"P5", 8, "High", "High", "false"},     {"P6", 0, "Low", "Low", "false"},
		{"P7", 5, "Medium", "High", "true"},    {"P8", 3, "Low", "Low", "false"},
	};
	cr_assert_eq(c->nrows, 8);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t r = patient(&x, "dim_risk_cohort", want[i].id);
		cr_expect_eq(num(c, r, "risk_score"), want[i].score, "%s score", want[i].id);
		cr_expect_str_eq(str(c, r, "score_tier"), want[i].score_tier, "%s", want[i].id);
		cr_expect_str_eq(str(c, r, "risk_tier"), want[i].tier, "%s", want[i].id);
		cr_expect_str_eq(str(c, r, "tier_from_override"), want[i].override, "%s", want[i].id);
	}
	mm_table *rules = ctx_table(&x.ctx, "dim_risk_rules");
	size_t r = row_of(rules, "kind", "override", "factor", "P1b");
	cr_expect_str_eq(str(rules, r, "threshold"), "High");
	r = row_of(rules, "kind", "minimum", NULL, NULL);
	cr_expect_str_eq(str(rules, r, "factor"), "response_appointments");
	cr_expect_str_eq(str(rules, r, "threshold"), "3");
	run_free(&x);
}

/* Scores 5 5 3 3 2 0 0 8 (P7 held High by its override). */
Test(risk_sensitivity, thresholds_cutoffs_and_reasons)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "fct_risk_sensitivity");
	/* Medium >= 3: P2 and P8 (score 3) move from Low to Medium. */
	size_t r = row_of(t, "variant", "tier Medium >= 3", NULL, NULL);
	cr_expect_str_eq(str(t, r, "parameter"), "tier");
	cr_expect_float_eq(num(t, r, "delta"), -1, EPS);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 2);
	cr_expect_eq(num(t, r, "change_medium"), 2);
	cr_expect_eq(num(t, r, "change_low"), -2);
	cr_expect_eq(num(t, r, "medium"), 3);
	cr_expect_str_eq(str(t, r, "reason"), "(null)");
	/* High >= 6: nobody scores 6. */
	r = row_of(t, "variant", "tier High >= 6", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 0);
	cr_expect_eq(num(t, r, "patients_rescored"), 0);
	cr_expect(strstr(str(t, r, "reason"), "no patient's score is at the cut-off") != NULL, "%s", str(t, r, "reason"));
	/* age >= 79: nobody is 79. */
	r = row_of(t, "variant", "age >= 79 (3 points)", NULL, NULL);
	cr_expect_str_eq(str(t, r, "parameter"), "threshold");
	cr_expect_eq(num(t, r, "patients_changing_tier"), 0);
	cr_expect_str_eq(str(t, r, "reason"), "no patient's age lies between 80 and 79, so nobody's points change");
	/* age >= 66 (2 points): P1 is 66 and keeps the points; >= 64: nobody is 64 or 65. */
	r = row_of(t, "variant", "age >= 66 (2 points)", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_rescored"), 0);
	/* response < 0.65: P3's 0.5 is under the minimum anyway; P4 already scores. */
	r = row_of(t, "variant", "response < 0.65 (2 points)", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_rescored"), 0);
	/* minimum 2: P3 (2 appointments, 0.5) now scores 2, still Low. */
	r = row_of(t, "variant", "minimum response_appointments 2", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_rescored"), 1);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 0);
	cr_expect(strstr(str(t, r, "reason"), "none crosses a tier cut-off") != NULL, "%s", str(t, r, "reason"));
	/* Nobody is P1a. */
	r = row_of(t, "variant", "priority = P1a (2 points)", NULL, NULL);
	cr_expect_str_eq(str(t, r, "reason"), "no patient matches this rule: nobody's most urgent priority is P1a");
	/* P7 is P1b and held in High by the override whatever its points. */
	r = row_of(t, "variant", "priority = P1b (2 points)", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_rescored"), 1);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 0);
	cr_expect(strstr(str(t, r, "reason"), "through a tier override") != NULL, "%s", str(t, r, "reason"));
	/* age >= 65 (3 points): P1 6, P7 6 (High anyway), P5 9: nobody moves;
	 * (1 point): P1 4 stays Medium, P5 7 stays High. */
	r = row_of(t, "variant", "age >= 65 (1 point)", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_rescored"), 3);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 0);
	/* comorbidities >= 3 (2 points): P5 7 stays High; P2 2 stays Low. (4
	 * points): P2 4 becomes Medium. */
	r = row_of(t, "variant", "comorbidities >= 3 (4 points)", NULL, NULL);
	cr_expect_eq(num(t, r, "patients_changing_tier"), 1);
	cr_expect_eq(num(t, r, "change_medium"), 1);
	run_free(&x);
}

/* 8 patients, 2 High (P5, P7). Wilson 95%: p = 0.25, n = 8, z = 1.96:
 * centre (0.25 + z^2/16) / (1 + z^2/8) = 0.4901 / 1.4802 = 0.33110,
 * half z / (1 + z^2/8) * sqrt(0.25 * 0.75 / 8 + z^2 / 256) = 0.25962,
 * so 7.148% to 59.072%. Age strata of all patients: 40-59 4, 60-69 1,
 * 70-79 2, 80+ 1. Women (P1 P2 P5 P8, one of each stratum, P5 High):
 * crude 25%, standardised 2/8 = 25%. Men (P3 P4 P6 in 40-59, none High;
 * P7 in 70-79, High): crude 25%, standardised (4/8 * 0 + 2/8 * 1) / (6/8)
 * = 33.3%. */
Test(risk_equity, wilson_standardisation_and_drivers)
{
	run x;
	run_fixture(&x);
	mm_table *t = ctx_table(&x.ctx, "fct_equity");
	size_t r = row_of(t, "dimension", "all", NULL, NULL);
	cr_expect_eq(num(t, r, "patients"), 8);
	cr_expect_eq(num(t, r, "high_risk"), 2);
	cr_expect_float_eq(num(t, r, "pct_high_risk"), 25, EPS);
	cr_expect_float_eq(num(t, r, "high_risk_ci_low"), 7.1479, 1e-3);
	cr_expect_float_eq(num(t, r, "high_risk_ci_high"), 59.0725, 1e-3);
	cr_expect_float_eq(num(t, r, "pct_high_risk_age_std"), 25, EPS);
	cr_expect_str_eq(str(t, r, "too_small"), "true");
	cr_expect_str_eq(str(t, r, "reading_note"), "fewer than 30 patients: too few to read");
	cr_expect_str_eq(str(t, r, "main_driver"), "(null)");
	cr_expect_float_eq(num(t, r, "pct_pts_age"), 50, EPS);
	cr_expect_float_eq(num(t, r, "pct_pts_response"), 12.5, EPS);

	r = row_of(t, "dimension", "sex", "group_value", "Female");
	cr_expect_float_eq(num(t, r, "pct_high_risk"), 25, EPS);
	cr_expect_float_eq(num(t, r, "pct_high_risk_age_std"), 25, EPS);
	/* Age 75%, conditions 50%, admissions 50% against 50, 25, 25: a tie of
	 * +25 points; the first factor in score order wins. */
	cr_expect_str_eq(str(t, r, "main_driver"), "age");
	r = row_of(t, "dimension", "sex", "group_value", "Male");
	cr_expect_float_eq(num(t, r, "pct_high_risk"), 25, EPS);
	cr_expect_float_eq(num(t, r, "pct_high_risk_age_std"), 100.0 / 3, 1e-9);
	/* Response 25% against 12.5%, priority 25% against 12.5%: response first. */
	cr_expect_str_eq(str(t, r, "main_driver"), "response");

	/* Waits: High W5 182, W7 40 -> nearest rank 1 of 2 = 40; Low 20 30 61
	 * 71 122 -> rank 3 = 61. */
	r = row_of(t, "dimension", "risk_tier", "group_value", "High");
	cr_expect_float_eq(num(t, r, "median_wait_days"), 40, EPS);
	cr_expect_float_eq(num(t, r, "median_wait_weeks"), 5.7, EPS);
	cr_expect(strstr(str(t, r, "wait_finding"), "waited less time") != NULL, "%s", str(t, r, "wait_finding"));
	r = row_of(t, "dimension", "risk_tier", "group_value", "Low");
	cr_expect_float_eq(num(t, r, "median_wait_days"), 61, EPS);
	cr_expect_str_eq(str(t, r, "wait_finding"), "(null)");
	run_free(&x);
}

/* A copy of the shipped seeds in a new folder, with comorbidities.csv
 * replaced by text. Caller removes it (th_rmtree) and frees the name. */
static char *seeds_with_comorbidities(const char *text)
{
	char *dir = th_mkdtemp("risk-seeds");
	cr_assert_not_null(dir);
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!source_tables[i].seed)
			continue;
		char *from = th_path("data", source_tables[i].file), *to = th_path(dir, source_tables[i].file);
		size_t n;
		char *body = strcmp(source_tables[i].file, "comorbidities.csv") ? th_read_file(from, &n) : strdup(text);
		cr_assert_not_null(body, "%s", from);
		cr_assert_eq(th_write_file(to, body, strlen(body)), 0);
		free(body);
		free(from);
		free(to);
	}
	return dir;
}

/* A bad hierarchy in the seed stops the run and names the file. */
Test(risk_factors, bad_comorbidity_hierarchy_is_an_error)
{
	static const struct {
		const char *seed, *msg;
	} cases[] = {
		{"SNOMED_CODE,GROUP,DESCRIPTION,SUPERSEDES,COUNTED\n44054006,diabetes,D,,yes\n"
		 "368581000119106,diabetes_complicated,DC,diabetic,yes\n",
		 "group 'diabetes_complicated' supersedes 'diabetic', which is not a GROUP of the seed"},
		{"SNOMED_CODE,GROUP,DESCRIPTION,SUPERSEDES,COUNTED\n44054006,diabetes,D,diabetes_complicated,yes\n"
		 "368581000119106,diabetes_complicated,DC,diabetes,yes\n",
		 "groups 'diabetes_complicated' and 'diabetes' supersede each other"},
		{"SNOMED_CODE,GROUP,DESCRIPTION,SUPERSEDES,COUNTED\n44054006,diabetes,D,diabetes,yes\n",
		 "group 'diabetes' supersedes itself"},
		{"SNOMED_CODE,GROUP,DESCRIPTION,SUPERSEDES,COUNTED\n59621000,hypertension,H,,yes\n"
		 "1201005,hypertension,H2,,no\n",
		 "the rows of group 'hypertension' disagree on COUNTED"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *dir = seeds_with_comorbidities(cases[i].seed);
		run x;
		th_capture cap;
		cr_assert_eq(th_capture_start(&cap), 0);
		int rc = run_with_seeds(&x, dir);
		char *err = th_capture_end(&cap);
		cr_expect_eq(rc, EXIT_INPUT, "case %zu: models_run returned %d", i, rc);
		cr_expect_not_null(strstr(err, cases[i].msg), "case %zu: stderr lacks \"%s\": %s", i, cases[i].msg, err);
		cr_expect_not_null(strstr(err, "/comorbidities.csv"), "case %zu: the seed is named: %s", i, err);
		free(err);
		run_free(&x);
		th_rmtree(dir);
		free(dir);
	}
}

/* An older seed without SUPERSEDES and COUNTED still loads: every group
 * counts, none supersedes another (P2: 9 groups, as before the hierarchy). */
Test(risk_factors, seed_without_hierarchy_columns)
{
	size_t n;
	char *old = th_read_file("data/comorbidities.csv", &n);
	cr_assert_not_null(old);
	/* Keep the first three columns of every line. */
	char *text = malloc(n + 1), *o = text;
	for (const char *p = old; *p;) {
		int commas = 0;
		for (; *p && *p != '\n'; p++) {
			commas += *p == ',';
			if (commas < 3)
				*o++ = *p;
		}
		if (*p == '\n')
			*o++ = *p++;
	}
	*o = '\0';
	free(old);
	char *dir = seeds_with_comorbidities(text);
	free(text);
	run x;
	int rc = run_with_seeds(&x, dir);
	cr_assert_eq(rc, 0);
	mm_table *t = ctx_table(&x.ctx, "int_patient_comorbidities");
	size_t r = patient(&x, "int_patient_comorbidities", "P2");
	cr_expect_eq(num(t, r, "comorbidity_count"), 9);
	cr_expect_str_eq(str(t, r, "superseded_groups"), "(null)");
	run_free(&x);
	th_rmtree(dir);
	free(dir);
}
