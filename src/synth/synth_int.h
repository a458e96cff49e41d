/* Private interface of the synth generator: random numbers, dates, the
 * buffered CSV writer, the static catalogues (organisations, procedures,
 * comorbidities, names) and the run context shared by the passes.
 *
 * Everything that reaches a file is computed with integers: probabilities
 * are parts per million compared against 32-bit random numbers, dates are
 * day numbers, money is pence. Same options => same bytes on any machine. */
#ifndef MM_SYNTH_INT_H
#define MM_SYNTH_INT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "synth/synth.h"

/* ---- rng.c: xoshiro256** seeded by splitmix64 ---- */
struct rng {
	uint64_t s[4];
};
typedef struct {
	uint64_t hi, lo;
} uid;

uint64_t sy_mix64(uint64_t x);
void sy_rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t sy_rng_next(struct rng *r);
uint32_t sy_rng_below(struct rng *r, uint32_t n);        /* [0, n) */
int32_t sy_rng_range(struct rng *r, int32_t lo, int32_t hi); /* [lo, hi] */
int sy_rng_ppm(struct rng *r, uint32_t ppm);                /* true with ppm / 1e6 */
int sy_rng_pick(struct rng *r, const uint16_t *w, int n);   /* index by weight */
uid sy_rng_uid(struct rng *r);
uid sy_hash_uid(uint64_t seed, uint64_t tag, uint64_t idx);

/* ---- dates.c: day numbers (days since 1970-01-01) ---- */
int32_t sy_days_from_ymd(int y, int m, int d);
void sy_ymd_from_days(int32_t z, int *y, int *m, int *d);
int sy_weekday(int32_t day); /* 0 = Monday ... 6 = Sunday */
int sy_is_bank_holiday(int32_t day);
void sy_workdays_init(int32_t lo, int32_t hi);
void sy_workdays_free(void);
int sy_is_workday(int32_t day);
int32_t sy_next_workday(int32_t day); /* day itself if it is a working day */
int32_t sy_add_months(int32_t day, int months); /* clamps to month end */

/* ---- out.c: one buffered output file, written to NAME.tmp then renamed ---- */
struct out {
	FILE *f;
	char *buf;
	size_t len, cap;
	int err;          /* errno of the first failure, 0 if none */
	char *tmp, *final;
	uint64_t rows;
};
int sy_out_open(struct out *o, const char *dir, const char *name, const char *header);
void sy_out_flush(struct out *o);
int sy_out_finish(struct out *o);            /* flush and close the .tmp; errno of a failure or 0 */
int sy_out_close(struct out *o, int commit); /* rename (commit) or remove the .tmp, free; errno or 0 */

/* Row building: the writer keeps >= 16 KiB of headroom, so a row may be
 * built without checks; sy_out_eol ends it and flushes when needed. */
void sy_out_mem(struct out *o, const char *s, size_t n);
void sy_out_str(struct out *o, const char *s);   /* raw, no quoting */
void sy_out_text(struct out *o, const char *s);  /* CSV-quoted when needed */
void sy_out_c(struct out *o, char c);
void sy_out_int(struct out *o, int64_t v);
void sy_out_date(struct out *o, int32_t day);
void sy_out_ts(struct out *o, int32_t day, int minute); /* YYYY-MM-DDThh:mm:00Z */
void sy_out_money(struct out *o, int64_t pence);
void sy_out_micro(struct out *o, int32_t micro);       /* 6 decimals */
void sy_out_uid(struct out *o, uid u);
void sy_out_eol(struct out *o);

/* ---- catalog.c: static reference data ---- */
enum { NTF = 17 };
struct tfdef {
	const char *code, *speciality;
	uint16_t weight; /* share of referrals */
};
extern const struct tfdef sy_tf_tab[NTF];

struct procdef {
	uint8_t tf;      /* index into sy_tf_tab */
	uint8_t irtt;    /* admitted (surgical) pathway */
	uint8_t daycase; /* ambulatory rather than inpatient */
	uint8_t sex;     /* 0 any, 1 male only, 2 female only */
	uint8_t amin, amax;
	uint8_t resolves; /* treatment resolves the condition */
	uint8_t p1;      /* an emergency or urgent priority (P1a, P1b) is clinically plausible */
	uint16_t weight;
	int32_t cost;    /* pence */
	const char *code, *desc, *rcode, *rdesc;
};
extern const struct procdef sy_proc_tab[];
extern const int sy_n_proc;

struct comorb {
	const char *code, *group, *desc;
	uint16_t prev[5];  /* per mille by age band 0-17, 18-39, 40-59, 60-74, 75+ */
	uint8_t sex;       /* 0 any, 1 male only, 2 female only, 3 mostly female */
	int8_t req;        /* index of a condition it needs (prev is then conditional), -1 none */
	uint8_t resolvable;
	uint8_t charlson;
	uint16_t cp_pm;    /* chance of an active care plan, per mille */
	const char *cp_code, *cp_desc;
};
extern const struct comorb sy_comorb_tab[];
extern const int sy_n_comorb;

struct reason {
	const char *code;
	uint16_t weight;
};
extern const struct reason sy_pat_reasons[], sy_hosp_reasons[], sy_hosp_day_reasons[];
extern const int sy_n_pat_reasons, sy_n_hosp_reasons, sy_n_hosp_day_reasons;
extern const char *const sy_bad_reasons[];
extern const int sy_n_bad_reasons;

extern const char *const sy_first_m[], *const sy_first_f[], *const sy_surnames[], *const sy_streets[];
extern const int sy_n_first_m, sy_n_first_f, sy_n_surnames, sy_n_streets;

/* ---- orgs.c: the fixed organisation structure ---- */
enum { NICS = 5, NTRUST = 15, NSITE = 43, NGP = 20, NTOWN = 6 };
struct icsdef {
	const char *code, *name, *county, *area;
	int32_t lat, lon;      /* micro degrees */
	uint16_t pop;          /* share of patients */
	const char *towns[NTOWN];
	uint16_t eth[6];       /* White British, White Other, Asian, Black, Mixed, Other */
	uint16_t imd[10];      /* weights of deciles 1..10 */
};
struct trustdef {
	const char *code, *name;
	uint8_t ics;
	uint16_t wait_pm;    /* wait multiplier, per mille */
	uint16_t rho_pm;     /* demand / capacity the plan is sized for, per mille */
	uint16_t dna_pm;     /* DNA multiplier, per mille */
	uint16_t hosp_pm;    /* hospital cancellation multiplier, per mille */
	uint16_t blank_pm;   /* reasons left blank, per mille */
	uint16_t free_pm;    /* reasons typed as free text, per mille */
	uint16_t noval_pm;   /* open pathways never validated, per mille */
};
struct sitedef {
	const char *name;
	uint8_t trust, town; /* town index within the ICS */
	char size;           /* 'L' large acute, 'M' district general, 'S' community / treatment centre */
	uint32_t extra;      /* treatment functions added to the size default (bit per tf index) */
	uint32_t only;       /* if set: exactly these treatment functions */
};
extern const struct icsdef sy_ics_tab[NICS];
extern const struct trustdef sy_trust_tab[NTRUST];
extern const struct sitedef sy_site_tab[NSITE];

enum { SHORT_ICS = 4, SHORT_TF = 2, OVERBOOK_SITE = 11 }; /* QX5 x 110, Harrowdale Royal Infirmary */

struct prov {
	uid id;
	int16_t org;     /* organisation index: sites first, then GP practices */
	uint8_t tf;      /* tf index; 255 emergency medicine, 254 general practice */
	uint8_t female;
	uint16_t first, last, fnum, lnum;
	uint32_t util;   /* encounters seen */
};

/* ---- run context ---- */
enum outid {
	O_PATIENTS, O_ENCOUNTERS, O_CONDITIONS, O_PROCEDURES, O_CAREPLANS,
	O_WAITING, O_APPTS, O_SESSIONS, O_ORGS, O_PROVIDERS, O_HIER, O_PAYERS, NOUT
};

struct sess {
	int32_t day;
	uint16_t planned, booked, cap;
	uint8_t pm;       /* afternoon session */
	uint8_t cancelled;
	uint8_t reason;   /* index into session reasons */
	uint8_t notice;   /* days between the cancellation and the session */
};

struct group {
	uint32_t first, end; /* sessions [first, end) */
	int16_t site;
	uint8_t tf, theatre;
};

struct synth {
	const struct synth_opts *o;
	uint64_t seed;
	long n;               /* patients */
	int32_t census, span_start, cal_start, cal_end, ref_lo;
	int dry;              /* sizing pass: no output, no session booking */
	int probe;            /* dry run of a pathway's history before the span */
	/* organisations */
	uid site_id[NSITE], gp_id[NGP], payer_id;
	uint32_t org_util[NSITE + NGP];
	uint32_t tf_mask[NSITE];
	struct prov *prov;
	int nprov;
	int cons_first[NSITE][NTF], cons_n[NSITE][NTF];
	int em_first[NSITE], em_n[NSITE];
	int gp_first[NGP], gp_n[NGP];
	/* sessions */
	struct sess *sess;
	uint32_t nsess;
	struct group *grp;
	int ngrp;
	int16_t grp_of[NSITE][NTF][2];
	int32_t ndays;        /* calendar days, cal_start..cal_end */
	uint32_t *dayidx;     /* per group: first session on or after each day */
	uint32_t *dem;        /* sizing pass: bookings per group x 28-day cycle */
	/* output */
	struct out out[NOUT];
	int64_t total_cost;   /* pence, all encounters written (the payer's total) */
};

/* orgs.c */
void sy_orgs_build(struct synth *S);
void sy_orgs_free(struct synth *S);
void sy_orgs_write(struct synth *S);      /* organizations, providers, org_hierarchy */
int sy_site_offers(const struct synth *S, int site, int tf);
int sy_pick_site(struct synth *S, struct rng *r, int ics, int tf);
int sy_pick_consultant(struct synth *S, struct rng *r, int site, int tf);
void sy_town_postcode(struct out *o, struct rng *r, int ics, int town);
void sy_put_address(struct out *o, struct rng *r);

/* sessions.c */
void sy_sess_groups(struct synth *S);
void sy_sess_plan(struct synth *S);
int sy_sess_book(struct synth *S, int g, int32_t want, int32_t booked_day, int32_t after, int32_t *slot_day,
		 int *minute);
void sy_sess_demand_init(struct synth *S);
void sy_sess_count(struct synth *S, int g, int32_t slot_day);
void sy_sess_write(struct synth *S);
void sy_sess_free(struct synth *S);
const char *sy_sess_reason_code(int reason);
uid sy_sess_uid(struct synth *S, uint32_t i);

/* people.c: one patient and everything around the pathways */
enum { DAY_NONE = INT32_MAX, MAXCOND = 48 };
struct cond {
	int16_t k;          /* index into sy_comorb_tab */
	int32_t start, stop; /* stop DAY_NONE while active */
	uid enc;            /* diagnosis encounter */
};
struct person {
	uid id;
	int32_t birth, death; /* death DAY_NONE if alive at the census */
	int age;              /* whole years at the census */
	uint8_t female, ics, town, gp, imd, eth;
	int ncond, charlson;
	struct cond cond[MAXCOND];
	int64_t cost;         /* pence, all encounters */
};
void sy_gen_patient(struct synth *S, long i);
int sy_has_condition(const struct person *p, const char *code);
/* One encounters.csv row; also counts it for the provider, the
 * organisation and the patient's expenses. */
void sy_emit_encounter(struct synth *S, struct person *p, uid id, int32_t day, int minute, int32_t stop_day,
		       int stop_minute, int org, int prov, const char *cls, const char *code, const char *desc,
		       int64_t cost, const char *rcode, const char *rdesc);
int sy_gp_provider(struct synth *S, struct rng *r, const struct person *p);

/* pathways.c: draws the patient's pathways, then lives through each */
void sy_gen_pathways(struct synth *S, struct rng *r, struct person *p);

#endif
