/* Column-level lineage from the registry's `from` declarations. */
#include "registry/colineage.h"
#include "contract/schema.h"
#include "registry/model.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const param_names[CL_NPARAMS] = {"census", "rules"};
static const char *const param_titles[CL_NPARAMS] = {"the census date", "the risk rules file"};

const char *cl_param_title(int p)
{
	return p >= 0 && p < CL_NPARAMS ? param_titles[p] : "";
}

int cl_equal(cl_ref a, cl_ref b)
{
	return a.kind == b.kind && a.t == b.t && a.c == b.c;
}

static int model_col_index(const model_def *m, const char *name, size_t n)
{
	for (int c = 0; c < m->ncols; c++)
		if (strlen(m->cols[c].name) == n && !strncmp(m->cols[c].name, name, n))
			return c;
	return -1;
}

static int source_col_index(const src_table *s, const char *name, size_t n)
{
	for (int c = 0; c < s->ncols; c++)
		if (strlen(s->cols[c].name) == n && !strncmp(s->cols[c].name, name, n))
			return c;
	return -1;
}

/* name[0..n) as a ref; 0 or -1. */
static int parse_n(const char *name, size_t n, cl_ref *out)
{
	for (int p = 0; p < CL_NPARAMS; p++)
		if (strlen(param_names[p]) == n && !strncmp(param_names[p], name, n)) {
			*out = (cl_ref){CL_PARAM, p, -1};
			return 0;
		}
	const char *dot = memchr(name, '.', n);
	size_t tn = dot ? (size_t)(dot - name) : n;
	char table[128];
	if (tn == 0 || tn >= sizeof table)
		return -1;
	memcpy(table, name, tn);
	table[tn] = '\0';
	int t = model_index(table);
	if (t >= 0) {
		int c = dot ? model_col_index(model_at(t), dot + 1, n - tn - 1) : -1;
		if (dot && c < 0)
			return -1;
		*out = (cl_ref){CL_MODEL, t, c};
		return 0;
	}
	t = source_index(table);
	if (t >= 0) {
		int c = dot ? source_col_index(&source_tables[t], dot + 1, n - tn - 1) : -1;
		if (dot && c < 0)
			return -1;
		*out = (cl_ref){CL_SOURCE, t, c};
		return 0;
	}
	return -1;
}

int cl_parse(const char *name, cl_ref *out)
{
	return parse_n(name, strlen(name), out);
}

const char *cl_table_name(cl_ref r)
{
	switch (r.kind) {
	case CL_MODEL:
		return model_at(r.t)->name;
	case CL_SOURCE:
		return source_tables[r.t].name;
	case CL_PARAM:
		return param_names[r.t];
	}
	return "";
}

const char *cl_col_name(cl_ref r)
{
	if (r.c < 0)
		return NULL;
	return r.kind == CL_MODEL ? model_at(r.t)->cols[r.c].name : source_tables[r.t].cols[r.c].name;
}

char *cl_name(cl_ref r, char *out, size_t n)
{
	const char *c = cl_col_name(r);
	snprintf(out, n, "%s%s%s", cl_table_name(r), c ? "." : "", c ? c : "");
	return out;
}

/* ---- `from` entries ---- */

/* A growable list of refs. */
typedef struct refs {
	cl_ref *v;
	int n, cap;
} refs;

static int refs_has(const refs *l, cl_ref r)
{
	for (int i = 0; i < l->n; i++)
		if (cl_equal(l->v[i], r))
			return 1;
	return 0;
}

static void refs_add(refs *l, cl_ref r)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = r;
}

/* Calls fn for each entry of a `from` string: start and length, spaces trimmed. */
static int each_entry(const char *from, int (*fn)(const char *s, size_t n, void *arg), void *arg)
{
	const char *p = from ? from : "";
	int bad = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		const char *end = e ? e : p + strlen(p);
		const char *a = p, *b = end;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if (b > a)
			bad += fn(a, (size_t)(b - a), arg);
		p = e ? e + 1 : end;
	}
	return bad;
}

static int add_entry(const char *s, size_t n, void *arg)
{
	cl_ref r;
	if (parse_n(s, n, &r))
		return 1;
	if (!refs_has(arg, r))
		refs_add(arg, r);
	return 0;
}

int cl_from(int m, int c, cl_ref **out)
{
	refs l = {0};
	if (each_entry(model_at(m)->cols[c].from, add_entry, &l)) {
		free(l.v);
		*out = NULL;
		return -1;
	}
	*out = l.v;
	return l.n;
}

typedef struct vctx {
	const model_def *m;
	int c;
	FILE *err;
} vctx;

static int declared_upstream(const model_def *m, const char *table)
{
	if (!strcmp(m->name, table))
		return 1;
	for (const char *const *u = m->upstream; u && *u; u++)
		if (!strcmp(*u, table))
			return 1;
	return 0;
}

static int check_entry(const char *s, size_t n, void *arg)
{
	const vctx *v = arg;
	cl_ref r;
	const char *why = NULL;
	if (parse_n(s, n, &r))
		why = "names no known model, input file, column or parameter";
	else if (r.kind != CL_PARAM && r.c < 0)
		why = "names a table without a column";
	else if (r.kind != CL_PARAM && !declared_upstream(v->m, cl_table_name(r)))
		why = "names a table that the model does not declare upstream";
	if (!why)
		return 0;
	if (v->err)
		fprintf(v->err, "medimart: error: %s.%s: from entry '%.*s' %s\n", v->m->name, v->m->cols[v->c].name,
			(int)n, s, why);
	return 1;
}

int cl_validate(FILE *err)
{
	int bad = 0;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		for (int c = 0; c < m->ncols; c++) {
			vctx v = {m, c, err};
			bad += each_entry(m->cols[c].from, check_entry, &v);
		}
	}
	return bad;
}

/* ---- Trees ---- */

/* The children of r, one step up or down. */
static void step(cl_ref r, int down, refs *out)
{
	if (!down) {
		if (r.kind != CL_MODEL)
			return;
		if (r.c >= 0) {
			cl_ref *v;
			int n = cl_from(r.t, r.c, &v);
			for (int i = 0; i < n; i++)
				refs_add(out, v[i]);
			free(v);
			return;
		}
		const model_def *m = model_at(r.t);
		for (const char *const *u = m->upstream; u && *u; u++) {
			cl_ref x;
			if (!cl_parse(*u, &x) && !refs_has(out, x))
				refs_add(out, x);
		}
		unsigned p = 0;
		for (int c = 0; c < m->ncols; c++) {
			cl_ref *v;
			int n = cl_from(r.t, c, &v);
			for (int i = 0; i < n; i++)
				if (v[i].kind == CL_PARAM)
					p |= 1u << v[i].t;
			free(v);
		}
		for (int k = 0; k < CL_NPARAMS; k++)
			if (p & (1u << k))
				refs_add(out, (cl_ref){CL_PARAM, k, -1});
		return;
	}
	const char *name = cl_table_name(r);
	for (int j = 0; j < model_total(); j++) {
		const model_def *m = model_at(j);
		if (r.c < 0 && r.kind != CL_PARAM) {
			if (j != r.t || r.kind != CL_MODEL)
				for (const char *const *u = m->upstream; u && *u; u++)
					if (!strcmp(*u, name)) {
						refs_add(out, (cl_ref){CL_MODEL, j, -1});
						break;
					}
			continue;
		}
		for (int c = 0; c < m->ncols; c++) {
			cl_ref *v;
			int n = cl_from(j, c, &v);
			for (int i = 0; i < n; i++)
				if (cl_equal(v[i], r)) {
					refs_add(out, (cl_ref){CL_MODEL, j, c});
					break;
				}
			free(v);
		}
	}
}

static void grow(cl_node *node, int down, refs *seen)
{
	refs kids = {0};
	step(node->ref, down, &kids);
	node->kids = kids.n ? xcalloc((size_t)kids.n, sizeof *node->kids) : NULL;
	node->nkids = kids.n;
	for (int i = 0; i < kids.n; i++) {
		cl_node *k = &node->kids[i];
		k->ref = kids.v[i];
		if (refs_has(seen, k->ref)) {
			k->seen = 1;
			continue;
		}
		refs_add(seen, k->ref);
		grow(k, down, seen);
	}
	free(kids.v);
}

static cl_node *tree(cl_ref r, int down)
{
	cl_node *root = xcalloc(1, sizeof *root);
	root->ref = r;
	refs seen = {0};
	refs_add(&seen, r);
	grow(root, down, &seen);
	free(seen.v);
	return root;
}

cl_node *cl_upstream(cl_ref r)
{
	return tree(r, 0);
}

cl_node *cl_downstream(cl_ref r)
{
	return tree(r, 1);
}

static void free_kids(cl_node *n)
{
	for (int i = 0; i < n->nkids; i++)
		free_kids(&n->kids[i]);
	free(n->kids);
}

void cl_tree_free(cl_node *n)
{
	if (!n)
		return;
	free_kids(n);
	free(n);
}

/* ---- Leaves ---- */

/* Walks the column-level upstream of r, collecting source columns and parameters. */
static void leaves(cl_ref r, refs *seen, refs *srcs, unsigned *params)
{
	if (refs_has(seen, r))
		return;
	refs_add(seen, r);
	if (r.kind == CL_PARAM) {
		*params |= 1u << r.t;
		return;
	}
	if (r.kind == CL_SOURCE) {
		if (r.c >= 0)
			refs_add(srcs, r);
		return;
	}
	const model_def *m = model_at(r.t);
	for (int c = r.c < 0 ? 0 : r.c; c < (r.c < 0 ? m->ncols : r.c + 1); c++) {
		cl_ref *v;
		int n = cl_from(r.t, c, &v);
		for (int i = 0; i < n; i++)
			leaves(v[i], seen, srcs, params);
		free(v);
	}
}

static int cmp_ref(const void *a, const void *b)
{
	const cl_ref *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->t != y->t)
		return x->t - y->t;
	return x->c - y->c;
}

int cl_sources(cl_ref r, cl_ref **out)
{
	refs seen = {0}, srcs = {0};
	unsigned p = 0;
	leaves(r, &seen, &srcs, &p);
	free(seen.v);
	if (srcs.n)
		qsort(srcs.v, (size_t)srcs.n, sizeof *srcs.v, cmp_ref);
	*out = srcs.v;
	return srcs.n;
}

unsigned cl_params(cl_ref r)
{
	refs seen = {0}, srcs = {0};
	unsigned p = 0;
	leaves(r, &seen, &srcs, &p);
	free(seen.v);
	free(srcs.v);
	return p;
}

/* ---- Suggestions ---- */

typedef struct names {
	char **v;
	int n, cap;
} names;

static void consider(names *c, const char *table, const char *column)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (size_t)(c->cap = c->cap ? 2 * c->cap : 256) * sizeof *c->v);
	size_t n = strlen(table) + (column ? strlen(column) + 1 : 0) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s%s", table, column ? "." : "", column ? column : "");
	c->v[c->n++] = s;
}

char *cl_suggest(const char *name)
{
	names c = {0};
	int dotted = strchr(name, '.') != NULL;
	for (int p = 0; p < CL_NPARAMS && !dotted; p++)
		consider(&c, param_names[p], NULL);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		if (!dotted)
			consider(&c, m->name, NULL);
		for (int k = 0; k < m->ncols && dotted; k++)
			consider(&c, m->name, m->cols[k].name);
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		if (!dotted)
			consider(&c, source_tables[i].name, NULL);
		for (int k = 0; k < source_tables[i].ncols && dotted; k++)
			consider(&c, source_tables[i].name, source_tables[i].cols[k].name);
	}
	/* Close: a few typos, at most a third of the name. */
	size_t len = strlen(name), limit = len / 3 > 3 ? 3 : len / 3 < 1 ? 1 : len / 3;
	int bi = suggest_nearest(name, (const char *const *)c.v, c.n, limit);
	char *s = bi >= 0 ? xstrdup(c.v[bi]) : NULL;
	for (int i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	return s;
}

void cl_source_reads(load_reads *out)
{
	memset(out, 0, sizeof *out);
	for (int m = 0; m < model_total(); m++)
		for (int c = 0; c < model_at(m)->ncols; c++) {
			cl_ref *v;
			int n = cl_from(m, c, &v);
			for (int i = 0; i < n; i++)
				if (v[i].kind == CL_SOURCE && v[i].c >= 0)
					out->col[v[i].t][v[i].c] = 1;
			free(v);
		}
}
