/* int_patient_comorbidities: how many long-term condition groups each
 * patient lives with at the census, the multimorbidity input of the risk
 * score. Counting groups rather than codes keeps two codes for one disease
 * (say, two diabetes codes) from counting twice, and the hierarchy of the
 * comorbidities seed (column SUPERSEDES) keeps one disease at two stages
 * from counting twice: as in the Charlson and Elixhauser indices, diabetes
 * with complications replaces diabetes, severe liver disease replaces mild
 * liver disease, a metastatic tumour replaces the primary malignancy.
 * Groups whose seed rows say COUNTED no (risk factors such as
 * hyperlipidaemia that neither index counts) are recognised but not
 * counted. docs/risk-model.md gives the sources. */
#include "models/mart_util.h"
#include "registry/model.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"stg_patients", "stg_conditions", "comorbidities", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient (every staged patient has a row)", "unique not_null ref(stg_patients.patient_id)",
	 "stg_patients.patient_id", CR_ID},
	{"comorbidity_count", T_INT,
	 "Distinct counted comorbidity groups with a condition active at census, after the hierarchy (a group "
	 "superseded by another group the patient has is not counted)",
	 "not_null range(0..)",
	 "stg_conditions.comorbidity_group, stg_conditions.is_active_at_census, comorbidities.SUPERSEDES, "
	 "comorbidities.COUNTED", CR_EVENTS},
	{"groups", T_STR, "The counted groups' names, sorted and joined with ';' (null when none)", "",
	 "stg_conditions.comorbidity_group, stg_conditions.is_active_at_census, comorbidities.SUPERSEDES, "
	 "comorbidities.COUNTED", CR_LABEL},
	{"superseded_groups", T_STR,
	 "Active groups not counted because a group the patient also has supersedes them (e.g. diabetes under "
	 "diabetes_complicated), sorted and joined with ';' (null when none)",
	 "", "stg_conditions.comorbidity_group, comorbidities.SUPERSEDES", CR_LABEL},
	{"uncounted_groups", T_STR,
	 "Active groups the seed marks COUNTED no (e.g. hyperlipidaemia), sorted and joined with ';' (null when none)",
	 "", "stg_conditions.comorbidity_group, comorbidities.COUNTED", CR_LABEL},
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

/* The hierarchy: group sup supersedes group sub. */
typedef struct edge {
	uint32_t sup, sub;
} edge;

typedef struct hierarchy {
	edge *e;
	size_t n;
	hmap uncounted; /* group sid -> 1 when COUNTED is no */
} hierarchy;

/* Reads the seed's SUPERSEDES and COUNTED. Returns 0, or EXIT_INPUT after
 * naming the problem: a superseded name that is no group of the seed, a
 * group that supersedes itself or is superseded by a group it supersedes,
 * or the rows of one group disagreeing on COUNTED. */
static int read_hierarchy(run_ctx *ctx, hierarchy *h)
{
	mm_table *sd = ctx_table(ctx, "comorbidities");
	int s_group = col(sd, "GROUP"), s_sup = col(sd, "SUPERSEDES"), s_cnt = col(sd, "COUNTED");
	const char *path = ctx->src && ctx->src->seed_dir ? ctx->src->seed_dir : "data";
	char file[1024];
	snprintf(file, sizeof file, "%s/comorbidities.csv", path);
	hmap known, counted_seen;
	hmap_init(&known, 64);
	hmap_init(&counted_seen, 64);
	hmap_init(&h->uncounted, 16);
	h->e = NULL;
	h->n = 0;
	size_t cap = 0;
	int bad = 0;
	for (size_t r = 0; r < sd->nrows; r++)
		if (tbl_sid(sd, s_group, r))
			hmap_put(&known, tbl_sid(sd, s_group, r), 1);
	for (size_t r = 0; r < sd->nrows; r++) {
		uint32_t g = tbl_sid(sd, s_group, r);
		if (!g)
			continue;
		int no = !tbl_isnull(sd, s_cnt, r) && strcmp(tbl_str(sd, s_cnt, r), "no") == 0;
		uint32_t seen = hmap_get(&counted_seen, g);
		if (seen == HMAP_NONE)
			hmap_put(&counted_seen, g, (uint32_t)no);
		else if (seen != (uint32_t)no) {
			diag(DIAG_ERROR, file, 0, 0,
			     "the rows of group '%s' disagree on COUNTED (yes on some, no on others)",
			     tbl_str(sd, s_group, r));
			bad = 1;
		}
		if (no)
			hmap_put(&h->uncounted, g, 1);
		if (tbl_isnull(sd, s_sup, r))
			continue;
		const char *s = tbl_str(sd, s_sup, r);
		while (*s) {
			size_t n = strcspn(s, "|");
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), s);
			s += n + (s[n] == '|');
			if (!*name)
				continue;
			uint32_t sub = sp_intern_cstr(ctx->sp, name);
			if (hmap_get(&known, sub) == HMAP_NONE) {
				diag(DIAG_ERROR, file, 0, 0,
				     "group '%s' supersedes '%s', which is not a GROUP of the seed",
				     tbl_str(sd, s_group, r), name);
				bad = 1;
				continue;
			}
			if (sub == g) {
				diag(DIAG_ERROR, file, 0, 0, "group '%s' supersedes itself", name);
				bad = 1;
				continue;
			}
			if (h->n == cap)
				h->e = xrealloc(h->e, (cap = cap ? cap * 2 : 8) * sizeof *h->e);
			h->e[h->n++] = (edge){g, sub};
		}
	}
	for (size_t i = 0; i < h->n; i++)
		for (size_t j = 0; j < i; j++)
			if (h->e[i].sup == h->e[j].sub && h->e[i].sub == h->e[j].sup) {
				diag(DIAG_ERROR, file, 0, 0, "groups '%s' and '%s' supersede each other",
				     sp_str(ctx->sp, h->e[i].sup), sp_str(ctx->sp, h->e[i].sub));
				bad = 1;
			}
	hmap_free(&known);
	hmap_free(&counted_seen);
	return bad ? EXIT_INPUT : 0;
}

/* Is group g, among the patient's groups v[0..n), superseded by another? */
static int superseded(const hierarchy *h, uint32_t g, const pair *v, size_t n)
{
	for (size_t i = 0; i < h->n; i++) {
		if (h->e[i].sub != g)
			continue;
		for (size_t k = 0; k < n; k++)
			if (v[k].gid == h->e[i].sup)
				return 1;
	}
	return 0;
}

static void put_list(mm_table *out, int c, size_t o, buf *b)
{
	if (b->n)
		tbl_set_str(out, c, o, b->s);
}

static int build(run_ctx *ctx, mm_table *out)
{
	hierarchy h;
	int rc = read_hierarchy(ctx, &h);
	if (rc) {
		free(h.e);
		hmap_free(&h.uncounted);
		return rc;
	}
	mm_table *pt = ctx_table(ctx, "stg_patients");
	mm_table *cd = ctx_table(ctx, "stg_conditions");
	int p_id = col(pt, "patient_id");
	int d_pat = col(cd, "patient_id"), d_group = col(cd, "comorbidity_group"), d_act = col(cd, "is_active_at_census");
	int c_pat = col(out, "patient_id"), c_count = col(out, "comorbidity_count"), c_groups = col(out, "groups");
	int c_sup = col(out, "superseded_groups"), c_unc = col(out, "uncounted_groups");

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

	buf b = {0}, bs = {0}, bu = {0};
	pair *mine = xmalloc((n + 1) * sizeof *mine);
	for (size_t i = 0; i < n;) {
		size_t o = pairs[i].pos, m = 0;
		for (; i < n && pairs[i].pos == o; i++) /* the patient's distinct groups, sorted */
			if (!m || pairs[i].gid != mine[m - 1].gid)
				mine[m++] = pairs[i];
		b.n = bs.n = bu.n = 0;
		int64_t groups = 0;
		for (size_t k = 0; k < m; k++) {
			buf *to = &b;
			if (hmap_get(&h.uncounted, mine[k].gid) != HMAP_NONE)
				to = &bu;
			else if (superseded(&h, mine[k].gid, mine, m))
				to = &bs;
			else
				groups++;
			if (to->n)
				buf_putc(to, ';');
			buf_puts(to, mine[k].group);
		}
		tbl_set_int(out, c_count, o, groups);
		put_list(out, c_groups, o, &b);
		put_list(out, c_sup, o, &bs);
		put_list(out, c_unc, o, &bu);
	}
	free(mine);
	buf_free(&b);
	buf_free(&bs);
	buf_free(&bu);
	free(pairs);
	hmap_free(&pos);
	free(h.e);
	hmap_free(&h.uncounted);
	return 0;
}

const model_def model_int_patient_comorbidities = {
	.name = "int_patient_comorbidities",
	.layer = LAYER_INTERMEDIATE,
	.description = "Multimorbidity at census: per patient, the distinct comorbidity groups (from the comorbidities "
		       "seed) of conditions active on the census date, after the seed's hierarchy (a group superseded by "
		       "another the patient has counts once) and leaving out groups the seed does not count; one row per "
		       "patient, by patient_id",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
