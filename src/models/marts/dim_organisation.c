/* dim_organisation: one row per site with its Trust and ICS, the open
 * pathways at census and the capacity planned in the last 13 weeks. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_organisations", "stg_pathways", "stg_sessions", NULL};

static const model_col cols[] = {
	{"site_id", T_STR, "Site of treatment (organisation id)", "unique not_null ref(stg_organisations.site_id)",
	 "stg_organisations.site_id", CR_GEO},
	{"site_code", T_STR, "ODS-style site code", "warn:not_null", "stg_organisations.site_code", CR_GEO},
	{"site_name", T_STR, "Site name", "", "stg_organisations.site_name", CR_GEO},
	{"trust_code", T_STR, "ODS-style code of the Trust that runs the site", "warn:not_null",
	 "stg_organisations.trust_code", CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "stg_organisations.trust_name", CR_GEO},
	{"ics_code", T_STR, "Integrated care system (ICB) code", "warn:not_null", "stg_organisations.ics_code", CR_GEO},
	{"ics_name", T_STR, "Integrated care system name", "", "stg_organisations.ics_name", CR_GEO},
	{"open_pathways", T_INT,
	 "Pathways open at census at this site (clock started on or before census, not stopped by then)",
	 "not_null range(0..)",
	 "stg_pathways.site_id, stg_pathways.clock_start_date, stg_pathways.clock_stop_date, census", CR_PERSONS},
	{"open_admitted", T_INT, "Of open_pathways, those on the admitted (IRTT) list", "not_null range(0..)",
	 "stg_pathways.site_id, stg_pathways.waiting_list_type, stg_pathways.clock_start_date, "
	 "stg_pathways.clock_stop_date, census", CR_PERSONS},
	{"open_non_admitted", T_INT, "Of open_pathways, those on the non-admitted (ORTT) list", "not_null range(0..)",
	 "stg_pathways.site_id, stg_pathways.waiting_list_type, stg_pathways.clock_start_date, "
	 "stg_pathways.clock_stop_date, census", CR_PERSONS},
	{"planned_slots_13w", T_INT,
	 "Slots planned in held sessions of the last 13 complete weeks (Monday to Sunday weeks that ended by the "
	 "census), the window of every 13-week figure",
	 "not_null range(0..)",
	 "stg_sessions.site_id, stg_sessions.planned_slots, stg_sessions.is_cancelled, stg_sessions.week_start, "
	 "census", CR_EXACT},
};

typedef struct org_row {
	const char *trust, *code, *id;
	size_t r;
} org_row;

static int cmp_org(const void *a, const void *b)
{
	const org_row *x = a, *y = b;
	int c = strcmp(x->trust, y->trust);
	if (!c)
		c = strcmp(x->code, y->code);
	return c ? c : strcmp(x->id, y->id);
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *org = ctx_table(ctx, "stg_organisations");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *ss = ctx_table(ctx, "stg_sessions");
	int o_site = col(org, "site_id"), o_code = col(org, "site_code"), o_name = col(org, "site_name");
	int o_trust = col(org, "trust_code"), o_tname = col(org, "trust_name");
	int o_ics = col(org, "ics_code"), o_iname = col(org, "ics_name");
	int p_site = col(pw, "site_id"), p_start = col(pw, "clock_start_date"), p_stop = col(pw, "clock_stop_date");
	int s_site = col(ss, "site_id"), s_week = col(ss, "week_start"), s_slots = col(ss, "planned_slots");
	int s_canc = col(ss, "is_cancelled");
	int c_site = col(out, "site_id"), c_code = col(out, "site_code"), c_name = col(out, "site_name");
	int c_trust = col(out, "trust_code"), c_tname = col(out, "trust_name"), c_ics = col(out, "ics_code");
	int c_iname = col(out, "ics_name"), c_open = col(out, "open_pathways"), c_slots = col(out, "planned_slots_13w");
	int c_adm = col(out, "open_admitted"), c_nonadm = col(out, "open_non_admitted"), p_wlt = col(pw, "waiting_list_type");

	hmap by_site;
	index_by_sid(org, o_site, &by_site);
	int64_t *open = xcalloc(org->nrows + 1, sizeof *open);
	int64_t *slots = xcalloc(org->nrows + 1, sizeof *slots);
	int64_t *adm = xcalloc(org->nrows + 1, sizeof *adm), *nonadm = xcalloc(org->nrows + 1, sizeof *nonadm);
	int32_t census = ctx->census;

	for (size_t r = 0; r < pw->nrows; r++) {
		int32_t start = tbl_date(pw, p_start, r), stop = tbl_date(pw, p_stop, r);
		if (start == DATE_NULL || start > census || (stop != DATE_NULL && stop <= census))
			continue;
		uint32_t i = hmap_get(&by_site, tbl_sid(pw, p_site, r));
		if (i != HMAP_NONE) {
			open[i]++;
			const char *wlt = tbl_str(pw, p_wlt, r);
			adm[i] += !strcmp(wlt, "IRTT");
			nonadm[i] += !strcmp(wlt, "ORTT");
		}
	}
	for (size_t r = 0; r < ss->nrows; r++) {
		if (tbl_bool(ss, s_canc, r) || !in_last_13_complete_weeks(tbl_date(ss, s_week, r), census))
			continue;
		uint32_t i = hmap_get(&by_site, tbl_sid(ss, s_site, r));
		if (i != HMAP_NONE)
			slots[i] += int_or0(ss, s_slots, r);
	}

	org_row *rows = xmalloc((org->nrows + 1) * sizeof *rows);
	size_t n = 0;
	for (size_t r = 0; r < org->nrows; r++) {
		uint32_t id = tbl_sid(org, o_site, r);
		if (!id || hmap_get(&by_site, id) != r)
			continue; /* a duplicate site is reported by the staging tests */
		rows[n++] = (org_row){tbl_str(org, o_trust, r), tbl_str(org, o_code, r), tbl_str(org, o_site, r), r};
	}
	qsort(rows, n, sizeof *rows, cmp_org);
	tbl_reserve(out, n);
	for (size_t k = 0; k < n; k++) {
		size_t r = rows[k].r, o = tbl_add_row(out);
		tbl_set_sid(out, c_site, o, tbl_sid(org, o_site, r));
		tbl_set_sid(out, c_code, o, tbl_sid(org, o_code, r));
		tbl_set_sid(out, c_name, o, tbl_sid(org, o_name, r));
		tbl_set_sid(out, c_trust, o, tbl_sid(org, o_trust, r));
		tbl_set_sid(out, c_tname, o, tbl_sid(org, o_tname, r));
		tbl_set_sid(out, c_ics, o, tbl_sid(org, o_ics, r));
		tbl_set_sid(out, c_iname, o, tbl_sid(org, o_iname, r));
		tbl_set_int(out, c_open, o, open[r]);
		tbl_set_int(out, c_adm, o, adm[r]);
		tbl_set_int(out, c_nonadm, o, nonadm[r]);
		tbl_set_int(out, c_slots, o, slots[r]);
	}
	free(rows);
	free(open);
	free(adm);
	free(nonadm);
	free(slots);
	hmap_free(&by_site);
	return 0;
}

const model_def model_dim_organisation = {
	.name = "dim_organisation",
	.layer = LAYER_MART,
	.description = "Sites of treatment with their Trust and ICS, open pathways at census (admitted and "
		       "non-admitted) and the capacity "
		       "planned in held sessions over the last 13 complete weeks; one row per site, ordered by Trust and "
		       "site code",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_DIMENSION,
	.tests = NULL,
	.build = build,
};
