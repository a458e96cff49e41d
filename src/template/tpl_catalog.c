/* The catalog of tables templates may read: their declarations, what
 * their rows are (patient level, national), their columns' roles, and the
 * descriptions shown in place of cancellation reason codes. */
#include "template/template.h"
#include "registry/disclosure.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int has_col(const mm_table *t, const model_def *d, const char *name)
{
	if (t)
		return tbl_col(t, name) >= 0;
	for (int i = 0; d && i < d->ncols; i++)
		if (!strcmp(d->cols[i].name, name))
			return 1;
	return 0;
}

void tpl_catalog_add(tpl_catalog *c, const char *name, const char *description, const mm_table *t,
		     const model_def *def)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
	}
	tpl_source *s = &c->v[c->n++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->description = description;
	s->t = t;
	s->def = def;
	/* Tables without a declaration (made while rendering, or in tests)
	 * are patient level by the names the declarations replaced. */
	s->patient_level = def ? (def->flags & MODEL_PATIENT_LEVEL) != 0
			       : has_col(t, def, "patient_id") || has_col(t, def, "pathway_id") ||
					 !strncmp(name, "stg_", 4) || !strncmp(name, "int_", 4);
	int ncols = t ? t->ncols : def->ncols;
	s->national = 1;
	for (int i = 0; i < ncols; i++)
		if (sdc_role_geographic(tpl_source_role(s, t ? t->cols[i].name : def->cols[i].name)))
			s->national = 0;
}

const tpl_source *tpl_catalog_find(const tpl_catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name))
			return &c->v[i];
	return NULL;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const tpl_code *)a)->code, ((const tpl_code *)b)->code);
}

void tpl_catalog_set_reasons(tpl_catalog *c, const mm_table *seed)
{
	free(c->reasons);
	c->reasons = NULL;
	c->nreasons = 0;
	int kc = seed ? tbl_col(seed, "CODE") : -1, dc = seed ? tbl_col(seed, "DESCRIPTION") : -1;
	if (kc < 0 || dc < 0 || seed->cols[kc].type != T_STR || seed->cols[dc].type != T_STR)
		return;
	c->reasons = xcalloc(seed->nrows ? seed->nrows : 1, sizeof *c->reasons);
	for (size_t r = 0; r < seed->nrows; r++) {
		if (tbl_isnull(seed, kc, r))
			continue;
		const char *d = tbl_isnull(seed, dc, r) ? "" : tbl_str(seed, dc, r);
		c->reasons[c->nreasons++] = (tpl_code){tbl_str(seed, kc, r), *d ? d : tbl_str(seed, kc, r)};
	}
	qsort(c->reasons, (size_t)c->nreasons, sizeof *c->reasons, cmp_code);
}

col_role tpl_source_role(const tpl_source *s, const char *name)
{
	for (int i = 0; s->def && i < s->def->ncols; i++)
		if (!strcmp(s->def->cols[i].name, name))
			return s->def->cols[i].role;
	mm_type ty;
	if (s->def || tpl_source_col(s, name, &ty) < 0)
		return CR_UNSET;
	return sdc_role_guess(name, ty);
}

void tpl_catalog_free(tpl_catalog *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
	free(c->reasons);
	c->reasons = NULL;
	c->nreasons = 0;
}

int tpl_source_col(const tpl_source *s, const char *name, mm_type *type)
{
	if (s->t) {
		int c = tbl_col(s->t, name);
		if (c >= 0 && type)
			*type = s->t->cols[c].type;
		return c;
	}
	for (int i = 0; s->def && i < s->def->ncols; i++)
		if (!strcmp(s->def->cols[i].name, name)) {
			if (type)
				*type = s->def->cols[i].type;
			return i;
		}
	return -1;
}
