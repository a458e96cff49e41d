/* Entities of templated pages and packs (see entity.h). */
#include "query/entity.h"
#include "util/hmap.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const tpl_source *entity_source(const tpl_catalog *cat, const char *param)
{
	const tpl_source *best = NULL;
	int best_rank = 9;
	for (int i = 0; i < cat->n; i++) {
		const tpl_source *s = &cat->v[i];
		mm_type ty;
		if (!s->t || tpl_source_col(s, param, &ty) < 0 || ty != T_STR || !strncmp(s->name, "run_", 4))
			continue;
		int rank = s->def && s->def->flags & MODEL_DIMENSION ? 0 : s->def && s->def->layer == LAYER_MART ? 1 : 2;
		if (rank < best_rank) {
			best = s;
			best_rank = rank;
		}
	}
	return best;
}

/* The column whose values cmp_key_rows compares. */
typedef struct key_col {
	const mm_table *t;
	int c;
} key_col;

static int cmp_key_rows(const void *a, const void *b, void *ctx)
{
	const key_col *k = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return strcmp(tbl_str(k->t, k->c, x), tbl_str(k->t, k->c, y));
}

size_t entity_keys(const tpl_source *src, const char *param, char ***keys, size_t **rows)
{
	const mm_table *t = src->t;
	int c = tbl_col(t, param);
	hmap seen;
	hmap_init(&seen, 64);
	size_t n = 0;
	size_t *rv = xmalloc((t->nrows ? t->nrows : 1) * sizeof *rv);
	for (size_t r = 0; r < t->nrows; r++) {
		uint32_t id = tbl_sid(t, c, r);
		if (id && hmap_get(&seen, id) == HMAP_NONE) {
			hmap_put(&seen, id, (uint32_t)n);
			rv[n++] = r;
		}
	}
	hmap_free(&seen);
	mm_sort(rv, n, sizeof *rv, cmp_key_rows, &(key_col){t, c});
	char **kv = xmalloc((n ? n : 1) * sizeof *kv);
	for (size_t i = 0; i < n; i++)
		kv[i] = (char *)tbl_str(t, c, rv[i]);
	*keys = kv;
	*rows = rv;
	return n;
}

const char *entity_label_col(const tpl_source *s, const char *param)
{
	static char name[64];
	size_t n = strlen(param);
	if (n > 5 && n < 60 && !strcmp(param + n - 5, "_code")) {
		snprintf(name, sizeof name, "%.*s_name", (int)(n - 5), param);
		if (tpl_source_col(s, name, NULL) >= 0)
			return name;
	}
	if (!strcmp(param, "treatment_function") && tpl_source_col(s, "specialty", NULL) >= 0)
		return "specialty";
	return param;
}
