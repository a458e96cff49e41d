/* The catalog of tables templates may read: their declarations, what
 * their rows are (patient level, national), their columns' roles, and the
 * descriptions shown in place of cancellation reason codes. */
#include "template/template.h"
#include "registry/disclosure.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

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
	/* A table without a declaration says nothing of its rows: they are
	 * taken to be patients', the most restrictive reading (the board sees
	 * them grouped only), never read from its column or table names. */
	s->patient_level = def ? (def->flags & MODEL_PATIENT_LEVEL) != 0 : 1;
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

/* Only the declaration gives a role. A column it does not list, or any
 * column of a table without one, is CR_UNSET, which the disclosure rules
 * treat as the most restrictive role (registry/disclosure.h): a board
 * template that uses it is an error for its author, and pages never show
 * it to the board. A role guessed from the name could publish a count
 * exactly or show an identifier under an innocent name. */
col_role tpl_source_role(const tpl_source *s, const char *name)
{
	for (int i = 0; s->def && i < s->def->ncols; i++)
		if (!strcmp(s->def->cols[i].name, name))
			return s->def->cols[i].role;
	return CR_UNSET;
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
