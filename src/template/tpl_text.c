/* Placeholders in template text: {{field}} of the page's entity and
 * {{rule:KEY}} in words (template.h). */
#include "template/template.h"
#include "models/rules/rules_text.h"
#include "util/subst.h"
#include <string.h>

const char *tpl_field(const tpl_entity *e, const char *name)
{
	if (!e || !e->src || !e->src->t)
		return NULL;
	int c = tbl_col(e->src->t, name);
	if (c < 0 || e->src->t->cols[c].type != T_STR)
		return NULL;
	return tbl_str(e->src->t, c, e->row);
}

char *tpl_subst(const char *s, const tpl_entity *e)
{
	return tpl_text(NULL, e, s);
}

typedef struct text_arg {
	const tpl_catalog *cat;
	const tpl_entity *e;
} text_arg;

static const char *text_look(void *arg, const char *name, char *out, size_t n)
{
	const text_arg *t = arg;
	if (!strncmp(name, "rule:", 5)) /* kept as written when unknown */
		return t->cat && rules_words(t->cat->rules, name + 5, out, n) == 0 ? out : NULL;
	const char *v = tpl_field(t->e, name);
	/* In text an empty field is said, not left as a gap ("Board pack: ",
	 * "sites of ()"); filters keep it. */
	if (t->cat && (!v || !*v))
		return "not recorded";
	return v ? v : "";
}

char *tpl_text(const tpl_catalog *cat, const tpl_entity *e, const char *s)
{
	text_arg t = {cat, e};
	return subst_braces(s, text_look, &t);
}

