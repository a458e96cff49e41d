/* The test report as text, one line per test, dbt style. */
#include "check/check.h"
#include "util/diag.h"

static const char *const label[] = {[TS_PASS] = "PASS", [TS_WARN] = "WARN", [TS_FAIL] = "FAIL"};
static const char *const colour[] = {[TS_PASS] = "\033[32m", [TS_WARN] = "\033[1;33m", [TS_FAIL] = "\033[1;31m"};

void test_report_print(const test_report *rep, FILE *f, int quiet)
{
	int col = diag_colour(f);
	for (size_t i = 0; i < rep->n; i++) {
		const test_result *r = &rep->v[i];
		if (quiet && r->status == TS_PASS)
			continue;
		if (col)
			fprintf(f, "%s%s\033[0m  %s on %s", colour[r->status], label[r->status], r->name, r->model);
		else
			fprintf(f, "%s  %s on %s", label[r->status], r->name, r->model);
		if (r->source_check && r->message)
			fprintf(f, ": %s", r->message);
		else if (r->status != TS_PASS && r->message && !r->failures)
			fprintf(f, ": %s", r->message); /* e.g. an invalid test */
		else if (r->status != TS_PASS) {
			fprintf(f, " (%zu row%s)", r->failures, r->failures == 1 ? "" : "s");
			if (r->message)
				fprintf(f, ": %s", r->message); /* with an example value */
		}
		if (r->status != TS_PASS && r->failures_file)
			fprintf(f, "; rows in %s", r->failures_file);
		fputc('\n', f);
	}
	size_t warn = test_report_count(rep, TS_WARN);
	fprintf(f, "%zu passed, %zu failed", test_report_count(rep, TS_PASS), test_report_count(rep, TS_FAIL));
	if (warn)
		fprintf(f, ", %zu warning%s", warn, warn == 1 ? "" : "s");
	fputc('\n', f);
}
