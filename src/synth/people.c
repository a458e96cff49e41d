/* One patient: demographics, chronic conditions drawn from the
 * comorbidity table with age-dependent prevalence, the pathways (see
 * pathways.c), GP wellness visits, emergency and non-elective inpatient
 * encounters in the last year, community care plans, and last the
 * patients.csv row, which carries the totals. */
#include "synth/synth_int.h"
#include <string.h>

static const char *const eth_name[6] = {
	"White British", "White Other", "Asian or Asian British", "Black or Black British", "Mixed",
	"Other ethnic group",
};
static const char *const eth_race[6] = {"white", "white", "asian", "black", "other", "other"};

/* Weights of 5-year age bands 0-4 ... 95-99, after the age mix of elective lists. */
static const uint16_t age_w[20] = {4, 6, 6, 6, 8, 10, 12, 12, 14, 16, 18, 20, 20, 20, 22, 20, 14, 8, 3, 1};
static const uint16_t town_w[NTOWN] = {30, 15, 15, 15, 13, 12};

/* Name pools by ethnic group: indices into the name tables of catalog.c. */
static const uint8_t asian_first[] = {50, 51, 52, 53, 54}, black_first[] = {55, 56}, wo_first[] = {57, 58, 59};
static const uint8_t asian_last[] = {8, 39, 53, 59, 64, 70, 75, 76, 89}, black_last[] = {71, 72, 19, 26};
static const uint8_t wo_last[] = {73, 74, 41, 61};

int sy_has_condition(const struct person *p, const char *code)
{
	for (int i = 0; i < p->ncond; i++)
		if (!strcmp(sy_comorb_tab[p->cond[i].k].code, code))
			return 1;
	return 0;
}

int sy_gp_provider(struct synth *S, struct rng *r, const struct person *p)
{
	return S->gp_first[p->gp] + (int)sy_rng_below(r, (uint32_t)S->gp_n[p->gp]);
}

void sy_emit_encounter(struct synth *S, struct person *p, uid id, int32_t day, int minute, int32_t stop_day,
		    int stop_minute, int org, int prov, const char *cls, const char *code, const char *desc,
		    int64_t cost, const char *rcode, const char *rdesc)
{
	p->cost += cost;
	if (S->dry)
		return;
	S->prov[prov].util++;
	S->org_util[org]++;
	struct out *o = &S->out[O_ENCOUNTERS];
	sy_out_uid(o, id);
	sy_out_c(o, ',');
	sy_out_ts(o, day, minute);
	sy_out_c(o, ',');
	sy_out_ts(o, stop_day, stop_minute);
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, org < NSITE ? S->site_id[org] : S->gp_id[org - NSITE]);
	sy_out_c(o, ',');
	sy_out_uid(o, S->prov[prov].id);
	sy_out_c(o, ',');
	sy_out_uid(o, S->payer_id);
	sy_out_c(o, ',');
	sy_out_str(o, cls);
	sy_out_c(o, ',');
	sy_out_str(o, code);
	sy_out_c(o, ',');
	sy_out_text(o, desc);
	sy_out_c(o, ',');
	sy_out_money(o, cost);
	sy_out_c(o, ',');
	sy_out_money(o, cost);
	sy_out_c(o, ',');
	sy_out_money(o, cost);
	sy_out_c(o, ',');
	if (rcode && *rcode && rdesc) {
		sy_out_str(o, rcode);
		sy_out_c(o, ',');
		sy_out_text(o, rdesc);
	} else {
		sy_out_c(o, ',');
	}
	sy_out_eol(o);
}

static int band5(int age)
{
	return age < 18 ? 0 : age < 40 ? 1 : age < 60 ? 2 : age < 75 ? 3 : 4;
}

static void demographics(struct synth *S, struct rng *r, struct person *p)
{
	uint16_t w[NICS];
	for (int k = 0; k < NICS; k++)
		w[k] = sy_ics_tab[k].pop;
	p->ics = (uint8_t)sy_rng_pick(r, w, NICS);
	const struct icsdef *I = &sy_ics_tab[p->ics];
	p->town = (uint8_t)sy_rng_pick(r, town_w, NTOWN);
	p->gp = (uint8_t)(p->ics * 4 + p->town * 4 / NTOWN);
	p->imd = (uint8_t)(1 + sy_rng_pick(r, I->imd, 10));
	p->eth = (uint8_t)sy_rng_pick(r, I->eth, 6);
	p->female = (uint8_t)sy_rng_below(r, 2);
	int band = sy_rng_pick(r, age_w, 20);
	p->age = band * 5 + (int)sy_rng_below(r, 5);
	if (p->age < 1)
		p->age = 1;
	p->birth = S->census - p->age * 365 - p->age / 4 - sy_rng_range(r, 0, 364);
	p->death = DAY_NONE;
}

static void chronic(struct synth *S, struct rng *r, struct person *p)
{
	int b = band5(p->age);
	int32_t span = S->census - S->span_start + 1;
	int32_t age_days = S->census - p->birth;
	p->ncond = 0;
	p->charlson = 0;
	for (int k = 0; k < sy_n_comorb && p->ncond < MAXCOND; k++) {
		const struct comorb *c = &sy_comorb_tab[k];
		if ((c->sex == 1 && p->female) || (c->sex == 2 && !p->female))
			continue;
		uint32_t pm = c->prev[b];
		if (c->sex == 3)
			pm = p->female ? pm * 16 / 10 : pm * 4 / 10;
		const struct cond *base = NULL; /* the condition this one complicates */
		if (c->req >= 0) {
			for (int i = 0; i < p->ncond && !base; i++)
				if (p->cond[i].k == c->req)
					base = &p->cond[i];
			if (!base)
				continue;
		}
		if (!sy_rng_ppm(r, pm * 1000u))
			continue;
		struct cond *x = &p->cond[p->ncond++];
		x->k = (int16_t)k;
		int32_t hi = age_days - 180;
		if (hi > 30 * 365)
			hi = 30 * 365;
		if (base) {
			/* a complication follows what it complicates (diabetic
			 * neuropathy the diabetes, metastases the primary), before
			 * the span when there is room */
			int32_t lo = base->start + 30, last = S->census - span - 31;
			if (last < lo)
				lo = last = base->start + 1; /* no room: soon after */
			x->start = sy_rng_range(r, lo, last);
		} else if (hi > span + 31) {
			x->start = S->census - sy_rng_range(r, span + 31, hi);
		} else {
			x->start = p->birth + sy_rng_range(r, 30, age_days > 60 ? age_days - 30 : 30);
		}
		x->stop = DAY_NONE;
		if (c->resolvable && sy_rng_ppm(r, 200000) && S->census - x->start > 200)
			x->stop = x->start + sy_rng_range(r, 90, S->census - x->start - 1);
		x->enc = sy_rng_uid(r);
		p->charlson += c->charlson;
	}
	for (int i = 0; i < p->ncond; i++) {
		struct cond *x = &p->cond[i];
		const struct comorb *c = &sy_comorb_tab[x->k];
		int minute = sy_rng_range(r, 96, 204) * 5;
		sy_emit_encounter(S, p, x->enc, x->start, minute, x->start, minute + 20, NSITE + p->gp, sy_gp_provider(S, r, p),
			       "ambulatory", "185347001", "Encounter for problem (procedure)", 7749, c->code, c->desc);
		if (S->dry)
			continue;
		struct out *o = &S->out[O_CONDITIONS];
		sy_out_date(o, x->start);
		sy_out_c(o, ',');
		if (x->stop != DAY_NONE)
			sy_out_date(o, x->stop);
		sy_out_c(o, ',');
		sy_out_uid(o, p->id);
		sy_out_c(o, ',');
		sy_out_uid(o, x->enc);
		sy_out_c(o, ',');
		sy_out_str(o, c->code);
		sy_out_c(o, ',');
		sy_out_text(o, c->desc);
		sy_out_eol(o);
	}
}

static void wellness(struct synth *S, struct rng *r, struct person *p)
{
	for (int32_t y0 = S->span_start; y0 <= S->census; y0 += 365) {
		int32_t d = sy_next_workday(y0 + sy_rng_range(r, 0, 364));
		if (d > S->census || d <= p->birth || d >= p->death)
			continue;
		int child = d - p->birth < 18 * 365;
		/* one draw per statement: argument order is unspecified in C */
		int minute = sy_rng_range(r, 102, 198) * 5;
		uid id = sy_rng_uid(r);
		int gp = sy_gp_provider(S, r, p);
		sy_emit_encounter(S, p, id, d, minute, d, minute + 15, NSITE + p->gp, gp, "wellness",
				  child ? "410620009" : "162673000",
			       child ? "Well child visit (procedure)" : "General examination of patient (procedure)",
			       13916, NULL, NULL);
	}
}

/* Non-elective activity in the 12 months to the census: more for the old and multimorbid. */
static void emergencies(struct synth *S, struct rng *r, struct person *p)
{
	uint32_t ppm = p->age < 18 ? 80000 : p->age < 60 ? 90000 : p->age < 75 ? 150000 : 280000;
	ppm = ppm * (uint32_t)(1000 + 250 * p->charlson) / 1000u;
	if (ppm > 900000)
		ppm = 900000;
	for (int k = 0; k < 3 && sy_rng_ppm(r, ppm); k++, ppm /= 2) {
		int32_t d = S->census - sy_rng_range(r, 0, 364);
		if (d <= p->birth || d >= p->death)
			continue;
		int site = sy_pick_site(S, r, p->ics, 8);
		int prov = S->em_first[site] + (int)sy_rng_below(r, (uint32_t)S->em_n[site]);
		const char *rc = NULL, *rd = NULL;
		if (p->ncond) {
			const struct comorb *c = &sy_comorb_tab[p->cond[sy_rng_below(r, (uint32_t)p->ncond)].k];
			rc = c->code;
			rd = c->desc;
		}
		int minute = sy_rng_range(r, 0, 287) * 5;
		int ed = sy_rng_ppm(r, 700000);
		uid id = sy_rng_uid(r);
		int32_t stay = ed ? sy_rng_range(r, 120, 480) : sy_rng_range(r, 1, 10);
		int64_t cost = ed ? sy_rng_range(r, 25000, 60000) : sy_rng_range(r, 250000, 600000);
		if (ed)
			sy_emit_encounter(S, p, id, d, minute, d, minute + stay, site, prov, "emergency", "50849002",
					  "Emergency room admission (procedure)", cost, rc, rd);
		else
			sy_emit_encounter(S, p, id, d, minute, d + stay, 660, site, prov, "inpatient", "183452005",
					  "Emergency hospital admission (procedure)", cost, rc, rd);
	}
}

static void careplans(struct synth *S, struct rng *r, struct person *p)
{
	for (int i = 0; i < p->ncond; i++) {
		const struct cond *x = &p->cond[i];
		const struct comorb *c = &sy_comorb_tab[x->k];
		if (!c->cp_pm || x->stop != DAY_NONE || !sy_rng_ppm(r, c->cp_pm * 1000u))
			continue;
		if (!strcmp(c->cp_code, "385763009") && p->age < 70)
			continue; /* hospice care only for the old */
		uid id = sy_rng_uid(r);
		int32_t start = x->start + sy_rng_range(r, 0, 60);
		if (start > S->census)
			start = S->census;
		if (S->dry)
			continue;
		struct out *o = &S->out[O_CAREPLANS];
		sy_out_uid(o, id);
		sy_out_c(o, ',');
		sy_out_date(o, start);
		sy_out_str(o, ",,");
		sy_out_uid(o, p->id);
		sy_out_c(o, ',');
		sy_out_uid(o, x->enc);
		sy_out_c(o, ',');
		sy_out_str(o, c->cp_code);
		sy_out_c(o, ',');
		sy_out_text(o, c->cp_desc);
		sy_out_c(o, ',');
		sy_out_str(o, c->code);
		sy_out_c(o, ',');
		sy_out_text(o, c->desc);
		sy_out_eol(o);
	}
}

/* Indices into the name tables; the first 50 given names of each sex and
 * most surnames are common British ones. */
static void pick_name(struct rng *r, const struct person *p, int *first, int *last)
{
	switch (p->eth) {
	case 2:
		*first = asian_first[sy_rng_below(r, sizeof asian_first)];
		*last = asian_last[sy_rng_below(r, sizeof asian_last)];
		return;
	case 3:
		*first = sy_rng_ppm(r, 500000) ? black_first[sy_rng_below(r, sizeof black_first)] : (int)sy_rng_below(r, 50);
		*last = black_last[sy_rng_below(r, sizeof black_last)];
		return;
	case 1:
		*first = wo_first[sy_rng_below(r, sizeof wo_first)];
		*last = wo_last[sy_rng_below(r, sizeof wo_last)];
		return;
	default:
		*first = (int)sy_rng_below(r, 50);
		*last = (int)sy_rng_below(r, (uint32_t)sy_n_surnames);
	}
}

static void patient_row(struct synth *S, struct rng *r, const struct person *p)
{
	struct out *o = &S->out[O_PATIENTS];
	const struct icsdef *I = &sy_ics_tab[p->ics];
	int first, last;
	pick_name(r, p, &first, &last);
	int adult = p->age >= 18;
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_date(o, p->birth);
	sy_out_c(o, ',');
	if (p->death != DAY_NONE)
		sy_out_date(o, p->death);
	sy_out_str(o, ",999-");
	sy_out_int(o, sy_rng_range(r, 10, 99));
	sy_out_c(o, '-');
	sy_out_int(o, sy_rng_range(r, 1000, 9999));
	sy_out_c(o, ',');
	if (adult && sy_rng_ppm(r, 600000)) {
		sy_out_str(o, "S999");
		sy_out_int(o, sy_rng_range(r, 10000, 99999));
	}
	sy_out_c(o, ',');
	if (adult && sy_rng_ppm(r, 550000)) {
		sy_out_c(o, 'X');
		sy_out_int(o, sy_rng_range(r, 10000000, 99999999));
		sy_out_c(o, 'X');
	}
	sy_out_c(o, ',');
	int married = adult && p->age >= 24 && sy_rng_ppm(r, 550000);
	if (adult)
		sy_out_str(o, p->female ? (married ? "Mrs." : "Ms.") : "Mr.");
	sy_out_c(o, ',');
	sy_out_str(o, p->female ? sy_first_f[first] : sy_first_m[first]);
	sy_out_int(o, sy_rng_range(r, 1, 999));
	sy_out_c(o, ',');
	sy_out_str(o, sy_surnames[last]);
	sy_out_int(o, sy_rng_range(r, 1, 999));
	sy_out_str(o, ",,");
	if (married && p->female && sy_rng_ppm(r, 500000)) {
		sy_out_str(o, sy_surnames[sy_rng_below(r, (uint32_t)sy_n_surnames)]);
		sy_out_int(o, sy_rng_range(r, 1, 999));
	}
	sy_out_c(o, ',');
	if (adult)
		sy_out_c(o, married ? 'M' : p->age > 75 && sy_rng_ppm(r, 400000) ? 'W' : sy_rng_ppm(r, 200000) ? 'D' : 'S');
	sy_out_c(o, ',');
	sy_out_str(o, eth_race[p->eth]);
	sy_out_c(o, ',');
	sy_out_str(o, eth_name[p->eth]);
	sy_out_str(o, p->female ? ",F," : ",M,");
	sy_out_str(o, I->towns[sy_rng_below(r, NTOWN)]);
	sy_out_str(o, "  England  GB,");
	sy_put_address(o, r);
	sy_out_c(o, ',');
	sy_out_str(o, I->towns[p->town]);
	sy_out_str(o, ",UnitedKingdom,");
	sy_out_str(o, I->county);
	sy_out_c(o, ',');
	sy_town_postcode(o, r, p->ics, p->town);
	sy_out_c(o, ',');
	sy_out_micro(o, I->lat + (p->town - 2) * 41000 + sy_rng_range(r, -30000, 30000));
	sy_out_c(o, ',');
	sy_out_micro(o, I->lon + ((p->town * 7) % 5 - 2) * 53000 + sy_rng_range(r, -30000, 30000));
	sy_out_c(o, ',');
	sy_out_money(o, p->cost);
	sy_out_c(o, ',');
	sy_out_money(o, p->cost);
	sy_out_c(o, ',');
	sy_out_int(o, 14000 + p->imd * 3600 + sy_rng_range(r, 0, 12000));
	sy_out_c(o, ',');
	sy_out_int(o, p->imd);
	sy_out_eol(o);
}

void sy_gen_patient(struct synth *S, long i)
{
	struct rng r;
	struct person p;
	sy_rng_seed(&r, S->seed, (uint64_t)i + 1u);
	memset(&p, 0, sizeof p);
	p.id = sy_rng_uid(&r);
	demographics(S, &r, &p);
	chronic(S, &r, &p);
	sy_gen_pathways(S, &r, &p);
	wellness(S, &r, &p);
	emergencies(S, &r, &p);
	careplans(S, &r, &p);
	if (!S->dry) {
		patient_row(S, &r, &p);
		S->total_cost += p.cost;
	}
}
