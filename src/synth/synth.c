/* medimart synth: the driver. Two passes over the same patients (each
 * patient has its own random stream, so both see the same people): a
 * sizing pass without output counts the bookings each site x treatment
 * function x session type wants in every four weeks, and the capacity plan
 * is sized to them; the second pass generates every patient in turn, books
 * appointments into the plan and streams the rows out. The plan and the
 * organisations are written last, with their counts. */
#include "synth/synth_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const struct {
	const char *file, *header;
} tables[NOUT] = {
	[O_PATIENTS] = {"patients.csv",
			"Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,"
			"ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,"
			"HEALTHCARE_COVERAGE,INCOME,IMD_DECILE"},
	[O_ENCOUNTERS] = {"encounters.csv",
			  "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,"
			  "BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION"},
	[O_CONDITIONS] = {"conditions.csv", "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION"},
	[O_PROCEDURES] = {"procedures.csv",
			  "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION"},
	[O_CAREPLANS] = {"careplans.csv",
			 "Id,START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,REASONCODE,REASONDESCRIPTION"},
	[O_WAITING] = {"waiting_list.csv",
		       "PATHWAY_ID,PATIENT,ORGANIZATION,PROVIDER,TREATMENT_FUNCTION,WAITING_LIST_TYPE,PRIORITY,"
		       "PRIORITY_TYPE,REFERRAL_DATE,RTT_START_DATE,DECISION_TO_ADMIT_DATE,PRIORITY_DATE,TCI_DATE,"
		       "CLOCK_STOP_DATE,CLOCK_STOP_REASON,PROCEDURE_CODE,PROCEDURE_DESCRIPTION,LAST_VALIDATION_DATE"},
	[O_APPTS] = {"appointments.csv",
		     "Id,PATHWAY_ID,PATIENT,ORGANIZATION,PROVIDER,SESSION_ID,TYPE,SLOT_START,BOOKED_AT,ATTENDANCE,"
		     "CANCELLED_AT,CANCELLATION_REASON,ENCOUNTER"},
	[O_SESSIONS] = {"sessions.csv",
			"Id,ORGANIZATION,TREATMENT_FUNCTION,SESSION_TYPE,DATE,PLANNED_SLOTS,STATUS,CANCELLATION_REASON"},
	[O_ORGS] = {"organizations.csv", "Id,NAME,ADDRESS,CITY,STATE,ZIP,LAT,LON,PHONE,REVENUE,UTILIZATION"},
	[O_PROVIDERS] = {"providers.csv",
			 "Id,ORGANIZATION,NAME,GENDER,SPECIALITY,ADDRESS,CITY,STATE,ZIP,LAT,LON,UTILIZATION"},
	[O_HIER] = {"org_hierarchy.csv", "SITE_ID,SITE_CODE,SITE_NAME,TRUST_CODE,TRUST_NAME,ICS_CODE,ICS_NAME"},
	[O_PAYERS] = {"payers.csv",
		      "Id,NAME,ADDRESS,CITY,STATE_HEADQUARTERED,ZIP,PHONE,AMOUNT_COVERED,AMOUNT_UNCOVERED,REVENUE,"
		      "COVERED_ENCOUNTERS,UNCOVERED_ENCOUNTERS,COVERED_MEDICATIONS,UNCOVERED_MEDICATIONS,"
		      "COVERED_PROCEDURES,UNCOVERED_PROCEDURES,COVERED_IMMUNIZATIONS,UNCOVERED_IMMUNIZATIONS,"
		      "UNIQUE_CUSTOMERS,QOLS_AVG,MEMBER_MONTHS"},
};

static int fail(const char *path, const char *what, int err)
{
	fprintf(stderr, "medimart: %s: error: %s%s%s\n", path, what, err ? ": " : "", err ? strerror(err) : "");
	return 2;
}

/* mkdir -p */
static int make_dir(const char *path)
{
	size_t n = strlen(path);
	char *p = malloc(n + 1);
	if (!p)
		return ENOMEM;
	memcpy(p, path, n + 1);
	int err = 0;
	for (size_t i = 1; i <= n && !err; i++) {
		if (p[i] != '/' && p[i] != 0)
			continue;
		char c = p[i];
		p[i] = 0;
		if (mkdir(p, 0777) && errno != EEXIST)
			err = errno;
		p[i] = c;
	}
	struct stat st;
	if (!err && stat(path, &st))
		err = errno;
	else if (!err && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	free(p);
	return err;
}

static void write_payer(struct synth *S, int64_t covered)
{
	struct out *o = &S->out[O_PAYERS];
	sy_out_uid(o, S->payer_id);
	sy_out_str(o, ",National Health Service,,,UnitedKingdom,,,");
	sy_out_money(o, covered);
	sy_out_str(o, ",0.00,0.00,");
	sy_out_int(o, (int64_t)S->out[O_ENCOUNTERS].rows);
	sy_out_str(o, ",0,0,0,");
	sy_out_int(o, (int64_t)S->out[O_PROCEDURES].rows);
	sy_out_str(o, ",0,0,0,");
	sy_out_int(o, S->n);
	sy_out_str(o, ",NaN,");
	sy_out_int(o, (int64_t)S->n * S->o->months);
	sy_out_eol(o);
}

/* At most about once a second of processor time; never touches the files. */
static void progress(const struct synth *S, const char *what, long done, clock_t t0, clock_t *last, int final)
{
	clock_t now = clock();
	if (!final && now - *last < CLOCKS_PER_SEC)
		return;
	*last = now;
	double secs = (double)(now - t0) / CLOCKS_PER_SEC;
	fprintf(stderr, "medimart: synth: %s%ld/%ld patients (%.0f/s)\n", what, done, S->n,
		secs > 0 ? (double)done / secs : 0.0);
}

int synth_generate(const struct synth_opts *o)
{
	const char *dir = o && o->out ? o->out : NULL;
	if (!dir || !*dir)
		return fail("synth", "no output folder given", 0);
	if (o->patients < 0 || o->months < 0 || o->months > 1200)
		return fail(dir, "patients and months must be positive", 0);
	struct synth *S = calloc(1, sizeof *S);
	if (!S)
		return fail(dir, "out of memory", ENOMEM);
	S->o = o;
	S->seed = o->seed;
	S->n = o->patients;
	int months = o->months ? o->months : 24;
	int y = o->end_y ? o->end_y : 2025, m = o->end_y ? o->end_m : 9, d = o->end_y ? o->end_d : 30;
	S->census = sy_days_from_ymd(y, m, d);
	S->span_start = sy_add_months(S->census, -months) + 1;
	/* The plan starts four weeks early, unwritten, so the first weeks of
	 * the span see bookings pushed on from before it, as any other week. */
	S->cal_start = S->span_start - 28;
	S->cal_end = S->census + 16 * 7;
	/* Referrals from 80 weeks before the span: the list the span starts
	 * with holds pathways that old (the long-waiter guard ends near 66). */
	S->ref_lo = S->span_start - 80 * 7;
	sy_workdays_init(S->ref_lo - 120, S->cal_end + 800);

	int rc = 0, err = make_dir(dir);
	if (err) {
		rc = fail(dir, "cannot create the output folder", err);
		goto out;
	}
	sy_orgs_build(S);
	sy_sess_groups(S);
	sy_sess_demand_init(S);

	/* Pass 1: every patient's bookings, to size the capacity plan. */
	S->dry = 1;
	clock_t t0 = clock(), last = t0;
	for (long i = 0; i < S->n; i++) {
		sy_gen_patient(S, i);
		if (!o->quiet && (i & 4095) == 4095)
			progress(S, "planning capacity: ", i + 1, t0, &last, 0);
	}
	sy_sess_plan(S);
	memset(S->org_util, 0, sizeof S->org_util);
	for (int i = 0; i < S->nprov; i++)
		S->prov[i].util = 0;

	/* Pass 2: everything. */
	S->dry = 0;
	for (int t = 0; t < NOUT; t++) {
		err = sy_out_open(&S->out[t], dir, tables[t].file, tables[t].header);
		if (err) {
			char what[160];
			snprintf(what, sizeof what, "cannot write %s.tmp", tables[t].file);
			rc = fail(dir, what, err);
			goto close;
		}
	}
	t0 = last = clock();
	for (long i = 0; i < S->n; i++) {
		sy_gen_patient(S, i);
		if ((i & 4095) != 4095)
			continue;
		for (int t = 0; t < NOUT; t++)
			if (S->out[t].err) {
				char what[160];
				snprintf(what, sizeof what, "cannot write %s", tables[t].file);
				rc = fail(dir, what, S->out[t].err);
				goto close;
			}
		if (!o->quiet)
			progress(S, "", i + 1, t0, &last, 0);
	}
	sy_sess_write(S);
	sy_orgs_write(S);
	write_payer(S, S->total_cost);
	if (!o->quiet)
		progress(S, "", S->n, t0, &last, 1);

close:
	/* All files complete under their .tmp names before any is renamed. */
	for (int t = 0; t < NOUT && !rc; t++) {
		int e = sy_out_finish(&S->out[t]);
		if (e) {
			char what[160];
			snprintf(what, sizeof what, "cannot write %s", tables[t].file);
			rc = fail(dir, what, e);
		}
	}
	for (int t = 0; t < NOUT; t++) {
		int e = sy_out_close(&S->out[t], rc == 0);
		if (e && !rc) {
			char what[160];
			snprintf(what, sizeof what, "cannot rename %s.tmp", tables[t].file);
			rc = fail(dir, what, e);
		}
	}
out:
	sy_sess_free(S);
	sy_orgs_free(S);
	sy_workdays_free();
	free(S);
	return rc;
}
