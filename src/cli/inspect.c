/* medimart ls and medimart lineage: look at the registry (and the last
 * run's record) without loading any data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "contract/schema.h"
#include "registry/colineage.h"
#include "registry/model.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* ---- Reading run_results.json ---- */

/* A reader for the small part of JSON the run record uses. */
typedef struct jr {
	const char *p, *end;
	int bad;
} jr;

static void ws(jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static int eat(jr *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

/* A string into out (n bytes, truncated); \uXXXX outside ASCII becomes '?'. */
static void jstr(jr *j, char *out, size_t n)
{
	size_t k = 0;
	if (!eat(j, '"')) {
		j->bad = 1;
		return;
	}
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\' && j->p < j->end) {
			c = *j->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned v = 0;
				for (int i = 0; i < 4 && j->p < j->end; i++, j->p++)
					v = v * 16 + (unsigned)(*j->p <= '9' ? *j->p - '0' : (*j->p | 0x20) - 'a' + 10);
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			default: break;
			}
		}
		if (out && k + 1 < n)
			out[k++] = c;
	}
	if (out && n)
		out[k] = '\0';
	if (!eat(j, '"'))
		j->bad = 1;
}

static void jskip(jr *j)
{
	ws(j);
	if (j->p >= j->end) {
		j->bad = 1;
		return;
	}
	if (*j->p == '"') {
		jstr(j, NULL, 0);
	} else if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		int obj = *j->p == '{';
		j->p++;
		if (eat(j, close))
			return;
		do {
			if (obj) {
				jstr(j, NULL, 0);
				if (!eat(j, ':'))
					j->bad = 1;
			}
			jskip(j);
		} while (!j->bad && eat(j, ','));
		if (!eat(j, close))
			j->bad = 1;
	} else {
		while (j->p < j->end && !strchr(",]} \n\r\t", *j->p))
			j->p++;
	}
}

typedef struct run_record {
	char verb[32], census[16];
	long rows[MM_MAX_MODELS]; /* by registry index; -1 when not built in that run */
} run_record;

static void read_model(jr *j, run_record *rec)
{
	char name[128] = "", status[32] = "", key[32];
	double rows = -1;
	if (!eat(j, '{')) {
		j->bad = 1;
		return;
	}
	if (eat(j, '}'))
		return;
	do {
		jstr(j, key, sizeof key);
		if (!eat(j, ':'))
			j->bad = 1;
		ws(j);
		if (!strcmp(key, "name"))
			jstr(j, name, sizeof name);
		else if (!strcmp(key, "status"))
			jstr(j, status, sizeof status);
		else if (!strcmp(key, "rows")) {
			char *e;
			rows = strtod(j->p, &e);
			if (e == j->p)
				j->bad = 1;
			j->p = e;
		} else
			jskip(j);
	} while (!j->bad && eat(j, ','));
	if (!eat(j, '}'))
		j->bad = 1;
	int i = model_index(name);
	if (i >= 0 && !strcmp(status, "built") && rows >= 0)
		rec->rows[i] = (long)rows;
}

/* Reads the record; 0, or -1 when it is absent (errno) or malformed (-2). */
static int read_record(const char *path, run_record *rec)
{
	for (int i = 0; i < MM_MAX_MODELS; i++)
		rec->rows[i] = -1;
	rec->verb[0] = rec->census[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	buf b = {0};
	char chunk[8192];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, k);
	fclose(f);
	jr j = {b.s, b.s + b.n, b.s == NULL};
	char key[32];
	if (!eat(&j, '{'))
		j.bad = 1;
	else if (!eat(&j, '}')) {
		do {
			jstr(&j, key, sizeof key);
			if (!eat(&j, ':'))
				j.bad = 1;
			if (!strcmp(key, "verb"))
				jstr(&j, rec->verb, sizeof rec->verb);
			else if (!strcmp(key, "census"))
				jstr(&j, rec->census, sizeof rec->census);
			else if (!strcmp(key, "models") && eat(&j, '[')) {
				if (!eat(&j, ']')) {
					do
						read_model(&j, rec);
					while (!j.bad && eat(&j, ','));
					if (!eat(&j, ']'))
						j.bad = 1;
				}
			} else
				jskip(&j);
		} while (!j.bad && eat(&j, ','));
		if (!eat(&j, '}'))
			j.bad = 1;
	}
	buf_free(&b);
	return j.bad ? -2 : 0;
}

/* ---- medimart ls ---- */

int cmd_ls(const struct mm_opts *o)
{
	size_t n = strlen(o->target) + 32;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/run_results.json", o->target);
	run_record rec;
	int rc = read_record(path, &rec);
	if (rc == -2) {
		diag(DIAG_WARNING, path, 0, 0, "not a run record this version can read; rows show as -");
	} else if (rc) {
		printf("No run in %s/ (no %s): rows show as -.\n\n", o->target, path);
	} else {
		printf("Rows from %s (medimart %s, census %s); - = not built in that run.\n\n", path, rec.verb,
		       rec.census);
	}
	int wname = 5, wlayer = 5;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		if ((int)strlen(m->name) > wname)
			wname = (int)strlen(m->name);
		if ((int)strlen(layer_name(m->layer)) > wlayer)
			wlayer = (int)strlen(layer_name(m->layer));
	}
	printf("%-*s  %-*s  %9s  %s\n", wname, "MODEL", wlayer, "LAYER", "ROWS", "DESCRIPTION");
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		char rows[32] = "-";
		if (rc == 0 && rec.rows[i] >= 0)
			snprintf(rows, sizeof rows, "%ld", rec.rows[i]);
		printf("%-*s  %-*s  %9s  %s\n", wname, m->name, wlayer, layer_name(m->layer), rows, m->description);
	}
	free(path);
	return 0;
}

/* ---- medimart lineage ---- */

/* What a node is, after its name. */
static void put_mark(const cl_node *n, FILE *f)
{
	cl_ref r = n->ref;
	if (r.kind == CL_SOURCE)
		fprintf(f, "  [%s %s]", source_tables[r.t].seed ? "seed" : "source", source_tables[r.t].file);
	else if (r.kind == CL_PARAM)
		fprintf(f, "  [parameter: %s]", cl_param_title(r.t));
	else if (r.c < 0)
		fprintf(f, "  [%s]", layer_name(model_at(r.t)->layer));
	if (n->seen && n->ref.kind == CL_MODEL)
		fputs("  (expanded above)", f);
}

/* prefix holds the "|   " columns of the ancestors. */
static void put_tree(const cl_node *n, buf *prefix, FILE *f)
{
	char name[256];
	for (int i = 0; i < n->nkids; i++) {
		const cl_node *k = &n->kids[i];
		int last = i == n->nkids - 1;
		fprintf(f, "%s%s%s", prefix->s ? prefix->s : "", last ? "`-- " : "|-- ", cl_name(k->ref, name, sizeof name));
		put_mark(k, f);
		fputc('\n', f);
		size_t keep = prefix->n;
		buf_puts(prefix, last ? "    " : "|   ");
		put_tree(k, prefix, f);
		prefix->n = keep;
		prefix->s[keep] = '\0';
	}
}

static void print_tree(const char *title, cl_node *t, FILE *f)
{
	char name[256];
	fprintf(f, "%s\n%s", title, cl_name(t->ref, name, sizeof name));
	put_mark(t, f);
	fputc('\n', f);
	if (!t->nkids)
		fputs("    (none)\n", f);
	buf prefix = {0};
	buf_puts(&prefix, "");
	put_tree(t, &prefix, f);
	buf_free(&prefix);
}

int cmd_lineage(const struct mm_opts *o)
{
	cl_ref r;
	if (cl_parse(o->name, &r)) {
		diag(DIAG_ERROR, NULL, 0, 0, "lineage: no model, input file, column or parameter named '%s'", o->name);
		char *s = cl_suggest(o->name);
		if (s)
			fprintf(stderr, "Did you mean '%s'?\n", s);
		else
			fprintf(stderr, "Run 'medimart ls' for the models.\n");
		free(s);
		return EXIT_INPUT;
	}
	char name[256];
	cl_name(r, name, sizeof name);
	if (r.kind == CL_MODEL && r.c >= 0) {
		const model_col *c = &model_at(r.t)->cols[r.c];
		printf("%s: %s column of %s (%s)\n  %s\n", name, type_name(c->type), model_at(r.t)->name,
		       layer_name(model_at(r.t)->layer), c->description);
	} else if (r.kind == CL_MODEL) {
		printf("%s: %s model\n  %s\n", name, layer_name(model_at(r.t)->layer), model_at(r.t)->description);
	} else if (r.kind == CL_SOURCE) {
		const src_table *s = &source_tables[r.t];
		if (r.c >= 0)
			printf("%s: %s column of %s (%s)\n", name, type_name(s->cols[r.c].type), s->file,
			       s->seed ? "seed" : "input file");
		else
			printf("%s: %s %s\n  %s\n", name, s->seed ? "seed" : "input file", s->file, s->description);
	} else {
		printf("%s: run parameter, %s\n", name, cl_param_title(r.t));
	}

	cl_node *up = cl_upstream(r), *down = cl_downstream(r);
	putchar('\n');
	print_tree(r.c < 0 && r.kind == CL_MODEL ? "Upstream (models and input files it is built from):"
						  : "Upstream (columns it is derived from):",
		   up, stdout);
	cl_ref *src;
	int ns = cl_sources(r, &src);
	unsigned params = cl_params(r);
	if (r.kind == CL_MODEL) {
		printf("\nInput columns it derives from (%d):\n", ns);
		for (int i = 0; i < ns; i++)
			printf("  %s\n", cl_name(src[i], name, sizeof name));
		printf("Run parameters it reads:");
		for (int p = 0, k = 0; p < CL_NPARAMS; p++)
			if (params & (1u << p))
				printf("%s %s (%s)", k++ ? "," : "", cl_table_name((cl_ref){CL_PARAM, p, -1}),
				       cl_param_title(p));
		printf("%s\n", params ? "" : " none");
	}
	free(src);
	putchar('\n');
	print_tree(r.c < 0 && r.kind != CL_PARAM ? "Downstream (models built from it):"
						 : "Downstream (columns derived from it):",
		   down, stdout);
	cl_tree_free(up);
	cl_tree_free(down);
	return 0;
}
