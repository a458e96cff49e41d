/* fct_delay_causes: why appointments did not happen, counted per Trust x
 * treatment function and ranked, so each service sees its top causes. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/date.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_appointments", "stg_pathways", "stg_organisations", NULL};

static const model_col cols[] = {
	{"trust_code", T_STR, "Trust of the appointment's site", "warn:not_null",
	 "stg_appointments.site_id, stg_organisations.trust_code", CR_GEO},
	{"trust_name", T_STR, "Trust name", "", "stg_organisations.trust_name", CR_GEO},
	{"ics_code", T_STR, "Integrated care system of the Trust, so that a system's pages and pack show its own causes",
	 "", "stg_appointments.site_id, stg_organisations.ics_code", CR_GEO},
	{"treatment_function", T_STR, "Treatment function of the appointment's pathway", "warn:not_null",
	 "stg_appointments.pathway_id, stg_pathways.treatment_function", CR_CODE},
	{"specialty", T_STR, "Treatment function name", "", "stg_pathways.specialty", CR_CODE},
	{"cause_side", T_STR,
	 "Who caused it: the cancellation reason's side (patient, hospital, session), else the side of the "
	 "attendance code; dna for did-not-attend",
	 "not_null accepted(patient|hospital|session|dna)",
	 "stg_appointments.reason_side, stg_appointments.outcome", CR_CODE},
	{"reason", T_STR, "Cancellation reason code or text as recorded (\"Not recorded\" when empty); \"DNA\" for DNAs",
	 "not_null", "stg_appointments.cancellation_reason, stg_appointments.outcome", CR_LABEL},
	{"reason_is_standard", T_BOOL, "The reason is a code of the cancellation_reasons seed (DNAs count as standard)",
	 "not_null", "stg_appointments.reason_is_standard", CR_FLAG},
	{"events", T_INT,
	 "Cancellations made on or before the census (by cancellation date, else slot date) and DNAs of slots on or "
	 "before it",
	 "not_null range(1..)",
	 "stg_appointments.outcome, stg_appointments.cancelled_at_ts, stg_appointments.slot_date, census", CR_EVENTS},
	{"rank", T_INT, "Rank by events within Trust x treatment function, 1 = most; ties share a rank",
	 "not_null range(1..)", "stg_appointments.outcome", CR_EXACT},
};

enum side { SIDE_PATIENT, SIDE_HOSPITAL, SIDE_SESSION, SIDE_DNA };
static const char *const side_names[] = {"patient", "hospital", "session", "dna"};

typedef struct group {
	uint32_t trust, trust_name, tf, specialty, ics;
} group;

typedef struct cell {
	uint32_t group, reason;
	int side, standard;
	int64_t events;
	const char *trust_s, *tf_s, *reason_s; /* for sorting, set once counted */
} cell;

static int cmp_cell(const void *a, const void *b)
{
	const cell *x = a, *y = b;
	int c = strcmp(x->trust_s, y->trust_s);
	if (!c)
		c = strcmp(x->tf_s, y->tf_s);
	if (!c)
		c = (x->events < y->events) - (x->events > y->events);
	if (!c)
		c = strcmp(side_names[x->side], side_names[y->side]);
	return c ? c : strcmp(x->reason_s, y->reason_s);
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *ap = ctx_table(ctx, "stg_appointments");
	mm_table *pw = ctx_table(ctx, "stg_pathways");
	mm_table *org = ctx_table(ctx, "stg_organisations");
	strpool *sp = ctx->sp;
	int a_pw = col(ap, "pathway_id"), a_site = col(ap, "site_id"), a_out = col(ap, "outcome");
	int a_slot = col(ap, "slot_date"), a_cat = col(ap, "cancelled_at_ts"), a_reason = col(ap, "cancellation_reason");
	int a_std = col(ap, "reason_is_standard"), a_side = col(ap, "reason_side");
	int p_id = col(pw, "pathway_id"), p_tf = col(pw, "treatment_function"), p_spec = col(pw, "specialty");
	int o_site = col(org, "site_id"), o_trust = col(org, "trust_code"), o_tname = col(org, "trust_name");
	int o_ics = col(org, "ics_code"), c_ics = col(out, "ics_code");
	int c_trust = col(out, "trust_code"), c_tname = col(out, "trust_name"), c_tf = col(out, "treatment_function");
	int c_spec = col(out, "specialty"), c_side = col(out, "cause_side"), c_reason = col(out, "reason");
	int c_std = col(out, "reason_is_standard"), c_events = col(out, "events"), c_rank = col(out, "rank");

	uint32_t o_dna = sid_of(sp, "dna"), o_pc = sid_of(sp, "patient_cancelled"), o_hc = sid_of(sp, "hospital_cancelled");
	uint32_t s_pat = sid_of(sp, "patient"), s_hosp = sid_of(sp, "hospital"), s_sess = sid_of(sp, "session");
	uint32_t dna_reason = sp_intern_cstr(sp, "DNA"), none_reason = sp_intern_cstr(sp, "Not recorded");

	hmap by_pw, by_site, by_group, by_cell;
	index_by_sid(pw, p_id, &by_pw);
	index_by_sid(org, o_site, &by_site);
	hmap_init(&by_group, 64);
	hmap_init(&by_cell, 256);
	group *groups = NULL;
	cell *cells = NULL;
	size_t ng = 0, gcap = 0, nc = 0, ccap = 0;
	int32_t census = ctx->census;

	for (size_t r = 0; r < ap->nrows; r++) {
		uint32_t o = tbl_sid(ap, a_out, r);
		int side, standard = 1;
		uint32_t reason = dna_reason;
		if (o == o_dna) {
			int32_t d = tbl_date(ap, a_slot, r);
			if (d == DATE_NULL || d > census)
				continue;
			side = SIDE_DNA;
		} else if (o == o_pc || o == o_hc) {
			int32_t d = ts_day_or_null(ap, a_cat, r);
			if (d == DATE_NULL)
				d = tbl_date(ap, a_slot, r);
			if (d == DATE_NULL || d > census)
				continue;
			uint32_t s = tbl_sid(ap, a_side, r);
			side = s == s_pat ? SIDE_PATIENT : s == s_hosp ? SIDE_HOSPITAL : s == s_sess ? SIDE_SESSION
			     : o == o_pc ? SIDE_PATIENT : SIDE_HOSPITAL;
			reason = tbl_sid(ap, a_reason, r) ? tbl_sid(ap, a_reason, r) : none_reason;
			standard = tbl_bool(ap, a_std, r);
		} else {
			continue;
		}
		uint32_t trust = 0, tname = 0, ics = 0, tf = 0, spec = 0, i = hmap_get(&by_site, tbl_sid(ap, a_site, r));
		if (i != HMAP_NONE) {
			trust = tbl_sid(org, o_trust, i);
			tname = tbl_sid(org, o_tname, i);
			ics = tbl_sid(org, o_ics, i);
		}
		uint32_t j = hmap_get(&by_pw, tbl_sid(ap, a_pw, r));
		if (j != HMAP_NONE) {
			tf = tbl_sid(pw, p_tf, j);
			spec = tbl_sid(pw, p_spec, j);
		}
		uint64_t gkey = (uint64_t)trust << 32 | tf;
		uint32_t g = hmap_get(&by_group, gkey);
		if (g == HMAP_NONE) {
			if (ng == gcap)
				groups = xrealloc(groups, (gcap = gcap ? gcap * 2 : 64) * sizeof *groups);
			groups[ng] = (group){trust, tname, tf, spec, ics};
			g = (uint32_t)ng++;
			hmap_put(&by_group, gkey, g);
		}
		/* Exact key: group (< 2^30) | side (2 bits) | reason id (32 bits). */
		uint64_t ckey = (uint64_t)g << 34 | (uint64_t)side << 32 | reason;
		uint32_t k = hmap_get(&by_cell, ckey);
		if (k == HMAP_NONE) {
			if (nc == ccap)
				cells = xrealloc(cells, (ccap = ccap ? ccap * 2 : 256) * sizeof *cells);
			cells[nc] = (cell){g, reason, side, standard, 0, NULL, NULL, NULL};
			k = (uint32_t)nc++;
			hmap_put(&by_cell, ckey, k);
		}
		cells[k].events++;
		/* One non-standard use of a code makes the pair non-standard. */
		cells[k].standard &= standard;
	}

	for (size_t k = 0; k < nc; k++) {
		const group *g = &groups[cells[k].group];
		cells[k].trust_s = sp_str(sp, g->trust);
		cells[k].tf_s = sp_str(sp, g->tf);
		cells[k].reason_s = sp_str(sp, cells[k].reason);
	}
	if (nc > 1)
		qsort(cells, nc, sizeof *cells, cmp_cell);
	tbl_reserve(out, nc);
	size_t first = 0; /* first cell of the current Trust x function */
	int64_t rank = 0;
	for (size_t k = 0; k < nc; k++) {
		const cell *c = &cells[k];
		const group *g = &groups[c->group];
		if (k == 0 || c->group != cells[k - 1].group) {
			first = k;
			rank = 1;
		} else if (c->events != cells[k - 1].events) {
			rank = (int64_t)(k - first) + 1; /* competition ranking: 1, 1, 3 */
		}
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_trust, o, g->trust);
		tbl_set_sid(out, c_tname, o, g->trust_name);
		tbl_set_sid(out, c_ics, o, g->ics);
		tbl_set_sid(out, c_tf, o, g->tf);
		tbl_set_sid(out, c_spec, o, g->specialty);
		tbl_set_str(out, c_side, o, side_names[c->side]);
		tbl_set_sid(out, c_reason, o, c->reason);
		tbl_set_bool(out, c_std, o, c->standard);
		tbl_set_int(out, c_events, o, c->events);
		tbl_set_int(out, c_rank, o, rank);
	}
	free(groups);
	free(cells);
	hmap_free(&by_pw);
	hmap_free(&by_site);
	hmap_free(&by_group);
	hmap_free(&by_cell);
	return 0;
}

const model_def model_fct_delay_causes = {
	.name = "fct_delay_causes",
	.layer = LAYER_MART,
	.description = "Causes of lost appointments: cancellations by reason and side, and DNAs, counted per Trust x "
		       "treatment function and ranked within it; ordered by Trust, function and rank",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = NULL,
	.build = build,
};
