#include "models/target.h"
#include "models/manifest.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Opens path.tmp for writing; close_atomic renames it into place. */
static FILE *open_atomic(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	return fopen(tmp, "wb");
}

static int close_atomic(FILE *f, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		remove(tmp);
		return -1;
	}
	return rename(tmp, path);
}

static int write_table(const mm_table *t, const char *dir)
{
	char name[512];
	snprintf(name, sizeof name, "%s.csv", t->name);
	char *path = join(dir, name);
	FILE *f = open_atomic(path);
	int rc = -1;
	if (f) {
		tbl_write_csv(t, f);
		rc = close_atomic(f, path);
	}
	if (rc)
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

static int write_rejects(const run_ctx *ctx, const char *dir)
{
	char *path = join(dir, "rejects.csv");
	FILE *f = open_atomic(path);
	int rc = -1;
	if (f) {
		fputs("table,file,line,field,column,reason\n", f);
		for (int i = 0; i < SRC_COUNT; i++) {
			const load_stats *st = &ctx->src->st[i];
			for (size_t k = 0; k < st->nkept; k++) {
				const reject *r = &st->rejects[k];
				fprintf(f, "%s,%s,%ld,%ld,", st->table, source_tables[i].file, r->line, r->col);
				csv_write_cell(f, r->column ? r->column : "");
				fputc(',', f);
				csv_write_cell(f, r->reason);
				fputc('\n', f);
			}
		}
		rc = close_atomic(f, path);
	}
	if (rc)
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

static void write_record(FILE *f, run_ctx *ctx, const int *sel, const test_report *rep, const char *verb)
{
	char d[16];
	date_fmt(ctx->census, d);
	fprintf(f, "{\n  \"tool\": \"medimart\",\n  \"verb\": ");
	json_str(f, verb);
	fprintf(f, ",\n  \"census\": \"%s\",\n  \"census_source\": \"%s\",\n  \"data_dir\": ", d,
		ctx->census_given ? "--census" : "derived from the data");
	json_str(f, ctx->src->dir);
	fprintf(f, ",\n  \"plain_synthea\": %s,\n  \"capacity_data\": %s,\n  \"rules\": ",
		ctx->plain_synthea ? "true" : "false", ctx->has_capacity ? "true" : "false");
	json_str(f, ctx->rules_path);
	fputs(",\n  \"sources\": [", f);
	for (int i = 0; i < SRC_COUNT; i++) {
		const load_stats *st = &ctx->src->st[i];
		fprintf(f, "%s\n    {\"table\": ", i ? "," : "");
		json_str(f, st->table);
		fputs(", \"path\": ", f);
		json_str(f, st->path);
		fprintf(f, ", \"seed\": %s, \"present\": %s, \"rows\": %zu, \"rejects\": %zu, \"bytes\": %zu, \"seconds\": %.3f}",
			source_tables[i].seed ? "true" : "false", st->present ? "true" : "false", st->rows,
			st->nrejects, st->bytes, st->seconds);
	}
	fputs("\n  ],\n  \"models\": [", f);
	for (int i = 0, first = 1; i < model_total(); i++) {
		const model_def *m = model_at(i);
		const char *status = ctx->skipped[i] ? "skipped" : ctx->tables[i] ? "built" : "not selected";
		fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
		first = 0;
		json_str(f, m->name);
		fprintf(f, ", \"layer\": \"%s\", \"selected\": %s, \"status\": \"%s\", \"rows\": %zu, \"seconds\": %.3f}",
			layer_name(m->layer), sel[i] ? "true" : "false", status,
			ctx->tables[i] ? ctx->tables[i]->nrows : 0, ctx->seconds[i]);
	}
	fprintf(f, "\n  ],\n  \"tests\": ");
	test_report_write_json(rep, ctx, f);
	fprintf(f, ",\n  \"summary\": {\"passed\": %zu, \"failed\": %zu, \"warnings\": %zu}\n}\n",
		test_report_count(rep, TS_PASS), test_report_count(rep, TS_FAIL), test_report_count(rep, TS_WARN));
}

int target_write(run_ctx *ctx, const int *sel, test_report *rep, const char *dir, const char *verb)
{
	char *mdir = join(dir, "models");
	char *fdir = join(dir, "test_failures");
	int rc = 0;
	if (mkdirs(mdir) || mkdirs(fdir)) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot create the target folder: %s", strerror(errno));
		rc = EXIT_FAILED;
		goto out;
	}
	for (int i = 0; i < model_total() && !rc; i++) {
		if (!sel[i] || !ctx->tables[i] || ctx->skipped[i])
			continue;
		progress_tick("writing %s/%s.csv (%zu rows)", mdir, ctx->tables[i]->name, ctx->tables[i]->nrows);
		if (write_table(ctx->tables[i], mdir))
			rc = EXIT_FAILED;
	}
	progress_tick("writing %s/rejects.csv, test_failures/ and the run record", dir);
	if (!rc && write_rejects(ctx, dir))
		rc = EXIT_FAILED;
	if (!rc && test_report_write_failures_csv(rep, ctx, fdir))
		rc = EXIT_FAILED;
	if (!rc) {
		char *path = join(dir, "run_results.json");
		FILE *f = open_atomic(path);
		if (!f || (write_record(f, ctx, sel, rep, verb), close_atomic(f, path))) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		}
		free(path);
	}
	if (!rc) {
		char *path = join(dir, "manifest.json");
		FILE *f = open_atomic(path);
		if (!f || (manifest_write(f), close_atomic(f, path))) {
			diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = EXIT_FAILED;
		}
		free(path);
	}
out:
	free(mdir);
	free(fdir);
	return rc;
}
