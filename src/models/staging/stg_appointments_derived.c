/* Appointments for plain Synthea data: Synthea records only what happened,
 * so each outpatient, ambulatory or inpatient encounter that falls within
 * a derived pathway of the same patient (clock start <= encounter date <=
 * clock stop) stands for one attended appointment (docs/plain-synthea.md). */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether pathway id `pid` ("D-<encounter id>-<code>") was treated in
 * encounter `enc`. */
static int treated_in(const char *pid, const char *enc)
{
	size_t n = strlen(enc);
	return strncmp(pid, "D-", 2) == 0 && strncmp(pid + 2, enc, n) == 0 && pid[2 + n] == '-';
}

/* Is pathway row a a better home for an encounter than row b? The
 * pathway treated in the encounter itself, else the one stopping first,
 * else the smaller pathway id. */
static int better(const mm_table *pw, int c_id, int c_stop, const char *enc, size_t a, size_t b)
{
	const char *ia = tbl_str(pw, c_id, a), *ib = tbl_str(pw, c_id, b);
	int ta = treated_in(ia, enc), tb = treated_in(ib, enc);
	if (ta != tb)
		return ta;
	int32_t sa = tbl_date(pw, c_stop, a), sb = tbl_date(pw, c_stop, b);
	if (sa != sb)
		return sa < sb;
	return strcmp(ia, ib) < 0;
}

void stg_appointments_derive(run_ctx *ctx, mm_table *out)
{
	const mm_table *pw = ctx_table(ctx, "stg_pathways"), *e = ctx_table(ctx, "stg_encounters");
	int p_id = col(pw, "pathway_id"), p_pat = col(pw, "patient_id"), p_start = col(pw, "clock_start_date"),
	    p_stop = col(pw, "clock_stop_date");
	int e_id = col(e, "encounter_id"), e_pat = col(e, "patient_id"), e_site = col(e, "site_id"),
	    e_prov = col(e, "provider_id"), e_class = col(e, "encounter_class"), e_ts = col(e, "start_ts"),
	    e_day = col(e, "start_date");
	int c_id = col(out, "appointment_id"), c_path = col(out, "pathway_id"), c_pat = col(out, "patient_id"),
	    c_site = col(out, "site_id"), c_cons = col(out, "consultant_id"), c_type = col(out, "appointment_type"),
	    c_slot = col(out, "slot_ts"), c_day = col(out, "slot_date"), c_att = col(out, "attendance_code"),
	    c_out = col(out, "outcome"), c_last = col(out, "is_last_minute"), c_enc = col(out, "encounter_id"),
	    c_src = col(out, "appointment_source");

	/* The patient's pathways: head maps patient -> a row, next links the rest. */
	hmap head;
	hmap_init(&head, pw->nrows + 16);
	uint32_t *next = xmalloc((pw->nrows ? pw->nrows : 1) * sizeof *next);
	for (size_t r = 0; r < pw->nrows; r++)
		next[r] = hmap_put(&head, tbl_sid(pw, p_pat, r), (uint32_t)r);

	/* Pass 1: the pathway of each encounter, and each pathway's first
	 * encounter other than its treatment. */
	uint32_t outpatient = stg_sid(ctx->sp, "outpatient"), ambulatory = stg_sid(ctx->sp, "ambulatory"),
		 inpatient = stg_sid(ctx->sp, "inpatient");
	uint32_t *home = xmalloc((e->nrows ? e->nrows : 1) * sizeof *home);
	uint32_t *first = xmalloc((pw->nrows ? pw->nrows : 1) * sizeof *first);
	memset(first, 0xff, (pw->nrows ? pw->nrows : 1) * sizeof *first);
	for (size_t r = 0; r < e->nrows; r++) {
		uint32_t cls = tbl_sid(e, e_class, r);
		home[r] = HMAP_NONE;
		if (cls != outpatient && cls != ambulatory && cls != inpatient)
			continue;
		const char *enc = tbl_str(e, e_id, r);
		int32_t day = tbl_date(e, e_day, r);
		for (uint32_t p = hmap_get(&head, tbl_sid(e, e_pat, r)); p != HMAP_NONE; p = next[p]) {
			if (day < tbl_date(pw, p_start, p) || day > tbl_date(pw, p_stop, p))
				continue;
			if (home[r] == HMAP_NONE || better(pw, p_id, p_stop, enc, p, home[r]))
				home[r] = p;
		}
		uint32_t p = home[r];
		if (p == HMAP_NONE || treated_in(tbl_str(pw, p_id, p), enc))
			continue;
		uint32_t f = first[p];
		if (f == HMAP_NONE || tbl_ts(e, e_ts, r) < tbl_ts(e, e_ts, f) ||
		    (tbl_ts(e, e_ts, r) == tbl_ts(e, e_ts, f) && strcmp(enc, tbl_str(e, e_id, f)) < 0))
			first[p] = (uint32_t)r;
	}

	/* Pass 2: one attended appointment per linked encounter. */
	uint32_t t_surgery = stg_sid(ctx->sp, "SURGERY"), t_first = stg_sid(ctx->sp, "FIRST"),
		 t_follow = stg_sid(ctx->sp, "FOLLOWUP"), attended = stg_sid(ctx->sp, "attended"),
		 src = stg_sid(ctx->sp, "encounter");
	for (size_t r = 0; r < e->nrows; r++) {
		uint32_t p = home[r];
		if (p == HMAP_NONE)
			continue;
		const char *enc = tbl_str(e, e_id, r);
		char id[256];
		snprintf(id, sizeof id, "A-%s", enc);
		size_t o = tbl_add_row(out);
		uint32_t type = treated_in(tbl_str(pw, p_id, p), enc) ? t_surgery : first[p] == r ? t_first : t_follow;
		tbl_set_str(out, c_id, o, id);
		tbl_set_sid(out, c_path, o, tbl_sid(pw, p_id, p));
		tbl_set_sid(out, c_pat, o, tbl_sid(e, e_pat, r));
		tbl_set_sid(out, c_site, o, tbl_sid(e, e_site, r));
		tbl_set_sid(out, c_cons, o, tbl_sid(e, e_prov, r));
		tbl_set_sid(out, c_type, o, type);
		tbl_set_ts(out, c_slot, o, tbl_ts(e, e_ts, r));
		tbl_set_date(out, c_day, o, tbl_date(e, e_day, r));
		tbl_set_int(out, c_att, o, 5);
		tbl_set_sid(out, c_out, o, attended);
		tbl_set_bool(out, c_last, o, 0);
		tbl_set_sid(out, c_enc, o, tbl_sid(e, e_id, r));
		tbl_set_sid(out, c_src, o, src);
	}
	free(first);
	free(home);
	free(next);
	hmap_free(&head);
}
