/* int_patient_comorbidities: how many long-term condition groups each
 * patient lives with at the census, the multimorbidity input of the risk
 * score. Counting groups rather than codes keeps two codes for one disease
 * (say, two diabetes codes) from counting twice. */
#include "models/mart_util.h"
#include "models/model.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_patients", "stg_conditions", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient (every staged patient has a row)", "unique not_null ref(stg_patients.patient_id)",
	 "stg_patients.patient_id"},
	{"comorbidity_count", T_INT, "Distinct comorbidity groups with a condition active at census",
	 "not_null range(0..)", "stg_conditions.comorbidity_group, stg_conditions.is_active_at_census"},
	{"groups", T_STR, "Those groups' names, sorted and joined with ';' (null when none)", "",
	 "stg_conditions.comorbidity_group, stg_conditions.is_active_at_census"},
};

static const char *const tests[] = {NULL};

/* One (patient position, group) pair; pos is the patient's output row. */
typedef struct pair {
	size_t pos;
	const char *group;
	uint32_t gid;
} pair;

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return strcmp(x->group, y->group);
}

static int build(run_ctx *ctx, mm_table *out)
{
	mm_table *pt = ctx_table(ctx, "stg_patients");
	mm_table *cd = ctx_table(ctx, "stg_conditions");
	int p_id = col(pt, "patient_id");
	int d_pat = col(cd, "patient_id"), d_group = col(cd, "comorbidity_group"), d_act = col(cd, "is_active_at_census");
	int c_pat = col(out, "patient_id"), c_count = col(out, "comorbidity_count"), c_groups = col(out, "groups");

	/* Output rows: the patients in patient_id order. */
	hmap pos;
	rows_per_id(pt, p_id, out, c_pat, &pos);
	for (size_t o = 0; o < out->nrows; o++)
		tbl_set_int(out, c_count, o, 0);

	pair *pairs = xmalloc((cd->nrows + 1) * sizeof *pairs);
	size_t n = 0;
	for (size_t r = 0; r < cd->nrows; r++) {
		uint32_t g = tbl_sid(cd, d_group, r);
		if (!g || !tbl_bool(cd, d_act, r))
			continue;
		uint32_t o = hmap_get(&pos, tbl_sid(cd, d_pat, r));
		if (o != HMAP_NONE)
			pairs[n++] = (pair){o, tbl_str(cd, d_group, r), g};
	}
	qsort(pairs, n, sizeof *pairs, cmp_pair);

	buf b = {0};
	for (size_t i = 0; i < n;) {
		size_t o = pairs[i].pos, groups = 0;
		b.n = 0;
		for (; i < n && pairs[i].pos == o; i++) {
			if (groups && pairs[i].gid == pairs[i - 1].gid)
				continue;
			if (groups++)
				buf_putc(&b, ';');
			buf_puts(&b, pairs[i].group);
		}
		tbl_set_int(out, c_count, o, (int64_t)groups);
		tbl_set_str(out, c_groups, o, b.s);
	}
	buf_free(&b);
	free(pairs);
	hmap_free(&pos);
	return 0;
}

const model_def model_int_patient_comorbidities = {
	.name = "int_patient_comorbidities",
	.layer = LAYER_INTERMEDIATE,
	.description = "Multimorbidity at census: per patient, the distinct comorbidity groups (from the comorbidities "
		       "seed) of conditions active on the census date; one row per patient, by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.tests = tests,
	.build = build,
};
