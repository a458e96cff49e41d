/* RTT pathways. Each one is drawn (specialty, procedure, site, referral
 * date, an intended time to the clock stop), then lived through step by
 * step: appointments are booked into the capacity plan, attended or not,
 * rebooked after DNAs and cancellations (which delays everything after),
 * until the clock stops or the census cuts the story short. Only what is
 * known at the census is written: later outcomes show as ATTENDANCE 0,
 * bookings made after it do not exist. */
#include "synth/synth_int.h"
#include <string.h>

enum atype { A_FIRST, A_FOLLOWUP, A_PREOP, A_DIAGNOSTIC, A_SURGERY };
static const char *const atype_name[] = {"FIRST", "FOLLOWUP", "PREOP", "DIAGNOSTIC", "SURGERY"};

/* Intended referral-to-stop time: weights of week bands (parts per 100,000),
 * uniform inside a band. Calibrated so that the open list at the census
 * matches the national shape (see docs/generator.md). */
static const int16_t t_edge[] = {0, 4, 8, 13, 18, 26, 35, 43, 52, 65, 78, 104, 130};
static const uint16_t t_w[] = {8500, 8500, 19500, 9500, 13600, 12500, 10500, 12000, 6000, 256, 16, 2};
enum { NT = sizeof t_w / sizeof t_w[0] };
enum { T_SCALE_PM = 1050 };  /* lengthens T: rebooked clocks start later, status 33 ends short waits */
enum { LOST_PPM = 5 };       /* pathways lost after the first appointment, x the Trust's never-validated rate / 8% */
enum { ESCAPE_PPM = 40000 }; /* pathways the long-waiter guard misses, x the square of the Trust's wait factor */
enum { REVIEW_PM = 400 };    /* priority reviews every 3 months, per mille, less the Trust's never-validated rate */

/* After a DNA of the first appointment (RTT rule 5), the chance that the
 * provider rebooks (a new clock) rather than discharging to the referrer
 * (status 33), parts per million: adults; children and two-week-wait
 * referrals, whom access policies do not discharge after one DNA; and a
 * second nullified clock. See docs/generator.md. */
enum { REBOOK_PPM = 600000, REBOOK_PROTECTED_PPM = 900000, REBOOK_AGAIN_PPM = 350000 };

struct step {
	uint8_t type;
	int32_t off; /* days after referral, before any delay */
};

struct phead {
	int proc, tf, site, cons, g_clinic, g_theatre;
	int32_t R, T;
	int32_t guard; /* long-waiter guard: days after referral by which the pathway is brought forward */
	uint8_t ptype; /* 1 routine, 2 urgent, 3 two-week wait */
	uint8_t lost;  /* fell off the radar after the first step: open for good */
};

static int is_cancer_tf(int tf)
{
	/* 100, 101, 160, 301, 330, 340, 502 take two-week-wait referrals */
	return tf == 0 || tf == 1 || tf == 6 || tf == 9 || tf == 11 || tf == 12 || tf == 16;
}

static int32_t draw_T(struct synth *S, struct rng *r, const struct phead *h)
{
	if (h->ptype == 3)
		return sy_rng_range(r, 21, 62);
	int k = sy_rng_pick(r, t_w, NT);
	int64_t t = sy_rng_range(r, t_edge[k] * 7 + 1, t_edge[k + 1] * 7);
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[h->site].trust];
	t = t * T->wait_pm / 1000 * T_SCALE_PM / 1000;
	if (T->ics == SHORT_ICS && h->tf == SHORT_TF) {
		/* short of capacity: waits stretch as the span goes on */
		int64_t num = h->R - S->span_start, den = S->census - S->span_start;
		if (num < 0)
			num = 0;
		t = t * (1000 + 400 * num / (den > 0 ? den : 1)) / 1000;
	}
	if (h->ptype == 2)
		t = t * 450 / 1000;
	return t < 7 ? 7 : (int32_t)t;
}

static int pick_proc(struct rng *r, int tf, const struct person *p)
{
	uint16_t w[64];
	int idx[64], n = 0;
	for (int i = 0; i < sy_n_proc && n < 64; i++) {
		const struct procdef *d = &sy_proc_tab[i];
		if (d->tf != tf || p->age < d->amin || p->age > d->amax)
			continue;
		if ((d->sex == 1 && p->female) || (d->sex == 2 && !p->female))
			continue;
		w[n] = d->weight;
		idx[n++] = i;
	}
	return n ? idx[sy_rng_pick(r, w, n)] : -1;
}

static int draw_head(struct synth *S, struct rng *r, const struct person *p, struct phead *h)
{
	uint16_t w[NTF];
	for (int t = 0; t < NTF; t++)
		w[t] = sy_tf_tab[t].weight;
	/* gynaecology for women only, urology mostly men: same overall shares */
	w[16] = p->female ? 2 * sy_tf_tab[16].weight : 0;
	w[1] = p->female ? sy_tf_tab[1].weight / 3 : sy_tf_tab[1].weight * 5 / 3;
	h->proc = -1;
	for (int tries = 0; tries < 30 && h->proc < 0; tries++) {
		h->tf = sy_rng_pick(r, w, NTF);
		h->proc = pick_proc(r, h->tf, p);
	}
	if (h->proc < 0) { /* atopic dermatitis is possible at any age */
		h->tf = 11;
		h->proc = pick_proc(r, 11, p);
		if (h->proc < 0)
			return -1;
	}
	h->site = sy_pick_site(S, r, p->ics, h->tf);
	h->cons = sy_pick_consultant(S, r, h->site, h->tf);
	h->g_clinic = S->grp_of[h->site][h->tf][0];
	h->g_theatre = S->grp_of[h->site][h->tf][1];
	uint32_t u = sy_rng_below(r, 1000);
	h->ptype = u < 820 ? 1 : u < 950 || !is_cancer_tf(h->tf) ? 2 : 3;
	/* Long waiters are chased: most pathways are brought forward by 54 to
	 * 66 weeks at the latest; a few escape (complex cases, patient choice),
	 * more where the Trust is slow, and a handful are lost altogether. */
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[h->site].trust];
	uint32_t esc = ESCAPE_PPM * T->wait_pm / 1000u * T->wait_pm / 1000u;
	if (T->ics == SHORT_ICS && h->tf == SHORT_TF)
		esc *= 4;
	h->guard = sy_rng_ppm(r, esc) ? DAY_NONE : sy_rng_range(r, 54 * 7, 66 * 7);
	h->lost = (uint8_t)sy_rng_ppm(r, LOST_PPM * T->noval_pm / 80u);
	if (h->lost)
		h->guard = DAY_NONE;
	return 0;
}

/* The steps of the pathway and the reason its clock will stop. */
static int plan(struct rng *r, const struct phead *h, struct step *st, int *reason)
{
	const struct procdef *d = &sy_proc_tab[h->proc];
	int32_t T = h->T;
	int n = 0;
	if (!d->irtt) {
		if (sy_rng_ppm(r, 350000)) {
			static const uint16_t w[] = {40, 35, 8, 12, 5};
			static const uint8_t code[] = {30, 34, 31, 32, 35};
			*reason = code[sy_rng_pick(r, w, 5)];
			st[n++] = (struct step){A_FIRST, T};
		} else {
			static const uint16_t w[] = {45, 28, 8, 14, 5};
			static const uint8_t code[] = {30, 34, 31, 32, 35};
			*reason = code[sy_rng_pick(r, w, 5)];
			int32_t f = (int32_t)((int64_t)T * sy_rng_range(r, 300, 600) / 1000);
			st[n++] = (struct step){A_FIRST, f};
			if (sy_rng_ppm(r, 400000))
				st[n++] = (struct step){A_DIAGNOSTIC, f + (T - f) / 2};
			st[n++] = (struct step){A_FOLLOWUP, T};
		}
	} else {
		int32_t f = (int32_t)((int64_t)T * sy_rng_range(r, 150, 400) / 1000);
		if (sy_rng_ppm(r, 880000)) {
			*reason = 30;
			int32_t fu = f + (int32_t)((int64_t)(T - f) * sy_rng_range(r, 150, 350) / 1000);
			int32_t pre = T - sy_rng_range(r, 14, 42);
			if (pre < fu + 7)
				pre = fu + 7;
			st[n++] = (struct step){A_FIRST, f};
			if (sy_rng_ppm(r, 500000))
				st[n++] = (struct step){A_DIAGNOSTIC, (f + fu) / 2};
			st[n++] = (struct step){A_FOLLOWUP, fu};
			st[n++] = (struct step){A_PREOP, pre};
			st[n++] = (struct step){A_SURGERY, T};
		} else {
			static const uint16_t w[] = {40, 35, 25};
			static const uint8_t code[] = {34, 35, 32};
			*reason = code[sy_rng_pick(r, w, 3)];
			st[n++] = (struct step){A_FIRST, f};
			if (sy_rng_ppm(r, 500000))
				st[n++] = (struct step){A_DIAGNOSTIC, (f + T) / 2};
			st[n++] = (struct step){A_FOLLOWUP, T};
		}
	}
	if (h->ptype == 3 && st[0].off > 14)
		st[0].off = sy_rng_range(r, 5, 14);
	/* keep the steps in order, a few days apart */
	if (st[0].off < 3)
		st[0].off = 3;
	for (int k = 1; k < n; k++) {
		int gap = st[k].type == A_SURGERY ? 7 : 5;
		if (st[k].off < st[k - 1].off + gap)
			st[k].off = st[k - 1].off + gap;
	}
	return n;
}

struct outcome {
	int att;                 /* NHS attended-or-did-not-attend code */
	int32_t cday;            /* cancellation day */
	int cmin;
	const char *reason;      /* standard code, or NULL */
	int session;             /* cancelled with the session */
};

static uint32_t dna_ppm(const struct person *p, const struct trustdef *T, int type)
{
	static const uint32_t base[] = {60000, 66000, 43000, 55000, 14000};
	uint32_t v = base[type];
	uint32_t age = p->age < 16 ? 1100 : p->age < 30 ? 1500 : p->age < 45 ? 1250 : p->age < 65 ? 950
		: p->age < 80 ? 750 : 900;
	v = v * (1550u - 110u * (p->imd - 1u)) / 1000u;
	v = v * age / 1000u;
	return v * T->dna_pm / 1000u;
}

static const char *pick_reason(struct rng *r, const struct reason *tab, int n)
{
	uint16_t w[16];
	for (int i = 0; i < n; i++)
		w[i] = tab[i].weight;
	return tab[sy_rng_pick(r, w, n)].code;
}

/* What happened to a booked slot (ignoring whether the census has seen it yet). */
static struct outcome decide(struct synth *S, struct rng *r, const struct person *p, const struct trustdef *T,
			     int type, int si, int32_t booked, int bmin, int32_t slot, int smin, int force)
{
	struct outcome oc = {5, DAY_NONE, 0, NULL, 0};
	if (si >= 0 && S->sess[si].cancelled) {
		const struct sess *x = &S->sess[si];
		oc.att = 4;
		oc.session = 1;
		oc.cday = x->day - x->notice;
		oc.cmin = sy_rng_range(r, 96, 204) * 5;
		oc.reason = sy_sess_reason_code(x->reason);
		if (oc.cday < booked || (oc.cday == booked && oc.cmin <= bmin)) {
			oc.cday = booked;
			oc.cmin = bmin + 5;
		}
		if (oc.cday == slot && oc.cmin >= smin)
			oc.cmin = smin > 5 ? smin - 5 : 0;
		return oc;
	}
	if (force)
		return oc;
	int surg = type == A_SURGERY;
	static const uint32_t pc_base[] = {58000, 70000, 45000, 56000, 36000};
	uint32_t pc = pc_base[type];
	uint32_t hc = (surg ? 40000u : 14000u) * T->hosp_pm / 1000u;
	uint32_t dna = dna_ppm(p, T, type);
	uint32_t l6 = surg ? 3000 : 20000, l7 = surg ? 0 : 4000;
	uint32_t u = sy_rng_below(r, 1000000);
	if (u < pc) {
		oc.att = 2;
		oc.reason = pick_reason(r, sy_pat_reasons, sy_n_pat_reasons);
		oc.cday = slot - sy_rng_range(r, 1, 21);
	} else if ((u -= pc) < hc) {
		oc.att = 4;
		uint32_t v = sy_rng_below(r, 100);
		int lastmin = surg ? v < 75 : v < 30;
		int sameday = surg ? v < 55 : v < 12;
		if (lastmin) {
			oc.reason = pick_reason(r, sy_hosp_day_reasons, sy_n_hosp_day_reasons);
			oc.cday = sameday ? slot : slot - 1;
		} else {
			oc.reason = pick_reason(r, sy_hosp_reasons, sy_n_hosp_reasons);
			oc.cday = slot - sy_rng_range(r, 2, surg ? 14 : 21);
		}
	} else if ((u -= hc) < dna) {
		oc.att = 3;
		return oc;
	} else if ((u -= dna) < l6) {
		oc.att = 6;
		return oc;
	} else if ((u -= l6) < l7) {
		oc.att = 7;
		return oc;
	} else {
		return oc;
	}
	oc.cmin = oc.cday == slot ? smin - sy_rng_range(r, 6, 36) * 5 : sy_rng_range(r, 96, 204) * 5;
	if (oc.cmin < 0)
		oc.cmin = 0;
	if (oc.cday < booked || (oc.cday == booked && oc.cmin <= bmin)) {
		oc.cday = booked;
		oc.cmin = bmin + 5;
	}
	return oc;
}

struct pstate {
	struct phead h;
	uint64_t lseed; /* the stream its life is drawn from */
	uid id;
	int32_t clk;    /* RTT clock start: the referral, or the rebooking after a nullified first DNA */
	int32_t dta, tci, stop;
	int reason;
	int prio;       /* index into prio_name, or -1 */
	int32_t prio_day; /* when the priority was set or last reviewed */
	uid surg_enc;
	int32_t surg_day;
};

static const char *const prio_name[] = {"P1a", "P1b", "P2", "P3", "P4"};

/* The clinical priority set at the decision to admit (index into
 * prio_name). P1a/P1b only where the procedure can be urgent (the
 * catalogue's p1 flag); elsewhere that share is P2. */
static int draw_priority(struct rng *r, const struct phead *h)
{
	uint32_t u = sy_rng_below(r, 1000);
	int p1 = sy_proc_tab[h->proc].p1;
	if (h->ptype > 1)
		return p1 && u < 20 ? 0 : p1 && u < 120 ? 1 : 2;
	return p1 && u < 5 ? 0 : p1 && u < 25 ? 1 : u < 60 ? 2 : u < 460 ? 3 : 4;
}

static void emit_appt(struct synth *S, const struct person *p, const struct pstate *ps, int type, int si,
		      int32_t slot, int smin, int32_t booked, int bmin, int att, const struct outcome *oc, uid enc,
		      struct rng *r)
{
	if (S->dry)
		return;
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[ps->h.site].trust];
	struct out *o = &S->out[O_APPTS];
	sy_out_uid(o, sy_rng_uid(r));
	sy_out_c(o, ',');
	sy_out_uid(o, ps->id);
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, S->site_id[ps->h.site]);
	sy_out_c(o, ',');
	sy_out_uid(o, S->prov[ps->h.cons].id);
	sy_out_c(o, ',');
	if (si >= 0)
		sy_out_uid(o, sy_sess_uid(S, (uint32_t)si));
	sy_out_c(o, ',');
	sy_out_str(o, atype_name[type]);
	sy_out_c(o, ',');
	sy_out_ts(o, slot, smin);
	sy_out_c(o, ',');
	sy_out_ts(o, booked, bmin);
	sy_out_c(o, ',');
	sy_out_int(o, att);
	sy_out_c(o, ',');
	if (att == 2 || att == 4) {
		sy_out_ts(o, oc->cday, oc->cmin);
		sy_out_c(o, ',');
		uint32_t q = sy_rng_below(r, 1000);
		if (q < T->blank_pm)
			;
		else if (q < (uint32_t)T->blank_pm + T->free_pm)
			sy_out_text(o, sy_bad_reasons[sy_rng_below(r, (uint32_t)sy_n_bad_reasons)]);
		else
			sy_out_str(o, oc->reason);
	} else {
		sy_out_c(o, ',');
	}
	sy_out_c(o, ',');
	if (att == 5 || att == 6)
		sy_out_uid(o, enc);
	sy_out_eol(o);
}

static void emit_clinical(struct synth *S, struct rng *r, struct person *p, struct pstate *ps, int type,
			  int32_t slot, int smin, int stops, uid enc)
{
	const struct procdef *d = &sy_proc_tab[ps->h.proc];
	static const char *const code[] = {"698314001", "390906007", "185349003", "371883000"};
	static const char *const desc[] = {"Consultation for treatment (procedure)", "Follow-up encounter (procedure)",
					   "Encounter for check up (procedure)", "Outpatient procedure (procedure)"};
	static const int32_t cost[] = {19500, 9800, 11000, 14500};
	static const int dur[] = {30, 15, 45, 40};
	int32_t stop_day = slot;
	int stop_min = smin;
	if (type == A_SURGERY) {
		if (d->daycase) {
			stop_min = smin + sy_rng_range(r, 36, 72) * 5;
		} else {
			int big = d->cost > 1000000;
			stop_day = slot + sy_rng_range(r, big ? 6 : 1, big ? 10 : 4);
			stop_min = sy_rng_range(r, 120, 204) * 5;
		}
		sy_emit_encounter(S, p, enc, slot, smin, stop_day, stop_min, ps->h.site, ps->h.cons,
			       d->daycase ? "ambulatory" : "inpatient", d->daycase ? "371883000" : "305408004",
			       d->daycase ? "Outpatient procedure (procedure)" : "Admission to surgical department (procedure)",
			       d->cost / 4, d->rcode, d->rdesc);
		ps->surg_enc = enc;
		ps->surg_day = slot;
	} else {
		stop_min = smin + dur[type];
		sy_emit_encounter(S, p, enc, slot, smin, slot, stop_min, ps->h.site, ps->h.cons, "outpatient", code[type],
			       desc[type], cost[type], d->rcode, d->rdesc);
	}
	if (S->dry || !(type == A_SURGERY || (stops && ps->reason == 30)))
		return;
	struct out *o = &S->out[O_PROCEDURES];
	int pstart = type == A_SURGERY && !d->daycase ? smin + 60 : smin + 5;
	sy_out_ts(o, slot, pstart);
	sy_out_c(o, ',');
	sy_out_ts(o, slot, pstart + (type == A_SURGERY ? sy_rng_range(r, 6, 36) * 5 : 15));
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, enc);
	sy_out_c(o, ',');
	sy_out_str(o, d->code);
	sy_out_c(o, ',');
	sy_out_text(o, d->desc);
	sy_out_c(o, ',');
	sy_out_money(o, type == A_SURGERY ? d->cost * 3 / 4 : d->cost);
	sy_out_c(o, ',');
	if (d->rcode[0]) {
		sy_out_str(o, d->rcode);
		sy_out_c(o, ',');
		sy_out_text(o, d->rdesc);
	} else {
		sy_out_c(o, ',');
	}
	sy_out_eol(o);
}

/* Lives through the pathway's steps until the clock stops or the census. */
static void live(struct synth *S, struct person *p, struct pstate *ps)
{
	struct rng lr, *r = &lr;
	sy_rng_seed(r, ps->lseed, 0x11fe);
	const struct phead *h = &ps->h;
	const struct procdef *d = &sy_proc_tab[h->proc];
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[h->site].trust];
	struct step st[6];
	int reason = 30;
	int ns = plan(r, h, st, &reason);
	int32_t delay = 0, prev = h->R, prev_att = h->R;
	int dnas = 0, nulled = 0;
	int p1 = 0; /* P1a/P1b: operated within days of the decision, on an emergency or urgent list */
	if (h->lost)
		ns = 1; /* never booked beyond the first appointment */
	for (int k = 0; k < ns; k++) {
		int type = st[k].type, last = k == ns - 1 && !h->lost;
		if (p1 && type == A_PREOP)
			continue; /* assessed on admission */
		int urgent = p1 && type == A_SURGERY;
		int32_t want = h->R + st[k].off + delay;
		int32_t booked;
		if (type == A_FIRST)
			booked = h->R + sy_rng_range(r, 1, 10);
		else if (type == A_SURGERY)
			booked = prev_att + sy_rng_range(r, 1, 14);
		else
			booked = prev_att;
		int32_t lead = want - sy_rng_range(r, type == A_SURGERY ? 21 : 14, type == A_SURGERY ? 56 : 70);
		if (lead > booked)
			booked = lead;
		if (urgent) {
			/* P1a within 24 hours, P1b within 72 */
			int32_t days = sy_rng_range(r, 1, ps->prio == 0 ? 1 : 3);
			booked = ps->dta;
			want = ps->dta + days;
		}
		for (int attempt = 0;; attempt++) {
			if (attempt > 20)
				return; /* safety valve: left open, never seen in practice */
			if (h->guard != DAY_NONE && want > ps->clk + h->guard)
				want = ps->clk + h->guard;
			if (want <= prev)
				want = prev + (urgent ? 1 : 3);
			if (!urgent)
				want = sy_next_workday(want);
			if (S->probe && want >= S->span_start)
				return; /* the probe only needs the history before the span */
			if (booked >= want)
				booked = want - 1;
			if (p->death <= want) {
				if (p->death <= S->census) {
					ps->stop = p->death;
					ps->reason = 36;
				}
				return;
			}
			if (booked > S->census)
				return; /* not booked yet at the census */
			int bmin = sy_rng_range(r, 96, 210) * 5;
			int g = type == A_SURGERY ? h->g_theatre : h->g_clinic;
			int32_t slot = want;
			int smin = sy_rng_range(r, 108, 192) * 5, si = -1;
			/* urgent operations go on the emergency or urgent lists, not the elective plan */
			int outside = sy_rng_ppm(r, 8000) || urgent;
			if (want >= S->cal_start && !outside) {
				if (S->dry) {
					if (booked <= S->census && !S->probe)
						sy_sess_count(S, g, want);
				} else {
					int m;
					si = sy_sess_book(S, g, want, booked, prev, &slot, &m);
					if (si >= 0)
						smin = m;
				}
			}
			if (p->death <= slot) {
				if (p->death <= S->census) {
					ps->stop = p->death;
					ps->reason = 36;
				}
				return;
			}
			struct outcome oc = decide(S, r, p, T, type, si, booked, bmin, slot, smin, attempt >= 4);
			int cancelled = oc.att == 2 || oc.att == 4;
			int32_t known = cancelled ? oc.cday : slot;
			int shown = slot >= S->span_start;
			if (type == A_SURGERY)
				ps->tci = slot;
			if (known > S->census) {
				if (shown)
					emit_appt(S, p, ps, type, si, slot, smin, booked, bmin, 0, &oc, (uid){0, 0}, r);
				return;
			}
			uid enc = sy_rng_uid(r);
			if (shown)
				emit_appt(S, p, ps, type, si, slot, smin, booked, bmin, oc.att, &oc, enc, r);
			if (oc.att == 5 || oc.att == 6) {
				if (shown)
					emit_clinical(S, r, p, ps, type, slot, smin, last, enc);
				prev = prev_att = slot;
				delay = slot - (h->R + st[k].off);
				if (type == A_FOLLOWUP && d->irtt && reason == 30) {
					ps->dta = ps->prio_day = slot;
					ps->prio = draw_priority(r, h);
					p1 = ps->prio <= 1;
				}
				if (last) {
					ps->stop = slot;
					ps->reason = reason;
				}
				break;
			}
			if (type == A_SURGERY)
				ps->tci = DAY_NONE;
			if (oc.att == 3 || oc.att == 7)
				dnas++;
			if (oc.att == 3 && type == A_FIRST) {
				/* RTT rule 5: a DNA of the first appointment nullifies the
				 * clock. Rebooked, a new clock starts the day the patient
				 * rebooks; otherwise the patient goes back to the referrer. */
				int32_t reb = sy_next_workday(slot + sy_rng_range(r, 1, 21));
				uint32_t keep = nulled++ ? REBOOK_AGAIN_PPM
					: h->ptype == 3 || p->age < 18 ? REBOOK_PROTECTED_PPM : REBOOK_PPM;
				if (!sy_rng_ppm(r, keep) || reb > S->census || reb >= p->death) {
					ps->stop = slot;
					ps->reason = 33;
					return;
				}
				ps->clk = booked = reb;
				want = reb + sy_rng_range(r, 14, 35);
				prev = slot;
				delay = want - (h->R + st[k].off);
				continue;
			}
			if (oc.att == 3 && dnas >= 2 && sy_rng_ppm(r, 500000)) {
				ps->stop = slot; /* discharged back to the GP after repeated DNAs */
				ps->reason = 34;
				return;
			}
			if (cancelled) {
				booked = oc.cday;
				want = slot + (oc.session ? sy_rng_range(r, 3, 21) : sy_rng_range(r, 7, 21));
				if (want <= oc.cday)
					want = oc.cday + 7;
			} else {
				booked = slot + sy_rng_range(r, 1, 5);
				want = slot + sy_rng_range(r, 14, 35);
			}
			prev = slot; /* a rebooking comes after the slot it replaces */
			if (urgent) {
				/* rebooked within days, on the next urgent list */
				booked = cancelled ? oc.cday : slot;
				want = booked + sy_rng_range(r, 1, 3);
			}
			delay = want - (h->R + st[k].off);
		}
	}
}

static void write_pathway(struct synth *S, struct rng *r, const struct person *p, const struct pstate *ps)
{
	const struct phead *h = &ps->h;
	const struct procdef *d = &sy_proc_tab[h->proc];
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[h->site].trust];
	struct out *o = &S->out[O_WAITING];
	int open = ps->stop == DAY_NONE;
	sy_out_uid(o, ps->id);
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, S->site_id[h->site]);
	sy_out_c(o, ',');
	sy_out_uid(o, S->prov[h->cons].id);
	sy_out_c(o, ',');
	sy_out_str(o, sy_tf_tab[h->tf].code);
	sy_out_str(o, ps->dta != DAY_NONE ? ",IRTT," : ",ORTT,");
	if (ps->prio >= 0)
		sy_out_str(o, prio_name[ps->prio]);
	sy_out_c(o, ',');
	sy_out_int(o, h->ptype);
	sy_out_c(o, ',');
	sy_out_date(o, h->R);
	sy_out_c(o, ',');
	sy_out_date(o, ps->clk);
	sy_out_c(o, ',');
	if (ps->dta != DAY_NONE)
		sy_out_date(o, ps->dta);
	sy_out_c(o, ',');
	if (ps->prio >= 0)
		sy_out_date(o, ps->prio_day);
	sy_out_c(o, ',');
	if (ps->tci != DAY_NONE)
		sy_out_date(o, ps->tci);
	sy_out_c(o, ',');
	if (!open) {
		sy_out_date(o, ps->stop);
		sy_out_c(o, ',');
		sy_out_int(o, ps->reason);
	} else {
		sy_out_c(o, ',');
	}
	sy_out_c(o, ',');
	sy_out_str(o, d->code);
	sy_out_c(o, ',');
	sy_out_text(o, d->desc);
	sy_out_c(o, ',');
	uint32_t q = sy_rng_below(r, 1000);
	if (open) {
		if (q >= T->noval_pm) {
			int32_t v = sy_rng_ppm(r, 750000) ? S->census - sy_rng_range(r, 0, 84) : S->census - sy_rng_range(r, 85, 400);
			sy_out_date(o, v < ps->clk ? ps->clk : v);
		}
	} else if (q >= 400) {
		sy_out_date(o, sy_rng_range(r, h->R, ps->stop));
	}
	sy_out_eol(o);
}

/* Clinical review of the priority of a pathway still waiting for its
 * operation: at each three-month point after the priority was set, some
 * pathways are reviewed (fewer where the Trust validates poorly); the
 * review sets PRIORITY_DATE and may move the priority one step. P1a/P1b
 * are operated within days and never reviewed. Drawn from a stream of its
 * own, after the pathway has been lived through, so it shifts nothing else. */
static void review_priority(struct synth *S, struct pstate *ps)
{
	if (ps->prio < 2)
		return;
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[ps->h.site].trust];
	struct rng rr, *r = &rr;
	sy_rng_seed(r, ps->lseed, 0x9e71);
	int32_t end = ps->stop != DAY_NONE && ps->stop <= S->census ? ps->stop : S->census + 1;
	uint32_t chance = REVIEW_PM > T->noval_pm ? REVIEW_PM - T->noval_pm : 0;
	for (int32_t day = ps->prio_day;;) {
		day = sy_next_workday(day + 91 + sy_rng_range(r, 0, 13));
		if (day >= end)
			return;
		if (sy_rng_below(r, 1000) >= chance)
			continue;
		uint32_t u = sy_rng_below(r, 1000);
		if (u < 70 && ps->prio > 2)
			ps->prio--; /* worse: more urgent */
		else if (u >= 70 && u < 200 && ps->prio < 4)
			ps->prio++; /* better: can wait longer */
		ps->prio_day = day;
	}
}

/* The condition the pathway treats, diagnosed at the GP visit that referred it. */
static void pathway_condition(struct synth *S, struct person *p, const struct pstate *ps, uid gp_enc, int32_t gp_day)
{
	const struct procdef *d = &sy_proc_tab[ps->h.proc];
	if (S->dry || !d->rcode[0] || sy_has_condition(p, d->rcode))
		return;
	struct out *o = &S->out[O_CONDITIONS];
	sy_out_date(o, gp_day);
	sy_out_c(o, ',');
	if (d->resolves && ps->reason == 30 && ps->stop != DAY_NONE)
		sy_out_date(o, ps->stop);
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, gp_enc);
	sy_out_c(o, ',');
	sy_out_str(o, d->rcode);
	sy_out_c(o, ',');
	sy_out_text(o, d->rdesc);
	sy_out_eol(o);
}

static void physio(struct synth *S, struct rng *r, const struct person *p, const struct pstate *ps)
{
	const struct procdef *d = &sy_proc_tab[ps->h.proc];
	if (ps->surg_day == DAY_NONE || (strcmp(d->code, "609588000") && strcmp(d->code, "52734007")))
		return;
	int32_t start = ps->surg_day + sy_rng_range(r, 7, 21);
	int32_t stop = start + sy_rng_range(r, 42, 90);
	uid id = sy_rng_uid(r);
	if (S->dry || start > S->census || start >= p->death)
		return;
	struct out *o = &S->out[O_CAREPLANS];
	sy_out_uid(o, id);
	sy_out_c(o, ',');
	sy_out_date(o, start);
	sy_out_c(o, ',');
	if (stop <= S->census)
		sy_out_date(o, stop);
	sy_out_c(o, ',');
	sy_out_uid(o, p->id);
	sy_out_c(o, ',');
	sy_out_uid(o, ps->surg_enc);
	sy_out_str(o, ",91251008,Physical therapy procedure,");
	sy_out_str(o, d->rcode);
	sy_out_c(o, ',');
	sy_out_text(o, d->rdesc);
	sy_out_eol(o);
}

/* Deaths: more likely for the old and multimorbid; never before the first
 * referral, and only those on or before the census are known. */
static void maybe_death(struct synth *S, struct rng *r, struct person *p, int32_t first_ref)
{
	uint32_t pm = p->age < 50 ? 2 : p->age < 65 ? 8 : p->age < 75 ? 20 : p->age < 85 ? 50 : 120;
	pm = pm * (uint32_t)(10 + 3 * p->charlson) / 10u;
	if (!sy_rng_ppm(r, pm * 1000u))
		return;
	int32_t lo = first_ref + 14 > S->span_start ? first_ref + 14 : S->span_start;
	int32_t d = sy_rng_range(r, lo, S->census + 365);
	if (d <= S->census)
		p->death = d;
}

/* When the pathway starts. One referred before the span is kept only if
 * it is still open when the span starts: nothing before the span touches
 * the capacity plan, so a dry run of its early history (from its own
 * random stream) is exactly what the real run will live through. */
static void draw_when(struct synth *S, struct rng *r, struct person *p, struct pstate *ps)
{
	struct phead *h = &ps->h;
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[h->site].trust];
	int32_t lo = S->ref_lo > p->birth + 180 ? S->ref_lo : p->birth + 180;
	for (int tries = 0; tries < 200; tries++) {
		h->R = sy_rng_range(r, lo, S->census);
		h->T = draw_T(S, r, h);
		ps->lseed = sy_rng_next(r);
		ps->clk = h->R;
		if (T->ics == SHORT_ICS && h->tf == SHORT_TF &&
		    sy_rng_below(r, 1000) >= 550 + 450 * (uint32_t)(h->R - lo) / (uint32_t)(S->census - lo + 1))
			continue; /* its referrals grow steadily, by a third over a 24-month span */
		if (h->R >= S->span_start || h->lost)
			return;
		struct pstate probe = *ps;
		int64_t cost = p->cost;
		int dry = S->dry;
		S->dry = 1;
		S->probe = 1;
		live(S, p, &probe);
		S->dry = dry;
		S->probe = 0;
		p->cost = cost;
		if (probe.stop == DAY_NONE || probe.stop >= S->span_start)
			return;
	}
	h->R = sy_rng_range(r, S->span_start > lo ? S->span_start : lo, S->census);
	h->T = draw_T(S, r, h);
	ps->clk = h->R;
}

void sy_gen_pathways(struct synth *S, struct rng *r, struct person *p)
{
	struct pstate ps[3];
	uint32_t u = sy_rng_below(r, 100);
	int n = u < 80 ? 1 : u < 96 ? 2 : 3;
	int32_t first = DAY_NONE;
	for (int i = 0; i < n; i++) {
		memset(&ps[i], 0, sizeof ps[i]);
		if (draw_head(S, r, p, &ps[i].h)) {
			n = i;
			break;
		}
		ps[i].id = sy_rng_uid(r);
		ps[i].dta = ps[i].tci = ps[i].stop = ps[i].surg_day = ps[i].prio_day = DAY_NONE;
		ps[i].prio = -1;
		draw_when(S, r, p, &ps[i]);
		if (ps[i].h.R < first)
			first = ps[i].h.R;
	}
	maybe_death(S, r, p, first);
	for (int i = 0; i < n; i++) {
		if (ps[i].h.R >= p->death)
			continue; /* the earliest referral always precedes a death */
		int32_t gp_day = ps[i].h.R - sy_rng_range(r, 2, 42);
		uid gp_enc = sy_rng_uid(r);
		const struct procdef *d = &sy_proc_tab[ps[i].h.proc];
		int minute = sy_rng_range(r, 96, 204) * 5;
		sy_emit_encounter(S, p, gp_enc, gp_day, minute, gp_day, minute + 15, NSITE + p->gp, sy_gp_provider(S, r, p),
			       "ambulatory", "185347001", "Encounter for problem (procedure)", 7749, d->rcode, d->rdesc);
		live(S, p, &ps[i]);
		if (ps[i].stop == DAY_NONE && p->death <= S->census) {
			ps[i].stop = p->death; /* died while waiting */
			ps[i].reason = 36;
		}
		if (S->dry)
			continue;
		review_priority(S, &ps[i]);
		pathway_condition(S, p, &ps[i], gp_enc, gp_day);
		physio(S, r, p, &ps[i]);
		write_pathway(S, r, p, &ps[i]);
	}
}
