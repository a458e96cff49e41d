/* The test report as a JSON array, for target/run_results.json. */
#include "check/check.h"
#include "util/escape.h"

static void json_str_or_null(FILE *f, const char *s)
{
	if (s)
		esc_json_file(f, s, 0);
	else
		fputs("null", f);
}

int test_report_write_json(const test_report *rep, const run_ctx *ctx, FILE *f)
{
	(void)ctx;
	fputc('[', f);
	for (size_t i = 0; i < rep->n; i++) {
		const test_result *r = &rep->v[i];
		fputs(i ? ",\n    {\"model\": " : "\n    {\"model\": ", f);
		esc_json_file(f, r->model, 0);
		fputs(", \"test\": ", f);
		esc_json_file(f, r->name, 0);
		fputs(", \"column\": ", f);
		json_str_or_null(f, r->column);
		fprintf(f, ", \"severity\": \"%s\", \"status\": \"%s\", \"rows\": %zu, \"failures\": %zu, \"message\": ",
			test_severity_name(r->severity), test_status_name(r->status), r->rows, r->failures);
		json_str_or_null(f, r->message);
		fputs(", \"failing_rows\": [", f);
		for (size_t k = 0; k < r->nkept; k++)
			fprintf(f, "%s%zu", k ? ", " : "", r->failing_rows[k]);
		fputs("]}", f);
	}
	fputs(rep->n ? "\n  ]" : "]", f);
	return ferror(f) ? -1 : 0;
}
