/* stg_organisations: sites of treatment with their Trust and ICS.
 * From org_hierarchy.csv when given; otherwise every organisation that
 * hosts an encounter, pathway, appointment or session stands alone as its
 * own site and Trust, in one placeholder ICS (docs/plain-synthea.md), and
 * the run warns that the Trusts and ICS are not the real ones. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"org_hierarchy", "organizations", "encounters", "waiting_list",
				       "appointments", "sessions", NULL};

static const model_col cols[] = {
	{"site_id", T_STR, "Site identifier (organizations.Id)", "unique not_null warn:ref(organizations.Id)",
	 "org_hierarchy.SITE_ID, encounters.ORGANIZATION", CR_GEO},
	{"site_code", T_STR, "ODS-style site code; fallback: S- and the first 8 characters of the id",
	 "not_null warn:unique", "org_hierarchy.SITE_CODE, organizations.Id", CR_GEO},
	{"site_name", T_STR, "Site name", "warn:not_null", "org_hierarchy.SITE_NAME, organizations.NAME", CR_GEO},
	{"trust_code", T_STR, "Trust that runs the site; fallback: T- and the first 8 characters of the id", "not_null",
	 "org_hierarchy.TRUST_CODE, organizations.Id", CR_GEO},
	{"trust_name", T_STR, "Trust name; fallback: the organisation's name", "warn:not_null",
	 "org_hierarchy.TRUST_NAME, organizations.NAME", CR_GEO},
	{"ics_code", T_STR, "Integrated care system (ICB) code; fallback: UNMAPPED", "not_null", "org_hierarchy.ICS_CODE",
	 CR_GEO},
	{"ics_name", T_STR, "Integrated care system name", "warn:not_null", "org_hierarchy.ICS_NAME", CR_GEO},
	{"hierarchy_source", T_STR, "org_hierarchy when the hierarchy file was given, else fallback", "not_null "
	 "accepted(org_hierarchy|fallback)", "org_hierarchy.SITE_ID", CR_CODE},
};

static const char *const tests[] = {NULL};

static void from_hierarchy(run_ctx *ctx, mm_table *out, const mm_table *orgs, const hmap *org_ix)
{
	const mm_table *h = ctx_table(ctx, "org_hierarchy");
	int h_site = col(h, "SITE_ID"), h_code = col(h, "SITE_CODE"), h_name = col(h, "SITE_NAME"),
	    h_tc = col(h, "TRUST_CODE"), h_tn = col(h, "TRUST_NAME"), h_ic = col(h, "ICS_CODE"), h_in = col(h, "ICS_NAME");
	int o_name = col(orgs, "NAME");
	int c_site = col(out, "site_id"), c_code = col(out, "site_code"), c_name = col(out, "site_name"),
	    c_tc = col(out, "trust_code"), c_tn = col(out, "trust_name"), c_ic = col(out, "ics_code"),
	    c_in = col(out, "ics_name"), c_src = col(out, "hierarchy_source");
	uint32_t src = stg_sid(ctx->sp, "org_hierarchy");
	tbl_reserve(out, h->nrows);
	uint32_t *order = stg_order(h, (const char *const[]){"SITE_ID", NULL});
	for (size_t k = 0; k < h->nrows; k++) {
		if (k + STG_AHEAD < h->nrows)
			stg_prefetch_row(h, order[k + STG_AHEAD]);
		size_t r = order[k], o = tbl_add_row(out);
		uint32_t site = tbl_sid(h, h_site, r), name = tbl_sid(h, h_name, r);
		if (!name) {
			long orow = stg_lookup(org_ix, site);
			name = orow < 0 ? 0 : tbl_sid(orgs, o_name, (size_t)orow);
		}
		tbl_set_sid(out, c_site, o, site);
		tbl_set_sid(out, c_code, o, tbl_sid(h, h_code, r));
		tbl_set_sid(out, c_name, o, name);
		tbl_set_sid(out, c_tc, o, tbl_sid(h, h_tc, r));
		tbl_set_sid(out, c_tn, o, tbl_sid(h, h_tn, r));
		tbl_set_sid(out, c_ic, o, tbl_sid(h, h_ic, r));
		tbl_set_sid(out, c_in, o, tbl_sid(h, h_in, r));
		tbl_set_sid(out, c_src, o, src);
	}
	free(order);
}

/* Adds every organisation named in column `column` of source `table`
 * (once: seen maps organisation id -> 1). */
static void add_sites(run_ctx *ctx, mm_table *out, hmap *seen, const char *table, const char *column,
		      const mm_table *orgs, const hmap *org_ix)
{
	const mm_table *t = ctx_table(ctx, table);
	int s = col(t, column), o_name = col(orgs, "NAME");
	int c_site = col(out, "site_id"), c_code = col(out, "site_code"), c_name = col(out, "site_name"),
	    c_tc = col(out, "trust_code"), c_tn = col(out, "trust_name"), c_ic = col(out, "ics_code"),
	    c_in = col(out, "ics_name"), c_src = col(out, "hierarchy_source");
	uint32_t ics = stg_sid(ctx->sp, "UNMAPPED"), ics_name = stg_sid(ctx->sp, "No ICS hierarchy supplied"),
		 src = stg_sid(ctx->sp, "fallback");
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t site = tbl_sid(t, s, r);
		if (!site || hmap_get(seen, site) != HMAP_NONE)
			continue;
		hmap_put(seen, site, 1);
		long orow = stg_lookup(org_ix, site);
		uint32_t name = orow < 0 ? 0 : tbl_sid(orgs, o_name, (size_t)orow);
		char code[16];
		const char *id = sp_str(ctx->sp, site);
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_site, o, site);
		snprintf(code, sizeof code, "S-%.8s", id);
		tbl_set_str(out, c_code, o, code);
		snprintf(code, sizeof code, "T-%.8s", id);
		tbl_set_str(out, c_tc, o, code);
		tbl_set_sid(out, c_name, o, name);
		tbl_set_sid(out, c_tn, o, name);
		tbl_set_sid(out, c_ic, o, ics);
		tbl_set_sid(out, c_in, o, ics_name);
		tbl_set_sid(out, c_src, o, src);
	}
}

/* Without the hierarchy every Trust and ICS figure is about placeholders,
 * so the run says so loudly (a warning is shown even with -q). */
static void warn_fallback(const run_ctx *ctx, size_t nsites)
{
	const char *path = ctx->src->st[SRC_ORG_HIERARCHY].path;
	if (nsites == 0)
		diag(DIAG_WARNING, path, 0, 0,
		     "no organisation hierarchy, and no organisation with activity: there are no sites, Trusts or "
		     "ICSs to report (see docs/data-contract.md)");
	else if (nsites == 1)
		diag(DIAG_WARNING, path, 0, 0,
		     "no organisation hierarchy: the one organisation with activity becomes its own Trust (T-...) in "
		     "a placeholder ICS 'UNMAPPED'; Trust and ICS pages and packs will not match your real "
		     "organisations (see docs/data-contract.md)");
	else
		diag(DIAG_WARNING, path, 0, 0,
		     "no organisation hierarchy: each of the %zu organisations with activity becomes its own Trust "
		     "(T-...) in one placeholder ICS 'UNMAPPED'; Trust and ICS pages and packs will not match your "
		     "real organisations (see docs/data-contract.md)",
		     nsites);
}

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *orgs = ctx_table(ctx, "organizations");
	hmap org_ix;
	stg_index(orgs, col(orgs, "Id"), &org_ix);
	if (ctx->src->st[SRC_ORG_HIERARCHY].present) {
		from_hierarchy(ctx, out, orgs, &org_ix);
	} else {
		/* In order of first appearance, sorted below. */
		hmap seen;
		hmap_init(&seen, orgs->nrows);
		add_sites(ctx, out, &seen, "encounters", "ORGANIZATION", orgs, &org_ix);
		add_sites(ctx, out, &seen, "waiting_list", "ORGANIZATION", orgs, &org_ix);
		add_sites(ctx, out, &seen, "appointments", "ORGANIZATION", orgs, &org_ix);
		add_sites(ctx, out, &seen, "sessions", "ORGANIZATION", orgs, &org_ix);
		hmap_free(&seen);
		stg_sort(out, (const char *const[]){"site_id", NULL});
		warn_fallback(ctx, out->nrows);
	}
	hmap_free(&org_ix);
	return 0;
}

const model_def model_stg_organisations = {
	.name = "stg_organisations",
	.layer = LAYER_STAGING,
	.description = "Sites of treatment with the Trust that runs each and its integrated care system. Without "
		       "org_hierarchy.csv, every organisation hosting activity is its own site and Trust in one "
		       "placeholder ICS (UNMAPPED).",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
