/* fct_capacity_demand: capacity against demand in one unit, pathways, per
 * site x treatment function over the last 13 complete weeks. Demand is
 * clock starts, activity is clock stops, and capacity is the slots of held
 * sessions converted to pathways with the national number of attended
 * appointments per clock stop of the treatment function over the last 52
 * complete weeks. With the open pathways at census it gives the weeks the
 * site needs to clear its list at the current rate. Empty when no
 * sessions.csv was given: without a capacity plan there is no capacity to
 * convert. Definitions and their reasoning: docs/kpis.md, "Capacity
 * against demand". */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"int_capacity_weekly", "stg_pathways", "stg_organisations",
				       "treatment_functions", NULL};

#define CNT "not_null range(0..)"
#define W13 " in the last 13 complete weeks (Monday to Sunday weeks that ended by the census)"
static const model_col cols[] = {
	{"site_id", T_STR, "Site of treatment", "not_null ref(stg_organisations.site_id)",
	 "int_capacity_weekly.site_id, stg_pathways.site_id", CR_GEO},
	{"site_name", T_STR, "Site name", "", "stg_organisations.site_name", CR_GEO},
	{"trust_code", T_STR, "Trust that runs the site", "warn:not_null", "stg_organisations.trust_code", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust", "warn:not_null", "stg_organisations.ics_code",
	 CR_GEO},
	{"treatment_function", T_STR, "Treatment function code (the specialty)", "not_null",
	 "int_capacity_weekly.treatment_function, stg_pathways.treatment_function", CR_CODE},
	{"specialty", T_STR, "Treatment function name", "warn:not_null",
	 "treatment_functions.NAME, int_capacity_weekly.treatment_function", CR_CODE},
	{"clock_starts", T_INT, "Demand: pathways whose RTT clock started at the site in the function" W13, CNT,
	 "int_capacity_weekly.clock_starts, int_capacity_weekly.week_start, census", CR_EVENTS},
	{"clock_stops", T_INT, "Activity: pathways whose RTT clock stopped at the site in the function" W13, CNT,
	 "int_capacity_weekly.clock_stops, int_capacity_weekly.week_start, census", CR_EVENTS},
	{"planned_slots", T_INT, "Capacity held: slots planned in sessions that were held (not cancelled)" W13, CNT,
	 "int_capacity_weekly.planned_slots, int_capacity_weekly.week_start, census", CR_EXACT},
	{"attended", T_INT, "Appointments attended in those held sessions" W13, CNT,
	 "int_capacity_weekly.attended, int_capacity_weekly.week_start, census", CR_EVENTS},
	{"national_attended_52w", T_INT,
	 "Numerator of the conversion: appointments attended in held sessions of this treatment function at every "
	 "site in the last 52 complete weeks",
	 CNT, "int_capacity_weekly.attended, int_capacity_weekly.week_start, census", CR_EVENTS},
	{"national_clock_stops_52w", T_INT,
	 "Denominator of the conversion: clock stops of this treatment function at every site in the last 52 "
	 "complete weeks",
	 CNT, "int_capacity_weekly.clock_stops, int_capacity_weekly.week_start, census", CR_EVENTS},
	{"appointments_per_pathway", T_NUM,
	 "The conversion from slots to pathways: national_attended_52w / national_clock_stops_52w, the attended "
	 "appointments a treated (clock-stopped) pathway of this treatment function takes, nationally over 52 "
	 "weeks so that small sites and quiet weeks do not swing it; null when either is 0",
	 "warn:not_null range(0..)", "int_capacity_weekly.attended, int_capacity_weekly.clock_stops", CR_MEASURE},
	{"capacity_pathways", T_INT,
	 "Capacity in pathways: planned_slots / appointments_per_pathway, rounded to the nearest whole pathway "
	 "(half up); the pathways the held slots could treat. Null when the conversion is null",
	 "warn:not_null range(0..)", "int_capacity_weekly.planned_slots, int_capacity_weekly.attended, "
	 "int_capacity_weekly.clock_stops", CR_PERSONS},
	{"demand_gap", T_INT,
	 "Demand gap: clock_starts - capacity_pathways, both in pathways over the same 13 weeks; positive when "
	 "demand exceeds the capacity held, negative when capacity is to spare. Null when capacity is null",
	 "warn:not_null", "int_capacity_weekly.clock_starts, int_capacity_weekly.planned_slots, "
	 "int_capacity_weekly.attended, int_capacity_weekly.clock_stops", CR_EVENTS},
	{"activity_gap", T_INT,
	 "Activity gap: clock_starts - clock_stops over the 13 weeks; positive when the list grows", "not_null",
	 "int_capacity_weekly.clock_starts, int_capacity_weekly.clock_stops", CR_EVENTS},
	{"open_pathways", T_INT,
	 "Pathways open at census at the site in the function (clock started on or before the census, not "
	 "stopped by then): the backlog",
	 CNT, "stg_pathways.site_id, stg_pathways.treatment_function, stg_pathways.clock_start_date, "
	 "stg_pathways.clock_stop_date, census", CR_PERSONS},
	{"net_clearance_per_week", T_NUM,
	 "Weekly net clearance: (clock_stops - clock_starts) / 13, pathways a week by which the list shrinks at "
	 "the current rate (negative: it grows)",
	 "not_null", "int_capacity_weekly.clock_starts, int_capacity_weekly.clock_stops", CR_MEASURE},
	{"weeks_to_clear", T_INT,
	 "Weeks to clear the backlog at the current rate: open_pathways / net_clearance_per_week, rounded up to "
	 "whole weeks, when net clearance is above 0; null when it is not (not clearing at the current rate)",
	 "range(0..)", "stg_pathways.clock_start_date, stg_pathways.clock_stop_date, "
	 "int_capacity_weekly.clock_starts, int_capacity_weekly.clock_stops, census", CR_WEEKS},
	{"clearing", T_BOOL,
	 "Whether the list is clearing at the current rate: clock stops exceed clock starts over the 13 weeks "
	 "(weeks_to_clear is then given)",
	 "not_null", "int_capacity_weekly.clock_starts, int_capacity_weekly.clock_stops", CR_FLAG},
};

static const char *const tests[] = {
	"unique(site_id, treatment_function)",
	"expr(attended <= national_attended_52w)",
	"expr(clock_stops <= national_clock_stops_52w)",
	NULL,
};

typedef struct pair {
	uint32_t site, tf;
	const char *site_s, *tf_s; /* filled for sorting */
	int64_t starts, stops, slots, att, open;
} pair;

typedef struct pairs {
	hmap index; /* site << 32 | tf -> pair */
	pair *v;
	size_t n, cap;
} pairs;

static pair *pair_of(pairs *p, uint32_t site, uint32_t tf)
{
	uint64_t key = (uint64_t)site << 32 | tf;
	uint32_t i = hmap_get(&p->index, key);
	if (i != HMAP_NONE)
		return &p->v[i];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	hmap_put(&p->index, key, (uint32_t)p->n);
	pair *x = &p->v[p->n++];
	memset(x, 0, sizeof *x);
	x->site = site;
	x->tf = tf;
	return x;
}

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	int c = strcmp(x->site_s, y->site_s);
	return c ? c : strcmp(x->tf_s, y->tf_s);
}

/* The last 52 complete weeks, as in_last_13_complete_weeks for 13. */
static int in_last_52_complete_weeks(int32_t week_start, int32_t census)
{
	return week_start != INT32_MIN && week_start > census - 52 * 7 - 6 && week_start <= census - 6;
}

/* National totals of a treatment function over 52 weeks. */
typedef struct conv {
	int64_t att, stops;
} conv;

static int build(run_ctx *ctx, mm_table *out)
{
	if (!ctx->has_capacity)
		return 0;
	mm_table *cw = ctx_table(ctx, "int_capacity_weekly");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	mm_table *tf = ctx_table(ctx, "treatment_functions");
	int w_site = col(cw, "site_id"), w_tf = col(cw, "treatment_function"), w_week = col(cw, "week_start");
	int w_starts = col(cw, "clock_starts"), w_stops = col(cw, "clock_stops");
	int w_slots = col(cw, "planned_slots"), w_att = col(cw, "attended");
	int p_site = col(pw, "site_id"), p_tf = col(pw, "treatment_function");
	int p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int o_site = col(org, "site_id"), o_name = col(org, "site_name"), o_trust = col(org, "trust_code");
	int o_ics = col(org, "ics_code");
	int t_code = col(tf, "CODE"), t_name = col(tf, "NAME");
	int32_t census = ctx->census;

	pairs p = {0};
	hmap_init(&p.index, 512);
	hmap conv_of; /* tf -> conv */
	hmap_init(&conv_of, 64);
	conv *cv = NULL;
	size_t ncv = 0;

	for (size_t r = 0; r < cw->nrows; r++) {
		uint32_t site = tbl_sid(cw, w_site, r), code = tbl_sid(cw, w_tf, r);
		int32_t week = tbl_date(cw, w_week, r);
		if (!site || !code)
			continue;
		if (in_last_52_complete_weeks(week, census)) {
			uint32_t k = hmap_get(&conv_of, code);
			if (k == HMAP_NONE) {
				cv = xrealloc(cv, (ncv + 1) * sizeof *cv);
				cv[ncv] = (conv){0, 0};
				hmap_put(&conv_of, code, k = (uint32_t)ncv++);
			}
			cv[k].att += int_or0(cw, w_att, r);
			cv[k].stops += int_or0(cw, w_stops, r);
		}
		if (!in_last_13_complete_weeks(week, census))
			continue;
		int64_t starts = int_or0(cw, w_starts, r), stops = int_or0(cw, w_stops, r);
		int64_t slots = int_or0(cw, w_slots, r), att = int_or0(cw, w_att, r);
		if (!starts && !stops && !slots && !att)
			continue;
		pair *x = pair_of(&p, site, code);
		x->starts += starts;
		x->stops += stops;
		x->slots += slots;
		x->att += att;
	}
	for (size_t r = 0; r < pw->nrows; r++) {
		uint32_t site = tbl_sid(pw, p_site, r), code = tbl_sid(pw, p_tf, r);
		int32_t start = tbl_date(pw, p_start, r), stop = tbl_date(pw, p_stop, r);
		if (!site || !code || start == DATE_NULL || start > census || (stop != DATE_NULL && stop <= census))
			continue;
		pair_of(&p, site, code)->open++;
	}

	for (size_t i = 0; i < p.n; i++) {
		p.v[i].site_s = sp_str(ctx->sp, p.v[i].site);
		p.v[i].tf_s = sp_str(ctx->sp, p.v[i].tf);
	}
	if (p.n)
		qsort(p.v, p.n, sizeof *p.v, cmp_pair);

	hmap by_site, by_tf;
	index_by_sid(org, o_site, &by_site);
	index_by_sid(tf, t_code, &by_tf);
	int c_site = col(out, "site_id"), c_name = col(out, "site_name"), c_trust = col(out, "trust_code");
	int c_ics = col(out, "ics_code"), c_tf = col(out, "treatment_function"), c_spec = col(out, "specialty");
	int c_starts = col(out, "clock_starts"), c_stops = col(out, "clock_stops");
	int c_slots = col(out, "planned_slots"), c_att = col(out, "attended");
	int c_natt = col(out, "national_attended_52w"), c_nstops = col(out, "national_clock_stops_52w");
	int c_apr = col(out, "appointments_per_pathway"), c_cap = col(out, "capacity_pathways");
	int c_dgap = col(out, "demand_gap"), c_agap = col(out, "activity_gap"), c_open = col(out, "open_pathways");
	int c_net = col(out, "net_clearance_per_week"), c_weeks = col(out, "weeks_to_clear");
	int c_clearing = col(out, "clearing");

	tbl_reserve(out, p.n);
	for (size_t i = 0; i < p.n; i++) {
		const pair *x = &p.v[i];
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_site, o, x->site);
		tbl_set_sid(out, c_tf, o, x->tf);
		uint32_t s = hmap_get(&by_site, x->site);
		if (s != HMAP_NONE) {
			tbl_set_sid(out, c_name, o, tbl_sid(org, o_name, s));
			tbl_set_sid(out, c_trust, o, tbl_sid(org, o_trust, s));
			tbl_set_sid(out, c_ics, o, tbl_sid(org, o_ics, s));
		}
		uint32_t j = hmap_get(&by_tf, x->tf);
		if (j != HMAP_NONE)
			tbl_set_sid(out, c_spec, o, tbl_sid(tf, t_name, j));
		tbl_set_int(out, c_starts, o, x->starts);
		tbl_set_int(out, c_stops, o, x->stops);
		tbl_set_int(out, c_slots, o, x->slots);
		tbl_set_int(out, c_att, o, x->att);
		uint32_t k = hmap_get(&conv_of, x->tf);
		conv n = k != HMAP_NONE ? cv[k] : (conv){0, 0};
		tbl_set_int(out, c_natt, o, n.att);
		tbl_set_int(out, c_nstops, o, n.stops);
		if (n.att > 0 && n.stops > 0) {
			/* slots / (att / stops) to the nearest whole pathway, half up,
			 * in integers: floor((2 slots stops + att) / (2 att)). */
			int64_t cap = (2 * x->slots * n.stops + n.att) / (2 * n.att);
			tbl_set_num(out, c_apr, o, (double)n.att / (double)n.stops);
			tbl_set_int(out, c_cap, o, cap);
			tbl_set_int(out, c_dgap, o, x->starts - cap);
		} else {
			tbl_set_num(out, c_apr, o, NAN);
			tbl_set_int(out, c_cap, o, INT_NULL);
			tbl_set_int(out, c_dgap, o, INT_NULL);
		}
		int64_t net13 = x->stops - x->starts; /* net clearance over the 13 weeks */
		tbl_set_int(out, c_agap, o, x->starts - x->stops);
		tbl_set_int(out, c_open, o, x->open);
		tbl_set_num(out, c_net, o, (double)net13 / 13.0);
		/* open / (net13 / 13) rounded up: ceil(13 open / net13). */
		tbl_set_int(out, c_weeks, o, net13 > 0 ? (int64_t)((13 * x->open + net13 - 1) / net13) : INT_NULL);
		tbl_set_bool(out, c_clearing, o, net13 > 0);
	}
	hmap_free(&by_site);
	hmap_free(&by_tf);
	hmap_free(&conv_of);
	hmap_free(&p.index);
	free(cv);
	free(p.v);
	return 0;
}

const model_def model_fct_capacity_demand = {
	.name = "fct_capacity_demand",
	.layer = LAYER_MART,
	.description = "Capacity against demand in one unit, pathways, per site x treatment function over the last "
		       "13 complete weeks: demand (clock starts), activity (clock stops), capacity (held slots "
		       "converted to pathways with the national attended appointments per clock stop of the "
		       "function over 52 weeks), the demand and activity gaps, the open pathways at census and the "
		       "weeks to clear them at the current rate; empty when the data has no capacity plan "
		       "(sessions.csv)",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_CAPACITY_PLAN,
	.tests = tests,
	.build = build,
};
