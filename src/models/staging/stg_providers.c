/* stg_providers: clinicians with their site, specialty and the NHS
 * treatment function their specialty maps to. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"providers", "treatment_functions", NULL};

static const model_col cols[] = {
	{"provider_id", T_STR, "Clinician identifier; the consultant on pathways", "unique not_null", "providers.Id",
	 CR_CLINICIAN},
	{"site_id", T_STR, "Organisation the clinician works at (a site of treatment, or e.g. a GP practice)",
	 "not_null warn:ref(organizations.Id)", "providers.ORGANIZATION", CR_GEO},
	{"specialty", T_STR, "Specialty in title case", "", "providers.SPECIALITY", CR_CODE},
	{"treatment_function", T_STR,
	 "Treatment function code of the specialty (seed); unmapped: X05 surgical, X02 medical, X06 other",
	 "not_null ref(treatment_functions.CODE)", "providers.SPECIALITY, treatment_functions.SPECIALITY", CR_CODE},
};

static const char *const tests[] = {NULL};

/* The matching form of a specialty: upper case, '&' as AND, other
 * punctuation as blanks, so "Ear, Nose & Throat" matches "EAR NOSE AND
 * THROAT" and "OBSTETRICS/GYNECOLOGY" matches "OBSTETRICS GYNECOLOGY". */
static void spec_key(const char *s, char *out, size_t n)
{
	char tmp[256];
	size_t j = 0;
	for (; *s && j + 6 < sizeof tmp; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '&') {
			memcpy(tmp + j, " AND ", 5);
			j += 5;
		} else {
			tmp[j++] = isalnum(c) || c >= 0x80 ? (char)c : ' ';
		}
	}
	tmp[j] = '\0';
	stg_upper(tmp, out, n);
}

/* Seed SPECIALITY cells hold one or more upper-case spellings separated by
 * '|'; m maps each spelling's matching form (string id) to the seed row. */
static void speciality_index(run_ctx *ctx, hmap *m)
{
	const mm_table *tf = ctx_table(ctx, "treatment_functions");
	int c = col(tf, "SPECIALITY");
	hmap_init(m, tf->nrows * 2);
	for (size_t r = tf->nrows; r-- > 0;) {
		char buf[256], norm[256];
		const char *s = tbl_str(tf, c, r);
		while (*s) {
			size_t n = strcspn(s, "|");
			size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
			memcpy(buf, s, k);
			buf[k] = '\0';
			spec_key(buf, norm, sizeof norm);
			if (*norm)
				hmap_put(m, stg_sid(ctx->sp, norm), (uint32_t)r); /* backwards: the first row wins */
			s += n;
			if (*s == '|')
				s++;
		}
	}
}

static const char *unmapped_function(const char *upper)
{
	if (strstr(upper, "SURG"))
		return "X05";
	if (strstr(upper, "MEDICINE") || strstr(upper, "PRACTICE") || strstr(upper, "OLOGY") || strstr(upper, "IATR"))
		return "X02";
	return "X06";
}

typedef struct spec_map {
	uint32_t title, function;
} spec_map;

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *p = ctx_table(ctx, "providers");
	const mm_table *tf = ctx_table(ctx, "treatment_functions");
	int s_id = col(p, "Id"), s_org = col(p, "ORGANIZATION"), s_spec = col(p, "SPECIALITY");
	int tf_code = col(tf, "CODE");
	int c_id = col(out, "provider_id"), c_site = col(out, "site_id"), c_spec = col(out, "specialty"),
	    c_tf = col(out, "treatment_function");
	hmap spec_ix, cache;
	speciality_index(ctx, &spec_ix);
	hmap_init(&cache, 64);
	spec_map *maps = NULL;
	size_t nmaps = 0;

	tbl_reserve(out, p->nrows);
	uint32_t *order = stg_order(p, (const char *const[]){"Id", NULL});
	for (size_t k = 0; k < p->nrows; k++) {
		if (k + STG_AHEAD < p->nrows)
			stg_prefetch_row(p, order[k + STG_AHEAD]);
		size_t r = order[k];
		uint32_t spec = tbl_sid(p, s_spec, r);
		uint32_t slot = hmap_get(&cache, spec);
		if (slot == HMAP_NONE) {
			char key[256], upper[256], title[256];
			spec_key(sp_str(ctx->sp, spec), key, sizeof key);
			stg_upper(sp_str(ctx->sp, spec), upper, sizeof upper);
			stg_title_case(upper, title, sizeof title);
			long tr = stg_lookup(&spec_ix, stg_sid_find(ctx->sp, key));
			maps = xrealloc(maps, (nmaps + 1) * sizeof *maps);
			maps[nmaps].title = *title ? stg_sid(ctx->sp, title) : 0;
			maps[nmaps].function = tr >= 0 ? tbl_sid(tf, tf_code, (size_t)tr)
						       : stg_sid(ctx->sp, unmapped_function(upper));
			slot = (uint32_t)nmaps++;
			hmap_put(&cache, spec, slot);
		}
		size_t o = tbl_add_row(out);
		tbl_set_sid(out, c_id, o, tbl_sid(p, s_id, r));
		tbl_set_sid(out, c_site, o, tbl_sid(p, s_org, r));
		tbl_set_sid(out, c_spec, o, maps[slot].title);
		tbl_set_sid(out, c_tf, o, maps[slot].function);
	}
	free(maps);
	hmap_free(&cache);
	hmap_free(&spec_ix);
	free(order);
	return 0;
}

const model_def model_stg_providers = {
	.name = "stg_providers",
	.layer = LAYER_STAGING,
	.description = "Clinicians: site, specialty and the NHS treatment function the specialty maps to "
		       "(seed treatment_functions).",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
