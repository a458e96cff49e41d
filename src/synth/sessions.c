/* The capacity plan: clinics and theatre lists per site x treatment
 * function, on a repeating four-week pattern of working days, sized from
 * the demand seen in the sizing pass. Sessions live in memory with a
 * booked count each; an appointment takes the session with room nearest
 * the day it wants. */
#include "synth/synth_int.h"
#include <stdlib.h>
#include <string.h>

enum { TAG_SESS = 0x53455300, SCAN_LIMIT = 2000 };

/* Session-level cancellation reasons (data/cancellation_reasons.csv, SIDE session). */
static const struct {
	const char *code;
	uint16_t weight;
	uint8_t notice_lo, notice_hi;
} sess_reasons[] = {
	{"SESS_LEAVE", 45, 42, 70},        {"SESS_STAFF_SICKNESS", 25, 0, 1}, {"SESS_ESTATES", 12, 1, 14},
	{"SESS_REALLOCATED", 10, 7, 21},   {"SESS_INDUSTRIAL_ACTION", 0, 14, 28},
};
enum { NSR = sizeof sess_reasons / sizeof sess_reasons[0], SR_STRIKE = NSR - 1 };

/* National industrial action days (resident doctors, England) inside any calendar. */
static const struct { int y, m, d, n; } strikes[] = {
	{2023, 3, 13, 3}, {2023, 4, 11, 4}, {2023, 6, 14, 3}, {2023, 7, 13, 5}, {2023, 8, 11, 4},
	{2023, 9, 19, 4}, {2023, 10, 2, 3}, {2023, 12, 20, 3}, {2024, 1, 3, 6}, {2024, 2, 24, 5},
	{2024, 6, 27, 6}, {2025, 7, 25, 5},
};

const char *sy_sess_reason_code(int reason)
{
	return sess_reasons[reason].code;
}

static int is_strike_day(int32_t day)
{
	for (size_t i = 0; i < sizeof strikes / sizeof strikes[0]; i++) {
		int32_t a = sy_days_from_ymd(strikes[i].y, strikes[i].m, strikes[i].d);
		if (day >= a && day < a + strikes[i].n)
			return 1;
	}
	return 0;
}

static int tf_has_theatre(int tf)
{
	for (int i = 0; i < sy_n_proc; i++)
		if (sy_proc_tab[i].tf == tf && sy_proc_tab[i].irtt)
			return 1;
	return 0;
}

void sy_sess_groups(struct synth *S)
{
	int n = 0;
	memset(S->grp_of, 0xff, sizeof S->grp_of);
	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			S->grp = calloc((size_t)n + 1, sizeof *S->grp);
			if (!S->grp)
				abort();
			S->ngrp = n;
			n = 0;
		}
		for (int s = 0; s < NSITE; s++)
			for (int t = 0; t < NTF; t++) {
				if (!sy_site_offers(S, s, t))
					continue;
				for (int th = 0; th < 1 + tf_has_theatre(t); th++) {
					if (pass) {
						S->grp_of[s][t][th] = (int16_t)n;
						S->grp[n].site = (int16_t)s;
						S->grp[n].tf = (uint8_t)t;
						S->grp[n].theatre = (uint8_t)th;
					}
					n++;
				}
			}
	}
}

static int32_t cycle0(const struct synth *S)
{
	return S->cal_start - sy_weekday(S->cal_start);
}

static int ncycles(const struct synth *S)
{
	return (S->cal_end - cycle0(S)) / 28 + 1;
}

void sy_sess_count(struct synth *S, int g, int32_t slot_day)
{
	if (slot_day >= S->cal_start && slot_day <= S->census) {
		S->dem[(size_t)g * (size_t)ncycles(S) + (size_t)((slot_day - cycle0(S)) / 28)]++;
	}
}

void sy_sess_demand_init(struct synth *S)
{
	S->dem = calloc((size_t)S->ngrp * (size_t)ncycles(S) + 1, sizeof *S->dem);
	if (!S->dem)
		abort();
}

/* Per group: m sessions per four weeks, spread evenly over the 40
 * half-days of the cycle; each cycle's sessions share a capacity sized to
 * that cycle's demand (the plan follows the seasons of the list), later
 * cycles the recent average. */
static uint32_t plan_group(struct synth *S, int g, int fill)
{
	struct group *G = &S->grp[g];
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[G->site].trust];
	int over = G->site == OVERBOOK_SITE;
	int shortg = T->ics == SHORT_ICS && G->tf == SHORT_TF;
	int nc = ncycles(S);
	int32_t c0 = cycle0(S);
	/* cycles wholly inside [cal_start, census] have their own demand */
	int first_full = (S->cal_start - c0 + 27) / 28, last_full = (S->census + 1 - c0) / 28 - 1;
	uint64_t sum = 0;
	int nfull = 0;
	for (int c = first_full; c <= last_full; c++, nfull++)
		sum += S->dem[(size_t)g * (size_t)nc + (size_t)c];
	uint64_t avg = nfull ? sum * 1000u / (uint64_t)nfull : 0; /* thousandths per cycle */
	/* The short-of-capacity service keeps the plan of its first six months
	 * while its demand grows. */
	uint64_t flat = 0;
	if (shortg) {
		int k = 0;
		for (int c = first_full; c <= last_full && k < 6; c++, k++)
			flat += S->dem[(size_t)g * (size_t)nc + (size_t)c];
		flat = k ? flat * 1000u / (uint64_t)k : avg;
	}
	uint64_t rho = over ? 1150 : shortg ? 960 : T->rho_pm;
	uint64_t per_target = G->theatre ? 5000u : 12000u;
	uint64_t m = (avg * 1000u / rho + per_target / 2) / per_target;
	if (m < 2)
		m = 2; /* at least a fortnightly clinic or list */
	if (m > 40)
		m = 40;
	uint32_t offset = (uint32_t)(sy_mix64(S->seed ^ ((uint64_t)g << 20)) % 40u);
	uint8_t at[40] = {0};
	for (uint64_t i = 0; i < m; i++)
		at[(i * 40u / m + offset) % 40u] = 1;

	uint32_t cnt = 0;
	uint16_t *per_cycle = fill ? calloc((size_t)nc, sizeof *per_cycle) : NULL;
	if (fill && !per_cycle)
		abort();
	for (int pass = fill ? 0 : 1; pass < 2; pass++) {
		struct rng r;
		sy_rng_seed(&r, S->seed, TAG_SESS + (uint64_t)g);
		uint64_t acc = 500; /* fractions of a slot carry from session to session */
		for (int32_t d0 = S->cal_start; d0 <= S->cal_end; d0++) {
			if (sy_weekday(d0) >= 5)
				continue;
			int32_t d = sy_next_workday(d0); /* a bank holiday's session moves to the next working day */
			int c = (d0 - c0) / 28;
			int cycle_day = ((d0 - c0) % 28 / 7) * 5 + sy_weekday(d0);
			for (int half = 0; half < 2; half++) {
				if (!at[cycle_day * 2 + half])
					continue;
				if (!fill) {
					cnt++;
					continue;
				}
				if (!pass) {
					per_cycle[c]++;
					continue;
				}
				/* this cycle's capacity, in thousandths of a slot */
				uint64_t dem = shortg ? flat
					: c >= first_full && c <= last_full
					? (uint64_t)S->dem[(size_t)g * (size_t)nc + (size_t)c] * 1000u
					: avg;
				uint64_t cap = dem * 1000u / rho;
				/* a cycle cut by the calendar, or in the future: each
				 * session as in a whole cycle */
				uint64_t per = c < first_full || c > last_full || !per_cycle[c] ? cap / m : cap / per_cycle[c];
				struct sess *x = &S->sess[S->nsess + cnt];
				uint64_t before = acc / 1000u;
				acc += per;
				uint64_t p = acc / 1000u - before;
				if (p < 1)
					p = 1;
				x->day = d;
				x->pm = (uint8_t)half;
				x->planned = (uint16_t)(p > 60000 ? 60000 : p);
				uint32_t cp = over ? x->planned * 135u / 100u + 1u : x->planned;
				x->cap = (uint16_t)(cp > 65535u ? 65535u : cp);
				x->booked = 0;
				x->cancelled = 0;
				uint32_t ppm = 22000u * T->hosp_pm / 1000u;
				if (is_strike_day(d) && sy_rng_ppm(&r, 250000)) {
					x->cancelled = 1;
					x->reason = SR_STRIKE;
				} else if (sy_rng_ppm(&r, ppm)) {
					uint16_t w[NSR];
					for (int k = 0; k < (int)NSR; k++)
						w[k] = sess_reasons[k].weight;
					x->cancelled = 1;
					x->reason = (uint8_t)sy_rng_pick(&r, w, NSR);
				}
				if (x->cancelled)
					x->notice = (uint8_t)sy_rng_range(&r, sess_reasons[x->reason].notice_lo,
								      sess_reasons[x->reason].notice_hi);
				cnt++;
			}
		}
	}
	free(per_cycle);
	return cnt;
}

void sy_sess_plan(struct synth *S)
{
	S->ndays = S->cal_end - S->cal_start + 1;
	uint32_t total = 0;
	for (int g = 0; g < S->ngrp; g++)
		total += plan_group(S, g, 0);
	S->sess = calloc((size_t)total + 1, sizeof *S->sess);
	S->dayidx = malloc(((size_t)S->ngrp * (size_t)(S->ndays + 1) + 1) * sizeof *S->dayidx);
	if (!S->sess || !S->dayidx)
		abort();
	S->nsess = 0;
	for (int g = 0; g < S->ngrp; g++) {
		struct group *G = &S->grp[g];
		G->first = S->nsess;
		S->nsess += plan_group(S, g, 1);
		G->end = S->nsess;
		uint32_t *di = S->dayidx + (size_t)g * (size_t)(S->ndays + 1);
		uint32_t i = G->first;
		for (int32_t k = 0; k <= S->ndays; k++) {
			while (i < G->end && S->sess[i].day < S->cal_start + k)
				i++;
			di[k] = i;
		}
	}
}

/* Takes the first session of the group on or after `want` that has room
 * and was not already known to be cancelled when booking. Returns its
 * index, or -1 (booked outside the plan) with *slot_day set either way. */
static int has_room(const struct sess *x, int32_t booked_day)
{
	if (x->cancelled && booked_day >= x->day - x->notice)
		return 0; /* already known to be cancelled when booking */
	return x->booked < x->cap;
}

/* Takes the session with room nearest to `want`: the first one on or
 * after it, or an earlier one (up to three weeks earlier, at least a few
 * days after booking, and after the day `after`: a rebooking never lands
 * before the slot it replaces) when that is closer. Returns its index, or
 * -1 (booked outside the plan) with *slot_day set either way. */
int sy_sess_book(struct synth *S, int g, int32_t want, int32_t booked_day, int32_t after, int32_t *slot_day,
		 int *minute)
{
	*slot_day = want;
	*minute = 0;
	if (want < S->cal_start || want > S->cal_end)
		return -1;
	const struct group *G = &S->grp[g];
	uint32_t at = S->dayidx[(size_t)g * (size_t)(S->ndays + 1) + (size_t)(want - S->cal_start)];
	int32_t lo = want - 21;
	if (lo < booked_day + 3)
		lo = booked_day + 3;
	if (lo <= after)
		lo = after + 1;
	/* Never earlier across the span's start, nor at all before it: the
	 * history before the span must only ever be delayed by the plan (see
	 * draw_when in pathways.c). */
	if (want < S->span_start)
		lo = want;
	else if (lo < S->span_start)
		lo = S->span_start;
	/* Past the horizon an extra, unplanned clinic or list is put on (a
	 * waiting list initiative); the short-of-capacity service waits longer
	 * before it gets one. */
	const struct trustdef *T = &sy_trust_tab[sy_site_tab[G->site].trust];
	int32_t horizon = want + (T->ics == SHORT_ICS && G->tf == SHORT_TF ? 140 : 56);
	int64_t best = -1;
	for (uint32_t i = at, n = 0; i < G->end && n < SCAN_LIMIT && S->sess[i].day <= horizon; i++, n++) {
		if (has_room(&S->sess[i], booked_day)) {
			best = i;
			break;
		}
	}
	for (uint32_t i = at; i > G->first && S->sess[i - 1].day >= lo; i--) {
		const struct sess *x = &S->sess[i - 1];
		if (best >= 0 && want - x->day >= S->sess[best].day - want)
			break;
		if (has_room(x, booked_day)) {
			best = i - 1;
			break;
		}
	}
	if (best < 0) {
		*slot_day = sy_next_workday(want + 14);
		return -1;
	}
	struct sess *x = &S->sess[best];
	int pos = x->booked++;
	int len = G->theatre ? 240 : 180;
	int start = x->pm ? 810 : (G->theatre ? 510 : 540);
	int planned = x->planned ? x->planned : 1;
	int step = len / planned;
	if (step < 5)
		step = 5;
	/* bookings fill the slots in a scattered order, not first come first slot */
	int slot = (int)((pos * 7u + (uint32_t)best) % (uint32_t)planned);
	if (planned % 7 == 0)
		slot = (pos + (int)(best % (uint32_t)planned)) % planned;
	*minute = start + slot * step + (pos / planned) * 5;
	*slot_day = x->day;
	return (int)best;
}

void sy_sess_write(struct synth *S)
{
	struct out *o = &S->out[O_SESSIONS];
	for (int g = 0; g < S->ngrp; g++) {
		const struct group *G = &S->grp[g];
		const struct trustdef *T = &sy_trust_tab[sy_site_tab[G->site].trust];
		for (uint32_t i = G->first; i < G->end; i++) {
			const struct sess *x = &S->sess[i];
			if (x->day < S->span_start)
				continue; /* the run-in before the span is not part of the extract */
			sy_out_uid(o, sy_hash_uid(S->seed, TAG_SESS, i));
			sy_out_c(o, ',');
			sy_out_uid(o, S->site_id[G->site]);
			sy_out_c(o, ',');
			sy_out_str(o, sy_tf_tab[G->tf].code);
			sy_out_str(o, G->theatre ? ",THEATRE," : ",CLINIC,");
			sy_out_date(o, x->day);
			sy_out_c(o, ',');
			sy_out_int(o, x->planned);
			if (x->cancelled && x->day - x->notice <= S->census) {
				sy_out_str(o, ",CANCELLED,");
				uint64_t h = sy_mix64(S->seed ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL)) % 1000u;
				if (h < T->blank_pm)
					;
				else if (h < (uint64_t)T->blank_pm + T->free_pm)
					sy_out_text(o, sy_bad_reasons[(h >> 3) % (uint64_t)sy_n_bad_reasons]);
				else
					sy_out_str(o, sess_reasons[x->reason].code);
			} else {
				sy_out_str(o, ",HELD,");
			}
			sy_out_eol(o);
		}
	}
}

uid sy_sess_uid(struct synth *S, uint32_t i)
{
	return sy_hash_uid(S->seed, TAG_SESS, i);
}

void sy_sess_free(struct synth *S)
{
	free(S->sess);
	free(S->dayidx);
	free(S->grp);
	free(S->dem);
	S->sess = NULL;
	S->dayidx = NULL;
	S->grp = NULL;
	S->dem = NULL;
}
