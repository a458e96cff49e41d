/* Checks of a template's names against the catalog: models, columns
 * (and whether the audience may use them), filter values, measures, KPIs
 * and placeholders, with a did-you-mean for a name that is nearly right. */
#include "template/tpl_impl.h"
#include "models/rules/rules_text.h"
#include "registry/disclosure.h"
#include "util/date.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* " (did you mean 'x'?)" for the nearest of names within two typos, or "". */
static void suggest(const char *name, const char *const *names, int n, char *out, size_t outn)
{
	int bi = suggest_nearest(name, names, n, 2);
	if (bi >= 0)
		snprintf(out, outn, " (did you mean '%s'?)", names[bi]);
	else
		out[0] = '\0';
}

static const char *src_col_name(const tpl_source *s, int i)
{
	return s->t ? s->t->cols[i].name : s->def->cols[i].name;
}

static int src_ncols(const tpl_source *s)
{
	return s->t ? s->t->ncols : s->def->ncols;
}

const tpl_source *tpl_check_model(tpl_vctx *v, const tpl_name *m, const char *what)
{
	if (!m->s) {
		tpl_perr(v->t, m->line, m->col, "%s needs model=", what);
		return NULL;
	}
	const tpl_source *s = tpl_catalog_find(v->cat, m->s);
	if (!s) {
		int n = v->cat->n;
		const char **names = xmalloc((size_t)(n ? n : 1) * sizeof *names);
		for (int i = 0; i < n; i++)
			names[i] = v->cat->v[i].name;
		char hint[96];
		suggest(m->s, names, n, hint, sizeof hint);
		free(names);
		tpl_perr(v->t, m->line, m->col, "unknown model '%s'%s", m->s, hint);
	}
	return s;
}

int tpl_check_col(tpl_vctx *v, const tpl_source *s, const char *name, int line, int col, mm_type *ty)
{
	const char *why = NULL;
	if (tpl_source_col(s, name, ty) >= 0 &&
	    (v->t->clinical || !(why = sdc_role_refused(tpl_source_role(s, name), *ty))))
		return 0;
	if (tpl_source_col(s, name, ty) >= 0 && tpl_source_role(s, name) == CR_UNSET) {
		tpl_perr(v->t, line, col, "column '%s' of model '%s' has no declared role (%s): board templates may use "
					  "only columns whose role is declared (docs/disclosure.md)", name, s->name, why);
		return -1;
	}
	if (tpl_source_col(s, name, ty) >= 0) {
		tpl_perr(v->t, line, col, "column '%s' identifies people (%s): board templates may not group, filter, sort "
					  "or measure by it (docs/disclosure.md)", name, why);
		return -1;
	}
	int n = src_ncols(s);
	const char **names = xmalloc((size_t)(n ? n : 1) * sizeof *names);
	for (int i = 0; i < n; i++)
		names[i] = src_col_name(s, i);
	char hint[96];
	suggest(name, names, n, hint, sizeof hint);
	free(names);
	tpl_perr(v->t, line, col, "model '%s' has no column '%s'%s", s->name, name, hint);
	return -1;
}

int tpl_check_shown(tpl_vctx *v, const tpl_source *s, const tpl_name *nm, mm_type *ty)
{
	if (tpl_check_col(v, s, nm->s, nm->line, nm->col, ty))
		return -1;
	if (!v->t->clinical && sdc_role_identifier(tpl_source_role(s, nm->s))) {
		tpl_perr(v->t, nm->line, nm->col,
			 "column '%s' identifies a person: it may only be shown on clinical pages (templates/clinical/)",
			 nm->s);
		return -1;
	}
	return 0;
}

/* Where needle is written in the template, searching from line:col on
 * (a text node or a block's first line): the position of a placeholder
 * inside a paragraph or an attribute. Unchanged when not found. */
static void src_find(const template *t, const char *needle, int *line, int *col)
{
	const char *p = t->src, *end = t->src + t->len;
	int l = 1;
	if (!p || *line < 1)
		return;
	while (p < end && l < *line)
		if (*p++ == '\n')
			l++;
	const char *ls = p;
	for (int c = 1; c < *col && p < end && *p != '\n'; c++)
		p++;
	size_t k = strlen(needle);
	for (; p + k <= end; p++) {
		if (*p == '\n') {
			l++;
			ls = p + 1;
			continue;
		}
		if (!memcmp(p, needle, k)) {
			*line = l;
			*col = (int)(p - ls) + 1;
			return;
		}
	}
}

/* A {{rule:KEY[:FORM]}} placeholder: the key must name a rule of the
 * run's rules file. */
static void check_rule(tpl_vctx *v, const char *name, int line, int col)
{
	char words[RULES_TEXT_MAX];
	if (rules_words(v->cat ? v->cat->rules : NULL, name + 5, words, sizeof words) == 0)
		return;
	size_t nn = strlen(name) + 5;
	char *needle = xmalloc(nn);
	snprintf(needle, nn, "{{%s}}", name);
	src_find(v->t, needle, &line, &col);
	free(needle);
	tpl_perr(v->t, line, col, "placeholder {{%s}}: %s", name, words);
}

void tpl_check_placeholders(tpl_vctx *v, const char *s, int line, int col)
{
	for (const char *p = s ? strstr(s, "{{") : NULL; p; p = strstr(p + 2, "{{")) {
		const char *e = strstr(p + 2, "}}");
		if (!e)
			break;
		char *name = xstrndup(p + 2, (size_t)(e - p - 2));
		mm_type ty;
		if (!strncmp(name, "rule:", 5))
			check_rule(v, name, line, col);
		else if (!v->ent)
			tpl_perr(v->t, line, col,
				 "placeholder {{%s}} only works in an entity template such as trust/[trust_code].md", name);
		else if (tpl_source_col(v->ent, name, &ty) < 0 || ty != T_STR)
			tpl_perr(v->t, line, col,
				 "placeholder {{%s}}: the entities of this page (from model '%s') have no text field '%s'",
				 name, v->ent->name, name);
		free(name);
	}
}

/* 0 when s may be compared with a column of type ty (null and values with
 * placeholders always may), else -1. */
static int check_literal(const char *s, mm_type ty)
{
	char *end;
	int32_t d;
	int64_t ts;
	if (!strcmp(s, "null") || strstr(s, "{{"))
		return 0;
	switch (ty) {
	case T_BOOL: return strcmp(s, "true") && strcmp(s, "false") ? -1 : 0;
	case T_INT:
	case T_NUM: strtod(s, &end); return *s && !*end ? 0 : -1;
	case T_DATE: return tpl_date_literal(s, 0, &d);
	case T_TS: return ts_parse(s, strlen(s), &ts) == 0 ? 0 : -1;
	case T_STR: return 0;
	}
	return -1;
}

void tpl_check_cond(tpl_vctx *v, const tpl_source *s, const tpl_cond *c)
{
	mm_type ty;
	if (tpl_check_col(v, s, c->col, c->line, c->colno, &ty))
		return;
	for (int i = 0; i < c->nvals; i++) {
		tpl_check_placeholders(v, c->vals[i], c->line, c->colno);
		if (check_literal(c->vals[i], ty))
			tpl_perr(v->t, c->line, c->colno, "filter value '%s' does not fit column '%s' (%s%s)", c->vals[i],
				 c->col, type_name(ty),
				 ty == T_BOOL ? ": true or false" : ty == T_DATE ? ": YYYY-MM-DD or census" : "");
	}
}

void tpl_check_measure(tpl_vctx *v, const tpl_source *s, const tpl_measure *m)
{
	mm_type ty;
	/* Point at the column after "fn:" rather than at the function. */
	const char *colon = strchr(m->text, ':');
	int ac = m->col + (colon ? (int)(colon - m->text) + 1 : 0);
	switch (m->fn) {
	case FN_COUNT: return;
	case FN_SHARE: tpl_check_cond(v, s, &m->cond); return;
	case FN_RATIO:
		if (!tpl_check_col(v, s, m->a, m->line, ac, &ty) && ty != T_INT && ty != T_NUM && ty != T_BOOL)
			tpl_perr(v->t, m->line, ac, "ratio needs numeric columns; '%s' is %s", m->a, type_name(ty));
		if (!tpl_check_col(v, s, m->b, m->line, ac + (int)strlen(m->a) + 1, &ty) && ty != T_INT && ty != T_NUM &&
		    ty != T_BOOL)
			tpl_perr(v->t, m->line, ac + (int)strlen(m->a) + 1, "ratio needs numeric columns; '%s' is %s", m->b,
				 type_name(ty));
		return;
	default:
		if (tpl_check_col(v, s, m->a, m->line, ac, &ty))
			return;
		if (ty == T_STR || ty == T_TS || (ty == T_DATE && (m->fn == FN_SUM || m->fn == FN_MEAN)) ||
		    (ty == T_BOOL && m->fn != FN_SUM))
			tpl_perr(v->t, m->line, ac, "measure '%s' does not apply to column '%s' (%s)", m->text, m->a,
				 type_name(ty));
	}
}

static int kpi_known(const tpl_catalog *cat, const char *kpi)
{
	const tpl_source *k = tpl_catalog_find(cat, "kpi_summary");
	if (!k || !k->t)
		return k != NULL;
	int c = tbl_col(k->t, "kpi");
	for (size_t r = 0; c >= 0 && r < k->t->nrows; r++)
		if (!strcmp(tbl_str(k->t, c, r), kpi))
			return 1;
	return 0;
}

void tpl_check_kpi(tpl_vctx *v, const tpl_kpi_line *k)
{
	if (!tpl_catalog_find(v->cat, "kpi_summary"))
		tpl_perr(v->t, k->line, k->col, "KPIs need the kpi_summary model");
	else if (!kpi_known(v->cat, k->kpi))
		tpl_perr(v->t, k->line, k->col, "unknown KPI '%s' (see the kpi column of kpi_summary)", k->kpi);
}

static void check_scope(tpl_vctx *v, const tpl_source *s, const tpl_block *b)
{
	if (!v->t->param || b->q.scope_all || tpl_source_col(s, v->t->param, NULL) >= 0)
		return;
	tpl_perr(v->t, b->q.model.line, b->q.model.col,
		 "model '%s' has no column '%s', so it cannot be limited to this page's entity; add scope=all "
		 "to show figures for everyone", s->name, v->t->param);
}

void tpl_check_query(tpl_vctx *v, const tpl_source *s, const tpl_block *b)
{
	const tpl_query *q = &b->q;
	for (int i = 0; i < q->nconds; i++)
		tpl_check_cond(v, s, &q->conds[i]);
	for (int i = 0; i < q->nms; i++)
		tpl_check_measure(v, s, &q->ms[i]);
	check_scope(v, s, b);
}
