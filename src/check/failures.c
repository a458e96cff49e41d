/* target/test_failures/: one CSV per warning or failing test with its
 * first failing rows, all columns, for analysts to open. */
#include "check/check.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/xalloc.h"
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_CHARS 120

char *test_file_name(const char *name)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{">=", "ge"}, {"<=", "le"}, {"==", "eq"}, {"!=", "ne"}, {"->", "in"},
		{"..", "to"}, {">", "gt"},  {"<", "lt"},
	};
	size_t cap = strlen(name) * 2 + 8, n = 0;
	char *out = xmalloc(cap);
	int gap = 0; /* a '_' is due before the next kept character */
	for (const char *p = name; *p && n < NAME_MAX_CHARS;) {
		size_t w = 0;
		for (size_t i = 0; i < sizeof words / sizeof words[0] && !w; i++)
			if (!strncmp(p, words[i].from, strlen(words[i].from))) {
				if (n)
					out[n++] = '_';
				memcpy(out + n, words[i].to, strlen(words[i].to));
				n += strlen(words[i].to);
				gap = 1;
				w = strlen(words[i].from);
			}
		if (w) {
			p += w;
			continue;
		}
		unsigned char c = (unsigned char)*p++;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_') {
			if (gap && n)
				out[n++] = '_';
			gap = 0;
			out[n++] = (char)c;
		} else {
			gap = 1;
		}
	}
	out[n] = '\0';
	return out;
}

/* Rejected rows are not in the table: list where they were and why. */
static void write_rejects(FILE *f, const load_stats *st)
{
	fputs("line,field,column,reason\n", f);
	for (size_t k = 0; k < st->nkept && k < FAILING_ROWS_KEPT; k++) {
		const reject *j = &st->rejects[k];
		fprintf(f, "%ld,%ld,", j->line, j->col);
		esc_csv_file(f, j->column ? j->column : "");
		fputc(',', f);
		esc_csv_file(f, j->reason ? j->reason : "");
		fputc('\n', f);
	}
}

/* The table the result's rows index: a built model or a source. */
static const mm_table *result_table(const run_ctx *ctx, const test_result *r, const load_stats **st)
{
	int i = model_index(r->model), s = source_index(r->model);
	*st = NULL;
	/* The release plan keeps every table with a test that did not pass. */
	if ((i >= 0 && ctx->released[i]) || (i < 0 && s >= 0 && ctx->src_released[s]))
		table_released(r->model, "the test failures writer");
	if (i >= 0)
		return ctx->tables[i];
	if (s < 0 || !ctx->src)
		return NULL;
	if (r->source_check && !strcmp(r->name, "rejects"))
		*st = &ctx->src->st[s];
	return ctx->src->t[s];
}

/* Writes r's failing rows of t whole. A source table lacks the columns
 * nothing reads (sources_load_read): its failing rows are read again
 * from the file with every column. Returns 0 or -1. */
static int write_rows(const run_ctx *ctx, const test_result *r, const mm_table *t, FILE *f)
{
	int s = model_index(r->model) < 0 ? source_index(r->model) : -1;
	const mm_table *whole = s >= 0 ? sources_rows_whole(ctx->src, s, r->failing_rows, r->nkept) : t;
	if (!whole)
		return -1;
	tbl_write_csv_rows(whole, r->failing_rows, r->nkept, f);
	if (whole != t)
		tbl_free((mm_table *)whole);
	return 0;
}

/* Removes the CSV files an earlier run left, so the folder lists this run only. */
static int clear_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t k = strlen(e->d_name);
		if ((k > 4 && !strcmp(e->d_name + k - 4, ".csv")) || (k > 8 && !strcmp(e->d_name + k - 8, ".csv.tmp"))) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(d);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(dir) + strlen(names[i]) + 2;
		char *p = xmalloc(k);
		snprintf(p, k, "%s/%s", dir, names[i]);
		if (unlink(p) && errno != ENOENT)
			rc = -1;
		free(p);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int used(char **names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return 1;
	return 0;
}

int test_report_write_failures_csv(test_report *rep, run_ctx *ctx, const char *dir)
{
	if ((mkdir(dir, 0777) && errno != EEXIST) || clear_dir(dir)) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot prepare the test failures folder: %s", strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t nnames = 0;
	int rc = 0;
	for (size_t i = 0; i < rep->n && !rc && ctx; i++) {
		test_result *r = &rep->v[i];
		const load_stats *st = NULL;
		const mm_table *t = r->status == TS_PASS ? NULL : result_table(ctx, r, &st);
		if (!t || (!st && !r->nkept))
			continue;
		/* <model>__<test>.csv, with a counter when two tests sanitise alike. */
		char *base = test_file_name(r->name);
		size_t k = strlen(dir) + strlen(r->model) + strlen(base) + 32;
		char *path = xmalloc(k), *tmp = xmalloc(k + 4);
		snprintf(path, k, "%s/%s__%s.csv", dir, r->model, base);
		for (int seq = 2; used(names, nnames, path); seq++)
			snprintf(path, k, "%s/%s__%s__%d.csv", dir, r->model, base, seq);
		names = xrealloc(names, (nnames + 1) * sizeof *names);
		names[nnames++] = path;
		snprintf(tmp, k + 4, "%s.tmp", path);
		FILE *f = fopen(tmp, "wb");
		if (f) {
			int bad = 0;
			if (st)
				write_rejects(f, st);
			else
				bad = write_rows(ctx, r, t, f);
			bad |= ferror(f);
			if (fclose(f) || bad || rename(tmp, path))
				rc = -1;
		} else {
			rc = -1;
		}
		if (rc) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			remove(tmp);
		} else {
			free(r->failures_file);
			r->failures_file = xstrdup(path);
		}
		free(base);
		free(tmp);
	}
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}
