/* The fixed, invented organisation structure: 5 integrated care systems,
 * 15 Trusts, 43 hospital sites and 20 GP practices, the same whatever the
 * number of patients. Consultants per site x specialty grow mildly with
 * the number of patients. Written out after the patients, so providers
 * and organisations can carry their encounter counts (UTILIZATION). */
#include "synth/synth_int.h"
#include <stdlib.h>
#include <string.h>

const struct icsdef sy_ics_tab[NICS] = {
	{"QX1", "North Wexford Integrated Care System (synthetic)", "North Wexford", "WX", 53800000, -1550000, 24,
	 {"Wexbridge", "Ashcott Magna", "Thornleigh", "Larkhampton", "Pendlebury Cross", "Oakhurst Green"},
	 {800, 60, 80, 25, 20, 15}, {12, 11, 11, 10, 10, 10, 9, 9, 9, 9}},
	{"QX2", "Harrowdale and Quenby Integrated Care System (synthetic)", "Harrowdale", "HQ", 52480000, -1900000, 22,
	 {"Harrowdale", "Quenby Bridge", "Stonebeck", "Millhaven", "Ellerfield", "Brantwick"},
	 {560, 90, 200, 90, 35, 25}, {20, 16, 13, 11, 9, 8, 7, 6, 5, 5}},
	{"QX3", "Mereford Vale Integrated Care System (synthetic)", "Mereford", "MZ", 51750000, -1250000, 20,
	 {"Mereford", "Coldharbour Vale", "Wychstone", "Saltmere", "Fennick", "Hollins Cross"},
	 {840, 70, 45, 15, 20, 10}, {4, 5, 7, 8, 10, 11, 12, 13, 14, 16}},
	{"QX4", "Brackensea Coast Integrated Care System (synthetic)", "Brackensea", "BQ", 50720000, -3530000, 18,
	 {"Brackensea", "Gullhaven", "Redcliffe Bay", "Sandmoor", "Westerby", "Cragstead"},
	 {900, 45, 25, 10, 12, 8}, {10, 11, 11, 11, 10, 10, 10, 9, 9, 9}},
	{"QX5", "Yarrowvale Integrated Care System (synthetic)", "Yarrowvale", "YV", 54570000, -1230000, 16,
	 {"Yarrowby", "Kestrelton", "Dunmere", "Hawksfold", "Linthorpe Vale", "Ambercombe"},
	 {880, 40, 45, 12, 13, 10}, {16, 14, 12, 11, 10, 9, 8, 7, 7, 6}},
};

/* code, name, ics, wait, rho, dna, hospital cancellations, blank reasons, free-text reasons, never validated */
const struct trustdef sy_trust_tab[NTRUST] = {
	{"RX101", "Wexbridge Royal Hospitals NHS Trust (synthetic)", 0, 1000, 950, 1000, 1000, 10, 10, 80},
	{"RX102", "Larkhampton and Pendlebury NHS Trust (synthetic)", 0, 1050, 950, 1050, 1000, 10, 10, 100},
	{"RX103", "Oakhurst Green University Hospitals NHS Trust (synthetic)", 0, 950, 940, 950, 900, 10, 10, 80},
	{"RX104", "North Wexford Orthopaedic and Eye NHS Trust (synthetic)", 0, 900, 930, 900, 800, 5, 5, 60},
	{"RX201", "Harrowdale Teaching Hospitals NHS Trust (synthetic)", 1, 1100, 950, 1150, 1100, 20, 20, 100},
	{"RX202", "Quenby Bridge and Stonebeck NHS Trust (synthetic)", 1, 1000, 950, 1000, 1000, 10, 10, 80},
	{"RX203", "Millhaven District Hospitals NHS Trust (synthetic)", 1, 1050, 950, 1100, 1050, 300, 250, 250},
	{"RX301", "Mereford General Hospitals NHS Trust (synthetic)", 2, 650, 880, 800, 700, 5, 5, 30},
	{"RX302", "Wychstone and Saltmere NHS Trust (synthetic)", 2, 900, 940, 950, 950, 10, 10, 70},
	{"RX303", "Fennick Valley NHS Trust (synthetic)", 2, 950, 950, 950, 1000, 10, 10, 80},
	{"RX401", "Brackensea University Hospitals NHS Trust (synthetic)", 3, 1000, 950, 1000, 1000, 10, 10, 80},
	{"RX402", "Gullhaven and Redcliffe Bay NHS Trust (synthetic)", 3, 1450, 980, 1250, 1500, 100, 100, 200},
	{"RX403", "Sandmoor and Westerby NHS Trust (synthetic)", 3, 1000, 950, 1000, 1000, 10, 10, 80},
	{"RX501", "Yarrowby Royal NHS Trust (synthetic)", 4, 1050, 950, 1050, 1050, 10, 10, 90},
	{"RX502", "Kestrelton and Dunmere NHS Trust (synthetic)", 4, 1000, 950, 1000, 1000, 150, 100, 120},
};

#define B(i) (1u << (i))
#define ALL ((1u << NTF) - 1)
/* 160 plastic surgery and 400 neurology only at large sites, 170 cardiothoracic at three of them. */
#define TF_L (ALL & ~B(7))
#define TF_M (ALL & ~(B(6) | B(7) | B(13)))
#define TF_S (B(0) | B(2) | B(3) | B(4) | B(11) | B(16))

const struct sitedef sy_site_tab[NSITE] = {
	{"Wexbridge Royal Infirmary", 0, 0, 'L', B(7), 0},
	{"Ashcott Magna Community Hospital", 0, 1, 'S', 0, 0},
	{"Thornleigh Treatment Centre", 0, 2, 'S', 0, 0},
	{"Larkhampton General Hospital", 1, 3, 'M', 0, 0},
	{"Pendlebury Cross Hospital", 1, 4, 'M', 0, 0},
	{"Oakhurst Green University Hospital", 2, 5, 'L', 0, 0},
	{"Thornleigh General Hospital", 2, 2, 'M', 0, 0},
	{"Wexbridge East Day Surgery Centre", 2, 0, 'S', 0, 0},
	{"Larkhampton Community Hospital", 2, 3, 'S', 0, 0},
	{"North Wexford Orthopaedic Hospital", 3, 4, 'M', 0, B(2)},
	{"Ashcott Magna Eye Hospital", 3, 1, 'M', 0, B(4)},
	{"Harrowdale Royal Infirmary", 4, 0, 'L', B(7), 0},
	{"Harrowdale General Hospital", 4, 0, 'M', 0, 0},
	{"Quenby Bridge Community Hospital", 4, 1, 'S', 0, 0},
	{"Ellerfield Treatment Centre", 4, 4, 'S', 0, 0},
	{"Quenby Bridge General Hospital", 5, 1, 'M', 0, 0},
	{"Stonebeck Hospital", 5, 2, 'M', 0, 0},
	{"Brantwick Community Hospital", 5, 5, 'S', 0, 0},
	{"Millhaven District General Hospital", 6, 3, 'M', 0, 0},
	{"Millhaven Treatment Centre", 6, 3, 'S', 0, 0},
	{"Mereford General Hospital", 7, 0, 'L', 0, 0},
	{"Coldharbour Vale Hospital", 7, 1, 'M', 0, 0},
	{"Hollins Cross Day Surgery Unit", 7, 5, 'S', 0, 0},
	{"Wychstone Hospital", 8, 2, 'M', 0, 0},
	{"Saltmere General Hospital", 8, 3, 'M', 0, 0},
	{"Saltmere Community Hospital", 8, 3, 'S', 0, 0},
	{"Fennick Valley Hospital", 9, 4, 'M', 0, 0},
	{"Fennick Valley Treatment Centre", 9, 4, 'S', 0, 0},
	{"Brackensea University Hospital", 10, 0, 'L', B(7), 0},
	{"Cragstead Hospital", 10, 5, 'M', 0, 0},
	{"Brackensea Eye and Day Surgery Centre", 10, 0, 'S', 0, 0},
	{"Brackensea North Community Hospital", 10, 0, 'S', 0, 0},
	{"Gullhaven General Hospital", 11, 1, 'M', 0, 0},
	{"Redcliffe Bay Hospital", 11, 2, 'M', 0, 0},
	{"Sandmoor General Hospital", 12, 3, 'M', 0, 0},
	{"Westerby Community Hospital", 12, 4, 'S', 0, 0},
	{"Sandmoor Treatment Centre", 12, 3, 'S', 0, 0},
	{"Yarrowby Royal Infirmary", 13, 0, 'L', 0, 0},
	{"Hawksfold Hospital", 13, 3, 'M', 0, 0},
	{"Linthorpe Vale Community Hospital", 13, 4, 'S', 0, 0},
	{"Kestrelton General Hospital", 14, 1, 'M', 0, 0},
	{"Dunmere Hospital", 14, 2, 'M', 0, 0},
	{"Ambercombe Community Hospital", 14, 5, 'S', 0, 0},
};

static const char *const gp_kind[4] = {"Medical Practice", "Surgery", "Health Centre", "Family Practice"};
static const uint8_t gp_town[4] = {0, 2, 4, 5};

enum { TAG_ORG = 0x4f524700, TAG_PROV = 0x50525600, TAG_ADDR = 0x41444400 };

static int site_ics(int s)
{
	return sy_trust_tab[sy_site_tab[s].trust].ics;
}

static int size_w(char size)
{
	return size == 'L' ? 5 : size == 'M' ? 3 : 1;
}

static uint32_t isqrt(uint64_t v)
{
	uint64_t r = 0;
	while ((r + 1) * (r + 1) <= v)
		r++;
	return (uint32_t)r;
}

static void add_prov(struct synth *S, struct rng *r, int org, int tf)
{
	struct prov *p = &S->prov[S->nprov];
	p->id = sy_hash_uid(S->seed, TAG_PROV, (uint64_t)S->nprov);
	p->org = (int16_t)org;
	p->tf = (uint8_t)tf;
	p->female = (uint8_t)sy_rng_below(r, 2);
	p->first = (uint16_t)sy_rng_below(r, (uint32_t)(p->female ? sy_n_first_f : sy_n_first_m));
	p->last = (uint16_t)sy_rng_below(r, (uint32_t)sy_n_surnames);
	p->fnum = (uint16_t)sy_rng_range(r, 1, 999);
	p->lnum = (uint16_t)sy_rng_range(r, 1, 999);
	p->util = 0;
	S->nprov++;
}

void sy_orgs_build(struct synth *S)
{
	struct rng r;
	sy_rng_seed(&r, S->seed, 0x0e6a11ULL);
	for (int s = 0; s < NSITE; s++) {
		const struct sitedef *sd = &sy_site_tab[s];
		uint32_t m = sd->only ? sd->only : (sd->size == 'L' ? TF_L : sd->size == 'M' ? TF_M : TF_S) | sd->extra;
		S->tf_mask[s] = m;
		S->site_id[s] = sy_hash_uid(S->seed, TAG_ORG, (uint64_t)s);
	}
	for (int g = 0; g < NGP; g++)
		S->gp_id[g] = sy_hash_uid(S->seed, TAG_ORG, (uint64_t)(NSITE + g));
	S->payer_id = sy_hash_uid(S->seed, TAG_ORG, 9999);

	/* Count first, then fill: consultants, emergency medicine, GPs. */
	uint64_t n = (uint64_t)S->n;
	int cap = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			S->prov = calloc((size_t)cap, sizeof *S->prov);
			if (!S->prov)
				abort();
			S->nprov = 0;
		}
		for (int s = 0; s < NSITE; s++) {
			int w = size_w(sy_site_tab[s].size);
			for (int t = 0; t < NTF; t++) {
				if (!sy_site_offers(S, s, t))
					continue;
				int k = 1 + (int)isqrt(n * sy_tf_tab[t].weight * (uint64_t)w / 4000000u);
				if (!pass) {
					cap += k;
					continue;
				}
				S->cons_first[s][t] = S->nprov;
				S->cons_n[s][t] = k;
				for (int i = 0; i < k; i++)
					add_prov(S, &r, s, t);
			}
			int k = 1 + (int)isqrt(n * (uint64_t)w / 100000u);
			if (!pass) {
				cap += k;
				continue;
			}
			S->em_first[s] = S->nprov;
			S->em_n[s] = k;
			for (int i = 0; i < k; i++)
				add_prov(S, &r, s, 255);
		}
		for (int g = 0; g < NGP; g++) {
			int k = 1 + (int)isqrt(n / 20000u);
			if (k > 12)
				k = 12;
			if (!pass) {
				cap += k;
				continue;
			}
			S->gp_first[g] = S->nprov;
			S->gp_n[g] = k;
			for (int i = 0; i < k; i++)
				add_prov(S, &r, NSITE + g, 254);
		}
	}
}

void sy_orgs_free(struct synth *S)
{
	free(S->prov);
	S->prov = NULL;
}

int sy_site_offers(const struct synth *S, int site, int tf)
{
	return (S->tf_mask[site] >> tf) & 1u;
}

/* Mostly a site of the patient's own ICS; some choose or are sent elsewhere. */
int sy_pick_site(struct synth *S, struct rng *r, int ics, int tf)
{
	uint16_t w[NSITE];
	int local = !sy_rng_ppm(r, 80000);
	for (int pass = 0; pass < 2; pass++) {
		int any = 0;
		for (int s = 0; s < NSITE; s++) {
			w[s] = 0;
			if (sy_site_offers(S, s, tf) && (!local || site_ics(s) == ics)) {
				w[s] = (uint16_t)size_w(sy_site_tab[s].size);
				any = 1;
			}
		}
		if (any)
			return sy_rng_pick(r, w, NSITE);
		local = 0;
	}
	return 0;
}

int sy_pick_consultant(struct synth *S, struct rng *r, int site, int tf)
{
	return S->cons_first[site][tf] + (int)sy_rng_below(r, (uint32_t)S->cons_n[site][tf]);
}

/* Invented postcode areas (no real area uses these letters), districts per town. */
void sy_town_postcode(struct out *o, struct rng *r, int ics, int town)
{
	static const char inward[] = "ABDEFGHJLNPQRSTUWXYZ";
	sy_out_str(o, sy_ics_tab[ics].area);
	sy_out_int(o, town * 3 + sy_rng_range(r, 1, 3));
	sy_out_c(o, ' ');
	sy_out_c(o, (char)('0' + sy_rng_below(r, 10)));
	sy_out_c(o, inward[sy_rng_below(r, 20)]);
	sy_out_c(o, inward[sy_rng_below(r, 20)]);
}

void sy_put_address(struct out *o, struct rng *r)
{
	sy_out_int(o, sy_rng_range(r, 1, 240));
	sy_out_c(o, ' ');
	sy_out_str(o, sy_streets[sy_rng_below(r, (uint32_t)sy_n_streets)]);
}

static int org_ics(int org)
{
	return org < NSITE ? site_ics(org) : org - NSITE < NGP ? (org - NSITE) / 4 : 0;
}

static int org_town(int org)
{
	return org < NSITE ? sy_site_tab[org].town : gp_town[(org - NSITE) % 4];
}

/* ADDRESS,CITY,STATE,ZIP,LAT,LON of an organisation: the same draws every time. */
static void org_place(struct synth *S, struct out *o, int org)
{
	struct rng r;
	sy_rng_seed(&r, S->seed, TAG_ADDR + (uint64_t)org);
	int ics = org_ics(org), town = org_town(org);
	sy_put_address(o, &r);
	sy_out_c(o, ',');
	sy_out_str(o, sy_ics_tab[ics].towns[town]);
	sy_out_str(o, ",UnitedKingdom,");
	sy_town_postcode(o, &r, ics, town);
	sy_out_c(o, ',');
	sy_out_micro(o, sy_ics_tab[ics].lat + (town - 2) * 41000 + sy_rng_range(&r, -8000, 8000));
	sy_out_c(o, ',');
	sy_out_micro(o, sy_ics_tab[ics].lon + ((town * 7) % 5 - 2) * 53000 + sy_rng_range(&r, -8000, 8000));
}

static void org_name(struct out *o, int org)
{
	if (org < NSITE) {
		sy_out_str(o, sy_site_tab[org].name);
		return;
	}
	int g = org - NSITE;
	sy_out_str(o, sy_ics_tab[g / 4].towns[gp_town[g % 4]]);
	sy_out_c(o, ' ');
	sy_out_str(o, gp_kind[g % 4]);
}

void sy_orgs_write(struct synth *S)
{
	struct out *o = &S->out[O_ORGS];
	for (int org = 0; org < NSITE + NGP; org++) {
		sy_out_uid(o, org < NSITE ? S->site_id[org] : S->gp_id[org - NSITE]);
		sy_out_c(o, ',');
		org_name(o, org);
		sy_out_c(o, ',');
		org_place(S, o, org);
		sy_out_str(o, ",01632 960");
		int ph = (int)(sy_mix64(S->seed ^ (uint64_t)org) % 1000u);
		sy_out_c(o, (char)('0' + ph / 100));
		sy_out_c(o, (char)('0' + ph / 10 % 10));
		sy_out_c(o, (char)('0' + ph % 10));
		sy_out_str(o, ",0.00,");
		sy_out_int(o, S->org_util[org]);
		sy_out_eol(o);
	}

	o = &S->out[O_PROVIDERS];
	for (int i = 0; i < S->nprov; i++) {
		const struct prov *p = &S->prov[i];
		sy_out_uid(o, p->id);
		sy_out_c(o, ',');
		sy_out_uid(o, p->org < NSITE ? S->site_id[p->org] : S->gp_id[p->org - NSITE]);
		sy_out_c(o, ',');
		sy_out_str(o, p->female ? sy_first_f[p->first] : sy_first_m[p->first]);
		sy_out_int(o, p->fnum);
		sy_out_c(o, ' ');
		sy_out_str(o, sy_surnames[p->last]);
		sy_out_int(o, p->lnum);
		sy_out_str(o, p->female ? ",F," : ",M,");
		sy_out_str(o, p->tf < NTF ? sy_tf_tab[p->tf].speciality : p->tf == 255 ? "EMERGENCY MEDICINE" : "GENERAL PRACTICE");
		sy_out_c(o, ',');
		org_place(S, o, p->org);
		sy_out_c(o, ',');
		sy_out_int(o, p->util);
		sy_out_eol(o);
	}

	o = &S->out[O_HIER];
	for (int s = 0; s < NSITE; s++) {
		const struct trustdef *t = &sy_trust_tab[sy_site_tab[s].trust];
		sy_out_uid(o, S->site_id[s]);
		sy_out_c(o, ',');
		sy_out_str(o, t->code);
		sy_out_str(o, "-0");
		int k = 1;
		for (int j = s - 1; j >= 0 && sy_site_tab[j].trust == sy_site_tab[s].trust; j--)
			k++;
		sy_out_int(o, k);
		sy_out_c(o, ',');
		sy_out_text(o, sy_site_tab[s].name);
		sy_out_c(o, ',');
		sy_out_str(o, t->code);
		sy_out_c(o, ',');
		sy_out_text(o, t->name);
		sy_out_c(o, ',');
		sy_out_str(o, sy_ics_tab[t->ics].code);
		sy_out_c(o, ',');
		sy_out_text(o, sy_ics_tab[t->ics].name);
		sy_out_eol(o);
	}
}
