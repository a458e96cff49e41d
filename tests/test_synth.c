/* Generator tests: determinism, referential integrity after loading, and
 * the calibration figures of the issue, computed straight from the loaded
 * tables (not through the models). */
#include <criterion/criterion.h>
#include <string.h>
#include "helpers.h"
#include "load/load.h"
#include "synth/synth.h"
#include "util/date.h"
#include "util/diag.h"

/* The default census: the end of the generated span. */
#define CENSUS_Y 2025
#define CENSUS_M 9
#define CENSUS_D 30

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
	int ref = col(&s, SRC_WAITING_LIST, "REFERRAL_DATE"), stop = col(&s, SRC_WAITING_LIST, "CLOCK_STOP_DATE");
	size_t open = 0, within18 = 0, over52 = 0;
	for (size_t r = 0; r < wl->nrows; r++) {
		int32_t start = tbl_date(wl, ref, r), end = tbl_date(wl, stop, r);
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
	int canc = col(&s, SRC_APPOINTMENTS, "CANCELLED_AT");
	size_t past = 0, by_code[8] = {0}, last_minute = 0, no_outcome = 0;
	for (size_t r = 0; r < ap->nrows; r++) {
		int32_t day = ts_day(tbl_ts(ap, slot, r));
		if (day > census)
			continue;
		int code = atoi(tbl_str(ap, att, r));
		cr_assert(code >= 0 && code <= 7);
		past++;
		by_code[code]++;
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
	cr_log_info("open pathways %zu: within 18 weeks %.4f, over 52 weeks %.4f", open, p18, p52);
	cr_log_info("past appointments %zu: attended or DNA %zu, patient cancelled %zu, hospital cancelled %zu",
		    past, seen, by_code[2], by_code[4]);
	cr_log_info("DNA rate %.4f (%.4f of all past); last-minute hospital cancellations %zu = %.4f of all past "
		    "(%.4f of attended or DNA)",
		    dna, dna_all, last_minute, lm, lm_seen);
	cr_expect(p18 >= 0.55 && p18 <= 0.65, "share waiting <= 18 weeks %.4f, want 0.55-0.65", p18);
	cr_expect(p52 >= 0.015 && p52 <= 0.035, "share waiting > 52 weeks %.4f, want 0.015-0.035", p52);
	cr_expect(dna >= 0.06 && dna <= 0.08, "DNA rate %.4f, want 0.06-0.08", dna);
	cr_expect(lm >= 0.01 && lm <= 0.02, "last-minute hospital cancellations %.4f, want 0.01-0.02", lm);
	cr_expect_eq(no_outcome, 0, "%zu appointments before the census have no outcome (code 0)", no_outcome);

	sources_free(&s);
}
