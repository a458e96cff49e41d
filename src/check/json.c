/* The test report as a JSON array, for target/run_results.json. */
#include "check/check.h"

/* Length of the valid UTF-8 sequence at p, or 0 if it is not one. */
static int utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	int n;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf; /* no overlongs, no surrogates */
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void test_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		unsigned char c = *p;
		if (c >= 0x80) {
			int n = utf8_len(p);
			if (n) {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
			continue;
		}
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
		p++;
	}
	fputc('"', f);
}

static void json_str_or_null(FILE *f, const char *s)
{
	if (s)
		test_json_str(f, s);
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
		test_json_str(f, r->model);
		fputs(", \"test\": ", f);
		test_json_str(f, r->name);
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
