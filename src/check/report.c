/* The test report: an append-only list of results. */
#include "check/check.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

test_result *test_report_add(test_report *rep)
{
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 64;
		rep->v = xrealloc(rep->v, rep->cap * sizeof *rep->v);
	}
	test_result *r = &rep->v[rep->n++];
	memset(r, 0, sizeof *r);
	return r;
}

void test_result_fail_row(test_result *r, size_t row)
{
	r->failures++;
	if (r->nkept == FAILING_ROWS_KEPT)
		return;
	if (!r->failing_rows)
		r->failing_rows = xmalloc(FAILING_ROWS_KEPT * sizeof *r->failing_rows);
	r->failing_rows[r->nkept++] = row;
}

size_t test_report_count(const test_report *rep, test_status s)
{
	size_t n = 0;
	for (size_t i = 0; i < rep->n; i++)
		n += rep->v[i].status == s;
	return n;
}

const char *test_status_name(test_status s)
{
	return s == TS_PASS ? "pass" : s == TS_WARN ? "warn" : "fail";
}

const char *test_severity_name(test_severity s)
{
	return s == SEV_WARN ? "warn" : "error";
}

void test_report_free(test_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].name);
		free(rep->v[i].message);
		free(rep->v[i].failing_rows);
		free(rep->v[i].failures_file);
	}
	free(rep->v);
	memset(rep, 0, sizeof *rep);
}

void test_result_message(test_result *r, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(r->message);
	r->message = xstrdup(buf);
}
