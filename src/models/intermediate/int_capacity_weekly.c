/* int_capacity_weekly: supply and demand per site x treatment function x
 * ISO week. Supply is the capacity plan (sessions and their slots) and
 * what happened to the appointments booked into held sessions; demand is
 * clock starts, activity is clock stops. A week with starts or stops but
 * no sessions still gets a row, so demand never disappears from view. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_sessions", "stg_appointments", "stg_pathways", NULL};

#define CNT "not_null range(0..)"
static const model_col cols[] = {
	{"site_id", T_STR, "Site", "not_null", "stg_sessions.site_id, stg_pathways.site_id", CR_GEO},
	{"treatment_function", T_STR, "Treatment function code", "not_null",
	 "stg_sessions.treatment_function, stg_pathways.treatment_function", CR_CODE},
	{"week_start", T_DATE, "Monday of the ISO week", "not_null range(1900-01-01..)",
	 "stg_sessions.week_start, stg_pathways.clock_start_date, stg_pathways.clock_stop_date", CR_DATE},
	{"sessions_planned", T_INT, "Sessions in the capacity plan, held or cancelled", CNT, "stg_sessions.session_id",
	 CR_EXACT},
	{"sessions_cancelled", T_INT, "Of those, cancelled", CNT, "stg_sessions.is_cancelled", CR_EXACT},
	{"planned_slots", T_INT, "Slots planned in held sessions", CNT, "stg_sessions.planned_slots, stg_sessions.is_cancelled",
	 CR_EXACT},
	{"booked", T_INT, "Appointments booked (by the census) into held sessions, any outcome", CNT,
	 "stg_appointments.session_id, stg_appointments.booked_at_ts", CR_EVENTS},
	{"attended", T_INT, "Of those, attended (on time, or late but seen)", CNT, "stg_appointments.outcome",
	 CR_EVENTS},
	{"dnas", T_INT, "Of those, did not attend (outcome dna, code 3)", CNT, "stg_appointments.outcome", CR_EVENTS},
	{"patient_cancellations", T_INT, "Of those, cancelled by the patient by the census", CNT,
	 "stg_appointments.outcome, stg_appointments.cancelled_at_ts", CR_EVENTS},
	{"hospital_cancellations", T_INT, "Of those, cancelled by the hospital by the census", CNT,
	 "stg_appointments.outcome, stg_appointments.cancelled_at_ts", CR_EVENTS},
	{"clock_starts", T_INT, "Pathways starting that week at the site in the function (on or before the census)", CNT,
	 "stg_pathways.clock_start_date", CR_EVENTS},
	{"clock_stops", T_INT, "Pathways stopping that week at the site in the function (on or before the census)", CNT,
	 "stg_pathways.clock_stop_date", CR_EVENTS},
};

static const char *const tests[] = {
	"unique(site_id,treatment_function,week_start)",
	"expr(sessions_planned >= sessions_cancelled)",
	"expr(booked >= attended)",
	NULL,
};

enum { N_SESS, N_CANC, N_SLOTS, N_BOOKED, N_ATT, N_DNA, N_PC, N_HC, N_STARTS, N_STOPS, N_COUNTS };
static const char *const count_cols[N_COUNTS] = {
	"sessions_planned", "sessions_cancelled", "planned_slots", "booked", "attended", "dnas",
	"patient_cancellations", "hospital_cancellations", "clock_starts", "clock_stops",
};

typedef struct group {
	uint32_t site, tf;
	const char *site_s, *tf_s; /* filled for sorting */
	int32_t week;
	int64_t n[N_COUNTS];
} group;

typedef struct groups {
	hmap pairs; /* site << 32 | tf -> pair number */
	hmap index; /* pair number << 32 | week -> group */
	group *v;
	size_t n, cap;
	uint32_t npairs;
} groups;

static group *group_of(groups *g, uint32_t site, uint32_t tf, int32_t week)
{
	uint64_t pk = (uint64_t)site << 32 | tf;
	uint32_t pair = hmap_get(&g->pairs, pk);
	if (pair == HMAP_NONE)
		hmap_put(&g->pairs, pk, pair = g->npairs++);
	uint64_t key = (uint64_t)pair << 32 | (uint32_t)week;
	uint32_t i = hmap_get(&g->index, key);
	if (i != HMAP_NONE)
		return &g->v[i];
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	hmap_put(&g->index, key, (uint32_t)g->n);
	group *x = &g->v[g->n++];
	memset(x, 0, sizeof *x);
	x->site = site;
	x->tf = tf;
	x->week = week;
	return x;
}

static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;
	int c = strcmp(x->site_s, y->site_s);
	if (!c)
		c = strcmp(x->tf_s, y->tf_s);
	return c ? c : (x->week > y->week) - (x->week < y->week);
}

static int32_t monday(int32_t d)
{
	int32_t dow = (int32_t)(((int64_t)d + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
	if (dow < 0)
		dow += 7;
	return d - dow;
}

static void add_sessions(groups *g, mm_table *ss, uint32_t *sess_group, hmap *by_session)
{
	int s_id = col(ss, "session_id"), s_site = col(ss, "site_id"), s_tf = col(ss, "treatment_function");
	int s_week = col(ss, "week_start"), s_slots = col(ss, "planned_slots"), s_canc = col(ss, "is_cancelled");
	for (size_t r = 0; r < ss->nrows; r++) {
		uint32_t site = tbl_sid(ss, s_site, r), tf = tbl_sid(ss, s_tf, r);
		int32_t week = tbl_date(ss, s_week, r);
		sess_group[r] = UINT32_MAX;
		if (!site || !tf || week == I32_NULL)
			continue;
		group *x = group_of(g, site, tf, week);
		int cancelled = tbl_bool(ss, s_canc, r);
		x->n[N_SESS]++;
		x->n[N_CANC] += cancelled;
		if (!cancelled) {
			x->n[N_SLOTS] += int_or0(ss, s_slots, r);
			sess_group[r] = (uint32_t)(x - g->v);
			if (tbl_sid(ss, s_id, r) && hmap_get(by_session, tbl_sid(ss, s_id, r)) == HMAP_NONE)
				hmap_put(by_session, tbl_sid(ss, s_id, r), (uint32_t)r);
		}
	}
}

static void add_appointments(run_ctx *ctx, groups *g, const uint32_t *sess_group, const hmap *by_session)
{
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	int a_sess = col(ap, "session_id"), a_out = col(ap, "outcome"), a_slot = col(ap, "slot_date");
	int a_booked = col(ap, "booked_at_ts"), a_canc = col(ap, "cancelled_at_ts");
	uint32_t o_att = sid_of(ctx->sp, "attended"), o_late = sid_of(ctx->sp, "late_seen");
	uint32_t o_dna = sid_of(ctx->sp, "dna");
	uint32_t o_pc = sid_of(ctx->sp, "patient_cancelled"), o_hc = sid_of(ctx->sp, "hospital_cancelled");
	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t s = tbl_sid(ap, a_sess, r);
		uint32_t sr = s ? hmap_get(by_session, s) : HMAP_NONE;
		if (sr == HMAP_NONE || sess_group[sr] == UINT32_MAX)
			continue; /* outside the plan, or in a cancelled session */
		int32_t booked = ts_day_or_null(ap, a_booked, r);
		if (booked != DATE_NULL && booked > ctx->census)
			continue;
		group *x = &g->v[sess_group[sr]];
		uint32_t o = tbl_sid(ap, a_out, r);
		int32_t slot = tbl_date(ap, a_slot, r);
		int32_t canc = ts_day_or_null(ap, a_canc, r);
		if (canc == DATE_NULL)
			canc = slot;
		x->n[N_BOOKED]++;
		if ((o == o_att || o == o_late) && slot != I32_NULL && slot <= ctx->census)
			x->n[N_ATT]++;
		else if (o == o_dna && slot != I32_NULL && slot <= ctx->census)
			x->n[N_DNA]++;
		else if ((o == o_pc || o == o_hc) && canc != DATE_NULL && canc <= ctx->census)
			x->n[o == o_pc ? N_PC : N_HC]++;
	}
}

static void add_clocks(run_ctx *ctx, groups *g)
{
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	int p_site = col(pw, "site_id"), p_tf = col(pw, "treatment_function");
	int p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	for (size_t r = 0; r < pw->nrows; r++) {
		uint32_t site = tbl_sid(pw, p_site, r), tf = tbl_sid(pw, p_tf, r);
		if (!site || !tf)
			continue;
		int32_t s = tbl_date(pw, p_start, r), e = tbl_date(pw, p_stop, r);
		if (s != I32_NULL && s <= ctx->census)
			group_of(g, site, tf, monday(s))->n[N_STARTS]++;
		if (e != I32_NULL && e <= ctx->census)
			group_of(g, site, tf, monday(e))->n[N_STOPS]++;
	}
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *ss = ctx_table(ctx, "stg_sessions");
	groups g = {0};
	hmap_init(&g.pairs, 256);
	hmap_init(&g.index, 4096);
	hmap by_session;
	hmap_init(&by_session, ss->nrows);
	uint32_t *sess_group = xmalloc((ss->nrows + 1) * sizeof *sess_group);

	add_sessions(&g, ss, sess_group, &by_session);
	add_appointments(ctx, &g, sess_group, &by_session);
	add_clocks(ctx, &g);

	for (size_t i = 0; i < g.n; i++) {
		g.v[i].site_s = sp_str(ctx->sp, g.v[i].site);
		g.v[i].tf_s = sp_str(ctx->sp, g.v[i].tf);
	}
	if (g.n)
		qsort(g.v, g.n, sizeof *g.v, cmp_group);
	int c_site = col(out, "site_id"), c_tf = col(out, "treatment_function"), c_week = col(out, "week_start");
	int cc[N_COUNTS];
	for (int k = 0; k < N_COUNTS; k++)
		cc[k] = col(out, count_cols[k]);
	tbl_reserve(out, g.n);
	for (size_t i = 0; i < g.n; i++) {
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_site, o, g.v[i].site);
		tbl_set_sid(out, c_tf, o, g.v[i].tf);
		tbl_set_date(out, c_week, o, g.v[i].week);
		for (int k = 0; k < N_COUNTS; k++)
			tbl_set_int(out, cc[k], o, g.v[i].n[k]);
	}
	free(sess_group);
	hmap_free(&by_session);
	hmap_free(&g.pairs);
	hmap_free(&g.index);
	free(g.v);
	return 0;
}

const model_def model_int_capacity_weekly = {
	.name = "int_capacity_weekly",
	.layer = LAYER_INTERMEDIATE,
	.description = "Weekly supply and demand per site x treatment function: sessions and slots planned, what "
		       "happened to appointments booked into held sessions, and clock starts and stops; by site_id, "
		       "treatment_function, week_start",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
