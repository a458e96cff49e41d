/* target/manifest.json, written from the registry, the data contract and
 * the column lineage. */
#include "run/manifest.h"
#include "check/check.h"
#include "contract/schema.h"
#include "registry/colineage.h"
#include "registry/model.h"
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

/* The names of the compiled tests of registry model i on column c (-1:
 * the model-level tests), as a JSON list's items. A test that does not
 * parse is left out: the registry validation reports it, and the manifest
 * lists valid tests. */
static void test_names(FILE *f, int i, int c)
{
	int n, first = 1;
	const model_test *v = model_tests(i, &n);
	for (int k = 0; k < n; k++) {
		if (v[k].column != c || v[k].parse_error)
			continue;
		fputs(first ? "" : ", ", f);
		first = 0;
		str(f, v[k].name);
	}
}

static void test_object(FILE *f, const model_test *x, int *first)
{
	const test_spec *s = &x->spec;
	fputs(*first ? "\n    {\"model\": " : ",\n    {\"model\": ", f);
	*first = 0;
	str(f, x->def->name);
	fputs(", \"column\": ", f);
	if (x->colname)
		str(f, x->colname);
	else
		fputs("null", f);
	fputs(", \"name\": ", f);
	str(f, x->name);
	fputs(", \"declared\": ", f);
	str(f, x->text);
	fprintf(f, ", \"kind\": \"%s\", \"severity\": \"%s\"", s->kind->name, test_severity_name(s->severity));
	if (s->ref_model) {
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
}

int model_is_table(const model_def *m, int all)
{
	return all || m->layer == LAYER_MART;
}

const char *model_materialized(const model_def *m, int all)
{
	return model_is_table(m, all) ? "table" : "view";
}

static void write_models(FILE *f, int all)
{
	fputs("  \"models\": [", f);
	for (int i = 0; i < model_total(); i++) {
		const model_def *m = model_at(i);
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
		str(f, m->name);
		fprintf(f, ", \"layer\": \"%s\", \"materialized\": \"%s\", \"description\": ", layer_name(m->layer),
			model_materialized(m, all));
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
		test_names(f, i, -1);
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
			test_names(f, i, c);
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
		int n;
		const model_test *v = model_tests(i, &n);
		for (int k = 0; k < n; k++)
			if (!v[k].parse_error)
				test_object(f, &v[k], &first);
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

int manifest_write(FILE *f, int all)
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
	write_models(f, all);
	write_sources(f);
	write_tests(f);
	write_edges(f);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
