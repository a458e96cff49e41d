/* target/manifest.json, written from the registry, the data contract and
 * the column lineage. */
#include "models/manifest.h"
#include "check/check.h"
#include "load/schema.h"
#include "models/colineage.h"
#include "models/model.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include <string.h>

#define MANIFEST_VERSION 1

static void str(FILE *f, const char *s)
{
	esc_json_file(f, s, 0);
}

static void ref(FILE *f, cl_ref r)
{
	char b[256];
	str(f, cl_name(r, b, sizeof b));
}

/* ["a", "b"] from a list of refs. */
static void ref_list(FILE *f, const cl_ref *v, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		ref(f, v[i]);
	}
	fputc(']', f);
}

static void params(FILE *f, unsigned p)
{
	fputc('[', f);
	for (int k = 0, n = 0; k < CL_NPARAMS; k++)
		if (p & (1u << k)) {
			fputs(n++ ? ", " : "", f);
			str(f, cl_table_name((cl_ref){CL_PARAM, k, -1}));
		}
	fputc(']', f);
}

/* Calls fn for each test of a tests string: its parsed spec and text. */
typedef void (*test_fn)(FILE *f, const model_def *m, const char *column, const test_spec *s, const char *text,
			size_t n, int *first);

static void each_test(FILE *f, const model_def *m, const char *column, const char *tests, test_fn fn, int *first)
{
	size_t n;
	const char *p = tests;
	for (const char *tok; p && (tok = test_spec_next(&p, &n));) {
		test_spec s;
		char why[256];
		if (test_spec_parse(tok, n, &s, why, sizeof why))
			continue; /* the registry validation reports it; the manifest lists valid tests */
		fn(f, m, column, &s, tok, n, first);
		test_spec_free(&s);
	}
}

static void test_name_item(FILE *f, const model_def *m, const char *column, const test_spec *s, const char *text,
			   size_t n, int *first)
{
	(void)m;
	(void)text;
	(void)n;
	char *name = test_spec_name(s, column);
	fputs(*first ? "" : ", ", f);
	*first = 0;
	str(f, name);
	free(name);
}

static void test_object(FILE *f, const model_def *m, const char *column, const test_spec *s, const char *text,
			size_t n, int *first)
{
	char *name = test_spec_name(s, column);
	char *decl = xstrndup(text, n);
	fputs(*first ? "\n    {\"model\": " : ",\n    {\"model\": ", f);
	*first = 0;
	str(f, m->name);
	fputs(", \"column\": ", f);
	if (column)
		str(f, column);
	else
		fputs("null", f);
	fputs(", \"name\": ", f);
	str(f, name);
	fputs(", \"declared\": ", f);
	str(f, decl);
	fprintf(f, ", \"kind\": \"%s\", \"severity\": \"%s\"", test_kind_name(s->kind), test_severity_name(s->severity));
	if (s->kind == TK_REF) {
		fputs(", \"refers_to\": ", f);
		char to[256];
		snprintf(to, sizeof to, "%s.%s", s->ref_model, s->ref_col);
		str(f, to);
	}
	if (s->tol == TOL_ROWS)
		fprintf(f, ", \"tolerance\": {\"rows\": %g}", s->tol_value);
	else if (s->tol == TOL_PCT)
		fprintf(f, ", \"tolerance\": {\"percent\": %g}", s->tol_value);
	fputc('}', f);
	free(name);
	free(decl);
}

static void write_models(FILE *f)
{
	fputs("  \"models\": [", f);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		str(f, m->name);
		fprintf(f, ", \"layer\": \"%s\", \"description\": ", layer_name(m->layer));
		str(f, m->description);
		fputs(",\n     \"upstream\": [", f);
		for (const char *const *u = m->upstream; u && *u; u++) {
			fputs(u == m->upstream ? "" : ", ", f);
			str(f, *u);
		}
		fputs("], \"downstream\": [", f);
		for (int j = 0, k = 0; j < model_total(); j++)
			for (const char *const *u = model_at(j)->upstream; u && *u; u++)
				if (!strcmp(*u, m->name)) {
					fputs(k++ ? ", " : "", f);
					str(f, model_at(j)->name);
					break;
				}
		fputs("],\n     \"tests\": [", f);
		int first = 1;
		for (const char *const *t = m->tests; t && *t; t++)
			each_test(f, m, NULL, *t, test_name_item, &first);
		cl_ref whole = {CL_MODEL, i, -1};
		fputs("], \"parameters\": ", f);
		params(f, cl_params(whole));
		fputs(",\n     \"columns\": [", f);
		for (int c = 0; c < m->ncols; c++) {
			const model_col *mc = &m->cols[c];
			fputs(c ? ",\n       {\"name\": " : "\n       {\"name\": ", f);
			str(f, mc->name);
			fprintf(f, ", \"type\": \"%s\", \"description\": ", type_name(mc->type));
			str(f, mc->description);
			fputs(", \"tests\": [", f);
			first = 1;
			each_test(f, m, mc->name, mc->tests, test_name_item, &first);
			fputs("], \"from\": ", f);
			cl_ref *v;
			int n = cl_from(i, c, &v);
			ref_list(f, v, n < 0 ? 0 : n);
			free(v);
			cl_ref self = {CL_MODEL, i, c};
			n = cl_sources(self, &v);
			fputs(", \"source_columns\": ", f);
			ref_list(f, v, n);
			free(v);
			fputs(", \"parameters\": ", f);
			params(f, cl_params(self));
			fputc('}', f);
		}
		fputs("\n     ]}", f);
	}
	fputs("\n  ],\n", f);
}

static void write_sources(FILE *f)
{
	fputs("  \"sources\": [", f);
	for (int i = 0; i < SRC_COUNT; i++) {
		const src_table *s = &source_tables[i];
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		str(f, s->name);
		fputs(", \"file\": ", f);
		str(f, s->file);
		fprintf(f, ", \"seed\": %s, \"required\": %s, \"description\": ", s->seed ? "true" : "false",
			s->required_file ? "true" : "false");
		str(f, s->description);
		fputs(", \"used_by\": [", f);
		for (int j = 0, k = 0; j < model_total(); j++)
			for (const char *const *u = model_at(j)->upstream; u && *u; u++)
				if (!strcmp(*u, s->name)) {
					fputs(k++ ? ", " : "", f);
					str(f, model_at(j)->name);
					break;
				}
		fputs("],\n     \"columns\": [", f);
		for (int c = 0; c < s->ncols; c++) {
			const src_col *sc = &s->cols[c];
			fputs(c ? ",\n       {\"name\": " : "\n       {\"name\": ", f);
			str(f, sc->name);
			fprintf(f, ", \"type\": \"%s\", \"header_required\": %s, \"value_required\": %s", type_name(sc->type),
				sc->flags & COL_OPTIONAL ? "false" : "true", sc->flags & COL_NOTNULL ? "true" : "false");
			if (sc->enums) {
				fputs(", \"accepted\": [", f);
				for (const char *const *e = sc->enums; *e; e++) {
					fputs(e == sc->enums ? "" : ", ", f);
					str(f, *e);
				}
				fputc(']', f);
			}
			if (sc->flags & COL_RANGE)
				fprintf(f, ", \"range\": [%lld, %lld]", (long long)sc->lo, (long long)sc->hi);
			fputc('}', f);
		}
		fputs("\n     ]}", f);
	}
	fputs("\n  ],\n", f);
}

static void write_tests(FILE *f)
{
	fputs("  \"tests\": [", f);
	int first = 1;
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		for (int c = 0; c < m->ncols; c++)
			each_test(f, m, m->cols[c].name, m->cols[c].tests, test_object, &first);
		for (const char *const *t = m->tests; t && *t; t++)
			each_test(f, m, NULL, *t, test_object, &first);
	}
	fputs("\n  ],\n", f);
}

static void write_edges(FILE *f)
{
	fputs("  \"edges\": [", f);
	int first = 1;
	for (int i = 0; i < model_total(); i++)
		for (const char *const *u = model_at(i)->upstream; u && *u; u++) {
			fputs(first ? "\n    {\"from\": " : ",\n    {\"from\": ", f);
			first = 0;
			str(f, *u);
			fputs(", \"to\": ", f);
			str(f, model_at(i)->name);
			fputc('}', f);
		}
	fputs("\n  ],\n  \"column_edges\": [", f);
	first = 1;
	for (int i = 0; i < model_total(); i++)
		for (int c = 0; c < model_at(i)->ncols; c++) {
			cl_ref *v;
			int n = cl_from(i, c, &v);
			for (int k = 0; k < n; k++) {
				fputs(first ? "\n    {\"from\": " : ",\n    {\"from\": ", f);
				first = 0;
				ref(f, v[k]);
				fputs(", \"to\": ", f);
				ref(f, (cl_ref){CL_MODEL, i, c});
				fputc('}', f);
			}
			free(v);
		}
	fputs("\n  ]\n", f);
}

int manifest_write(FILE *f)
{
	fprintf(f, "{\n  \"tool\": \"medimart\",\n  \"manifest_version\": %d,\n", MANIFEST_VERSION);
	fputs("  \"parameters\": [", f);
	for (int p = 0; p < CL_NPARAMS; p++) {
		fputs(p ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		str(f, cl_table_name((cl_ref){CL_PARAM, p, -1}));
		fputs(", \"description\": ", f);
		str(f, cl_param_title(p));
		fputc('}', f);
	}
	fputs("\n  ],\n", f);
	write_models(f);
	write_sources(f);
	write_tests(f);
	write_edges(f);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
