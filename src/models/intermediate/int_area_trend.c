/* int_area_trend: the waiting list of every area at each of the month ends
 * of int_waitlist_census (24 up to the census, the census last), for the
 * statistical process control charts of the pages and packs (docs/spc.md):
 * the open list, within 18 weeks, over 52 weeks and overdue, for England
 * (national), each ICS, each Trust and each specialty. Overdue applies the
 * breach rule at each month end with what was known then: a priority date
 * after the month end means the pathway was not yet prioritised. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "models/rules/risk_rules.h"
#include "models/rules/rtt_clock.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"int_waitlist_census", "stg_pathways", "stg_organisations", NULL};

static const model_col cols[] = {
	{"level", T_STR, "national, ics, trust or specialty", "not_null accepted(national|ics|trust|specialty)",
	 "stg_organisations.trust_code, stg_organisations.ics_code, stg_pathways.treatment_function", CR_CODE},
	{"area_code", T_STR, "The area: ENG, the ICS or Trust code, or the treatment function code", "not_null",
	 "stg_organisations.trust_code, stg_organisations.ics_code, stg_pathways.treatment_function", CR_CODE},
	{"area_name", T_STR, "The area in words", "",
	 "stg_organisations.trust_name, stg_organisations.ics_name, stg_pathways.specialty", CR_LABEL},
	{"ics_code", T_STR, "The ICS (ics rows only, so that an ICS page reads its own series)", "",
	 "stg_organisations.ics_code", CR_GEO},
	{"trust_code", T_STR, "The Trust (trust rows only)", "", "stg_organisations.trust_code", CR_GEO},
	{"treatment_function", T_STR, "The treatment function (specialty rows only, all Trusts)", "",
	 "stg_pathways.treatment_function", CR_CODE},
	{"month_end", T_DATE, "Last day of the month (the census itself for the last month)",
	 "not_null range(1900-01-01..)", "int_waitlist_census.month_end", CR_DATE},
	{"list_size", T_INT, "Pathways open at the month end", "not_null range(0..)",
	 "int_waitlist_census.pathway_id, int_waitlist_census.month_end", CR_PERSONS},
	{"within_18_weeks", T_INT, "Open pathways waiting no longer than the RTT standard at the month end",
	 "not_null range(0..)", "int_waitlist_census.wait_days, rules", CR_PERSONS},
	{"over_52_weeks", T_INT, "Open pathways waiting more than 364 days at the month end", "not_null range(0..)",
	 "int_waitlist_census.wait_days", CR_PERSONS},
	{"overdue", T_INT,
	 "Open pathways overdue at the month end: the breach rule applied with the priority known by then",
	 "not_null range(0..)",
	 "int_waitlist_census.wait_days, stg_pathways.priority, stg_pathways.priority_date, rules", CR_PERSONS},
};

static const char *const tests[] = {
	"unique(level,area_code,month_end)",
	"expr(within_18_weeks <= list_size)",
	"expr(over_52_weeks <= list_size)",
	"expr(overdue <= list_size)",
	NULL,
};

enum { LV_NATIONAL, LV_ICS, LV_TRUST, LV_SPECIALTY, LV_COUNT };
static const char *const level_names[] = {"national", "ics", "trust", "specialty"};

typedef struct area {
	int level;
	uint32_t code, name; /* string ids */
	int64_t *acc;         /* MONTHS x 4: list, within, over52, overdue */
} area;

typedef struct areas {
	area *v;
	size_t n, cap;
	hmap pos; /* level << 32 | code -> index */
	int nm;
} areas;

/* Index of the area, added on first sight. */
static long area_of(areas *a, int level, uint32_t code, uint32_t name)
{
	uint64_t key = (uint64_t)level << 32 | code;
	uint32_t i = hmap_get(&a->pos, key);
	if (i != HMAP_NONE)
		return (long)i;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = xrealloc(a->v, a->cap * sizeof *a->v);
	}
	area *r = &a->v[a->n];
	*r = (area){level, code, name, xcalloc((size_t)a->nm * 4, sizeof(int64_t))};
	hmap_put(&a->pos, key, (uint32_t)a->n);
	return (long)a->n++;
}

/* By level, then code; ctx is the string pool of the codes. */
static int cmp_area(const void *x, const void *y, void *ctx)
{
	const area *a = x, *b = y;
	if (a->level != b->level)
		return a->level - b->level;
	return sid_cmp(ctx, a->code, b->code);
}

static int build(run_ctx *ctx, mm_table *out)
{
	if (!risk_rules_of(ctx))
		return EXIT_INPUT;
	const rtt_rules *rules = &ctx->rtt;
	mm_table *wc = ctx_table(ctx, "int_waitlist_census");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	int w_end = col(wc, "month_end"), w_id = col(wc, "pathway_id"), w_site = col(wc, "site_id");
	int w_tf = col(wc, "treatment_function"), w_wait = col(wc, "wait_days");
	int p_prio = col(pw, "priority"), p_pdate = col(pw, "priority_date"), p_spec = col(pw, "specialty");
	int o_trust = col(org, "trust_code"), o_tname = col(org, "trust_name");
	int o_ics = col(org, "ics_code"), o_iname = col(org, "ics_name");

	/* The month ends of int_waitlist_census, oldest first: 24 up to the
	 * census, the census last; a month with nobody waiting gets its rows
	 * of zeros. */
	enum { MONTHS = 24 };
	int32_t ends[MONTHS];
	int nm = MONTHS;
	for (int k = 0; k < MONTHS; k++)
		ends[k] = k == MONTHS - 1 ? ctx->census : add_months_end(ctx->census, k - (MONTHS - 1));
	hmap by_pw, by_site;
	index_by_sid(pw, col(pw, "pathway_id"), &by_pw);
	index_by_sid(org, col(org, "site_id"), &by_site);
	areas A = {.nm = nm};
	hmap_init(&A.pos, 64);
	uint32_t eng = sp_intern_cstr(out->sp, "ENG"), eng_name = sp_intern_cstr(out->sp, "England");
	if (nm)
		area_of(&A, LV_NATIONAL, eng, eng_name); /* index 0 */

	int k = 0;
	int32_t prev = I32_NULL;
	for (size_t r = 0; r < wc->nrows; r++) {
		int32_t d = tbl_date(wc, w_end, r);
		if (d == I32_NULL)
			continue;
		if (d != prev) /* rows come in runs of one month end */
			for (k = 0; k < nm - 1 && ends[k] != d; k++)
				;
		prev = d;
		int64_t wait = tbl_int(wc, w_wait, r);
		uint32_t pi = hmap_get(&by_pw, tbl_sid(wc, w_id, r));
		int prio = PRIO_NONE;
		int64_t pwait = RTT_NO_PRIORITY_WAIT;
		if (pi != HMAP_NONE) {
			int p = rtt_priority_code(tbl_str(pw, p_prio, pi));
			int32_t pd = tbl_date(pw, p_pdate, pi);
			/* Prioritised by the month end (no date: as the census does,
			 * from the clock start). */
			if (p > PRIO_NONE && (pd == I32_NULL || pd <= d)) {
				prio = p;
				pwait = pd == I32_NULL ? wait : rtt_wait_days(pd, d);
			}
		}
		int64_t v[4] = {1, wait != INT_NULL && wait <= rules->rtt_days, wait != INT_NULL && wait > 364,
				wait != INT_NULL && rtt_assess(rules, prio, wait, pwait).is_overdue};
		long hit[LV_COUNT] = {0, -1, -1, -1};
		uint32_t si = hmap_get(&by_site, tbl_sid(wc, w_site, r));
		if (si != HMAP_NONE && tbl_sid(org, o_ics, si))
			hit[LV_ICS] = area_of(&A, LV_ICS, tbl_sid(org, o_ics, si), tbl_sid(org, o_iname, si));
		if (si != HMAP_NONE && tbl_sid(org, o_trust, si))
			hit[LV_TRUST] = area_of(&A, LV_TRUST, tbl_sid(org, o_trust, si), tbl_sid(org, o_tname, si));
		if (tbl_sid(wc, w_tf, r))
			hit[LV_SPECIALTY] = area_of(&A, LV_SPECIALTY, tbl_sid(wc, w_tf, r),
						    pi != HMAP_NONE ? tbl_sid(pw, p_spec, pi) : 0);
		for (int l = 0; l < LV_COUNT; l++)
			for (int j = 0; hit[l] >= 0 && j < 4; j++)
				A.v[hit[l]].acc[k * 4 + j] += v[j];
	}

	mm_sort(A.v, A.n, sizeof *A.v, cmp_area, out->sp);
	int c_level = col(out, "level"), c_code = col(out, "area_code"), c_name = col(out, "area_name");
	int c_own[LV_COUNT] = {-1, col(out, "ics_code"), col(out, "trust_code"), col(out, "treatment_function")};
	int c_end = col(out, "month_end"), c_m[4] = {col(out, "list_size"), col(out, "within_18_weeks"),
						     col(out, "over_52_weeks"), col(out, "overdue")};
	tbl_reserve(out, A.n * (size_t)nm);
	for (size_t i = 0; i < A.n; i++) {
		const area *a = &A.v[i];
		for (int m = 0; m < nm; m++) {
			size_t o = tbl_add_row(out);
			tbl_set_str(out, c_level, o, level_names[a->level]);
			tbl_set_sid(out, c_code, o, a->code);
			tbl_set_sid(out, c_name, o, a->name);
			if (c_own[a->level] >= 0)
				tbl_set_sid(out, c_own[a->level], o, a->code);
			tbl_set_date(out, c_end, o, ends[m]);
			for (int j = 0; j < 4; j++)
				tbl_set_int(out, c_m[j], o, a->acc[m * 4 + j]);
		}
		free(a->acc);
	}
	free(A.v);
	hmap_free(&A.pos);
	hmap_free(&by_pw);
	hmap_free(&by_site);
	return 0;
}

const model_def model_int_area_trend = {
	.name = "int_area_trend",
	.layer = LAYER_INTERMEDIATE,
	.description = "The waiting list of each area month by month for the SPC charts: open pathways, within 18 "
		       "weeks, over 52 weeks and overdue at each month end up to the census, for England, each ICS, "
		       "each Trust and each specialty; one row per level, area and month end",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
