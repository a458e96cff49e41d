/* Generator tests: determinism, referential integrity after loading, the
 * RTT rules it follows (nullified clocks, priorities, the order of
 * conditions), and the calibration figures of the issue, computed straight
 * from the generated tables (not through the models). */
#include <criterion/criterion.h>
#include <string.h>
#include "helpers.h"
#include "load/load.h"
#include "synth/synth.h"
#include "synth/synth_int.h"
#include "util/date.h"
#include "util/diag.h"

/* The default census: the end of the generated span, which starts 24
 * months earlier. */
#define CENSUS_Y 2025
#define CENSUS_M 9
#define CENSUS_D 30
#define SPAN_Y 2023
#define SPAN_M 10
#define SPAN_D 1

/* England, August 2025 (NHS England RTT statistics): incomplete pathways
 * and those waiting over 65, 78 and 104 weeks. */
#define NAT_LIST 7414794.0
#define NAT_OVER65 12805.0
#define NAT_OVER78 1416.0
#define NAT_OVER104 168.0

/* Temp folders of the running test (each test runs in its own process),
 * removed by the suite's fini even when an assertion ends the test early. */
static char *made_dirs[8];
static int nmade;

static void remember(char *dir)
{
	if (dir && nmade < (int)(sizeof made_dirs / sizeof *made_dirs))
		made_dirs[nmade++] = dir;
}

static void remove_made(void)
{
	while (nmade > 0) {
		char *d = made_dirs[--nmade];
		th_rmtree(d);
		free(d);
	}
}

TestSuite(synth, .fini = remove_made);

/* Generates into a new temp folder, removed when the test ends. */
static char *generate(long patients, uint64_t seed, const char *tag, double *seconds)
{
	char *dir = th_mkdtemp(tag);
	cr_assert_not_null(dir);
	remember(dir);
	struct synth_opts o = {.patients = patients, .seed = seed, .months = 24, .end_y = CENSUS_Y,
			       .end_m = CENSUS_M, .end_d = CENSUS_D, .out = dir, .quiet = 1};
	diag_quiet = 1;
	double t0 = now_seconds();
	int rc = synth_generate(&o);
	if (seconds)
		*seconds = now_seconds() - t0;
	cr_assert_eq(rc, 0, "synth_generate(patients %ld, seed %llu) returned %d", patients, (unsigned long long)seed,
		     rc);
	return dir;
}

/* Sorted file names of a folder; caller frees each and the array. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot list %s", dir);
	char **v = NULL;
	size_t k = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		v = realloc(v, (k + 1) * sizeof *v);
		v[k++] = strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*n = k;
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = th_read_file(a, &na), *y = th_read_file(b, &nb);
	int same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

Test(synth, deterministic, .timeout = 120)
{
	char *a = generate(3000, 7, "synA", NULL);
	char *b = generate(3000, 7, "synB", NULL);
	char *c = generate(3000, 8, "synC", NULL);
	size_t na, nb, nc;
	char **fa = list_dir(a, &na), **fb = list_dir(b, &nb), **fc = list_dir(c, &nc);
	/* Every source table the loader reads is written. */
	for (int i = 0; i < SRC_COUNT; i++) {
		if (source_tables[i].seed)
			continue;
		char *p = th_path(a, source_tables[i].file);
		cr_expect(th_exists(p), "synth wrote no %s", source_tables[i].file);
		free(p);
	}
	cr_assert_eq(na, nb, "two runs wrote %zu and %zu files", na, nb);
	size_t differ = 0;
	for (size_t i = 0; i < na; i++) {
		cr_assert_str_eq(fa[i], fb[i]);
		char *pa = th_path(a, fa[i]), *pb = th_path(b, fb[i]), *pc = th_path(c, fa[i]);
		cr_expect(same_file(pa, pb), "%s differs between two runs with the same arguments", fa[i]);
		differ += th_exists(pc) && !same_file(pa, pc);
		free(pa);
		free(pb);
		free(pc);
	}
	cr_expect_eq(nc, na);
	char *pa = th_path(a, "patients.csv"), *pc = th_path(c, "patients.csv");
	cr_expect(!same_file(pa, pc), "a different seed gives the same patients.csv");
	cr_expect_gt(differ, 0);
	cr_log_info("determinism: %zu files identical across runs; %zu differ with another seed", na, differ);
	free(pa);
	free(pc);
	free_list(fa, na);
	free_list(fb, nb);
	free_list(fc, nc);
}

/* Loads a generated folder; every table present and without rejects. */
static void load_generated(sources *s, const char *dir)
{
	int made;
	char *seeds = th_seed_dir(dir, &made);
	if (made)
		remember(seeds); /* a stand-in folder, removed at the end */
	th_capture cap;
	th_capture_start(&cap);
	int rc = sources_load(s, dir, seeds);
	char *err = th_capture_end(&cap);
	if (!made)
		free(seeds);
	cr_assert_eq(rc, 0, "sources_load failed: %s", err);
	for (int i = 0; i < SRC_COUNT; i++) {
		const load_stats *st = &s->st[i];
		cr_expect_eq(st->nrejects, 0, "%s: %zu rejects; first: line %ld col %ld %s: %s", st->table,
			     st->nrejects, st->nkept ? st->rejects[0].line : 0L, st->nkept ? st->rejects[0].col : 0L,
			     st->nkept && st->rejects[0].column ? st->rejects[0].column : "",
			     st->nkept ? st->rejects[0].reason : "");
		if (!source_tables[i].seed) {
			cr_expect_eq(st->present, 1, "%s.csv missing", st->table);
			cr_expect_gt(st->rows, 0, "%s is empty", st->table);
		}
	}
	free(err);
}

static int col(const sources *s, int tab, const char *name)
{
	int c = tbl_col(s->t[tab], name);
	cr_assert_geq(c, 0, "%s has no column %s", source_tables[tab].name, name);
	return c;
}

/* Marks every string id found in a key column; checks the keys are unique
 * and not null. Caller frees. */
static unsigned char *key_set(const sources *s, int tab, const char *name)
{
	const mm_table *t = s->t[tab];
	int c = col(s, tab, name);
	unsigned char *set = calloc(s->sp.n, 1);
	cr_assert_not_null(set);
	size_t dups = 0, nulls = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t id = tbl_sid(t, c, r);
		nulls += id == 0;
		dups += set[id];
		set[id] = 1;
	}
	cr_expect_eq(dups, 0, "%s.%s: %zu duplicate keys", t->name, name, dups);
	cr_expect_eq(nulls, 0, "%s.%s: %zu null keys", t->name, name, nulls);
	return set;
}

/* Rows of tab whose non-null col value is not in set; also counts nulls. */
static void expect_refs(const sources *s, int tab, const char *name, const unsigned char *set, int nullable,
			const char *target)
{
	const mm_table *t = s->t[tab];
	int c = col(s, tab, name);
	size_t missing = 0, nulls = 0, first = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t id = tbl_sid(t, c, r);
		if (id == 0) {
			nulls++;
			continue;
		}
		if (!set[id] && missing++ == 0)
			first = r;
	}
	cr_expect_eq(missing, 0, "%s.%s: %zu values not in %s (first '%s')", t->name, name, missing, target,
		     missing ? tbl_str(t, c, first) : "");
	if (!nullable)
		cr_expect_eq(nulls, 0, "%s.%s: %zu empty values", t->name, name, nulls);
}

Test(synth, referential_integrity, .timeout = 120)
{
	char *dir = generate(5000, 3, "synRI", NULL);
	sources s;
	load_generated(&s, dir);

	unsigned char *pat = key_set(&s, SRC_PATIENTS, "Id");
	unsigned char *org = key_set(&s, SRC_ORGANIZATIONS, "Id");
	unsigned char *prov = key_set(&s, SRC_PROVIDERS, "Id");
	unsigned char *enc = key_set(&s, SRC_ENCOUNTERS, "Id");
	unsigned char *path = key_set(&s, SRC_WAITING_LIST, "PATHWAY_ID");
	unsigned char *sess = key_set(&s, SRC_SESSIONS, "Id");
	unsigned char *appt = key_set(&s, SRC_APPOINTMENTS, "Id");
	unsigned char *site = key_set(&s, SRC_ORG_HIERARCHY, "SITE_ID");

	expect_refs(&s, SRC_APPOINTMENTS, "PATHWAY_ID", path, 0, "waiting_list");
	expect_refs(&s, SRC_APPOINTMENTS, "SESSION_ID", sess, 1, "sessions");
	expect_refs(&s, SRC_APPOINTMENTS, "ENCOUNTER", enc, 1, "encounters");
	expect_refs(&s, SRC_APPOINTMENTS, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_APPOINTMENTS, "ORGANIZATION", org, 0, "organizations");
	expect_refs(&s, SRC_APPOINTMENTS, "PROVIDER", prov, 1, "providers");
	expect_refs(&s, SRC_WAITING_LIST, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_WAITING_LIST, "ORGANIZATION", org, 0, "organizations");
	expect_refs(&s, SRC_WAITING_LIST, "ORGANIZATION", site, 0, "org_hierarchy");
	expect_refs(&s, SRC_WAITING_LIST, "PROVIDER", prov, 1, "providers");
	expect_refs(&s, SRC_ENCOUNTERS, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_ENCOUNTERS, "ORGANIZATION", org, 1, "organizations");
	expect_refs(&s, SRC_ENCOUNTERS, "PROVIDER", prov, 1, "providers");
	expect_refs(&s, SRC_PROCEDURES, "ENCOUNTER", enc, 1, "encounters");
	expect_refs(&s, SRC_PROCEDURES, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_CONDITIONS, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_CONDITIONS, "ENCOUNTER", enc, 1, "encounters");
	expect_refs(&s, SRC_CAREPLANS, "PATIENT", pat, 0, "patients");
	expect_refs(&s, SRC_PROVIDERS, "ORGANIZATION", org, 0, "organizations");
	expect_refs(&s, SRC_SESSIONS, "ORGANIZATION", org, 0, "organizations");
	expect_refs(&s, SRC_ORG_HIERARCHY, "SITE_ID", org, 0, "organizations");

	/* An appointment belongs to its pathway's patient. */
	const mm_table *wl = s.t[SRC_WAITING_LIST], *ap = s.t[SRC_APPOINTMENTS];
	uint32_t *pathway_patient = calloc(s.sp.n, sizeof *pathway_patient);
	int wl_id = col(&s, SRC_WAITING_LIST, "PATHWAY_ID"), wl_pat = col(&s, SRC_WAITING_LIST, "PATIENT");
	for (size_t r = 0; r < wl->nrows; r++)
		pathway_patient[tbl_sid(wl, wl_id, r)] = tbl_sid(wl, wl_pat, r);
	int ap_path = col(&s, SRC_APPOINTMENTS, "PATHWAY_ID"), ap_pat = col(&s, SRC_APPOINTMENTS, "PATIENT");
	int ap_att = col(&s, SRC_APPOINTMENTS, "ATTENDANCE"), ap_enc = col(&s, SRC_APPOINTMENTS, "ENCOUNTER");
	int ap_slot = col(&s, SRC_APPOINTMENTS, "SLOT_START");
	int32_t census = days_from_civil(CENSUS_Y, CENSUS_M, CENSUS_D);
	size_t wrong_patient = 0, attended_without_encounter = 0, attended = 0;
	for (size_t r = 0; r < ap->nrows; r++) {
		wrong_patient += pathway_patient[tbl_sid(ap, ap_path, r)] != tbl_sid(ap, ap_pat, r);
		const char *att = tbl_str(ap, ap_att, r);
		if ((!strcmp(att, "5") || !strcmp(att, "6")) && ts_day(tbl_ts(ap, ap_slot, r)) <= census) {
			attended++;
			attended_without_encounter += tbl_sid(ap, ap_enc, r) == 0;
		}
	}
	cr_expect_eq(wrong_patient, 0, "%zu appointments name another patient than their pathway", wrong_patient);
	cr_expect_eq(attended_without_encounter, 0, "%zu of %zu attended appointments have no encounter",
		     attended_without_encounter, attended);
	cr_log_info("integrity at 5,000 patients: %zu pathways, %zu appointments, %zu sessions, %zu encounters",
		    wl->nrows, ap->nrows, s.t[SRC_SESSIONS]->nrows, s.t[SRC_ENCOUNTERS]->nrows);

	free(pathway_patient);
	free(pat);
	free(org);
	free(prov);
	free(enc);
	free(path);
	free(sess);
	free(appt);
	free(site);
	sources_free(&s);
}

/* The calibration targets at the default census, 50,000 patients,
 * seed 42. */
Test(synth, calibration_at_50000_patients, .timeout = 300)
{
	double secs;
	char *dir = generate(50000, 42, "synCal", &secs);
	cr_log_info("generated 50,000 patients in %.2f s", secs);
	sources s;
	load_generated(&s, dir);
	int32_t census = days_from_civil(CENSUS_Y, CENSUS_M, CENSUS_D);

	/* Waits of open pathways at the census. */
	const mm_table *wl = s.t[SRC_WAITING_LIST];
	int clk = col(&s, SRC_WAITING_LIST, "RTT_START_DATE"), stop = col(&s, SRC_WAITING_LIST, "CLOCK_STOP_DATE");
	size_t open = 0, within18 = 0, over52 = 0;
	for (size_t r = 0; r < wl->nrows; r++) {
		int32_t start = tbl_date(wl, clk, r), end = tbl_date(wl, stop, r);
		if (start > census || (end != I32_NULL && end <= census))
			continue;
		int32_t wait = census - start;
		open++;
		within18 += wait <= 126;
		over52 += wait > 364;
	}
	cr_assert_gt(open, 0, "no open pathways at the census");
	double p18 = (double)within18 / (double)open, p52 = (double)over52 / (double)open;

	/* Outcomes of past booked appointments. */
	const mm_table *ap = s.t[SRC_APPOINTMENTS];
	int att = col(&s, SRC_APPOINTMENTS, "ATTENDANCE"), slot = col(&s, SRC_APPOINTMENTS, "SLOT_START");
	int canc = col(&s, SRC_APPOINTMENTS, "CANCELLED_AT"), type = col(&s, SRC_APPOINTMENTS, "TYPE");
	size_t past = 0, by_code[8] = {0}, last_minute = 0, no_outcome = 0, op_seen = 0, op_dna = 0;
	for (size_t r = 0; r < ap->nrows; r++) {
		int32_t day = ts_day(tbl_ts(ap, slot, r));
		if (day > census)
			continue;
		int code = atoi(tbl_str(ap, att, r));
		cr_assert(code >= 0 && code <= 7);
		past++;
		by_code[code]++;
		const char *ty = tbl_str(ap, type, r);
		if (!strcmp(ty, "FIRST") || !strcmp(ty, "FOLLOWUP")) {
			op_seen += code == 3 || code == 5 || code == 6 || code == 7;
			op_dna += code == 3;
		}
		no_outcome += code == 0 && day < census;
		if (code == 4 && tbl_ts(ap, canc, r) != INT_NULL) {
			int32_t cday = ts_day(tbl_ts(ap, canc, r));
			last_minute += cday == day || cday == day - 1;
		}
	}
	/* DNA rate: DNAs over appointments that were attended or missed (codes
	 * 3, 5, 6, 7). Last-minute hospital cancellations: over every past
	 * booked appointment (the other ratio is logged for comparison). */
	size_t seen = by_code[3] + by_code[5] + by_code[6] + by_code[7];
	cr_assert_gt(seen, 0);
	double dna = (double)by_code[3] / (double)seen, dna_all = (double)by_code[3] / (double)past;
	double lm = (double)last_minute / (double)past, lm_seen = (double)last_minute / (double)seen;
	cr_assert_gt(op_seen, 0);
	double op = (double)op_dna / (double)op_seen;
	cr_log_info("open pathways %zu: within 18 weeks %.4f, over 52 weeks %.4f", open, p18, p52);
	cr_log_info("past appointments %zu: attended or DNA %zu, patient cancelled %zu, hospital cancelled %zu",
		    past, seen, by_code[2], by_code[4]);
	cr_log_info("DNA rate %.4f (%.4f of all past); last-minute hospital cancellations %zu = %.4f of all past "
		    "(%.4f of attended or DNA)",
		    dna, dna_all, last_minute, lm, lm_seen);
	cr_expect(p18 >= 0.55 && p18 <= 0.65, "share waiting <= 18 weeks %.4f, want 0.55-0.65", p18);
	cr_expect(p52 >= 0.015 && p52 <= 0.035, "share waiting > 52 weeks %.4f, want 0.015-0.035", p52);
	cr_log_info("outpatient (FIRST and FOLLOWUP) DNA rate %.4f", op);
	cr_expect(dna >= 0.06 && dna <= 0.08, "DNA rate %.4f, want 0.06-0.08", dna);
	/* England: 7.6% of booked outpatient appointments (NHS Digital, 2021-22) */
	cr_expect(op >= 0.068 && op <= 0.084, "outpatient DNA rate %.4f, want 0.068-0.084", op);
	cr_expect(lm >= 0.01 && lm <= 0.02, "last-minute hospital cancellations %.4f, want 0.01-0.02", lm);
	cr_expect_eq(no_outcome, 0, "%zu appointments before the census have no outcome (code 0)", no_outcome);

	sources_free(&s);
}

/* What the RTT tests need of one pathway. */
struct pw {
	int32_t ref, clk, dta, pdate, stop;
	int reason;     /* CLOCK_STOP_REASON, 0 when empty */
	int p1;         /* PRIORITY is P1a or P1b */
	int has_prio;
	uint32_t proc;  /* PROCEDURE_CODE string id */
	/* from appointments.csv */
	int first_booked_at_clk; /* a FIRST booked on the clock start, for a later slot */
	int32_t first_dna;       /* the latest DNA'd FIRST slot before the clock start, or I32_NULL */
	int32_t last_slot, last_booked;
	int first_dna_at_stop;   /* a DNA'd FIRST on the stop day */
};

/* Every pathway of a loaded folder with its appointments; *n gets the
 * count and *index maps a PATHWAY_ID string id to its row + 1. Caller
 * frees both. */
static struct pw *pathways(const sources *s, size_t *n, uint32_t **index)
{
	const mm_table *wl = s->t[SRC_WAITING_LIST], *ap = s->t[SRC_APPOINTMENTS];
	int id = col(s, SRC_WAITING_LIST, "PATHWAY_ID"), ref = col(s, SRC_WAITING_LIST, "REFERRAL_DATE");
	int clk = col(s, SRC_WAITING_LIST, "RTT_START_DATE"), dta = col(s, SRC_WAITING_LIST, "DECISION_TO_ADMIT_DATE");
	int pdate = col(s, SRC_WAITING_LIST, "PRIORITY_DATE"), stop = col(s, SRC_WAITING_LIST, "CLOCK_STOP_DATE");
	int reason = col(s, SRC_WAITING_LIST, "CLOCK_STOP_REASON"), prio = col(s, SRC_WAITING_LIST, "PRIORITY");
	int proc = col(s, SRC_WAITING_LIST, "PROCEDURE_CODE");
	struct pw *v = calloc(wl->nrows ? wl->nrows : 1, sizeof *v);
	uint32_t *ix = calloc(s->sp.n, sizeof *ix);
	cr_assert(v && ix);
	for (size_t r = 0; r < wl->nrows; r++) {
		struct pw *w = &v[r];
		const char *pr = tbl_str(wl, prio, r);
		w->ref = tbl_date(wl, ref, r);
		w->clk = tbl_date(wl, clk, r);
		w->dta = tbl_date(wl, dta, r);
		w->pdate = tbl_date(wl, pdate, r);
		w->stop = tbl_date(wl, stop, r);
		w->reason = tbl_sid(wl, reason, r) ? atoi(tbl_str(wl, reason, r)) : 0;
		w->has_prio = pr[0] != 0;
		w->p1 = !strcmp(pr, "P1a") || !strcmp(pr, "P1b");
		w->proc = tbl_sid(wl, proc, r);
		w->first_dna = w->last_slot = w->last_booked = I32_NULL;
		ix[tbl_sid(wl, id, r)] = (uint32_t)r + 1;
	}
	int path = col(s, SRC_APPOINTMENTS, "PATHWAY_ID"), type = col(s, SRC_APPOINTMENTS, "TYPE");
	int slot = col(s, SRC_APPOINTMENTS, "SLOT_START"), booked = col(s, SRC_APPOINTMENTS, "BOOKED_AT");
	int att = col(s, SRC_APPOINTMENTS, "ATTENDANCE");
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t k = ix[tbl_sid(ap, path, r)];
		cr_assert_gt(k, 0, "appointment row %zu names no pathway", r);
		struct pw *w = &v[k - 1];
		int32_t sd = ts_day(tbl_ts(ap, slot, r)), bd = ts_day(tbl_ts(ap, booked, r));
		int first = !strcmp(tbl_str(ap, type, r), "FIRST"), dna = !strcmp(tbl_str(ap, att, r), "3");
		if (w->last_slot == I32_NULL || sd > w->last_slot)
			w->last_slot = sd;
		if (w->last_booked == I32_NULL || bd > w->last_booked)
			w->last_booked = bd;
		if (first && bd == w->clk && sd > w->clk)
			w->first_booked_at_clk = 1;
		if (first && dna && sd < w->clk && (w->first_dna == I32_NULL || sd > w->first_dna))
			w->first_dna = sd;
		if (first && dna && sd == w->stop)
			w->first_dna_at_stop = 1;
	}
	*n = wl->nrows;
	*index = ix;
	return v;
}

/* RTT rule 5 (a DNA of the first appointment nullifies the clock), the
 * priorities and their dates, and the order of conditions. */
Test(synth, rtt_rules, .timeout = 120)
{
	char *dir = generate(20000, 11, "synRTT", NULL);
	sources s;
	load_generated(&s, dir);
	int32_t census = days_from_civil(CENSUS_Y, CENSUS_M, CENSUS_D);
	int32_t span = days_from_civil(SPAN_Y, SPAN_M, SPAN_D);
	size_t n;
	uint32_t *ix;
	struct pw *v = pathways(&s, &n, &ix);

	/* (a) rebooked clocks: RTT_START_DATE is the day the patient rebooked
	 * the FIRST appointment, after a DNA'd FIRST; (b) status 33: nothing
	 * after the DNA that ended it. Rates over pathways referred in the
	 * span, whose whole story is in the files. */
	size_t in_span = 0, rebooked = 0, s33 = 0, checked = 0, no_clk = 0, before_ref = 0;
	size_t bad_booked = 0, bad_dna = 0, after_stop = 0, s33_no_dna = 0, s33_dta = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pw *w = &v[i];
		if (w->clk == I32_NULL) {
			no_clk++;
			continue;
		}
		before_ref += w->clk < w->ref;
		if (w->ref >= span && w->ref <= census) {
			in_span++;
			rebooked += w->clk > w->ref;
			s33 += w->reason == 33;
		}
		if (w->clk > w->ref && w->clk >= span + 22) {
			checked++;
			bad_booked += !w->first_booked_at_clk;
			bad_dna += w->first_dna == I32_NULL || w->first_dna < w->ref;
		}
		if (w->reason == 33) {
			after_stop += (w->last_slot != I32_NULL && w->last_slot > w->stop) ||
				      (w->last_booked != I32_NULL && w->last_booked > w->stop);
			s33_no_dna += w->stop >= span && !w->first_dna_at_stop;
			s33_dta += w->dta != I32_NULL;
		}
	}
	cr_assert_gt(in_span, 0);
	double p_reb = (double)rebooked / (double)in_span, p_33 = (double)s33 / (double)in_span;
	double kept = rebooked + s33 ? (double)rebooked / (double)(rebooked + s33) : 0;
	cr_log_info("%zu pathways referred in the span: rebooked %zu (%.4f), status 33 %zu (%.4f), rebooked share %.3f",
		    in_span, rebooked, p_reb, s33, p_33, kept);
	cr_expect_eq(no_clk, 0, "%zu pathways without RTT_START_DATE", no_clk);
	cr_expect_eq(before_ref, 0, "%zu pathways whose clock starts before the referral", before_ref);
	cr_expect(p_reb >= 0.03 && p_reb <= 0.06, "rebooked clocks %.4f of pathways, want 0.03-0.06", p_reb);
	cr_expect(p_33 >= 0.02 && p_33 <= 0.04, "status 33 %.4f of pathways, want 0.02-0.04", p_33);
	cr_expect(kept >= 0.5 && kept <= 0.7, "rebooked %.3f of nullified clocks, want 0.5-0.7", kept);
	cr_expect_gt(checked, 0);
	cr_expect_eq(bad_booked, 0, "%zu of %zu rebooked pathways have no FIRST booked on RTT_START_DATE", bad_booked,
		     checked);
	cr_expect_eq(bad_dna, 0, "%zu of %zu rebooked pathways have no DNA'd FIRST before RTT_START_DATE", bad_dna,
		     checked);
	cr_expect_eq(after_stop, 0, "%zu status-33 pathways have appointments after the stop", after_stop);
	cr_expect_eq(s33_no_dna, 0, "%zu status-33 pathways have no DNA'd FIRST on the stop day", s33_no_dna);
	cr_expect_eq(s33_dta, 0, "%zu status-33 pathways have a decision to admit", s33_dta);

	/* (c) P1a/P1b only where the catalogue allows them, and operated (or
	 * open) within days of PRIORITY_DATE; a priority always has its date. */
	unsigned char *urgent_ok = calloc(s.sp.n, 1);
	cr_assert_not_null(urgent_ok);
	const mm_table *wl = s.t[SRC_WAITING_LIST];
	int proc = col(&s, SRC_WAITING_LIST, "PROCEDURE_CODE");
	for (size_t r = 0; r < wl->nrows; r++)
		for (int k = 0; k < sy_n_proc; k++)
			if (sy_proc_tab[k].p1 && !strcmp(tbl_str(wl, proc, r), sy_proc_tab[k].code))
				urgent_ok[tbl_sid(wl, proc, r)] = 1;
	size_t p1 = 0, p1_implausible = 0, p1_slow = 0, no_pdate = 0, stray_pdate = 0, pdate_order = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pw *w = &v[i];
		if (w->has_prio != (w->pdate != I32_NULL)) {
			no_pdate += w->has_prio;
			stray_pdate += !w->has_prio;
			continue;
		}
		if (!w->has_prio)
			continue;
		pdate_order += w->pdate < w->dta || w->pdate > census;
		if (!w->p1)
			continue;
		p1++;
		p1_implausible += !urgent_ok[w->proc];
		int open = w->stop == I32_NULL || w->stop > census;
		p1_slow += open ? census - w->pdate > 21 : w->reason == 30 && w->stop - w->pdate > 21;
	}
	cr_log_info("%zu P1a/P1b pathways", p1);
	cr_expect_gt(p1, 0, "no P1a/P1b pathway at all");
	cr_expect_eq(p1_implausible, 0, "%zu P1a/P1b pathways on procedures that are never urgent", p1_implausible);
	cr_expect_eq(p1_slow, 0, "%zu P1a/P1b pathways waiting or treated more than 3 weeks after PRIORITY_DATE",
		     p1_slow);
	cr_expect_eq(no_pdate, 0, "%zu prioritised pathways without PRIORITY_DATE", no_pdate);
	cr_expect_eq(stray_pdate, 0, "%zu pathways with PRIORITY_DATE and no priority", stray_pdate);
	cr_expect_eq(pdate_order, 0, "%zu PRIORITY_DATEs before the decision to admit or after the census",
		     pdate_order);

	/* (d) a complication starts after the condition it complicates (the
	 * catalogue's prerequisite: diabetes, cirrhosis, the primary tumour). */
	const mm_table *cd = s.t[SRC_CONDITIONS];
	int c_start = col(&s, SRC_CONDITIONS, "START"), c_pat = col(&s, SRC_CONDITIONS, "PATIENT");
	int c_code = col(&s, SRC_CONDITIONS, "CODE");
	int32_t *base_start = malloc(s.sp.n * (size_t)sy_n_comorb * sizeof *base_start);
	cr_assert_not_null(base_start);
	for (size_t i = 0; i < s.sp.n * (size_t)sy_n_comorb; i++)
		base_start[i] = I32_NULL;
	int *kind = malloc(s.sp.n * sizeof *kind); /* catalogue index of a code's string id, or -1 */
	cr_assert_not_null(kind);
	for (size_t i = 0; i < s.sp.n; i++)
		kind[i] = -1;
	for (size_t r = 0; r < cd->nrows; r++)
		for (int k = 0; k < sy_n_comorb; k++)
			if (!strcmp(tbl_str(cd, c_code, r), sy_comorb_tab[k].code))
				kind[tbl_sid(cd, c_code, r)] = k;
	for (size_t r = 0; r < cd->nrows; r++) {
		int k = kind[tbl_sid(cd, c_code, r)];
		if (k < 0)
			continue;
		int32_t *b = &base_start[(size_t)tbl_sid(cd, c_pat, r) * (size_t)sy_n_comorb + (size_t)k];
		int32_t d = tbl_date(cd, c_start, r);
		if (*b == I32_NULL || d < *b)
			*b = d;
	}
	size_t comp = 0, early = 0;
	for (size_t r = 0; r < cd->nrows; r++) {
		int k = kind[tbl_sid(cd, c_code, r)];
		if (k < 0 || sy_comorb_tab[k].req < 0)
			continue;
		comp++;
		int32_t b = base_start[(size_t)tbl_sid(cd, c_pat, r) * (size_t)sy_n_comorb + (size_t)sy_comorb_tab[k].req];
		if (b == I32_NULL || b >= tbl_date(cd, c_start, r)) {
			if (early++ == 0)
				cr_log_info("first out of order: %s starts %s, its base %s", sy_comorb_tab[k].desc,
					    tbl_str(cd, c_start, r), sy_comorb_tab[sy_comorb_tab[k].req].desc);
		}
	}
	cr_log_info("%zu complications", comp);
	cr_expect_gt(comp, 0);
	cr_expect_eq(early, 0, "%zu of %zu complications start before (or without) the condition they complicate",
		     early, comp);

	free(kind);
	free(base_start);
	free(urgent_ok);
	free(v);
	free(ix);
	sources_free(&s);
}

/* Days since 1970-01-01 of a YYYY-MM-DD field, or I32_NULL. */
static int32_t field_date(const char *f, size_t len)
{
	if (len != 10 || f[4] != '-' || f[7] != '-')
		return I32_NULL;
	return days_from_civil(atoi(f), atoi(f + 5), atoi(f + 8));
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* (e) The long tails of the open list at the census, at a size where a
 * few dozen pathways wait over 78 weeks. Reads waiting_list.csv itself:
 * loading every table of 200,000 patients would take a gigabyte. */
Test(synth, tails_at_200000_patients, .timeout = 600)
{
	char *dir = generate(200000, 42, "synTail", NULL);
	char *path = th_path(dir, "waiting_list.csv");
	size_t len;
	char *csv = th_read_file(path, &len);
	free(path);
	cr_assert_not_null(csv);
	int32_t census = days_from_civil(CENSUS_Y, CENSUS_M, CENSUS_D);
	int ci_ref = -1, ci_clk = -1, ci_stop = -1;
	size_t open = 0, cap = 1 << 16, within18 = 0, over52 = 0, over65 = 0, over78 = 0, over104 = 0;
	int32_t *waits = malloc(cap * sizeof *waits);
	cr_assert_not_null(waits);
	int header = 1;
	for (char *line = csv; *line;) {
		char *eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		int32_t ref = I32_NULL, clk = I32_NULL, stop = I32_NULL;
		int c = 0;
		for (char *f = line; f <= eol; c++) {
			char *e = f;
			int quoted = *e == '"';
			for (e += quoted; e < eol && (quoted ? !(*e == '"' && (e[1] == ',' || e + 1 >= eol)) : *e != ',');)
				e += quoted && *e == '"' ? 2 : 1;
			e += quoted && e < eol;
			size_t n = (size_t)(e - f);
			if (header) {
				ci_ref = n == 13 && !memcmp(f, "REFERRAL_DATE", n) ? c : ci_ref;
				ci_clk = n == 14 && !memcmp(f, "RTT_START_DATE", n) ? c : ci_clk;
				ci_stop = n == 15 && !memcmp(f, "CLOCK_STOP_DATE", n) ? c : ci_stop;
			} else if (c == ci_ref) {
				ref = field_date(f, n);
			} else if (c == ci_clk) {
				clk = field_date(f, n);
			} else if (c == ci_stop) {
				stop = field_date(f, n);
			}
			f = e + 1;
		}
		if (header) {
			cr_assert(ci_ref >= 0 && ci_clk >= 0 && ci_stop >= 0, "waiting_list.csv lacks a date column");
			header = 0;
		} else if (line < eol) {
			int32_t start = clk != I32_NULL ? clk : ref;
			if (start != I32_NULL && start <= census && (stop == I32_NULL || stop > census)) {
				int32_t w = census - start;
				if (open == cap) {
					cap *= 2;
					waits = realloc(waits, cap * sizeof *waits);
					cr_assert_not_null(waits);
				}
				waits[open++] = w;
				within18 += w <= 126;
				over52 += w > 364;
				over65 += w > 455;
				over78 += w > 546;
				over104 += w > 728;
			}
		}
		line = *eol ? eol + 1 : eol;
	}
	free(csv);
	cr_assert_gt(open, 10000, "only %zu open pathways", open);
	qsort(waits, open, sizeof *waits, cmp_i32);
	double weeks_median = waits[(open + 1) / 2 - 1] / 7.0, weeks_p92 = waits[(92 * open + 99) / 100 - 1] / 7.0;
	free(waits);
	double o = (double)open;
	double r65 = over65 / o / (NAT_OVER65 / NAT_LIST), r78 = over78 / o / (NAT_OVER78 / NAT_LIST);
	double r104 = over104 / o / (NAT_OVER104 / NAT_LIST);
	cr_log_info("open %zu: within 18 weeks %.4f, over 52 %.4f, over 65 %zu (x%.2f England), over 78 %zu "
		    "(x%.2f), over 104 %zu (x%.2f); median %.1f weeks, p92 %.1f weeks",
		    open, within18 / o, over52 / o, over65, r65, over78, r78, over104, r104, weeks_median, weeks_p92);
	cr_expect(within18 / o >= 0.58 && within18 / o <= 0.63, "within 18 weeks %.4f, want 0.58-0.63", within18 / o);
	cr_expect(over52 / o >= 0.018 && over52 / o <= 0.032, "over 52 weeks %.4f, want 0.018-0.032", over52 / o);
	cr_expect(r65 >= 0.4 && r65 <= 1.5, "over 65 weeks x%.2f the share in England, want 0.4-1.5", r65);
	cr_expect(r78 >= 0.3 && r78 <= 2.0, "over 78 weeks x%.2f the share in England, want 0.3-2", r78);
	cr_expect(r104 <= 4.0, "over 104 weeks x%.2f the share in England, want at most 4", r104);
	cr_expect(weeks_median >= 12.5 && weeks_median <= 15, "median wait %.1f weeks, want 12.5-15", weeks_median);
	cr_expect(weeks_p92 >= 39 && weeks_p92 <= 45, "92nd percentile %.1f weeks, want 39-45", weeks_p92);
}
